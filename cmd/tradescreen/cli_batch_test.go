package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/match"
)

// cliCustomers is testdata/cli/customers.csv: an ERP export of 60 customers. 51 are real US-listed issuers
// from SEC EDGAR's company_tickers.json (not on any list); the others are listed parties written the way a
// customer file writes them.
const cliCustomers = "testdata/cli/customers.csv"

// cliListed maps the id of each listed customer to a list that must raise an alert for it.
var cliListed = map[string]string{
	"C-10035": "us_el",  // Hikvision: the Entity List alias
	"C-10084": "us_el",  // Zhejiang Dahua Technology Co Ltd: Dahua's full legal name; the list says "Dahua Technology"
	"C-10140": "us_el",  // Huawei Technologies: Huawei Technologies Co., Ltd. and its affiliates
	"C-10196": "un_sc",  // Hamza bin Laden: UN QDi.427, "HAMZA USAMA MUHAMMAD BIN LADEN"
	"C-10245": "us_sdn", // Adrian Darya-1: SDN vessel ADRIAN DARYA 1
	"C-10287": "us_el",  // Hangzhou Hikvison Digital Technology Co: a typo and a cut legal form
	"C-10329": "us_el",  // Megvii Technology Ltd
	"C-10371": "us_el",  // Beijing Sensetime Technology Development Co
	"C-10406": "un_sc",  // Sok Chol Kim: UN KPi.036 KIM SOK CHOL, given name first
}

// cliOutRow is one line of the batch JSONL output.
type cliOutRow struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Line    int               `json:"line"`
	Matches []cliMatch        `json:"matches"`
	Error   string            `json:"error"`
	Columns map[string]string `json:"columns"`
}

// cliReadJSONL reads the batch JSONL output, checking every line holds the documented members.
func cliReadJSONL(t *testing.T, path string) []cliOutRow {
	t.Helper()
	var rows []cliOutRow
	sc := bufio.NewScanner(bytes.NewReader(cliReadFile(t, path)))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("%s line %d is not a JSON object: %v", path, n, err)
		}
		for _, k := range []string{"id", "name", "matches"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("%s line %d has no %q member: %s", path, n, k, sc.Text())
			}
		}
		if string(raw["matches"]) == "null" {
			t.Errorf("%s line %d: matches is null, want an array", path, n)
		}
		var r cliOutRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s line %d: %v", path, n, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// cliCustomerRecords returns the records of customers.csv without the header.
func cliCustomerRecords(t *testing.T) [][]string {
	t.Helper()
	recs := cliReadCSV(t, cliCustomers)
	want := []string{"id", "name", "type", "country", "account_manager"}
	if strings.Join(recs[0], ",") != strings.Join(want, ",") {
		t.Fatalf("customers.csv header %q", recs[0])
	}
	return recs[1:]
}

// The default batch run is shared by the tests that compare other runs with it.
var (
	cliDefaultOnce sync.Once
	cliDefaultRows []cliOutRow
	cliDefaultErr  string
)

// cliDefaultBatch screens customers.csv once with the defaults and returns the JSONL rows.
func cliDefaultBatch(t *testing.T) []cliOutRow {
	t.Helper()
	cliDefaultOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tradescreen-cli-batch-")
		if err != nil {
			cliDefaultErr = err.Error()
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "out.jsonl")
		r := cliRun(t, "batch", cliCustomers, "-o", out)
		if r.code != 0 {
			cliDefaultErr = "batch exited " + strconv.Itoa(r.code) + ": " + r.stderr
			return
		}
		cliDefaultRows = cliReadJSONL(t, out)
		cliNoPartials(t, dir)
	})
	if cliDefaultErr != "" {
		t.Fatal(cliDefaultErr)
	}
	return cliDefaultRows
}

func TestCLIBatchJSONL(t *testing.T) {
	t.Parallel()
	recs := cliCustomerRecords(t)
	if len(recs) < 55 {
		t.Fatalf("customers.csv has %d rows", len(recs))
	}
	rows := cliDefaultBatch(t)
	if len(rows) != len(recs) {
		t.Fatalf("%d output rows for %d input rows", len(rows), len(recs))
	}
	var missed []string
	for i, rec := range recs {
		row := rows[i]
		id, name, typ, country, manager := rec[0], rec[1], rec[2], rec[3], rec[4]
		if row.ID != id || row.Name != name {
			t.Fatalf("output row %d is %s %q, want %s %q (input order)", i+1, row.ID, row.Name, id, name)
		}
		if row.Line != i+2 {
			t.Errorf("row %s line %d, want %d", id, row.Line, i+2)
		}
		if row.Error != "" {
			t.Errorf("row %s: error %q", id, row.Error)
		}
		wantCols := map[string]string{"id": id, "name": name, "type": typ, "country": country, "account_manager": manager}
		for k, v := range wantCols {
			if row.Columns[k] != v {
				t.Errorf("row %s: columns[%q] = %q, want %q", id, k, row.Columns[k], v)
			}
		}
		if !sort.SliceIsSorted(row.Matches, func(a, b int) bool { return row.Matches[a].Score > row.Matches[b].Score }) {
			t.Errorf("row %s: matches not sorted by score: %v", id, cliScores(row.Matches))
		}
		if len(row.Matches) > match.DefaultLimit {
			t.Errorf("row %s: %d matches, more than the default limit %d", id, len(row.Matches), match.DefaultLimit)
		}
		for _, m := range row.Matches {
			if m.Source == "" || m.SourceID == "" || m.Name == "" || m.MatchedName == "" {
				t.Errorf("row %s: incomplete match %+v", id, m)
			}
			if m.Score < match.DefaultThreshold || m.Score > 1 {
				t.Errorf("row %s: match %s/%s score %v outside [%v, 1]", id, m.Source, m.SourceID, m.Score, match.DefaultThreshold)
			}
		}
		src, listed := cliListed[id]
		switch {
		case !listed && len(row.Matches) > 0:
			t.Errorf("false alert: %s %q (not listed) matched %s %q score %.3f", id, name, row.Matches[0].Source, row.Matches[0].Name, row.Matches[0].Score)
		case listed:
			found := false
			for _, m := range row.Matches {
				found = found || m.Source == src
			}
			if !found {
				missed = append(missed, id+" "+strconv.Quote(name)+" (want "+src+")")
			}
		}
	}
	if len(missed) > 0 {
		t.Errorf("listed customers not alerted:\n  %s", strings.Join(missed, "\n  "))
	}
}

// Writing .csv: the input columns, in input order, then the screening columns.
func TestCLIBatchCSVOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "screened.csv")
	r := cliRun(t, "batch", cliCustomers, "-o", out)
	r.cliWant(t, 0)
	cliContainsAll(t, "stderr", r.stderr, "60 rows screened", "0 errors", "us_el", "2026-07-09", out)
	recs := cliReadCSV(t, out)
	in := cliCustomerRecords(t)
	wantHeader := append([]string{"id", "name", "type", "country", "account_manager"}, batch.CSVColumns...)
	if strings.Join(recs[0], "|") != strings.Join(wantHeader, "|") {
		t.Fatalf("header %q\nwant   %q", recs[0], wantHeader)
	}
	if len(recs)-1 != len(in) {
		t.Fatalf("%d rows, want %d", len(recs)-1, len(in))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	// The report is written like any other file the user creates: readable by whom the umask allows, not
	// private to the owner.
	ref, err := os.Create(filepath.Join(dir, "reference.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	refInfo, err := os.Stat(ref.Name())
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(out); err != nil {
		t.Fatal(err)
	} else if info.Mode().Perm() != refInfo.Mode().Perm() {
		t.Errorf("BUG: batch output has mode %v, a file created with os.Create has %v (os.CreateTemp makes 0600 files; chmod the temporary file before renaming it)", info.Mode().Perm(), refInfo.Mode().Perm())
	}
	jl := cliDefaultBatch(t)
	for i, rec := range recs[1:] {
		if len(rec) != len(wantHeader) {
			t.Fatalf("row %d has %d fields", i+1, len(rec))
		}
		if strings.Join(rec[:5], "|") != strings.Join(in[i], "|") {
			t.Errorf("row %d input columns %q, want %q", i+1, rec[:5], in[i])
		}
		n, err := strconv.Atoi(rec[col["match_count"]])
		if err != nil {
			t.Fatalf("row %d match_count %q", i+1, rec[col["match_count"]])
		}
		if n != len(jl[i].Matches) {
			t.Errorf("row %s: match_count %d, JSONL has %d matches", rec[0], n, len(jl[i].Matches))
		}
		if n == 0 {
			for _, c := range []string{"best_score", "best_source", "best_source_id", "best_name", "best_matched_name", "matches", "error"} {
				if rec[col[c]] != "" {
					t.Errorf("row %s without matches has %s %q", rec[0], c, rec[col[c]])
				}
			}
			continue
		}
		best, err := strconv.ParseFloat(rec[col["best_score"]], 64)
		if err != nil || best < match.DefaultThreshold-0.0005 || best > 1 {
			t.Errorf("row %s: best_score %q", rec[0], rec[col["best_score"]])
		}
		if rec[col["best_source"]] == "" || rec[col["best_source_id"]] == "" || rec[col["best_name"]] == "" || rec[col["best_matched_name"]] == "" {
			t.Errorf("row %s: incomplete best match %q", rec[0], rec)
		}
		if parts := strings.Split(rec[col["matches"]], "; "); len(parts) != n {
			t.Errorf("row %s: matches %q has %d parts, want %d", rec[0], rec[col["matches"]], len(parts), n)
		} else if !strings.HasPrefix(parts[0], rec[col["best_source"]]+":"+rec[col["best_source_id"]]+":") {
			t.Errorf("row %s: first of matches %q is not the best match", rec[0], parts[0])
		}
	}
}

// JSON Lines input: the same customers as objects, extra members carried through.
func TestCLIBatchJSONLInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	recs := cliCustomerRecords(t)
	for i, rec := range recs {
		obj := map[string]any{"id": rec[0], "name": rec[1], "type": rec[2], "country": rec[3], "account_manager": rec[4]}
		if err := enc.Encode(obj); err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			b.WriteString("\n") // a blank line is skipped
		}
	}
	in := cliWriteFile(t, dir, "customers.jsonl", []byte(b.String()))
	out := filepath.Join(dir, "out.jsonl")
	cliRun(t, "batch", in, "-o", out).cliWant(t, 0)
	rows := cliReadJSONL(t, out)
	def := cliDefaultBatch(t)
	if len(rows) != len(recs) {
		t.Fatalf("%d rows, want %d", len(rows), len(recs))
	}
	for i, row := range rows {
		if row.ID != recs[i][0] || row.Name != recs[i][1] {
			t.Fatalf("row %d is %s %q, want %s %q", i+1, row.ID, row.Name, recs[i][0], recs[i][1])
		}
		if row.Columns["account_manager"] != recs[i][4] {
			t.Errorf("row %s: account_manager %q not carried", row.ID, row.Columns["account_manager"])
		}
		if got, want := cliMatchKeys(row.Matches), cliMatchKeys(def[i].Matches); got != want {
			t.Errorf("row %s: JSONL input matched %s, CSV input %s", row.ID, got, want)
		}
	}
}

// --threshold and --limit narrow what is written.
func TestCLIBatchThresholdAndLimit(t *testing.T) {
	t.Parallel()
	def := cliDefaultBatch(t)
	t.Run("threshold 0.95", func(t *testing.T) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "out.jsonl")
		cliRun(t, "batch", cliCustomers, "-o", out, "--threshold", "0.95").cliWant(t, 0)
		rows := cliReadJSONL(t, out)
		if len(rows) != len(def) {
			t.Fatalf("%d rows, want %d", len(rows), len(def))
		}
		dropped := 0
		for i, row := range rows {
			var want []cliMatch
			for _, m := range def[i].Matches {
				if m.Score >= 0.95 {
					want = append(want, m)
				} else {
					dropped++
				}
			}
			for _, m := range row.Matches {
				if m.Score < 0.95 {
					t.Errorf("row %s: score %v below --threshold 0.95", row.ID, m.Score)
				}
			}
			if len(def[i].Matches) < match.DefaultLimit && cliMatchKeys(row.Matches) != cliMatchKeys(want) {
				t.Errorf("row %s: at 0.95 matched %s, want the default run's matches at 0.95 or more: %s", row.ID, cliMatchKeys(row.Matches), cliMatchKeys(want))
			}
		}
		if dropped == 0 {
			t.Errorf("no default match scores below 0.95: the test data no longer tests --threshold")
		}
	})
	t.Run("limit 1", func(t *testing.T) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "out.jsonl")
		cliRun(t, "batch", "--limit", "1", cliCustomers, "-o", out).cliWant(t, 0)
		rows := cliReadJSONL(t, out)
		if len(rows) != len(def) {
			t.Fatalf("%d rows, want %d", len(rows), len(def))
		}
		several := 0
		for i, row := range rows {
			if len(def[i].Matches) > 1 {
				several++
			}
			if len(row.Matches) > 1 {
				t.Errorf("row %s: %d matches with --limit 1", row.ID, len(row.Matches))
			}
			if (len(row.Matches) == 0) != (len(def[i].Matches) == 0) {
				t.Errorf("row %s: %d matches with --limit 1, %d without", row.ID, len(row.Matches), len(def[i].Matches))
				continue
			}
			if len(row.Matches) == 1 && row.Matches[0].Score != def[i].Matches[0].Score {
				t.Errorf("row %s: --limit 1 kept score %v, the best is %v", row.ID, row.Matches[0].Score, def[i].Matches[0].Score)
			}
		}
		if several == 0 {
			t.Errorf("no row has several matches: the test data no longer tests --limit")
		}
	})
}

// A row without a name is written with its error and counted; the rows after it are screened.
func TestCLIBatchEmptyName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "in.csv", []byte("id,name,country\nA1,Apple Inc.,US\nA2,,US\nA3,   ,CN\nA4,Rosneft Trade Ltd,RU\n"))
	out := filepath.Join(dir, "out.jsonl")
	r := cliRun(t, "batch", "--list", cliSmallList, in, "-o", out)
	r.cliWant(t, 0)
	cliContainsAll(t, "stderr", r.stderr, "4 rows screened", "2 errors")
	rows := cliReadJSONL(t, out)
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	for i, row := range rows {
		wantErr := i == 1 || i == 2
		if (row.Error != "") != wantErr {
			t.Errorf("row %s: error %q", row.ID, row.Error)
		}
		if wantErr && (!strings.Contains(row.Error, "name") || len(row.Matches) != 0) {
			t.Errorf("row %s: error %q, %d matches", row.ID, row.Error, len(row.Matches))
		}
	}
	if rows[3].ID != "A4" || len(rows[3].Matches) == 0 {
		t.Errorf("the row after the empty names was not screened: %+v", rows[3])
	}
	// The CSV output carries the error in its error column.
	outCSV := filepath.Join(dir, "out.csv")
	cliRun(t, "batch", "--list", cliSmallList, in, "-o", outCSV).cliWant(t, 0)
	recs := cliReadCSV(t, outCSV)
	errCol := len(recs[0]) - 2 // the error column comes before warnings
	if recs[0][errCol] != "error" || !strings.Contains(recs[2][errCol], "name") || recs[1][errCol] != "" {
		t.Errorf("CSV error column: header %q, rows %q / %q", recs[0][errCol], recs[1][errCol], recs[2][errCol])
	}
}

// ERP exports fill type and country with their own vocabulary ("Supplier", ISO alpha-3 "RUS"). Those
// columns only refine the matching: a listed party must still be found by its name.
func TestCLIBatchUnreadableOptionalColumns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "vendors.csv", []byte("id,name,type,country\n"+
		"V-1,Rosneft Trade Ltd,Supplier,RUS\n"+
		"V-2,Atlas Sanatgaran,organization,IRN\n"+
		"V-3,Rosneft Trade Ltd,organization,RU\n"))
	out := filepath.Join(dir, "out.jsonl")
	cliRun(t, "batch", "--list", cliSmallList, in, "-o", out).cliWant(t, 0)
	rows := cliReadJSONL(t, out)
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if len(rows[2].Matches) == 0 {
		t.Fatalf("the control row V-3 does not alert: %+v", rows[2])
	}
	for _, row := range rows[:2] {
		if len(row.Matches) == 0 {
			t.Errorf("BUG: listed party %s %q (type %q, country %q) not screened: error %q; an unreadable type or country should be dropped (with a note), not keep the row from being screened by name; source.CountryCode should read ISO alpha-3 codes",
				row.ID, row.Name, row.Columns["type"], row.Columns["country"], row.Error)
		}
	}
}

// Excel in much of Europe saves "CSV" with semicolons and a byte-order mark.
func TestCLIBatchSemicolonBOM(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := "\ufeffCustomer_ID;Company_Name;Country\r\n" +
		"900;Rosneft Trade Ltd;RU\r\n" +
		"901;\"Apple Inc.; Cupertino\";US\r\n" +
		"902;Atlas Sanatgaran;IR\r\n"
	in := cliWriteFile(t, dir, "export.csv", []byte(data))
	out := filepath.Join(dir, "out.jsonl")
	r := cliRun(t, "batch", "--list", cliSmallList, in, "-o", out)
	r.cliWant(t, 0)
	rows := cliReadJSONL(t, out)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	want := []struct {
		id, name string
		alert    bool
	}{{"900", "Rosneft Trade Ltd", true}, {"901", "Apple Inc.; Cupertino", false}, {"902", "Atlas Sanatgaran", true}}
	for i, w := range want {
		row := rows[i]
		if row.ID != w.id || row.Name != w.name {
			t.Errorf("row %d: id %q name %q, want %q %q", i+1, row.ID, row.Name, w.id, w.name)
		}
		if (len(row.Matches) > 0) != w.alert {
			t.Errorf("row %s: %d matches", row.ID, len(row.Matches))
		}
		// The BOM is not part of the first column's name.
		if _, ok := row.Columns["Customer_ID"]; !ok {
			t.Errorf("row %s: columns %v, want Customer_ID", row.ID, row.Columns)
		}
	}
}

// A file without a name column fails before anything is written, listing the columns it has.
func TestCLIBatchNoNameColumn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "contacts.csv", []byte("customer_no,city,email\n1,Cupertino,ap@example.com\n"))
	out := filepath.Join(dir, "out.jsonl")
	r := cliRun(t, "batch", in, "-o", out)
	if r.code == 0 {
		t.Fatalf("exit 0 for a file without a name column")
	}
	cliContainsAll(t, "stderr", r.stderr, "contacts.csv", "name", "customer_no", "city", "email")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written: %v", err)
	}
	cliNoPartials(t, dir)
}

// A broken row mid-way (broken quoting) is reported with its line in the errors file and the run goes on;
// with --strict it stops the run, the output is not left half-written, and an earlier good output is kept.
func TestCLIBatchBrokenInput(t *testing.T) {
	t.Parallel()
	recs := cliCustomerRecords(t)
	var b strings.Builder
	b.WriteString("id,name,type,country,account_manager\n")
	// Enough rows that the output buffer is flushed to disk before the broken line.
	rows := 0
	for i := 0; i < 40; i++ {
		for _, rec := range recs {
			b.WriteString(strings.Join([]string{rec[0] + "-" + strconv.Itoa(i), strconv.Quote(rec[1]), rec[2], rec[3], rec[4]}, ","))
			b.WriteString("\n")
			rows++
		}
	}
	brokenLine := strings.Count(b.String(), "\n") + 1
	b.WriteString("X-1,\"Siemens AG \"Healthineers\",organization,DE,J. Becker\n")
	b.WriteString("X-2,Rosneft Trade Ltd,organization,RU,J. Becker\n")
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "customers.csv", []byte(b.String()))
	t.Run("bad row reported, run goes on", func(t *testing.T) {
		t.Parallel()
		sub := t.TempDir()
		out := filepath.Join(sub, "screened.jsonl")
		r := cliRun(t, "batch", "--list", cliSmallList, in, "-o", out)
		r.cliWant(t, 0)
		cliContainsAll(t, "stderr", r.stderr, strconv.Itoa(rows+2)+" rows screened", "1 errors", "screened.jsonl.errors.csv")
		got := cliReadJSONL(t, out)
		if len(got) != rows+2 {
			t.Fatalf("%d output rows, want %d (one per input row, the bad one included)", len(got), rows+2)
		}
		bad, last := got[rows], got[rows+1]
		if bad.Line != brokenLine || !strings.Contains(bad.Error, "quot") {
			t.Errorf("bad row: line %d error %q, want line %d and a quoting error", bad.Line, bad.Error, brokenLine)
		}
		if last.ID != "X-2" || len(last.Matches) == 0 {
			t.Errorf("the row after the bad one: %+v", last)
		}
		errs := cliReadCSV(t, out+".errors.csv")
		if len(errs) != 2 || strings.Join(errs[0], ",") != "line,id,name,field,error" || errs[1][0] != strconv.Itoa(brokenLine) {
			t.Errorf("errors file %q", errs)
		}
		cliNoPartials(t, sub)
	})
	t.Run("strict: new output", func(t *testing.T) {
		t.Parallel()
		sub := t.TempDir()
		out := filepath.Join(sub, "new.jsonl")
		r := cliRun(t, "batch", "--strict", "--list", cliSmallList, in, "-o", out)
		if r.code == 0 {
			t.Fatalf("exit 0 for a broken input with --strict:\n%s", r.stderr)
		}
		cliContainsAll(t, "stderr", r.stderr, "customers.csv", "line "+strconv.Itoa(brokenLine))
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed run (err %v)", out, err)
		}
		cliNoPartials(t, sub)
	})
	t.Run("strict: previous output kept", func(t *testing.T) {
		t.Parallel()
		sub := t.TempDir()
		prev := []byte("id,name,match_count\nC-1,the previous screening report,0\n")
		out := cliWriteFile(t, sub, "previous.csv", prev)
		r := cliRun(t, "batch", "--strict", "--list", cliSmallList, in, "-o", out)
		if r.code == 0 {
			t.Fatalf("exit 0 for a broken input")
		}
		if got := cliReadFile(t, out); !bytes.Equal(got, prev) {
			t.Errorf("previous output replaced by %d bytes", len(got))
		}
		cliNoPartials(t, sub)
	})
}

// The report never replaces the file it was made from.
func TestCLIBatchOutputIsInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := cliReadFile(t, cliCustomers)
	in := cliWriteFile(t, dir, "customers.csv", data)
	for _, out := range []string{in, filepath.Join(dir, ".", "customers.csv")} {
		r := cliRun(t, "batch", "--list", cliSmallList, in, "-o", out)
		if got := cliReadFile(t, in); !bytes.Equal(got, data) {
			t.Fatalf("BUG: batch %s -o %s (exit %d) replaced the input with the report (%d bytes); refuse an output that is the input (os.SameFile) with a usage error", in, out, r.code, len(got))
		}
		if r.code == 0 {
			t.Errorf("exit 0 for -o the input file")
		}
	}
}

// PRODUCT.md: INPUT is CSV, JSONL or XLSX.
func TestCLIBatchXLSX(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "customers.xlsx")
	cliWriteXLSX(t, path, [][]string{
		{"id", "name", "country", "account_manager"},
		{"C-1", "Rosneft Trade Ltd", "RU", "J. Becker"},
		{"C-2", "Apple Inc.", "US", "S. Chen"},
	})
	out := filepath.Join(dir, "out.jsonl")
	r := cliRun(t, "batch", "--list", cliSmallList, path, "-o", out)
	if r.code != 0 {
		t.Fatalf("BUG: an .xlsx input (a minimal real workbook) is read as CSV: exit %d: %s(PRODUCT.md lists XLSX as a batch input; add an XLSX RowReader, or at least say that XLSX is not supported)", r.code, r.stderr)
	}
	rows := cliReadJSONL(t, out)
	if len(rows) != 2 || rows[0].Name != "Rosneft Trade Ltd" || len(rows[0].Matches) == 0 || rows[1].ID != "C-2" || len(rows[1].Matches) != 0 {
		t.Errorf("rows %+v", rows)
	}
	if rows[0].Columns["account_manager"] != "J. Becker" {
		t.Errorf("columns %v", rows[0].Columns)
	}
}

// cliWriteXLSX writes a minimal Office Open XML workbook with one sheet of inline strings.
func cliWriteXLSX(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	var sheet strings.Builder
	sheet.WriteString(head + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, i+1)
		for j, v := range row {
			var esc strings.Builder
			xml.EscapeText(&esc, []byte(v))
			fmt.Fprintf(&sheet, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+j, i+1, esc.String())
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", head + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", head + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", head + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", head + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	for _, p := range parts {
		w, err := z.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}

// cliMatchKeys renders matches as "source/source_id" in order, for comparisons.
func cliMatchKeys(ms []cliMatch) string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Source+"/"+m.SourceID)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// cliGenerateCustomers writes a customer file of n rows: real company names from SEC EDGAR's
// company_tickers.json (not listed) with, every 25th row, a name from the small list excerpt. Generated in
// the test, not committed.
func cliGenerateCustomers(t *testing.T, path string, n int) {
	t.Helper()
	var tickers map[string]struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(cliReadFile(t, "../../testdata/eval/negatives/sec_company_tickers_2025-08.json"), &tickers); err != nil {
		t.Fatal(err)
	}
	var names []string
	for i := 0; i < len(tickers); i++ {
		if v, ok := tickers[strconv.Itoa(i)]; ok {
			names = append(names, v.Title)
		}
	}
	listed := []string{"Rosneft Trade Ltd", "Atlas Sanatgaran", "SME Bank", "Sinobright Import and Export Co", "Evren Kayakiran"}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,name,country")
	for i := 0; i < n; i++ {
		name := names[i%len(names)]
		if i%25 == 7 {
			name = listed[(i/25)%len(listed)]
		}
		fmt.Fprintf(w, "R-%06d,%q,\n", i, name)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Several name columns: each name is screened; one line per row says which column matched.
func TestCLIBatchSeveralNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "suppliers.csv", []byte("supplier_no,company_name,trading_name,contact_person\n"+
		"S-1,Acme Holdings LLC,Rosneft Trade Ltd,Jane Doe\n"+
		"S-2,Atlas Sanatgaran,,\n"+
		"S-3,Apple Inc.,,Tim Cook\n"+
		"S-4,,,\n"))
	out := filepath.Join(dir, "out.jsonl")
	r := cliRun(t, "batch", "--list", cliSmallList, "--name-column", "company_name", "--name-column", "Trading Name",
		"--name-column", "contact_person", "--id-column", "supplier_no", in, "-o", out)
	r.cliWant(t, 0)
	var rows []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Names   []struct{ Column, Name string }
		Matches []struct {
			Source, Column, Query string
		}
		Error string `json:"error"`
	}
	for _, line := range strings.Split(strings.TrimSpace(string(cliReadFile(t, out))), "\n") {
		var x struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Names   []struct{ Column, Name string }
			Matches []struct {
				Source, Column, Query string
			}
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(line), &x); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, x)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want one per input row", len(rows))
	}
	if rows[0].ID != "S-1" || rows[0].Name != "Acme Holdings LLC" || len(rows[0].Names) != 3 {
		t.Errorf("row 1: %+v", rows[0])
	}
	if len(rows[0].Matches) == 0 || rows[0].Matches[0].Column != "trading_name" || rows[0].Matches[0].Query != "Rosneft Trade Ltd" {
		t.Errorf("row 1: the trading name should match, saying its column: %+v", rows[0].Matches)
	}
	if len(rows[1].Matches) == 0 || rows[1].Matches[0].Column != "company_name" {
		t.Errorf("row 2: %+v", rows[1].Matches)
	}
	if len(rows[2].Matches) != 0 || rows[2].Error != "" {
		t.Errorf("row 3: %+v", rows[2])
	}
	if !strings.Contains(rows[3].Error, "name") {
		t.Errorf("row 4 with no name at all: error %q", rows[3].Error)
	}
	// CSV: one line per row, best_column at the end.
	outCSV := filepath.Join(dir, "out.csv")
	cliRun(t, "batch", "--list", cliSmallList, "--name-column", "company_name", "--name-column", "trading_name", in, "-o", outCSV).cliWant(t, 0)
	recs := cliReadCSV(t, outCSV)
	if len(recs) != 5 || recs[0][len(recs[0])-1] != "best_column" || recs[1][len(recs[1])-1] != "trading_name" {
		t.Errorf("CSV output %q", recs)
	}
	// A --name-column that is not there fails, listing the columns found.
	r = cliRun(t, "batch", "--list", cliSmallList, "--name-column", "vendor", in, "-o", filepath.Join(dir, "x.jsonl"))
	if r.code == 0 {
		t.Fatal("exit 0 for a --name-column that is not in the file")
	}
	cliContainsAll(t, "stderr", r.stderr, "suppliers.csv", "vendor", "supplier_no, company_name, trading_name, contact_person")
}

// The same customers in every common encoding and delimiter give the same result.
func TestCLIBatchEncodings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	utf8Text := "id;name;country\r\n1;Société Générale;FR\r\n2;Müller & Söhne GmbH;DE\r\n3;Rosneft Trade Ltd;RU\r\n4;Atlas Sanatgaran;IR\r\n"
	latin1 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b
	}
	utf16 := func(s string, big bool) []byte {
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
	cases := []struct {
		name string
		data []byte
		args []string
	}{
		{"utf-8", []byte(utf8Text), nil},
		{"utf-8 BOM", append([]byte("\ufeff"), utf8Text...), nil},
		{"utf-16le BOM", utf16(utf8Text, false), nil},
		{"utf-16be BOM", utf16(utf8Text, true), nil},
		{"windows-1252", latin1(utf8Text), nil},
		{"latin-1 given", latin1(utf8Text), []string{"--encoding", "latin-1"}},
		{"tab", []byte(strings.ReplaceAll(utf8Text, ";", "\t")), nil},
		{"pipe given", []byte(strings.ReplaceAll(utf8Text, ";", "|")), []string{"--delimiter", "|"}},
	}
	for i, c := range cases {
		in := cliWriteFile(t, dir, fmt.Sprintf("in%d.csv", i), c.data)
		out := filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i))
		args := append([]string{"batch", "--list", cliSmallList, in, "-o", out}, c.args...)
		r := cliRun(t, args...)
		if r.code != 0 {
			t.Errorf("%s: exit %d: %s", c.name, r.code, r.stderr)
			continue
		}
		rows := cliReadJSONL(t, out)
		if len(rows) != 4 {
			t.Errorf("%s: %d rows", c.name, len(rows))
			continue
		}
		if rows[0].Name != "Société Générale" || rows[1].Name != "Müller & Söhne GmbH" || rows[1].Columns["country"] != "DE" {
			t.Errorf("%s: names %q, %q", c.name, rows[0].Name, rows[1].Name)
		}
		if len(rows[2].Matches) == 0 || len(rows[3].Matches) == 0 || len(rows[0].Matches) != 0 {
			t.Errorf("%s: matches %d %d %d", c.name, len(rows[0].Matches), len(rows[2].Matches), len(rows[3].Matches))
		}
	}
}

// XLSX output: the CSV columns in a workbook.
func TestCLIBatchXLSXOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "screened.xlsx")
	in := cliWriteFile(t, dir, "in.csv", []byte("id,name,country\n1,Rosneft Trade Ltd,RU\n2,Apple Inc.,US\n3,,US\n"))
	cliRun(t, "batch", "--list", cliSmallList, in, "-o", out).cliWant(t, 0)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := batch.NewXLSXReader(f, "screened.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	var rows []*batch.Row
	for {
		row, err := r.Read()
		if err != nil {
			break
		}
		rows = append(rows, row)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows in the workbook", len(rows))
	}
	get := func(row *batch.Row, col string) string {
		for _, c := range row.Columns {
			if c.Name == col {
				return c.Value
			}
		}
		return "(none)"
	}
	if get(rows[0], "best_source") != "us_ssi" || get(rows[0], "match_count") == "0" || get(rows[1], "match_count") != "0" || !strings.Contains(get(rows[2], "error"), "name") {
		t.Errorf("workbook rows: %v / %v / %v", rows[0].Columns, rows[1].Columns, rows[2].Columns)
	}
	cliNoPartials(t, dir)
}

// --report writes a self-contained HTML page with the counts, hits, lists, settings and input checksum.
func TestCLIBatchReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "customers.csv", []byte("id,name,country\n1,Rosneft Trade Ltd,RU\n2,Apple Inc.,US\n3,Atlas Sanatgaran,IR\n4,,US\n"))
	out := filepath.Join(dir, "out.csv")
	rep := filepath.Join(dir, "report.html")
	r := cliRun(t, "batch", "--list", cliSmallList, "--report", rep, in, "-o", out)
	r.cliWant(t, 0)
	sum := sha256.Sum256(cliReadFile(t, in))
	doc, err := html.Parse(bytes.NewReader(cliReadFile(t, rep)))
	if err != nil {
		t.Fatal(err)
	}
	text := func(id string) string {
		var found *html.Node
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			for _, a := range n.Attr {
				if a.Key == "id" && a.Val == id {
					found = n
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if found == nil {
			t.Errorf("report has no element #%s", id)
			return ""
		}
		var b strings.Builder
		var collect func(n *html.Node)
		collect = func(n *html.Node) {
			if n.Type == html.TextNode {
				b.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				collect(c)
			}
		}
		collect(found)
		return strings.TrimSpace(b.String())
	}
	if got := text("rows"); got != "4" {
		t.Errorf("rows %q", got)
	}
	if got := text("with-matches"); got != "2" {
		t.Errorf("rows with matches %q", got)
	}
	if got := text("errors"); got != "1" {
		t.Errorf("errors %q", got)
	}
	if got := text("sha256"); got != hex.EncodeToString(sum[:]) {
		t.Errorf("input sha256 %q, want %x", got, sum)
	}
	cliContainsAll(t, "lists table", text("lists"), "us_ssi", "Sectoral Sanctions", "2023-07-19")
	cliContainsAll(t, "settings", text("settings"), "Alert threshold", fmt.Sprintf("%.2f", match.DefaultThreshold))
	page := string(cliReadFile(t, rep))
	cliContainsAll(t, "report", page, "ROSNEFT TRADE LIMITED", "Atlas Sanatgaran", "exact")
	// Self-contained: no external scripts, styles or images.
	for _, bad := range []string{"<script", "src=", "<link", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("report contains %q: it must be self-contained", bad)
		}
	}
	cliNoPartials(t, dir)
}

// cliBuild builds the real binary into a temporary directory.
func cliBuild(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary")
	}
	// One build serves every test of the process: each takes a while on a busy machine.
	cliBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tradescreen-bin-")
		if err != nil {
			cliBinErr = err
			return
		}
		cliBinDir = dir
		bin := filepath.Join(dir, "tradescreen")
		cmd := exec.Command(gobin, "build", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			cliBinErr = fmt.Errorf("go build: %v\n%s", err, b)
			return
		}
		cliBin = bin
	})
	if cliBinErr != nil {
		t.Fatal(cliBinErr)
	}
	return cliBin
}

// The binary cliBuild built, once per test process; TestMain removes its directory.
var (
	cliBinOnce sync.Once
	cliBin     string
	cliBinDir  string
	cliBinErr  error
)

// TestMain runs the tests and removes the binary cliBuild built.
func TestMain(m *testing.M) {
	code := m.Run()
	if cliBinDir != "" {
		os.RemoveAll(cliBinDir)
	}
	os.Exit(code)
}

// An interrupted run (Ctrl-C, then kill -9) resumes where it stopped: the final output is the same, byte
// for byte, as an uninterrupted run's, so no row is lost or written twice; before that no output exists.
func TestCLIBatchResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := cliBuild(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "customers.csv")
	const n = 12000
	cliGenerateCustomers(t, in, n)
	out := filepath.Join(dir, "screened.jsonl")
	journal := filepath.Join(dir, ".screened.jsonl.partial.journal")
	args := []string{"batch", "--list", cliSmallList, "--workers", "1", "--checkpoint-interval", "20ms", in, "-o", out}

	// The reference: one uninterrupted run, in process.
	refOut := filepath.Join(t.TempDir(), "screened.jsonl")
	refDone := make(chan cliResult, 1)
	go func() { refDone <- cliRun(t, "batch", "--list", cliSmallList, in, "-o", refOut) }()

	// interrupt starts the binary and stops it with sig once a checkpoint beyond the last one is recorded.
	interrupt := func(sig os.Signal, extra ...string) int {
		t.Helper()
		var before int
		if cp, err := batch.LoadCheckpoint(journal); err == nil {
			before = cp.Rows
		}
		cmd := exec.Command(bin, append(args, extra...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		rows := 0
		for time.Now().Before(deadline) {
			if cp, err := batch.LoadCheckpoint(journal); err == nil && cp.Rows > before {
				rows = cp.Rows
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		if err == nil {
			t.Fatalf("the run finished before it was interrupted (%d rows is too few)\n%s", n, stderr.String())
		}
		if sig == os.Interrupt && !strings.Contains(stderr.String(), "--resume") {
			t.Errorf("after Ctrl-C, stderr does not say how to resume:\n%s", stderr.String())
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%s exists after an interrupted run: a partial output must not look complete", out)
		}
		if rows == 0 || rows >= n {
			t.Fatalf("checkpoint at %d rows", rows)
		}
		return rows
	}
	first := interrupt(os.Interrupt)
	// Without --resume the interrupted run is not silently discarded.
	r := cliRun(t, args...)
	if r.code != 2 || !strings.Contains(r.stderr, "--resume") {
		t.Errorf("a run over an interrupted one: exit %d, %s", r.code, r.stderr)
	}
	second := interrupt(syscall.SIGKILL, "--resume")
	t.Logf("interrupted at rows %d (SIGINT) and %d (SIGKILL)", first, second)
	// The last leg uses every core: the number of workers does not change the output.
	final := []string{"batch", "--list", cliSmallList, "--checkpoint-interval", "20ms", "--resume", in, "-o", out}
	cmd := exec.Command(bin, final...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("--resume: %v\n%s", err, b)
	} else if !strings.Contains(string(b), "resumed at row") || !strings.Contains(string(b), strconv.Itoa(n)+" rows screened") {
		t.Errorf("--resume output:\n%s", b)
	}
	ref := <-refDone
	if ref.code != 0 {
		t.Fatalf("reference run: %s", ref.stderr)
	}
	got, want := cliReadFile(t, out), cliReadFile(t, refOut)
	if !bytes.Equal(got, want) {
		rows := cliReadJSONL(t, out)
		seen := map[int]int{}
		for _, row := range rows {
			seen[row.Line]++
		}
		var dup, lost []int
		for line := 2; line < n+2; line++ {
			switch seen[line] {
			case 0:
				lost = append(lost, line)
			case 1:
			default:
				dup = append(dup, line)
			}
		}
		t.Fatalf("resumed output (%d bytes, %d rows) differs from an uninterrupted run's (%d bytes); lost lines %v, duplicated %v",
			len(got), len(rows), len(want), cliFirst(lost), cliFirst(dup))
	}
	cliNoPartials(t, dir)
}

func cliFirst(x []int) []int {
	if len(x) > 10 {
		return x[:10]
	}
	return x
}

// --resume refuses a changed input; --restart starts over.
func TestCLIBatchResumeChecks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := cliWriteFile(t, dir, "in.csv", []byte("id,name\n1,Rosneft Trade Ltd\n2,Apple Inc.\n"))
	out := filepath.Join(dir, "out.jsonl")
	// A checkpoint as an interrupted run leaves it.
	cp := &batch.Checkpoint{Input: "in.csv", InputSize: 3, InputSHA256: "00", Report: batch.NewReport()}
	if err := cp.Save(filepath.Join(dir, ".out.jsonl.partial.journal")); err != nil {
		t.Fatal(err)
	}
	cliWriteFile(t, dir, ".out.jsonl.partial", nil)
	r := cliRun(t, "batch", "--list", cliSmallList, "--resume", in, "-o", out)
	if r.code == 0 || !strings.Contains(r.stderr, "changed") {
		t.Errorf("--resume with another input: exit %d: %s", r.code, r.stderr)
	}
	r = cliRun(t, "batch", "--list", cliSmallList, "--restart", in, "-o", out)
	r.cliWant(t, 0)
	if rows := cliReadJSONL(t, out); len(rows) != 2 {
		t.Errorf("%d rows after --restart", len(rows))
	}
	cliNoPartials(t, dir)
	// --resume with nothing to resume runs from the start.
	out2 := filepath.Join(dir, "out2.jsonl")
	r = cliRun(t, "batch", "--list", cliSmallList, "--resume", in, "-o", out2)
	r.cliWant(t, 0)
	cliContainsAll(t, "stderr", r.stderr, "starting from the first row")
}
