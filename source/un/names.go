package un

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/tradescreen/tradescreen"
)

// aliasSet collects an entry's aliases in file order, dropping empties and repeats (case-insensitively,
// the primary name included).
type aliasSet struct {
	primary string
	seen    map[string]bool
	names   []tradescreen.Name
}

func (a *aliasSet) add(full string, typ tradescreen.NameType, note string) {
	full = strings.Trim(collapse(full), " ,;")
	if q, rest := qualifier(full); q != "" {
		full = rest
		if note == "" {
			note = q
		} else if !strings.EqualFold(note, q) {
			note = q + "; " + note
		}
	}
	if full == "" {
		return
	}
	k := strings.ToLower(full)
	if a.seen[k] {
		return
	}
	a.seen[k] = true
	a.names = append(a.names, tradescreen.Name{Full: full, Type: typ, Script: detectScript(full), Note: note})
}

// aliasType maps QUALITY: individuals use Good and Low, entities a.k.a. and f.k.a.
func aliasType(quality string) tradescreen.NameType {
	switch strings.ToLower(strings.TrimSpace(quality)) {
	case "low":
		return tradescreen.NameWeakAKA
	case "f.k.a.", "fka", "f.k.a":
		return tradescreen.NameFKA
	case "n.k.a.", "nka", "n.k.a":
		return tradescreen.NameNKA
	}
	return tradescreen.NameAKA
}

// maxSplitDepth bounds the recursion of splitAlias over nested parentheses.
const maxSplitDepth = 3

// splitAlias splits an ALIAS_NAME that packs several names, as the UN sometimes does:
//
//	"Fazel Rahim; Fazil Rahim"                          -> two names
//	"حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)"       -> the Arabic name and three transliterations
//	"Abu Muhammad Al-Kadari (original script: Абу ...)" -> the Latin and the Cyrillic name
//	"Mohammad Sabet b) M. Javad Kareemi Sabet"          -> two names (an enumeration left in the text)
//
// A trailing parenthesis is split off only when its script differs from the name before it or it is
// marked "original script"; "Ansar al Charia in Libya (ASL)" stays whole. The record's Raw keeps the
// name as published.
func splitAlias(s string) []string {
	return splitAliasDepth(s, 0)
}

func splitAliasDepth(s string, depth int) []string {
	s = trimOriginalScript(strings.Trim(collapse(s), " ,;"))
	if s == "" {
		return nil
	}
	if depth >= maxSplitDepth {
		return []string{s}
	}
	if head, inner, ok := trailingParen(s); ok {
		low := strings.ToLower(inner)
		if scriptOf(head) != scriptOf(inner) || strings.HasPrefix(low, "original script") {
			out := splitAliasDepth(head, depth+1)
			for _, part := range splitTop(inner) {
				part = strings.TrimSpace(part)
				if l := strings.ToLower(part); strings.HasPrefix(l, "original script") {
					part = strings.TrimLeft(part[len("original script"):], " :")
				}
				out = append(out, splitAliasDepth(part, depth+1)...)
			}
			return out
		}
	}
	parts := splitTop(s)
	if len(parts) == 1 {
		return []string{strings.TrimSpace(enumRe.ReplaceAllString(parts[0], ""))}
	}
	var out []string
	for _, p := range parts {
		out = append(out, splitAliasDepth(p, depth+1)...)
	}
	return out
}

// enumRe matches an enumeration label ("a) ", "b) ") at the start of a name or between two names.
var enumRe = regexp.MustCompile(`^[a-h]\)\s+`)
var enumSepRe = regexp.MustCompile(`\s[b-h]\)\s`)

// splitTop splits s on semicolons and enumeration labels that are not inside parentheses.
func splitTop(s string) []string {
	var out []string
	level, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			level++
		case ')':
			if level > 0 {
				level--
			}
		case ';':
			if level == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	out = append(out, s[start:])
	var res []string
	for _, p := range out {
		for _, q := range enumSepRe.Split(p, -1) {
			if q = strings.TrimSpace(q); q != "" {
				res = append(res, q)
			}
		}
	}
	if len(res) == 0 {
		return []string{s}
	}
	return res
}

// trailingParen splits "head (inner)" when s ends with a parenthesis group that closes at top level.
func trailingParen(s string) (head, inner string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	level := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			level++
		case '(':
			level--
			if level == 0 {
				head, inner = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:len(s)-1])
				return head, inner, head != "" && inner != ""
			}
		}
	}
	return "", "", false
}

// trimOriginalScript drops a trailing "(original script)" marker.
func trimOriginalScript(s string) string {
	const marker = "(original script)"
	if len(s) >= len(marker) && strings.EqualFold(s[len(s)-len(marker):], marker) {
		return strings.TrimSpace(s[:len(s)-len(marker)])
	}
	return s
}

// splitLanguage separates a language label the list appends to an original-script name:
// "ፍትዊ ዓብዱረዛቕ (Tigrinya)" gives "ፍትዊ ዓብዱረዛቕ" and "Tigrinya".
func splitLanguage(s string) (name, lang string) {
	s = collapse(s)
	head, inner, ok := trailingParen(s)
	if ok && detectScript(head) != "" && scriptOf(inner) == "Latin" && len(strings.Fields(inner)) <= 3 {
		return head, inner
	}
	return s, ""
}

// scriptNameRe finds names the list gives in a note: "name in Arabic script: ...", "original script: ...".
var scriptNameRe = regexp.MustCompile(`(?i)(?:^|[;,.]\s*)(?:name\s+)?(?:in\s+[a-z]+\s+script|original\s+script)\s*:\s*([^;]+)`)

// scriptNames returns the non-Latin names written into a NOTE.
func scriptNames(note string) []string {
	if note == "" || !strings.Contains(strings.ToLower(note), "script") {
		return nil
	}
	var out []string
	for _, m := range scriptNameRe.FindAllStringSubmatch(note, 4) {
		if s := strings.TrimSpace(m[1]); detectScript(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// scripts are the writing systems detectScript recognizes, by their Unicode script names.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Arabic", unicode.Arabic}, {"Cyrillic", unicode.Cyrillic}, {"Han", unicode.Han}, {"Hangul", unicode.Hangul},
	{"Hiragana", unicode.Hiragana}, {"Katakana", unicode.Katakana}, {"Ethiopic", unicode.Ethiopic},
	{"Greek", unicode.Greek}, {"Hebrew", unicode.Hebrew}, {"Armenian", unicode.Armenian},
	{"Georgian", unicode.Georgian}, {"Devanagari", unicode.Devanagari}, {"Bengali", unicode.Bengali},
	{"Thai", unicode.Thai}, {"Tamil", unicode.Tamil}, {"Syriac", unicode.Syriac}, {"Thaana", unicode.Thaana},
	{"Khmer", unicode.Khmer}, {"Lao", unicode.Lao}, {"Myanmar", unicode.Myanmar}, {"Tibetan", unicode.Tibetan},
	{"Mongolian", unicode.Mongolian},
}

// scriptOf returns the writing system of s: the most frequent non-Latin script among its letters if it has
// any, else "Latin", or "" when s has no letters.
func scriptOf(s string) string {
	var counts [32]int
	latin := false
	for _, r := range s {
		if r < 0x80 {
			latin = latin || unicode.IsLetter(r)
			continue
		}
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			continue
		}
		for i, sc := range scripts {
			if unicode.Is(sc.table, r) {
				counts[i]++
				break
			}
		}
		latin = latin || unicode.Is(unicode.Latin, r)
	}
	best := -1
	for i := range scripts {
		if counts[i] > 0 && (best < 0 || counts[i] > counts[best]) {
			best = i
		}
	}
	switch {
	case best >= 0:
		return scripts[best].name
	case latin:
		return "Latin"
	}
	return ""
}

// detectScript returns the non-Latin script of a name ("Arabic", "Cyrillic", "Han" ...) or "" for names in
// Latin script.
func detectScript(s string) string {
	if sc := scriptOf(s); sc != "Latin" {
		return sc
	}
	return ""
}

// qualifiers the list writes into a name rather than into NOTE.
var qualifiers = []string{"(previously listed as)", "(formerly listed as)", " - sub-unit name"}

// qualifier splits a trailing qualifier off a name: "Ezatullah Haqqani (previously listed as)" gives
// "previously listed as" and "Ezatullah Haqqani".
func qualifier(s string) (q, rest string) {
	for _, m := range qualifiers {
		if len(s) > len(m) && strings.EqualFold(s[len(s)-len(m):], m) {
			return strings.Trim(m, " -()"), strings.TrimSpace(s[:len(s)-len(m)])
		}
	}
	return "", s
}

var translitRe = regexp.MustCompile(`(?i)\(?\s*transliterations?(?: of original script name)?\s*\)?\s*:?`)

// noteNames returns the Latin transliterations the list writes into an alias NOTE: after an alias in
// original script ("شيخ يونس الموريتاني", NOTE "Yunis al-Mauritani; Younis al-Mauritani") or marked as
// transliterations ("Abu Muhammad al-Jawlani, Abu Mohammed al-Julani (transliterations of original script
// name)"). Parts that do not look like names (digits, parentheses, colons, more than six words) are left in
// the note only.
func noteNames(alias, note string) []string {
	if note == "" {
		return nil
	}
	marked := translitRe.MatchString(note)
	if !marked && (detectScript(alias) == "" || scriptOf(note) != "Latin") {
		return nil
	}
	note = translitRe.ReplaceAllString(note, ";")
	var out []string
	for _, part := range strings.FieldsFunc(note, func(r rune) bool { return r == ';' || r == ',' }) {
		part = strings.TrimSpace(part)
		if part == "" || strings.ContainsAny(part, "0123456789():") || len(strings.Fields(part)) > 6 {
			continue
		}
		out = append(out, part)
	}
	return out
}
