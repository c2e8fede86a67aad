package http_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
)

// Bounded work: the review's uploads and requests that made one request exhaust memory or disk. Each is
// refused early with the limit it passed, or, found while a job runs, fails the job saying why and leaves no
// partial results.

// xlsxWith returns a workbook made by excelize whose first worksheet and shared strings are replaced by what
// sheet and shared write (shared may be nil: the workbook's own are kept), streamed into the zip so that
// parts that unpack to many megabytes cost little memory to make.
func xlsxWith(t *testing.T, sheet, shared func(w io.Writer)) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "name"); err != nil {
		t.Fatal(err)
	}
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case zf.Name == "xl/worksheets/sheet1.xml":
			sheet(w)
		case zf.Name == "xl/sharedStrings.xml" && shared != nil:
			shared(w)
		default:
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(w, rc)
			rc.Close()
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

const sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetEnd = `</sheetData></worksheet>`

// inlineRow writes row n with one inline string cell holding v.
func inlineRow(w io.Writer, n int, v string) {
	fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>`, n, n, v)
}

// TestXLSXBombs posts the review's workbooks to POST /v1/batch and POST /v1/parties: one cell that inflates
// to 64 MiB (the review's was 1 GB from a 1 MB upload), and a million and one shared strings. Both answer
// 413 naming the limit at once, before any row is screened, and leave no job behind. A cell over Excel's
// 32,767 characters on the third row passes the submission's check of the first row; the job then fails
// saying why and leaves no partial results.
func TestXLSXBombs(t *testing.T) {
	dir := t.TempDir()
	ts := newTestServer(t, func(s *tshttp.Server) { s.JobsDir = dir; s.Store = sqliteStore(t) })
	bigCell := xlsxWith(t, func(w io.Writer) {
		io.WriteString(w, sheetStart)
		inlineRow(w, 1, "name")
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		chunk := strings.Repeat("A", 1<<20)
		for range 64 {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, `</t></is></c></row>`+sheetEnd)
	}, nil)
	manyShared := xlsxWith(t, func(w io.Writer) {
		io.WriteString(w, sheetStart+`<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>`+sheetEnd)
	}, func(w io.Writer) {
		n := batch.MaxXLSXSharedStrings + 1
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d"><si><t>name</t></si>`, n, n)
		for i := 1; i < n; i++ {
			fmt.Fprintf(w, `<si><t>%d</t></si>`, i)
		}
		io.WriteString(w, `</sst>`)
	})
	t.Logf("bomb sizes: one cell %d bytes, shared strings %d bytes", len(bigCell), len(manyShared))
	for name, c := range map[string]struct {
		body []byte
		msg  string
	}{"one cell": {bigCell, "a text of more than"}, "shared strings": {manyShared, "shared strings"}} {
		do(t, "POST", ts.URL+"/v1/batch", bytes.NewReader(c.body), "Content-Type", mediaXLSX).
			wantError(t, 413, tradescreen.ETOOLARGE, c.msg)
		do(t, "POST", ts.URL+"/v1/parties?name=bomb.xlsx", bytes.NewReader(c.body), "Content-Type", mediaXLSX).
			wantError(t, 413, tradescreen.ETOOLARGE, c.msg)
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%s: the jobs directory keeps %d entries", name, len(ents))
		}
	}

	long := xlsxWith(t, func(w io.Writer) {
		io.WriteString(w, sheetStart)
		inlineRow(w, 1, "name")
		inlineRow(w, 2, "Hangzhou Hikvision Digital Technology Co Ltd")
		inlineRow(w, 3, strings.Repeat("Hikvision ", 4000))
		inlineRow(w, 4, "Lakeside Bakery GmbH")
		io.WriteString(w, sheetEnd)
	}, nil)
	job := submit(t, ts, "?name=long.xlsx", mediaXLSX, long)
	if job = wait(t, ts, job.ID); job.State != tshttp.JobFailed || !strings.Contains(job.Error, "row 3") || !strings.Contains(job.Error, "32767 characters") {
		t.Errorf("job with a 40,000-character cell: %+v", job)
	}
	// Closing waits for the job's worker, which writes the failed state last.
	if err := ts.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(filepath.Join(dir, job.ID))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	// The server has a store: the job's state is in the database, not in a job.json beside the input.
	if strings.Join(names, " ") != "input.xlsx" {
		t.Errorf("a failed job keeps %v; want only its input", names)
	}
}

// TestSourcesBounded: the review's POST /v1/screen with list codes repeated 20,000 times committed hundreds of
// megabytes of audit records. The codes are screened and recorded once each; more distinct codes than there
// are lists are refused; GET /v1/search and POST /v1/batch do the same.
func TestSourcesBounded(t *testing.T) {
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st; s.JobsDir = t.TempDir() })
	rep := make([]string, 0, 20001)
	for range 10000 {
		rep = append(rep, `"us_el"`, `"us_sdn"`)
	}
	var parties []string
	for _, n := range []string{"Hangzhou Hikvision Digital Technology Co Ltd", "Lakeside Bakery GmbH", "Dahua Technology", "Rosneft Trade Limited"} {
		parties = append(parties, fmt.Sprintf(`{"name":%q}`, n))
	}
	body := `{"parties":[` + strings.Join(parties, ",") + `],"sources":[` + strings.Join(rep, ",") + `]}`
	postJSON(t, ts.URL+"/v1/screen", body).wantStatus(t, 200)
	get(t, ts.URL+"/v1/search?q=Hikvision&source="+strings.Repeat("us_el,", 5000)).wantStatus(t, 200)
	evs, err := st.Audit().FindAuditEvents(context.Background(), tradescreen.AuditFilter{Action: tradescreen.AuditScreen, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 5 {
		t.Errorf("%d screening records, want 5", len(evs))
	}
	for _, e := range evs {
		var d struct{ Sources []string }
		if err := json.Unmarshal([]byte(e.Details), &d); err != nil || len(e.Details) > 4096 || len(d.Sources) > 2 {
			t.Errorf("a screening record of %d bytes: %.300s", len(e.Details), e.Details)
		}
	}
	var many []string
	for i := range len(tradescreen.Sources) + 1 {
		many = append(many, fmt.Sprintf("x%d", i))
	}
	postJSON(t, ts.URL+"/v1/screen", `{"name":"Hikvision","sources":["`+strings.Join(many, `","`)+`"]}`).
		wantError(t, 400, tradescreen.EINVALID, "sources: more than")
	get(t, ts.URL+"/v1/search?q=Hikvision&source="+strings.Join(many, ",")).wantError(t, 400, tradescreen.EINVALID, "source: more than")
	job := submit(t, ts, "?source="+strings.Repeat("us_el,", 3000), mediaCSV, []byte("name\nHikvision\n"))
	if len(job.Sources) != 1 {
		t.Errorf("job sources: %v", job.Sources)
	}
}

// TestAuditExportFormulas: a record whose actor a spreadsheet would read as a formula (the CLI's --as takes
// any name) is exported by GET /v1/audit/export?format=csv as text; csvsafe.Unquote gives the name back.
func TestAuditExportFormulas(t *testing.T) {
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st })
	const formula = `=HYPERLINK("http://evil.example","click")`
	if err := st.Audit().AppendAudit(context.Background(), &tradescreen.AuditEvent{Actor: formula, Action: "party.import", Object: "@SUM(A1)", Details: `{}`}); err != nil {
		t.Fatal(err)
	}
	r := get(t, ts.URL+"/v1/audit/export?format=csv")
	r.wantStatus(t, 200)
	recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("export %q: %v", r.Body, err)
	}
	if rec := recs[1]; rec[2] != "'"+formula || rec[4] != "'@SUM(A1)" || csvsafe.Unquote(rec[2]) != formula {
		t.Errorf("exported record: %q", rec)
	}
}
