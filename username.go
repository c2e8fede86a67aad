package tradescreen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Names the server and the command line act under, which no user may take (nor anything that looks like
// them): the local operator of a keyless loopback server, the server's own key, and the prefixes of the
// automatic actors ("system:monitor") and of the command line ("cli:$USER"), which a user cannot take anyway
// since ':' is refused.
var reservedUserNames = []string{"local", "api-key", "apikey", "system", "cli"}

// MaxUserName is the longest user name, in bytes.
const MaxUserName = 100

// CheckUserName refuses a user name that could pass for another actor in the audit trail, the alert
// history or a spreadsheet: empty or over MaxUserName bytes; a NUL byte or invalid UTF-8; not in Unicode
// NFKC form (fullwidth letters, ligatures); anything but letters, digits, combining marks and . _ - @ '
// (so no spaces, control, zero-width or bidirectional-override characters, no ':' as in system:monitor or
// cli:$USER); a first character that is a mark or one of - @ ' (a spreadsheet formula, a hidden quote);
// letters of Latin, Greek, Cyrillic, Armenian or Cherokee mixed with another script (the usual look-alikes);
// or a name that looks like a reserved one (local, api-key, system, cli) once case and look-alike letters
// are folded (UserNameSkeleton). Errors: EINVALID naming the problem.
func CheckUserName(name string) error {
	if err := CheckText("name", name); err != nil {
		return err
	}
	if name == "" || len(name) > MaxUserName {
		return Errorf(EINVALID, "name: must be 1 to %d bytes", MaxUserName)
	}
	if n := norm.NFKC.String(name); n != name {
		return Errorf(EINVALID, "name: %q is not in Unicode normal form NFKC (it looks like %q)", name, n)
	}
	for i, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case unicode.IsMark(r) && i > 0:
		case strings.ContainsRune("._", r) || strings.ContainsRune("-@'", r) && i > 0:
		default:
			return Errorf(EINVALID, "name: %q holds %U at byte %d: use letters, digits and . _ - @ ' (not first: - @ ')", name, r, i)
		}
	}
	if a, b := mixedScripts(name); a != "" {
		return Errorf(EINVALID, "name: %q mixes %s and %s letters, which look alike", name, a, b)
	}
	sk := UserNameSkeleton(name)
	for _, r := range reservedUserNames {
		if sk == UserNameSkeleton(r) {
			return Errorf(EINVALID, "name: %q is reserved (or looks like %q, a name the server acts under)", name, r)
		}
	}
	return nil
}

// confusableScripts are the scripts whose letters pass for Latin ones or one another's.
var confusableScripts = []struct {
	name  string
	table *unicode.RangeTable
}{{"Latin", unicode.Latin}, {"Greek", unicode.Greek}, {"Cyrillic", unicode.Cyrillic}, {"Armenian", unicode.Armenian}, {"Cherokee", unicode.Cherokee}}

// mixedScripts returns two scripts whose letters name mixes when one of them is confusable, and "" otherwise.
func mixedScripts(name string) (string, string) {
	first, firstConfusable := "", false
	for _, r := range name {
		if !unicode.IsLetter(r) {
			continue
		}
		script, confusable := scriptOf(r)
		if first == "" {
			first, firstConfusable = script, confusable
			continue
		}
		if script != first && (confusable || firstConfusable) {
			return first, script
		}
	}
	return "", ""
}

// scriptOf names the script of a letter and says whether it is one of confusableScripts.
func scriptOf(r rune) (string, bool) {
	for _, s := range confusableScripts {
		if unicode.Is(s.table, r) {
			return s.name, true
		}
	}
	for name, t := range unicode.Scripts {
		if unicode.Is(t, r) {
			return name, false
		}
	}
	return "Unknown", false
}

// lookalikes maps letters and digits that pass for Latin letters to them (after lower-casing).
var lookalikes = map[rune]rune{
	'0': 'o', '1': 'l', '3': 'e', '5': 's', 'ı': 'i', 'і': 'i', 'ӏ': 'l', 'ј': 'j',
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ь': 'b', 'ɡ': 'g',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'ω': 'w', 'ք': 'p', 'օ': 'o', 'ս': 'u', 'հ': 'h', 'ց': 'g',
}

// UserNameSkeleton folds a user name to what it looks like: NFKC, lower case, look-alike letters and digits
// replaced by the Latin letters they pass for, combining marks dropped and "_" read as "-". Two names with
// the same skeleton are confusable; a store refuses a new user whose skeleton is an existing user's.
func UserNameSkeleton(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(norm.NFKC.String(name))) {
		if unicode.IsMark(r) || !utf8.ValidRune(r) {
			continue
		}
		if l, ok := lookalikes[r]; ok {
			r = l
		}
		if r == '_' {
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}
