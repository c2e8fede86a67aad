package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
)

// AlertService stores alerts and their review workflow.
type AlertService struct{ DB Conn }

var _ tradescreen.AlertService = (*AlertService)(nil)

const alertColumns = `id, party_id, source, source_id, entry_name, matched_name, party_name, score, status, entry_hash, party_hash, entry_data, party_data, escalated_by, created_at, updated_at`

func scanAlert(sc interface{ Scan(...any) error }) (*tradescreen.Alert, error) {
	var a tradescreen.Alert
	var status, entryData, partyData string
	err := sc.Scan(&a.ID, &a.PartyID, &a.Source, &a.SourceID, &a.EntryName, &a.MatchedName, &a.PartyName, &a.Score, &status,
		&a.EntryHash, &a.PartyHash, &entryData, &partyData, &a.EscalatedBy, (*dbTime)(&a.CreatedAt), (*dbTime)(&a.UpdatedAt))
	if err != nil {
		return nil, err
	}
	a.Status = tradescreen.AlertStatus(status)
	if err := json.Unmarshal([]byte(entryData), &a.EntryData); err != nil {
		return nil, fmt.Errorf("alert %d entry_data: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(partyData), &a.PartyData); err != nil {
		return nil, fmt.Errorf("alert %d party_data: %w", a.ID, err)
	}
	return &a, nil
}

func encJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// RaiseAlerts records the hits of one screening of party (see tradescreen.AlertService). It is safe to run
// concurrently for the same party from several processes: the party's alerts are locked first (in id
// order, so that concurrent calls cannot deadlock), a new alert is inserted with ON CONFLICT DO NOTHING and,
// when another transaction inserted it first, read back locked and treated as existing. So one (party, entry)
// never has two alerts and a reopening is never recorded twice.
func (s *AlertService) RaiseAlerts(ctx context.Context, actor tradescreen.Actor, party *tradescreen.Party, hits []tradescreen.Hit) ([]tradescreen.AlertChange, error) {
	return s.RaiseAlertsAllowed(ctx, actor, party, hits, nil)
}

// RaiseAlertsAllowed is RaiseAlerts where the hits whose entry keys allowed holds are covered by the allow
// list: a new alert on one is created closed as a false positive by actor, with the allowance's note as the
// decision's reason, in the same transaction (see tradescreen.AlertService). Errors: those of RaiseAlerts;
// EINVALID for an empty note or one PostgreSQL cannot hold.
func (s *AlertService) RaiseAlertsAllowed(ctx context.Context, actor tradescreen.Actor, party *tradescreen.Party, hits []tradescreen.Hit, allowed map[string]string) ([]tradescreen.AlertChange, error) {
	if err := actor.Require(tradescreen.RoleAnalyst, "raise alerts"); err != nil {
		return nil, err
	}
	if err := checkText("actor", actor.Name); err != nil {
		return nil, err
	}
	for i, h := range hits {
		for _, f := range []struct{ name, value string }{{"source", h.Source}, {"source_id", h.SourceID}, {"entry_name", h.EntryName},
			{"matched_name", h.MatchedName}, {"entry_data", strings.Join(h.EntryData, "\n")}} {
			if err := checkText(fmt.Sprintf("hits[%d].%s", i, f.name), f.value); err != nil {
				return nil, err
			}
		}
	}
	for k, note := range allowed {
		if strings.TrimSpace(note) == "" {
			return nil, tradescreen.Errorf(tradescreen.EINVALID, "allowed[%s]: the allowance's note is required", k)
		}
		if err := checkText("allowed["+k+"]", note); err != nil {
			return nil, err
		}
	}
	// The same order in every transaction: new alerts are inserted, and so locked, in key order.
	hits = append([]tradescreen.Hit(nil), hits...)
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Source != hits[j].Source {
			return hits[i].Source < hits[j].Source
		}
		return hits[i].SourceID < hits[j].SourceID
	})
	var out []tradescreen.AlertChange
	err := inTx(ctx, s.DB, func(tx *Tx) error {
		var err error
		out, err = tx.raiseAlerts(ctx, actor, party, hits, allowed)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (tx *Tx) raiseAlerts(ctx context.Context, actor tradescreen.Actor, party *tradescreen.Party, hits []tradescreen.Hit, allowed map[string]string) ([]tradescreen.AlertChange, error) {
	if _, err := tx.findParty(ctx, party.ID); err != nil {
		return nil, err
	}
	if tx.d.ForUpdate != "" {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM alerts WHERE party_id = ? ORDER BY id`+tx.d.ForUpdate, party.ID)
		if err != nil {
			return nil, err
		}
		rows.Close()
	}
	partyHash, partyData := party.DataHash(), party.PartyFields()
	var out []tradescreen.AlertChange
	for _, h := range hits {
		a, err := tx.findAlertByKey(ctx, party.ID, h.Source, h.SourceID)
		if errors.Is(err, sql.ErrNoRows) {
			a, err = tx.createAlert(ctx, actor, party, partyHash, partyData, h)
			if err != nil {
				return nil, err
			}
			if a != nil {
				if note, ok := allowed[h.Source+"/"+h.SourceID]; ok {
					if err := tx.closeAllowed(ctx, actor, a, note); err != nil {
						return nil, err
					}
					out = append(out, tradescreen.AlertChange{Alert: a, Action: "allowed"})
					continue
				}
				out = append(out, tradescreen.AlertChange{Alert: a, Action: "created"})
				continue
			}
			// Another transaction created it meanwhile: treat it as existing.
			a, err = tx.findAlertByKey(ctx, party.ID, h.Source, h.SourceID)
		}
		if err != nil {
			return nil, err
		}
		changed := a.EntryHash != h.EntryHash || a.PartyHash != partyHash
		switch {
		case a.Status == tradescreen.AlertClosedFalsePositive && changed:
			diff := difference(a, h, partyHash, partyData)
			if err := tx.refreshAlert(ctx, a, party, partyHash, partyData, h, tradescreen.AlertOpen); err != nil {
				return nil, err
			}
			reason := "reopened: " + diff
			if note, ok := allowed[h.Source+"/"+h.SourceID]; ok {
				reason += " (the allow list covers this pairing, but its review predates the change: " + note + ")"
			}
			if err := tx.addTransition(ctx, a.ID, tradescreen.AlertClosedFalsePositive, tradescreen.AlertOpen, actor.Name, reason, true); err != nil {
				return nil, err
			}
			if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditAlertReopen, "alert/"+strconv.FormatInt(a.ID, 10), map[string]any{
				"party": party.ID, "entry": h.Source + "/" + h.SourceID, "from": tradescreen.AlertClosedFalsePositive, "to": tradescreen.AlertOpen, "reason": reason}); err != nil {
				return nil, err
			}
			out = append(out, tradescreen.AlertChange{Alert: a, Action: "reopened", Difference: diff})
		case a.Status.Closed():
			out = append(out, tradescreen.AlertChange{Alert: a, Action: "kept"})
		default:
			if changed || a.Score != h.Score || a.MatchedName != h.MatchedName {
				if err := tx.refreshAlert(ctx, a, party, partyHash, partyData, h, a.Status); err != nil {
					return nil, err
				}
				out = append(out, tradescreen.AlertChange{Alert: a, Action: "updated"})
			} else {
				out = append(out, tradescreen.AlertChange{Alert: a, Action: "kept"})
			}
		}
	}
	return out, nil
}

// closeAllowed decides a new alert the allow list covers: closed as a false positive by actor, with the
// allowance's note as the reason, recorded as any decision is (a transition and an alert.decision audit
// record).
func (tx *Tx) closeAllowed(ctx context.Context, actor tradescreen.Actor, a *tradescreen.Alert, note string) error {
	to := tradescreen.AlertClosedFalsePositive
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?`, string(to), tx.encTime(tx.now), a.ID); err != nil {
		return err
	}
	from := a.Status
	a.Status = to
	if err := tx.addTransition(ctx, a.ID, from, to, actor.Name, note, true); err != nil {
		return err
	}
	return tx.appendAudit(ctx, actor.Name, tradescreen.AuditDecision, "alert/"+strconv.FormatInt(a.ID, 10), map[string]any{
		"party": a.PartyID, "entry": a.Key(), "from": from, "to": to, "reason": note, "role": actor.Role,
		"entry_hash": a.EntryHash, "party_hash": a.PartyHash, "allow_list": true})
}

// findAlertByKey reads (and, where the dialect locks rows, locks) the alert of a party and entry.
func (tx *Tx) findAlertByKey(ctx context.Context, partyID, source, sourceID string) (*tradescreen.Alert, error) {
	return scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE party_id = ? AND source = ? AND source_id = ?`+tx.d.ForUpdate, partyID, source, sourceID))
}

// createAlert inserts a new open alert with its first transition and audit record. It returns nil (and no
// error) when another transaction inserted the same party and entry first.
func (tx *Tx) createAlert(ctx context.Context, actor tradescreen.Actor, party *tradescreen.Party, partyHash string, partyData map[string]string, h tradescreen.Hit) (*tradescreen.Alert, error) {
	a := &tradescreen.Alert{PartyID: party.ID, Source: h.Source, SourceID: h.SourceID, EntryName: h.EntryName,
		MatchedName: h.MatchedName, PartyName: party.Name, Score: h.Score, Status: tradescreen.AlertOpen,
		EntryHash: h.EntryHash, PartyHash: partyHash, EntryData: h.EntryData, PartyData: partyData,
		CreatedAt: tx.now, UpdatedAt: tx.now}
	err := tx.QueryRowContext(ctx, `INSERT INTO alerts (party_id, source, source_id, entry_name, matched_name, party_name, score, status, entry_hash, party_hash, entry_data, party_data, escalated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?) ON CONFLICT (party_id, source, source_id) DO NOTHING RETURNING id`,
		a.PartyID, a.Source, a.SourceID, a.EntryName, a.MatchedName, a.PartyName, a.Score, string(a.Status), a.EntryHash, a.PartyHash,
		encJSON(nonNil(a.EntryData)), encJSON(a.PartyData), tx.encTime(tx.now), tx.encTime(tx.now)).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	reason := fmt.Sprintf("raised by screening: %q matched %q (score %s)", party.Name, h.MatchedName, tradescreen.FormatScore(h.Score))
	if err := tx.addTransition(ctx, a.ID, "", tradescreen.AlertOpen, actor.Name, reason, true); err != nil {
		return nil, err
	}
	err = tx.appendAudit(ctx, actor.Name, tradescreen.AuditAlertCreate, "alert/"+strconv.FormatInt(a.ID, 10), map[string]any{
		"party": party.ID, "entry": h.Source + "/" + h.SourceID, "score": h.Score, "matched_name": h.MatchedName, "entry_hash": h.EntryHash, "party_hash": partyHash})
	return a, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// refreshAlert stores the hit's and party's current data on the alert, with the given status.
func (tx *Tx) refreshAlert(ctx context.Context, a *tradescreen.Alert, party *tradescreen.Party, partyHash string, partyData map[string]string, h tradescreen.Hit, status tradescreen.AlertStatus) error {
	a.EntryName, a.MatchedName, a.PartyName, a.Score, a.Status = h.EntryName, h.MatchedName, party.Name, h.Score, status
	a.EntryHash, a.PartyHash, a.EntryData, a.PartyData, a.UpdatedAt = h.EntryHash, partyHash, h.EntryData, partyData, tx.now
	_, err := tx.ExecContext(ctx, `UPDATE alerts SET entry_name = ?, matched_name = ?, party_name = ?, score = ?, status = ?, entry_hash = ?, party_hash = ?, entry_data = ?, party_data = ?, updated_at = ? WHERE id = ?`,
		a.EntryName, a.MatchedName, a.PartyName, a.Score, string(a.Status), a.EntryHash, a.PartyHash, encJSON(nonNil(a.EntryData)), encJSON(a.PartyData), tx.encTime(tx.now), a.ID)
	return err
}

// difference says what changed between what an alert was decided on and the new hit and party data.
func difference(a *tradescreen.Alert, h tradescreen.Hit, partyHash string, party map[string]string) string {
	var parts []string
	if a.EntryHash != h.EntryHash {
		old := map[string]bool{}
		for _, s := range a.EntryData {
			old[s] = true
		}
		now := map[string]bool{}
		for _, s := range h.EntryData {
			now[s] = true
			if !old[s] {
				parts = append(parts, "entry "+h.Source+"/"+h.SourceID+" added "+s)
			}
		}
		for _, s := range a.EntryData {
			if !now[s] {
				parts = append(parts, "entry "+h.Source+"/"+h.SourceID+" removed "+s)
			}
		}
		if len(parts) == 0 {
			parts = append(parts, "entry "+h.Source+"/"+h.SourceID+" changed")
		}
	}
	if a.PartyHash != partyHash {
		cs := fieldChanges(a.PartyData, party)
		for _, c := range cs {
			parts = append(parts, "party "+c)
		}
		if len(cs) == 0 {
			parts = append(parts, "party data changed")
		}
	}
	return strings.Join(parts, "; ")
}

// addTransition records a move of an alert; automatic marks the moves screening makes by itself (see
// tradescreen.Transition), which the four-eyes rules do not count.
func (tx *Tx) addTransition(ctx context.Context, alertID int64, from, to tradescreen.AlertStatus, actor, reason string, automatic bool) error {
	if err := checkText("actor", actor); err != nil {
		return err
	}
	if err := checkText("reason", reason); err != nil {
		return err
	}
	auto := 0
	if automatic {
		auto = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO alert_transitions (alert_id, from_status, to_status, actor, reason, at, automatic) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		alertID, string(from), string(to), actor, reason, tx.encTime(tx.now), auto)
	return err
}

// FindAlertByID returns an alert with its transitions, oldest first. Errors: ENOTFOUND.
func (s *AlertService) FindAlertByID(ctx context.Context, id int64) (*tradescreen.Alert, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findAlert(ctx, id)
}

func (tx *Tx) findAlert(ctx context.Context, id int64) (*tradescreen.Alert, error) {
	a, err := scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no alert %d", id)
	}
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, alert_id, from_status, to_status, actor, reason, at, automatic FROM alert_transitions WHERE alert_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t tradescreen.Transition
		var from, to string
		var auto int
		if err := rows.Scan(&t.ID, &t.AlertID, &from, &to, &t.Actor, &t.Reason, (*dbTime)(&t.At), &auto); err != nil {
			return nil, err
		}
		t.Automatic = auto != 0
		t.From, t.To = tradescreen.AlertStatus(from), tradescreen.AlertStatus(to)
		a.Transitions = append(a.Transitions, t)
	}
	return a, rows.Err()
}

// FindAlerts returns the selected alerts, newest first, and their total count.
func (s *AlertService) FindAlerts(ctx context.Context, f tradescreen.AlertFilter) ([]*tradescreen.Alert, int, error) {
	var where []string
	var args []any
	if f.PartyID != "" {
		where, args = append(where, "party_id = ?"), append(args, f.PartyID)
	}
	if len(f.Status) > 0 {
		var qs []string
		for _, st := range f.Status {
			qs, args = append(qs, "?"), append(args, string(st))
		}
		where = append(where, "status IN ("+strings.Join(qs, ", ")+")")
	}
	if f.Source != "" {
		where, args = append(where, "source = ?"), append(args, f.Source)
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if !f.CreatedBefore.IsZero() {
		where, args = append(where, "created_at < ?"), append(args, tx.encTime(f.CreatedBefore.UTC()))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts`+cond, args...).Scan(&n); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + alertColumns + ` FROM alerts` + cond + ` ORDER BY id DESC`
	limit := f.Limit
	if limit <= 0 {
		limit = 1000000000
	}
	q += " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tradescreen.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, n, rows.Err()
}

// TransitionAlert moves an alert through the workflow. The alert is read locked (SELECT ... FOR UPDATE on
// PostgreSQL; SQLite's write transaction excludes every other writer), so of two concurrent moves the second
// sees the first's result: a second decision on a decided alert, or a move to the status the alert already
// has, is ECONFLICT naming who moved it and when, never a lost update. Errors: ENOTFOUND, ECONFLICT,
// EINVALID, EFORBIDDEN.
func (s *AlertService) TransitionAlert(ctx context.Context, actor tradescreen.Actor, id int64, to tradescreen.AlertStatus, reason string) (*tradescreen.Alert, error) {
	return s.TransitionAlertFrom(ctx, actor, id, "", to, reason)
}

// TransitionAlertFrom is TransitionAlert that also refuses the move with ECONFLICT when the alert's status,
// read locked, is not from (unless from is empty). Errors: ENOTFOUND, ECONFLICT, EINVALID (a reason or actor
// with a NUL byte or invalid UTF-8 too), EFORBIDDEN.
func (s *AlertService) TransitionAlertFrom(ctx context.Context, actor tradescreen.Actor, id int64, from, to tradescreen.AlertStatus, reason string) (*tradescreen.Alert, error) {
	if err := checkText("reason", reason); err != nil {
		return nil, err
	}
	if err := checkText("actor", actor.Name); err != nil {
		return nil, err
	}
	var out *tradescreen.Alert
	err := inTx(ctx, s.DB, func(tx *Tx) error {
		var err error
		out, err = tx.transitionAlert(ctx, actor, id, from, to, reason)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// transitionConflict returns ECONFLICT when the move cannot be what the actor meant because the alert
// moved meanwhile: it already has status `to`, or it is decided and `to` is another decision.
func transitionConflict(a *tradescreen.Alert, to tradescreen.AlertStatus) error {
	if a.Status != to && !(a.Status.Closed() && to.Closed()) {
		return nil
	}
	by := lastMove(a)
	if a.Status == to {
		return tradescreen.Errorf(tradescreen.ECONFLICT, "alert %d is already %s: moved%s", a.ID, a.Status, by)
	}
	return tradescreen.Errorf(tradescreen.ECONFLICT, "alert %d was already decided as %s%s: reopen it before deciding again", a.ID, a.Status, by)
}

// lastMove says who made the alert's last transition, when and why: ` by arno at 2026-03-02T09:31:00Z
// ("same company")`; empty without transitions.
func lastMove(a *tradescreen.Alert) string {
	n := len(a.Transitions)
	if n == 0 {
		return ""
	}
	last := a.Transitions[n-1]
	return fmt.Sprintf(" by %s at %s (%q)", last.Actor, last.At.UTC().Format(time.RFC3339), last.Reason)
}

func (tx *Tx) transitionAlert(ctx context.Context, actor tradescreen.Actor, id int64, seen, to tradescreen.AlertStatus, reason string) (*tradescreen.Alert, error) {
	if tx.d.ForUpdate != "" {
		var locked int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM alerts WHERE id = ?`+tx.d.ForUpdate, id).Scan(&locked)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	a, err := tx.findAlert(ctx, id)
	if err != nil {
		return nil, err
	}
	if seen != "" && a.Status != seen {
		return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "alert %d is %s now, not %s: it was moved%s meanwhile; reload it and decide again", a.ID, a.Status, seen, lastMove(a))
	}
	if err := tradescreen.CheckTransition(actor, a, to, reason); err != nil {
		if tradescreen.ErrorCode(err) == tradescreen.EINVALID && strings.TrimSpace(reason) != "" {
			if cerr := transitionConflict(a, to); cerr != nil {
				return nil, cerr
			}
		}
		return nil, err
	}
	from := a.Status
	if to == tradescreen.AlertEscalated {
		a.EscalatedBy = actor.Name
	}
	a.Status, a.UpdatedAt = to, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET status = ?, escalated_by = ?, updated_at = ? WHERE id = ?`, string(to), a.EscalatedBy, tx.encTime(tx.now), id); err != nil {
		return nil, err
	}
	if err := tx.addTransition(ctx, id, from, to, actor.Name, reason, false); err != nil {
		return nil, err
	}
	action := tradescreen.AuditAlertTransition
	if to.Closed() {
		action = tradescreen.AuditDecision
	}
	if err := tx.appendAudit(ctx, actor.Name, action, "alert/"+strconv.FormatInt(id, 10), map[string]any{
		"party": a.PartyID, "entry": a.Key(), "from": from, "to": to, "reason": reason, "role": actor.Role,
		"entry_hash": a.EntryHash, "party_hash": a.PartyHash}); err != nil {
		return nil, err
	}
	a.Transitions = append(a.Transitions, tradescreen.Transition{AlertID: id, From: from, To: to, Actor: actor.Name, Reason: reason, At: tx.now})
	return a, nil
}
