package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/sqlite"
	"github.com/tradescreen/tradescreen/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tradescreen.Store {
		db := sqlite.NewDB(":memory:")
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		return db
	})
}

// TestShared opens one database file twice, as two processes would.
func TestShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (tradescreen.Store, tradescreen.Store) {
		path := filepath.Join(t.TempDir(), "tradescreen.db")
		open := func() *sqlite.DB {
			db := sqlite.NewDB(path)
			db.PollInterval = 20 * time.Millisecond
			if err := db.Open(); err != nil {
				t.Fatal(err)
			}
			return db
		}
		return open(), open()
	})
}

// TestFile opens a database file twice: the schema is created once and kept.
func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tradescreen.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	_, err := db.Parties().ImportParties(t.Context(), tradescreen.Actor{Name: "a", Role: tradescreen.RoleAdmin}, "t", []tradescreen.Party{{ID: "1", Name: "Acme Ltd"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Parties().FindPartyByID(t.Context(), "1"); err != nil {
		t.Fatal(err)
	}
	v, err := db.Audit().VerifyAudit(t.Context())
	if err != nil || !v.OK || v.Events != 1 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}
