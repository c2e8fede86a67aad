package ownership

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// testScreener holds a few list entries named like real ones, for hand-built graphs.
func testScreener(t testing.TB) *screen.Screener {
	t.Helper()
	testOnce.Do(func() { testScr = buildTestScreener() })
	return testScr
}

var (
	testOnce sync.Once
	testScr  *screen.Screener
)

func buildTestScreener() *screen.Screener {
	es := []tradescreen.Entry{
		{Source: "us_sdn", SourceID: "1001", Kind: tradescreen.KindOrganization, Name: "ALPHA TERROR FINANCE LLC", Programs: []string{"SDGT"}},
		{Source: "us_sdn", SourceID: "1002", Kind: tradescreen.KindOrganization, Name: "BRAVO OLIGARCH HOLDINGS", Programs: []string{"UKRAINE-EO13660"}},
		{Source: "us_sdn", SourceID: "1003", Kind: tradescreen.KindOrganization, Name: "CHARLIE SHIPPING COMPANY", Programs: []string{"IRAN"},
			Identifiers: []tradescreen.Identifier{{Type: "Legal Entity Number", Number: "529900PARENT00000001"}}},
		{Source: "us_el", SourceID: "el-1", Kind: tradescreen.KindOrganization, Name: "Dahua Technology",
			Aliases:            []tradescreen.Name{{Full: "Zhejiang Dahua Technology Co., Ltd.", Type: tradescreen.NameAKA}},
			LicenseRequirement: "For all items subject to the EAR.", LicensePolicy: "Presumption of denial.",
			FederalRegister: []string{"84 FR 54002; 85 FR 44159"}, StartDate: "2019-10-09"},
		{Source: "us_el", SourceID: "el-2", Kind: tradescreen.KindOrganization, Name: "Echo Research Institute",
			LicenseRequirement: "For all items subject to the EAR.", LicensePolicy: "Case-by-case review.",
			FederalRegister: []string{"85 FR 34503"}, StartDate: "2020-06-05"},
	}
	ds := &source.Dataset{Entries: es}
	for _, c := range []string{"us_sdn", "us_el"} {
		ds.Lists = append(ds.Lists, tradescreen.ListVersion{Source: c, Published: "2025-01-01", Origin: "test"})
	}
	return screen.New(ds)
}

const header = "owner,owned,percentage,owner_id,owned_id,start_date,end_date,relationship\n"

func graph(t *testing.T, rows string) *Graph {
	t.Helper()
	g, err := ReadCSV(strings.NewReader(header+rows), "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// eval evaluates the party named subject under rule on date and returns that rule's finding, or nil.
func eval(t *testing.T, g *Graph, subject, rule, date string) *Finding {
	t.Helper()
	rules, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	res := Resolve(g, testScreener(t), ResolveOptions{})
	id := g.byKey["name:"+FoldName(subject)]
	if id == "" {
		t.Fatalf("no party %q", subject)
	}
	for _, f := range Evaluate(g, res, rules, id, date) {
		if f.Rule == rule {
			return &f
		}
	}
	return nil
}

func TestRuleEdges(t *testing.T) {
	const alpha, bravo, dahua, echo = "Alpha Terror Finance LLC", "Bravo Oligarch Holdings", `"Zhejiang Dahua Technology Co., Ltd."`, "Echo Research Institute"
	type want struct {
		rule, date, result string
		applies            bool
		share              float64
		path               string // a substring of one path
		licence            string // a substring of the licence
	}
	cases := []struct {
		name, rows, subject string
		want                []want // a want with result "" means no finding
	}{
		{"exactly 50 %", alpha + ",Target Co,50\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Owned, true, 50, "Target Co <- 50 % Alpha Terror Finance LLC (us_sdn, SDGT; name match", "blocked"}}},
		{"49.9 % is below", alpha + ",Target Co,49.9\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Below, false, 49.9, "<- 49.9 % Alpha", "none from ownership"}}},
		{"two 25 % owners add up", alpha + ",Target Co,25\n" + bravo + ",Target Co,25%\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Owned, true, 50, "<- 25 % Bravo Oligarch Holdings", ""},
			// The 2008 guidance did not aggregate: one owner must hold 50 %.
			{"ofac_50", "2010-01-01", Below, false, 25, "", ""},
			// BIS: UKRAINE-EO13660 is one of the SDN programs the Affiliates Rule names (90 FR 47201): both count.
			{"bis_affiliates", "2025-10-01", Owned, true, 50, "Bravo", ""}}},
		{"indirect chain", alpha + ",Mid Co,50\nMid Co,Target Co,60\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Owned, true, 60, "Target Co <- 60 % Mid Co <- 50 % Alpha Terror Finance LLC", ""}}},
		{"chain through a minority holding does not multiply or count", alpha + ",Mid Co,40\nMid Co,Target Co,100\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", "", false, 0, "", ""}}},
		{"chain plus direct minority", alpha + ",Mid Co,50\nMid Co,Target Co,30\n" + bravo + ",Target Co,20\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Owned, true, 50, "<- 30 % Mid Co <- 50 % Alpha", ""}}},
		{"cycle reached", alpha + ",X Co,60\nX Co,Y Co,50\nY Co,X Co,40\n", "Y Co", []want{
			{"ofac_50", "2024-01-01", Owned, true, 50, "Y Co <- 50 % X Co <- 60 % Alpha", ""}}},
		{"cycle not reached", alpha + ",X Co,30\nX Co,Y Co,30\nY Co,X Co,30\n", "Y Co", []want{
			{"ofac_50", "2024-01-01", "", false, 0, "", ""}}},
		{"control without a share asks for review", alpha + ",Target Co,,,,,,control\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Review, false, 0, "<- control (share unknown) Alpha", "not established until the shares are known"}}},
		{"range that may reach", alpha + ",Target Co,25-50\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Review, false, 25, "<- 25-50 % Alpha", ""}}},
		{"link ended before the date", alpha + ",Target Co,100,,,2015-01-01,2019-12-31\n", "Target Co", []want{
			{"ofac_50", "2020-01-01", "", false, 0, "", ""},
			{"ofac_50", "2019-06-30", Owned, true, 100, "", ""}}},
		{"BIS calendar: before, in force, suspended, reimposed", dahua + ",Chengdu Dahua Wisdom,100\n", "Chengdu Dahua Wisdom", []want{
			{"bis_affiliates", "2025-09-28", "", false, 0, "", ""},
			{"bis_affiliates", "2025-09-29", Owned, true, 100, "Chengdu Dahua Wisdom <- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54002", "For all items subject to the EAR; Presumption of denial"},
			{"bis_affiliates", "2025-11-09", Owned, true, 100, "", ""},
			{"bis_affiliates", "2025-11-10", Owned, false, 100, "", "no licence requirement from ownership"},
			{"bis_affiliates", "2026-11-09", Owned, false, 100, "", ""},
			{"bis_affiliates", "2026-11-10", Owned, true, 100, "", "Presumption of denial"},
			{"ofac_50", "2025-10-01", "", false, 0, "", ""}}},
		{"most restrictive owner", dahua + ",JV Co,25\n" + echo + ",JV Co,25\n", "JV Co", []want{
			{"bis_affiliates", "2025-10-01", Owned, true, 50, "Echo Research Institute", "Presumption of denial (as Dahua Technology"}}},
		{"SDN under a 744.8 program, BIS licence", alpha + ",Target Co,100\n", "Target Co", []want{
			{"bis_affiliates", "2025-10-01", Owned, true, 100, "", "15 CFR 744.8"}}},
		{"SDN outside the 744.8 programs", "Charlie Shipping Company,Target Co,100\n", "Target Co", []want{
			{"bis_affiliates", "2025-10-01", "", false, 0, "", ""},
			{"ofac_50", "2025-10-01", Owned, true, 100, "", ""}}},
		{"owner resolved by identifier", "Some Holding,Target Co,60,LEI:529900PARENT00000001\n", "Target Co", []want{
			{"ofac_50", "2024-01-01", Owned, true, 60, "(us_sdn, IRAN)", ""}}},
		{"owner resolved by entry key", "Whatever Name,Target Co,60,us_el/el-2\n", "Target Co", []want{
			{"bis_affiliates", "2025-10-01", Owned, true, 60, "(us_el, 85 FR 34503)", "Case-by-case review"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := graph(t, c.rows)
			for _, w := range c.want {
				f := eval(t, g, c.subject, w.rule, w.date)
				if w.result == "" {
					if f != nil {
						t.Errorf("%s %s: want no finding, got %s: %s %v", w.rule, w.date, f.Result, f.Summary, f.Paths)
					}
					continue
				}
				if f == nil {
					t.Errorf("%s %s: no finding, want %s", w.rule, w.date, w.result)
					continue
				}
				if f.Result != w.result || f.Applies != w.applies || f.Share != w.share {
					t.Errorf("%s %s: got %s applies=%v share=%v (%s), want %s applies=%v share=%v", w.rule, w.date, f.Result, f.Applies, f.Share, f.Summary, w.result, w.applies, w.share)
				}
				if w.path != "" && !strings.Contains(strings.Join(f.Paths, "\n"), w.path) {
					t.Errorf("%s %s: paths %q lack %q", w.rule, w.date, f.Paths, w.path)
				}
				if w.licence != "" && !strings.Contains(f.Licence, w.licence) {
					t.Errorf("%s %s: licence %q lacks %q", w.rule, w.date, f.Licence, w.licence)
				}
				if f.Citation == "" || f.Confidence <= 0 || f.Confidence > 1 {
					t.Errorf("%s %s: citation %q confidence %v", w.rule, w.date, f.Citation, f.Confidence)
				}
			}
		})
	}
}

func TestSummaryAndSuspension(t *testing.T) {
	g := graph(t, "Zhejiang Dahua Technology Co.; Ltd.,Chengdu Dahua Wisdom,100\n")
	in := eval(t, g, "Chengdu Dahua Wisdom", "bis_affiliates", "2025-10-01")
	if in == nil || !strings.HasPrefix(in.Summary, "owned 50 % or more by listed parties") || strings.Contains(in.Summary, "suspended") {
		t.Fatalf("in force: %+v", in)
	}
	out := eval(t, g, "Chengdu Dahua Wisdom", "bis_affiliates", "2026-01-15")
	if out == nil || !strings.Contains(out.Summary, "suspended on 2026-01-15 (2025-11-10 .. 2026-11-09)") || out.Status != Suspended {
		t.Fatalf("suspended: %+v", out)
	}
	if !strings.Contains(in.Citation, "90 FR 47201") || !strings.Contains(out.Citation, "Suspension") {
		t.Errorf("citations: %q / %q", in.Citation, out.Citation)
	}
}

func TestListedPartyGetsNoOwnershipFinding(t *testing.T) {
	g := graph(t, "Alpha Terror Finance LLC,Bravo Oligarch Holdings,100\n")
	rules, _ := DefaultRules()
	res := Resolve(g, testScreener(t), ResolveOptions{})
	// Bravo is only an owned party here, so it is not resolved; but when it owns something it is.
	if fs := Evaluate(g, res, rules, g.byKey["name:"+FoldName("Alpha Terror Finance LLC")], "2024-01-01"); len(fs) != 0 {
		t.Errorf("owner itself: %+v", fs)
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "empty file"},
		{"owner,owned\n", `line 1 field "percentage": missing column`},
		{header + "A,B,150\n", `test.csv line 2 field "percentage": want a percentage 0..100, got "150"`},
		{header + "A,B,abc\n", `line 2 field "percentage"`},
		{header + "A,B,50,,,2020-13-01\n", `line 2 field "start_date"`},
		{header + "A,A,50\n", `line 2 field "owned": owner and owned are the same party`},
		{header + ",B,50\n", `line 2 field "owner": empty`},
		{header + "A,B,50,,,,,friendship\n", `field "relationship"`},
		{header + "A,B,50\n\"C,D,1\n", "test.csv line 3"},
	}
	for _, c := range cases {
		_, err := ReadCSV(strings.NewReader(c.in), "test.csv")
		var pe *tradescreen.ParseError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want a ParseError with %q", c.in, err, c.want)
		}
	}
}

func TestReadFormats(t *testing.T) {
	cases := []struct {
		file                string
		parties, links      int
		owner, owned, share string
	}{
		{"testdata/owners.csv", 5, 4, "Zhejiang Dahua Technology Co., Ltd.", "Chengdu Dahua Wisdom Information Technology Co., Ltd.", "100 %"},
		{"testdata/gleif_rr.csv", 4, 3, "LEI 529900PARENT00000001", "LEI 529900CHILD000000001", "control (share unknown)"},
		{"testdata/gleif_rr_api.json", 2, 1, "LEI 529900PARENT00000001", "LEI 529900CHILD000000001", "control (share unknown)"},
		{"gleif=testdata/gleif_rr_golden.json", 2, 1, "LEI 529900PARENT00000001", "LEI 529900CHILD000000001", "control (share unknown)"},
		{"testdata/bods_0.3.json", 3, 2, "Listed Parent Holdings Ltd", "Subsidiary Trading Ltd", "50-75 %"},
		{"bods=testdata/bods_0.4.jsonl", 2, 1, "Listed Parent Holdings Ltd", "Subsidiary Trading Ltd", "0-60 %"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			g, err := Open(c.file)
			if err != nil {
				t.Fatal(err)
			}
			st := g.Stats()
			if st.Parties != c.parties || st.Links != c.links {
				t.Errorf("got %+v, want %d parties %d links", st, c.parties, c.links)
			}
			l := g.Links()[0]
			if g.Party(l.Owner).Name != c.owner || g.Party(l.Owned).Name != c.owned || l.Share() != c.share {
				t.Errorf("first link %s -[%s]-> %s", g.Party(l.Owner).Name, l.Share(), g.Party(l.Owned).Name)
			}
		})
	}
	g, _ := Open("testdata/gleif_rr.csv")
	if l := g.Links()[0]; l.Start != "2019-05-01" || l.End != "" {
		t.Errorf("GLEIF relationship period: %+v", l)
	}
	if l := g.Links()[2]; l.Min != 100 || l.Control {
		t.Errorf("branch: %+v", l)
	}
}

// A GLEIF parent named by a CSV row with its LEI is resolved by that LEI to the SDN entry carrying it, and
// the consolidated child gets a review finding.
func TestGLEIFMergedWithNames(t *testing.T) {
	g, err := Open("testdata/gleif_rr.csv")
	if err != nil {
		t.Fatal(err)
	}
	names, err := ReadCSV(strings.NewReader(header+"Charlie Parent,,,LEI:529900PARENT00000001\nChild Co,,,LEI:529900CHILD000000001\n"), "names.csv")
	if err != nil {
		t.Fatal(err)
	}
	g.Merge(names)
	if st := g.Stats(); st.Parties != 4 {
		t.Fatalf("merged: %+v", st)
	}
	rules, _ := DefaultRules()
	res := Resolve(g, testScreener(t), ResolveOptions{})
	ms := g.Find("Child Co", "", 0)
	if len(ms) == 0 {
		t.Fatal("Child Co not found")
	}
	fs := Evaluate(g, res, rules, ms[0].Party.ID, "2024-06-01")
	if len(fs) != 1 || fs[0].Result != Review || !strings.Contains(fs[0].Paths[0], "Child Co <- control (share unknown) Charlie Parent (us_sdn, IRAN)") {
		t.Fatalf("%+v", fs)
	}
	if fs[0].Owners[0].By != "identifier LEI 529900PARENT00000001" {
		t.Errorf("resolved by %q", fs[0].Owners[0].By)
	}
}

func TestBODSShares(t *testing.T) {
	g, err := Open("testdata/bods_0.3.json")
	if err != nil {
		t.Fatal(err)
	}
	res := Resolve(g, testScreener(t), ResolveOptions{})
	rules, _ := DefaultRules()
	ms := g.Find("Subsidiary Trading", "", 0)
	if len(ms) == 0 {
		t.Fatal("not found")
	}
	fs := Evaluate(g, res, rules, ms[0].Party.ID, "2024-06-01")
	// 50..75 % by the SDN parent (resolved by its LEI): owned by the lower bound.
	if len(fs) != 1 || fs[0].Result != Owned || fs[0].Share != 50 {
		t.Fatalf("%+v", fs)
	}
	g4, err := Open("testdata/bods_0.4.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	res4 := Resolve(g4, testScreener(t), ResolveOptions{})
	fs4 := Evaluate(g4, res4, rules, g4.Find("Subsidiary Trading", "", 0)[0].Party.ID, "2024-06-01")
	// An indirect 60 % only bounds the share from above: review.
	if len(fs4) != 1 || fs4[0].Result != Review {
		t.Fatalf("%+v", fs4)
	}
}

func TestBadData(t *testing.T) {
	cases := []struct{ format, in, want string }{
		{"gleif", `{"data": [{"attributes": {"relationship": {"startNode": {"id": "X"}, "type": "IS_DIRECTLY_CONSOLIDATED_BY"}}}]}`, `field "record 1"`},
		{"gleif", `{"foo": 1}`, "no relationship records"},
		{"gleif", "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID\n", `field "Relationship.RelationshipType": missing column`},
		{"bods", `[{"statementID": "o", "statementType": "ownershipOrControlStatement", "subject": {"describedByEntityStatement": "a"}, "interestedParty": {"describedByEntityStatement": "b"}}]`, "refers to a statement not in the file"},
		{"bods", "{\"statementType\": \"entityStatement\", \"name\": \"A\"}\n{bad\n", "x.json line 2"},
		{"bods", `[{"statementID": "a", "statementType": "entityStatement", "name": "A"}, {"statementID": "b", "statementType": "entityStatement", "name": "B"}, {"statementID": "o", "statementType": "ownershipOrControlStatement", "subject": {"describedByEntityStatement": "a"}, "interestedParty": {"describedByEntityStatement": "b"}, "interests": [{"type": "shareholding", "share": {"exact": 150}}]}]`, "not a percentage"},
	}
	for _, c := range cases {
		_, err := Read(c.format, strings.NewReader(c.in), "x.json")
		if err == nil || !strings.Contains(err.Error(), c.want) || tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("%s %q: got %v, want %q", c.format, c.in, err, c.want)
		}
	}
}

func TestRulesData(t *testing.T) {
	rules, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	if ids := rules.IDs(); strings.Join(ids, ",") != "ofac_50,bis_affiliates" {
		t.Errorf("rules %v", ids)
	}
	for _, c := range []struct{ date, want string }{
		{"2008-02-13", ""},
		{"2014-08-13", "ofac_50 in_force true"},
		{"2025-09-29", "bis_affiliates in_force true; ofac_50 in_force true"},
		{"2025-11-10", "bis_affiliates suspended true; ofac_50 in_force true"},
		{"2026-11-10", "bis_affiliates in_force true; ofac_50 in_force true"},
	} {
		var got []string
		for _, r := range rules.On(c.date) {
			got = append(got, r.ID+" "+r.Status+" "+map[bool]string{true: "true", false: "false"}[r.Aggregate])
		}
		if strings.Join(got, "; ") != c.want {
			t.Errorf("%s: got %q, want %q", c.date, got, c.want)
		}
	}
	bad := []struct{ in, want string }{
		{"rule,name\n", `field "status": missing column`},
		{rulesHead + "x,X,maybe,2020-01-01,,us_el,50,true,none,t,c,\n", `line 2 field "status"`},
		{rulesHead + "x,X,in_force,2020-01-01,,us_zz,50,true,none,t,c,\n", `unknown list code "us_zz"`},
		{rulesHead + "x,X,in_force,2020-01-01,,us_el,0,true,none,t,c,\n", `field "threshold"`},
		{rulesHead + "x,X,suspended,2020-01-01,,us_el,50,true,blocked,t,c,\n", "a suspended period has effect none"},
		{rulesHead + "x,X,in_force,2020-01-01,,us_el,50,true,none,t,,\n", `field "citation"`},
		{rulesHead + "x,X,in_force,2020-01-01,,us_el,50,true,none,t,c,\nx,X,in_force,2021-01-01,2021-02-01,us_el,50,true,none,t,c,\n", "overlaps"},
	}
	for _, c := range bad {
		_, err := ParseRules(strings.NewReader(c.in), "r.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.in, err, c.want)
		}
	}
}

const rulesHead = "rule,name,status,from,to,lists,threshold,aggregate,effect,effect_text,citation,url\n"

func FuzzReadCSV(f *testing.F) {
	f.Add(header + "A,B,50\nB,C,25-50,,,2020-01-01\n")
	f.Add("owner,owned,percentage\n\"x\",,\n")
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ReadCSV(strings.NewReader(s), "f.csv")
		if err == nil {
			for _, l := range g.Links() {
				if l.Min < 0 || l.Max > 100 || l.Min > l.Max || l.Owner == l.Owned {
					t.Fatalf("bad link %+v", l)
				}
			}
		}
	})
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{`{"data":[]}`, `[{"statementID":"a","statementType":"entityStatement","name":"A"}]`, "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType\nA,B,IS_DIRECTLY_CONSOLIDATED_BY\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := Read("", strings.NewReader(s), "f")
		if err == nil {
			_ = g.Stats()
		}
	})
}

// TestAffiliatesRuleForeignOnly: the BIS Affiliates Rule reaches foreign entities only; a US-incorporated
// subsidiary of an Entity List party is evaluated under OFAC's rule alone.
func TestAffiliatesRuleForeignOnly(t *testing.T) {
	const h = "owner,owned,percentage,owner_id,owned_id,owned_country\n"
	for _, c := range []struct {
		country string
		want    bool
	}{{"US", false}, {"CN", true}} {
		g, err := ReadCSV(strings.NewReader(h+"Zhejiang Dahua Technology Co.; Ltd.,Dahua Technology USA Inc.,100,,,"+c.country+"\n"), "test.csv")
		if err != nil {
			t.Fatal(err)
		}
		f := eval(t, g, "Dahua Technology USA Inc.", "bis_affiliates", "2025-10-01")
		if f == nil || f.Applies != c.want {
			t.Fatalf("owned in %s: %+v, want applies %v", c.country, f, c.want)
		}
		// The US subsidiary gets a finding that says the rule was not applied, and why.
		us := c.country == "US"
		if (f.Result == NotApplied) != us || us && (!strings.Contains(f.Summary, "not applied: the BIS Affiliates Rule reaches foreign entities only") ||
			!strings.Contains(f.Summary, "had it applied: owned 50 % or more") || !strings.HasPrefix(f.Licence, "none from this rule")) {
			t.Errorf("owned in %s: result %s, summary %q, licence %q", c.country, f.Result, f.Summary, f.Licence)
		}
	}
}
