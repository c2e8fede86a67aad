package match_test

import (
	"testing"

	"github.com/tradescreen/tradescreen"
)

// FuzzSearch screens arbitrary names against the real lists and compares them with a real list name: no
// input panics, and every score lies in 0..1. The seeds are the shapes the readings of a query act on:
// words run together, hyphens, Korean syllables, the article misspelt, parentheses and alias markers,
// Wade-Giles, Hangul, kanji.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{
		"ALEXSONGPTE LTD", "KPDS.A.", "HajiAzizullah", "MUHAMMAD, 'AliHajj", "PAEK C.", "KIM, Il-Nam",
		"Kim Jung Eun", "AVL-QAIDA IN IRAQ", "LTS Holding Limited (f.k.a. IPP-International Petroleum)",
		"Hu Chin-t'ao", "김정은", "山田太郎", "Sergejs Lavrovs", "-", "a-", "-b", "S.A.", ".....", "",
	} {
		f.Add(s)
	}
	ix := realIndex(f)
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > 500 {
			return // screen.MaxNameLength: longer names are refused before they reach the matcher
		}
		for _, m := range ix.Search(tradescreen.Query{Name: name, Limit: 5}) {
			if m.Score < 0 || m.Score > 1 {
				t.Fatalf("%q: score %v for %q", name, m.Score, m.MatchedName)
			}
		}
		for _, kind := range []tradescreen.Kind{tradescreen.KindPerson, tradescreen.KindOrganization} {
			if s, _ := ix.Compare(name, "KIM, Il-Nam", kind); s < 0 || s > 1 {
				t.Fatalf("%q: compare score %v", name, s)
			}
		}
	})
}
