package normalize

import "strings"

// Arabic script writes a name's consonants and long vowels and leaves its short vowels out: طيب is read
// "tyb" letter by letter, and the lists write it Tayeb, Tayyib or Taib. A word the tables of arabic.go do not
// know is matched to a Latin spelling when that spelling can be read from its letters: each letter written as
// one of its usual Latin renderings (ق as q, k or g; و as w, u, o or ou; ي as y, i or ee ...), a consonant
// doubled (shadda is not written either), and short vowels put anywhere between them.

// abjadSpellings are the Latin renderings of each unit of the letter-by-letter transliteration of Arabic
// script (the translit table of normalize.go: ث "th", ى and ة "a", ع and hamza nothing).
var abjadSpellings = map[string][]string{
	// alef, alef maksura and ta marbuta: a long a, a final i or y (Persian and Urdu write final ی as ى:
	// حقانى Haqqani), a final -ah, -eh or -at, or nothing (the seat of a hamza).
	"a":  {"a", "aa", "ah", "at", "e", "eh", "et", "i", "y", "ee", "ie", "o", "u", ""},
	"w":  {"w", "ww", "u", "o", "ou", "oo", "v", "ow", "aw", "uw", "ew"},
	"y":  {"y", "yy", "i", "ee", "ie", "ei", "e", "ey", "ay", "ai", "iy", "j"},
	"b":  {"b", "bb", "p"},
	"p":  {"p", "pp", "b"},
	"t":  {"t", "tt", "d"},
	"th": {"th", "s", "ss", "t", "tt"},
	"j":  {"j", "jj", "g", "gg", "dj", "dzh", "zh"},
	"h":  {"h", "hh"},
	"kh": {"kh", "h", "k", "x", "ch", "kk"},
	"d":  {"d", "dd", "t", "dh", "z", "zz"},
	"dh": {"dh", "z", "zz", "th", "d", "dd"},
	"r":  {"r", "rr"},
	"z":  {"z", "zz", "dh", "s", "th"},
	"s":  {"s", "ss", "c", "ts"},
	"sh": {"sh", "ch", "sch", "s", "ss", "shsh"},
	"gh": {"gh", "g", "gg", "r"},
	"f":  {"f", "ff", "ph", "v"},
	"q":  {"q", "qq", "k", "kk", "g", "c", "ck", "gh", "qu"},
	"k":  {"k", "kk", "c", "ck", "q", "g"},
	"l":  {"l", "ll"},
	"m":  {"m", "mm"},
	"n":  {"n", "nn"},
	"ch": {"ch", "tch", "c", "tsh", "j"},
	"zh": {"zh", "j", "z", "g"},
	"g":  {"g", "gg", "gu"},
	// The article al- read into the word before it (arabicReading writes it @): Jalal al-Din is
	// Jalaluddin, Rahmat Allah Rahmatullah; before a sun letter its l takes that letter's sound (ud-din,
	// ur-rahman, as-salam).
	"@": {"al", "el", "ul", "il", "ol", "l", "a", "e", "u", "i", "o", "",
		"ad", "ud", "ed", "id", "at", "ut", "et", "ar", "ur", "er", "ir", "as", "us", "es", "is", "az", "uz", "ez",
		"an", "un", "en", "in", "ash", "ush", "esh", "ath", "uth", "adh", "udh"},
}

// abjadBreak is how the break between two words read as one is written in Latin letters: not at all, or
// with a hyphen or an apostrophe that folding removed.
var abjadBreak = []string{""}

// abjadDigraphs are the units of two letters the transliteration writes for one letter.
var abjadDigraphs = map[string]bool{"th": true, "kh": true, "dh": true, "sh": true, "gh": true, "ch": true, "zh": true}

// AbjadFits reports whether latin, a word in Latin letters, can be read from roman, the letter-by-letter
// transliteration (Fold) of a word in Arabic script: every letter rendered in order, consonants doubled,
// short vowels (a, e, i, o, u) added between them. A final h (ه) may be silent ("Allah", "Alla"). roman must
// have three letters or more, and latin may not be more than about twice as long.
func AbjadFits(roman, latin string) bool {
	_, ok := AbjadCost(roman, latin)
	return ok
}

// AbjadCost is AbjadFits with a cost: two for each letter latin renders otherwise than in the first,
// commonest way (ق as k rather than q, a silent final h), one for each short vowel added. Of the words a
// transliterated word fits, the one of least cost reads it best ("tyb": Tayeb before Adib).
func AbjadCost(roman, latin string) (int, bool) {
	if len(roman) < 3 || len(latin) > 2*len(roman)+3 || len(latin) < len(roman)/2 {
		return 0, false
	}
	// cost[j] is the least cost at which latin[:j] reads roman[:i] for the current i, or -1.
	var buf [2][64]int
	if len(latin) >= len(buf[0]) {
		return 0, false
	}
	cur, next := buf[0][:len(latin)+1], buf[1][:len(latin)+1]
	for j := range cur {
		cur[j] = -1
	}
	cur[0] = 0
	vowels(cur, latin)
	for i := 0; i < len(roman); {
		n := 1
		if i+1 < len(roman) && abjadDigraphs[roman[i:i+2]] {
			n = 2
		}
		unit := roman[i : i+n]
		spellings, ok := abjadSpellings[unit]
		if !ok {
			spellings = []string{unit}
		}
		// A final h may be silent at the end of the word, or of a part of it: before the break | that
		// arabicReading writes between words read as one (Persian خامنه‌ای, Khamenei).
		last := i+n == len(roman) || roman[i+n] == '|'
		if unit == "|" {
			spellings = abjadBreak
		}
		for j := range next {
			next[j] = -1
		}
		reached := false
		relax := func(j, c int) {
			if next[j] < 0 || c < next[j] {
				next[j] = c
			}
			reached = true
		}
		for j, c := range cur {
			if c < 0 {
				continue
			}
			for k, sp := range spellings {
				if strings.HasPrefix(latin[j:], sp) {
					relax(j+len(sp), c+2*min(k, 1))
				}
			}
			if unit == "h" && last {
				relax(j, c+2) // a silent final h
			}
		}
		if !reached {
			return 0, false
		}
		vowels(next, latin)
		cur, next = next, cur
		i += n
	}
	if cur[len(latin)] < 0 {
		return 0, false
	}
	return cur[len(latin)], true
}

// vowels extends the reached positions of latin over the short vowels that follow them, at a cost of one
// each.
func vowels(cost []int, latin string) {
	for j := 0; j < len(latin); j++ {
		if cost[j] >= 0 && strings.IndexByte("aeiou", latin[j]) >= 0 && (cost[j+1] < 0 || cost[j]+1 < cost[j+1]) {
			cost[j+1] = cost[j] + 1
		}
	}
}

// AbjadKey is a coarse key of a word's consonants under which the Latin spellings AbjadFits accepts for a
// transliterated Arabic word share the word's own key: vowels, w, y, h and v left out, the consonants that
// stand for one another in one class (t d s z th dh sh ch; k q c g j x kh gh; b p f ph — ph is پ and ه in a
// transliteration, ف in Mustapha), a class repeated once.
func AbjadKey(w string) string {
	var b strings.Builder
	prev := byte(0)
	put := func(c byte) {
		if c != prev {
			b.WriteByte(c)
			prev = c
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		two := ""
		if i+1 < len(w) {
			two = w[i : i+2]
		}
		switch {
		case two == "th" || two == "dh" || two == "sh" || two == "ch" || two == "zh":
			put('T')
			i++
		case two == "kh" || two == "gh":
			put('K')
			i++
		case two == "ph":
			put('B')
			i++
		case strings.IndexByte("aeiouwyhv@|", c) >= 0:
			// a vowel, a long vowel's letter or a silent h: no consonant of the key
		case strings.IndexByte("tdsz", c) >= 0:
			put('T')
		case strings.IndexByte("kqcgjx", c) >= 0:
			put('K')
		case c == 'b' || c == 'p' || c == 'f':
			put('B')
		case c >= 'a' && c <= 'z':
			put(c - 32)
		default:
			put(c)
		}
	}
	return b.String()
}

// AbjadKeys returns the keys (AbjadKey) under which the Latin spellings of roman, a transliterated Arabic
// word, may stand: ژ, transliterated zh, is written j or g as often as z or zh, which are keys of two classes.
func AbjadKeys(roman string) []string {
	k := AbjadKey(roman)
	if !strings.Contains(roman, "zh") {
		return []string{k}
	}
	return []string{k, AbjadKey(strings.ReplaceAll(roman, "zh", "j"))}
}

// arabicSpellings holds every Latin word the tables of arabic.go give an Arabic word.
var arabicSpellings = func() map[string]bool {
	m := map[string]bool{"al": true}
	for _, t := range []map[string]string{arabicNames, arabicFamilyNames, arabicListNames, abdCompounds} {
		for _, l := range t {
			for _, w := range strings.Fields(l) {
				m[w] = true
			}
		}
	}
	return m
}()

// ArabicSpelling reports whether w, a word folded from Arabic script, is a Latin spelling the tables gave
// it rather than its letter-by-letter transliteration.
func ArabicSpelling(w string) bool { return arabicSpellings[w] }

// ArabicOnly reports whether s is written in Arabic script alone: it has Arabic letters and no Latin ones.
func ArabicOnly(s string) bool {
	if !hasArabic(s) {
		return false
	}
	for _, r := range s {
		if r < 0x250 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0) {
			return false
		}
	}
	return true
}
