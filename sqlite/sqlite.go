// Package sqlite stores parties, alerts, users and the audit trail in SQLite (modernc.org/sqlite, pure Go).
// It is the default store: one file in the data directory, created on first use. The services and their SQL
// are sqlstore's, shared with the postgres package; this package provides the connection, the transactions
// and the SQLite dialect, and both adapters run the same test suite (storetest).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/sqlstore"
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

// migrate creates schema_migrations if needed and applies the pending embedded migrations.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, db, migrationFS)
}

// BeginTx starts a transaction and reads the clock once.
func (db *DB) BeginTx(ctx context.Context) (*sqlstore.Tx, error) {
	return sqlstore.Begin(ctx, db.db, &dialect, db.Now())
}

// dialect stores times as fixed-width text, so that they sort as text; SQLite's single writer serializes
// audit appends, so reading the audit head needs no row lock.
var dialect = sqlstore.Dialect{
	EncTime:       func(t time.Time) any { return t.UTC().Format(timeLayout) },
	LockAuditHead: `SELECT seq, hash FROM audit_head WHERE id = 1`,
}

// timeLayout is fixed-width so that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"
