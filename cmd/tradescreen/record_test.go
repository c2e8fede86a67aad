package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordScreenings checks that check --record and batch --record append one audit event each, with the
// screened name, the channel, the lists and the matches, and that the trail still verifies.
func TestRecordScreenings(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ts.db")

	r := cliRun(t, "check", "--list", cliSmallList, "--record", "--db", db, "--as", "alice", "Atlas Sanatgaran")
	r.cliWant(t, 0)
	cliContainsAll(t, "check", r.stdout, "Atlas Sanatgaran")
	// Without --record nothing is written.
	cliRun(t, "check", "--list", cliSmallList, "--db", db, "Nobody Listed Here Ltd").cliWant(t, 0)

	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte("id,name\n1,Atlas Sanatgaran\n2,Nobody Listed Here Ltd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jsonl")
	r = cliRun(t, "batch", in, "-o", out, "--list", cliSmallList, "--record", "--db", db, "--as", "bob", "--progress", "never")
	r.cliWant(t, 0)

	r = cliRun(t, "audit", "export", "--format", "json", "--db", db)
	r.cliWant(t, 0)
	var events []struct {
		Actor, Action, Object, Details string
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var e struct {
			Actor, Action, Object, Details string
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		events = append(events, e)
	}
	// The check, the batch run, and the export itself (recorded before it is written).
	if len(events) != 3 || events[2].Action != "audit.export" {
		t.Fatalf("%d events, want 3 (one check, one batch, the export): %+v", len(events), events)
	}
	c, b := events[0], events[1]
	if c.Actor != "alice" || c.Action != "screen" || c.Object != "screening" {
		t.Errorf("check event: %+v", c)
	}
	cliContainsAll(t, "check details", c.Details, `"channel":"check"`, `"name":"Atlas Sanatgaran"`, `"matches":1`, `"source":"us_uvl"`, `"lists":"`)
	if b.Actor != "bob" || b.Action != "screen.batch" || b.Object != "batch/in.csv" {
		t.Errorf("batch event: %+v", b)
	}
	cliContainsAll(t, "batch details", b.Details, `"channel":"batch"`, `"rows":2`, `"with_matches":1`, `"status":"completed"`, `"sha256":"`)
	cliRun(t, "audit", "verify", "--db", db).cliWant(t, 0)

	// TRADESCREEN_RECORD=1 records without the flag; a store that cannot be opened fails the screening.
	var errb strings.Builder
	m := &Main{Stdin: strings.NewReader(""), Stdout: &strings.Builder{}, Stderr: &errb, Getenv: func(k string) string {
		switch k {
		case "TRADESCREEN_RECORD":
			return "1"
		case "TRADESCREEN_DB":
			return filepath.Join(dir, "missing-dir", "sub", "ts.db")
		}
		return ""
	}}
	if code := m.Run(t.Context(), []string{"check", "--list", cliSmallList, "Atlas Sanatgaran"}); code != 1 {
		t.Errorf("check with an unusable store: exit %d, want 1; stderr %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "tradescreen check: record: ") {
		t.Errorf("stderr does not say the screening could not be recorded: %s", errb.String())
	}
}
