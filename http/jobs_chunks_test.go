package http_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/storetest"
)

// TestJobsChunksSharedByInstances runs one job of 24 chunks on two instances at once, on SQLite and
// PostgreSQL: the first (a child process) and the second both screen chunks; once each has committed two,
// the first is killed (SIGKILL) in the middle of a chunk; the second takes that chunk over once its lease
// expires and finishes the job. Every input row is in the JSONL, CSV and XLSX results exactly once and in
// input order, the trail records the job's end once, and the results download from a new instance as from
// the second.
func TestJobsChunksSharedByInstances(t *testing.T) {
	const rows, chunk = 12000, 500
	input := realNamesCSV(t, rows)
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "tradescreen.db")
		testJobsChunks(t, "sqlite:"+path, "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)", input, rows, chunk)
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
		testJobsChunks(t, u, "pgx", u, input, rows, chunk)
	})
}

// chunkLease is a chunk's lease as the database holds it.
type chunkLease struct {
	chunk, rows int
	holder      string
	done        bool
}

func testJobsChunks(t *testing.T, dsn, driver, driverDSN string, input []byte, rows, chunk int) {
	dir := t.TempDir()
	openShared(t, dsn)
	child, urlA := startChild(t, dsn, dir, envChildChunk+"="+strconv.Itoa(chunk))
	a := &testServer{URL: urlA}
	b := chunkedInstance(t, dsn, dir, childLease, chunk)
	ann := addUser(t, a, "ann", "analyst")
	job := submit(t, a, "?name=customers.csv", mediaCSV, input, bearer(ann)...)
	db, err := sql.Open(driver, driverDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	leases := func() []chunkLease { return chunkLeases(t, db, job.ID) }
	pidA := fmt.Sprintf(":%d:", child.Process.Pid)
	killedChunk, doneBefore := killInChunk(t, child, b, job.ID, leases, bearer(ann))
	var j tshttp.Job
	get(t, b.URL+"/v1/batch/"+job.ID, bearer(ann)...).decode(t, &j)
	t.Logf("killed the first instance in chunk %d; %d chunks and %d rows done", killedChunk, doneBefore, j.RowsDone)
	if j.State != tshttp.JobRunning || j.Chunks != rows/chunk || j.ChunkRows != chunk || j.InputRows != rows || j.RowsDone < doneBefore*chunk {
		t.Errorf("while two instances run it, the job reads %s, %d chunks of %d of %d rows, %d rows done", j.State, j.Chunks, j.ChunkRows, j.InputRows, j.RowsDone)
	}
	done := waitDone(t, b, job.ID, bearer(ann)...)
	if done.State != tshttp.JobDone || done.RowsDone != rows || done.Progress != 1 {
		t.Fatalf("after the kill: %+v", done)
	}
	var byA, byB int
	for _, l := range leases() {
		if strings.Contains(l.holder, pidA) {
			byA++
		} else {
			byB++
		}
		if l.chunk == killedChunk && strings.Contains(l.holder, pidA) {
			t.Errorf("chunk %d, whose runner was killed, was committed by it", l.chunk)
		}
	}
	t.Logf("chunks committed: %d by the killed instance, %d by the survivor", byA, byB)
	if byA == 0 || byB == 0 {
		t.Errorf("chunks committed: %d by the first instance, %d by the second; want both at work", byA, byB)
	}
	checkJobRecords(t, b, job.ID)
	// A new instance on the same database and directory serves the results, as the second does.
	c := chunkedInstance(t, dsn, dir, childLease, chunk)
	for _, ts := range []*testServer{b, c} {
		checkRowsInOrder(t, ts, job.ID, rows, bearer(ann))
	}
	// The report counts the rows of every chunk.
	reports, _ := filepath.Glob(filepath.Join(dir, job.ID, "run-*", "report.html"))
	if len(reports) != 1 {
		t.Fatalf("reports %v, want the merged one", reports)
	}
	html, err := os.ReadFile(reports[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "12,000") && !strings.Contains(string(html), "12000") {
		t.Errorf("the report does not count the %d rows", rows)
	}
	ents, err := os.ReadDir(filepath.Join(dir, job.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		t.Errorf("the job's directory holds %d entries, want the input and the merged results", len(ents))
	}
}

// chunkLeases returns the chunks' leases of a job, in order.
func chunkLeases(t *testing.T, db *sql.DB, id string) []chunkLease {
	t.Helper()
	q, err := db.Query(`SELECT chunk, rows_done, holder, done FROM batch_job_leases WHERE job_id = '` + id + `' ORDER BY chunk`)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var out []chunkLease
	for q.Next() {
		var l chunkLease
		var done int
		if err := q.Scan(&l.chunk, &l.rows, &l.holder, &done); err != nil {
			t.Fatal(err)
		}
		l.done = done == 1
		out = append(out, l)
	}
	return out
}

// killInChunk kills the child instance once each instance has committed two chunks and the child holds
// another; it returns the chunk the child held and the chunks done then.
func killInChunk(t *testing.T, child *exec.Cmd, b *testServer, id string, leases func() []chunkLease, auth []string) (int, int) {
	t.Helper()
	pidA := fmt.Sprintf(":%d:", child.Process.Pid)
	for {
		byA, byB, inFlight := 0, 0, -1
		for _, l := range leases() {
			a := strings.Contains(l.holder, pidA)
			switch {
			case l.done && a:
				byA++
			case l.done:
				byB++
			case a:
				inFlight = l.chunk
			}
		}
		if byA >= 2 && byB >= 2 && inFlight >= 0 {
			done := byA + byB
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			child.Wait()
			return inFlight, done
		}
		var j tshttp.Job
		get(t, b.URL+"/v1/batch/"+id, auth...).decode(t, &j)
		if j.State == tshttp.JobDone || j.State == tshttp.JobFailed {
			t.Fatalf("the job ended (%s) before the first instance could be killed in a chunk: make the input larger", j.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitDone waits for a job to end.
func waitDone(t *testing.T, ts *testServer, id string, header ...string) tshttp.Job {
	t.Helper()
	for {
		var job tshttp.Job
		get(t, ts.URL+"/v1/batch/"+id, header...).decode(t, &job)
		if job.State == tshttp.JobDone || job.State == tshttp.JobFailed {
			return job
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkRowsInOrder checks that a job's JSONL, CSV and XLSX results hold rows R-000001 ... once each, in
// order.
func checkRowsInOrder(t *testing.T, ts *testServer, id string, rows int, auth []string) {
	t.Helper()
	results := func(format string) []byte {
		r := get(t, ts.URL+"/v1/batch/"+id+"/results?format="+format, auth...)
		r.wantStatus(t, 200)
		return r.Body
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(string(results("jsonl"))), "\n") {
		var row jsonlRow
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("results line %q: %v", line, err)
		}
		ids = append(ids, row.ID)
	}
	checkIDs(t, "jsonl", ids, rows)
	recs, err := csv.NewReader(bytes.NewReader(results("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ids = nil
	for _, rec := range recs[1:] {
		ids = append(ids, rec[0])
	}
	if recs[0][0] != "id" {
		t.Errorf("csv header %v", recs[0])
	}
	checkIDs(t, "csv", ids, rows)
	f, err := excelize.OpenReader(bytes.NewReader(results("xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, err := f.GetRows("Screening")
	if err != nil {
		t.Fatal(err)
	}
	ids = nil
	for _, r := range xrows[1:] {
		ids = append(ids, r[0])
	}
	checkIDs(t, "xlsx", ids, rows)
	if len(recs[0]) != len(xrows[0]) {
		t.Errorf("xlsx header %v, csv header %v", xrows[0], recs[0])
	}
}

// checkIDs checks that ids are R-000001 ... R-<rows>, in order.
func checkIDs(t *testing.T, format string, ids []string, rows int) {
	t.Helper()
	if len(ids) != rows {
		t.Fatalf("%s: %d rows, want %d", format, len(ids), rows)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("R-%06d", i+1); id != want {
			t.Fatalf("%s: row %d is %s, want %s", format, i+1, id, want)
		}
	}
}

var jobsMeasure = flag.Bool("jobs.measure", false, "TestJobsChunksThroughput: time a 30,000-row job on one instance, then on two (child processes, one screening goroutine each) sharing TRADESCREEN_TEST_POSTGRES_URL")

// TestJobsChunksThroughput times one job of 30,000 real names on one instance run whole, then in six chunks
// of 5,000 on one instance and on two, each a child process screening with one goroutine, on PostgreSQL:
// with every CPU of the machine to each instance, then with one CPU's worth each (GOMAXPROCS=1); every row is in the results
// once and in order. Run with -jobs.measure (docs/performance.md).
func TestJobsChunksThroughput(t *testing.T) {
	if !*jobsMeasure {
		t.Skip("a measurement: run with -jobs.measure")
	}
	base := os.Getenv("TRADESCREEN_TEST_POSTGRES_URL")
	if base == "" {
		t.Fatal("TRADESCREEN_TEST_POSTGRES_URL is not set")
	}
	const rows = 30000
	input := realNamesCSV(t, rows)
	for _, tc := range []struct {
		n     int
		chunk string
		// procs, when set, is each instance's GOMAXPROCS: one CPU's worth each, as on machines of one CPU.
		procs string
	}{{1, "-1", ""}, {1, "0", ""}, {2, "0", ""}, {1, "-1", "1"}, {1, "0", "1"}, {2, "0", "1"}} {
		n := tc.n
		dsn, dir := storetest.PostgresSchema(t, base, "ts_jobs_"), t.TempDir()
		openShared(t, dsn)
		var urls []string
		for range n {
			env := []string{envChildChunk + "=" + tc.chunk}
			if tc.procs != "" {
				env = append(env, "GOMAXPROCS="+tc.procs)
			}
			_, u := startChild(t, dsn, dir, env...)
			urls = append(urls, u)
		}
		ts := &testServer{URL: urls[0]}
		job := submit(t, ts, "?name=customers.csv", mediaCSV, input)
		done := waitDone(t, ts, job.ID)
		if done.State != tshttp.JobDone || done.RowsDone != rows {
			t.Fatalf("%d instances: %+v", n, done)
		}
		t.Logf("%d instance(s), GOMAXPROCS %q: %d rows in %d chunks, %v from start to end", n, tc.procs, rows, done.Chunks, done.Finished.Sub(*done.Started).Round(time.Millisecond))
		checkRowsInOrder(t, ts, job.ID, rows, nil)
	}
}
