// Package postgres stores parties, alerts, users and the audit trail in PostgreSQL (pgx through
// database/sql), for several instances sharing the work. The services and their SQL are sqlstore's, shared
// with the sqlite package and written with ? placeholders that this package's dialect rebinds to $n; both
// adapters run the same test suite (storetest). Instances sharing the database coordinate through it:
// session advisory locks (LockService) and LISTEN/NOTIFY (NotifyService).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/sqlstore"
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
	// schema is the current schema, read at Open: it keeps the notification channels of schemas apart.
	schema string
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
	if err := d.QueryRowContext(ctx, `SELECT COALESCE(current_schema(), '')`).Scan(&db.schema); err != nil {
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

// migrate creates schema_migrations if needed and applies the pending embedded migrations.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, db, migrationFS)
}

// BeginTx starts a transaction and reads the clock once.
func (db *DB) BeginTx(ctx context.Context) (*sqlstore.Tx, error) {
	return sqlstore.Begin(ctx, db.db, &dialect, db.Now())
}

// dialect rebinds ? placeholders to $n and stores times as TIMESTAMPTZ (microseconds). Reading the audit
// chain's head locks its row until the transaction ends, so that appends from several connections and
// instances are serialized; migrations take an advisory lock, so that instances starting together migrate
// once; alerts are read FOR UPDATE before they change, a batch job to lease is picked FOR UPDATE SKIP
// LOCKED, and a transaction that deadlocked with another is
// run again.
var dialect = sqlstore.Dialect{
	Rebind:        sqlstore.Rebind,
	EncTime:       func(t time.Time) any { return t.UTC() },
	LockAuditHead: `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`,
	MigrationLock: `SELECT pg_advisory_xact_lock(7261001)`,
	ForUpdate:     ` FOR UPDATE`,
	SkipLocked:    ` FOR UPDATE SKIP LOCKED`,
	Retryable:     retryable,
}

// retryable reports a deadlock or serialization failure: the transaction lost a race with another and may
// be run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// CheckIntegrity checks that the database answers and that its schema holds what every write needs (the
// audit trail's head row), for a server to report itself not ready otherwise. PostgreSQL checks its own
// pages (data checksums, when the cluster was created with them); nothing here reads the whole database.
// Errors: EUNAVAILABLE naming the database (without its password) and what is wrong.
func (db *DB) CheckIntegrity(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_head WHERE id = 1`).Scan(&n); err != nil {
		return tradescreen.Errorf(tradescreen.EUNAVAILABLE, "postgres %s cannot be read: %v", Redact(db.DSN), err)
	}
	if n != 1 {
		return tradescreen.Errorf(tradescreen.EUNAVAILABLE, "postgres %s is damaged: the audit trail's head row is missing, so nothing can be recorded; restore it from a backup", Redact(db.DSN))
	}
	return nil
}
