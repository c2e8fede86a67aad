package order_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/order"
)

// rulesOrder is an order dated 2026-12-01 by a clean purchaser to country, of one item.
func rulesOrder(country string, it licence.Item) *order.Order {
	return &order.Order{ID: "PO-R", Date: "2026-12-01", Destination: order.Destination{Country: country},
		Parties: []order.Party{{Role: "purchaser", Name: "Lakeside Optics Trading GmbH", Country: "DE"}},
		Items:   []licence.Item{it}}
}

func reasonsOf(d *order.Decision, kind string) []order.Reason {
	var out []order.Reason
	for _, r := range d.Reasons {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// TestLicenceByDestination is the acceptance: orders dated 2026-12-01 answered from the EAR as it
// stands, with the real embedded lists.
func TestLicenceByDestination(t *testing.T) {
	laptops := licence.Item{ECCN: "EAR99", HTS: "8471.30", Description: "laptops"}
	chips := licence.Item{ECCN: "3A001", Description: "microwave transistors"}
	cases := []struct {
		name, country string
		item          licence.Item
		outcome       string
		// kind and words are a reason that must be there (holds says whether it holds).
		kind  string
		holds bool
		words []string
	}{
		{"EAR99 laptops to Russia", "RU", laptops, order.Hold, order.ReasonLicenceRule, true,
			[]string{"licence required for items[0] EAR99 (HTS 847130)", "15 CFR 746.8(a)(5)", "Supplement No. 4 to Part 746"}},
		{"EAR99 laptops to Belarus", "BY", laptops, order.Hold, order.ReasonLicenceRule, true,
			[]string{"licence required for items[0] EAR99 (HTS 847130)", "15 CFR 746.8(a)(5)"}},
		{"EAR99 to Syria under SPP", "SY", laptops, order.Clear, order.ReasonLicenceRule, false,
			[]string{"authorized by License Exception SPP", "§ 740.5", "end-use controls (Part 744) were not checked"}},
		{"3A001 to China", "CN", chips, order.Hold, order.ReasonChart, true,
			[]string{"licence required for NS (NS2)", "Commerce Country Chart row CN"}},
		{"3A001 to Canada", "CA", chips, order.Clear, order.ReasonChart, false,
			[]string{"no licence required by the chart", "column not marked for CA"}},
		{"EAR99 to Germany", "DE", licence.Item{ECCN: "EAR99", HTS: "847130"}, order.Clear, "", false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := decide(t, rulesOrder(c.country, c.item))
			if err != nil {
				t.Fatal(err)
			}
			if d.Outcome != c.outcome {
				t.Fatalf("outcome %s, want %s: %+v", d.Outcome, c.outcome, d.Reasons)
			}
			if c.kind != "" {
				rs := reasonsOf(d, c.kind)
				if len(rs) != 1 || rs[0].Holds != c.holds || len(rs[0].Items) != 1 || rs[0].Items[0] != 0 {
					t.Fatalf("%s reasons %+v", c.kind, rs)
				}
				for _, w := range c.words {
					if !strings.Contains(rs[0].Message, w) {
						t.Errorf("message lacks %q:\n%s", w, rs[0].Message)
					}
				}
			}
			for _, r := range d.Reasons {
				if r.Kind == order.ReasonDestination && r.Holds {
					t.Errorf("a destination row holds: %s", r.Message)
				}
			}
			if !strings.Contains(d.Meaning, c.outcome+":") || len(d.Checked) == 0 || len(d.NotChecked) == 0 {
				t.Errorf("meaning %q, checked %v, not checked %v", d.Meaning, d.Checked, d.NotChecked)
			}
		})
	}
}

// TestRussiaItems: CCL items go under § 746.8(a)(1) without the chart; an EAR99 item outside chapters 84, 85
// and 90 is not clear either, because Supplements 2, 5, 6 and 7 are not modelled; before § 746.8, the chart.
func TestRussiaItems(t *testing.T) {
	d, err := decide(t, rulesOrder("RU", licence.Item{ECCN: "5A992.c"}))
	if err != nil {
		t.Fatal(err)
	}
	rs := reasonsOf(d, order.ReasonLicenceRule)
	if d.Outcome != order.Hold || len(rs) != 1 || rs[0].Rule.ID != "ru-ccl" || len(reasonsOf(d, order.ReasonChart)) != 0 {
		t.Fatalf("5A992.c to RU: %s %+v", d.Outcome, d.Reasons)
	}
	d, err = decide(t, rulesOrder("RU", licence.Item{ECCN: "EAR99", HTS: "610910", Description: "T-shirts"}))
	if err != nil {
		t.Fatal(err)
	}
	rs = reasonsOf(d, order.ReasonLicenceRule)
	if d.Outcome != order.Hold || len(rs) != 1 || rs[0].Rule.ID != "ru-ear99-other" || !strings.Contains(rs[0].Message, "licence may be required") ||
		!strings.Contains(rs[0].Message, "[uncertain: verify]") {
		t.Fatalf("T-shirts to RU: %s %+v", d.Outcome, rs)
	}
	o := rulesOrder("RU", licence.Item{ECCN: "5A992.c"})
	o.Date = "2021-06-01"
	d, err = decide(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if ch := reasonsOf(d, order.ReasonChart); len(ch) != 1 || ch[0].Holds || d.Outcome != order.Clear {
		t.Fatalf("5A992.c to RU in 2021: %s %+v", d.Outcome, d.Reasons)
	}
}

// TestSyriaDates: before 2025-09-02 EAR99 items to Syria need a licence (sy-ear); SPP is not applied to a
// listed party.
func TestSyriaDates(t *testing.T) {
	o := rulesOrder("SY", licence.Item{ECCN: "EAR99"})
	o.Date = "2025-09-01"
	d, err := decide(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if rs := reasonsOf(d, order.ReasonLicenceRule); d.Outcome != order.Hold || len(rs) != 1 || rs[0].Rule.ID != "sy-ear" {
		t.Fatalf("2025-09-01: %s %+v", d.Outcome, d.Reasons)
	}
	o = rulesOrder("SY", licence.Item{ECCN: "EAR99"})
	o.Parties = append(o.Parties, order.Party{Role: "end_user", Name: "Hangzhou Hikvision Digital Technology Co., Ltd."})
	d, err = decide(t, o)
	if err != nil {
		t.Fatal(err)
	}
	rs := reasonsOf(d, order.ReasonLicenceRule)
	if d.Outcome != order.Hold || len(rs) != 1 || !rs[0].Holds || rs[0].Exception != "SPP" || !strings.Contains(rs[0].Message, "SPP is not available") {
		t.Fatalf("SPP with a listed party: %+v", rs)
	}
}

// TestChartNotModelled: an ECCN not modelled is said so and holds.
func TestChartNotModelled(t *testing.T) {
	d, err := decide(t, rulesOrder("CA", licence.Item{ECCN: "4A003"}))
	if err != nil {
		t.Fatal(err)
	}
	rs := reasonsOf(d, order.ReasonChart)
	if d.Outcome != order.Hold || len(rs) != 1 || !rs[0].Holds || rs[0].Chart.Modelled || !strings.Contains(rs[0].Message, "ECCN 4A003 is not modelled") {
		t.Fatalf("%s %+v", d.Outcome, rs)
	}
}
