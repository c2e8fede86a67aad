package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/postgres"
	"github.com/tradescreen/tradescreen/storetest"
)

// testURL returns TRADESCREEN_TEST_POSTGRES_URL; without it the test is skipped, or fails when
// TRADESCREEN_REQUIRE_POSTGRES=1.
func testURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("TRADESCREEN_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("TRADESCREEN_REQUIRE_POSTGRES") == "1" {
			t.Fatal("TRADESCREEN_REQUIRE_POSTGRES=1 but TRADESCREEN_TEST_POSTGRES_URL is not set")
		}
		t.Skip("TRADESCREEN_TEST_POSTGRES_URL is not set")
	}
	return u
}

// openTest opens a store in a fresh schema of the test database, dropped when the test ends.
func openTest(t *testing.T, base string) *postgres.DB {
	db, _ := openTestURL(t, base)
	return db
}

// openTestURL is openTest, also returning the URL of the fresh schema.
func openTestURL(t *testing.T, base string) (*postgres.DB, string) {
	t.Helper()
	u := storetest.PostgresSchema(t, base, "ts_test_")
	db := postgres.NewDB(u)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	return db, u
}

func TestStore(t *testing.T) {
	base := testURL(t)
	storetest.Run(t, func(t *testing.T) tradescreen.Store { return openTest(t, base) })
}

// TestShared opens one fresh schema twice, as two instances would.
func TestShared(t *testing.T) {
	base := testURL(t)
	storetest.RunShared(t, func(t *testing.T) (tradescreen.Store, tradescreen.Store) {
		a, u := openTestURL(t, base)
		b := postgres.NewDB(u)
		if err := b.Open(); err != nil {
			t.Fatal(err)
		}
		return a, b
	})
}

// TestConcurrentAppends appends from many connections at once: the chain stays whole.
func TestConcurrentAppends(t *testing.T) {
	db := openTest(t, testURL(t))
	defer db.Close()
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		go func() {
			errs <- db.Audit().AppendAudit(context.Background(), &tradescreen.AuditEvent{Actor: "t", Action: tradescreen.AuditScreen, Object: "query"})
		}()
	}
	for i := 0; i < 40; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	v, err := db.Audit().VerifyAudit(context.Background())
	if err != nil || !v.OK || v.Events != 40 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

func TestRedact(t *testing.T) {
	if got := postgres.Redact("postgres://u:secret@db:5432/x?sslmode=disable"); got != "postgres://u:xxxxx@db:5432/x?sslmode=disable" {
		t.Fatal(got)
	}
}

// TestConcurrentRaise screens the same party from many connections at once: one alert, no error.
func TestConcurrentRaise(t *testing.T) {
	db := openTest(t, testURL(t))
	defer db.Close()
	ctx := context.Background()
	sys := tradescreen.System
	if _, err := db.Parties().ImportParties(ctx, sys, "t", []tradescreen.Party{{ID: "C-1", Name: "Rosneft Trade Ltd"}}); err != nil {
		t.Fatal(err)
	}
	p, err := db.Parties().FindPartyByID(ctx, "C-1")
	if err != nil {
		t.Fatal(err)
	}
	e := &tradescreen.Entry{Source: "us_ssi", SourceID: "18300", Name: "ROSNEFT TRADE LIMITED"}
	hit := tradescreen.HitOf(tradescreen.Match{Source: e.Source, SourceID: e.SourceID, Name: e.Name, MatchedName: e.Name, Score: 1, Entry: e})
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		go func() {
			_, err := db.Alerts().RaiseAlerts(ctx, sys, p, []tradescreen.Hit{hit})
			errs <- err
		}()
	}
	for i := 0; i < 10; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	as, n, err := db.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{})
	if err != nil || n != 1 || len(as[0].Transitions) != 0 {
		t.Fatalf("alerts: %d %v", n, err)
	}
}

// TestIntegrity: a schema without the audit head row is reported damaged, an intact one passes.
func TestIntegrity(t *testing.T) {
	db := openTest(t, testURL(t))
	defer db.Close()
	if err := db.CheckIntegrity(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(t.Context(), `DELETE FROM audit_head`); err != nil {
		t.Fatal(err)
	}
	err := db.CheckIntegrity(t.Context())
	if tradescreen.ErrorCode(err) != tradescreen.EUNAVAILABLE || !strings.Contains(err.Error(), "head row is missing") {
		t.Fatalf("without the audit head: %v", err)
	}
}
