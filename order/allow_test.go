package order_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screening"
)

// fixedAllow is an allow list given as it is, the way the screening service takes one from a data directory.
type fixedAllow struct{ al *ownlist.AllowList }

func (f fixedAllow) AllowList() (*ownlist.AllowList, string, error) {
	return f.al, "test allow list", nil
}

// lookAlikeOrder is an order whose purchaser bears a listed company's short name.
func lookAlikeOrder() *order.Order {
	return &order.Order{ID: "PO-77", Date: "2022-06-01", Destination: order.Destination{Country: "DE"},
		Parties: []order.Party{{Role: "purchaser", Name: "Hikvision", Country: "DE"}},
		Items:   []licence.Item{{ECCN: "EAR99", Description: "cable ties"}}}
}

// TestDecideAllowList: an allowed pairing does not hold the order on its own; it is listed as a reason of
// kind allowed with the allow-list row, and the pairings it does not cover still hold.
func TestDecideAllowList(t *testing.T) {
	load(t)
	ctx := context.Background()
	// withAllow screens the names on the same lists with the allow list al.
	withAllow := func(al *ownlist.AllowList) order.Names {
		return screening.NewWith(screening.Config{Allow: fixedAllow{al}}, sc)
	}
	d, err := svc.Decide(ctx, names, lookAlikeOrder())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range d.Reasons {
		if r.Kind == order.ReasonListedParty {
			keys = append(keys, r.Entry.Source+"/"+r.Entry.SourceID)
		}
	}
	if d.Outcome != order.Hold || len(keys) < 2 {
		t.Fatalf("without an allow list: %s, %d listed-party reasons", d.Outcome, len(keys))
	}
	allow := func(keys ...string) *ownlist.AllowList {
		csv := "id,name,entry,reason,reviewed_by,reviewed_on\n"
		for i, k := range keys {
			csv += fmt.Sprintf("A-%d,Hikvision,%s,our distributor Hikvision GmbH of Düsseldorf is not the Hangzhou company,a.smith,2026-06-30\n", i+1, k)
		}
		rows, err := ownlist.ParseAllow([]byte(csv), "allow.csv")
		if err != nil {
			t.Fatal(err)
		}
		return ownlist.NewAllowList(rows)
	}

	// One pairing reviewed: it is noted, the others hold.
	d1, err := svc.Decide(ctx, withAllow(allow(keys[0])), lookAlikeOrder())
	if err != nil {
		t.Fatal(err)
	}
	if d1.Outcome != order.Hold || len(d1.Reasons) != len(d.Reasons) {
		t.Fatalf("one allowed: %s with %d reasons, want hold with %d", d1.Outcome, len(d1.Reasons), len(d.Reasons))
	}
	a := find(d1, order.ReasonAllowed)
	if a == nil || a.Holds || a.Entry.Source+"/"+a.Entry.SourceID != keys[0] || a.Allowed == nil || a.Allowed.Row != "A-1" ||
		a.Allowed.Reviewer != "a.smith" || a.Allowed.Date != "2026-06-30" || a.Licence != nil || a.Score == 0 ||
		!strings.Contains(a.Message, "allow-list row A-1") || !strings.Contains(a.Message, "does not hold the order") ||
		len(a.Explanation) < 2 || !strings.HasPrefix(a.Explanation[1], ownlist.AllowedPrefix) {
		t.Fatalf("allowed reason: %+v", a)
	}
	// Every pairing reviewed: clear, every one still listed.
	d2, err := svc.Decide(ctx, withAllow(allow(keys...)), lookAlikeOrder())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range d2.Reasons {
		if r.Kind == order.ReasonAllowed {
			n++
		}
		if r.Holds {
			t.Errorf("reason holds: %+v", r)
		}
	}
	if d2.Outcome != order.Clear || n != len(keys) {
		t.Fatalf("all allowed: %s, %d allowed reasons of %d", d2.Outcome, n, len(keys))
	}
	// The audit record names the allow-list rows.
	rec := order.Record(lookAlikeOrder(), d2)
	if rec.Outcome != order.Clear || rec.Holds != 0 || rec.Reasons[0].Kind != order.ReasonAllowed || rec.Reasons[0].Allowed != "A-1" {
		t.Fatalf("audit record: %+v", rec)
	}
	// Another name is another pairing; and the screening service without an allow list applies none.
	o := lookAlikeOrder()
	o.Parties[0].Name = "Hik Vision Digital"
	if d3, err := svc.Decide(ctx, withAllow(allow(keys...)), o); err != nil || find(d3, order.ReasonAllowed) != nil {
		t.Fatalf("other name: %v %+v", err, d3)
	}
	if d4, err := svc.Decide(ctx, names, lookAlikeOrder()); err != nil || d4.Outcome != order.Hold || find(d4, order.ReasonAllowed) != nil {
		t.Fatalf("base service after WithAllow: %v %+v", err, d4)
	}
}
