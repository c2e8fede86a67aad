package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/sqlite"
)

// customersCSV has two listed parties (the Entity List's Hikvision and Dahua), a party that is not listed,
// and a row without a name.
const customersCSV = "id,name,country,account_manager\n" +
	"C-1,Hikvision,CN,J. Becker\n" +
	"C-2,Zhejiang Dahua Technology Co. Ltd.,China,S. Chen\n" +
	"C-3,Northwind Logistics GmbH,DE,R. Dubois\n" +
	"C-4,,US,K. Nakamura\n"

const (
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

func jobsServer(t *testing.T, dir string, opts ...func(*tshttp.Server)) *testServer {
	t.Helper()
	return newTestServer(t, append([]func(*tshttp.Server){func(s *tshttp.Server) { s.JobsDir = dir }}, opts...)...)
}

func submit(t *testing.T, ts *testServer, query, ctype string, body []byte, header ...string) tshttp.Job {
	t.Helper()
	r := do(t, "POST", ts.URL+"/v1/batch"+query, bytes.NewReader(body), append([]string{"Content-Type", ctype}, header...)...)
	r.wantStatus(t, 202)
	var job tshttp.Job
	r.decode(t, &job)
	if job.ID == "" || (job.State != tshttp.JobQueued && job.State != tshttp.JobRunning) || r.Header.Get("Location") != "/v1/batch/"+job.ID {
		t.Fatalf("202 answer: %+v, Location %q", job, r.Header.Get("Location"))
	}
	return job
}

// wait polls a job until it is done or failed.
func wait(t *testing.T, ts *testServer, id string, header ...string) tshttp.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := get(t, ts.URL+"/v1/batch/"+id, header...)
		r.wantStatus(t, 200)
		var job tshttp.Job
		r.decode(t, &job)
		if job.State == tshttp.JobDone || job.State == tshttp.JobFailed {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after 30 s", id, job.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type jsonlRow struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Error   string            `json:"error"`
	Columns map[string]string `json:"columns"`
	Matches []struct {
		Source string  `json:"source"`
		Score  float64 `json:"score"`
	} `json:"matches"`
}

func TestBatchJob(t *testing.T) {
	ts := jobsServer(t, t.TempDir())
	job := submit(t, ts, "?limit=2&name=customers.csv", mediaCSV, []byte(customersCSV))
	job = wait(t, ts, job.ID)
	if job.State != tshttp.JobDone || job.RowsDone != 4 || job.WithMatches != 2 || job.Errors != 1 || job.Progress != 1 ||
		job.Limit != 2 || job.FileName != "customers.csv" || !strings.Contains(job.AsOf, "us_el") || job.Finished == nil {
		t.Fatalf("finished job: %+v", job)
	}
	if job.Results["csv"] != "/v1/batch/"+job.ID+"/results?format=csv" {
		t.Errorf("result URLs: %v", job.Results)
	}
	// The embedded lists (the SDN list of 2022, the Denied Persons List of 2023) are out of date: the job says
	// so, list by list.
	if len(job.Lists) < 10 || job.Lists[0].AgeDays < 0 || len(job.Warnings) != 1 || !strings.Contains(job.Warnings[0], "us_dpl (2023-11-28") ||
		!strings.Contains(job.Warnings[0], "us_sdn (2022-05-16") {
		t.Errorf("job lists %d, warnings %q", len(job.Lists), job.Warnings)
	}

	r := get(t, ts.URL+"/v1/batch/"+job.ID+"/results")
	r.wantStatus(t, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-ndjson") || !strings.Contains(r.Header.Get("Content-Disposition"), "batch-"+job.ID+".jsonl") {
		t.Errorf("headers: %v", r.Header)
	}
	lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d JSONL lines, want 4:\n%s", len(lines), r.Body)
	}
	var rows []jsonlRow
	for _, l := range lines {
		var row jsonlRow
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
	if rows[0].ID != "C-1" || len(rows[0].Matches) == 0 || rows[0].Matches[0].Source != "us_el" || len(rows[0].Matches) > 2 {
		t.Errorf("row 1: %+v", rows[0])
	}
	if len(rows[1].Matches) == 0 || len(rows[2].Matches) != 0 || rows[3].Error == "" || rows[3].Columns["account_manager"] != "K. Nakamura" {
		t.Errorf("rows 2-4: %+v", rows[1:])
	}

	r = get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=csv")
	r.wantStatus(t, 200)
	csvLines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
	if len(csvLines) != 5 || !strings.HasPrefix(csvLines[0], "id,name,country,account_manager,match_count,best_score,best_source") ||
		!strings.Contains(csvLines[1], ",us_el,") {
		t.Errorf("CSV results:\n%s", r.Body)
	}

	r = get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=xlsx")
	r.wantStatus(t, 200)
	if r.Header.Get("Content-Type") != mediaXLSX {
		t.Errorf("xlsx Content-Type %q", r.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, err := f.GetRows("Screening")
	if err != nil || len(xrows) != 5 || xrows[0][1] != "name" || xrows[1][0] != "C-1" {
		t.Fatalf("xlsx rows: %v %v", xrows, err)
	}
	typ, _ := f.GetCellType("Screening", "F2") // best_score
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("best_score cell type %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("Screening", "F2"); !strings.HasPrefix(v, "1") && !strings.HasPrefix(v, "0.") {
		t.Errorf("best_score = %q", v)
	}

	// JSON Lines and XLSX uploads.
	jl := submit(t, ts, "?source=us_el", "application/x-ndjson", []byte(`{"id":"a","name":"Hikvision"}`+"\n"+`{"id":"b","name":"Nobody Special"}`+"\n"))
	if jl = wait(t, ts, jl.ID); jl.State != tshttp.JobDone || jl.RowsDone != 2 || jl.WithMatches != 1 || len(jl.Sources) != 1 {
		t.Errorf("JSONL job: %+v", jl)
	}
	wb := excelize.NewFile()
	for i, row := range [][]any{{"name", "id"}, {"Dahua Technology", "x1"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		_ = wb.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	xj := submit(t, ts, "", mediaXLSX, buf.Bytes())
	if xj = wait(t, ts, xj.ID); xj.State != tshttp.JobDone || xj.RowsDone != 1 || xj.WithMatches != 1 || xj.Format != "xlsx" {
		t.Errorf("XLSX job: %+v", xj)
	}
}

func TestBatchJobErrors(t *testing.T) {
	ts := jobsServer(t, t.TempDir(), func(s *tshttp.Server) { s.MaxUploadSize = 4096 })
	post := func(query, ctype, body string) *response {
		return do(t, "POST", ts.URL+"/v1/batch"+query, strings.NewReader(body), "Content-Type", ctype)
	}
	post("", "application/json", customersCSV).wantError(t, 415, tshttp.EMEDIATYPE, "text/csv")
	post("?treshold=0.5", mediaCSV, customersCSV).wantError(t, 400, tradescreen.EINVALID, "treshold: unknown parameter")
	post("?threshold=2", mediaCSV, customersCSV).wantError(t, 400, tradescreen.EINVALID, "threshold")
	post("?source=xx_bad", mediaCSV, customersCSV).wantError(t, 400, tradescreen.EINVALID, "source")
	post("", mediaCSV, "").wantError(t, 400, tradescreen.EINVALID, "empty")
	post("", mediaCSV, "id,name\n"+strings.Repeat("C-1,Hikvision\n", 400)).wantError(t, 413, tradescreen.ETOOLARGE, "4096")
	post("?name=ledger.csv", mediaCSV, "customer_id,city\n1,Hangzhou\n").wantError(t, 422, tradescreen.EUNPROCESSABLE, "ledger.csv", "no name column")
	post("", mediaXLSX, "not a workbook").wantError(t, 422, tradescreen.EUNPROCESSABLE, "XLSX")
	get(t, ts.URL+"/v1/batch/0123456789abcdef01234567").wantError(t, 404, tradescreen.ENOTFOUND, "no batch job")
	get(t, ts.URL+"/v1/batch/..%2f..%2fetc").wantError(t, 404, tradescreen.ENOTFOUND)

	// A bad row is reported with its line; the other rows are screened.
	job := submit(t, ts, "", "application/x-ndjson", []byte(`{"name":"Hikvision"}`+"\n"+`[1, 2]`+"\n"))
	if job = wait(t, ts, job.ID); job.State != tshttp.JobDone || job.RowsDone != 2 || job.Errors != 1 || job.WithMatches != 1 {
		t.Errorf("job with a bad row: %+v", job)
	}
	r := get(t, ts.URL+"/v1/batch/"+job.ID+"/results")
	r.wantStatus(t, 200)
	if lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n"); len(lines) != 2 || !strings.Contains(lines[1], `"error":`) {
		t.Errorf("results with a bad row:\n%s", r.Body)
	}
	good := submit(t, ts, "", mediaCSV, []byte(customersCSV))
	wait(t, ts, good.ID)
	get(t, ts.URL+"/v1/batch/"+good.ID+"/results?format=pdf").wantError(t, 400, tradescreen.EINVALID, "format")

	// Without a jobs directory the API says batch jobs are off.
	off := newTestServer(t)
	do(t, "POST", off.URL+"/v1/batch", strings.NewReader(customersCSV), "Content-Type", mediaCSV).wantError(t, 404, tradescreen.ENOTFOUND, "not enabled")
}

// TestBatchJobFails removes a queued job's input before the lists are loaded: the job fails, the client sees
// only "internal error", and its results answer 409.
func TestBatchJobFails(t *testing.T) {
	dir := t.TempDir()
	ts := newUnreadyServer(t, func(s *tshttp.Server) { s.JobsDir = dir })
	job := submit(t, ts, "", mediaCSV, []byte(customersCSV))
	if err := os.Remove(filepath.Join(dir, job.ID, "input.csv")); err != nil {
		t.Fatal(err)
	}
	ts.Service.SetLists(testScreener(t))
	if job = wait(t, ts, job.ID); job.State != tshttp.JobFailed || job.Error != "internal error" {
		t.Errorf("job: %+v", job)
	}
	get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=csv").wantError(t, 409, tradescreen.ECONFLICT, "failed")
	if !strings.Contains(ts.Logs.String(), "input.csv") {
		t.Errorf("the internal error is not logged: %s", ts.Logs.String())
	}
}

// TestBatchJobSurvivesRestart queues a job on a server whose lists are still loading, stops that server, and
// starts another on the same directory: the job runs there.
func TestBatchJobSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first := newUnreadyServer(t, func(s *tshttp.Server) { s.JobsDir = dir })
	job := submit(t, first, "", mediaCSV, []byte(customersCSV))
	get(t, first.URL+"/v1/batch/"+job.ID+"/results").wantError(t, 409, tradescreen.ECONFLICT, "queued")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}

	second := jobsServer(t, dir)
	if done := wait(t, second, job.ID); done.State != tshttp.JobDone || done.RowsDone != 4 {
		t.Errorf("job after restart: %+v", done)
	}
	if !strings.Contains(second.Logs.String(), "queued again after a restart") {
		t.Errorf("restart not logged: %s", second.Logs.String())
	}
}

// TestBatchJobsMovedIntoDatabase starts a server without a database (jobs in job.json files), with one job
// done and one queued, then a server with one on the same jobs directory: both jobs are there, the done one's
// results download, the queued one runs, and no job.json is left.
func TestBatchJobsMovedIntoDatabase(t *testing.T) {
	dir := t.TempDir()
	first := jobsServer(t, dir)
	done := wait(t, first, submit(t, first, "", mediaCSV, []byte(customersCSV)).ID)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	unready := newUnreadyServer(t, func(s *tshttp.Server) { s.JobsDir = dir })
	queued := submit(t, unready, "", mediaCSV, []byte(customersCSV))
	if err := unready.Close(ctx); err != nil {
		t.Fatal(err)
	}

	second := jobsServer(t, dir, func(s *tshttp.Server) { s.Store = sqliteStore(t) })
	r := get(t, second.URL+"/v1/batch/"+done.ID+"/results?format=csv")
	r.wantStatus(t, 200)
	if !strings.Contains(string(r.Body), "Hikvision") {
		t.Errorf("the done job's results: %s", r.Body)
	}
	if job := wait(t, second, queued.ID); job.State != tshttp.JobDone || job.RowsDone != 4 {
		t.Errorf("the queued job after the move: %+v", job)
	}
	for _, id := range []string{done.ID, queued.ID} {
		if _, err := os.Stat(filepath.Join(dir, id, "job.json")); !os.IsNotExist(err) {
			t.Errorf("job %s still has its job.json: %v", id, err)
		}
	}
}

// TestBatchJobsUnsharedDirectory runs two servers on one database with jobs directories of their own, a
// setup the jobs do not support: a job submitted to one and run by the other fails saying why.
func TestBatchJobsUnsharedDirectory(t *testing.T) {
	st := sqliteStore(t)
	path := st.(*sqlite.DB).DSN
	a := newUnreadyServer(t, func(s *tshttp.Server) { s.Store, s.JobsDir = st, t.TempDir() })
	job := submit(t, a, "", mediaCSV, []byte(customersCSV))
	other := sqlite.NewDB(path)
	if err := other.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	b := newTestServer(t, func(s *tshttp.Server) { s.Store, s.JobsDir, s.JobPoll = other, t.TempDir(), 20*time.Millisecond })
	if job = wait(t, b, job.ID); job.State != tshttp.JobFailed || !strings.Contains(job.Error, "must share their jobs directory") {
		t.Errorf("job run by a server without its upload: %+v", job)
	}
	if !strings.Contains(b.Logs.String(), "input not found") {
		t.Errorf("not logged: %s", b.Logs.String())
	}
	// The failure is the job's end: recorded as such.
	var res tshttp.AuditResult
	get(t, b.URL+"/v1/audit?object=batch/"+job.ID).decode(t, &res)
	if len(res.Events) != 2 || !strings.Contains(res.Events[1].Details, `"status":"failed"`) {
		t.Errorf("the job's audit records: %+v", res.Events)
	}
}
