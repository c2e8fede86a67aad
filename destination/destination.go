// Package destination holds the dated destination rules that decide whether a shipment may go to a country
// or region: comprehensive embargoes and sanctions (Cuba, Iran, North Korea, Syria as the law stood on the
// date, the Crimea, Donetsk and Luhansk regions of Ukraine) and the EAR country groups that matter (E:1, E:2,
// D:5). The rules are data (rules.csv, compiled in), each with its dates in force and its citation, so that
// a change in law is a data change. Rules whose dates or scope are not verified are marked Uncertain.
//
// Regions are found in address text by keywords (folded with normalize.Fold). The package is pure.
package destination

import (
	_ "embed"
	"encoding/csv"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/normalize"
)

// Kinds of rules.
const (
	// KindEmbargo is an EAR licence requirement for a whole destination (15 CFR Part 746).
	KindEmbargo = "embargo"
	// KindSanctions is a comprehensive OFAC sanctions program on a destination.
	KindSanctions = "sanctions"
	// KindRegion is an embargo or sanctions program on a region of a country, detected from address text.
	KindRegion = "region"
	// KindRedFlag is a destination that calls for review without a cited prohibition.
	KindRedFlag = "red_flag"
	// KindGroup is membership of an EAR country group (Supplement No. 1 to Part 740).
	KindGroup = "group"
)

// Rule is one dated destination rule.
type Rule struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Country is the ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
	// Region names a region of Country the rule covers ("crimea"); empty for the whole country.
	Region string `json:"region,omitempty"`
	// Group is the EAR country group of a KindGroup rule ("E:1", "E:2", "D:5").
	Group string `json:"group,omitempty"`
	// From and To are the first and last days in force, YYYY-MM-DD; empty is unbounded.
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
	Citation string `json:"citation"`
	Note     string `json:"note,omitempty"`
	// Uncertain marks a rule whose dates or scope are not verified against the Federal Register.
	Uncertain bool `json:"uncertain,omitempty"`
	// Items is which items a licence-requirement rule covers (Items* constants); empty for a rule that is
	// not about items (sanctions, groups, red flags).
	Items string `json:"items,omitempty"`
	// HTS are the HTS code prefixes of an ItemsHTS rule ("84": every code of chapter 84).
	HTS []string `json:"hts,omitempty"`
	// Exception names the licence exception that authorizes the items when the order shows its conditions
	// ("SPP": License Exception SPP, § 740.5).
	Exception string `json:"exception,omitempty"`
	// Keywords find a region in folded address text.
	Keywords []string `json:"-"`
}

// Scopes of a licence-requirement rule (the items column).
const (
	// ItemsAll is every item subject to the EAR.
	ItemsAll = "all"
	// ItemsAllButFoodMedicine is every item but food and medicine designated EAR99.
	ItemsAllButFoodMedicine = "all_but_food_medicine"
	// ItemsCCL is every item on the Commerce Control List (not EAR99).
	ItemsCCL = "ccl"
	// ItemsHTS is the EAR99 items whose HTS code starts with one of the rule's prefixes.
	ItemsHTS = "hts"
	// ItemsEAR99 is every EAR99 item.
	ItemsEAR99 = "ear99"
)

// Coverage says whether a rule covers an item.
type Coverage string

// Coverages.
const (
	Covered    Coverage = "covered"
	NotCovered Coverage = "not_covered"
	// MayCover: the order does not give what would tell (the HTS code; whether an EAR99 item is food or
	// medicine); the item is treated as covered until it is shown not to be.
	MayCover Coverage = "may_cover"
)

// Covers says whether the rule's licence requirement covers item, and why in words when it may.
func (r *Rule) Covers(it licence.Item) (Coverage, string) {
	ear99 := strings.EqualFold(it.ECCN, "EAR99")
	switch r.Items {
	case ItemsAll:
		return Covered, ""
	case ItemsAllButFoodMedicine:
		if ear99 {
			return MayCover, "unless it is food or medicine designated EAR99, which the order does not say"
		}
		return Covered, ""
	case ItemsCCL:
		if !ear99 {
			return Covered, ""
		}
	case ItemsEAR99:
		if ear99 {
			return Covered, ""
		}
	case ItemsHTS:
		if !ear99 {
			return NotCovered, ""
		}
		if it.HTS == "" {
			return MayCover, "the item has no HTS code, so HTS " + strings.Join(r.HTS, ", ") + " cannot be ruled out"
		}
		for _, p := range r.HTS {
			if strings.HasPrefix(it.HTS, p) {
				return Covered, ""
			}
		}
	}
	return NotCovered, ""
}

// InForce reports whether the rule was in force on date (YYYY-MM-DD).
func (r *Rule) InForce(date string) bool {
	return (r.From == "" || date >= r.From) && (r.To == "" || date <= r.To)
}

// Holds reports whether the rule by itself stops a shipment for review, whatever the items: sanctions and
// red flags. A rule on items (Items set) holds the items it covers, unless its licence exception applies;
// a country group is a note, because membership by itself requires no licence: the rules on items and the
// Commerce Country Chart answer for the items.
func (r *Rule) Holds() bool {
	return r.Items == "" && r.Kind != KindGroup
}

// Rules is a loaded set of destination rules.
type Rules struct {
	rules     []Rule
	byCountry map[string][]int
	// keywords maps a folded keyword to the region rules it finds.
	keywords map[string][]int
	maxWords int
}

//go:embed rules.csv
var rulesCSV string

// Default returns the compiled-in rules (rules.csv). It panics if they do not parse, which a test prevents.
func Default() *Rules {
	r, err := Parse(strings.NewReader(rulesCSV), "rules.csv")
	if err != nil {
		panic(err)
	}
	return r
}

var header = []string{"id", "kind", "country", "region", "group", "from", "to", "items", "hts", "exception", "citation", "note", "uncertain", "keywords"}

var itemScopes = map[string]bool{"": true, ItemsAll: true, ItemsAllButFoodMedicine: true, ItemsCCL: true, ItemsHTS: true, ItemsEAR99: true}

// Parse reads rules in the rules.csv layout. Errors are *tradescreen.ParseError naming the file, line and
// field.
func Parse(rd io.Reader, name string) (*Rules, error) {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = len(header)
	head, err := cr.Read()
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "header", Err: err}
	}
	for i, h := range header {
		if head[i] != h {
			return nil, &tradescreen.ParseError{File: name, Line: 1, Field: h, Msg: "column " + head[i] + " where " + h + " is expected"}
		}
	}
	out := &Rules{byCountry: map[string][]int{}, keywords: map[string][]int{}}
	ids := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, &tradescreen.ParseError{File: name, Line: line, Err: err}
		}
		bad := func(field, msg string) error {
			return &tradescreen.ParseError{File: name, Line: line, Field: field, Msg: msg}
		}
		if rec[0] == "" || ids[rec[0]] {
			return nil, bad("id", "empty or repeated id "+quote(rec[0]))
		}
		r := Rule{ID: rec[0], Kind: rec[1], Country: rec[2], Region: rec[3], Group: rec[4], From: rec[5], To: rec[6],
			Items: rec[7], Exception: rec[9], Citation: rec[10], Note: rec[11], Uncertain: rec[12] == "true"}
		if rec[8] != "" {
			r.HTS = strings.Split(rec[8], ";")
		}
		if err := checkRule(&r, rec, bad); err != nil {
			return nil, err
		}
		ids[r.ID] = true
		i := len(out.rules)
		for _, k := range strings.Split(rec[13], ";") {
			if k = normalize.Fold(k); k != "" {
				r.Keywords = append(r.Keywords, k)
				out.keywords[k] = append(out.keywords[k], i)
				if n := len(strings.Fields(k)); n > out.maxWords {
					out.maxWords = n
				}
			}
		}
		out.rules = append(out.rules, r)
		if r.Region == "" {
			out.byCountry[r.Country] = append(out.byCountry[r.Country], i)
		}
	}
	return out, nil
}

// checkRule checks one parsed row; rec is the row as read.
func checkRule(r *Rule, rec []string, bad func(field, msg string) error) error {
	switch {
	case r.Kind != KindEmbargo && r.Kind != KindSanctions && r.Kind != KindRegion && r.Kind != KindRedFlag && r.Kind != KindGroup:
		return bad("kind", "unknown kind "+quote(r.Kind))
	case len(r.Country) != 2 || strings.ToUpper(r.Country) != r.Country:
		return bad("country", "not an ISO 3166-1 alpha-2 code: "+quote(r.Country))
	case r.Kind == KindGroup && r.Group == "":
		return bad("group", "a group rule needs a group")
	case !isDate(r.From):
		return bad("from", "not YYYY-MM-DD: "+quote(r.From))
	case !isDate(r.To):
		return bad("to", "not YYYY-MM-DD: "+quote(r.To))
	case r.From != "" && r.To != "" && r.To < r.From:
		return bad("to", "before from")
	case !itemScopes[r.Items]:
		return bad("items", "unknown scope "+quote(r.Items))
	case (r.Items == ItemsHTS) != (len(r.HTS) > 0):
		return bad("hts", "an hts rule needs HTS prefixes, and only an hts rule has them")
	case r.Exception != "" && r.Items == "":
		return bad("exception", "only a rule on items names a licence exception")
	case r.Citation == "":
		return bad("citation", "every rule needs a citation")
	case rec[12] != "true" && rec[12] != "false":
		return bad("uncertain", "want true or false")
	case (r.Region != "") != (rec[13] != ""):
		return bad("keywords", "a region rule needs keywords, and only a region rule has them")
	}
	for _, p := range r.HTS {
		if p == "" || len(p) > 10 || strings.Trim(p, "0123456789") != "" {
			return bad("hts", "not an HTS prefix of digits: "+quote(p))
		}
	}
	return nil
}

func quote(s string) string { return "\"" + s + "\"" }

func isDate(s string) bool {
	if s == "" {
		return true
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// All returns every rule.
func (rs *Rules) All() []Rule { return rs.rules }

// Country returns the whole-country rules in force for country on date.
func (rs *Rules) Country(country, date string) []Rule {
	var out []Rule
	for _, i := range rs.byCountry[strings.ToUpper(country)] {
		if rs.rules[i].InForce(date) {
			out = append(out, rs.rules[i])
		}
	}
	return out
}

// Groups returns the EAR country groups of country on date ("D:5", "E:1").
func (rs *Rules) Groups(country, date string) []string {
	var out []string
	for _, r := range rs.Country(country, date) {
		if r.Kind == KindGroup {
			out = append(out, r.Group)
		}
	}
	sort.Strings(out)
	return out
}

// RegionMatch is a region rule found in address text.
type RegionMatch struct {
	Rule Rule `json:"rule"`
	// Keyword is the folded word or words of the text that named the region.
	Keyword string `json:"keyword"`
}

// Regions returns the region rules in force on date whose keywords appear in text. country is the address's
// ISO code when known: regions are only looked for when it is empty or the region's own country or Russia
// (which claims these regions), so "Sebastopol, California" is not read as Crimea.
func (rs *Rules) Regions(text, country, date string) []RegionMatch {
	country = strings.ToUpper(country)
	words := strings.Fields(normalize.Fold(text))
	seen := map[string]bool{}
	var out []RegionMatch
	for i := range words {
		for n := 1; n <= rs.maxWords && i+n <= len(words); n++ {
			k := strings.Join(words[i:i+n], " ")
			for _, ri := range rs.keywords[k] {
				r := rs.rules[ri]
				if seen[r.ID] || !r.InForce(date) {
					continue
				}
				if country != "" && country != r.Country && country != "RU" {
					continue
				}
				seen[r.ID] = true
				out = append(out, RegionMatch{Rule: r, Keyword: k})
			}
		}
	}
	return out
}
