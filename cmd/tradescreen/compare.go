package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
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

// kindOfSchema maps the schema column of a pairs file (FollowTheMoney schema names) to a Kind.
func kindOfSchema(s string) tradescreen.Kind {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person":
		return tradescreen.KindPerson
	case "company", "organization", "organisation", "legalentity", "publicbody":
		return tradescreen.KindOrganization
	case "vessel":
		return tradescreen.KindVessel
	case "airplane", "aircraft":
		return tradescreen.KindAircraft
	}
	return ""
}

// comparePairs scores every pair of a pairs file with cmp and writes it back with score and match columns.
func comparePairs(m *Main, cmp func(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation), path, outPath string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	i1, ok1 := col["name1"]
	i2, ok2 := col["name2"]
	if !ok1 || !ok2 {
		return tradescreen.Errorf(tradescreen.EINVALID, "%s: header needs name1 and name2 columns, found: %s", path, strings.Join(header, ", "))
	}
	is, hasSchema := col["schema"]
	var w io.Writer = m.Stdout
	var of *os.File
	if outPath != "" {
		// Write beside the output and rename at the end: a failure never leaves half a file.
		of, err = os.CreateTemp(filepath.Dir(outPath), "."+filepath.Base(outPath)+".partial-*")
		if err != nil {
			return err
		}
		defer os.Remove(of.Name())
		defer of.Close()
		w = of
	}
	// Names such as "=HYPERLINK(...)" are written so that a spreadsheet shows them (csvsafe).
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(append(header, "score", "match")); err != nil {
		return err
	}
	line := 1
	for {
		rec, err := r.Read()
		line++
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if i1 >= len(rec) || i2 >= len(rec) {
			return &tradescreen.ParseError{File: path, Line: line, Msg: fmt.Sprintf("%d fields, name1/name2 missing", len(rec))}
		}
		var k tradescreen.Kind
		if hasSchema && is < len(rec) {
			k = kindOfSchema(rec[is])
		}
		score, _ := cmp(rec[i1], rec[i2], k)
		if err := cw.Write(append(rec, strconv.FormatFloat(score, 'f', 3, 64), strconv.FormatBool(score >= match.DefaultThreshold))); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if of != nil {
		if err := of.Close(); err != nil {
			return err
		}
		if err := os.Chmod(of.Name(), 0o644); err != nil {
			return err
		}
		return os.Rename(of.Name(), outPath)
	}
	return nil
}
