package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/cluster"
)

// serveInProcess runs `serve` on a free loopback port in process with env and args until the test ends
// (then it must exit with status 0), and returns its address and its log.
func serveInProcess(t *testing.T, env map[string]string, args ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	m, _, stderr := testMain(env)
	ready := make(chan string, 1)
	m.Ready = ready
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited with %d: %s", code, stderr.String())
		}
	})
	select {
	case addr := <-ready:
		return addr, stderr
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
		return "", nil
	}
}

// TestServeMonitorsOwnership starts `serve` with ownership data and monitoring: when the data directory
// changes, the server reloads its lists and monitors the parties register, and a party owned 60 % by an SDN
// (the OFAC 50 % rule, in force since 2008) gets an alert on its owner's entry, as `monitor run
// --ownership` gives it.
func TestServeMonitorsOwnership(t *testing.T) {
	old := cluster.ReloadPoll
	cluster.ReloadPoll = 100 * time.Millisecond
	t.Cleanup(func() { cluster.ReloadPoll = old })
	dir := t.TempDir()
	env := map[string]string{"TRADESCREEN_DATA_DIR": dir, "TRADESCREEN_DB": filepath.Join(dir, "tradescreen.db")}
	files := t.TempDir()
	owners := filepath.Join(files, "owners.csv")
	if err := os.WriteFile(owners, []byte("owner,owned,percentage\nBANCO NACIONAL DE CUBA,Havana Example Leasing S.A.,60\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	parties := filepath.Join(files, "parties.csv")
	clusterWriteParties(t, parties, [][2]string{{"P-1", "Havana Example Leasing S.A."}, {"P-2", "Acme Widgets Ltd"}})
	clusterRun(t, env, "parties", "import", parties).cliWant(t, 0)

	_, stderr := serveInProcess(t, env, "--ownership", owners)

	// A change of the data directory (an internal restricted list) makes the server reload and monitor.
	restricted := filepath.Join(files, "restricted.csv")
	if err := os.WriteFile(restricted, []byte("id,name,reason\nR-1,Example Blocked Trading,internal decision\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clusterRun(t, env, "lists", "own", "import", "--list", "restricted", "--as", "a.smith", restricted).cliWant(t, 0)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), `msg="monitoring run"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no monitoring run: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cliContainsAll(t, "the monitoring run's log", stderr.String(), "ownership_hits=1")

	as, _, err := clusterOpen(t, env).Alerts().FindAlerts(context.Background(), tradescreen.AlertFilter{PartyID: "P-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Source != "us_sdn" || !strings.HasPrefix(as[0].MatchedName, "owned 60 % by listed parties") {
		t.Fatalf("alerts of P-1: %+v", as)
	}
}

// TestServeReloadsOwnership changes the ownership file of a running server: the next answers use the new
// data, and a file that cannot be read is logged and the data in use kept.
func TestServeReloadsOwnership(t *testing.T) {
	old := cluster.OwnershipPoll
	cluster.OwnershipPoll = 50 * time.Millisecond
	t.Cleanup(func() { cluster.OwnershipPoll = old })
	owners := filepath.Join(t.TempDir(), "owners.csv")
	write := func(body string) {
		t.Helper()
		// Through a temporary file and a rename, as a data feed would replace it.
		tmp := owners + ".tmp"
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, owners); err != nil {
			t.Fatal(err)
		}
	}
	write("owner,owned,percentage\nBANCO NACIONAL DE CUBA,Havana Example Leasing S.A.,60\n")

	addr, stderr := serveInProcess(t, nil, "--ownership", owners)
	// findings returns the graph parties of the ownership findings for name, once the lists are loaded.
	findings := func(name string) []string {
		t.Helper()
		for i := 0; ; i++ {
			resp, err := http.Get("http://" + addr + "/v1/search?q=" + url.QueryEscape(name))
			if err != nil {
				t.Fatal(err)
			}
			var res struct {
				Ownership []struct {
					Party string `json:"party"`
					Rule  string `json:"rule"`
				} `json:"ownership"`
			}
			err = json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable && i < 600 {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("search %q: %d %v", name, resp.StatusCode, err)
			}
			var out []string
			for _, f := range res.Ownership {
				out = append(out, f.Party+" "+f.Rule)
			}
			return out
		}
	}
	waitLog := func(n int, want string) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); strings.Count(stderr.String(), want) < n; {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in the log: %s", want, stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if f := findings("Havana Example Leasing"); len(f) == 0 || !strings.HasPrefix(f[0], "Havana Example Leasing S.A. ofac_50") {
		t.Fatalf("findings before the change: %q", f)
	}
	if f := findings("Cienfuegos Example Shipping"); len(f) != 0 {
		t.Fatalf("Cienfuegos before the change: %q", f)
	}

	write("owner,owned,percentage\nBANCO NACIONAL DE CUBA,Cienfuegos Example Shipping S.A.,75\n")
	waitLog(1, `msg="ownership data reloaded"`)
	if f := findings("Cienfuegos Example Shipping"); len(f) == 0 || !strings.HasPrefix(f[0], "Cienfuegos Example Shipping S.A. ofac_50") {
		t.Errorf("findings after the change: %q", f)
	}
	if f := findings("Havana Example Leasing"); len(f) != 0 {
		t.Errorf("Havana after the change: %q", f)
	}

	// A broken file: logged, the data in use kept.
	write("owner,owned,percentage\nBANCO NACIONAL DE CUBA,Somewhere S.A.,not a number\n")
	waitLog(1, `msg="ownership data not reloaded: the data in use is kept"`)
	if f := findings("Cienfuegos Example Shipping"); len(f) == 0 {
		t.Errorf("the data in use was dropped after a bad file")
	}
}
