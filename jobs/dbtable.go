package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tradescreen/tradescreen"
)

// dbTable keeps the jobs in the database shared by several instances (tradescreen.BatchJobService): every
// instance sees every job, and each job is leased by one runner at a time, which renews its lease while
// it works. Each lease writes its results in a directory of its own ("run-<token>" in the job's directory),
// so that a runner taken over after its lease expired never writes over its successor's files; the job's
// end names the directory whose results count.
type dbTable struct {
	store tradescreen.BatchJobService
	// ttl is how long a lease lasts without renewal; host names the instance in the holders' tokens.
	ttl  time.Duration
	host string
}

func newDBTable(store tradescreen.BatchJobService, ttl time.Duration) *dbTable {
	host, _ := os.Hostname()
	return &dbTable{store: store, ttl: ttl, host: fmt.Sprintf("%s:%d", host, os.Getpid())}
}

// record is a job as the database keeps it.
func record(job *Job) (*tradescreen.BatchJobRecord, error) {
	doc, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	return &tradescreen.BatchJobRecord{ID: job.ID, State: job.State, CreatedBy: job.CreatedBy, Created: job.Created,
		Started: job.Started, Finished: job.Finished, SHA256: job.SHA256, Rows: job.RowsDone, WithMatches: job.WithMatches,
		Matches: job.Matches, Errors: job.Errors, Error: job.Error, Doc: string(doc), ResultsDir: job.resultsDir}, nil
}

// fromRecord is the job of a database record: its document, with the columns over it.
func fromRecord(rec *tradescreen.BatchJobRecord) (*Job, error) {
	var job Job
	if err := json.Unmarshal([]byte(rec.Doc), &job); err != nil {
		return nil, fmt.Errorf("batch job %s: %w", rec.ID, err)
	}
	job.ID, job.State, job.CreatedBy, job.Created, job.Started, job.Finished = rec.ID, rec.State, rec.CreatedBy, rec.Created, rec.Started, rec.Finished
	job.SHA256, job.RowsDone, job.WithMatches, job.Matches, job.Errors, job.Error = rec.SHA256, rec.Rows, rec.WithMatches, rec.Matches, rec.Errors, rec.Error
	job.resultsDir = rec.ResultsDir
	if job.State == Running && job.Chunks > 0 && job.InputRows > 0 {
		// A split job's rows are its chunks' summed; its progress is their share of the input.
		job.Progress = min(0.99, float64(job.RowsDone)/float64(job.InputRows))
	}
	return &job, nil
}

func (t *dbTable) insert(ctx context.Context, job *Job, queued *tradescreen.AuditEvent) error {
	rec, err := record(job)
	if err != nil {
		return err
	}
	return t.store.CreateBatchJob(ctx, rec, queued)
}

func (t *dbTable) get(ctx context.Context, id string) (*Job, error) {
	rec, err := t.store.FindBatchJob(ctx, id)
	if err != nil {
		return nil, err
	}
	return fromRecord(rec)
}

func (t *dbTable) list(ctx context.Context, createdBy string) ([]Job, error) {
	recs, err := t.store.FindBatchJobs(ctx, createdBy)
	if err != nil {
		return nil, err
	}
	out := make([]Job, 0, len(recs))
	for _, rec := range recs {
		job, err := fromRecord(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, *job)
	}
	return out, nil
}

func (t *dbTable) count(ctx context.Context, state string) (int, error) {
	return t.store.CountBatchJobs(ctx, state)
}

func (t *dbTable) lease(ctx context.Context) (*Job, *runLease, error) {
	token := newID()
	rec, l, err := t.store.LeaseBatchJob(ctx, t.host+":"+token, t.ttl)
	if tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	job, err := fromRecord(rec)
	if err != nil {
		return nil, nil, err
	}
	return job, &runLease{dir: "run-" + token, db: l}, nil
}

func (t *dbTable) renew(ctx context.Context, l *runLease) error {
	return t.store.RenewBatchJobLease(ctx, l.db, t.ttl)
}

func (t *dbTable) update(ctx context.Context, l *runLease, job *Job) error {
	rec, err := record(job)
	if err != nil {
		return err
	}
	return t.store.UpdateBatchJob(ctx, l.db, rec)
}

func (t *dbTable) finish(ctx context.Context, l *runLease, job *Job, end *tradescreen.AuditEvent) error {
	rec, err := record(job)
	if err != nil {
		return err
	}
	return t.store.FinishBatchJob(ctx, l.db, rec, end)
}

func (t *dbTable) release(ctx context.Context, l *runLease, job *Job) error {
	rec, err := record(job)
	if err != nil {
		return err
	}
	return t.store.ReleaseBatchJob(ctx, l.db, rec)
}

func (t *dbTable) expire(ctx context.Context, before time.Time) ([]string, error) {
	return t.store.DeleteBatchJobs(ctx, before)
}

// importFiles moves into the database the jobs a server kept in job.json files before its jobs were shared
// (the jobs directory alone): each is inserted as it was (one left queued or running is queued again) and
// its job.json removed once the database has it. A job already there is left as it is.
func (t *dbTable) importFiles(ctx context.Context, dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("jobs directory: %w", err)
	}
	var ids []string
	for _, e := range ents {
		// A job's directory without job.json is one of the database's (or was never accepted: the
		// retention removes it).
		path := filepath.Join(dir, e.Name(), "job.json")
		b, err := os.ReadFile(path)
		var job Job
		if !e.IsDir() || !idPattern.MatchString(e.Name()) || err != nil || json.Unmarshal(b, &job) != nil || job.ID != e.Name() {
			continue
		}
		if job.State == Queued || job.State == Running {
			job.State, job.Started, job.RowsDone, job.Progress = Queued, nil, 0, 0
		}
		if err := t.insert(ctx, &job, nil); err != nil && tradescreen.ErrorCode(err) != tradescreen.ECONFLICT {
			return ids, fmt.Errorf("import batch job %s: %w", job.ID, err)
		}
		_ = os.Remove(path)
		ids = append(ids, job.ID)
	}
	return ids, nil
}

// reclaim frees the leases held by runners of this machine whose process no longer runs (this server
// before a restart, killed or crashed), so that their jobs run again at once rather than after their leases
// expire. A holder is "host:pid:token"; a process that cannot be told dead is left to its lease's expiry.
func (t *dbTable) reclaim(ctx context.Context) ([]string, error) {
	leases, err := t.store.FindBatchJobLeases(ctx)
	if err != nil {
		return nil, err
	}
	host, _, _ := strings.Cut(t.host, ":")
	var ids []string
	for _, l := range leases {
		parts := strings.Split(l.Holder, ":")
		if len(parts) != 3 || parts[0] != host {
			continue
		}
		pid, err := strconv.Atoi(parts[1])
		if err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		if err := t.store.ExpireBatchJobLease(ctx, l); err != nil {
			return ids, err
		}
		ids = append(ids, l.JobID)
	}
	return ids, nil
}

// alive reports whether a process runs (or cannot be told not to: a signal it refuses).
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}
