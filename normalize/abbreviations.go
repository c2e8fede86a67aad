package normalize

import (
	_ "embed"
	"strings"
)

//go:embed abbreviations.txt
var abbreviationsTxt string

// abbreviations maps common abbreviations of organization words to the word ("intl" -> "international").
var abbreviations = map[string]string{}

//go:embed namevariants.txt
var nameVariantsTxt string

// variants maps a folded given name or surname to the first spelling of its group of romanizations.
var variants = map[string]string{}

func init() {
	for _, line := range strings.Split(abbreviationsTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
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
			if _, dup := variants[v]; !dup {
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
// Mohamad share one), and whether it belongs to one.
func Variant(t string) (string, bool) {
	v, ok := variants[t]
	return v, ok
}
