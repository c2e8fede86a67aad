package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
)

// A job with more input rows than a chunk holds (Config.ChunkRows), kept in a database, is split in chunks
// by the runner that leases it first: each chunk has a lease of its own, which any runner of any instance
// takes under the same rules as a whole job's (exactly one holder; taken over once it expires). A chunk's
// runner screens only its rows (batch.BatchOptions Skip and Stop) into its own results directory, and commits
// them under its lease. The runner that commits the last chunk merges every chunk's results, in input
// order, into the job's, in the commit's transaction, with the job's end and its one audit record.

// chunkReport is the file in which a chunk's runner keeps what its part of the report shows.
const chunkReport = "report.json"

// chunked runs a job leased from the database in chunks when it has more rows than a chunk: it splits a
// job not yet split (chunk 0, leased whole) and runs the lease's chunk. It reports whether it ran the job
// (false: the job runs whole).
func (q *Queue) chunked(db *dbTable, job *Job, l *runLease, start time.Time) bool {
	if job.Chunks == 0 && l.db.Chunk == 0 {
		split, err := q.split(db, job, l)
		if tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
			q.dropRun(job, l, "batch job taken over by another runner: its lease was lost")
			return true
		}
		if err != nil {
			q.finish(job, l, start, nil, err)
			return true
		}
		if !split {
			return false
		}
	}
	if job.Chunks < 2 {
		return false
	}
	q.runChunk(db, job, l, start)
	return true
}

// split counts the job's input rows and, when they are more than a chunk's, splits the job in chunks. An
// input that cannot be counted (a row past the reader's limits) runs whole, to fail as it would.
func (q *Queue) split(db *dbTable, job *Job, l *runLease) (bool, error) {
	size := q.chunkRows()
	if size <= 0 {
		return false, nil
	}
	rows, err := countRows(q.path(job.ID, inputName(job.Format)), job.Format, job.FileName, batch.ReaderOptions{NameColumns: job.NameColumns})
	if err != nil || rows <= size {
		return false, nil
	}
	job.Chunks, job.ChunkRows, job.InputRows = (rows+size-1)/size, size, rows
	rec, err := record(job)
	if err != nil {
		return false, err
	}
	if err := db.store.SplitBatchJob(q.ctx, l.db, job.Chunks, rec); err != nil {
		job.Chunks, job.ChunkRows, job.InputRows = 0, 0, 0
		return false, err
	}
	q.logger().Info("batch job split in chunks", "job", job.ID, "rows", rows, "chunks", job.Chunks)
	return true, nil
}

// countRows counts an input's rows.
func countRows(path, format, name string, opt batch.ReaderOptions) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r, err := newReader(f, format, name, opt)
	if err != nil {
		return 0, err
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	n := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// runChunk screens the rows of the lease's chunk into the lease's results directory while the lease is
// renewed, and commits them. A chunk that fails fails the job; one whose lease was lost is dropped (its
// successor runs it again from its first row); one shut down is freed for another runner.
func (q *Queue) runChunk(db *dbTable, job *Job, l *runLease, start time.Time) {
	skip := l.db.Chunk * job.ChunkRows
	stop := min(skip+job.ChunkRows, job.InputRows)
	q.logger().Info("batch job chunk started", "job", job.ID, "chunk", l.db.Chunk, "rows", fmt.Sprintf("%d-%d", skip+1, stop))
	ctx, cancel := context.WithCancel(q.ctx)
	lost := make(chan struct{})
	renewed := make(chan struct{})
	go func() { defer close(renewed); q.keepLease(ctx, cancel, l, lost) }()
	bj := q.batchJob(job, l, cancel, lost)
	bj.Outputs = bj.Outputs[:2] // JSONL and CSV; the job's XLSX is made from the merged CSV
	bj.Options.Skip, bj.Options.Stop = skip, stop
	bj.Report, bj.KeepReport = "", true // the job's report is rendered once, from the chunks'
	last := time.Now()
	bj.Progress = func(done int, _ int64) {
		if time.Since(last) < progressEvery {
			return
		}
		last = time.Now()
		if err := db.store.ProgressBatchJobChunk(q.ctx, l.db, done); tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
			closeOnce(lost)
			cancel()
		}
	}
	res, err := batch.Run(ctx, q.cfg.Service, bj)
	cancel()
	<-renewed
	select {
	case <-lost:
		q.dropRun(job, l, "batch job chunk taken over by another runner: its lease was lost")
		return
	default:
	}
	if q.ctx.Err() != nil {
		q.dropRun(job, l, "")
		if err := db.store.ReleaseBatchJob(context.Background(), l.db, nil); err != nil {
			q.logger().Error("batch job: release chunk", "job", job.ID, "chunk", l.db.Chunk, "error", err.Error())
		}
		return
	}
	if err != nil {
		q.finish(job, l, start, res, err)
		return
	}
	q.commitChunk(db, job, l, start, res)
}

// commitChunk commits a chunk's results under its lease; the commit of the job's last chunk merges every
// chunk's results into the job's and records its end.
func (q *Queue) commitChunk(db *dbTable, job *Job, l *runLease, start time.Time, res *batch.Result) {
	b, err := json.Marshal(res.Report)
	if err == nil {
		err = atomicfile.WriteFile(q.resultPath(job, chunkReport), b, 0o600)
	}
	if err != nil {
		q.finish(job, l, start, res, fmt.Errorf("chunk report: %w", err))
		return
	}
	// When every other chunk is committed already (always, on one instance), the results are merged before
	// the commit, so that its transaction (SQLite's write lock) is short; the commit checks that the
	// chunks it sees are those merged, and merges again itself otherwise.
	final, end, pre, merged := q.premerge(db, job, l, res)
	last, err := db.store.FinishBatchJobChunk(context.WithoutCancel(q.ctx), l.db, res.Stats.Rows,
		func(chunks []*tradescreen.BatchJobLease) (*tradescreen.BatchJobRecord, *tradescreen.AuditEvent, error) {
			if final == nil || !sameHolders(chunks, pre) {
				if final != nil {
					_ = os.RemoveAll(q.resultPath(final, ""))
				}
				var err error
				t0 := time.Now()
				final, end, err = q.merge(job, chunks, res)
				merged, pre = time.Since(t0), chunks
				if err != nil {
					return nil, nil, err
				}
			}
			rec, err := record(final)
			return rec, end, err
		})
	if (err != nil || !last) && final != nil {
		_ = os.RemoveAll(q.resultPath(final, ""))
	}
	switch {
	case tradescreen.ErrorCode(err) == tradescreen.ECONFLICT:
		q.dropRun(job, l, "batch job chunk taken over by another runner before it was committed")
	case err != nil:
		q.finish(job, l, start, nil, err)
	case !last:
		q.logger().Info("batch job chunk done", "job", job.ID, "chunk", l.db.Chunk, "rows", res.Stats.Rows,
			"duration", q.now().Sub(start).Round(time.Millisecond))
	default:
		q.removeOtherRuns(final, &runLease{dir: final.resultsDir})
		q.logger().Info("batch job done", "job", job.ID, "rows", final.RowsDone, "rows_with_matches", final.WithMatches,
			"chunks", job.Chunks, "merge", merged.Round(time.Millisecond), "duration", q.now().Sub(start).Round(time.Millisecond))
	}
}

// chunkDir is the results directory of the runner that holds (or held, when it is done) a chunk's lease:
// a holder is "host:pid:token" and its directory "run-<token>".
func chunkDir(l *tradescreen.BatchJobLease) string {
	return "run-" + l.Holder[strings.LastIndex(l.Holder, ":")+1:]
}

// premerge merges a chunk's job's results before its commit when every other chunk is committed: it
// returns the job done, its end record, the chunks merged and the merge's duration (nil when it did not).
func (q *Queue) premerge(db *dbTable, job *Job, l *runLease, res *batch.Result) (*Job, *tradescreen.AuditEvent, []*tradescreen.BatchJobLease, time.Duration) {
	chunks, err := db.store.FindBatchJobChunks(q.ctx, job.ID)
	if err != nil {
		return nil, nil, nil, 0
	}
	for _, c := range chunks {
		if c.Chunk == l.db.Chunk {
			c.Holder = l.db.Holder
		} else if !c.Done {
			return nil, nil, nil, 0
		}
	}
	t0 := time.Now()
	final, end, err := q.merge(job, chunks, res)
	if err != nil {
		if final != nil {
			_ = os.RemoveAll(q.resultPath(final, ""))
		}
		return nil, nil, nil, 0
	}
	return final, end, chunks, time.Since(t0)
}

// sameHolders reports whether two lists of a job's chunks name the same holders.
func sameHolders(a, b []*tradescreen.BatchJobLease) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Chunk != b[i].Chunk || a[i].Holder != b[i].Holder {
			return false
		}
	}
	return true
}
