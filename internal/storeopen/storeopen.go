// Package storeopen opens the database that the commands and the server name (PostgreSQL or SQLite) and
// says who a command acts as on it.
package storeopen

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/postgres"
	"github.com/tradescreen/tradescreen/sqlite"
)

// ErrNoDatabase is returned by Open when neither a database nor a data directory is named.
var ErrNoDatabase = tradescreen.Errorf(tradescreen.EINVALID, "no database: pass --db, set TRADESCREEN_DB, or give a data directory (--data-dir or TRADESCREEN_DATA_DIR)")

// Open opens (creating it and applying its migrations if needed) the database dsn names: a postgres:// URL
// selects PostgreSQL, anything else is a SQLite file; an empty dsn is tradescreen.db in dir, the data
// directory, which is created. It returns the store and a description of it safe to log (a URL's password
// left out). Errors: ErrNoDatabase when dsn and dir are both empty, the database's own.
func Open(dsn, dir string) (tradescreen.Store, string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db := postgres.NewDB(dsn)
		if err := db.Open(); err != nil {
			return nil, "", err
		}
		desc := "postgres"
		if u, err := url.Parse(dsn); err == nil {
			desc = u.Redacted()
		}
		return db, desc, nil
	}
	if dsn == "" {
		if dir == "" {
			return nil, "", ErrNoDatabase
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, "", fmt.Errorf("data directory: %w", err)
		}
		dsn = filepath.Join(dir, "tradescreen.db")
	}
	db := sqlite.NewDB(dsn)
	if err := db.Open(); err != nil {
		return nil, "", err
	}
	return db, "sqlite " + dsn, nil
}

// Identity is how a command says who it acts as: an API key, else a user name, else the operating-system
// user it runs as.
type Identity struct {
	// APIKey is a user's API key (--api-key, TRADESCREEN_API_KEY); it wins over the rest.
	APIKey string
	// Name is the user name to act as (--as) with the admin role.
	Name string
	// OSUser is $USER: without Name the operator acts as "cli:OSUser" ("cli:local" when empty).
	OSUser string
}

// Actor is who the identity acts as on store: the user of the API key with that user's role, else the
// local operator (Name, or "cli:OSUser") with the admin role. Errors: the store's, for a key it does not
// know (EUNAUTHORIZED).
func Actor(ctx context.Context, store tradescreen.Store, id Identity) (tradescreen.Actor, error) {
	if id.APIKey != "" {
		u, err := store.Users().Authenticate(ctx, id.APIKey)
		if err != nil {
			return tradescreen.Actor{}, err
		}
		return u.Actor(), nil
	}
	name := id.Name
	if name == "" {
		user := id.OSUser
		if user == "" {
			user = "local"
		}
		name = "cli:" + user
	}
	return tradescreen.Actor{Name: name, Role: tradescreen.RoleAdmin}, nil
}
