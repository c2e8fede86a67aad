// Package normalize turns names as the lists and users write them into comparable tokens: Unicode folding
// (NFKD, case, accents and marks), transliteration of Cyrillic, Greek, Arabic, Hebrew, Armenian and Georgian
// to Latin and of Han characters to pinyin, apostrophes and the lists' "?" artefacts, punctuation, legal forms
// canonicalized across languages, honorifics, stop words, and numbers and ordinals. It is pure: no I/O, no
// state beyond read-only tables.
package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// MaxNameLen bounds the input Fold reads: longer input is cut at a rune boundary. No list name comes close.
const MaxNameLen = 1024

// Fold returns s as lower-case Latin letters, digits and single spaces: accents and marks removed, other
// scripts transliterated, apostrophes (and a "?" standing between two letters, where the source lost an
// apostrophe) removed without a break, a per cent sign after a digit read as the word ("3%ers": "3
// percenters"), and every other punctuation turned into a space.
func Fold(s string) string {
	if len(s) > MaxNameLen {
		s = s[:MaxNameLen]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
	}
	if isASCIISimple(s) {
		return foldASCII(s)
	}
	if hasArabic(s) {
		s = arabicGivenNames(s)
	}
	s = norm.NFKD.String(s)
	// Serbian and Macedonian Cyrillic, told by letters only they have, are read as their own Latin alphabets
	// write them (Вучић, Vučić: vucic), the lists' spelling of their people's names.
	serbian := strings.ContainsAny(s, "ђјљњћџЂЈЉЊЋЏѓќЃЌ")
	var b strings.Builder
	b.Grow(len(s) + 8)
	space := true // suppress leading space
	put := func(str string) {
		for i := 0; i < len(str); i++ {
			c := str[i]
			if c == ' ' {
				if !space {
					b.WriteByte(' ')
					space = true
				}
				continue
			}
			b.WriteByte(c)
			space = false
		}
	}
	runes := []rune(s)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 32)
				space = false
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				b.WriteByte(c)
				space = false
			case c == '\'' || c == '`':
				// apostrophe: join
			case c == '?':
				if i > 0 && i+1 < len(runes) && unicode.IsLetter(runes[i-1]) && unicode.IsLetter(runes[i+1]) {
					continue // Xi?an -> xian
				}
				put(" ")
			case c == '%' && i > 0 && runes[i-1] >= '0' && runes[i-1] <= '9':
				put(" percent")
			default:
				put(" ")
			}
		case (r == 'и' || r == 'И' || r == 'і' || r == 'І') && i+1 < len(runes) && (runes[i+1] == '\u0306' || runes[i+1] == '\u0308'):
			// NFKD splits й (и and a breve) and ї (і and a diaeresis); they are letters of their own: y, yi.
			if runes[i+1] == '\u0306' {
				put("y")
			} else {
				put("yi")
			}
			i++
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r):
			// combining marks (accents, Arabic harakat), zero-width joiners: drop
		case unicode.Is(unicode.Mc, r):
			// spacing vowel signs of the Indic and South-East Asian scripts (Bengali মোহাম্মদ, Devanagari
			// मोहम्मद): part of the word, not a break in it
			b.WriteRune(r)
			space = false
		case r == '’' || r == '‘' || r == 'ʼ' || r == 'ʻ' || r == '´' || r == 'ʹ' || r == '′' || r == 'ʿ' || r == 'ʾ':
			// apostrophe-like and Arabic ayn/hamza transcription marks: join
		case unicode.Is(unicode.Han, r):
			put(" ")
			put(hanPinyin(r))
			put(" ")
		case isKana(r):
			var romaji string
			romaji, i = romanizeKana(runes, i)
			i--
			put(romaji)
		case r >= 0x1100 && r <= 0x11FF:
			// Hangul, which NFKD decomposes into its letters (jamo): each syllable a word.
			if lead, ok := hangulSyllableStart(r); ok {
				put(" ")
				put(lead)
			} else {
				put(hangulJamo(r))
			}
		default:
			if t, ok := serbianLatin[unicode.ToLower(r)]; ok && serbian {
				put(t)
				continue
			}
			if t, ok := translit[unicode.ToLower(r)]; ok {
				put(t)
				continue
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				lr := unicode.ToLower(r)
				if lr < utf8.RuneSelf {
					b.WriteByte(byte(lr))
				} else {
					b.WriteRune(lr)
				}
				space = false
				continue
			}
			put(" ")
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func isASCIISimple(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is Fold for pure ASCII input, the common case, without allocation beyond the result.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+32)
			space = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
			space = false
		case c == '\'' || c == '`':
		case c == '?' && i > 0 && i+1 < len(s) && isASCIILetter(s[i-1]) && isASCIILetter(s[i+1]):
		case c == '%' && i > 0 && s[i-1] >= '0' && s[i-1] <= '9':
			b = append(b, " percent"...)
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// hanPinyin returns the toneless pinyin of a Han character (its most common reading), or "" if unknown.
func hanPinyin(r rune) string {
	v, ok := pinyin.PinyinDict[int(r)]
	if !ok {
		return ""
	}
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	v = norm.NFKD.String(v)
	var b strings.Builder
	for _, c := range v {
		if c < utf8.RuneSelf && c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Syllabic returns the characters of s when s is written wholly in a script whose characters are syllables
// of a name (Han, Hangul, Hiragana, Katakana; spaces, punctuation and the katakana middle dot aside), in
// their composed form; else "". Two such names that differ in a character are different names even when
// their romanizations agree (高市早苗 and 高石早苗 are both "Gao Shi Zao Miao").
func Syllabic(s string) string {
	if isASCIISimple(s) {
		return ""
	}
	var b []rune
	for _, r := range norm.NFC.String(s) {
		switch {
		case r == '・' || r == 'ー' || r == '·':
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r):
			b = append(b, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return ""
		}
	}
	return string(b)
}

// Script names the dominant non-Latin script of s ("Han", "Cyrillic", "Arabic", "Hebrew", "Greek",
// "Armenian", "Georgian", "Hangul", "Thai", ...), or "" when s is Latin or has no letters.
func Script(s string) string {
	counts := map[string]int{}
	for _, r := range s {
		if !unicode.IsLetter(r) || r < 0x250 {
			continue
		}
		for name, tab := range scripts {
			if unicode.Is(tab, r) {
				counts[name]++
				break
			}
		}
	}
	best, n := "", 0
	for k, v := range counts {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return best
}

var scripts = map[string]*unicode.RangeTable{
	"Han": unicode.Han, "Cyrillic": unicode.Cyrillic, "Arabic": unicode.Arabic, "Hebrew": unicode.Hebrew,
	"Greek": unicode.Greek, "Armenian": unicode.Armenian, "Georgian": unicode.Georgian, "Hangul": unicode.Hangul,
	"Thai": unicode.Thai, "Hiragana": unicode.Hiragana, "Katakana": unicode.Katakana, "Devanagari": unicode.Devanagari,
	"Ethiopic": unicode.Ethiopic, "Myanmar": unicode.Myanmar, "Khmer": unicode.Khmer, "Tamil": unicode.Tamil,
}

// serbianLatin are the letters Serbian and Macedonian Latin write otherwise than the English-style
// romanization of Cyrillic (č, š, ž, h, đ, dž folded).
var serbianLatin = map[rune]string{'ч': "c", 'ш': "s", 'ж': "z", 'х': "h", 'ђ': "d", 'ѓ': "g", 'ќ': "k"}

// translit maps lower-case letters of other scripts (after NFKD, so without accents) to Latin. Cyrillic follows
// the common BGN/PCGN-style romanization used by the sanctions lists (Russian, Ukrainian, Belarusian, Serbian,
// Macedonian letters), Greek ELOT 743, Arabic and Persian a consonantal romanization (short vowels are not
// written in Arabic script), Hebrew, Armenian and Georgian their national romanizations; special Latin letters
// that do not decompose are spelled out.
var translit = map[rune]string{
	// Latin letters without a decomposition
	'ß': "ss", 'æ': "ae", 'ø': "o", 'đ': "d", 'ł': "l", 'þ': "th", 'ı': "i", 'œ': "oe", 'ð': "d", 'ħ': "h",
	'ŋ': "ng", 'ĸ': "k", 'ŀ': "l", 'ŧ': "t", 'ə': "a", 'ɨ': "i", 'ʃ': "sh", 'ʒ': "zh",
	// Cyrillic
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u", 'ђ': "dj", 'ј': "j",
	'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz", 'ә': "a", 'ғ': "gh", 'қ': "q",
	'ң': "ng", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'ҳ': "h", 'ҷ': "j", 'ӣ': "i", 'ӯ': "u",
	// Greek
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i", 'κ': "k",
	'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t",
	'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
	// Arabic and Persian
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h",
	'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t",
	'ظ': "z", 'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	'و': "w", 'ي': "y", 'ى': "a", 'ة': "a", 'ء': "", 'ئ': "", 'ؤ': "", 'پ': "p", 'چ': "ch", 'ژ': "zh",
	'گ': "g", 'ک': "k", 'ی': "y", 'ۀ': "h", 'ـ': "",
	// Urdu and Pashto letters of their own (ھ ہ h, ے y, ٹ t, ڈ d, ڑ r, ں n)
	'ھ': "h", 'ہ': "h", 'ۂ': "h", 'ے': "y", 'ۓ': "y", 'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n",
	// Hebrew
	'א': "", 'ב': "b", 'ג': "g", 'ד': "d", 'ה': "h", 'ו': "v", 'ז': "z", 'ח': "kh", 'ט': "t", 'י': "y",
	'כ': "k", 'ך': "k", 'ל': "l", 'מ': "m", 'ם': "m", 'נ': "n", 'ן': "n", 'ס': "s", 'ע': "", 'פ': "p",
	'ף': "f", 'צ': "ts", 'ץ': "ts", 'ק': "k", 'ר': "r", 'ש': "sh", 'ת': "t",
	// Armenian
	'ա': "a", 'բ': "b", 'գ': "g", 'դ': "d", 'ե': "e", 'զ': "z", 'է': "e", 'ը': "y", 'թ': "t", 'ժ': "zh",
	'ի': "i", 'լ': "l", 'խ': "kh", 'ծ': "ts", 'կ': "k", 'հ': "h", 'ձ': "dz", 'ղ': "gh", 'ճ': "ch", 'մ': "m",
	'յ': "y", 'ն': "n", 'շ': "sh", 'ո': "o", 'չ': "ch", 'պ': "p", 'ջ': "j", 'ռ': "r", 'ս': "s", 'վ': "v",
	'տ': "t", 'ր': "r", 'ց': "ts", 'ւ': "v", 'փ': "p", 'ք': "k", 'օ': "o", 'ֆ': "f", 'և': "ev",
	// Georgian
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z", 'თ': "t", 'ი': "i", 'კ': "k",
	'ლ': "l", 'მ': "m", 'ნ': "n", 'ო': "o", 'პ': "p", 'ჟ': "zh", 'რ': "r", 'ს': "s", 'ტ': "t", 'უ': "u",
	'ფ': "p", 'ქ': "k", 'ღ': "gh", 'ყ': "q", 'შ': "sh", 'ჩ': "ch", 'ც': "ts", 'ძ': "dz", 'წ': "ts", 'ჭ': "ch",
	'ხ': "kh", 'ჯ': "j", 'ჰ': "h",
}
