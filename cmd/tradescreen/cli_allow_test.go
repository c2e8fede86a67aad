package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// cliAllowBoth pairs the real UVL entry "Atlas Sanatgaran" of the small CSL excerpt with the screened name
// (row A-1) and with the party C-2 of the parties register (row A-2).
const cliAllowBoth = `id,name,party_id,entry,reason,reviewed_by,reviewed_on
A-1,Atlas Sanatgaran,,` + cliAtlasKey + `,"our supplier Atlas Sanatgaran LLC of Tbilisi (GE 404) is not the Yerevan company",a.smith,2026-06-30
A-2,,C-2,` + cliAtlasKey + `,customer C-2 is the Tbilisi company: registry extract on file,b.jones,2026-07-01
`

// cliAllowDir returns a data directory holding the allow list, imported as a user would.
func cliAllowDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	file := cliWriteFile(t, t.TempDir(), "allow.csv", []byte(cliAllowBoth))
	cliRun(t, "lists", "own", "import", "--list", "allow", "--data-dir", dir, "--as", "a.smith", file).cliWant(t, 0)
	return dir
}

// cliAllowedMatch is a batch JSONL match with its allowance.
type cliAllowedMatch struct {
	Source   string  `json:"source"`
	SourceID string  `json:"source_id"`
	Score    float64 `json:"score"`
	Allowed  *struct {
		Reason   string `json:"reason"`
		Reviewer string `json:"reviewer"`
		Date     string `json:"date"`
		Row      string `json:"row"`
	} `json:"allowed"`
	Explanation struct {
		Adjustments []string `json:"adjustments"`
	} `json:"explanation"`
}

// TestBatchAllowList screens the customers file with the allow list in the data directory: the reviewed
// pairing stays in every output, marked, and is counted apart; without the allow list nothing is marked.
func TestBatchAllowList(t *testing.T) {
	dir := cliAllowDir(t)
	out := t.TempDir()
	in := cliWriteFile(t, out, "customers.csv", []byte(storeCustomers))
	jsonl, csvOut, report := filepath.Join(out, "r.jsonl"), filepath.Join(out, "r.csv"), filepath.Join(out, "r.html")
	r := cliRun(t, "batch", in, "-o", jsonl, "--report", report, "--list", cliSmallList, "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "batch stderr", r.stderr, "allow list (own_allow #1 of ", "2 rows, sha256 ", "1 matches are reviewed look-alikes, marked allowed and kept; 1 rows have matches to review")
	var rows []struct {
		ID      string            `json:"id"`
		Matches []cliAllowedMatch `json:"matches"`
	}
	for _, l := range strings.Split(strings.TrimSpace(string(cliReadFile(t, jsonl))), "\n") {
		var row struct {
			ID      string            `json:"id"`
			Matches []cliAllowedMatch `json:"matches"`
		}
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
	if len(rows) != 3 || len(rows[1].Matches) != 1 {
		t.Fatalf("rows %+v", rows)
	}
	atlas := rows[1].Matches[0]
	if atlas.Source+"/"+atlas.SourceID != cliAtlasKey || atlas.Allowed == nil || atlas.Allowed.Row != "A-1" || atlas.Allowed.Reviewer != "a.smith" ||
		atlas.Allowed.Date != "2026-06-30" || !strings.HasPrefix(atlas.Allowed.Reason, "our supplier Atlas Sanatgaran LLC") ||
		!strings.HasPrefix(atlas.Explanation.Adjustments[0], "allowed: reviewed look-alike (our supplier") {
		t.Fatalf("C-2 match %+v", atlas)
	}
	for _, m := range rows[0].Matches {
		if m.Allowed != nil {
			t.Errorf("C-1 match marked: %+v", m)
		}
	}
	page := string(cliReadFile(t, report))
	cliContainsAll(t, "report", page, `id="allowed">1<`, `id="with-matches">2<`, `id="with-unreviewed">1<`, "Allow list of reviewed look-alikes",
		"own_allow #1 of ", `title="allow-list row A-1">allowed</span>`)

	r = cliRun(t, "batch", in, "-o", csvOut, "--list", cliSmallList, "--data-dir", dir)
	r.cliWant(t, 0)
	recs, err := csv.NewReader(bytes.NewReader(cliReadFile(t, csvOut))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	c1, c2 := recs[1], recs[2]
	if c2[col["allowed"]] != cliAtlasKey+" (row A-1)" || c2[col["best_source"]]+"/"+c2[col["best_source_id"]] != cliAtlasKey ||
		c2[col["best_score"]] != strconv.FormatFloat(atlas.Score, 'f', 3, 64) || c2[col["best_unreviewed_score"]] != "" || c2[col["match_count"]] != "1" {
		t.Errorf("CSV C-2: %q", c2)
	}
	if c1[col["allowed"]] != "" || c1[col["best_unreviewed_score"]] == "" || c1[col["best_unreviewed_score"]] != c1[col["best_score"]] {
		t.Errorf("CSV C-1: %q", c1)
	}

	// Without the allow list: the same matches, none marked.
	r = cliRun(t, "batch", in, "-o", jsonl, "--list", cliSmallList, "--data-dir", t.TempDir())
	r.cliWant(t, 0)
	if b := cliReadFile(t, jsonl); bytes.Contains(b, []byte(`"allowed"`)) || !bytes.Contains(b, []byte(strings.TrimPrefix(cliAtlasKey, "us_uvl/"))) {
		t.Errorf("without the allow list:\n%s", b)
	}
	if strings.Contains(r.stderr, "allow list") {
		t.Errorf("stderr mentions an allow list: %s", r.stderr)
	}
}

// TestOrderAllowList decides an order whose purchaser is the reviewed look-alike, with `order` and
// `batch --orders`: clear, with a reason of kind allowed naming the row; held without the allow list. The
// recorded decision names the row in the audit trail.
func TestOrderAllowList(t *testing.T) {
	dir := cliAllowDir(t)
	files := t.TempDir()
	body := `{"id":"PO-2026-0701","date":"2026-07-01","destination":{"country":"GE"},"parties":[{"role":"purchaser","name":"Atlas Sanatgaran"}],"items":[{"eccn":"EAR99","description":"valves"}]}`
	file := cliWriteFile(t, files, "order.json", []byte(body))
	type reason struct {
		Kind    string `json:"kind"`
		Holds   bool   `json:"holds"`
		Message string `json:"message"`
		Allowed *struct {
			Row      string `json:"row"`
			Reviewer string `json:"reviewer"`
		} `json:"allowed"`
	}
	var d struct {
		Outcome string   `json:"outcome"`
		Reasons []reason `json:"reasons"`
	}
	r := cliRun(t, "order", "--json", "--list", cliSmallList, "--data-dir", dir, file)
	r.cliWant(t, 0)
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	if d.Outcome != "clear" || len(d.Reasons) != 1 || d.Reasons[0].Kind != "allowed" || d.Reasons[0].Holds || d.Reasons[0].Allowed == nil ||
		d.Reasons[0].Allowed.Row != "A-1" || d.Reasons[0].Allowed.Reviewer != "a.smith" {
		t.Fatalf("decision: %s", r.stdout)
	}
	r = cliRun(t, "order", "--list", cliSmallList, "--data-dir", dir, file)
	r.cliWant(t, 0)
	cliContainsAll(t, "order text", r.stdout, "PO-2026-0701 of 2026-07-01 to GE: CLEAR", "1. [note] purchaser \"Atlas Sanatgaran\" matches us_uvl entry",
		"allow-list row A-1): does not hold the order", "why: allowed: reviewed look-alike")
	// Without the allow list the same order is held.
	r = cliRun(t, "order", "--json", "--list", cliSmallList, "--data-dir", t.TempDir(), file)
	r.cliWant(t, 0)
	if !strings.Contains(r.stdout, `"outcome": "hold"`) || strings.Contains(r.stdout, `"allowed"`) {
		t.Fatalf("without the allow list: %s", r.stdout)
	}
	// --record: the audit record lists the allowed reason with its row.
	db := "--db=" + filepath.Join(files, "tradescreen.db")
	cliRun(t, "order", "--record", db, "--list", cliSmallList, "--data-dir", dir, file).cliWant(t, 0)
	r = cliRun(t, "audit", "export", "--action", "order.decide", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "audit export", r.stdout, `\"kind\":\"allowed\"`, `\"allowed\":\"A-1\"`, `\"outcome\":\"clear\"`)

	// batch --orders.
	orders := cliWriteFile(t, files, "orders.jsonl", []byte(body+"\n"))
	out := filepath.Join(files, "decisions.jsonl")
	r = cliRun(t, "batch", "--orders", orders, "-o", out, "--list", cliSmallList, "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "batch --orders", r.stderr, "1 orders screened", "0 held, 1 clear")
	var line struct {
		Decision struct {
			Outcome string   `json:"outcome"`
			Reasons []reason `json:"reasons"`
		} `json:"decision"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(cliReadFile(t, out)), &line); err != nil {
		t.Fatal(err)
	}
	if line.Decision.Outcome != "clear" || len(line.Decision.Reasons) != 1 || line.Decision.Reasons[0].Kind != "allowed" || line.Decision.Reasons[0].Allowed.Row != "A-1" {
		t.Fatalf("batch --orders: %s", cliReadFile(t, out))
	}
}

// TestMonitorAllowList runs monitoring with the allow list: the party it covers (by party id) gets its
// alert created closed as a false positive, naming the row and reviewer; a change of the party reopens it;
// the audit trail still verifies.
func TestMonitorAllowList(t *testing.T) {
	dir := cliAllowDir(t)
	db, file := storeSetup(t)
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)
	r := cliRun(t, "monitor", "run", "--list", cliSmallList, "--data-dir", dir, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "monitor run", r.stdout, "1 alerts created, 0 reopened, 1 created closed as false positives by the allow list",
		"1 closed by the allow list", "--verbose lists them here.")
	if strings.Contains(r.stdout, "  alert ") {
		t.Errorf("monitor run without --verbose prints alert lines:\n%s", r.stdout)
	}
	r = cliRun(t, "alerts", "list", "--json", db)
	r.cliWant(t, 0)
	var list struct {
		Alerts []struct {
			ID      int64  `json:"id"`
			PartyID string `json:"party_id"`
			Status  string `json:"status"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	var atlas int64
	for _, a := range list.Alerts {
		switch a.PartyID {
		case "C-2":
			atlas = a.ID
			if a.Status != "closed_false_positive" {
				t.Errorf("C-2 alert is %s", a.Status)
			}
		default:
			if a.Status != "open" {
				t.Errorf("%s alert is %s", a.PartyID, a.Status)
			}
		}
	}
	if atlas == 0 || len(list.Alerts) != 2 {
		t.Fatalf("alerts: %s", r.stdout)
	}
	id := strconv.FormatInt(atlas, 10)
	r = cliRun(t, "alerts", "show", id, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "alert show", r.stdout, "closed_false_positive", "customer C-2 is the Tbilisi company: registry extract on file; reviewed by b.jones on 2026-07-01; allow-list row A-2")

	// The party is renamed: the decision rested on its old data, so the alert is reopened.
	cliRun(t, "parties", "update", "C-2", "--name", "Atlas Sanatgaran LLC", "--reason", "legal name from the registry", db).cliWant(t, 0)
	r = cliRun(t, "monitor", "run", "--list", cliSmallList, "--data-dir", dir, "--verbose", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "monitor after the rename", r.stdout, "0 alerts created, 1 reopened", "alert "+id+" reopened", `party name: "Atlas Sanatgaran" -> "Atlas Sanatgaran LLC"`)
	r = cliRun(t, "alerts", "show", id, db)
	cliContainsAll(t, "reopened alert", r.stdout, "open", "its review predates the change")
	r = cliRun(t, "audit", "verify", db)
	r.cliWant(t, 0)
}

// TestPartiesImportRefusesText: a parties file with a NUL byte in a field is refused by the store with the
// field named, on SQLite and (when TRADESCREEN_TEST_POSTGRES_URL is set) on PostgreSQL alike, and nothing is
// stored.
func TestPartiesImportRefusesText(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"nul.csv":   "id,name,country\nC-8,Good Trading Ltd,GB\nC-9,Acme\x00 Trading Ltd,US\n",
		"nul.jsonl": `{"id":"C-8","name":"Good Trading Ltd"}` + "\n" + `{"id":"C-9","name":"Acme Trading","segment":"retail\u0000"}` + "\n",
	}
	want := map[string]string{"nul.csv": "party C-9: name: contains a NUL byte", "nul.jsonl": "party C-9: segment: contains a NUL byte"}
	dbs := map[string]string{"sqlite": "--db=" + filepath.Join(dir, "tradescreen.db")}
	if os.Getenv("TRADESCREEN_TEST_POSTGRES_URL") != "" || os.Getenv("TRADESCREEN_REQUIRE_POSTGRES") == "1" {
		dbs["postgres"] = "--db=" + clusterPostgres(t)
	}
	for name, db := range dbs {
		for f, body := range files {
			p := cliWriteFile(t, dir, f, []byte(body))
			r := cliRun(t, "parties", "import", p, db)
			r.cliWant(t, 1)
			cliContainsAll(t, name+" "+f, r.stderr, want[f])
			if strings.Contains(r.stderr, "internal error") {
				t.Errorf("%s %s: %s", name, f, r.stderr)
			}
		}
		r := cliRun(t, "parties", "list", "--all", db)
		r.cliWant(t, 0)
		cliContainsAll(t, name+" list", r.stdout, "0 of 0 parties")
	}
}
