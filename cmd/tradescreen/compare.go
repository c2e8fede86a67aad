package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screening"
)

type compareCommand struct{}

const compareHelp = `Scores NAME_A against NAME_B and prints the score (0..1) and why: which words aligned, how (exact, typo,
phonetic, initial, joined, split, acronym, legal form) and what each contributed. Word weights come from the
loaded lists, so a rare word counts more than "trading" or "company".

With --pairs FILE.csv, reads a CSV whose header has name1 and name2 (and optionally schema: Person,
Organization/Company, Vessel) and writes it back with a score column and a match column (true when the score
reaches the alert threshold) added, to standard output or to -o FILE.`

func (c *compareCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "compare", "compare [--type T] NAME_A NAME_B", compareHelp)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: tradescreen compare [--type T] NAME_A NAME_B\n       tradescreen compare --pairs FILE.csv [-o OUT.csv]\n\n%s\n\nFlags:\n", compareHelp)
		fs.PrintDefaults()
	}
	kind := fs.String("type", "", "treat both names as this type: person or organization")
	pairs := fs.String("pairs", "", "a CSV file of name pairs (columns name1, name2, optional schema)")
	out := fs.String("o", "", "with --pairs: write the scored CSV here instead of standard output")
	asJSON := fs.Bool("json", false, "print the score and explanation as JSON")
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *pairs == "" && len(pos) != 2 {
		return usagef("want two names (quote names with spaces), or --pairs FILE.csv")
	}
	if *pairs != "" && len(pos) != 0 {
		return usagef("--pairs takes no names")
	}
	k := tradescreen.ParseKind(*kind)
	if *kind != "" && k == tradescreen.KindUnknown {
		return usagef("--type: %q is not person, organization, vessel or aircraft", *kind)
	}
	if *pairs != "" {
		// Find a mistyped path before spending the time to load the lists.
		if _, err := os.Stat(*pairs); err != nil {
			return err
		}
	}
	s, err := loadScreener(m, lists)
	if err != nil {
		return err
	}
	// The screening service scores as every door screens: a name of no stated type is read both ways.
	cmp, err := screening.NewWith(screening.Config{}, s).Comparer()
	if err != nil {
		return err
	}
	if *pairs != "" {
		return comparePairs(m, cmp, *pairs, *out)
	}
	score, ex := cmp(pos[0], pos[1], k)
	if *asJSON {
		return writeJSON(m.Stdout, map[string]any{"name_a": pos[0], "name_b": pos[1], "score": score,
			"match": score >= match.DefaultThreshold, "threshold": match.DefaultThreshold, "explanation": ex})
	}
	verdict := "below"
	if score >= match.DefaultThreshold {
		verdict = "at or above"
	}
	fmt.Fprintf(m.Stdout, "score %.3f (%s the alert threshold %.2f)\n%s\n", score, verdict, match.DefaultThreshold, ex.Summary)
	for _, t := range ex.Tokens {
		fmt.Fprintf(m.Stdout, "  %-24s ~ %-24s %-11s similarity %.2f  weight %.2f\n", t.Query, t.Name, t.How, t.Similarity, t.Weight)
	}
	for _, a := range ex.Adjustments {
		fmt.Fprintf(m.Stdout, "  %s\n", a)
	}
	return nil
}

// comparePairs scores every pair of the pairs file at path with cmp (batch.ScorePairs) and writes it, with
// score and match columns, to standard output or to outPath (atomically: a failure never leaves half a file).
func comparePairs(m *Main, cmp batch.Comparer, path, outPath string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if outPath == "" {
		return batch.ScorePairs(f, path, m.Stdout, cmp)
	}
	return atomicfile.Write(outPath, 0o644, func(w io.Writer) error { return batch.ScorePairs(f, path, w, cmp) })
}
