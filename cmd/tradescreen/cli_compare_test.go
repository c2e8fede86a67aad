package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/match"
)

func TestCLICompare(t *testing.T) {
	t.Parallel()
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		r := cliRun(t, "compare", "Dahua Technology", "Zhejiang Dahua Technology Co., Ltd.")
		r.cliWant(t, 0)
		m := regexp.MustCompile(`(?m)^score (\d\.\d{3}) \((at or above|below) the alert threshold 0\.80\)$`).FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("no score line:\n%s", r.stdout)
		}
		score, _ := strconv.ParseFloat(m[1], 64)
		if score <= 0 || score > 1 {
			t.Errorf("score %v", score)
		}
		if (m[2] == "at or above") != (score >= match.DefaultThreshold) {
			t.Errorf("score %v said to be %s the threshold", score, m[2])
		}
		// Why: the words that aligned, how, and their weights.
		cliContainsAll(t, "explanation", r.stdout, "dahua", "technology", "exact", "weight", "zhejiang")
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		r := cliRun(t, "compare", "--json", "Hamza bin Laden", "Hamza Usama Muhammad Bin Laden")
		r.cliWant(t, 0)
		var out struct {
			NameA       string  `json:"name_a"`
			NameB       string  `json:"name_b"`
			Score       float64 `json:"score"`
			Match       bool    `json:"match"`
			Threshold   float64 `json:"threshold"`
			Explanation struct {
				Summary string `json:"summary"`
				Tokens  []struct {
					Query, Name, How string
				} `json:"tokens"`
			} `json:"explanation"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
		}
		if out.NameA != "Hamza bin Laden" || out.NameB != "Hamza Usama Muhammad Bin Laden" {
			t.Errorf("names %q %q", out.NameA, out.NameB)
		}
		if out.Score < 0 || out.Score > 1 || out.Match != (out.Score >= match.DefaultThreshold) || out.Threshold != match.DefaultThreshold {
			t.Errorf("score %v match %v threshold %v", out.Score, out.Match, out.Threshold)
		}
		if !out.Match {
			t.Errorf("Hamza bin Laden does not match the UN list's full name (score %v)", out.Score)
		}
		if out.Explanation.Summary == "" || len(out.Explanation.Tokens) < 3 {
			t.Errorf("explanation %+v", out.Explanation)
		}
	})
}

// compare --pairs writes the pairs file back with score and match columns.
func TestCLIComparePairs(t *testing.T) {
	t.Parallel()
	const pairs = "testdata/cli/pairs.csv"
	in := cliReadCSV(t, pairs)
	check := func(t *testing.T, out [][]string) {
		t.Helper()
		wantHeader := append(append([]string(nil), in[0]...), "score", "match")
		if strings.Join(out[0], ",") != strings.Join(wantHeader, ",") {
			t.Fatalf("header %q, want %q", out[0], wantHeader)
		}
		if len(out) != len(in) {
			t.Fatalf("%d rows, want %d", len(out)-1, len(in)-1)
		}
		n := len(in[0])
		byCase := map[string][2]string{}
		for i, rec := range out[1:] {
			if len(rec) != n+2 {
				t.Fatalf("row %d: %d fields", i+1, len(rec))
			}
			if strings.Join(rec[:n], "|") != strings.Join(in[i+1], "|") {
				t.Errorf("row %d: input columns %q changed to %q", i+1, in[i+1], rec[:n])
			}
			score, err := strconv.ParseFloat(rec[n], 64)
			if err != nil || score < 0 || score > 1 {
				t.Errorf("row %s: score %q", rec[0], rec[n])
				continue
			}
			m, err := strconv.ParseBool(rec[n+1])
			if err != nil {
				t.Errorf("row %s: match %q", rec[0], rec[n+1])
			}
			// The score is printed with 3 decimals; the match column is decided on the unrounded score.
			if math.Abs(score-match.DefaultThreshold) > 0.0005 && m != (score >= match.DefaultThreshold) {
				t.Errorf("row %s: score %v but match %v (threshold %v)", rec[0], score, m, match.DefaultThreshold)
			}
			byCase[rec[0]] = [2]string{rec[n], rec[n+1]}
		}
		// The unambiguous pairs.
		for c, want := range map[string]string{
			"huawei-legal-form": "true", "vessel-hyphen": "true", "bin-laden-short": "true",
			"apple-microsoft": "false", "vessel-different": "false",
		} {
			if byCase[c][1] != want {
				t.Errorf("%s: match %q (score %s), want %s", c, byCase[c][1], byCase[c][0], want)
			}
		}
	}
	t.Run("stdout", func(t *testing.T) {
		t.Parallel()
		r := cliRun(t, "compare", "--pairs", pairs)
		r.cliWant(t, 0)
		path := cliWriteFile(t, t.TempDir(), "out.csv", []byte(r.stdout))
		check(t, cliReadCSV(t, path))
	})
	t.Run("-o", func(t *testing.T) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "scored.csv")
		r := cliRun(t, "compare", "--pairs", pairs, "-o", out)
		r.cliWant(t, 0)
		if r.stdout != "" {
			t.Errorf("stdout with -o: %s", r.stdout)
		}
		recs := cliReadCSV(t, out)
		check(t, recs)
		// A pair scores what compare gives the same two names of that type.
		var pairScore string
		for _, rec := range recs {
			if rec[0] == "dahua-legal-name" {
				pairScore = rec[len(rec)-2]
			}
		}
		c := cliRun(t, "compare", "--type", "organization", "Dahua Technology", "Zhejiang Dahua Technology Co., Ltd.")
		c.cliWant(t, 0)
		if pairScore == "" || !strings.HasPrefix(c.stdout, "score "+pairScore+" ") {
			t.Errorf("compare says %q, --pairs says %s", strings.SplitN(c.stdout, "\n", 2)[0], pairScore)
		}
	})
}

func TestCLIComparePairsErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name, data string
		wants      []string
	}{
		{"no name1", "left,name2\nDahua,Dahua Technology\n", []string{"pairs.csv", "name1", "left", "name2"}},
		{"broken quote", "name1,name2\nA,B\n\"C,D\n", []string{"pairs.csv", "line"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sub := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			if err := os.MkdirAll(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			path := cliWriteFile(t, sub, "pairs.csv", []byte(c.data))
			r := cliRun(t, "compare", "--list", cliSmallList, "--pairs", path)
			if r.code == 0 {
				t.Fatalf("exit 0\n%s", r.stdout)
			}
			cliContainsAll(t, "stderr", r.stderr, c.wants...)
		})
	}
	t.Run("missing file", func(t *testing.T) {
		t.Parallel()
		r := cliRun(t, "compare", "--list", cliSmallList, "--pairs", filepath.Join(dir, "nonexistent.csv"))
		if r.code == 0 {
			t.Fatal("exit 0")
		}
		cliContainsAll(t, "stderr", r.stderr, "nonexistent.csv")
	})
}
