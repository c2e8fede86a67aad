package monitor

import (
	"context"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
)

// PartyScreening is the screening of one party of the register outside a run: its matches against the
// lists, with ownership data the listed parties that own it 50 % or more under a rule in force, and what
// they did to its alerts.
type PartyScreening struct {
	Party     *tradescreen.Party        `json:"party"`
	Matches   []tradescreen.MatchView   `json:"matches"`
	Ownership []tradescreen.Hit         `json:"ownership,omitempty"`
	Alerts    []tradescreen.AlertChange `json:"alerts"`
	AsOf      string                    `json:"as_of"`
}

// ScreenParty screens one party of the register against s exactly as a run screens a new or changed party
// (the server's POST /v1/parties/{id}/screen and the import of a party): its name matches, marked where the
// allow list covers them, raise or reopen alerts; with ownership data so do the listed parties that own it
// under the rules in force on m.Date; the party is marked screened with its current data and the screening
// is recorded in the audit trail with channel. A type, country or birth date that does not validate is left
// out rather than failing. Errors: ECONFLICT for a deleted party, the store's.
func (m *Monitor) ScreenParty(ctx context.Context, s *screen.Screener, p *tradescreen.Party, channel string) (*PartyScreening, error) {
	if p.DeletedAt != nil {
		return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "party %s is deleted: it is no longer screened", p.ID)
	}
	actor := m.Actor
	if actor.Name == "" {
		actor = tradescreen.System
	}
	threshold := m.Threshold
	if threshold == 0 {
		threshold = match.DefaultThreshold
	}
	q := p.Query()
	q.Threshold = threshold
	res, err := s.Screen(q)
	if err != nil {
		if res, err = s.Screen(tradescreen.Query{Name: p.Name, Threshold: threshold}); err != nil {
			return nil, err
		}
	}
	allowed := m.Allow.Notes(p.Name, p.ID, res.Matches)
	m.Allow.Mark(p.Name, p.ID, res.Matches)
	if allowed == nil {
		allowed = map[string]string{}
	}
	hits := make([]tradescreen.Hit, 0, len(res.Matches))
	keys := make([]string, 0, len(res.Matches))
	for _, mt := range res.Matches {
		hits = append(hits, tradescreen.HitOf(mt))
		keys = append(keys, mt.Source+"/"+mt.SourceID)
	}
	out := &PartyScreening{Party: p, Matches: tradescreen.Views(res.Matches), Alerts: []tradescreen.AlertChange{}, AsOf: screen.AsOf(res.Lists)}
	details := map[string]any{"channel": channel, "name": p.Name, "party_hash": p.Hash, "matches": keys,
		"threshold": res.Threshold, "lists": out.AsOf}
	own, err := m.ownershipCheck(s)
	if err != nil {
		return nil, err
	}
	if own != nil {
		var n int
		var fs []ownershipFinding
		if hits, n, fs, err = m.addOwnership(ctx, own, p, threshold, hits, allowed); err != nil {
			return nil, err
		}
		if n > 0 {
			out.Ownership = hits[len(hits)-n:]
			details["ownership_date"], details["ownership"] = own.date, fs
		}
	}
	if len(hits) > 0 {
		chs, err := m.Store.Alerts().RaiseAlertsAllowed(ctx, actor, p, hits, allowed)
		if err != nil {
			return nil, err
		}
		out.Alerts = append(out.Alerts, chs...)
	}
	if err := m.Store.Parties().MarkScreened(ctx, map[string]string{p.ID: p.Hash}); err != nil {
		return nil, err
	}
	p.ScreenedHash = p.Hash
	err = m.Store.Audit().AppendAudit(ctx, &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditScreen,
		Object: "party/" + p.ID, Details: tradescreen.AuditDetails(details)})
	return out, err
}
