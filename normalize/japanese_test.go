package normalize

import (
	"slices"
	"testing"
)

func TestJapaneseReadings(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" for none
	}{
		{"山田太郎", "yamada taro"},
		{"山田 太郎", "yamada taro"},
		{"佐藤健一", "sato kenichi"},
		{"井上陽子", "inoue yoko"},
		{"习近平", ""},    // Chinese: no Japanese surname
		{"山田", ""},     // a surname alone
		{"Yamada", ""}, // not kanji
	} {
		got := JapaneseReadings(tc.in)
		if tc.want == "" {
			if got != nil {
				t.Errorf("JapaneseReadings(%q) = %q, want none", tc.in, got)
			}
			continue
		}
		if !slices.Contains(got, tc.want) {
			t.Errorf("JapaneseReadings(%q) = %q, want %q among them", tc.in, got, tc.want)
		}
	}
}
