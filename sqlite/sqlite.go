// Package sqlite stores parties, alerts, users and the audit trail in SQLite (modernc.org/sqlite, pure Go).
// It is the default store: one file in the data directory, created on first use. The services and their SQL
// are sqlstore's, shared with the postgres package; this package provides the connection, the transactions
// and the SQLite dialect, and both adapters run the same test suite (storetest). Processes sharing the file
// coordinate through it: locks on side files (LockService) and a notifications table (NotifyService).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/sqlstore"
	msqlite "modernc.org/sqlite" // the database/sql driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
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
	// PollInterval is how often a listener reads the notifications table (default DefaultPollInterval).
	PollInterval time.Duration

	// ckpt is the checkpointer's own connection (nil for an in-memory or read-only database), ckptStop
	// stops it and ckptDone says it stopped.
	ckpt     *sql.DB
	ckptStop chan struct{}
	ckptDone chan struct{}

	// readOnly is set when the database was opened read-only (its directory cannot be written).
	readOnly bool
	// dialect is the package's dialect with this database's ExplainWrite.
	dialect     sqlstore.Dialect
	dialectOnce sync.Once
}

var _ tradescreen.Store = (*DB)(nil)

// NewDB returns a database for the file at dsn (":memory:" for an in-memory one); call Open before use.
func NewDB(dsn string) *DB { return &DB{DSN: dsn, Now: time.Now} }

// Open opens (creating it if needed) the database, checks its integrity (CheckIntegrity) and applies the
// pending migrations. Errors: EUNAVAILABLE for a damaged file, saying so; others EINTERNAL with the path.
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
	dsn += sep + "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(0)&_txlock=immediate"
	d, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", db.DSN, err)
	}
	// One connection: SQLite has one writer, and ":memory:" is private to a connection.
	d.SetMaxOpenConns(1)
	db.db = d
	// The connection is fresh: its cache holds nothing yet, so it checks the file as it is.
	if err := db.quickCheck(context.Background(), d); tradescreen.ErrorCode(err) == tradescreen.EUNAVAILABLE {
		d.Close()
		db.db = nil
		return err
	}
	if err := db.migrate(context.Background()); err != nil {
		d.Close()
		db.db = nil
		why := probeDir(db.DSN)
		if why == errReadOnlyDir {
			// A read-only directory: the database can still be read, as it is, without its journal.
			if rerr := db.openReadOnly(); rerr == nil {
				return nil
			}
		}
		if why != nil {
			return fmt.Errorf("open sqlite %s: %w (%v)", db.DSN, why, err)
		}
		return fmt.Errorf("migrate sqlite %s: %w", db.DSN, err)
	}
	if db.DSN != ":memory:" && !strings.HasPrefix(db.DSN, "file::memory:") {
		db.startCheckpointer(dsn)
	}
	return nil
}

// CheckpointInterval is how often the write-ahead log is copied into the database file. The database's
// own connection never checkpoints (wal_autocheckpoint 0): a checkpoint writes and syncs the database file
// and, done by the connection that commits, held up every commit behind it for tens of milliseconds (the
// p99 of audited searches). A second connection checkpoints in the background instead (PASSIVE: it never
// blocks a writer or a reader), and Close checkpoints what remains.
var CheckpointInterval = time.Second

func (db *DB) startCheckpointer(dsn string) {
	c, err := sql.Open("sqlite", dsn)
	if err != nil {
		return // the log is then checkpointed by Close
	}
	c.SetMaxOpenConns(1)
	db.ckpt, db.ckptStop, db.ckptDone = c, make(chan struct{}), make(chan struct{})
	go func() {
		defer close(db.ckptDone)
		t := time.NewTicker(CheckpointInterval)
		defer t.Stop()
		for {
			select {
			case <-db.ckptStop:
				return
			case <-t.C:
				// An error (a full disk, say) leaves the log to the next round.
				_, _ = c.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
}

// errDiskFull and errReadOnlyDir say why a database could not be opened for writing.
var (
	errDiskFull    = errors.New("the disk is full: free space and try again; nothing was changed")
	errReadOnlyDir = errors.New("the directory cannot be written (SQLite keeps its journal next to the database)")
)

// probeDir tries to write a small file next to the database and says why it cannot (nil when it can, or for
// an in-memory database).
func probeDir(dsn string) error {
	if dsn == ":memory:" || strings.HasPrefix(dsn, "file::memory:") {
		return nil
	}
	path, _, _ := strings.Cut(dsn, "?")
	f, err := os.CreateTemp(filepath.Dir(path), ".tradescreen-probe-")
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return errDiskFull
		}
		if errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) {
			return errReadOnlyDir
		}
		return nil
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(make([]byte, 64<<10)); err != nil && errors.Is(err, syscall.ENOSPC) {
		return errDiskFull
	}
	return nil
}

// openReadOnly opens an existing, fully migrated database read-only and immutable, for a data directory
// that cannot be written: every read works, every change fails with a clear error. Errors: the database
// does not exist, or its schema is older than this program's.
func (db *DB) openReadOnly() error {
	path, _, _ := strings.Cut(db.DSN, "?")
	if _, err := os.Stat(path); err != nil {
		return err
	}
	d, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		return err
	}
	d.SetMaxOpenConns(1)
	var have int
	if err := d.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		d.Close()
		return err
	}
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	if have < len(names) {
		d.Close()
		return fmt.Errorf("schema version %d, want %d", have, len(names))
	}
	db.db = d
	db.readOnly = true
	return nil
}

// ReadOnly reports whether the database was opened read-only because its directory cannot be written.
func (db *DB) ReadOnly() bool { return db.readOnly }

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	if db.ckpt != nil {
		close(db.ckptStop)
		<-db.ckptDone
		db.ckpt.Close()
		db.ckpt = nil
		// What the log still holds goes into the database file (TRUNCATE also empties the log file).
		_, _ = db.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
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

// BeginTx starts a transaction and reads the clock once. Errors: EINTERNAL; on a database opened read-only
// (ReadOnly), an error saying so.
func (db *DB) BeginTx(ctx context.Context) (*sqlstore.Tx, error) {
	db.dialectOnce.Do(func() {
		db.dialect = dialect
		db.dialect.ExplainWrite = db.explainWrite
	})
	tx, err := sqlstore.Begin(ctx, db.db, &db.dialect, db.Now())
	if err != nil {
		return nil, db.explainWrite(err)
	}
	return tx, nil
}

// explainWrite says why a write failed when the reason is the database's place: opened read-only, or a full
// disk.
func (db *DB) explainWrite(err error) error {
	if db.readOnly {
		return fmt.Errorf("sqlite %s is open read-only, nothing can be changed: %w (%v)", db.DSN, errReadOnlyDir, err)
	}
	if why := probeDir(db.DSN); why == errDiskFull {
		return fmt.Errorf("sqlite %s: %w (%v)", db.DSN, why, err)
	}
	return err
}

// dialect stores times as fixed-width text, so that they sort as text; SQLite's single writer serializes
// audit appends, so reading the audit head needs no row lock.
var dialect = sqlstore.Dialect{
	EncTime:       func(t time.Time) any { return t.UTC().Format(timeLayout) },
	LockAuditHead: `SELECT seq, hash FROM audit_head WHERE id = 1`,
}

// timeLayout is fixed-width so that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// maxIntegrityProblems bounds the problems an integrity error lists.
const maxIntegrityProblems = 5

// CheckIntegrity runs SQLite's PRAGMA quick_check over the whole file (every page, index and row, in time
// linear in its size; integrity_check would also compare each index with its table). Open runs it first, so
// a damaged file is refused before anything is read from it or written to it; a server runs it again to
// report itself not ready. Each check after Open runs on a fresh read-only connection, opened for it and
// closed after it, so that it reads every page from the file: the store's own connection keeps pages in its
// cache, which would hide damage done to them on disk (in a small database, all of it). Errors:
// EUNAVAILABLE naming the file and the first problems found (or the database's refusal to read a file that
// is not a database), telling to restore it from a backup; the fresh connection's error when it cannot be
// opened.
func (db *DB) CheckIntegrity(ctx context.Context) error {
	path, _, _ := strings.Cut(db.DSN, "?")
	if db.readOnly || path == ":memory:" || strings.HasPrefix(db.DSN, "file::memory:") || strings.Contains(db.DSN, "mode=memory") {
		// Nothing else can change the file (or there is none): the store's connection reads it.
		return db.quickCheck(ctx, db.db)
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	return db.quickCheck(ctx, c)
}

// quickCheck runs PRAGMA quick_check on the connection c (see CheckIntegrity).
func (db *DB) quickCheck(ctx context.Context, c *sql.DB) error {
	rows, err := c.QueryContext(ctx, `PRAGMA quick_check(`+strconv.Itoa(maxIntegrityProblems)+`)`)
	if err != nil {
		return db.damaged(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return db.damaged(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return db.damaged(err)
	}
	if len(problems) > 0 {
		return tradescreen.Errorf(tradescreen.EUNAVAILABLE, "sqlite %s is damaged (PRAGMA quick_check: %s): restore it from a backup", db.DSN, strings.Join(problems, "; "))
	}
	return nil
}

// damaged turns the error of reading a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) into the clear
// EUNAVAILABLE error of CheckIntegrity; other errors (a closed database, a cancelled context) are returned
// as they are.
func (db *DB) damaged(err error) error {
	var se *msqlite.Error
	if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_CORRUPT || se.Code()&0xff == sqlite3.SQLITE_NOTADB) {
		return tradescreen.Errorf(tradescreen.EUNAVAILABLE, "sqlite %s is damaged (%v): restore it from a backup", db.DSN, err)
	}
	return err
}
