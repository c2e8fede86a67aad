package http_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/sqlite"
)

// entryParties returns the entries of the embedded lists as a customer file would hold them: one party per
// entry, with its first address.
func entryParties(t *testing.T) []tradescreen.Party {
	var out []tradescreen.Party
	for _, e := range testScreener(t).Entries() {
		p := tradescreen.Party{ID: e.Source + ":" + e.SourceID, Name: e.Name, Kind: e.Kind}
		if len(e.Addresses) > 0 {
			p.Country = e.Addresses[0].Country
			p.Extra = map[string]string{"address": e.Addresses[0].Full}
		}
		out = append(out, p)
	}
	return out
}

// TestReadyzDamagedDatabase damages the SQLite file of a running server, as the security review did (garbage
// written into its pages): /readyz, 200 before, answers 503 with the reason once the periodic integrity
// check has read the damaged pages, and the log names the file.
func TestReadyzDamagedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tradescreen.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	admin := tradescreen.Actor{Name: "ada", Role: tradescreen.RoleAdmin}
	if _, err := db.Parties().ImportParties(t.Context(), admin, "embedded lists", entryParties(t)); err != nil {
		t.Fatal(err)
	}
	db.Close() // checkpoints the log into the file
	db = sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = db; s.IntegrityInterval = 20 * time.Millisecond })
	r := waitReadyz(t, ts, func(r *response) bool { return r.Status != 503 })
	r.wantStatus(t, 200)

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("database file: %d bytes", st.Size())
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte("garbage!"), 8192), st.Size()/2&^4095); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	r = waitReadyz(t, ts, func(r *response) bool { return r.Status == 503 })
	r.wantError(t, 503, tradescreen.EUNAVAILABLE, "integrity check", "damaged", "restore it from a backup")
	if bytes.Contains(r.Body, []byte(path)) {
		t.Errorf("the public answer names the file: %s", r.Body)
	}
	if logs := ts.Logs.String(); !strings.Contains(logs, "database integrity check failed") || !strings.Contains(logs, path+" is damaged") {
		t.Errorf("the log does not say which file is damaged:\n%s", logs)
	}
	t.Logf("%s", r.Body)
}

// waitReadyz polls /readyz until done accepts the answer, and returns it. It gives up after a minute, far
// longer than the checks take, so that a server that never changes fails the test instead of hanging it.
func waitReadyz(t *testing.T, ts *testServer, done func(*response) bool) *response {
	t.Helper()
	var r *response
	for i := 0; i < 6000; i++ {
		if r = get(t, ts.URL+"/readyz"); done(r) {
			return r
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("/readyz never changed: %d %s", r.Status, r.Body)
	return nil
}
