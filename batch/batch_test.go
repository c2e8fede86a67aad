package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/testlists"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// readAll reads every row of r, failing the test on an error.
func readAll(t *testing.T, r batch.RowReader) []*batch.Row {
	t.Helper()
	var rows []*batch.Row
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("row %d: %v", len(rows)+1, err)
		}
		if row.Err != nil {
			t.Fatalf("row %d (line %d) is bad: %v", len(rows)+1, row.Line, row.Err)
		}
		rows = append(rows, row)
	}
}

// readUntilError reads rows until an error or a bad row and returns the rows before it and the error (nil
// at EOF).
func readUntilError(r batch.RowReader) ([]*batch.Row, error) {
	var rows []*batch.Row
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if row.Err != nil {
			return rows, row.Err
		}
		rows = append(rows, row)
	}
}

// wantParseError fails the test unless err is a *tradescreen.ParseError for file at line (and field, when
// set) whose message contains msg.
func wantParseError(t *testing.T, err error, file string, line int, field, msg string) {
	t.Helper()
	var pe *tradescreen.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *tradescreen.ParseError", err, err)
	}
	if pe.File != file || pe.Line != line || (field != "" && pe.Field != field) {
		t.Errorf("ParseError file %q line %d field %q, want %q line %d field %q (%v)", pe.File, pe.Line, pe.Field, file, line, field, err)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
	if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("error code %q, want %q", tradescreen.ErrorCode(err), tradescreen.EINVALID)
	}
}

func newCSV(t *testing.T, data string) batch.RowReader {
	t.Helper()
	r, err := batch.NewCSVReader(strings.NewReader(data), "customers.csv")
	if err != nil {
		t.Fatalf("NewCSVReader: %v", err)
	}
	return r
}

func columns(kv ...string) []batch.Column {
	var c []batch.Column
	for i := 0; i+1 < len(kv); i += 2 {
		c = append(c, batch.Column{Name: kv[i], Value: kv[i+1]})
	}
	return c
}

func TestCSVReaderDelimiters(t *testing.T) {
	want := []*batch.Row{
		{Line: 2, ID: "C-1", Name: "Apple, Inc.", NameColumn: "name", Type: "organization", Country: "US",
			Columns: columns("id", "C-1", "name", "Apple, Inc.", "type", "organization", "country", "US", "note", "a|b;c")},
		{Line: 3, ID: "C-2", Name: "Hikvision", NameColumn: "name", Type: "organization", Country: "CN",
			Columns: columns("id", "C-2", "name", "Hikvision", "type", "organization", "country", "CN", "note", "")},
	}
	for _, d := range []string{",", ";", "\t", "|"} {
		t.Run(fmt.Sprintf("%q", d), func(t *testing.T) {
			q := func(s string) string {
				if strings.ContainsAny(s, ",;|\t") {
					return `"` + s + `"`
				}
				return s
			}
			lines := [][]string{
				{"id", "name", "type", "country", "note"},
				{"C-1", "Apple, Inc.", "organization", "US", "a|b;c"},
				{"C-2", "Hikvision", "organization", "CN", ""},
			}
			var b strings.Builder
			for _, l := range lines {
				for i, f := range l {
					if i > 0 {
						b.WriteString(d)
					}
					b.WriteString(q(f))
				}
				b.WriteString("\r\n")
			}
			got := readAll(t, newCSV(t, b.String()))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows:\n%s\nwant:\n%s", dump(got), dump(want))
			}
		})
	}
}

func TestCSVReaderBOM(t *testing.T) {
	got := readAll(t, newCSV(t, "\ufeffname;id\nHikvision;7\n"))
	if len(got) != 1 || got[0].Name != "Hikvision" || got[0].ID != "7" || got[0].Columns[0].Name != "name" {
		t.Errorf("rows %s", dump(got))
	}
}

// A quoted field may hold line breaks (an address); line numbers stay those of the file.
func TestCSVReaderQuotedNewlines(t *testing.T) {
	data := "id,name,address\n" +
		"1,\"Hangzhou Hikvision Digital Technology Co.,\nLtd.\",\"No. 555 Qianmo Road\nBinjiang District\nHangzhou\"\n" +
		"2,Apple Inc.,\"One Apple Park Way, Cupertino\"\n"
	got := readAll(t, newCSV(t, data))
	if len(got) != 2 {
		t.Fatalf("%d rows", len(got))
	}
	if got[0].Line != 2 || got[1].Line != 6 {
		t.Errorf("lines %d, %d, want 2, 6", got[0].Line, got[1].Line)
	}
	if got[0].Name != "Hangzhou Hikvision Digital Technology Co.,\nLtd." {
		t.Errorf("name %q", got[0].Name)
	}
	if got[0].Columns[2].Value != "No. 555 Qianmo Road\nBinjiang District\nHangzhou" {
		t.Errorf("address %q", got[0].Columns[2].Value)
	}
}

// The columns ERP and CRM exports name the party, its id, type and country.
func TestCSVReaderHeaderAliases(t *testing.T) {
	cases := []struct {
		header                 string
		name, id, typ, country string
	}{
		{"name,id,type,country", "A", "B", "C", "D"},
		{"company_name,customer_id,entity_type,country_code", "A", "B", "C", "D"},
		{"party_name,party_id,party_type,countrycode", "A", "B", "C", "D"},
		{"Customer_Name,Account,Kind,Nation", "A", "B", "C", "D"},
		{" FULL_NAME , REF , SCHEMA , COUNTRY ", "A", "B", "C", "D"},
		{"organisation,reference,x,y", "A", "B", "", ""},
		{"customer,customer_number,comment,city", "A", "B", "", ""},
		{"entity_name,account_id,kind,country", "A", "B", "C", "D"},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			rows := readAll(t, newCSV(t, c.header+"\nA,B,C,D\n"))
			r := rows[0]
			if r.Name != c.name || r.ID != c.id || r.Type != c.typ || r.Country != c.country {
				t.Errorf("name %q id %q type %q country %q, want %q %q %q %q", r.Name, r.ID, r.Type, r.Country, c.name, c.id, c.typ, c.country)
			}
			if len(r.Columns) != 4 {
				t.Errorf("%d columns carried, want 4", len(r.Columns))
			}
		})
	}
	// "name" wins over another alias when both are present.
	rows := readAll(t, newCSV(t, "company,name\nParent Holdings,Subsidiary GmbH\n"))
	if rows[0].Name != "Subsidiary GmbH" {
		t.Errorf("name %q, want the name column", rows[0].Name)
	}
}

// Spreadsheet exports write headers as words: "Company Name", "Customer ID", "Country Code".
func TestCSVReaderHeaderWithSpaces(t *testing.T) {
	r, err := batch.NewCSVReader(strings.NewReader("Customer ID;Company Name;Country Code\n42;Hikvision;CN\n"), "export.csv")
	if err != nil {
		t.Fatalf("BUG: a header written with spaces (%v); normalize header names (lower case, spaces and hyphens to _) before looking up the aliases", err)
	}
	rows := readAll(t, r)
	if rows[0].Name != "Hikvision" || rows[0].ID != "42" || rows[0].Country != "CN" {
		t.Errorf("rows %s", dump(rows))
	}
}

func TestCSVReaderValues(t *testing.T) {
	// Values are trimmed; a short record leaves the missing columns empty.
	rows := readAll(t, newCSV(t, "id,name,country\n 1 ,  Apple Inc.  ,US\n2,Hikvision\n"))
	if rows[0].ID != "1" || rows[0].Name != "Apple Inc." {
		t.Errorf("row 1 %s", dump(rows[:1]))
	}
	if rows[1].Country != "" || len(rows[1].Columns) != 3 || rows[1].Columns[2] != (batch.Column{Name: "country", Value: ""}) {
		t.Errorf("row 2 %s", dump(rows[1:]))
	}
}

func TestCSVReaderErrors(t *testing.T) {
	long := strings.Repeat("A", batch.MaxFieldLength+1)
	cases := []struct {
		name, data  string
		line        int
		field, want string
	}{
		{"field too long", "id,name\n1,Apple Inc.\n2," + long + "\n", 3, "name", "longer than"},
		{"long field in a carried column", "id,name,notes\n1,Apple Inc.,\"" + long + "\"\n", 2, "notes", "longer than"},
		// A UTF-8 file (it has UTF-8 sequences) with a damaged row: the row is bad, not the file.
		{"invalid UTF-8", "id,name\n1,Soci\u00e9t\u00e9 G\u00e9n\u00e9rale\n2,Soci\xe9t\xe9 G\xe9n\xe9rale\n", 3, "name", "UTF-8"},
		{"invalid UTF-8 in a carried column", "id,name,city\n1,BMW AG,M\u00fcnchen\n2,Apple Inc.,M\xfcnchen\n", 3, "city", "UTF-8"},
		{"broken quote", "id,name\n1,Apple Inc.\n2,\"Siemens \"Healthineers\" AG\n3,BASF SE\n", 3, "", `"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := readUntilError(newCSV(t, c.data))
			if err == nil {
				t.Fatalf("no error; rows %s", dump(rows))
			}
			wantParseError(t, err, "customers.csv", c.line, c.field, c.want)
			if len(rows) != c.line-2 {
				t.Errorf("%d rows before the error, want %d", len(rows), c.line-2)
			}
		})
	}
}

func TestCSVReaderHeaderErrors(t *testing.T) {
	t.Run("no name column", func(t *testing.T) {
		_, err := batch.NewCSVReader(strings.NewReader("customer_no,city,email\n1,Cupertino,ap@example.com\n"), "contacts.csv")
		wantParseError(t, err, "contacts.csv", 1, "name", "customer_no, city, email")
	})
	t.Run("empty file", func(t *testing.T) {
		_, err := batch.NewCSVReader(strings.NewReader(""), "empty.csv")
		wantParseError(t, err, "empty.csv", 1, "", "empty")
	})
	t.Run("only a BOM", func(t *testing.T) {
		_, err := batch.NewCSVReader(strings.NewReader("\ufeff"), "bom.csv")
		wantParseError(t, err, "bom.csv", 1, "", "empty")
	})
	t.Run("broken header", func(t *testing.T) {
		_, err := batch.NewCSVReader(strings.NewReader("id,\"name\n1,Apple\n"), "broken.csv")
		var pe *tradescreen.ParseError
		if !errors.As(err, &pe) || pe.File != "broken.csv" || pe.Line == 0 {
			t.Errorf("error %v", err)
		}
	})
}

// A real export: Excel's "CSV (semicolon)" with a BOM, CRLF line ends, a quoted address on several lines,
// German umlauts and an empty name.
func TestCSVReaderExport(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "erp_export_semicolon_bom.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := batch.NewCSVReader(f, "erp_export_semicolon_bom.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	want := []struct {
		line              int
		id, name, country string
	}{
		{2, "100233", "Siemens Aktiengesellschaft", "DE"},
		{3, "100234", "Zhejiang Dahua Technology Co., Ltd.", "CN"},
		{5, "100235", "Müller & Söhne GmbH", "AT"},
		{6, "100236", "", "US"},
		{7, "100237", "Hangzhou Hikvision Digital Technology Co., Ltd.", "CN"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %s", len(rows), len(want), dump(rows))
	}
	for i, w := range want {
		r := rows[i]
		if r.Line != w.line || r.ID != w.id || r.Name != w.name || r.Country != w.country {
			t.Errorf("row %d: line %d id %q name %q country %q, want %d %q %q %q", i+1, r.Line, r.ID, r.Name, r.Country, w.line, w.id, w.name, w.country)
		}
		if r.Columns[0].Name != "customer_id" || len(r.Columns) != 6 {
			t.Errorf("row %d columns %v", i+1, r.Columns)
		}
	}
	if addr := rows[1].Columns[4].Value; addr != "No. 1187 Bin'an Road\r\nBinjiang District, Hangzhou" && addr != "No. 1187 Bin'an Road\nBinjiang District, Hangzhou" {
		t.Errorf("address %q", addr)
	}
}

func newJSONL(data string) batch.RowReader {
	return batch.NewJSONLReader(strings.NewReader(data), "customers.jsonl")
}

func TestJSONLReader(t *testing.T) {
	data := "\ufeff{\"id\": \"C-1\", \"name\": \" Hikvision \", \"country\": \"CN\", \"account_manager\": \"S. Chen\"}\n" +
		"\n" +
		"   \n" +
		"{\"id\": 1002, \"Name\": \"Apple Inc.\", \"type\": \"organization\", \"tags\": [\"retail\", \"us\"], \"credit\": 1.5e6, \"vip\": true}\r\n" +
		"{\"id\": \"C-3\", \"name\": null}\n"
	rows := readAll(t, newJSONL(data))
	want := []*batch.Row{
		{Line: 1, ID: "C-1", Name: "Hikvision", NameColumn: "name", Country: "CN",
			Columns: columns("id", "C-1", "name", " Hikvision ", "country", "CN", "account_manager", "S. Chen")},
		{Line: 4, ID: "1002", Name: "Apple Inc.", NameColumn: "Name", Type: "organization",
			Columns: columns("id", "1002", "Name", "Apple Inc.", "type", "organization", "tags", `["retail","us"]`, "credit", "1.5e6", "vip", "true")},
		{Line: 5, ID: "C-3", Name: "", NameColumn: "name", Columns: columns("id", "C-3", "name", "")},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", dump(rows), dump(want))
	}
}

func TestJSONLReaderErrors(t *testing.T) {
	cases := []struct {
		name, data  string
		line        int
		field, want string
	}{
		{"array line", "{\"name\": \"Hikvision\"}\n\n[\"Apple Inc.\"]\n", 3, "", "not a JSON object"},
		{"string line", "{\"name\": \"Hikvision\"}\n\"Apple Inc.\"\n", 2, "", "not a JSON object"},
		{"broken object", "{\"name\": \"Hikvision\"}\n{\"name\": \"Apple Inc.\"\n", 2, "", "not a JSON object"},
		{"CSV given as JSONL", "id,name\n1,Apple Inc.\n", 1, "", "not a JSON object"},
		{"name a number", "{\"name\": \"Hikvision\"}\n{\"id\": \"2\", \"name\": 42}\n", 2, "name", "must be a string"},
		{"name an object", "{\"name\": {\"first\": \"Sok Chol\", \"last\": \"Kim\"}}\n", 1, "name", "must be a string"},
		{"line too long", "{\"name\": \"Hikvision\"}\n{\"name\": \"" + strings.Repeat("A", 4*batch.MaxFieldLength) + "\"}\n", 2, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := readUntilError(newJSONL(c.data))
			if err == nil {
				t.Fatalf("no error; rows %s", dump(rows))
			}
			wantParseError(t, err, "customers.jsonl", c.line, c.field, c.want)
		})
	}
}

// Two objects on one line, or an object followed by text, is not JSON Lines: the second party must not be
// dropped without a word.
func TestJSONLReaderTrailingData(t *testing.T) {
	for _, line := range []string{
		`{"name": "Apple Inc."} {"name": "Hikvision"}`,
		`{"name": "Apple Inc."}, "Hikvision"`,
	} {
		rows, err := readUntilError(newJSONL(line + "\n"))
		if err == nil {
			t.Errorf("BUG: %s read as %d row(s) %s without an error; the rest of the line is ignored (check dec.More() / that the decoder is at EOF after the object)", line, len(rows), dump(rows))
		}
	}
}

// fixedOutcomes are three screened rows: one with two matches, one without, one that could not be screened.
func fixedOutcomes() []*batch.Outcome {
	hik := &tradescreen.Entry{
		Source: "us_el", SourceID: "f095626c", Kind: tradescreen.KindOrganization,
		Name:               "Hangzhou Hikvision Digital Technology Co., Ltd.",
		Addresses:          []tradescreen.Address{{Street: "No. 555 Qianmo Road, Binjiang District", City: "Hangzhou", PostalCode: "310052", Country: "CN", CountryName: "China"}},
		LicenseRequirement: "For all items subject to the EAR.", LicensePolicy: "Presumption of denial.",
		FederalRegister: []string{"84 FR 54002", "85 FR 44159"}, StartDate: "2019-10-09",
	}
	cmic := &tradescreen.Entry{Source: "us_cmic", SourceID: "30946", Kind: tradescreen.KindOrganization,
		Name: "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", Programs: []string{"CMIC-EO13959"}}
	return []*batch.Outcome{
		{
			Row: &batch.Row{Line: 2, ID: "C-1", Name: "Hikvision", Country: "CN",
				Columns: columns("id", "C-1", "name", "Hikvision", "country", "CN", "account_manager", "S. Chen")},
			Matches: tradescreen.Views([]tradescreen.Match{
				{Source: "us_el", SourceID: "f095626c", Name: hik.Name, MatchedName: "Hikvision", MatchedType: tradescreen.NameAKA, Score: 1,
					Explanation: tradescreen.Explanation{Summary: "1.00: 1 exact", Tokens: []tradescreen.TokenMatch{{Query: "hikvision", Name: "hikvision", How: "exact", Similarity: 1, Weight: 1}}},
					Entry:       hik},
				{Source: "us_cmic", SourceID: "30946", Name: cmic.Name, MatchedName: "HIKVISION", MatchedType: tradescreen.NameAKA, Score: 0.9876,
					Explanation: tradescreen.Explanation{Summary: "0.99: 1 exact"}, Entry: cmic},
			}),
		},
		{Row: &batch.Row{Line: 3, ID: "C-2", Name: "Apple Inc.", Country: "US",
			Columns: columns("id", "C-2", "name", "Apple Inc.", "country", "US", "account_manager", "J. Becker, Jr.")}},
		{Row: &batch.Row{Line: 4, ID: "C-3", Name: "",
			Columns: columns("id", "C-3", "name", "", "country", "", "account_manager", "")},
			Err: tradescreen.Errorf(tradescreen.EINVALID, "name: required")},
	}
}

func writeAll(t *testing.T, w batch.RowWriter, outs []*batch.Outcome) {
	t.Helper()
	for _, o := range outs {
		if err := w.Write(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestJSONLWriter(t *testing.T) {
	var b bytes.Buffer
	writeAll(t, batch.NewJSONLWriter(&b), fixedOutcomes())
	want := `{"id":"C-1","name":"Hikvision","line":2,"matches":[{"source":"us_el","source_id":"f095626c","name":"Hangzhou Hikvision Digital Technology Co., Ltd.","matched_name":"Hikvision","matched_type":"aka","score":1,"explanation":{"summary":"1.00: 1 exact","tokens":[{"query":"hikvision","name":"hikvision","how":"exact","similarity":1,"weight":1}]},"entry":{"kind":"organization","list_name":"Entity List","countries":["CN"],"addresses":["No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, China"],"license_requirement":"For all items subject to the EAR.","license_policy":"Presumption of denial.","federal_register":["84 FR 54002","85 FR 44159"],"start_date":"2019-10-09"}},{"source":"us_cmic","source_id":"30946","name":"HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.","matched_name":"HIKVISION","matched_type":"aka","score":0.9876,"explanation":{"summary":"0.99: 1 exact"},"entry":{"kind":"organization","list_name":"Non-SDN Chinese Military-Industrial Complex Companies","programs":["CMIC-EO13959"]}}],"columns":{"account_manager":"S. Chen","country":"CN","id":"C-1","name":"Hikvision"}}
{"id":"C-2","name":"Apple Inc.","line":3,"matches":[],"columns":{"account_manager":"J. Becker, Jr.","country":"US","id":"C-2","name":"Apple Inc."}}
{"id":"C-3","name":"","line":4,"matches":[],"error":"name: required","columns":{"account_manager":"","country":"","id":"C-3","name":""}}
`
	if b.String() != want {
		t.Errorf("JSONL output:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestCSVWriter(t *testing.T) {
	var b bytes.Buffer
	writeAll(t, batch.NewCSVWriter(&b), fixedOutcomes())
	want := "id,name,country,account_manager,match_count,best_score,best_source,best_source_id,best_name,best_matched_name,matches,allowed,best_unreviewed_score,best_unreviewed_entry,error,warnings\n" +
		`C-1,Hikvision,CN,S. Chen,2,1.000,us_el,f095626c,"Hangzhou Hikvision Digital Technology Co., Ltd.",Hikvision,us_el:f095626c:1.000; us_cmic:30946:0.988,,1.000,us_el/f095626c,,` + "\n" +
		`C-2,Apple Inc.,US,"J. Becker, Jr.",0,,,,,,,,,,,` + "\n" +
		`C-3,,,,0,,,,,,,,,,name: required,` + "\n"
	if b.String() != want {
		t.Errorf("CSV output:\n%s\nwant:\n%s", b.String(), want)
	}
}

// JSONL rows may carry different members; the CSV writer fills the first row's columns by name.
func TestCSVWriterColumnsByName(t *testing.T) {
	var b bytes.Buffer
	writeAll(t, batch.NewCSVWriter(&b), []*batch.Outcome{
		{Row: &batch.Row{Name: "A", Columns: columns("id", "1", "name", "A", "segment", "retail")}},
		{Row: &batch.Row{Name: "B", Columns: columns("name", "B", "id", "2")}},
	})
	want := "id,name,segment,match_count,best_score,best_source,best_source_id,best_name,best_matched_name,matches,allowed,best_unreviewed_score,best_unreviewed_entry,error,warnings\n" +
		"1,A,retail,0,,,,,,,,,,,\n" +
		"2,B,,0,,,,,,,,,,,\n"
	if b.String() != want {
		t.Errorf("CSV output:\n%s\nwant:\n%s", b.String(), want)
	}
}

// testScreener screens against three real entries, one of each kind of list.
func testScreener() *screen.Screener { return testlists.Three() }

// serviceOf is the screening service over s with al as its allow list (none when nil), as every door
// screens.
func serviceOf(s *screen.Screener, al *ownlist.AllowList) *screening.Service {
	return screening.NewWith(screening.Config{Allow: fixedAllow{al}}, s)
}

// fixedAllow is an allow list held in memory.
type fixedAllow struct{ al *ownlist.AllowList }

func (f fixedAllow) AllowList() (*ownlist.AllowList, string, error) {
	if f.al == nil {
		return nil, "", nil
	}
	return f.al, "test allow list", nil
}

// sliceReader yields rows from a slice, then err (io.EOF when nil).
type sliceReader struct {
	rows []*batch.Row
	i    int
	err  error
}

func (r *sliceReader) Read() (*batch.Row, error) {
	if r.i < len(r.rows) {
		r.i++
		return r.rows[r.i-1], nil
	}
	if r.err != nil {
		return nil, r.err
	}
	return nil, io.EOF
}

// collectWriter keeps the outcomes; it fails at write number failAt (1-based) when set.
type collectWriter struct {
	mu     sync.Mutex
	outs   []*batch.Outcome
	failAt int
	closed bool
}

func (w *collectWriter) Write(o *batch.Outcome) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failAt > 0 && len(w.outs)+1 == w.failAt {
		return errors.New("disk full")
	}
	w.outs = append(w.outs, o)
	return nil
}

func (w *collectWriter) Close() error { w.closed = true; return nil }

// batchRows returns n rows cycling through listed, non-listed and empty names.
func batchRows(n int) []*batch.Row {
	names := []string{"Hikvision", "Apple Inc.", "Kim Sok Chol", "", "Adrian Darya-1", "Microsoft Corporation", "Grace 1", "   "}
	rows := make([]*batch.Row, n)
	for i := range rows {
		rows[i] = &batch.Row{Line: i + 2, ID: fmt.Sprint("R-", i), Name: strings.TrimSpace(names[i%len(names)])}
	}
	return rows
}

func TestRunBatchOrderAndStats(t *testing.T) {
	s := testScreener()
	const n = 997
	var base []*batch.Outcome
	for _, workers := range []int{1, 3, 8, 0} {
		t.Run(fmt.Sprint("workers ", workers), func(t *testing.T) {
			w := &collectWriter{}
			var progress []int
			st, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(n)}, w,
				batch.BatchOptions{Workers: workers, Progress: func(done int) { progress = append(progress, done) }})
			if err != nil {
				t.Fatal(err)
			}
			if len(w.outs) != n || st.Rows != n {
				t.Fatalf("%d outcomes written, stats %d rows, want %d", len(w.outs), st.Rows, n)
			}
			var errs, with, matches int
			for i, o := range w.outs {
				if o.Row.Line != i+2 {
					t.Fatalf("outcome %d is of line %d: not in input order", i, o.Row.Line)
				}
				switch {
				case o.Err != nil:
					errs++
					if o.Row.Name != "" || tradescreen.ErrorCode(o.Err) != tradescreen.EINVALID {
						t.Errorf("row %s: error %v", o.Row.ID, o.Err)
					}
				case len(o.Matches) > 0:
					with++
					matches += len(o.Matches)
				}
				if o.Err == nil && o.Row.Name == "" {
					t.Errorf("row %s without a name has no error", o.Row.ID)
				}
			}
			wantErrs := 0
			for _, r := range batchRows(n) {
				if r.Name == "" {
					wantErrs++
				}
			}
			if errs != wantErrs {
				t.Errorf("%d rows with errors, want the %d without a name", errs, wantErrs)
			}
			if st.Errors != errs || st.WithMatches != with || st.Matches != matches {
				t.Errorf("stats %+v, counted errors %d with %d matches %d", st, errs, with, matches)
			}
			if with == 0 || errs == 0 {
				t.Errorf("%d rows with matches, %d errors: the rows no longer test both", with, errs)
			}
			if len(progress) != n || progress[0] != 1 || progress[n-1] != n {
				t.Errorf("progress called %d times", len(progress))
			}
			if base == nil {
				base = w.outs
				return
			}
			for i := range base {
				if !reflect.DeepEqual(matchKeys(base[i].Matches), matchKeys(w.outs[i].Matches)) {
					t.Errorf("row %d: %v with 1 worker, %v with %d", i, matchKeys(base[i].Matches), matchKeys(w.outs[i].Matches), workers)
				}
			}
		})
	}
}

// countAllowed counts the matches an allowance covers.
func countAllowed(ms []tradescreen.MatchView) int {
	n := 0
	for _, m := range ms {
		if m.Allowed != nil {
			n++
		}
	}
	return n
}

func matchKeys(ms []tradescreen.MatchView) []string {
	var k []string
	for _, m := range ms {
		k = append(k, fmt.Sprintf("%s/%s %.3f", m.Source, m.SourceID, m.Score))
	}
	return k
}

func TestRunBatchOptions(t *testing.T) {
	s := testScreener()
	rows := []*batch.Row{{Line: 2, Name: "Hikvision"}, {Line: 3, Name: "Kim Sok Chol"}, {Line: 4, Name: "Adrian Darya-1"}}
	w := &collectWriter{}
	if _, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: rows}, w, batch.BatchOptions{Sources: []string{"un_sc"}, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for _, o := range w.outs {
		for _, m := range o.Matches {
			if m.Source != "un_sc" {
				t.Errorf("row %q: %s match despite Sources un_sc", o.Row.Name, m.Source)
			}
		}
	}
	if len(w.outs[1].Matches) != 1 || len(w.outs[0].Matches) != 0 {
		t.Errorf("matches %v / %v", matchKeys(w.outs[0].Matches), matchKeys(w.outs[1].Matches))
	}
}

// A read error stops the run after the rows read before it are written, in order.
func TestRunBatchReadError(t *testing.T) {
	s := testScreener()
	perr := &tradescreen.ParseError{File: "customers.csv", Line: 102, Msg: `extraneous or missing " in quoted-field`}
	w := &collectWriter{}
	st, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(100), err: perr}, w, batch.BatchOptions{Workers: 4})
	if !errors.Is(err, perr) {
		t.Fatalf("error %v, want the read error", err)
	}
	if st.Rows != 100 || len(w.outs) != 100 {
		t.Errorf("%d rows written (stats %d), want the 100 read before the error", len(w.outs), st.Rows)
	}
	for i, o := range w.outs {
		if o.Row.Line != i+2 {
			t.Fatalf("outcome %d is of line %d", i, o.Row.Line)
		}
	}
}

// A write error stops the run and is returned; nothing hangs.
func TestRunBatchWriteError(t *testing.T) {
	s := testScreener()
	w := &collectWriter{failAt: 10}
	done := make(chan struct{})
	var st batch.BatchStats
	var err error
	go func() {
		defer close(done)
		st, err = batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(5000)}, w, batch.BatchOptions{Workers: 4})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("RunBatch did not return after a write error")
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %v, want the write error", err)
	}
	if st.Rows != 9 || len(w.outs) != 9 {
		t.Errorf("stats %d rows, %d written, want 9", st.Rows, len(w.outs))
	}
}

func TestRunBatchCancel(t *testing.T) {
	s := testScreener()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := &collectWriter{}
	_, err := batch.RunBatch(ctx, serviceOf(s, nil), &sliceReader{rows: batchRows(5000)}, w, batch.BatchOptions{Workers: 2})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if len(w.outs) == 5000 {
		t.Errorf("every row screened despite the cancelled context")
	}
}

// dump renders rows for messages, long values cut.
func dump(rows []*batch.Row) string {
	var b strings.Builder
	for _, r := range rows {
		s := fmt.Sprintf("%+v", *r)
		if len(s) > 300 {
			s = s[:300] + "..."
		}
		fmt.Fprintf(&b, "  %s\n", s)
	}
	return b.String()
}

// TestJSONLWriterStaleLists: each row screened names the out-of-date lists it was screened against; a row
// that could not be screened names none.
func TestJSONLWriterStaleLists(t *testing.T) {
	var b bytes.Buffer
	writeAll(t, batch.NewJSONLWriter(&b, batch.WriterOptions{StaleLists: []string{"us_sdn", "gb_hmt"}}), fixedOutcomes())
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %s", len(lines), b.String())
	}
	for i, want := range []bool{true, true, false} {
		has := strings.Contains(lines[i], `"stale_lists":["us_sdn","gb_hmt"]`)
		if has != want || (!want && strings.Contains(lines[i], "stale_lists")) {
			t.Errorf("row %d: stale_lists %v, want %v: %s", i+1, has, want, lines[i])
		}
	}
}

// TestRunStaleLists: a run's JSONL rows name the stale lists among those screened (--source narrows them);
// the test lists are of 2022 and February 2026, past any maximum age of 7 days.
func TestRunStaleLists(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "customers.csv")
	if err := os.WriteFile(in, []byte("id,name\nC-1,Hikvision\nC-2,Apple Inc.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	svc := serviceOf(testScreener(), nil)
	for _, tc := range []struct {
		sources []string
		want    string
	}{
		{nil, `"stale_lists":["us_el","us_sdn","un_sc"]`},
		{[]string{"us_el"}, `"stale_lists":["us_el"]`},
	} {
		out := filepath.Join(t.TempDir(), "out.jsonl")
		res, err := batch.Run(context.Background(), svc, batch.Job{Input: in, Outputs: []string{out},
			Options: batch.BatchOptions{Sources: tc.sources}})
		if err != nil {
			t.Fatal(err)
		}
		if got := batch.StaleLists(res.Lists, nil); !reflect.DeepEqual(got, []string{"us_el", "us_sdn", "un_sc"}) {
			t.Errorf("stale lists of the run %v", got)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d rows: %s", len(lines), b)
		}
		for _, l := range lines {
			if !strings.Contains(l, tc.want) {
				t.Errorf("sources %v: row %s lacks %s", tc.sources, l, tc.want)
			}
		}
	}
}

// TestRunRowRange: a run with Skip and Stop screens rows Skip+1 to Stop of its input and nothing else, in
// order, with their input lines; a Stop past the input's end ends with the input. With KeepReport the run's
// report keeps its hits without writing a file.
func TestRunRowRange(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "customers.csv")
	data := "id,name\nC-1,Hikvision\nC-2,Apple Inc.\nC-3,Huawei Technologies\nC-4,Siemens AG\nC-5,Rosneft\nC-6,Nestle\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	svc := serviceOf(testScreener(), nil)
	for _, tc := range []struct {
		skip, stop int
		want       []string
	}{
		{2, 5, []string{"C-3", "C-4", "C-5"}},
		{0, 1, []string{"C-1"}},
		{4, 100, []string{"C-5", "C-6"}},
	} {
		out := filepath.Join(t.TempDir(), "out.jsonl")
		res, err := batch.Run(context.Background(), svc, batch.Job{Input: in, Outputs: []string{out}, KeepReport: true,
			Options: batch.BatchOptions{Skip: tc.skip, Stop: tc.stop}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var row struct {
				ID   string `json:"id"`
				Line int    `json:"line"`
			}
			if err := json.Unmarshal([]byte(l), &row); err != nil {
				t.Fatal(err)
			}
			if want := "C-" + strconv.Itoa(row.Line-1); row.ID != want {
				t.Errorf("row %s read from line %d", row.ID, row.Line)
			}
			got = append(got, row.ID)
		}
		if !reflect.DeepEqual(got, tc.want) || res.Stats.Rows != len(tc.want) || res.Report == nil || res.Report.Stats.Rows != len(tc.want) {
			t.Errorf("rows %d..%d: got %v (stats %d), want %v", tc.skip+1, tc.stop, got, res.Stats.Rows, tc.want)
		}
		// KeepReport: the report's hits are kept, without an HTML file.
		if len(res.Report.Hits) != res.Stats.WithMatches || res.Report.HitsLeftOut != 0 {
			t.Errorf("rows %d..%d: %d hits in the report, %d left out, want the %d rows with matches", tc.skip+1, tc.stop,
				len(res.Report.Hits), res.Report.HitsLeftOut, res.Stats.WithMatches)
		}
	}
	if n, _ := filepath.Glob(filepath.Join(dir, "*.html")); len(n) != 0 {
		t.Errorf("report files written: %v", n)
	}
}

// TestRunStaleNoteCSV: a run's CSV rows end their warnings with the out-of-date lists, each with its date
// and age, so that a row without matches is not read as clear; XLSX rows carry the same column.
func TestRunStaleNoteCSV(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "customers.csv")
	if err := os.WriteFile(in, []byte("id,name\nC-1,Hikvision\nC-2,Apple Inc.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	res, err := batch.Run(context.Background(), serviceOf(testScreener(), nil), batch.Job{Input: in, Outputs: []string{out},
		Options: batch.BatchOptions{Sources: []string{"us_sdn"}}})
	if err != nil {
		t.Fatal(err)
	}
	var sdn tradescreen.ListStatus
	for _, l := range res.Lists {
		if l.Source == "us_sdn" {
			sdn = l
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v: %s", err, b)
	}
	col := slices.Index(rows[0], "warnings")
	want := fmt.Sprintf("not a clear result against out-of-date lists: us_sdn (published %s, %d days old)", sdn.Published, sdn.AgeDays)
	for _, r := range rows[1:] {
		if col < 0 || !strings.HasSuffix(r[col], want) || strings.Contains(r[col], "us_el") {
			t.Errorf("row %s: warnings %q, want it to end with %q", r[0], r[col], want)
		}
	}
	if batch.StaleNote(res.Lists, []string{"nothing"}) != "" {
		t.Error("a note for lists not screened")
	}
}
