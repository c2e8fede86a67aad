package evaluate

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
)

// A name is cut off as a field of fixed width holds it: after 60 % of its characters (20 at least), before
// its end, with no separator left dangling; names under 28 characters are not cut.
func TestTruncate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	name := "PUBLIC JOINT STOCK COMPANY ROSTELECOM" // 37 characters
	for range 200 {
		q, ok := truncate(name, rng)
		if !ok {
			continue
		}
		n := utf8.RuneCountInString(q)
		if n < 20 || n < len(name)*6/10-1 || n >= len(name) || !strings.HasPrefix(name, q) || strings.HasSuffix(q, " ") {
			t.Fatalf("truncate(%q) = %q (%d characters)", name, q, n)
		}
	}
	if q, ok := truncate("Huawei Technologies Co Ltd", rng); ok {
		t.Errorf("a name of 26 characters cut to %q", q)
	}
}

// The category is generated from persons and organizations alike, each variant a start of its original.
func TestGenerateTruncated(t *testing.T) {
	entries := []tradescreen.Entry{
		{Source: "t", SourceID: "1", Kind: tradescreen.KindOrganization, Name: "China Electronics Technology Group Corporation"},
		{Source: "t", SourceID: "2", Kind: tradescreen.KindPerson, Name: "DERIPASKA, Oleg Vladimirovich"},
		{Source: "t", SourceID: "3", Kind: tradescreen.KindOrganization, Name: "Short Name Ltd"},
	}
	n := 0
	for _, v := range Generate(entries, GenerateOptions{Seed: 1, PerCategory: 5}) {
		if v.Category != "truncated" {
			continue
		}
		n++
		if !strings.HasPrefix(v.Original, v.Query) || v.Query == v.Original || v.Target == "t/3" {
			t.Errorf("truncated variant %+v", v)
		}
	}
	if n != 2 {
		t.Errorf("%d truncated variants, want one of each long name", n)
	}
}
