package curated_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/snapshot"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/curated"
)

// The counts are of the reviewed files (rows counted independently with Python's csv module): 13 named
// parties of the FCC Covered List (its two category listings are not parties), the 80 parent entries of the
// 2026 Section 1260H notice and the 108 subsidiaries it lists under 24 of them, 144 UFLPA entities (148 rows
// of the DHS page less 4 listed under two sections) and the 5 companies of NDAA section 889(f)(3).
var wantCounts = map[string]struct {
	entries, names int
	published      string
}{
	"us_fcc":   {13, 18, "2026-07-07"},
	"us_1260h": {188, 287, "2026-06-10"},
	"us_uflpa": {144, 239, "2025-01-15"},
	"us_889":   {5, 10, "2018-08-13"},
}

func TestEmbedded(t *testing.T) {
	ds, err := curated.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Lists) != 4 {
		t.Fatalf("%d lists, want 4: %+v", len(ds.Lists), ds.Lists)
	}
	for _, l := range ds.Lists {
		w, ok := wantCounts[l.Source]
		if !ok {
			t.Fatalf("unexpected list %s", l.Source)
		}
		if l.Entries != w.entries || l.Names != w.names || l.Published != w.published {
			t.Errorf("%s: %d entries, %d names, published %s; want %d, %d, %s", l.Source, l.Entries, l.Names, l.Published, w.entries, w.names, w.published)
		}
		if l.Format != "curated" || !strings.HasPrefix(l.Origin, "embedded snapshot: curated/") || l.SHA256 == "" || l.Loaded.IsZero() || l.PublishedNote == "" {
			t.Errorf("%s: version %+v", l.Source, l)
		}
	}
	for _, e := range ds.Entries {
		if !strings.HasPrefix(e.SourceID, e.Source+"-") {
			t.Errorf("%s: id not prefixed by its list code", e.Key())
		}
		undated := e.Source == "us_1260h" && strings.Contains(e.Remarks, "Undated: ")
		if e.Kind != tradescreen.KindOrganization || (e.ListedOn == "") != undated || e.Remarks == "" || e.SourceListURL == "" || !json.Valid(e.Raw) {
			t.Errorf("incomplete entry %+v", e)
		}
		if e.Source == "us_1260h" && (len(e.FederalRegister) != 1 || e.FederalRegister[0] != "91 FR 35189") {
			t.Errorf("%s: federal register %q", e.Key(), e.FederalRegister)
		}
	}
}

func TestEntryMapping(t *testing.T) {
	ds, err := curated.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]tradescreen.Entry{}
	for _, e := range ds.Entries {
		byKey[e.Key()] = e
	}
	e, ok := byKey["us_uflpa/us_uflpa-hebei-tomato-industry-co-ltd"]
	if !ok {
		t.Fatal("Hebei Tomato Industry missing")
	}
	want := []tradescreen.Name{
		{Full: "Hebei Temeite Industrial Group Co., Ltd", Type: tradescreen.NameAKA},
		{Full: "Hebei Temeite International Trade Co., Ltd", Type: tradescreen.NameFKA},
	}
	if len(e.Aliases) != 2 || e.Aliases[0] != want[0] || e.Aliases[1] != want[1] {
		t.Errorf("aliases %+v", e.Aliases)
	}
	if e.ListedOn != "2024-11-25" || e.Countries()[0] != "CN" {
		t.Errorf("listed %s countries %v", e.ListedOn, e.Countries())
	}
	// XPCC is on the DHS page under two sections; it is one entry with the earliest date.
	x := byKey["us_uflpa/us_uflpa-xinjiang-production-and-construction-corps"]
	if x.ListedOn != "2022-06-21" || !strings.Contains(x.Remarks, "also listed as: Xinjiang Production and Construction Corps (XPCC)") {
		t.Errorf("XPCC %+v", x)
	}
	h := byKey["us_889/us_889-hangzhou-hikvision-digital-technology-company"]
	if !strings.Contains(h.Remarks, "889(f)(3)(B)") || h.ListedOn != "2018-08-13" {
		t.Errorf("889 Hikvision %+v", h)
	}
}

// TestHikvision: screening "Hikvision" against the default lists shows every US list that names it.
func TestHikvision(t *testing.T) {
	ds, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := screen.New(ds...)
	res, err := s.Screen(tradescreen.Query{Name: "Hikvision", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range res.Matches {
		if m.Score >= match.DefaultThreshold {
			got[m.Source] = true
		}
	}
	for _, code := range []string{"us_el", "us_cmic", "us_1260h", "us_fcc", "us_889"} {
		if !got[code] {
			t.Errorf("no %s match for Hikvision at or above %.2f: %+v", code, match.DefaultThreshold, got)
		}
	}
	if got["us_uflpa"] {
		t.Error("Hikvision is not on the UFLPA Entity List")
	}
	var seen bool
	for _, l := range s.Lists() {
		if l.Source == "us_1260h" && l.Published == "2026-06-10" {
			seen = true
		}
	}
	if !seen {
		t.Error("screener lists lack us_1260h of 2026-06-10")
	}
}

func TestOpenDirectoryAndFile(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("data/us_889.csv")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(b)
	zw.Close()
	os.WriteFile(filepath.Join(dir, "a.csv.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "b.csv"), []byte("list_code,id,name,listed_on\nus_fcc,x-1,Example Co,2020-01-02\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644)
	ds, err := source.Open("curated", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entries) != 6 || len(ds.Lists) != 2 || ds.Lists[0].Source != "us_fcc" || ds.Lists[1].Origin != "a.csv.gz" {
		t.Fatalf("dataset %d entries, lists %+v", len(ds.Entries), ds.Lists)
	}
	if _, err := source.Open("curated", filepath.Join(dir, "b.csv")); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if _, err := curated.Open(empty); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("empty dir: %v", err)
	}
}

func TestErrors(t *testing.T) {
	const h = "list_code,id,name,country,listed_on,kind\n"
	for _, tc := range []struct{ name, in, field, msg string }{
		{"empty", "", "", "empty file"},
		{"header only", h, "", "no records"},
		{"missing column", "list_code,name\nus_fcc,A\n", "id", "missing required column"},
		{"duplicate column", "list_code,id,id,name\n", "id", "column named twice"},
		{"unknown list", h + "us_xx,a,A,,,\n", "list_code", "unknown list code"},
		{"empty name", h + "us_fcc,a, ,,,\n", "name", "empty name"},
		{"bad id", h + "us_fcc,A B,A,,,\n", "id", "must be lower-case"},
		{"bad country", h + "us_fcc,a,A,China,,\n", "country", "not an ISO"},
		{"bad date", h + "us_fcc,a,A,CN,June 21 2022,\n", "listed_on", "not YYYY-MM-DD"},
		{"bad kind", h + "us_fcc,a,A,CN,2022-06-21,robot\n", "kind", "unknown kind"},
		{"duplicate id", h + "us_fcc,a,A,,,\nus_fcc,a,B,,,\n", "id", "also in"},
		{"short row", h + "us_fcc,a\n", "", "wrong number of fields"},
		{"open quote", h + "us_fcc,a,\"A,,,\n", "", ""},
		{"binary", "list_code,id,name\n\x00\x01", "", "binary"},
		{"unknown parent", "list_code,id,name,parent\nus_fcc,a,A,\nus_fcc,b,B,zz\n", "parent", "not an id of list us_fcc"},
		{"own parent", "list_code,id,name,parent\nus_fcc,a,A,a\n", "parent", "its own parent"},
		{"nested parent", "list_code,id,name,parent\nus_fcc,a,A,\nus_fcc,b,B,a\nus_fcc,c,C,b\n", "parent", "itself a subsidiary"},
		{"bad parent", "list_code,id,name,parent\nus_fcc,a,A,A B\n", "parent", "must be the id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := curated.Parse([]byte(tc.in), "t.csv")
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v, want ParseError", err, err)
			}
			if pe.File != "t.csv" || pe.Field != tc.field || !strings.Contains(pe.Error(), tc.msg) {
				t.Errorf("got %v (field %q)", err, pe.Field)
			}
		})
	}
}

// TestSubsidiaries1260H checks the subsidiaries of the 2026 Section 1260H notice against the notice's own
// listing (testdata/us_1260h_2026_subsidiaries.csv: for each parent, the text "listed together with
// subsidiaries: ..." as extracted from the notice, and the number of companies it names, as reviewed):
// each parent has exactly that many subsidiary entries, each named in that text, each with the parent
// linked, the notice's citation and date.
func TestSubsidiaries1260H(t *testing.T) {
	f, err := os.Open("testdata/us_1260h_2026_subsidiaries.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := curated.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	byParent := map[string][]tradescreen.Entry{}
	names := map[string]string{}
	for _, e := range ds.Entries {
		if e.Source != "us_1260h" {
			continue
		}
		names[e.SourceID] = e.Name
		if p := curated.Parent(&e); p != "" {
			byParent[p] = append(byParent[p], e)
		}
	}
	total := 0
	for _, r := range recs[1:] {
		parent, text := r[0], r[2]
		want, _ := strconv.Atoi(r[1])
		total += want
		subs := byParent[parent]
		if len(subs) != want {
			t.Errorf("%s: %d subsidiary entries, the notice lists %d", parent, len(subs), want)
		}
		// A name may add the full stop the text drops at its end ("Co., Ltd"). The extraction's one missing
		// comma ("COMAC America Corporation Shanghai Aircraft Design ...") is read as two companies, both
		// named in the text; README.md says why.
		for _, e := range subs {
			name := e.Name
			if !strings.Contains(text, strings.TrimSuffix(name, ".")) {
				t.Errorf("%s: %q is not named in the notice's text %q", parent, name, text)
			}
			link := "Subsidiary of " + names[parent] + " (us_1260h/" + parent + "), listed with it. 91 FR 35189"
			if !strings.HasPrefix(e.Remarks, link) || e.ListedOn != "" || !strings.Contains(e.Remarks, "Undated: ") || len(e.FederalRegister) != 1 ||
				e.FederalRegister[0] != "91 FR 35189" || e.Kind != tradescreen.KindOrganization {
				t.Errorf("%s: %+v", e.SourceID, e)
			}
		}
		delete(byParent, parent)
	}
	if total != 108 || len(recs) != 25 {
		t.Errorf("%d subsidiaries under %d parents in the listing, want 108 under 24", total, len(recs)-1)
	}
	for p, subs := range byParent {
		t.Errorf("%s: %d subsidiaries not in the notice's listing", p, len(subs))
	}
	// Screening a subsidiary's own name finds its own entry, not the parent's.
	s := screen.New(ds)
	res, err := s.Screen(tradescreen.Query{Name: "Cirrus Design Corporation"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) == 0 || res.Matches[0].SourceID != "us_1260h-cirrus-design-corporation" || res.Matches[0].Score < match.DefaultThreshold {
		t.Fatalf("Cirrus Design Corporation: %+v", res.Matches)
	}
	res, _ = s.Screen(tradescreen.Query{Name: "Zhonghang Electronic Measuring Instruments"})
	if len(res.Matches) == 0 || res.Matches[0].SourceID != "us_1260h-avic-chengdu-aircraft-co-ltd" || res.Matches[0].MatchedType != tradescreen.NameFKA {
		t.Fatalf("former name of AVIC Chengdu Aircraft: %+v", res.Matches)
	}
}

// TestDates1260H: an entry of the 1260H list is dated by the DoD list that first named it, with the public
// source of that date in its remarks, or carries no date and says why; on 2025-06-01 the entries first named
// in 2026 are left out, those named earlier stay and the undated ones are kept and counted.
func TestDates1260H(t *testing.T) {
	ds, err := curated.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]bool{"2021-06-03": true, "2022-10-05": true, "2024-01-31": true, "2025-01-07": true, "2026-06-10": true}
	byName := map[string]string{}
	dated, undated := 0, 0
	for _, e := range ds.Entries {
		if e.Source != "us_1260h" {
			continue
		}
		byName[e.Name] = e.ListedOn
		switch {
		case e.ListedOn == "":
			undated++
			if !strings.Contains(e.Remarks, "Undated: ") {
				t.Errorf("%s: no date and no note", e.SourceID)
			}
		case lists[e.ListedOn] && strings.Contains(e.Remarks, "listed_on "+e.ListedOn+": first named by ") &&
			strings.Contains(e.Remarks, "source: http"):
			dated++
		default:
			t.Errorf("%s: listed_on %q without its list and source: %s", e.SourceID, e.ListedOn, e.Remarks)
		}
	}
	if dated != 28 || undated != 160 {
		t.Errorf("%d dated, %d undated; want 28 and 160", dated, undated)
	}
	for name, want := range map[string]string{
		"Hangzhou Hikvision Digital Technology Co., Ltd.": "2021-06-03",
		"Shenzhen DJI Technology Co., Ltd.":               "2022-10-05",
		"Yangtze Memory Technologies Co., Ltd.":           "2024-01-31",
		"Tencent Holdings Limited":                        "2025-01-07",
		"Alibaba Group Holding Limited":                   "2026-06-10",
		"CloudWalk Technology Co., Ltd.":                  "",
		"China COSCO SHIPPING Corporation Limited":        "2025-01-07",
		"MGI Tech Co., Ltd.":                              "2025-01-07",
		"TP-Link Technologies Co., Ltd.":                  "2026-06-10",
		"Zhongji Innolight Co., Ltd.":                     "2026-06-10",
		"BOE Technology Group Co., Ltd.":                  "",
		"China National Offshore Oil Corporation":         "",
	} {
		if byName[name] != want {
			t.Errorf("%s: listed_on %q, want %q", name, byName[name], want)
		}
	}
	out, states, err := history.PointInTime("2025-06-01", []history.Candidate{{Dataset: ds, Date: "2026-07-07", Label: "embedded"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.Source != "us_1260h" {
			continue
		}
		// Seven first named on 2026-06-10 left out; 21 dated earlier and 160 undated kept.
		if st.Status != history.Inferred || st.Dropped != 7 || st.Undated != 160 || st.Entries != 181 ||
			st.VersionDate != "2026-06-10" || !strings.Contains(st.Note, "curated/us_1260h.csv") {
			t.Errorf("us_1260h on 2025-06-01: %+v", st)
		}
	}
	kept := map[string]bool{}
	for _, d := range out {
		for _, e := range d.Entries {
			kept[e.Name] = true
		}
	}
	if !kept["Tencent Holdings Limited"] || kept["Alibaba Group Holding Limited"] || !kept["China COSCO SHIPPING Corporation Limited"] || kept["TP-Link Technologies Co., Ltd."] {
		t.Errorf("on 2025-06-01: Tencent kept %v, Alibaba kept %v, COSCO kept %v, TP-Link kept %v", kept["Tencent Holdings Limited"],
			kept["Alibaba Group Holding Limited"], kept["China COSCO SHIPPING Corporation Limited"], kept["TP-Link Technologies Co., Ltd."])
	}
	// After the newest version held, the answer uses it and says that it is not known to be still in force.
	_, states, err = history.PointInTime("2026-12-01", []history.Candidate{{Dataset: ds, Date: "2026-07-07", Label: "embedded"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.Source == "us_1260h" && (st.Status != history.InForce || st.Entries != 188 || strings.Contains(st.Note, "was in force on") ||
			st.Note != "the version of 2026-06-10 (embedded snapshot: curated/us_1260h.csv) is the newest held: it was in force from 2026-06-10, and whether it still was on 2026-12-01 is not known, as no later version is held") {
			t.Errorf("us_1260h on 2026-12-01: %+v", st)
		}
	}
}
