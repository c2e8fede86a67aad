package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
	"github.com/tradescreen/tradescreen/source/dpl"
	"github.com/tradescreen/tradescreen/source/ofac"
	"github.com/tradescreen/tradescreen/source/un"
)

const lists = "../testdata/lists/"

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(lists + path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sdn(t *testing.T, date string) *source.Dataset {
	t.Helper()
	name := "sdn_" + date + ".csv.gz"
	ds, err := ofac.ParseSDNCSV(read(t, "ofac/sdn_dated/"+name), nil, nil, nil, name)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Counts in these tests were taken independently with Python: csv.reader over the gunzipped sdn.csv keyed by
// ent_num, and xml.etree over the UN files keyed by REFERENCE_NUMBER.

func TestDiffSDNAdded(t *testing.T) {
	d := Diff(sdn(t, "2022-02-23"), sdn(t, "2022-02-24"))
	if len(d) != 1 || d[0].Source != "us_sdn" {
		t.Fatalf("diff = %+v", d)
	}
	// 9,121 -> 9,123: Nord Stream 2 AG (31926) and Matthias Warnig (31922) designated under PEESA-EO14039.
	if d[0].Added != 2 || d[0].Removed != 0 || d[0].Changed != 0 {
		t.Fatalf("added %d removed %d changed %d, want 2 0 0", d[0].Added, d[0].Removed, d[0].Changed)
	}
	got := map[string]string{}
	for _, c := range d[0].Changes {
		got[c.SourceID] = c.Name
	}
	if got["31926"] != "NORD STREAM 2 AG" || !strings.Contains(got["31922"], "WARNIG") {
		t.Errorf("added %v", got)
	}
}

func TestDiffSDNRemoved(t *testing.T) {
	d := Diff(sdn(t, "2024-05-02"), sdn(t, "2024-05-03"), "us_sdn")
	// 14,973 -> 14,965: eight entries (Emperor Aviation and its aircraft, ent_num 38556 ...) delisted.
	if d[0].Added != 0 || d[0].Removed != 8 || d[0].Changed != 0 {
		t.Fatalf("added %d removed %d changed %d, want 0 8 0", d[0].Added, d[0].Removed, d[0].Changed)
	}
	found := false
	for _, c := range d[0].Changes {
		if c.Type != Removed {
			t.Errorf("%+v is not a removal", c)
		}
		if c.SourceID == "38556" && c.Name == "EMPEROR AVIATION LTD" {
			found = true
		}
	}
	if !found {
		t.Errorf("38556 EMPEROR AVIATION LTD not among %+v", d[0].Changes)
	}
}

func TestDiffUN(t *testing.T) {
	a, err := un.Parse(read(t, "un/consolidated_2018-06-07.xml.gz"), "consolidated_2018-06-07.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	b, err := un.Parse(read(t, "un/consolidated_2018-10-29.xml.gz"), "consolidated_2018-10-29.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(a, b)
	// 1,098 -> 1,093: 11 added (LYi.027, QDe.159, QDi.413 ...), 16 removed (IQe.024, IQe.041 ...).
	if d[0].Source != "un_sc" || d[0].Added != 11 || d[0].Removed != 16 {
		t.Fatalf("un_sc added %d removed %d, want 11 16", d[0].Added, d[0].Removed)
	}
	var ly022 *Change
	for i, c := range d[0].Changes {
		if c.SourceID == "LYi.022" {
			ly022 = &d[0].Changes[i]
		}
	}
	// LYi.022 (Fitiwi Abdelrazak) gained the alias "Abdurezak, Abdelrazaq, Abdulrazak, Abdrazzak".
	if ly022 == nil || ly022.Type != Changed {
		t.Fatalf("LYi.022 not changed: %+v", ly022)
	}
	aliases := false
	for _, f := range ly022.Fields {
		if f.Field == "aliases" && len(f.Added) > 0 && strings.Contains(strings.Join(f.Added, "|"), "Abdulrazak") {
			aliases = true
		}
	}
	if !aliases {
		t.Errorf("LYi.022 changes %+v lack the new alias", ly022.Fields)
	}
}

func TestDiffDPL(t *testing.T) {
	a, err := dpl.ParseDPL(read(t, "csl/dpl/dpl_2019-06.txt.gz"), "dpl_2019-06.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	b, err := dpl.ParseDPL(read(t, "csl/dpl/dpl_2022-09.txt.gz"), "dpl_2022-09.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(a, b)
	if len(d) != 1 || d[0].Source != "us_dpl" {
		t.Fatalf("%+v", d)
	}
	// 417 -> 461 entries: the counts must add up, and there are changes of each kind.
	if 417+d[0].Added-d[0].Removed != 461 || d[0].Added == 0 || d[0].Removed == 0 || d[0].Changed == 0 {
		t.Errorf("added %d removed %d changed %d", d[0].Added, d[0].Removed, d[0].Changed)
	}
	if len(Diff(b, b)[0].Changes) != 0 {
		t.Error("a version differs from itself")
	}
}

func TestDiffEntry(t *testing.T) {
	a := &tradescreen.Entry{Name: "X", FederalRegister: []string{"84 FR 54002"}, Aliases: []tradescreen.Name{{Full: "Y", Type: "aka"}}}
	b := &tradescreen.Entry{Name: "X", FederalRegister: []string{"84 FR 54002", "85 FR 44159"},
		Aliases: []tradescreen.Name{{Full: "Y", Type: "aka"}, {Full: "Z", Type: "fka"}}, Addresses: []tradescreen.Address{{City: "Hangzhou", CountryName: "China"}}}
	got := DiffEntry(a, b)
	want := map[string]string{"aliases": "Z (fka)", "addresses": "Hangzhou, China", "federal_register": "85 FR 44159"}
	if len(got) != 3 {
		t.Fatalf("%+v", got)
	}
	for _, f := range got {
		if len(f.Added) != 1 || f.Added[0] != want[f.Field] || len(f.Removed) != 0 {
			t.Errorf("%+v", f)
		}
	}
}

func TestStore(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b1, b2 := read(t, "ofac/sdn_dated/sdn_2022-02-23.csv.gz"), read(t, "ofac/sdn_dated/sdn_2022-02-24.csv.gz")
	now := time.Date(2022, 2, 24, 12, 0, 0, 0, time.UTC)
	v1, err := s.Add(Version{Feed: "ofac_sdn", Kind: "ofac", Name: "sdn.csv", Published: "2022-02-23", Downloaded: now, Lists: map[string]int{"us_sdn": 9121}}, b1)
	if err != nil {
		t.Fatal(err)
	}
	// A crash mid-append leaves a torn line; it is skipped and the next version still lands on its own line.
	f, _ := os.OpenFile(filepath.Join(dir, indexName), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":2,"feed":"ofac_sdn","kind":"of`)
	f.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Versions()) != 1 || len(s.Warnings) != 1 {
		t.Fatalf("versions %d warnings %q", len(s.Versions()), s.Warnings)
	}
	v2, err := s.Add(Version{Feed: "ofac_sdn", Kind: "ofac", Name: "sdn.csv", Published: "2022-02-24", Downloaded: now, Lists: map[string]int{"us_sdn": 9123}}, b2)
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if vs := s.Versions(); len(vs) != 2 || vs[0].ID != 1 || vs[1].ID != 2 || v1.SHA256 != source.SHA256(b1) || v2.Size != int64(len(b2)) {
		t.Fatalf("versions %+v", vs)
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", v1.SHA256)); err != nil {
		t.Fatal(err)
	}
	for ref, id := range map[string]int{"#1": 1, "2": 2, v1.SHA256[:8]: 1, "2022-02-23": 1, "2022-03-01": 2} {
		v, err := s.Find("ofac_sdn", ref)
		if err != nil || v.ID != id {
			t.Errorf("Find(%s) = %v, %v; want #%d", ref, v, err, id)
		}
	}
	if _, err := s.Find("ofac_sdn", "2022-01-01"); tradescreen.ErrorCode(err) != tradescreen.ENOTFOUND {
		t.Errorf("Find before the history: %v", err)
	}
	ds, err := s.Load(*s.Latest("ofac_sdn"))
	if err != nil || len(ds.Entries) != 9123 || !strings.Contains(ds.Lists[0].Origin, "ofac_sdn #2") || ds.Lists[0].Published != "2022-02-24" {
		t.Fatalf("load: %v %+v", err, ds.Lists)
	}
	// Current lays the stored SDN over a base carrying us_sdn and another list: the base's us_sdn goes.
	base := &source.Dataset{Lists: []tradescreen.ListVersion{{Source: "us_sdn"}, {Source: "us_el"}},
		Entries: []tradescreen.Entry{{Source: "us_sdn", SourceID: "1", Name: "A"}, {Source: "us_el", SourceID: "e", Name: "B"}}}
	cur, err := s.Current([]*source.Dataset{base})
	if err != nil || len(cur) != 2 || len(cur[0].Lists) != 1 || cur[0].Lists[0].Source != "us_el" || len(cur[0].Entries) != 1 || len(cur[1].Entries) != 9123 {
		t.Fatalf("current: %v %d", err, len(cur))
	}
	// A corrupt blob is refused, never loaded.
	os.Chmod(filepath.Join(dir, "blobs", v2.SHA256), 0o644)
	os.WriteFile(filepath.Join(dir, "blobs", v2.SHA256), b2[:1000], 0o644)
	if _, err := s.Load(v2); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("corrupt blob: %v", err)
	}
	// Candidates for a date between the two versions: the first (in force) and the second (later).
	s2, _ := Open(dir)
	if none, err := OpenExisting(filepath.Join(dir, "nothing")); none != nil || err != nil {
		t.Errorf("OpenExisting on an empty dir: %v %v", none, err)
	}
	_ = s2
}

func TestPointInTimeHikvision(t *testing.T) {
	name := "consolidated_2022-05-16.csv.gz"
	ds, err := csl.Parse(read(t, "csl/"+name), name)
	if err != nil {
		t.Fatal(err)
	}
	cands := []Candidate{{Dataset: ds, Date: "2022-05-16", Label: "embedded snapshot: " + name}}
	has := func(dss []*source.Dataset, id string) *tradescreen.Entry {
		for _, d := range dss {
			for i := range d.Entries {
				if d.Entries[i].Source == "us_el" && strings.Contains(d.Entries[i].Name, "Hikvision") {
					return &d.Entries[i]
				}
			}
		}
		return nil
	}
	before, st, err := PointInTime("2019-10-01", cands)
	if err != nil {
		t.Fatal(err)
	}
	if e := has(before, "Hikvision"); e != nil {
		t.Errorf("Hikvision on the Entity List on 2019-10-01: %+v", e.StartDate)
	}
	status := map[string]ListAsOf{}
	for _, s := range st {
		status[s.Source] = s
	}
	// The Entity List is inferred from start dates (1,827 of its 2,001 entries carry one); the SDN rows of
	// the CSL carry none, so us_sdn cannot be reconstructed and is not screened.
	if status["us_el"].Status != Inferred || status["us_el"].Undated != 2001-1827 || status["us_sdn"].Status != NotCovered {
		t.Errorf("states: %+v / %+v", status["us_el"], status["us_sdn"])
	}
	after, st, err := PointInTime("2019-10-10", cands)
	if err != nil {
		t.Fatal(err)
	}
	e := has(after, "Hikvision")
	if e == nil || e.StartDate != "2019-10-09" {
		t.Fatalf("Hikvision not listed on 2019-10-10: %+v", e)
	}
	if n := EntryNote(e, st); n != "inferred from start_date 2019-10-09 in the 2022-05-16 list" {
		t.Errorf("note = %q", n)
	}
	now, st, err := PointInTime("2023-01-01", cands)
	if err != nil || has(now, "Hikvision") == nil || st[0].Status != InForce || EntryNote(has(now, ""), st) != "" {
		t.Errorf("2023: %v %+v", err, st[0])
	}
	if _, _, err := PointInTime("2019-13-01", cands); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("bad date: %v", err)
	}
}

// TestPointInTimeBetweenVersions: on a date between two versions held, neither is taken as the list of that
// day. Every entry of the older version is screened (one the newer no longer has too: it may have been removed
// after the date), and the newer version's others unless their own start date is after the date (an undated
// one is kept); each match says which version gave it. On the older version's own date, that version alone
// answers.
func TestPointInTimeBetweenVersions(t *testing.T) {
	entry := func(id, name, start string) tradescreen.Entry {
		return tradescreen.Entry{Source: "us_el", SourceID: id, Name: name, StartDate: start}
	}
	older := &source.Dataset{Lists: []tradescreen.ListVersion{{Source: "us_el", Published: "2020-01-01"}},
		Entries: []tradescreen.Entry{entry("o1", "Alpha Trading Co.", "2019-05-21"), entry("o2", "Bravo Works", "2019-06-01")}}
	newer := &source.Dataset{Lists: []tradescreen.ListVersion{{Source: "us_el", Published: "2022-01-01"}},
		Entries: []tradescreen.Entry{entry("n1", "ALPHA TRADING CO.", "2019-05-21"), entry("n2", "Charlie Systems", "2021-01-01"),
			entry("n3", "Delta Semiconductor", "2021-12-01"), entry("n4", "Echo Imaging", "")}}
	cands := []Candidate{{Dataset: older, Date: "2020-01-01", Label: "v1"}, {Dataset: newer, Date: "2022-01-01", Label: "v2"}}

	ds, states, err := PointInTime("2021-06-01", cands)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		for _, e := range d.Entries {
			ids = append(ids, e.SourceID)
		}
	}
	if strings.Join(ids, " ") != "o1 o2 n2 n4" {
		t.Errorf("entries screened %v, want o1 o2 n2 n4", ids)
	}
	st := states[0]
	if st.Status != Inferred || st.NewerDate != "2022-01-01" || st.Dropped != 1 || st.Undated != 1 || !strings.Contains(st.Note, "neither is known to be the list of 2021-06-01") {
		t.Errorf("state %+v", st)
	}
	for id, want := range map[string]string{
		"o1": "in the 2020-01-01 list, and still in the 2022-01-01 list",
		"o2": "in the 2020-01-01 list but not in the 2022-01-01 list: removed between the two",
		"n2": "added after the 2020-01-01 list: start_date 2021-01-01 in the 2022-01-01 list",
		"n4": "added between the 2020-01-01 and 2022-01-01 lists, on a date not known",
	} {
		for _, d := range ds {
			for i := range d.Entries {
				if e := &d.Entries[i]; e.SourceID == id && !strings.Contains(EntryNote(e, states), want) {
					t.Errorf("%s: note %q, want %q", id, EntryNote(e, states), want)
				}
			}
		}
	}

	// On the older version's own date it is the list of that day.
	ds, states, err = PointInTime("2020-01-01", cands)
	if err != nil || states[0].Status != InForce || len(ds[0].Entries) != 2 || !strings.Contains(states[0].Note, "is the list of that day") {
		t.Errorf("on 2020-01-01: %v %+v", err, states)
	}
}
