package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/ownlist"
)

// kimAllow pairs the name "Kim Sok Chol" with the UN entry of the DPRK official of that name (testScreener):
// a common Korean name, reviewed and found to be another person.
func kimAllow(t *testing.T) *ownlist.AllowList {
	t.Helper()
	rows, err := ownlist.ParseAllow([]byte("id,name,entry,reason,reviewed_by,reviewed_on\n"+
		"A-1,Kim Sok Chol,un_sc/KPi.036,\"our engineer Kim Sok-chol of Busan, born 1990, is not the DPRK official\",a.smith,2026-06-30\n"), "allow.csv")
	if err != nil {
		t.Fatal(err)
	}
	return ownlist.NewAllowList(rows)
}

// TestRunBatchAllowList: the allow list marks the reviewed pairing in every output, keeps the match where
// it was with its score, counts it apart, and never lets a reviewed pairing hide another name's match.
func TestRunBatchAllowList(t *testing.T) {
	s := testScreener()
	rows := []*batch.Row{
		{Line: 2, ID: "E-1", Name: "Kim Sok Chol", Columns: columns("id", "E-1", "name", "Kim Sok Chol")},
		{Line: 3, ID: "E-2", Name: "Hikvision", Columns: columns("id", "E-2", "name", "Hikvision")},
		{Line: 4, ID: "E-3", Name: "Acme Shipping", Names: []batch.Column{{"company", "Acme Shipping"}, {"vessel", "Grace 1"}, {"contact", "Kim Sok Chol"}},
			Columns: columns("id", "E-3", "name", "Acme Shipping")},
		// Two names of one row match the same entry; only one pairing is reviewed: the other stands.
		{Line: 5, ID: "E-4", Name: "Kim Sok Chol", Names: []batch.Column{{"contact", "Kim Sok Chol"}, {"signatory", "Sok Chol Kim"}},
			Columns: columns("id", "E-4", "name", "Kim Sok Chol")},
	}
	run := func(al *ownlist.AllowList) (*collectWriter, batch.BatchStats) {
		t.Helper()
		w := &collectWriter{}
		st, err := batch.RunBatch(context.Background(), serviceOf(s, al), &sliceReader{rows: rows}, w, batch.BatchOptions{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		return w, st
	}
	plain, plainStats := run(nil)
	w, st := run(kimAllow(t))

	// Nothing removed or reordered; scores unchanged.
	for i := range rows {
		if got, want := matchKeys(w.outs[i].Matches), matchKeys(plain.outs[i].Matches); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("row %d: matches %v, without the allow list %v", i, got, want)
		}
		for j := range w.outs[i].Matches {
			if w.outs[i].Matches[j].Score != plain.outs[i].Matches[j].Score {
				t.Errorf("row %d match %d: score changed", i, j)
			}
		}
	}
	kim := w.outs[0]
	if len(kim.Matches) != 1 || kim.Matches[0].Allowed == nil || kim.Matches[0].Allowed.Row != "A-1" || !ownlist.IsAllowed(kim.Matches[0].Match) ||
		!strings.Contains(kim.Matches[0].Explanation.Adjustments[0], "reviewed by a.smith on 2026-06-30; allow-list row A-1") {
		t.Fatalf("row E-1: %+v", kim.Matches)
	}
	if n := countAllowed(w.outs[1].Matches); n != 0 {
		t.Errorf("row E-2 (Hikvision): %d matches marked allowed", n)
	}
	multi := w.outs[2]
	if len(multi.Matches) != 2 || countAllowed(multi.Matches) != 1 {
		t.Fatalf("row E-3: %v, %d allowed", matchKeys(multi.Matches), countAllowed(multi.Matches))
	}
	for _, m := range multi.Matches {
		if (m.Source == "un_sc") != (m.Allowed != nil) {
			t.Errorf("row E-3: %s/%s allowed=%v", m.Source, m.SourceID, m.Allowed)
		}
	}
	two := w.outs[3]
	if len(two.Matches) != 1 || countAllowed(two.Matches) != 0 || two.MatchColumns[0] != "signatory" || ownlist.IsAllowed(two.Matches[0].Match) {
		t.Fatalf("row E-4: the reviewed contact hides the signatory's match: %v columns %v", matchKeys(two.Matches), two.MatchColumns)
	}
	if st.Matches != plainStats.Matches || st.WithMatches != 4 || st.Allowed != 2 || st.OnlyAllowed != 1 || plainStats.Allowed != 0 {
		t.Errorf("stats %+v (without the allow list %+v)", st, plainStats)
	}

	// JSONL: "allowed" on the covered match only.
	var jb bytes.Buffer
	writeAll(t, batch.NewJSONLWriter(&jb), w.outs)
	lines := strings.Split(strings.TrimSpace(jb.String()), "\n")
	var first struct {
		Matches []struct {
			Source  string           `json:"source"`
			Allowed *ownlist.Allowed `json:"allowed"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	want := ownlist.Allowed{Reason: "our engineer Kim Sok-chol of Busan, born 1990, is not the DPRK official", Reviewer: "a.smith", Date: "2026-06-30", Row: "A-1"}
	if len(first.Matches) != 1 || first.Matches[0].Allowed == nil || *first.Matches[0].Allowed != want {
		t.Fatalf("JSONL row E-1: %s", lines[0])
	}
	if strings.Contains(lines[1], `"allowed"`) || strings.Contains(lines[3], `"allowed"`) {
		t.Errorf("JSONL marks an uncovered match:\n%s\n%s", lines[1], lines[3])
	}

	// CSV: best_* is the best match, allowed or not; allowed and best_unreviewed_* let triage skip it.
	var cb bytes.Buffer
	writeAll(t, batch.NewCSVWriter(&cb), w.outs[:2])
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	e1, e2 := recs[1], recs[2]
	if e1[col["best_source_id"]] != "KPi.036" || e1[col["best_score"]] == "" || e1[col["allowed"]] != "un_sc/KPi.036 (row A-1)" ||
		e1[col["best_unreviewed_score"]] != "" || e1[col["best_unreviewed_entry"]] != "" {
		t.Errorf("CSV row E-1: %q", e1)
	}
	if e2[col["allowed"]] != "" || e2[col["best_unreviewed_score"]] != e2[col["best_score"]] || !strings.HasPrefix(e2[col["best_unreviewed_entry"]], "us_el/") {
		t.Errorf("CSV row E-2: %q", e2)
	}
	var mb bytes.Buffer
	writeAll(t, batch.NewCSVWriter(&mb), w.outs[2:3])
	recs, _ = csv.NewReader(&mb).ReadAll()
	col = map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if e3 := recs[1]; e3[col["allowed"]] != "un_sc/KPi.036 (row A-1)" || e3[col["best_unreviewed_entry"]] != "us_sdn/27451" {
		t.Errorf("CSV row E-3: %q", e3)
	}

	// The report counts allowed matches apart and badges them.
	rep := batch.NewReport()
	for _, o := range w.outs {
		rep.Write(o)
	}
	var rb bytes.Buffer
	if err := batch.RenderReport(&rb, rep, batch.ReportMeta{Input: "employees.csv", Finished: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Lists: serviceOf(s, nil).Lists()}); err != nil {
		t.Fatal(err)
	}
	page := rb.String()
	for _, want := range []string{`id="matches">5<`, `id="allowed">2<`, `id="unreviewed">3<`, `id="with-matches">4<`, `id="with-unreviewed">3<`,
		`<tr class="allowed">`, `title="allow-list row A-1">allowed</span>`, "reviewed by a.smith on 2026-06-30; allow-list row A-1"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if c := rep.Lists["un_sc"]; c == nil || c.Matches != 3 || c.Allowed != 2 {
		t.Errorf("un_sc count %+v", c)
	}
}
