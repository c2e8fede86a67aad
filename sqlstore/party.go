package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// PartyService is the parties register.
type PartyService struct{ DB Conn }

var _ tradescreen.PartyService = (*PartyService)(nil)

const partyColumns = `id, name, kind, country, birth_date, extra, version, hash, screened_hash, created_at, updated_at, deleted_at`

func scanParty(sc interface{ Scan(...any) error }) (*tradescreen.Party, error) {
	var p tradescreen.Party
	var kind, extra string
	err := sc.Scan(&p.ID, &p.Name, &kind, &p.Country, &p.BirthDate, &extra, &p.Version, &p.Hash, &p.ScreenedHash,
		(*dbTime)(&p.CreatedAt), (*dbTime)(&p.UpdatedAt), dbTimePtr{&p.DeletedAt})
	if err != nil {
		return nil, err
	}
	p.Kind = tradescreen.Kind(kind)
	if extra != "" && extra != "{}" {
		if err := json.Unmarshal([]byte(extra), &p.Extra); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

func encExtra(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// validParty checks and normalizes a party's fields. Errors: EINVALID naming the party and field (text with
// a NUL byte or invalid UTF-8 included).
func validParty(p *tradescreen.Party) error {
	p.ID = strings.TrimSpace(p.ID)
	p.Name = strings.TrimSpace(p.Name)
	if err := checkPartyText(p); err != nil {
		return err
	}
	if p.ID == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "party %q: id: required", p.Name)
	}
	if len(p.ID) > 200 {
		return tradescreen.Errorf(tradescreen.EINVALID, "party %.40q: id: longer than 200 bytes", p.ID)
	}
	if p.Name == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "party %s: name: required", p.ID)
	}
	return nil
}

// ImportParties creates or updates parties by id in one transaction, auditing the import and each change to
// an existing party. Errors: EINVALID (no id or name, an id given twice, a field or the source with a NUL
// byte or invalid UTF-8), EFORBIDDEN (viewers).
func (s *PartyService) ImportParties(ctx context.Context, actor tradescreen.Actor, source string, parties []tradescreen.Party) (tradescreen.ImportStats, error) {
	var st tradescreen.ImportStats
	if err := actor.Require(tradescreen.RoleAnalyst, "import parties"); err != nil {
		return st, err
	}
	if err := checkText("source", source); err != nil {
		return st, err
	}
	seen := make(map[string]bool, len(parties))
	for i := range parties {
		if err := validParty(&parties[i]); err != nil {
			return st, err
		}
		if seen[parties[i].ID] {
			return st, tradescreen.Errorf(tradescreen.EINVALID, "party %s: id: given twice in the import", parties[i].ID)
		}
		seen[parties[i].ID] = true
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	existing := map[string]*tradescreen.Party{}
	rows, err := tx.QueryContext(ctx, `SELECT `+partyColumns+` FROM parties`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		p, err := scanParty(rows)
		if err != nil {
			rows.Close()
			return st, err
		}
		if seen[p.ID] {
			existing[p.ID] = p
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO parties (`+partyColumns+`) VALUES (?, ?, ?, ?, ?, ?, 1, ?, '', ?, ?, NULL)`)
	if err != nil {
		return st, err
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE parties SET name = ?, kind = ?, country = ?, birth_date = ?, extra = ?, version = ?, hash = ?, updated_at = ?, deleted_at = NULL WHERE id = ?`)
	if err != nil {
		return st, err
	}
	defer upd.Close()
	for i := range parties {
		p := &parties[i]
		p.Hash = p.DataHash()
		st.Rows++
		old := existing[p.ID]
		if old == nil {
			if _, err := ins.ExecContext(ctx, p.ID, p.Name, string(p.Kind), p.Country, p.BirthDate, encExtra(p.Extra), p.Hash, tx.encTime(tx.now), tx.encTime(tx.now)); err != nil {
				return st, err
			}
			st.Created++
			continue
		}
		dataChanged := old.Hash != p.Hash
		extraChanged := encExtra(old.Extra) != encExtra(p.Extra)
		restored := old.DeletedAt != nil
		if !dataChanged && !extraChanged && !restored {
			st.Unchanged++
			continue
		}
		version := old.Version
		if dataChanged {
			version++
		}
		if _, err := upd.ExecContext(ctx, p.Name, string(p.Kind), p.Country, p.BirthDate, encExtra(p.Extra), version, p.Hash, tx.encTime(tx.now), p.ID); err != nil {
			return st, err
		}
		action := tradescreen.AuditPartyUpdate
		if restored {
			action = tradescreen.AuditPartyRestore
			st.Restored++
		} else {
			st.Updated++
		}
		if err := tx.appendAudit(ctx, actor.Name, action, "party/"+p.ID, map[string]any{
			"source": source, "changes": fieldChanges(old.PartyFields(), p.PartyFields()), "version": version}); err != nil {
			return st, err
		}
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditPartyImport, "parties", map[string]any{
		"source": source, "rows": st.Rows, "created": st.Created, "updated": st.Updated, "unchanged": st.Unchanged, "restored": st.Restored}); err != nil {
		return st, err
	}
	return st, tx.Commit()
}

// fieldChanges lists the fields whose values differ, as "field: \"old\" -> \"new\"", in a fixed order.
func fieldChanges(old, new map[string]string) []string {
	var out []string
	for _, k := range []string{"name", "type", "country", "date_of_birth"} {
		if old[k] != new[k] {
			out = append(out, k+": "+strconv.Quote(old[k])+" -> "+strconv.Quote(new[k]))
		}
	}
	return out
}

// FindPartyByID returns a party, deleted or not. Errors: ENOTFOUND.
func (s *PartyService) FindPartyByID(ctx context.Context, id string) (*tradescreen.Party, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findParty(ctx, id)
}

func (tx *Tx) findParty(ctx context.Context, id string) (*tradescreen.Party, error) {
	p, err := scanParty(tx.QueryRowContext(ctx, `SELECT `+partyColumns+` FROM parties WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no party with id %q", id)
	}
	return p, err
}

// FindParties returns the selected parties ordered by id and their total count.
func (s *PartyService) FindParties(ctx context.Context, f tradescreen.PartyFilter) ([]*tradescreen.Party, int, error) {
	var where []string
	var args []any
	if f.ID != nil {
		where, args = append(where, "id = ?"), append(args, *f.ID)
	}
	if !f.Deleted {
		where = append(where, "deleted_at IS NULL")
	}
	if f.Stale {
		where = append(where, "screened_hash <> hash")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM parties`+cond, args...).Scan(&n); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + partyColumns + ` FROM parties` + cond + ` ORDER BY id`
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	if f.Offset > 0 {
		if f.Limit <= 0 {
			q += " LIMIT 1000000000"
		}
		q += " OFFSET " + strconv.Itoa(f.Offset)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := make([]*tradescreen.Party, 0, min(n, 1<<16))
	for rows.Next() {
		p, err := scanParty(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, n, rows.Err()
}

// UpdateParty changes a party's screened data. Errors: ENOTFOUND, EINVALID (an empty name or reason, text
// with a NUL byte or invalid UTF-8), EFORBIDDEN.
func (s *PartyService) UpdateParty(ctx context.Context, actor tradescreen.Actor, id string, u tradescreen.PartyUpdate) (*tradescreen.Party, error) {
	if err := actor.Require(tradescreen.RoleAnalyst, "update parties"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(u.Reason) == "" {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "reason: required to change a party")
	}
	if err := checkText("reason", u.Reason); err != nil {
		return nil, err
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := tx.findParty(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.DeletedAt != nil {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "party %q is deleted", id)
	}
	old := p.PartyFields()
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.Kind != nil {
		p.Kind = *u.Kind
	}
	if u.Country != nil {
		p.Country = *u.Country
	}
	if u.BirthDate != nil {
		p.BirthDate = *u.BirthDate
	}
	if err := validParty(p); err != nil {
		return nil, err
	}
	h := p.DataHash()
	if h == p.Hash {
		return p, nil
	}
	p.Hash, p.Version, p.UpdatedAt = h, p.Version+1, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE parties SET name = ?, kind = ?, country = ?, birth_date = ?, version = ?, hash = ?, updated_at = ? WHERE id = ?`,
		p.Name, string(p.Kind), p.Country, p.BirthDate, p.Version, p.Hash, tx.encTime(tx.now), p.ID); err != nil {
		return nil, err
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditPartyUpdate, "party/"+p.ID, map[string]any{
		"changes": fieldChanges(old, p.PartyFields()), "reason": u.Reason, "version": p.Version}); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// DeleteParty soft-deletes a party. Errors: ENOTFOUND, EINVALID (no reason, or one with a NUL byte or
// invalid UTF-8), EFORBIDDEN.
func (s *PartyService) DeleteParty(ctx context.Context, actor tradescreen.Actor, id, reason string) error {
	if err := actor.Require(tradescreen.RoleAnalyst, "delete parties"); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "reason: required to delete a party")
	}
	if err := checkText("reason", reason); err != nil {
		return err
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	p, err := tx.findParty(ctx, id)
	if err != nil {
		return err
	}
	if p.DeletedAt != nil {
		return tradescreen.Errorf(tradescreen.ENOTFOUND, "party %q is already deleted", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE parties SET deleted_at = ?, updated_at = ? WHERE id = ?`, tx.encTime(tx.now), tx.encTime(tx.now), id); err != nil {
		return err
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditPartyDelete, "party/"+id, map[string]string{"reason": reason, "name": p.Name}); err != nil {
		return err
	}
	return tx.Commit()
}

// MarkScreened records the data hash each party was screened with.
func (s *PartyService) MarkScreened(ctx context.Context, hashes map[string]string) error {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `UPDATE parties SET screened_hash = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for id, h := range hashes {
		if _, err := st.ExecContext(ctx, h, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}
