package destination_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/destination"
	"github.com/tradescreen/tradescreen/licence"
)

func ids(rs []destination.Rule) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.ID)
	}
	return strings.Join(s, ",")
}

// TestDatedRules checks rules on both sides of a change in law.
func TestDatedRules(t *testing.T) {
	rs := destination.Default()
	cases := []struct {
		country, date, want string
	}{
		// Syria: OFAC's program ended with EO 14312 (in force 2025-07-01); the EAR controls stayed.
		{"SY", "2025-06-30", "sy-ofac,sy-ear,e1-sy,d5-sy"},
		{"SY", "2025-07-01", "sy-ear,e1-sy,d5-sy"},
		// 90 FR 42315: from 2025-09-02 the CCL items still need a licence, EAR99 items go under SPP.
		{"SY", "2025-09-01", "sy-ear,e1-sy,d5-sy"},
		{"SY", "2025-09-02", "sy-ccl,sy-spp,e1-sy,d5-sy"},
		// Russia: § 746.8 from 2022-02-24, Supplement No. 4 covering chapters 84, 85, 90 from 2023-05-19.
		{"RU", "2022-02-23", "d5-ru"},
		// Supplement No. 5 (luxury goods) from 2022-03-11 (87 FR 14785), for Russia and Belarus alike.
		{"RU", "2022-03-10", "ru-ccl,d5-ru"},
		{"RU", "2022-03-11", "ru-ccl,ru-ear99-other,d5-ru"},
		{"BY", "2022-03-11", "by-ccl,by-ear99-other,d5-by"},
		{"RU", "2023-05-18", "ru-ccl,ru-supp4-2022,ru-ear99-other,d5-ru"},
		{"RU", "2026-12-01", "ru-ccl,ru-supp4,ru-ear99-other,d5-ru"},
		// Cuba: E:1 until 2015-07-21, E:2 from 2015-07-22 (80 FR 43314).
		{"CU", "2015-07-21", "cu-ear,cu-ofac,e1-cu,d5-cu"},
		{"CU", "2015-07-22", "cu-ear,cu-ofac,e2-cu,d5-cu"},
		{"NI", "2024-03-21", ""},
		{"NI", "2024-03-22", "d5-ni"},
		// Before the Syria Accountability Act rule and OFAC's 2011 program.
		{"SY", "2004-05-13", "e1-sy,d5-sy"},
		{"SY", "2011-08-18", "sy-ofac,sy-ear,e1-sy,d5-sy"},
		{"CU", "2019-10-09", "cu-ear,cu-ofac,e2-cu,d5-cu"},
		{"CN", "2019-10-09", "d5-cn"},
		{"DE", "2019-10-09", ""},
	}
	for _, c := range cases {
		if got := ids(rs.Country(c.country, c.date)); got != c.want {
			t.Errorf("%s on %s: %s, want %s", c.country, c.date, got, c.want)
		}
	}
	if g := strings.Join(rs.Groups("IR", "2024-01-01"), ","); g != "D:5,E:1" {
		t.Errorf("IR groups %s", g)
	}
}

// TestRegions finds occupied regions of Ukraine in address text, on both sides of their dates.
func TestRegions(t *testing.T) {
	rs := destination.Default()
	cases := []struct {
		text, country, date, want string
	}{
		{"ul. Lenina 12, Simferopol, Respublika Krym", "", "2020-01-01", "ua-crimea-ofac,ua-crimea-ear"},
		{"ул. Ленина 12, Севастополь", "RU", "2020-01-01", "ua-crimea-ofac,ua-crimea-ear"},
		{"ul. Lenina 12, Simferopol", "UA", "2014-12-18", ""},
		{"ul. Lenina 12, Simferopol", "UA", "2014-12-19", "ua-crimea-ofac"},
		{"pr. Illicha 5, Donetsk, Donetsk People's Republic", "UA", "2022-02-20", ""},
		{"pr. Illicha 5, Donetsk", "UA", "2022-02-21", "ua-dnr-lnr"},
		{"Oboronna St 2, Luhansk 91000", "", "2023-05-01", "ua-dnr-lnr"},
		{"Melitopol, Zaporizhzhia Oblast", "UA", "2023-05-01", "ua-other-occupied"},
		{"100 Main Street, Sebastopol, CA 95472", "US", "2023-05-01", ""},
		{"Khreshchatyk 22, Kyiv", "UA", "2023-05-01", ""},
	}
	for _, c := range cases {
		var got []string
		for _, m := range rs.Regions(c.text, c.country, c.date) {
			got = append(got, m.Rule.ID)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%q (%s, %s): %v, want %s", c.text, c.country, c.date, got, c.want)
		}
	}
}

func TestEveryRuleCited(t *testing.T) {
	for _, r := range destination.Default().All() {
		if r.Citation == "" {
			t.Errorf("%s: no citation", r.ID)
		}
	}
}

func TestParseErrors(t *testing.T) {
	head := "id,kind,country,region,group,from,to,items,hts,exception,citation,note,uncertain,keywords\n"
	for _, c := range []struct{ in, field string }{
		{head + "x,embargo,XX1,,,,,all,,,cite,,false,\n", "country"},
		{head + "x,nope,CU,,,,,all,,,cite,,false,\n", "kind"},
		{head + "x,embargo,CU,,,2020-13-01,,all,,,cite,,false,\n", "from"},
		{head + "x,embargo,CU,,,,,all,,,,,false,\n", "citation"},
		{head + "x,region,UA,crimea,,,,all,,,cite,,false,\n", "keywords"},
		{head + "x,embargo,RU,,,,,some,,,cite,,false,\n", "items"},
		{head + "x,embargo,RU,,,,,hts,,,cite,,false,\n", "hts"},
		{head + "x,embargo,RU,,,,,hts,84;8x,,cite,,false,\n", "hts"},
		{head + "x,sanctions,RU,,,,,,,SPP,cite,,false,\n", "exception"},
	} {
		_, err := destination.Parse(strings.NewReader(c.in), "rules.csv")
		pe, ok := err.(*tradescreen.ParseError)
		if !ok || pe.Field != c.field || pe.Line != 2 {
			t.Errorf("%q: %v, want field %s line 2", c.in, err, c.field)
		}
	}
}

// TestCovers: which items a rule on items covers, on the real rules.
func TestCovers(t *testing.T) {
	rs := destination.Default()
	rule := func(id string) *destination.Rule {
		for _, r := range rs.All() {
			if r.ID == id {
				r := r
				return &r
			}
		}
		t.Fatalf("no rule %s", id)
		return nil
	}
	cases := []struct {
		id   string
		item licence.Item
		want destination.Coverage
	}{
		{"ru-supp4", licence.Item{ECCN: "EAR99", HTS: "847130"}, destination.Covered},
		{"ru-supp4", licence.Item{ECCN: "EAR99", HTS: "9018110000"}, destination.Covered},
		{"ru-supp4", licence.Item{ECCN: "EAR99", HTS: "610910"}, destination.NotCovered},
		{"ru-supp4", licence.Item{ECCN: "EAR99"}, destination.MayCover},
		{"ru-supp4", licence.Item{ECCN: "3A001"}, destination.NotCovered},
		{"ru-ccl", licence.Item{ECCN: "5A992.c"}, destination.Covered},
		{"ru-ccl", licence.Item{ECCN: "EAR99", HTS: "847130"}, destination.NotCovered},
		{"sy-spp", licence.Item{ECCN: "EAR99"}, destination.Covered},
		{"sy-spp", licence.Item{ECCN: "3A001"}, destination.NotCovered},
		{"kp-ear", licence.Item{ECCN: "EAR99"}, destination.MayCover},
		{"cu-ear", licence.Item{ECCN: "EAR99"}, destination.Covered},
	}
	for _, c := range cases {
		if got, _ := rule(c.id).Covers(c.item); got != c.want {
			t.Errorf("%s %+v: %s, want %s", c.id, c.item, got, c.want)
		}
	}
	if r := rule("sy-spp"); r.Exception != "SPP" || !strings.Contains(r.Citation, "740.5") {
		t.Errorf("sy-spp %+v", r)
	}
}

func FuzzRegions(f *testing.F) {
	rs := destination.Default()
	f.Add("ul. Lenina 12, Simferopol, Respublika Krym", "UA")
	f.Fuzz(func(t *testing.T, text, country string) {
		rs.Regions(text, country, "2024-01-01")
	})
}

// TestEAR99SupplementsNotModelled checks that the rows standing for Supplements No. 2, 5, 6 and 7 to Part
// 746 say which lists were not checked and why, and stay uncertain (they hold as "may be required").
func TestEAR99SupplementsNotModelled(t *testing.T) {
	for _, id := range []string{"ru-ear99-other", "by-ear99-other"} {
		var r *destination.Rule
		for _, x := range destination.Default().Country(strings.ToUpper(id[:2]), "2026-12-01") {
			if x.ID == id {
				x := x
				r = &x
			}
		}
		if r == nil {
			t.Fatalf("%s not in force on 2026-12-01", id)
		}
		for _, w := range []string{"Supplements No. 5", "No. 6", "No. 7", "Supplement No. 2", "not modelled", "could not be sourced",
			"checked only against Supplement No. 4", "§ 746.8(a)(8)", "§ 746.8(a)(2) and (a)(3)", "Part 744"} {
			if !strings.Contains(r.Note, w) {
				t.Errorf("%s note lacks %q: %s", id, w, r.Note)
			}
		}
		if !r.Uncertain || r.Items != "ear99" || !strings.Contains(r.Citation, "87 FR 14785") {
			t.Errorf("%s: uncertain %v items %s citation %s", id, r.Uncertain, r.Items, r.Citation)
		}
	}
}
