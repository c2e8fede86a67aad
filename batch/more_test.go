package batch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
)

const accented = "id;name;city\r\n1;Société Générale;Paris\r\n2;Müller & Söhne GmbH;Köln\r\n"

func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

func utf16(s string, big bool) []byte {
	b := []byte{0xFF, 0xFE}
	if big {
		b = []byte{0xFE, 0xFF}
	}
	for _, r := range s {
		if big {
			b = append(b, byte(r>>8), byte(r))
		} else {
			b = append(b, byte(r), byte(r>>8))
		}
	}
	return b
}

func TestCSVReaderEncodings(t *testing.T) {
	cases := []struct {
		name, encoding, want string
		data                 []byte
	}{
		{"utf-8", "", "utf-8", []byte(accented)},
		{"utf-8 BOM", "", "utf-8 (BOM)", append([]byte("\ufeff"), accented...)},
		{"utf-16le BOM", "", "utf-16le (BOM)", utf16(accented, false)},
		{"utf-16be BOM", "", "utf-16be (BOM)", utf16(accented, true)},
		{"utf-16le without BOM", "", "utf-16le", utf16(accented, false)[2:]},
		{"windows-1252 detected", "", "windows-1252", latin1(accented)},
		{"latin-1 given", "latin-1", "latin-1", latin1(accented)},
		{"windows-1252 given", "windows-1252", "windows-1252", latin1(accented)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := batch.NewCSVReaderOptions(bytes.NewReader(c.data), "in.csv", batch.ReaderOptions{Encoding: c.encoding})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.(interface{ Encoding() string }).Encoding(); got != c.want {
				t.Errorf("encoding %q, want %q", got, c.want)
			}
			rows := readAll(t, r)
			if len(rows) != 2 || rows[0].Name != "Société Générale" || rows[1].Name != "Müller & Söhne GmbH" || rows[1].Columns[2].Value != "Köln" || rows[1].Line != 3 {
				t.Errorf("rows %s", dump(rows))
			}
		})
	}
	if _, err := batch.NewCSVReaderOptions(strings.NewReader(accented), "in.csv", batch.ReaderOptions{Encoding: "ebcdic"}); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("unknown encoding: %v", err)
	}
}

// Bad rows are returned with their line and the reader goes on.
func TestCSVReaderBadRows(t *testing.T) {
	long := strings.Repeat("A", batch.MaxFieldLength+1)
	data := "id,name,city\n" +
		"1,Société Générale,Paris\n" + // UTF-8: the file is UTF-8
		"2,\"Siemens \"Healthineers\" AG,Erlangen\n" + // broken quoting
		"3,BASF SE,Ludwigshafen\n" +
		"4,Soci\xe9t\xe9 G\xe9n\xe9rale,Paris\n" + // a damaged row
		"5," + long + ",x\n" +
		"6,\"Hangzhou Hikvision\nDigital Technology\",Hangzhou\n" +
		"7,Apple Inc.,Cupertino\n"
	r := newCSV(t, data)
	type res struct {
		line  int
		id    string
		field string
		bad   bool
	}
	want := []res{{2, "1", "", false}, {3, "", "", true}, {4, "3", "", false}, {5, "", "name", true}, {6, "", "name", true}, {7, "6", "", false}, {9, "7", "", false}}
	var got []res
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		x := res{line: row.Line, id: row.ID, bad: row.Err != nil}
		if row.Err != nil {
			var pe *tradescreen.ParseError
			if !errors.As(row.Err, &pe) || pe.Line != row.Line || pe.File != "customers.csv" {
				t.Errorf("line %d: error %v", row.Line, row.Err)
			}
			x.field = pe.Field
		}
		got = append(got, x)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows\n%v\nwant\n%v", got, want)
	}
}

func TestReaderColumnMapping(t *testing.T) {
	data := "Supplier No;Company;Trading Name;Contact;Kind;Land;Street Address;Date of Birth;LEI;VAT Number\n" +
		"S-1;Acme Holdings LLC;Rosneft Trade;Jane Doe;organization;DE;Main St 1, Berlin, Germany;;529900T8BM49AURSDO55;DE123\n"
	t.Run("flags", func(t *testing.T) {
		r, err := batch.NewCSVReaderOptions(strings.NewReader(data), "s.csv", batch.ReaderOptions{
			NameColumns: []string{"company", "trading_name", "CONTACT"}, IDColumn: "supplier no", TypeColumn: "kind", CountryColumn: "land"})
		if err != nil {
			t.Fatal(err)
		}
		row := readAll(t, r)[0]
		if row.Name != "Acme Holdings LLC" || row.ID != "S-1" || row.Type != "organization" || row.Country != "DE" {
			t.Errorf("row %s", dump([]*batch.Row{row}))
		}
		if fmt.Sprint(row.Names) != "[{Company Acme Holdings LLC} {Trading Name Rosneft Trade} {Contact Jane Doe}]" {
			t.Errorf("names %v", row.Names)
		}
		if row.Address != "Main St 1, Berlin, Germany" {
			t.Errorf("address %q (detected)", row.Address)
		}
		if fmt.Sprint(row.Identifiers) != "[{lei 529900T8BM49AURSDO55    } {vat DE123    }]" {
			t.Errorf("identifiers %v", row.Identifiers)
		}
	})
	t.Run("detected", func(t *testing.T) {
		row := readAll(t, newCSV(t, data))[0]
		if row.Name != "Acme Holdings LLC" || len(row.Names) != 0 || row.Type != "organization" || row.Country != "" {
			t.Errorf("row %s", dump([]*batch.Row{row}))
		}
	})
	t.Run("missing column", func(t *testing.T) {
		_, err := batch.NewCSVReaderOptions(strings.NewReader(data), "s.csv", batch.ReaderOptions{CountryColumn: "country_iso"})
		wantParseError(t, err, "s.csv", 1, "country_iso", "Supplier No, Company, Trading Name")
	})
	t.Run("jsonl", func(t *testing.T) {
		r := batch.NewJSONLReaderOptions(strings.NewReader(`{"no": "1", "company": "Acme", "dba": "Rosneft Trade"}`+"\n"+`{"no": "2", "company": "Apple Inc."}`+"\n"),
			"s.jsonl", batch.ReaderOptions{NameColumns: []string{"company", "dba"}, IDColumn: "no"})
		rows := readAll(t, r)
		if len(rows) != 2 || fmt.Sprint(rows[0].Names) != "[{company Acme} {dba Rosneft Trade}]" || fmt.Sprint(rows[1].Names) != "[{company Apple Inc.} {dba }]" || rows[1].ID != "2" {
			t.Errorf("rows %s", dump(rows))
		}
	})
}

func TestRunBatchSeveralNames(t *testing.T) {
	s := testScreener()
	rows := []*batch.Row{
		{Line: 2, Name: "Acme Shipping", Names: []batch.Column{{"company", "Acme Shipping"}, {"vessel", "Grace 1"}, {"contact", "Kim Sok Chol"}}},
		{Line: 3, Name: "", Names: []batch.Column{{"company", ""}, {"vessel", ""}}},
	}
	w := &collectWriter{}
	st, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: rows}, w, batch.BatchOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	o := w.outs[0]
	if len(o.Matches) != 2 || len(o.MatchColumns) != 2 {
		t.Fatalf("matches %v columns %v", matchKeys(o.Matches), o.MatchColumns)
	}
	cols := map[string]string{}
	for i, m := range o.Matches {
		cols[m.Source] = o.MatchColumns[i] + "=" + o.MatchQueries[i]
	}
	if cols["us_sdn"] != "vessel=Grace 1" || cols["un_sc"] != "contact=Kim Sok Chol" {
		t.Errorf("columns %v", cols)
	}
	if w.outs[1].Err == nil || st.Errors != 1 || st.Names != 3 {
		t.Errorf("second row error %v, stats %+v", w.outs[1].Err, st)
	}
	// The JSONL output says which column matched.
	var b bytes.Buffer
	writeAll(t, batch.NewJSONLWriter(&b), w.outs[:1])
	for _, want := range []string{`"names":[{"column":"company","name":"Acme Shipping"}`, `"column":"vessel","query":"Grace 1"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSONL %s lacks %s", b.String(), want)
		}
	}
}

// countingReader counts the rows read; boundedWriter checks that no more than window rows are in flight.
type countingReader struct {
	sliceReader
	reads atomic.Int64
}

func (c *countingReader) Read() (*batch.Row, error) {
	c.reads.Add(1)
	return c.sliceReader.Read()
}

type boundedWriter struct {
	collectWriter
	r       *countingReader
	window  int64
	maxSeen int64
}

func (b *boundedWriter) Write(o *batch.Outcome) error {
	inFlight := b.r.reads.Load() - int64(len(b.outs))
	if inFlight > b.maxSeen {
		b.maxSeen = inFlight
	}
	if len(b.outs) == 0 {
		time.Sleep(20 * time.Millisecond) // a slow first write: the reader must wait, not run ahead
	}
	return b.collectWriter.Write(o)
}

func TestRunBatchBoundedWindow(t *testing.T) {
	s := testScreener()
	r := &countingReader{sliceReader: sliceReader{rows: batchRows(3000)}}
	w := &boundedWriter{r: r, window: 32}
	if _, err := batch.RunBatch(context.Background(), serviceOf(s, nil), r, w, batch.BatchOptions{Workers: 4, Window: 32}); err != nil {
		t.Fatal(err)
	}
	if len(w.outs) != 3000 {
		t.Fatalf("%d written", len(w.outs))
	}
	if w.maxSeen > 32+1 {
		t.Errorf("%d rows in flight, want at most the window of 32", w.maxSeen)
	}
}

func TestRunBatchSkipStrictCheckpoint(t *testing.T) {
	s := testScreener()
	t.Run("skip", func(t *testing.T) {
		w := &collectWriter{}
		st, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(100)}, w, batch.BatchOptions{Skip: 40})
		if err != nil || st.Rows != 60 || w.outs[0].Row.Line != 42 {
			t.Errorf("err %v, stats %+v, first line %d", err, st, w.outs[0].Row.Line)
		}
		_, err = batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(10)}, &collectWriter{}, batch.BatchOptions{Skip: 40})
		if err == nil || !strings.Contains(err.Error(), "fewer") {
			t.Errorf("skip beyond the input: %v", err)
		}
	})
	t.Run("strict", func(t *testing.T) {
		w := &collectWriter{}
		_, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(100)}, w, batch.BatchOptions{Strict: true})
		// batchRows: the fourth row (line 5) has no name.
		if err == nil || !strings.Contains(err.Error(), "line 5") || len(w.outs) != 3 {
			t.Errorf("err %v, %d written", err, len(w.outs))
		}
	})
	t.Run("checkpoint", func(t *testing.T) {
		w := &collectWriter{}
		var calls []int
		_, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &sliceReader{rows: batchRows(500)}, w, batch.BatchOptions{
			CheckpointInterval: time.Nanosecond,
			Checkpoint: func(st batch.BatchStats) error {
				if st.Rows != len(w.outs) {
					t.Errorf("checkpoint at %d rows, %d written", st.Rows, len(w.outs))
				}
				calls = append(calls, st.Rows)
				if st.Rows == 300 {
					return errors.New("disk full")
				}
				return nil
			}})
		if err == nil || !strings.Contains(err.Error(), "disk full") || len(calls) != 300 {
			t.Errorf("err %v, %d calls", err, len(calls))
		}
	})
}

func TestXLSXWriterRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w, err := batch.NewXLSXWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, fixedOutcomes())
	r, err := batch.NewXLSXReader(bytes.NewReader(b.Bytes()), "out.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	var csvOut bytes.Buffer
	writeAll(t, batch.NewCSVWriter(&csvOut), fixedOutcomes())
	lines := strings.Split(csvOut.String(), "\n")
	header := strings.Split(lines[0], ",")
	for i, c := range rows[0].Columns {
		if c.Name != header[i] {
			t.Errorf("column %d %q, CSV has %q", i, c.Name, header[i])
		}
	}
	if rows[0].Columns[5].Value != "1" || rows[0].Columns[6].Value != "us_el" || rows[2].Columns[14].Value != "name: required" ||
		rows[0].Columns[12].Name != "best_unreviewed_score" || rows[0].Columns[12].Value != "1" {
		t.Errorf("rows %s", dump(rows))
	}
}

func TestErrorsWriter(t *testing.T) {
	var b bytes.Buffer
	outs := append(fixedOutcomes(), &batch.Outcome{Row: &batch.Row{Line: 9},
		Err: &tradescreen.ParseError{File: "in.csv", Line: 9, Field: "city", Msg: "not valid UTF-8"}})
	ew := batch.NewErrorsWriter(&b, true)
	writeAll(t, ew, outs)
	want := "line,id,name,field,error\n4,C-3,,name,name: required\n9,,,city,not valid UTF-8\n"
	if b.String() != want || ew.N != 2 {
		t.Errorf("errors file:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestRenderReport(t *testing.T) {
	rep := batch.NewReport()
	outs := fixedOutcomes()
	outs[1].Row.Name = `<script>alert("x")</script>`
	outs[1].Matches = outs[0].Matches[:1]
	for _, o := range outs {
		rep.Write(o)
	}
	var b bytes.Buffer
	err := batch.RenderReport(&b, rep, batch.ReportMeta{Input: "customers.csv", InputSize: 1234, InputSHA256: "abc123",
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Finished: time.Date(2026, 1, 2, 3, 5, 5, 0, time.UTC),
		Settings: [][2]string{{"Alert threshold", "0.80"}}, Lists: serviceOf(testScreener(), nil).Lists()})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"<td class=\"n\" id=\"rows\">3</td>", "id=\"with-matches\">2<", "abc123", "Hangzhou Hikvision Digital Technology Co., Ltd.",
		"84 FR 54002", "Presumption of denial.", "hikvision→hikvision (exact)", "&lt;script&gt;", "Alert threshold", "2022-05-16", "1m0s", "name: required",
		// The lists' ages: a run without hits against an out-of-date list is not a clear result.
		"days old: <strong>out of date</strong>", "a row without hits is not a clear result"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("a row's name is not escaped")
	}
	if rep.Lists["us_el"].Rows != 2 || rep.Lists["us_cmic"].Rows != 1 {
		t.Errorf("list counts %+v %+v", rep.Lists["us_el"], rep.Lists["us_cmic"])
	}
}

func TestCheckpointSaveLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "j")
	rep := batch.NewReport()
	rep.Write(fixedOutcomes()[0])
	c := &batch.Checkpoint{Input: "in.csv", InputSize: 10, InputSHA256: "ff", Rows: 7, Outputs: []batch.OutputState{{Path: "out.csv", Offset: 99, CSVHeader: []string{"a"}}}, Report: rep}
	if err := c.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := batch.LoadCheckpoint(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != 7 || len(got.Outputs) != 1 || got.Outputs[0].Offset != 99 || got.Outputs[0].CSVHeader[0] != "a" || got.Report.Stats.WithMatches != 1 || len(got.Report.Hits) != 1 || got.Report.Hits[0].Matches[0].Entry.LicensePolicy == "" {
		t.Errorf("loaded %+v", got)
	}
	if _, err := batch.LoadCheckpoint(filepath.Join(dir, "none")); tradescreen.ErrorCode(err) != tradescreen.ENOTFOUND {
		t.Errorf("missing: %v", err)
	}
	os.WriteFile(p, []byte(`{"version": 1, "rows": `), 0o644)
	if _, err := batch.LoadCheckpoint(p); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("torn: %v", err)
	}
}

func FuzzCSVReader(f *testing.F) {
	f.Add([]byte(accented))
	f.Add(latin1(accented))
	f.Add(utf16(accented, false))
	f.Add([]byte("name,id\n\"a\"b,1\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := batch.NewCSVReader(bytes.NewReader(data), "f.csv")
		if err != nil {
			return
		}
		last := 0
		for i := 0; i < 10000; i++ {
			row, err := r.Read()
			if err != nil {
				return
			}
			if row.Line <= last {
				t.Fatalf("line %d after %d", row.Line, last)
			}
			last = row.Line
		}
	})
}

func FuzzJSONLReader(f *testing.F) {
	f.Add([]byte("{\"name\": \"Hikvision\", \"id\": 1}\n[1]\n{\"name\": 2}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := batch.NewJSONLReaderOptions(bytes.NewReader(data), "f.jsonl", batch.ReaderOptions{NameColumns: []string{"name", "alias"}})
		for i := 0; i < 10000; i++ {
			row, err := r.Read()
			if err != nil {
				return
			}
			if row.Err == nil && len(row.Names) != 2 {
				t.Fatalf("names %v", row.Names)
			}
		}
	})
}
