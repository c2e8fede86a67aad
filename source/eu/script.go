package eu

import "unicode"

// scripts are the writing systems checked, most frequent in sanctions lists first.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Cyrillic", unicode.Cyrillic}, {"Arabic", unicode.Arabic}, {"Han", unicode.Han}, {"Hangul", unicode.Hangul},
	{"Greek", unicode.Greek}, {"Hebrew", unicode.Hebrew}, {"Georgian", unicode.Georgian},
	{"Armenian", unicode.Armenian}, {"Hiragana", unicode.Hiragana}, {"Katakana", unicode.Katakana},
	{"Thai", unicode.Thai}, {"Devanagari", unicode.Devanagari}, {"Ethiopic", unicode.Ethiopic},
	{"Myanmar", unicode.Myanmar}, {"Khmer", unicode.Khmer}, {"Lao", unicode.Lao}, {"Tibetan", unicode.Tibetan},
	{"Mongolian", unicode.Mongolian}, {"Syriac", unicode.Syriac}, {"Thaana", unicode.Thaana},
	{"Bengali", unicode.Bengali}, {"Tamil", unicode.Tamil},
}

// allScripts is every Unicode script name, sorted, for a deterministic fallback.
var allScripts = sortedKeys(unicode.Scripts)

// script returns the non-Latin script most of the letters of s are written in ("Cyrillic", "Arabic",
// "Han" ...), or "" when s is in Latin script (or has no letters). Letters of scripts not in the table
// fall back to the full Unicode script table.
func script(s string) string {
	counts := map[string]int{}
	order := []string{}
	latin := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if r < 0x250 || unicode.Is(unicode.Latin, r) {
			latin++
			continue
		}
		name := ""
		for _, sc := range scripts {
			if unicode.Is(sc.table, r) {
				name = sc.name
				break
			}
		}
		if name == "" {
			for _, k := range allScripts {
				if unicode.Is(unicode.Scripts[k], r) {
					name = k
					break
				}
			}
		}
		if name == "" || name == "Common" || name == "Inherited" {
			continue
		}
		if counts[name] == 0 {
			order = append(order, name)
		}
		counts[name]++
	}
	best, n := "", 0
	for _, name := range order {
		if counts[name] > n {
			best, n = name, counts[name]
		}
	}
	if n == 0 || n < latin {
		return ""
	}
	return best
}
