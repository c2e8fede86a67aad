package auditlog_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/auditlog"
	"github.com/tradescreen/tradescreen/sqlite"
)

// Concurrent callers each get their own outcome: every good record is committed once, the one bad record
// fails only its caller, appends after Close still commit, and the chain verifies.
func TestGroupedConcurrent(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g := auditlog.New(db.Audit())
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			details := fmt.Sprintf(`{"q":"party %d"}`, i)
			if i == 7 {
				details = "{\"q\":\"bad\x00\"}"
			}
			errs[i] = g.AppendAudit(t.Context(), &tradescreen.AuditEvent{Actor: "a", Action: tradescreen.AuditScreen, Object: "screening", Details: details})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i == 7) != (err != nil) {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	g.Close()
	g.Close()
	if err := g.AppendAudit(t.Context(), &tradescreen.AuditEvent{Actor: "a", Action: tradescreen.AuditScreen, Object: "screening", Details: `{"q":"late"}`}); err != nil {
		t.Fatalf("append after Close: %v", err)
	}
	v, err := db.Audit().VerifyAudit(t.Context())
	if err != nil || !v.OK || v.Events != n {
		t.Fatalf("verify: %+v %v", v, err)
	}
}
