package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/sqlite"
)

func TestAuditCommand(t *testing.T) {
	db, file := storeSetup(t)
	ids := storeAlerts(t, db, file)
	_ = ids
	r := cliRun(t, "audit", "verify", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "verify", r.stdout, "audit trail intact: ")
	head := strings.TrimSpace(r.stdout[strings.LastIndex(r.stdout, "head ")+5:])

	out := filepath.Join(t.TempDir(), "audit.csv")
	r = cliRun(t, "audit", "export", "--format", "csv", "-o", out, "--from", "2000-01-01", db)
	r.cliWant(t, 0)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "seq,at,actor,action,object,details,prev_hash,hash" {
		t.Fatalf("header: %v", recs[0])
	}
	var actions []string
	for _, rec := range recs[1:] {
		actions = append(actions, rec[3])
	}
	got := strings.Join(actions, " ")
	for _, w := range []string{"party.import", "alert.create", "screen", "lists.load", "monitor.run"} {
		if !strings.Contains(got, w) {
			t.Errorf("export lacks %s: %s", w, got)
		}
	}
	// The export records itself first: its record follows the head verify printed.
	if last := recs[len(recs)-1]; last[3] != "audit.export" || recs[len(recs)-2][7] != head || last[6] != head {
		t.Errorf("last exported records %v %v, head %s", recs[len(recs)-2], last, head)
	}
	r = cliRun(t, "audit", "export", "--format", "json", "--to", "2000-01-01", db)
	r.cliWant(t, 0)
	if r.stdout != "" {
		t.Errorf("export before 2000: %q", r.stdout)
	}
	r = cliRun(t, "audit", "export", "--action", "monitor.run", db)
	cliContainsAll(t, "json export", r.stdout, `"action":"monitor.run"`, `"prev_hash":`)
	cliRun(t, "audit", "export", "--format", "xml", db).cliWant(t, 2)

	// Retention: forever by default; a change is audited; prune deletes nothing younger.
	r = cliRun(t, "audit", "retention", db)
	cliContainsAll(t, "retention", r.stdout, "forever")
	cliRun(t, "audit", "retention", "7y", db).cliWant(t, 0)
	r = cliRun(t, "audit", "prune", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "prune", r.stdout, "0 audit records deleted")
	r = cliRun(t, "audit", "verify", "--head", head, db)
	r.cliWant(t, 0)

	// Tampering with a record is detected.
	path := strings.TrimPrefix(db, "--db=")
	sdb := sqlite.NewDB(path)
	if err := sdb.Open(); err != nil {
		t.Fatal(err)
	}
	if err := sdb.Exec(context.Background(), `UPDATE audit_events SET actor = 'someone else' WHERE action = 'alert.create'`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	r = cliRun(t, "audit", "verify", db)
	r.cliWant(t, 1)
	cliContainsAll(t, "tampered", r.stdout, "AUDIT TRAIL BROKEN at record", "was edited")
}

// TestAuditExportRoleAndFormulas: the CLI's audit export asks the role GET /v1/audit/export asks (approver)
// and records the export in the trail, as the API does; the CSV it writes shows a field a spreadsheet would
// read as a formula (an actor named by --as) as text.
func TestAuditExportRoleAndFormulas(t *testing.T) {
	db, file := storeSetup(t)
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)
	keys := map[string]string{}
	for _, role := range []string{"viewer", "analyst", "approver"} {
		r := cliRun(t, "users", "add", "u-"+role, "--role", role, db)
		r.cliWant(t, 0)
		keys[role] = strings.TrimSpace(r.stdout[strings.LastIndex(strings.TrimSpace(r.stdout), "\n")+1:])
	}
	for _, role := range []string{"viewer", "analyst"} {
		r := cliRun(t, "audit", "export", "--api-key", keys[role], db)
		r.cliWant(t, 1)
		cliContainsAll(t, role, r.stderr, "u-"+role+" ("+role+") may not export the audit trail", "approver role")
		if strings.Contains(r.stdout, `"action"`) {
			t.Errorf("%s's refused export wrote records: %.300s", role, r.stdout)
		}
	}
	r := cliRun(t, "audit", "export", "--action", "audit.export", "--api-key", keys["approver"], db)
	r.cliWant(t, 0)
	if n := strings.Count(r.stdout, `"action":"audit.export"`); n != 1 || !strings.Contains(r.stdout, `"actor":"u-approver"`) {
		t.Errorf("the approver's export is not recorded once: %s", r.stdout)
	}

	const formula = `=HYPERLINK("http://evil.example","click")`
	out := filepath.Join(t.TempDir(), "audit.csv")
	cliRun(t, "audit", "export", "--format", "csv", "-o", out, "--as", formula, db).cliWant(t, 0)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	if last[2] != "'"+formula || last[3] != "audit.export" {
		t.Errorf("the export's own record: %q", last)
	}
	for _, rec := range recs {
		for _, f := range rec {
			if strings.HasPrefix(f, "=") {
				t.Errorf("a field a spreadsheet evaluates: %q", f)
			}
		}
	}
	cliRun(t, "audit", "verify", db).cliWant(t, 0)
}

// TestComparePairsFormulas: tradescreen compare --pairs writes names back; one that a spreadsheet would read
// as a formula is written as text.
func TestComparePairsFormulas(t *testing.T) {
	pairs := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(pairs, []byte("name1,name2\n\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Dahua\"\")\",Dahua Technology\n@SUM(A1),Zhejiang Dahua Technology Co. Ltd.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cliRun(t, "compare", "--pairs", pairs)
	r.cliWant(t, 0)
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("output %q: %v", r.stdout, err)
	}
	if recs[1][0] != `'=HYPERLINK("http://evil.example","Dahua")` || recs[2][0] != "'@SUM(A1)" {
		t.Errorf("names written back: %q %q", recs[1][0], recs[2][0])
	}
}
