-- tradescreen SQLite schema, version 5: a large batch job is split in chunks, one lease row each, that
-- several runners work on at once; rows_done is each chunk's progress, and the job's is their sum.

ALTER TABLE batch_job_leases ADD COLUMN rows_done INTEGER NOT NULL DEFAULT 0;
