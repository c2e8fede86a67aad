// Package ownership evaluates the 50 % rules: OFAC's 50 Percent Rule and the BIS Affiliates Rule. It reads
// ownership data (a simple CSV, GLEIF Level 2 relationship records, Open Ownership BODS statements) into a
// Graph, resolves owners to list entries (by identifier first, then by the matcher, keeping the score), and
// computes for a party the aggregate direct and indirect ownership by listed parties under each rule in force
// on a date. The rules themselves are data (rules.csv, embedded) with effective dates, so a change to a rule
// is a data change.
package ownership

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
)

// Party is a node of the ownership graph: a company or person named by an ownership file.
type Party struct {
	// ID is the party's key in the graph: its first identifier ("LEI:5493...") or "name:" and its folded name.
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Aliases []string         `json:"aliases,omitempty"`
	Kind    tradescreen.Kind `json:"kind,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code when the file gives one.
	Country     string                   `json:"country,omitempty"`
	Identifiers []tradescreen.Identifier `json:"identifiers,omitempty"`
}

// Link is one ownership or control relationship: Owner holds a share of Owned.
type Link struct {
	Owner string `json:"owner"`
	Owned string `json:"owned"`
	// Min and Max bound the share in percent (0..100). An exact share has Min == Max; a relationship without
	// a percentage (GLEIF consolidation, BODS control) has Min 0 and Max 100.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Control is true for a relationship stated as control or accounting consolidation, not as a share.
	Control bool `json:"control,omitempty"`
	// Start and End bound when the relationship held, YYYY-MM-DD; empty when unknown.
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// Origin is where the link was read: "owners.csv line 4".
	Origin string `json:"origin,omitempty"`
}

// Exact reports whether the share is known exactly.
func (l Link) Exact() bool { return l.Min == l.Max }

// Share renders the share: "100 %", "25-50 %", "control, share unknown".
func (l Link) Share() string {
	switch {
	case l.Control && l.Min == 0 && l.Max == 100:
		return "control (share unknown)"
	case l.Min == 0 && l.Max == 100:
		return "share unknown"
	case l.Exact():
		return pct(l.Min) + " %"
	}
	return pct(l.Min) + "-" + pct(l.Max) + " %"
}

func pct(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// ActiveOn reports whether the link held on date (YYYY-MM-DD); links without dates always hold.
func (l Link) ActiveOn(date string) bool {
	if date == "" {
		return true
	}
	if l.Start != "" && l.Start > date {
		return false
	}
	if l.End != "" && l.End < date {
		return false
	}
	return true
}

// Graph holds parties and the links between them. Parties from several files are merged by identifier, then
// by folded name. The zero value is not usable; call NewGraph.
type Graph struct {
	parties map[string]*Party
	order   []string
	byKey   map[string]string // identifier or name key -> party ID
	links   []Link
	ownedBy map[string][]int // owned ID -> link indexes
	owns    map[string][]int // owner ID -> link indexes
	ix      *match.Index     // parties by name, built on first Find
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{parties: map[string]*Party{}, byKey: map[string]string{}, ownedBy: map[string][]int{}, owns: map[string][]int{}}
}

// Parties returns every party in the order they were first added.
func (g *Graph) Parties() []*Party {
	out := make([]*Party, len(g.order))
	for i, id := range g.order {
		out[i] = g.parties[id]
	}
	return out
}

// Party returns the party with the given ID, or nil.
func (g *Graph) Party(id string) *Party { return g.parties[id] }

// Links returns every link.
func (g *Graph) Links() []Link { return g.links }

// OwnersOf returns the links whose Owned is id.
func (g *Graph) OwnersOf(id string) []Link {
	out := make([]Link, 0, len(g.ownedBy[id]))
	for _, i := range g.ownedBy[id] {
		out = append(out, g.links[i])
	}
	return out
}

// IsOwner reports whether the party holds a share of or controls any other party.
func (g *Graph) IsOwner(id string) bool { return len(g.owns[id]) > 0 }

// FoldName folds a name for identity: lower case, letters and digits only, single spaces.
func FoldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

func idKey(id tradescreen.Identifier) string {
	n := strings.ToUpper(strings.Join(strings.Fields(id.Number), ""))
	if n == "" {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(id.Type)) + ":" + n
}

// AddParty adds p or merges it into the party already known by one of its identifiers or, failing that, by
// its folded name, and returns the party's ID. A party needs a name or an identifier.
func (g *Graph) AddParty(p Party) string {
	g.ix = nil
	var keys []string
	for _, id := range p.Identifiers {
		if k := idKey(id); k != "" {
			keys = append(keys, k)
		}
	}
	if f := FoldName(p.Name); f != "" {
		keys = append(keys, "name:"+f)
	}
	for _, k := range keys {
		if id, ok := g.byKey[k]; ok {
			g.merge(g.parties[id], p)
			for _, k2 := range keys {
				if _, ok := g.byKey[k2]; !ok {
					g.byKey[k2] = id
				}
			}
			return id
		}
	}
	if len(keys) == 0 {
		return ""
	}
	np := p
	np.ID = keys[0]
	if np.Name == "" && len(p.Identifiers) > 0 {
		np.Name = p.Identifiers[0].Type + " " + p.Identifiers[0].Number
	}
	g.parties[np.ID] = &np
	g.order = append(g.order, np.ID)
	for _, k := range keys {
		g.byKey[k] = np.ID
	}
	return np.ID
}

func (g *Graph) merge(dst *Party, src Party) {
	if src.Name != "" && (dst.Name == "" || dst.Name == dst.nameFromID()) {
		dst.Name = src.Name
	} else if src.Name != "" && FoldName(src.Name) != FoldName(dst.Name) && !contains(dst.Aliases, src.Name) {
		dst.Aliases = append(dst.Aliases, src.Name)
	}
	for _, a := range src.Aliases {
		if !contains(dst.Aliases, a) && a != dst.Name {
			dst.Aliases = append(dst.Aliases, a)
		}
	}
	if dst.Kind == "" || dst.Kind == tradescreen.KindUnknown {
		dst.Kind = src.Kind
	}
	if dst.Country == "" {
		dst.Country = src.Country
	}
	for _, id := range src.Identifiers {
		dup := false
		for _, d := range dst.Identifiers {
			if idKey(d) == idKey(id) {
				dup = true
			}
		}
		if !dup {
			dst.Identifiers = append(dst.Identifiers, id)
		}
	}
}

func (p *Party) nameFromID() string {
	if len(p.Identifiers) == 0 {
		return ""
	}
	return p.Identifiers[0].Type + " " + p.Identifiers[0].Number
}

// AddLink adds a relationship between two parties already added. Errors are EINVALID for an unknown party,
// a self-link or a share outside 0..100.
func (g *Graph) AddLink(l Link) error {
	if g.parties[l.Owner] == nil || g.parties[l.Owned] == nil {
		return tradescreen.Errorf(tradescreen.EINVALID, "link %s -> %s: unknown party", l.Owner, l.Owned)
	}
	if l.Owner == l.Owned {
		return tradescreen.Errorf(tradescreen.EINVALID, "link %s: a party cannot own itself", l.Owner)
	}
	if l.Min < 0 || l.Max > 100 || l.Min > l.Max {
		return tradescreen.Errorf(tradescreen.EINVALID, "link %s -> %s: share %v-%v is outside 0..100", l.Owner, l.Owned, l.Min, l.Max)
	}
	g.links = append(g.links, l)
	i := len(g.links) - 1
	g.ownedBy[l.Owned] = append(g.ownedBy[l.Owned], i)
	g.owns[l.Owner] = append(g.owns[l.Owner], i)
	return nil
}

// Merge adds every party and link of o to g.
func (g *Graph) Merge(o *Graph) {
	ids := map[string]string{}
	for _, p := range o.Parties() {
		ids[p.ID] = g.AddParty(*p)
	}
	for _, l := range o.links {
		l.Owner, l.Owned = ids[l.Owner], ids[l.Owned]
		if l.Owner != l.Owned {
			_ = g.AddLink(l)
		}
	}
}

// Stats summarizes a graph.
type Stats struct {
	Parties int `json:"parties"`
	Links   int `json:"links"`
	Exact   int `json:"exact_shares"`
	Control int `json:"control_only"`
}

// Stats counts the graph's parties and links.
func (g *Graph) Stats() Stats {
	s := Stats{Parties: len(g.order), Links: len(g.links)}
	for _, l := range g.links {
		if l.Exact() {
			s.Exact++
		}
		if l.Control {
			s.Control++
		}
	}
	return s
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
