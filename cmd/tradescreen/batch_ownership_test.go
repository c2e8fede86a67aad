package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/xuri/excelize/v2"
)

const batchParties = "testdata/batch/parties.csv"

// batchOwnArgs screen parties.csv's two name columns against the CSL excerpt with the ownership data of
// ownership/testdata, under the rules of 2025-10-01 (the BIS Affiliates Rule in force).
func batchOwnArgs(out string, extra ...string) []string {
	return append([]string{"batch", batchParties, "-o", out, "--list", batchExcerpt, "--name-column", "company_name",
		"--name-column", "trading_name", "--ownership", ownTestData, "--ownership-date", "2025-10-01"}, extra...)
}

type batchOwnRow struct {
	ID      string                         `json:"id"`
	Error   string                         `json:"error"`
	Matches []json.RawMessage              `json:"matches"`
	Own     []tradescreen.OwnershipFinding `json:"ownership"`
}

// TestBatchOwnershipJSONL: each screened row carries the 50 % rule findings for its names next to its name
// matches; a row that could not be screened carries none.
func TestBatchOwnershipJSONL(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "screened.jsonl")
	r := cliRun(t, batchOwnArgs(out)...)
	r.cliWant(t, 0)
	cliContainsAll(t, "stderr", r.stderr, "6 rows screened", "rules as of 2025-10-01): 4 rows found in the ownership data, 2 owned by listed parties")
	cliNoPartials(t, dir)
	rows := map[string]batchOwnRow{}
	sc := bufio.NewScanner(bytes.NewReader(cliReadFile(t, out)))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var row batchOwnRow
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		rows[row.ID] = row
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows", len(rows))
	}
	c1 := rows["C-1001"].Own
	if len(c1) != 1 || c1[0].Date != "2025-10-01" || !strings.HasPrefix(c1[0].Party, "Chengdu Dahua Wisdom") {
		t.Fatalf("C-1001 ownership: %+v", c1)
	}
	f := c1[0]
	if f.Rule != "bis_affiliates" || !f.Applies || f.Share != 100 || len(f.Paths) != 1 ||
		!strings.Contains(f.Paths[0], "<- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54002") ||
		!strings.Contains(f.Licence, "presumption of denial for all other items subject to the EAR (as Dahua Technology") {
		t.Errorf("C-1001 finding: %+v", f)
	}
	if c2 := rows["C-1002"].Own; len(c2) != 1 || !c2[0].Applies || len(c2[0].Paths) != 2 {
		t.Errorf("C-1002 (two 25 %% listed owners): %+v", c2)
	}
	if c3 := rows["C-1003"].Own; len(c3) != 1 || c3[0].Applies || c3[0].Result != "below" {
		t.Errorf("C-1003 (49.9 %%): %+v", c3)
	}
	if c4 := rows["C-1004"].Own; len(c4) != 0 {
		t.Errorf("C-1004 is not in the ownership data: %+v", c4)
	}
	// Hikvision: a name match, and found in the ownership data (as an owner) with no listed owner of its own.
	if c5 := rows["C-1005"]; len(c5.Matches) == 0 || len(c5.Own) != 1 || c5.Own[0].Rule != "" || c5.Own[0].Result != screening.NoListedOwner {
		t.Errorf("C-1005: %d matches, ownership %+v", len(c5.Matches), c5.Own)
	}
	if c6 := rows["C-1006"]; c6.Error == "" || len(c6.Own) != 0 {
		t.Errorf("C-1006 (no name): error %q ownership %+v", c6.Error, c6.Own)
	}
}

// TestBatchOwnershipCSV: the CSV output gains an ownership column; every other byte is that of a run
// without --ownership.
func TestBatchOwnershipCSV(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "screened.csv")
	cliRun(t, batchOwnArgs(out)...).cliWant(t, 0)
	plain := filepath.Join(dir, "plain.csv")
	cliRun(t, "batch", batchParties, "-o", plain, "--list", batchExcerpt, "--name-column", "company_name", "--name-column", "trading_name").cliWant(t, 0)
	recs := cliReadCSV(t, out)
	if len(recs) != 7 || recs[0][len(recs[0])-1] != "ownership" {
		t.Fatalf("header %q, %d records", recs[0], len(recs))
	}
	col := len(recs[0]) - 1
	cliContainsAll(t, "C-1001 ownership", recs[1][col],
		"Chengdu Dahua Wisdom Information Technology Co., Ltd.: owned 50 % or more by listed parties (100 %, in the aggregate): Chengdu Dahua Wisdom Information Technology Co., Ltd. <- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54002",
		"; rule bis_affiliates, in force (2025-09-29 .. 2025-11-09); licence: ")
	cliContainsAll(t, "C-1003 ownership", recs[3][col], "owned 49.9 % by listed parties: below the 50 % threshold", "rule bis_affiliates")
	if recs[4][col] != "" || recs[6][col] != "" {
		t.Errorf("C-1004/C-1006 ownership %q %q, want empty", recs[4][col], recs[6][col])
	}
	cliContainsAll(t, "C-1005 ownership", recs[5][col], "no listed owner under any rule in force on 2025-10-01")
	// Strip the last column: the rest is the plain output.
	var stripped bytes.Buffer
	for i, line := range strings.SplitAfter(string(cliReadFile(t, out)), "\n") {
		if line == "" {
			continue
		}
		if i == 0 {
			stripped.WriteString(strings.TrimSuffix(line, ",ownership\n") + "\n")
			continue
		}
		k := strings.LastIndex(line, ",\"")
		if strings.HasSuffix(line, ",\n") {
			k = len(line) - 2
		}
		stripped.WriteString(line[:k] + "\n")
	}
	if p := string(cliReadFile(t, plain)); stripped.String() != p {
		t.Errorf("without the ownership column:\n%s\nplain run:\n%s", stripped.String(), p)
	}
}

// outcomeList collects a batch's outcomes.
type outcomeList []*batch.Outcome

func (o *outcomeList) Write(out *batch.Outcome) error { *o = append(*o, out); return nil }
func (o *outcomeList) Close() error                   { return nil }

// A resumed CSV run with --ownership continues under the header it recorded (ownership column included)
// and the output is byte for byte that of one run.
func TestBatchOwnershipCSVResume(t *testing.T) {
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	var lists listFlag
	if err := lists.Set(batchExcerpt); err != nil {
		t.Fatal(err)
	}
	s, err := loadScreener(m, lists)
	if err != nil {
		t.Fatal(err)
	}
	g, err := loadOwnership([]string{ownTestData})
	if err != nil {
		t.Fatal(err)
	}
	svc := screening.NewWith(screening.Config{}, s)
	svc.SetOwnership(g, []string{ownTestData})
	f, err := os.Open(batchParties)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := batch.NewCSVReaderOptions(f, "parties.csv", batch.ReaderOptions{NameColumns: []string{"company_name", "trading_name"}})
	if err != nil {
		t.Fatal(err)
	}
	var outs outcomeList
	if _, err := batch.RunBatch(context.Background(), svc, rd, &outs, batch.BatchOptions{Workers: 1, OwnershipDate: "2025-10-01"}); err != nil {
		t.Fatal(err)
	}
	write := func(w batch.RowWriter, os []*batch.Outcome) {
		for _, o := range os {
			if err := w.Write(o); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	own := batch.WriterOptions{Ownership: true}
	var whole, parts bytes.Buffer
	write(batch.NewCSVWriter(&whole, own), outs)
	first := batch.NewCSVWriter(&parts, own)
	header := func(w batch.RowWriter) []string { return w.(interface{ Header() []string }).Header() }
	if header(first) != nil {
		t.Errorf("header before the first row: %q", header(first))
	}
	write(first, outs[:2])
	h := header(first)
	if len(h) == 0 || h[len(h)-1] != "ownership" {
		t.Fatalf("recorded header %q", h)
	}
	second, err := batch.NewCSVWriterResumed(&parts, h)
	if err != nil {
		t.Fatal(err)
	}
	write(second, outs[2:])
	if whole.String() != parts.String() {
		t.Errorf("resumed output differs:\n%s\nwhole:\n%s", parts.String(), whole.String())
	}
	if !strings.Contains(whole.String(), "Zhejiang Dahua") {
		t.Errorf("no ownership finding in the output:\n%s", whole.String())
	}
}

// TestBatchOwnershipXLSX: the workbook has the CSV's ownership column, last, with the same findings.
func TestBatchOwnershipXLSX(t *testing.T) {
	dir := t.TempDir()
	csvOut, xlsxOut := filepath.Join(dir, "screened.csv"), filepath.Join(dir, "screened.xlsx")
	cliRun(t, batchOwnArgs(csvOut)...).cliWant(t, 0)
	cliRun(t, batchOwnArgs(xlsxOut)...).cliWant(t, 0)
	want := cliReadCSV(t, csvOut)
	f, err := excelize.OpenFile(xlsxOut)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Screening")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) || rows[0][len(rows[0])-1] != "ownership" {
		t.Fatalf("workbook rows %d (want %d), header %q", len(rows), len(want), rows[0])
	}
	for i := range want {
		wc, gc := want[i][len(want[i])-1], ""
		if len(rows[i]) == len(rows[0]) {
			gc = rows[i][len(rows[i])-1]
		}
		if gc != wc {
			t.Errorf("row %d ownership %q, want %q as in the CSV", i, gc, wc)
		}
	}
}

func TestBatchOwnershipUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"batch", batchParties, "-o", filepath.Join(dir, "s.jsonl"), "--ownership-date", "2025-10-01"},
		{"batch", batchParties, "-o", filepath.Join(dir, "s.jsonl"), "--ownership", ownTestData, "--ownership-date", "1.10.2025"},
	} {
		if r := cliRun(t, append(args, "--list", batchExcerpt)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
	r := cliRun(t, "batch", batchParties, "-o", filepath.Join(dir, "s.jsonl"), "--list", batchExcerpt, "--ownership", filepath.Join(dir, "missing.csv"))
	r.cliWant(t, 1)
	cliContainsAll(t, "stderr", r.stderr, "missing.csv")
}
