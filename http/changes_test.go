package http_test

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	tshttp "github.com/tradescreen/tradescreen/http"
)

// sdnStore returns a data directory holding two real versions of OFAC's sdn.csv: 2022-02-23 (#1) and
// 2022-02-24 (#2), between which Nord Stream 2 AG (31926) and Matthias Warnig (31922) were designated.
func sdnStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	store, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, date := range []string{"2022-02-23", "2022-02-24"} {
		b, err := os.ReadFile("../testdata/lists/ofac/sdn_dated/sdn_" + date + ".csv.gz")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Add(history.Version{Feed: "ofac_sdn", Kind: "ofac", Name: "sdn.csv.gz", Published: date, Lists: map[string]int{"us_sdn": 1}}, b); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func changes(t *testing.T, ts *testServer, query string) tshttp.ChangesResult {
	t.Helper()
	r := get(t, ts.URL+"/v1/changes"+query)
	r.wantStatus(t, 200)
	var res tshttp.ChangesResult
	r.decode(t, &res)
	if res.Changes == nil {
		t.Errorf("changes is null, want an array: %s", r.Body)
	}
	return res
}

func TestChangesWithoutHistory(t *testing.T) {
	ts := newTestServer(t)
	res := changes(t, ts, "")
	if len(res.Changes) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "no data directory") {
		t.Errorf("no data dir: %+v", res)
	}
	ts = newTestServer(t, func(s *tshttp.Server) { s.DataDir = t.TempDir() })
	res = changes(t, ts, "?source=us_el")
	if len(res.Changes) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "no list versions are stored") {
		t.Errorf("empty data dir: %+v", res)
	}
}

func TestChanges(t *testing.T) {
	ts := newTestServer(t, func(s *tshttp.Server) { s.DataDir = sdnStore(t) })
	check := func(query string, from, to, added, removed int) tshttp.ListChanges {
		t.Helper()
		res := changes(t, ts, query)
		if len(res.Changes) != 1 {
			t.Fatalf("%s: %+v", query, res)
		}
		fc := res.Changes[0]
		if fc.Feed != "ofac_sdn" || fc.From.ID != from || fc.To.ID != to || len(fc.Lists) != 1 {
			t.Fatalf("%s: feed %s #%d -> #%d, %d lists", query, fc.Feed, fc.From.ID, fc.To.ID, len(fc.Lists))
		}
		l := fc.Lists[0]
		if l.Source != "us_sdn" || l.Added != added || l.Removed != removed || l.Changed != 0 {
			t.Errorf("%s: %s added %d removed %d changed %d, want %d %d 0", query, l.Source, l.Added, l.Removed, l.Changed, added, removed)
		}
		return l
	}
	l := check("", 1, 2, 2, 0)
	names := map[string]string{}
	for _, c := range l.Changes {
		names[c.SourceID] = c.Name
	}
	if names["31926"] != "NORD STREAM 2 AG" || !strings.Contains(names["31922"], "WARNIG") {
		t.Errorf("added: %v", names)
	}
	check("?source=us_sdn", 1, 2, 2, 0)
	check("?source=ofac_sdn&since=2022-02-23", 1, 2, 2, 0)
	check("?from="+url.QueryEscape("#1")+"&to="+url.QueryEscape("#2"), 1, 2, 2, 0)
	if l := check("?limit=1", 1, 2, 2, 0); len(l.Changes) != 1 || !l.Truncated {
		t.Errorf("limit=1: %d changes, truncated %v", len(l.Changes), l.Truncated)
	}

	// Before the history starts: compared from the oldest version, with a note.
	res := changes(t, ts, "?since=2021-01-01")
	if len(res.Changes) != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "starts on 2022-02-23") {
		t.Errorf("since before the history: %+v", res.Notes)
	}
	// Since the newest version: nothing to show, and a note says why.
	res = changes(t, ts, "?since=2022-03-01")
	if len(res.Changes) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "no changes since") {
		t.Errorf("since the newest: %+v", res)
	}
	res = changes(t, ts, "?source=un_sc")
	if len(res.Changes) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "un_sc") {
		t.Errorf("a list not stored: %+v", res)
	}

	for _, tc := range []struct {
		query, msg string
		status     int
	}{
		{"?since=yesterday", "since", 400},
		{"?since=2022-01-01&from=1", "either since or from", 400},
		{"?source=" + url.QueryEscape("us el!"), "source", 400},
		{"?limit=0", "limit", 400},
		{"?frm=1", "frm: unknown parameter", 400},
		{"?from=" + url.QueryEscape("#99"), "#99", 404},
	} {
		code := map[int]string{400: tradescreen.EINVALID, 404: tradescreen.ENOTFOUND}[tc.status]
		get(t, ts.URL+"/v1/changes"+tc.query).wantError(t, tc.status, code, tc.msg)
	}
}

func TestUIChanges(t *testing.T) {
	ts := newTestServer(t, func(s *tshttp.Server) { s.DataDir = sdnStore(t) })
	body := page(t, ts, "/changes", 200)
	for _, want := range []string{
		`<form class="search" action="/changes" method="get">`,
		"ofac_sdn: #1 of 2022-02-23 → #2 of 2022-02-24",
		"2 added, 0 removed, 0 changed",
		`href="/entries/us_sdn/31926">NORD STREAM 2 AG</a>`,
		`aria-current="page">What changed`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("changes page lacks %s", want)
		}
	}
	// The form sends empty fields; they mean "not given".
	page(t, ts, "/changes?source=&since=2022-02-23&from=&to=", 200)
	bad := page(t, ts, "/changes?since=soon", 400)
	if !strings.Contains(bad, `role="alert"`) || !strings.Contains(bad, "since") {
		t.Error("invalid input not shown beside the form")
	}
	none := page(t, newTestServer(t), "/changes", 200)
	if !strings.Contains(none, "no data directory") {
		t.Error("no note without a data directory")
	}
}
