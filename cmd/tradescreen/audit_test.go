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
	if recs[len(recs)-1][7] != head {
		t.Errorf("last exported hash %s, head %s", recs[len(recs)-1][7], head)
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
