package snapshot

import (
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
		"gb_hmt": {"2020-04-27", 2114},
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
	// 13 US lists from the CSL, the UN and UK lists, and the four curated US lists outside the CSL.
	if len(seen) != 19 {
		t.Errorf("%d lists, want 19", len(seen))
	}
}

// TestHistory: the Entity List of the 2022 CSL, superseded by the 2026-07-09 one, stays for point-in-time
// answers, and only it.
func TestHistory(t *testing.T) {
	old, err := History()
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || len(old[0].Lists) != 1 {
		t.Fatalf("history %d datasets, want the 2022 Entity List alone", len(old))
	}
	if l := old[0].Lists[0]; l.Source != "us_el" || l.Published != "2022-05-16" || len(old[0].Entries) != 2001 {
		t.Errorf("history holds %s of %s with %d entries, want us_el of 2022-05-16 with 2001", l.Source, l.Published, len(old[0].Entries))
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
