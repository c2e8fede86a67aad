package jobs

import (
	"errors"
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

func (q *Queue) work() {
	for {
		select {
		case <-q.ctx.Done():
			return
		case id := <-q.queue:
			q.run(id)
		}
	}
}

// run screens one job once the lists are loaded: a batch run into the job's results, recorded in the audit
// trail by the screening service.
func (q *Queue) run(id string) {
	svc := q.cfg.Service
	for !svc.Ready() {
		select {
		case <-q.ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	job, _ := q.Get(id)
	start := q.now().UTC()
	lists := svc.Lists()
	asOf := screen.AsOf(tradescreen.Versions(lists))
	ownDate := ""
	if g, _ := svc.Ownership(); g != nil {
		ownDate = start.Format(time.DateOnly)
	}
	_ = q.update(id, true, func(jb *Job) {
		jb.State, jb.Started, jb.AsOf, jb.OwnershipDate = Running, &start, asOf, ownDate
		jb.Lists, jb.Warnings = lists, screening.StaleWarning(lists)
	})
	q.logger().Info("batch job started", "job", id, "format", job.Format, "bytes", job.InputBytes)
	res, err := svc.RunBatch(q.ctx, tradescreen.Actor{Name: job.CreatedBy}, "api", q.batchJob(&job))
	if q.ctx.Err() != nil {
		// Shut down mid-job: it runs again from the start after a restart.
		_ = q.update(id, true, func(jb *Job) { jb.State, jb.Started, jb.RowsDone, jb.Progress = Queued, nil, 0, 0 })
		q.logger().Info("batch job interrupted by shutdown; it runs again after a restart", "job", id)
		return
	}
	q.finish(id, start, res, err)
}

// batchJob is the batch run of a job: its input into its results, on all but one CPU.
func (q *Queue) batchJob(job *Job) batch.Job {
	last := time.Now()
	outs := make([]string, len(Formats))
	for i, f := range Formats {
		outs[i] = q.path(job.ID, resultName(f))
	}
	return batch.Job{
		Input: q.path(job.ID, inputName(job.Format)), Name: job.FileName, ID: job.ID, Format: job.Format,
		Reader: batch.ReaderOptions{NameColumns: job.NameColumns}, Report: q.path(job.ID, reportName),
		Settings: [][2]string{{"Name columns", nameColumns(job.NameColumns)}},
		Outputs:  outs, Restart: true, Version: q.cfg.Version,
		Options: batch.BatchOptions{Threshold: job.Threshold, Limit: job.Limit, Sources: job.Sources, Workers: q.CPUs(),
			OwnershipDate: q.now().UTC().Format(time.DateOnly)},
		Progress: func(done int, read int64) {
			p := 0.0
			if job.InputBytes > 0 {
				p = min(0.99, float64(read)/float64(job.InputBytes))
			}
			persist := time.Since(last) > time.Second
			if persist {
				last = time.Now()
			}
			_ = q.update(job.ID, persist, func(jb *Job) { jb.RowsDone, jb.Progress = done, p })
		},
	}
}

// nameColumns describes the name columns for the report.
func nameColumns(cols []string) string {
	if len(cols) == 0 {
		return "detected"
	}
	return strings.Join(cols, ", ")
}

// finish records a job's end in its state. The failure is logged before the job shows it, so whoever sees a
// failed job finds its log line.
func (q *Queue) finish(id string, start time.Time, res *batch.Result, err error) {
	end := q.now().UTC()
	var st batch.BatchStats
	if res != nil {
		st = res.Stats
		if err != nil {
			st.Rows = res.Screened
		}
	}
	if err != nil {
		q.removeResults(id)
		if tradescreen.ErrorCode(err) == tradescreen.EINTERNAL {
			q.logger().Error("batch job failed", "job", id, "rows", st.Rows, "error", err.Error())
		} else {
			q.logger().Info("batch job failed", "job", id, "rows", st.Rows, "error", tradescreen.ErrorMessage(err))
		}
	}
	_ = q.update(id, true, func(jb *Job) {
		jb.Finished = &end
		jb.RowsDone, jb.WithMatches, jb.Matches, jb.Errors = st.Rows, st.WithMatches, st.Matches, st.Errors
		if err != nil {
			jb.State, jb.Error = Failed, failure(err)
			return
		}
		jb.State, jb.Progress = Done, 1
		for path, why := range res.Dropped {
			if jb.Unavailable == nil {
				jb.Unavailable = map[string]string{}
			}
			for _, f := range Formats {
				if path == q.path(id, resultName(f)) {
					jb.Unavailable[f] = why
				}
			}
		}
	})
	if err == nil {
		q.logger().Info("batch job done", "job", id, "rows", st.Rows, "rows_with_matches", st.WithMatches,
			"duration", end.Sub(start).Round(time.Millisecond))
	}
}

// failure is what a failed job says: the error's message, or that the disk is full, or "internal error".
func failure(err error) string {
	if tradescreen.ErrorCode(err) == tradescreen.EINTERNAL && errors.Is(err, syscall.ENOSPC) {
		return "the server's disk is full (no space left on device): the partial results were removed; submit the job again once space is freed"
	}
	return tradescreen.ErrorMessage(err)
}

// removeResults removes what a failed job wrote beside its input and state: partial results and the batch
// run's temporary and progress files, so that a failure (a full disk above all) leaves no half-written
// file behind. The input stays until the job expires, for whoever asks why it failed.
func (q *Queue) removeResults(id string) {
	ents, err := os.ReadDir(filepath.Join(q.cfg.Dir, id))
	if err != nil {
		return
	}
	job, _ := q.Get(id)
	for _, e := range ents {
		if n := e.Name(); n != "job.json" && n != inputName(job.Format) {
			_ = os.RemoveAll(filepath.Join(q.cfg.Dir, id, n))
		}
	}
}
