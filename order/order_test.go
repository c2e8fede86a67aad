package order_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/snapshot"
)

var (
	once  sync.Once
	svc   *order.Service
	names *screening.Service
	sc    *screen.Screener
)

// load indexes the embedded snapshot (CSL 2022-05-16, UN, UK) once: the order service over it and the
// screening service that screens the parties' names on it.
func load(t *testing.T) {
	t.Helper()
	once.Do(func() {
		ds, err := snapshot.Load()
		if err != nil {
			t.Fatal(err)
		}
		sc = screen.New(ds...)
		svc = order.New(sc)
		names = screening.NewWith(screening.Config{}, sc)
	})
	if svc == nil {
		t.Fatal("no service")
	}
}

// decide decides o on the embedded snapshot, the names screened by the screening service.
func decide(t *testing.T, o *order.Order) (*order.Decision, error) {
	t.Helper()
	load(t)
	return svc.Decide(context.Background(), names, o)
}

func find(d *order.Decision, kind string) *order.Reason {
	for i := range d.Reasons {
		if d.Reasons[i].Kind == kind {
			return &d.Reasons[i]
		}
	}
	return nil
}

// TestHikvisionAddressUnderAnotherName is the acceptance case.
func TestHikvisionAddressUnderAnotherName(t *testing.T) {
	o := &order.Order{ID: "PO-1", Date: "2022-06-01",
		Destination: order.Destination{Country: "CN", Address: "No. 555 Qianmo Road, Binjiang District, Hangzhou 310052"},
		Parties: []order.Party{
			{Role: "purchaser", Name: "Lakeside Optics Trading GmbH", Country: "DE", Address: "Hafenstrasse 12, 20457 Hamburg, Germany"},
			{Role: "ultimate consignee", Name: "Zhejiang Bright Future Electronics Co., Ltd.", Country: "CN",
				Address: "555 Qianmo Rd, Binjiang District, Hangzhou, Zhejiang 310052, China"},
		},
		Items: []licence.Item{{ECCN: "EAR99", Description: "power supplies"}},
	}
	d, err := decide(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != order.Hold {
		t.Fatalf("outcome %s: %+v", d.Outcome, d.Reasons)
	}
	var addr *order.Reason
	for i := range d.Reasons {
		r := &d.Reasons[i]
		if r.Kind == order.ReasonListedAddr && r.Entry.Source == "us_el" && strings.Contains(r.Entry.Name, "Hikvision") && r.Party == 1 {
			addr = r
		}
		if r.Kind == order.ReasonListedParty && r.Party == 0 {
			t.Errorf("the clean purchaser matched: %s", r.Message)
		}
	}
	if addr == nil {
		t.Fatalf("no address reason naming Hikvision: %+v", d.Reasons)
	}
	// The embedded Entity List is the law's text of 2026-07-09: the requirement is read; the review policy is
	// the 2022 list's when it vouches for the same entry, else said to be not stated.
	if addr.Licence == nil || !strings.HasPrefix(addr.Licence.Summary, "licence required for all items subject to the EAR") ||
		!strings.Contains(addr.Licence.Summary, "presumption of denial") && !strings.Contains(addr.Licence.Summary, "review policy not stated") {
		t.Fatalf("licence %+v", addr.Licence)
	}
	if addr.Entry.Published == "" || len(addr.Entry.FederalRegister) == 0 {
		t.Errorf("entry ref %+v", addr.Entry)
	}
	if !strings.Contains(strings.Join(addr.Explanation, "; "), "street number 555 = 555") {
		t.Errorf("explanation %v", addr.Explanation)
	}
	if find(d, order.ReasonCountryGroup) == nil {
		t.Errorf("no D:5 note for CN")
	}
}

// TestListedEndUser: a clean purchaser and a listed end user hold, naming the end user's entry.
func TestListedEndUser(t *testing.T) {
	o := &order.Order{Date: "2022-06-01", Destination: order.Destination{Country: "RU"},
		Parties: []order.Party{
			{Role: "purchaser", Name: "Nordic Instruments AB", Country: "SE"},
			{Role: "end_user", Name: "Admiralty Shipyard JSC", Country: "RU"},
		},
		Items: []licence.Item{{ECCN: "5A002", Description: "encryption modules"}},
	}
	d, err := decide(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != order.Hold {
		t.Fatalf("outcome %s", d.Outcome)
	}
	r := find(d, order.ReasonListedParty)
	if r == nil || r.Party != 1 || r.Role != "end_user" || !strings.Contains(r.Entry.Name, "Admiralty Shipyard") || r.Entry.Source != "us_el" {
		t.Fatalf("reason %+v", r)
	}
	if r.Licence == nil || !strings.Contains(r.Licence.Summary, "policy of denial") && !strings.Contains(r.Licence.Summary, "review policy not stated") ||
		len(r.Licence.Footnotes) == 0 {
		t.Errorf("licence %+v", r.Licence)
	}
	for _, x := range d.Reasons {
		if x.Party == 0 && x.Kind == order.ReasonListedParty {
			t.Errorf("purchaser matched: %s", x.Message)
		}
	}
}

// TestClearOrder: no listed party, address or embargoed destination.
func TestClearOrder(t *testing.T) {
	o := &order.Order{Date: "2022-06-01", Destination: order.Destination{Country: "DE", Address: "Hafenstrasse 12, 20457 Hamburg"},
		Parties: []order.Party{{Role: "purchaser", Name: "Lakeside Optics Trading GmbH", Country: "DE"}},
		Items:   []licence.Item{{ECCN: "EAR99"}},
	}
	d, err := decide(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != order.Clear || len(d.Reasons) != 0 {
		t.Fatalf("outcome %s %+v", d.Outcome, d.Reasons)
	}
}

// TestDestinationDates: Syria before and after EO 14312; Crimea detected from the consignee's address.
func TestDestinationDates(t *testing.T) {
	mk := func(date, country, addr string) *order.Order {
		return &order.Order{Date: date, Destination: order.Destination{Country: country},
			Parties: []order.Party{{Role: "ultimate_consignee", Name: "Lakeside Optics Trading", Address: addr}},
			Items:   []licence.Item{{ECCN: "EAR99"}}}
	}
	d, _ := decide(t, mk("2025-06-30", "SY", ""))
	before := 0
	for _, r := range d.Reasons {
		if r.Rule != nil && r.Rule.ID == "sy-ofac" {
			before++
		}
	}
	d2, _ := decide(t, mk("2025-07-01", "SY", ""))
	for _, r := range d2.Reasons {
		if r.Rule != nil && r.Rule.ID == "sy-ofac" {
			t.Errorf("OFAC Syria program applied after EO 14312")
		}
	}
	if before != 1 || d.Outcome != order.Hold || d2.Outcome != order.Hold {
		t.Errorf("Syria: %d, %s, %s", before, d.Outcome, d2.Outcome)
	}
	d3, err := decide(t, mk("2022-06-01", "UA", "ul. Kirova 10, Simferopol"))
	if err != nil {
		t.Fatal(err)
	}
	if r := find(d3, order.ReasonRegion); r == nil || r.Rule.Region != "crimea" || d3.Outcome != order.Hold {
		t.Errorf("Crimea: %+v", d3.Reasons)
	}
}

func TestValidate(t *testing.T) {
	base := func() *order.Order {
		return &order.Order{Date: "2022-06-01", Destination: order.Destination{Country: "DE"},
			Parties: []order.Party{{Role: "purchaser", Name: "X"}}, Items: []licence.Item{{ECCN: "ear99"}}}
	}
	for _, c := range []struct {
		mut  func(o *order.Order)
		want string
	}{
		{func(o *order.Order) { o.Date = "2022-13-01" }, "date"},
		{func(o *order.Order) { o.Destination.Country = "Atlantis" }, "destination.country"},
		{func(o *order.Order) { o.Parties[0].Role = "buyer" }, "parties[0].role"},
		{func(o *order.Order) { o.Items[0].ECCN = "5X002" }, "items[0].eccn"},
		{func(o *order.Order) { o.Items = nil }, "items"},
	} {
		o := base()
		c.mut(o)
		err := order.Validate(o)
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID || !strings.HasPrefix(tradescreen.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v", c.want, err)
		}
	}
	o := base()
	if err := order.Validate(o); err != nil || o.Items[0].ECCN != "EAR99" {
		t.Errorf("%v %+v", err, o.Items)
	}
}
