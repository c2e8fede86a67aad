package ecfr

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"testing"

	"github.com/tradescreen/tradescreen"
)

var rowRe = regexp.MustCompile(`(?s)<TR><TD>.*?</TR>`)

// FuzzParse feeds arbitrary bytes to Parse, seeded with the rows of the format sample, one per document. It
// asserts that Parse never panics, that errors are coded, and that a success yields complete entries.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(sample)
	if err != nil {
		f.Fatal(err)
	}
	for _, row := range rowRe.FindAll(b, -1) {
		f.Add([]byte(`<DIV9 N="Supplement No. 4 to Part 744"><TABLE>` + string(row) + `</TABLE></DIV9>`))
	}
	f.Add([]byte(`<DIV9 N="Supplement No. 4 to Part 744"><TR><TD>X</TD><TD><E>A</E>, a.k.a., —B;<br/>and —C. 1 D, X and E</TD><TD>R <SU>2</SU></TD><TD/><TD>1 FR 2</TD></TR></DIV9>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Parse(b, "fuzz.xml")
		if err != nil {
			var pe *tradescreen.ParseError
			var ae *tradescreen.Error
			if !errors.As(err, &pe) && !errors.As(err, &ae) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		if len(ds.Lists) != 1 || ds.Lists[0].Entries != len(ds.Entries) {
			t.Fatalf("inconsistent dataset %+v", ds.Lists)
		}
		for _, e := range ds.Entries {
			if e.SourceID == "" || e.Name == "" || !json.Valid(e.Raw) {
				t.Fatalf("incomplete entry %+v", e)
			}
		}
	})
}
