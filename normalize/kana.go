package normalize

import "strings"

// Japanese kana are romanized by modified Hepburn, the romanization of Japanese passports and most lists
// ("ヤマダ タロウ" -> "yamada tarou", "バラク・オバマ" -> "baraku obama"): the syllables below, voiced
// by the dakuten (が ga) and half-voiced by the handakuten (ぱ pa), contracted with a small ya, yu, yo (きゃ
// kya, しゃ sha), the small vowels of katakana loanwords (ファ fa, ティ ti, ウィ wi), a small tsu doubling the
// next consonant (ハットリ hattori) and the long-vowel mark dropped (ソニー soni). Long vowels are not marked
// (tarou and taro stay one typo apart).

// kanaRomaji is the Hepburn romanization of each hiragana (katakana are mapped to hiragana first).
var kanaRomaji = map[rune]string{
	'あ': "a", 'い': "i", 'う': "u", 'え': "e", 'お': "o",
	'か': "ka", 'き': "ki", 'く': "ku", 'け': "ke", 'こ': "ko",
	'さ': "sa", 'し': "shi", 'す': "su", 'せ': "se", 'そ': "so",
	'た': "ta", 'ち': "chi", 'つ': "tsu", 'て': "te", 'と': "to",
	'な': "na", 'に': "ni", 'ぬ': "nu", 'ね': "ne", 'の': "no",
	'は': "ha", 'ひ': "hi", 'ふ': "fu", 'へ': "he", 'ほ': "ho",
	'ま': "ma", 'み': "mi", 'む': "mu", 'め': "me", 'も': "mo",
	'や': "ya", 'ゆ': "yu", 'よ': "yo",
	'ら': "ra", 'り': "ri", 'る': "ru", 'れ': "re", 'ろ': "ro",
	'わ': "wa", 'ゐ': "i", 'ゑ': "e", 'を': "o", 'ん': "n",
	'ぁ': "a", 'ぃ': "i", 'ぅ': "u", 'ぇ': "e", 'ぉ': "o", 'ゃ': "ya", 'ゅ': "yu", 'ょ': "yo", 'ゎ': "wa",
	'ゔ': "vu", 'ゕ': "ka", 'ゖ': "ke",
}

// kanaVoiced and kanaHalfVoiced are the syllables a dakuten and a handakuten make of the unvoiced ones.
var (
	kanaVoiced = map[string]string{
		"ka": "ga", "ki": "gi", "ku": "gu", "ke": "ge", "ko": "go",
		"sa": "za", "shi": "ji", "su": "zu", "se": "ze", "so": "zo",
		"ta": "da", "chi": "ji", "tsu": "zu", "te": "de", "to": "do",
		"ha": "ba", "hi": "bi", "fu": "bu", "he": "be", "ho": "bo",
		"u": "vu", "wa": "va", "i": "vi", "e": "ve", "o": "vo",
	}
	kanaHalfVoiced = map[string]string{"ha": "pa", "hi": "pi", "fu": "pu", "he": "pe", "ho": "po"}
)

const (
	dakuten    = '\u3099'
	handakuten = '\u309A'
	longVowel  = 'ー'
	smallTsu   = 'っ'
)

// isKana reports whether r is a hiragana or katakana letter, or the long-vowel mark.
func isKana(r rune) bool {
	return r >= 0x3041 && r <= 0x3096 || r >= 0x30A1 && r <= 0x30FA || r == longVowel
}

// toHiragana maps a katakana letter to its hiragana; other runes are returned as they are.
func toHiragana(r rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		return r - 0x60
	}
	switch r {
	case 'ヷ':
		return 'ゔ' // va, approximately
	}
	return r
}

// romanizeKana romanizes the run of kana (with their combining voicing marks, NFKD-decomposed) that starts
// at runes[i], and returns the romanization and the index after the run.
func romanizeKana(runes []rune, i int) (string, int) {
	var b strings.Builder
	double := false // a small tsu: double the next consonant
	for i < len(runes) && (isKana(runes[i]) || runes[i] == dakuten || runes[i] == handakuten) {
		r := runes[i]
		i++
		if r == longVowel || r == dakuten || r == handakuten {
			continue // the long-vowel mark, or a stray voicing mark
		}
		h := toHiragana(r)
		if h == smallTsu {
			double = true
			continue
		}
		syl, ok := kanaRomaji[h]
		if !ok {
			continue
		}
		if i < len(runes) && runes[i] == dakuten {
			if v, ok := kanaVoiced[syl]; ok {
				syl = v
			}
			i++
		} else if i < len(runes) && runes[i] == handakuten {
			if v, ok := kanaHalfVoiced[syl]; ok {
				syl = v
			}
			i++
		}
		// A small ya, yu, yo or a small vowel after the syllable contracts with it.
		if i < len(runes) {
			switch n := toHiragana(runes[i]); n {
			case 'ゃ', 'ゅ', 'ょ':
				if strings.HasSuffix(syl, "i") && len(syl) > 1 {
					v := kanaRomaji[n][1:]
					if syl == "shi" || syl == "chi" || syl == "ji" {
						syl = syl[:len(syl)-1] + v
					} else {
						syl = syl[:len(syl)-1] + "y" + v
					}
					i++
				}
			case 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ':
				v := kanaRomaji[n]
				switch {
				case syl == "u":
					syl = "w" + v // ウィ wi
				case len(syl) > 1:
					syl = syl[:len(syl)-1] + v // ファ fa, ティ ti, チェ che, シェ she, ヴァ va
				default:
					syl += v
				}
				i++
			}
		}
		if double && syl != "" && !strings.ContainsRune("aiueon", rune(syl[0])) {
			if strings.HasPrefix(syl, "ch") {
				b.WriteByte('t') // matcha
			} else {
				b.WriteByte(syl[0])
			}
		}
		double = false
		b.WriteString(syl)
	}
	return b.String(), i
}
