package snapshot

import (
	"reflect"
	"testing"

	"github.com/tradescreen/tradescreen/screen"
)

func TestLoad(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		published string
		entries   int
	}{
		// Counts as the readers' tests establish them on the same files.
		"us_el": {"2026-07-09", 3409}, "us_sdn": {"2022-05-16", 10026}, "un_sc": {"2026-02-27", 1003},
		"gb_hmt": {"2020-04-27", 2114}, "us_dpl": {"2023-11-28", 547}, "us_ssi": {"2026-01-08", 286},
		"us_fse": {"2026-01-08", 0}, "us_plc": {"2026-01-08", 78}, "us_cap": {"2026-01-08", 1},
		"us_mbs": {"2026-01-08", 9}, "us_cmic": {"2026-01-08", 68}, "us_meu": {"2022-05-16", 71},
		"us_uvl": {"2022-05-16", 201}, "us_isn": {"2022-05-16", 163}, "us_dtc": {"2022-05-16", 727},
	}
	seen := map[string]bool{}
	for _, d := range ds {
		for _, l := range d.Lists {
			if seen[l.Source] {
				t.Errorf("%s loaded twice", l.Source)
			}
			seen[l.Source] = true
			if l.Published == "" || l.Loaded.IsZero() || l.Origin == "" {
				t.Errorf("%s: incomplete version %+v", l.Source, l)
			}
			if w, ok := want[l.Source]; ok && (l.Published != w.published || l.Entries != w.entries) {
				t.Errorf("%s: published %s entries %d, want %s %d", l.Source, l.Published, l.Entries, w.published, w.entries)
			}
		}
	}
	// 13 US lists (from the CSL, the eCFR text, CONSOLIDATED.xml and dpl.txt), the UN and UK lists, and the
	// four curated US lists outside the CSL.
	if len(seen) != 19 {
		t.Errorf("%d lists, want 19", len(seen))
	}
}

// TestHistory: the lists of the 2022 CSL that later embedded files supersede (the Entity List by the law's
// text of 2026-07-09, the Denied Persons List by dpl.txt of 2023-11, OFAC's six non-SDN lists by
// CONSOLIDATED.xml of 2026-01-08) stay for point-in-time answers, and only they.
func TestHistory(t *testing.T) {
	old, err := History()
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 {
		t.Fatalf("history %d datasets, want the superseded lists of the 2022 CSL alone", len(old))
	}
	// Counts of the 2022 CSL's rows per source (TestLoad's csl counts before the split).
	want := map[string]int{"us_el": 2001, "us_dpl": 462, "us_ssi": 290, "us_fse": 3, "us_plc": 78, "us_cap": 53,
		"us_mbs": 17, "us_cmic": 68}
	got := map[string]int{}
	for _, l := range old[0].Lists {
		if l.Published != "2022-05-16" {
			t.Errorf("history %s of %s, want 2022-05-16", l.Source, l.Published)
		}
		got[l.Source] = l.Entries
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history lists %v, want %v", got, want)
	}
	n := 0
	for _, w := range want {
		n += w
	}
	if len(old[0].Entries) != n {
		t.Errorf("history holds %d entries, want %d", len(old[0].Entries), n)
	}
}

// BenchmarkColdStart measures what a fresh process does before it can answer: load the embedded lists
// (decode data/parsed.bin) and build the screener and its index. (The curated lists are parsed once per
// process and so only in the first iteration.) cpu-ms/op is the CPU time of the whole process per
// iteration, every core and the garbage collector included.
func BenchmarkColdStart(b *testing.B) {
	c0 := processCPU()
	for i := 0; i < b.N; i++ {
		ds, err := load()
		if err != nil {
			b.Fatal(err)
		}
		screen.New(ds...)
	}
	if c := processCPU() - c0; c > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkParse measures parsing the official files with their readers: what Load does when
// data/parsed.bin is stale, and what Encode does.
func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := parseFiles(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode measures decoding data/parsed.bin, which Load does instead of parsing.
func BenchmarkDecode(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := decoded(); err != nil {
			b.Fatal(err)
		}
	}
}
