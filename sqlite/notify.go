package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tradescreen/tradescreen"
)

// NotifyService passes notifications between the processes sharing the database file through the
// notifications table: Notify inserts a row, and each listener polls for rows newer than the last it saw
// every PollInterval of its DB.
type NotifyService struct{ DB *DB }

var _ tradescreen.NotifyService = (*NotifyService)(nil)

// DefaultPollInterval is how often a listener reads the notifications table unless DB.PollInterval is set.
const DefaultPollInterval = time.Second

// maxPayload bounds a notification's payload.
const maxPayload = 1000

// keepNotifications is how many rows the table keeps; older ones are deleted by Notify.
const keepNotifications = 1000

// Notify records payload on channel for every listener. Errors: EINVALID for a bad channel or a payload over
// 1,000 bytes.
func (s *NotifyService) Notify(ctx context.Context, channel, payload string) error {
	if err := tradescreen.CheckLockName(channel); err != nil {
		return err
	}
	if len(payload) > maxPayload {
		return tradescreen.Errorf(tradescreen.EINVALID, "notification payload: %d bytes, at most %d", len(payload), maxPayload)
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO notifications (channel, payload, at) VALUES (?, ?, ?)`, channel, payload, dialect.EncTime(tx.Now()))
	if err != nil {
		return err
	}
	if id, err := res.LastInsertId(); err == nil && id > keepNotifications {
		if _, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE id <= ?`, id-keepNotifications); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Listen polls the notifications table for rows on channel sent after the call, until ctx ends. Errors:
// EINVALID for a bad channel, the database's when the table cannot be read.
func (s *NotifyService) Listen(ctx context.Context, channel string) (<-chan string, error) {
	if err := tradescreen.CheckLockName(channel); err != nil {
		return nil, err
	}
	var last sql.NullInt64
	if err := s.DB.db.QueryRowContext(ctx, `SELECT MAX(id) FROM notifications`).Scan(&last); err != nil {
		return nil, err
	}
	every := s.DB.PollInterval
	if every <= 0 {
		every = DefaultPollInterval
	}
	out := make(chan string, 16)
	go func() {
		defer close(out)
		after := last.Int64
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			payloads, next, err := s.since(ctx, channel, after)
			if err != nil {
				// The database is busy or gone for a moment: try again at the next tick.
				continue
			}
			after = next
			for _, p := range payloads {
				select {
				case out <- p:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// since returns the payloads on channel after row id `after`, and the last row id read.
func (s *NotifyService) since(ctx context.Context, channel string, after int64) ([]string, int64, error) {
	rows, err := s.DB.db.QueryContext(ctx, `SELECT id, channel, payload FROM notifications WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return nil, after, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var ch, p string
		if err := rows.Scan(&id, &ch, &p); err != nil {
			return nil, after, err
		}
		after = id
		if ch == channel {
			out = append(out, p)
		}
	}
	if err := rows.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, after, err
	}
	return out, after, nil
}
