package order

import (
	"fmt"
	"strings"

	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
)

// MaxOwnershipParties is the number of ownership-data parties (best name matches first) evaluated for one
// order party.
const MaxOwnershipParties = 3

// Ownership is the OwnershipFinder over loaded ownership data: it finds an order party among the data's
// parties by name (or identifier) and evaluates the 50 % rules on the order's date. It is safe for
// concurrent use once built.
type Ownership struct {
	g     *ownership.Graph
	res   ownership.Resolution
	rules ownership.Rules
	note  string
}

// NewOwnership resolves the graph's owners to the screener's entries once and returns the finder. data names
// the ownership files for the decision's notes.
func NewOwnership(g *ownership.Graph, s *screen.Screener, rules ownership.Rules, data []string) *Ownership {
	o := &Ownership{g: g, res: ownership.Resolve(g, s, ownership.ResolveOptions{}), rules: rules}
	// Build the graph's name index now: Find builds it lazily, which is not safe for concurrent use.
	g.Find("index", "", 0)
	st := g.Stats()
	o.note = fmt.Sprintf("ownership (50 %% rules) screened on the order date against %s (%d parties, %d links)", strings.Join(data, ", "), st.Parties, st.Links)
	for _, code := range []string{"us_el", "us_sdn", "us_meu"} {
		loaded := false
		for _, l := range s.Lists() {
			loaded = loaded || l.Source == code
		}
		if !loaded {
			o.note += "; " + code + " is not loaded: owners on it cannot be recognized"
		}
	}
	return o
}

// Note says what ownership screening covered.
func (o *Ownership) Note() string { return o.note }

// Owners returns one reason per finding for the party on date. A finding under a rule in force that the
// party is owned 50 % or more (Owned) holds the order, and so does one that it may be (Review: shares not
// known), because the percentages must be established before the export; a finding below the threshold or
// under a suspended rule is a note.
func (o *Ownership) Owners(p Party, date string) ([]Reason, error) {
	ms := o.g.Find(p.Name, p.Type, 0)
	if len(ms) > MaxOwnershipParties {
		ms = ms[:MaxOwnershipParties]
	}
	var out []Reason
	for _, pm := range ms {
		for _, f := range ownership.Evaluate(o.g, o.res, o.rules, pm.Party.ID, date) {
			f := f
			holds := f.Applies || (f.Result == ownership.Review && f.Status == ownership.InForce)
			state := "in force"
			if f.Status == ownership.Suspended {
				state = "suspended"
			}
			found := ""
			if pm.Score < 1 || !strings.EqualFold(pm.Party.Name, p.Name) {
				found = fmt.Sprintf(" (found in the ownership data as %q, name match %.2f)", pm.Party.Name, pm.Score)
			}
			msg := fmt.Sprintf("%s %q%s: %s, under the %s (%s, %s %s; %s); paths: %s; licence: %s",
				roleLabel(p.Role), p.Name, found, f.Summary, f.Name, f.Rule, state, f.Period, f.Citation,
				strings.Join(f.Paths, "; "), f.Licence)
			if f.Confidence < 1 {
				msg += fmt.Sprintf("; owners resolved by name, lowest score %.2f: confirm the identity", f.Confidence)
			}
			out = append(out, Reason{Kind: ReasonOwnership, Holds: holds, Role: p.Role, Score: pm.Score, Message: msg, Ownership: &f})
		}
	}
	return out, nil
}
