package sqlite_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestCheckpoints: commits never copy the write-ahead log into the database file themselves (that held
// them up); the background checkpointer does, and Close empties the log.
func TestCheckpoints(t *testing.T) {
	old := sqlite.CheckpointInterval
	t.Cleanup(func() { sqlite.CheckpointInterval = old })
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	write := func(db *sqlite.DB, n int) {
		t.Helper()
		a := tradescreen.Actor{Name: "a", Role: tradescreen.RoleAdmin}
		for i := 0; i < n; i++ {
			ev := &tradescreen.AuditEvent{Actor: a.Name, Action: tradescreen.AuditScreen, Object: "screening",
				Details: strings.Repeat("x", 2000)}
			if err := db.Audit().AppendAudit(t.Context(), ev); err != nil {
				t.Fatal(err)
			}
		}
	}

	// No checkpointer within the test: 4 MB of commits stay in the log.
	sqlite.CheckpointInterval = time.Hour
	path := filepath.Join(t.TempDir(), "tradescreen.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	base := size(path)
	write(db, 2000)
	if got := size(path); got != base {
		t.Errorf("a commit checkpointed: the database file grew from %d to %d bytes", base, got)
	}
	if size(path+"-wal") < 4<<20 {
		t.Errorf("log %d bytes, want the commits there", size(path+"-wal"))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got := size(path + "-wal"); got != 0 {
		t.Errorf("log %d bytes after Close, want it emptied", got)
	}
	if size(path) < 4<<20 {
		t.Errorf("database file %d bytes after Close, want the commits there", size(path))
	}

	// The checkpointer copies the log while the database is in use.
	sqlite.CheckpointInterval = 20 * time.Millisecond
	db = sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base = size(path)
	write(db, 1000)
	for deadline := time.Now().Add(10 * time.Second); size(path) <= base; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint: database file still %d bytes, log %d", size(path), size(path+"-wal"))
		}
	}
	if v, err := db.Audit().VerifyAudit(t.Context()); err != nil || !v.OK || v.Events != 3000 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

// realNames returns n names of the 2023-11 Consolidated Screening List subset in the repository's testdata.
func realNames(t *testing.T, n int) []string {
	t.Helper()
	f, err := os.Open("../testdata/lists/csl/consolidated_2023-11_subset.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(z)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(head, "name")
	var out []string
	for len(out) < n {
		rec, err := r.Read()
		if err != nil {
			t.Fatalf("%d names read: %v", len(out), err)
		}
		if col < len(rec) && rec[col] != "" {
			out = append(out, rec[col])
		}
	}
	return out
}

// TestIntegrity writes garbage into a database file, as the security review did: Open refuses it with a
// clear EUNAVAILABLE error instead of starting on it, and an intact file passes CheckIntegrity.
func TestIntegrity(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tradescreen.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	var parties []tradescreen.Party
	for i, name := range realNames(t, 2000) {
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("C-%04d", i), Name: name})
	}
	admin := tradescreen.Actor{Name: "ada", Role: tradescreen.RoleAdmin}
	if _, err := db.Parties().ImportParties(t.Context(), admin, "csl subset", parties); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckIntegrity(t.Context()); err != nil {
		t.Fatalf("intact database: %v", err)
	}
	db.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	garbage := bytes.Repeat([]byte("garbage!"), 512)
	for _, tc := range []struct {
		name   string
		offset int
	}{{"middle", len(good) / 2 &^ 4095}, {"header", 0}, {"last page", len(good) - 4096}} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "tradescreen.db")
			b := slices.Clone(good)
			copy(b[tc.offset:], garbage)
			if err := os.WriteFile(bad, b, 0o600); err != nil {
				t.Fatal(err)
			}
			db := sqlite.NewDB(bad)
			err := db.Open()
			if err == nil {
				db.Close()
				t.Fatalf("a database with garbage at byte %d of %d opened", tc.offset, len(b))
			}
			if tradescreen.ErrorCode(err) != tradescreen.EUNAVAILABLE || !strings.Contains(err.Error(), bad+" is damaged") ||
				!strings.Contains(err.Error(), "restore it from a backup") {
				t.Fatalf("error: %v", err)
			}
			t.Log(tradescreen.ErrorMessage(err))
		})
	}
	db = sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatalf("the intact file: %v", err)
	}
	defer db.Close()
	if err := db.CheckIntegrity(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestIntegrityDamagedWhileOpen damages a small database (smaller than SQLite's page cache, so that the
// store's own connection holds every page of it once read) while it is open: the next check finds it.
func TestIntegrityDamagedWhileOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tradescreen.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var parties []tradescreen.Party
	for i, name := range realNames(t, 2000) {
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("C-%04d", i), Name: name})
	}
	admin := tradescreen.Actor{Name: "ada", Role: tradescreen.RoleAdmin}
	if _, err := db.Parties().ImportParties(t.Context(), admin, "csl subset", parties); err != nil {
		t.Fatal(err)
	}
	// Copy the log into the file, and read every page through the store's connection.
	if err := db.Exec(t.Context(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if _, n, err := db.Parties().FindParties(t.Context(), tradescreen.PartyFilter{}); err != nil || n != 2000 {
		t.Fatalf("%d parties, %v", n, err)
	}
	if err := db.CheckIntegrity(t.Context()); err != nil {
		t.Fatalf("intact database: %v", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() >= 2<<20 {
		t.Fatalf("the database has %d bytes; the test needs one smaller than the 2 MiB page cache", st.Size())
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte("garbage!"), 2048), st.Size()/2&^4095); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	err = db.CheckIntegrity(t.Context())
	if tradescreen.ErrorCode(err) != tradescreen.EUNAVAILABLE || !strings.Contains(err.Error(), path+" is damaged") {
		t.Fatalf("a %d-byte database damaged while open: %v", st.Size(), err)
	}
	t.Log(tradescreen.ErrorMessage(err))
}
