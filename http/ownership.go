package http

import (
	"time"

	"github.com/tradescreen/tradescreen/ownership"
)

// MaxOwnershipParties bounds how many ownership parties one screened name is looked up as (the best first),
// as `tradescreen check --ownership` does.
const MaxOwnershipParties = 3

// OwnershipFinding is one 50 % rule finding for a screened name: the answer of one rule, on the date asked,
// for an ownership party the name matched (PartyScore says how well). See docs/ownership.md.
type OwnershipFinding struct {
	ownership.Finding
	// PartyScore is the match score of the screened name against the ownership party's name (1 for an
	// identical name or identifier).
	PartyScore float64 `json:"party_score"`
}

// ownershipDate checks an as_of value (YYYY-MM-DD) and returns it, or today (UTC) when empty. The error is
// code, naming field.
func (s *Server) ownershipDate(asOf, field, code string) (string, error) {
	if asOf == "" {
		return s.now().UTC().Format(time.DateOnly), nil
	}
	if _, err := time.Parse(time.DateOnly, asOf); err != nil {
		return "", errorf(code, "%s: %q is not a date YYYY-MM-DD", field, asOf)
	}
	return asOf, nil
}

// ownershipRules returns the rule calendar: OwnershipRules, or the embedded one.
func (s *Server) ownershipRules() ownership.Rules {
	s.rulesOnce.Do(func() {
		s.rules = s.OwnershipRules
		if s.rules == nil {
			rs, err := ownership.DefaultRules()
			if err != nil {
				// The embedded calendar is checked by the ownership tests; this cannot happen in a release.
				s.logger().Error("ownership rules", "error", err.Error())
			}
			s.rules = rs
		}
	})
	return s.rules
}

// resolution returns the ownership graph's owners resolved against this state's lists, resolving them on
// first use (SetScreener starts it in the background). It is nil without ownership data.
func (st *state) resolution() ownership.Resolution {
	if st.graph == nil {
		return nil
	}
	st.resolveOnce.Do(func() { st.res = ownership.Resolve(st.graph, st.s, ownership.ResolveOptions{}) })
	return st.res
}

// ownershipFindings returns the findings for name on date: name is looked up among the ownership parties at
// or above threshold (at most MaxOwnershipParties, best first) and each is evaluated under the rules of date.
// It is empty, never nil, without ownership data or when name is not a party.
func (s *Server) ownershipFindings(st *state, name string, threshold float64, date string) []OwnershipFinding {
	out := []OwnershipFinding{}
	if st.graph == nil || name == "" {
		return out
	}
	res := st.resolution()
	rules := s.ownershipRules()
	ms := st.graph.Find(name, "", threshold)
	if len(ms) > MaxOwnershipParties {
		ms = ms[:MaxOwnershipParties]
	}
	for _, pm := range ms {
		for _, f := range ownership.Evaluate(st.graph, res, rules, pm.Party.ID, date) {
			out = append(out, OwnershipFinding{Finding: f, PartyScore: pm.Score})
		}
	}
	return out
}

// prepareOwnership readies the graph for concurrent use: Graph.Find builds the party name index on its
// first call, so it is called once here, before any request can.
func prepareOwnership(g *ownership.Graph) {
	if g != nil {
		g.Find("tradescreen", "", 0)
	}
}
