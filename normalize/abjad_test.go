package normalize

import (
	"slices"
	"testing"
)

func TestAbjadFits(t *testing.T) {
	for _, tc := range []struct {
		roman, latin string
		want         bool
	}{
		{"tyb", "tayeb", true},     // طيب: short vowels added, ي as y
		{"tyb", "taib", true},      // ي as i
		{"wly", "wali", true},      // و as w, final ي as i
		{"hqana", "haqqani", true}, // حقانى: ق doubled, final ى as i
		{"nwaz", "nawaz", true},
		{"shyr", "sher", true},
		{"mhfwz", "mahfouz", true},       // و as ou
		{"jlal@dyn", "jalaluddin", true}, // the article before a sun letter: ud-din
		{"rhmt@lh", "rahmatullah", true}, // Allah read into the name
		{"padshah", "padsha", true},      // a silent final h
		{"tyb", "tom", false},            // no y, no b
		{"mhfwz", "mahmoud", false},      // a letter more
		{"shyr", "shirin", false},        // a consonant more
		{"nwaz", "nawazish", false},      // the rest of a longer word
		{"ab", "abu", false},             // too short to read
	} {
		if got := AbjadFits(tc.roman, tc.latin); got != tc.want {
			t.Errorf("AbjadFits(%q, %q) = %v, want %v", tc.roman, tc.latin, got, tc.want)
		}
		if tc.want && AbjadKey(tc.roman) != AbjadKey(tc.latin) {
			t.Errorf("AbjadKey(%q) = %q, AbjadKey(%q) = %q: a word its letters fit is not found under its key", tc.roman, AbjadKey(tc.roman), tc.latin, AbjadKey(tc.latin))
		}
	}
	if keys := AbjadKeys("nzhad"); !slices.Contains(keys, AbjadKey("nejad")) || !slices.Contains(keys, AbjadKey("nezhad")) {
		t.Errorf("AbjadKeys(nzhad) = %q: ژ written j and zh are not both found", keys)
	}
	if c1, _ := AbjadCost("tyb", "tayeb"); func() bool { c2, _ := AbjadCost("tyb", "adib"); return c1 >= c2 }() {
		t.Errorf("AbjadCost: Tayeb should read طيب at less cost than Adib")
	}
}

func TestArabicOnly(t *testing.T) {
	for s, want := range map[string]bool{"جلال الدين": true, "Jalal الدين": false, "Jalaluddin": false, "محمد 1963": true, "": false} {
		if got := ArabicOnly(s); got != want {
			t.Errorf("ArabicOnly(%q) = %v, want %v", s, got, want)
		}
	}
}
