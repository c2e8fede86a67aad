package curated

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// FuzzParse feeds arbitrary bytes to Parse, seeded with a header and a few real rows of each shipped file. It
// asserts that Parse never panics, that every error is a *tradescreen.ParseError or *tradescreen.Error, and
// that a success yields complete, consistent entries.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"us_fcc.csv", "us_1260h.csv", "us_uflpa.csv", "us_889.csv"} {
		b, err := os.ReadFile("data/" + name)
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		for i := 1; i < len(lines) && i < 4; i++ {
			f.Add([]byte(lines[0] + lines[i]))
		}
	}
	f.Add([]byte("list_code,id,name,aliases\nus_fcc,a,A,\"fka:B; ; C\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Parse(b, "fuzz.csv")
		if err != nil {
			var pe *tradescreen.ParseError
			var ae *tradescreen.Error
			if !errors.As(err, &pe) && !errors.As(err, &ae) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		n := 0
		for _, l := range ds.Lists {
			n += l.Entries
		}
		if len(ds.Entries) == 0 || n != len(ds.Entries) {
			t.Fatalf("inconsistent dataset: %d entries, lists %+v", len(ds.Entries), ds.Lists)
		}
		for _, e := range ds.Entries {
			if e.SourceID == "" || e.Name == "" || e.Source == "" || !json.Valid(e.Raw) {
				t.Fatalf("incomplete entry %+v", e)
			}
		}
	})
}
