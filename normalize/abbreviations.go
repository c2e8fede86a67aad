package normalize

import (
	_ "embed"
	"strings"
)

//go:embed abbreviations.txt
var abbreviationsTxt string

// abbreviations maps common abbreviations of organization words to the word ("intl" -> "international").
var abbreviations = map[string]string{}

// abbreviated holds the words of abbreviationsTxt that its abbreviations stand for ("technology", "group").
var abbreviated = map[string]bool{}

//go:embed namevariants.txt
var nameVariantsTxt string

// variants maps a folded given name or surname to the first spelling of its group of romanizations, or to
// the first spellings of each of its groups, separated by spaces, when it is in more than one ("ben" is a
// form of "bin" and short for "benjamin").
var variants = map[string]string{}

func init() {
	for _, line := range strings.Split(abbreviationsTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		abbreviated[f[0]] = true
		for _, a := range f[1:] {
			abbreviations[a] = f[0]
		}
	}
	for _, line := range strings.Split(nameVariantsTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		for _, v := range f {
			if k, dup := variants[v]; dup {
				variants[v] = k + " " + f[0]
			} else {
				variants[v] = f[0]
			}
		}
	}
}

// Abbreviation returns the full word for a known abbreviation ("tech" -> "technology").
func Abbreviation(t string) (string, bool) {
	w, ok := abbreviations[t]
	return w, ok
}

// Variant returns the key of the romanization group a folded name token belongs to (Muhammad, Mohammed and
// Mohamad share one), and whether it belongs to one. A token in several groups has their keys separated by
// spaces; SameVariant compares keys.
func Variant(t string) (string, bool) {
	v, ok := variants[t]
	return v, ok
}

// SameVariant reports whether two keys returned by Variant share a romanization group.
func SameVariant(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	for _, x := range strings.Fields(a) {
		for _, y := range strings.Fields(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}

// VariantGroups calls f with each group key of a key returned by Variant.
func VariantGroups(key string, f func(group string)) {
	for key != "" {
		g, rest, _ := strings.Cut(key, " ")
		f(g)
		key = rest
	}
}
