package destination_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/destination"
	"github.com/tradescreen/tradescreen/licence"
)

// TestChartAnswers reads items against the compiled-in chart rows and reasons for control.
func TestChartAnswers(t *testing.T) {
	c := destination.DefaultChart()
	cases := []struct {
		eccn, country string
		want          destination.Coverage
		words         []string
	}{
		// 3A001: NS applies to the entire entry, NS Column 2 is marked for China.
		{"3A001", "CN", destination.Covered, []string{"licence required for NS (NS2)"}},
		// Canada: no column marked.
		{"3A001", "CA", destination.NotCovered, []string{"no licence required by the chart for NS (NS1, 3A001.b.2, 3A001.b.3); NS (NS2)", "AT (AT1) (column not marked for CA)"}},
		// Germany: NS2 not marked, but NS1 and MT1 are, for paragraphs a bare 3A001 may fall under.
		{"3A001", "DE", destination.MayCover, []string{"licence may be required for NS (NS1, 3A001.b.2, 3A001.b.3)", "MT (MT1"}},
		// A paragraph outside every paragraph-specific control: only NS2 and AT1 remain.
		{"3A001.c.1", "DE", destination.NotCovered, []string{"no licence required by the chart for NS (NS2); AT (AT1)"}},
		{"3A001.b.2", "CN", destination.Covered, []string{"NS (NS1, 3A001.b.2, 3A001.b.3): if MMIC"}},
		// Encryption: § 742.15 to every destination but Canada.
		{"5A002.a", "DE", destination.Covered, []string{"EI (EI)", "License Exception ENC (§ 740.17) may authorize"}},
		{"5A002", "CA", destination.NotCovered, nil},
		{"5A992.c", "CN", destination.NotCovered, []string{"AT (AT1)"}},
		// Not modelled: never clear.
		{"4A003", "CA", destination.MayCover, []string{"ECCN 4A003 is not modelled"}},
		{"3A001", "BR", destination.MayCover, []string{"row for BR on 2026-12-01 is not modelled"}},
	}
	for _, k := range cases {
		a := c.Answer(licence.Item{ECCN: k.eccn}, k.country, "2026-12-01")
		if a.Required != k.want {
			t.Errorf("%s to %s: %s, want %s: %s", k.eccn, k.country, a.Required, k.want, a.Text)
		}
		for _, w := range k.words {
			if !strings.Contains(a.Text, w) {
				t.Errorf("%s to %s: text lacks %q: %s", k.eccn, k.country, w, a.Text)
			}
		}
	}
}

func TestChartCited(t *testing.T) {
	c := destination.DefaultChart()
	for _, cc := range []string{"CA", "DE", "CN", "RU", "BY"} {
		r := c.Row(cc, "2026-12-01")
		if r == nil || !strings.Contains(r.Citation, "Supplement No. 1 to Part 738") {
			t.Errorf("%s: %+v", cc, r)
		}
	}
	for _, e := range []string{"3A001", "5A002", "5D002", "5A992", "4A994"} {
		for _, ct := range c.Controls(e) {
			if !strings.Contains(ct.Citation, "Supp. No. 1 to Part 774, ECCN "+e) {
				t.Errorf("%s: %+v", e, ct)
			}
		}
	}
}

func TestChartParseErrors(t *testing.T) {
	rows := "country,from,to,columns,unverified,citation,note,verified\n"
	ccl := "eccn,reason,column,paragraphs,condition,citation,verified\n"
	for _, c := range []struct{ rows, ccl, file, field string }{
		{rows + "CA,,,NS9,,cite,,\n", ccl, "chart.csv", "columns"},
		{rows + "CA,,,,,,,\n", ccl, "chart.csv", "citation"},
		{rows, ccl + "3A001,NS,NS3,,,cite,\n", "ccl.csv", "column"},
		{rows, ccl + "3A001,NS,NS2,3A002.a,,cite,\n", "ccl.csv", "paragraphs"},
		{rows, ccl + "3A00,NS,NS2,,,cite,\n", "ccl.csv", "eccn"},
	} {
		_, err := destination.ParseChart(strings.NewReader(c.rows), strings.NewReader(c.ccl))
		pe, ok := err.(*tradescreen.ParseError)
		if !ok || pe.File != c.file || pe.Field != c.field || pe.Line != 2 {
			t.Errorf("%q %q: %v, want %s %s line 2", c.rows, c.ccl, err, c.file, c.field)
		}
	}
}

// TestChartVerification checks the corrected 3A001 NP row (3A001.z.3, in the current License Requirements
// wording) and that an answer names what it read that was not verified against the eCFR text.
func TestChartVerification(t *testing.T) {
	c := destination.DefaultChart()
	a := c.Answer(licence.Item{ECCN: "3A001.z.3"}, "CN", "2026-12-01")
	if a.Required != destination.Covered || !strings.Contains(a.Text, "licence required for NS (NS2); NP (NP1, 3A001.z.3)") {
		t.Errorf("3A001.z.3 to CN: %s: %s", a.Required, a.Text)
	}
	a = c.Answer(licence.Item{ECCN: "3A001.z.3"}, "DE", "2026-12-01")
	if a.Required != destination.NotCovered || !strings.Contains(a.Text, "NP (NP1, 3A001.z.3)") {
		t.Errorf("3A001.z.3 to DE: %s: %s", a.Required, a.Text)
	}
	// For 3A001 as a whole the NP row names its paragraph as the condition, never an empty one.
	a = c.Answer(licence.Item{ECCN: "3A001"}, "CN", "2026-12-01")
	if !strings.Contains(a.Text, "NP (NP1, 3A001.z.3): if the item falls under 3A001.z.3") || strings.Contains(a.Text, "if ;") {
		t.Errorf("3A001 to CN: %s", a.Text)
	}
	a = c.Answer(licence.Item{ECCN: "3A001.b.2"}, "CN", "2026-12-01")
	want := "; not verified against the current eCFR text (transcribed from the chart and the CCL): the chart row for CN, 3A001 NS (NS2), 3A001 RS (RS1), 3A001 AT (AT1)"
	if !strings.HasSuffix(a.Text, want) {
		t.Errorf("3A001.b.2 to CN: %s", a.Text)
	}
	for _, ct := range c.Controls("3A001") {
		if (ct.Column == "NS1" || ct.Column == "NP1") != (ct.Verified != "") {
			t.Errorf("3A001 %s verified %q", ct.Column, ct.Verified)
		}
	}
	for _, cc := range []string{"CA", "DE", "GB", "FR", "JP", "CN", "RU", "BY"} {
		if r := c.Row(cc, "2026-12-01"); r.Verified != "" {
			t.Errorf("%s row marked verified: %s", cc, r.Verified)
		}
	}
}
