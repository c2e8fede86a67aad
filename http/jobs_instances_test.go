package http_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/postgres"
	"github.com/tradescreen/tradescreen/sqlite"
	"github.com/tradescreen/tradescreen/storetest"
)

// Environment of a server started as a child process by TestJobsSharedByInstances.
const (
	envChild    = "TRADESCREEN_TEST_JOBS_CHILD"
	envChildDB  = "TRADESCREEN_TEST_JOBS_DB"
	envChildDir = "TRADESCREEN_TEST_JOBS_DIR"
	// envChildLease, when set, is the child's lease instead of childLease.
	envChildLease = "TRADESCREEN_TEST_JOBS_LEASE"
	// envChildChunk, when set, is the child's rows per chunk of a job (Server.JobChunkRows).
	envChildChunk = "TRADESCREEN_TEST_JOBS_CHUNK"
)

// childLease is the lease of the instances of TestJobsSharedByInstances: a killed runner's job is taken
// over after at most this long.
const childLease = 2 * time.Second

// openShared opens the database named by dsn ("sqlite:PATH" or a postgres:// URL) as one more instance.
func openShared(t testing.TB, dsn string) tradescreen.Store {
	t.Helper()
	var db interface {
		tradescreen.Store
		Open() error
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db = sqlite.NewDB(path)
	} else {
		db = postgres.NewDB(dsn)
	}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sharedInstance is a server on the shared database and jobs directory, screening one row at a time, with
// a lease of childLease unless lease is given.
func sharedInstance(t testing.TB, dsn, dir string, lease ...time.Duration) *testServer {
	l := childLease
	if len(lease) > 0 {
		l = lease[0]
	}
	return chunkedInstance(t, dsn, dir, l, 0)
}

// chunkedInstance is a sharedInstance with a lease and rows per chunk of a job (0: the default).
func chunkedInstance(t testing.TB, dsn, dir string, lease time.Duration, chunkRows int) *testServer {
	return newTestServer(t, func(s *tshttp.Server) {
		s.Store, s.JobsDir, s.JobLease, s.JobPoll, s.BatchCPUs = openShared(t, dsn), dir, lease, 50*time.Millisecond, 1
		s.JobChunkRows = chunkRows
	})
}

// TestJobsInstanceProcess is the child process of TestJobsSharedByInstances: a server on the database and
// jobs directory its environment names, which prints its URL and serves until it is killed.
func TestJobsInstanceProcess(t *testing.T) {
	if os.Getenv(envChild) != "1" {
		t.Skip("started by TestJobsSharedByInstances")
	}
	lease := childLease
	if v := os.Getenv(envChildLease); v != "" {
		var err error
		if lease, err = time.ParseDuration(v); err != nil {
			t.Fatal(err)
		}
	}
	chunk := 0
	if v := os.Getenv(envChildChunk); v != "" {
		var err error
		if chunk, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	ts := chunkedInstance(t, os.Getenv(envChildDB), os.Getenv(envChildDir), lease, chunk)
	fmt.Printf("URL %s\n", ts.URL)
	select {}
}

// startChild starts an instance as a child process and returns it with its URL.
func startChild(t *testing.T, dsn, dir string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestJobsInstanceProcess$", "-test.timeout=10m")
	cmd.Env = append(append(os.Environ(), envChild+"=1", envChildDB+"="+dsn, envChildDir+"="+dir), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "URL "); ok {
			go io.Copy(io.Discard, out)
			return cmd, u
		}
	}
	t.Fatalf("the child instance printed no URL: %v", sc.Err())
	return nil, ""
}

// realNamesCSV returns a CSV of n rows with ids R-000001 ... whose names are the real names of the CSL
// subset in testdata, in turn.
func realNamesCSV(t *testing.T, n int) []byte {
	t.Helper()
	f, err := os.Open("../testdata/lists/csl/consolidated_2023-11_subset.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	// The subset ends in a record cut short: read the complete ones.
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = -1
	var recs [][]string
	for {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		recs = append(recs, rec)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "name" {
			col = i
		}
	}
	var names []string
	for _, r := range recs[1:] {
		if col < len(r) && strings.TrimSpace(r[col]) != "" {
			names = append(names, strings.TrimSpace(r[col]))
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "name"})
	for i := range n {
		w.Write([]string{fmt.Sprintf("R-%06d", i+1), names[i%len(names)]})
	}
	w.Flush()
	return b.Bytes()
}

// TestJobsSharedByInstances runs two instances on one database and one jobs directory, on SQLite (one file)
// and PostgreSQL: a job submitted to the first, a child process, is visible from the second; the first is
// killed (SIGKILL) while it runs the job; the second takes the job over once the lease expires and
// finishes it: every input row is in the results exactly once, the trail records the job's end once, and
// the job is still its creator's alone.
func TestJobsSharedByInstances(t *testing.T) {
	const rows = 15000
	input := realNamesCSV(t, rows)
	t.Run("sqlite", func(t *testing.T) {
		testJobsSharedByInstances(t, "sqlite:"+filepath.Join(t.TempDir(), "tradescreen.db"), input, rows)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("TRADESCREEN_TEST_POSTGRES_URL")
		if base == "" {
			if os.Getenv("TRADESCREEN_REQUIRE_POSTGRES") == "1" {
				t.Fatal("TRADESCREEN_REQUIRE_POSTGRES=1 but TRADESCREEN_TEST_POSTGRES_URL is not set")
			}
			t.Skip("TRADESCREEN_TEST_POSTGRES_URL is not set")
		}
		testJobsSharedByInstances(t, storetest.PostgresSchema(t, base, "ts_jobs_"), input, rows)
	})
}

func testJobsSharedByInstances(t *testing.T, dsn string, input []byte, rows int) {
	dir := t.TempDir()
	// The database's schema exists before the child starts, so that the two do not race to create it.
	openShared(t, dsn)
	child, urlA := startChild(t, dsn, dir)
	a := &testServer{URL: urlA}
	ann := addUser(t, a, "ann", "analyst")
	bob := addUser(t, a, "bob", "analyst")
	job := submit(t, a, "?name=customers.csv", mediaCSV, input, bearer(ann)...)
	// The first instance runs the job: kill it in the middle.
	for {
		var j tshttp.Job
		get(t, urlA+"/v1/batch/"+job.ID, bearer(ann)...).decode(t, &j)
		if j.State == tshttp.JobDone || j.State == tshttp.JobFailed {
			t.Fatalf("the job ended (%s, %d rows) before its runner could be killed: make the input larger", j.State, j.RowsDone)
		}
		if j.State == tshttp.JobRunning && j.RowsDone > 0 {
			t.Logf("killing the runner after %d rows", j.RowsDone)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	b := sharedInstance(t, dsn, dir)
	r := get(t, b.URL+"/v1/batch/"+job.ID, bearer(ann)...)
	r.wantStatus(t, 200)
	var seen tshttp.Job
	r.decode(t, &seen)
	if seen.State != tshttp.JobRunning {
		t.Fatalf("the second instance sees the job %s, want running", seen.State)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	killed := time.Now()
	done := wait(t, b, job.ID, bearer(ann)...)
	t.Logf("the second instance finished the job %v after the kill", time.Since(killed).Round(time.Millisecond))
	if done.State != tshttp.JobDone || done.RowsDone != rows {
		t.Fatalf("after the takeover: %+v", done)
	}
	checkEveryRowOnce(t, get(t, b.URL+"/v1/batch/"+job.ID+"/results?format=jsonl", bearer(ann)...), rows)
	checkJobRecords(t, b, job.ID)
	// Still ann's job alone: bob is told it does not exist, on either instance's database.
	get(t, b.URL+"/v1/batch/"+job.ID, bearer(bob)...).wantStatus(t, 404)
	get(t, b.URL+"/v1/batch/"+job.ID+"/results?format=jsonl", bearer(bob)...).wantStatus(t, 404)
	// Only the results of the lease that finished are left beside the input.
	ents, err := os.ReadDir(filepath.Join(dir, job.ID))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "input.csv" || !strings.HasPrefix(names[1], "run-") {
		t.Errorf("the job's directory holds %v, want the input and one run's results", names)
	}
}

// checkEveryRowOnce checks that a job's JSON Lines results hold rows R-000001 ... once each.
func checkEveryRowOnce(t *testing.T, r *response, rows int) {
	t.Helper()
	r.wantStatus(t, 200)
	count := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(r.Body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row jsonlRow
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("results line %q: %v", sc.Text(), err)
		}
		count[row.ID]++
	}
	for i := range rows {
		if id := fmt.Sprintf("R-%06d", i+1); count[id] != 1 {
			t.Fatalf("row %s is in the results %d times, want once", id, count[id])
		}
	}
	if len(count) != rows {
		t.Fatalf("%d distinct rows in the results, want %d", len(count), rows)
	}
}

// checkJobRecords checks that the trail records the job's submission once and its end once, completed.
func checkJobRecords(t *testing.T, ts *testServer, id string) {
	t.Helper()
	var res tshttp.AuditResult
	get(t, ts.URL+"/v1/audit?object=batch/"+id).decode(t, &res)
	var statuses []string
	for _, e := range res.Events {
		var d struct {
			Status string `json:"status"`
		}
		json.Unmarshal([]byte(e.Details), &d)
		statuses = append(statuses, d.Status)
	}
	if strings.Join(statuses, " ") != "queued completed" {
		t.Errorf("the job's audit records: %v, want queued then completed, once each", statuses)
	}
	var v tradescreen.AuditVerification
	get(t, ts.URL+"/v1/audit/verify").decode(t, &v)
	if !v.OK {
		t.Errorf("audit chain: %+v", v)
	}
}

// TestJobsTakenOverFromLiveRunner expires the lease of a runner that is alive and working (as a runner paused
// past its lease would find it): the other instance takes the job over, the first stops at its next write
// without recording anything, and the job ends once, with every row once.
func TestJobsTakenOverFromLiveRunner(t *testing.T) {
	const rows = 15000
	input := realNamesCSV(t, rows)
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "tradescreen.db")
		// The test's own connection waits for the runners' writes as the store's connections do: without
		// a busy timeout its UPDATE of the lease failed with SQLITE_BUSY while a runner wrote.
		testJobsTakenOver(t, "sqlite:"+path, "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)", input, rows)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("TRADESCREEN_TEST_POSTGRES_URL")
		if base == "" {
			if os.Getenv("TRADESCREEN_REQUIRE_POSTGRES") == "1" {
				t.Fatal("TRADESCREEN_REQUIRE_POSTGRES=1 but TRADESCREEN_TEST_POSTGRES_URL is not set")
			}
			t.Skip("TRADESCREEN_TEST_POSTGRES_URL is not set")
		}
		u := storetest.PostgresSchema(t, base, "ts_jobs_")
		testJobsTakenOver(t, u, "pgx", u, input, rows)
	})
}

func testJobsTakenOver(t *testing.T, dsn, driver, driverDSN string, input []byte, rows int) {
	dir := t.TempDir()
	// The job runs whole (one lease): the test expires the lease its runner is working under.
	a := chunkedInstance(t, dsn, dir, childLease, -1)
	job := submit(t, a, "?name=customers.csv", mediaCSV, input)
	for {
		var j tshttp.Job
		get(t, a.URL+"/v1/batch/"+job.ID).decode(t, &j)
		if j.State == tshttp.JobDone || j.State == tshttp.JobFailed {
			t.Fatalf("the job ended (%s) before its lease could be expired: make the input larger", j.State)
		}
		if j.State == tshttp.JobRunning && j.RowsDone > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	db, err := sql.Open(driver, driverDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder := func() string {
		var h string
		if err := db.QueryRow(`SELECT holder FROM batch_job_leases WHERE job_id = '` + job.ID + `'`).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	first := holder()
	b := chunkedInstance(t, dsn, dir, childLease, -1)
	// Expire the lease until the second instance holds it (the first may renew it in between).
	for holder() == first {
		if _, err := db.Exec(`UPDATE batch_job_leases SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE job_id = '` + job.ID + `' AND holder = '` + first + `'`); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	done := wait(t, b, job.ID)
	if done.State != tshttp.JobDone || done.RowsDone != rows {
		t.Fatalf("after the takeover: %+v", done)
	}
	checkEveryRowOnce(t, get(t, a.URL+"/v1/batch/"+job.ID+"/results?format=jsonl"), rows)
	checkJobRecords(t, a, job.ID)
	if !strings.Contains(a.Logs.String(), "taken over by another runner") {
		t.Errorf("the first runner did not log that it stopped:\n%s", a.Logs.String())
	}
	ents, _ := os.ReadDir(filepath.Join(dir, job.ID))
	if len(ents) != 2 {
		t.Errorf("the job's directory holds %d entries, want the input and one run's results", len(ents))
	}
}

// TestJobsRestartAfterKill kills a server (a child process on a SQLite file, with an hour's lease) while it
// runs a job, then starts another on the same machine, database and directory: it sees that the holder of
// the job's lease no longer runs and runs the job at once, not an hour later.
func TestJobsRestartAfterKill(t *testing.T) {
	const rows = 15000
	dsn, dir := "sqlite:"+filepath.Join(t.TempDir(), "tradescreen.db"), t.TempDir()
	openShared(t, dsn)
	child, url := startChild(t, dsn, dir, envChildLease+"=1h")
	a := &testServer{URL: url}
	job := submit(t, a, "?name=customers.csv", mediaCSV, realNamesCSV(t, rows))
	for {
		var j tshttp.Job
		get(t, url+"/v1/batch/"+job.ID).decode(t, &j)
		if j.State == tshttp.JobDone || j.State == tshttp.JobFailed {
			t.Fatalf("the job ended (%s) before its runner could be killed: make the input larger", j.State)
		}
		if j.State == tshttp.JobRunning && j.RowsDone > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	b := sharedInstance(t, dsn, dir, time.Hour)
	if done := wait(t, b, job.ID); done.State != tshttp.JobDone || done.RowsDone != rows {
		t.Fatalf("after the restart: %+v", done)
	}
	if !strings.Contains(b.Logs.String(), "queued again after a restart") {
		t.Errorf("the restart did not log the job queued again:\n%s", b.Logs.String())
	}
	checkEveryRowOnce(t, get(t, b.URL+"/v1/batch/"+job.ID+"/results?format=jsonl"), rows)
	checkJobRecords(t, b, job.ID)
}
