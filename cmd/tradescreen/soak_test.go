package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen/evaluate"
	"github.com/tradescreen/tradescreen/snapshot"
)

// The soak test: the real `tradescreen serve` binary on loopback, with a database, under a mixed workload at a
// fixed request rate for a bounded time, sampling the server's resident memory and live heap. It fails on any failed
// request, on a lost or duplicated record, on a broken audit trail and on memory growth; it reports latency
// but does not fail on it. It is skipped unless -soak.duration is given (docs/performance.md, "Soak"):
//
//	go test ./cmd/tradescreen -run TestSoak -soak.duration=10m -soak.rate=40 -v -timeout 0

var (
	soakDuration   = flag.Duration("soak.duration", 0, "run TestSoak for this long after the warm-up (0 skips it), e.g. 20s or 10m")
	soakRate       = flag.Float64("soak.rate", 40, "TestSoak: GET /v1/search and POST /v1/screen requests per second, scheduled at fixed times whether or not earlier ones have been answered")
	soakWarmup     = flag.Duration("soak.warmup", 30*time.Second, "TestSoak: run the workload this long before measuring (latency and memory growth exclude it)")
	soakBatchEvery = flag.Duration("soak.batch-every", time.Minute, "TestSoak: submit a batch job (POST /v1/batch) at this interval and poll it to completion")
	soakBatchRows  = flag.Int("soak.batch-rows", 3000, "TestSoak: rows per batch job")
	soakPartyEvery = flag.Duration("soak.party-every", 2*time.Second, "TestSoak: import 4 parties (POST /v1/parties) at this interval, then review and decide every alert they raise")
	soakSample     = flag.Duration("soak.sample", 0, "TestSoak: sample the server's resident memory (VmRSS) and live heap (from its GC trace) at this interval (default 5s, or a twentieth of a shorter -soak.duration, at least 1s)")
	soakGrowth     = flag.Float64("soak.growth", 0.10, "TestSoak: fail when the median resident memory, or live heap, of the measured window's last third exceeds its first third's by more than this fraction")
	soakBin        = flag.String("soak.bin", "", "TestSoak: run this tradescreen binary instead of building one")
	soakStore      = flag.String("soak.store", "sqlite", "TestSoak: the server's database: sqlite (a file in the temporary data directory) or postgres (a new schema of TRADESCREEN_TEST_POSTGRES_URL, dropped afterwards)")
)

// Request kinds, in report order.
const (
	soakSearch     = "GET /v1/search"
	soakScreen     = "POST /v1/screen"
	soakImport     = "POST /v1/parties"
	soakAlerts     = "GET /v1/alerts?party="
	soakAlert      = "GET /v1/alerts/{id}"
	soakReview     = "POST /v1/alerts/{id}/transitions (review)"
	soakDecide     = "POST /v1/alerts/{id}/transitions (close)"
	soakBatch      = "POST /v1/batch"
	soakBatchPoll  = "GET /v1/batch/{id}"
	soakBatchRes   = "GET /v1/batch/{id}/results"
	soakBatchWhole = "batch job, upload to done"
)

var soakKinds = []string{soakSearch, soakScreen, soakImport, soakAlerts, soakAlert, soakReview, soakDecide,
	soakBatch, soakBatchPoll, soakBatchRes, soakBatchWhole}

// soakQuery is a name to screen and where it comes from: listed (a list name as written), variation (a list
// name misspelt, shortened, re-ordered, lower-cased or without punctuation) or unlisted (a real name on no list).
type soakQuery struct {
	class, name, typ string
}

// soakNames holds the names of the workload.
type soakNames struct {
	listed   []string // list names (primary names and aliases, Latin script)
	primary  []string // primary names of organizations, for parties that raise alerts
	unlisted []soakQuery
}

// soakLoadNames reads the list names from the embedded snapshot (the lists the server loads) and the real
// names on no list from testdata/eval/negatives: SEC EDGAR issuers and Nobel laureates.
func soakLoadNames(t *testing.T) *soakNames {
	t.Helper()
	ds, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := &soakNames{}
	for _, d := range ds {
		for i := range d.Entries {
			e := &d.Entries[i]
			for j, nm := range e.AllNames() {
				if nm.Script != "" || utf8.RuneCountInString(nm.Full) < 6 || len(nm.Full) > 120 || strings.ContainsAny(nm.Full, "\"\n") {
					continue
				}
				n.listed = append(n.listed, nm.Full)
				if j == 0 && e.Kind == "organization" && len(strings.Fields(nm.Full)) >= 2 {
					n.primary = append(n.primary, nm.Full)
				}
			}
		}
	}
	for _, name := range clusterUnlisted(t, math.MaxInt) {
		n.unlisted = append(n.unlisted, soakQuery{"unlisted", name, "organization"})
	}
	rows := cliReadCSV(t, "../../testdata/eval/negatives/nobel_laureates_clean_2019.csv")
	for _, r := range rows[1:] {
		if r[0] != "" {
			n.unlisted = append(n.unlisted, soakQuery{"unlisted", r[0], "person"})
		}
	}
	sort.Strings(n.listed)
	sort.Strings(n.primary)
	sort.Slice(n.unlisted, func(i, j int) bool { return n.unlisted[i].name < n.unlisted[j].name })
	if len(n.listed) < 1000 || len(n.primary) < 100 || len(n.unlisted) < 1000 {
		t.Fatalf("too few names: %d listed, %d primary, %d unlisted", len(n.listed), len(n.primary), len(n.unlisted))
	}
	return n
}

// query returns the i-th query of the mix: a third each listed, variation and unlisted.
func (n *soakNames) query(rng *rand.Rand, i int) soakQuery {
	switch i % 3 {
	case 0:
		return soakQuery{"listed", n.listed[rng.IntN(len(n.listed))], ""}
	case 1:
		return soakQuery{"variation", evaluate.QuickVariant(rng, n.listed[rng.IntN(len(n.listed))]), ""}
	}
	return n.unlisted[rng.IntN(len(n.unlisted))]
}

// soakStats collects what the workload saw. Latencies count from the time a request was scheduled to the
// end of its answer's body, so waiting for a connection or a slot is included; only requests scheduled in the
// measured window are kept. Errors are counted in every phase.
type soakStats struct {
	mu        sync.Mutex
	lat       map[string][]time.Duration
	errs      map[string]int
	errSample []string
	ok        map[string]int // successful requests of each kind, warm-up included
	inflight  atomic.Int64
	maxFlight atomic.Int64
	from, to  time.Time
}

func (s *soakStats) record(kind string, scheduled time.Time, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs[kind]++
		if len(s.errSample) < 20 {
			s.errSample = append(s.errSample, fmt.Sprintf("%s at +%s: %v", kind, scheduled.Sub(s.from).Round(time.Millisecond), err))
		}
		return
	}
	s.ok[kind]++
	if !scheduled.Before(s.from) && scheduled.Before(s.to) {
		s.lat[kind] = append(s.lat[kind], d)
	}
}

// soakWorkload drives one server.
type soakWorkload struct {
	base    string
	hc      *http.Client
	names   *soakNames
	stats   *soakStats
	sem     chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	imports int                                        // party imports acknowledged
	parties int                                        // parties acknowledged as created
	alerts  map[int64]string                           // every alert found on an imported party: its final status
	reviews int                                        // review transitions acknowledged
	decided map[int64]string                           // decisions acknowledged, by alert
	batches []string                                   // batch jobs done and checked
	rows    int                                        // batch result rows checked
	matched map[string]*struct{ queries, matched int } // search and screen answers with matches, by class
}

// call sends a request and returns the status and body. A transport error is returned as the error.
func (w *soakWorkload) call(method, path, ctype string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, w.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := w.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// expect sends a request, checks the status and decodes the JSON answer into v (when not nil).
func (w *soakWorkload) expect(want int, v any, method, path, ctype string, body []byte) error {
	code, b, err := w.call(method, path, ctype, body)
	if err != nil {
		return err
	}
	if code != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.200s", method, path, code, want, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("%s %s: %v: %.200s", method, path, err, b)
		}
	}
	return nil
}

// timed runs f as a request of kind scheduled at sched and records it.
func (w *soakWorkload) timed(kind string, sched time.Time, f func() error) error {
	err := f()
	w.stats.record(kind, sched, time.Since(sched), err)
	return err
}

// dispatch runs f in its own goroutine once a slot is free: the schedule never waits for an answer.
func (w *soakWorkload) dispatch(f func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.sem <- struct{}{}
		n := w.stats.inflight.Add(1)
		for {
			m := w.stats.maxFlight.Load()
			if n <= m || w.stats.maxFlight.CompareAndSwap(m, n) {
				break
			}
		}
		defer func() { w.stats.inflight.Add(-1); <-w.sem }()
		f()
	}()
}

// every calls f(k, scheduled time) at start+k*interval until stop; a late tick is not skipped but sent at once.
func (w *soakWorkload) every(start, stop time.Time, interval time.Duration, f func(k int, at time.Time)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for k := 0; ; k++ {
			at := start.Add(time.Duration(k) * interval)
			if !at.Before(stop) {
				return
			}
			if d := time.Until(at); d > 0 {
				time.Sleep(d)
			}
			f(k, at)
		}
	}()
}

// screenOne sends query i of the mix by GET /v1/search (even i) or POST /v1/screen (odd i) and checks that
// the answer has a list of matches.
func (w *soakWorkload) screenOne(rng *rand.Rand, i int, at time.Time) {
	q := w.names.query(rng, i/2)
	kind, method, path, ctype, body := soakSearch, "GET", "/v1/search?q="+url.QueryEscape(q.name), "", []byte(nil)
	if i%2 == 1 {
		p := map[string]string{"name": q.name}
		if q.typ != "" {
			p["type"] = q.typ
		}
		body, _ = json.Marshal(p)
		kind, method, path, ctype = soakScreen, "POST", "/v1/screen", "application/json"
	}
	w.dispatch(func() {
		var res struct {
			Matches []json.RawMessage `json:"matches"`
		}
		err := w.timed(kind, at, func() error {
			if err := w.expect(200, &res, method, path, ctype, body); err != nil {
				return err
			}
			if res.Matches == nil {
				return fmt.Errorf("%s %s: answer without matches", method, path)
			}
			return nil
		})
		if err != nil {
			return
		}
		w.mu.Lock()
		m := w.matched[q.class]
		m.queries++
		if len(res.Matches) > 0 {
			m.matched++
		}
		w.mu.Unlock()
	})
}

// partyRound imports four new parties (two listed organizations, a listed name varied, a real name on no
// list), then, as an analyst would, lists the alerts of each, opens each alert, puts it under review and
// closes it as a true match or a false positive, each with a reason.
func (w *soakWorkload) partyRound(rng *rand.Rand, k int, at time.Time) {
	type party struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Type string `json:"type,omitempty"`
	}
	u := w.names.unlisted[rng.IntN(len(w.names.unlisted))]
	ps := []party{
		{fmt.Sprintf("S-%d-a", k), w.names.primary[rng.IntN(len(w.names.primary))], "organization"},
		{fmt.Sprintf("S-%d-b", k), w.names.primary[rng.IntN(len(w.names.primary))], ""},
		{fmt.Sprintf("S-%d-c", k), evaluate.QuickVariant(rng, w.names.primary[rng.IntN(len(w.names.primary))]), ""},
		{fmt.Sprintf("S-%d-d", k), u.name, u.typ},
	}
	body, _ := json.Marshal(ps)
	w.dispatch(func() {
		var res struct {
			Created       int `json:"created"`
			Screened      int `json:"screened"`
			AlertsCreated int `json:"alerts_created"`
		}
		err := w.timed(soakImport, at, func() error {
			if err := w.expect(200, &res, "POST", fmt.Sprintf("/v1/parties?name=soak-%d.json", k), "application/json", body); err != nil {
				return err
			}
			if res.Created != len(ps) || res.Screened != len(ps) {
				return fmt.Errorf("import %d: created %d, screened %d, want %d", k, res.Created, res.Screened, len(ps))
			}
			return nil
		})
		if err != nil {
			return
		}
		w.mu.Lock()
		w.imports++
		w.parties += len(ps)
		w.mu.Unlock()
		found := 0
		for _, p := range ps {
			var list struct {
				Alerts []struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
				} `json:"alerts"`
			}
			if w.timed(soakAlerts, time.Now(), func() error {
				return w.expect(200, &list, "GET", "/v1/alerts?limit=1000&party="+url.QueryEscape(p.ID), "", nil)
			}) != nil {
				continue
			}
			for _, a := range list.Alerts {
				found++
				w.mu.Lock()
				w.alerts[a.ID] = a.Status
				w.mu.Unlock()
				w.decide(a.ID, a.Status)
			}
		}
		if found != res.AlertsCreated {
			w.stats.record(soakAlerts, at, 0, fmt.Errorf("import %d: %d alerts raised, %d found", k, res.AlertsCreated, found))
		}
	})
}

// decide reviews and closes one open alert.
func (w *soakWorkload) decide(id int64, status string) {
	if status != "open" {
		w.stats.record(soakAlert, time.Now(), 0, fmt.Errorf("alert %d of a new party is %s, want open", id, status))
		return
	}
	path := fmt.Sprintf("/v1/alerts/%d", id)
	if w.timed(soakAlert, time.Now(), func() error { return w.expect(200, nil, "GET", path, "", nil) }) != nil {
		return
	}
	move := func(from, to, reason string) error {
		b, _ := json.Marshal(map[string]string{"from": from, "to": to, "reason": reason})
		var res struct {
			Status string `json:"status"`
		}
		if err := w.expect(200, &res, "POST", path+"/transitions", "application/json", b); err != nil {
			return err
		}
		if res.Status != to {
			return fmt.Errorf("alert %d moved to %q, want %q", id, res.Status, to)
		}
		return nil
	}
	if w.timed(soakReview, time.Now(), func() error {
		return move("open", "under_review", "soak: comparing registration number and address with the listing")
	}) != nil {
		return
	}
	w.mu.Lock()
	w.reviews++
	w.alerts[id] = "under_review"
	w.mu.Unlock()
	to, reason := "closed_false_positive", "soak: different party, other registration number and country"
	if id%3 == 0 {
		to, reason = "closed_true_match", "soak: same party, the listed registration number matches; order blocked"
	}
	if w.timed(soakDecide, time.Now(), func() error { return move("under_review", to, reason) }) != nil {
		return
	}
	w.mu.Lock()
	w.decided[id] = to
	w.alerts[id] = to
	w.mu.Unlock()
}

// batchRound submits a batch job of real names (SEC issuers, every 20th row a list name), polls it every
// half second until it is done, downloads the JSON Lines results and checks that every row is there once,
// in input order.
func (w *soakWorkload) batchRound(rng *rand.Rand, k int, at time.Time) {
	rows := *soakBatchRows
	var in bytes.Buffer
	cw := csv.NewWriter(&in)
	cw.Write([]string{"id", "name", "country"})
	for i := range rows {
		name := w.names.unlisted[rng.IntN(len(w.names.unlisted))].name
		if i%20 == 7 {
			name = w.names.listed[rng.IntN(len(w.names.listed))]
		}
		cw.Write([]string{fmt.Sprintf("B%d-%05d", k, i), name, ""})
	}
	cw.Flush()
	w.dispatch(func() {
		var job struct {
			ID       string `json:"id"`
			State    string `json:"state"`
			RowsDone int    `json:"rows_done"`
			Error    string `json:"error"`
		}
		if w.timed(soakBatch, at, func() error {
			return w.expect(202, &job, "POST", fmt.Sprintf("/v1/batch?name=soak-%d.csv", k), "text/csv", in.Bytes())
		}) != nil {
			return
		}
		for job.State != "done" {
			if job.State == "failed" {
				w.stats.record(soakBatchWhole, at, 0, fmt.Errorf("batch job %s failed: %s", job.ID, job.Error))
				return
			}
			time.Sleep(500 * time.Millisecond)
			if w.timed(soakBatchPoll, time.Now(), func() error {
				return w.expect(200, &job, "GET", "/v1/batch/"+job.ID, "", nil)
			}) != nil {
				return
			}
		}
		var lines [][]byte
		if w.timed(soakBatchRes, time.Now(), func() error {
			code, b, err := w.call("GET", "/v1/batch/"+job.ID+"/results?format=jsonl", "", nil)
			if err != nil {
				return err
			}
			if code != 200 {
				return fmt.Errorf("results of %s: status %d: %.200s", job.ID, code, b)
			}
			lines = bytes.Split(bytes.TrimSpace(b), []byte("\n"))
			return nil
		}) != nil {
			return
		}
		err := func() error {
			if len(lines) != rows || job.RowsDone != rows {
				return fmt.Errorf("batch job %s: %d result rows, rows_done %d, want %d", job.ID, len(lines), job.RowsDone, rows)
			}
			for i, line := range lines {
				var r struct {
					ID string `json:"id"`
				}
				if err := json.Unmarshal(line, &r); err != nil || r.ID != fmt.Sprintf("B%d-%05d", k, i) {
					return fmt.Errorf("batch job %s row %d: %v %.80s", job.ID, i, err, line)
				}
			}
			return nil
		}()
		w.stats.record(soakBatchWhole, at, time.Since(at), err)
		if err == nil {
			w.mu.Lock()
			w.batches = append(w.batches, job.ID)
			w.rows += len(lines)
			w.mu.Unlock()
		}
	})
}

// soakMem is one sample of the server's memory.
type soakMem struct {
	at         time.Duration // since the measured window started (negative in the warm-up)
	rss, hwm   int64         // VmRSS and VmHWM, kB
	gcs        int           // garbage collections so far
	live, goal int64         // live heap after the last collection and the heap goal, MB
	requests   int           // requests answered so far
}

// soakReadRSS reads VmRSS and VmHWM (kB) of a process from /proc/PID/status.
func soakReadRSS(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			hwm = n
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, hwm, nil
}

// soakServer is a running `tradescreen serve` process whose standard error is read as it comes: the request
// log, error lines and the Go runtime's garbage-collector trace (GODEBUG=gctrace=1), which gives the live
// heap after each collection.
type soakServer struct {
	cmd  *exec.Cmd
	base string
	done chan struct{}

	mu     sync.Mutex
	tail   []string // the last lines, for failure messages
	errors int      // lines logged at level ERROR
	gcs    int      // collections so far
	live   int64    // heap after the last collection, MB
	goal   int64    // heap goal after the last collection, MB
}

var (
	soakListening = regexp.MustCompile(`msg=listening url=(http://127\.0\.0\.1:\d+)`)
	soakGCTrace   = regexp.MustCompile(`^gc \d+ .* (\d+)->(\d+)->(\d+) MB, (\d+) MB goal`)
)

// soakServe starts `bin serve` on a free loopback port with env and args and waits until its lists are loaded.
func soakServe(t *testing.T, bin string, env []string, args ...string) *soakServer {
	t.Helper()
	s := &soakServer{done: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Env = append(env, "GODEBUG=gctrace=1")
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout = io.Discard
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			if m := soakGCTrace.FindStringSubmatch(line); m != nil {
				s.gcs++
				s.live, _ = strconv.ParseInt(m[3], 10, 64)
				s.goal, _ = strconv.ParseInt(m[4], 10, 64)
			} else {
				if strings.Contains(line, "level=ERROR") {
					s.errors++
				}
				s.tail = append(s.tail, line)
				if len(s.tail) > 40 {
					s.tail = s.tail[len(s.tail)-20:]
				}
			}
			s.mu.Unlock()
			if m := soakListening.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		s.cmd.Wait()
	}()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
	select {
	case s.base = <-addr:
	case <-s.done:
		t.Fatalf("serve exited:\n%s", s.logTail())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not listen:\n%s", s.logTail())
	}
	waitReady(t, s.base)
	return s
}

// logTail returns the last lines the server logged (without the collector's trace).
func (s *soakServer) logTail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.tail, "\n")
}

// heap returns the collections so far and the live heap and heap goal after the last one (MB).
func (s *soakServer) heap() (gcs int, live, goal int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gcs, s.live, s.goal
}

// soakMedian returns the median of xs (0 for none).
func soakMedian(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int64(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// soakDB returns the --db argument of the server: a SQLite file in dir, or a new PostgreSQL schema.
func soakDB(t *testing.T, dir string) string {
	t.Helper()
	switch *soakStore {
	case "sqlite":
		return filepath.Join(dir, "tradescreen.db")
	case "postgres":
	default:
		t.Fatalf("-soak.store %q: want sqlite or postgres", *soakStore)
	}
	base := os.Getenv("TRADESCREEN_TEST_POSTGRES_URL")
	if base == "" {
		t.Fatal("-soak.store=postgres needs TRADESCREEN_TEST_POSTGRES_URL")
	}
	// A fresh schema, dropped when the test ends, as the other PostgreSQL tests of the command use.
	return clusterPostgres(t)
}

// soakAudit exports the records of one action with the binary and calls f with each record's object and
// details.
func soakAudit(t *testing.T, bin string, env []string, db, action string, f func(object, details string)) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(bin, "audit", "export", "--format", "json", "--action", action, "-o", out, "--db", db)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("audit export --action %s: %v\n%s", action, err, b)
	}
	file, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e struct {
			Action  string `json:"action"`
			Object  string `json:"object"`
			Details string `json:"details"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit export: %v: %.200s", err, sc.Text())
		}
		if e.Action != action {
			t.Fatalf("audit export --action %s gave a %s record", action, e.Action)
		}
		f(e.Object, e.Details)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// soakAuditCount counts the records of one action by object.
func soakAuditCount(t *testing.T, bin string, env []string, db, action string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	soakAudit(t, bin, env, db, action, func(object, _ string) { counts[object]++ })
	return counts
}

// TestSoak runs the real `tradescreen serve` with a database for -soak.warmup plus -soak.duration under a
// mixed workload: GET /v1/search and POST /v1/screen at -soak.rate per second (list names, variations of
// them, real names on no list), scheduled at fixed times (open loop); a batch job every -soak.batch-every,
// polled to completion and its results checked; and every -soak.party-every an import of four parties whose
// alerts are then reviewed and decided with reasons. It samples the server's VmRSS and live heap every
// -soak.sample and reports, per request kind, the count, errors, p50, p99 and max, and memory over time. It
// fails on any failed request, on memory growth beyond -soak.growth, when the audit trail does not verify,
// and when a screening, party, decision or batch row acknowledged to the client is missing or doubled in the
// database.
func TestSoak(t *testing.T) {
	if *soakDuration <= 0 {
		t.Skip("soak test: set -soak.duration (e.g. go test ./cmd/tradescreen -run TestSoak -soak.duration=20s -v)")
	}
	if *soakRate <= 0 || *soakBatchRows < 1 || *soakBatchEvery <= 0 || *soakPartyEvery <= 0 || *soakSample < 0 || *soakWarmup < 0 {
		t.Fatal("-soak.rate, -soak.batch-rows, -soak.batch-every and -soak.party-every must be positive, -soak.sample and -soak.warmup not negative")
	}
	sample := *soakSample
	if sample == 0 {
		sample = min(5*time.Second, max(time.Second, *soakDuration/20))
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc to read the server's memory from")
	}
	bin := *soakBin
	if bin == "" {
		bin = cliBuild(t)
	}
	names := soakLoadNames(t)
	dir := t.TempDir()
	db := soakDB(t, dir)
	env := []string{"HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"), "USER=tester", "TRADESCREEN_DATA_DIR=" + dir}
	if v := os.Getenv("TRADESCREEN_BATCH_CPUS"); v != "" {
		env = append(env, "TRADESCREEN_BATCH_CPUS="+v) // to compare how batch jobs share the CPUs
	}
	loadBefore := soakLoadAverage()
	srv := soakServe(t, bin, env, "--db", db)
	pid := srv.cmd.Process.Pid
	rssReady, _, err := soakReadRSS(pid)
	if err != nil {
		t.Fatal(err)
	}

	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}
	defer tr.CloseIdleConnections()
	start := time.Now().Add(100 * time.Millisecond)
	measureAt := start.Add(*soakWarmup)
	stopAt := measureAt.Add(*soakDuration)
	w := &soakWorkload{
		base: srv.base, names: names,
		hc: &http.Client{Transport: tr, Timeout: 2 * time.Minute},
		stats: &soakStats{lat: map[string][]time.Duration{}, errs: map[string]int{}, ok: map[string]int{},
			from: measureAt, to: stopAt},
		sem:     make(chan struct{}, 256),
		alerts:  map[int64]string{},
		decided: map[int64]string{},
		matched: map[string]*struct{ queries, matched int }{"listed": {}, "variation": {}, "unlisted": {}},
	}

	// Memory, every -soak.sample until the workload has drained.
	var (
		memMu   sync.Mutex
		mem     []soakMem
		memDone = make(chan struct{})
		memStop = make(chan struct{})
	)
	go func() {
		defer close(memDone)
		tick := time.NewTicker(sample)
		defer tick.Stop()
		for {
			rss, hwm, err := soakReadRSS(pid)
			if err == nil {
				w.stats.mu.Lock()
				n := 0
				for _, c := range w.stats.ok {
					n += c
				}
				w.stats.mu.Unlock()
				s := soakMem{at: time.Since(measureAt), rss: rss, hwm: hwm, requests: n}
				s.gcs, s.live, s.goal = srv.heap()
				memMu.Lock()
				mem = append(mem, s)
				memMu.Unlock()
			}
			select {
			case <-memStop:
				return
			case <-tick.C:
			}
		}
	}()

	// The schedules: each stream has its own random source, so the names are the same from run to run.
	interval := time.Duration(float64(time.Second) / *soakRate)
	rngScreen := rand.New(rand.NewPCG(1, 1))
	w.every(start, stopAt, interval, func(k int, at time.Time) { w.screenOne(rngScreen, k, at) })
	rngParty := rand.New(rand.NewPCG(2, 2))
	w.every(start.Add(*soakPartyEvery/2), stopAt, *soakPartyEvery, func(k int, at time.Time) { w.partyRound(rngParty, k, at) })
	rngBatch := rand.New(rand.NewPCG(3, 3))
	w.every(start.Add(min(*soakBatchEvery/2, *soakWarmup+*soakDuration/4)), stopAt, *soakBatchEvery,
		func(k int, at time.Time) { w.batchRound(rngBatch, k, at) })
	w.wg.Wait()
	drained := max(0, time.Since(stopAt))
	close(memStop)
	<-memDone
	loadAfter := soakLoadAverage()

	// What the server holds, asked while it runs.
	var counts struct {
		Total  int            `json:"total"`
		Counts map[string]int `json:"counts"`
	}
	if err := w.expect(200, &counts, "GET", "/v1/alerts?limit=1", "", nil); err != nil {
		t.Fatal(err)
	}
	var parties struct {
		Total int `json:"total"`
	}
	if err := w.expect(200, &parties, "GET", "/v1/parties?limit=1", "", nil); err != nil {
		t.Fatal(err)
	}
	var verify struct {
		OK      bool   `json:"ok"`
		Events  int64  `json:"events"`
		Problem string `json:"problem"`
	}
	if err := w.expect(200, &verify, "GET", "/v1/audit/verify", "", nil); err != nil {
		t.Fatal(err)
	}
	rssEnd, hwmEnd, _ := soakReadRSS(pid)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not stop on SIGTERM:\n%s", srv.logTail())
	}
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("serve exited with status %d after SIGTERM", code)
	}
	srv.mu.Lock()
	logErrors := srv.errors
	srv.mu.Unlock()

	// The report.
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	var rep strings.Builder
	fmt.Fprintf(&rep, "soak: %s measured after %s warm-up, store %s, %.0f search+screen requests/s scheduled, a %d-row batch job every %s, 4 parties every %s\n",
		*soakDuration, *soakWarmup, *soakStore, *soakRate, *soakBatchRows, *soakBatchEvery, *soakPartyEvery)
	fmt.Fprintf(&rep, "machine: %d CPUs (%s), GOMAXPROCS %d; load average before %s, after %s; drained %s after the end; at most %d requests in flight\n",
		runtime.NumCPU(), cpuModelName(), runtime.GOMAXPROCS(0), loadBefore, loadAfter, drained.Round(time.Millisecond), w.stats.maxFlight.Load())
	fmt.Fprintf(&rep, "\n| request | count | errors | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n")
	totalErrs := 0
	for _, k := range soakKinds {
		l := w.stats.lat[k]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		totalErrs += w.stats.errs[k]
		if len(l) == 0 {
			fmt.Fprintf(&rep, "| %s | 0 | %d | | | |\n", k, w.stats.errs[k])
			continue
		}
		fmt.Fprintf(&rep, "| %s | %d | %d | %s | %s | %s |\n", k, len(l), w.stats.errs[k],
			ms(l[len(l)/2]), ms(l[min(len(l)-1, len(l)*99/100)]), ms(l[len(l)-1]))
	}
	nSearch := len(w.stats.lat[soakSearch]) + len(w.stats.lat[soakScreen])
	fmt.Fprintf(&rep, "\nsearch+screen scheduled in the window and answered: %d, %.1f/s over the window and the drain (scheduled %.0f/s)\n", nSearch,
		float64(nSearch)/(*soakDuration+drained).Seconds(), *soakRate)
	for _, c := range []string{"listed", "variation", "unlisted"} {
		m := w.matched[c]
		fmt.Fprintf(&rep, "  %-9s %6d answers, %5.1f%% with matches\n", c, m.queries, 100*float64(m.matched)/float64(max(m.queries, 1)))
	}
	fmt.Fprintf(&rep, "parties imported %d, alerts raised %d (%d reviewed, %d decided), batch jobs %d with %d rows\n",
		w.parties, len(w.alerts), w.reviews, len(w.decided), len(w.batches), w.rows)

	// Memory over time: per minute (or per tenth of a shorter run), and the first and last thirds.
	bucket := time.Minute
	if *soakDuration < 5*time.Minute {
		bucket = (*soakDuration/10 + sample - 1) / sample * sample
	}
	fmt.Fprintf(&rep, "\nresident memory after loading the lists: %d MB; at the end %d MB, peak (VmHWM) %d MB\n", rssReady/1024, rssEnd/1024, hwmEnd/1024)
	fmt.Fprintf(&rep, "\n| from | samples | RSS median MB | RSS min MB | RSS max MB | live heap MB | GCs | requests answered |\n|---|---|---|---|---|---|---|---|\n")
	// The growth check compares the measured window's first and last thirds: resident memory, and the live
	// heap after collection from the collector's trace.
	var windowRSS, windowLive []int64
	type row struct {
		label      string
		rss, live  []int64
		gcs, reqs  int
		gc0, reqs0 int
	}
	var rows []*row
	prev := soakMem{}
	for _, s := range mem {
		label := "warm-up"
		switch {
		case s.at >= *soakDuration:
			label = "drain"
		case s.at >= 0:
			label = "+" + (s.at / bucket * bucket).String()
		}
		if len(rows) == 0 || rows[len(rows)-1].label != label {
			rows = append(rows, &row{label: label, gc0: prev.gcs, reqs0: prev.requests})
		}
		r := rows[len(rows)-1]
		r.rss = append(r.rss, s.rss)
		if s.gcs > 0 {
			r.live = append(r.live, s.live)
		}
		r.gcs, r.reqs = s.gcs, s.requests
		if s.at >= 0 && s.at < *soakDuration {
			windowRSS = append(windowRSS, s.rss)
			if s.gcs > 0 {
				windowLive = append(windowLive, s.live)
			}
		}
		prev = s
	}
	for _, r := range rows {
		lo, hi := r.rss[0], r.rss[0]
		for _, x := range r.rss {
			lo, hi = min(lo, x), max(hi, x)
		}
		fmt.Fprintf(&rep, "| %s | %d | %d | %d | %d | %d | %d | %d |\n", r.label, len(r.rss), soakMedian(r.rss)/1024, lo/1024, hi/1024,
			soakMedian(r.live), r.gcs-r.gc0, r.reqs-r.reqs0)
	}
	thirds := func(xs []int64) (first, last int64) {
		return soakMedian(xs[:len(xs)/3]), soakMedian(xs[len(xs)-len(xs)/3:])
	}
	grown := func(first, last int64) bool { return float64(last) > float64(first)*(1+*soakGrowth) }
	var rssFirst, rssLast, liveFirst, liveLast int64
	if len(windowRSS) >= 6 {
		rssFirst, rssLast = thirds(windowRSS)
		fmt.Fprintf(&rep, "\nRSS median, first third of the window %d MB, last third %d MB: %+.1f%% (tolerance %+.0f%%)\n",
			rssFirst/1024, rssLast/1024, 100*(float64(rssLast)/float64(rssFirst)-1), 100**soakGrowth)
	}
	if len(windowLive) >= 6 {
		liveFirst, liveLast = thirds(windowLive)
		fmt.Fprintf(&rep, "live heap after GC (gctrace) median, first third %d MB, last third %d MB: %+.1f%% (tolerance %+.0f%%)\n",
			liveFirst, liveLast, 100*(float64(liveLast)/float64(max(liveFirst, 1))-1), 100**soakGrowth)
	}

	// What was acknowledged against what the database holds.
	fmt.Fprintf(&rep, "\nserver log: %d ERROR lines; audit trail (GET /v1/audit/verify): ok %v, %d records\n", logErrors, verify.OK, verify.Events)
	t.Log("\n" + rep.String())
	if totalErrs > 0 {
		t.Errorf("%d requests failed; the first:\n  %s", totalErrs, strings.Join(w.stats.errSample, "\n  "))
	}
	switch {
	case len(windowRSS) < 6:
		t.Errorf("only %d memory samples in the measured window: run longer or sample more often (-soak.sample)", len(windowRSS))
	case grown(rssFirst, rssLast):
		t.Errorf("resident memory grew from %d MB to %d MB (median of the first and last thirds), more than %.0f%%", rssFirst/1024, rssLast/1024, 100**soakGrowth)
	case len(windowLive) < 6:
		t.Errorf("only %d garbage-collector traces in the measured window", len(windowLive))
	case grown(liveFirst, liveLast):
		t.Errorf("live heap grew from %d MB to %d MB (median of the first and last thirds), more than %.0f%%", liveFirst, liveLast, 100**soakGrowth)
	}
	if logErrors > 0 {
		t.Errorf("the server logged %d errors", logErrors)
	}
	if !verify.OK {
		t.Errorf("audit trail does not verify: %s", verify.Problem)
	}
	if parties.Total != w.parties {
		t.Errorf("%d parties stored, %d imports acknowledged", parties.Total, w.parties)
	}
	closed, open := counts.Counts["closed_true_match"]+counts.Counts["closed_false_positive"], 0
	for st, n := range counts.Counts {
		if st != "closed_true_match" && st != "closed_false_positive" {
			open += n
		}
	}
	if closed != len(w.decided) || open != len(w.alerts)-len(w.decided) {
		t.Errorf("alerts: %v stored; %d raised, %d decisions acknowledged", counts.Counts, len(w.alerts), len(w.decided))
	}
	if len(w.decided) == 0 || len(w.batches) == 0 || w.parties == 0 {
		t.Errorf("the workload did too little: %d decisions, %d batch jobs, %d parties", len(w.decided), len(w.batches), w.parties)
	}

	// The database itself, read by the binary after the server stopped.
	cmd := exec.Command(bin, "audit", "verify", "--db", db)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("audit verify: %v\n%s", err, b)
	} else {
		t.Logf("audit verify: %s", strings.TrimSpace(string(b)))
	}
	check := func(action, what string, want int, objects map[string]int, wantPerObject int) {
		t.Helper()
		n := 0
		for obj, c := range objects {
			n += c
			if wantPerObject > 0 && c != wantPerObject {
				t.Errorf("audit %s: %s recorded %d times, want %d", action, obj, c, wantPerObject)
			}
		}
		t.Logf("audit %-16s %7d records, %7d %s acknowledged", action, n, want, what)
		if n != want {
			t.Errorf("audit %s: %d records, %d %s acknowledged", action, n, want, what)
		}
	}
	screens := soakAuditCount(t, bin, env, db, "screen")
	check("screen", "searches and screenings", w.stats.ok[soakSearch]+w.stats.ok[soakScreen],
		map[string]int{"screening": screens["screening"]}, 0)
	decisions := soakAuditCount(t, bin, env, db, "alert.decision")
	check("alert.decision", "decisions", len(w.decided), decisions, 1)
	for id := range w.decided {
		if decisions[fmt.Sprintf("alert/%d", id)] != 1 {
			t.Errorf("decision on alert %d acknowledged but not in the audit trail", id)
		}
	}
	check("alert.transition", "reviews", w.reviews, soakAuditCount(t, bin, env, db, "alert.transition"), 1)
	// An import is one record, with the number of parties it created.
	imports, created := 0, 0
	soakAudit(t, bin, env, db, "party.import", func(_, details string) {
		var d struct {
			Created int `json:"created"`
		}
		if err := json.Unmarshal([]byte(details), &d); err != nil {
			t.Errorf("party.import details: %v: %s", err, details)
		}
		imports++
		created += d.Created
	})
	t.Logf("audit %-16s %7d records creating %d parties; %d imports, %d parties acknowledged", "party.import", imports, created, w.imports, w.parties)
	if imports != w.imports || created != w.parties {
		t.Errorf("audit party.import: %d records creating %d parties; %d imports of %d parties acknowledged", imports, created, w.imports, w.parties)
	}
	// A batch job is recorded when accepted and when done.
	check("screen.batch", "batch jobs x 2", 2*len(w.batches), soakAuditCount(t, bin, env, db, "screen.batch"), 2)
}

// soakLoadAverage returns the 1-, 5- and 15-minute load averages of the machine.
func soakLoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// cpuModelName returns the CPU model from /proc/cpuinfo, or "unknown".
func cpuModelName() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
