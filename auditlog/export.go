package auditlog

import (
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
)

// ExportAction is the audit action recording an export of the trail.
const ExportAction = "audit.export"

// CSVHeader are the columns of a CSV export: everything needed to recompute each record's hash.
var CSVHeader = []string{"seq", "at", "actor", "action", "object", "details", "prev_hash", "hash"}

// ExportEvent checks that actor may export the trail and returns the record of the export, which is
// appended before the export is written: the trail holds every party's name and every decision, so reading
// all of it is an approver's act and leaves a trace. details describe the export (format, from, to, filters,
// channel). Errors: EFORBIDDEN below the approver role.
func ExportEvent(actor tradescreen.Actor, details map[string]string) (*tradescreen.AuditEvent, error) {
	if !actor.Role.AtLeast(tradescreen.RoleApprover) {
		return nil, tradescreen.Errorf(tradescreen.EFORBIDDEN, "%s (%s) may not export the audit trail: the approver role or higher is required", actor.Name, actor.Role)
	}
	return &tradescreen.AuditEvent{Actor: actor.Name, Action: ExportAction, Object: "audit", Details: tradescreen.AuditDetails(details)}, nil
}

// Exporter writes audit records as CSV (format "csv") or JSON Lines (anything else), one at a time. In CSV,
// fields a spreadsheet would read as formulas get an apostrophe (csvsafe); a program recomputing the hashes
// applies csvsafe.Unquote to each field first.
type Exporter struct {
	csv *csvsafe.Writer
	enc *json.Encoder
}

// NewExporter starts an export to w (the CSV header written first).
func NewExporter(w io.Writer, format string) (*Exporter, error) {
	if format != "csv" {
		return &Exporter{enc: json.NewEncoder(w)}, nil
	}
	x := &Exporter{csv: csvsafe.NewWriter(w)}
	return x, x.csv.Write(CSVHeader)
}

// Write writes one record.
func (x *Exporter) Write(e *tradescreen.AuditEvent) error {
	if x.enc != nil {
		return x.enc.Encode(e)
	}
	return x.csv.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Object, e.Details, e.PrevHash, e.Hash})
}

// Flush writes what is buffered and returns the first error.
func (x *Exporter) Flush() error {
	if x.csv == nil {
		return nil
	}
	x.csv.Flush()
	return x.csv.Error()
}

// WriteExport writes the records evs as one export to w: CSV (format "csv") or JSON Lines. Errors: the
// writer's.
func WriteExport(w io.Writer, format string, evs []*tradescreen.AuditEvent) error {
	x, err := NewExporter(w, format)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if err := x.Write(e); err != nil {
			return err
		}
	}
	return x.Flush()
}
