package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
)

// AuditService is the hash-chained, append-only audit trail.
type AuditService struct{ DB Conn }

var _ tradescreen.AuditService = (*AuditService)(nil)

// appendAudit appends one event in the transaction, chained to the current head.
func (tx *Tx) appendAudit(ctx context.Context, actor, action, object string, details any) error {
	d, ok := details.(string)
	if !ok {
		d = tradescreen.AuditDetails(details)
	}
	return tx.appendEvent(ctx, &tradescreen.AuditEvent{Actor: actor, Action: action, Object: object, Details: d})
}

func (tx *Tx) appendEvent(ctx context.Context, e *tradescreen.AuditEvent) error {
	return tx.appendEvents(ctx, []*tradescreen.AuditEvent{e})
}

// auditRowsPerInsert bounds the rows of one INSERT statement (8 parameters each).
const auditRowsPerInsert = 100

// appendEvents appends events in the transaction, in order, chained to the current head: the head is
// locked and moved once, and the rows go in with as few statements as the batch allows, so that appending
// the records of many concurrent requests costs a few round trips, not three per record.
func (tx *Tx) appendEvents(ctx context.Context, events []*tradescreen.AuditEvent) error {
	// Actor names come from users, --as and the environment: the trail refuses what PostgreSQL cannot hold.
	for _, e := range events {
		for _, f := range []struct{ name, value string }{{"actor", e.Actor}, {"action", e.Action}, {"object", e.Object}, {"details", e.Details}} {
			if err := checkText("audit event: "+f.name, f.value); err != nil {
				return err
			}
		}
	}
	if len(events) == 0 {
		return nil
	}
	var seq int64
	var head string
	if err := tx.QueryRowContext(ctx, tx.d.LockAuditHead).Scan(&seq, &head); err != nil {
		return err
	}
	for _, e := range events {
		if e.Details == "" {
			e.Details = "{}"
		}
		seq++
		e.Seq, e.At, e.PrevHash = seq, tx.now, head
		e.Hash = tradescreen.ChainHash(e.PrevHash, e)
		head = e.Hash
	}
	for start := 0; start < len(events); start += auditRowsPerInsert {
		part := events[start:min(len(events), start+auditRowsPerInsert)]
		var q strings.Builder
		q.WriteString(`INSERT INTO audit_events (seq, at, actor, action, object, details, prev_hash, hash) VALUES `)
		args := make([]any, 0, 8*len(part))
		for i, e := range part {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, e.Seq, tx.encTime(e.At), e.Actor, e.Action, e.Object, e.Details, e.PrevHash, e.Hash)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, head)
	return err
}

// AppendAudit records events for actions outside the store, in one transaction. Errors: EINVALID without
// actor or action, or for text with a NUL byte or invalid UTF-8 (naming the field).
func (s *AuditService) AppendAudit(ctx context.Context, events ...*tradescreen.AuditEvent) error {
	for _, e := range events {
		if e.Actor == "" || e.Action == "" {
			return tradescreen.Errorf(tradescreen.EINVALID, "audit event: actor and action are required")
		}
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.appendEvents(ctx, events); err != nil {
		return err
	}
	return tx.Commit()
}

// FindAuditEvents returns the selected events in sequence order.
func (s *AuditService) FindAuditEvents(ctx context.Context, f tradescreen.AuditFilter) ([]*tradescreen.AuditEvent, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var where []string
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, tx.encTime(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, tx.encTime(f.To))
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.Object != "" {
		where, args = append(where, "object = ?"), append(args, f.Object)
	}
	if f.AfterSeq > 0 {
		where, args = append(where, "seq > ?"), append(args, f.AfterSeq)
	}
	q := `SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tradescreen.AuditEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanEvent(rows *sql.Rows) (*tradescreen.AuditEvent, error) {
	var e tradescreen.AuditEvent
	err := rows.Scan(&e.Seq, (*dbTime)(&e.At), &e.Actor, &e.Action, &e.Object, &e.Details, &e.PrevHash, &e.Hash)
	return &e, err
}

// VerifyAudit recomputes the chain from its anchor to its head.
func (s *AuditService) VerifyAudit(ctx context.Context) (*tradescreen.AuditVerification, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var headSeq, anchorSeq int64
	var headHash, anchorHash string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash, anchor_seq, anchor_hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash, &anchorSeq, &anchorHash); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_events ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v := tradescreen.NewChainVerifier(anchorSeq, anchorHash)
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		if !v.Add(e) {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res := v.Finish(headSeq, headHash)
	return &res, nil
}

const retentionKey = "audit.retention"

// AuditRetention returns the retention period (0: forever).
func (s *AuditService) AuditRetention(ctx context.Context) (time.Duration, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return tx.retention(ctx)
}

func (tx *Tx) retention(ctx context.Context) (time.Duration, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, retentionKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return time.ParseDuration(v)
}

// SetAuditRetention sets the retention period; admins only. Errors: EINVALID (negative or under a day),
// EFORBIDDEN.
func (s *AuditService) SetAuditRetention(ctx context.Context, actor tradescreen.Actor, d time.Duration) error {
	if err := actor.Require(tradescreen.RoleAdmin, "change the audit retention"); err != nil {
		return err
	}
	if d < 0 || (d > 0 && d < 24*time.Hour) {
		return tradescreen.Errorf(tradescreen.EINVALID, "retention: %v must be 0 (forever) or at least a day", d)
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := tx.retention(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, retentionKey, d.String()); err != nil {
		return err
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditConfigChange, "setting/"+retentionKey,
		map[string]string{"setting": retentionKey, "from": old.String(), "to": d.String()}); err != nil {
		return err
	}
	return tx.Commit()
}

// PruneAudit deletes the events older than the retention period (none when it is 0), moving the chain's
// anchor to the last deleted record and recording the pruning with that record's seq and hash
// (tradescreen.PruneDetails), which VerifyAudit requires of any anchor. Admins only.
func (s *AuditService) PruneAudit(ctx context.Context, actor tradescreen.Actor) (int64, error) {
	if err := actor.Require(tradescreen.RoleAdmin, "prune the audit trail"); err != nil {
		return 0, err
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ret, err := tx.retention(ctx)
	if err != nil || ret == 0 {
		return 0, err
	}
	cutoff := tx.now.Add(-ret)
	var seq sql.NullInt64
	var hash sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events WHERE at < ? ORDER BY seq DESC LIMIT 1`, tx.encTime(cutoff)).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM audit_events WHERE seq <= ?`, seq.Int64)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET anchor_seq = ?, anchor_hash = ? WHERE id = 1`, seq.Int64, hash.String); err != nil {
		return 0, err
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditPrune, "audit", tradescreen.PruneDetails{
		Deleted: n, ThroughSeq: seq.Int64, AnchorHash: hash.String, Before: cutoff.UTC().Format(time.RFC3339Nano), Retention: ret.String()}); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
