package evaluate

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// The acronym category screens an organization by an acronym, as users often write it, made three ways from
// the entry's real names, in this order of preference:
//
//   - the acronym the list gives in parentheses after a name ("Korean National Insurance Company (KNIC)");
//   - a name of the entry of one word that is the initials of another of its names (CETC beside "China
//     Electronics Technology Group Corporation");
//   - else the initials of a name of four to eight words (stop words left out, an abbreviated legal form
//     such as "Co., Ltd." left out, a written-out one such as "Corporation" kept): "China National Nuclear
//     Corporation" gives CNNC.
//
// The acronym is written as it is, with dots (K.N.I.C.) or in lower case.

// parenAcronym is an acronym in parentheses: two to eight capital letters or digits, a first letter.
var parenAcronym = regexp.MustCompile(`\(([A-Z][A-Z0-9&-]{1,7})\)`)

// acronymVariant makes an acronym query for organization e: the query, the name it was made from, and
// whether the entry allows one.
func acronymVariant(e *tradescreen.Entry, rng *rand.Rand) (string, string, bool) {
	names := []string{e.Name}
	for _, a := range e.Aliases {
		if a.Script == "" && latinName(a.Full) {
			names = append(names, a.Full)
		}
	}
	for _, n := range names {
		if m := parenAcronym.FindStringSubmatch(n); m != nil && letters(m[1]) >= 3 && parenthesisIsAcronym(n, m[1]) {
			return writeAcronym(m[1], rng), n, true
		}
	}
	for _, a := range names {
		if !oneCapitalWord(a) {
			continue
		}
		for _, n := range names {
			if n != a && initials(n) == strings.ToUpper(a) {
				return writeAcronym(a, rng), a + " / " + n, true
			}
		}
	}
	n := names[rng.IntN(len(names))]
	if init := initials(n); len(init) >= 4 && len(init) <= 8 && latinName(n) && !strings.Contains(n, "(") {
		return writeAcronym(init, rng), n, true
	}
	return "", "", false
}

// parenthesisIsAcronym reports whether acronym a, in parentheses in name n, starts with the first letter of
// the name and is not a legal form ("COMOIL (PVT) LTD", "AL-HARAMAYN FOUNDATION (KENYA)" are not acronyms).
func parenthesisIsAcronym(n, a string) bool {
	if _, legal := normalize.LegalForm(normalize.Fold(a)); legal {
		return false
	}
	f := normalize.Fold(n)
	return f != "" && f[0] == normalize.Fold(a)[0]
}

// writeAcronym writes acronym a as it is (half the time), with dots, or in lower case.
func writeAcronym(a string, rng *rand.Rand) string {
	switch rng.IntN(4) {
	case 0:
		var b strings.Builder
		for _, r := range a {
			b.WriteRune(r)
			b.WriteByte('.')
		}
		return b.String()
	case 1:
		return strings.ToLower(a)
	}
	return a
}

// oneCapitalWord reports a name of one word of three to eight capital letters.
func oneCapitalWord(s string) bool {
	s = strings.TrimSpace(s)
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) || r > unicode.MaxASCII {
			return false
		}
		n++
	}
	return n >= 3 && n <= 8
}

// initials returns the capital initials of name's words as written, its legal forms ("Co., Ltd.", "S.A. de
// C.V.", "Joint Stock Company" ...) and stop words left out; "" when a word does not start with a letter.
func initials(name string) string {
	var b strings.Builder
	for _, t := range normalize.Tokens(name, normalize.Options{}) {
		switch t.Class {
		case normalize.Word:
			if c := t.Raw[0]; c < 'a' || c > 'z' {
				return ""
			}
			b.WriteByte(t.Raw[0] - 'a' + 'A')
		case normalize.Number:
			return ""
		}
	}
	return b.String()
}

// letters counts the letters of s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
