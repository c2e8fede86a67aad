package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// LockService takes named locks among every process using one database file. Each lock is an exclusive
// transaction held open on a side file next to the database ("tradescreen.db-lock-monitor"): SQLite locks
// that file through the operating system (fcntl locks on Unix, LockFileEx on Windows), which frees it when
// the holding process exits or dies, and which also excludes other connections within one process. An
// in-memory database, private to its process, uses an in-process lock instead.
type LockService struct{ DB *DB }

var _ tradescreen.LockService = (*LockService)(nil)

// memLocks are the locks of in-memory databases, by database and name.
var memLocks = struct {
	sync.Mutex
	held map[*DB]map[string]bool
}{held: map[*DB]map[string]bool{}}

// LockPath returns the side file that holds the lock called name for the database file dsn, or "" for an
// in-memory database.
func LockPath(dsn, name string) string {
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" || path == ":memory:" || strings.Contains(dsn, "mode=memory") {
		return ""
	}
	return path + "-lock-" + name
}

// TryLock takes the lock called name without waiting. Errors: ECONFLICT when another connection or process
// holds it, EINVALID for a bad name, EINTERNAL when the side file cannot be opened.
func (s *LockService) TryLock(ctx context.Context, name string) (tradescreen.Lock, error) {
	if err := tradescreen.CheckLockName(name); err != nil {
		return nil, err
	}
	path := LockPath(s.DB.DSN, name)
	if path == "" {
		memLocks.Lock()
		defer memLocks.Unlock()
		if memLocks.held[s.DB][name] {
			return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "lock %q is held by another run using this database", name)
		}
		if memLocks.held[s.DB] == nil {
			memLocks.held[s.DB] = map[string]bool{}
		}
		memLocks.held[s.DB][name] = true
		return &lock{lost: make(chan struct{}), release: func() error {
			memLocks.Lock()
			defer memLocks.Unlock()
			delete(memLocks.held[s.DB], name)
			return nil
		}}, nil
	}
	// The side file keeps SQLite's default rollback journal: an exclusive transaction then holds the OS lock
	// on the file itself.
	d, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return nil, fmt.Errorf("lock %q: open %s: %w", name, path, err)
	}
	d.SetMaxOpenConns(1)
	conn, err := d.Conn(ctx)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("lock %q: open %s: %w", name, path, err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		conn.Close()
		d.Close()
		if busy(err) {
			return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "lock %q is held by another process or connection (%s)", name, path)
		}
		return nil, fmt.Errorf("lock %q: %s: %w", name, path, err)
	}
	return &lock{lost: make(chan struct{}), release: func() error {
		_, err := conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		if cerr := d.Close(); err == nil {
			err = cerr
		}
		return err
	}}, nil
}

// busy reports SQLite's "database is locked".
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

// lock is a held lock; release frees it once.
type lock struct {
	once    sync.Once
	lost    chan struct{}
	release func() error
	err     error
}

// Lost is never closed for SQLite: a lock held by a living process cannot be lost.
func (l *lock) Lost() <-chan struct{} { return l.lost }

// Unlock releases the lock; calling it again does nothing.
func (l *lock) Unlock() error {
	l.once.Do(func() { l.err = l.release() })
	return l.err
}
