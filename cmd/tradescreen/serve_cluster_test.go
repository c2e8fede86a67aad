package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/cluster"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/storetest"
)

// clusterPostgres returns the URL of a fresh schema (dropped when the test ends) in the database of
// TRADESCREEN_TEST_POSTGRES_URL; without it the test is skipped, or fails with TRADESCREEN_REQUIRE_POSTGRES=1.
func clusterPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("TRADESCREEN_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("TRADESCREEN_REQUIRE_POSTGRES") == "1" {
			t.Fatal("TRADESCREEN_REQUIRE_POSTGRES=1 but TRADESCREEN_TEST_POSTGRES_URL is not set")
		}
		t.Skip("TRADESCREEN_TEST_POSTGRES_URL is not set")
	}
	return storetest.PostgresSchema(t, base, "ts_cli_")
}

// clusterRun runs the real Main in process with env.
func clusterRun(t *testing.T, env map[string]string, args ...string) cliResult {
	t.Helper()
	m, out, errb := testMain(env)
	code := m.Run(context.Background(), args)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// clusterOpen opens the store the environment names, for checks.
func clusterOpen(t *testing.T, env map[string]string) tradescreen.Store {
	t.Helper()
	s, _, err := openStore(env["TRADESCREEN_DB"], env["TRADESCREEN_DATA_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clusterWriteParties writes a parties CSV (id,name).
func clusterWriteParties(t *testing.T, path string, parties [][2]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"id", "name"})
	for _, p := range parties {
		w.Write([]string{p[0], p[1]})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// clusterUnlisted returns real names of companies that are on no list: SEC filers (testdata/eval).
func clusterUnlisted(t *testing.T, n int) []string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/eval/negatives/sec_company_tickers_2025-08.json")
	if err != nil {
		t.Fatal(err)
	}
	var sec map[string]struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(b, &sec); err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := 0; i < len(sec) && len(out) < n; i++ {
		if s := sec[fmt.Sprint(i)].Title; s != "" {
			out = append(out, s)
		}
	}
	return out
}

// alertKeys returns "party entry" -> number of alerts, and checks each alert has one alert.create record.
func alertKeys(t *testing.T, s tradescreen.Store) map[string]int {
	t.Helper()
	as, _, err := s.Alerts().FindAlerts(context.Background(), tradescreen.AlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	creates, err := s.Audit().FindAuditEvents(context.Background(), tradescreen.AuditFilter{Action: tradescreen.AuditAlertCreate})
	if err != nil {
		t.Fatal(err)
	}
	perAlert := map[string]int{}
	for _, e := range creates {
		perAlert[e.Object]++
	}
	out := map[string]int{}
	for _, a := range as {
		out[a.PartyID+" "+a.Key()]++
		if n := perAlert[fmt.Sprintf("alert/%d", a.ID)]; n != 1 {
			t.Errorf("alert %d (%s %s) has %d alert.create records, want 1", a.ID, a.PartyID, a.Key(), n)
		}
	}
	if len(creates) != len(as) {
		t.Errorf("%d alert.create records for %d alerts", len(creates), len(as))
	}
	return out
}

// TestTwoServersOneDatabase runs two real servers on one database and one data directory. 'lists update'
// stores a newer UN list (the real files of 2018-06-07 and 2018-10-29, from a local mirror): both servers
// reload it on the database's notification, exactly one of them runs monitoring (the other logs that it
// skipped), and the alerts on the new entries are raised once. Then one server's refresh accepts the UN
// list of 2026-02-27: the other is told and reloads, and again one monitoring run happens. Two analysts
// then decide one alert at the same moment from two processes: one decision is recorded, the other is
// refused as a conflict, and the audit trail verifies. On PostgreSQL (LISTEN/NOTIFY, advisory locks) and on SQLite (a notifications table,
// lock files).
func TestTwoServersOneDatabase(t *testing.T) {
	// Only the notification can make the servers reload within the test.
	old := cluster.ReloadPoll
	cluster.ReloadPoll = time.Hour
	t.Cleanup(func() { cluster.ReloadPoll = old })
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		testTwoServers(t, map[string]string{"TRADESCREEN_DATA_DIR": dir, "TRADESCREEN_DB": filepath.Join(dir, "tradescreen.db")})
	})
	t.Run("postgres", func(t *testing.T) {
		db := clusterPostgres(t)
		testTwoServers(t, map[string]string{"TRADESCREEN_DATA_DIR": t.TempDir(), "TRADESCREEN_DB": db})
	})
}

func testTwoServers(t *testing.T, env map[string]string) {
	// A local mirror of the official UN URL: the body lists update downloads, and what server 0's refresh
	// gets (304 Not Modified until the test gives it a file).
	var body, refreshBody atomic.Pointer[[]byte]
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/refresh/") {
			if b := refreshBody.Load(); b != nil {
				w.Write(*b)
				return
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(*body.Load())
	}))
	defer mirror.Close()
	read := func(path string) *[]byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return &b
	}
	const v1, v2, v3 = cliLists + "/un/consolidated_2018-06-07.xml.gz", cliLists + "/un/consolidated_2018-10-29.xml.gz", cliLists + "/un/consolidated_2026-02-27.xml.gz"
	update := func() {
		r := clusterRun(t, env, "lists", "update", "--source", "un="+mirror.URL+"/consolidated.xml", "--backoff", "1ms")
		r.cliWant(t, 0)
	}

	// Parties: those named as the entries the newer list adds, some named as entries of both, and unlisted
	// companies.
	d1, err := source.Open("un", v1)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := source.Open("un", v2)
	if err != nil {
		t.Fatal(err)
	}
	inV1 := map[string]bool{}
	for _, e := range d1.Entries {
		inV1[e.Key()] = true
	}
	var parties [][2]string
	added := map[string]string{} // party id -> the new entry's key
	for _, e := range d2.Entries {
		if !inV1[e.Key()] {
			id := fmt.Sprintf("N-%d", len(added))
			added[id] = e.Key()
			parties = append(parties, [2]string{id, e.Name})
		} else if len(parties) < 40 && e.Kind == tradescreen.KindOrganization {
			parties = append(parties, [2]string{fmt.Sprintf("B-%d", len(parties)), e.Name})
		}
	}
	for i, n := range clusterUnlisted(t, 30) {
		parties = append(parties, [2]string{fmt.Sprintf("S-%d", i), n})
	}
	csvPath := filepath.Join(t.TempDir(), "customers.csv")
	clusterWriteParties(t, csvPath, parties)

	body.Store(read(v1))
	update()
	clusterRun(t, env, "parties", "import", csvPath).cliWant(t, 0)
	clusterRun(t, env, "monitor", "run").cliWant(t, 0)
	store := clusterOpen(t, env)
	before := alertKeys(t, store)

	// Two servers; server 0 refreshes the UN list from the mirror.
	ctx, cancel := context.WithCancel(context.Background())
	type server struct {
		stderr *lockedBuffer
		done   chan int
	}
	var servers []server
	for i := 0; i < 2; i++ {
		senv := map[string]string{}
		for k, v := range env {
			senv[k] = v
		}
		args := []string{"serve", "--addr", "127.0.0.1:0"}
		if i == 0 {
			senv["TRADESCREEN_REFRESH_SOURCES"] = "un=" + mirror.URL + "/refresh/consolidated.xml"
			args = append(args, "--refresh-interval", "300ms")
		}
		m, _, stderr := testMain(senv)
		ready := make(chan string, 1)
		m.Ready = ready
		done := make(chan int, 1)
		go func() { done <- m.Run(ctx, args) }()
		select {
		case <-ready:
		case code := <-done:
			t.Fatalf("server %d exited with %d: %s", i, code, stderr.String())
		}
		servers = append(servers, server{stderr, done})
	}
	defer func() {
		cancel()
		for i, s := range servers {
			if code := <-s.done; code != 0 {
				t.Errorf("server %d exited with %d: %s", i, code, s.stderr.String())
			}
		}
	}()
	// waitLog waits until server i's log holds n lines containing one of wants, and returns the log.
	waitLog := func(i, n int, wants ...string) string {
		t.Helper()
		for {
			logs := servers[i].stderr.String()
			c := 0
			for _, line := range strings.Split(logs, "\n") {
				for _, w := range wants {
					if strings.Contains(line, w) {
						c++
						break
					}
				}
			}
			if c >= n {
				return logs
			}
			select {
			case code := <-servers[i].done:
				t.Fatalf("server %d exited with %d: %s", i, code, logs)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	monitored := func(n int) int {
		t.Helper()
		ran := 0
		for i := range servers {
			logs := waitLog(i, n, `msg="monitoring run"`, `msg="monitoring skipped`)
			ran += strings.Count(logs, `msg="monitoring run"`)
		}
		return ran
	}
	for i := range servers {
		waitLog(i, 1, `msg="lists loaded"`)
	}

	// 'lists update' stores a newer list: both servers are told, reload it, and one monitors.
	body.Store(read(v2))
	update()
	for i := range servers {
		logs := waitLog(i, 1, `msg="lists reloaded"`)
		cliContainsAll(t, fmt.Sprintf("server %d log", i), logs, `reason="notified: lists update on`, "un #2 of 2018-10-29")
	}
	if ran := monitored(1); ran != 1 {
		t.Fatalf("%d servers ran monitoring, want 1:\n%s\n%s", ran, servers[0].stderr.String(), servers[1].stderr.String())
	}
	cliContainsAll(t, "the monitoring run's log", servers[0].stderr.String()+servers[1].stderr.String(), "mode=incremental", "new_entries=11")
	runs, err := store.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditMonitorRun})
	if err != nil || len(runs) != 2 {
		t.Fatalf("monitor.run records: %d (%v), want 2: the first run and one after the reload", len(runs), err)
	}
	after := alertKeys(t, store)
	for k, n := range after {
		if n != 1 {
			t.Errorf("%s: %d alerts", k, n)
		}
	}
	found := 0
	for id, key := range added {
		if after[id+" "+key] == 1 {
			found++
		}
		if before[id+" "+key] != 0 {
			t.Errorf("%s alerted on %s before the entry was listed", id, key)
		}
	}
	if found < len(added)-2 {
		t.Errorf("only %d of the %d parties named as a new entry have an alert on it", found, len(added))
	}

	// Server 0's refresh accepts the next version: it tells server 1, which reloads; one of them monitors.
	refreshBody.Store(read(v3))
	waitLog(0, 1, `msg="list refresh" feed=un status=accepted`)
	logs := waitLog(1, 2, `msg="lists reloaded"`)
	cliContainsAll(t, "server 1 log", logs, `reason="notified: serve `, "un #3 of 2026-02-27")
	if ran := monitored(2); ran != 2 {
		t.Fatalf("%d monitoring runs in all, want 2 (one per list change):\n%s\n%s", ran, servers[0].stderr.String(), servers[1].stderr.String())
	}
	runs, err = store.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditMonitorRun})
	if err != nil || len(runs) != 3 {
		t.Fatalf("monitor.run records: %d (%v), want 3", len(runs), err)
	}
	for k, n := range alertKeys(t, store) {
		if n != 1 {
			t.Errorf("%s: %d alerts", k, n)
		}
	}

	// Two decisions on one alert at once, from two processes.
	list, _, err := store.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{Status: []tradescreen.AlertStatus{tradescreen.AlertOpen}})
	if err != nil || len(list) == 0 {
		t.Fatalf("open alerts: %v %v", list, err)
	}
	id := list[0].ID
	results := make([]cliResult, 2)
	var wg sync.WaitGroup
	for i, args := range [][]string{
		{"alerts", "transition", fmt.Sprint(id), "false_positive", "--as", "anna", "--reason", "different company: registry extract checked"},
		{"alerts", "transition", fmt.Sprint(id), "true_match", "--as", "arno", "--reason", "same company"},
	} {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = clusterRun(t, env, args...) }()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, r := range results {
		switch {
		case r.code == 0:
			ok++
		case r.code == 1 && strings.Contains(r.stderr, "already decided"):
			conflict++
		default:
			t.Errorf("decision: exit %d: %s", r.code, r.stderr)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("%d decisions recorded and %d refused, want 1 and 1: %+v", ok, conflict, results)
	}
	a, err := store.Alerts().FindAlertByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(a.Transitions); n != 2 || !a.Transitions[1].IsDecision() {
		t.Fatalf("transitions of alert %d: %+v", id, a.Transitions)
	}
	clusterRun(t, env, "audit", "verify").cliWant(t, 0)
}

// TestMonitorKilled builds the real binary, starts 'monitor run' over 2,000 parties (real list names and
// real unlisted company names), kills it with SIGKILL while it stores alerts, and runs it again: the
// alerts are then those of an uninterrupted run on a fresh database, each raised once (one alert.create
// record each), the lock the killed run held is free, and the audit trail verifies.
func TestMonitorKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tmp := t.TempDir()
	bin := cliBuild(t)
	// Real names from the embedded CSL file and real unlisted companies.
	ds, err := source.Open("csl", cliLists+"/csl/consolidated_2022-05-16.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	var parties [][2]string
	for i := 0; i < len(ds.Entries) && len(parties) < 1200; i += 8 {
		parties = append(parties, [2]string{fmt.Sprintf("L-%05d", i), ds.Entries[i].Name})
	}
	for i, n := range clusterUnlisted(t, 800) {
		parties = append(parties, [2]string{fmt.Sprintf("U-%05d", i), n})
	}
	csvPath := filepath.Join(tmp, "parties.csv")
	clusterWriteParties(t, csvPath, parties)

	run := func(env map[string]string, args ...string) cliResult {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = clusterEnv(env)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		code := 0
		if err := cmd.Run(); err != nil {
			code = -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
		}
		return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
	}

	// The uninterrupted run, on a fresh SQLite database.
	clean := map[string]string{"TRADESCREEN_DATA_DIR": filepath.Join(tmp, "clean")}
	run(clean, "parties", "import", csvPath).cliWant(t, 0)
	run(clean, "monitor", "run").cliWant(t, 0)
	want := alertKeys(t, clusterOpen(t, clean))
	if len(want) < 1200 {
		t.Fatalf("the uninterrupted run raised %d alerts: too few parties with hits to interrupt", len(want))
	}

	check := func(t *testing.T, env map[string]string) {
		run(env, "parties", "import", csvPath).cliWant(t, 0)
		cmd := exec.Command(bin, "monitor", "run", "--progress")
		cmd.Env = clusterEnv(env)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it once it has stored the alerts of the first parties.
		sc := bufio.NewScanner(stderr)
		var seen []string
		for sc.Scan() {
			seen = append(seen, sc.Text())
			if strings.HasPrefix(sc.Text(), "monitor: alerts stored for") {
				break
			}
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		go io.Copy(io.Discard, stderr)
		cmd.Wait()
		if !strings.HasPrefix(seen[len(seen)-1], "monitor: alerts stored for") {
			t.Fatalf("the run ended before storing alerts: %s", strings.Join(seen, "\n"))
		}
		s := clusterOpen(t, env)
		partial := alertKeys(t, s)
		runs, err := s.Audit().FindAuditEvents(context.Background(), tradescreen.AuditFilter{Action: tradescreen.AuditMonitorRun})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 0 || len(partial) == 0 || len(partial) >= len(want) {
			t.Fatalf("after the kill: %d of %d alerts stored and %d runs recorded: the run was not killed part way", len(partial), len(want), len(runs))
		}
		t.Logf("killed after %q with %d of %d alerts stored", seen[len(seen)-1], len(partial), len(want))

		// The lock died with the process: the next run goes ahead at once, and completes.
		r := run(env, "monitor", "run")
		r.cliWant(t, 0)
		got := alertKeys(t, s)
		var lost, extra []string
		for k, n := range got {
			if n != 1 {
				t.Errorf("%s: %d alerts", k, n)
			}
			if want[k] == 0 {
				extra = append(extra, k)
			}
		}
		for k := range want {
			if got[k] == 0 {
				lost = append(lost, k)
			}
		}
		sort.Strings(lost)
		sort.Strings(extra)
		if len(lost) > 0 || len(extra) > 0 {
			t.Fatalf("after the second run: %d alerts lost %v, %d not raised by an uninterrupted run %v", len(lost), lost, len(extra), extra)
		}
		if !strings.Contains(r.stdout, fmt.Sprintf("%d alerts created", len(want)-len(partial))) {
			t.Errorf("second run: want %d alerts created:\n%s", len(want)-len(partial), r.stdout)
		}
		run(env, "audit", "verify").cliWant(t, 0)
	}
	t.Run("sqlite", func(t *testing.T) {
		check(t, map[string]string{"TRADESCREEN_DATA_DIR": filepath.Join(tmp, "killed")})
	})
	t.Run("postgres", func(t *testing.T) {
		db := clusterPostgres(t)
		check(t, map[string]string{"TRADESCREEN_DATA_DIR": filepath.Join(tmp, "killed-pg"), "TRADESCREEN_DB": db})
	})
}

// clusterEnv is the environment of a child process: PATH and HOME, and env.
func clusterEnv(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "USER=test"}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}
