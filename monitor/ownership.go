package monitor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
)

// ownershipCheck evaluates the parties of the register against the ownership graph on one date: each party is
// looked up in the graph by name (the best three graph parties at the alert threshold) and every rule that
// applies on the date is evaluated for it. A finding that applies (owned 50 % or more by listed parties under
// a rule in force) gives one hit per listed owner's entry.
//
// Every party is looked up on every run: the lookup only searches the graph's small index, so it is cheap,
// and it re-evaluates the parties affected by a change in the ownership data or in the lists (a new or
// changed entry that now resolves an owner) without remembering either.
type ownershipCheck struct {
	g     *ownership.Graph
	res   ownership.Resolution
	rules ownership.Rules
	s     *screen.Screener
	date  string
}

func (m *Monitor) ownershipCheck(s *screen.Screener) (*ownershipCheck, error) {
	if m.Ownership == nil {
		return nil, nil
	}
	res := m.Resolution
	if res == nil {
		res = ownership.Resolve(m.Ownership, s, ownership.ResolveOptions{})
	}
	return m.ownershipCheckWith(s, res)
}

// ownershipCheckWith is ownershipCheck with the graph's owners already resolved against s.
func (m *Monitor) ownershipCheckWith(s *screen.Screener, res ownership.Resolution) (*ownershipCheck, error) {
	date := m.Date
	if date == "" {
		date = time.Now().UTC().Format("2006-01-02")
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "monitor: date %q: want YYYY-MM-DD", date)
	}
	rules := m.OwnershipRules
	if rules == nil {
		var err error
		if rules, err = ownership.DefaultRules(); err != nil {
			return nil, err
		}
	}
	return &ownershipCheck{g: m.Ownership, res: res, rules: rules, s: s, date: date}, nil
}

// addOwnership adds to the name hits of party p the hits of its listed owners (allowed: the allow-list notes
// of its name hits by entry key, updated): an ownership hit on an entry whose name match the allow list
// covers supersedes that match (the party may not be the entry, but the entry owns it), and an entry the
// party's name raised an alert on in an earlier run stays a name alert. It returns the hits, how many
// ownership hits were added and the findings they rest on.
func (m *Monitor) addOwnership(ctx context.Context, own *ownershipCheck, p *tradescreen.Party, threshold float64, hits []tradescreen.Hit, allowed map[string]string) ([]tradescreen.Hit, int, []ownershipFinding, error) {
	skip := map[string]bool{}
	for _, h := range hits {
		k := h.Source + "/" + h.SourceID
		if _, ok := allowed[k]; !ok {
			skip[k] = true
		}
	}
	oh, fs := own.hits(p, threshold, skip)
	if len(oh) > 0 {
		var err error
		if oh, err = m.withoutNameAlerts(ctx, p, oh); err != nil {
			return nil, 0, nil, err
		}
	}
	for _, h := range oh {
		k := h.Source + "/" + h.SourceID
		if _, ok := allowed[k]; ok {
			delete(allowed, k)
			hits = slices.DeleteFunc(hits, func(n tradescreen.Hit) bool { return n.Source+"/"+n.SourceID == k })
		}
	}
	return append(hits, oh...), len(oh), fs, nil
}

// ownershipFinding is what the audit record of a party keeps of a finding that raised alerts.
type ownershipFinding struct {
	GraphParty string   `json:"graph_party"`
	NameScore  float64  `json:"name_score"`
	Rule       string   `json:"rule"`
	Period     string   `json:"period"`
	Status     string   `json:"status"`
	Share      float64  `json:"share"`
	Paths      []string `json:"paths"`
	Owners     []string `json:"owners"`
	Licence    string   `json:"licence"`
	Citation   string   `json:"citation"`
}

// hits returns the ownership hits of a party (none on the entries in skip, which its name already matched)
// and the findings they rest on.
func (c *ownershipCheck) hits(p *tradescreen.Party, threshold float64, skip map[string]bool) ([]tradescreen.Hit, []ownershipFinding) {
	ms := c.g.Find(p.Name, p.Kind, threshold)
	if len(ms) > 3 {
		ms = ms[:3]
	}
	var out []tradescreen.Hit
	var fs []ownershipFinding
	seen := map[string]bool{}
	for _, pm := range ms {
		for _, f := range ownership.Evaluate(c.g, c.res, c.rules, pm.Party.ID, c.date) {
			if !f.Applies {
				continue
			}
			of := ownershipFinding{GraphParty: pm.Party.Name, NameScore: pm.Score, Rule: f.Rule, Period: f.Period,
				Status: f.Status, Share: f.Share, Paths: f.Paths, Licence: f.Licence, Citation: f.Citation}
			path := ""
			if len(f.Paths) > 0 {
				path = f.Paths[0]
			}
			for _, o := range f.Owners {
				of.Owners = append(of.Owners, o.Entry)
				if seen[o.Entry] || skip[o.Entry] {
					continue
				}
				src, sid, _ := strings.Cut(o.Entry, "/")
				e, err := c.s.Entry(src, sid)
				if err != nil {
					continue
				}
				seen[o.Entry] = true
				// The finding goes into the entry data, so that the alert shows it and a change of the
				// ownership path, the rule period or the licence reopens a false positive.
				data := append(tradescreen.EntryData(e),
					"ownership: rule "+f.Rule+" ("+f.Name+", "+f.Period+")",
					"ownership: path "+path,
					"ownership: licence "+f.Licence)
				score := pm.Score
				if o.Score < score {
					score = o.Score
				}
				out = append(out, tradescreen.Hit{Source: e.Source, SourceID: e.SourceID, EntryName: e.Name,
					MatchedName: fmt.Sprintf("owned %s %% by listed parties: %s", pctString(f.Share), path),
					Score:       score, EntryData: data, EntryHash: tradescreen.HashStrings(data)})
			}
			fs = append(fs, of)
		}
	}
	return out, fs
}

func pctString(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// withoutNameAlerts drops the ownership hits on entries the party already has an alert on that its name
// raised (an alert without ownership lines in its entry data).
func (m *Monitor) withoutNameAlerts(ctx context.Context, p *tradescreen.Party, hs []tradescreen.Hit) ([]tradescreen.Hit, error) {
	as, _, err := m.Store.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{PartyID: p.ID})
	if err != nil {
		return nil, fmt.Errorf("monitor: alerts of party %s: %w", p.ID, err)
	}
	name := map[string]bool{}
	for _, a := range as {
		if !slices.ContainsFunc(a.EntryData, func(l string) bool { return strings.HasPrefix(l, "ownership: ") }) {
			name[a.Key()] = true
		}
	}
	out := hs[:0]
	for _, h := range hs {
		if !name[h.Source+"/"+h.SourceID] {
			out = append(out, h)
		}
	}
	return out, nil
}
