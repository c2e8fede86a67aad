package eu

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// FuzzParse feeds arbitrary bytes to Parse, seeded with real excerpts. Parse must not panic; an
// error must be a *tradescreen.ParseError or *tradescreen.Error; a success must hold well-formed entries.
// The seeds are one-record excerpts (the 20 KB sample files make the fuzzer spend its time minimizing).
func FuzzParse(f *testing.F) {
	for _, path := range []string{"testdata/saddam_hussein_excerpt.xml", "testdata/leo_manzi_excerpt.xml"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(synthetic))
	f.Add([]byte(""))
	f.Add([]byte("<html><body>error</body></html>"))
	f.Add([]byte(`<export><sanctionEntity logicalId="1"><nameAlias wholeName="A"/></sanctionEntity></export>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Parse(b, "fuzz.xml")
		if err != nil {
			var pe *tradescreen.ParseError
			var e *tradescreen.Error
			if !errors.As(err, &pe) && !errors.As(err, &e) {
				t.Fatalf("error %T is neither *ParseError nor *Error: %v", err, err)
			}
			return
		}
		if len(ds.Lists) != 1 || ds.Lists[0].Entries != len(ds.Entries) || len(ds.Entries) == 0 {
			t.Fatalf("bad dataset: %d lists, %d entries", len(ds.Lists), len(ds.Entries))
		}
		seen := map[string]bool{}
		for _, e := range ds.Entries {
			if e.SourceID == "" || e.Name == "" || e.Source != SourceCode {
				t.Fatalf("bad entry %+v", e)
			}
			if seen[e.SourceID] {
				t.Fatalf("duplicate source_id %s", e.SourceID)
			}
			seen[e.SourceID] = true
			var m map[string]any
			if err := json.Unmarshal(e.Raw, &m); err != nil {
				t.Fatalf("Raw is not a JSON object: %v: %s", err, e.Raw)
			}
		}
	})
}
