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
