package screen

import (
	"github.com/tradescreen/tradescreen"
)

// AuditTopMatches is how many of a screening's best matches its audit record keeps.
const AuditTopMatches = 5

// AuditMatch is one match as kept in the audit trail.
type AuditMatch struct {
	Source   string  `json:"source"`
	SourceID string  `json:"source_id"`
	Name     string  `json:"name"`
	Score    float64 `json:"score"`
}

// ScreeningRecord is the details of a screening's audit event (action tradescreen.AuditScreen): what was
// screened, by which channel, against which lists and what was found. The name is kept: the audit trail is
// the record a screening was done, unlike the logs, which leave names out by default.
type ScreeningRecord struct {
	// Channel is where the screening was asked: "check", "api", "ui".
	Channel   string   `json:"channel"`
	Name      string   `json:"name"`
	Type      string   `json:"type,omitempty"`
	Country   string   `json:"country,omitempty"`
	BirthDate string   `json:"date_of_birth,omitempty"`
	Sources   []string `json:"sources,omitempty"`
	Threshold float64  `json:"threshold"`
	// AsOf is the date of a point-in-time screening; Lists the list versions screened against.
	AsOf    string `json:"as_of,omitempty"`
	Lists   string `json:"lists"`
	Matches int    `json:"matches"`
	// Top are the best matches, at most AuditTopMatches.
	Top []AuditMatch `json:"top,omitempty"`
}

// Record returns the audit record of a screening result.
func Record(channel string, res *Result, asOf string) ScreeningRecord {
	q := res.Query
	r := ScreeningRecord{
		Channel: channel, Name: q.Name, Type: string(q.Kind), Country: q.Country, BirthDate: q.BirthDate,
		Sources: q.Sources, Threshold: res.Threshold, AsOf: asOf, Lists: AsOf(res.Lists), Matches: len(res.Matches),
	}
	if r.Type == string(tradescreen.KindUnknown) {
		r.Type = ""
	}
	for i, m := range res.Matches {
		if i == AuditTopMatches {
			break
		}
		r.Top = append(r.Top, AuditMatch{Source: m.Source, SourceID: m.SourceID, Name: m.Name, Score: m.Score})
	}
	return r
}

// AuditEvent returns the audit event recording a screening by actor (object "screening").
func AuditEvent(actor tradescreen.Actor, channel string, res *Result, asOf string) *tradescreen.AuditEvent {
	return &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditScreen, Object: "screening",
		Details: tradescreen.AuditDetails(Record(channel, res, asOf))}
}

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
