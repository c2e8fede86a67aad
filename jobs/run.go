package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// work runs jobs until the queue closes: it leases the next job once the lists are loaded, or waits for
// one to be queued here or, with a database, submitted elsewhere.
func (q *Queue) work() {
	for q.ctx.Err() == nil {
		if !q.cfg.Service.Ready() {
			q.sleep(nil, 100*time.Millisecond)
			continue
		}
		job, l, err := q.t.lease(q.ctx)
		if err != nil && q.ctx.Err() == nil {
			q.logger().Error("batch jobs: lease", "error", err.Error())
		}
		if job == nil {
			q.sleep(q.wake, q.poll())
			continue
		}
		q.run(job, l)
	}
}

// sleep waits for d, a wake-up or the queue's end.
func (q *Queue) sleep(wake <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-q.ctx.Done():
	case <-wake:
	case <-t.C:
	}
}

// run screens one leased job: a batch run into the lease's results directory, while the lease is renewed;
// its end is recorded with its audit record under the lease. A runner whose lease was taken over stops and
// leaves the job to its successor; one shut down puts the job back in the queue.
func (q *Queue) run(job *Job, l *runLease) {
	svc := q.cfg.Service
	start := q.now().UTC()
	started := job.Started
	lists := svc.Lists()
	job.State, job.Started, job.AsOf, job.OwnershipDate = Running, &start, screen.AsOf(tradescreen.Versions(lists)), ""
	job.Lists, job.Warnings, job.RowsDone, job.Progress, job.resultsDir = lists, screening.StaleWarning(lists), 0, 0, l.dir
	if g, _ := svc.Ownership(); g != nil {
		job.OwnershipDate = start.Format(time.DateOnly)
	}
	if err := q.checkShared(job, l); err != nil {
		q.finish(job, l, start, nil, err)
		return
	}
	if err := os.MkdirAll(q.resultPath(job, ""), 0o700); err != nil {
		q.finish(job, l, start, nil, fmt.Errorf("results directory: %w", err))
		return
	}
	if db, ok := q.t.(*dbTable); ok {
		if job.Chunks > 0 && started != nil {
			job.Started = started // the job started with its first chunk
		}
		if q.chunked(db, job, l, start) {
			return
		}
	}
	if !q.write(job, l) {
		return
	}
	q.logger().Info("batch job started", "job", job.ID, "format", job.Format, "bytes", job.InputBytes)
	ctx, cancel := context.WithCancel(q.ctx)
	lost := make(chan struct{})
	renewed := make(chan struct{})
	go func() { defer close(renewed); q.keepLease(ctx, cancel, l, lost) }()
	res, err := batch.Run(ctx, svc, q.batchJob(job, l, cancel, lost))
	cancel()
	<-renewed
	select {
	case <-lost:
		q.dropRun(job, l, "batch job taken over by another runner: its lease was lost")
		return
	default:
	}
	if q.ctx.Err() != nil {
		// Shut down mid-job: it runs again from the start, after a restart or on another instance.
		q.dropRun(job, l, "")
		job.State, job.Started, job.RowsDone, job.Progress, job.resultsDir = Queued, nil, 0, 0, ""
		if err := q.t.release(context.Background(), l, job); err != nil {
			q.logger().Error("batch job: release", "job", job.ID, "error", err.Error())
		}
		q.logger().Info("batch job interrupted by shutdown; it runs again", "job", job.ID)
		return
	}
	q.finish(job, l, start, res, err)
}

// checkShared fails a job leased from the database whose input this instance cannot find: it was
// submitted to an instance with another jobs directory, which instances sharing a database must share.
func (q *Queue) checkShared(job *Job, l *runLease) error {
	if l.db == nil {
		return nil
	}
	path := q.path(job.ID, inputName(job.Format))
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	q.logger().Error("batch job: input not found; instances sharing a database must share their jobs directory", "job", job.ID, "path", path)
	return tradescreen.Errorf(tradescreen.EUNAVAILABLE, "the job's upload is not in the jobs directory of the server that ran it: servers sharing a database must share their jobs directory; submit the job again")
}

// write writes a running job's state and reports whether the lease still holds.
func (q *Queue) write(job *Job, l *runLease) bool {
	err := q.t.update(q.ctx, l, job)
	if tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
		q.dropRun(job, l, "batch job taken over by another runner: its lease was lost")
		return false
	}
	if err != nil && q.ctx.Err() == nil {
		q.logger().Error("batch job: write state", "job", job.ID, "error", err.Error())
	}
	return true
}

// keepLease renews l every third of its duration until ctx ends; when the lease is lost (another runner took
// the job over) it closes lost and cancels the run.
func (q *Queue) keepLease(ctx context.Context, cancel context.CancelFunc, l *runLease, lost chan struct{}) {
	t := time.NewTicker(q.lease() / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := q.t.renew(ctx, l)
		if tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
			closeOnce(lost)
			cancel()
			return
		}
		if err != nil && ctx.Err() == nil {
			q.logger().Error("batch job: renew lease", "error", err.Error())
		}
	}
}

// closeOnce closes c unless it is closed.
func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

// dropRun removes what a run wrote in a results directory of its own (a lease's, with a database), logging
// why when why is set.
func (q *Queue) dropRun(job *Job, l *runLease, why string) {
	if l.dir != "" {
		_ = os.RemoveAll(q.resultPath(job, ""))
	}
	if why != "" {
		q.logger().Info(why, "job", job.ID)
	}
}

// batchJob is the batch run of a job: its input into its lease's results, on all but one CPU. Its progress
// is written every progressEvery; a write refused because the lease was lost stops the run.
func (q *Queue) batchJob(job *Job, l *runLease, cancel context.CancelFunc, lost chan struct{}) batch.Job {
	last := time.Now()
	outs := make([]string, len(Formats))
	for i, f := range Formats {
		outs[i] = q.resultPath(job, resultName(f))
	}
	return batch.Job{
		Input: q.path(job.ID, inputName(job.Format)), Name: job.FileName, ID: job.ID, Format: job.Format,
		Reader: batch.ReaderOptions{NameColumns: job.NameColumns}, Report: q.resultPath(job, reportName),
		Outputs: outs, Restart: true, Version: q.cfg.Version,
		Options: batch.BatchOptions{Threshold: job.Threshold, Limit: job.Limit, Sources: job.Sources, Workers: q.CPUs(),
			OwnershipDate: q.now().UTC().Format(time.DateOnly)},
		Progress: func(done int, read int64) {
			if time.Since(last) < progressEvery {
				return
			}
			last = time.Now()
			job.RowsDone, job.Progress = done, 0
			if job.InputBytes > 0 {
				job.Progress = min(0.99, float64(read)/float64(job.InputBytes))
			}
			if err := q.t.update(q.ctx, l, job); tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
				closeOnce(lost)
				cancel()
			}
		},
	}
}

// finish records a job's end with its audit record (action screen.batch, status completed or failed) under
// its lease, in one transaction with a database. The failure is logged before the job shows it, so whoever
// sees a failed job finds its log line.
func (q *Queue) finish(job *Job, l *runLease, start time.Time, res *batch.Result, err error) {
	end := q.now().UTC()
	var st batch.BatchStats
	if res != nil {
		st = res.Stats
		if err != nil {
			st.Rows = res.Screened
		}
	}
	if err != nil {
		q.removeResults(job)
		if tradescreen.ErrorCode(err) == tradescreen.EINTERNAL {
			q.logger().Error("batch job failed", "job", job.ID, "rows", st.Rows, "error", err.Error())
		} else {
			q.logger().Info("batch job failed", "job", job.ID, "rows", st.Rows, "error", tradescreen.ErrorMessage(err))
		}
	}
	job.Finished = &end
	job.RowsDone, job.WithMatches, job.Matches, job.Errors = st.Rows, st.WithMatches, st.Matches, st.Errors
	if err != nil {
		job.State, job.Error, job.resultsDir = Failed, failure(err), ""
	} else {
		job.State, job.Progress = Done, 1
		q.unavailable(job, res.Dropped)
	}
	ferr := q.t.finish(context.WithoutCancel(q.ctx), l, job, q.endEvent(job, res, err))
	switch {
	case tradescreen.ErrorCode(ferr) == tradescreen.ECONFLICT:
		q.dropRun(job, l, "batch job taken over by another runner before its end was recorded")
		return
	case ferr != nil:
		q.logger().Error("batch job: record its end", "job", job.ID, "error", ferr.Error())
		return
	}
	q.removeOtherRuns(job, l)
	if err == nil {
		q.logger().Info("batch job done", "job", job.ID, "rows", st.Rows, "rows_with_matches", st.WithMatches,
			"duration", end.Sub(start).Round(time.Millisecond))
	}
}

// unavailable notes the result formats the run dropped, and why.
func (q *Queue) unavailable(job *Job, dropped map[string]string) {
	for path, why := range dropped {
		for _, f := range Formats {
			if path == q.resultPath(job, resultName(f)) {
				if job.Unavailable == nil {
					job.Unavailable = map[string]string{}
				}
				job.Unavailable[f] = why
			}
		}
	}
}

// endEvent is the audit record of a job's end, as the screening service records a batch run's: status
// completed or failed, with the run's counts; a job that failed before its input was read (its upload
// missing) is recorded failed with none, so that every job's end is in the trail.
func (q *Queue) endEvent(job *Job, res *batch.Result, err error) *tradescreen.AuditEvent {
	rec := batch.BatchRecord{Channel: "api", Input: job.ID, SHA256: job.SHA256, Lists: job.AsOf, Status: "completed",
		Output: q.resultPath(job, resultName(Formats[0]))}
	if res != nil {
		rec.SHA256, rec.Lists, rec.BatchStats = res.InputSHA256, screen.AsOf(tradescreen.Versions(res.Lists)), res.Stats
	}
	if err != nil {
		rec.Status = "failed"
	}
	return batch.BatchAuditEvent(tradescreen.Actor{Name: job.CreatedBy}, rec)
}

// removeOtherRuns removes the results directories of the job's other leases (runners that died or were
// taken over), once this lease's results are the job's.
func (q *Queue) removeOtherRuns(job *Job, l *runLease) {
	if l.dir == "" {
		return
	}
	ents, _ := os.ReadDir(filepath.Join(q.cfg.Dir, job.ID))
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), "run-") && e.Name() != l.dir {
			_ = os.RemoveAll(filepath.Join(q.cfg.Dir, job.ID, e.Name()))
		}
	}
}

// failure is what a failed job says: the error's message, or that the disk is full, or "internal error".
func failure(err error) string {
	if tradescreen.ErrorCode(err) == tradescreen.EINTERNAL && errors.Is(err, syscall.ENOSPC) {
		return "the server's disk is full (no space left on device): the partial results were removed; submit the job again once space is freed"
	}
	return tradescreen.ErrorMessage(err)
}

// removeResults removes what a failed job wrote beside its input: partial results and the batch run's
// temporary and progress files (the lease's results directory, with a database), so that a failure (a full
// disk above all) leaves no half-written file behind. The input stays until the job expires, for whoever
// asks why it failed.
func (q *Queue) removeResults(job *Job) {
	if job.resultsDir != "" {
		_ = os.RemoveAll(q.resultPath(job, ""))
		return
	}
	ents, err := os.ReadDir(filepath.Join(q.cfg.Dir, job.ID))
	if err != nil {
		return
	}
	for _, e := range ents {
		if n := e.Name(); n != "job.json" && n != inputName(job.Format) {
			_ = os.RemoveAll(filepath.Join(q.cfg.Dir, job.ID, n))
		}
	}
}
