package ownership

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
)

// Resolved is a list entry a party was resolved to, and how.
type Resolved struct {
	Entry *tradescreen.Entry `json:"-"`
	Key   string             `json:"entry"`
	// Score is 1 for an identifier match, else the matcher's score (the confidence kept with the finding).
	Score float64 `json:"score"`
	// By says how: "identifier LEI 5493...", "entry us_el/...", or "name" (MatchedName is the list name).
	By          string `json:"by"`
	MatchedName string `json:"matched_name,omitempty"`
}

// Resolution maps party IDs to the list entries they were resolved to, best first.
type Resolution map[string][]Resolved

// ResolveOptions tune Resolve.
type ResolveOptions struct {
	// Threshold is the lowest matcher score at which a name resolves to an entry; 0 means
	// match.DefaultThreshold.
	Threshold float64
}

// Resolve resolves the graph's owners (every party that holds a share of or controls another) to the entries
// loaded in s: first by identifier (an ENTRY "us_el/<id>" identifier, or an identifier number the entry also
// carries: LEI, registration number ...), then, for parties with no identifier match, by name with the
// matcher, keeping every entry at or above the threshold with its score.
func Resolve(g *Graph, s *screen.Screener, opt ResolveOptions) Resolution {
	th := opt.Threshold
	if th == 0 {
		th = match.DefaultThreshold
	}
	byID := entryIDIndex(s)
	out := Resolution{}
	for _, p := range g.Parties() {
		if !g.IsOwner(p.ID) {
			continue
		}
		var rs []Resolved
		seen := map[string]bool{}
		for _, id := range p.Identifiers {
			if id.Type == EntryScheme {
				src, sid, _ := strings.Cut(id.Number, "/")
				if e, err := s.Entry(src, sid); err == nil && !seen[e.Key()] {
					seen[e.Key()] = true
					rs = append(rs, Resolved{Entry: e, Key: e.Key(), Score: 1, By: "entry " + id.Number})
				}
				continue
			}
			for _, e := range byID[normNumber(id.Number)] {
				if !seen[e.Key()] {
					seen[e.Key()] = true
					rs = append(rs, Resolved{Entry: e, Key: e.Key(), Score: 1, By: "identifier " + id.Type + " " + id.Number})
				}
			}
		}
		if len(rs) == 0 && p.Name != "" && p.Name != p.nameFromID() {
			for _, n := range append([]string{p.Name}, p.Aliases...) {
				res, err := s.Screen(tradescreen.Query{Name: n, Kind: p.Kind, Country: p.Country, Threshold: th, Limit: 10})
				if err != nil {
					continue
				}
				for _, m := range res.Matches {
					k := m.Source + "/" + m.SourceID
					if seen[k] || m.Entry == nil {
						continue
					}
					seen[k] = true
					rs = append(rs, Resolved{Entry: m.Entry, Key: k, Score: m.Score, By: "name", MatchedName: m.MatchedName})
				}
			}
			sort.SliceStable(rs, func(i, j int) bool { return rs[i].Score > rs[j].Score })
		}
		if len(rs) > 0 {
			out[p.ID] = rs
		}
	}
	return out
}

var idIndexCache sync.Map // *screen.Screener -> map[string][]*tradescreen.Entry

func entryIDIndex(s *screen.Screener) map[string][]*tradescreen.Entry {
	if v, ok := idIndexCache.Load(s); ok {
		return v.(map[string][]*tradescreen.Entry)
	}
	m := map[string][]*tradescreen.Entry{}
	es := s.Entries()
	for i := range es {
		for _, id := range es[i].Identifiers {
			if k := normNumber(id.Number); k != "" {
				m[k] = append(m[k], &es[i])
			}
		}
	}
	idIndexCache.Store(s, m)
	return m
}

// normNumber keeps the letters and digits of an identifier number, upper-cased; numbers shorter than 6 are
// too weak to resolve a party and give "".
func normNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	if b.Len() < 6 {
		return ""
	}
	return b.String()
}

// PartyMatch is a graph party that matches a screened name.
type PartyMatch struct {
	Party *Party  `json:"party"`
	Score float64 `json:"score"`
}

// Find returns the parties whose name or alias matches name at or above threshold (0: the default alert
// threshold), best first; an identifier equal to name matches with score 1.
func (g *Graph) Find(name string, kind tradescreen.Kind, threshold float64) []PartyMatch {
	if threshold == 0 {
		threshold = match.DefaultThreshold
	}
	var out []PartyMatch
	if id, ok := g.byKey["name:"+FoldName(name)]; ok {
		out = append(out, PartyMatch{g.parties[id], 1})
	}
	for _, p := range g.Parties() {
		for _, id := range p.Identifiers {
			if strings.EqualFold(strings.TrimSpace(name), id.Number) && (len(out) == 0 || out[0].Party != p) {
				out = append(out, PartyMatch{p, 1})
			}
		}
	}
	ix := g.index()
	q := tradescreen.Query{Name: name, Kind: kind, Threshold: threshold, Limit: 20}
	if err := screen.Validate(&q); err != nil {
		return out
	}
	for _, m := range ix.Match(q) {
		p := g.parties[m.SourceID]
		dup := false
		for _, o := range out {
			dup = dup || o.Party == p
		}
		if p != nil && !dup {
			out = append(out, PartyMatch{p, m.Score})
		}
	}
	return out
}

func (g *Graph) index() *match.Index {
	if g.ix != nil {
		return g.ix
	}
	es := make([]tradescreen.Entry, 0, len(g.order))
	for _, p := range g.Parties() {
		if p.Name == "" || p.Name == p.nameFromID() {
			continue
		}
		e := tradescreen.Entry{Source: "ownership", SourceID: p.ID, Kind: p.Kind, Name: p.Name}
		if e.Kind == "" {
			e.Kind = tradescreen.KindUnknown
		}
		for _, a := range p.Aliases {
			e.Aliases = append(e.Aliases, tradescreen.Name{Full: a, Type: tradescreen.NameAKA})
		}
		es = append(es, e)
	}
	g.ix = match.Build(es)
	return g.ix
}
