package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lockedBuffer collects a command's output from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testMain returns a Main with captured output and the given environment.
func testMain(env map[string]string) (*Main, *lockedBuffer, *lockedBuffer) {
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	return &Main{
		Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut,
		Getenv: func(k string) string { return env[k] },
	}, out, errOut
}

// TestServe runs the real `tradescreen serve` on port 0: /healthz answers at once, /readyz turns 200 when
// the lists are loaded, a search works, and cancelling the context shuts the server down with status 0.
func TestServe(t *testing.T) {
	m, _, stderr := testMain(nil)
	ready := make(chan string, 1)
	m.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()

	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not report its address")
	}
	base := "http://" + addr
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if resp.StatusCode != 503 {
			t.Fatalf("readyz status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatal("lists not loaded within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}

	resp, err = http.Get(base + "/v1/search?q=Hikvision")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Matches []struct{ Source string } `json:"matches"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(res.Matches) == 0 || res.Matches[0].Source != "us_el" {
		t.Errorf("search: %+v", res)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	logs := stderr.String()
	for _, want := range []string{"msg=listening", `msg="lists loaded"`, "route=\"GET /v1/search\"", "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "Hikvision") {
		t.Error("the screened name is logged although log_names is off")
	}
}

func TestServeRefusesNonLoopbackWithoutKey(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "0.0.0.0:0"},
		{"serve", "--addr", ":8080"},
	} {
		m, _, stderr := testMain(nil)
		if code := m.Run(context.Background(), args); code != 1 {
			t.Errorf("%q: exit %d, want 1", args, code)
		}
		if !strings.Contains(stderr.String(), "api_key: required when addr") || !strings.Contains(stderr.String(), "TRADESCREEN_API_KEY_FILE") {
			t.Errorf("%q: message %q", args, stderr.String())
		}
	}
	// The environment counts too.
	m, _, stderr := testMain(map[string]string{"TRADESCREEN_ADDR": "0.0.0.0:0"})
	if code := m.Run(context.Background(), []string{"serve"}); code != 1 || !strings.Contains(stderr.String(), "api_key") {
		t.Errorf("TRADESCREEN_ADDR=0.0.0.0:0: exit %d: %s", code, stderr.String())
	}
}

func TestServePrintConfig(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("s3cret-key-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "tradescreen.json")
	if err := os.WriteFile(cfgFile, []byte(`{"addr": "127.0.0.1:9000", "max_list_age": "7d", "log_format": "json"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	m, out, stderr := testMain(map[string]string{
		"TRADESCREEN_CONFIG":       cfgFile,
		"TRADESCREEN_API_KEY_FILE": keyFile,
		"TRADESCREEN_ADDR":         "0.0.0.0:9001",
		"TRADESCREEN_LOG_NAMES":    "true",
	})
	if code := m.Run(context.Background(), []string{"serve", "--print-config", "--max-list-age", "45d"}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(out.String()), &cfg); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	want := map[string]any{
		"addr": "0.0.0.0:9001", "api_key": "REDACTED", "api_key_file": keyFile, "log_names": true,
		"log_format": "json", "stale_list_age": "45d", "log_level": "info",
	}
	// max_list_age, read from the file, is printed under its new name stale_list_age (serve --max-list-age
	// sets it too).
	if _, old := cfg["max_list_age"]; old {
		t.Errorf("max_list_age printed: %s", out.String())
	}
	for k, v := range want {
		if cfg[k] != v {
			t.Errorf("%s = %v, want %v", k, cfg[k], v)
		}
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Error("the API key is printed")
	}
	// Both former names are reported on standard error, each saying what refuses instead.
	for _, w := range []string{cfgFile + ": max_list_age is deprecated", "warning: --max-list-age is deprecated on serve"} {
		if !strings.Contains(stderr.String(), w) || !strings.Contains(stderr.String(), "refuse") {
			t.Errorf("stderr lacks %q: %s", w, stderr.String())
		}
	}
}

// TestServeListAgeAndIntervals: --stale-list-age and --refuse-list-age set the two ages (no warning), and
// integrity_interval, job_lease and job_poll are read from the file; a lease too short is refused.
func TestServeListAgeAndIntervals(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "tradescreen.json")
	if err := os.WriteFile(cfgFile, []byte(`{"integrity_interval": "2m", "job_lease": "45s", "job_poll": "2s", "job_chunk_rows": 2000}`), 0o600); err != nil {
		t.Fatal(err)
	}
	m, out, stderr := testMain(map[string]string{"TRADESCREEN_CONFIG": cfgFile})
	if code := m.Run(context.Background(), []string{"serve", "--print-config", "--stale-list-age", "3d", "--refuse-list-age", "30d"}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(out.String()), &cfg); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	want := map[string]any{"stale_list_age": "3d", "refuse_list_age": "30d", "integrity_interval": "2m0s", "job_lease": "45s", "job_poll": "2s", "job_chunk_rows": float64(2000)}
	for k, v := range want {
		if cfg[k] != v {
			t.Errorf("%s = %v, want %v", k, cfg[k], v)
		}
	}
	if stderr.String() != "" {
		t.Errorf("warnings for current names: %s", stderr.String())
	}
	m, _, stderr = testMain(map[string]string{"TRADESCREEN_JOB_LEASE": "1s"})
	if code := m.Run(context.Background(), []string{"serve", "--print-config"}); code == 0 || !strings.Contains(stderr.String(), "job_lease") {
		t.Errorf("job lease 1s: exit %d %s", code, stderr.String())
	}
}

func TestServeUsage(t *testing.T) {
	m, _, _ := testMain(nil)
	if code := m.Run(context.Background(), []string{"serve", "extra"}); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	m, _, stderr := testMain(nil)
	if code := m.Run(context.Background(), []string{"serve", "--max-list-age", "soon"}); code != 2 || !strings.Contains(stderr.String(), "max-list-age") {
		t.Errorf("bad --max-list-age: exit %d %s", code, stderr.String())
	}
	m, _, stderr = testMain(nil)
	if code := m.Run(context.Background(), []string{"serve", "--help"}); code != 0 || !strings.Contains(stderr.String(), "TRADESCREEN_API_KEY_FILE") {
		t.Errorf("--help: exit %d %s", code, stderr.String())
	}
}

func TestServeListLoadFailure(t *testing.T) {
	m, _, stderr := testMain(nil)
	ready := make(chan string, 1)
	m.Ready = ready
	code := m.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--list", "csl=" + filepath.Join(t.TempDir(), "missing.csv")})
	if code != 1 || !strings.Contains(stderr.String(), "missing.csv") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}

// waitReady polls /readyz until the lists are loaded.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("lists not loaded within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// unPublished returns the publication date of the loaded un_sc list.
func unPublished(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/v1/lists")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/v1/lists: %d", resp.StatusCode)
	}
	var res struct {
		Lists []struct{ Source, Published, Origin string } `json:"lists"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Lists {
		if l.Source == "un_sc" {
			return l.Published
		}
	}
	return ""
}

// TestServeRefresh serves the real UN list of 2018-10-29 from a local server (loopback only) and runs
// `tradescreen serve` with a short refresh interval: the download is accepted, stored in the data directory
// and swapped in while the server keeps answering; the next refresh finds the same file and changes nothing.
func TestServeRefresh(t *testing.T) {
	un, err := os.ReadFile("../../testdata/lists/un/consolidated_2018-10-29.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int32
	lists := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		w.Write(un)
	}))
	defer lists.Close()

	dir := t.TempDir()
	m, _, stderr := testMain(map[string]string{"TRADESCREEN_REFRESH_SOURCES": "un=" + lists.URL + "/consolidated.xml"})
	ready := make(chan string, 1)
	m.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--refresh-interval", "300ms"})
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not report its address")
	}
	base := "http://" + addr
	waitReady(t, base)
	if p := unPublished(t, base); p != "2026-02-27" {
		t.Fatalf("un_sc published %q before the refresh, want the snapshot's 2026-02-27", p)
	}
	// The server answers throughout the refresh and the swap.
	deadline := time.Now().Add(60 * time.Second)
	for unPublished(t, base) != "2018-10-29" {
		resp, err := http.Get(base + "/v1/search?q=Hikvision")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("search during the refresh: %v %v", resp, err)
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatalf("the refreshed UN list was not swapped in within 60 s:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Wait for a later refresh that finds the same file.
	for n := requests.Load(); requests.Load() < n+1; {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	logs := stderr.String()
	for _, want := range []string{`msg="list refresh" feed=un status=accepted`, `msg="lists reloaded"`, `msg="list refresh" feed=un status=unchanged`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Count(logs, `msg="lists reloaded"`) != 1 {
		t.Errorf("lists reloaded more than once:\n%s", logs)
	}
	if _, err := os.Stat(filepath.Join(dir, "versions.jsonl")); err != nil {
		t.Errorf("no version stored: %v", err)
	}
}

// TestServeOwnership runs `tradescreen serve --ownership` over the real 2022 Consolidated Screening List and
// ownership/testdata/owners.csv: the search answers carry the BIS Affiliates Rule finding for Chengdu Dahua
// Wisdom, in force on 2025-10-01 and suspended on 2026-01-15; a bad ownership file stops the server at start.
func TestServeOwnership(t *testing.T) {
	m, _, stderr := testMain(map[string]string{"TRADESCREEN_DATA_DIR": t.TempDir()})
	ready := make(chan string, 1)
	m.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0",
			"--list", "csl=../../testdata/lists/csl/consolidated_2022-05-16.csv.gz",
			"--ownership", "../../ownership/testdata/owners.csv"})
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not report its address")
	}
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lists not loaded within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for date, want := range map[string]struct {
		status  string
		applies bool
	}{"2025-10-01": {"in_force", true}, "2026-01-15": {"suspended", false}} {
		resp, err := http.Get(base + "/v1/search?q=Chengdu+Dahua+Wisdom+Information+Technology&as_of=" + date)
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Ownership []struct {
				Rule    string   `json:"rule"`
				Status  string   `json:"status"`
				Result  string   `json:"result"`
				Applies bool     `json:"applies"`
				Paths   []string `json:"paths"`
			} `json:"ownership"`
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range res.Ownership {
			if f.Rule != "bis_affiliates" {
				continue
			}
			found = true
			if f.Status != want.status || f.Applies != want.applies || f.Result != "owned" ||
				len(f.Paths) == 0 || !strings.Contains(f.Paths[0], "Zhejiang Dahua Technology") {
				t.Errorf("%s: finding %+v, want %s, applies %v", date, f, want.status, want.applies)
			}
		}
		if !found {
			t.Errorf("%s: no bis_affiliates finding in %+v", date, res.Ownership)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if logs := stderr.String(); !strings.Contains(logs, `msg="ownership data loaded" files=1 parties=5 links=4`) {
		t.Errorf("log lacks the ownership data:\n%s", logs)
	}

	// A missing ownership file is an error at start, before listening.
	m, _, stderr = testMain(map[string]string{"TRADESCREEN_OWNERSHIP_FILES": filepath.Join(t.TempDir(), "none.csv")})
	if code := m.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}); code == 0 || !strings.Contains(stderr.String(), "none.csv") {
		t.Errorf("missing ownership file: exit %d: %s", code, stderr.String())
	}
	// --print-config shows the files, the flag replacing the environment.
	m, out, stderr := testMain(map[string]string{"TRADESCREEN_OWNERSHIP_FILES": "env.csv"})
	if code := m.Run(context.Background(), []string{"serve", "--print-config", "--ownership", "a.csv", "--ownership", "gleif=b.json"}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(out.String(), `"ownership_files": [`) || !strings.Contains(out.String(), `"gleif=b.json"`) || strings.Contains(out.String(), "env.csv") {
		t.Errorf("print-config: %s", out.String())
	}
}

// TestServeStore runs `tradescreen users add` and then the real `serve` on a temporary data directory: the
// server opens tradescreen.db there (created on first run), the user's key authenticates as that user with
// that user's role through the API, a wrong key is refused, and `audit verify` afterwards finds the chain
// intact with the server's records attributed to the user.
func TestServeStore(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TRADESCREEN_DATA_DIR": dir, "USER": "tester"}
	run := func(args ...string) string {
		t.Helper()
		m, out, errOut := testMain(env)
		if code := m.Run(context.Background(), args); code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String()
	}
	key := func(out string) string {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		k := lines[len(lines)-1]
		if !strings.HasPrefix(k, "tsk_") {
			t.Fatalf("no key in %q", out)
		}
		return k
	}
	ann := key(run("users", "add", "--role", "analyst", "ann"))
	vic := key(run("users", "add", "--role", "viewer", "vic"))

	m, _, stderr := testMain(env)
	ready := make(chan string, 1)
	m.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--monitor=false"}) }()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
	}
	base := "http://" + addr
	waitReady(t, base)

	call := func(method, path, key, ctype, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.Bytes()
	}
	if code, body := call("POST", "/v1/parties", ann, "text/csv", "id,name,country\nC-1,Hikvision,CN\nC-2,Lakeside Bakery GmbH,DE\n"); code != 200 ||
		!strings.Contains(string(body), `"created":2`) {
		t.Fatalf("import as ann: %d %s", code, body)
	}
	if code, body := call("POST", "/v1/parties", vic, "text/csv", "id,name\nC-3,Someone\n"); code != 403 {
		t.Fatalf("import as a viewer: %d %s", code, body)
	}
	if code, _ := call("GET", "/v1/alerts", "tsk_1_wrong", "", ""); code != 401 {
		t.Fatalf("wrong key: %d", code)
	}
	code, body := call("GET", "/v1/alerts?status=open&source=us_el", vic, "", "")
	var q struct {
		Total  int `json:"total"`
		Alerts []struct {
			ID int64 `json:"id"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal(body, &q); code != 200 || err != nil || q.Total != 1 {
		t.Fatalf("alerts: %d %s", code, body)
	}
	id := strconv.FormatInt(q.Alerts[0].ID, 10)
	if code, body := call("POST", "/v1/alerts/"+id+"/transitions", ann, "application/json", `{"to":"closed_true_match","reason":"same company"}`); code != 200 {
		t.Fatalf("decide as ann: %d %s", code, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), `actor=ann`) || strings.Contains(stderr.String(), ann) {
		t.Errorf("request log: actor missing or key logged:\n%s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "tradescreen.db")); err != nil {
		t.Fatalf("no database in the data directory: %v", err)
	}
	if out := run("audit", "verify"); !strings.Contains(out, "audit trail intact") {
		t.Fatalf("audit verify: %s", out)
	}
	out := run("audit", "export", "--action", "alert.decision")
	if !strings.Contains(out, `"actor":"ann"`) || !strings.Contains(out, "same company") {
		t.Errorf("decision not attributed to ann: %s", out)
	}
}
