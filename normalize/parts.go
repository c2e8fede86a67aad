package normalize

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Part is a name read out of a longer name string: a short name or acronym given in parentheses, one of the
// names of "A a.k.a. B" or "A Co., Ltd., and B", or the name without a note the list appended to it.
type Part struct {
	// Text is the name as written in the string it comes from.
	Text string
	// Note says, for the explanation of a match, how it was read ("short name in parentheses", "alias split
	// from 'and Sense Time'", "note removed from alias: born in 1963").
	Note string
	// Acronym is set for an acronym read from a parenthesis: it names the party when written exactly so,
	// not when a word is spelt near it.
	Acronym bool
	// Own is set for an acronym that is not read from the name's words (see ownAcronym): a listed party's
	// acronym in its own language, but in a query as likely a stock ticker ("... Trust (SOL)"), which is
	// not screened on its own.
	Own bool
}

// Notes and alias markers, found case-insensitively in a name as written.
var (
	// ", born 1 Jan. 1953 (...)", " born in 1963", " born in Kandahar on ...": a note, not a name.
	bornNote = regexp.MustCompile(`(?i)[,;]?\s+born\s+(?:in|on|\d).*$`)
	// " c/o Tehran Office", ", attn: ...": an address or addressee written into a name field.
	careOfNote = regexp.MustCompile(`(?i)[,;]?\s+(?:c/o|c\.o\.|care\s+of|attn\.?:?|attention:)\s+.*$`)
	// " s/o Kamal-ud-Din", " son of ...", " w/o ...", " r/o Lahore": a father's or husband's name, or a
	// residence, after a person's name, as South Asian records write them.
	relationNote = regexp.MustCompile(`(?i)[,;]?\s+(?:s/o|d/o|w/o|r/o|son\s+of|daughter\s+of|wife\s+of|resident\s+of)\s+.*$`)
	// " in liquidation", ", dissolved": a company's status after its name.
	statusNote = regexp.MustCompile(`(?i)[,;]?\s+(?:-\s+)?(?:in\s+(?:liquidation|administration|receivership|insolvency|bankruptcy)|under\s+administration|i\.\s?l\.|en\s+liquidation|in\s+liquidazione|en\s+liquidaci[oó]n|dissolved|defunct|bankrupt|insolvent|inactive)\.?\s*$`)
	// " 07.10.1952", " - DOB 1952-10-07", " b. 1952": a date of birth written after a person's name.
	dateNote = regexp.MustCompile(`(?i)[,;]?\s+(?:-\s+)?(?:(?:(?:dob|d\.o\.b\.?|date\s+of\s+birth|b\.)\s*:?\s*)?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+\pL{3,9}\.?\s+\d{4})|(?:dob|d\.o\.b\.?|date\s+of\s+birth|b\.)\s*:?\s*\d{4})\s*$`)
	// " 1952" after a name of words only: a year of birth.
	yearNote = regexp.MustCompile(`^(?:[^\d]+)\s+((?:19|20)\d{2})\s*$`)
	// ", Supreme Leader of Iran", ", Chief Executive Officer": a person's office after the name and a comma.
	positionNote = regexp.MustCompile(`(?i),\s+(?:\pL+\s+){0,3}(?:leader|president|minister|director|chairman|chairwoman|chairperson|ceo|cfo|manager|governor|commander|chief|secretary|ambassador|officer|founder|owner|shareholder|deputy|head|senator|mayor|general\s+manager)\b.*$`)
	// ", Hamburg Branch", " Representative Office": a branch or office of the party named before it.
	branchNote = regexp.MustCompile(`(?i)[,;]?\s+(?:-\s+)?(?:branch|sub-?branch|branch\s+office|representative\s+office|rep\.?\s+office|liaison\s+office|regional\s+office)\s*$`)
	// " née Petrova", " geb. Ivanova": a woman's surname at birth after her married name.
	maidenName = regexp.MustCompile(`(?i)[,;]?\s+\(?(?:née|nee|geb\.|geborene)\s+([^\s()]+)\)?\s*$`)
	// ", and its sub-units and successors": the Entity List's note on a body's scope.
	scopeNote = regexp.MustCompile(`(?i)[,;]?\s+and\s+(?:its\s+)?(?:sub-?units|subsidiaries|successors)\b.*$`)
	// "a.k.a.", "f.k.a.", "formerly", "also known as" ... between two names, or leading a parenthesis.
	aliasMarker = regexp.MustCompile(`(?i)(?:[,;(]\s*|\s+)(?:a\.k\.a\.?|aka|f\.k\.a\.?|fka|formerly\s+known\s+as|formerly|also\s+known\s+as|d\.b\.a\.?|dba|trading\s+as)\s+`)
	// ", and B" after a company's legal form, or ", and subordinate entity B".
	andSplit = regexp.MustCompile(`(?i),\s+and\s+(?:subordinate\s+entity\s+)?`)
)

// note is a note's pattern and the markers of which one is in every string it matches, looked for first
// (cheaper than the pattern).
type note struct {
	re      *regexp.Regexp
	markers []string
}

func (n note) marked(s string) bool { return marked(s, n.markers) }

// marked reports whether s contains one of markers (lower-case ASCII, see containsFold).
func marked(s string, markers []string) bool {
	for _, m := range markers {
		if containsFold(s, m) {
			return true
		}
	}
	return false
}

// notes are the notes Parts removes from the end of a name, in order.
var notes = []note{
	{bornNote, []string{"born"}},
	{scopeNote, []string{"and"}},
	{careOfNote, careOfMarkers},
	{relationNote, relationMarkers},
	{statusNote, statusMarkers},
}

// The markers of each note (partMarkers holds them all).
var (
	careOfMarkers   = []string{"c/o", "c.o.", "care of", "attn", "attention:"}
	relationMarkers = []string{"s/o", "d/o", "w/o", "r/o", "son of", "daughter of", "wife of", "resident of"}
	statusMarkers   = []string{"liquida", "administration", "receivership", "insolven", "bankrupt", "i.l.", "dissolved", "defunct", "inactive"}
	maidenMarkers   = []string{"née", "nÉe", "nee ", "geb.", "geborene"}
)

// noteWords start a parenthesis that is a note rather than a name ("(including power plants)", "(a
// subordinate institute of CETC-7)", "(third)").
var noteWords = map[string]bool{
	"including": true, "incl": true, "a": true, "an": true, "the": true, "see": true, "formerly": true,
	"first": true, "second": true, "third": true, "fourth": true, "fifth": true, "listed": true, "now": true,
	"previously": true, "part": true, "subsidiary": true, "branch": true, "known": true, "not": true,
	"birth": true, "combat": true, "nom": true, "false": true, "good": true, "low": true, "maiden": true,
	"ngo": true,
}

// noteAnywhere words make a parenthesis a note wherever they stand ("(Russian individual)", "(birth name)").
var noteAnywhere = map[string]bool{
	"individual": true, "name": true, "national": true, "citizen": true, "identity": true, "quality": true,
	"passport": true, "born": true, "dob": true, "pob": true, "nationality": true,
}

// Parts returns the names that a listed name string holds besides itself, each with how it was read: the
// string without a note the list appended ("born in 1963", "and its sub-units and successors"), an address
// written after it ("c/o Tehran Office", "attn: ..."), a relation ("s/o Kamal-ud-Din", "son of ..."), a
// company's status ("in liquidation"); a woman's married name and her name at birth ("Olga Ivanova née Petrova": "Olga Ivanova", "Olga Petrova"); the names of "A
// a.k.a. B", "A (f.k.a. B)", "A formerly B"; the names of "A Co., Ltd., and B" (an "and" after a legal form,
// or before "subordinate entity"); and, when a parenthesis closes the string, the string without it and the
// words in it when they are a short name of the name ("Huawei Technologies Co., Ltd. (Huawei)": "Huawei"),
// its acronym ("... Insurance Company (KNIC)") or a name of several words. Nothing is returned for a string
// that holds one name only. The parts are names as written: they are meant to be tokenized like any other.
func Parts(s string) []Part { return parts(s, false) }

// QueryParts is Parts for a name screened: it reads besides what a user writes after a name and a list
// writes apart or not at all — a person's office after a comma ("Ali Khamenei, Supreme Leader of Iran"), a
// date or year of birth ("Vladimir Putin 07.10.1952"; a number in a listed name is the name's), a branch or
// office of the party ("Bank Melli Iran, Hamburg Branch"; a list's entry for a branch is the branch's
// own), a name written in two scripts ("Huawei 华为": each) — and leaves out a name where the list reads
// its party's acronym, as a query's parenthesis may hold a stock ticker ("... Trust (SOL)").
func QueryParts(s string) []Part {
	ps := parts(s, true)
	ps = slices.DeleteFunc(ps, func(p Part) bool { return p.Own })
	// A web address or e-mail address is screened by the name it registers ("www.hikvision.com").
	if d := domainName(s); d != "" {
		ps = append(ps, Part{Text: d, Note: "the name of the web address"})
	}
	// A name written in two scripts ("Huawei 华为", "Gazprom Neft / Газпром нефть") is screened in each.
	for _, r := range scriptRuns(s) {
		if !slices.ContainsFunc(ps, func(p Part) bool { return p.Text == r.Text }) {
			ps = append(ps, r)
		}
	}
	return ps
}

// webAddress matches a query that is a web or e-mail address: a mailbox and scheme aside, its host.
var webAddress = regexp.MustCompile(`(?i)^(?:https?://)?(?:[\w.+-]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,})/?$`)

// domainName returns the name a web or e-mail address registers ("www.hikvision.com", "sales@
// hikvision.com.cn": "hikvision"; "china-railway.com": "china railway"), or "" when s is none.
func domainName(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '.') < 0 || strings.IndexByte(s, ' ') >= 0 {
		return "" // most queries: no regular expression run
	}
	m := webAddress.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	labels := strings.Split(strings.ToLower(m[1]), ".")
	labels = labels[:len(labels)-1] // the top-level domain
	if n := len(labels); n > 1 && secondLevel[labels[n-1]] {
		labels = labels[:n-1] // "com" of "com.cn"
	}
	if len(labels) == 0 {
		return ""
	}
	return strings.Trim(strings.ReplaceAll(labels[len(labels)-1], "-", " "), " ")
}

// secondLevel are the labels registries put under a country's domain ("hikvision.com.cn", "bbc.co.uk").
var secondLevel = map[string]bool{"com": true, "co": true, "net": true, "org": true, "gov": true, "edu": true, "ac": true, "or": true, "ne": true}

// scriptRuns returns, for a name with letters in Latin and in other scripts, its words in Latin letters
// and its words in the other scripts, each as a part; else nil. A word of both is split where the script
// changes ("Huawei华为").
func scriptRuns(s string) []Part {
	if isASCIISimple(s) || !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x250 && unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) }) {
		return nil // most queries: nothing built
	}
	var latin, other strings.Builder
	cur := &latin // where digits and punctuation go: with the letters before them
	hasLatin, hasOther := false, false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) && (r < 0x250 || unicode.Is(unicode.Latin, r)):
			if cur != &latin {
				other.WriteByte(' ')
			}
			cur, hasLatin = &latin, true
		case unicode.IsLetter(r):
			if cur != &other {
				latin.WriteByte(' ')
			}
			cur, hasOther = &other, true
		}
		cur.WriteRune(r)
	}
	if !hasLatin || !hasOther {
		return nil
	}
	var out []Part
	if t := strings.Join(strings.Fields(strings.Trim(latin.String(), " ,;/-|")), " "); t != "" {
		out = append(out, Part{Text: t, Note: "the name in Latin letters"})
	}
	if t := strings.Join(strings.Fields(strings.Trim(other.String(), " ,;/-|")), " "); t != "" {
		out = append(out, Part{Text: t, Note: "the name in " + Script(t) + " script"})
	}
	return out
}

func parts(s string, query bool) []Part {
	if !mayHaveParts(s, query) {
		return nil
	}
	var out []Part
	seen := map[string]bool{strings.TrimSpace(s): true}
	add := func(text, note string) {
		text = strings.Trim(strings.TrimSpace(text), ",;")
		text = strings.TrimSpace(text)
		if text == "" || seen[text] || len(strings.Fields(Fold(text))) == 0 {
			return
		}
		seen[text] = true
		out = append(out, Part{Text: text, Note: note})
	}
	acronym, own := "", false
	var walk func(text string, depth int)
	walk = func(text string, depth int) {
		if depth > 3 {
			return
		}
		emit := func(t, note string) {
			n := len(out)
			add(t, note)
			if len(out) > n {
				walk(out[len(out)-1].Text, depth+1)
			}
		}
		for _, n := range notes {
			if !n.marked(text) {
				continue
			}
			if loc := n.re.FindStringIndex(text); loc != nil && loc[0] > 0 {
				emit(text[:loc[0]], "note removed from name: "+strings.Trim(strings.TrimSpace(text[loc[0]:]), ",; -"))
				return
			}
		}
		if query && queryPart(text, emit) {
			return
		}
		if m := maidenName.FindStringSubmatchIndex(text); m != nil && m[0] > 0 && marked(text, maidenMarkers) {
			// The married name, and the given names with the surname at birth.
			married := strings.TrimSpace(text[:m[0]])
			note := strings.Trim(strings.TrimSpace(text[m[0]:]), ",; ()")
			emit(married, "name without '"+note+"'")
			if ws := strings.Fields(married); len(ws) >= 2 {
				emit(strings.Join(ws[:len(ws)-1], " ")+" "+text[m[2]:m[3]], "name at birth, from '"+note+"'")
			}
			return
		}
		if locs := aliasMarker.FindAllStringIndex(text, -1); len(locs) > 0 {
			from := 0
			for k, loc := range locs {
				piece := text[from:loc[0]]
				if k > 0 {
					emit(closeParen(piece), "alias split from '"+strings.TrimSpace(text[locs[k-1][0]:loc[0]])+"'")
				} else {
					emit(piece, "alias split at '"+strings.Trim(strings.TrimSpace(text[loc[0]:loc[1]]), ",;(")+"'")
				}
				from = loc[1]
			}
			emit(closeParen(text[from:]), "alias split from '"+strings.TrimSpace(text[locs[len(locs)-1][0]:])+"'")
			return
		}
		if loc := andSplit.FindStringIndex(text); loc != nil && loc[0] > 0 {
			before, after := text[:loc[0]], text[loc[1]:]
			if strings.Contains(strings.ToLower(text[loc[0]:loc[1]]), "subordinate") || endsInLegalForm(before) {
				emit(before, "alias split before '"+strings.TrimSpace(text[loc[0]:])+"'")
				emit(after, "alias split from '"+strings.TrimLeft(text[loc[0]:], ", ")+"'")
				return
			}
		}
		innerAcronym(text, emit)
		if moved := legalFormLast(text); moved != "" {
			text = moved
		}
		if a, o := parenthesis(text, emit); a != "" {
			acronym, own = a, o
		}
	}
	walk(strings.TrimSpace(s), 0)
	for k := range out {
		out[k].Acronym = out[k].Text == acronym
		out[k].Own = out[k].Acronym && own
	}
	return out
}

// queryPart reads the forms QueryParts reads besides Parts in text, calling emit with the name; it reports
// whether text was one.
func queryPart(text string, emit func(t, note string)) bool {
	if a, b, ok := twoPersons(text); ok {
		emit(a, "one of two names joined by '"+strings.TrimSpace(text[len(a):len(text)-len(b)])+"'")
		emit(b, "one of two names joined by '"+strings.TrimSpace(text[len(a):len(text)-len(b)])+"'")
		return true
	}
	if loc := positionNote.FindStringIndex(text); loc != nil && loc[0] > 0 && len(strings.Fields(text[:loc[0]])) >= 2 {
		// A query's: "KHAMENEI, Ali" has a comma too, and a list writes a person's office apart.
		emit(text[:loc[0]], "office removed from name: "+strings.Trim(strings.TrimSpace(text[loc[0]:]), ",; -"))
		return true
	}
	if loc := dateNote.FindStringIndex(text); loc != nil && loc[0] > 0 {
		// A query's (a list writes the date apart): "Trading 2000" keeps its number, and a date is no
		// number of a name.
		emit(text[:loc[0]], "date removed from name: "+strings.Trim(strings.TrimSpace(text[loc[0]:]), ",; -"))
		return true
	}
	if m := yearNote.FindStringSubmatchIndex(text); m != nil && len(strings.Fields(text[:m[2]])) >= 2 {
		// A year after a name of two words or more and no other number ("Vladimir Putin 1952"), read
		// without it as well: the query is screened whole too, in case the year is the name's.
		emit(text[:m[2]], "year removed from name: "+text[m[2]:m[3]])
		return true
	}
	if loc := branchNote.FindStringIndex(text); loc != nil && loc[0] > 0 {
		// The words before "Branch" may be the branch's city ("Bank Melli Iran Hamburg Branch"): the
		// party is read without none, one and two of them, two words at least left.
		tail := strings.Trim(strings.TrimSpace(text[loc[0]:]), ",; -")
		ws := strings.Fields(text[:loc[0]])
		for k := 0; k <= 2 && len(ws)-k >= 2; k++ {
			emit(strings.Join(ws[:len(ws)-k], " "), "the party of its "+strings.TrimSpace(strings.Join(ws[len(ws)-k:], " ")+" "+tail))
		}
		return true
	}
	return false
}

// mayHaveParts is a quick test that rules out most names: Parts looks further only at strings with a
// parenthesis, a comma followed by "and", "born", or another marker (partMarkers); QueryParts at those with
// a digit or one of queryMarkers too.
func mayHaveParts(s string, query bool) bool {
	if strings.IndexByte(s, '(') >= 0 || query && strings.ContainsAny(s, "0123456789") {
		return true
	}
	return marked(s, partMarkers) || query && marked(s, queryMarkers)
}

// partMarkers are the lower-case strings of which one is in every string Parts reads further.
var partMarkers = slices.Concat([]string{"born", ", and", "k.a", "aka ", "fka ", "formerly", "known as", "d.b.a", "dba ", "trading as"},
	careOfMarkers, relationMarkers, statusMarkers, maidenMarkers)

// joinedNames splits a query at " and ", " & " or " + " (a joint account's holders, "John Smith and Jane
// Doe").
var joinedNames = regexp.MustCompile(`(?i)\s+(?:and|&|\+)\s+`)

// twoPersons returns the two names of a query that joins two persons' names ("John Smith and Jane Doe",
// "Mr Ali Hassan & Mrs Fatima Hassan"): one "and", "&" or "+", each side of two to four words of letters
// none of which a company's name holds (a legal form's, one the abbreviations stand for, a stop word's),
// so that "Industrial and Commercial Bank of China", "Procter & Gamble" and "Marks and Spencer" stay one.
func twoPersons(text string) (a, b string, ok bool) {
	locs := joinedNames.FindAllStringIndex(text, -1)
	if len(locs) != 1 {
		return "", "", false
	}
	a, b = strings.TrimSpace(text[:locs[0][0]]), strings.TrimSpace(text[locs[0][1]:])
	for _, side := range [2]string{a, b} {
		ws := strings.Fields(Fold(side))
		if len(ws) < 2 || len(ws) > 4 {
			return "", "", false
		}
		for _, w := range ws {
			if !LettersOnly(w) || legalWords[w] || abbreviated[w] || abbreviations[w] != "" || stopWords[w] && w != "al" && w != "el" && w != "bin" {
				return "", "", false
			}
			if _, legal := LegalForm(w); legal {
				return "", "", false
			}
		}
	}
	return text[:locs[0][0]], text[locs[0][1]:], true
}

// LettersOnly reports whether s, folded, is a word of the letters a to z only.
func LettersOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// queryMarkers are those of the forms only QueryParts reads (a digit aside: a date).
var queryMarkers = []string{
	" and ", "&", "+",
	"branch", "office",
	"leader", "president", "minister", "director", "chair", "ceo", "cfo", "manager", "governor", "commander",
	"chief", "secretary", "ambassador", "founder", "owner", "shareholder", "deputy", "head", "senator", "mayor",
}

// containsFold reports whether s contains the lower-case ASCII string sub, ignoring the case of s's ASCII
// letters (without allocating).
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		k := 0
		for k < len(sub) {
			c := s[i+k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[k] {
				break
			}
			k++
		}
		if k == len(sub) {
			return true
		}
	}
	return false
}

// closeParen drops the closing parenthesis of "(f.k.a. B)" from B.
func closeParen(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") && strings.Count(s, "(") < strings.Count(s, ")") {
		s = strings.TrimSpace(s[:len(s)-1])
	}
	return s
}

// parenthesis reads a parenthesis that closes text: text without it, and the words in it when they name
// the party (see Parts). It returns the words in it when they are an acronym, and whether the acronym is
// not read from the name's words (ownAcronym).
func parenthesis(text string, emit func(t, note string)) (string, bool) {
	t := strings.TrimSpace(text)
	if !strings.HasSuffix(t, ")") {
		return "", false
	}
	open := strings.LastIndexByte(t, '(')
	if open <= 0 {
		return "", false
	}
	before, inner := strings.TrimSpace(t[:open]), strings.TrimSpace(t[open+1:len(t)-1])
	innerWords := strings.Fields(Fold(inner))
	beforeWords := strings.Fields(Fold(before))
	if len(innerWords) == 0 || len(beforeWords) == 0 {
		return "", false
	}
	note := noteWords[innerWords[0]]
	for _, w := range innerWords {
		note = note || noteAnywhere[w]
	}
	if note {
		emit(before, "note removed from name: ("+inner+")")
		return "", false
	}
	emit(before, "name without '("+inner+")'")
	if allIn(innerWords, beforeWords) {
		emit(inner, "short name in parentheses")
		return "", false
	}
	if ok, own := acronymOf(inner, before, innerWords, beforeWords); ok {
		emit(inner, "acronym in parentheses")
		return inner, own
	}
	if len(innerWords) >= 2 && len(innerWords) <= 6 {
		emit(inner, "name in parentheses")
	}
	return "", false
}

// acronymOf reports whether inner, folded innerWords, in a parenthesis after the name before (folded ws),
// is the party's acronym: read from the name's words, or the party's own (ownAcronym, and own is set).
func acronymOf(inner, before string, innerWords, ws []string) (ok, own bool) {
	if len(innerWords) != 1 {
		return false, false
	}
	a := innerWords[0]
	if isInitialsOf(a, ws) || allInitials(a, ws) || abbreviationOf(inner, a, ws) {
		return true, false
	}
	return ownAcronym(inner, before, ws), true
}

// ownAcronym reports whether inner, one word in parentheses after the name before (folded ws), is the
// party's acronym though not read from those words: the acronym of its name in its own language ("Foreign
// Intelligence Service (SVR)", "Rosoboronexport OJSC (ROE)", "Zhukovskiy Central Aerohydrodynamics
// Institute (TsAGI)", "SPECIAL DIVISION OF FIRST RESPONDERS, CHECHNYA (SOBR)"). It is letters only, two of
// them capitals at least (not "(Shanghai)", "(Ershov)"); not a legal form, a country's abbreviation
// ("(UAE)"), a word organizations' names abbreviate ("(GROUP)") or another spelling of a word of the name
// ("Lom-ali BUTAYEV (BUTAEV)"), nor a country ("(KENYA)"). In a name written all in capitals, where the
// case says nothing, it has six letters at most: "(MARTYRS)", "(OFFSHORE)" are words. (A city that passes
// is no party's name on its own: the index leaves it out, see match's namesParty.)
func ownAcronym(inner, before string, ws []string) bool {
	if len(inner) < 2 || len(inner) > 10 {
		return false
	}
	upper := 0
	for i := 0; i < len(inner); i++ {
		switch c := inner[i]; {
		case c >= 'A' && c <= 'Z':
			upper++
		case c < 'a' || c > 'z':
			return false
		}
	}
	a := strings.ToLower(inner)
	if upper < 2 || legalWords[a] || abbreviated[a] || abbreviations[a] != "" || stopWords[a] || honorifics[a] || regionAbbreviations[a] || regionWords[a] {
		return false
	}
	if _, legal := LegalForm(a); legal {
		return false
	}
	if strings.ToUpper(before) == before && len(a) > 6 {
		return false
	}
	for _, w := range ws {
		if len(w) >= 4 && len(a) >= 4 && w[:3] == a[:3] && abs(len(w)-len(a)) <= 2 {
			return false // another spelling of a word of the name
		}
	}
	return true
}

// regionAbbreviations are countries' and regions' abbreviations that organizations' names put in
// parentheses ("Enerquip Ltd. (UAE)", "China Unicom Group Corporation (BVI) Co., Ltd.").
// (Those of three letters are region words too: IsRegion.)
var regionAbbreviations = map[string]bool{
	"us": true, "uk": true, "dprk": true, "rok": true, "roc": true, "hk": true, "eu": true, "rf": true,
	"ussr": true, "sar": true,
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// allIn reports whether every word of a is among the words of b.
func allIn(a, b []string) bool {
	for _, w := range a {
		found := false
		for _, x := range b {
			found = found || x == w
		}
		if !found {
			return false
		}
	}
	return true
}

// abbreviationOf reports whether inner, written in three to eight capital letters and folded a, abbreviates
// the words ws as organizations' acronyms often do, from more letters than the initials ("Iran Aircraft
// Industries (IACI)", "Saman Tose'e Asia (SATA)", "Haqqani Network (HQN)"): it starts with the first letter
// of the name, each other letter is the next of its letters in the same word or the first of a later word,
// and no word gives more than half of them (so that "(SYRIA)" after "Syrian Arab Airlines" is not read
// so). A legal form ("(PVT)") is not an acronym.
func abbreviationOf(inner, a string, ws []string) bool {
	if len(inner) < 3 || len(inner) > 8 || len(a) != len(inner) {
		return false
	}
	for i := 0; i < len(inner); i++ {
		if inner[i] < 'A' || inner[i] > 'Z' {
			return false
		}
	}
	if _, legal := LegalForm(a); legal {
		return false
	}
	var ns []string // the name's words, stop words left out
	for _, w := range ws {
		if !stopWords[w] {
			ns = append(ns, w)
		}
	}
	if len(ns) < 2 || ns[0][0] != a[0] {
		return false // the first letter of the name
	}
	// abbr reports whether a[k:] can be read from word i on (from its letter p on), run letters of a taken
	// from word i already, words used so far; no word gives more than half of a's letters.
	half := (len(a) + 1) / 2
	failed := map[[5]int]bool{} // states already tried in vain: the search stays polynomial
	var abbr func(k, i, p, run, used int) bool
	abbr = func(k, i, p, run, used int) bool {
		used = min(used, 2)
		if run > half || failed[[5]int{k, i, p, run, used}] {
			return false
		}
		if k == len(a) {
			return used >= 2
		}
		for q := p; q < len(ns[i]); q++ {
			if ns[i][q] == a[k] {
				// the letter taken here, or the first letter of a later word
				if abbr(k+1, i, q+1, run+1, used) {
					return true
				}
				break
			}
		}
		for n := i + 1; n < len(ns); n++ {
			if ns[n][0] == a[k] && abbr(k+1, n, 1, 1, used+1) {
				return true
			}
		}
		failed[[5]int{k, i, p, run, used}] = true
		return false
	}
	return abbr(1, 0, 1, 1, 1)
}

// allInitials reports whether a, of three letters, is the initials of every word of ws but the stop words,
// in order ("Foreign Trade Bank (FTB)", "Afghan Support Committee (ASC)"): three letters name too many
// things to be read from some of the words, not when they are all the name's.
func allInitials(a string, ws []string) bool {
	if len(a) != 3 {
		return false
	}
	k := 0
	for _, w := range ws {
		if stopWords[w] {
			continue
		}
		if k == len(a) || w[0] != a[k] {
			return false
		}
		k++
	}
	return k == len(a)
}

// isInitialsOf reports whether a (four letters or more: three name too many things) is the initials of
// consecutive words of ws, stop words taken or skipped, one other word skipped at most ("casc": China
// Aerospace Science and Technology Corporation).
func isInitialsOf(a string, ws []string) bool {
	for i := range ws {
		if initialsFrom(a, ws, i, false) {
			return true
		}
	}
	return false
}

// initialsFrom reports whether a is the initials of the words of ws from i on (see isInitialsOf), up to
// the last word of ws when toEnd is set.
func initialsFrom(a string, ws []string, i int, toEnd bool) bool {
	if len(a) < 4 {
		return false
	}
	var try func(i, k, skips int) bool
	try = func(i, k, skips int) bool {
		if k == len(a) {
			return !toEnd || i == len(ws)
		}
		if i == len(ws) {
			return false
		}
		if ws[i] != "" && ws[i][0] == a[k] && try(i+1, k+1, skips) {
			return true
		}
		if k == 0 {
			return false
		}
		if stopWords[ws[i]] {
			return try(i+1, k, skips)
		}
		return skips > 0 && try(i+1, k, skips-1)
	}
	return try(i, 0, 1)
}

// innerAcronym reads "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy": a
// parenthesis inside text holding the acronym of the words just before it. It calls emit with text
// without the parenthesis and with the acronym in place of the words it stands for.
func innerAcronym(text string, emit func(t, note string)) {
	open := strings.IndexByte(text, '(')
	end := strings.IndexByte(text, ')')
	if open <= 0 || end < open || strings.TrimSpace(text[end+1:]) == "" {
		return
	}
	inner, after := strings.TrimSpace(text[open+1:end]), text[end+1:]
	iw := strings.Fields(Fold(inner))
	raw := strings.Fields(text[:open])
	if len(iw) != 1 || len(raw) < 2 {
		return
	}
	ws := make([]string, len(raw))
	for k, r := range raw {
		ws[k] = Fold(r)
	}
	for i := len(ws) - 2; i >= 0; i-- {
		if initialsFrom(iw[0], ws, i, true) {
			emit(strings.Join(raw, " ")+after, "name without '("+inner+")'")
			emit(strings.TrimSpace(strings.Join(raw[:i], " ")+" "+inner+after), "acronym in parentheses for '"+strings.Join(raw[i:], " ")+"'")
			return
		}
	}
}

// legalFormLast reads an acronym in parentheses followed by the legal form alone ("UGANDA COMMERCIAL IMPEX
// (UCI) LTD", "PETROIRAN DEVELOPMENT COMPANY (PEDCO) LIMITED") as if it closed the name ("UGANDA
// COMMERCIAL IMPEX LTD (UCI)"): it returns text so written, or "" when text is not such a name.
func legalFormLast(text string) string {
	open, end := strings.IndexByte(text, '('), strings.IndexByte(text, ')')
	if open <= 0 || end < open || strings.LastIndexByte(text, '(') != open {
		return ""
	}
	after := strings.TrimSpace(text[end+1:])
	if _, legal := LegalForm(Fold(after)); !legal {
		return ""
	}
	before, inner := strings.TrimSpace(text[:open]), strings.TrimSpace(text[open+1:end])
	if ok, _ := acronymOf(inner, before, strings.Fields(Fold(inner)), strings.Fields(Fold(before))); !ok {
		return ""
	}
	return before + " " + after + " (" + inner + ")"
}

// endsInLegalForm reports whether the name s closes with a legal form ("Co., Ltd.").
func endsInLegalForm(s string) bool {
	ts := Tokens(s, Options{})
	return len(ts) > 1 && ts[len(ts)-1].Class == Legal
}
