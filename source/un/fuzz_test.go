package un

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"testing"

	"github.com/tradescreen/tradescreen"
)

var recordRe = regexp.MustCompile(`(?s)<(INDIVIDUAL|ENTITY)>.*?</(INDIVIDUAL|ENTITY)>`)

// FuzzParse feeds arbitrary bytes to Parse, seeded with real excerpts of the 2018 and 2026 files and a few
// damaged variants. It asserts that Parse never panics, that every error is a *tradescreen.ParseError or a
// *tradescreen.Error, and that a success yields complete entries with valid raw JSON.
func FuzzParse(f *testing.F) {
	for _, file := range []string{"testdata/excerpt_2018-06-07.xml", "testdata/excerpt_2026-02-27.xml"} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		// One small seed per real record: whole excerpts make the fuzzer spend its time minimizing.
		for _, rec := range recordRe.FindAll(b, -1) {
			container := "INDIVIDUALS"
			if bytes.HasPrefix(rec, []byte("<ENTITY>")) {
				container = "ENTITIES"
			}
			f.Add([]byte(header + "<" + container + ">" + string(rec) + "</" + container + "></CONSOLIDATED_LIST>"))
		}
		f.Add(gz(b[:2000]))
	}
	f.Add([]byte(header + "<INDIVIDUALS>" + record("CDi.001", "A") + "</INDIVIDUALS></CONSOLIDATED_LIST>"))
	f.Add([]byte(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME><REFERENCE_NUMBER>1</REFERENCE_NUMBER><ENTITY_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>أ (a; b (c)) d) e; f</ALIAS_NAME><NOTE>in Arabic script: ب</NOTE></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
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
		if len(ds.Entries) == 0 || len(ds.Lists) != 1 || ds.Lists[0].Entries != len(ds.Entries) {
			t.Fatalf("inconsistent dataset: %d entries, lists %+v", len(ds.Entries), ds.Lists)
		}
		for _, e := range ds.Entries {
			if e.SourceID == "" || e.Name == "" || !json.Valid(e.Raw) {
				t.Fatalf("incomplete entry %+v", e)
			}
		}
	})
}
