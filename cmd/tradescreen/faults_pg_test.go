package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// faultPostgres is a throwaway PostgreSQL cluster of the test's own, so that the test may stop and start
// it without disturbing other tests.
type faultPostgres struct {
	bin, dir, url string
	port          int
	cred          *syscall.Credential
}

// faultStartPostgres creates and starts a cluster on a free loopback port, or skips (fails when fault tests
// are required) when PostgreSQL's server programs are not installed.
func faultStartPostgres(t *testing.T) *faultPostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		faultSkip(t, "PostgreSQL server programs not installed (/usr/lib/postgresql/*/bin)")
	}
	sort.Strings(bins)
	pg := &faultPostgres{bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "tradescreen-pgfault-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		// initdb refuses to run as root: run the cluster as the postgres user.
		u, err := user.Lookup("postgres")
		if err != nil {
			faultSkip(t, "running as root and no postgres user to run the cluster: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		os.Chmod(dir, 0o755)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pg.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	pg.run(t, "initdb", "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "postgres")
	pg.start(t)
	t.Cleanup(func() { pg.ctl(t, "stop", "-m", "immediate") })
	pg.run(t, "createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(pg.port), "-U", "postgres", "tradescreen")
	pg.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/tradescreen?sslmode=disable", pg.port)
	return pg
}

func (pg *faultPostgres) run(t *testing.T, prog string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(pg.bin, prog), args...)
	cmd.Dir = pg.dir
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
}

func (pg *faultPostgres) ctl(t *testing.T, args ...string) {
	t.Helper()
	pg.run(t, "pg_ctl", append([]string{"-D", filepath.Join(pg.dir, "data"), "-w"}, args...)...)
}

func (pg *faultPostgres) start(t *testing.T) {
	t.Helper()
	pg.ctl(t, "-l", filepath.Join(pg.dir, "log"), "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", pg.port, pg.dir), "start")
}

// TestFaultPostgresRestart stops PostgreSQL for a few seconds under a mixed load of searches and decisions
// and starts it again: requests fail while it is down (quickly, with an error, never a hang), succeed again
// without restarting the server once it is back, and no acknowledged decision is lost or made twice.
func TestFaultPostgresRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a PostgreSQL cluster")
	}
	pg := faultStartPostgres(t)
	bin := cliBuild(t)
	dir := t.TempDir()
	db := "--db=" + pg.url

	alerts := faultAlerts(t, db, 4)

	srv := faultServe(t, bin, append(faultEnv(dir), "TRADESCREEN_DB="+pg.url), "--list", cliSmallList, "--monitor=false")
	client := &http.Client{Timeout: 20 * time.Second}
	type result struct {
		at   time.Time
		code int
	}
	var (
		mu      sync.Mutex
		results []result
		acked   = map[int64]bool{}
		stop    = make(chan struct{})
		wg      sync.WaitGroup
		hung    int
	)
	ids := make(chan int64, len(alerts))
	for _, id := range alerts {
		ids <- id
	}
	close(ids)
	do := func(req *http.Request) int {
		resp, err := client.Do(req)
		if err != nil {
			mu.Lock()
			hung++
			mu.Unlock()
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var code int
				if w%2 == 0 {
					req, _ := http.NewRequest("GET", srv.base+"/v1/search?q=Atlas+Sanatgaran", nil)
					code = do(req)
				} else {
					id, ok := <-ids
					if !ok {
						time.Sleep(10 * time.Millisecond)
						continue
					}
					req, _ := http.NewRequest("POST", fmt.Sprintf("%s/v1/alerts/%d/transitions", srv.base, id),
						strings.NewReader(`{"to":"closed_false_positive","from":"open","reason":"different party"}`))
					req.Header.Set("Content-Type", "application/json")
					code = do(req)
					if code == 200 {
						mu.Lock()
						acked[id] = true
						mu.Unlock()
					}
					time.Sleep(50 * time.Millisecond)
				}
				mu.Lock()
				results = append(results, result{time.Now(), code})
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	pg.ctl(t, "stop", "-m", "fast")
	down := time.Now()
	time.Sleep(2 * time.Second)
	pg.start(t)
	up := time.Now()
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()

	var before, during, recovered, after int
	for _, res := range results {
		switch {
		case res.at.Before(down):
			if res.code == 200 {
				before++
			}
		case res.at.Before(up):
			if res.code != 200 {
				during++
			}
		case res.at.After(up.Add(time.Second)):
			after++
			if res.code == 200 {
				recovered++
			}
		}
	}
	t.Logf("requests: %d ok before the stop, %d failed while down, %d of %d ok from 1 s after the start; %d decisions acknowledged",
		before, during, recovered, after, len(acked))
	if before == 0 || during == 0 {
		t.Fatalf("the load did not span the outage: %d ok before, %d failed during", before, during)
	}
	if hung > 0 {
		t.Errorf("%d requests got no answer within 20 s", hung)
	}
	if after == 0 || recovered != after {
		t.Errorf("after PostgreSQL came back: %d of %d requests ok", recovered, after)
	}
	if !strings.Contains(srv.log.String(), "level=ERROR") {
		t.Errorf("no error logged while the database was down:\n%s", srv.log.String())
	}
	srv.kill()

	for id := range acked {
		r := cliRun(t, "alerts", "show", strconv.FormatInt(id, 10), db)
		r.cliWant(t, 0)
		if !strings.Contains(r.stdout, "closed_false_positive") {
			t.Errorf("alert %d: acknowledged decision lost:\n%s", id, r.stdout)
		}
	}
	cliRun(t, "audit", "verify", db).cliWant(t, 0)
	r := cliRun(t, "audit", "export", "--format", "json", "--action", "alert.decision", db)
	r.cliWant(t, 0)
	perAlert := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var e struct{ Object string }
		json.Unmarshal([]byte(line), &e)
		if e.Object != "" {
			perAlert[e.Object]++
		}
	}
	for obj, k := range perAlert {
		if k != 1 {
			t.Errorf("%s decided %d times", obj, k)
		}
	}
	if len(perAlert) < len(acked) {
		t.Errorf("%d decisions in the audit trail, %d acknowledged", len(perAlert), len(acked))
	}
}
