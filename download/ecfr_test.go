package download

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/history"
)

// ecfrServer serves the versioner API over two eCFR-format versions of Part 744 (testdata/lists/entity_list/
// ecfr): titles.json says title 15 is up to date as of newest, and full/DATE/title-15.xml serves the newest
// version of a date on or before DATE, as the eCFR does. It records the paths asked for.
func ecfrServer(t *testing.T, newest string, paths *[]string) *httptest.Server {
	t.Helper()
	versions := map[string][]byte{
		"2019-06-01": read(t, "entity_list/ecfr/title-15_2019-06-01.xml"),
		"2026-07-09": read(t, "entity_list/ecfr/title-15_2026-07-09.xml"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*paths = append(*paths, r.URL.RequestURI())
		if r.URL.Path == "/api/versioner/v1/titles.json" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"titles":[{"number":14,"name":"Aeronautics and Space","up_to_date_as_of":"2026-12-03"},`+
				`{"number":15,"name":"Commerce and Foreign Trade","latest_amended_on":"2026-07-07","up_to_date_as_of":%q,"reserved":false}],`+
				`"meta":{"date":%q,"import_in_progress":false}}`, newest, newest)
			return
		}
		date, ok := strings.CutPrefix(r.URL.Path, "/api/versioner/v1/full/")
		date, ok2 := strings.CutSuffix(date, "/title-15.xml")
		if !ok || !ok2 || r.URL.Query().Get("part") != "744" {
			http.NotFound(w, r)
			return
		}
		var dates []string
		for d := range versions {
			if d <= date {
				dates = append(dates, d)
			}
		}
		if len(dates) == 0 {
			http.NotFound(w, r)
			return
		}
		sort.Strings(dates)
		w.Header().Set("Content-Type", "application/xml")
		w.Write(versions[dates[len(dates)-1]])
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestUpdateECFR(t *testing.T) {
	var paths []string
	srv := ecfrServer(t, "2026-07-09", &paths)
	store, err := history.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	for _, f := range cfg.Feeds {
		if f.Name == "ecfr" {
			f.URL = srv.URL
			cfg.Feeds = []Feed{f}
		}
	}
	cfg.LoopbackOnly, cfg.Retries = true, 0
	var steps []Progress
	cfg.Progress = func(p Progress) { steps = append(steps, p) }
	u, err := NewUpdater(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	update := func(asOf string) Result {
		t.Helper()
		u.Config.AsOf, paths, steps = asOf, nil, nil
		rs, err := u.Update(context.Background())
		if err != nil || len(rs) != 1 {
			t.Fatalf("Update(as of %q): %+v %v", asOf, rs, err)
		}
		return rs[0]
	}

	r := update("")
	if r.Status != Accepted || r.Version.Published != "2026-07-09" || r.Version.Lists["us_el"] != 59 ||
		r.Version.Name != "title-15_2026-07-09.xml" || !strings.HasSuffix(r.URL, "/api/versioner/v1/full/2026-07-09/title-15.xml?part=744") {
		t.Fatalf("newest: %+v %+v", r, r.Version)
	}
	if want := []string{"/api/versioner/v1/titles.json", "/api/versioner/v1/full/2026-07-09/title-15.xml?part=744"}; strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("requests %q, want %q", paths, want)
	}
	wantProgress(t, steps,
		"locating|ecfr: title 15 is up to date as of 2026-07-09; fetching Part 744 as of 2026-07-09",
		"connecting|ecfr: connecting to "+srv.URL+"/api/versioner/v1/full/2026-07-09/title-15.xml?part=744",
		"downloaded|ecfr: downloaded 38532 bytes",
		"validating|ecfr: validating title-15_2026-07-09.xml with the ecfr reader",
		"storing|ecfr: storing: us_el: 59 entries (first version)",
		"done|ecfr: stored as #1 (published 2026-07-09)")

	// --as-of 2020-01-15: the version in force that day (the server's 2019-06-01 text), stored under the
	// date asked for, with 6 entries: no drop check against the newer list.
	r = update("2020-01-15")
	if r.Status != Accepted || r.Version.ID != 2 || r.Version.Published != "2020-01-15" || r.Version.Lists["us_el"] != 6 {
		t.Fatalf("as of 2020-01-15: %+v %+v", r, r.Version)
	}
	// The newest by date stays the current version; the past one answers for its date.
	if v := store.Newest("ecfr"); v == nil || v.ID != 1 {
		t.Errorf("Newest after --as-of: %+v", v)
	}
	if v, err := store.Find("ecfr", "2021-03-01"); err != nil || v.ID != 2 {
		t.Errorf("Find 2021-03-01: %+v %v", v, err)
	}
	// The same date again is the same content; a date the eCFR does not reach yet fails.
	if r := update("2020-01-15"); r.Status != Unchanged || !strings.Contains(r.Reason, "same content as ecfr #2 of 2020-01-15") {
		t.Errorf("again: %+v", r)
	}
	if r := update("2026-08-01"); r.Status != Failed || !strings.Contains(r.Reason, "up to date as of 2026-07-09; it has no text for 2026-08-01") {
		t.Errorf("beyond the eCFR: %+v", r)
	}
	// Before the first version the server has, the versioner answers 404.
	if r := update("2018-01-01"); r.Status != Failed || !strings.Contains(r.Reason, "404") {
		t.Errorf("404: %+v", r)
	}
	if n := len(store.Versions()); n != 2 {
		t.Errorf("%d versions stored, want 2", n)
	}
}

// wantProgress fails the test for each "step|line" missing from the reported steps.
func wantProgress(t *testing.T, steps []Progress, wants ...string) {
	t.Helper()
	var text []string
	for _, p := range steps {
		text = append(text, p.Step+"|"+p.String())
	}
	for _, want := range wants {
		if !strings.Contains(strings.Join(text, "\n"), want) {
			t.Errorf("progress lacks %q:\n%s", want, strings.Join(text, "\n"))
		}
	}
}

func TestUpdateAsOfSkipsCurrentOnlyFeeds(t *testing.T) {
	f := newFixture(t, "un", "consolidated.xml")
	f.serveFile(read(t, "un/consolidated_2018-10-29.xml.gz"), "application/xml")
	f.u.Config.AsOf = "2019-01-01"
	// Named, the feed is skipped and says why; unnamed, only feeds with past versions are updated.
	rs, err := f.u.Update(context.Background(), "test")
	if err != nil || len(rs) != 1 || rs[0].Status != Skipped || !strings.Contains(rs[0].Reason, "serves only the current file") {
		t.Errorf("named: %+v %v", rs, err)
	}
	if rs, err := f.u.Update(context.Background()); err != nil || len(rs) != 0 {
		t.Errorf("unnamed: %+v %v", rs, err)
	}
	if f.requests.Load() != 0 {
		t.Errorf("%d requests made", f.requests.Load())
	}
	c := DefaultConfig()
	c.AsOf = "2019-13-01"
	if c.Validate() == nil {
		t.Error("bad --as-of date validated")
	}
}

func TestTitle15Date(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{`{"titles":[{"number":15,"up_to_date_as_of":"2026-12-03"}]}`, "2026-12-03", ""},
		{`{"titles":[{"number":16,"up_to_date_as_of":"2026-12-03"}]}`, "", "no title 15"},
		{`{"titles":[{"number":15,"up_to_date_as_of":null}]}`, "", "no up_to_date_as_of"},
		{`<html>`, "", "not the versioner's JSON"},
	} {
		got, err := title15Date([]byte(c.in))
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: %q %v", c.in, got, err)
		}
	}
}

// TestProgressDownloading: a download longer than ProgressEvery reports its bytes as they arrive.
func TestProgressDownloading(t *testing.T) {
	f := newFixture(t, "un", "consolidated.xml")
	body := read(t, "un/consolidated_2018-10-29.xml.gz")
	f.serveFile(body, "application/xml")
	var steps []Progress
	f.u.Config.Progress = func(p Progress) { steps = append(steps, p) }
	f.u.Config.ProgressEvery = 100 << 10
	f.u.Config.Timeout = 10 * time.Second
	if r := f.update(t); r.Status != Accepted {
		t.Fatalf("%+v", r)
	}
	n := 0
	var last int64
	for _, p := range steps {
		if p.Step == StepDownloading {
			n++
			if p.Bytes <= last || p.Bytes > int64(len(body)) || !strings.HasPrefix(p.Message, fmt.Sprintf("downloading: %d", p.Bytes)) {
				t.Errorf("downloading step %+v after %d", p, last)
			}
			last = p.Bytes
		}
	}
	if min := len(body) / (100 << 10); n < min {
		t.Errorf("%d downloading reports for %d bytes, want at least %d", n, len(body), min)
	}
}
