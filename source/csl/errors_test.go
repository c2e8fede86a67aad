package csl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

func readTestFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestExcerpts parses the byte-for-byte excerpts: the 2022 one plain and gzipped, and the 2023 one with its
// repeated header row.
func TestExcerpts(t *testing.T) {
	ex := readTestFile(t, "testdata/excerpt_2022.csv")
	for _, c := range []struct {
		name string
		b    []byte
	}{{"excerpt_2022.csv", ex}, {"excerpt_2022.csv.gz", gz(t, ex)}} {
		t.Run(c.name, func(t *testing.T) {
			ds, err := Parse(c.b, c.name)
			if err != nil {
				t.Fatal(err)
			}
			// 31 records: `python3 -c "import csv;print(sum(1 for _ in csv.DictReader(open('excerpt_2022.csv'))))"`
			if len(ds.Entries) != 31 {
				t.Errorf("%d entries, want 31", len(ds.Entries))
			}
		})
	}
	t.Run("excerpt_2023.csv", func(t *testing.T) {
		ds, err := Parse(readTestFile(t, "testdata/excerpt_2023.csv"), "excerpt_2023.csv")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Entries) != 5 { // header, repeated header, 5 records
			t.Fatalf("%d entries, want 5", len(ds.Entries))
		}
		var tn, de bool
		for _, e := range ds.Entries {
			for _, id := range e.Identifiers {
				if id.Number == "E590976" {
					tn = id == tradescreen.Identifier{Type: "Passport", Number: "E590976", Country: "TN", Issued: "1987-06-19", Expires: "1992-06-18"}
				}
			}
			for _, a := range e.Addresses {
				if a.Full == "Billstrasse 123, Hamburg, Germany" {
					de = a.Country == "DE" && a.CountryName == "Germany"
				}
			}
		}
		if !tn || !de {
			t.Errorf("passport dates %v, Hamburg address %v", tn, de)
		}
	})
}

// TestJSON reads the JSON fixture (converted from excerpt_2022.csv, see testdata/README.md) and checks that it
// gives the same entries as the CSV, apart from what the two forms write differently.
func TestJSON(t *testing.T) {
	js, err := Parse(readTestFile(t, "testdata/consolidated_2022_excerpt.json"), "consolidated_2022_excerpt.json")
	if err != nil {
		t.Fatal(err)
	}
	csv, err := Parse(readTestFile(t, "testdata/excerpt_2022.csv"), "excerpt_2022.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(js.Entries) != 31 || len(js.Lists) != len(csv.Lists) {
		t.Fatalf("%d entries, %d lists", len(js.Entries), len(js.Lists))
	}
	for i := range js.Entries {
		j, c := js.Entries[i], csv.Entries[i]
		if j.Key() != c.Key() || j.Name != c.Name || j.Kind != c.Kind || !reflect.DeepEqual(j.Aliases, c.Aliases) ||
			!reflect.DeepEqual(j.FederalRegister, c.FederalRegister) || j.StartDate != c.StartDate ||
			j.LicenseRequirement != c.LicenseRequirement || !reflect.DeepEqual(j.Programs, c.Programs) ||
			!reflect.DeepEqual(j.BirthDates, c.BirthDates) || !reflect.DeepEqual(j.BirthPlaces, c.BirthPlaces) ||
			len(j.Addresses) != len(c.Addresses) || len(j.Identifiers) != len(c.Identifiers) || j.Gender != c.Gender {
			t.Errorf("entry %d differs:\njson %+v\n csv %+v", i, j, c)
			continue
		}
		for k := range j.Addresses {
			if j.Addresses[k].Country != c.Addresses[k].Country {
				t.Errorf("%s address %d: %+v vs %+v", j.Key(), k, j.Addresses[k], c.Addresses[k])
			}
		}
		if !bytes.Contains(j.Raw, []byte(`"results"`)) && (len(j.Raw) == 0 || j.Raw[0] != '{' || bytes.Contains(j.Raw, []byte("\n"))) {
			t.Errorf("Raw not a compact object: %s", j.Raw)
		}
	}
	h := findKey(t, js, "us_el", "f095626c9f8becc70b5948507fb6de6e443b257a")
	if h.Addresses[0] != (tradescreen.Address{Full: "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", Street: "No. 555 Qianmo Road, Binjiang District",
		City: "Hangzhou", PostalCode: "310052", Country: "CN", CountryName: "CN"}) {
		t.Errorf("JSON address %+v", h.Addresses[0])
	}
	if js.Lists[0].PublishedNote == "" || !strings.Contains(js.Lists[0].PublishedNote, "JSON") {
		t.Errorf("note %q", js.Lists[0].PublishedNote)
	}

	t.Run("bare array, id as number, sources_used", func(t *testing.T) {
		doc := `{"sources_used":[{"source":"Entity List (EL) - Bureau of Industry and Security","source_last_updated":"2024-03-01T10:00:00+00:00"}],
"results":[{"id":1,"source":"EL","name":"Example Co.","alt_names":"A; and B","addresses":["1 Road, Beijing, CN"],
 "ids":["Passport, X1, KP"],"dates_of_birth":"1961; 1962","start_date":"2020-01-02"}]}`
		ds, err := Parse([]byte(doc), "api.json")
		if err != nil {
			t.Fatal(err)
		}
		e := ds.Entries[0]
		if e.Source != "us_el" || e.SourceID != "1" || names(e.Aliases) != "A|B" || e.Addresses[0].Country != "CN" ||
			e.Identifiers[0] != (tradescreen.Identifier{Type: "Passport", Number: "X1", Country: "KP"}) || !reflect.DeepEqual(e.BirthDates, []string{"1961", "1962"}) {
			t.Errorf("%+v", e)
		}
		if ds.Lists[0].Published != "2024-03-01" {
			t.Errorf("published %q", ds.Lists[0].Published)
		}
		arr, err := Parse([]byte(`  [{"_id":"x","source":"Specially Designated Nationals (SDN) - Treasury Department","type":"Individual","name":"DOE, John"}]`), "a.json")
		if err != nil || arr.Entries[0].Kind != tradescreen.KindPerson || arr.Lists[0].Published != "" {
			t.Errorf("%v %+v", err, arr)
		}
	})
}

// TestErrors: malformed input gives a ParseError naming the file, the line and the field.
func TestErrors(t *testing.T) {
	header := strings.Join(columns, ",")
	row := func(source, name string) string {
		f := make([]string, len(columns))
		f[0], f[1], f[5] = "id1", source, name
		return strings.Join(f, ",")
	}
	el := "Entity List (EL) - Bureau of Industry and Security"
	ex := readTestFile(t, "testdata/excerpt_2022.csv")
	real2022 := readTestFile(t, lists+"consolidated_2022-05-16.csv.gz")
	un := readTestFile(t, "../../testdata/lists/un/consolidated_2018-06-07.xml.gz")
	uk := readTestFile(t, "../../testdata/lists/uk/ConList_2022-03_sample.csv")
	jsonFix := readTestFile(t, "testdata/consolidated_2022_excerpt.json")

	cases := []struct {
		name  string
		in    []byte
		line  int
		field string
		msg   string
	}{
		{"empty file", nil, 0, "", "empty file"},
		{"blank file", []byte(" \n\r\n\t"), 0, "", "empty file"},
		{"empty gzip", gz(t, nil), 0, "", "empty file"},
		{"UTF-16 byte-order mark only", []byte("\xff\xfe"), 0, "", "empty file"},
		{"UTF-8 byte-order mark only", []byte("\xef\xbb\xbf\n"), 0, "", "empty file"},
		{"binary", []byte("\x00\x01\x02\x03garbage\x00"), 0, "", "binary data"},
		{"binary without NUL", bytes.Repeat([]byte{0x01, 0x02, 'a', 0x03}, 100), 0, "", "binary data"},
		{"zip archive", []byte("PK\x03\x04\x14\x00\x00\x00"), 0, "", "ZIP archive"},
		{"HTML error page", []byte("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head></html>"), 1, "", "HTML page"},
		{"UN XML given to the CSL reader", un, 1, "", "XML document"},
		{"UK ConList given to the CSL reader", uk, 1, "", `missing column source, name, _id or entity_number; columns found: "Last Updated"`},
		{"wrong header", []byte("id,list,party\n1,EL,Example\n"), 1, "", `columns found: "id", "list", "party"`},
		{"duplicate column", []byte("_id,source,name,name\n1,EL,A,B\n"), 1, "name", "appears twice"},
		{"header only", []byte(header + "\n"), 0, "", "no records"},
		{"truncated gzip", real2022[:len(real2022)/2], 0, "", "truncated or corrupt gzip"},
		{"truncated CSV, cut in an unquoted field", ex[:len(ex)-40], 33, "source_list_url", "truncated file: the last record ends after 22 of the 29 columns"},
		{"truncated CSV, cut in a quoted field", ex[:bytes.LastIndex(ex, []byte("Tian Wang"))], 33, "addresses", "truncated file: a quoted field is still open"},
		{"short row", []byte(header + "\n" + row(el, "A") + "\nid2,x,y\n"), 3, "type", "record has 3 fields"},
		{"unbalanced quote", []byte(header + "\n" + `id1,"Entity List" x,,,,A` + strings.Repeat(",", len(columns)-6) + "\n"), 2, "source", "malformed CSV"},
		{"unknown source", []byte(header + "\n" + row(el, "A") + "\n" + row("Denied Parties List (XYZ) - Somewhere", "B") + "\n"), 3, "source", `unknown list "Denied Parties List (XYZ) - Somewhere" (known: "Capta List (CAP)`},
		{"empty source", []byte(header + "\n" + row("", "A") + "\n"), 2, "source", "empty source"},
		{"empty name", []byte(header + "\n" + row(el, "A") + "\n" + row(el, "  ") + "\n"), 3, "name", "empty name"},
		{"field too long", []byte(header + "\n" + row(el, strings.Repeat("x", maxField+1)) + "\n"), 2, "name", "field longer than"},
		{"truncated JSON", jsonFix[:len(jsonFix)/2], 0, "", "truncated JSON"},
		{"JSON without results", []byte(`{"total": 0, "items": []}`), 1, "results", `no "results" array (keys found: total, items)`},
		{"JSON results not an array", []byte(`{"results": {"a": 1}}`), 1, "results", "not an array"},
		{"JSON empty results", []byte(`{"results": []}`), 0, "results", "no records"},
		{"JSON scalar (read as a CSV header)", []byte(`"hello"`), 1, "", "not a Consolidated Screening List header"},
		{"JSON number", []byte(`[1]`), 1, "", "not a JSON object"},
		{"JSON result not an object", []byte("{\"results\": [\n\"x\"]}"), 2, "", "not a JSON object"},
		{"JSON name is an object", []byte("[\n{\"source\":\"EL\",\n\"name\":{\"a\":1}}]"), 2, "name", "expected a string, found an object"},
		{"JSON ids not objects", []byte(`[{"source":"EL","name":"A","ids":[[1]]}]`), 1, "ids", "malformed"},
		{"JSON unknown source", []byte("[{\"source\":\"EL\",\"name\":\"A\"},\n {\"source\":\"Nowhere List\",\"name\":\"B\"}]"), 2, "source", "unknown list"},
		{"JSON trailing data", []byte(`[{"source":"EL","name":"A"}] [1]`), 1, "", "data after the end"},
		{"JSON syntax error", []byte("{\"results\": [\n{\"source\": \"EL\",, }]}"), 2, "", "malformed JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := Parse(c.in, "in.file")
			if err == nil {
				t.Fatalf("no error; %d entries", len(ds.Entries))
			}
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T %v, want *tradescreen.ParseError", err, err)
			}
			if pe.File != "in.file" || (c.line != 0 && pe.Line != c.line) || pe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v (line %d field %q), want line %d field %q containing %q", err, pe.Line, pe.Field, c.line, c.field, c.msg)
			}
			if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
				t.Errorf("code %q", tradescreen.ErrorCode(err))
			}
		})
	}
}
