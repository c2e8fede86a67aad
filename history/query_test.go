package history_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/sqlite"
)

// TestVersionsOfAndResolve stores two real SDN files and asks for them as 'lists history' and 'lists diff' do.
func TestVersionsOfAndResolve(t *testing.T) {
	s, err := history.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2022, 2, 24, 12, 0, 0, 0, time.UTC)
	for _, day := range []string{"2022-02-23", "2022-02-24"} {
		b, err := os.ReadFile("../testdata/lists/ofac/sdn_dated/sdn_" + day + ".csv.gz")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Add(history.Version{Feed: "ofac_sdn", Kind: "ofac", Name: "sdn.csv", Published: day, Downloaded: now,
			Lists: map[string]int{"us_sdn": 9121, "us_el": 1}}, b); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		refs []string
		want int
	}{{nil, 2}, {[]string{"ofac_sdn"}, 2}, {[]string{"us_sdn"}, 2}, {[]string{"csl", "un_sc"}, 0}} {
		if got := s.VersionsOf(tc.refs); len(got) != tc.want {
			t.Errorf("VersionsOf(%q): %d versions, want %d", tc.refs, len(got), tc.want)
		}
	}
	// Counts follow tradescreen.Sources, not the map's order.
	if got, want := s.Versions()[0].Counts(), "us_el 1, us_sdn 9121"; got != want {
		t.Errorf("Counts() = %q, want %q", got, want)
	}
	older, err := history.Resolve(s, "ofac_sdn", "2022-02-23")
	if err != nil {
		t.Fatal(err)
	}
	newest, err := history.Resolve(s, "ofac_sdn", "")
	if err != nil {
		t.Fatal(err)
	}
	if older.Lists[0].Published != "2022-02-23" || newest.Lists[0].Published != "2022-02-24" {
		t.Errorf("resolved %s and %s", older.Lists[0].Published, newest.Lists[0].Published)
	}
	d := history.Diff(older, newest, "us_sdn")
	if len(d) != 1 || d[0].Added == 0 {
		t.Errorf("diff of the two days: %+v", d)
	}
	// An official file given as KIND=PATH needs no store and is named by its path.
	path := "../testdata/lists/ofac/sdn_dated/sdn_2022-02-24.csv.gz"
	file, err := history.Resolve(nil, "", "ofac="+path)
	if err != nil {
		t.Fatal(err)
	}
	if len(file.Entries) != len(newest.Entries) || file.Lists[0].Origin != path {
		t.Errorf("file: %d entries from %q, want %d from %q", len(file.Entries), file.Lists[0].Origin, len(newest.Entries), path)
	}
	if _, err := history.Resolve(s, "ofac_sdn", "#9"); tradescreen.ErrorCode(err) != tradescreen.ENOTFOUND {
		t.Errorf("#9: %v, want ENOTFOUND", err)
	}
}

// TestImportOwnAudited imports the restricted list twice into a real SQLite store's audit trail: the first
// import is recorded with its changes, the unchanged second one is not.
func TestImportOwnAudited(t *testing.T) {
	ctx := context.Background()
	s, err := history.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "t.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	actor := tradescreen.Actor{Name: "j.doe", Role: tradescreen.RoleAnalyst}
	body := []byte("id,name,country\nC-1,Acme Trading,AE\nC-2,Beta Logistics,CN\n")
	for i, want := range []int{2, 0} {
		res, diff, err := s.ImportOwnAudited(ctx, db.Audit(), actor, "cli", ownlist.Restricted, body, "r.csv", time.Now(), history.LockOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := 0; diff != nil {
			got = diff.Added
			if got != want {
				t.Errorf("import %d: %d added, want %d", i+1, got, want)
			}
		} else if want != 0 || !res.Unchanged {
			t.Errorf("import %d: no changes, unchanged %v", i+1, res.Unchanged)
		}
	}
	evs, err := db.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Actor != "j.doe" {
		t.Fatalf("audit records %+v, want the first import's only", evs)
	}
	// OwnRows reads back what was imported.
	v, ps, as, err := s.OwnRows(ownlist.Restricted)
	if err != nil || v == nil || len(ps) != 2 || ps[1].Name != "Beta Logistics" || as != nil {
		t.Errorf("OwnRows: %v %v %v %v", v, ps, as, err)
	}
	if v, _, _, err := s.OwnRows(ownlist.Allow); v != nil || err != nil {
		t.Errorf("OwnRows of a list never imported: %v %v", v, err)
	}
}
