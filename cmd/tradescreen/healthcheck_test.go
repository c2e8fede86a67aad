package main

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/snapshot"
)

// TestHealthcheck runs `tradescreen healthcheck` against a server that is not ready yet (no lists: 503), one
// that is ready, and an address nobody listens on.
func TestHealthcheck(t *testing.T) {
	unready := httptest.NewServer(tshttp.NewServer().Handler())
	defer unready.Close()
	m, stdout, stderr := testMain(nil)
	if code := m.Run(context.Background(), []string{"healthcheck", "--url", unready.URL}); code != 1 || !strings.Contains(stderr.String(), "503") || stdout.String() != "" {
		// A probe that fails says so on standard error only: "ready" on standard output is for a ready server.
		t.Errorf("unready server: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}

	ready := tshttp.NewServer()
	ds, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	ready.Service.SetLists(screen.New(ds...))
	srv := httptest.NewServer(ready.Handler())
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	// A server listening on every interface is asked on loopback.
	m, stdout, stderr = testMain(map[string]string{"TRADESCREEN_ADDR": "0.0.0.0:" + port})
	if code := m.Run(context.Background(), []string{"healthcheck"}); code != 0 || !strings.Contains(stdout.String(), "ready: http://127.0.0.1:"+port+"/readyz") {
		t.Errorf("ready server: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	m, _, stderr = testMain(nil)
	if code := m.Run(context.Background(), []string{"healthcheck", "--url", "http://" + closed}); code != 1 || !strings.Contains(stderr.String(), "refused") {
		t.Errorf("nobody listening: exit %d, stderr %q", code, stderr.String())
	}
	m, _, _ = testMain(nil)
	if code := m.Run(context.Background(), []string{"healthcheck", "extra"}); code != 2 {
		t.Errorf("extra argument: exit %d, want 2", code)
	}
}

func TestProbeAddr(t *testing.T) {
	for in, want := range map[string]string{"": "127.0.0.1:8080", "0.0.0.0:9000": "127.0.0.1:9000", "[::]:8080": "127.0.0.1:8080",
		":8080": "127.0.0.1:8080", "10.1.2.3:8080": "10.1.2.3:8080", "localhost:8081": "localhost:8081"} {
		if got := probeAddr(in); got != want {
			t.Errorf("probeAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
