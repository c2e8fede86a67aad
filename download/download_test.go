package download

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/history"
)

const lists = "../testdata/lists/"

func read(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(lists + p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fixture is a local server (127.0.0.1 only) whose handler the test swaps between requests.
type fixture struct {
	srv      *httptest.Server
	handler  atomic.Pointer[http.HandlerFunc]
	requests atomic.Int32
	u        *Updater
	sleeps   []time.Duration
}

func newFixture(t *testing.T, kind, file string) *fixture {
	t.Helper()
	f := &fixture{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		(*f.handler.Load())(w, r)
	}))
	t.Cleanup(f.srv.Close)
	store, err := history.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Feeds = []Feed{{Name: "test", Kind: kind, URL: f.srv.URL + "/" + file, File: file}}
	cfg.Timeout = 2 * time.Second
	cfg.Retries = 2
	cfg.Backoff = 10 * time.Millisecond
	cfg.LoopbackOnly = true
	u, err := NewUpdater(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	u.Sleep = func(ctx context.Context, d time.Duration) error { f.sleeps = append(f.sleeps, d); return nil }
	f.u = u
	return f
}

func (f *fixture) serve(h http.HandlerFunc) { f.handler.Store(&h) }

// serveFile serves b with an ETag and Last-Modified and honours If-None-Match.
func (f *fixture) serveFile(b []byte, ctype string) {
	etag := fmt.Sprintf(`"%x"`, len(b))
	f.serve(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Mon, 29 Oct 2018 10:00:00 GMT")
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	})
}

func (f *fixture) update(t *testing.T) Result {
	t.Helper()
	f.sleeps = nil
	rs, err := f.u.Update(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("Update: %v %v", rs, err)
	}
	return rs[0]
}

func TestUpdateUN(t *testing.T) {
	f := newFixture(t, "un", "consolidated.xml")
	good := read(t, "un/consolidated_2018-10-29.xml.gz")
	f.serveFile(good, "application/xml")
	r := f.update(t)
	if r.Status != Accepted || r.Version == nil || r.Version.ID != 1 || r.Version.Lists["un_sc"] != 1093 || r.Version.Published != "2018-10-29" {
		t.Fatalf("first update: %+v %+v", r, r.Version)
	}
	// The second update sends If-None-Match and gets 304.
	if r := f.update(t); r.Status != Unchanged || r.Reason != "304 Not Modified" {
		t.Fatalf("second update: %+v", r)
	}

	plain := gunzip(t, good)
	broken := []struct {
		name, want string
		h          http.HandlerFunc
	}{
		{"truncated", "does not parse", func(w http.ResponseWriter, r *http.Request) { w.Write(plain[:len(plain)/2]) }},
		{"truncated gzip", "does not parse", func(w http.ResponseWriter, r *http.Request) { w.Write(good[:len(good)-5000]) }},
		{"html error page", "HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!DOCTYPE html><html><body>Service unavailable</body></html>")
		}},
		{"html page without its type", "HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			io.WriteString(w, "<html><body>Maintenance</body></html>")
		}},
		{"empty", "empty file", func(w http.ResponseWriter, r *http.Request) {}},
		{"wrong content type", "HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write(plain)
		}},
		{"another format", "does not parse", func(w http.ResponseWriter, r *http.Request) {
			w.Write(read(t, "csl/consolidated_2025-06_sample.csv"))
		}},
		{"not found", "404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }},
	}
	for _, c := range broken {
		t.Run(c.name, func(t *testing.T) {
			f.serve(c.h)
			r := f.update(t)
			if r.Status != Rejected && r.Status != Failed {
				t.Fatalf("status %s, want rejected or failed: %+v", r.Status, r)
			}
			if !strings.Contains(r.Reason, c.want) || !strings.Contains(r.Reason, "keeping test #1 of 2018-10-29") {
				t.Errorf("reason %q, want %q and the version kept", r.Reason, c.want)
			}
			if vs := f.u.Store.Versions(); len(vs) != 1 {
				t.Errorf("%d versions stored", len(vs))
			}
		})
	}

	// A server error is retried with doubling backoff, then reported.
	f.serve(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	r = f.update(t)
	if r.Status != Failed || r.Attempts != 3 || !strings.Contains(r.Reason, "500") || len(f.sleeps) != 2 || f.sleeps[1] != 2*f.sleeps[0] {
		t.Errorf("500: %+v sleeps %v", r, f.sleeps)
	}
	// A body shorter than its Content-Length is a truncated transfer, retried, then reported.
	f.serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(plain)))
		w.Write(plain[:1000])
	})
	if r := f.update(t); r.Status != Failed || r.Attempts != 3 {
		t.Errorf("short body: %+v", r)
	}
	// A flaky server: 503 once, then the newer file (the 2026 list: fewer entries, within the drop limit).
	n := 0
	newer := read(t, "un/consolidated_2026-02-27.xml.gz")
	f.serve(func(w http.ResponseWriter, r *http.Request) {
		if n++; n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write(newer)
	})
	r = f.update(t)
	if r.Status != Accepted || r.Attempts != 2 || r.Version.ID != 2 || r.Version.Lists["un_sc"] != 1003 {
		t.Fatalf("flaky: %+v", r)
	}
	if !strings.Contains(strings.Join(r.Version.Notes, "\n"), "un_sc: 1003 entries (previous version 1093)") {
		t.Errorf("notes %q", r.Version.Notes)
	}
}

func TestUpdateSlow(t *testing.T) {
	f := newFixture(t, "un", "consolidated.xml")
	f.u.Config.Timeout = 100 * time.Millisecond
	f.u.Client.Timeout = 100 * time.Millisecond
	f.u.Config.Retries = 1
	f.serve(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	r := f.update(t)
	if r.Status != Failed || r.Attempts != 2 || !strings.Contains(r.Reason, "timed out") || !strings.Contains(r.Reason, "no earlier version") {
		t.Errorf("slow: %+v", r)
	}
}

func TestUpdateDropRejected(t *testing.T) {
	f := newFixture(t, "ofac", "sdn.csv")
	f.serveFile(read(t, "ofac/sdn_dated/sdn_2024-05-03.csv.gz"), "text/csv")
	if r := f.update(t); r.Status != Accepted || r.Version.Lists["us_sdn"] != 14965 {
		t.Fatalf("%+v", r)
	}
	// The 2021 file has 9,083 entries: a 39 % drop is taken for a broken download.
	f.serveFile(read(t, "ofac/sdn_dated/sdn_2021-08-18.csv.gz"), "text/csv")
	r := f.update(t)
	if r.Status != Rejected || !strings.Contains(r.Reason, "us_sdn fell from 14965 to 9083 entries (39%, the limit is 20%)") {
		t.Errorf("%+v", r)
	}
	// The same bytes again are not a new version.
	same := read(t, "ofac/sdn_dated/sdn_2024-05-03.csv.gz")
	f.serve(func(w http.ResponseWriter, r *http.Request) { w.Write(same) })
	if r := f.update(t); r.Status != Unchanged || !strings.Contains(r.Reason, "same content as test #1") {
		t.Errorf("same bytes: %+v", r)
	}
}

func TestConfig(t *testing.T) {
	store, _ := history.Open(t.TempDir())
	cfg := DefaultConfig()
	cfg.Feeds = []Feed{{Name: "un", Kind: "un", URL: "http://10.255.255.1/consolidated.xml"}}
	cfg.LoopbackOnly = true
	cfg.Retries = 0
	u, err := NewUpdater(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := u.Update(context.Background())
	if err != nil || rs[0].Status != Failed || !strings.Contains(rs[0].Reason, "only loopback") {
		t.Errorf("non-loopback: %+v %v", rs, err)
	}
	if _, err := u.Update(context.Background(), "nope"); err == nil {
		t.Error("unknown feed accepted")
	}
	for _, bad := range []func(*Config){
		func(c *Config) { c.MaxDrop = 2 },
		func(c *Config) { c.Timeout = 0 },
		func(c *Config) { c.Proxy = "::" },
		func(c *Config) { c.Feeds = []Feed{{Name: "x", URL: "ftp://x/y"}} },
	} {
		c := DefaultConfig()
		bad(&c)
		if c.Validate() == nil {
			t.Errorf("%+v validated", c)
		}
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestResultNotUpdated(t *testing.T) {
	for status, want := range map[string]bool{Accepted: false, Unchanged: false, Skipped: false, Rejected: true, Failed: true} {
		if got := (Result{Status: status}).NotUpdated(); got != want {
			t.Errorf("%s: NotUpdated() = %v, want %v", status, got, want)
		}
	}
}
