package match

import (
	"math/rand/v2"
	"testing"
)

// TestOSABitsMatchesTable checks the bit-vector distance against the table on random strings: short
// alphabets make transpositions and repeats common, long strings cross the 64-byte limit.
func TestOSABitsMatchesTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, alphabet := range []string{"ab", "abc", "abcdefghijklmnopqrstuvwxyz0123456789", "aab?"} {
		word := func() string {
			b := make([]byte, r.IntN(70))
			for i := range b {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
			return string(b)
		}
		for range 20000 {
			a, b := word(), word()
			want := damerauLong(a, b, 1000)
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			if got, ok := osaBits(a, b); ok && got != want {
				t.Fatalf("osaBits(%q, %q) = %d, table %d", a, b, got, want)
			}
			for _, max := range []int{0, 1, 2, 3, 10} {
				if got, want := damerau(a, b, max), min(want, max+1); min(got, max+1) != want {
					t.Fatalf("damerau(%q, %q, %d) = %d, want %d", a, b, max, got, want)
				}
				if got := damerau([]byte(a), b, max); min(got, max+1) != min(want, max+1) {
					t.Fatalf("damerau([]byte %q, %q, %d) = %d, want %d", a, b, max, got, want)
				}
			}
		}
	}
	for _, c := range []struct {
		a, b string
		d    int
	}{{"ca", "ac", 1}, {"abc", "ca", 3}, {"hikvision", "hikvsion", 1}, {"mohammed", "muhammad", 2}, {"a", "", 1}} {
		if got := damerau(c.a, c.b, 10); got != c.d {
			t.Errorf("damerau(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestIndicNdra(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"narender", "narendra", true},
		{"ravindra", "ravinder", true},
		{"surendra", "surender", true},
		{"alexandra", "alexander", false}, // -andra: other names
		{"sandra", "sander", false},
		{"narendra", "narendra", false}, // the same word is no variant
		{"narender", "virendra", false},
	} {
		if got := indicNdra(c.a, c.b); got != c.want {
			t.Errorf("indicNdra(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
