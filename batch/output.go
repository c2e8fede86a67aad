package batch

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
)

// WriterOptions set what the outputs carry beyond the matches.
type WriterOptions struct {
	// Ownership adds each row's 50 % rule findings (the run has ownership data): a JSONL member
	// "ownership" (a list, empty when the row's names are not in the data) and a CSV and XLSX column
	// ownership (OwnershipSummary), last.
	Ownership bool
	// StaleLists are the codes of the lists screened that are older than their maximum age
	// (tradescreen.ListStatus.Stale) when the run starts: each JSONL row that was screened carries them as
	// "stale_lists", so that a row without matches says it is no clear result against them. Their dates and
	// ages are the run's lists (Result.Lists, the HTML report, the API job's "lists").
	StaleLists []string
	// StaleNote says the same in words, with each stale list's date and age (StaleNote): the CSV and XLSX
	// outputs add it to the warnings column of each row that was screened.
	StaleNote string
}

// StaleNote is WriterOptions.StaleNote for the lists ls a run screens (restricted to sources when it
// names any): "not a clear result against out-of-date lists: us_sdn (published 2022-05-16, 1666 days
// old)", or "" when none is stale.
func StaleNote(ls []tradescreen.ListStatus, sources []string) string {
	var parts []string
	for _, l := range ls {
		if !l.Stale || (len(sources) > 0 && !slices.Contains(sources, l.Source)) {
			continue
		}
		if l.AgeDays < 0 {
			parts = append(parts, l.Source+" (date unknown)")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (published %s, %d days old)", l.Source, l.Published, l.AgeDays))
	}
	if len(parts) == 0 {
		return ""
	}
	return "not a clear result against out-of-date lists: " + strings.Join(parts, ", ")
}

// StaleLists returns the codes of the stale lists among ls, restricted to sources when it names any (the
// lists a run screens against): WriterOptions.StaleLists.
func StaleLists(ls []tradescreen.ListStatus, sources []string) []string {
	var out []string
	for _, l := range ls {
		if l.Stale && (len(sources) == 0 || slices.Contains(sources, l.Source)) {
			out = append(out, l.Source)
		}
	}
	return out
}

func writerOptions(opts []WriterOptions) WriterOptions {
	if len(opts) > 0 {
		return opts[0]
	}
	return WriterOptions{}
}

// jsonlWriter writes one JSON object per outcome.
type jsonlWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
	opt WriterOptions
}

// NewJSONLWriter writes {"id", "name", "matches": [...]} per row (PRODUCT.md's batch format), with the row's
// line, its other input columns under "columns" and, for a row that could not be screened, "error". A row
// with several names adds "names" (each name screened with its column) and, on each match, "column" and
// "query": the column and the name that matched. A match the allow list covers carries "allowed": {"reason",
// "reviewer", "date", "row"}. With WriterOptions.Ownership each row carries "ownership": its findings, as
// the API answers them. A row screened against stale lists carries "stale_lists" (WriterOptions.StaleLists).
func NewJSONLWriter(w io.Writer, opts ...WriterOptions) RowWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{w: bw, enc: enc, opt: writerOptions(opts)}
}

// BatchMatch is a match in the batch output: the match view (with the allowance of the allow list that
// covers the pairing, Match.Allowed) and, for a row with several names, the column and the name that matched.
type BatchMatch struct {
	tradescreen.MatchView
	Column string `json:"column,omitempty"`
	Query  string `json:"query,omitempty"`
}

type jsonlName struct {
	Column string `json:"column"`
	Name   string `json:"name"`
}

type jsonlOut struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Line     int          `json:"line"`
	Names    []jsonlName  `json:"names,omitempty"`
	Matches  []BatchMatch `json:"matches"`
	Error    string       `json:"error,omitempty"`
	Warnings []string     `json:"warnings,omitempty"`
	// StaleLists name the out-of-date lists the row was screened against.
	StaleLists []string          `json:"stale_lists,omitempty"`
	Columns    map[string]string `json:"columns,omitempty"`
	// Ownership is set (possibly empty) when the run has ownership data.
	Ownership *[]tradescreen.OwnershipFinding `json:"ownership,omitempty"`
}

// BatchMatches returns the outcome's matches as written to the output.
func BatchMatches(o *Outcome) []BatchMatch {
	out := make([]BatchMatch, len(o.Matches))
	for i, v := range o.Matches {
		out[i] = BatchMatch{MatchView: v}
		if i < len(o.MatchColumns) {
			out[i].Column, out[i].Query = o.MatchColumns[i], o.MatchQueries[i]
		}
	}
	return out
}

func (j *jsonlWriter) Write(o *Outcome) error {
	out := jsonlOut{ID: o.Row.ID, Name: o.Row.Name, Line: o.Row.Line, Matches: BatchMatches(o), Warnings: o.Warnings}
	if len(o.Row.Names) > 1 {
		for _, n := range o.Row.Names {
			out.Names = append(out.Names, jsonlName{n.Name, n.Value})
		}
	}
	if o.Err != nil {
		out.Error = tradescreen.ErrorMessage(o.Err)
	} else {
		out.StaleLists = j.opt.StaleLists
	}
	if len(o.Row.Columns) > 0 {
		out.Columns = make(map[string]string, len(o.Row.Columns))
		for _, c := range o.Row.Columns {
			out.Columns[c.Name] = c.Value
		}
	}
	if j.opt.Ownership && o.Err == nil {
		fs := o.Ownership
		if fs == nil {
			fs = []tradescreen.OwnershipFinding{}
		}
		out.Ownership = &fs
	}
	return j.enc.Encode(out)
}

func (j *jsonlWriter) Flush() error { return j.w.Flush() }

func (j *jsonlWriter) Close() error { return j.w.Flush() }

// csvWriter writes the input columns followed by the screening columns.
type csvWriter struct {
	w       *csvsafe.Writer
	started bool
	header  []string
	multi   bool
	opt     WriterOptions
}

// CSVColumns are the columns the CSV output adds after the input's own.
var CSVColumns = []string{"match_count", "best_score", "best_source", "best_source_id", "best_name", "best_matched_name", "matches",
	"allowed", "best_unreviewed_score", "best_unreviewed_entry", "error", "warnings"}

// NewCSVWriter writes CSV: the input columns, then match_count, best_score, best_source, best_source_id,
// best_name, best_matched_name, matches (every match as source:source_id:score, separated by "; "), allowed
// (the matches the allow list covers, as "us_el/ID (row ROW)", separated by "; "), best_unreviewed_score and
// best_unreviewed_entry (the best match the allow list does not cover: its score and entry key; empty when
// every match is covered), error and warnings. The best_* columns are those of the best match, covered or
// not: an allowance never hides a match. A file whose rows have several names adds best_column (the name
// column of the best match), and each of matches ends in @column. With WriterOptions.Ownership a last
// column ownership holds OwnershipSummary of the row's findings. With WriterOptions.StaleNote, the warnings
// of every row screened end with it.
func NewCSVWriter(w io.Writer, opts ...WriterOptions) RowWriter {
	return &csvWriter{w: csvsafe.NewWriter(w), opt: writerOptions(opts)}
}

// NewCSVWriterResumed continues a CSV output whose header (as written by an earlier run) is header: no
// header is written again. The header says whether rows carry ownership; opts give the stale note.
func NewCSVWriterResumed(w io.Writer, header []string, opts ...WriterOptions) (RowWriter, error) {
	// The header was written with csvsafe: the input's column names as they were.
	unq := make([]string, len(header))
	for i, h := range header {
		unq[i] = csvsafe.Unquote(h)
	}
	header = unq
	opt := WriterOptions{StaleNote: writerOptions(opts).StaleNote}
	if len(header) > 0 && header[len(header)-1] == "ownership" {
		opt.Ownership = true
		header = header[:len(header)-1]
	}
	n := len(header) - len(CSVColumns)
	multi := false
	if n > 0 && header[len(header)-1] == "best_column" {
		multi = true
		n--
	}
	if n < 0 || strings.Join(header[n:n+len(CSVColumns)], ",") != strings.Join(CSVColumns, ",") {
		return nil, errors.New("the partial CSV output's header does not end with the screening columns")
	}
	return &csvWriter{w: csvsafe.NewWriter(w), started: true, header: header[:n], multi: multi, opt: opt}, nil
}

// Header returns the header written (nil before the first row).
func (c *csvWriter) Header() []string {
	if !c.started {
		return nil
	}
	return c.header0()
}

// columnHeader is the input columns of the first outcome, which make the output's header.
func columnHeader(o *Outcome) []string {
	var h []string
	for _, col := range o.Row.Columns {
		h = append(h, col.Name)
	}
	return h
}

// outputRecord is an outcome as a CSV or XLSX record under header.
func outputRecord(header []string, o *Outcome, multi bool, opt WriterOptions) []string {
	// Later rows fill the first row's columns by name (JSONL rows may differ).
	rec := make([]string, len(header), len(header)+len(CSVColumns)+1)
	for i, col := range o.Row.Columns {
		if i < len(header) && header[i] == col.Name {
			rec[i] = col.Value
			continue
		}
		for k, h := range header {
			if h == col.Name {
				rec[k] = col.Value
			}
		}
	}
	var best [6]string
	best[0] = strconv.Itoa(len(o.Matches))
	var all, allowed []string
	bestColumn, unreviewedScore, unreviewedEntry := "", "", ""
	for i, m := range o.Matches {
		col := ""
		if i < len(o.MatchColumns) {
			col = o.MatchColumns[i]
		}
		if i == 0 {
			best[1] = strconv.FormatFloat(m.Score, 'f', 3, 64)
			best[2], best[3], best[4], best[5] = m.Source, m.SourceID, m.Name, m.MatchedName
			bestColumn = col
		}
		s := fmt.Sprintf("%s:%s:%.3f", m.Source, m.SourceID, m.Score)
		if multi && col != "" {
			s += "@" + col
		}
		all = append(all, s)
		switch {
		case o.IsAllowed(i):
			allowed = append(allowed, fmt.Sprintf("%s/%s (row %s)", m.Source, m.SourceID, m.Allowed.Row))
		case unreviewedScore == "":
			unreviewedScore = strconv.FormatFloat(m.Score, 'f', 3, 64)
			unreviewedEntry = m.Source + "/" + m.SourceID
		}
	}
	errText := ""
	if o.Err != nil {
		errText = tradescreen.ErrorMessage(o.Err)
	}
	rec = append(rec, best[:]...)
	warnings := o.Warnings
	if o.Err == nil && opt.StaleNote != "" {
		warnings = append(warnings[:len(warnings):len(warnings)], opt.StaleNote)
	}
	rec = append(rec, strings.Join(all, "; "), strings.Join(allowed, "; "), unreviewedScore, unreviewedEntry, errText, strings.Join(warnings, "; "))
	if multi {
		rec = append(rec, bestColumn)
	}
	if opt.Ownership {
		rec = append(rec, OwnershipSummary(o.Ownership))
	}
	return rec
}

// OwnershipSummary is the ownership column of the CSV and XLSX outputs: each finding on one line of text
// ("Chengdu Dahua Wisdom: owned 50 % or more by listed parties (100 %): <path>; rule bis_affiliates,
// suspended (2025-11-10 .. 2026-11-09); licence: ..."), separated by " || "; empty when the row's names are
// not in the ownership data.
func OwnershipSummary(fs []tradescreen.OwnershipFinding) string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s: %s", f.Party, f.Summary)
		if f.Rule == "" {
			out = append(out, s)
			continue
		}
		state := "in force"
		if f.Status == "suspended" {
			state = "suspended"
		}
		if len(f.Paths) > 0 {
			s += ": " + strings.Join(f.Paths, " | ")
		}
		s += fmt.Sprintf("; rule %s, %s (%s); licence: %s", f.Rule, state, f.Period, f.Licence)
		if f.Confidence < 1 {
			s += fmt.Sprintf("; owners resolved by name (lowest score %.2f): confirm the identity", f.Confidence)
		}
		out = append(out, s)
	}
	return strings.Join(out, " || ")
}

func (c *csvWriter) Write(o *Outcome) error {
	if !c.started {
		c.header = columnHeader(o)
		c.multi = len(o.Row.Names) > 1
		if err := c.w.Write(c.header0()); err != nil {
			return err
		}
		c.started = true
	}
	return c.w.Write(outputRecord(c.header, o, c.multi, c.opt))
}

// header0 is the header row.
func (c *csvWriter) header0() []string {
	return outputHeader(c.header, c.multi, c.opt)
}

// outputHeader is the header of the CSV and XLSX outputs: the input's columns, then the screening columns.
func outputHeader(input []string, multi bool, opt WriterOptions) []string {
	h := append(append([]string(nil), input...), CSVColumns...)
	if multi {
		h = append(h, "best_column")
	}
	if opt.Ownership {
		h = append(h, "ownership")
	}
	return h
}

func (c *csvWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

func (c *csvWriter) Close() error { return c.Flush() }

// ErrorsWriter writes the rows that could not be screened to a CSV file: line, id, name, field, error.
type ErrorsWriter struct {
	w       *csvsafe.Writer
	started bool
	// N is the number of rows written.
	N int
}

// ErrorColumns are the columns of the errors file.
var ErrorColumns = []string{"line", "id", "name", "field", "error"}

// NewErrorsWriter writes an errors file to w; header says whether to write its header row (false when
// continuing a file).
func NewErrorsWriter(w io.Writer, header bool) *ErrorsWriter {
	return &ErrorsWriter{w: csvsafe.NewWriter(w), started: !header}
}

// Write writes o when it has an error, and does nothing otherwise.
func (e *ErrorsWriter) Write(o *Outcome) error {
	if o.Err == nil {
		return nil
	}
	if !e.started {
		if err := e.w.Write(ErrorColumns); err != nil {
			return err
		}
		e.started = true
	}
	field, msg := "", tradescreen.ErrorMessage(o.Err)
	var pe *tradescreen.ParseError
	if errors.As(o.Err, &pe) {
		field, msg = pe.Field, pe.Msg
		if pe.Err != nil {
			msg = strings.TrimPrefix(msg+": "+pe.Err.Error(), ": ")
		}
	} else if strings.HasPrefix(msg, "name: ") {
		field = "name"
	}
	e.N++
	return e.w.Write([]string{strconv.Itoa(o.Row.Line), o.Row.ID, o.Row.Name, field, msg})
}

// Flush writes what is buffered.
func (e *ErrorsWriter) Flush() error {
	e.w.Flush()
	return e.w.Error()
}

// Close flushes; it writes the header when no row was written.
func (e *ErrorsWriter) Close() error {
	if !e.started {
		e.w.Write(ErrorColumns)
		e.started = true
	}
	return e.Flush()
}

// MultiWriter writes every outcome to each writer in turn; Flush and Close reach each.
func MultiWriter(ws ...RowWriter) RowWriter { return multiWriter(ws) }

type multiWriter []RowWriter

func (m multiWriter) Write(o *Outcome) error {
	for _, w := range m {
		if err := w.Write(o); err != nil {
			return err
		}
	}
	return nil
}

func (m multiWriter) Flush() error {
	for _, w := range m {
		if f, ok := w.(Flusher); ok {
			if err := f.Flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m multiWriter) Close() error {
	var first error
	for _, w := range m {
		if err := w.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// CountingWriter counts the bytes written through it (the byte offset a checkpoint records).
type CountingWriter struct {
	W io.Writer
	N int64
}

func (c *CountingWriter) Write(p []byte) (int, error) {
	n, err := c.W.Write(p)
	c.N += int64(n)
	return n, err
}
