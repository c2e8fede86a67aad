package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// The same answer through every door: a person, a company, a party of the organisation's own restricted
// list, a name an allowance covers and a party owned by a listed company are screened through check --json,
// batch (JSONL and CSV), order, compare, GET /v1/search, POST /v1/screen, the web UI and the parties route
// of a running server; each door must find the same entries with the same scores, the same allowances and
// the same ownership findings.
func TestEveryDoorSameAnswer(t *testing.T) {
	dir, files := t.TempDir(), t.TempDir()
	env := map[string]string{"TRADESCREEN_DATA_DIR": dir, "TRADESCREEN_DB": filepath.Join(dir, "tradescreen.db")}
	names := []string{"Hikvision", "Kim Sok Chol", "Example Blocked Trading", "Chengdu Dahua Wisdom Information Technology Co., Ltd."}
	restricted := cliWriteFile(t, files, "restricted.csv", []byte("id,name,reason\nR-1,Example Blocked Trading,internal decision\n"))
	clusterRun(t, env, "lists", "own", "import", "--list", "restricted", "--as", "a.smith", restricted).cliWant(t, 0)
	// Allow the pairing of Kim Sok Chol with its UN entry: the match stays, marked allowed, on every door.
	kim := parityCheck(t, env, "Kim Sok Chol")
	unKey := ""
	for _, m := range kim.Matches {
		if m.Source == "un_sc" {
			unKey = m.Source + "/" + m.SourceID
		}
	}
	if unKey == "" {
		t.Fatalf("Kim Sok Chol: no un_sc match: %+v", kim.Matches)
	}
	allow := cliWriteFile(t, files, "allow.csv", []byte("id,name,entry,reason,reviewed_by,reviewed_on\nA-1,Kim Sok Chol,"+unKey+",our engineer in Busan,a.smith,2026-06-30\n"))
	clusterRun(t, env, "lists", "own", "import", "--list", "allow", "--as", "a.smith", allow).cliWant(t, 0)

	want := map[string]*tradescreen.Screening{}
	for _, n := range names {
		want[n] = parityCheck(t, env, n)
	}
	if len(want["Example Blocked Trading"].Matches) == 0 || want["Example Blocked Trading"].Matches[0].Source != "own_restricted" {
		t.Errorf("own restricted party not found by check: %+v", want["Example Blocked Trading"].Matches)
	}
	if a := parityKeys(want["Kim Sok Chol"]); !strings.Contains(a, unKey+" 1.000000 allowed") {
		t.Errorf("allowance not shown by check: %s", a)
	}
	if own := want["Chengdu Dahua Wisdom Information Technology Co., Ltd."].Ownership; len(own) == 0 || !own[0].Applies {
		t.Errorf("ownership finding not given by check: %+v", own)
	}

	t.Run("compare", func(t *testing.T) { parityCompare(t, env, want) })
	t.Run("monitor", func(t *testing.T) { parityMonitor(t, env, files, names, want) })
	t.Run("batch", func(t *testing.T) { parityBatch(t, env, files, names, want) })
	t.Run("order", func(t *testing.T) { parityOrder(t, env, files, names, want) })
	t.Run("server", func(t *testing.T) { parityServer(t, env, files, names, want) })
}

// parityCheck is `check --json NAME` with the test's ownership data, as of 2025-10-01 for ownership.
func parityCheck(t *testing.T, env map[string]string, name string) *tradescreen.Screening {
	t.Helper()
	r := clusterRun(t, env, "check", "--json", "--ownership", ownTestData, name)
	r.cliWant(t, 0)
	var s tradescreen.Screening
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("check %q: %v\n%s", name, err, r.stdout)
	}
	return &s
}

// parityKeys renders the matches and findings of an answer as one comparable line: each match's entry and
// score (and allowance), each finding's rule and outcome.
func parityKeys(s *tradescreen.Screening) string {
	return parityMatches(s.Matches) + " | " + parityFindings(s.Ownership)
}

func parityMatches(ms []tradescreen.MatchView) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s/%s %.6f", m.Source, m.SourceID, m.Score)
		if m.Allowed != nil {
			b.WriteString(" allowed")
		}
		b.WriteString("; ")
	}
	return b.String()
}

func parityFindings(fs []tradescreen.OwnershipFinding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %s %v %.1f; ", f.Party, f.Rule, f.Result, f.Applies, f.Share)
	}
	return b.String()
}

// compare scores a name against the name of each entry it matched exactly as check scored it.
func parityCompare(t *testing.T, env map[string]string, want map[string]*tradescreen.Screening) {
	for name, s := range want {
		for _, m := range s.Matches {
			r := clusterRun(t, env, "compare", "--json", name, m.MatchedName)
			r.cliWant(t, 0)
			var c struct{ Score float64 }
			if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%.3f", c.Score) != fmt.Sprintf("%.3f", m.Score) {
				t.Errorf("compare %q %q = %.3f, check scored %s/%s %.3f", name, m.MatchedName, c.Score, m.Source, m.SourceID, m.Score)
			}
		}
	}
}

// monitor: a run over a register of the names raises one alert per match check found, at its score, with
// the ownership data's listed owner of the owned party as an alert of its own.
func parityMonitor(t *testing.T, env map[string]string, files string, names []string, want map[string]*tradescreen.Screening) {
	var rows [][2]string
	for i, n := range names {
		rows = append(rows, [2]string{fmt.Sprintf("M-%d", i), n})
	}
	clusterWriteParties(t, filepath.Join(files, "monitored.csv"), rows)
	clusterRun(t, env, "parties", "import", filepath.Join(files, "monitored.csv")).cliWant(t, 0)
	clusterRun(t, env, "monitor", "run", "--ownership", ownTestData).cliWant(t, 0)
	r := clusterRun(t, env, "alerts", "list", "--json", "--limit", "1000")
	r.cliWant(t, 0)
	var got struct {
		Alerts []tradescreen.Alert `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	alerts := map[string]float64{}
	for _, a := range got.Alerts {
		alerts[a.PartyID+" "+a.Source+"/"+a.SourceID] = a.Score
	}
	for i, n := range names {
		for _, m := range want[n].Matches {
			k := fmt.Sprintf("M-%d %s/%s", i, m.Source, m.SourceID)
			if s, ok := alerts[k]; !ok || fmt.Sprintf("%.6f", s) != fmt.Sprintf("%.6f", m.Score) {
				t.Errorf("monitor %q: alert on %s/%s at %.6f (found %v), check %.6f", n, m.Source, m.SourceID, s, ok, m.Score)
			}
		}
		for _, f := range want[n].Ownership {
			for _, o := range f.Owners {
				if _, ok := alerts[fmt.Sprintf("M-%d %s", i, o.Entry)]; f.Applies && !ok {
					t.Errorf("monitor %q: no alert on its listed owner %s (%s)", n, o.Entry, f.Rule)
				}
			}
		}
	}
}

// batch: a row per name; the JSONL row carries the check's matches and findings, the CSV the best score.
func parityBatch(t *testing.T, env map[string]string, files string, names []string, want map[string]*tradescreen.Screening) {
	var in bytes.Buffer
	in.WriteString("id,name\n")
	for i, n := range names {
		fmt.Fprintf(&in, "P-%d,%q\n", i, n)
	}
	input := cliWriteFile(t, files, "parties.csv", in.Bytes())
	out := filepath.Join(files, "screened.jsonl")
	clusterRun(t, env, "batch", input, "-o", out, "--ownership", ownTestData).cliWant(t, 0)
	lines := strings.Split(strings.TrimSpace(string(cliReadFile(t, out))), "\n")
	if len(lines) != len(names) {
		t.Fatalf("%d JSONL rows", len(lines))
	}
	for i, l := range lines {
		var row tradescreen.Screening
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatal(err)
		}
		if got, w := parityKeys(&row), parityKeys(want[names[i]]); got != w {
			t.Errorf("batch JSONL %q:\n got %s\nwant %s", names[i], got, w)
		}
	}
	csvOut := filepath.Join(files, "screened.csv")
	clusterRun(t, env, "batch", input, "-o", csvOut, "--ownership", ownTestData).cliWant(t, 0)
	recs := cliReadCSV(t, csvOut)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, n := range names {
		w := want[n]
		best := ""
		if len(w.Matches) > 0 {
			best = w.Matches[0].Source + "/" + w.Matches[0].SourceID
		}
		rec := recs[i+1]
		if got := rec[col["best_source"]] + "/" + rec[col["best_source_id"]]; best != "" && got != best || rec[col["match_count"]] != fmt.Sprint(len(w.Matches)) {
			t.Errorf("batch CSV %q: best %s, %s matches; check: best %s, %d matches", n, got, rec[col["match_count"]], best, len(w.Matches))
		}
	}
}

// order: each name as an end user; the order's name reasons rest on the entries check found.
func parityOrder(t *testing.T, env map[string]string, files string, names []string, want map[string]*tradescreen.Screening) {
	var parties []string
	for _, n := range names {
		parties = append(parties, fmt.Sprintf(`{"role": "end_user", "name": %q}`, n))
	}
	o := cliWriteFile(t, files, "order.json", []byte(`{"id": "PO-1", "date": "2026-12-01", "destination": {"country": "DE"}, "parties": [`+
		strings.Join(parties, ",")+`], "items": [{"eccn": "EAR99"}]}`))
	r := clusterRun(t, env, "order", "--json", "--ownership", ownTestData, o)
	r.cliWant(t, 0)
	var d struct {
		Reasons []struct {
			Kind  string
			Party int
			Score float64
			Entry *struct {
				Source   string `json:"source"`
				SourceID string `json:"source_id"`
			} `json:"entry"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		for _, m := range want[n].Matches {
			found := false
			for _, rs := range d.Reasons {
				if rs.Party == i && rs.Entry != nil && rs.Entry.Source == m.Source && rs.Entry.SourceID == m.SourceID {
					found = true
					if rs.Kind != "ownership" && fmt.Sprintf("%.6f", rs.Score) != fmt.Sprintf("%.6f", m.Score) {
						t.Errorf("order %q: %s/%s score %.6f, check %.6f", n, m.Source, m.SourceID, rs.Score, m.Score)
					}
				}
			}
			if !found {
				t.Errorf("order %q: no reason on %s/%s, which check found at %.3f", n, m.Source, m.SourceID, m.Score)
			}
		}
	}
}

// server: GET /v1/search, POST /v1/screen, the search page and the parties route of a running server.
func parityServer(t *testing.T, env map[string]string, files string, names []string, want map[string]*tradescreen.Screening) {
	addr, _ := serveInProcess(t, env, "--ownership", ownTestData)
	base := "http://" + addr
	waitReady(t, base)
	var bodies []string
	for i, n := range names {
		var s tradescreen.Screening
		parityGet(t, base+"/v1/search?q="+url.QueryEscape(n), &s)
		if got, w := parityKeys(&s), parityKeys(want[n]); got != w {
			t.Errorf("GET /v1/search %q:\n got %s\nwant %s", n, got, w)
		}
		bodies = append(bodies, fmt.Sprintf(`{"id": "P-%d", "name": %q}`, i, n))
		page := string(parityBody(t, "GET", base+"/search?q="+url.QueryEscape(n), ""))
		for _, m := range want[n].Matches {
			if !strings.Contains(page, m.SourceID) || !strings.Contains(page, tradescreen.FormatScore(m.Score)) {
				t.Errorf("search page %q lacks %s/%s at %s", n, m.Source, m.SourceID, tradescreen.FormatScore(m.Score))
			}
		}
	}
	var br struct {
		Results []struct {
			Matches   []tradescreen.MatchView        `json:"matches"`
			Ownership []tradescreen.OwnershipFinding `json:"ownership"`
		} `json:"results"`
	}
	if err := json.Unmarshal(parityBody(t, "POST", base+"/v1/screen", `{"parties": [`+strings.Join(bodies, ",")+`]}`), &br); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		got := parityMatches(br.Results[i].Matches) + " | " + parityFindings(br.Results[i].Ownership)
		if w := parityKeys(want[n]); got != w {
			t.Errorf("POST /v1/screen %q:\n got %s\nwant %s", n, got, w)
		}
	}
	// The parties route screens a party of the register as monitoring does: the same name matches.
	clusterWriteParties(t, filepath.Join(files, "register.csv"), [][2]string{{"P-1", "Kim Sok Chol"}, {"P-2", "Hikvision"}})
	clusterRun(t, env, "parties", "import", filepath.Join(files, "register.csv")).cliWant(t, 0)
	for id, n := range map[string]string{"P-1": "Kim Sok Chol", "P-2": "Hikvision"} {
		var ps struct {
			Matches []tradescreen.MatchView `json:"matches"`
		}
		if err := json.Unmarshal(parityBody(t, "POST", base+"/v1/parties/"+id+"/screen", ""), &ps); err != nil {
			t.Fatal(err)
		}
		if got, w := parityMatches(ps.Matches), parityMatches(want[n].Matches); got != w {
			t.Errorf("POST /v1/parties/%s/screen %q:\n got %s\nwant %s", id, n, got, w)
		}
	}
}

func parityGet(t *testing.T, u string, v any) {
	t.Helper()
	if err := json.Unmarshal(parityBody(t, "GET", u, ""), v); err != nil {
		t.Fatal(err)
	}
}

func parityBody(t *testing.T, method, u, body string) []byte {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, b)
	}
	return b
}
