// Package postgres stores parties, alerts, users and the audit trail in PostgreSQL (pgx through
// database/sql), for several instances sharing the work. It mirrors the sqlite package service for service,
// with the same SQL written with ? placeholders (Tx rebinds them to $n), and both run the same test suite
// (storetest).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
	"github.com/tradescreen/tradescreen"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is a PostgreSQL database holding every store service.
type DB struct {
	db *sql.DB
	// DSN is a postgres:// URL or a key=value connection string.
	DSN string
	// Now returns the current time; tests replace it. Each transaction reads it once.
	Now func() time.Time
}

var _ tradescreen.Store = (*DB)(nil)

// NewDB returns a database for the connection string dsn; call Open before use.
func NewDB(dsn string) *DB { return &DB{DSN: dsn, Now: time.Now} }

// Open connects and applies the pending migrations (under an advisory lock, so that several instances
// starting together migrate once). Errors name the database without its password.
func (db *DB) Open() error {
	if db.DSN == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "postgres: no connection URL")
	}
	d, err := sql.Open("pgx", db.DSN)
	if err != nil {
		return fmt.Errorf("open postgres %s: %w", Redact(db.DSN), err)
	}
	d.SetMaxOpenConns(16)
	d.SetMaxIdleConns(4)
	d.SetConnMaxIdleTime(5 * time.Minute)
	db.db = d
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return fmt.Errorf("connect postgres %s: %w", Redact(db.DSN), err)
	}
	if err := db.migrate(ctx); err != nil {
		d.Close()
		return fmt.Errorf("migrate postgres %s: %w", Redact(db.DSN), err)
	}
	return nil
}

// Redact returns a connection URL with its password replaced by "xxxxx", for messages and logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	return db.db.Close()
}

// SetNow replaces the clock (tests).
func (db *DB) SetNow(now func() time.Time) { db.Now = now }

// Exec runs a raw statement outside the services (tests use it to tamper with the audit trail).
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.db.ExecContext(ctx, query, args...)
	return err
}

// Parties returns the parties register.
func (db *DB) Parties() tradescreen.PartyService { return &PartyService{db} }

// Alerts returns the alert service.
func (db *DB) Alerts() tradescreen.AlertService { return &AlertService{db} }

// Audit returns the audit trail.
func (db *DB) Audit() tradescreen.AuditService { return &AuditService{db} }

// Users returns the user service.
func (db *DB) Users() tradescreen.UserService { return &UserService{db} }

// Monitor returns the monitoring state.
func (db *DB) Monitor() tradescreen.MonitorState { return &MonitorState{db} }

// migrate applies, in one transaction each, the embedded migrations not yet recorded in schema_migrations.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
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
		if err := db.migrateOne(ctx, v, base, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (db *DB) migrateOne(ctx context.Context, version int, base, name string) error {
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7261001)`); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, version, base, encTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// Tx is a transaction with the time it started: every record it writes carries that one time.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// BeginTx starts a transaction and reads the clock once (UTC, microseconds, as PostgreSQL keeps them).
func (db *DB) BeginTx(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond)}, nil
}

// rebind turns ? placeholders into PostgreSQL's $1, $2 ... (the statements hold no literal question marks).
func rebind(q string) string {
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

// ExecContext runs a statement written with ? placeholders.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(ctx, rebind(q), args...)
}

// QueryContext runs a query written with ? placeholders.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, rebind(q), args...)
}

// QueryRowContext runs a one-row query written with ? placeholders.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(ctx, rebind(q), args...)
}

// PrepareContext prepares a statement written with ? placeholders.
func (tx *Tx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return tx.Tx.PrepareContext(ctx, rebind(q))
}

// Now returns the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// encTime encodes a time for storage (TIMESTAMPTZ keeps microseconds).
func encTime(t time.Time) time.Time { return t.UTC() }

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

// lockAuditHead reads the audit chain's head and locks its row until the transaction ends, so that appends
// from several connections and instances are serialized.
const lockAuditHead = `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`
