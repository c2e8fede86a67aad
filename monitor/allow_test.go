package monitor_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
)

// TestMonitorAllowList: a match the allow list covers raises no open alert: it is created closed as a false
// positive by the system, the reason naming the allow-list row and reviewer; a change of the party reopens it.
func TestMonitorAllowList(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	parties := []tradescreen.Party{
		{ID: "C-1", Name: "Rosneft Trade Ltd"},
		{ID: "C-2", Name: "Atlas Sanatgaran"},
		{ID: "C-3", Name: "MICROSOFT CORP", Country: "US"},
	}
	if _, err := db.Parties().ImportParties(ctx, analyst, "customers.csv", parties); err != nil {
		t.Fatal(err)
	}
	s := screen.New(load(t, day1File))
	res, err := s.Screen(tradescreen.Query{Name: "Atlas Sanatgaran"})
	if err != nil || len(res.Matches) == 0 {
		t.Fatalf("Atlas Sanatgaran not listed: %v", err)
	}
	atlas := res.Matches[0].Source + "/" + res.Matches[0].SourceID
	rows, err := ownlist.ParseAllow([]byte("id,party_id,entry,reason,reviewed_by,reviewed_on\n"+
		"A-2,C-2,"+atlas+",customer C-2 is Atlas Sanatgaran LLC of Tbilisi (registry extract on file),b.jones,2026-07-01\n"), "allow.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := &monitor.Monitor{Store: db, Workers: 2, Allow: ownlist.NewAllowList(rows)}
	rep, err := m.Run(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 1 || rep.Allowed != 1 || rep.Hits != 2 {
		t.Fatalf("first run: %+v", rep)
	}
	open, _, err := db.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{Status: []tradescreen.AlertStatus{tradescreen.AlertOpen}})
	if err != nil || len(open) != 1 || open[0].PartyID != "C-1" {
		t.Fatalf("open alerts: %+v %v", open, err)
	}
	as := alertsOf(t, db, "C-2")
	if len(as) != 1 || as[0].Status != tradescreen.AlertClosedFalsePositive || as[0].Key() != atlas {
		t.Fatalf("C-2 alerts: %+v", as)
	}
	a, err := db.Alerts().FindAlertByID(ctx, as[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	last := a.Transitions[len(a.Transitions)-1]
	if len(a.Transitions) != 2 || last.Actor != tradescreen.System.Name || !last.IsDecision() ||
		!strings.Contains(last.Reason, "reviewed by b.jones on 2026-07-01; allow-list row A-2") {
		t.Fatalf("transitions: %+v", a.Transitions)
	}
	evs, err := db.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditScreen, Object: "party/C-2"})
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].Details, `"allowed":["`+atlas+`"]`) {
		t.Fatalf("screen audit of C-2: %+v %v", evs, err)
	}

	// Nothing changed: nothing raised. The party is renamed: the allowance (by party id) still covers it,
	// but the decision rested on the old data: reopened.
	if rep, err = m.Run(ctx, s); err != nil || rep.Created+rep.Allowed+rep.Reopened != 0 {
		t.Fatalf("second run: %+v %v", rep, err)
	}
	if _, err := db.Parties().UpdateParty(ctx, analyst, "C-2", tradescreen.PartyUpdate{Name: ptr("Atlas Sanatgaran LLC"), Reason: "legal name"}); err != nil {
		t.Fatal(err)
	}
	rep, err = m.Run(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reopened != 1 || rep.Allowed != 0 || len(rep.Changes) != 1 || rep.Changes[0].Action != "reopened" {
		t.Fatalf("after the rename: %+v", rep)
	}
	a, _ = db.Alerts().FindAlertByID(ctx, as[0].ID)
	last = a.Transitions[len(a.Transitions)-1]
	if a.Status != tradescreen.AlertOpen || !strings.Contains(last.Reason, `party name: "Atlas Sanatgaran" -> "Atlas Sanatgaran LLC"`) ||
		!strings.Contains(last.Reason, "allow-list row A-2") {
		t.Fatalf("reopened: %s %+v", a.Status, last)
	}
}
