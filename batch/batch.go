package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/pool"
	"github.com/tradescreen/tradescreen/match"
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
	// NameColumn is the column Name was read from ("" when none).
	NameColumn string
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
	// Matches are the matches of every name of the row, best first, one per entry, each with its entry's
	// facts and, when the allow list covers it, its allowance (Match.Allowed: kept where it is, with its
	// score; its explanation starts with the allowance's note).
	Matches []tradescreen.MatchView
	// MatchColumns[i] is the name column whose name matched Matches[i], and MatchQueries[i] that name; both
	// are set only when the row has several names.
	MatchColumns []string
	MatchQueries []string
	// Ownership holds the 50 % rule findings for the row's names (empty without ownership data).
	Ownership []tradescreen.OwnershipFinding
	Err       error
	// Warnings say what of the row was not used (a type or country that could not be read): the name was
	// screened all the same.
	Warnings []string
	// fatal is an error of the run rather than of the row (runLevel): it stops the run.
	fatal error
}

// runLevel reports whether an answer's error is the run's rather than a row's: lists older than the run
// accepts (ESTALE), lists or an allow list not available (EUNAVAILABLE). Every row would get it, and a run
// written with it would read as screened.
func runLevel(err error) bool {
	switch tradescreen.ErrorCode(err) {
	case tradescreen.ESTALE, tradescreen.EUNAVAILABLE:
		return true
	}
	return false
}

// Answerer answers one screening: the screening service (package screening), which applies the allow list
// and the ownership data as every other door does.
type Answerer interface {
	Answer(ctx context.Context, req tradescreen.ScreenRequest) (*tradescreen.Screening, error)
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
	// Stop, when above 0, ends the run after the input's Stop-th row (the skipped rows counted): with Skip,
	// the run screens rows Skip+1 to Stop, one chunk of the input.
	Stop int
	// Strict stops the run at the first bad row or row that cannot be screened, returning its error.
	Strict bool
	// Checkpoint, when set, is called from the writing goroutine, between two writes, every
	// CheckpointInterval (default 2 s), with the stats of the rows written so far in this run. An error
	// stops the run.
	Checkpoint         func(st BatchStats) error
	CheckpointInterval time.Duration
	// OwnershipDate is the date whose ownership rules the findings apply (default today).
	OwnershipDate string
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
	// InOwnership counts the rows whose names were found in the ownership data, Owned those owned 50 % or
	// more by listed parties under a rule in force (a finding that applies).
	InOwnership int `json:"in_ownership,omitempty"`
	Owned       int `json:"owned,omitempty"`
}

// Add returns the sum of two stats.
func (s BatchStats) Add(o BatchStats) BatchStats {
	return BatchStats{Rows: s.Rows + o.Rows, WithMatches: s.WithMatches + o.WithMatches, Matches: s.Matches + o.Matches,
		Errors: s.Errors + o.Errors, Names: s.Names + o.Names, Allowed: s.Allowed + o.Allowed, OnlyAllowed: s.OnlyAllowed + o.OnlyAllowed,
		InOwnership: s.InOwnership + o.InOwnership, Owned: s.Owned + o.Owned}
}

// count adds an outcome to the stats.
func (s *BatchStats) count(o *Outcome) {
	s.Rows++
	s.Names += o.names()
	if len(o.Ownership) > 0 {
		s.InOwnership++
		for _, f := range o.Ownership {
			if f.Applies {
				s.Owned++
				break
			}
		}
	}
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
	for _, m := range o.Matches {
		if m.Allowed != nil {
			n++
		}
	}
	return n
}

// IsAllowed reports whether the allow list covers the outcome's i-th match.
func (o *Outcome) IsAllowed(i int) bool { return i < len(o.Matches) && o.Matches[i].Allowed != nil }

// RunBatch screens every row of r through svc and writes the outcomes to w in input order. A row that
// cannot be screened (an empty name, a bad row) is written with its error and counted, unless opt.Strict; a
// read or write error, a checkpoint error or the context's end stops the run. opt.Workers goroutines screen
// (one per CPU by default); at most opt.Window rows are held in memory.
func RunBatch(ctx context.Context, svc Answerer, r RowReader, w RowWriter, opt BatchOptions) (BatchStats, error) {
	interval := opt.CheckpointInterval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if err := skipRows(ctx, r, opt.Skip); err != nil {
		return BatchStats{}, err
	}
	read := r.Read
	if opt.Stop > 0 {
		left := opt.Stop - opt.Skip
		read = func() (*Row, error) {
			if left <= 0 {
				return nil, io.EOF
			}
			left--
			return r.Read()
		}
	}
	var st BatchStats
	last := time.Now()
	write := func(o *Outcome) error {
		if o.fatal != nil {
			return o.fatal
		}
		if o.Err != nil && opt.Strict {
			return rowError(o)
		}
		if err := w.Write(o); err != nil {
			return err
		}
		st.count(o)
		if opt.Progress != nil {
			opt.Progress(st.Rows)
		}
		if opt.Checkpoint != nil && time.Since(last) >= interval {
			if err := opt.Checkpoint(st); err != nil {
				return fmt.Errorf("checkpoint: %w", err)
			}
			last = time.Now()
		}
		return nil
	}
	err := pool.Ordered(ctx, pool.Options{Workers: opt.Workers, Window: opt.Window}, read,
		func(row *Row) *Outcome { return screenRow(ctx, svc, row, opt) }, write)
	return st, err
}

// skipRows reads and passes over the n rows a resumed run has already written.
func skipRows(ctx context.Context, r RowReader, n int) error {
	for skipped := 0; skipped < n; skipped++ {
		if _, err := r.Read(); err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("resume: the input has %d rows, fewer than the %d already written", skipped, n)
			}
			return err
		}
		if skipped%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
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
func screenRow(ctx context.Context, svc Answerer, row *Row, opt BatchOptions) *Outcome {
	o := &Outcome{Row: row}
	if row.Err != nil {
		o.Err = row.Err
		return o
	}
	req := rowRequest(row, opt, o)
	if len(row.Names) <= 1 {
		req.Name = row.Name
		scr, err := svc.Answer(ctx, req)
		if runLevel(err) {
			o.fatal = err
			return o
		}
		if err != nil {
			o.Err = err
			return o
		}
		o.Matches, o.Ownership = scr.Matches, scr.Ownership
		return o
	}
	return screenNames(ctx, svc, row, req, opt, o)
}

// rowRequest is the request of a row's names: the options and the row's type, country, birth date and
// identifiers. An optional column that cannot be read ("Supplier" as a type) must not keep the name from
// being screened: it is left out, with a warning on o.
func rowRequest(row *Row, opt BatchOptions, o *Outcome) tradescreen.ScreenRequest {
	q := tradescreen.Query{Threshold: opt.Threshold, Limit: opt.Limit, Sources: opt.Sources, Identifiers: row.Identifiers}
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
	return tradescreen.ScreenRequest{Query: q, OwnershipDate: opt.OwnershipDate}
}

// nameHit is one match of one of a row's names.
type nameHit struct {
	m           tradescreen.MatchView
	column, nam string
}

// screenNames screens each name of a row with several names as a party of its own and merges the matches:
// one per entry, best first. An entry is shown as allowed only when the allow list covers every name of the
// row that matched it: otherwise its best uncovered hit stands for it, so that a reviewed pairing never
// hides another name's match with the same entry.
func screenNames(ctx context.Context, svc Answerer, row *Row, req tradescreen.ScreenRequest, opt BatchOptions, o *Outcome) *Outcome {
	var hits []nameHit
	screened := 0
	seen := map[string]bool{}
	for _, c := range row.Names {
		if c.Value == "" {
			continue
		}
		screened++
		req.Name = c.Value
		scr, err := svc.Answer(ctx, req)
		if runLevel(err) {
			o.fatal = err
			return o
		}
		if err != nil {
			o.Warnings = append(o.Warnings, fmt.Sprintf("%s not screened: %s", c.Name, tradescreen.ErrorMessage(err)))
			continue
		}
		for _, m := range scr.Matches {
			hits = append(hits, nameHit{m: m, column: c.Name, nam: c.Value})
		}
		for _, f := range scr.Ownership {
			if k := f.PartyID + "\x00" + f.Rule + "\x00" + f.Period; !seen[k] {
				seen[k] = true
				o.Ownership = append(o.Ownership, f)
			}
		}
	}
	if screened == 0 {
		o.Err = tradescreen.Errorf(tradescreen.EINVALID, "name: required (columns %s are all empty)", columnNames(row.Names))
		return o
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	mergeHits(o, hits, limit)
	return o
}

// mergeHits keeps the best hit of each entry, up to limit entries, best first.
func mergeHits(o *Outcome, hits []nameHit, limit int) {
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].m.Score > hits[j].m.Score })
	at := map[string]int{}
	var kept []nameHit
	for _, h := range hits {
		k := h.m.Source + "/" + h.m.SourceID
		if i, ok := at[k]; ok {
			if kept[i].m.Allowed != nil && h.m.Allowed == nil {
				kept[i] = h
			}
			continue
		}
		if len(kept) >= limit {
			continue
		}
		at[k] = len(kept)
		kept = append(kept, h)
	}
	// Best first again: an allowed hit may have been replaced by a lower uncovered one.
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].m.Score > kept[j].m.Score })
	for _, h := range kept {
		o.Matches = append(o.Matches, h.m)
		o.MatchColumns = append(o.MatchColumns, h.column)
		o.MatchQueries = append(o.MatchQueries, h.nam)
	}
}

func columnNames(cs []Column) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Name)
	}
	return strings.Join(s, ", ")
}
