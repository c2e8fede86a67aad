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
	// Keywords find a region in folded address text.
	Keywords []string `json:"-"`
}

// InForce reports whether the rule was in force on date (YYYY-MM-DD).
func (r *Rule) InForce(date string) bool {
	return (r.From == "" || date >= r.From) && (r.To == "" || date <= r.To)
}

// Holds reports whether the rule by itself stops a shipment for review: every kind but the D:5 group.
func (r *Rule) Holds() bool {
	return r.Kind != KindGroup || r.Group == "E:1" || r.Group == "E:2"
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

var header = []string{"id", "kind", "country", "region", "group", "from", "to", "citation", "note", "uncertain", "keywords"}

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
		r := Rule{ID: rec[0], Kind: rec[1], Country: rec[2], Region: rec[3], Group: rec[4], From: rec[5], To: rec[6],
			Citation: rec[7], Note: rec[8], Uncertain: rec[9] == "true"}
		switch {
		case r.ID == "" || ids[r.ID]:
			return nil, bad("id", "empty or repeated id "+quote(r.ID))
		case r.Kind != KindEmbargo && r.Kind != KindSanctions && r.Kind != KindRegion && r.Kind != KindRedFlag && r.Kind != KindGroup:
			return nil, bad("kind", "unknown kind "+quote(r.Kind))
		case len(r.Country) != 2 || strings.ToUpper(r.Country) != r.Country:
			return nil, bad("country", "not an ISO 3166-1 alpha-2 code: "+quote(r.Country))
		case r.Kind == KindGroup && r.Group == "":
			return nil, bad("group", "a group rule needs a group")
		case !isDate(r.From):
			return nil, bad("from", "not YYYY-MM-DD: "+quote(r.From))
		case !isDate(r.To):
			return nil, bad("to", "not YYYY-MM-DD: "+quote(r.To))
		case r.From != "" && r.To != "" && r.To < r.From:
			return nil, bad("to", "before from")
		case r.Citation == "":
			return nil, bad("citation", "every rule needs a citation")
		case rec[9] != "true" && rec[9] != "false":
			return nil, bad("uncertain", "want true or false")
		case (r.Region != "") != (rec[10] != ""):
			return nil, bad("keywords", "a region rule needs keywords, and only a region rule has them")
		}
		ids[r.ID] = true
		i := len(out.rules)
		for _, k := range strings.Split(rec[10], ";") {
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
