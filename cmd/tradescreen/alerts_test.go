package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// storeAlerts imports the customers, runs monitoring against the small real CSL excerpt and returns the
// alerts by party id.
func storeAlerts(t *testing.T, db, file string) map[string]int64 {
	t.Helper()
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)
	r := cliRun(t, "monitor", "run", "--list", cliSmallList, "--verbose", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "monitor run", r.stdout, "full run over 3 parties", "3 screened in full", "2 alerts created, 0 reopened", `C-1 "Rosneft Trade Ltd" ~ us_ssi/`, `C-2 "Atlas Sanatgaran"`,
		"Per list: ", "us_ssi 1 created", "See them: tradescreen alerts list --status open --db "+strings.TrimPrefix(db, "--db="))
	r = cliRun(t, "alerts", "list", "--json", db)
	r.cliWant(t, 0)
	var out struct {
		Total  int `json:"total"`
		Alerts []struct {
			ID      int64  `json:"id"`
			PartyID string `json:"party_id"`
			Status  string `json:"status"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, a := range out.Alerts {
		if a.Status != "open" {
			t.Errorf("alert %d is %s", a.ID, a.Status)
		}
		ids[a.PartyID] = a.ID
	}
	if out.Total != 2 || ids["C-1"] == 0 || ids["C-2"] == 0 {
		t.Fatalf("alerts: %+v", out)
	}
	return ids
}

func TestAlertsCommand(t *testing.T) {
	db, file := storeSetup(t)
	ids := storeAlerts(t, db, file)
	id := strconv.FormatInt(ids["C-1"], 10)

	// Screening again with the same lists raises nothing new.
	r := cliRun(t, "monitor", "run", "--list", cliSmallList, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "second run", r.stdout, "incremental run over 3 parties", "0 screened in full", "0 alerts created")

	cliRun(t, "alerts", "transition", id, "escalated", db).cliWant(t, 2) // no reason
	cliRun(t, "alerts", "transition", id, "sideways", "--reason", "x", db).cliWant(t, 2)
	r = cliRun(t, "alerts", "transition", id, "escalated", "--reason", "ownership unclear", "--as", "anna", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "escalate", r.stdout, "alert "+id+": open -> escalated by anna")
	r = cliRun(t, "alerts", "transition", id, "false_positive", "--reason", "different company", "--as", "anna", db)
	r.cliWant(t, 1)
	cliContainsAll(t, "own escalation", r.stderr, "anna escalated alert "+id+" and cannot close it")
	r = cliRun(t, "alerts", "transition", id, "false_positive", "--reason", "different company: Cyprus trading house, registry checked", "--as", "paula", db)
	r.cliWant(t, 0)

	r = cliRun(t, "alerts", "show", id, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "show", r.stdout, "Alert "+id+": closed_false_positive", "party:        C-1  Rosneft Trade Ltd",
		"entry:        us_ssi/", "ROSNEFT TRADE LIMITED", "escalated by: anna", "-> open", "raised by screening",
		"open                   -> escalated              anna: ownership unclear",
		"escalated              -> closed_false_positive  paula: different company: Cyprus trading house, registry checked")

	r = cliRun(t, "alerts", "list", "--status", "active", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "active", r.stdout, "Atlas Sanatgaran", "1 of 1 alerts")

	// The party's data changes: the false positive is reopened with the difference.
	cliRun(t, "parties", "update", "C-1", "--name", "Rosneft Trade Limited", "--reason", "legal name from the registry", db).cliWant(t, 0)
	r = cliRun(t, "monitor", "run", "--list", cliSmallList, "--verbose", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "reopen", r.stdout, "Per list: us_ssi 1 reopened.", "1 screened in full", "0 alerts created, 1 reopened", "reopened", `party name: "Rosneft Trade Ltd" -> "Rosneft Trade Limited"`)

	// Users and roles: a viewer's key cannot move alerts.
	r = cliRun(t, "users", "add", "vic", "--role", "viewer", db)
	r.cliWant(t, 0)
	key := strings.TrimSpace(r.stdout[strings.LastIndex(strings.TrimSpace(r.stdout), "\n")+1:])
	if !strings.HasPrefix(key, "tsk_") {
		t.Fatalf("key: %q", r.stdout)
	}
	r = cliRun(t, "alerts", "transition", id, "under_review", "--reason", "look", "--api-key", key, db)
	r.cliWant(t, 1)
	cliContainsAll(t, "viewer", r.stderr, "vic (viewer) may not change alerts")
	cliRun(t, "alerts", "list", "--api-key", key, db).cliWant(t, 0)
	cliRun(t, "alerts", "list", "--api-key", key+"0", db).cliWant(t, 1)
	r = cliRun(t, "users", "list", db)
	cliContainsAll(t, "users", r.stdout, "vic", "viewer", "active")
}
