package order

import (
	"fmt"
	"strings"

	"github.com/tradescreen/tradescreen/destination"
	"github.com/tradescreen/tradescreen/licence"
)

// partyRestricted reports whether a reason found so far restricts a party: a listed party or address, or
// ownership by listed parties, that holds the order. A licence exception that excludes restricted parties
// (SPP) is then not applied.
func partyRestricted(rs []Reason) bool {
	for _, r := range rs {
		if r.Holds && (r.Kind == ReasonListedParty || r.Kind == ReasonListedAddr || r.Kind == ReasonOwnership) {
			return true
		}
	}
	return false
}

// destinationReasons applies the destination's rules on the order date: the rules that are not about items
// (sanctions, country groups), then for the items the rules that require a licence for them (§§ 746.2-746.9),
// then the Commerce Country Chart for each item on the CCL that no such rule already covers.
func (s *Service) destinationReasons(o *Order, restricted bool) []Reason {
	var out []Reason
	var itemRules []destination.Rule
	for _, rule := range s.rules.Country(o.Destination.Country, o.Date) {
		rule := rule
		if rule.Items != "" {
			itemRules = append(itemRules, rule)
			continue
		}
		r := Reason{Kind: ReasonDestination, Holds: rule.Holds(), Party: -1, Rule: &rule}
		if rule.Kind == destination.KindGroup {
			r.Kind = ReasonCountryGroup
			r.Message = fmt.Sprintf("destination %s is in Country Group %s (%s): membership by itself requires no licence; it limits the licence exceptions available", o.Destination.Country, rule.Group, rule.Citation)
			if rule.Group == "D:5" {
				r.Message += "; US arms embargo: 600-series and 9x515 items and military end uses (§ 744.21) are not checked"
			}
		} else {
			r.Message = fmt.Sprintf("destination %s: %s (%s)", o.Destination.Country, rule.Note, rule.Citation)
		}
		r.Message += uncertain(rule)
		out = append(out, r)
	}
	covered := make([]bool, len(o.Items))
	// Rules whose scope is verified first; an uncertain rule is applied only to the items none covers.
	for _, pass := range []bool{false, true} {
		for _, rule := range itemRules {
			if rule.Uncertain != pass {
				continue
			}
			if r, ok := itemRuleReason(rule, o, covered, restricted); ok {
				out = append(out, r)
			}
		}
	}
	for i, it := range o.Items {
		if covered[i] || it.ECCN == "EAR99" {
			continue
		}
		a := s.chart.Answer(it, o.Destination.Country, o.Date)
		out = append(out, Reason{Kind: ReasonChart, Holds: a.Required != destination.NotCovered, Party: -1, Items: []int{i}, Chart: &a,
			Message: fmt.Sprintf("items[%d] %s: %s", i, itemWords(it), a.Text)})
	}
	return out
}

// itemRuleReason applies one rule on items to the order's items, marking those it covers; ok is false when
// it covers none.
func itemRuleReason(rule destination.Rule, o *Order, covered []bool, restricted bool) (Reason, bool) {
	var idx []int
	var words []string
	for i, it := range o.Items {
		if rule.Uncertain && covered[i] {
			continue
		}
		cov, why := rule.Covers(it)
		if cov == destination.NotCovered {
			continue
		}
		covered[i] = true
		idx = append(idx, i)
		w := fmt.Sprintf("items[%d] %s", i, itemWords(it))
		if why != "" {
			w += " (" + why + ")"
		}
		words = append(words, w)
	}
	if len(idx) == 0 {
		return Reason{}, false
	}
	r := Reason{Kind: ReasonLicenceRule, Holds: true, Party: -1, Rule: &rule, Items: idx}
	verb := "licence required"
	if rule.Uncertain {
		verb = "licence may be required"
	}
	r.Message = fmt.Sprintf("destination %s: %s for %s: %s (%s)", o.Destination.Country, verb, strings.Join(words, "; "), rule.Note, rule.Citation)
	switch {
	case rule.Exception == "":
	case restricted:
		r.Exception = rule.Exception
		r.Message += fmt.Sprintf("; License Exception %s is not available: a party of the order is restricted", rule.Exception)
	default:
		r.Holds, r.Exception = false, rule.Exception
		r.Message += fmt.Sprintf("; authorized by License Exception %s: no party of the order was found on the lists screened or owned by listed parties; "+
			"end-use controls (Part 744) were not checked and would take the export out of the exception", rule.Exception)
	}
	r.Message += uncertain(rule)
	return r, true
}

func itemWords(it licence.Item) string {
	s := it.ECCN
	if it.HTS != "" {
		s += " (HTS " + it.HTS + ")"
	}
	if it.Description != "" {
		s += " " + fmt.Sprintf("%q", it.Description)
	}
	return s
}

// explain sets what the decision means and what it checked and did not.
func (d *Decision) explain(o *Order, ownershipChecked bool) {
	d.Checked = []string{
		"each party's name against the lists screened (" + fmt.Sprint(len(d.Lists)) + " lists), with the allow list's reviewed look-alikes",
		"each address against the lists' addresses and the sanctioned regions of Ukraine",
		"the destination's dated rules on the order date: embargoes and sanctions (15 CFR Part 746, OFAC), Russia and Belarus (§ 746.8), country groups",
		"the licence requirement and review policy of each Entity List party found, for each item",
		"each item on the CCL against the Commerce Country Chart (Supplement No. 1 to Part 738) for the ECCNs and destinations modelled",
	}
	if ownershipChecked {
		d.Checked = append(d.Checked, "ownership by listed parties (the 50 % rules) on the order date")
	}
	d.NotChecked = []string{
		"whether the ECCNs and HTS codes given are the right classification",
		"end-use and end-user controls of Part 744 other than the Entity List entries found (military, nuclear, missile, chemical and biological end uses)",
		"licence exceptions, except those applied and named in a reason",
		"ECCNs and chart rows not modelled (named in the reasons when an item needs them)",
	}
	if !ownershipChecked {
		d.NotChecked = append(d.NotChecked, "ownership by listed parties: no ownership data loaded")
	}
	if d.Outcome == Clear {
		d.Meaning = "clear: nothing was found that requires a licence or forbids the order in what was checked; it is not a finding on what was not checked"
	} else {
		d.Meaning = "hold: a reason below requires a licence, forbids the order or must be reviewed before the order ships"
	}
}
