// Package sqlite stores parties, alerts, users and the audit trail in SQLite (modernc.org/sqlite, pure Go).
// It is the default store: one file in the data directory, created on first use. The postgres package
// mirrors it service for service, and both run the same test suite (storetest).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is a SQLite database holding every store service.
type DB struct {
	db *sql.DB
	// DSN is the file path, or ":memory:" for a private in-memory database.
	DSN string
	// Now returns the current time; tests replace it. Each transaction reads it once.
	Now func() time.Time
}

var _ tradescreen.Store = (*DB)(nil)

// NewDB returns a database for the file at dsn (":memory:" for an in-memory one); call Open before use.
func NewDB(dsn string) *DB { return &DB{DSN: dsn, Now: time.Now} }

// Open opens (creating it if needed) the database and applies the pending migrations. Errors are
// EINTERNAL with the path.
func (db *DB) Open() error {
	if db.DSN == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "sqlite: no database path")
	}
	dsn := db.DSN
	if dsn != ":memory:" {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	dsn += sep + "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	d, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", db.DSN, err)
	}
	// One connection: SQLite has one writer, and ":memory:" is private to a connection.
	d.SetMaxOpenConns(1)
	db.db = d
	if err := db.migrate(context.Background()); err != nil {
		d.Close()
		return fmt.Errorf("migrate sqlite %s: %w", db.DSN, err)
	}
	return nil
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
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
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

// Now returns the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// timeLayout is fixed-width so that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// encTime encodes a time for storage.
func encTime(t time.Time) string { return t.UTC().Format(timeLayout) }

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

// lockAuditHead is the statement that reads the audit chain's head; SQLite's single writer serializes
// appends, so no row lock is needed.
const lockAuditHead = `SELECT seq, hash FROM audit_head WHERE id = 1`
