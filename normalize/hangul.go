package normalize

import (
	"regexp"
	"strings"
)

// Hangul is romanized syllable by syllable as the lists write Korean names — the McCune–Reischauer
// spelling without its diacritics and apostrophes, as North Korea's names reach the lists: 김정은 "kim jong
// un", 최룡해 "choe ryong hae", 리병철 "ri pyong chol". The Revised Romanization's spellings (gim, jeong,
// eun, i, bak) differ from these in ways the romanization variants (Kim/Gim, Ri/Lee/Yi, Pak/Park,
// Jong/Chong) and the typo budget already bridge.

// hangulLeads are the initial consonants (U+1100 to U+1112), hangulVowels the vowels (U+1161 to U+1175),
// hangulTails the final consonants (U+11A8 to U+11C2).
var (
	hangulLeads  = []string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	hangulVowels = []string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	hangulTails  = []string{"k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

// hangulSyllableStart returns the romanization of an initial consonant jamo, which starts a syllable.
func hangulSyllableStart(r rune) (string, bool) {
	if r >= 0x1100 && int(r-0x1100) < len(hangulLeads) {
		return hangulLeads[r-0x1100], true
	}
	return "", false
}

// hangulJamo returns the romanization of a vowel or final consonant jamo ("" for another jamo).
func hangulJamo(r rune) string {
	switch {
	case r >= 0x1161 && int(r-0x1161) < len(hangulVowels):
		return hangulVowels[r-0x1161]
	case r >= 0x11A8 && int(r-0x11A8) < len(hangulTails):
		return hangulTails[r-0x11A8]
	}
	return ""
}

// The Revised Romanization (South Korea's since 2000) of the same letters, and the spellings South Korean
// surnames commonly take in Latin script (김 Kim, 이 Lee, 박 Park), which neither system gives.
var (
	rrLeads  = []string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	rrVowels = []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	surnames = map[rune]string{
		'김': "kim", '이': "lee", '박': "park", '최': "choi", '정': "jung", '강': "kang", '조': "cho", '윤': "yoon",
		'장': "jang", '임': "lim", '한': "han", '오': "oh", '서': "seo", '신': "shin", '권': "kwon", '황': "hwang",
		'안': "ahn", '송': "song", '류': "ryu", '홍': "hong", '문': "moon", '노': "roh", '유': "yoo",
	}
)

// HangulReading returns a name that has Hangul in the Revised Romanization, syllable by syllable, its
// first syllable in the common spelling of the surname when it is one ("박근혜": "park geun hye"), or ""
// when s has no Hangul syllable. Fold gives the McCune–Reischauer reading ("pak kun hye").
func HangulReading(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }) {
		return ""
	}
	var b []byte
	first, any := true, false
	for _, r := range s {
		if r < 0xAC00 || r > 0xD7A3 {
			if r == ' ' || r == '-' || r == ',' || r == '·' {
				b = append(b, ' ')
				continue
			}
			b = append(b, Fold(string(r))...)
			continue
		}
		any = true
		if len(b) > 0 && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
		if sn, ok := surnames[r]; ok && first {
			b = append(b, sn...)
			first = false
			continue
		}
		first = false
		k := int(r - 0xAC00)
		lead, vowel, tail := k/588, k%588/28, k%28
		b = append(b, rrLeads[lead]...)
		b = append(b, rrVowels[vowel]...)
		if tail > 0 {
			b = append(b, hangulTails[tail-1]...)
		}
	}
	if !any {
		return ""
	}
	return string(b)
}

// Korean names in Latin letters write one vowel several ways: ㅓ is o in the McCune–Reischauer spelling
// without its breve, eo in the Revised Romanization and often u (Chun, Jung); ㅡ is u or eu; ㅗ and ㅜ are o
// and u, oo and ou in popular spellings (Joong, Young). So "Kim Jong Un", "Kim Jung Eun" and "Kim Jong On"
// may be one name, as "Ri Yong Chol" and "Lee Young Cheol" may.

// koreanSyllable is a Korean syllable as the lists romanize it: an initial consonant, a glide, a vowel and a
// final consonant, each but the vowel optional.
var koreanSyllable = regexp.MustCompile(`^(?:kk|tt|pp|ss|jj|ch|sh|k|g|n|d|t|r|l|m|b|p|s|j|h)?(?:w|y)?(?:eo|eu|ae|oe|ui|ou|oo|a|e|i|o|u)(?:ng|n|l|m|k|p|t)?$`)

// koreanSurnames are the common Korean surnames as the lists and South Korean usage write them.
var koreanSurnames = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`kim gim ri rhee lee yi pak park bak choe choi chwe jong jeong chong chung
		kang gang cho jo yun yoon jang chang im lim rim han o oh so seo suh sin shin kwon gwon hwang an ahn song
		ryu yu yoo hong jon jeon chon chun ko go mun moon yang son pae bae paek baek ho heo hur nam sim shim no
		roh noh ha kwak gwak cha ju chu u woo ku koo gu min ryom yom yeom jin chin kye pyon byun byon won`) {
		koreanSurnames[s] = true
	}
}

// KoreanName reports whether folded name tokens read as a Korean name: two to four tokens, each a romanized
// Korean syllable, the first or the last a Korean surname.
func KoreanName(toks []string) bool {
	if len(toks) < 2 || len(toks) > 4 || !koreanSurnames[toks[0]] && !koreanSurnames[toks[len(toks)-1]] {
		return false
	}
	for _, t := range toks {
		if !koreanSyllable.MatchString(t) {
			return false
		}
	}
	return true
}

// KoreanVowelKey returns a romanized Korean syllable with its vowels ㅓ ㅡ ㅗ ㅜ (o, u, eo, eu, oo, ou) written
// alike, so that the spellings of one syllable share it: "jong", "jung" and "jeong" give "jong"; "un",
// "eun" and "on" give "on".
func KoreanVowelKey(t string) string {
	for _, v := range [...]string{"eo", "eu", "oo", "ou"} {
		t = strings.ReplaceAll(t, v, "o")
	}
	return strings.ReplaceAll(t, "u", "o")
}
