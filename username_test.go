package tradescreen_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// TestCheckUserName: the names the security review created (local, api-key, system:monitor, zero-width
// characters) and their look-alikes are refused; ordinary names in several scripts are accepted.
func TestCheckUserName(t *testing.T) {
	for _, name := range []string{
		"local", "LOCAL", "Local", "api-key", "API_KEY", "apikey", "system:monitor", "system", "cli:root", "cli",
		"l0cal", "1ocal", "lоcal", // digit zero, digit one, Cyrillic o
		"ｌｏｃａｌ", "ﬁona", // fullwidth, a ligature (not NFKC)
		"ada\u200b", "a\u200dda", "\u202eada", "ada\u2066", "\ufeffada", "ad\u00ada", // zero-width, bidi, BOM, soft hyphen
		"paula smith", "paula\tsmith", "paula\n", "a\x00b", "\xff", "",
		"=cmd", "+cmd", "-cmd", "@SUM(A1)", "'ada", "\u0301ada", // a formula, a hidden quote, a leading mark
		"pаula", "paulα", // Latin with Cyrillic a, with Greek alpha
		"a/b", "a;b", "a<b>", "a\"b", strings.Repeat("a", tradescreen.MaxUserName+1),
	} {
		if err := tradescreen.CheckUserName(name); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("CheckUserName(%q) = %v, want invalid", name, err)
		}
	}
	for _, name := range []string{"ada", "paula.smith", "p_smith", "a.smith@example.com", "o'neill", "jean-luc",
		"josé", "Jürgen", "Ђорђе", "αλέξανδρος", "王伟", "田中さくら", "김민준", "user2", "localhost", "api", "clive", "systems-team"} {
		if err := tradescreen.CheckUserName(name); err != nil {
			t.Errorf("CheckUserName(%q) = %v", name, err)
		}
	}
}

func TestUserNameSkeleton(t *testing.T) {
	for _, pair := range [][2]string{{"anna", "ANNA"}, {"anna", "аnnа"}, {"p_smith", "p-smith"}, {"jose", "josé"}, {"olga", "0lga"}} {
		if a, b := tradescreen.UserNameSkeleton(pair[0]), tradescreen.UserNameSkeleton(pair[1]); a != b {
			t.Errorf("%q and %q: skeletons %q and %q", pair[0], pair[1], a, b)
		}
	}
	if tradescreen.UserNameSkeleton("anna") == tradescreen.UserNameSkeleton("arno") {
		t.Error("anna and arno look alike?")
	}
}
