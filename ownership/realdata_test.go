package ownership

import (
	"encoding/csv"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
)

// read1260H reads the OpenSanctions 1260H parent map (test data only, CC BY-NC 4.0: see testdata/README.md):
// each row with a Parent Name is a control link (no percentage) from the parent to the company, from the
// list's date.
func read1260H(t *testing.T) *Graph {
	t.Helper()
	f, err := os.Open("testdata/dod_1260h_parent_map_NONCOMMERCIAL.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	g := NewGraph()
	for _, r := range rows[1:] {
		child, parent := r[col["Clean Name"]], r[col["Parent Name"]]
		if parent == "" {
			continue
		}
		c := g.AddParty(Party{Name: child, Kind: tradescreen.KindOrganization, Country: "CN"})
		p := g.AddParty(Party{Name: parent, Kind: tradescreen.KindOrganization, Country: "CN"})
		if c == p {
			continue
		}
		if err := g.AddLink(Link{Owner: p, Owned: c, Min: 0, Max: 100, Control: true, Start: r[col["Start date"]], Origin: "1260H"}); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// entityList loads the real 2022-05-16 Entity List rows of the CSL.
func entityList(t *testing.T) *screen.Screener {
	t.Helper()
	ds, err := csl.Open("../testdata/lists/csl/consolidated_2022-05-16.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	el := &source.Dataset{}
	for _, l := range ds.Lists {
		if l.Source == "us_el" {
			el.Lists = append(el.Lists, l)
		}
	}
	for _, e := range ds.Entries {
		if e.Source == "us_el" {
			el.Entries = append(el.Entries, e)
		}
	}
	return screen.New(el)
}

func TestReal1260HParents(t *testing.T) {
	g := read1260H(t)
	s := entityList(t)
	res := Resolve(g, s, ResolveOptions{})
	rules, _ := DefaultRules()
	var got []string
	for _, p := range g.Parties() {
		for _, f := range Evaluate(g, res, rules, p.ID, "2025-10-01") {
			got = append(got, f.Rule+" "+f.Result+" "+f.Paths[0])
		}
	}
	sort.Strings(got)
	t.Logf("%d parties, %d links, %d owners resolved, %d findings", g.Stats().Parties, g.Stats().Links, len(res), len(got))
	if len(got) < 30 {
		t.Errorf("only %d findings:\n%s", len(got), strings.Join(got, "\n"))
	}
	for _, want := range []string{
		"bis_affiliates review Chengdu Dahua Wisdom Information Technology Co., Ltd. <- control (share unknown) Zhejiang Dahua Technology Co., Ltd (us_el, 84 FR 54002; name match",
		"bis_affiliates review SMIC Holdings Limited <- control (share unknown) Semiconductor Manufacturing International Corporation (us_el, 85 FR 83420; name match 1.00",
		"bis_affiliates review CNOOC Limited <- control (share unknown) China National Offshore Oil Corporation (us_el, 86 FR 4862; name match 1.00)",
	} {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, want)
		}
		if !found {
			t.Errorf("missing %q", want)
		}
	}
	// No share is known, so nothing is decided: every finding asks for review, none applies.
	for _, p := range g.Parties() {
		for _, f := range Evaluate(g, res, rules, p.ID, "2025-10-01") {
			if f.Applies || f.Result != Review {
				t.Errorf("%s: %s applies=%v", f.Party, f.Result, f.Applies)
			}
		}
		if fs := Evaluate(g, res, rules, p.ID, "2025-09-28"); len(fs) != 0 {
			t.Errorf("%s before the Affiliates Rule: %+v", p.Name, fs)
		}
	}
	// With the share known (wholly owned), Chengdu Dahua Wisdom is restricted while the rule is in force only.
	cd := g.Find("Chengdu Dahua Wisdom Information Technology Co., Ltd.", "", 0)[0].Party.ID
	for i, l := range g.links {
		if l.Owned == cd {
			g.links[i].Min = 100
		}
	}
	for date, applies := range map[string]bool{"2025-10-01": true, "2026-03-01": false, "2026-11-10": true} {
		fs := Evaluate(g, res, rules, cd, date)
		if len(fs) != 1 || fs[0].Result != Owned || fs[0].Applies != applies {
			t.Errorf("%s: %+v", date, fs)
		}
	}
}
