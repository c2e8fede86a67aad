package ownlist

import (
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// AllowList looks up the allowances of a screened name or party. The zero value and nil allow nothing.
type AllowList struct {
	rows    []Allowance
	byName  map[string][]int // folded name + "\x00" + entry key -> rows
	byParty map[string][]int // party id + "\x00" + entry key -> rows
}

// NewAllowList indexes allowances.
func NewAllowList(rows []Allowance) *AllowList {
	a := &AllowList{rows: rows, byName: map[string][]int{}, byParty: map[string][]int{}}
	for i, r := range rows {
		if r.Name != "" {
			k := normalize.Fold(r.Name) + "\x00" + r.Entry
			a.byName[k] = append(a.byName[k], i)
		}
		if r.PartyID != "" {
			k := r.PartyID + "\x00" + r.Entry
			a.byParty[k] = append(a.byParty[k], i)
		}
	}
	return a
}

// Len returns the number of allowances.
func (a *AllowList) Len() int {
	if a == nil {
		return 0
	}
	return len(a.rows)
}

// Rows returns the allowances in file order.
func (a *AllowList) Rows() []Allowance {
	if a == nil {
		return nil
	}
	return a.rows
}

// Lookup returns the allowance covering the pairing of a screened name (compared after folding: case,
// accents, punctuation and spacing do not matter) or a party id with the entry key ("us_el/123"), or nil.
// An allowance names one entry: a match of the same name with any other entry is not covered.
func (a *AllowList) Lookup(name, partyID, entryKey string) *Allowance {
	if a == nil {
		return nil
	}
	if partyID != "" {
		if is := a.byParty[partyID+"\x00"+entryKey]; len(is) > 0 {
			return &a.rows[is[0]]
		}
	}
	if name != "" {
		if is := a.byName[normalize.Fold(name)+"\x00"+entryKey]; len(is) > 0 {
			return &a.rows[is[0]]
		}
	}
	return nil
}

// Mark marks the matches of a screening of name (and partyID, "" when the name is not a registered party)
// that an allowance covers: the match's Allowed names the allowance and its Note is put first in the
// match's explanation adjustments. No match is removed or reordered; a marked match stays in the result,
// visible, and IsAllowed reports it. It returns the number of matches marked.
func (a *AllowList) Mark(name, partyID string, ms []tradescreen.Match) int {
	if a.Len() == 0 {
		return 0
	}
	n := 0
	for i := range ms {
		al := a.Lookup(name, partyID, ms[i].Source+"/"+ms[i].SourceID)
		if al == nil || IsAllowed(ms[i]) {
			continue
		}
		adj := make([]string, 0, 1+len(ms[i].Explanation.Adjustments))
		adj = append(adj, al.Note())
		ms[i].Explanation.Adjustments = append(adj, ms[i].Explanation.Adjustments...)
		ms[i].Allowed = al.Allowed()
		n++
	}
	return n
}

// Allowances returns, for each of ms (the matches of a screening of name, and of partyID when the name is a
// registered party), the allowance covering it, or nil where none does. It returns nil when the list is
// empty or covers none of ms. It changes nothing: Mark marks.
func (a *AllowList) Allowances(name, partyID string, ms []tradescreen.Match) []*Allowance {
	if a.Len() == 0 {
		return nil
	}
	var out []*Allowance
	for i := range ms {
		al := a.Lookup(name, partyID, ms[i].Source+"/"+ms[i].SourceID)
		if al == nil {
			continue
		}
		if out == nil {
			out = make([]*Allowance, len(ms))
		}
		out[i] = al
	}
	return out
}

// Notes returns the allowance notes (Allowance.Note) of the matches of a screening of name and partyID that
// the list covers, by entry key ("us_el/123"); nil when it covers none. It is what
// tradescreen.AlertService.RaiseAlertsAllowed takes.
func (a *AllowList) Notes(name, partyID string, ms []tradescreen.Match) map[string]string {
	var out map[string]string
	for i, al := range a.Allowances(name, partyID, ms) {
		if al == nil {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[ms[i].Source+"/"+ms[i].SourceID] = al.Note()
	}
	return out
}

// IsAllowed reports whether Mark marked the match as a reviewed look-alike.
func IsAllowed(m tradescreen.Match) bool {
	return m.Allowed != nil || len(m.Explanation.Adjustments) > 0 && strings.HasPrefix(m.Explanation.Adjustments[0], AllowedPrefix)
}

// CountAllowed returns how many of ms are marked as reviewed look-alikes.
func CountAllowed(ms []tradescreen.Match) int {
	n := 0
	for _, m := range ms {
		if IsAllowed(m) {
			n++
		}
	}
	return n
}
