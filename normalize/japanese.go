package normalize

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// Japanese names in kanji are read as Chinese by Fold (山田太郎: "shan tian tai lang"), while the lists and
// customer files write them in their Japanese reading ("Yamada Taro"). JapaneseReadings reads a name in
// kanji as Japanese when it is one: a known surname followed by a known given name (japanese_names.txt).

//go:embed japanese_names.txt
var japaneseNamesText string

// japaneseNames holds the surnames and given names in kanji with their readings in romaji (passport
// Hepburn: long vowels not written), loaded on first use.
var japaneseNames struct {
	once             sync.Once
	surnames, givens map[string][]string
}

func loadJapaneseNames() {
	jn := &japaneseNames
	jn.surnames, jn.givens = map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(japaneseNamesText, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		m := jn.givens
		if f[0] == "s" {
			m = jn.surnames
		}
		m[f[1]] = append(m[f[1]], passportHepburn(Fold(f[2])))
	}
}

// passportHepburn writes romaji as Japanese passports and most lists do, without the long vowels: ou, uu
// and oo before a consonant or at the end of the word are o, u and o (tarou: taro, yuuki: yuki, but inoue).
func passportHepburn(r string) string {
	b := []byte(r)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if i+1 < len(b) && (b[i] == 'o' && (b[i+1] == 'u' || b[i+1] == 'o') || b[i] == 'u' && b[i+1] == 'u') &&
			(i+2 == len(b) || !strings.ContainsRune("aeiou", rune(b[i+2]))) {
			out = append(out, b[i])
			i++
			continue
		}
		out = append(out, b[i])
	}
	return string(out)
}

// JapaneseReadings returns the readings ("yamada taro") of a person's name written in kanji, surname
// first, with or without a space between the names, when it splits into a Japanese surname and given name
// of the table (up to four readings, for kanji read more than one way); nil otherwise.
func JapaneseReadings(s string) []string {
	han := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r) || r == '々':
			han = true
		case r == ' ' || r == '・' || r == '　':
		default:
			return nil
		}
	}
	if !han {
		return nil
	}
	japaneseNames.once.Do(loadJapaneseNames)
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '・' || r == '　' })
	var sur, giv []string
	switch len(fields) {
	case 1:
		rs := []rune(fields[0])
		for i := len(rs) - 1; i >= 1 && sur == nil; i-- { // the longest surname first
			sur, giv = japaneseNames.surnames[string(rs[:i])], japaneseNames.givens[string(rs[i:])]
			if giv == nil {
				sur = nil
			}
		}
	case 2:
		sur, giv = japaneseNames.surnames[fields[0]], japaneseNames.givens[fields[1]]
	}
	if sur == nil || giv == nil {
		return nil
	}
	var out []string
	for _, a := range sur {
		for _, b := range giv {
			if r := a + " " + b; len(out) < 4 && !contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
