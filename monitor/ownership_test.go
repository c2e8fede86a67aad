package monitor_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/snapshot"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/sqlite"
)

// TestMonitorOwnership runs monitoring with the ownership data over the embedded snapshot (without the 1260H
// list): Chengdu Dahua Wisdom is then not listed but owned 100 % by Zhejiang Dahua Technology (Entity List, 84 FR 54002), so under the
// BIS Affiliates Rule (in force 2025-09-29 .. 2025-11-09) it raises one alert on the owner's entry, once; in
// the suspension window nothing is raised.
func TestMonitorOwnership(t *testing.T) {
	ctx := context.Background()
	dss, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Chengdu Dahua Wisdom is also named itself, as Dahua's subsidiary, on the Section 1260H list; this test is
	// about the ownership rule, so it screens without that list.
	var lists []*source.Dataset
	for _, ds := range dss {
		keep := &source.Dataset{}
		for _, l := range ds.Lists {
			if l.Source != "us_1260h" {
				keep.Lists = append(keep.Lists, l)
			}
		}
		for _, e := range ds.Entries {
			if e.Source != "us_1260h" {
				keep.Entries = append(keep.Entries, e)
			}
		}
		lists = append(lists, keep)
	}
	s := screen.New(lists...)
	g, err := ownership.Open("../ownership/testdata/owners.csv")
	if err != nil {
		t.Fatal(err)
	}
	parties := []tradescreen.Party{
		{ID: "C-1", Name: "Chengdu Dahua Wisdom Information Technology Co., Ltd.", Country: "CN"},
		{ID: "C-2", Name: "Hangzhou Example Minority Co., Ltd.", Country: "CN"}, // 49.9 %: below
		{ID: "C-3", Name: "Apple Inc.", Country: "US"},
	}
	run := func(db *sqlite.DB, date string) *monitor.Report {
		t.Helper()
		m := &monitor.Monitor{Store: db, Workers: 2, Ownership: g, Date: date}
		rep, err := m.Run(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	db := openStore(t)
	if _, err := db.Parties().ImportParties(ctx, analyst, "customers.csv", parties); err != nil {
		t.Fatal(err)
	}
	rep := run(db, "2025-10-01")
	if rep.OwnershipDate != "2025-10-01" || rep.OwnershipHits != 1 || rep.Created != 1 {
		t.Fatalf("first run: %+v", rep)
	}
	as := alertsOf(t, db, "C-1")
	if len(as) != 1 {
		t.Fatalf("C-1 alerts: %+v", as)
	}
	a := as[0]
	data := strings.Join(a.EntryData, "\n")
	if a.Source != "us_el" || !strings.Contains(a.EntryName, "Dahua Technology") ||
		!strings.Contains(a.MatchedName, "owned 100 % by listed parties: Chengdu Dahua Wisdom") ||
		!strings.Contains(data, "ownership: rule bis_affiliates") ||
		!strings.Contains(data, "ownership: path Chengdu Dahua Wisdom Information Technology Co., Ltd. <- 100 % Zhejiang Dahua Technology") ||
		!strings.Contains(data, "ownership: licence ") {
		t.Errorf("alert: %+v", a)
	}
	if n := len(alertsOf(t, db, "C-2")) + len(alertsOf(t, db, "C-3")); n != 0 {
		t.Errorf("%d alerts for parties not owned 50 %%", n)
	}
	// The audit trail keeps the finding.
	evs, err := db.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditScreen, Object: "party/C-1"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		var d struct {
			Ownership []struct {
				Rule    string   `json:"rule"`
				Paths   []string `json:"paths"`
				Licence string   `json:"licence"`
			} `json:"ownership"`
		}
		if json.Unmarshal([]byte(e.Details), &d) == nil && len(d.Ownership) == 1 && d.Ownership[0].Rule == "bis_affiliates" &&
			len(d.Ownership[0].Paths) == 1 && d.Ownership[0].Licence != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit record of the ownership finding in %d events", len(evs))
	}

	// A second run raises no duplicate.
	rep = run(db, "2025-10-02")
	if rep.Created != 0 || rep.Reopened != 0 || rep.OwnershipHits != 1 {
		t.Errorf("second run: %+v", rep)
	}
	if as := alertsOf(t, db, "C-1"); len(as) != 1 || as[0].ID != a.ID {
		t.Errorf("alerts after the second run: %+v", as)
	}

	// In the suspension window the rule does not apply: nothing is raised.
	db2 := openStore(t)
	if _, err := db2.Parties().ImportParties(ctx, analyst, "customers.csv", parties); err != nil {
		t.Fatal(err)
	}
	rep = run(db2, "2025-12-01")
	if rep.OwnershipHits != 0 || rep.Created != 0 {
		t.Errorf("run in the suspension: %+v", rep)
	}

	// A bad date is refused before anything is screened.
	if _, err := (&monitor.Monitor{Store: db2, Ownership: g, Date: "1 Oct"}).Run(ctx, s); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("bad date: %v", err)
	}
}
