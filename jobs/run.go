package jobs

import (
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/screen"
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
	asOf := screen.AsOf(tradescreen.Versions(svc.Lists()))
	ownDate := ""
	if g, _ := svc.Ownership(); g != nil {
		ownDate = start.Format(time.DateOnly)
	}
	_ = q.update(id, true, func(jb *Job) {
		jb.State, jb.Started, jb.AsOf, jb.OwnershipDate = Running, &start, asOf, ownDate
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
			jb.State, jb.Error = Failed, tradescreen.ErrorMessage(err)
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
