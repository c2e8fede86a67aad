package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// UserService manages users and their API keys. A key is "tsk_<id>_<secret>"; only SHA-256(secret) is
// stored (the secret is 32 random bytes, so a fast hash suffices).
type UserService struct{ DB Conn }

var _ tradescreen.UserService = (*UserService)(nil)

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// CreateUser adds a user and returns its API key. Errors: EINVALID (a name tradescreen.CheckUserName
// refuses: reserved, confusable, with spaces, zero-width or bidirectional characters ...), ECONFLICT (the
// name is taken, or looks like a user's who exists: the same tradescreen.UserNameSkeleton), EFORBIDDEN.
func (s *UserService) CreateUser(ctx context.Context, actor tradescreen.Actor, name string, role tradescreen.Role) (*tradescreen.User, string, error) {
	if err := actor.Require(tradescreen.RoleAdmin, "create users"); err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if err := tradescreen.CheckUserName(name); err != nil {
		return nil, "", err
	}
	if _, err := tradescreen.ParseRole(string(role)); err != nil {
		return nil, "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, "", err
	}
	secret := hex.EncodeToString(b)
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
		return nil, "", err
	}
	if n > 0 {
		return nil, "", tradescreen.Errorf(tradescreen.ECONFLICT, "a user named %q exists", name)
	}
	if err := tx.checkLookalike(ctx, name); err != nil {
		return nil, "", err
	}
	u := &tradescreen.User{Name: name, Role: role, CreatedAt: tx.now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO users (name, role, key_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		name, string(role), hashSecret(secret), tx.encTime(tx.now)).Scan(&u.ID); err != nil {
		return nil, "", err
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditUserCreate, "user/"+name, map[string]any{"id": u.ID, "role": role}); err != nil {
		return nil, "", err
	}
	return u, "tsk_" + strconv.FormatInt(u.ID, 10) + "_" + secret, tx.Commit()
}

// checkLookalike returns ECONFLICT when an existing user's name looks like name (the same skeleton).
func (tx *Tx) checkLookalike(ctx context.Context, name string) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM users`)
	if err != nil {
		return err
	}
	defer rows.Close()
	sk := tradescreen.UserNameSkeleton(name)
	for rows.Next() {
		var other string
		if err := rows.Scan(&other); err != nil {
			return err
		}
		if tradescreen.UserNameSkeleton(other) == sk {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "name: %q looks like the existing user %q", name, other)
		}
	}
	return rows.Err()
}

// Authenticate returns the user of an API key. Errors: EUNAUTHORIZED.
func (s *UserService) Authenticate(ctx context.Context, key string) (*tradescreen.User, error) {
	bad := tradescreen.Errorf(tradescreen.EUNAUTHORIZED, "invalid API key")
	rest, ok := strings.CutPrefix(key, "tsk_")
	if !ok {
		return nil, bad
	}
	idText, secret, ok := strings.Cut(rest, "_")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || secret == "" {
		return nil, bad
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var u tradescreen.User
	var role, keyHash string
	err = tx.QueryRowContext(ctx, `SELECT id, name, role, key_hash, created_at, disabled_at FROM users WHERE id = ?`, id).
		Scan(&u.ID, &u.Name, &role, &keyHash, (*dbTime)(&u.CreatedAt), dbTimePtr{&u.DisabledAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(keyHash)) != 1 || u.DisabledAt != nil {
		return nil, bad
	}
	u.Role = tradescreen.Role(role)
	return &u, nil
}

// FindUsers lists the users by name.
func (s *UserService) FindUsers(ctx context.Context) ([]*tradescreen.User, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, role, created_at, disabled_at FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tradescreen.User
	for rows.Next() {
		var u tradescreen.User
		var role string
		if err := rows.Scan(&u.ID, &u.Name, &role, (*dbTime)(&u.CreatedAt), dbTimePtr{&u.DisabledAt}); err != nil {
			return nil, err
		}
		u.Role = tradescreen.Role(role)
		out = append(out, &u)
	}
	return out, rows.Err()
}

// DisableUser revokes a user's API key. Errors: ENOTFOUND, EFORBIDDEN.
func (s *UserService) DisableUser(ctx context.Context, actor tradescreen.Actor, name string) error {
	if err := actor.Require(tradescreen.RoleAdmin, "disable users"); err != nil {
		return err
	}
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL`, tx.encTime(tx.now), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tradescreen.Errorf(tradescreen.ENOTFOUND, "no active user named %q", name)
	}
	if err := tx.appendAudit(ctx, actor.Name, tradescreen.AuditUserDisable, "user/"+name, map[string]string{}); err != nil {
		return err
	}
	return tx.Commit()
}

// MonitorState keeps the entry hashes of the lists monitoring last screened against.
type MonitorState struct{ DB Conn }

var _ tradescreen.MonitorState = (*MonitorState)(nil)

// EntryHashes returns the stored entry hashes by key.
func (s *MonitorState) EntryHashes(ctx context.Context) (map[string]string, error) {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT key, hash FROM monitor_entries`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, h string
		if err := rows.Scan(&k, &h); err != nil {
			return nil, err
		}
		out[k] = h
	}
	return out, rows.Err()
}

// SaveEntryHashes adds or replaces the hashes in set and deletes those of the removed keys.
func (s *MonitorState) SaveEntryHashes(ctx context.Context, set map[string]string, removed []string) error {
	tx, err := s.DB.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	del, err := tx.PrepareContext(ctx, `DELETE FROM monitor_entries WHERE key = ?`)
	if err != nil {
		return err
	}
	defer del.Close()
	for _, k := range removed {
		if _, err := del.ExecContext(ctx, k); err != nil {
			return err
		}
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO monitor_entries (key, hash) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET hash = excluded.hash`)
	if err != nil {
		return err
	}
	defer st.Close()
	for k, h := range set {
		if _, err := st.ExecContext(ctx, k, h); err != nil {
			return err
		}
	}
	return tx.Commit()
}
