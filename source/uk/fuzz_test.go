package uk

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// FuzzParse feeds arbitrary bytes to Parse, seeded with real excerpts: it must never panic, fail only with
// a *tradescreen.ParseError or *tradescreen.Error, and on success give well-formed entries.
func FuzzParse(f *testing.F) {
	for _, p := range []string{excerpt, sampleFile} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		lines := bytes.SplitAfter(b, []byte("\n"))
		f.Add(bytes.Join(lines[:min(len(lines), 5)], nil))  // date line, header, three rows
		f.Add(bytes.Join(lines[1:min(len(lines), 4)], nil)) // no date line
	}
	f.Add([]byte("Last Updated,01/01/2020\nName 6,Name 1,Group Type,Alias Type,Regime,Group ID,Country of Birth,Town of Birth\nX,(1) a (2) b,Individual,AKA,R,1,(1)-(2) Y,(1) p (2) q\n"))
	f.Add([]byte("Last Updated,01/01/2020\nName 6,Name 1,Group Type,Alias Type,Regime,Group ID,Other Information\nX,,Entity,Prime Alias,R,1,UN Ref.KPI. 076 IMO: 1234567 (UK Sanctions List Ref):AQD0183\n"))
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
		if len(ds.Entries) == 0 || len(ds.Lists) != 1 || ds.Lists[0].Entries != len(ds.Entries) {
			t.Fatalf("success without entries: %+v", ds.Lists)
		}
		for _, e := range ds.Entries {
			if e.Source != SourceCode || e.SourceID == "" || e.Name == "" || !json.Valid(e.Raw) {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}
