package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrderCommand runs the real Main on an order naming Hikvision's Hangzhou address under another name.
func TestOrderCommand(t *testing.T) {
	r := cliRun(t, "order", "testdata/cli/order_hikvision.json")
	r.cliWant(t, 0)
	for _, want := range []string{"PO-2022-0601 of 2022-06-01 to CN: HOLD", "Hangzhou Hikvision Digital Technology",
		"licence: licence required for all items subject to the EAR, presumption of denial", "street number 555 = 555",
		"Entity List as of 2026-07-09, listed 2019-10-09 (84 FR 54004, 10/9/19"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	j := cliRun(t, "order", "--json", "testdata/cli/order_hikvision.json")
	j.cliWant(t, 0)
	var d struct {
		Outcome string `json:"outcome"`
		Reasons []struct {
			Kind string `json:"kind"`
		} `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &d); err != nil || d.Outcome != "hold" || len(d.Reasons) == 0 {
		t.Fatalf("json %v %+v", err, d)
	}
}

func TestOrderCommandErrors(t *testing.T) {
	cliRun(t, "order").cliWant(t, 2)
	r := cliRunStdin(t, `{"date": "2022-06-01", "destination": {"country": "DE"}, "parties": [{"role": "buyer", "name": "X"}], "items": [{"eccn": "EAR99"}]}`, "order", "-")
	r.cliWant(t, 1)
	if !strings.Contains(r.stderr, "parties[0].role") {
		t.Errorf("stderr %s", r.stderr)
	}
	r = cliRunStdin(t, `{"date": "2022-06-01", "colour": 1}`, "order", "-")
	r.cliWant(t, 1)
	if !strings.Contains(r.stderr, "colour") {
		t.Errorf("stderr %s", r.stderr)
	}
	// A member unknown inside an array is named by its full path, as POST /v1/orders names it.
	r = cliRunStdin(t, `{"date": "2022-06-01", "destination": {"country": "DE"}, "parties": [{"role": "purchaser", "name": "X"},
		{"role": "end_user", "name": "Y", "contry": "DE"}], "items": [{"eccn": "EAR99"}]}`, "order", "-")
	r.cliWant(t, 1)
	if !strings.Contains(r.stderr, `unknown field "parties[1].contry"`) {
		t.Errorf("stderr %s", r.stderr)
	}
}

// order --ownership holds an order whose end user is 100 % owned by an Entity List party on a date the BIS
// Affiliates Rule is in force, and --record appends the decision to the audit trail of a data directory's
// SQLite store, which still verifies.
func TestOrderOwnershipRecord(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "order.json")
	body := `{"id": "PO-2025-1001", "date": "2025-10-01", "destination": {"country": "CN"},
 "parties": [{"role": "purchaser", "name": "Lakeside Optics Trading GmbH", "country": "DE"},
  {"role": "end_user", "name": "Chengdu Dahua Wisdom Information Technology Co., Ltd.", "country": "CN"}],
 "items": [{"eccn": "EAR99", "description": "power supplies"}]}`
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cliRun(t, "order", "--list", ownCSL, "--ownership", ownTestData, "--record", "--data-dir", dir, "--as", "alice", file)
	r.cliWant(t, 0)
	cliContainsAll(t, "order", r.stdout, "PO-2025-1001 of 2025-10-01 to CN: HOLD",
		"[HOLD] end user \"Chengdu Dahua Wisdom Information Technology Co., Ltd.\": owned 50 % or more by listed parties (100 %",
		"path: Chengdu Dahua Wisdom Information Technology Co., Ltd. <- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54002",
		"rule: BIS Affiliates Rule (bis_affiliates), in_force 2025-09-29 .. 2025-11-09",
		"presumption of denial for all other items subject to the EAR (as Dahua Technology, us_el/",
		"ownership (50 % rules) screened on the order date")
	v := cliRun(t, "audit", "verify", "--data-dir", dir)
	v.cliWant(t, 0)
	cliContainsAll(t, "verify", v.stdout, "audit trail intact: 1 records")
	e := cliRun(t, "audit", "export", "--action", "order.decide", "--data-dir", dir)
	e.cliWant(t, 0)
	cliContainsAll(t, "export", e.stdout, `"actor":"alice"`, `"action":"order.decide"`, `"object":"order/PO-2025-1001"`,
		`\"outcome\":\"hold\"`, `\"rule\":\"bis_affiliates\"`)

	// Without --ownership the same order holds only on the party's own 1260H listing (the embedded lists stay
	// screened beside the --list file) and says ownership was not screened; without --record nothing is
	// appended.
	r = cliRun(t, "order", "--list", ownCSL, file)
	r.cliWant(t, 0)
	cliContainsAll(t, "no ownership", r.stdout, "to CN: HOLD", "matches us_1260h entry", "ownership (50 % rules) not screened")
	if strings.Contains(r.stdout, "owned 50 % or more") {
		t.Errorf("an ownership reason without ownership data:\n%s", r.stdout)
	}
	// The decision, and the export of it above (an export is recorded too).
	cliContainsAll(t, "verify", cliRun(t, "audit", "verify", "--data-dir", dir).stdout, "audit trail intact: 2 records")
	// --record with no store configured is a usage error.
	cliRun(t, "order", "--list", ownCSL, "--record", file).cliWant(t, 2)
}
