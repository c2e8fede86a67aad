package auditlog_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/auditlog"
	"github.com/tradescreen/tradescreen/sqlite"
)

func TestVerifyHead(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	au := db.Audit()
	for _, q := range []string{"Hikvision", "Dahua"} {
		ev := &tradescreen.AuditEvent{Actor: "a", Action: tradescreen.AuditScreen, Object: "screening", Details: `{"q":"` + q + `"}`}
		if err := au.AppendAudit(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	first, err := auditlog.Verify(t.Context(), au, "")
	if err != nil || !first.OK || first.Events != 2 {
		t.Fatalf("verify: %+v %v", first, err)
	}
	// The head kept from that verification is still in the chain after more records.
	if err := au.AppendAudit(t.Context(), &tradescreen.AuditEvent{Actor: "a", Action: tradescreen.AuditScreen, Object: "screening", Details: `{"q":"ZTE"}`}); err != nil {
		t.Fatal(err)
	}
	if v, err := auditlog.Verify(t.Context(), au, first.Head); err != nil || !v.OK || v.Events != 3 {
		t.Errorf("verify with the earlier head: %+v %v", v, err)
	}
	// A head the chain does not hold (its records deleted, or the chain rebuilt) breaks it.
	gone := strings.Repeat("ab", 32)
	v, err := auditlog.Verify(t.Context(), au, gone)
	if err != nil || v.OK || !strings.Contains(v.Problem, "the recorded head abababababababab is not in the chain") {
		t.Errorf("verify with an unknown head: %+v %v", v, err)
	}
}
