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

func TestWriteExport(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"Hikvision", "=cmd|' /C calc'!A0"} {
		ev := &tradescreen.AuditEvent{Actor: "a", Action: tradescreen.AuditScreen, Object: "screening", Details: `{"q":"` + q + `"}`}
		if err := db.Audit().AppendAudit(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := db.Audit().FindAuditEvents(t.Context(), tradescreen.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := auditlog.WriteExport(&b, "csv", evs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || lines[0] != strings.Join(auditlog.CSVHeader, ",") || !strings.HasSuffix(lines[2], evs[1].Hash) {
		t.Errorf("csv export:\n%s", b.String())
	}
	b.Reset()
	if err := auditlog.WriteExport(&b, "json", evs); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[0], `"hash":"`+evs[0].Hash+`"`) {
		t.Errorf("json export:\n%s", b.String())
	}
}
