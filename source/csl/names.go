package csl

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
)

// collapse trims s and turns every run of white space (including the line breaks some names and addresses
// carry) into one space.
func collapse(s string) string {
	if s == "" {
		return ""
	}
	simple := true
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if prevSpace {
				simple = false
				break
			}
			prevSpace = true
			continue
		}
		if c < 0x20 || c >= 0x80 {
			simple = false
			break
		}
		prevSpace = false
	}
	if simple && !prevSpace {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// repairText undoes two encoding losses of the CSL text (Raw keeps the original):
//
//   - C1 control characters (U+0080-U+009F) are Windows-1252 bytes decoded as Latin-1 somewhere upstream:
//     "CAST Xi\u0092an" is "CAST Xi'an". U+0091/U+0092 become an ASCII apostrophe (the form the list uses
//     elsewhere), U+0093/U+0094 a double quote, the others their Windows-1252 character.
//   - A '?' stands for a character lost in conversion. It is read as an apostrophe only where no other
//     reading is plausible: a possessive "?s" after a letter ("China?s", "People?s"); a French or Irish
//     elision after a one-letter word ("d?Etudes", "O?Brien"); and between two lower-case letters when a
//     vowel follows (pinyin "Xi?an", "Chang?an", Arabic "Fa?ur", "Jum?ah"), except the Portuguese endings
//     "?o" and "?es" ("Jo?o" is João, "comunicac?es" comunicações). Every other '?' (quotation marks lost
//     around "?Institute Giprostroymost?", dashes in "okrug?Yugra", soft signs in "Bul?var") is kept.
func repairText(s string) string {
	if !strings.ContainsAny(s, "?\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f") {
		return s
	}
	rs := []rune(s)
	for i, r := range rs {
		if r >= 0x80 && r <= 0x9f {
			switch r {
			case 0x91, 0x92:
				rs[i] = '\''
			case 0x93, 0x94:
				rs[i] = '"'
			default:
				if c := cp1252[r-0x80]; c != 0 {
					rs[i] = c
				}
			}
		}
	}
	for i, r := range rs {
		if r != '?' || i == 0 || i == len(rs)-1 {
			continue
		}
		if apostropheAt(rs, i) {
			rs[i] = '\''
		}
	}
	return string(rs)
}

// cp1252 maps the C1 range to the Windows-1252 characters; 0 where Windows-1252 has none.
var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// apostropheAt reports whether the '?' at rs[i] (not first or last) is a lost apostrophe; see repairText.
func apostropheAt(rs []rune, i int) bool {
	prev, next := rs[i-1], rs[i+1]
	if !isLetter(prev) || !isLetter(next) {
		return false
	}
	after := rune(0) // the rune after next
	if i+2 < len(rs) {
		after = rs[i+2]
	}
	wordStart := i - 1
	for wordStart > 0 && isLetter(rs[wordStart-1]) {
		wordStart--
	}
	switch {
	case next == 's' && !isLetter(after): // possessive
		return true
	case i-1 == wordStart && strings.ContainsRune("dDlLoO", prev) && (isVowel(next) || prev == 'O' && unicode.IsUpper(next)):
		return true // d'Etudes, l'Oreal, O'Brien
	case unicode.IsLower(prev) && unicode.IsLower(next) && isVowel(next):
		end := i + 1
		for end < len(rs) && isLetter(rs[end]) {
			end++
		}
		tail := string(rs[i+1 : end])
		if tail == "o" || tail == "es" || tail == "oes" || tail == "ao" {
			return false // Portuguese nasal endings: João, comunicações
		}
		return true
	}
	return false
}

func isLetter(r rune) bool {
	return r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouAEIOU", r) }

// Name notes. The Entity List writes some entries as the name of a parent followed by the listed party:
// "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd.",
// "China Aerospace Science and Industry Corporation Second Academy.  Subordinate Institution - 201 Research
// Institute", "Pakistan Atomic Energy Commission (PAEC), and subordinate entity National Development Complex
// (NDC)", "Guangzhou Hongyu Technology Co., Ltd. (a subordinate institute of CETC-7)".
var (
	relationRe = regexp.MustCompile(`(?i)^(.+?)[.,]?\s+(affiliated entity|subordinate institution|and subordinate entity|subordinate entity)\s*[:\-–]?\s*(.+)$`)
	subInstRe  = regexp.MustCompile(`(?i)^(.+?)\s*\((a subordinate (?:institute|institution|entity) of [^()]+)\)\s*$`)
	// "Name, a.k.a., the following N aliases: -A; -B; and -C." (the Entity List's form in the Federal
	// Register and the eCFR).
	followingRe = regexp.MustCompile(`(?i)^(.*?)[,;]?\s*\b([afn]\.k\.a\.?|also known as|formerly known as|now known as),?\s+the following\s+(?:[a-z0-9-]+\s+)?(?:aliases|alias|names)\s*:\s*(.*)$`)
	// markerRe finds an a.k.a. / f.k.a. / n.k.a. marker inside a name.
	markerRe = regexp.MustCompile(`(?i)(?:^|[\s,;(])((?:a\.\s?k\.\s?a|f\.\s?k\.\s?a|n\.\s?k\.\s?a)\.?|also known as|formerly known as|now known as)(?:[,:]|\s|$)`)
)

// splitName splits the published name column into the primary name and the names and notes it carries.
// The original string stays in Raw.
func splitName(s string) (string, []tradescreen.Name) {
	low := strings.ToLower(s)
	if !strings.Contains(low, "affiliated entity") && !strings.Contains(low, "subordinate") && !hasMarker(low) {
		return cleanPrimary(s), nil // the common case, without the regular expressions
	}
	var extra []tradescreen.Name
	if m := relationRe.FindStringSubmatch(s); m != nil && !strings.HasPrefix(strings.ToLower(s), "affiliated ") {
		parent := strings.TrimSpace(m[1])
		rel := relationLabel(m[2])
		party := strings.TrimSpace(m[3])
		if parent != "" && party != "" {
			p, names := splitName(party)
			extra = append(extra, tradescreen.Name{Full: s, Type: tradescreen.NameAKA, Note: rel + " of " + parent})
			return p, append(extra, names...)
		}
	}
	if m := subInstRe.FindStringSubmatch(s); m != nil {
		p, names := splitName(strings.TrimSpace(m[1]))
		extra = append(extra, tradescreen.Name{Full: s, Type: tradescreen.NameAKA, Note: m[2]})
		return p, append(extra, names...)
	}
	if !strings.Contains(low, "following") {
		// no "the following N aliases:" list
	} else if m := followingRe.FindStringSubmatch(s); m != nil && strings.TrimSpace(m[1]) != "" {
		typ := markerType(m[2])
		primary, names := splitInline(strings.TrimSpace(m[1]), true)
		for _, item := range splitItems(trimFinalPeriod(m[3])) {
			names = append(names, splitAltName(item, typ)...)
		}
		return primary, names
	}
	primary, names := splitInline(s, true)
	if primary == "" {
		return s, nil
	}
	return primary, names
}

func relationLabel(s string) string {
	switch strings.ToLower(s) {
	case "affiliated entity":
		return "Affiliated Entity"
	case "subordinate institution":
		return "Subordinate Institution"
	}
	return "Subordinate Entity"
}

// splitAltNames splits the alt_names value (CSV: one string; JSON: one array item) into names: items are
// separated by "; " and may begin with "and " or "-"; an item may itself carry a.k.a./f.k.a. markers.
func splitAltNames(s string) []tradescreen.Name {
	var out []tradescreen.Name
	for _, item := range splitItems(s) {
		out = append(out, splitAltName(item, tradescreen.NameAKA)...)
	}
	return out
}

// splitAltName reads one alias item of the given type.
func splitAltName(item string, typ tradescreen.NameType) []tradescreen.Name {
	item = cleanItem(item)
	if item == "" {
		return nil
	}
	first, names := splitInline(item, false)
	if first != "" {
		names = append([]tradescreen.Name{{Full: first, Type: typ}}, names...)
	}
	return names
}

// splitInline cuts a name at its a.k.a./f.k.a./n.k.a. markers: "X, a.k.a. Y", "X (f.k.a., Y)", "f.k.a. Y",
// "PEARL (A.K.A. NEI-CHIEN CHU) LI". It returns the text outside the markers and the marked names; a
// parenthesised group ends at its closing parenthesis, an inline marker runs to the next marker or the end.
// When top is false, an item that starts with a marker yields no primary text.
func splitInline(s string, top bool) (string, []tradescreen.Name) {
	if !hasMarker(strings.ToLower(s)) {
		return cleanPrimary(s), nil
	}
	var names []tradescreen.Name
	// Parenthesised groups first.
	for guard := 0; guard < 32; guard++ {
		open, close, mStart, mEnd := findParenMarker(s)
		if open < 0 {
			break
		}
		typ := markerType(s[mStart:mEnd])
		inner := s[mEnd:close]
		for _, item := range splitItems(inner) {
			if item = cleanItem(item); item != "" {
				names = append(names, tradescreen.Name{Full: item, Type: typ})
			}
		}
		s = collapse(s[:open] + " " + s[close+1:])
	}
	// Inline markers.
	locs := markerRe.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 {
		return cleanPrimary(s), names
	}
	head := cleanPrimary(s[:locs[0][2]])
	for k, loc := range locs {
		typ := markerType(s[loc[2]:loc[3]])
		end := len(s)
		if k+1 < len(locs) {
			end = locs[k+1][2]
		}
		part := strings.TrimLeft(s[loc[3]:end], ",: ")
		part = cleanPrimary(part)
		if !top {
			part = trimFinalPeriod(part)
		}
		if part != "" {
			for _, item := range splitItems(part) {
				if item = cleanItem(item); item != "" {
					names = append(names, tradescreen.Name{Full: item, Type: typ})
				}
			}
		}
	}
	return head, names
}

// findParenMarker finds the first "(" directly followed by an a.k.a.-type marker, returning the positions of
// "(", of its matching ")", and of the marker. open is -1 when there is none.
func findParenMarker(s string) (open, close, mStart, mEnd int) {
	for i := 0; i < len(s); i++ {
		if s[i] != '(' {
			continue
		}
		rest := s[i+1:]
		if len(rest) > 64 { // the marker follows the parenthesis: look no further (keeps this linear)
			rest = rest[:64]
		}
		loc := markerRe.FindStringSubmatchIndex(rest)
		if loc == nil || strings.TrimSpace(rest[:loc[2]]) != "" {
			continue
		}
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					me := i + 1 + loc[3]
					for me < j && (s[me] == ',' || s[me] == ':' || s[me] == ' ') {
						me++
					}
					return i, j, i + 1 + loc[2], me
				}
			}
		}
		return -1, 0, 0, 0 // unbalanced: leave the name as it is
	}
	return -1, 0, 0, 0
}

// hasMarker reports whether lower-cased text may hold an a.k.a.-type marker; it lets the common name skip the
// regular expressions.
func hasMarker(low string) bool {
	return strings.Contains(low, "k.a") || strings.Contains(low, "k. a") || strings.Contains(low, "known as")
}

func markerType(m string) tradescreen.NameType {
	m = strings.ToLower(strings.TrimSpace(m))
	switch {
	case strings.HasPrefix(m, "f"):
		return tradescreen.NameFKA
	case strings.HasPrefix(m, "n"):
		return tradescreen.NameNKA
	}
	return tradescreen.NameAKA
}

// splitItems splits on ';' outside parentheses and drops empty items.
func splitItems(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				if t := strings.TrimSpace(s[start:i]); t != "" {
					out = append(out, t)
				}
				start = i + 1
			}
		}
		if len(out) >= maxItems {
			return out
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// cleanItem drops the list punctuation around an alias item: a leading "and ", a leading "-" bullet, and a
// trailing comma or semicolon.
func cleanItem(s string) string {
	s = strings.TrimSpace(s)
	for {
		switch {
		case strings.HasPrefix(s, "and ") && len(s) > 4:
			s = strings.TrimSpace(s[4:])
			continue
		case strings.HasPrefix(s, "-") && len(s) > 1 && s[1] != '-':
			s = strings.TrimSpace(s[1:])
			continue
		}
		break
	}
	return strings.TrimSpace(strings.TrimRight(s, ",;"))
}

// cleanPrimary trims spaces and the separators left when a marker is cut off ("Chitron Electronics Company
// Ltd.," -> "Chitron Electronics Company Ltd.").
func cleanPrimary(s string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ",;:"))
}

// trimFinalPeriod drops the full stop that ends a sentence-style alias list unless it belongs to an
// abbreviation ("Ltd.", "Co.", "S.A.").
func trimFinalPeriod(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ".") {
		return s
	}
	body := s[:len(s)-1]
	word := body[strings.LastIndexAny(body, " ;-")+1:]
	if len(word) <= 4 || strings.Contains(word, ".") {
		return s
	}
	return body
}

// scriptOf names the non-Latin script a name is written in ("Han", "Cyrillic", "Arabic" ...), or "" for
// Latin text. The script of most letters wins.
func scriptOf(s string) string {
	scripts := []struct {
		name string
		tab  *unicode.RangeTable
	}{
		{"Han", unicode.Han}, {"Cyrillic", unicode.Cyrillic}, {"Arabic", unicode.Arabic}, {"Hangul", unicode.Hangul},
		{"Hebrew", unicode.Hebrew}, {"Greek", unicode.Greek}, {"Thai", unicode.Thai}, {"Georgian", unicode.Georgian},
		{"Armenian", unicode.Armenian}, {"Hiragana", unicode.Hiragana}, {"Katakana", unicode.Katakana},
		{"Devanagari", unicode.Devanagari}, {"Ethiopic", unicode.Ethiopic}, {"Myanmar", unicode.Myanmar},
		{"Khmer", unicode.Khmer}, {"Lao", unicode.Lao}, {"Bengali", unicode.Bengali}, {"Tamil", unicode.Tamil},
	}
	counts := make([]int, len(scripts))
	latin := 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			if isLetter(r) {
				latin++
			}
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			latin++
			continue
		}
		for i, sc := range scripts {
			if unicode.Is(sc.tab, r) {
				counts[i]++
				break
			}
		}
	}
	best, bi := 0, -1
	for i, c := range counts {
		if c > best {
			best, bi = c, i
		}
	}
	if bi < 0 || best <= latin {
		return ""
	}
	return scripts[bi].name
}

// frStartRe finds the start of a Federal Register citation: "84 FR 54002", "68 F.R. 38290", "83F.R. 28801".
var frStartRe = regexp.MustCompile(`\b\d{1,3}[\s.]*F\.?\s?R\.?\s*\d`)

// splitFR splits federal_register_notice into citations, each trimmed but otherwise as published:
// "84 FR 54002; 85 FR 44159", "84 FR 22961, 85 FR 29852", the Denied Persons form "68 F.R. 38290 6/27/03
// 71 F.R. 38843 7/10/06" (no separator) and "46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81" all give one
// item per citation. A value without an "FR" citation ("Vol. 86, No. 71, 04/15/2021", the State Department
// form) is split on ';' only.
func splitFR(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	locs := frStartRe.FindAllStringIndex(s, maxItems)
	var out []string
	add := func(t string) {
		t = strings.TrimSpace(t)
		for {
			n := len(t)
			t = strings.TrimSpace(strings.TrimRight(t, ",;"))
			if len(t) >= 4 && strings.EqualFold(t[len(t)-4:], " and") {
				t = strings.TrimSpace(t[:len(t)-4])
			}
			if len(t) == n {
				break
			}
		}
		if t != "" {
			out = append(out, t)
		}
	}
	if len(locs) == 0 {
		for _, t := range strings.Split(s, ";") {
			add(t)
		}
		return out
	}
	if pre := s[:locs[0][0]]; strings.TrimSpace(strings.Trim(pre, ",; ")) != "" {
		for _, t := range strings.Split(pre, ";") {
			add(t)
		}
	}
	for k, loc := range locs {
		end := len(s)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		add(s[loc[0]:end])
	}
	return out
}
