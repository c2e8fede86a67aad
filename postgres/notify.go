package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/tradescreen/tradescreen"
)

// NotifyService passes notifications with PostgreSQL's NOTIFY and LISTEN. The PostgreSQL channel of a
// channel name is "tradescreen_NAME" in the public schema and "tradescreen_SCHEMA_NAME" in another (hashed
// when longer than PostgreSQL's 63-byte identifiers), so that schemas of one database stay apart.
type NotifyService struct{ DB *DB }

var _ tradescreen.NotifyService = (*NotifyService)(nil)

const maxPayload = 1000

// pgChannel returns the PostgreSQL channel of a channel name.
func (db *DB) pgChannel(name string) string {
	ch := "tradescreen_" + name
	if db.schema != "" && db.schema != "public" {
		ch = "tradescreen_" + db.schema + "_" + name
	}
	if len(ch) > 63 {
		sum := sha256.Sum256([]byte(ch))
		ch = "tradescreen_" + hex.EncodeToString(sum[:12]) + "_" + name
	}
	return ch
}

// Notify sends payload on channel with pg_notify; listeners receive it when the call returns. Errors:
// EINVALID for a bad channel or a payload over 1,000 bytes.
func (s *NotifyService) Notify(ctx context.Context, channel, payload string) error {
	if err := tradescreen.CheckLockName(channel); err != nil {
		return err
	}
	if len(payload) > maxPayload {
		return tradescreen.Errorf(tradescreen.EINVALID, "notification payload: %d bytes, at most %d", len(payload), maxPayload)
	}
	_, err := s.DB.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, s.DB.pgChannel(channel), payload)
	return err
}

// ListenRetry is how long a listener waits before reconnecting after its connection failed.
var ListenRetry = 2 * time.Second

// Listen runs LISTEN on a connection of its own and returns the payloads received, until ctx ends. When the
// connection fails it reconnects after ListenRetry; notifications sent meanwhile are missed. Errors:
// EINVALID for a bad channel, the database's when the first LISTEN fails.
func (s *NotifyService) Listen(ctx context.Context, channel string) (<-chan string, error) {
	if err := tradescreen.CheckLockName(channel); err != nil {
		return nil, err
	}
	ch := s.DB.pgChannel(channel)
	out := make(chan string, 16)
	ready := make(chan error, 1)
	go func() {
		defer close(out)
		first := true
		for {
			err := s.listenOnce(ctx, ch, out, ready, first)
			if first && err != nil {
				ready <- err
				return
			}
			first = false
			select {
			case <-ctx.Done():
				return
			case <-time.After(ListenRetry):
			}
		}
	}()
	if err := <-ready; err != nil {
		return nil, fmt.Errorf("listen %s: %w", ch, err)
	}
	return out, nil
}

// listenOnce listens on one connection until it fails or ctx ends; it reports a working LISTEN on ready
// the first time. The connection is closed afterwards, since a wait cut short leaves it unusable.
func (s *NotifyService) listenOnce(ctx context.Context, ch string, out chan<- string, ready chan<- error, first bool) error {
	conn, err := s.DB.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	listening := false
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
		listening = true
		if first {
			ready <- nil
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return driver.ErrBadConn
			}
			select {
			case out <- n.Payload:
			case <-ctx.Done():
				return driver.ErrBadConn
			}
		}
	})
	if listening {
		return nil
	}
	return err
}
