package order_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/sqlite"
)

// ownedService is the screening service over the real 2022 CSL with the ownership test data (owners.csv:
// Zhejiang Dahua owns 100 % of Chengdu Dahua Wisdom and 49.9 % of a minority company; Dahua and Hikvision
// 25 % each of a joint venture), recording in rec when it is not nil. Its Decide decides orders with the
// order service over those lists.
func ownedService(t *testing.T, rec tradescreen.AuditAppender) *screening.Service {
	t.Helper()
	ownedOnce.Do(func() { ownedSc, ownedG, ownedErr = buildOwned() })
	if ownedErr != nil {
		t.Fatal(ownedErr)
	}
	s := screening.NewWith(screening.Config{Recorder: rec}, ownedSc)
	s.SetOwnership(ownedG, []string{"owners.csv"})
	return s
}

var (
	ownedOnce sync.Once
	ownedSc   *screen.Screener
	ownedG    *ownership.Graph
	ownedErr  error
)

func buildOwned() (*screen.Screener, *ownership.Graph, error) {
	ds, err := source.Open("csl", "../testdata/lists/csl/consolidated_2022-05-16.csv.gz")
	if err != nil {
		return nil, nil, err
	}
	g, err := ownership.Open("../ownership/testdata/owners.csv")
	if err != nil {
		return nil, nil, err
	}
	return screen.New(ds), g, nil
}

func ownedOrder(date, endUser string) *order.Order {
	return &order.Order{ID: "PO-OWN", Date: date, Destination: order.Destination{Country: "CN"},
		Parties: []order.Party{{Role: "purchaser", Name: "Lakeside Optics Trading GmbH", Country: "DE"},
			{Role: "end user", Name: endUser, Country: "CN"}},
		Items: []licence.Item{{ECCN: "EAR99"}}}
}

func TestOrderOwnership(t *testing.T) {
	svc := ownedService(t, nil)
	ctx := context.Background()
	const chengdu = "Chengdu Dahua Wisdom Information Technology Co., Ltd."
	cases := []struct {
		date, party, outcome string
		holds                bool
		want                 []string
	}{
		// Inside the BIS Affiliates Rule's first period: owned 100 % by an Entity List party.
		{"2025-10-01", chengdu, order.Hold, true, []string{"owned 50 % or more by listed parties (100 %", "BIS Affiliates Rule (bis_affiliates, in force 2025-09-29 .. 2025-11-09",
			"<- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54002", "licence: For all items subject to the EAR", "presumption of denial"}},
		// The rule is suspended from 2025-11-10: a note, not a hold.
		{"2026-01-15", chengdu, order.Clear, false, []string{"suspended on 2026-01-15", "bis_affiliates, suspended"}},
		// Two listed owners of 25 % each: 50 % in the aggregate.
		{"2025-10-01", "Shenzhen Example Joint Venture Co., Ltd.", order.Hold, true, []string{"(50 %, in the aggregate)", "Hangzhou Hikvision"}},
		// 49.9 %: below the threshold, a red flag.
		{"2025-10-01", "Hangzhou Example Minority Co., Ltd.", order.Clear, false, []string{"below the 50 % threshold"}},
	}
	for _, c := range cases {
		d, err := svc.Decide(ctx, tradescreenActor, ownedOrder(c.date, c.party))
		if err != nil {
			t.Fatal(err)
		}
		r := find(d, order.ReasonOwnership)
		if r == nil {
			t.Errorf("%s %s: no ownership reason: %+v", c.date, c.party, d.Reasons)
			continue
		}
		if d.Outcome != c.outcome || r.Holds != c.holds || r.Party != 1 || r.Role != order.RoleEndUser || r.Ownership == nil {
			t.Errorf("%s %s: outcome %s, reason %+v", c.date, c.party, d.Outcome, r)
		}
		for _, w := range c.want {
			if !strings.Contains(r.Message, w) {
				t.Errorf("%s %s: message lacks %q:\n%s", c.date, c.party, w, r.Message)
			}
		}
		if !strings.Contains(strings.Join(d.Notes, "\n"), "ownership (50 % rules) screened on the order date against owners.csv") {
			t.Errorf("notes %v", d.Notes)
		}
	}
	// Before the Affiliates Rule, a subsidiary of an Entity List party is not restricted by ownership.
	d, err := svc.Decide(ctx, tradescreenActor, ownedOrder("2022-06-01", chengdu))
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != order.Clear || find(d, order.ReasonOwnership) != nil {
		t.Errorf("2022: %s %+v", d.Outcome, d.Reasons)
	}
}

// The decision is appended to a real SQLite audit trail, which still verifies.
func TestOrderAuditRecorder(t *testing.T) {
	ctx := context.Background()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "t.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := ownedService(t, db.Audit())
	if _, err := svc.Decide(ctx, tradescreenActor, ownedOrder("2025-10-01", "Chengdu Dahua Wisdom Information Technology Co., Ltd.")); err != nil {
		t.Fatal(err)
	}
	evs, err := db.Audit().FindAuditEvents(ctx, auditFilter)
	if err != nil || len(evs) != 1 {
		t.Fatalf("%v %d events", err, len(evs))
	}
	e := evs[0]
	var rec order.AuditRecord
	if err := json.Unmarshal([]byte(e.Details), &rec); err != nil {
		t.Fatal(err)
	}
	if e.Action != "order.decide" || e.Object != "order/PO-OWN" || e.Actor != "cli:test" || rec.Outcome != order.Hold || rec.OrderID != "PO-OWN" ||
		rec.Holds != 1 || len(rec.Reasons) < 1 || rec.Reasons[0].Kind != order.ReasonOwnership || rec.Reasons[0].Rule != "bis_affiliates" {
		t.Errorf("event %+v\nrecord %+v", e, rec)
	}
	v, err := db.Audit().VerifyAudit(ctx)
	if err != nil || !v.OK || v.Events != 1 {
		t.Errorf("verify %v %+v", err, v)
	}
}

var (
	tradescreenActor = tradescreen.Actor{Name: "cli:test", Role: tradescreen.RoleAdmin}
	auditFilter      = tradescreen.AuditFilter{Action: order.AuditAction}
)

// TestOrderOwnershipUSParty: the BIS Affiliates Rule reaches foreign entities only, so a US subsidiary of an
// Entity List party (Dahua Technology USA Inc., owned 100 % by Zhejiang Dahua) is not held by it; the
// decision still says, as a note, that the rule was not applied and why.
func TestOrderOwnershipUSParty(t *testing.T) {
	ownedOnce.Do(func() { ownedSc, ownedG, ownedErr = buildOwned() })
	if ownedErr != nil {
		t.Fatal(ownedErr)
	}
	g, err := ownership.ReadCSV(strings.NewReader("owner,owned,percentage,owner_id,owned_id,owned_country\n"+
		"\"Zhejiang Dahua Technology Co., Ltd.\",Dahua Technology USA Inc.,100,,,US\n"), "us.csv")
	if err != nil {
		t.Fatal(err)
	}
	svc := screening.NewWith(screening.Config{}, ownedSc)
	svc.SetOwnership(g, []string{"us.csv"})
	o := ownedOrder("2025-10-01", "Dahua Technology USA Inc.")
	o.Parties[1].Country = "US"
	d, err := svc.Decide(context.Background(), tradescreenActor, o)
	if err != nil {
		t.Fatal(err)
	}
	r := find(d, order.ReasonOwnership)
	if r == nil || r.Holds || r.Ownership == nil || r.Ownership.Result != ownership.NotApplied || r.Ownership.Applies {
		t.Fatalf("outcome %s, reason %+v", d.Outcome, r)
	}
	for _, w := range []string{"Dahua Technology USA Inc.", "not applied: the BIS Affiliates Rule reaches foreign entities only",
		"places Dahua Technology USA Inc. in the US", "had it applied: owned 50 % or more", "licence: none from this rule"} {
		if !strings.Contains(r.Message, w) {
			t.Errorf("message lacks %q:\n%s", w, r.Message)
		}
	}
	for _, x := range d.Reasons {
		if x.Kind == order.ReasonOwnership && x.Holds {
			t.Errorf("an ownership reason holds: %+v", x)
		}
	}
}
