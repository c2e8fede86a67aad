package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tradescreen/tradescreen"
)

// BatchJobService keeps batch jobs and their leases (tables batch_jobs and batch_job_leases) for every
// instance sharing the database.
type BatchJobService struct{ DB Conn }

var _ tradescreen.BatchJobService = (*BatchJobService)(nil)

// jobColumns are the columns of batch_jobs in the order scanJob reads them.
const jobColumns = `id, state, created_by, created_at, started_at, finished_at, sha256, rows_done, rows_with_matches, matches, row_errors, error, doc, results_dir`

func scanJob(row interface{ Scan(...any) error }) (*tradescreen.BatchJobRecord, error) {
	var r tradescreen.BatchJobRecord
	var created dbTime
	err := row.Scan(&r.ID, &r.State, &r.CreatedBy, &created, dbTimePtr{&r.Started}, dbTimePtr{&r.Finished}, &r.SHA256,
		&r.Rows, &r.WithMatches, &r.Matches, &r.Errors, &r.Error, &r.Doc, &r.ResultsDir)
	if err != nil {
		return nil, err
	}
	r.Created = time.Time(created)
	return &r, nil
}

// optTime encodes an optional time (NULL for nil).
func (tx *Tx) optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return tx.encTime(*t)
}

// CreateBatchJob stores a new job with its lease row (free for a queued job, done for one that ended), and
// its submission's audit record.
// Errors: ECONFLICT when the id is taken, EINVALID for text the database cannot hold.
func (s *BatchJobService) CreateBatchJob(ctx context.Context, rec *tradescreen.BatchJobRecord, queued *tradescreen.AuditEvent) error {
	for _, f := range [][2]string{{"created_by", rec.CreatedBy}, {"doc", rec.Doc}} {
		if err := checkText("batch job: "+f[0], f[1]); err != nil {
			return err
		}
	}
	return inTx(ctx, s.DB, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM batch_jobs WHERE id = ?`, rec.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "a batch job %q exists", rec.ID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO batch_jobs (`+jobColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rec.ID, rec.State, rec.CreatedBy, tx.encTime(rec.Created), tx.optTime(rec.Started), tx.optTime(rec.Finished), rec.SHA256,
			rec.Rows, rec.WithMatches, rec.Matches, rec.Errors, rec.Error, rec.Doc, rec.ResultsDir); err != nil {
			return err
		}
		// The lease of a job to run is free from the start (its expiry is the job's creation); that of a job
		// that ended (one imported from before jobs were shared) is done.
		done := 0
		if rec.State != "queued" && rec.State != "running" {
			done = 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO batch_job_leases (job_id, chunk, created_at, expires_at, done) VALUES (?, 0, ?, ?, ?)`,
			rec.ID, tx.encTime(rec.Created), tx.encTime(rec.Created), done); err != nil {
			return err
		}
		if queued == nil {
			return nil
		}
		return tx.appendEvent(ctx, queued)
	})
}

// FindBatchJob returns a job. Errors: ENOTFOUND.
func (s *BatchJobService) FindBatchJob(ctx context.Context, id string) (*tradescreen.BatchJobRecord, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rec, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM batch_jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no batch job %q", id)
	}
	return rec, err
}

// FindBatchJobs returns the jobs created by the named user (every job when createdBy is empty), newest
// first.
func (s *BatchJobService) FindBatchJobs(ctx context.Context, createdBy string) ([]*tradescreen.BatchJobRecord, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := `SELECT ` + jobColumns + ` FROM batch_jobs WHERE ? = '' OR created_by = ? ORDER BY created_at DESC, id`
	rows, err := tx.QueryContext(ctx, q, createdBy, createdBy)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tradescreen.BatchJobRecord
	for rows.Next() {
		rec, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// CountBatchJobs counts the jobs in a state.
func (s *BatchJobService) CountBatchJobs(ctx context.Context, state string) (int, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM batch_jobs WHERE state = ?`, state).Scan(&n)
	return n, err
}

// LeaseBatchJob gives holder the oldest job whose lease is free or expired. The lease row is read locked,
// skipping rows another runner has locked (PostgreSQL's FOR UPDATE SKIP LOCKED; SQLite's write
// transaction excludes every other writer), and taken by an UPDATE conditional on its still being free:
// each job goes to exactly one runner. Errors: ENOTFOUND when no job waits.
func (s *BatchJobService) LeaseBatchJob(ctx context.Context, holder string, ttl time.Duration) (*tradescreen.BatchJobRecord, *tradescreen.BatchJobLease, error) {
	var rec *tradescreen.BatchJobRecord
	var l *tradescreen.BatchJobLease
	err := inTx(ctx, s.DB, func(tx *Tx) error {
		rec, l = nil, nil
		var id string
		var chunk int
		err := tx.QueryRowContext(ctx, `SELECT job_id, chunk FROM batch_job_leases WHERE done = 0 AND expires_at <= ?
			ORDER BY created_at, job_id, chunk LIMIT 1`+tx.d.SkipLocked, tx.encTime(tx.now)).Scan(&id, &chunk)
		if errors.Is(err, sql.ErrNoRows) {
			return tradescreen.Errorf(tradescreen.ENOTFOUND, "no batch job waits")
		}
		if err != nil {
			return err
		}
		exp := tx.now.Add(ttl)
		// A chunk taken over runs again from its first row: its progress starts again at 0.
		res, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET holder = ?, expires_at = ?, taken = taken + 1, rows_done = 0
			WHERE job_id = ? AND chunk = ? AND done = 0 AND expires_at <= ?`, holder, tx.encTime(exp), id, chunk, tx.encTime(tx.now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tradescreen.Errorf(tradescreen.ENOTFOUND, "no batch job waits")
		}
		// Conditional, so that leasing a chunk of a running job does not wait for the job's row (which a
		// chunk's commit locks before its lease row: taking them in the other order could deadlock).
		if _, err := tx.ExecContext(ctx, `UPDATE batch_jobs SET state = 'running' WHERE id = ? AND state <> 'running'`, id); err != nil {
			return err
		}
		rec, err = scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM batch_jobs WHERE id = ?`, id))
		l = &tradescreen.BatchJobLease{JobID: id, Chunk: chunk, Holder: holder, Expires: exp}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return rec, l, nil
}

// held checks in tx that l is still held (renewed or not, nobody took it over and the job did not end).
// Errors: ECONFLICT.
func (tx *Tx) held(ctx context.Context, l *tradescreen.BatchJobLease) error {
	// The job's row is locked first, then the lease's, in every write under a lease: the commits of a
	// job's chunks are serialized, so exactly one of them sees every other chunk done.
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM batch_jobs WHERE id = ?`+tx.d.ForUpdate, l.JobID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var holder string
	err = tx.QueryRowContext(ctx, `SELECT holder FROM batch_job_leases WHERE job_id = ? AND chunk = ? AND done = 0`+tx.d.ForUpdate,
		l.JobID, l.Chunk).Scan(&holder)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if holder != l.Holder {
		return tradescreen.Errorf(tradescreen.ECONFLICT, "the lease on batch job %s was taken over or the job ended", l.JobID)
	}
	return nil
}

// RenewBatchJobLease extends a held lease to now + ttl. Errors: ECONFLICT when it is no longer held.
func (s *BatchJobService) RenewBatchJobLease(ctx context.Context, l *tradescreen.BatchJobLease, ttl time.Duration) error {
	return inTx(ctx, s.DB, func(tx *Tx) error {
		exp := tx.now.Add(ttl)
		res, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET expires_at = ? WHERE job_id = ? AND chunk = ? AND holder = ? AND done = 0`,
			tx.encTime(exp), l.JobID, l.Chunk, l.Holder)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "the lease on batch job %s was taken over or the job ended", l.JobID)
		}
		l.Expires = exp
		return nil
	})
}

// writeJob writes a job's columns and document.
func (tx *Tx) writeJob(ctx context.Context, rec *tradescreen.BatchJobRecord) error {
	if err := checkText("batch job: doc", rec.Doc); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE batch_jobs SET state = ?, started_at = ?, finished_at = ?, rows_done = ?, rows_with_matches = ?,
		matches = ?, row_errors = ?, error = ?, doc = ?, results_dir = ? WHERE id = ?`,
		rec.State, tx.optTime(rec.Started), tx.optTime(rec.Finished), rec.Rows, rec.WithMatches, rec.Matches, rec.Errors,
		rec.Error, rec.Doc, rec.ResultsDir, rec.ID)
	return err
}

// UpdateBatchJob writes a running job's state and progress under its lease. Errors: ECONFLICT when the lease
// is no longer held.
func (s *BatchJobService) UpdateBatchJob(ctx context.Context, l *tradescreen.BatchJobLease, rec *tradescreen.BatchJobRecord) error {
	return inTx(ctx, s.DB, func(tx *Tx) error {
		if err := tx.held(ctx, l); err != nil {
			return err
		}
		return tx.writeJob(ctx, rec)
	})
}

// FinishBatchJob records a job's end under its lease with its audit record, in one transaction: the lease
// is marked done, so nobody runs the job again. Errors: ECONFLICT when the lease is no longer held.
func (s *BatchJobService) FinishBatchJob(ctx context.Context, l *tradescreen.BatchJobLease, rec *tradescreen.BatchJobRecord, end *tradescreen.AuditEvent) error {
	return inTx(ctx, s.DB, func(tx *Tx) error {
		if err := tx.held(ctx, l); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET done = 1 WHERE job_id = ?`, l.JobID); err != nil {
			return err
		}
		if err := tx.writeJob(ctx, rec); err != nil {
			return err
		}
		if end == nil {
			return nil
		}
		return tx.appendEvent(ctx, end)
	})
}

// ReleaseBatchJob puts a job back in the queue with its lease free. Errors: ECONFLICT when the lease is no
// longer held.
func (s *BatchJobService) ReleaseBatchJob(ctx context.Context, l *tradescreen.BatchJobLease, rec *tradescreen.BatchJobRecord) error {
	return inTx(ctx, s.DB, func(tx *Tx) error {
		if err := tx.held(ctx, l); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET holder = '', expires_at = ?, rows_done = 0 WHERE job_id = ? AND chunk = ?`,
			tx.encTime(tx.now), l.JobID, l.Chunk); err != nil {
			return err
		}
		if rec == nil {
			return tx.sumRows(ctx, l.JobID)
		}
		return tx.writeJob(ctx, rec)
	})
}

// FindBatchJobLeases returns the leases of the jobs that have not ended and are held by a runner.
func (s *BatchJobService) FindBatchJobLeases(ctx context.Context) ([]*tradescreen.BatchJobLease, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT job_id, chunk, holder, expires_at FROM batch_job_leases WHERE done = 0 AND holder <> '' ORDER BY job_id, chunk`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tradescreen.BatchJobLease
	for rows.Next() {
		var l tradescreen.BatchJobLease
		var exp dbTime
		if err := rows.Scan(&l.JobID, &l.Chunk, &l.Holder, &exp); err != nil {
			return nil, err
		}
		l.Expires = time.Time(exp)
		out = append(out, &l)
	}
	return out, rows.Err()
}

// ExpireBatchJobLease frees a lease still held by l.Holder, whose holder is known to be dead.
func (s *BatchJobService) ExpireBatchJobLease(ctx context.Context, l *tradescreen.BatchJobLease) error {
	return inTx(ctx, s.DB, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET expires_at = ? WHERE job_id = ? AND chunk = ? AND holder = ? AND done = 0`,
			tx.encTime(tx.now), l.JobID, l.Chunk, l.Holder)
		return err
	})
}

// DeleteBatchJobs deletes the jobs created before a time, with their leases, and returns their ids.
func (s *BatchJobService) DeleteBatchJobs(ctx context.Context, before time.Time) ([]string, error) {
	var ids []string
	err := inTx(ctx, s.DB, func(tx *Tx) error {
		ids = nil
		rows, err := tx.QueryContext(ctx, `SELECT id FROM batch_jobs WHERE created_at < ? ORDER BY id`, tx.encTime(before))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM batch_job_leases WHERE job_id = ?`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM batch_jobs WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
	return ids, err
}

// SplitBatchJob divides a job leased whole (chunk 0) into chunks 0 to chunks-1 under l: the lease rows of
// chunks 1 and on are created free, for any runner, and rec (the job with its chunks) is written, in one
// transaction. Errors: ECONFLICT when l is no longer held, EINVALID for fewer than 2 chunks.
func (s *BatchJobService) SplitBatchJob(ctx context.Context, l *tradescreen.BatchJobLease, chunks int, rec *tradescreen.BatchJobRecord) error {
	if l.Chunk != 0 || chunks < 2 {
		return tradescreen.Errorf(tradescreen.EINVALID, "batch job %s: split chunk 0 into 2 chunks or more", l.JobID)
	}
	return inTx(ctx, s.DB, func(tx *Tx) error {
		if err := tx.held(ctx, l); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM batch_job_leases WHERE job_id = ?`, l.JobID).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "batch job %s is split already", l.JobID)
		}
		// The chunks keep the job's place in the queue (its creation time), ahead of later jobs.
		for c := 1; c < chunks; c++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO batch_job_leases (job_id, chunk, created_at, expires_at, done) VALUES (?, ?, ?, ?, 0)`,
				l.JobID, c, tx.encTime(rec.Created), tx.encTime(tx.now)); err != nil {
				return err
			}
		}
		return tx.writeJob(ctx, rec)
	})
}

// sumRows sets a job's rows done to the sum of its chunks'.
func (tx *Tx) sumRows(ctx context.Context, id string) error {
	_, err := tx.ExecContext(ctx, `UPDATE batch_jobs SET rows_done = (SELECT COALESCE(SUM(rows_done), 0) FROM batch_job_leases WHERE job_id = ?) WHERE id = ?`, id, id)
	return err
}

// ProgressBatchJobChunk records the rows a chunk's runner has written under l; the job's rows done become
// the sum of its chunks'. Errors: ECONFLICT when l is no longer held.
func (s *BatchJobService) ProgressBatchJobChunk(ctx context.Context, l *tradescreen.BatchJobLease, rows int) error {
	return inTx(ctx, s.DB, func(tx *Tx) error {
		if err := tx.held(ctx, l); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET rows_done = ? WHERE job_id = ? AND chunk = ?`, rows, l.JobID, l.Chunk); err != nil {
			return err
		}
		return tx.sumRows(ctx, l.JobID)
	})
}

// FinishBatchJobChunk commits a chunk under l: its lease is marked done with its rows. When every other
// chunk of the job is done too, last is called in the same transaction with the leases of all the chunks
// in order (each Holder the runner whose results count) and the job's end it returns (a record done or
// failed, and its audit record) is written. The job's row is locked first, so that of chunks committed
// together exactly one is the last. It reports whether l's chunk was the last. Errors: ECONFLICT when l is
// no longer held (nothing is written), last's (nothing is written).
func (s *BatchJobService) FinishBatchJobChunk(ctx context.Context, l *tradescreen.BatchJobLease, rows int,
	last func(chunks []*tradescreen.BatchJobLease) (*tradescreen.BatchJobRecord, *tradescreen.AuditEvent, error)) (bool, error) {
	var isLast bool
	err := inTx(ctx, s.DB, func(tx *Tx) error {
		isLast = false
		if err := tx.held(ctx, l); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batch_job_leases SET done = 1, rows_done = ? WHERE job_id = ? AND chunk = ?`, rows, l.JobID, l.Chunk); err != nil {
			return err
		}
		var left int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM batch_job_leases WHERE job_id = ? AND done = 0`, l.JobID).Scan(&left); err != nil {
			return err
		}
		if left > 0 {
			return tx.sumRows(ctx, l.JobID)
		}
		chunks, err := tx.chunks(ctx, l.JobID)
		if err != nil {
			return err
		}
		rec, end, err := last(chunks)
		if err != nil {
			return err
		}
		if err := tx.writeJob(ctx, rec); err != nil {
			return err
		}
		isLast = true
		if end == nil {
			return nil
		}
		return tx.appendEvent(ctx, end)
	})
	return isLast, err
}

// chunks returns the leases of a job's chunks in order.
func (tx *Tx) chunks(ctx context.Context, id string) ([]*tradescreen.BatchJobLease, error) {
	rows, err := tx.QueryContext(ctx, `SELECT job_id, chunk, holder, expires_at, done FROM batch_job_leases WHERE job_id = ? ORDER BY chunk`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tradescreen.BatchJobLease
	for rows.Next() {
		var l tradescreen.BatchJobLease
		var exp dbTime
		var done int
		if err := rows.Scan(&l.JobID, &l.Chunk, &l.Holder, &exp, &done); err != nil {
			return nil, err
		}
		l.Expires, l.Done = time.Time(exp), done == 1
		out = append(out, &l)
	}
	return out, rows.Err()
}

// FindBatchJobChunks returns the leases of a job's chunks in order.
func (s *BatchJobService) FindBatchJobChunks(ctx context.Context, id string) ([]*tradescreen.BatchJobLease, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.chunks(ctx, id)
}
