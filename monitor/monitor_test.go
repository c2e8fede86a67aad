package monitor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
	_ "github.com/tradescreen/tradescreen/source/csl"
	"github.com/tradescreen/tradescreen/sqlite"
)

const (
	day1File = "../testdata/lists/csl/consolidated_2025-06_sample.csv"
	oldFile  = "../testdata/lists/csl/consolidated_2019-12_sample.csv"
)

var analyst = tradescreen.Actor{Name: "anna", Role: tradescreen.RoleAnalyst}

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db := sqlite.NewDB(":memory:")
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func load(t *testing.T, path string) *source.Dataset {
	t.Helper()
	ds, err := source.Open("csl", path)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func entryNamed(t *testing.T, ds *source.Dataset, name string) tradescreen.Entry {
	t.Helper()
	for _, e := range ds.Entries {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no entry %q", name)
	return tradescreen.Entry{}
}

func alertsOf(t *testing.T, db tradescreen.Store, party string) []*tradescreen.Alert {
	t.Helper()
	as, _, err := db.Alerts().FindAlerts(context.Background(), tradescreen.AlertFilter{PartyID: party})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestMonitor(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	// Real names: listed parties written the way a customer file has them, and real unlisted issuers.
	parties := []tradescreen.Party{
		{ID: "C-1", Name: "Rosneft Trade Ltd"},
		{ID: "C-2", Name: "Atlas Sanatgaran"},
		{ID: "C-3", Name: "MICROSOFT CORP", Country: "US"},
		{ID: "C-4", Name: "Apple Inc.", Country: "US"},
		{ID: "C-5", Name: "32 Group China Limited", Country: "CN"},
		{ID: "C-6", Name: "SME Bank"},
	}
	if _, err := db.Parties().ImportParties(ctx, analyst, "customers.csv", parties); err != nil {
		t.Fatal(err)
	}
	day1 := load(t, day1File)
	m := &monitor.Monitor{Store: db, Workers: 2}

	// First run: no list state, every party screened in full.
	rep, err := m.Run(ctx, screen.New(day1))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "full" || rep.Rescreened != 6 || rep.Created != 3 {
		t.Fatalf("first run: %+v", rep)
	}
	for _, id := range []string{"C-1", "C-2", "C-6"} {
		if len(alertsOf(t, db, id)) != 1 {
			t.Errorf("party %s: want one alert", id)
		}
	}
	for _, id := range []string{"C-3", "C-4", "C-5"} {
		if len(alertsOf(t, db, id)) != 0 {
			t.Errorf("party %s: want no alert", id)
		}
	}

	// Same lists, same parties: nothing to screen.
	rep, err = m.Run(ctx, screen.New(day1))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "incremental" || rep.Rescreened != 0 || rep.NewEntries+rep.ChangedEntries != 0 || rep.Created != 0 {
		t.Fatalf("second run: %+v", rep)
	}

	// The Rosneft alert is decided a false positive.
	rosneft := alertsOf(t, db, "C-1")[0]
	if _, err := db.Alerts().TransitionAlert(ctx, analyst, rosneft.ID, tradescreen.AlertClosedFalsePositive, "different company"); err != nil {
		t.Fatal(err)
	}

	// Next day: 32 Group China is listed (a real Entity List entry of an older file) and the Rosneft entry
	// gains an alias.
	day2 := &source.Dataset{Lists: day1.Lists, Entries: slices.Clone(day1.Entries)}
	day2.Entries = append(day2.Entries, entryNamed(t, load(t, oldFile), "32 Group China Ltd."))
	for i := range day2.Entries {
		if day2.Entries[i].Name == "ROSNEFT TRADE LIMITED" {
			e := &day2.Entries[i]
			e.Aliases = append(slices.Clone(e.Aliases), tradescreen.Name{Full: "ROSNEFT TRADING", Type: tradescreen.NameAKA})
		}
	}
	rep, err = m.Run(ctx, screen.New(day2))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "incremental" || rep.Rescreened != 0 || rep.NewEntries != 1 || rep.ChangedEntries != 1 || rep.Created != 1 || rep.Reopened != 1 {
		t.Fatalf("day 2: %+v", rep)
	}
	if as := alertsOf(t, db, "C-5"); len(as) != 1 || as[0].EntryName != "32 Group China Ltd." {
		t.Fatalf("32 Group alerts: %+v", as)
	}
	a, err := db.Alerts().FindAlertByID(ctx, rosneft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != tradescreen.AlertOpen || !strings.Contains(a.Transitions[len(a.Transitions)-1].Reason, "added name: ROSNEFT TRADING") {
		t.Fatalf("rosneft after the change: %+v", a)
	}

	// A party's data changes: it alone is screened in full.
	if _, err := db.Parties().UpdateParty(ctx, analyst, "C-4", tradescreen.PartyUpdate{Name: ptr("Academy of Aerospace Solid Propulsion Technology"), Reason: "new customer record"}); err != nil {
		t.Fatal(err)
	}
	rep, err = m.Run(ctx, screen.New(day2))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rescreened != 1 || rep.Created != 1 || rep.Changes[0].Alert.PartyID != "C-4" {
		t.Fatalf("party change: %+v", rep)
	}
	v, err := db.Audit().VerifyAudit(ctx)
	if err != nil || !v.OK {
		t.Fatalf("audit: %+v %v", v, err)
	}
	runs, err := db.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditMonitorRun})
	if err != nil || len(runs) != 4 {
		t.Fatalf("monitor.run events: %d %v", len(runs), err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestIncrementalFindsWhatFullFinds checks the shortcut against the full screening: after a list change, the
// alerts an incremental run raises on the new entries are those a full run over the same parties raises.
func TestIncrementalFindsWhatFullFinds(t *testing.T) {
	ctx := context.Background()
	old := load(t, oldFile)
	day1 := load(t, day1File)
	day2 := &source.Dataset{Lists: day1.Lists, Entries: slices.Clone(day1.Entries)}
	var parties []tradescreen.Party
	for i, e := range old.Entries {
		if i%2 == 0 {
			day2.Entries = append(day2.Entries, e) // listed on day 2
		}
		// Every entry of the old file is a party, half of them as written, half with a typo.
		name := e.Name
		if i%4 == 1 && len(name) > 8 {
			name = name[:4] + name[5:]
		}
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("P%03d", i), Name: name, Kind: e.Kind})
	}
	for i, n := range realNames(t)[:300] {
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("S%03d", i), Name: n})
	}
	alerts := func(db tradescreen.Store) map[string]bool {
		as, _, err := db.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, a := range as {
			out[a.PartyID+" "+a.Key()] = true
		}
		return out
	}
	inc := openStore(t)
	if _, err := inc.Parties().ImportParties(ctx, analyst, "t", slices.Clone(parties)); err != nil {
		t.Fatal(err)
	}
	m := &monitor.Monitor{Store: inc}
	if _, err := m.Run(ctx, screen.New(day1)); err != nil {
		t.Fatal(err)
	}
	before := alerts(inc)
	rep, err := m.Run(ctx, screen.New(day2))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "incremental" || rep.Rescreened != 0 || rep.NewEntries == 0 {
		t.Fatalf("incremental run: %+v", rep)
	}
	full := openStore(t)
	if _, err := full.Parties().ImportParties(ctx, analyst, "t", slices.Clone(parties)); err != nil {
		t.Fatal(err)
	}
	if _, err := (&monitor.Monitor{Store: full}).Run(ctx, screen.New(day2)); err != nil {
		t.Fatal(err)
	}
	got, want := alerts(inc), alerts(full)
	for k := range want {
		if !got[k] {
			t.Errorf("full screening raised %s, the incremental run did not", k)
		}
	}
	for k := range got {
		if !want[k] && !before[k] {
			t.Errorf("the incremental run raised %s, full screening did not", k)
		}
	}
	if rep.Created < 20 {
		t.Errorf("only %d alerts created for %d new entries", rep.Created, rep.NewEntries)
	}
	t.Logf("%d parties, %d new entries: %d candidates, %d alerts created; full run: %d alerts", len(parties), rep.NewEntries, rep.Candidates, rep.Created, len(want))
}
