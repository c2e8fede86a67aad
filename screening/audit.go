package screening

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
	// Allowed is set when the allow list covers the match (the allow-list row).
	Allowed string `json:"allowed,omitempty"`
}

// Record is the details of a screening's audit event (action tradescreen.AuditScreen): what was screened,
// through which channel, against which lists and what was found. The name is kept: the audit trail is the
// record a screening was done, unlike the logs, which leave names out by default.
type Record struct {
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
	// Ownership counts the 50 % rule findings that apply (the restriction holds); OwnershipDate their date.
	Ownership     int    `json:"ownership,omitempty"`
	OwnershipDate string `json:"ownership_date,omitempty"`
	// Stale names the lists older than their maximum age when the answer was given.
	Stale []string `json:"stale,omitempty"`
}

// RecordOf returns the audit record of a screening asked through channel.
func RecordOf(channel string, scr *tradescreen.Screening) Record {
	q := scr.Query
	r := Record{
		Channel: channel, Name: q.Name, Type: string(q.Kind), Country: q.Country, BirthDate: q.BirthDate,
		Sources: q.Sources, Threshold: scr.Threshold, Lists: scr.AsOf, Matches: len(scr.Matches),
		OwnershipDate: scr.OwnershipDate,
	}
	if scr.PointInTime != nil {
		r.AsOf = scr.PointInTime.Date
	}
	if r.Type == string(tradescreen.KindUnknown) {
		r.Type = ""
	}
	for i, m := range scr.Matches {
		if i == AuditTopMatches {
			break
		}
		am := AuditMatch{Source: m.Source, SourceID: m.SourceID, Name: m.Name, Score: m.Score}
		if m.Allowed != nil {
			am.Allowed = m.Allowed.Row
		}
		r.Top = append(r.Top, am)
	}
	for _, f := range scr.Ownership {
		if f.Applies {
			r.Ownership++
		}
	}
	for _, l := range scr.Lists {
		if l.Stale {
			r.Stale = append(r.Stale, l.Source)
		}
	}
	return r
}

// AuditEvent returns the audit event recording a screening by actor through channel (object "screening").
func AuditEvent(actor tradescreen.Actor, channel string, scr *tradescreen.Screening) *tradescreen.AuditEvent {
	return &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditScreen, Object: "screening",
		Details: tradescreen.AuditDetails(RecordOf(channel, scr))}
}
