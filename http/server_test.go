package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	nethttp "net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/auditlog"
	"github.com/tradescreen/tradescreen/history"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/snapshot"
)

// The embedded snapshot is parsed and indexed once per test binary.
var (
	screenerOnce sync.Once
	screener     *screen.Screener
	screenerErr  error
)

func testScreener(t testing.TB) *screen.Screener {
	t.Helper()
	screenerOnce.Do(func() {
		ds, err := snapshot.Load()
		if err != nil {
			screenerErr = err
			return
		}
		screener = screen.New(ds...)
	})
	if screenerErr != nil {
		t.Fatalf("load snapshot: %v", screenerErr)
	}
	return screener
}

// testService returns the screening service a server configured as s is given by serve: audit records
// grouped into s.Store's trail, the allow list and past lists of s.DataDir, and the ownership data an option
// gave the default service.
func testService(t testing.TB, s *tshttp.Server) *screening.Service {
	cfg := screening.Config{Now: s.Now}
	if s.Store != nil {
		rec := auditlog.New(s.Store.Audit())
		t.Cleanup(rec.Close)
		cfg.Recorder = rec
	}
	if s.DataDir != "" {
		cfg.Allow = history.NewAllowSource(s.DataDir)
		cfg.PastLists = screening.Lists{DataDir: s.DataDir}.PastLists()
	} else {
		cfg.PastLists = screening.Lists{}.PastLists()
	}
	svc := screening.New(cfg)
	if g, data := s.Service.Ownership(); g != nil {
		svc.SetOwnership(g, data)
	}
	return svc
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a real server listening on a loopback port.
type testServer struct {
	*tshttp.Server
	URL  string
	Logs *syncBuffer
}

// newTestServer starts a server on 127.0.0.1:0, applies opts before it opens, loads the snapshot and closes
// the server when the test ends.
func newTestServer(t testing.TB, opts ...func(*tshttp.Server)) *testServer {
	t.Helper()
	ts := newUnreadyServer(t, opts...)
	ts.Service.SetLists(testScreener(t))
	return ts
}

// newUnreadyServer is newTestServer without lists loaded.
func newUnreadyServer(t testing.TB, opts ...func(*tshttp.Server)) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	s := tshttp.NewServer()
	s.Addr = "127.0.0.1:0"
	s.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s.Version = "test"
	def := s.Service
	for _, o := range opts {
		o(s)
	}
	if s.Service == def {
		s.Service = testService(t, s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Close(ctx)
	})
	return &testServer{Server: s, URL: s.URL(), Logs: logs}
}

var client = &nethttp.Client{Timeout: 30 * time.Second}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header nethttp.Header
	Body   []byte
}

// do sends a request and reads the whole answer.
func do(t testing.TB, method, url string, body io.Reader, header ...string) *response {
	t.Helper()
	req, err := nethttp.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func get(t testing.TB, url string, header ...string) *response {
	t.Helper()
	return do(t, "GET", url, nil, header...)
}

func postJSON(t testing.TB, url string, body string, header ...string) *response {
	t.Helper()
	return do(t, "POST", url, strings.NewReader(body), append([]string{"Content-Type", "application/json"}, header...)...)
}

// decode unmarshals a JSON body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// wantStatus fails unless the response has the given status.
func (r *response) wantStatus(t testing.TB, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %.500s", r.Status, status, r.Body)
	}
}

// wantError checks an API error response: status, code and a message containing each of msgParts.
func (r *response) wantError(t testing.TB, status int, code string, msgParts ...string) {
	t.Helper()
	r.wantStatus(t, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON", ct)
	}
	var e tshttp.ErrorResponse
	r.decode(t, &e)
	if e.Error.Code != code {
		t.Errorf("code %q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	for _, p := range msgParts {
		if !strings.Contains(e.Error.Message, p) {
			t.Errorf("message %q does not contain %q", e.Error.Message, p)
		}
	}
}

// csrfPattern finds the CSRF token of a page's forms.
var csrfPattern = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]{64})"`)

// formToken loads a UI page (with the given auth header) and returns the headers a form post from it sends:
// its CSRF cookie, and the token to put in the form's csrf_token field.
func formToken(t testing.TB, ts *testServer, path string, header ...string) (cookie []string, token string) {
	t.Helper()
	r := get(t, ts.URL+path, header...)
	m := csrfPattern.FindSubmatch(r.Body)
	if m == nil {
		t.Fatalf("GET %s (%d): no csrf_token field in the page", path, r.Status)
	}
	token = string(m[1])
	var c string
	for _, sc := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, tshttp.CSRFCookie+"=") {
			c, _, _ = strings.Cut(sc, ";")
		}
	}
	if c == "" {
		t.Fatalf("GET %s: no %s cookie set", path, tshttp.CSRFCookie)
	}
	return []string{"Cookie", c}, token
}

// doNoRedirect is do without following a redirect: the 3xx answer itself.
func doNoRedirect(t testing.TB, method, url string, body io.Reader, header ...string) *response {
	t.Helper()
	req, err := nethttp.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &nethttp.Client{Timeout: client.Timeout, CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// multipartFile returns a multipart/form-data body with the CSRF token and, unless name is empty, a file
// field "file", and its Content-Type.
func multipartFile(t testing.TB, token, name, content string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.WriteField("csrf_token", token); err != nil {
		t.Fatal(err)
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(content))
	}
	w.Close()
	return b.String(), w.FormDataContentType()
}
