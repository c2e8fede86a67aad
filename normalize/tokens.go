package normalize

import (
	_ "embed"
	"sort"
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
	// Text is the normalized token: folded, abbreviations expanded, legal forms canonical, numbers as digits.
	Text string
	// Raw is the folded word (or words, joined) as written, before expansion: it serves to recognize words
	// split or joined differently ("Tech nologies").
	Raw   string
	Class Class
}

// Options changes how Tokens treats a name.
type Options struct {
	// Person disables legal-form recognition (a person's name has none) and drops honorifics.
	Person bool
	// Comma is the number of folded words before the name's first comma ("SALAH, Shaykh": 1), 0 when it
	// has none: in "LAST, First" the given names after the comma may begin with a title. Tokens sets it.
	Comma int
}

// CommaWords returns the number of folded words before the first comma of s, 0 when s has none.
func CommaWords(s string) int {
	i := strings.IndexByte(s, ',')
	if i <= 0 {
		return 0
	}
	return len(strings.Fields(Fold(s[:i])))
}

//go:embed legalforms.csv
var legalFormsCSV string

// legalForms maps a folded variant (one or more tokens joined by spaces) to its canonical form.
var legalForms map[string]string

// legalMaxLen is the largest number of tokens in a legal form variant.
var legalMaxLen int

// legalFirst holds the first word of every legal form variant.
var legalFirst = map[string]bool{}

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
		for _, w := range strings.Fields(variant) {
			if len(w) > 1 && !stopWords[w] {
				legalWords[w] = true
			}
		}
		first, _, _ := strings.Cut(variant, " ")
		legalFirst[first] = true
		if n := strings.Count(variant, " ") + 1; n > legalMaxLen {
			legalMaxLen = n
		}
	}
}

// LegalWord reports whether a folded word of two letters or more, not a stop word, is a word of a legal
// form ("liability" of "limited liability company", "bhd" of "sdn bhd").
func LegalWord(w string) bool { return legalWords[w] }

// legalWords are the words of the legal forms (legalforms.csv), single letters and stop words left out.
var legalWords = map[string]bool{}

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
	"sayyid": true, "seyed": true, "syed": true, "emir": true,
	"president": true, "prasident": true, "presidente": true, "premier": true, "chairman": true,
	"ambassador": true, "senator": true, "governor": true, "mayor": true, "minister": true, "king": true,
	"queen": true, "prince": true, "princess": true, "sultan": true, "hajj": true, "alhaji": true,
}

// IsStopWord reports whether a folded token is a stop word ("of", "the", "de", "al" ...).
func IsStopWord(t string) bool { return stopWords[t] }

// IsHonorific reports whether a folded token is a title or honorific ("general", "sheikh", "dr").
func IsHonorific(t string) bool { return honorifics[t] }

// nameTitles are titles that are also given names ("Mahmood Sultan Bashir-ud-Din"): they are titles only
// when they lead the name or the given names after a comma ("MUHAMMAD, Sultan"), alone or after other
// titles, or when they close it. (Sayyid, Syed and Sheikh, which often stand inside a name written "LAST
// First" without its comma, stay titles wherever they are.)
var nameTitles = map[string]bool{"sultan": true, "emir": true, "prince": true, "king": true}

// personTitles are honorifics that never stand first in an organization's name.
var personTitles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mister": true, "dr": true, "prof": true, "sir": true,
	"sheikh": true, "shaikh": true, "shaykh": true, "sheik": true, "haji": true, "hajji": true, "hadji": true,
	"hajj": true, "alhaji": true, "mullah": true, "mulla": true, "mollah": true, "maulana": true, "maulvi": true,
	"mawlawi": true, "maulavi": true, "mufti": true, "qari": true, "ayatollah": true, "hojatoleslam": true,
	"herr": true, "frau": true, "monsieur": true, "mme": true, "sayyid": true, "seyed": true, "syed": true,
	"hon": true, "rev": true, "madam": true, "prasident": true, "president": true,
}

var numberWords = map[string]string{
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
	"fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
	"nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
	"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7",
	"eighth": "8", "ninth": "9", "tenth": "10", "eleventh": "11", "twelfth": "12", "thirteenth": "13",
	"fourteenth": "14", "fifteenth": "15", "sixteenth": "16", "seventeenth": "17", "eighteenth": "18",
	"nineteenth": "19", "twentieth": "20", "thirtieth": "30", "fortieth": "40", "fiftieth": "50", "fourty": "40", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
	"hundredth": "100",
	"ii":        "2", "iii": "3", "iv": "4", "vii": "7", "viii": "8", "ix": "9", "xii": "12", "xiii": "13", "xiv": "14",
	"xv": "15", "xvi": "16", "xvii": "17", "xviii": "18", "xix": "19", "xx": "20",
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
	if opt.Comma == 0 {
		opt.Comma = CommaWords(s)
	}
	return TokensFolded(Fold(s), opt)
}

// TokensFolded is Tokens for input already folded by Fold. The steps: split the words (a person's
// generational suffix dropped, legal forms written joined split off, an organization's single letters
// joined), expand abbreviations, find the legal forms, classify each word, combine numbers, and settle the
// titles.
func TokensFolded(folded string, opt Options) []Token {
	fields := strings.Fields(folded)
	if opt.Person {
		fields, opt.Comma = dropSuffixes(fields, opt.Comma)
	}
	nfields := len(fields)
	raws := splitJoinedLegal(fields, opt)
	if !opt.Person {
		raws = joinLetters(raws)
	}
	words := raws
	if !opt.Person {
		words = make([]string, len(raws))
		expandAbbreviations(raws, words)
	}
	legal := make([]string, len(words)) // canonical form at the first word of a phrase
	span := make([]int, len(words))     // words in the phrase
	if !opt.Person && len(words) > 1 {
		findLegalForms(raws, words, legal, span)
	}
	out := classify(raws, words, legal, span, opt, len(words) == nfields)
	out = combineNumbers(out)
	if !opt.Person {
		vesselPrefix(out)
		companyTitles(out)
	} else {
		out = dropTitles(out)
	}
	return out
}

// expandAbbreviations sets words to an organization's words raws with their abbreviations written out and
// common typos of legal forms mended, so that "Ltd. Liability Company" is one legal form.
func expandAbbreviations(raws, words []string) {
	for i, w := range raws {
		if full, ok := abbreviations[w]; ok {
			w = full
		}
		words[i] = w
	}
	fixLegalTypos(words)
}

// findLegalForms sets, at the first word of each legal-form phrase of words (raws as written), its
// canonical form (legal) and its number of words (span). Legal forms are recognized at the end of a name
// (one or two phrases: "gmbh co kg", "co ltd"), at its start for the forms that lead a name ("ooo", "pt",
// "joint stock company"), and anywhere for the forms that cannot be anything else ("ltda", "llc", "gmbh");
// never when they would be the whole name ("Corp" is a word there) and not in the middle otherwise
// ("Fishing Enterprise Holding").
func findLegalForms(raws, words, legal []string, span []int) {
	var buf []byte // phrases are joined here: a map lookup of string(buf) does not allocate
	end := legalAtEnd(&buf, raws, words, legal, span)
	start := legalAtStart(&buf, raws, words, legal, span, end)
	legalInside(&buf, words, legal, span, start, end)
}

// legalAtEnd finds up to two legal-form phrases ending the name, the last first, and returns where the
// words before them end.
func legalAtEnd(buf *[]byte, raws, words, legal []string, span []int) int {
	end := len(words)
	for k := 0; k < 2 && end > 1; k++ {
		found := false
		for n := min(legalMaxLen, end-1); n >= 1; n-- {
			if canon, ok := legalPhrase(buf, raws[end-n:end], words[end-n:end]); ok {
				legal[end-n], span[end-n] = canon, n
				end -= n
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return end
}

// legalAtStart finds the longest legal-form phrase starting the name, before end, that may lead a name (or
// is of two words or more), and returns where the words after it start.
func legalAtStart(buf *[]byte, raws, words, legal []string, span []int, end int) int {
	for n := min(legalMaxLen, end-1); n >= 1; n-- {
		canon, ok := legalPhrase(buf, raws[:n], words[:n])
		if !ok {
			continue
		}
		*buf = joinWords(*buf, words[:n])
		if legalLeading[string(*buf)] || legalAnywhere[string(*buf)] || n >= 2 {
			legal[0], span[0] = canon, n
			return n
		}
	}
	return 0
}

// legalInside finds, between start and end, the legal forms that cannot be anything else.
func legalInside(buf *[]byte, words, legal []string, span []int, start, end int) {
	for i := start; i < end; i++ {
		if !legalFirst[words[i]] {
			continue // no legal form starts with this word
		}
		for n := min(legalMaxLen, end-i); n >= 1; n-- {
			*buf = joinWords(*buf, words[i:i+n])
			if canon, ok := legalForms[string(*buf)]; ok && legalAnywhere[string(*buf)] {
				legal[i], span[i] = canon, n
				i += n - 1
				break
			}
		}
	}
}

// classify makes the tokens: one Legal token per legal-form phrase, then numbers, stop words, honorifics
// (titles before the first word of the name, or after the comma when commaKept says the words still stand
// where opt.Comma counts, or closing it) and words.
func classify(raws, words, legal []string, span []int, opt Options, commaKept bool) []Token {
	out := make([]Token, 0, len(words))
	leading := true // no word of the name yet, titles only
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i == opt.Comma && commaKept { // word i is the one after the comma
			leading = true
		}
		if span[i] > 0 {
			out = append(out, Token{Text: legal[i], Raw: strings.Join(raws[i:i+span[i]], ""), Class: Legal})
			i += span[i] - 1
			continue
		}
		if n, ok := number(w); ok {
			out = append(out, Token{Text: n, Raw: raws[i], Class: Number})
			continue
		}
		switch {
		case stopWords[w]:
			out = append(out, Token{Text: w, Raw: raws[i], Class: Stop})
		case honorifics[w] && (opt.Person || personTitles[w] && i == 0) && titleStands(w, i, len(words), leading, opt.Comma, commaKept) && !afterArticle(out):
			// In a name that may be a company's, only a leading title that is never a word of a company name
			// counts ("Dr. ...", not "General Trading").
			out = append(out, Token{Text: w, Raw: raws[i], Class: Honorific})
		default:
			out = append(out, Token{Text: w, Raw: raws[i], Class: Word})
			leading = false
		}
	}
	return out
}

// titleStands reports whether title w, word i of n, stands where a title does: leading the name or its
// given names after the comma, or inside the name unless it is also a given name (Sultan, Emir). A title
// closing a name of several words is its surname ("Umair Sheikh", "Ahmed Sultan", "Erik Prince"), as is a
// title that is the whole part before the comma ("SHEIKH, Umair Naeem"); a courtesy title or a
// generational suffix closing it is still no name ("Mr.", "Jr.").
func titleStands(w string, i, n int, leading bool, comma int, commaKept bool) bool {
	switch {
	case commaKept && comma == 1 && i == 0 && n > 1:
		return false
	case leading:
		return true
	case i == n-1:
		return courtesyTitles[w] || generationalSuffixes[w]
	}
	return !nameTitles[w]
}

// courtesyTitles are the titles that are no one's surname.
var courtesyTitles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mister": true, "madam": true, "dr": true, "prof": true,
	"sir": true, "dame": true, "his": true, "her": true, "excellency": true, "hon": true, "honorable": true,
	"honourable": true, "rev": true, "reverend": true, "fr": true, "herr": true, "frau": true,
	"monsieur": true, "mme": true, "senor": true, "sra": true, "gen": true, "col": true, "maj": true,
	"capt": true, "lt": true, "adm": true, "cmdr": true, "sgt": true, "eng": true,
}

// afterArticle reports whether the last token made is the Arabic article: a title after it is a name
// ("Khalid al-Hajj Muhammad", "Abdel Basit al-Hajj").
func afterArticle(out []Token) bool {
	if len(out) == 0 {
		return false
	}
	t := out[len(out)-1]
	return t.Class == Stop && (t.Text == "al" || t.Text == "el")
}

// companyTitles makes words again the titles of a name that may be a company's when they are the whole of it
// ("M.M.E." is not "Mme") or when it has a legal form, which makes it a company's ("Dr. Reddy's
// Laboratories Ltd", "Mister Car Wash, Inc.").
// vesselPrefixes are the words that lead a ship's name to say what it is ("MV", "M/T", "Vessel"); the lists
// write vessels' names without them ("CHON MA SAN").
var vesselPrefixes = map[string]bool{
	"mv": true, "mt": true, "ms": true, "ss": true, "fv": true, "mts": true, "mvs": true, "vessel": true,
	"tanker": true, "ship": true, "motorship": true, "motor vessel": true, "m v": true, "m t": true, "m s": true,
}

// vesselPrefix reads the words that lead a ship's name ("MV CHON MA SAN", "M/T", "Vessel JI SONG 6") as
// titles, which weigh little, when a name follows them.
func vesselPrefix(out []Token) {
	for n := 2; n >= 1; n-- {
		if len(out) <= n {
			continue
		}
		words := make([]string, n)
		for k := range n {
			if out[k].Class != Word && out[k].Class != Honorific {
				return
			}
			words[k] = out[k].Text
		}
		if vesselPrefixes[strings.Join(words, " ")] {
			for k := range n {
				out[k].Class = Honorific
			}
			return
		}
	}
}

func companyTitles(out []Token) {
	only, legalForm := true, false
	for _, t := range out {
		if t.Class != Honorific && t.Class != Stop {
			only = false
		}
		legalForm = legalForm || t.Class == Legal
	}
	if only || legalForm {
		for k := range out {
			if out[k].Class == Honorific {
				out[k].Class = Word
			}
		}
	}
}

// dropTitles drops the titles of a person's name, unless it has nothing else but stop words ("EL SENOR",
// an alias): the titles are the name then, and become words.
func dropTitles(out []Token) []Token {
	kept := out[:0:0]
	words := 0
	for _, t := range out {
		if t.Class != Honorific {
			kept = append(kept, t)
			if t.Class != Stop {
				words++
			}
		}
	}
	if words > 0 {
		return kept
	}
	for k := range out {
		if out[k].Class == Honorific {
			out[k].Class = Word
		}
	}
	return out
}

// legalPhrase looks a phrase up as written and with its abbreviations expanded (joined in *buf).
func legalPhrase(buf *[]byte, raw, expanded []string) (string, bool) {
	*buf = joinWords(*buf, raw)
	if c, ok := legalForms[string(*buf)]; ok {
		return c, true
	}
	*buf = joinWords(*buf, expanded)
	c, ok := legalForms[string(*buf)]
	return c, ok
}

// joinWords puts words into b separated by single spaces, as strings.Join(words, " ") does.
func joinWords(b []byte, words []string) []byte {
	b = b[:0]
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	return b
}

// legalVocab holds the words of multi-word legal forms ("joint", "stock", "obshchestvo") of five letters or
// more; legalVocabSorted the same words in alphabetical order, so that a typo within one letter of two of
// them is always corrected to the same one.
var (
	legalVocab       = map[string]bool{}
	legalVocabSorted []string
	// legalLongSorted holds the one-word legal forms of ten letters or more ("aktiengesellschaft",
	// "corporation"), in alphabetical order.
	legalLongSorted []string
)

func init() {
	for v := range legalForms {
		f := strings.Fields(v)
		if len(f) == 1 && len(v) >= 10 {
			legalLongSorted = append(legalLongSorted, v)
		}
		if len(f) < 2 {
			continue
		}
		for _, w := range f {
			if len(w) >= 5 && !legalVocab[w] {
				legalVocab[w] = true
				legalVocabSorted = append(legalVocabSorted, w)
			}
		}
	}
	sort.Strings(legalVocabSorted)
	sort.Strings(legalLongSorted)
}

// fixLegalTypos corrects a one-letter typo in a word of a legal form when a neighbouring word is part of a
// legal form too ("Joint Sotck Company" is a joint stock company).
func fixLegalTypos(words []string) {
	// A long one-word form closing a name is recognized with a one-letter typo too ("Siemens
	// Aktiengeselschaft").
	if n := len(words); n > 1 && len(words[n-1]) >= 10 {
		if _, ok := legalForms[words[n-1]]; !ok {
			for _, v := range legalLongSorted {
				if within1(words[n-1], v) {
					words[n-1] = v
					break
				}
			}
		}
	}
	for i, w := range words {
		if len(w) < 5 || legalVocab[w] {
			continue
		}
		if !(i > 0 && legalVocab[words[i-1]] || i+1 < len(words) && legalVocab[words[i+1]]) {
			continue
		}
		for _, v := range legalVocabSorted {
			if within1(w, v) {
				words[i] = v
				break
			}
		}
	}
}

// within1 reports whether a and b are at most one edit (insertion, deletion, substitution or adjacent
// transposition) apart.
func within1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // transposition
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// legalAnywhere are legal forms that are recognized wherever they stand: no word of a name is spelled so.
var legalAnywhere = map[string]bool{
	"ltd": true, "limited": true, "ltda": true, "llc": true, "gmbh": true, "jsc": true, "ooo": true, "oao": true,
	"zao": true, "pao": true, "pjsc": true, "ojsc": true, "cjsc": true, "plc": true, "inc": true,
	"incorporated": true, "corp": true, "sarl": true, "srl": true, "fze": true, "fzco": true, "pte ltd": true,
	"pty ltd": true, "sdn bhd": true, "bhd": true, "co ltd": true, "company limited": true, "doo": true,
	"joint stock company": true, "limited liability company": true, "aktsionernoe obshchestvo": true,
	"obshchestvo s ogranichennoy otvetstvennostyu": true, "sa de cv": true, "eood": true, "gesmbh": true,
	"aktiengesellschaft": true, "sociedad anonima": true, "societe anonyme": true,
}

// combineNumbers turns "forty four" (now "40 4") into "44".
func combineNumbers(ts []Token) []Token {
	for i := 0; i+1 < len(ts); i++ {
		a, b := ts[i], ts[i+1]
		if a.Class != Number || b.Class != Number || len(a.Text) != 2 || a.Text[1] != '0' || a.Text[0] == '1' || len(b.Text) != 1 || b.Text == "0" {
			continue
		}
		ts[i] = Token{Text: a.Text[:1] + b.Text, Raw: a.Raw + b.Raw, Class: Number}
		ts = append(ts[:i+1], ts[i+2:]...)
	}
	return ts
}

// joinLetters joins runs of two or more single letters into one word: "A.B.C. Company" and "ABC Company"
// are the same company, "G.m.b.H." is "GmbH". (Persons' names keep them: there they are initials.)
func joinLetters(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		if len(words[i]) == 1 && i+1 < len(words) && len(words[i+1]) == 1 {
			if out == nil {
				out = append(make([]string, 0, len(words)), words[:i]...)
			}
			j := i
			var b strings.Builder
			for j < len(words) && len(words[j]) == 1 {
				b.WriteString(words[j])
				j++
			}
			out = append(out, b.String())
			i = j - 1
			continue
		}
		if out != nil {
			out = append(out, words[i])
		}
	}
	if out == nil {
		return words
	}
	return out
}

// joinedLegal are legal-form words that people run into the word before ("INVESTMENTSLIMITED").
var joinedLegal = []string{"limited", "company", "corporation", "incorporated", "gmbh", "ltda", "jsc", "llc", "ltd", "ooo", "eood", "bhd"}

// leadingLegal are legal-form words that people run into the word after ("OOOBITRIVER", "COMPANYNOBILITY").
var leadingLegal = []string{"company", "limited", "ooo", "oao", "zao", "pao", "ojsc", "cjsc", "pjsc", "jsc", "llc"}

// splitJoinedLegal splits a legal-form word off the end of a longer word.
func splitJoinedLegal(words []string, opt Options) []string {
	if opt.Person {
		return words
	}
	var out []string
	for i, w := range words {
		split := false
		for _, l := range joinedLegal {
			if len(w) >= len(l)+4 && strings.HasSuffix(w, l) {
				if out == nil {
					out = append(out, words[:i]...)
				}
				out = append(out, w[:len(w)-len(l)], l)
				split = true
				break
			}
		}
		for _, l := range leadingLegal {
			if split || len(w) < len(l)+4 || !strings.HasPrefix(w, l) {
				continue
			}
			if out == nil {
				out = append(out, words[:i]...)
			}
			out = append(out, l, w[len(l):])
			split = true
		}
		if !split && out != nil {
			out = append(out, w)
		}
	}
	if out == nil {
		return words
	}
	return out
}

// generationalSuffixes tell a father from his son ("Jr", "III"): they are not part of the name a list or a
// customer file writes, and a roman numeral there is no number.
var generationalSuffixes = map[string]bool{
	"jr": true, "jnr": true, "junior": true, "sr": true, "snr": true, "senior": true,
	"ii": true, "iii": true, "iv": true, "2nd": true, "3rd": true, "4th": true,
}

// dropSuffixes removes from a person's folded words a generational suffix that closes the name or the part
// before its comma ("SANTOS III, Hilarion"), when two words or more remain, and returns the words and the
// comma position (words before the comma) adjusted.
func dropSuffixes(words []string, comma int) ([]string, int) {
	at := suffixAt(words, comma)
	if at < 0 {
		return words, comma
	}
	out := make([]string, 0, len(words)-1)
	out = append(append(out, words[:at]...), words[at+1:]...)
	if comma > at {
		comma--
	}
	return out, comma
}

// suffixAt returns the position of the generational suffix of a person's folded words (see dropSuffixes),
// or -1.
func suffixAt(words []string, comma int) int {
	if len(words) < 3 {
		return -1
	}
	if generationalSuffixes[words[len(words)-1]] {
		return len(words) - 1
	}
	if comma >= 2 && comma < len(words) && generationalSuffixes[words[comma-1]] {
		return comma - 1
	}
	return -1
}

// GenerationalSuffix returns the generational suffix ("iii", "jr") that Tokens drops from person's name s,
// or "".
func GenerationalSuffix(s string) string {
	if len(s) < 4 {
		return ""
	}
	words := strings.Fields(Fold(s))
	if at := suffixAt(words, CommaWords(s)); at >= 0 {
		return words[at]
	}
	return ""
}
