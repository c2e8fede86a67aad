package tradescreen

import (
	"context"
	"time"
)

// BatchJobRecord is a batch job as the database keeps it for every instance sharing it: its state, who
// submitted it, the input's digest, the counts and the error in columns, and the whole job (its spec, the
// lists it screened against, its progress: package jobs' Job) as a JSON document.
type BatchJobRecord struct {
	ID    string
	State string
	// CreatedBy is who submitted the job; the job is theirs (and approvers' and admins').
	CreatedBy string
	Created   time.Time
	Started   *time.Time
	Finished  *time.Time
	SHA256    string
	// Rows, WithMatches, Matches and Errors count the rows screened, those with hits, the hits and the rows
	// that could not be screened.
	Rows, WithMatches, Matches, Errors int
	// Error says why a failed job failed.
	Error string
	// Doc is the whole job as JSON; its columns above take precedence over the same fields in it.
	Doc string
	// ResultsDir is the directory of the job's results, relative to the job's own directory, once a runner
	// committed them ("" until then).
	ResultsDir string
}

// BatchJobLease is a runner's hold on a job or one chunk of it (Chunk 0: the whole job until it is split): Holder is the runner's token, unique
// per lease taken, and Expires when another runner may take the job over unless the holder renews it.
type BatchJobLease struct {
	JobID   string
	Chunk   int
	Holder  string
	Expires time.Time
	// Done is set, by FindBatchJobChunks and for FinishBatchJobChunk's last, on a chunk committed (or a job
	// ended): its holder is then the runner whose results count.
	Done bool
}

// BatchJobService keeps batch jobs in the database, so that every instance sharing it sees every job and
// exactly one runner at a time works on each. A job is created with its lease free; a runner leases it,
// renews the lease while it works and commits the job's end under the lease; a lease not renewed expires
// and another runner takes the job over.
type BatchJobService interface {
	// CreateBatchJob stores a new job (queued; or done or failed, for a job that ended elsewhere) with its
	// submission's audit record (nil for none) in the same transaction. Errors: ECONFLICT when the id is
	// taken.
	CreateBatchJob(ctx context.Context, rec *BatchJobRecord, queued *AuditEvent) error
	// FindBatchJob returns a job. Errors: ENOTFOUND.
	FindBatchJob(ctx context.Context, id string) (*BatchJobRecord, error)
	// FindBatchJobs returns the jobs created by the named user (every job when createdBy is empty), newest
	// first.
	FindBatchJobs(ctx context.Context, createdBy string) ([]*BatchJobRecord, error)
	// CountBatchJobs counts the jobs in a state.
	CountBatchJobs(ctx context.Context, state string) (int, error)
	// LeaseBatchJob gives holder the oldest job whose lease is free or expired (a queued job, or a running
	// one whose runner stopped renewing), marks it running and returns it with its lease, until now + ttl.
	// Of several runners asking together, each job goes to exactly one. Errors: ENOTFOUND when no job waits.
	LeaseBatchJob(ctx context.Context, holder string, ttl time.Duration) (*BatchJobRecord, *BatchJobLease, error)
	// RenewBatchJobLease extends a held lease to now + ttl. Errors: ECONFLICT when the lease was taken over
	// or the job ended: the holder must stop.
	RenewBatchJobLease(ctx context.Context, l *BatchJobLease, ttl time.Duration) error
	// UpdateBatchJob writes a running job's state and progress under its lease. Errors: ECONFLICT when the
	// lease is no longer held.
	UpdateBatchJob(ctx context.Context, l *BatchJobLease, rec *BatchJobRecord) error
	// FinishBatchJob records a job's end (rec's state done or failed) under its lease, with its audit
	// record (nil for none), in one transaction, and frees nobody to run it again. Errors: ECONFLICT when
	// the lease is no longer held (another runner took the job over, or ended it): nothing is written.
	FinishBatchJob(ctx context.Context, l *BatchJobLease, rec *BatchJobRecord, end *AuditEvent) error
	// ReleaseBatchJob puts a job back in the queue (state queued, lease free), for a runner that shuts
	// down mid-job; with rec nil only the lease is freed (a chunk's, the job running on). Errors: ECONFLICT
	// when the lease is no longer held.
	ReleaseBatchJob(ctx context.Context, l *BatchJobLease, rec *BatchJobRecord) error
	// SplitBatchJob divides a job leased whole (chunk 0) into chunks 0 to chunks-1, each with a lease of
	// its own that any runner may take (the new ones free), and writes rec, in one transaction under l.
	// Errors: ECONFLICT when l is no longer held or the job is split already.
	SplitBatchJob(ctx context.Context, l *BatchJobLease, chunks int, rec *BatchJobRecord) error
	// ProgressBatchJobChunk records the rows written under a chunk's lease; the job's rows done are the
	// sum of its chunks'. Errors: ECONFLICT when l is no longer held.
	ProgressBatchJobChunk(ctx context.Context, l *BatchJobLease, rows int) error
	// FinishBatchJobChunk commits a chunk under its lease (marked done with its rows). The commit that
	// leaves no chunk of the job undone calls last, in the same transaction, with every chunk's lease in
	// order (Holder: the runner whose results count), and writes the job's end it returns with its audit
	// record. Of chunks committed together exactly one is the last. It reports whether l's was. Errors:
	// ECONFLICT when l is no longer held, last's: nothing is written.
	FinishBatchJobChunk(ctx context.Context, l *BatchJobLease, rows int,
		last func(chunks []*BatchJobLease) (*BatchJobRecord, *AuditEvent, error)) (bool, error)
	// FindBatchJobChunks returns the leases of a job's chunks in order, held, free or done.
	FindBatchJobChunks(ctx context.Context, id string) ([]*BatchJobLease, error)
	// FindBatchJobLeases returns the leases of the jobs that have not ended and are held by a runner.
	FindBatchJobLeases(ctx context.Context) ([]*BatchJobLease, error)
	// ExpireBatchJobLease frees a lease whose holder is known to be dead (a process of this machine that no
	// longer runs), so that its job runs again at once instead of after the lease's expiry; a lease taken
	// since by another holder is left as it is.
	ExpireBatchJobLease(ctx context.Context, l *BatchJobLease) error
	// DeleteBatchJobs deletes the jobs created before a time and returns their ids.
	DeleteBatchJobs(ctx context.Context, before time.Time) ([]string, error)
}
