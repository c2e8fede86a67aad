package http

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	nethttp "net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
)

// Limits and defaults of the batch jobs API.
const (
	// DefaultMaxUploadSize bounds a batch job's upload unless Server.MaxUploadSize says otherwise.
	DefaultMaxUploadSize = 100 << 20
	// MaxQueuedJobs is the most jobs waiting to run; more are refused with 503.
	MaxQueuedJobs = 100
	// DefaultJobRetention is how long finished jobs (input and results) are kept.
	DefaultJobRetention = 7 * 24 * time.Hour
	// uploadTimeout and downloadTimeout replace the server's read and write timeouts for job uploads and
	// result downloads, which may be large.
	uploadTimeout   = 10 * time.Minute
	downloadTimeout = 10 * time.Minute
)

// Job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Input formats and their media types.
const (
	mediaCSV   = "text/csv"
	mediaJSONL = "application/x-ndjson"
	mediaXLSX  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

var inputFormats = map[string]string{
	mediaCSV: "csv", "application/csv": "csv",
	mediaJSONL: "jsonl", "application/jsonl": "jsonl", "application/x-jsonlines": "jsonl", "application/jsonlines": "jsonl",
	mediaXLSX: "xlsx",
}

var resultTypes = map[string]string{"jsonl": mediaJSONL + "; charset=utf-8", "csv": mediaCSV + "; charset=utf-8", "xlsx": mediaXLSX}

// Job is one asynchronous batch screening job, as GET /v1/batch/{id} shows it.
type Job struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Format is the input's format (csv, jsonl, xlsx); FileName the name used in error messages.
	Format     string `json:"format"`
	FileName   string `json:"file_name"`
	InputBytes int64  `json:"input_bytes"`
	// Threshold, Limit and Sources are the screening options (0 and empty: the defaults).
	Threshold float64    `json:"threshold,omitempty"`
	Limit     int        `json:"limit,omitempty"`
	Sources   []string   `json:"sources,omitempty"`
	Created   time.Time  `json:"created"`
	Started   *time.Time `json:"started,omitempty"`
	Finished  *time.Time `json:"finished,omitempty"`
	// RowsDone is the number of rows screened and written so far; Progress the share of the input read
	// (0..1; 1 when done).
	RowsDone    int     `json:"rows_done"`
	Progress    float64 `json:"progress"`
	WithMatches int     `json:"rows_with_matches"`
	Matches     int     `json:"matches"`
	Errors      int     `json:"row_errors"`
	// Error says why a failed job failed (a malformed row, with its line and field).
	Error string `json:"error,omitempty"`
	// AsOf names the lists and dates the job screened against.
	AsOf string `json:"as_of,omitempty"`
	// OwnershipDate is the date the 50 % rules were applied on, when the server has ownership data (the
	// results then carry each row's ownership findings: JSONL member and CSV column "ownership").
	OwnershipDate string `json:"ownership_date,omitempty"`
	// Results are the download URLs by format, once the job is done.
	Results map[string]string `json:"results,omitempty"`
	// CreatedBy is who submitted the job (recorded in the audit trail with the job's start and end);
	// SHA256 is the digest of the input.
	CreatedBy string `json:"created_by,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
}

// jobs runs batch jobs from a directory: one subdirectory per job holding its input, its state (job.json)
// and, once done, its results. Jobs queued or running when the server stopped run again when it starts.
type jobs struct {
	srv     *Server
	dir     string
	workers int

	mu    sync.Mutex
	byID  map[string]*Job
	queue chan string
	// convert serializes XLSX conversions of results.
	convert sync.Mutex

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

var jobIDPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)

// startJobs opens the jobs directory, queues again the jobs left unfinished, removes jobs older than the
// retention, and starts the workers.
// batchCPUs is the number of goroutines a batch job screens on (Server.BatchCPUs).
func (s *Server) batchCPUs() int {
	if s.BatchCPUs > 0 {
		return s.BatchCPUs
	}
	return max(1, runtime.GOMAXPROCS(0)-1)
}

func (s *Server) startJobs() error {
	if s.JobsDir == "" {
		return nil
	}
	if err := os.MkdirAll(s.JobsDir, 0o700); err != nil {
		return fmt.Errorf("jobs directory: %w", err)
	}
	j := &jobs{srv: s, dir: s.JobsDir, workers: max(1, s.BatchWorkers), byID: map[string]*Job{}, queue: make(chan string, MaxQueuedJobs+64)}
	j.ctx, j.cancel = context.WithCancel(context.Background())
	ents, err := os.ReadDir(j.dir)
	if err != nil {
		return fmt.Errorf("jobs directory: %w", err)
	}
	var requeue []*Job
	for _, e := range ents {
		if !e.IsDir() || !jobIDPattern.MatchString(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(j.dir, e.Name(), "job.json"))
		var job Job
		if err != nil || json.Unmarshal(b, &job) != nil || job.ID != e.Name() {
			// A job whose state was never written completely was never accepted.
			_ = os.RemoveAll(filepath.Join(j.dir, e.Name()))
			continue
		}
		if s.now().Sub(job.Created) > s.jobRetention() {
			_ = os.RemoveAll(filepath.Join(j.dir, e.Name()))
			continue
		}
		if job.State == JobQueued || job.State == JobRunning {
			job.State, job.Started, job.RowsDone, job.Progress = JobQueued, nil, 0, 0
			requeue = append(requeue, &job)
		}
		j.byID[job.ID] = &job
	}
	sort.Slice(requeue, func(a, b int) bool { return requeue[a].Created.Before(requeue[b].Created) })
	for _, job := range requeue {
		j.queue <- job.ID
		s.logger().Info("batch job queued again after a restart", "job", job.ID)
	}
	for range j.workers {
		j.wg.Go(j.work)
	}
	s.jobs = j
	return nil
}

func (s *Server) jobRetention() time.Duration {
	if s.JobRetention > 0 {
		return s.JobRetention
	}
	return DefaultJobRetention
}

// stop cancels the running jobs (they run again after a restart) and waits for the workers.
func (j *jobs) stop(ctx context.Context) {
	j.cancel()
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (j *jobs) path(id string, name string) string { return filepath.Join(j.dir, id, name) }

// get returns a copy of a job's state.
func (j *jobs) get(id string) (Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, ok := j.byID[id]
	if !ok {
		return Job{}, false
	}
	return *job, true
}

// update changes a job under the lock and, when persist is set, writes its state file.
func (j *jobs) update(id string, persist bool, f func(*Job)) error {
	j.mu.Lock()
	job := j.byID[id]
	f(job)
	cp := *job
	j.mu.Unlock()
	if !persist {
		return nil
	}
	return j.save(&cp)
}

// save writes a job's state file atomically (temporary file, then rename).
func (j *jobs) save(job *Job) error {
	b, err := json.MarshalIndent(job, "", "  ")
	if err != nil {
		return err
	}
	tmp := j.path(job.ID, ".job.json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, j.path(job.ID, "job.json"))
}

func (j *jobs) work() {
	for {
		select {
		case <-j.ctx.Done():
			return
		case id := <-j.queue:
			j.run(id)
		}
	}
}

// progressReader counts the bytes read, for progress, from another goroutine than the one reading.
type progressReader struct {
	r io.Reader
	n atomic.Int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n.Add(int64(n))
	return n, err
}

// run screens one job: it waits for the lists, reads the input, writes the results as JSONL and CSV to
// temporary files and renames them into place when the whole input is screened.
func (j *jobs) run(id string) {
	log := j.srv.logger()
	var st *state
	for st == nil {
		if st = j.srv.state.Load(); st != nil {
			break
		}
		select {
		case <-j.ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	job, _ := j.get(id)
	start := j.srv.now().UTC()
	ownDate := ""
	if st.graph != nil {
		ownDate = start.Format("2006-01-02")
	}
	_ = j.update(id, true, func(jb *Job) {
		jb.State, jb.Started, jb.AsOf, jb.OwnershipDate = JobRunning, &start, st.asOf, ownDate
	})
	log.Info("batch job started", "job", id, "format", job.Format, "bytes", job.InputBytes)

	stats, err := j.screen(st, &job)
	if j.ctx.Err() != nil {
		// Shut down mid-job: it runs again from the start after a restart.
		_ = j.update(id, true, func(jb *Job) { jb.State, jb.Started, jb.RowsDone, jb.Progress = JobQueued, nil, 0, 0 })
		log.Info("batch job interrupted by shutdown; it runs again after a restart", "job", id)
		return
	}
	end := j.srv.now().UTC()
	// The failure is logged before the job shows it, so whoever sees a failed job finds its log line.
	if err != nil {
		if tradescreen.ErrorCode(err) == tradescreen.EINTERNAL {
			log.Error("batch job failed", "job", id, "rows", stats.Rows, "error", err.Error())
		} else {
			log.Info("batch job failed", "job", id, "rows", stats.Rows, "error", tradescreen.ErrorMessage(err))
		}
	}
	_ = j.update(id, true, func(jb *Job) {
		jb.Finished = &end
		jb.RowsDone, jb.WithMatches, jb.Matches, jb.Errors = stats.Rows, stats.WithMatches, stats.Matches, stats.Errors
		if err != nil {
			jb.State = JobFailed
			jb.Error = tradescreen.ErrorMessage(err)
			if tradescreen.ErrorCode(err) == tradescreen.EINTERNAL {
				jb.Error = "internal error"
			}
			return
		}
		jb.State, jb.Progress = JobDone, 1
	})
	if j.srv.Store != nil {
		status := "completed"
		if err != nil {
			status = "failed"
		}
		job.AsOf = st.asOf
		if aerr := j.srv.Store.Audit().AppendAudit(context.Background(), j.srv.jobAuditEvent(&job, status, stats)); aerr != nil {
			log.Error("batch job: audit record of its end", "job", id, "error", aerr.Error())
		}
	}
	if err != nil {
		return
	}
	log.Info("batch job done", "job", id, "rows", stats.Rows, "rows_with_matches", stats.WithMatches,
		"duration", end.Sub(start).Round(time.Millisecond))
}

// inputName is the file name of a job's input.
func inputName(format string) string { return "input." + format }

// openReader opens a job's input with the reader of its format.
func openReader(r io.Reader, format, name string) (batch.RowReader, error) {
	switch format {
	case "jsonl":
		return batch.NewJSONLReader(r, name), nil
	case "xlsx":
		return batch.NewXLSXReader(r, name)
	}
	return batch.NewCSVReader(r, name)
}

// teeWriter writes each outcome to several writers.
type teeWriter []batch.RowWriter

func (t teeWriter) Write(o *batch.Outcome) error {
	for _, w := range t {
		if err := w.Write(o); err != nil {
			return err
		}
	}
	return nil
}

func (t teeWriter) Close() error {
	var first error
	for _, w := range t {
		if err := w.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (j *jobs) screen(st *state, job *Job) (batch.BatchStats, error) {
	in, err := os.Open(j.path(job.ID, inputName(job.Format)))
	if err != nil {
		return batch.BatchStats{}, err
	}
	defer in.Close()
	pr := &progressReader{r: in}
	r, err := openReader(pr, job.Format, job.FileName)
	if err != nil {
		return batch.BatchStats{}, err
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	// With ownership data, each row's names are also looked up there and the 50 % rules applied on the day
	// the job runs, as 'tradescreen batch --ownership' does.
	var look *ownership.BatchLookup
	if st.graph != nil {
		look = ownership.NewBatchLookup(st.graph, st.resolution(), j.srv.ownershipRules(), j.srv.now().UTC().Format("2006-01-02"))
	}
	var files []*os.File
	var ws teeWriter
	for _, f := range []string{"jsonl", "csv"} {
		out, err := os.Create(j.path(job.ID, "results."+f+".partial"))
		if err != nil {
			return batch.BatchStats{}, err
		}
		defer out.Close()
		files = append(files, out)
		switch {
		case f == "jsonl" && look != nil:
			ws = append(ws, ownership.NewBatchJSONLWriter(out, look))
		case f == "jsonl":
			ws = append(ws, batch.NewJSONLWriter(out))
		case look != nil:
			w, err := ownership.NewBatchCSVWriter(out, look, nil)
			if err != nil {
				return batch.BatchStats{}, err
			}
			ws = append(ws, w)
		default:
			ws = append(ws, batch.NewCSVWriter(out))
		}
	}
	last := time.Now()
	allow, err := j.srv.allowList()
	if err != nil {
		// Without it no match is marked allowed: nothing is hidden.
		j.srv.logger().Error("batch job: allow list not applied", "job", job.ID, "error", err.Error())
	}
	opts := batch.BatchOptions{Threshold: job.Threshold, Limit: job.Limit, Sources: job.Sources, Allow: allow, Workers: j.srv.batchCPUs(),
		Progress: func(done int) {
			p := 0.0
			if job.InputBytes > 0 {
				p = min(0.99, float64(pr.n.Load())/float64(job.InputBytes))
			}
			persist := time.Since(last) > time.Second
			if persist {
				last = time.Now()
			}
			_ = j.update(job.ID, persist, func(jb *Job) { jb.RowsDone, jb.Progress = done, p })
		}}
	stats, err := batch.RunBatch(j.ctx, st.s, r, ws, opts)
	if cerr := ws.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return stats, err
	}
	for i, f := range []string{"jsonl", "csv"} {
		if err := files[i].Sync(); err != nil {
			return stats, err
		}
		if err := files[i].Close(); err != nil {
			return stats, err
		}
		if err := os.Rename(j.path(job.ID, "results."+f+".partial"), j.path(job.ID, "results."+f)); err != nil {
			return stats, err
		}
	}
	return stats, nil
}

// batchParams are the query parameters POST /v1/batch accepts.
var batchParams = []string{"threshold", "limit", "source", "name"}

func newJobID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) handleBatchCreate(w nethttp.ResponseWriter, r *nethttp.Request) error {
	j := s.jobs
	if j == nil {
		return errorf(tradescreen.ENOTFOUND, "batch jobs are not enabled on this server: it has no jobs directory")
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	format, ok := inputFormats[mt]
	if !ok {
		return errorf(EMEDIATYPE, "Content-Type: %q is not supported; send %s (CSV with a header naming a name column), %s (JSON Lines) or %s (an Excel workbook)", ct, mediaCSV, mediaJSONL, mediaXLSX)
	}
	job := &Job{ID: newJobID(), State: JobQueued, Format: format, FileName: "upload." + format, Created: s.now().UTC()}
	if err := parseBatchParams(r.URL.Query(), job); err != nil {
		return err
	}
	j.mu.Lock()
	queued := 0
	for _, jb := range j.byID {
		if jb.State == JobQueued {
			queued++
		}
	}
	j.mu.Unlock()
	if queued >= MaxQueuedJobs {
		return errorf(tradescreen.EUNAVAILABLE, "%d batch jobs are waiting to run; submit again later", queued)
	}

	// Uploads may be large: give this request more time than the server's read timeout.
	_ = nethttp.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
	dir := filepath.Join(j.dir, job.ID)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	accepted := false
	defer func() {
		if !accepted {
			_ = os.RemoveAll(dir)
		}
	}()
	limit := s.maxUploadSize()
	f, err := os.Create(filepath.Join(dir, inputName(format)))
	if err != nil {
		return err
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, sum), nethttp.MaxBytesReader(w, r.Body, limit))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var mbe *nethttp.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return errorf(tradescreen.ETOOLARGE, "body: larger than %d bytes; split the file", limit)
	case err != nil:
		return fmt.Errorf("store upload: %w", err)
	case n == 0:
		return errorf(tradescreen.EINVALID, "body: empty; send the file to screen")
	}
	job.InputBytes, job.SHA256, job.CreatedBy = n, hex.EncodeToString(sum.Sum(nil)), actor(r).Name
	if err := checkInput(filepath.Join(dir, inputName(format)), format, job.FileName); err != nil {
		return err
	}
	if s.Store != nil {
		// One audit record when the job is accepted and one when it ends, not one per row: the results
		// are the row-level record.
		if err := s.Store.Audit().AppendAudit(r.Context(), s.jobAuditEvent(job, "queued", batch.BatchStats{})); err != nil {
			return err
		}
	}
	if err := j.save(job); err != nil {
		return fmt.Errorf("save job: %w", err)
	}
	j.mu.Lock()
	j.byID[job.ID] = job
	cp := *job
	j.mu.Unlock()
	accepted = true
	j.queue <- job.ID
	s.logger().Info("batch job queued", "job", job.ID, "format", format, "bytes", n)
	w.Header().Set("Location", "/v1/batch/"+job.ID)
	writeJSON(w, nethttp.StatusAccepted, s.jobView(cp))
	return nil
}

func (s *Server) maxUploadSize() int64 {
	if s.MaxUploadSize > 0 {
		return s.MaxUploadSize
	}
	return DefaultMaxUploadSize
}

// parseBatchParams reads the screening options of POST /v1/batch. Errors are EINVALID naming the parameter.
func parseBatchParams(v url.Values, job *Job) error {
	for k, vals := range v {
		known := false
		for _, p := range batchParams {
			known = known || k == p
		}
		if !known {
			return errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: %s", k, strings.Join(batchParams, ", "))
		}
		if k != "source" && len(vals) > 1 {
			return errorf(tradescreen.EINVALID, "%s: given %d times; give it once", k, len(vals))
		}
	}
	if s := v.Get("threshold"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 || f > 1 {
			return errorf(tradescreen.EINVALID, "threshold: %q is not a number in (0, 1]", s)
		}
		job.Threshold = f
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return errorf(tradescreen.EINVALID, "limit: %q is not a whole number in 1..1000", s)
		}
		job.Limit = n
	}
	for _, s := range v["source"] {
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if _, ok := tradescreen.LookupSource(c); !ok {
				return errorf(tradescreen.EINVALID, "source: unknown list code %q", c)
			}
			job.Sources = append(job.Sources, c)
		}
	}
	if name := strings.TrimSpace(v.Get("name")); name != "" {
		job.FileName = filepath.Base(name)
	}
	return nil
}

// checkInput reads an upload's header (CSV, XLSX) or first row (JSONL), so that a file the job could never
// screen is refused at once. Errors are EUNPROCESSABLE with the file, line and field.
func checkInput(path, format, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := openReader(f, format, name)
	if err == nil {
		if c, ok := r.(io.Closer); ok {
			defer c.Close()
		}
		_, err = r.Read()
		if errors.Is(err, io.EOF) {
			err = &tradescreen.ParseError{File: name, Line: 1, Msg: "no rows to screen"}
		}
	}
	if err != nil {
		return errorf(tradescreen.EUNPROCESSABLE, "%s", tradescreen.ErrorMessage(err))
	}
	return nil
}

// jobView adds the result URLs to a finished job.
func (s *Server) jobView(job Job) Job {
	if job.State == JobDone {
		job.Results = map[string]string{}
		for f := range resultTypes {
			job.Results[f] = "/v1/batch/" + job.ID + "/results?format=" + f
		}
	}
	return job
}

// job returns the job named by the request's id. Errors are ENOTFOUND.
func (s *Server) job(r *nethttp.Request) (Job, error) {
	id := r.PathValue("id")
	if s.jobs == nil {
		return Job{}, errorf(tradescreen.ENOTFOUND, "batch jobs are not enabled on this server: it has no jobs directory")
	}
	job, ok := s.jobs.get(id)
	if !jobIDPattern.MatchString(id) || !ok {
		return Job{}, errorf(tradescreen.ENOTFOUND, "no batch job %q (jobs are kept %d days)", id, int(s.jobRetention()/(24*time.Hour)))
	}
	return job, nil
}

func (s *Server) handleBatchJob(w nethttp.ResponseWriter, r *nethttp.Request) error {
	job, err := s.job(r)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, s.jobView(job))
	return nil
}

func (s *Server) handleBatchResults(w nethttp.ResponseWriter, r *nethttp.Request) error {
	job, err := s.job(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "format" {
			return errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: format", k)
		}
	}
	format := v.Get("format")
	if format == "" {
		format = "jsonl"
	}
	ctype, ok := resultTypes[format]
	if !ok {
		return errorf(tradescreen.EINVALID, "format: %q is not jsonl, csv or xlsx", format)
	}
	switch job.State {
	case JobFailed:
		return errorf(tradescreen.ECONFLICT, "batch job %s failed: %s", job.ID, job.Error)
	case JobQueued, JobRunning:
		return errorf(tradescreen.ECONFLICT, "batch job %s is %s (%d rows done); fetch the results when its state is done", job.ID, job.State, job.RowsDone)
	}
	path := s.jobs.path(job.ID, "results."+format)
	if format == "xlsx" {
		if err := s.jobs.xlsx(job.ID); err != nil {
			return err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open results: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_ = nethttp.NewResponseController(w).SetWriteDeadline(time.Now().Add(downloadTimeout))
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="batch-%s.%s"`, job.ID, format))
	nethttp.ServeContent(w, r, "", st.ModTime(), f)
	return nil
}

// maxXLSXRows is the most rows an Excel worksheet holds.
const maxXLSXRows = 1 << 20

// xlsx writes a done job's results as an Excel workbook, from its CSV results, once.
func (j *jobs) xlsx(id string) error {
	j.convert.Lock()
	defer j.convert.Unlock()
	out := j.path(id, "results.xlsx")
	if _, err := os.Stat(out); err == nil {
		return nil
	}
	in, err := os.Open(j.path(id, "results.csv"))
	if err != nil {
		return fmt.Errorf("open results: %w", err)
	}
	defer in.Close()
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	numeric := map[int]bool{}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read results: %w", err)
		}
		if row > maxXLSXRows {
			return errorf(tradescreen.ECONFLICT, "the results have more rows than a worksheet holds (%d): download them as csv or jsonl", maxXLSXRows)
		}
		cells := make([]any, len(rec))
		for i, v := range rec {
			if row == 1 && (v == "match_count" || v == "best_score" || v == "best_unreviewed_score") && i >= len(rec)-len(batch.CSVColumns) {
				numeric[i] = true
			}
			cells[i] = v
			if numeric[i] && row > 1 && v != "" {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					cells[i] = x
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".results.xlsx-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := f.Write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// jobAuditEvent is the audit record of a batch job's submission (status queued) or end (completed, failed):
// action screen.batch, object "batch/<job id>", by the job's submitter.
func (s *Server) jobAuditEvent(job *Job, status string, stats batch.BatchStats) *tradescreen.AuditEvent {
	rec := batch.BatchRecord{Channel: "api", Input: job.ID, SHA256: job.SHA256, Lists: job.AsOf, BatchStats: stats, Status: status}
	who := tradescreen.Actor{Name: job.CreatedBy}
	if who.Name == "" {
		who.Name = LocalActor.Name
	}
	return batch.BatchAuditEvent(who, rec)
}
