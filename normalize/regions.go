package normalize

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// regionWords are the names of continents, large world regions and countries that organizations put into
// their names to say where a branch or subsidiary works ("Faberlic Europe", "Huawei Technologies Africa",
// "Asia Pacific", "Deutsche Bank (Schweiz) AG"). Like the cities and regions of the lists' addresses they
// say little about which party is meant, but only next to something more distinctive: "International
// Trading" is not "Asia International Trading". Folded forms, as the lists and company registers write
// them.
var regionWords = map[string]bool{}

// IsRegion reports whether the folded word w is the name of a continent, world region or country (of one
// word, in English, German, French, Spanish, Italian, Portuguese or Dutch).
func IsRegion(w string) bool { return regionWords[w] }

// countryLanguages are the languages whose names of countries are read as region words: company names
// write their country in the language of the country or of the group ("Schweiz", "Suisse", "México").
var countryLanguages = []language.Tag{language.English, language.German, language.French, language.Spanish,
	language.Italian, language.Portuguese, language.Dutch}

func init() {
	for _, w := range regionList {
		regionWords[w] = true
	}
	// Every country of one word (in each of countryLanguages), from the CLDR names x/text carries.
	for _, lang := range countryLanguages {
		namer := display.Regions(lang)
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				r, err := language.ParseRegion(string([]rune{a, b}))
				if err != nil || !r.IsCountry() {
					continue
				}
				if w := Fold(namer.Name(r)); w != "" && !strings.Contains(w, " ") && len(w) > 3 {
					regionWords[w] = true
				}
			}
		}
	}
}

var regionList = []string{
	"europe", "eurasia", "asia", "asiapacific", "apac", "pacific", "africa", "america", "americas", "latam",
	"caribbean", "oceania", "australasia", "mena", "emea", "levant", "balkans", "scandinavia", "nordics",
	"benelux",
	// countries' abbreviations organizations write in their names ("Hikvision USA Inc", "Huawei
	// Technologies (UK) Co"), of three letters: two-letter ones are words as often ("US", "UK" aside)
	"usa", "uae", "ksa", "prc", "bvi",
}
