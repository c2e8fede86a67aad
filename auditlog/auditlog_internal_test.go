package auditlog

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/sqlite"
)

// A group whose one request cannot be recorded (a NUL byte in its details) is committed request by request:
// the others are recorded and answered nil, the bad one gets its own error, and the chain verifies.
func TestCommitIsolatesAFailure(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev := func(details string) []*tradescreen.AuditEvent {
		return []*tradescreen.AuditEvent{{Actor: "a", Action: tradescreen.AuditScreen, Object: "screening", Details: details}}
	}
	batch := []request{
		{evs: ev(`{"q":"one"}`), done: make(chan error, 1)},
		{evs: ev("{\"q\":\"bad\x00\"}"), done: make(chan error, 1)},
		{evs: ev(`{"q":"three"}`), done: make(chan error, 1)},
	}
	g := New(db.Audit())
	g.commit(context.Background(), batch)
	for i, b := range batch {
		err := <-b.done
		if (i == 1) != (err != nil) {
			t.Errorf("request %d: %v", i, err)
		}
	}
	v, err := db.Audit().VerifyAudit(t.Context())
	if err != nil || !v.OK || v.Events != 2 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}
