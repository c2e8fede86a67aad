package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/evaluate"
	"github.com/tradescreen/tradescreen/match"
)

type evalCommand struct{}

const evalHelp = `Measures matching quality at the default alert threshold on the loaded lists:

  1. labelled pairs (--pairs, name_bench layout: name1,name2,is_match[,schema]): precision, recall and F1 at
     the default threshold and at the best threshold;
  2. realistic variations generated from the real list names (--seed, --per-category): recall per category
     (typos, re-ordering, LAST, First, dropped middle names, initials, honorifics, legal forms, abbreviations,
     joined and split words, noise, transliteration, another list's spelling of the same party, given name
     and surname only, generational suffixes, an organization by its acronym);
  3. real names that are not listed (--negatives, SEC EDGAR company_tickers.json and CSV files with a
     fullname or name column): the share that raises an alert;
  4. every exact list name and alias: the share found at rank 1 (--exact).

Run it from the repository root; the defaults read testdata/eval/. docs/matching.md records the results.`

func (c *evalCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "eval", "eval [--pairs FILE] [--negatives FILE]... [--seed N] [--per-category N] [--exact]", evalHelp)
	pairs := fs.String("pairs", "testdata/eval/name_bench/cases.csv", "labelled pairs CSV (empty to skip)")
	var negs stringsFlag
	fs.Var(&negs, "negatives", "file of real non-listed names (.json SEC tickers, or .csv with a fullname or name column); repeatable (default: testdata/eval/negatives/*; an empty name skips them)")
	seed := fs.Uint64("seed", 1, "seed of the variation generator (1 is the development set; use others for held-out sets)")
	per := fs.Int("per-category", 300, "variations per category (0 to skip)")
	exact := fs.Bool("exact", true, "check that every list name and alias finds its entry at rank 1")
	misses := fs.Int("show-misses", 5, "misses and false alerts printed per category")
	threshold := fs.Float64("threshold", match.DefaultThreshold, "alert threshold to evaluate")
	var params stringsFlag
	fs.Var(&params, "param", "override a scoring parameter for this run, as NAME=VALUE (see match.Params); repeatable")
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(negs) == 0 {
		negs = stringsFlag{"testdata/eval/negatives/sec_company_tickers_2025-08.json", "testdata/eval/negatives/nobel_laureates_clean_2019.csv"}
	}
	// --negatives "" skips the negatives, as --pairs "" skips the pairs.
	negs = slices.DeleteFunc(negs, func(f string) bool { return f == "" })
	start := time.Now()
	s, err := loadScreener(m, lists)
	if err != nil {
		return err
	}
	ix := s.Index()
	if len(params) > 0 {
		p := ix.Params()
		for _, kv := range params {
			k, v, _ := strings.Cut(kv, "=")
			if err := p.Set(k, v); err != nil {
				return usagef("--param: %v", err)
			}
		}
		ix = ix.WithParams(p)
	}
	w := m.Stdout
	fmt.Fprintf(w, "tradescreen eval — threshold %.2f, lists: %s\n", *threshold, strings.Join(listCodes(s.Lists()), ", "))
	fmt.Fprintf(w, "%d entries, %d names indexed (loaded in %s); params %+v\n", ix.Len(), ix.Names(), time.Since(start).Round(time.Millisecond), ix.Params())

	if *pairs != "" {
		if err := evalPairs(w, ix, *pairs, *threshold, *misses); err != nil {
			return err
		}
	}
	if *per > 0 {
		evalVariants(w, ix, s.Entries(), *seed, *per, *threshold, *misses)
	}
	if len(negs) > 0 {
		if err := evalNegatives(w, ix, negs, *threshold, *misses); err != nil {
			return err
		}
	}
	if *exact {
		evalExact(w, ix, s.Entries(), *misses)
	}
	fmt.Fprintf(w, "\n(%s)\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// evalPairs scores the labelled pairs of a pairs file and prints precision, recall and F1 at the threshold
// and at the best threshold, with the pairs furthest on the wrong side.
func evalPairs(w io.Writer, ix *match.Index, path string, threshold float64, misses int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	ps, err := evaluate.ReadPairs(f, filepath.Base(path))
	f.Close()
	if err != nil {
		return err
	}
	scores := make([]float64, len(ps))
	labels := make([]bool, len(ps))
	for i, p := range ps {
		scores[i], _ = ix.Compare(p.Name1, p.Name2, batch.KindOfSchema(p.Schema))
		labels[i] = p.IsMatch
	}
	at := evaluate.Metrics(scores, labels, threshold)
	best := evaluate.BestThreshold(scores, labels)
	fmt.Fprintf(w, "\n## Labelled pairs: %s (%d pairs)\n", path, len(ps))
	fmt.Fprintf(w, "at threshold %.2f: precision %.3f recall %.3f F1 %.3f (TP %d FP %d FN %d TN %d)\n", at.Threshold, at.Precision, at.Recall, at.F1, at.TP, at.FP, at.FN, at.TN)
	fmt.Fprintf(w, "best threshold %.3f: precision %.3f recall %.3f F1 %.3f\n", best.Threshold, best.Precision, best.Recall, best.F1)
	var wrong []int
	for i := range ps {
		if (scores[i] >= threshold) != labels[i] {
			wrong = append(wrong, i)
		}
	}
	sort.Slice(wrong, func(a, b int) bool { return abs64(scores[wrong[a]]-threshold) > abs64(scores[wrong[b]]-threshold) })
	for k, i := range wrong {
		if k >= misses*4 {
			break
		}
		fmt.Fprintf(w, "  wrong: %-5v %.3f %s | %s | %s\n", labels[i], scores[i], ps[i].Schema, ps[i].Name1, ps[i].Name2)
	}
	return nil
}

// evalVariants screens generated variations of the real list names and prints the recall per category.
func evalVariants(w io.Writer, ix *match.Index, entries []tradescreen.Entry, seed uint64, per int, threshold float64, misses int) {
	vs := evaluate.Generate(entries, evaluate.GenerateOptions{Seed: seed, PerCategory: per})
	res := evaluate.RunVariants(ix, vs, threshold)
	fmt.Fprintf(w, "\n## Variations of real list names (seed %d, up to %d per category)\n", seed, per)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "category\tn\trecall\trank 1\twhat")
	tot, found := 0, 0
	for _, r := range res {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%s\n", r.Category, r.N, r.Recall(), float64(r.Rank1)/float64(max(r.N, 1)), evaluate.CategoryDescriptions[r.Category])
		tot += r.N
		found += r.Found
	}
	fmt.Fprintf(tw, "all\t%d\t%.3f\t\t\n", tot, float64(found)/float64(max(tot, 1)))
	tw.Flush()
	for _, r := range res {
		for k, v := range r.Misses {
			if k >= misses {
				break
			}
			fmt.Fprintf(w, "  miss %s: %q (from %q, %s)\n", r.Category, v.Query, v.Original, v.Target)
		}
	}
}

// evalNegatives screens real names that are on no list and prints how many raise an alert.
func evalNegatives(w io.Writer, ix *match.Index, paths []string, threshold float64, misses int) error {
	fmt.Fprintf(w, "\n## Real names that are not listed\n")
	for _, path := range paths {
		names, kind, err := readNegatives(path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		flagged := evaluate.RunNegatives(ix, names, kind, threshold)
		fmt.Fprintf(w, "%s: %d names, %d raise an alert (%.2f%%)\n", filepath.Base(path), len(names), len(flagged), 100*float64(len(flagged))/float64(max(len(names), 1)))
		for k, f := range flagged {
			if k >= misses*4 {
				break
			}
			fmt.Fprintf(w, "  alert: %q ~ %q [%s/%s] %.3f\n", f.Name, f.Match.MatchedName, f.Match.Source, f.Match.SourceID, f.Match.Score)
		}
	}
	return nil
}

// evalExact checks that every list name and alias finds its entry at rank 1.
func evalExact(w io.Writer, ix *match.Index, entries []tradescreen.Entry, misses int) {
	r := evaluate.RunExact(ix, entries)
	fmt.Fprintf(w, "\n## Exact list names and aliases\n%d names, %d found at rank 1 (%.4f)\n", r.Names, r.Rank1, float64(r.Rank1)/float64(max(r.Names, 1)))
	for k, v := range r.Failures {
		if k >= misses*4 {
			break
		}
		fmt.Fprintf(w, "  not rank 1: %q (%s)\n", v.Query, v.Target)
	}
}

func abs64(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func listCodes(ls []tradescreen.ListVersion) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Source)
	}
	return out
}

type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func readNegatives(path string) ([]string, tradescreen.Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		n, err := evaluate.ReadSECTickers(f)
		return n, tradescreen.KindOrganization, err
	}
	n, err := evaluate.ReadColumn(f, "fullname")
	if err != nil {
		f.Seek(0, 0)
		n, err = evaluate.ReadColumn(f, "name")
	}
	return n, tradescreen.KindPerson, err
}
