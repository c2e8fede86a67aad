package normalize

import (
	_ "embed"
	"strconv"
	"strings"
)

// Class says what role a token plays in a name. Matching weighs tokens by class and rarity.
type Class uint8

// Token classes.
const (
	// Word is an ordinary, possibly distinctive, token.
	Word Class = iota
	// Legal is a canonical legal form ("ltd", "jsc", "llc", "gmbh" ...).
	Legal
	// Stop is a function word ("the", "of", "and", "de", "al" ...).
	Stop
	// Honorific is a title or honorific ("mr", "dr", "sheikh", "general" ...).
	Honorific
	// Number is a number, ordinals and number words included ("13th" and "thirteenth" give "13").
	Number
)

// String names the class.
func (c Class) String() string {
	switch c {
	case Legal:
		return "legal form"
	case Stop:
		return "stop word"
	case Honorific:
		return "honorific"
	case Number:
		return "number"
	}
	return "word"
}

// Token is one normalized token of a name.
type Token struct {
	Text  string
	Class Class
}

// Options changes how Tokens treats a name.
type Options struct {
	// Person disables legal-form recognition (a person's name has none) and drops honorifics.
	Person bool
}

//go:embed legalforms.csv
var legalFormsCSV string

// legalForms maps a folded variant (one or more tokens joined by spaces) to its canonical form.
var legalForms map[string]string

// legalMaxLen is the largest number of tokens in a legal form variant.
var legalMaxLen int

// legalLeading are legal forms that may stand first in a name ("OOO Romashka", "PT Bank", "AO Kaspersky").
var legalLeading = map[string]bool{
	"ooo": true, "oao": true, "zao": true, "pao": true, "ao": true, "pt": true, "tov": true, "too": true,
	"jsc": true, "ojsc": true, "cjsc": true, "pjsc": true, "llc": true, "fgup": true, "gup": true, "mup": true,
	"fsue": true, "pat": true, "prat": true, "vat": true, "zat": true, "chusik hoesa": true,
	"open joint stock company": true, "closed joint stock company": true, "joint stock company": true,
	"public joint stock company": true, "limited liability company": true, "federal state unitary enterprise": true,
	"aktsionernoe obshchestvo": true, "otkrytoe aktsionernoe obshchestvo": true, "zakrytoe aktsionernoe obshchestvo": true,
	"obshchestvo s ogranichennoy otvetstvennostyu": true, "publichnoe aktsionernoe obshchestvo": true,
}

func init() {
	legalForms = map[string]string{}
	for _, line := range strings.Split(legalFormsCSV, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		canon, variant, ok := strings.Cut(line, ",")
		if !ok {
			panic("normalize: bad legalforms.csv line: " + line)
		}
		legalForms[variant] = canon
		if n := strings.Count(variant, " ") + 1; n > legalMaxLen {
			legalMaxLen = n
		}
	}
}

// LegalForm returns the canonical legal form of a folded phrase ("company limited" -> "ltd") and whether it
// is one.
func LegalForm(folded string) (string, bool) {
	c, ok := legalForms[folded]
	return c, ok
}

var stopWords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "de": true, "del": true, "la": true, "le": true,
	"les": true, "du": true, "des": true, "da": true, "di": true, "do": true, "dos": true, "das": true,
	"von": true, "van": true, "der": true, "den": true, "al": true, "el": true, "an": true,
	"et": true, "und": true, "in": true, "on": true, "at": true, "to": true,
}

var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mister": true, "madam": true, "dr": true,
	"doctor": true, "prof": true, "professor": true, "sir": true, "dame": true, "lord": true, "lady": true,
	"sheikh": true, "shaikh": true, "shaykh": true, "sheik": true, "haji": true, "hajji": true, "hadji": true,
	"mullah": true, "mulla": true, "mollah": true, "maulana": true, "maulvi": true, "mawlawi": true,
	"maulavi": true, "mufti": true, "imam": true, "qari": true, "ayatollah": true, "hojatoleslam": true,
	"general": true, "gen": true, "colonel": true, "col": true, "major": true, "maj": true, "captain": true,
	"capt": true, "lieutenant": true, "lt": true, "admiral": true, "adm": true, "brigadier": true,
	"commander": true, "cmdr": true, "sergeant": true, "sgt": true, "his": true, "her": true,
	"excellency": true, "hon": true, "honorable": true, "honourable": true, "rev": true, "reverend": true,
	"father": true, "fr": true, "engineer": true, "eng": true, "jr": true, "sr": true, "junior": true,
	"senior": true, "herr": true, "frau": true, "monsieur": true, "mme": true, "senor": true, "sra": true,
	"sayyid": true, "sayed": true, "seyed": true, "syed": true, "emir": true, "amir": true,
}

var numberWords = map[string]string{
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
	"fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
	"nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
	"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7",
	"eighth": "8", "ninth": "9", "tenth": "10", "eleventh": "11", "twelfth": "12", "thirteenth": "13",
	"fourteenth": "14", "fifteenth": "15", "sixteenth": "16", "seventeenth": "17", "eighteenth": "18",
	"nineteenth": "19", "twentieth": "20", "thirtieth": "30", "fortieth": "40", "fiftieth": "50",
	"hundredth": "100",
	"ii":        "2", "iii": "3", "iv": "4", "vii": "7", "viii": "8", "xiii": "13",
}

// number returns the numeric form of a token that is a number, an ordinal ("13th", "2nd") or a number word.
func number(t string) (string, bool) {
	if n, ok := numberWords[t]; ok {
		return n, true
	}
	digits := 0
	for digits < len(t) && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	if digits == 0 {
		return "", false
	}
	rest := t[digits:]
	switch rest {
	case "", "st", "nd", "rd", "th":
		n, err := strconv.ParseUint(t[:digits], 10, 64)
		if err != nil {
			return t[:digits], true
		}
		return strconv.FormatUint(n, 10), true
	}
	return "", false
}

// Tokens folds s and splits it into classified tokens: legal-form phrases become one canonical token,
// numbers and ordinals are normalized, stop words and honorifics are marked (honorifics are dropped from
// person names when other tokens remain).
func Tokens(s string, opt Options) []Token {
	return TokensFolded(Fold(s), opt)
}

// TokensFolded is Tokens for input already folded by Fold.
func TokensFolded(folded string, opt Options) []Token {
	words := strings.Fields(folded)
	out := make([]Token, 0, len(words))
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !opt.Person {
			// Longest legal-form phrase starting here. Single short forms count only after the first token,
			// or first when they are forms that lead a name; never when they are the whole name.
			matched := false
			for n := min(legalMaxLen, len(words)-i); n >= 1; n-- {
				phrase := strings.Join(words[i:i+n], " ")
				canon, ok := legalForms[phrase]
				if !ok {
					continue
				}
				if n == len(words) {
					continue // the whole name: "Corp" is a word here, not a legal form
				}
				if i == 0 && !legalLeading[phrase] && n < 2 {
					continue
				}
				out = append(out, Token{Text: canon, Class: Legal})
				i += n - 1
				matched = true
				break
			}
			if matched {
				continue
			}
		}
		if n, ok := number(w); ok && !(len(w) <= 4 && romanOnly(w) && !opt.Person && i == 0) {
			out = append(out, Token{Text: n, Class: Number})
			continue
		}
		switch {
		case stopWords[w]:
			out = append(out, Token{Text: w, Class: Stop})
		case honorifics[w]:
			out = append(out, Token{Text: w, Class: Honorific})
		default:
			out = append(out, Token{Text: w, Class: Word})
		}
	}
	if opt.Person {
		kept := out[:0:0]
		for _, t := range out {
			if t.Class != Honorific {
				kept = append(kept, t)
			}
		}
		if len(kept) > 0 {
			out = kept
		}
	}
	return out
}

func romanOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'i', 'v', 'x':
		default:
			return false
		}
	}
	return true
}
