package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
)

type batchCommand struct{}

const batchHelp = `Screens every row of INPUT and writes one result per row, in input order, to OUTPUT.

INPUT is CSV with a header row (a name column, optional id, type, country; every other column is carried
through; comma, semicolon, tab or pipe delimited; UTF-8 with or without BOM), an Excel workbook (.xlsx: the
first worksheet, its first row the header) or JSON Lines (.jsonl: one object per line with "name" and
optional "id", "type", "country"). A type or country that cannot be read is left out with a warning; the
name is screened all the same.
OUTPUT is chosen by extension: .jsonl writes {"id", "name", "matches": [...]} per row, matches sorted by
score, each with source, source_id, name, matched_name, score, explanation and the entry's key facts;
.csv writes the input columns followed by match_count, best_score, best_source, best_source_id, best_name,
best_matched_name, matches and error.
Only matches at or above the threshold are written. A row without a name is written with an error and
counted; the run goes on.`

func (c *batchCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "batch", "batch INPUT -o OUTPUT [--list KIND=PATH]... [--threshold T] [--limit N]", batchHelp)
	out := fs.String("o", "", "output file: .jsonl or .csv (required)")
	threshold := fs.Float64("threshold", 0, fmt.Sprintf("lowest score written, 0..1 (default %.2f, the alert threshold)", match.DefaultThreshold))
	limit := fs.Int("limit", match.DefaultLimit, "most matches written per row")
	workers := fs.Int("workers", 0, "screening goroutines (default: one per CPU)")
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want exactly one INPUT file")
	}
	if *out == "" {
		return usagef("-o OUTPUT is required (.jsonl or .csv)")
	}
	if *threshold < 0 || *threshold > 1 {
		return usagef("--threshold %v is outside [0, 1]", *threshold)
	}
	if *limit < 1 || *limit > 1000 {
		return usagef("--limit %d is outside 1..1000", *limit)
	}
	in := pos[0]
	inExt := strings.ToLower(filepath.Ext(in))
	outExt := strings.ToLower(filepath.Ext(*out))
	if outExt != ".jsonl" && outExt != ".csv" {
		return usagef("-o %s: the output must end in .jsonl or .csv", *out)
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	if ist, err := f.Stat(); err == nil {
		if ost, err := os.Stat(*out); err == nil && os.SameFile(ist, ost) {
			return usagef("-o %s is the input file: choose another output", *out)
		}
	}
	var r screen.RowReader
	switch inExt {
	case ".jsonl", ".ndjson":
		r = screen.NewJSONLReader(f, filepath.Base(in))
	case ".xlsx", ".xlsm":
		r, err = screen.NewXLSXReader(f, filepath.Base(in))
		if err != nil {
			return err
		}
		if c, ok := r.(interface{ Close() error }); ok {
			defer c.Close()
		}
	default:
		r, err = screen.NewCSVReader(f, filepath.Base(in))
		if err != nil {
			return err
		}
	}
	s, err := loadScreener(m, lists)
	if err != nil {
		return err
	}
	// Write to a temporary file and rename it into place at the end, so a partial output is never taken for
	// a complete one.
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var w screen.RowWriter
	if outExt == ".csv" {
		w = screen.NewCSVWriter(tmp)
	} else {
		w = screen.NewJSONLWriter(tmp)
	}
	start := time.Now()
	st, err := screen.RunBatch(ctx, s, r, w, screen.BatchOptions{Threshold: *threshold, Limit: *limit, Workers: *workers})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tmp.Close()
		return fmt.Errorf("after %d rows: %w", st.Rows, err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private to its owner; a report is an ordinary file.
	mode := os.FileMode(0o644)
	if st, err := os.Stat(*out); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	el := time.Since(start)
	rate := float64(st.Rows) / el.Seconds()
	fmt.Fprintf(m.Stderr, "%d rows screened in %s (%.0f rows/s): %d with matches (%d matches), %d errors; lists: %s. Wrote %s\n",
		st.Rows, el.Round(time.Millisecond), rate, st.WithMatches, st.Matches, st.Errors, screen.AsOf(s.Lists()), *out)
	return nil
}
