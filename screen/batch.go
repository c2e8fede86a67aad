package screen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/source"
)

// Row is one party read from a batch input file.
type Row struct {
	// Line is the 1-based line (CSV: of the record's first line) the row was read from.
	Line    int
	ID      string
	Name    string
	Type    string
	Country string
	// Address and BirthDate come from the address and date-of-birth columns when there are any.
	Address   string
	BirthDate string
	// Identifiers are the values of identifier columns (tax_id, lei, imo ...), the column name as the type.
	Identifiers []tradescreen.Identifier
	// Names are the row's names with the column each came from, when the input maps several name columns
	// (company name, trading name, contact person): each is screened as a party of its own. Name is the first.
	Names []Column
	// Columns are every input column in input order, carried through to the output.
	Columns []Column
	// Err is set for a bad row, one that could not be read (broken quoting, invalid encoding, a field too
	// long): it is reported with its line and not screened. It is a *tradescreen.ParseError.
	Err error
}

// Column is one named input value.
type Column struct {
	Name, Value string
}

// RowReader yields rows until io.EOF. A bad row is returned as a Row with Err set; an error returned by
// Read itself (an I/O error, a file that is not of its format at all) ends the run.
type RowReader interface {
	Read() (*Row, error)
}

// Outcome is a screened row: its matches or the error that kept it from being screened.
type Outcome struct {
	Row *Row
	// Matches are the matches of every name of the row, best first, one per entry.
	Matches []tradescreen.Match
	// MatchColumns[i] is the name column whose name matched Matches[i], and MatchQueries[i] that name; both
	// are set only when the row has several names.
	MatchColumns []string
	MatchQueries []string
	// Allowed[i] is the allowance of the allow list (BatchOptions.Allow) that covers Matches[i], nil where
	// none does; Allowed is nil when none of the matches is covered. A covered match is kept where it is,
	// with its score, and its explanation starts with the allowance's note.
	Allowed []*ownlist.Allowance
	Err     error
	// Warnings say what of the row was not used (a type or country that could not be read): the name was
	// screened all the same.
	Warnings []string
}

// RowWriter writes outcomes in input order.
type RowWriter interface {
	Write(o *Outcome) error
	Close() error
}

// Flusher is a RowWriter that can push what it buffered to its underlying writer without closing (for
// checkpoints). Every writer of this package implements it.
type Flusher interface {
	Flush() error
}

// BatchOptions set how a batch is screened.
type BatchOptions struct {
	Threshold float64
	Limit     int
	Sources   []string
	// Workers is the number of goroutines screening; 0 means one per CPU.
	Workers int
	// Window bounds the rows in flight (read but not yet written), which bounds memory whatever the file
	// size; 0 means 64 per worker.
	Window int
	// Progress, when set, is called after each row is written with the number of rows done in this run.
	Progress func(done int)
	// Skip rows are read and passed over without being screened or written: the rows a resumed run has
	// already written.
	Skip int
	// Strict stops the run at the first bad row or row that cannot be screened, returning its error.
	Strict bool
	// Checkpoint, when set, is called from the writing goroutine, between two writes, every
	// CheckpointInterval (default 2 s), with the stats of the rows written so far in this run. An error
	// stops the run.
	Checkpoint         func(st BatchStats) error
	CheckpointInterval time.Duration
	// Allow, when set, is the allow list of reviewed look-alikes: a match of a row's name with the entry an
	// allowance pairs it with is marked (Outcome.Allowed, the note first in its explanation) and counted
	// apart, never removed. Rows are matched by name (a batch row's id is not a parties-register id).
	Allow *ownlist.AllowList
}

// BatchStats summarize a batch run.
type BatchStats struct {
	Rows        int `json:"rows"`
	WithMatches int `json:"with_matches"`
	Matches     int `json:"matches"`
	Errors      int `json:"errors"`
	// Names is the number of names screened (a row may have several).
	Names int `json:"names"`
	// Allowed counts the matches the allow list covers (reviewed look-alikes; included in Matches) and
	// OnlyAllowed the rows with matches that are all covered (included in WithMatches).
	Allowed     int `json:"allowed,omitempty"`
	OnlyAllowed int `json:"only_allowed,omitempty"`
}

// Add returns the sum of two stats.
func (s BatchStats) Add(o BatchStats) BatchStats {
	return BatchStats{Rows: s.Rows + o.Rows, WithMatches: s.WithMatches + o.WithMatches, Matches: s.Matches + o.Matches,
		Errors: s.Errors + o.Errors, Names: s.Names + o.Names, Allowed: s.Allowed + o.Allowed, OnlyAllowed: s.OnlyAllowed + o.OnlyAllowed}
}

// count adds an outcome to the stats.
func (s *BatchStats) count(o *Outcome) {
	s.Rows++
	s.Names += o.names()
	switch {
	case o.Err != nil:
		s.Errors++
	case len(o.Matches) > 0:
		s.WithMatches++
		s.Matches += len(o.Matches)
		n := o.AllowedCount()
		s.Allowed += n
		if n == len(o.Matches) {
			s.OnlyAllowed++
		}
	}
}

// AllowedCount returns the number of the outcome's matches that the allow list covers.
func (o *Outcome) AllowedCount() int {
	n := 0
	for _, a := range o.Allowed {
		if a != nil {
			n++
		}
	}
	return n
}

// IsAllowed reports whether the allow list covers the outcome's i-th match.
func (o *Outcome) IsAllowed(i int) bool { return i < len(o.Allowed) && o.Allowed[i] != nil }

// RunBatch screens every row of r with s and writes the outcomes to w in input order. A row that cannot be
// screened (an empty name, a bad row) is written with its error and counted, unless opt.Strict; a read or
// write error, a checkpoint error or the context's end stops the run. All cores are used; at most
// opt.Window rows are held in memory.
func RunBatch(ctx context.Context, s *Screener, r RowReader, w RowWriter, opt BatchOptions) (BatchStats, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	window := opt.Window
	if window <= 0 {
		window = workers * 64
	}
	interval := opt.CheckpointInterval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	type job struct {
		seq int
		row *Row
	}
	type done struct {
		seq int
		out *Outcome
	}
	jobs := make(chan job, workers*16)
	results := make(chan done, workers*16)
	// sem holds one token per row in flight: the reader takes one, the writer gives it back.
	sem := make(chan struct{}, window)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var readErr error
	go func() {
		defer close(jobs)
		for skipped := 0; skipped < opt.Skip; skipped++ {
			if _, err := r.Read(); err != nil {
				if errors.Is(err, io.EOF) {
					readErr = fmt.Errorf("resume: the input has %d rows, fewer than the %d already written", skipped, opt.Skip)
				} else {
					readErr = err
				}
				return
			}
			if skipped%1024 == 0 && ctx.Err() != nil {
				return
			}
		}
		for seq := 0; ; seq++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				readErr = err
				return
			}
			select {
			case jobs <- job{seq, row}:
			case <-ctx.Done():
				return
			}
		}
	}()
	finished := make(chan struct{})
	for i := 0; i < workers; i++ {
		go func() {
			defer func() { finished <- struct{}{} }()
			for j := range jobs {
				o := screenRow(s, j.row, opt)
				select {
				case results <- done{j.seq, o}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		for i := 0; i < workers; i++ {
			<-finished
		}
		close(results)
	}()

	var st BatchStats
	pending := map[int]*Outcome{}
	next := 0
	var werr error
	last := time.Now()
	for d := range results {
		if werr != nil {
			continue
		}
		pending[d.seq] = d.out
		for {
			o, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if o.Err != nil && opt.Strict {
				werr = rowError(o)
				cancel()
				break
			}
			if err := w.Write(o); err != nil {
				werr = err
				cancel()
				break
			}
			<-sem
			st.count(o)
			if opt.Progress != nil {
				opt.Progress(st.Rows)
			}
			if opt.Checkpoint != nil && time.Since(last) >= interval {
				if err := opt.Checkpoint(st); err != nil {
					werr = fmt.Errorf("checkpoint: %w", err)
					cancel()
					break
				}
				last = time.Now()
			}
		}
	}
	if werr != nil {
		return st, werr
	}
	if err := ctx.Err(); err != nil && readErr == nil {
		return st, err
	}
	return st, readErr
}

// rowError is the error that stops a strict run at row o.
func rowError(o *Outcome) error {
	var pe *tradescreen.ParseError
	if errors.As(o.Err, &pe) {
		return o.Err
	}
	return fmt.Errorf("line %d: %w", o.Row.Line, o.Err)
}

// names is the number of names screened for the outcome.
func (o *Outcome) names() int {
	if o.Row.Err != nil {
		return 0
	}
	if len(o.Row.Names) > 0 {
		n := 0
		for _, c := range o.Row.Names {
			if c.Value != "" {
				n++
			}
		}
		return n
	}
	if o.Row.Name != "" {
		return 1
	}
	return 0
}

// screenRow screens every name of a row.
func screenRow(s *Screener, row *Row, opt BatchOptions) *Outcome {
	o := &Outcome{Row: row}
	if row.Err != nil {
		o.Err = row.Err
		return o
	}
	q := tradescreen.Query{Threshold: opt.Threshold, Limit: opt.Limit, Sources: opt.Sources, Identifiers: row.Identifiers}
	// An optional column the screener cannot read ("Supplier" as a type) must not keep the name from being
	// screened: it is left out, with a warning.
	if t := strings.TrimSpace(row.Type); t != "" {
		if k := tradescreen.ParseKind(t); k != tradescreen.KindUnknown {
			q.Kind = k
		} else if !strings.EqualFold(t, "unknown") {
			o.Warnings = append(o.Warnings, fmt.Sprintf("type %q not read (want person, organization, vessel or aircraft): screened without it", t))
		}
	}
	if c := strings.TrimSpace(row.Country); c != "" {
		if cc := source.CountryCode(c); cc != "" {
			q.Country = cc
		} else {
			o.Warnings = append(o.Warnings, fmt.Sprintf("country %q not read: screened without it", c))
		}
	} else if a := strings.TrimSpace(row.Address); a != "" {
		// The last part of an address is usually its country.
		parts := strings.Split(a, ",")
		if cc := source.CountryCode(strings.TrimSpace(parts[len(parts)-1])); cc != "" {
			q.Country = cc
		}
	}
	if d := strings.TrimSpace(row.BirthDate); d != "" {
		if nd := source.NormDate(d); nd != "" {
			q.BirthDate = nd
		} else {
			o.Warnings = append(o.Warnings, fmt.Sprintf("date of birth %q not read: screened without it", d))
		}
	}
	if len(row.Names) <= 1 {
		q.Name = row.Name
		res, err := s.Screen(q)
		if err != nil {
			o.Err = err
		} else {
			o.Matches = res.Matches
			o.Allowed = opt.Allow.Allowances(row.Name, "", o.Matches)
			opt.Allow.Mark(row.Name, "", o.Matches)
		}
		return o
	}
	// Several names: each is a party of its own; the matches are merged, one per entry, best first.
	type hit struct {
		m           tradescreen.Match
		column, nam string
		allow       *ownlist.Allowance
	}
	var hits []hit
	screened := 0
	for _, c := range row.Names {
		if c.Value == "" {
			continue
		}
		screened++
		q.Name = c.Value
		res, err := s.Screen(q)
		if err != nil {
			o.Warnings = append(o.Warnings, fmt.Sprintf("%s not screened: %s", c.Name, tradescreen.ErrorMessage(err)))
			continue
		}
		allows := opt.Allow.Allowances(c.Value, "", res.Matches)
		opt.Allow.Mark(c.Value, "", res.Matches)
		for i, m := range res.Matches {
			h := hit{m: m, column: c.Name, nam: c.Value}
			if allows != nil {
				h.allow = allows[i]
			}
			hits = append(hits, h)
		}
	}
	if screened == 0 {
		o.Err = tradescreen.Errorf(tradescreen.EINVALID, "name: required (columns %s are all empty)", columnNames(row.Names))
		return o
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].m.Score > hits[j].m.Score })
	limit := opt.Limit
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	// The entries kept are those of the best hits. An entry is shown as allowed only when the allow list
	// covers every name of the row that matched it: otherwise its best uncovered hit stands for it, so that
	// a reviewed pairing never hides another name's match with the same entry.
	at := map[string]int{}
	allowed := make([]*ownlist.Allowance, 0, limit)
	replaced := false
	for _, h := range hits {
		k := h.m.Source + "/" + h.m.SourceID
		if i, ok := at[k]; ok {
			if allowed[i] != nil && h.allow == nil {
				o.Matches[i], o.MatchColumns[i], o.MatchQueries[i], allowed[i] = h.m, h.column, h.nam, nil
				replaced = true
			}
			continue
		}
		if len(o.Matches) >= limit {
			continue
		}
		at[k] = len(o.Matches)
		o.Matches = append(o.Matches, h.m)
		o.MatchColumns = append(o.MatchColumns, h.column)
		o.MatchQueries = append(o.MatchQueries, h.nam)
		allowed = append(allowed, h.allow)
	}
	if replaced {
		// Best first again.
		idx := make([]int, len(o.Matches))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return o.Matches[idx[a]].Score > o.Matches[idx[b]].Score })
		ms, cs, qs, as := make([]tradescreen.Match, len(idx)), make([]string, len(idx)), make([]string, len(idx)), make([]*ownlist.Allowance, len(idx))
		for j, i := range idx {
			ms[j], cs[j], qs[j], as[j] = o.Matches[i], o.MatchColumns[i], o.MatchQueries[i], allowed[i]
		}
		o.Matches, o.MatchColumns, o.MatchQueries, allowed = ms, cs, qs, as
	}
	for _, a := range allowed {
		if a != nil {
			o.Allowed = allowed
			break
		}
	}
	return o
}

func columnNames(cs []Column) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Name)
	}
	return strings.Join(s, ", ")
}
