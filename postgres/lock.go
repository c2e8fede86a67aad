package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
)

// LockService takes named locks with PostgreSQL session advisory locks: each held lock is
// pg_try_advisory_lock on a connection of its own, which PostgreSQL frees when the lock is released or the
// connection ends (the process died, the network failed). The key is a hash of "tradescreen/", the
// schema and the name, so that databases in separate schemas of one server do not share locks.
type LockService struct{ DB *DB }

var _ tradescreen.LockService = (*LockService)(nil)

// LockCheckInterval is how often a held lock's connection is checked; when the check fails the lock's
// Lost channel is closed.
var LockCheckInterval = 5 * time.Second

const lockKey = `hashtextextended('tradescreen/' || COALESCE(current_schema(), '') || '/' || $1, 0)`

// TryLock takes the lock called name without waiting. Errors: ECONFLICT when another session holds it,
// EINVALID for a bad name, the database's when it cannot be reached.
func (s *LockService) TryLock(ctx context.Context, name string) (tradescreen.Lock, error) {
	if err := tradescreen.CheckLockName(name); err != nil {
		return nil, err
	}
	conn, err := s.DB.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock %q: %w", name, err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(`+lockKey+`)`, name).Scan(&ok); err != nil {
		discard(conn)
		return nil, fmt.Errorf("lock %q: %w", name, err)
	}
	if !ok {
		conn.Close()
		return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "lock %q is held by another session on this database", name)
	}
	l := &pgLock{name: name, conn: conn, lost: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go l.watch()
	return l, nil
}

// discard closes conn's underlying connection instead of returning it to the pool.
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

type pgLock struct {
	name       string
	conn       *sql.Conn
	lost       chan struct{}
	stop, done chan struct{}
	once       sync.Once
	err        error
}

// watch checks the connection until Unlock, closing lost when it fails.
func (l *pgLock) watch() {
	defer close(l.done)
	t := time.NewTicker(LockCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), LockCheckInterval)
		// The session holds the lock as long as it lives.
		err := l.conn.PingContext(ctx)
		cancel()
		if err != nil {
			close(l.lost)
			return
		}
	}
}

// Lost is closed when the lock's connection failed: the lock may then be taken by another session.
func (l *pgLock) Lost() <-chan struct{} { return l.lost }

// Unlock releases the advisory lock and the connection holding it.
func (l *pgLock) Unlock() error {
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var ok bool
		err := l.conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock(`+lockKey+`)`, l.name).Scan(&ok)
		if err == nil && !ok {
			err = errors.New("the lock was no longer held")
		}
		if err != nil {
			// Ending the session frees whatever it still holds.
			discard(l.conn)
			l.err = fmt.Errorf("unlock %q: %w", l.name, err)
			return
		}
		l.err = l.conn.Close()
	})
	return l.err
}
