package licence

import (
	"regexp"
	"strings"
)

// Item is what an order ships: its classification and description.
type Item struct {
	// ECCN is an Export Control Classification Number ("5A002", "3A090.a") or "EAR99".
	ECCN        string `json:"eccn"`
	Description string `json:"description,omitempty"`
	// HTS is the item's Harmonized Tariff Schedule code, 6 to 10 digits ("847130"): the EAR name some EAR99
	// items by it (Supplements No. 2 to 7 to Part 746).
	HTS string `json:"hts,omitempty"`
}

// ValidHTS reports whether s is an HTS code of 6 to 10 digits (dots and spaces are taken out first by
// CanonHTS).
func ValidHTS(s string) bool {
	if len(s) < 6 || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CanonHTS removes the dots and spaces of an HTS code as written ("8471.30.0100" -> "8471300100").
func CanonHTS(s string) string {
	return strings.NewReplacer(".", "", " ", "").Replace(strings.TrimSpace(s))
}

// Required is whether a licence is required.
type Required string

// Answers to "is a licence required?".
const (
	Yes Required = "yes"
	No  Required = "no"
	// Depends: the answer turns on a fact the order does not give (a use, an end user's status, what the
	// item is beyond its ECCN); Answer.Conditions say which.
	Depends Required = "depends"
)

// Answer is the licence answer for one item shipped to one listed party.
type Answer struct {
	Item     Item     `json:"item"`
	Required Required `json:"required"`
	Review   Review   `json:"review"`
	// Sections are the EAR sections a SeeRegulation review refers to.
	Sections []string `json:"sections,omitempty"`
	// Conditions are the facts that would change the answer ("case-by-case review if the item is necessary to
	// detect, identify and treat infectious disease").
	Conditions []string `json:"conditions,omitempty"`
	// Text is the answer in words: "licence required for all items subject to the EAR, presumption of denial".
	Text string `json:"text"`
}

var eccnItemRe = regexp.MustCompile(`^[0-9][A-E][0-9]{3}(?:\.[a-z0-9]+)*$`)

// ValidECCN reports whether s is "EAR99" or has the shape of an ECCN (5A002, 3A090.a, 5A992.c).
func ValidECCN(s string) bool {
	return strings.EqualFold(s, "EAR99") || eccnItemRe.MatchString(canonECCN(s))
}

// isEAR99 reports whether an item is designated EAR99.
func (it Item) isEAR99() bool { return strings.EqualFold(strings.TrimSpace(it.ECCN), "EAR99") }

// eccnMatch says whether an item's ECCN falls under a named ECCN: "full" when the item is the ECCN or one of
// its paragraphs (5A992.c.1 under 5A992.c), "partial" when the named ECCN is a paragraph of the item's
// (5A992.c under 5A992: it depends on the paragraph), "" otherwise.
func eccnMatch(item, named string) string {
	item, named = canonECCN(item), canonECCN(named)
	switch {
	case item == named || strings.HasPrefix(item, named+"."):
		return "full"
	case strings.HasPrefix(named, item+"."):
		return "partial"
	}
	return ""
}

// Answer says, for one item, whether the entry's requirement calls for a licence and how an application
// would be reviewed.
func (l *Licence) Answer(it Item) Answer {
	a := Answer{Item: it, Required: Yes}
	ear99 := it.isEAR99()
	switch l.Scope {
	case ScopeNone:
		a.Required = Depends
		a.Conditions = append(a.Conditions, "the list states no licence requirement for this entry: read its Federal Register notice")
	case ScopeCCL:
		switch {
		case ear99 && l.Supplement746 != "":
			a.Required = Depends
			a.Conditions = append(a.Conditions, "licence required if the EAR99 item is listed in "+l.supplementName())
		case ear99:
			a.Required = No
		}
	case ScopeECCNs:
		a.Required = No
		for _, e := range l.ECCNs {
			switch eccnMatch(it.ECCN, e) {
			case "full":
				a.Required = Yes
			case "partial":
				if a.Required == No {
					a.Required = Depends
					a.Conditions = append(a.Conditions, "licence required if the item falls under "+e)
				}
			}
		}
	}
	if a.Required != No && l.Condition != "" {
		a.Required = Depends
		a.Conditions = append(a.Conditions, "licence required "+l.Condition)
	}
	if a.Required != No {
		for _, e := range l.Exceptions {
			if c := exceptionCondition(e, it, ear99); c != "" {
				a.Required = Depends
				a.Conditions = append(a.Conditions, c)
			}
		}
	}
	if a.Required == No {
		a.Review = ""
		a.Text = "no licence required by this entry for " + itemLabel(it)
		return a
	}
	a.Review = ReviewUnknown
	var base *Rule
	var specific *Rule
	for i := range l.Policy {
		r := &l.Policy[i]
		applies, cond := r.appliesTo(it, ear99)
		switch {
		case !applies:
		case cond != "":
			a.Conditions = append(a.Conditions, r.Review.Phrase()+" "+cond)
		case r.All || r.Other:
			if base == nil {
				base = r
			}
		default:
			if specific == nil {
				specific = r
			}
		}
	}
	chosen := specific
	if chosen == nil {
		chosen = base
	}
	if chosen != nil {
		a.Review = chosen.Review
		a.Sections = chosen.Sections
	} else if len(l.Policy) == 0 && len(l.PolicySections) > 0 {
		a.Review, a.Sections = SeeRegulation, l.PolicySections
	}
	if chosen != nil && chosen.Review == SeeRegulation && len(a.Sections) == 0 {
		a.Sections = l.PolicySections
	}
	a.Text = l.scopeShort(a) + ", " + a.Review.Phrase()
	if a.Review == SeeRegulation {
		a.Text += " (§ " + strings.Join(a.Sections, ", § ") + ")"
	}
	return a
}

func (l *Licence) scopeShort(a Answer) string {
	switch l.Scope {
	case ScopeAll:
		return "licence required for all items subject to the EAR"
	case ScopeCCL:
		return "licence required for items on the CCL"
	case ScopeECCNs:
		return "licence required for " + strings.Join(l.ECCNs, ", ")
	}
	return "licence requirement not stated"
}

func itemLabel(it Item) string {
	if it.Description != "" {
		return it.ECCN + " (" + it.Description + ")"
	}
	return it.ECCN
}

// exceptionCondition returns the condition under which an exception takes the item out of the requirement,
// or "" when the exception cannot apply to it.
func exceptionCondition(e Exception, it Item, ear99 bool) string {
	switch e.Kind {
	case "ear99_food_medicine":
		if ear99 {
			return "no licence required if the item is food or medicine designated EAR99"
		}
	case "eccns":
		for _, n := range e.ECCNs {
			if eccnMatch(it.ECCN, n) != "" {
				s := "no licence required for " + n
				if e.Unless != "" {
					s += " unless " + e.Unless
				}
				return s
			}
		}
	case "standards_technology":
		// The exception covers technology only: EAR99 technology, or technology of an ECCN controlled for
		// anti-terrorism reasons only (product group E; the AT-only ECCNs are numbered x9xx). Hardware such
		// as 3A001 or 5A002 is outside it.
		if ear99 {
			return "no licence required if the item is EAR99 technology released to members of a standards organization to develop a standard"
		}
		if e := canonECCN(it.ECCN); len(e) >= 3 && e[1] == 'E' && e[2] == '9' {
			return "no licence required if the item is technology controlled for anti-terrorism reasons only, released to members of a standards organization to develop a standard"
		}
	case "uav_technology":
		if ear99 {
			return "no licence required if the item is EAR99 technology for the operation, maintenance or repair of a UAV released by its operator"
		}
	case "hs_codes":
		if ear99 {
			return "no licence required if the item is a petroleum or gas product under HS codes " + strings.Join(e.HSCodes, ", ")
		}
	case "joint_ventures":
		return "no licence required if the item is " + e.Text
	case "ofac_general_license":
		return "no licence required if the item is related to a transaction authorized by the OFAC general license the entry names"
	}
	return ""
}

// appliesTo says whether a rule applies to an item, and under which condition when that cannot be told from
// the ECCN alone.
func (r *Rule) appliesTo(it Item, ear99 bool) (bool, string) {
	switch {
	case r.FoodMedicine:
		if ear99 {
			return true, "if the item is food or medicine designated EAR99"
		}
		return false, ""
	case r.All, r.Other:
		return true, ""
	case r.CCL:
		return !ear99, ""
	case r.EAR99:
		if !ear99 {
			return false, ""
		}
		if r.Described != "" {
			return true, "if the item is an EAR99 item " + r.Described
		}
		return true, ""
	case len(r.ECCNs) > 0:
		for _, e := range r.ECCNs {
			switch eccnMatch(it.ECCN, e) {
			case "full":
				return true, ""
			case "partial":
				return true, "if the item falls under " + e
			}
		}
		return false, ""
	case r.Described != "":
		return true, "if the item is one of the " + strings.TrimPrefix(r.Described, "licenses for ")
	case r.Review == SeeRegulation:
		return true, ""
	}
	return false, ""
}
