package batch

import (
	"github.com/tradescreen/tradescreen"
)

// BatchRecord is the details of a batch run's audit event (action AuditBatch): the input, its digest, the
// lists and the counts. One event per run, not per row: the output file is the row-level record.
type BatchRecord struct {
	// Channel is "batch" for the CLI, "api" for a batch job.
	Channel string `json:"channel"`
	Input   string `json:"input"`
	SHA256  string `json:"sha256,omitempty"`
	Output  string `json:"output,omitempty"`
	Lists   string `json:"lists"`
	BatchStats
	// Status is "completed", "interrupted" or "failed".
	Status string `json:"status"`
}

// AuditBatch is the audit action of a batch run.
const AuditBatch = "screen.batch"

// BatchAuditEvent returns the audit event recording a batch run by actor (object "batch/<input name>").
func BatchAuditEvent(actor tradescreen.Actor, rec BatchRecord) *tradescreen.AuditEvent {
	return &tradescreen.AuditEvent{Actor: actor.Name, Action: AuditBatch, Object: "batch/" + rec.Input,
		Details: tradescreen.AuditDetails(rec)}
}
