package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/screening"
)

// table keeps the jobs' states and hands them to runners: in the jobs directory alone (fileTable, one
// instance), or in the database every instance shares (dbTable).
type table interface {
	// insert stores a new job with its submission's audit record.
	insert(ctx context.Context, job *Job, queued *tradescreen.AuditEvent) error
	// get returns a job. Errors: ENOTFOUND.
	get(ctx context.Context, id string) (*Job, error)
	// list returns the jobs of a creator (every job for ""), newest first.
	list(ctx context.Context, createdBy string) ([]Job, error)
	// count counts the jobs in a state.
	count(ctx context.Context, state string) (int, error)
	// lease gives the runner the next job to run, nil when none waits.
	lease(ctx context.Context) (*Job, *runLease, error)
	// renew extends a lease; ECONFLICT when it was lost.
	renew(ctx context.Context, l *runLease) error
	// update writes a running job's state; ECONFLICT when the lease was lost.
	update(ctx context.Context, l *runLease, job *Job) error
	// finish records a job's end with its audit record; ECONFLICT when the lease was lost.
	finish(ctx context.Context, l *runLease, job *Job, end *tradescreen.AuditEvent) error
	// release puts a job back in the queue.
	release(ctx context.Context, l *runLease, job *Job) error
	// expire forgets the jobs created before a time and returns their ids.
	expire(ctx context.Context, before time.Time) ([]string, error)
}

// runLease is a runner's hold on a job: dir is where it writes the results, relative to the job's directory
// ("" for the directory itself); db is the database's lease (nil for the jobs directory alone).
type runLease struct {
	dir string
	db  *tradescreen.BatchJobLease
}

// fileTable keeps the jobs in memory and each job's state in its directory's job.json: one instance.
type fileTable struct {
	dir string
	svc *screening.Service

	mu      sync.Mutex
	byID    map[string]*Job
	pending []string
}

// load reads the jobs of the directory and queues again those left unfinished, oldest first; jobs created
// before `before` are removed.
func (t *fileTable) load(before time.Time) ([]string, error) {
	ents, err := os.ReadDir(t.dir)
	if err != nil {
		return nil, fmt.Errorf("jobs directory: %w", err)
	}
	var requeue []*Job
	for _, e := range ents {
		if !e.IsDir() || !idPattern.MatchString(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(t.dir, e.Name(), "job.json"))
		var job Job
		if err != nil || json.Unmarshal(b, &job) != nil || job.ID != e.Name() || job.Created.Before(before) {
			// A job whose state was never written completely was never accepted.
			_ = os.RemoveAll(filepath.Join(t.dir, e.Name()))
			continue
		}
		if job.State == Queued || job.State == Running {
			job.State, job.Started, job.RowsDone, job.Progress = Queued, nil, 0, 0
			requeue = append(requeue, &job)
		}
		t.byID[job.ID] = &job
	}
	sort.Slice(requeue, func(a, b int) bool { return requeue[a].Created.Before(requeue[b].Created) })
	var ids []string
	for _, job := range requeue {
		t.pending = append(t.pending, job.ID)
		ids = append(ids, job.ID)
	}
	return ids, nil
}

// save writes a job's state file atomically and durably.
func (t *fileTable) save(job *Job) error {
	b, err := json.MarshalIndent(job, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(t.dir, job.ID, "job.json"), b, 0o600)
}

func (t *fileTable) insert(ctx context.Context, job *Job, queued *tradescreen.AuditEvent) error {
	if err := t.svc.Record(ctx, queued); err != nil {
		return err
	}
	if err := t.save(job); err != nil {
		return fmt.Errorf("save job: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	cp := *job
	t.byID[job.ID] = &cp
	t.pending = append(t.pending, job.ID)
	return nil
}

func (t *fileTable) get(_ context.Context, id string) (*Job, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	job, ok := t.byID[id]
	if !ok {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no batch job %q", id)
	}
	cp := *job
	return &cp, nil
}

func (t *fileTable) list(_ context.Context, createdBy string) ([]Job, error) {
	t.mu.Lock()
	var out []Job
	for _, job := range t.byID {
		if createdBy == "" || job.CreatedBy == createdBy {
			out = append(out, *job)
		}
	}
	t.mu.Unlock()
	sort.Slice(out, func(a, b int) bool {
		if !out[a].Created.Equal(out[b].Created) {
			return out[a].Created.After(out[b].Created)
		}
		return out[a].ID < out[b].ID
	})
	return out, nil
}

func (t *fileTable) count(_ context.Context, state string) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, job := range t.byID {
		if job.State == state {
			n++
		}
	}
	return n, nil
}

func (t *fileTable) lease(context.Context) (*Job, *runLease, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.pending) > 0 {
		id := t.pending[0]
		t.pending = t.pending[1:]
		if job, ok := t.byID[id]; ok && job.State == Queued {
			job.State = Running
			cp := *job
			return &cp, &runLease{}, nil
		}
	}
	return nil, nil, nil
}

func (t *fileTable) renew(context.Context, *runLease) error { return nil }

func (t *fileTable) update(_ context.Context, _ *runLease, job *Job) error {
	t.mu.Lock()
	cp := *job
	t.byID[job.ID] = &cp
	t.mu.Unlock()
	return t.save(job)
}

func (t *fileTable) finish(ctx context.Context, l *runLease, job *Job, end *tradescreen.AuditEvent) error {
	if end != nil {
		if err := t.svc.Record(ctx, end); err != nil && job.State == Done {
			// The results are there but unrecorded: the job is not done.
			job.State, job.Error, job.Progress = Failed, "the results were written, but "+failure(err), 0
		}
	}
	return t.update(ctx, l, job)
}

func (t *fileTable) release(ctx context.Context, l *runLease, job *Job) error {
	if err := t.update(ctx, l, job); err != nil {
		return err
	}
	t.mu.Lock()
	t.pending = append([]string{job.ID}, t.pending...)
	t.mu.Unlock()
	return nil
}

func (t *fileTable) expire(_ context.Context, before time.Time) ([]string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ids []string
	for id, job := range t.byID {
		if job.Created.Before(before) && job.State != Running {
			delete(t.byID, id)
			ids = append(ids, id)
		}
	}
	return ids, nil
}
