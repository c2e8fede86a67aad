package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
)

const healthcheckHelp = `Asks a running server whether it is ready (GET /readyz: the lists are loaded) and exits 0 when it
answers 200, 1 otherwise, printing the answer. Container images without a shell or curl (distroless,
scratch) use it as their HEALTHCHECK. The server's address comes from --url, else from TRADESCREEN_ADDR
(a wildcard host such as 0.0.0.0 is asked on 127.0.0.1), else 127.0.0.1:8080. /readyz needs no API key.`

// healthcheckCommand is `tradescreen healthcheck`.
type healthcheckCommand struct{}

func (c *healthcheckCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "healthcheck", "healthcheck [--url URL] [--timeout D]", healthcheckHelp)
	base := fs.String("url", "", "the server's base URL (default: from TRADESCREEN_ADDR, else http://127.0.0.1:8080)")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	u := *base
	if u == "" {
		u = "http://" + probeAddr(m.Getenv("TRADESCREEN_ADDR"))
	}
	u = strings.TrimSuffix(u, "/") + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return usagef("--url: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return tradescreen.Errorf(tradescreen.EUNAVAILABLE, "GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(m.Stdout, "ready: %s\n", u)
	return nil
}

// probeAddr is the address to ask a server listening on addr: the default one when empty, and loopback in
// place of a wildcard host (0.0.0.0, ::, none).
func probeAddr(addr string) string {
	if addr == "" {
		return "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
