package http_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screening"
)

func TestHealthAndReadiness(t *testing.T) {
	ts := newUnreadyServer(t)
	r := get(t, ts.URL+"/healthz")
	r.wantStatus(t, 200)
	var h tshttp.Health
	r.decode(t, &h)
	if h.Status != "ok" || h.Version != "test" {
		t.Errorf("healthz = %+v", h)
	}

	r = get(t, ts.URL+"/readyz")
	r.wantError(t, 503, tradescreen.EUNAVAILABLE, "loading")
	if r.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	get(t, ts.URL+"/v1/search?q=Hikvision").wantError(t, 503, tradescreen.EUNAVAILABLE)
	get(t, ts.URL+"/v1/lists").wantError(t, 503, tradescreen.EUNAVAILABLE)
	ui := get(t, ts.URL+"/search?q=Hikvision")
	ui.wantStatus(t, 503)
	if !strings.Contains(string(ui.Body), "still loading") {
		t.Errorf("UI 503 page does not say the lists are loading: %.300s", ui.Body)
	}

	ts.Service.SetLists(testScreener(t))
	r = get(t, ts.URL+"/readyz")
	r.wantStatus(t, 200)
	r.decode(t, &h)
	if h.Status != "ready" || h.Entries < 10000 || h.Lists < 10 {
		t.Errorf("readyz = %+v", h)
	}
}

// hikvision returns the Entity List match for "Hikvision".
func hikvision(t *testing.T, ts *testServer) tshttp.ScreenResult {
	t.Helper()
	r := get(t, ts.URL+"/v1/search?q=Hikvision")
	r.wantStatus(t, 200)
	var res tshttp.ScreenResult
	r.decode(t, &res)
	return res
}

func TestSearch(t *testing.T) {
	ts := newTestServer(t)
	res := hikvision(t, ts)
	if len(res.Matches) == 0 {
		t.Fatal("no match for Hikvision")
	}
	m := res.Matches[0]
	if m.Source != "us_el" || !strings.Contains(m.Name, "Hikvision") || m.Score < 0.99 {
		t.Errorf("first match = %s/%s %q %.2f, want the Entity List's Hikvision at 1.00", m.Source, m.SourceID, m.Name, m.Score)
	}
	if !strings.Contains(m.Entry.LicenseRequirement, "For all items subject to the EAR") {
		t.Errorf("licence requirement = %q", m.Entry.LicenseRequirement)
	}
	if m.Explanation.Summary == "" || len(m.Explanation.Tokens) == 0 {
		t.Errorf("no explanation: %+v", m.Explanation)
	}
	if res.Threshold != 0.8 || len(res.Lists) < 10 || !strings.Contains(res.AsOf, "us_el") {
		t.Errorf("threshold %v, %d lists, as_of %q", res.Threshold, len(res.Lists), res.AsOf)
	}

	t.Run("filters", func(t *testing.T) {
		r := get(t, ts.URL+"/v1/search?q=Hikvision&source=us_cmic&limit=1&threshold=0.9&type=organization&country=China")
		r.wantStatus(t, 200)
		var res tshttp.ScreenResult
		r.decode(t, &res)
		if len(res.Matches) != 1 || res.Matches[0].Source != "us_cmic" {
			t.Fatalf("matches = %+v", res.Matches)
		}
		if len(res.Lists) != 1 || res.Lists[0].Source != "us_cmic" {
			t.Errorf("lists = %+v, want only us_cmic", res.Lists)
		}
		if res.Query.Country != "CN" || res.Query.Kind != tradescreen.KindOrganization || res.Threshold != 0.9 {
			t.Errorf("query = %+v", res.Query)
		}
	})
	t.Run("repeated source", func(t *testing.T) {
		r := get(t, ts.URL+"/v1/search?q=Hikvision&source=us_cmic&source=us_el")
		r.wantStatus(t, 200)
		var res tshttp.ScreenResult
		r.decode(t, &res)
		if len(res.Matches) != 2 {
			t.Errorf("%d matches, want 2", len(res.Matches))
		}
	})
	t.Run("no match", func(t *testing.T) {
		r := get(t, ts.URL+"/v1/search?q="+url.QueryEscape("Zzyzx Quartermaine Holdings"))
		r.wantStatus(t, 200)
		if !strings.Contains(string(r.Body), `"matches":[]`) {
			t.Errorf("no-match answer should carry an empty array: %.300s", r.Body)
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		r := do(t, "HEAD", ts.URL+"/v1/search?q=Hikvision", nil)
		r.wantStatus(t, 200)
	})
}

func TestSearchErrors(t *testing.T) {
	ts := newTestServer(t)
	long := strings.Repeat("a", 501)
	for _, tc := range []struct {
		query string
		field string
	}{
		{"", "q: required"},
		{"q=%20%20", "q: required"},
		{"q=x&threshold=2", "threshold"},
		{"q=x&threshold=abc", "threshold"},
		{"q=x&limit=0", "limit"},
		{"q=x&limit=5000", "limit"},
		{"q=x&type=banana", "type"},
		{"q=x&country=Atlantis", "country"},
		{"q=x&source=xx_bad", "source"},
		{"q=x&date_of_birth=yesterday", "date_of_birth"},
		{"q=x&treshold=0.5", "treshold: unknown parameter"},
		{"q=x&q=y", "q: given 2 times"},
		{"q=" + long, "name: longer than 500"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			get(t, ts.URL+"/v1/search?"+tc.query).wantError(t, 400, tradescreen.EINVALID, tc.field)
		})
	}
}

func TestScreen(t *testing.T) {
	ts := newTestServer(t)
	t.Run("one party", func(t *testing.T) {
		r := postJSON(t, ts.URL+"/v1/screen", `{"name": "Hangzhou Hikvision Digital Technology", "type": "organization",
			"country": "CN", "address": "555 Qianmo Road, Hangzhou", "identifiers": [{"type": "Tax ID No.", "number": "123"}]}`)
		r.wantStatus(t, 200)
		var res tshttp.ScreenResult
		r.decode(t, &res)
		if len(res.Matches) == 0 || res.Matches[0].Source != "us_el" {
			t.Fatalf("matches = %+v", res.Matches)
		}
		if res.Query.Country != "CN" || len(res.Query.Identifiers) != 1 {
			t.Errorf("query = %+v", res.Query)
		}
	})
	t.Run("charset", func(t *testing.T) {
		r := do(t, "POST", ts.URL+"/v1/screen", strings.NewReader(`{"name":"Hikvision"}`), "Content-Type", "application/json; charset=utf-8")
		r.wantStatus(t, 200)
	})
	t.Run("batch", func(t *testing.T) {
		r := postJSON(t, ts.URL+"/v1/screen", `{"parties": [
			{"id": "c-1", "name": "Hikvision"},
			{"id": "c-2", "name": "Zzyzx Quartermaine Holdings"},
			{"id": "c-3", "name": "Dahua Technology", "country": "CN"}], "limit": 3, "sources": ["us_el"]}`)
		r.wantStatus(t, 200)
		var res tshttp.BatchResult
		r.decode(t, &res)
		if len(res.Results) != 3 {
			t.Fatalf("%d results, want 3", len(res.Results))
		}
		for i, id := range []string{"c-1", "c-2", "c-3"} {
			if res.Results[i].ID != id {
				t.Errorf("result %d id %q, want %q (request order)", i, res.Results[i].ID, id)
			}
		}
		if len(res.Results[0].Matches) == 0 || len(res.Results[1].Matches) != 0 || len(res.Results[2].Matches) == 0 {
			t.Errorf("match counts %d, %d, %d; want >0, 0, >0",
				len(res.Results[0].Matches), len(res.Results[1].Matches), len(res.Results[2].Matches))
		}
		for _, pr := range res.Results {
			for _, m := range pr.Matches {
				if m.Source != "us_el" {
					t.Errorf("match from %s despite sources=[us_el]", m.Source)
				}
			}
		}
		if len(res.Lists) != 1 || res.AsOf == "" {
			t.Errorf("lists %+v as_of %q", res.Lists, res.AsOf)
		}
	})
	t.Run("batch of 1000", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"parties":[`)
		for i := range tshttp.MaxParties {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"%d","name":"Company Number %d Trading"}`, i, i)
		}
		b.WriteString("]}")
		start := time.Now()
		r := postJSON(t, ts.URL+"/v1/screen", b.String())
		r.wantStatus(t, 200)
		var res tshttp.BatchResult
		r.decode(t, &res)
		if len(res.Results) != tshttp.MaxParties || res.Results[999].ID != "999" {
			t.Errorf("%d results", len(res.Results))
		}
		t.Logf("1,000 parties in %v", time.Since(start))
	})
}

func TestScreenErrors(t *testing.T) {
	ts := newTestServer(t)
	tooMany := `{"parties":[` + strings.Repeat(`{"name":"a"},`, tshttp.MaxParties) + `{"name":"b"}]}`
	bigOne := `{"name":"x","identifiers":[` + strings.Repeat(`{"type":"passport","number":"1234567890"},`, 30000) + `{"type":"a","number":"1"}]}`
	huge := `{"parties":[{"name":"` + strings.Repeat("a", tshttp.MaxBatchBodyBytes) + `"}]}`
	for _, tc := range []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
		msg         string
	}{
		{"no content type", "", `{"name":"x"}`, 415, tshttp.EMEDIATYPE, "application/json"},
		{"text/plain", "text/plain", `{"name":"x"}`, 415, tshttp.EMEDIATYPE, "text/plain"},
		{"form", "application/x-www-form-urlencoded", `name=x`, 415, tshttp.EMEDIATYPE, ""},
		{"malformed", "application/json", `{"name": "x",}`, 400, tradescreen.EINVALID, "malformed JSON"},
		{"truncated", "application/json", `{"name": "x"`, 400, tradescreen.EINVALID, "truncated"},
		{"empty", "application/json", ``, 400, tradescreen.EINVALID, "empty"},
		{"two values", "application/json", `{"name":"x"} {"name":"y"}`, 400, tradescreen.EINVALID, "data after"},
		{"not an object", "application/json", `["Hikvision"]`, 422, tradescreen.EUNPROCESSABLE, ""},
		{"unknown field", "application/json", `{"name":"x","nmae":"y"}`, 422, tradescreen.EUNPROCESSABLE, "nmae: unknown field"},
		{"wrong type", "application/json", `{"name": 5}`, 422, tradescreen.EUNPROCESSABLE, "name"},
		{"no name", "application/json", `{"type":"person"}`, 422, tradescreen.EUNPROCESSABLE, "name: required"},
		{"bad type", "application/json", `{"name":"x","type":"banana"}`, 422, tradescreen.EUNPROCESSABLE, "type"},
		{"bad threshold", "application/json", `{"name":"x","threshold":7}`, 422, tradescreen.EUNPROCESSABLE, "threshold"},
		{"bad source", "application/json", `{"name":"x","sources":["nope"]}`, 422, tradescreen.EUNPROCESSABLE, "source"},
		{"identifier without number", "application/json", `{"name":"x","identifiers":[{"type":"passport"}]}`, 422, tradescreen.EUNPROCESSABLE, "identifiers[0].number"},
		{"name too long", "application/json", `{"name":"` + strings.Repeat("b", 501) + `"}`, 422, tradescreen.EUNPROCESSABLE, "name: longer than 500"},
		{"party without name", "application/json", `{"parties":[{"name":"a"},{"id":"2"}]}`, 422, tradescreen.EUNPROCESSABLE, "parties[1].name: required"},
		{"party bad country", "application/json", `{"parties":[{"name":"a","country":"Atlantis"}]}`, 422, tradescreen.EUNPROCESSABLE, "parties[0].country"},
		{"both", "application/json", `{"name":"a","parties":[{"name":"b"}]}`, 422, tradescreen.EUNPROCESSABLE, "not both"},
		{"no parties", "application/json", `{"parties":[]}`, 422, tradescreen.EUNPROCESSABLE, "parties: empty"},
		{"too many parties", "application/json", tooMany, 413, tradescreen.ETOOLARGE, "at most 1000"},
		{"one party over 1 MiB", "application/json", bigOne, 413, tradescreen.ETOOLARGE, "one party"},
		{"over 10 MiB", "application/json", huge, 413, tradescreen.ETOOLARGE, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.contentType != "" {
				h = []string{"Content-Type", tc.contentType}
			}
			r := do(t, "POST", ts.URL+"/v1/screen", strings.NewReader(tc.body), h...)
			r.wantError(t, tc.status, tc.code, tc.msg)
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", "/v1/screen", "POST"},
		{"POST", "/v1/search", "GET, HEAD"},
		{"DELETE", "/v1/lists", "GET, HEAD"},
		{"PUT", "/healthz", "GET, HEAD"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := do(t, tc.method, ts.URL+tc.path, nil)
			r.wantError(t, 405, tshttp.EMETHOD, tc.method)
			if got := r.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
	r := do(t, "POST", ts.URL+"/lists", nil)
	r.wantStatus(t, 405)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || r.Header.Get("Allow") == "" {
		t.Errorf("UI 405: Content-Type %q Allow %q", r.Header.Get("Content-Type"), r.Header.Get("Allow"))
	}
}

func TestNotFound(t *testing.T) {
	ts := newTestServer(t)
	get(t, ts.URL+"/v1/nothing").wantError(t, 404, tradescreen.ENOTFOUND, "/v1/nothing")
	get(t, ts.URL+"/v1/entries/us_el/no-such-id").wantError(t, 404, tradescreen.ENOTFOUND, "us_el/no-such-id")
	get(t, ts.URL+"/v1/entries/xx_nope/1").wantError(t, 404, tradescreen.ENOTFOUND, "xx_nope")
	r := get(t, ts.URL+"/no/such/page")
	r.wantStatus(t, 404)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "404") {
		t.Errorf("UI 404: %q %.200s", r.Header.Get("Content-Type"), r.Body)
	}
	get(t, ts.URL+"/entries/us_el/no-such-id").wantStatus(t, 404)
	get(t, ts.URL+"/static/style.css").wantStatus(t, 404) // only content-hashed names are served
}

func TestEntry(t *testing.T) {
	ts := newTestServer(t)
	m := hikvision(t, ts).Matches[0]
	r := get(t, ts.URL+"/v1/entries/"+m.Source+"/"+url.PathEscape(m.SourceID))
	r.wantStatus(t, 200)
	var res tshttp.EntryResult
	r.decode(t, &res)
	e := res.Entry
	if e.Source != "us_el" || e.SourceID != m.SourceID || len(e.Raw) == 0 || len(e.Addresses) == 0 {
		t.Errorf("entry = %s/%s raw %d bytes, %d addresses", e.Source, e.SourceID, len(e.Raw), len(e.Addresses))
	}
	found := false
	for _, c := range e.FederalRegister {
		found = found || strings.Contains(c, "84 FR 54004")
	}
	if !found {
		t.Errorf("federal_register = %q, want 84 FR 54004", e.FederalRegister)
	}
	if res.List == nil || res.List.Source != "us_el" || res.List.Published == "" || res.AsOf == "" {
		t.Errorf("list = %+v as_of %q", res.List, res.AsOf)
	}
}

func TestLists(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.Now = func() time.Time { return now }
		s.Service = screening.New(screening.Config{Now: s.Now, DefaultMaxAge: 10 * 24 * time.Hour})
	})
	r := get(t, ts.URL+"/v1/lists")
	r.wantStatus(t, 200)
	var res tshttp.ListsResult
	r.decode(t, &res)
	if len(res.Lists) < 10 || res.Entries < 10000 || res.Lists[0].MaxAgeDays != 10 {
		t.Fatalf("%d lists, %d entries, max age %d days", len(res.Lists), res.Entries, res.Lists[0].MaxAgeDays)
	}
	for _, l := range res.Lists {
		switch l.Source {
		case "un_sc": // published 2026-02-27: 2 days before now
			if l.Stale || l.AgeSeconds == nil || *l.AgeSeconds != 2*86400 {
				t.Errorf("un_sc stale %v age %v", l.Stale, l.AgeSeconds)
			}
		case "us_dpl": // published 2022-05-16
			if !l.Stale || l.Name != "Denied Persons List" || l.Publisher == "" {
				t.Errorf("us_el = %+v", l)
			}
		}
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	hikvision(t, ts)
	get(t, ts.URL+"/v1/search")
	r := get(t, ts.URL+"/metrics")
	r.wantStatus(t, 200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	body := string(r.Body)
	for _, want := range []string{
		`tradescreen_http_requests_total{route="GET /v1/search",status="200"} 1`,
		`tradescreen_http_requests_total{route="GET /v1/search",status="400"} 1`,
		`tradescreen_http_request_duration_seconds_bucket{route="GET /v1/search",le="+Inf"} 2`,
		`tradescreen_http_request_duration_seconds_count{route="GET /v1/search"} 2`,
		`tradescreen_matches_returned_total 5`, // us_el, us_cmic, us_fcc, us_1260h, us_889
		`tradescreen_parties_screened_total 1`,
		`tradescreen_list_age_seconds{source="us_el"}`,
		`tradescreen_list_entries{source="us_el"} 3409`,
		`tradescreen_entries_loaded `,
		`tradescreen_ready 1`,
		// The Go runtime and the process.
		"go_sched_goroutines ", "go_memory_heap_objects_bytes ", "go_gc_cycles_total ", `go_info{version="go`,
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// The heap and resident memory of a server holding the lists are tens of megabytes, not zero.
	names := []string{"go_memory_heap_objects_bytes"}
	if runtime.GOOS == "linux" {
		names = append(names, "process_resident_memory_bytes")
	}
	for _, name := range names {
		m := regexp.MustCompile(`(?m)^` + name + ` ([0-9.e+]+)$`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s missing", name)
			continue
		}
		if v, _ := strconv.ParseFloat(m[1], 64); v < 10<<20 {
			t.Errorf("%s = %s", name, m[1])
		}
	}
	// Every sample line is name{labels} value in the text exposition format.
	sample := regexp.MustCompile(`^[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? [-+0-9.eE]+$`)
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		if strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ") {
			continue
		}
		if !sample.MatchString(line) {
			t.Errorf("bad sample line %q", line)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/search?q=Hikvision", "/lists", "/v1/search?q=x", "/v1/lists", "/healthz", "/metrics", "/openapi.json", "/nope", "/v1/nope"} {
		r := get(t, ts.URL+path)
		for h, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "default-src 'self'",
			"Referrer-Policy":         "no-referrer",
		} {
			if got := r.Header.Get(h); !strings.Contains(got, want) {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: CSP lacks frame-ancestors 'none'", path)
		}
	}
}

func TestAuth(t *testing.T) {
	const key = "k3y-0123456789-abcdef"
	ts := newTestServer(t, func(s *tshttp.Server) { s.APIKey = key })
	t.Run("missing", func(t *testing.T) {
		r := get(t, ts.URL+"/v1/search?q=Hikvision")
		r.wantError(t, 401, tradescreen.EUNAUTHORIZED, "API key")
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("wrong", func(t *testing.T) {
		get(t, ts.URL+"/v1/search?q=Hikvision", "Authorization", "Bearer "+key+"x").wantError(t, 401, tradescreen.EUNAUTHORIZED)
		get(t, ts.URL+"/v1/lists", "X-API-Key", "nope").wantError(t, 401, tradescreen.EUNAUTHORIZED)
		postJSON(t, ts.URL+"/v1/screen", `{"name":"x"}`, "X-API-Key", key[:10]).wantError(t, 401, tradescreen.EUNAUTHORIZED)
		get(t, ts.URL+"/metrics").wantError(t, 401, tradescreen.EUNAUTHORIZED)
	})
	t.Run("right", func(t *testing.T) {
		get(t, ts.URL+"/v1/search?q=Hikvision", "Authorization", "Bearer "+key).wantStatus(t, 200)
		get(t, ts.URL+"/v1/lists", "X-API-Key", key).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/screen", `{"name":"x"}`, "X-API-Key", key).wantStatus(t, 200)
		get(t, ts.URL+"/metrics", "Authorization", "Bearer "+key).wantStatus(t, 200)
	})
	t.Run("browser", func(t *testing.T) {
		r := get(t, ts.URL+"/search?q=Hikvision")
		r.wantStatus(t, 401)
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("UI 401: WWW-Authenticate %q, Content-Type %q", r.Header.Get("WWW-Authenticate"), r.Header.Get("Content-Type"))
		}
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("officer:"+key))
		get(t, ts.URL+"/search?q=Hikvision", "Authorization", basic).wantStatus(t, 200)
		wrong := "Basic " + base64.StdEncoding.EncodeToString([]byte("officer:guess"))
		get(t, ts.URL+"/search?q=Hikvision", "Authorization", wrong).wantStatus(t, 401)
	})
	t.Run("open routes", func(t *testing.T) {
		get(t, ts.URL+"/healthz").wantStatus(t, 200)
		get(t, ts.URL+"/readyz").wantStatus(t, 200)
		get(t, ts.URL+"/openapi.json").wantStatus(t, 200)
	})
}

func TestOpenRefusesUnsafeConfig(t *testing.T) {
	for _, tc := range []struct {
		addr, key, want string
	}{
		{"0.0.0.0:0", "", "without an API key"},
		{":0", "", "without an API key"},
		{"[::]:0", "", "without an API key"},
		{"192.0.2.1:0", "", "TRADESCREEN_API_KEY_FILE"},
		{"127.0.0.1:0", "short", "shorter than 16"},
	} {
		s := tshttp.NewServer()
		s.Addr, s.APIKey = tc.addr, tc.key
		err := s.Open()
		if err == nil {
			_ = s.Close(t.Context())
			t.Errorf("Open(%q, key %q) succeeded", tc.addr, tc.key)
			continue
		}
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q): %v, want EINVALID containing %q", tc.addr, err, tc.want)
		}
	}
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.3.4.5:1": true, "localhost:80": true, "[::1]:8080": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:8080": false, "10.0.0.1:8080": false, "example.com:80": false, "garbage": false,
	} {
		if got := tshttp.IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestInternalErrors(t *testing.T) {
	ts := newUnreadyServer(t, func(s *tshttp.Server) { s.HandleFailingRoutes() })
	for _, path := range []string{"/v1/test/fail", "/v1/test/panic"} {
		r := get(t, ts.URL+path)
		r.wantError(t, 500, tradescreen.EINTERNAL, "internal error")
		if strings.Contains(string(r.Body), "secret") {
			t.Errorf("%s leaks internal detail: %s", path, r.Body)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no security headers on a 500", path)
		}
	}
	logs := ts.Logs.String()
	if !strings.Contains(logs, "secret-detail-42") || !strings.Contains(logs, "secret-panic-detail") {
		t.Errorf("internal details not logged:\n%s", logs)
	}
	get(t, ts.URL+"/healthz").wantStatus(t, 200) // the server survived the panic
}

func TestRequestLog(t *testing.T) {
	const name = "Zhejiang Secretname Holdings"
	t.Run("names off", func(t *testing.T) {
		ts := newTestServer(t)
		get(t, ts.URL+"/v1/search?q="+url.QueryEscape(name)+"&country=CN").wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/screen", `{"name":"`+name+`"}`).wantStatus(t, 200)
		logs := ts.Logs.String()
		for _, leak := range []string{"Secretname", "country=CN", "q="} {
			if strings.Contains(logs, leak) {
				t.Errorf("log contains %q:\n%s", leak, logs)
			}
		}
		for _, want := range []string{`"method":"GET"`, `"route":"GET /v1/search"`, `"status":200`, `"duration":`, `"bytes":`, `"route":"POST /v1/screen"`} {
			if !strings.Contains(logs, want) {
				t.Errorf("log lacks %s:\n%s", want, logs)
			}
		}
	})
	t.Run("names on", func(t *testing.T) {
		ts := newTestServer(t, func(s *tshttp.Server) { s.LogNames = true })
		get(t, ts.URL+"/v1/search?q="+url.QueryEscape(name)).wantStatus(t, 200)
		if !strings.Contains(ts.Logs.String(), name) {
			t.Errorf("log_names on, but the name is not logged:\n%s", ts.Logs.String())
		}
	})
}

func TestServerTimeouts(t *testing.T) {
	hs := tshttp.NewServer().HTTPServer()
	if hs.ReadHeaderTimeout == 0 || hs.ReadTimeout == 0 || hs.WriteTimeout == 0 || hs.IdleTimeout == 0 || hs.MaxHeaderBytes == 0 {
		t.Errorf("timeouts not set: %+v", hs)
	}
}

// A server that refuses lists older than a maximum age (refuse_list_age) is not ready and answers 503
// "stale_lists" naming the old lists, instead of screening against them; the OpenAPI document lists the code.
func TestRefuseOldLists(t *testing.T) {
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.Service = screening.New(screening.Config{RefuseOlderThan: 30 * 24 * time.Hour, PastLists: screening.Lists{}.PastLists()})
	})
	get(t, ts.URL+"/readyz").wantError(t, 503, tradescreen.ESTALE, "gb_hmt (published 2020-04-27")
	r := get(t, ts.URL+"/v1/search?q=Hikvision")
	r.wantError(t, 503, "stale_lists", "refusing to answer on lists older than the maximum age of 30d")
	ownValidate(t, loadOpenAPI(t), "/v1/search", "get", r)
	// A past date rests on the lists of that date by design: answered.
	get(t, ts.URL+"/v1/search?q=Hikvision&as_of=2023-01-01").wantStatus(t, 200)
}
