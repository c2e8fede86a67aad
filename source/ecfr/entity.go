package ecfr

import (
	"regexp"
	"strings"
	"unicode"
)

// entity is what the Entity cell says: the name, its aliases, the addresses and a note ("See alternate
// addresses under Pakistan").
type entity struct {
	name      string
	aliases   []string
	addresses []string
	note      string
}

var (
	// akaRe finds the alias clause: ", a.k.a., the following 2 aliases:", ", a.k.a.", ", a.k.a. the following alias:".
	akaRe = regexp.MustCompile(`(?i),?\s*\ba\.\s?k\.\s?a\.?,?\s*(?:the\s+following\s+(?:[\w-]+\s+)?alias(?:es)?\s*:?)?\s*`)
	// noteRe finds the cross-reference the list appends: "(See alternate addresses under Pakistan)."
	noteRe = regexp.MustCompile(`(?i)\s*\((see [^()]*)\)\.?\s*$`)
	// houseRe finds an address that starts with a number right after the name: "Dahua Technology 807, Block A".
	houseRe = regexp.MustCompile(`\s\d[\w/-]*,`)
	// dashRe finds the dash that opens an alias: at the start or after "; " or "; and " (a dash inside a name,
	// "AGAT—Control Systems", is not one).
	dashRe = regexp.MustCompile(`(?:^|;\s*(?:and\s+)?)—`)
)

// legal holds the legal-form words that continue a name after a comma or a period ("Co., Ltd.").
var legal = map[string]bool{}

// dotted holds the legal forms written as abbreviations, whose period belongs to the name ("Ltd.").
var dotted = map[string]bool{}

// abbrev holds the abbreviations whose period does not end a name ("No. 3", "St. Petersburg").
var abbrev = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`ltd limited llc inc co corp corporation company sa gmbh jsc ojsc cjsc pjsc
		llp plc pvt private fze fzco fzc fz-llc bv ag srl sarl ltda dmcc sdn bhd pte pty lp kg oao ooo zao ao spa as
		ab oy nv sas jv lda s.a s.a.l s.l sl sal l.l.c l.t.d w.l.l wll fzllc est establishment`) {
		legal[w] = true
	}
	for _, w := range strings.Fields(`ltd inc co corp bhd pte pty pvt est s.a s.a.l s.l l.l.c l.t.d w.l.l`) {
		dotted[w] = true
	}
	for _, w := range strings.Fields(`no nos st mr mrs dr jr sr ave blvd rd bldg apt ste p.o po mt ft gen col maj
		lt capt prof univ dept int'l intl e.g i.e vs ul pr`) {
		abbrev[w] = true
	}
}

// parseEntity splits an Entity cell. The law separates the parts by punctuation only: "NAME, a.k.a., the
// following N aliases: —A; and —B. ADDRESS; and ADDRESS." or "NAME, ADDRESS." The name ends at the first comma
// or period that a legal form does not continue; the last alias at the first period that is not an
// abbreviation's; addresses are separated by semicolons, or by "and" after the country's name.
func parseEntity(s, country string) entity {
	var e entity
	s = strings.Join(strings.Fields(s), " ")
	if m := noteRe.FindStringSubmatchIndex(s); m != nil {
		e.note = s[m[2]:m[3]]
		s = strings.TrimSpace(s[:m[0]])
	}
	if m := addressEntryRe.FindStringSubmatch(s); m != nil {
		// An address listed as an entity of its own ("Address 01, Unit D, 16/F One Capital Place, 18 Luard Rd,
		// Wan Chai, Hong Kong."; 89 FR 51652): its name is the whole cell, and the address is its alias as
		// well as its address, so that a party's address screened as a name finds it.
		e.name = cleanName(s)
		e.aliases = []string{cleanName(m[1])}
		e.addresses = splitAddresses(cleanName(m[1]), country)
		return e
	}
	s, clause := takeClause(s)
	addr := ""
	if m := akaRe.FindStringIndex(s); m != nil && m[0] > 0 {
		e.name = cleanName(s[:m[0]])
		e.aliases, addr = splitAliases(s[m[1]:])
	} else {
		e.name, addr = splitNameAddress(s)
	}
	e.aliases = append(clause, e.aliases...)
	e.addresses = splitAddresses(addr, country)
	return e
}

// addressEntryRe matches the cell of an address listed without a party's name: "Address 01, <address>".
var addressEntryRe = regexp.MustCompile(`^Address\s+\d+\s*,\s*(.+)$`)

// ClauseRe finds the opening of a parenthesised alias clause in a name: "(a.k.a. ", "(a.k.a., ", "(f.k.a., ".
// The conversion of the Entity List's extraction (snapshot/internal/elgen) reads the clauses with it too.
var ClauseRe = regexp.MustCompile(`(?i)\(\s*[af]\.\s?k\.\s?a\.?,?\s*`)

// Closing returns the index of the ")" that closes a clause s is inside of (one that no "(" of s opens),
// or -1.
func Closing(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// takeClause takes the parenthesised other or former names out of s, "Rosneft (a.k.a. Open Joint-Stock
// Company Rosneft Oil Company), 26/1 Sofiyskaya ...", "Gaz-Oil, OOO (f.k.a., Zakrytoe Aktsionernoe
// Obshchestvo Gaz Oil), a.k.a., ...": it returns s without the clause and the clause's names (separated by
// semicolons), which are screened as aliases (a former name is, as the CSL lists it). Without a closing
// parenthesis s is returned as it is.
func takeClause(s string) (string, []string) {
	m := ClauseRe.FindStringIndex(s)
	if m == nil || m[0] == 0 {
		return s, nil
	}
	end := Closing(s[m[1]:])
	if end < 0 {
		return s, nil
	}
	end += m[1]
	var names []string
	for _, a := range strings.Split(s[m[1]:end], ";") {
		if a = cleanName(trimAnd(a)); a != "" {
			names = append(names, a)
		}
	}
	return strings.TrimSpace(s[:m[0]]) + s[end+1:], names
}

// splitAliases reads the alias clause: "—A; —B; and —C. ADDRESS" (dashes), or "A; B. ADDRESS" without them.
func splitAliases(s string) ([]string, string) {
	s = strings.TrimSpace(s)
	var items []string
	if strings.HasPrefix(s, "—") {
		for _, p := range dashRe.Split(s, -1) {
			if p = strings.TrimSpace(p); p != "" {
				items = append(items, p)
			}
		}
	} else {
		items = []string{s}
	}
	last, addr := splitAt(items[len(items)-1], false)
	items[len(items)-1] = last
	var out []string
	for _, it := range items {
		for _, a := range strings.Split(it, ";") {
			if a = cleanName(trimAnd(a)); a != "" {
				out = append(out, a)
			}
		}
	}
	return out, addr
}

// splitNameAddress splits "NAME, ADDRESS" (or "NAME. ADDRESS") where a legal form may follow the comma.
func splitNameAddress(s string) (string, string) {
	name, addr := splitAt(s, true)
	return cleanName(name), addr
}

// splitAt finds the first boundary between a name and what follows: ". " not after an abbreviation or
// initial and not before a legal form, ", " (when comma is set) not before a legal form, or a space before a
// house number ("Name 807, Block A").
func splitAt(s string, comma bool) (string, string) {
	house := len(s)
	if m := houseRe.FindStringIndex(s); m != nil {
		house = m[0]
	}
	for i := 0; i+1 < len(s) && i < house; i++ {
		if s[i+1] != ' ' || (s[i] != '.' && !(comma && s[i] == ',')) {
			continue
		}
		next := firstWord(s[i+2:])
		if legal[next] || next == "" || (s[i] == ',' && unitWords[next]) || s[i+2] == '(' {
			continue
		}
		if s[i] == ',' {
			return s[:i], strings.TrimSpace(s[i+2:])
		}
		prev := lastWord(s[:i])
		if abbrev[prev] || strings.Contains(prev, ".") || (len([]rune(prev)) == 1 && unicode.IsLetter([]rune(prev)[0])) {
			continue
		}
		if legal[prev] {
			return s[:i+1], strings.TrimSpace(s[i+2:])
		}
		return s[:i], strings.TrimSpace(s[i+2:])
	}
	if house < len(s) {
		return s[:house], strings.TrimSpace(s[house+1:])
	}
	return s, ""
}

// unitWords continue a name after a comma: "Academy of Military Medical Sciences, Institute of Basic Medicine".
var unitWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`institute institution department branch bureau center centre academy
		university laboratory school college division faculty directorate administration ministry`) {
		unitWords[w] = true
	}
}

// firstWord is the first word of s, lower case, without surrounding punctuation.
func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(strings.Trim(f[0], ".,;:()"))
}

// lastWord is the last word of s, lower case, without surrounding punctuation.
func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(strings.Trim(f[len(f)-1], ".,;:()"))
}

// cleanName trims the separators around a name; a final period stays after a legal form ("Ltd.").
func cleanName(s string) string {
	s = strings.Trim(strings.TrimSpace(s), ",;: ")
	for strings.HasSuffix(s, "..") {
		s = s[:len(s)-1]
	}
	if w := lastWord(s); strings.HasSuffix(s, ".") && !dotted[w] && !abbrev[w] && len(w) > 1 {
		s = s[:len(s)-1]
	}
	return strings.TrimSpace(s)
}

// trimAnd drops the "and" that joins the last item of a list.
func trimAnd(s string) string {
	s = strings.TrimSpace(s)
	if s == "and" || s == "And" {
		return ""
	}
	for _, p := range []string{"and ", "And "} {
		s = strings.TrimPrefix(s, p)
	}
	for _, p := range []string{" and", ", and", "; and"} {
		s = strings.TrimSuffix(s, p)
	}
	return strings.TrimSpace(s)
}

var andRe = regexp.MustCompile(`,?\s+and\s+`)

// splitAddresses splits the address part on semicolons, and on "and" where the text before it ends with the
// country's name ("Kabul, Afghanistan, and Dasht Qala, ...").
func splitAddresses(s, country string) []string {
	cname := strings.ToLower(titleCountry(country))
	var out []string
	for _, part := range strings.Split(s, ";") {
		part = trimAnd(part)
		for part != "" {
			cut := -1
			for _, m := range andRe.FindAllStringIndex(part, -1) {
				before := strings.ToLower(strings.TrimRight(part[:m[0]], ". "))
				if cname != "" && strings.HasSuffix(before, cname) {
					cut = m[0]
					out = appendAddr(out, part[:m[0]])
					part = strings.TrimSpace(part[m[1]:])
					break
				}
			}
			if cut < 0 {
				out = appendAddr(out, part)
				part = ""
			}
		}
	}
	return out
}

func appendAddr(out []string, a string) []string {
	a = strings.TrimRight(strings.TrimSpace(a), ".,; ")
	if a == "" {
		return out
	}
	return append(out, a)
}
