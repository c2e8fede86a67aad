// Package licence reads the licence requirement and licence review policy that each Entity List entry
// states (Supplement No. 4 to Part 744 of the EAR, carried by the CSL's license_requirement and
// license_policy columns) into structured fields, and answers, for the items of an order, whether a licence
// is required and how an application would be reviewed.
//
// Parsing is strict: every fragment of a text must be recognised, and the words left over are reported in a
// *tradescreen.ParseError, so that a new wording in a list is noticed rather than half-read. The package is
// pure: no I/O.
package licence

import (
	"regexp"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// Scope says which items a licence requirement covers.
type Scope string

// Scopes of a licence requirement.
const (
	// ScopeAll is "all items subject to the EAR".
	ScopeAll Scope = "all_items_subject_to_the_ear"
	// ScopeCCL is the items on the Commerce Control List, i.e. everything but EAR99.
	ScopeCCL Scope = "items_on_the_ccl"
	// ScopeECCNs is a list of named ECCNs.
	ScopeECCNs Scope = "named_eccns"
	// ScopeNone is an entry that states no licence requirement.
	ScopeNone Scope = "not_stated"
)

// Review is how a licence application is reviewed.
type Review string

// Review policies.
const (
	PresumptionOfDenial   Review = "presumption_of_denial"
	PolicyOfDenial        Review = "policy_of_denial"
	CaseByCase            Review = "case_by_case"
	PresumptionOfApproval Review = "presumption_of_approval"
	// SeeRegulation is a policy that refers to sections of the EAR ("See §744.2(d) of the EAR") instead of
	// naming a policy; Rule.Sections names them.
	SeeRegulation Review = "see_regulation"
	// ReviewUnknown is the answer when no rule of the policy applies to an item.
	ReviewUnknown Review = "unknown"
)

// Phrase returns the review as words: "presumption of denial".
func (r Review) Phrase() string {
	switch r {
	case CaseByCase:
		return "case-by-case review"
	case SeeRegulation:
		return "review policy set by the EAR sections cited"
	case ReviewUnknown, "":
		return "review policy not stated for this item"
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

// Exception is one "except for" (or "apart from") clause of a licence requirement: items the requirement
// does not cover.
type Exception struct {
	// Kind names the shape: ear99_food_medicine, eccns, standards_technology, uav_technology, hs_codes,
	// joint_ventures, ofac_general_license.
	Kind string `json:"kind"`
	// ECCNs are the ECCNs excepted (Kind eccns).
	ECCNs []string `json:"eccns,omitempty"`
	// HSCodes are the Harmonized System codes excepted (Kind hs_codes).
	HSCodes []string `json:"hs_codes,omitempty"`
	// Unless is the condition under which the exception does not apply ("for Russian government end users").
	Unless string `json:"unless,omitempty"`
	// Text is the clause as published (normalised spaces).
	Text string `json:"text"`
}

// Footnote is a foreign direct product (FDP) rule footnote of an Entity List entry: for such an entry
// "items subject to the EAR" include foreign-produced items under the cited section.
type Footnote struct {
	Number  int    `json:"number"`
	Section string `json:"section"`
	// Meaning says what the footnote does, from Supplement No. 4 to Part 744.
	Meaning string `json:"meaning"`
}

// footnoteMeaning describes the footnotes found in the lists.
var footnoteMeaning = map[int]string{
	1: "items subject to the EAR include foreign-produced items subject to the EAR under the entity-based foreign direct product rule of § 736.2(b)(3)(vi) (now § 734.9(e)(1)), Entity List footnote 1",
	3: "items subject to the EAR include foreign-produced items subject to the EAR under the Russia/Belarus military end user foreign direct product rule of § 734.9(g), Entity List footnote 3",
	4: "items subject to the EAR include foreign-produced items subject to the EAR under the entity-based foreign direct product rule of § 734.9(e)(2), Entity List footnote 4",
}

// Rule is one clause of a review policy: a review that applies to some items.
type Rule struct {
	Review Review `json:"review"`
	// Applies to: All (all items subject to the EAR), Other (all other items), CCL (items on the CCL),
	// EAR99, ECCNs, or items matching Described (a purpose or description that cannot be read from an ECCN).
	All   bool     `json:"all,omitempty"`
	Other bool     `json:"other,omitempty"`
	CCL   bool     `json:"ccl,omitempty"`
	EAR99 bool     `json:"ear99,omitempty"`
	ECCNs []string `json:"eccns,omitempty"`
	// Described qualifies the items ("items necessary to detect, identify and treat infectious disease", or
	// with EAR99 "described in the Note to ECCN 1A995"): the rule applies only to items that fit it.
	Described string `json:"described,omitempty"`
	// ExceptFoodMedicine: the rule does not apply to food and medicine designated EAR99.
	ExceptFoodMedicine bool `json:"except_food_medicine,omitempty"`
	// FoodMedicine: the rule applies to food and medicine designated EAR99 only.
	FoodMedicine bool `json:"food_medicine,omitempty"`
	// Sections are the EAR sections a SeeRegulation rule refers to.
	Sections []string `json:"sections,omitempty"`
	Text     string   `json:"text"`
}

// Licence is the structured reading of an entry's licence requirement and review policy.
type Licence struct {
	Scope Scope `json:"scope"`
	// ECCNs are the ECCNs of a ScopeECCNs requirement.
	ECCNs []string `json:"eccns,omitempty"`
	// Condition limits the requirement to a use ("when used in projects specified in § 746.5 of the EAR").
	Condition string `json:"condition,omitempty"`
	// Supplement746, with ScopeCCL, extends the requirement to the EAR99 items listed (by HTS code) in that
	// supplement to Part 746 ("4"; "?" when the text omits its number).
	Supplement746 string      `json:"supplement_746,omitempty"`
	Exceptions    []Exception `json:"exceptions,omitempty"`
	// Sections are the EAR sections the requirement cites ("744.11", "734.9(g)").
	Sections  []string   `json:"sections,omitempty"`
	Footnotes []Footnote `json:"footnotes,omitempty"`
	// LicenceExceptions are the licence exceptions the entry says may overcome the requirement ("GOV").
	LicenceExceptions []string `json:"licence_exceptions,omitempty"`
	// Notes are other statements of the text (what a country name covers ...).
	Notes  []string `json:"notes,omitempty"`
	Policy []Rule   `json:"policy,omitempty"`
	// PolicySections are EAR sections the policy cites beside its rules ("746.8(b)", "744.21(e)").
	PolicySections []string `json:"policy_sections,omitempty"`
	// PolicyNotStated is true when the list version does not state the review policy (PolicyNotStated's
	// text): the requirement stands, and the policy is to be read in the entry's Federal Register notice.
	PolicyNotStated bool `json:"policy_not_stated,omitempty"`
	// Requirement and PolicyText are the texts as published.
	Requirement string `json:"requirement"`
	PolicyText  string `json:"policy_text"`
}

// Parse reads an entry's licence requirement and review policy. An empty requirement gives ScopeNone. Any
// fragment of either text that is not understood is reported as a *tradescreen.ParseError whose Field is
// license_requirement or license_policy and whose message quotes the words left over and the text.
func Parse(requirement, policy string) (*Licence, error) {
	l := &Licence{Requirement: requirement, PolicyText: policy}
	if err := l.parseRequirement(requirement); err != nil {
		return nil, err
	}
	if err := l.parsePolicy(policy); err != nil {
		return nil, err
	}
	return l, nil
}

// ParseEntry parses the licence fields of an entry. The error names the entry.
func ParseEntry(e *tradescreen.Entry) (*Licence, error) {
	l, err := Parse(e.LicenseRequirement, e.LicensePolicy)
	if err != nil {
		if pe, ok := err.(*tradescreen.ParseError); ok {
			pe.File = e.Key()
		}
		return nil, err
	}
	return l, nil
}

// clean lower-cases a text, straightens quotes, collapses spaces and repairs the typing errors found in the
// lists ("semiconducto rs", "casa-by-case", "subjects to", "in§").
func clean(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("“", "\"", "”", "\"", "’", "'", "‘", "'", "\u00a0", " ",
		"semiconducto rs", "semiconductors", "casa-by-case", "case-by-case", "case by case", "case-by-case",
		"subjects to the ear", "subject to the ear", "in§", "in §", "part§", "§",
		// slips of the 2026-07-09 extraction: "744.2l(b)" for 744.21(b), "(Se §§" for "(See §§".
		"744.2l(", "744.21(", "(se §", "(see §").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

var (
	eccnRe   = `[0-9][a-e][0-9]{3}(?:\.[a-z0-9]+)*`
	eccnOne  = regexp.MustCompile(eccnRe)
	eccnList = `eccns? ` + eccnRe + `(?:,? (?:and |or )?` + eccnRe + `)*`
	// A footnote mark follows a section with or without a comma ("734.9(g),3" and "734.9(g)3").
	section   = `[0-9]{3}\.[0-9]+(?: ?\([a-z0-9]+\))*(?:,?[0-9](?:\b|$))?`
	sectionRe = regexp.MustCompile(`([0-9]{3}\.[0-9]+(?: ?\([a-z0-9]+\))*)(?:,?([0-9])(?:\b|$))?`)
	// sections: "§§ 734.9(g),3 746.8(a)(3), and 744.21(b)"
	sectionList = `§§? ?` + section + `(?:,? (?:and )?` + section + `)*`
)

// pattern is a fragment of a text that is understood; apply records what it says.
type pattern struct {
	re    *regexp.Regexp
	apply func(l *Licence, m []string)
}

var requirementPatterns = []pattern{
	{regexp.MustCompile(`^(?:for )?all items subject to the ear`), func(l *Licence, m []string) { l.Scope = ScopeAll }},
	{regexp.MustCompile(`^(?:for )?(?:all )?items (?:listed )?on the (?:ccl|commerce control list)`), func(l *Licence, m []string) { l.Scope = ScopeCCL }},
	{regexp.MustCompile(`^(?:for )?(?:all )?items (?:classified (?:under|as) )?(` + eccnList + `)`), func(l *Licence, m []string) {
		l.Scope = ScopeECCNs
		l.ECCNs = eccns(m[1])
	}},
	{regexp.MustCompile(`when used in projects specified in ?§ ?746\.5 of the ear`), func(l *Licence, m []string) {
		l.Condition = "when used in projects specified in § 746.5 of the EAR (Russian industry sector sanctions)"
	}},
	// § 746.5 was consolidated into § 746.8 by 89 FR 51644 (2024): the same oil and gas projects.
	{regexp.MustCompile(`when used in projects specified in ?§ ?746\.8\(a\)\(4\)(?: of the ear)?`), func(l *Licence, m []string) {
		l.Condition = "when used in projects specified in § 746.8(a)(4) of the EAR (Russian deepwater, Arctic offshore or shale oil and gas projects, formerly § 746.5)"
	}},
	{regexp.MustCompile(`(?:and )?(?:(?:ear99 |ear )?items )?listed in supplement no\.? ?([0-9]*) to part 746(?: of the ear)?`), func(l *Licence, m []string) {
		l.Supplement746 = m[1]
		if m[1] == "" {
			l.Supplement746 = "?"
		}
	}},
	{regexp.MustCompile(`except for food or medicine designated as ear99`), func(l *Licence, m []string) {
		l.Exceptions = append(l.Exceptions, Exception{Kind: "ear99_food_medicine", Text: m[0]})
	}},
	{regexp.MustCompile(`or (` + eccnList + `) unless (for [a-z]+ "government end users" and [a-z]+ state-owned enterprises \(soes\) to [a-z]+)`), func(l *Licence, m []string) {
		l.Exceptions = append(l.Exceptions, Exception{Kind: "eccns", ECCNs: eccns(m[1]), Unless: m[2], Text: m[0]})
	}},
	{regexp.MustCompile(`except for ear99-designated technology for the operation, maintenance, or repair of unmanned aerial vehicles \(uav\) released to this entity by the operator of the uav`), func(l *Licence, m []string) {
		l.Exceptions = append(l.Exceptions, Exception{Kind: "uav_technology", Text: m[0]})
	}},
	{regexp.MustCompile(`except for technology subject to the ear that is designated as ear99, or controlled on the commerce control list for anti-terrorism reasons only, when released to members of a "standards organization" \(see ?§ ?772\.1\) for the purpose of contributing to the revision or development of a "standard" \(see ?§ ?772\.1\)`), func(l *Licence, m []string) {
		l.Exceptions = append(l.Exceptions, Exception{Kind: "standards_technology", Text: m[0]})
	}},
	{regexp.MustCompile(`except for: ?-(crude oil, .*? under the following harmonized system \(hs\) codes: [0-9 ,]+); or -(required for the continued operation of joint ventures with persons from countries in country group a:1 in supplement no\. 1 to part 740 of the ear not operating in the south china sea)`), func(l *Licence, m []string) {
		l.Exceptions = append(l.Exceptions,
			Exception{Kind: "hs_codes", HSCodes: regexp.MustCompile(`[0-9]{4,10}`).FindAllString(m[1], -1), Text: m[1]},
			Exception{Kind: "joint_ventures", Text: m[2]})
	}},
	{regexp.MustCompile(`apart from items that are related to transactions that are authorized by the department of the treasury's office of foreign assets control pursuant to general license no\. [0-9a-z]+ of [a-z]+ [0-9]{1,2}, [0-9]{4}`), func(l *Licence, m []string) {
		l.Exceptions = append(l.Exceptions, Exception{Kind: "ofac_general_license", Text: m[0]})
	}},
	{regexp.MustCompile(`russia does not include the "crimea region of ukraine," as that term is defined in section 8\(d\) of e\.o\. 13685`), func(l *Licence, m []string) {
		l.Notes = append(l.Notes, m[0])
	}},
	{regexp.MustCompile(`with case-by-case basis for items listed on the ccl`), func(l *Licence, m []string) {
		l.Policy = append(l.Policy, Rule{Review: CaseByCase, CCL: true, Text: m[0]})
	}},
	{regexp.MustCompile(`this license requirement may be overcome by license exception ([a-z]+) under ?§ ?740\.11\(b\)(?:\(2\) and \(e\))?(?:\. \(e\))?(?: when used by (?:the )?([a-z][a-z .]*?)\.?$)?`), func(l *Licence, m []string) {
		l.LicenceExceptions = append(l.LicenceExceptions, strings.ToUpper(m[1]))
		if m[2] != "" {
			l.Notes = append(l.Notes, "license exception "+strings.ToUpper(m[1])+" only when used by the "+strings.TrimSpace(m[2]))
		}
	}},
	{regexp.MustCompile(`(?:see )?(` + sectionList + `)(?: of the ear)?`), func(l *Licence, m []string) {
		l.Sections, l.Footnotes = appendSections(l.Sections, l.Footnotes, m[1])
	}},
	// "(See 744.11 of the EAR)": a section cited without its sign.
	{regexp.MustCompile(`see (` + section + `(?:,? (?:and )?` + section + `)*)(?: of the ear)?`), func(l *Licence, m []string) {
		l.Sections, l.Footnotes = appendSections(l.Sections, l.Footnotes, m[1])
	}},
}

// filler is what may be left over once every fragment is understood.
var filler = regexp.MustCompile(`\b(?:and|or|the|of|ear|see|this part)\b|[^a-z0-9]+`)

// consume applies the patterns to s in order, removing what each matches; it returns what is left once
// fillers are removed.
func consume(l *Licence, s string, patterns []pattern) string {
	for _, p := range patterns {
		for {
			loc := p.re.FindStringSubmatchIndex(s)
			if loc == nil {
				break
			}
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = s[loc[2*i]:loc[2*i+1]]
				}
			}
			p.apply(l, m)
			s = s[:loc[0]] + " | " + s[loc[1]:]
			if p.re.String()[0] == '^' {
				break
			}
		}
	}
	return strings.TrimSpace(filler.ReplaceAllString(s, " "))
}

func (l *Licence) parseRequirement(text string) error {
	s := clean(text)
	if s == "" {
		l.Scope = ScopeNone
		return nil
	}
	// A footnote mark after the closing parenthesis ("(See §§ 734.9(e)(2) and 744.11 of the EAR)4") marks the
	// first foreign direct product section cited.
	mark := 0
	if m := trailingMark.FindStringSubmatch(s); m != nil {
		mark, s = int(m[1][0]-'0'), s[:len(s)-len(m[0])+1]
	}
	rest := consume(l, s, requirementPatterns)
	if mark > 0 {
		l.markFootnote(mark)
	}
	if l.Scope == "" {
		return &tradescreen.ParseError{Field: "license_requirement", Msg: "no scope (all items subject to the EAR, items on the CCL or named ECCNs) in " + quote(text)}
	}
	if rest != "" {
		return &tradescreen.ParseError{Field: "license_requirement", Msg: "not understood: " + quote(rest) + " in " + quote(text)}
	}
	return nil
}

var trailingMark = regexp.MustCompile(`\)([1-9])\.?$`)

// markFootnote records footnote n on the first foreign direct product section (734.9, 736.2) the text
// cites, unless it is recorded already.
func (l *Licence) markFootnote(n int) {
	if hasFootnote(l.Footnotes, n) {
		return
	}
	for _, sec := range l.Sections {
		if strings.HasPrefix(sec, "734.9") || strings.HasPrefix(sec, "736.2") {
			meaning := footnoteMeaning[n]
			if meaning == "" {
				meaning = "items subject to the EAR include foreign-produced items subject to the EAR under § " + sec
			}
			l.Footnotes = append(l.Footnotes, Footnote{Number: n, Section: sec, Meaning: meaning})
			return
		}
	}
}

func quote(s string) string { return "\"" + s + "\"" }

// eccns returns the upper-cased ECCNs of a list ("eccns 1a004.c, 1a004.d and 2e983").
func eccns(s string) []string {
	var out []string
	for _, e := range eccnOne.FindAllString(s, -1) {
		out = append(out, canonECCN(e))
	}
	return out
}

// canonECCN writes an ECCN as the CCL does: 5A992.c (the five characters upper case, paragraphs lower).
func canonECCN(e string) string {
	e = strings.TrimSpace(e)
	if len(e) < 5 {
		return strings.ToUpper(e)
	}
	return strings.ToUpper(e[:5]) + strings.ToLower(e[5:])
}

func appendSections(secs []string, fns []Footnote, s string) ([]string, []Footnote) {
	for _, m := range sectionRe.FindAllStringSubmatch(s, -1) {
		sec := strings.ReplaceAll(m[1], " ", "")
		secs = appendUnique(secs, sec)
		n := 0
		switch {
		case m[2] != "":
			n = int(m[2][0] - '0')
		case sec == "736.2(b)(3)(vi)":
			n = 1 // the Huawei entries cite the FDP rule without the footnote mark
		}
		if n > 0 && !hasFootnote(fns, n) {
			meaning := footnoteMeaning[n]
			if meaning == "" {
				meaning = "items subject to the EAR include foreign-produced items subject to the EAR under § " + sec
			}
			fns = append(fns, Footnote{Number: n, Section: sec, Meaning: meaning})
		}
	}
	return secs, fns
}

func hasFootnote(fns []Footnote, n int) bool {
	for _, f := range fns {
		if f.Number == n {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

var (
	reviewRe = regexp.MustCompile(`^(presumption of denial|policy of denial|case-by-case|presumption of approval)(?: review| basis)?(?: for (.+))?$`)
	seeRe    = regexp.MustCompile(`^see (` + sectionList + `)(?: of (?:the ear|this part))?$`)
	// "all items subject to the ear apart from food and medicine designated as ear99, which will be reviewed
	// on a case-by-case basis"
	apartFoodRe = regexp.MustCompile(`^all items subject to the ear apart from food and medicine designated as ear99, which will be reviewed on a case-by-case basis$`)
)

// described are the item descriptions the policies use, which an ECCN alone does not decide.
var described = []string{
	"items necessary to detect, identify and treat infectious disease",
	"items uniquely required for production of semiconductors at advanced technology nodes (10 nanometers and below, including extreme ultraviolet technology)",
	"licenses for the safety of civil aviation of aircraft",
	"u.s. government supported space programs",
}

// NotStated is the review policy of an Entity List entry whose list version does not state it (the embedded
// snapshot's entries taken from the text of the law, where no earlier list gave the same entry's policy).
const NotStated = "not stated in this snapshot"

func (l *Licence) parsePolicy(text string) error {
	s := clean(text)
	if s == "" {
		return nil
	}
	if s == NotStated {
		l.PolicyNotStated = true
		return nil
	}
	s = strings.TrimSuffix(s, ".")
	s = strings.ReplaceAll(s, "u.s. ", "u.s.\x00") // "U.S. Government" does not end a sentence
	// Clauses end at ";" or at ". " (a sentence); "§ 746.8(b)" keeps its dots.
	var clauses []string
	for _, part := range strings.Split(s, ";") {
		for _, c := range strings.Split(part, ". ") {
			c = strings.ReplaceAll(c, "\x00", " ")
			if c = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c), ".")); c != "" {
				clauses = append(clauses, c)
			}
		}
	}
	for _, c := range clauses {
		rules, secs, ok := parseClause(c)
		if !ok {
			return &tradescreen.ParseError{Field: "license_policy", Msg: "not understood: " + quote(c) + " in " + quote(text)}
		}
		l.Policy = append(l.Policy, rules...)
		for _, sec := range secs {
			l.PolicySections = appendUnique(l.PolicySections, sec)
		}
	}
	return nil
}

// parseClause reads one clause of a policy into rules, or into sections the policy cites.
func parseClause(c string) ([]Rule, []string, bool) {
	c = strings.TrimPrefix(c, "and ")
	if m := seeRe.FindStringSubmatch(c); m != nil {
		secs, _ := appendSections(nil, nil, m[1])
		return nil, secs, true
	}
	m := reviewRe.FindStringSubmatch(c)
	if m == nil {
		return nil, nil, false
	}
	review := map[string]Review{"presumption of denial": PresumptionOfDenial, "policy of denial": PolicyOfDenial,
		"case-by-case": CaseByCase, "presumption of approval": PresumptionOfApproval}[m[1]]
	target := m[2]
	if target == "" {
		return []Rule{{Review: review, All: true, Text: c}}, nil, true
	}
	if apartFoodRe.MatchString(target) {
		return []Rule{
			{Review: review, All: true, ExceptFoodMedicine: true, Text: c},
			{Review: CaseByCase, EAR99: true, FoodMedicine: true, Text: c},
		}, nil, true
	}
	var rules []Rule
	// "ECCNs 1A004.c ... and 2E983, and for EAR99 items described in the Note to ECCN 1A995"
	for _, t := range strings.Split(target, ", and for ") {
		r, ok := parseTarget(strings.TrimSpace(t))
		if !ok {
			return nil, nil, false
		}
		r.Review, r.Text = review, c
		rules = append(rules, r)
	}
	return rules, nil, true
}

var (
	eccnTargetRe  = regexp.MustCompile(`^(` + eccnList + `)$`)
	ear99NoteRe   = regexp.MustCompile(`^ear99 items (described in the note to eccn ` + eccnRe + `)$`)
	ear99TargetRe = regexp.MustCompile(`^(?:all )?ear99(?: items)?$`)
	cclTargetRe   = regexp.MustCompile(`^(?:all )?items (?:listed )?on the ccl$`)
)

func parseTarget(t string) (Rule, bool) {
	switch {
	case t == "all items subject to the ear" || t == "all items":
		return Rule{All: true}, true
	case t == "all other items subject to the ear" || t == "all other items":
		return Rule{Other: true}, true
	case cclTargetRe.MatchString(t):
		return Rule{CCL: true}, true
	case ear99TargetRe.MatchString(t):
		return Rule{EAR99: true}, true
	}
	if m := ear99NoteRe.FindStringSubmatch(t); m != nil {
		e := eccnOne.FindString(m[1])
		return Rule{EAR99: true, Described: "described in the Note to ECCN " + canonECCN(e)}, true
	}
	if eccnTargetRe.MatchString(t) {
		return Rule{ECCNs: eccns(t)}, true
	}
	for _, d := range described {
		if t == d {
			return Rule{Described: d}, true
		}
	}
	return Rule{}, false
}

// Summary renders the licence in a line: "licence required for all items subject to the EAR; presumption of
// denial".
func (l *Licence) Summary() string {
	parts := []string{l.scopePhrase()}
	var reviews []string
	for _, r := range l.Policy {
		reviews = append(reviews, r.Phrase())
	}
	if len(reviews) > 0 {
		parts = append(parts, strings.Join(reviews, "; "))
	}
	if l.PolicyNotStated {
		parts = append(parts, "review policy not stated in this list version: read the entry's Federal Register notice")
	}
	return strings.Join(parts, "; ")
}

func (l *Licence) scopePhrase() string {
	s := ""
	switch l.Scope {
	case ScopeAll:
		s = "licence required for all items subject to the EAR"
	case ScopeCCL:
		s = "licence required for items on the CCL"
		if l.Supplement746 != "" {
			s += " and for the EAR99 items listed in " + l.supplementName()
		}
	case ScopeECCNs:
		s = "licence required for " + strings.Join(l.ECCNs, ", ")
	default:
		return "licence requirement not stated by the list"
	}
	if l.Condition != "" {
		s += " " + l.Condition
	}
	if len(l.Exceptions) > 0 {
		var k []string
		for _, e := range l.Exceptions {
			k = append(k, exceptionPhrase(e))
		}
		s += " except " + strings.Join(k, "; ")
	}
	return s
}

// supplementName names the supplement to Part 746 of a Supplement746 requirement.
func (l *Licence) supplementName() string {
	if l.Supplement746 == "?" {
		return "a supplement to Part 746 whose number the list's text omits (Supplements No. 2 to 7 name EAR99 items by HTS code)"
	}
	return "Supplement No. " + l.Supplement746 + " to Part 746"
}

// Phrase renders a rule: "case-by-case review for ECCNs 1A004.c, 1A004.d".
func (r Rule) Phrase() string {
	p := r.Review.Phrase()
	switch {
	case r.Review == SeeRegulation:
		return "see § " + strings.Join(r.Sections, ", ")
	case r.FoodMedicine:
		return p + " for food and medicine designated EAR99"
	case r.All && r.ExceptFoodMedicine:
		return p + " for all items but food and medicine designated EAR99"
	case r.All:
		return p
	case r.Other:
		return p + " for all other items"
	case r.CCL:
		return p + " for items on the CCL"
	case len(r.ECCNs) > 0:
		return p + " for ECCNs " + strings.Join(r.ECCNs, ", ")
	case r.EAR99 && r.Described != "":
		return p + " for EAR99 items " + r.Described
	case r.EAR99:
		return p + " for EAR99 items"
	case r.Described != "":
		return p + " for " + r.Described
	}
	return p
}

func exceptionPhrase(e Exception) string {
	switch e.Kind {
	case "ear99_food_medicine":
		return "food or medicine designated EAR99"
	case "eccns":
		s := "ECCNs " + strings.Join(e.ECCNs, ", ")
		if e.Unless != "" {
			s += " (unless " + e.Unless + ")"
		}
		return s
	case "standards_technology":
		return "EAR99 or anti-terrorism-only technology released to standards organizations"
	case "uav_technology":
		return "EAR99 technology for operating or repairing UAVs released by their operator"
	case "hs_codes":
		return "petroleum and gas products under the listed HS codes"
	case "joint_ventures":
		return "items for joint ventures with Country Group A:1 persons outside the South China Sea"
	case "ofac_general_license":
		return "items for transactions authorized by an OFAC general license"
	}
	return e.Text
}
