package http_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
	_ "github.com/tradescreen/tradescreen/source/all"
)

// The fuzz targets drive the real handler (Server.Handler, no listener) over the small real CSL excerpt, so
// that each input costs milliseconds: a screener built once per process, and for the stored routes a
// SQLite database in the target's temporary directory (PostgreSQL when TRADESCREEN_TEST_POSTGRES_URL is set). Every answer must be a success or a 4xx with a
// JSON error carrying a code whose status it has: never a 5xx, never a panic (the server turns a panic into
// a 500, so "no 5xx" covers both).

// cslSample is the CSL excerpt the fuzz targets screen against (13 lines, one entry per list).
const cslSample = "../testdata/lists/csl/consolidated_2025-06_sample.csv"

var (
	sampleOnce     sync.Once
	sampleScreener *screen.Screener
	sampleErr      error
)

// sampleListsScreener returns a screener over cslSample, built once per process.
func sampleListsScreener(tb testing.TB) *screen.Screener {
	tb.Helper()
	sampleOnce.Do(func() {
		ds, err := source.Open("csl", cslSample)
		if err != nil {
			sampleErr = err
			return
		}
		sampleScreener = screen.New(ds)
	})
	if sampleErr != nil {
		tb.Fatalf("load %s: %v", cslSample, sampleErr)
	}
	return sampleScreener
}

// tailLog keeps the last few KB a logger writes: a fuzz run makes millions of requests, and only the
// errors logged just before a failure matter.
type tailLog struct {
	mu sync.Mutex
	b  []byte
}

func (l *tailLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	if len(l.b) > 8<<10 {
		l.b = append(l.b[:0], l.b[len(l.b)-4<<10:]...)
	}
	return len(p), nil
}

func (l *tailLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}

// fuzzServer is a server answering through its Handler, as the local operator (loopback, no API key).
type fuzzServer struct {
	*tshttp.Server
	h   nethttp.Handler
	log *tailLog
}

// newFuzzServer returns a server over the CSL excerpt, with a SQLite store in a temporary directory when
// withStore is set. Only warnings and errors are logged (internal errors are logged at error level).
func newFuzzServer(tb testing.TB, withStore bool) *fuzzServer {
	tb.Helper()
	log := &tailLog{}
	s := tshttp.NewServer()
	s.Logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if withStore {
		s.Store = fuzzStore(tb)
	}
	s.Service.SetLists(sampleListsScreener(tb))
	return &fuzzServer{Server: s, h: s.Handler(), log: log}
}

// fuzzStore opens the store of a fuzz target: a fresh schema of TRADESCREEN_TEST_POSTGRES_URL when it is set
// (PostgreSQL refuses some text SQLite keeps, such as NUL bytes), else SQLite in a temporary directory.
func fuzzStore(tb testing.TB) tradescreen.Store {
	tb.Helper()
	if os.Getenv("TRADESCREEN_TEST_POSTGRES_URL") == "" {
		return sqliteStore(tb)
	}
	return postgresStore(tb)
}

// serve sends a request through the handler from loopback and returns the recorded answer.
func (fs *fuzzServer) serve(r *nethttp.Request) *httptest.ResponseRecorder {
	// From loopback to a loopback name, as the local operator's own requests are.
	r.RemoteAddr, r.Host = "127.0.0.1:40000", "127.0.0.1"
	w := httptest.NewRecorder()
	fs.h.ServeHTTP(w, r)
	return w
}

// checkAnswer asserts the contract of every API answer to any input: 2xx with a JSON body, or 4xx with a
// JSON error whose code maps to that status and whose message is not empty. A 5xx fails with the server's
// log, which holds the internal error or the panic and its stack.
func checkAnswer(t *testing.T, fs *fuzzServer, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	status, body := w.Code, w.Body.Bytes()
	if status >= 500 {
		t.Fatalf("%s: status %d: %.300s\nlog:\n%s", what, status, body, fs.log.String())
	}
	if status < 200 || status > 499 || (status >= 300 && status < 400) {
		t.Fatalf("%s: status %d", what, status)
	}
	if ct, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type")); ct != "application/json" {
		t.Fatalf("%s: status %d with Content-Type %q", what, status, w.Header().Get("Content-Type"))
	}
	if status < 400 {
		if !json.Valid(body) {
			t.Fatalf("%s: status %d with a body that is not JSON: %.300s", what, status, body)
		}
		return
	}
	var e tshttp.ErrorResponse
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("%s: status %d, error body is not JSON: %v: %.300s", what, status, err, body)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("%s: status %d, error without code or message: %s", what, status, body)
	}
	if got := tshttp.ErrorStatusCode(e.Error.Code); got != status {
		t.Fatalf("%s: status %d, but code %q maps to %d", what, status, e.Error.Code, got)
	}
}

// FuzzScreenRequest posts any body with any Content-Type to POST /v1/screen. Seeds: the bodies of the API
// documentation and tests (one party, a batch, every kind of error the decoder reports).
func FuzzScreenRequest(f *testing.F) {
	for _, s := range []struct{ ct, body string }{
		{"application/json", `{"name":"Atlas Sanatgaran"}`},
		{"application/json; charset=utf-8", `{"name":"Hikvision"}`},
		{"application/json", `{"name": "Hangzhou Hikvision Digital Technology", "type": "organization", "country": "CN", "address": "555 Qianmo Road, Hangzhou", "identifiers": [{"type": "Tax ID No.", "number": "123"}]}`},
		{"application/json", `{"parties": [{"id": "c-1", "name": "Rosneft Trade Limited"}, {"id": "c-2", "name": "Zzyzx Quartermaine Holdings"}, {"id": "c-3", "name": "SME Bank", "country": "RU"}], "limit": 3, "sources": ["us_ssi"]}`},
		{"application/json", `{"name":"Mohammed Abu Jheisheh","type":"person","date_of_birth":"1967-05","threshold":0.5,"as_of":"2024-01-31"}`},
		{"application/json", `{"name":"CETC 13","sources":["us_el"],"limit":1000,"threshold":1}`},
		{"application/json", `{"name": "x",}`},
		{"application/json", `{"name": "x"`},
		{"application/json", ``},
		{"application/json", `{"name":"x"} {"name":"y"}`},
		{"application/json", `["Hikvision"]`},
		{"application/json", `{"name":"x","nmae":"y"}`},
		{"application/json", `{"name": 5}`},
		{"application/json", `{"name":"x","identifiers":[{"type":"passport"}]}`},
		{"application/json", `{"parties":[{"name":"a","country":"Atlantis"}]}`},
		{"application/json", `{"name":"a","parties":[{"name":"b"}]}`},
		{"application/json", `{"parties":[]}`},
		{"application/json", `{"parties":null,"name":"\u0000\ud800"}`},
		{"text/plain", `{"name":"x"}`},
		{"", `{"name":"x"}`},
		{"application/x-www-form-urlencoded", `name=x`},
	} {
		f.Add(s.ct, []byte(s.body))
	}
	fs := newFuzzServer(f, false)
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		r := httptest.NewRequest("POST", "/v1/screen", bytes.NewReader(body))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		checkAnswer(t, fs, "POST /v1/screen", fs.serve(r))
	})
}

// FuzzSearchQuery sends any query string to GET /v1/search and to the search page (GET /search), which
// read the same parameters. Seeds: the queries of the API documentation and tests.
func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{
		"q=Atlas+Sanatgaran",
		"q=Hikvision&source=us_cmic&limit=1&threshold=0.9&type=organization&country=China",
		"q=Hikvision&source=us_cmic&source=us_el",
		"q=Rosneft%20Trade&as_of=2024-06-30&date_of_birth=1970",
		"q=%E6%B5%B7%E5%BA%B7%E5%A8%81%E8%A7%86",
		"", "q=%20%20", "q=x&threshold=2", "q=x&threshold=abc", "q=x&limit=0", "q=x&limit=5000",
		"q=x&type=banana", "q=x&country=Atlantis", "q=x&source=xx_bad", "q=x&date_of_birth=yesterday",
		"q=x&treshold=0.5", "q=x&q=y", "q=%ff%fe", "q=a;b=c", "q=%zz", "q=x&as_of=2024-02-30",
	} {
		f.Add(q)
	}
	fs := newFuzzServer(f, false)
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest("GET", "/v1/search", nil)
		r.URL.RawQuery = query
		checkAnswer(t, fs, "GET /v1/search?"+query, fs.serve(r))

		r = httptest.NewRequest("GET", "/search", nil)
		r.URL.RawQuery = query
		w := fs.serve(r)
		if w.Code >= 500 || (w.Code >= 300 && w.Code < 400) {
			t.Fatalf("GET /search?%s: status %d: %.300s\nlog:\n%s", query, w.Code, w.Body.Bytes(), fs.log.String())
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("GET /search?%s: Content-Type %q", query, ct)
		}
	})
}

// partyTypes are the Content-Types a parties upload is sent with, by the fuzzer's choice (an index).
var partyTypes = []string{"application/json", "text/csv", "application/x-ndjson",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/jsonl", "text/plain", ""}

// FuzzPartiesImport posts any body to POST /v1/parties with each Content-Type it accepts (and some it
// refuses), into a real SQLite store; the imported parties are screened against the CSL excerpt at once,
// as an import through the API is. Seeds: the imports of the API documentation and tests.
func FuzzPartiesImport(f *testing.F) {
	for _, s := range []struct {
		ct   int
		body string
	}{
		{0, `[{"id":"C-1","name":"Atlas Sanatgaran","country":"AM","account_manager":"Ada"},{"id":"C-2","name":"Lakeside Bakery GmbH","country":"DE"}]`},
		{0, `{"id":"C-3","name":"Rosneft Trade Ltd","type":"organization"}`},
		{0, `[{"id":"C-4"}]`},
		{0, `[1, "x", null]`},
		{0, `[{"id":"C-5","name":"x"},`},
		{1, "customer_id,company_name,country\nC-6,SME Bank,RU\nC-7,Lakeside Bakery,DE\n"},
		{1, "customer_id,company_name\nC-9,\n"},
		{1, "id;name;date_of_birth\nP-1;Evren Kayakiran;1972\n"},
		{1, "\xef\xbb\xbfid,name\n\"C-8\",\"Academy of Aerospace Solid Propulsion Technology\"\n"},
		{2, "{\"id\":\"J-1\",\"name\":\"TNK Trading International S.A.\"}\n{\"id\":\"J-2\",\"name\":\"I. Ash\"}\n"},
		{2, "{\"id\":\"J-3\"\n"},
		{3, "PK\x03\x04not a workbook"},
		// NUL bytes, which PostgreSQL's text cannot hold (refused with 400 since the security review).
		{0, `[{"id":"N-\u0000","name":"Atlas Sanatgaran"}]`},
		{1, "id,name,notes\nN-2,SME Bank,a\x00b\n"},
		{5, "id,name\nC-1,x\n"},
		{6, ""},
	} {
		f.Add(uint8(s.ct), []byte(s.body), true)
	}
	fs := newFuzzServer(f, true)
	f.Fuzz(func(t *testing.T, ct uint8, body []byte, doScreen bool) {
		r := httptest.NewRequest("POST", fmt.Sprintf("/v1/parties?name=fuzz&screen=%t", doScreen), bytes.NewReader(body))
		if c := partyTypes[int(ct)%len(partyTypes)]; c != "" {
			r.Header.Set("Content-Type", c)
		}
		checkAnswer(t, fs, "POST /v1/parties", fs.serve(r))
	})
}

// FuzzTransition posts any body to POST /v1/alerts/{id}/transitions with any id, on a store whose alerts
// were raised by importing parties that match the CSL excerpt. The alerts move as the fuzzer finds valid
// moves; every answer must still be a success or a 4xx.
func FuzzTransition(f *testing.F) {
	for _, s := range []struct{ id, body string }{
		{"1", `{"to":"under_review","reason":"looking into it"}`},
		{"1", `{"to":"escalated","reason":"same address as the entry","from":"under_review"}`},
		{"2", `{"to":"closed_false_positive","reason":"different company: registered in Germany, no link"}`},
		{"2", `{"to":"closed_true_match","reason":"confirmed","from":"open"}`},
		{"3", `{"to":"open","reason":"reopened for review"}`},
		{"1", `{"to":"","reason":"x"}`},
		{"1", `{"to":"closed","reason":"x"}`},
		{"1", `{"to":"open"}`},
		{"1", `{"to":"open","reason":"x","from":"nope"}`},
		{"1", `{"to":"open","reason":"x","extra":1}`},
		{"999999", `{"to":"under_review","reason":"x"}`},
		{"0", `{}`},
		{"-1", `{}`},
		{"abc", `{"to":"open","reason":"x"}`},
		{"1", `not json`},
		{"1", `{"to":"under_review","reason":"nul \u0000 byte"}`},
		{"1\x00", `{"to":"under_review","reason":"x"}`},
		{"9223372036854775808", `{}`},
	} {
		f.Add(s.id, []byte(s.body))
	}
	fs := newFuzzServer(f, true)
	r := httptest.NewRequest("POST", "/v1/parties?name=fuzz-seed.json", strings.NewReader(
		`[{"id":"F-1","name":"Atlas Sanatgaran"},{"id":"F-2","name":"Rosneft Trade Limited"},{"id":"F-3","name":"SME Bank"}]`))
	r.Header.Set("Content-Type", "application/json")
	if w := fs.serve(r); w.Code != 200 || !strings.Contains(w.Body.String(), `"alerts_created":3`) {
		f.Fatalf("seed import: %d %s", w.Code, w.Body.String())
	}
	f.Fuzz(func(t *testing.T, id string, body []byte) {
		r, err := nethttp.NewRequest("POST", "/v1/alerts/"+url.PathEscape(id)+"/transitions", bytes.NewReader(body))
		if err != nil || path.Clean(r.URL.Path) != r.URL.Path {
			// An id such as ".." makes a path the router redirects to its clean form before any handler
			// runs (TestPathTraversal covers those).
			t.Skip()
		}
		r.Header.Set("Content-Type", "application/json")
		checkAnswer(t, fs, "POST /v1/alerts/"+id+"/transitions", fs.serve(r))
	})
}
