package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// batchExcerpt is a --list argument for four real rows of the 2022-05-16 CSL (Hikvision and Dahua on the
// Entity List, Hikvision on the CMIC list, one Huawei Entity List entry): see testdata/batch/README.md.
const batchExcerpt = "csl=testdata/batch/csl_excerpt_2022-05-16.csv"

const batchOrders = "testdata/batch/orders.jsonl"

// batchOrderLine is one line of the orders mode output.
type batchOrderLine struct {
	Line     int    `json:"line"`
	OrderID  string `json:"order_id"`
	Error    string `json:"error"`
	Decision *struct {
		OrderID string `json:"order_id"`
		Outcome string `json:"outcome"`
		Reasons []struct {
			Kind    string `json:"kind"`
			Holds   bool   `json:"holds"`
			Message string `json:"message"`
			Entry   *struct {
				Source   string `json:"source"`
				SourceID string `json:"source_id"`
			} `json:"entry"`
			Licence *struct {
				Summary string `json:"summary"`
			} `json:"licence"`
		} `json:"reasons"`
	} `json:"decision"`
}

func batchReadOrderLines(t *testing.T, path string) []batchOrderLine {
	t.Helper()
	var out []batchOrderLine
	sc := bufio.NewScanner(bytes.NewReader(cliReadFile(t, path)))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var l batchOrderLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

// TestBatchOrders screens a JSONL of real-looking orders: Hikvision's listed address under another name, a
// clear German order, a Huawei end user, an Iranian destination, a bad role and a truncated line.
func TestBatchOrders(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "decisions.jsonl")
	r := cliRun(t, "batch", "--orders", batchOrders, "-o", out, "--list", batchExcerpt, "--workers", "2")
	r.cliWant(t, 0)
	cliContainsAll(t, "stderr", r.stderr, "6 orders screened", "3 held, 1 clear, 2 errors", "Wrote "+out)
	cliNoPartials(t, dir)
	lines := batchReadOrderLines(t, out)
	type want struct {
		line          int
		id, outcome   string
		err, kind, by string
	}
	wants := []want{
		{1, "PO-2022-0601", "hold", "", "listed_address", "f095626c9f8becc70b5948507fb6de6e443b257a"},
		{2, "PO-2022-0602", "clear", "", "", ""},
		// line 3 is blank: skipped
		{4, "PO-2022-0603", "hold", "", "listed_party", "1a3ccc08ecbb40155a4cce8d9c9ace917f54cc74"},
		{5, "PO-2022-0604", "hold", "", "destination", ""},
		{6, "PO-2022-0605", "", `parties[0].role: "buyer"`, "", ""},
		{7, "", "", "not one JSON object", "", ""},
	}
	if len(lines) != len(wants) {
		t.Fatalf("%d output lines, want %d:\n%s", len(lines), len(wants), cliReadFile(t, out))
	}
	for i, w := range wants {
		l := lines[i]
		if l.Line != w.line || l.OrderID != w.id {
			t.Errorf("output %d: line %d id %q, want %d %q", i, l.Line, l.OrderID, w.line, w.id)
		}
		if w.err != "" {
			if l.Decision != nil || !strings.Contains(l.Error, w.err) {
				t.Errorf("line %d: error %q decision %v, want an error with %q", l.Line, l.Error, l.Decision, w.err)
			}
			continue
		}
		if l.Error != "" || l.Decision == nil || l.Decision.Outcome != w.outcome || l.Decision.OrderID != w.id {
			t.Errorf("line %d: error %q decision %+v, want %s", l.Line, l.Error, l.Decision, w.outcome)
			continue
		}
		if w.kind == "" {
			continue
		}
		found := false
		for _, rs := range l.Decision.Reasons {
			if rs.Kind == w.kind && rs.Holds && (w.by == "" || rs.Entry != nil && rs.Entry.SourceID == w.by) {
				found = true
				if w.kind == "listed_address" && (rs.Licence == nil || !strings.Contains(rs.Licence.Summary, "presumption of denial")) {
					t.Errorf("line %d: Hikvision address reason without the licence finding: %+v", l.Line, rs)
				}
			}
		}
		if !found {
			t.Errorf("line %d: no holding %s reason on %q: %+v", l.Line, w.kind, w.by, l.Decision.Reasons)
		}
	}
}

// With --strict the first bad line stops the run: exit status 1, its line named, no output written.
func TestBatchOrdersStrict(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "decisions.jsonl")
	r := cliRun(t, "batch", "--orders", batchOrders, "-o", out, "--list", batchExcerpt, "--strict")
	r.cliWant(t, 1)
	cliContainsAll(t, "stderr", r.stderr, "orders.jsonl line 6", "parties[0].role")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written by a failed strict run: %v", err)
	}
	cliNoPartials(t, dir)
}

func TestBatchOrdersUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--orders", batchOrders, "-o", filepath.Join(dir, "d.csv")},
		{"--orders", batchOrders},
		{"--orders", batchOrders, "-o", filepath.Join(dir, "d.jsonl"), "--report", filepath.Join(dir, "r.html")},
		{"--orders", batchOrders, "-o", filepath.Join(dir, "d.jsonl"), "--name-column", "x"},
		{"--orders", batchOrders, "-o", filepath.Join(dir, "d.jsonl"), "other.csv"},
	} {
		r := cliRun(t, append([]string{"batch", "--list", batchExcerpt}, args...)...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

// With --ownership the orders mode applies the 50 % rules on each order's date: Chengdu Dahua Wisdom (100 %
// owned by Zhejiang Dahua, on the Entity List in the excerpt) holds the order while the BIS Affiliates Rule
// is in force (2025-10-01) and is only a note while it is suspended (2026-01-15). Both orders hold all the
// same on the party's own 1260H listing (the embedded lists stay screened beside the --list excerpt).
func TestBatchOrdersOwnership(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "orders.jsonl")
	var lines []string
	for _, date := range []string{"2025-10-01", "2026-01-15"} {
		lines = append(lines, `{"id": "PO-`+date+`", "date": "`+date+`", "destination": {"country": "CN"}, "parties": [`+
			`{"role": "end_user", "name": "Chengdu Dahua Wisdom Information Technology Co., Ltd.", "country": "CN"}], "items": [{"eccn": "EAR99"}]}`)
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "decisions.jsonl")
	r := cliRun(t, "batch", "--orders", in, "-o", out, "--list", batchExcerpt, "--ownership", ownTestData)
	r.cliWant(t, 0)
	cliContainsAll(t, "stderr", r.stderr, "2 orders screened", "2 held, 0 clear, 0 errors")
	got := batchReadOrderLines(t, out)
	if len(got) != 2 {
		t.Fatalf("%d output lines, want 2", len(got))
	}
	for i, w := range []struct {
		outcome string
		holds   bool
		msg     string
	}{
		{"hold", true, "BIS Affiliates Rule (bis_affiliates, in force 2025-09-29 .. 2025-11-09"},
		{"hold", false, "suspended on 2026-01-15"},
	} {
		d := got[i].Decision
		if d == nil || d.Outcome != w.outcome {
			t.Errorf("line %d: %+v, want %s", got[i].Line, got[i], w.outcome)
			continue
		}
		found := false
		for _, rs := range d.Reasons {
			if rs.Kind == "ownership" && rs.Holds == w.holds && strings.Contains(rs.Message, w.msg) &&
				strings.Contains(rs.Message, "Zhejiang Dahua Technology") {
				found = true
			}
		}
		if !found {
			t.Errorf("line %d: no ownership reason (holds %v, %q): %+v", got[i].Line, w.holds, w.msg, d.Reasons)
		}
	}

	// --ownership-date has no place in orders mode: each order's own date applies.
	r = cliRun(t, "batch", "--orders", in, "-o", out, "--list", batchExcerpt, "--ownership", ownTestData, "--ownership-date", "2025-10-01")
	r.cliWant(t, 2)
}
