package order

import (
	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
)

// AuditAction is the audit trail action of an order decision.
const AuditAction = "order.decide"

// MaxAuditReasons bounds the reasons summarized in an audit record.
const MaxAuditReasons = 100

// AuditReason is a reason as kept in the audit trail.
type AuditReason struct {
	Kind  string `json:"kind"`
	Holds bool   `json:"holds"`
	Party int    `json:"party"`
	Role  string `json:"role,omitempty"`
	Entry string `json:"entry,omitempty"`
	Rule  string `json:"rule,omitempty"`
	// Allowed is the allow-list row of a reason of kind allowed.
	Allowed string `json:"allowed,omitempty"`
	Message string `json:"message"`
}

// AuditRecord is the details of an order.decide event.
type AuditRecord struct {
	OrderID     string        `json:"order_id"`
	Date        string        `json:"date"`
	Destination string        `json:"destination"`
	Parties     []string      `json:"parties"`
	Items       int           `json:"items"`
	Outcome     string        `json:"outcome"`
	Holds       int           `json:"holds"`
	Reasons     []AuditReason `json:"reasons"`
	MoreReasons int           `json:"more_reasons,omitempty"`
	ListsAsOf   string        `json:"lists_as_of"`
}

// Record returns the audit record of a decision.
func Record(o *Order, d *Decision) AuditRecord {
	rec := AuditRecord{OrderID: o.ID, Date: d.Date, Destination: o.Destination.Country, Items: len(o.Items),
		Outcome: d.Outcome, Reasons: []AuditReason{}, ListsAsOf: screen.AsOf(tradescreen.Versions(d.Lists))}
	for _, p := range o.Parties {
		rec.Parties = append(rec.Parties, p.Role+": "+p.Name)
	}
	for _, r := range d.Reasons {
		if r.Holds {
			rec.Holds++
		}
		if len(rec.Reasons) >= MaxAuditReasons {
			rec.MoreReasons++
			continue
		}
		ar := AuditReason{Kind: r.Kind, Holds: r.Holds, Party: r.Party, Role: r.Role, Message: r.Message}
		if r.Entry != nil {
			ar.Entry = r.Entry.Source + "/" + r.Entry.SourceID
		}
		switch {
		case r.Rule != nil:
			ar.Rule = r.Rule.ID
		case r.Ownership != nil:
			ar.Rule = r.Ownership.Rule
		}
		if r.Allowed != nil {
			ar.Allowed = r.Allowed.Row
		}
		rec.Reasons = append(rec.Reasons, ar)
	}
	return rec
}

// AuditEvent returns the audit event of a decision by actor, object "order/<id>" ("order" without an id).
func AuditEvent(actor tradescreen.Actor, o *Order, d *Decision) *tradescreen.AuditEvent {
	obj := "order"
	if o.ID != "" {
		obj = "order/" + o.ID
	}
	return &tradescreen.AuditEvent{Actor: actor.Name, Action: AuditAction, Object: obj,
		Details: tradescreen.AuditDetails(Record(o, d))}
}
