package csl

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// checkFuzzResult asserts the reader's contract on any input: an error is a *tradescreen.ParseError or a
// *tradescreen.Error, and a success has entries, each with a list code, a name and a JSON Raw, counted in the
// list versions.
func checkFuzzResult(t *testing.T, data []byte) {
	ds, err := Parse(data, "fuzz.in")
	if err != nil {
		var pe *tradescreen.ParseError
		var te *tradescreen.Error
		if !errors.As(err, &pe) && !errors.As(err, &te) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if ds != nil {
			t.Fatalf("dataset with an error")
		}
		return
	}
	if len(ds.Entries) == 0 {
		t.Fatalf("success without entries")
	}
	n := 0
	for _, lv := range ds.Lists {
		n += lv.Entries
		if lv.Names < lv.Entries {
			t.Fatalf("%s: %d names for %d entries", lv.Source, lv.Names, lv.Entries)
		}
	}
	if n != len(ds.Entries) {
		t.Fatalf("list versions count %d entries, dataset has %d", n, len(ds.Entries))
	}
	keys := map[string]bool{}
	for _, e := range ds.Entries {
		if e.Source == "" || e.Name == "" || e.SourceID == "" || len(e.Raw) == 0 {
			t.Fatalf("incomplete entry %+v", e)
		}
		if keys[e.Key()] {
			t.Fatalf("duplicate key %s", e.Key())
		}
		keys[e.Key()] = true
	}
}

func seedFile(f *testing.F, path string, max int) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	if len(b) > max {
		b = b[:max]
	}
	f.Add(b)
}

// FuzzParseCSV fuzzes the CSV reader, seeded with the real excerpts.
func FuzzParseCSV(f *testing.F) {
	seedFile(f, "testdata/excerpt_2022.csv", 1<<20)
	seedFile(f, "testdata/excerpt_2023.csv", 1<<20)
	seedFile(f, lists+"consolidated_2019-12_sample.csv", 8<<10)
	seedFile(f, lists+"consolidated_2025-06_sample.csv", 1<<20)
	f.Add([]byte("_id,source,name\n1,EL,\"A (a.k.a. B; and -C)\"\n"))
	f.Add([]byte("source,entity_number,name,ids,addresses,federal_register_notice\nSDN,1,\"X, a.k.a., the following two aliases: -Y; and -Z.\",\"JO, 2014-08-30, 2009-08-31, K1, Passport\",\"and 1 Road, Xi?an, CN\",68 F.R. 1 6/27/03 71 F.R. 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzzResult(t, data)
	})
}

// FuzzParseJSON fuzzes the JSON reader, seeded with the JSON fixture and small documents.
func FuzzParseJSON(f *testing.F) {
	b, err := os.ReadFile("testdata/consolidated_2022_excerpt.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	// the first result alone, compacted
	if i := bytes.Index(b, []byte("\n  },")); i > 0 {
		f.Add(append(append([]byte(nil), b[:i+4]...), []byte("]}")...))
	}
	f.Add([]byte(`[{"id":1,"source":"EL","name":"Example Co.","alt_names":"A; and B","addresses":["1 Road, Beijing, CN"],"ids":["Passport, X1, KP"],"dates_of_birth":"1961; 1962"}]`))
	f.Add([]byte(`{"sources_used":[{"source":"SDN","source_last_updated":"2024-03-01"}],"results":[{"_id":"x","source":"SDN","type":"Individual","name":"DOE, John","addresses":[{"address":"1 Road","city":"Tehran","country":"IR"}],"ids":[{"type":"Passport","number":"1","country":"IR","issue_date":"2001-01-01","expiration_date":"2011-01-01"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzzResult(t, data)
	})
}
