-- tradescreen PostgreSQL schema, version 3: batch jobs shared by every instance using the database. A job's
-- state, owner, digest, counts and error are columns, the rest of it (spec, lists, progress) a JSON
-- document; each job has a lease row (chunk 0: the whole job) that exactly one runner holds until
-- expires_at, renewed while it works and taken over once it expires. A runner takes a lease with
-- SELECT ... FOR UPDATE SKIP LOCKED, so that runners asking together each get another job.

CREATE TABLE batch_jobs (
	id                TEXT PRIMARY KEY,
	state             TEXT NOT NULL,
	created_by        TEXT NOT NULL,
	created_at        TIMESTAMPTZ NOT NULL,
	started_at        TIMESTAMPTZ,
	finished_at       TIMESTAMPTZ,
	sha256            TEXT NOT NULL DEFAULT '',
	rows_done         INTEGER NOT NULL DEFAULT 0,
	rows_with_matches INTEGER NOT NULL DEFAULT 0,
	matches           INTEGER NOT NULL DEFAULT 0,
	row_errors        INTEGER NOT NULL DEFAULT 0,
	error             TEXT NOT NULL DEFAULT '',
	doc               TEXT NOT NULL,
	results_dir       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batch_jobs_created_by ON batch_jobs (created_by, created_at);
CREATE INDEX batch_jobs_created_at ON batch_jobs (created_at);

CREATE TABLE batch_job_leases (
	job_id     TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
	chunk      INTEGER NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	holder     TEXT NOT NULL DEFAULT '',
	expires_at TIMESTAMPTZ NOT NULL,
	taken      INTEGER NOT NULL DEFAULT 0,
	done       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (job_id, chunk)
);
CREATE INDEX batch_job_leases_free ON batch_job_leases (done, expires_at);
