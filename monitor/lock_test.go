package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/sqlite"
)

// TestRunLocked runs monitoring under the store's "monitor" lock: a second run on the same database file
// (another handle, as another process has) is refused while the first holds it, and goes ahead afterwards.
func TestRunLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tradescreen.db")
	open := func() *sqlite.DB {
		db := sqlite.NewDB(path)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	if _, err := a.Parties().ImportParties(ctx, analyst, "t", []tradescreen.Party{{ID: "C-1", Name: "Rosneft Trade Ltd"}}); err != nil {
		t.Fatal(err)
	}
	s := screen.New(load(t, day1File))
	held, err := a.Locks().TryLock(ctx, monitor.LockName)
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&monitor.Monitor{Store: b}).RunLocked(ctx, s, false)
	if tradescreen.ErrorCode(err) != tradescreen.ECONFLICT {
		t.Fatalf("run while the lock is held: %v, want a conflict", err)
	}
	// A waiting run starts once the lock is released.
	done := make(chan error, 1)
	var rep *monitor.Report
	go func() {
		var err error
		rep, err = (&monitor.Monitor{Store: b}).RunLocked(ctx, s, true)
		done <- err
	}()
	if err := held.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "full" || rep.Created != 1 {
		t.Fatalf("report: %+v", rep)
	}
	// The lock was released by the run.
	l, err := a.Locks().TryLock(ctx, monitor.LockName)
	if err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	// Nothing changed since: with SkipUnchanged the run does nothing and records nothing.
	rep, err = (&monitor.Monitor{Store: a, SkipUnchanged: true}).RunLocked(ctx, s, false)
	if err != nil || rep.Mode != "unchanged" {
		t.Fatalf("unchanged run: %+v %v", rep, err)
	}
	runs, err := a.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditMonitorRun})
	if err != nil || len(runs) != 1 {
		t.Fatalf("monitor.run records: %d %v", len(runs), err)
	}
}

// TestInterruptedRun stops a run part way through storing its alerts (as kill -9 would, between two
// parties' transactions), then runs again: the alerts are those of an uninterrupted run, none twice.
func TestInterruptedRun(t *testing.T) {
	ctx := context.Background()
	old := load(t, oldFile)
	var parties []tradescreen.Party
	for i, e := range old.Entries {
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("P%03d", i), Name: e.Name, Kind: e.Kind})
	}
	for i, n := range realNames(t)[:200] {
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("S%03d", i), Name: n})
	}
	s := screen.New(old)
	keys := func(db tradescreen.Store) map[string]int {
		as, _, err := db.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, a := range as {
			out[a.PartyID+" "+a.Key()]++
		}
		return out
	}

	clean := openStore(t)
	if _, err := clean.Parties().ImportParties(ctx, analyst, "t", slices.Clone(parties)); err != nil {
		t.Fatal(err)
	}
	if _, err := (&monitor.Monitor{Store: clean}).Run(ctx, s); err != nil {
		t.Fatal(err)
	}
	want := keys(clean)

	db := openStore(t)
	if _, err := db.Parties().ImportParties(ctx, analyst, "t", slices.Clone(parties)); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	var seen []monitor.Progress
	m := &monitor.Monitor{Store: db, ProgressEvery: 10, Progress: func(p monitor.Progress) {
		seen = append(seen, p)
		if p.Phase == "store" && p.Done == 20 {
			cancel()
		}
	}}
	if _, err := m.Run(rctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	partial := keys(db)
	if len(partial) == 0 || len(partial) >= len(want) {
		t.Fatalf("%d alerts stored before the interruption, of %d", len(partial), len(want))
	}
	if seen[0].Phase != "screen" || seen[0].Done != 10 || seen[0].Total != len(parties) {
		t.Fatalf("first progress: %+v", seen[0])
	}
	rep, err := (&monitor.Monitor{Store: db}).Run(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "full" || rep.Created != len(want)-len(partial) {
		t.Fatalf("second run: %+v; want the %d alerts not stored before", rep, len(want)-len(partial))
	}
	got := keys(db)
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s: %d alerts", k, n)
		}
		if want[k] == 0 {
			t.Errorf("%s raised, not by an uninterrupted run", k)
		}
	}
	for k := range want {
		if got[k] == 0 {
			t.Errorf("%s lost", k)
		}
	}
	creates, err := db.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditAlertCreate})
	if err != nil || len(creates) != len(want) {
		t.Fatalf("alert.create records: %d, want %d (%v)", len(creates), len(want), err)
	}
	if v, err := db.Audit().VerifyAudit(ctx); err != nil || !v.OK {
		t.Fatalf("audit: %+v %v", v, err)
	}
}
