// Package jobs is the queue of batch screening jobs a server runs in the background: each job's upload and
// results are kept in a directory of its own, so that jobs survive a restart (a job left queued or running
// runs again from the start). A job is one batch run (package batch) through the screening service,
// writing its results as JSON Lines, CSV and XLSX.
//
// With a database (Config.Store), the jobs' states are kept there and every instance sharing it (and the
// jobs directory) sees every job: a runner leases a job, renews its lease while it works, and commits the
// job's end with its audit record in one transaction; when a runner dies, its lease expires and another
// instance runs the job. Without one, the states are job.json files read by this instance alone.
package jobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/screening"
)

// Limits and defaults.
const (
	// MaxQueued is the most jobs waiting to run; Submit refuses more (EUNAVAILABLE).
	MaxQueued = 100
	// DefaultRetention is how long jobs (input and results) are kept.
	DefaultRetention = 7 * 24 * time.Hour
	// DefaultLease is how long a runner's lease on a job lasts unless renewed (every third of it): a job
	// whose runner died runs again on another instance after at most this long.
	DefaultLease = 30 * time.Second
	// DefaultPoll is how often an idle worker looks for jobs submitted to other instances.
	DefaultPoll = time.Second
	// DefaultChunkRows is the most rows of one chunk: with a database, a job with more input rows is split
	// in chunks that runners of every instance work on at once.
	DefaultChunkRows = 5000
	// progressEvery is how often a running job's progress is written.
	progressEvery = 250 * time.Millisecond
)

// Job states.
const (
	Queued  = "queued"
	Running = "running"
	Done    = "done"
	Failed  = "failed"
)

// Formats are the input and result formats.
var Formats = []string{"jsonl", "csv", "xlsx"}

// Job is one batch screening job, as GET /v1/batch/{id} shows it.
type Job struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Format is the input's format (csv, jsonl, xlsx); FileName the name used in error messages.
	Format     string `json:"format"`
	FileName   string `json:"file_name"`
	InputBytes int64  `json:"input_bytes"`
	// Threshold, Limit and Sources are the screening options (0 and empty: the defaults).
	Threshold float64  `json:"threshold,omitempty"`
	Limit     int      `json:"limit,omitempty"`
	Sources   []string `json:"sources,omitempty"`
	// NameColumns are the input's columns screened as names (empty: the first column named like a name).
	NameColumns []string   `json:"name_columns,omitempty"`
	Created     time.Time  `json:"created"`
	Started     *time.Time `json:"started,omitempty"`
	Finished    *time.Time `json:"finished,omitempty"`
	// RowsDone is the number of rows screened and written so far; Progress the share of the input read
	// (0..1; 1 when done).
	RowsDone    int     `json:"rows_done"`
	Progress    float64 `json:"progress"`
	WithMatches int     `json:"rows_with_matches"`
	Matches     int     `json:"matches"`
	Errors      int     `json:"row_errors"`
	// Error says why a failed job failed (a malformed row, with its line and field).
	Error string `json:"error,omitempty"`
	// AsOf names the lists and dates the job screened against; Lists gives each with its age, and Warnings
	// names those older than their maximum age (a row without hits is not a clear result against them).
	AsOf     string                   `json:"as_of,omitempty"`
	Lists    []tradescreen.ListStatus `json:"lists,omitempty"`
	Warnings []string                 `json:"warnings,omitempty"`
	// OwnershipDate is the date the 50 % rules were applied on, when the server has ownership data (the
	// results then carry each row's ownership findings: JSONL member and CSV column "ownership").
	OwnershipDate string `json:"ownership_date,omitempty"`
	// Results are the download URLs by format, once the job is done (set by the HTTP layer); Unavailable
	// says why a format's results were not written (an XLSX worksheet cannot hold the rows).
	Results     map[string]string `json:"results,omitempty"`
	Unavailable map[string]string `json:"unavailable,omitempty"`
	// CreatedBy is who submitted the job (recorded in the audit trail with the job's start and end);
	// SHA256 is the digest of the input.
	CreatedBy string `json:"created_by,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	// Chunks is the number of chunks of ChunkRows rows that a job of InputRows rows was split in, with a
	// database (none for a job run whole): runners of every instance sharing it screen them at once.
	Chunks    int `json:"chunks,omitempty"`
	ChunkRows int `json:"chunk_rows,omitempty"`
	InputRows int `json:"input_rows,omitempty"`

	// resultsDir is the directory of the results relative to the job's ("" for the job's own).
	resultsDir string
}

// Spec is what a submission asks: the input's format and name, and the screening options.
type Spec struct {
	Format, FileName string
	Threshold        float64
	Limit            int
	Sources          []string
	// NameColumns are the columns holding the names to screen (empty: detected from the header).
	NameColumns []string
}

// Config sets up a Queue.
type Config struct {
	// Dir holds the jobs, one subdirectory each.
	Dir string
	// Service screens the jobs' rows and records their ends in the audit trail.
	Service *screening.Service
	// Workers is how many jobs run at once (1 when zero); CPUs how many goroutines screen one job's rows (0:
	// every CPU but one, so that searches keep a CPU while a large job runs).
	Workers, CPUs int
	// Retention is how long jobs are kept (DefaultRetention when zero).
	Retention time.Duration
	// Logger receives the jobs' starts, ends and failures (slog.Default() when nil).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Version is the program's version, for the records.
	Version string
	// Store, when set, keeps the jobs in the database, shared with every instance using it: they must share
	// Dir too (a shared file system). Nil keeps them in Dir alone, for this instance.
	Store tradescreen.BatchJobService
	// Lease is how long a runner's lease lasts unless renewed (DefaultLease when zero); Poll how often an
	// idle worker looks for jobs submitted elsewhere (DefaultPoll when zero). Both matter with a Store only.
	Lease, Poll time.Duration
	// ChunkRows is the most rows of one chunk of a job (DefaultChunkRows when zero; negative: jobs are not
	// split). With a Store only.
	ChunkRows int
}

// Queue runs batch jobs from a directory (and a database, with Config.Store).
type Queue struct {
	cfg Config
	t   table
	// wake tells the workers that this instance queued a job.
	wake chan struct{}

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)

// Open opens the jobs directory, queues again the jobs left unfinished (in the directory alone; in the
// database they are leased again once their leases expire), removes jobs older than the retention, and
// starts the workers. Errors: the directory's, the database's.
func Open(cfg Config) (*Queue, error) {
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("jobs directory: %w", err)
	}
	q := &Queue{cfg: cfg, wake: make(chan struct{}, max(1, cfg.Workers))}
	q.ctx, q.cancel = context.WithCancel(context.Background())
	if cfg.Store != nil {
		dt := newDBTable(cfg.Store, q.lease())
		imported, err := dt.importFiles(q.ctx, cfg.Dir)
		if err != nil {
			return nil, err
		}
		if len(imported) > 0 {
			q.logger().Info("batch jobs moved from the jobs directory into the database", "jobs", len(imported))
		}
		reclaimed, err := dt.reclaim(q.ctx)
		if err != nil {
			return nil, fmt.Errorf("batch jobs: %w", err)
		}
		for _, id := range reclaimed {
			q.logger().Info("batch job queued again after a restart", "job", id)
		}
		q.t = dt
		if err := q.expire(); err != nil {
			return nil, err
		}
	} else {
		ft := &fileTable{dir: cfg.Dir, svc: cfg.Service, byID: map[string]*Job{}}
		requeued, err := ft.load(q.now().Add(-q.retention()))
		if err != nil {
			return nil, err
		}
		for _, id := range requeued {
			q.logger().Info("batch job queued again after a restart", "job", id)
		}
		q.t = ft
	}
	for range max(1, cfg.Workers) {
		q.wg.Go(q.work)
	}
	q.wg.Go(q.sweep)
	return q, nil
}

// expire removes the jobs older than the retention, with their directories, and (with a database) the
// directories older than the retention that hold no job of the database's (a submission cut short).
func (q *Queue) expire() error {
	before := q.now().Add(-q.retention())
	ids, err := q.t.expire(q.ctx, before)
	for _, id := range ids {
		_ = os.RemoveAll(filepath.Join(q.cfg.Dir, id))
	}
	if err != nil {
		return fmt.Errorf("expire batch jobs: %w", err)
	}
	if q.cfg.Store == nil {
		return nil
	}
	ents, _ := os.ReadDir(q.cfg.Dir)
	for _, e := range ents {
		info, ierr := e.Info()
		if !e.IsDir() || !idPattern.MatchString(e.Name()) || ierr != nil || !info.ModTime().Before(before) {
			continue
		}
		if _, err := q.t.get(q.ctx, e.Name()); tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND {
			_ = os.RemoveAll(filepath.Join(q.cfg.Dir, e.Name()))
		}
	}
	return nil
}

// sweep removes expired jobs every hour until the queue closes.
func (q *Queue) sweep() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-q.ctx.Done():
			return
		case <-t.C:
			if err := q.expire(); err != nil && q.ctx.Err() == nil {
				q.logger().Error("batch jobs: expire", "error", err.Error())
			}
		}
	}
}

func (q *Queue) lease() time.Duration {
	if q.cfg.Lease > 0 {
		return q.cfg.Lease
	}
	return DefaultLease
}

func (q *Queue) chunkRows() int {
	if q.cfg.ChunkRows != 0 {
		return q.cfg.ChunkRows
	}
	return DefaultChunkRows
}

func (q *Queue) poll() time.Duration {
	if q.cfg.Poll > 0 {
		return q.cfg.Poll
	}
	return DefaultPoll
}

func (q *Queue) now() time.Time {
	if q.cfg.Now != nil {
		return q.cfg.Now()
	}
	return time.Now()
}

func (q *Queue) logger() *slog.Logger {
	if q.cfg.Logger != nil {
		return q.cfg.Logger
	}
	return slog.Default()
}

// Retention is how long jobs are kept.
func (q *Queue) retention() time.Duration {
	if q.cfg.Retention > 0 {
		return q.cfg.Retention
	}
	return DefaultRetention
}

// RetentionDays is how many days jobs are kept, for messages.
func (q *Queue) RetentionDays() int { return int(q.retention() / (24 * time.Hour)) }

// CPUs is how many goroutines screen the rows of one job: Config.CPUs, or every CPU but one (at least one).
func (q *Queue) CPUs() int {
	if q.cfg.CPUs > 0 {
		return q.cfg.CPUs
	}
	return max(1, runtime.GOMAXPROCS(0)-1)
}

// Close cancels the running jobs (they run again after a restart, or at once on another instance sharing
// the database) and waits for the workers until ctx ends.
func (q *Queue) Close(ctx context.Context) {
	q.cancel()
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (q *Queue) path(id string, name string) string { return filepath.Join(q.cfg.Dir, id, name) }

// resultPath is the path of a file of a job's results.
func (q *Queue) resultPath(job *Job, name string) string {
	return filepath.Join(q.cfg.Dir, job.ID, job.resultsDir, name)
}

// Get returns a job's state. Errors: ENOTFOUND, the database's.
func (q *Queue) Get(id string) (Job, error) {
	if !idPattern.MatchString(id) {
		return Job{}, q.notFound(id)
	}
	job, err := q.t.get(context.Background(), id)
	if tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND {
		return Job{}, q.notFound(id)
	}
	if err != nil {
		return Job{}, err
	}
	return *job, nil
}

func (q *Queue) notFound(id string) error {
	return tradescreen.Errorf(tradescreen.ENOTFOUND, "no batch job %q (jobs are kept %d days)", id, q.RetentionDays())
}

// GetAs returns a job's state if actor may see it (CanSee). Errors: ENOTFOUND, the same for a job of
// someone else's as for no job, so that ids found elsewhere (the audit trail names them) reveal nothing.
func (q *Queue) GetAs(actor tradescreen.Actor, id string) (Job, error) {
	job, err := q.Get(id)
	if err != nil {
		return Job{}, err
	}
	if !CanSee(actor, job) {
		return Job{}, q.notFound(id)
	}
	return job, nil
}

// CanSee reports whether actor may see a job, its upload and its results: the job's creator, and approvers
// and admins (who review others' work). The upload holds the creator's parties with every column they sent.
func CanSee(actor tradescreen.Actor, job Job) bool {
	return actor.Name == job.CreatedBy || actor.Role.AtLeast(tradescreen.RoleApprover)
}

// Submit stores an upload read from in as a new job and queues it, as actor. Errors: EUNAVAILABLE when
// MaxQueued jobs wait, EINVALID for an empty upload, EUNPROCESSABLE for a file the job could never screen
// (no name column, not its format), the reader's error (the caller's size limit), the store's and the
// audit trail's.
func (q *Queue) Submit(ctx context.Context, actor tradescreen.Actor, in io.Reader, spec Spec) (Job, error) {
	n, err := q.t.count(ctx, Queued)
	if err != nil {
		return Job{}, err
	}
	if n >= MaxQueued {
		return Job{}, tradescreen.Errorf(tradescreen.EUNAVAILABLE, "%d batch jobs are waiting to run; submit again later", n)
	}
	job := &Job{ID: newID(), State: Queued, Format: spec.Format, FileName: spec.FileName, Created: q.now().UTC().Truncate(time.Microsecond),
		Threshold: spec.Threshold, Limit: spec.Limit, Sources: spec.Sources, NameColumns: spec.NameColumns, CreatedBy: actor.Name}
	if job.FileName == "" {
		job.FileName = "upload." + spec.Format
	}
	dir := filepath.Join(q.cfg.Dir, job.ID)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return Job{}, err
	}
	accepted := false
	defer func() {
		if !accepted {
			_ = os.RemoveAll(dir)
		}
	}()
	if err := q.store(job, in); err != nil {
		return Job{}, err
	}
	// One audit record when the job is accepted and one when it ends, not one per row: the results are the
	// row-level record.
	if err := q.t.insert(ctx, job, q.auditEvent(job, "queued", batch.BatchStats{})); err != nil {
		return Job{}, err
	}
	accepted = true
	select {
	case q.wake <- struct{}{}:
	default:
	}
	q.logger().Info("batch job queued", "job", job.ID, "format", job.Format, "bytes", job.InputBytes)
	return *job, nil
}

// store writes the upload to the job's input file, synced, and checks that it can be screened.
func (q *Queue) store(job *Job, in io.Reader) error {
	path := q.path(job.ID, inputName(job.Format))
	f, err := atomicfile.Create(path, 0o600)
	if err != nil {
		return err
	}
	defer f.Abort()
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, sum), in)
	if err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	if n == 0 {
		return tradescreen.Errorf(tradescreen.EINVALID, "body: empty; send the file to screen")
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	job.InputBytes, job.SHA256 = n, hex.EncodeToString(sum.Sum(nil))
	return checkInput(path, job.Format, job.FileName, batch.ReaderOptions{NameColumns: job.NameColumns})
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// inputName is the file name of a job's input.
func inputName(format string) string { return "input." + format }

// reportName is the file name of a job's HTML report.
const reportName = "report.html"

// resultName is the file name of a job's results in a format.
func resultName(format string) string { return "results." + format }

// checkInput reads an upload's header (CSV, XLSX) or first row (JSONL), so that a file the job could never
// screen is refused at once. Errors are EUNPROCESSABLE with the file, line and field, ETOOLARGE for a workbook
// past the XLSX reader's limits.
func checkInput(path, format, name string, opt batch.ReaderOptions) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := newReader(f, format, name, opt)
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
		code := tradescreen.EUNPROCESSABLE
		if tradescreen.ErrorCode(err) == tradescreen.ETOOLARGE {
			// A workbook past the reader's limits (batch.MaxXLSX...).
			code = tradescreen.ETOOLARGE
		}
		return tradescreen.Errorf(code, "%s", tradescreen.ErrorMessage(err))
	}
	return nil
}

// newReader reads an input of a format.
func newReader(f io.Reader, format, name string, opt batch.ReaderOptions) (batch.RowReader, error) {
	switch format {
	case "jsonl":
		return batch.NewJSONLReaderOptions(f, name, opt), nil
	case "xlsx":
		return batch.NewXLSXReaderOptions(f, name, opt)
	}
	return batch.NewCSVReaderOptions(f, name, opt)
}

// Results returns the path of a done job's results in format. Errors: ENOTFOUND, EINVALID for an unknown
// format, ECONFLICT when the job is not done or failed, or the format's results could not be written.
func (q *Queue) Results(id, format string) (string, error) {
	job, err := q.Get(id)
	if err != nil {
		return "", err
	}
	known := false
	for _, f := range Formats {
		known = known || f == format
	}
	if !known {
		return "", tradescreen.Errorf(tradescreen.EINVALID, "format: %q is not jsonl, csv or xlsx", format)
	}
	switch job.State {
	case Failed:
		return "", tradescreen.Errorf(tradescreen.ECONFLICT, "batch job %s failed: %s", job.ID, job.Error)
	case Queued, Running:
		return "", tradescreen.Errorf(tradescreen.ECONFLICT, "batch job %s is %s (%d rows done); fetch the results when its state is done", job.ID, job.State, job.RowsDone)
	}
	if why := job.Unavailable[format]; why != "" {
		return "", tradescreen.Errorf(tradescreen.ECONFLICT, "batch job %s has no %s results: %s; download them as csv or jsonl", job.ID, format, why)
	}
	return q.resultPath(&job, resultName(format)), nil
}

// Report returns the path of a done job's HTML report: one self-contained page with the counts per list,
// the rows with hits and their explanations, the errors, the lists' dates and the input's SHA-256. Errors:
// ENOTFOUND, ECONFLICT when the job is not done (or ran before jobs wrote a report).
func (q *Queue) Report(id string) (string, error) {
	job, err := q.Get(id)
	if err != nil {
		return "", err
	}
	if job.State != Done {
		return "", tradescreen.Errorf(tradescreen.ECONFLICT, "batch job %s is %s; its report is written when it is done", job.ID, job.State)
	}
	path := q.resultPath(&job, reportName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return "", tradescreen.Errorf(tradescreen.ECONFLICT, "batch job %s has no report: it ran before reports were written; download its results", job.ID)
	}
	return path, nil
}

// List returns the jobs created by the named user, newest first; every job when createdBy is empty.
// Errors: the database's.
func (q *Queue) List(createdBy string) ([]Job, error) {
	return q.t.list(context.Background(), createdBy)
}

// auditEvent is the audit record of a job's submission (status queued) or end (completed, failed): action
// screen.batch, object "batch/<job id>", by the job's submitter.
func (q *Queue) auditEvent(job *Job, status string, stats batch.BatchStats) *tradescreen.AuditEvent {
	rec := batch.BatchRecord{Channel: "api", Input: job.ID, SHA256: job.SHA256, Lists: job.AsOf, BatchStats: stats, Status: status}
	return batch.BatchAuditEvent(tradescreen.Actor{Name: job.CreatedBy}, rec)
}
