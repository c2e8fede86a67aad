package uksl

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// FuzzParse feeds arbitrary bytes to Parse, seeded with the real sample and pieces of it: it must never
// panic, fail only with a *tradescreen.ParseError or *tradescreen.Error, and on success give well-formed
// entries.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(sampleFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	lines := strings.SplitAfter(string(b), "\n")
	f.Add([]byte(lines[0] + lines[1] + lines[3]))
	f.Add([]byte(lines[1] + lines[2]))
	f.Add([]byte("Report Date: 01-Jan-2026\nUnique ID,Name 6,Name type,Designation Type,IMO number\nX1,A,Alias,Ship,IMO1\nX1,B,Primary Name,Ship,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Parse(b, "fuzz.csv")
		if err != nil {
			var pe *tradescreen.ParseError
			var te *tradescreen.Error
			if !errors.As(err, &pe) && !errors.As(err, &te) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(ds.Entries) == 0 || len(ds.Lists) != 1 || ds.Lists[0].Entries != len(ds.Entries) || ds.Lists[0].Published == "" {
			t.Fatalf("success without entries or date: %+v", ds.Lists)
		}
		for _, e := range ds.Entries {
			if e.Source != SourceCode || e.SourceID == "" || e.Name == "" || !json.Valid(e.Raw) {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}
