package ownership

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// Results of a finding.
const (
	// Owned: listed parties own the threshold or more, by the known shares.
	Owned = "owned"
	// Review: the threshold is reached only if unknown shares (control, consolidation, ranges) are high
	// enough; the percentages must be established.
	Review = "review"
	// Below: listed parties own a share below the threshold (a red flag, not a restriction).
	Below = "below"
	// NotApplied: listed parties own a share of the party, but the rule does not reach it (the BIS
	// Affiliates Rule reaches foreign entities only and the ownership data places the party in the US). The
	// finding says so and never applies; the party's own screening and the other rules still answer.
	NotApplied = "not_applied"
)

// Owner is a listed party a finding rests on.
type Owner = tradescreen.OwnershipOwner

// Finding is the answer of one rule for one party on one date.
type Finding = tradescreen.OwnershipFinding

// MaxPaths bounds the paths listed in a finding.
const MaxPaths = 20

// Evaluate returns, for the party with the given ID, one finding per rule period on date (YYYY-MM-DD) under
// which listed parties own any share of it, directly or through parties they own the threshold of. A party
// that is itself listed under a rule gets no finding for that rule (its name match says more). Links and
// entries outside their dates on date are ignored.
//
// The computation is the one OFAC describes (and BIS adopted): a party is reached when the shares held by
// listed or reached parties add up to the threshold (one owner alone when the rule does not aggregate);
// shares are not multiplied along a chain, so a listed party holding 50 % of B that holds 50 % of C reaches
// C, and one holding 40 % of B reaches nothing through B. Cycles are handled: the reached set is the least
// fixed point. It is computed twice, with the known (lowest) shares and with unknown shares at their highest,
// to tell Owned from Review.
func Evaluate(g *Graph, res Resolution, rules Rules, partyID, date string) []Finding {
	var out []Finding
	p := g.Party(partyID)
	if p == nil {
		return nil
	}
	for _, r := range rules.On(date) {
		roots := map[string][]Resolved{}
		for id, rs := range res {
			for _, x := range rs {
				if x.Entry != nil && r.Applies(x.Entry) && entryActive(x.Entry, date) {
					roots[id] = append(roots[id], x)
				}
			}
		}
		if len(roots[partyID]) > 0 {
			continue
		}
		lo := reach(g, roots, r, date, func(l Link) float64 { return l.Min })
		hi := reach(g, roots, r, date, func(l Link) float64 { return l.Max })
		f := Finding{PartyID: partyID, Party: p.Name, Rule: r.ID, Name: r.Name, Status: r.Status, Date: date,
			Period: r.From + " .. " + r.To, Threshold: r.Threshold, Citation: r.Citation, URL: r.URL}
		if r.To == "" {
			f.Period = "from " + r.From
		}
		f.Share = share(g, lo, r, partyID, date, func(l Link) float64 { return l.Min })
		f.MaxShare = share(g, hi, r, partyID, date, func(l Link) float64 { return l.Max })
		var set map[string]bool
		switch {
		case lo[partyID]:
			f.Result, set = Owned, lo
		case hi[partyID]:
			f.Result, set = Review, hi
		case f.Share > 0:
			f.Result, set = Below, lo
		default:
			continue
		}
		if f.Result == Below {
			// Only the direct shares below the threshold are worth showing.
			set = lo
		}
		ownerSeen := map[string]bool{}
		f.Paths = paths(g, roots, set, partyID, date, f.Result != Review, &f.Owners, ownerSeen)
		f.Confidence = 1
		for _, o := range f.Owners {
			f.Confidence = math.Min(f.Confidence, o.Score)
		}
		f.Applies = f.Result == Owned && r.Status == InForce
		f.Licence = licence(r, f)
		f.Summary = summary(r, f)
		if r.ForeignOnly && strings.EqualFold(p.Country, "US") {
			notApplied(r, &f)
		}
		out = append(out, f)
	}
	return out
}

// notApplied turns the finding of a rule that reaches foreign entities only, for a party the ownership data
// places in the US, into one that says the rule was not applied and what it would have found.
func notApplied(r Rule, f *Finding) {
	f.Summary = fmt.Sprintf("not applied: the %s reaches foreign entities only and the ownership data places %s in the US; had it applied: %s",
		r.Name, f.Party, f.Summary)
	f.Result, f.Applies = NotApplied, false
	f.Licence = "none from this rule (it does not reach a party in the US); the party's own screening and the other ownership rules still apply"
}

// reach returns the reached set (listed roots included) with shares read by sh.
func reach(g *Graph, roots map[string][]Resolved, r Rule, date string, sh func(Link) float64) map[string]bool {
	in := map[string]bool{}
	var queue []string
	for id := range roots {
		in[id] = true
		queue = append(queue, id)
	}
	sort.Strings(queue)
	held := map[string]map[string]float64{} // owned -> owner -> share
	for len(queue) > 0 {
		o := queue[0]
		queue = queue[1:]
		for _, i := range g.owns[o] {
			l := g.links[i]
			if !l.ActiveOn(date) || in[l.Owned] {
				continue
			}
			if held[l.Owned] == nil {
				held[l.Owned] = map[string]float64{}
			}
			held[l.Owned][o] += sh(l)
			if total(held[l.Owned], r.Aggregate)+1e-9 >= r.Threshold {
				in[l.Owned] = true
				queue = append(queue, l.Owned)
			}
		}
	}
	return in
}

func total(byOwner map[string]float64, aggregate bool) float64 {
	t := 0.0
	for _, v := range byOwner {
		v = math.Min(v, 100)
		if aggregate {
			t += v
		} else {
			t = math.Max(t, v)
		}
	}
	return math.Min(t, 100)
}

// share is the share of id held by members of set, as the rule counts it.
func share(g *Graph, set map[string]bool, r Rule, id, date string, sh func(Link) float64) float64 {
	byOwner := map[string]float64{}
	for _, i := range g.ownedBy[id] {
		l := g.links[i]
		if l.ActiveOn(date) && set[l.Owner] {
			byOwner[l.Owner] += sh(l)
		}
	}
	return total(byOwner, r.Aggregate)
}

// paths renders the ownership paths from id up to listed roots through members of set.
func paths(g *Graph, roots map[string][]Resolved, set map[string]bool, id, date string, known bool, owners *[]Owner, seen map[string]bool) []string {
	var out []string
	var walk func(x, prefix string, visited map[string]bool)
	walk = func(x, prefix string, visited map[string]bool) {
		for _, i := range g.ownedBy[x] {
			if len(out) >= MaxPaths {
				return
			}
			l := g.links[i]
			if !l.ActiveOn(date) || !set[l.Owner] || visited[l.Owner] || (known && l.Min == 0) {
				continue
			}
			o := g.parties[l.Owner]
			seg := prefix + " <- " + l.Share() + " " + o.Name
			if rs := roots[l.Owner]; len(rs) > 0 {
				out = append(out, seg+" ("+rootLabel(rs)+")")
				for _, r := range rs {
					if !seen[r.Key] {
						seen[r.Key] = true
						*owners = append(*owners, ownerOf(o, r))
					}
				}
				continue
			}
			v := map[string]bool{l.Owner: true}
			for k := range visited {
				v[k] = true
			}
			walk(l.Owner, seg, v)
		}
	}
	walk(id, g.parties[id].Name, map[string]bool{id: true})
	return out
}

func rootLabel(rs []Resolved) string {
	r := rs[0]
	s := r.Entry.Source
	if len(r.Entry.FederalRegister) > 0 {
		s += ", " + firstCitation(r.Entry.FederalRegister[0])
	} else if len(r.Entry.Programs) > 0 {
		s += ", " + strings.Join(r.Entry.Programs, " ")
	} else {
		s += " " + r.Entry.SourceID
	}
	if r.By == "name" {
		s += fmt.Sprintf("; name match %.2f", r.Score)
	}
	if len(rs) > 1 {
		s += fmt.Sprintf("; +%d more entries", len(rs)-1)
	}
	return s
}

// firstCitation keeps the first citation of a field like "84 FR 54002; 85 FR 44159".
func firstCitation(s string) string {
	s, _, _ = strings.Cut(s, ";")
	return strings.TrimSpace(s)
}

func ownerOf(p *Party, r Resolved) Owner {
	e := r.Entry
	return Owner{Party: p.Name, Entry: r.Key, Name: e.Name, Source: e.Source, Score: r.Score, By: r.By,
		FederalRegister: e.FederalRegister, Programs: e.Programs, LicenseRequirement: e.LicenseRequirement,
		LicensePolicy: e.LicensePolicy}
}

func entryActive(e *tradescreen.Entry, date string) bool {
	if e.StartDate != "" && e.StartDate > date {
		return false
	}
	if e.EndDate != "" && e.EndDate < date {
		return false
	}
	return true
}

// licence says what follows from a finding under the rule.
func licence(r Rule, f Finding) string {
	switch {
	case f.Result == Review:
		return "not established until the shares are known; if owned " + pct(r.Threshold) + " % or more: " + r.EffectText
	case f.Result == Below:
		return "none from ownership (below the threshold)"
	case r.Effect != EffectOwnerLicence:
		return r.EffectText
	}
	best, rank := "", -1
	for _, o := range f.Owners {
		req, pol := o.LicenseRequirement, o.LicensePolicy
		if req == "" && o.Source == "us_sdn" {
			req, pol = "For all items subject to the EAR (15 CFR 744.8)", "Presumption of denial"
		}
		if req == "" {
			req = "the licence requirement of the listed owner's entry"
		}
		k := restrictiveness(req, pol)
		if k > rank {
			rank = k
			best = strings.TrimSpace(strings.TrimRight(req, ". ")) + "; " + orDash(pol) + " (as " + o.Name + ", " + o.Entry + ")"
		}
	}
	return best
}

func orDash(s string) string {
	if s == "" {
		return "review policy not stated"
	}
	return strings.TrimSpace(strings.TrimRight(s, ". "))
}

// restrictiveness ranks a licence requirement and review policy: all items over some, denial over
// case-by-case over approval.
func restrictiveness(req, pol string) int {
	k := 0
	lr := strings.ToLower(req)
	if strings.Contains(lr, "all items subject to the ear") {
		k += 10
	} else if lr != "" {
		k += 5
	}
	lp := strings.ToLower(pol)
	switch {
	case strings.Contains(lp, "denial"):
		k += 3
	case strings.Contains(lp, "case-by-case") || strings.Contains(lp, "case by case"):
		k += 2
	case strings.Contains(lp, "approval"):
		k++
	}
	return k
}

func summary(r Rule, f Finding) string {
	th := pct(r.Threshold) + " %"
	how := "in the aggregate"
	if !r.Aggregate {
		how = "by one owner"
	}
	switch f.Result {
	case Owned:
		s := fmt.Sprintf("owned %s or more by listed parties (%s %%, %s)", th, pct(f.Share), how)
		if r.Status == Suspended {
			s += fmt.Sprintf("; but the %s is suspended on %s (%s): no restriction from ownership", r.Name, f.Date, f.Period)
		}
		return s
	case Review:
		return fmt.Sprintf("may be owned %s or more by listed parties: %s %% by known shares, up to %s %% with the unknown ones; establish the percentages", th, pct(f.Share), pct(f.MaxShare))
	}
	return fmt.Sprintf("owned %s %% by listed parties: below the %s threshold (a red flag, not a restriction)", pct(f.Share), th)
}
