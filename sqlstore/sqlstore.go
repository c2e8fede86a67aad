// Package sqlstore holds the SQL both store adapters (sqlite and postgres) share: the party, alert, audit,
// user and monitoring services, and the migration runner. The statements are written once, with ?
// placeholders, which the PostgreSQL dialect rewrites to $1, $2 ...; an adapter provides its transactions
// (Conn) and the few things that differ between the databases (Dialect).
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Rebind rewrites a statement written with ? placeholders for the database; nil leaves it as written.
	Rebind func(q string) string
	// EncTime encodes a time for storage.
	EncTime func(t time.Time) any
	// LockAuditHead reads the audit chain's head (seq, hash), locking it until the transaction ends where
	// the database needs it.
	LockAuditHead string
	// MigrationLock, when set, runs first in each migration transaction (to serialize instances migrating
	// together).
	MigrationLock string
	// ForUpdate is appended to a SELECT to lock the rows it reads until the transaction ends (" FOR UPDATE"
	// on PostgreSQL); empty where a write transaction already excludes every other writer (SQLite's
	// BEGIN IMMEDIATE).
	ForUpdate string
	// SkipLocked is appended to the SELECT that picks a batch job to lease, so that it skips the rows other
	// runners have locked instead of waiting for them (" FOR UPDATE SKIP LOCKED" on PostgreSQL); empty on
	// SQLite, whose write transaction excludes every other writer.
	SkipLocked string
	// Retryable reports whether a transaction failed only because it ran concurrently with another (a
	// deadlock or serialization failure) and may be run again; nil means never.
	Retryable func(err error) bool
	// ExplainWrite, when set, rewrites the error of a failed statement or commit to say why the database
	// cannot be written (a full disk, a read-only directory).
	ExplainWrite func(err error) error
}

// maxAttempts bounds how often inTx runs a transaction that keeps failing with a retryable error.
const maxAttempts = 5

// inTx runs fn in a transaction on c and commits it; when the transaction fails with an error the dialect
// calls retryable (a deadlock between concurrent writers), it is rolled back and run again, up to
// maxAttempts times. fn must not keep state from a failed attempt.
func inTx(ctx context.Context, c Conn, fn func(tx *Tx) error) error {
	for attempt := 1; ; attempt++ {
		tx, err := c.BeginTx(ctx)
		if err != nil {
			return err
		}
		err = fn(tx)
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err == nil || attempt == maxAttempts || tx.d.Retryable == nil || !tx.d.Retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

// Conn is what an adapter provides: transactions, each with the time it started.
type Conn interface {
	BeginTx(ctx context.Context) (*Tx, error)
}

// Tx is a transaction with the time it started: every record it writes carries that one time. Its
// statements are written with ? placeholders.
type Tx struct {
	tx  *sql.Tx
	d   *Dialect
	now time.Time
}

// Begin starts a transaction on db in dialect d, with now as its time (UTC, microseconds, as PostgreSQL
// keeps them).
func Begin(ctx context.Context, db *sql.DB, d *Dialect, now time.Time) (*Tx, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, d: d, now: now.UTC().Truncate(time.Microsecond)}, nil
}

// Now returns the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// Commit commits the transaction.
func (tx *Tx) Commit() error { return tx.explain(tx.tx.Commit()) }

// explain passes a failed write's error through the dialect's ExplainWrite.
func (tx *Tx) explain(err error) error {
	if err != nil && tx.d.ExplainWrite != nil {
		return tx.d.ExplainWrite(err)
	}
	return err
}

// Rollback aborts the transaction; after Commit it does nothing.
func (tx *Tx) Rollback() error { return tx.tx.Rollback() }

func (tx *Tx) rebind(q string) string {
	if tx.d.Rebind == nil {
		return q
	}
	return tx.d.Rebind(q)
}

// encTime encodes a time for storage.
func (tx *Tx) encTime(t time.Time) any { return tx.d.EncTime(t) }

// ExecContext runs a statement.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.rebind(q), args...)
	return res, tx.explain(err)
}

// QueryContext runs a query.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.rebind(q), args...)
}

// QueryRowContext runs a one-row query.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.rebind(q), args...)
}

// PrepareContext prepares a statement.
func (tx *Tx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, tx.rebind(q))
}

// Rebind turns ? placeholders into PostgreSQL's $1, $2 ... (the statements hold no literal question marks).
func Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Migrate applies, in one transaction each and in version order, the migrations (files "migrations/N_name.sql"
// in fsys) not yet recorded in schema_migrations, which must exist.
func Migrate(ctx context.Context, c Conn, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its version number", base)
		}
		if err := migrateOne(ctx, c, fsys, v, base, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, c Conn, fsys fs.FS, version int, base, name string) error {
	tx, err := c.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if tx.d.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, tx.d.MigrationLock); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, version, base, tx.encTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// dbTime scans a stored time into a time.Time.
type dbTime time.Time

func (t *dbTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		*t = dbTime(x.UTC())
		return nil
	default:
		return fmt.Errorf("time: cannot scan %T", v)
	}
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*t = dbTime(p.UTC())
	return nil
}

// dbTimePtr scans an optional stored time.
type dbTimePtr struct{ t **time.Time }

func (p dbTimePtr) Scan(v any) error {
	if v == nil {
		*p.t = nil
		return nil
	}
	var t dbTime
	if err := t.Scan(v); err != nil {
		return err
	}
	tt := time.Time(t)
	*p.t = &tt
	return nil
}
