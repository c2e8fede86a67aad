package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Kill tests: the real binary is killed with SIGKILL in the middle of decisions and of a list update, then
// started again; nothing acknowledged may be lost, nothing may be done twice, and the audit trail verifies.

// faultServer is a running `tradescreen serve` process.
type faultServer struct {
	cmd  *exec.Cmd
	base string
	log  *lockedBuffer
	done chan struct{}
}

var faultListening = regexp.MustCompile(`msg=listening url=(http://127\.0\.0\.1:\d+)`)

// faultServe starts the binary's serve with args and waits until it is ready.
func faultServe(t *testing.T, bin string, env []string, args ...string) *faultServer {
	t.Helper()
	s := &faultServer{log: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Env = env
	pr, pw := io.Pipe()
	s.cmd.Stderr = pw
	s.cmd.Stdout = io.Discard
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			s.log.Write([]byte(line + "\n"))
			if m := faultListening.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { s.cmd.Wait(); pw.Close(); close(s.done) }()
	t.Cleanup(func() { s.kill() })
	select {
	case s.base = <-addr:
	case <-s.done:
		t.Fatalf("serve exited: %s", s.log.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not listen: %s", s.log.String())
	}
	waitReady(t, s.base)
	return s
}

// kill sends SIGKILL and waits for the process to end.
func (s *faultServer) kill() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
	}
	<-s.done
}

// call sends a JSON request and returns the status and body (status 0 when the connection failed).
func (s *faultServer) call(method, path, body string) (int, []byte) {
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// faultEnv is a minimal environment for the binary.
func faultEnv(dataDir string) []string {
	return []string{"HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"), "TRADESCREEN_DATA_DIR=" + dataDir, "USER=tester"}
}

// TestFaultKillDuringDecisions closes alerts through the API from four clients, kills the server with
// SIGKILL in the middle, restarts it and checks that every acknowledged decision is stored, that every
// alert has at most one decision and that the audit trail verifies; the decisions that were not
// acknowledged then succeed once.
func TestFaultKillDuringDecisions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := cliBuild(t)
	dir := t.TempDir()
	db := "--db=" + filepath.Join(dir, "tradescreen.db")

	alerts := faultAlerts(t, db, 3)
	if len(alerts) < 20 {
		t.Fatalf("only %d alerts to decide", len(alerts))
	}

	srv := faultServe(t, bin, faultEnv(dir), "--list", cliSmallList, "--monitor=false")
	ids := make(chan int64, len(alerts))
	for _, id := range alerts {
		ids <- id
	}
	close(ids)
	var (
		mu    sync.Mutex
		acked = map[int64]bool{}
		count atomic.Int32
		wg    sync.WaitGroup
	)
	killed := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				code, _ := srv.call("POST", fmt.Sprintf("/v1/alerts/%d/transitions", id),
					`{"to":"closed_false_positive","from":"open","reason":"different party: other registration number"}`)
				if code == 200 {
					mu.Lock()
					acked[id] = true
					mu.Unlock()
					if count.Add(1) == 8 {
						close(killed)
					}
				}
				select {
				case <-srv.done:
					return
				default:
				}
			}
		}()
	}
	<-killed
	srv.kill()
	wg.Wait()
	if len(acked) == len(alerts) {
		t.Fatal("every decision was acknowledged before the kill: nothing was interrupted")
	}

	srv = faultServe(t, bin, faultEnv(dir), "--list", cliSmallList, "--monitor=false")
	decided := 0
	for _, id := range alerts {
		code, body := srv.call("GET", fmt.Sprintf("/v1/alerts/%d", id), "")
		if code != 200 {
			t.Fatalf("alert %d after the restart: %d %s", id, code, body)
		}
		var got struct {
			Alert struct {
				Status      string            `json:"status"`
				Transitions []faultTransition `json:"transitions"`
			} `json:"alert"`
			Status      string            `json:"status"`
			Transitions []faultTransition `json:"transitions"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		status, all := got.Status, got.Transitions
		if status == "" {
			status, all = got.Alert.Status, got.Alert.Transitions
		}
		// The transitions after the alert was raised.
		var trans []faultTransition
		for _, tr := range all {
			if tr.From != "" {
				trans = append(trans, tr)
			}
		}
		switch {
		case acked[id] && status != "closed_false_positive":
			t.Errorf("alert %d: acknowledged decision lost: status %s", id, status)
		case status == "closed_false_positive" && len(trans) != 1:
			t.Errorf("alert %d: %d transitions, want 1", id, len(trans))
		case status == "open" && len(trans) != 0:
			t.Errorf("alert %d: open with %d transitions", id, len(trans))
		}
		if status == "closed_false_positive" {
			decided++
			continue
		}
		// Decide what the kill interrupted: it succeeds once.
		if code, body := srv.call("POST", fmt.Sprintf("/v1/alerts/%d/transitions", id),
			`{"to":"closed_false_positive","from":"open","reason":"different party: other registration number"}`); code != 200 {
			t.Errorf("deciding alert %d after the restart: %d %s", id, code, body)
		}
	}
	t.Logf("%d alerts, %d decisions acknowledged before the kill, %d stored", len(alerts), len(acked), decided)
	srv.kill()
	cliRun(t, "audit", "verify", db).cliWant(t, 0)
	r := cliRun(t, "audit", "export", "--format", "json", "--action", "alert.decision", db)
	r.cliWant(t, 0)
	perAlert := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var e struct{ Object string }
		json.Unmarshal([]byte(line), &e)
		perAlert[e.Object]++
	}
	if len(perAlert) != len(alerts) {
		t.Errorf("%d alerts with a decision in the audit trail, want %d", len(perAlert), len(alerts))
	}
	for obj, k := range perAlert {
		if k != 1 {
			t.Errorf("%s decided %d times in the audit trail", obj, k)
		}
	}
}

// TestFaultKillDuringListUpdate kills the server while its scheduled refresh is downloading a list from a
// mirror that sends slowly. After a restart the server serves the lists it had, the data directory holds
// no partial version, and the next refresh stores the list once.
func TestFaultKillDuringListUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads the default lists")
	}
	bin := cliBuild(t)
	dir := t.TempDir()
	body, err := os.ReadFile(cliLists + "/un/consolidated_2018-06-07.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	var slow atomic.Bool
	slow.Store(true)
	half := make(chan struct{})
	var halfOnce sync.Once
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slow.Load() {
			w.Write(body)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		for i := 0; i < len(body); i += 4096 {
			if i >= len(body)/2 {
				halfOnce.Do(func() { close(half) })
			}
			if _, err := w.Write(body[i:min(i+4096, len(body))]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	}))
	defer mirror.Close()
	src := "un=" + mirror.URL + "/consolidated.xml"

	srv := faultServe(t, bin, faultEnv(dir), "--refresh-interval", "1s", "--monitor=false")
	code, before := srv.call("GET", "/v1/lists", "")
	if code != 200 {
		t.Fatalf("lists: %d", code)
	}
	srv.kill()

	srv = faultServe(t, bin, append(faultEnv(dir), "TRADESCREEN_REFRESH_SOURCES="+src), "--refresh-interval", "1s", "--monitor=false")
	select {
	case <-half:
	case <-time.After(2 * time.Minute):
		t.Fatalf("the refresh did not start downloading: %s", srv.log.String())
	}
	srv.kill()

	// Restarted without a refresh: the same lists as before, and no version stored.
	srv = faultServe(t, bin, faultEnv(dir), "--monitor=false")
	code, after := srv.call("GET", "/v1/lists", "")
	if code != 200 {
		t.Fatalf("lists after the kill: %d", code)
	}
	if !bytes.Equal(faultListDates(t, before), faultListDates(t, after)) {
		t.Errorf("lists changed by a killed download:\nbefore %s\nafter  %s", faultListDates(t, before), faultListDates(t, after))
	}
	srv.kill()
	r := cliRun(t, "lists", "history", "--data-dir", dir)
	r.cliWant(t, 0)
	if strings.Contains(r.stdout, "#1 ") {
		t.Errorf("a killed download left a version:\n%s", r.stdout)
	}

	// The next refresh, on a mirror that answers at once, stores the list once.
	slow.Store(false)
	srv = faultServe(t, bin, append(faultEnv(dir), "TRADESCREEN_REFRESH_SOURCES="+src), "--refresh-interval", "1s", "--monitor=false")
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(srv.log.String(), "lists reloaded") {
		if time.Now().After(deadline) {
			t.Fatalf("no reload after the refresh: %s", srv.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	srv.kill()
	r = cliRun(t, "lists", "history", "--data-dir", dir)
	r.cliWant(t, 0)
	if strings.Count(r.stdout, "2018-06-07") != 1 {
		t.Errorf("history after the good refresh:\n%s", r.stdout)
	}
}

// faultTransition is one move of an alert as GET /v1/alerts/{id} answers it.
type faultTransition struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// faultListDates reduces a /v1/lists answer to its sources, dates and entry counts.
func faultListDates(t *testing.T, body []byte) []byte {
	t.Helper()
	var v struct {
		Lists []struct {
			Source    string `json:"source"`
			Published string `json:"published"`
			Entries   int    `json:"entries"`
		} `json:"lists"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("lists: %v: %s", err, body)
	}
	b, _ := json.Marshal(v.Lists)
	return b
}

// TestFaultKillDuringBatchJob kills the server while a batch job runs; after a restart the job runs again
// and its results hold every input row exactly once, in input order.
func TestFaultKillDuringBatchJob(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := cliBuild(t)
	dir := t.TempDir()
	const rows = 60000
	var in strings.Builder
	in.WriteString("id,name\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&in, "R%d,Atlas Sanatgaran Trading Company %d\n", i, i)
	}
	srv := faultServe(t, bin, faultEnv(dir), "--list", cliSmallList, "--monitor=false")
	req, _ := http.NewRequest("POST", srv.base+"/v1/batch?name=customers.csv", strings.NewReader(in.String()))
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var job struct {
		ID       string `json:"id"`
		State    string `json:"state"`
		RowsDone int    `json:"rows_done"`
	}
	json.NewDecoder(resp.Body).Decode(&job)
	resp.Body.Close()
	if resp.StatusCode != 202 || job.ID == "" {
		t.Fatalf("create job: %d %+v", resp.StatusCode, job)
	}
	poll := func() {
		t.Helper()
		code, body := srv.call("GET", "/v1/batch/"+job.ID, "")
		if code != 200 {
			t.Fatalf("job: %d %s", code, body)
		}
		if err := json.Unmarshal(body, &job); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Minute)
	for poll(); job.State != "running" || job.RowsDone == 0; poll() {
		if job.State == "done" || time.Now().After(deadline) {
			t.Fatalf("the job was not caught running: %+v", job)
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.kill()
	t.Logf("killed at %d of %d rows", job.RowsDone, rows)

	srv = faultServe(t, bin, faultEnv(dir), "--list", cliSmallList, "--monitor=false")
	deadline = time.Now().Add(5 * time.Minute)
	for poll(); job.State != "done"; poll() {
		if job.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("the job did not finish after the restart: %+v", job)
		}
		time.Sleep(50 * time.Millisecond)
	}
	code, body := srv.call("GET", "/v1/batch/"+job.ID+"/results?format=jsonl", "")
	if code != 200 {
		t.Fatalf("results: %d", code)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != rows {
		t.Fatalf("%d result rows, want %d", len(lines), rows)
	}
	for i, line := range lines {
		var row struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil || row.ID != fmt.Sprintf("R%d", i) {
			t.Fatalf("result row %d: %v %.80s", i, err, line)
		}
	}
}

// faultAlerts imports copies parties named as each real entry of the small CSL excerpt into the database of
// db (a --db=... flag), runs monitoring so that each raises an alert, and returns the alerts' ids.
func faultAlerts(t *testing.T, db string, copies int) []int64 {
	t.Helper()
	rows := cliReadCSV(t, cliLists+"/csl/consolidated_2025-06_sample.csv")
	var parties strings.Builder
	parties.WriteString("id,name\n")
	for i, rec := range rows[1:] {
		name := strings.TrimSpace(strings.Split(rec[5], ";")[0])
		if name == "" || strings.ContainsAny(name, "\",") {
			continue
		}
		for c := 0; c < copies; c++ {
			fmt.Fprintf(&parties, "P-%d-%c,%s\n", i, 'a'+c, name)
		}
	}
	file := cliWriteFile(t, t.TempDir(), "parties.csv", []byte(parties.String()))
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)
	cliRun(t, "monitor", "run", "--list", cliSmallList, db).cliWant(t, 0)
	r := cliRun(t, "alerts", "list", "--json", db)
	r.cliWant(t, 0)
	var list struct {
		Alerts []struct {
			ID int64 `json:"id"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(list.Alerts))
	for i, a := range list.Alerts {
		ids[i] = a.ID
	}
	return ids
}
