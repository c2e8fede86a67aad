package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// showCustomers are two customers the small CSL excerpt lists: Rosneft's Cyprus trading arm (SSI, with a
// program and an address) and a Chinese research institute under an alias of its Entity List entry (with
// a licence requirement, a review policy, Federal Register citations and a start date).
const showCustomers = `customer_id,company_name,country,segment
C-1,Rosneft Trade Ltd,Cyprus,energy
C-4,Hebei Semiconductor Research Institute,CN,electronics
`

// TestAlertsShowExplains: 'alerts show' gives what the web UI's alert page gives, from the lists the alert
// was raised with (--list): the listed entry's key facts and why the party matches it now (matched name,
// score, the aligned words, adjustments), in text and in JSON. Without those lists the entry may not be on
// the loaded ones, and the alert then says so instead of explaining.
func TestAlertsShowExplains(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "customers.csv")
	if err := os.WriteFile(file, []byte(showCustomers), 0o644); err != nil {
		t.Fatal(err)
	}
	db := "--db=" + filepath.Join(dir, "tradescreen.db")
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)
	cliRun(t, "monitor", "run", "--list", cliSmallList, db).cliWant(t, 0)
	ids := map[string]string{}
	r := cliRun(t, "alerts", "list", "--json", db)
	r.cliWant(t, 0)
	var list struct {
		Alerts []struct {
			ID      int64  `json:"id"`
			PartyID string `json:"party_id"`
			Source  string `json:"source"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	for _, a := range list.Alerts {
		ids[a.PartyID+" "+a.Source] = strconv.FormatInt(a.ID, 10)
	}
	ssi, el := ids["C-1 us_ssi"], ids["C-4 us_el"]
	if ssi == "" || el == "" {
		t.Fatalf("alerts: %s", r.stdout)
	}

	r = cliRun(t, "alerts", "show", el, "--list", cliSmallList, db)
	r.cliWant(t, 0)
	t.Logf("alerts show %s:\n%s", el, r.stdout)
	cliContainsAll(t, "show (Entity List)", r.stdout, "Alert "+el+": open", "party:        C-4  Hebei Semiconductor Research Institute",
		"Listed entry: us_el/99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be  China Electronics Technology Group Corporation 13th Research Institute (CETC 13) (Entity List)",
		"country:             CN",
		"licence requirement: For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)",
		"licence policy:      Policy of denial for all items subject to the EAR apart from food and medicine",
		"Federal Register:    83 FR 37423; 87 FR 77505", "https://www.federalregister.gov/citation/83-FR-37423",
		"start date:          2018-08-01", "address:             113 Hezuo Road, Shijiazhuang",
		"Why they match (the party screened now against us_el):",
		`matched alias (a.k.a.) "Hebei Semiconductor Research Institute" with score 1.00`, "why: ",
		"words (party -> listed, how):", "hebei -> hebei (exact)", "semiconductor -> semiconductor (exact)",
		"Transitions:")
	if strings.Index(r.stdout, "Why they match") > strings.Index(r.stdout, "Transitions:") {
		t.Error("the explanation comes after the transitions")
	}

	r = cliRun(t, "alerts", "show", ssi, "--list", cliSmallList, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "show (SSI)", r.stdout, "Listed entry: us_ssi/18300  ROSNEFT TRADE LIMITED", "programs:            UKRAINE-EO13662",
		"address:             Elenion Building 5 Themistokli Dervi", "country CY matches the entry")

	r = cliRun(t, "alerts", "show", el, "--list", cliSmallList, "--json", db)
	r.cliWant(t, 0)
	var x struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Party  *struct {
			ID string `json:"id"`
		} `json:"party"`
		Entry *struct {
			SourceID        string   `json:"source_id"`
			FederalRegister []string `json:"federal_register"`
		} `json:"entry"`
		Match *struct {
			SourceID    string  `json:"source_id"`
			Score       float64 `json:"score"`
			Explanation struct {
				Summary string `json:"summary"`
				Tokens  []struct {
					Query, Name, How string
				} `json:"tokens"`
			} `json:"explanation"`
		} `json:"match"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &x); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if strconv.FormatInt(x.ID, 10) != el || x.Status != "open" || x.Party == nil || x.Party.ID != "C-4" || x.Entry == nil ||
		len(x.Entry.FederalRegister) != 2 || x.Match == nil || x.Match.SourceID != x.Entry.SourceID ||
		x.Match.Explanation.Summary == "" || len(x.Match.Explanation.Tokens) < 3 {
		t.Errorf("alerts show --json: %s", r.stdout)
	}

	// The embedded Entity List (built from the eCFR) names its entries by other ids than the CSL excerpt: the
	// alert is shown, and says why it is not explained.
	r = cliRun(t, "alerts", "show", el, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "show without the lists", r.stdout, "Alert "+el+": open",
		`Why they match: when raised, "Hebei Semiconductor Research Institute" matched "Hebei Semiconductor Research Institute" with score 1.00;`,
		"the entry is not on the lists loaded now", "give them with --list")
	if strings.Contains(r.stdout, "Listed entry:") {
		t.Errorf("an entry not loaded is shown: %s", r.stdout)
	}
}
