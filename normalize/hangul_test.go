package normalize

import "testing"

func TestHangul(t *testing.T) {
	for _, tc := range []struct{ in, fold, rr string }{
		{"김정은", "kim jong un", "kim jeong eun"},
		{"최룡해", "choe ryong hae", "choi ryong hae"},
		{"리병철", "ri pyong chol", "ri byeong cheol"},
		{"박근혜", "pak kun hye", "park geun hye"},
		{"이명박", "i myong pak", "lee myeong bak"},
	} {
		if got := Fold(tc.in); got != tc.fold {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.fold)
		}
		if got := HangulReading(tc.in); got != tc.rr {
			t.Errorf("HangulReading(%q) = %q, want %q", tc.in, got, tc.rr)
		}
	}
	if HangulReading("Kim Jong Un") != "" {
		t.Error("a Latin name has a Hangul reading")
	}
}

func TestKoreanNameAndVowels(t *testing.T) {
	for _, c := range []struct {
		toks []string
		want bool
	}{
		{[]string{"kim", "jong", "un"}, true},
		{[]string{"ri", "young", "cheol"}, true},
		{[]string{"choe", "ryong", "hae"}, true},
		{[]string{"john", "smith"}, false},      // no Korean surname
		{[]string{"kim", "jong", "wei"}, false}, // "wei" is no Korean syllable
		{[]string{"kim"}, false},
	} {
		if got := KoreanName(c.toks); got != c.want {
			t.Errorf("KoreanName(%q) = %v", c.toks, got)
		}
	}
	for _, same := range [][2]string{{"jong", "jung"}, {"jong", "jeong"}, {"un", "eun"}, {"on", "un"}, {"yong", "young"}, {"chol", "cheol"}} {
		if KoreanVowelKey(same[0]) != KoreanVowelKey(same[1]) {
			t.Errorf("%s and %s should share a key", same[0], same[1])
		}
	}
	for _, other := range [][2]string{{"jin", "chol"}, {"il", "un"}, {"nam", "nom"}} {
		if KoreanVowelKey(other[0]) == KoreanVowelKey(other[1]) {
			t.Errorf("%s and %s should not share a key", other[0], other[1])
		}
	}
}
