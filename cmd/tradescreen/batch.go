package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
)

type batchCommand struct{}

const batchHelp = `Screens every row of INPUT and writes one result per row, in input order, to OUTPUT.

INPUT is CSV with a header row (any delimiter: comma, semicolon, tab or pipe; UTF-8 with or without BOM,
UTF-16 with BOM, Windows-1252/Latin-1, detected or given with --encoding), an Excel workbook (.xlsx: the
first worksheet, its first row the header) or JSON Lines (.jsonl: one object per line). The name column is
detected (name, company_name, customer ...) or given with --name-column; repeat --name-column to screen
several names of a row (company name, trading name, contact person) as separate parties: the output keeps
one line per row and says which column matched. id, type, country, address, date of birth and identifier
columns (tax_id, lei, imo ...) are detected or mapped by flags; every other column is carried through. A
type, country or date of birth that cannot be read is left out with a warning.

OUTPUT is chosen by extension: .jsonl writes {"id", "name", "matches": [...]} per row, matches sorted by
score, each with source, source_id, name, matched_name, score, explanation and the entry's key facts;
.csv writes the input columns followed by match_count, best_score, best_source, best_source_id, best_name,
best_matched_name, matches, allowed, best_unreviewed_score, best_unreviewed_entry, error and warnings; .xlsx
the same as a workbook. Only matches at or above the
threshold are written. --report FILE.html adds a self-contained summary to file: counts per list, the hits
with their explanations, the lists' dates, the settings and the input's SHA-256.

The allow list of reviewed look-alikes ('tradescreen lists own', in the data directory) is applied: a
match of a row's name with the entry an allowance pairs that name with stays in the output, where it was
and with its score, marked as allowed: in .jsonl an "allowed" member {"reason", "reviewer", "date", "row"}
on the match; in .csv the columns allowed (those matches, as LIST/ID (row ROW)), best_unreviewed_score and
best_unreviewed_entry (the best match no allowance covers: sort on it to triage); the best_* columns stay
those of the best match, allowed or not. The report counts allowed matches apart.

Bad rows (no name, broken quoting, invalid encoding, a field too long) are written with their error and
listed with their line in an errors file (--errors, default OUTPUT.errors.csv when there are any); the run
goes on unless --strict.

The output appears only when the run is complete. An interrupted run (Ctrl-C, kill, power loss) leaves a
hidden partial output and its checkpoint next to OUTPUT: run the same command with --resume to continue
where it stopped, with no row lost or screened twice (the input must be unchanged), or --restart to start
over. A progress line is shown on standard error when it is a terminal.

--ownership FILE (repeatable, the formats of 'tradescreen ownership') adds the 50 % rule findings for each
row's names: an "ownership" member in .jsonl, an ownership column in .csv and .xlsx (under the rules in
force on --ownership-date, default today).

Orders mode: 'batch --orders ORDERS.jsonl -o DECISIONS.jsonl' screens one order per line (the JSON of
'tradescreen order') and writes {"line", "order_id", "decision"} per order, or {"line", "error"} for a line
that is not a valid order (the run goes on unless --strict). With --ownership FILE every order party is
also looked up in the ownership data and the 50 % rules are applied on the order's date, as 'tradescreen
order --ownership' does.

With --record (or TRADESCREEN_RECORD=1) the finished run is appended to the audit trail (action
screen.batch: the input's name and SHA-256, the output, the lists and the counts) of the database (--db,
$TRADESCREEN_DB, else tradescreen.db in the data directory), acting as --as / --api-key. The output file is
the row-level record.`

// batchFlags are the command's options.
type batchFlags struct {
	out, report, errorsPath, encoding, delimiter string
	threshold                                    float64
	limit, workers                               int
	strict, resume, restart                      bool
	checkpoint                                   time.Duration
	progress                                     string
	names                                        stringsFlag
	id, typ, country, address, dob               string
	lists                                        listFlag
	// orders is the --orders JSONL input (orders mode); owners the --ownership data, ownershipDate the date
	// whose rules apply.
	orders        string
	owners        dataFlag
	ownershipDate string
	// record appends the finished run to the audit trail of the store sf names.
	record bool
	sf     *storeFlags
}

func (c *batchCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "batch", "batch INPUT -o OUTPUT [--list KIND=PATH]... [--threshold T] [--limit N] [--report FILE.html] [--ownership FILE]... [--resume]\n   or: tradescreen batch --orders ORDERS.jsonl -o DECISIONS.jsonl [--list KIND=PATH]... [--ownership FILE]... [--strict]", batchHelp)
	var f batchFlags
	fs.StringVar(&f.out, "o", "", "output file: .jsonl, .csv or .xlsx (required)")
	fs.Float64Var(&f.threshold, "threshold", 0, fmt.Sprintf("lowest score written, 0..1 (default %.2f, the alert threshold)", match.DefaultThreshold))
	fs.IntVar(&f.limit, "limit", match.DefaultLimit, "most matches written per row")
	fs.IntVar(&f.workers, "workers", 0, "screening goroutines (default: one per CPU)")
	fs.Var(&f.lists, "list", listHelp)
	fs.Var(&f.names, "name-column", "column holding a name to screen; repeat for several names per row (default: detected)")
	fs.StringVar(&f.id, "id-column", "", "column holding the row's id (default: detected)")
	fs.StringVar(&f.typ, "type-column", "", "column holding the party type, person or organization (default: detected)")
	fs.StringVar(&f.country, "country-column", "", "column holding the country (default: detected)")
	fs.StringVar(&f.address, "address-column", "", "column holding the address (default: detected)")
	fs.StringVar(&f.dob, "dob-column", "", "column holding the date of birth (default: detected)")
	fs.StringVar(&f.encoding, "encoding", "", "input encoding: "+strings.Join(batch.Encodings, ", ")+" (default: detected)")
	fs.StringVar(&f.delimiter, "delimiter", "", "CSV delimiter: , ; tab or | (default: detected)")
	fs.StringVar(&f.report, "report", "", "also write a self-contained HTML summary report to this file")
	fs.StringVar(&f.errorsPath, "errors", "", "write the rows that could not be screened to this CSV (default: OUTPUT.errors.csv when there are any)")
	fs.BoolVar(&f.strict, "strict", false, "stop at the first row that cannot be screened")
	fs.BoolVar(&f.resume, "resume", false, "continue an interrupted run of the same command")
	fs.BoolVar(&f.restart, "restart", false, "discard an interrupted run's partial output and start over")
	fs.DurationVar(&f.checkpoint, "checkpoint-interval", 2*time.Second, "how often the partial output is made durable")
	fs.StringVar(&f.progress, "progress", "auto", "progress line on standard error: auto (when a terminal), always or never")
	fs.StringVar(&f.orders, "orders", "", "orders mode: screen one order per line of this JSONL file (the JSON of 'tradescreen order') and write one decision per line to -o OUTPUT.jsonl")
	fs.Var(&f.owners, "ownership", "ownership data (see 'tradescreen ownership'): add the 50 % rule findings for each row's names (JSONL member \"ownership\", CSV and XLSX column ownership); repeatable")
	fs.StringVar(&f.ownershipDate, "ownership-date", "", "apply the ownership rules in force on this date, YYYY-MM-DD (default today)")
	fs.BoolVar(&f.record, "record", false, "append the finished run (input, SHA-256, lists, counts) to the audit trail (default $TRADESCREEN_RECORD)")
	f.sf = addStoreFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	f.record = recordDefault(m, fs, "record", f.record)
	if f.orders != "" {
		return runBatchOrders(ctx, m, fs, f, pos)
	}
	if len(pos) != 1 {
		return usagef("want exactly one INPUT file")
	}
	if f.out == "" {
		return usagef("-o OUTPUT is required (.jsonl, .csv or .xlsx)")
	}
	if f.threshold < 0 || f.threshold > 1 {
		return usagef("--threshold %v is outside [0, 1]", f.threshold)
	}
	if f.limit < 1 || f.limit > 1000 {
		return usagef("--limit %d is outside 1..1000", f.limit)
	}
	if f.resume && f.restart {
		return usagef("--resume and --restart exclude each other")
	}
	if f.checkpoint <= 0 {
		return usagef("--checkpoint-interval must be positive")
	}
	switch f.progress {
	case "auto", "always", "never":
	default:
		return usagef("--progress %q: want auto, always or never", f.progress)
	}
	opt := batch.ReaderOptions{NameColumns: f.names, IDColumn: f.id, TypeColumn: f.typ, CountryColumn: f.country,
		AddressColumn: f.address, DOBColumn: f.dob, Encoding: f.encoding}
	switch f.delimiter {
	case "":
	case "tab", `\t`, "\t":
		opt.Delimiter = '\t'
	case ",", ";", "|":
		opt.Delimiter = rune(f.delimiter[0])
	default:
		return usagef("--delimiter %q: want , ; tab or |", f.delimiter)
	}
	if f.encoding != "" {
		if _, _, err := batch.Decode(strings.NewReader(""), f.encoding); err != nil {
			return usagef("--encoding %q: want one of %s", f.encoding, strings.Join(batch.Encodings, ", "))
		}
	}
	in := pos[0]
	outExt := strings.ToLower(filepath.Ext(f.out))
	if outExt != ".jsonl" && outExt != ".csv" && outExt != ".xlsx" {
		return usagef("-o %s: the output must end in .jsonl, .csv or .xlsx", f.out)
	}
	if f.ownershipDate != "" && len(f.owners) == 0 {
		return usagef("--ownership-date needs --ownership FILE")
	}
	if f.ownershipDate != "" {
		if _, err := ownershipDate(f.ownershipDate); err != nil {
			return err
		}
	}
	if outExt == ".xlsx" && f.resume {
		return usagef("an .xlsx output cannot be resumed: write .csv or .jsonl for long runs")
	}
	if f.report != "" && strings.ToLower(filepath.Ext(f.report)) != ".html" && strings.ToLower(filepath.Ext(f.report)) != ".htm" {
		return usagef("--report %s: the report must end in .html", f.report)
	}
	ist, err := os.Stat(in)
	if err != nil {
		return err
	}
	for _, p := range []string{f.out, f.report, f.errorsPath} {
		if p == "" {
			continue
		}
		if ost, err := os.Stat(p); err == nil && os.SameFile(ist, ost) {
			return usagef("%s is the input file: choose another output", p)
		}
	}
	run := &batchRun{m: m, f: f, opt: opt, in: in, outExt: outExt}
	return run.run(ctx)
}

// batchRun is one run of the batch command.
type batchRun struct {
	m      *Main
	f      batchFlags
	opt    batch.ReaderOptions
	in     string
	outExt string

	partial, journal, errPartial, errFinal string
}

func (b *batchRun) run(ctx context.Context) error {
	started := time.Now().UTC()
	size, sum, err := batch.FileSHA256(b.in)
	if err != nil {
		return err
	}
	// Open the reader before loading the lists, so a file without a name column fails at once.
	r, closeIn, counter, encoding, err := b.openInput()
	if err != nil {
		return err
	}
	defer closeIn()
	s, err := loadScreenerIn(b.m, b.f.lists, *b.f.sf.dataDir)
	if err != nil {
		return err
	}
	allow, allowVersion, err := allowListIn(b.m, *b.f.sf.dataDir)
	if err != nil {
		return err
	}
	dir, base := filepath.Dir(b.f.out), filepath.Base(b.f.out)
	b.partial = filepath.Join(dir, "."+base+".partial")
	b.journal = b.partial + ".journal"
	b.errFinal = b.f.errorsPath
	if b.errFinal == "" {
		b.errFinal = b.f.out + ".errors.csv"
	}
	b.errPartial = filepath.Join(filepath.Dir(b.errFinal), "."+filepath.Base(b.errFinal)+".partial")
	var look *ownershipLookup
	if len(b.f.owners) > 0 {
		if look, err = newOwnershipLookup(s, b.f.owners, b.f.ownershipDate); err != nil {
			return err
		}
	}
	settings := b.settings(s, encoding)
	settings.Allow = allowVersion
	if look != nil {
		settings.Ownership, settings.OwnershipDate = look.files, look.Date()
	}
	fingerprint := batch.Fingerprint(settings)

	cp := &batch.Checkpoint{Input: filepath.Base(b.in), InputSize: size, InputSHA256: sum, Settings: fingerprint,
		Report: batch.NewReport(), Started: started}
	resumed := 0
	prev, perr := batch.LoadCheckpoint(b.journal)
	switch {
	case b.f.resume && perr == nil:
		if prev.InputSHA256 != sum || prev.InputSize != size {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "cannot resume: %s changed since the interrupted run (SHA-256 %.12s..., now %.12s...); run with --restart", b.in, prev.InputSHA256, sum)
		}
		if prev.Settings != fingerprint {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "cannot resume: the lists or options differ from the interrupted run's; run the same command, or --restart")
		}
		cp = prev
		resumed = prev.Rows
	case b.f.resume && tradescreen.ErrorCode(perr) == tradescreen.ENOTFOUND:
		fmt.Fprintf(b.m.Stderr, "no interrupted run of %s to resume: starting from the first row\n", b.f.out)
	case b.f.resume:
		return fmt.Errorf("cannot resume: %w", perr)
	case perr == nil && !b.f.restart:
		return usagef("an interrupted run of -o %s stopped after %d rows (%s): pass --resume to continue it, or --restart to start over", b.f.out, prev.Rows, b.journal)
	}
	if cp.Report == nil {
		cp.Report = batch.NewReport()
	}
	// Without --report only the counts are kept (in memory and in each checkpoint).
	cp.Report.CountsOnly = b.f.report == ""

	out, err := openPartial(b.partial, cp.OutputOffset, resumed > 0)
	if err != nil {
		return err
	}
	errFile, err := openPartial(b.errPartial, cp.ErrorsOffset, resumed > 0)
	if err != nil {
		out.Close()
		return err
	}
	cleanup := func() {
		out.Close()
		errFile.Close()
		os.Remove(b.partial)
		os.Remove(b.errPartial)
		os.Remove(b.journal)
		os.Remove(b.journal + ".tmp")
	}
	outCount := &batch.CountingWriter{W: out, N: cp.OutputOffset}
	errCount := &batch.CountingWriter{W: errFile, N: cp.ErrorsOffset}
	var w batch.RowWriter
	switch {
	case look != nil && b.outExt == ".csv":
		if w, err = newOwnershipCSVWriter(outCount, look, resumedHeader(resumed, cp.CSVHeader)); err != nil {
			cleanup()
			return err
		}
	case look != nil && b.outExt == ".xlsx":
		summary := batch.ExtraColumn{Name: "ownership", Value: func(o *batch.Outcome) string { return look.Find(o).Summary() }}
		if w, err = batch.NewXLSXWriterColumns(outCount, summary); err != nil {
			cleanup()
			return err
		}
	case look != nil:
		w = ownership.NewBatchJSONLWriter(outCount, look.BatchLookup)
	case b.outExt == ".csv":
		if resumed > 0 && len(cp.CSVHeader) > 0 {
			if w, err = batch.NewCSVWriterResumed(outCount, cp.CSVHeader); err != nil {
				cleanup()
				return err
			}
		} else {
			w = batch.NewCSVWriter(outCount)
		}
	case b.outExt == ".xlsx":
		if w, err = batch.NewXLSXWriter(outCount); err != nil {
			cleanup()
			return err
		}
	default:
		w = batch.NewJSONLWriter(outCount)
	}
	ew := batch.NewErrorsWriter(errCount, !cp.ErrorsHeader)
	all := batch.MultiWriter(w, ew, cp.Report)

	// checkpoint makes everything written so far durable, then records it.
	resumable := b.outExt != ".xlsx"
	checkpoint := func(st batch.BatchStats) error {
		if !resumable {
			return nil
		}
		if err := all.(batch.Flusher).Flush(); err != nil {
			return err
		}
		if err := out.Sync(); err != nil {
			return err
		}
		if err := errFile.Sync(); err != nil {
			return err
		}
		cp.Rows = resumed + st.Rows
		cp.OutputOffset, cp.ErrorsOffset = outCount.N, errCount.N
		cp.ErrorsHeader = cp.ErrorsHeader || ew.N > 0
		if hw, ok := w.(interface{ Header() []string }); ok && len(cp.CSVHeader) == 0 {
			cp.CSVHeader = hw.Header()
		}
		return cp.Save(b.journal)
	}
	if err := checkpoint(batch.BatchStats{}); err != nil {
		cleanup()
		return err
	}

	prog := newProgress(b.m, b.f.progress, counter, size, resumed)
	st, err := batch.RunBatch(ctx, s, r, all, batch.BatchOptions{
		Threshold: b.f.threshold, Limit: b.f.limit, Workers: b.f.workers, Skip: resumed, Strict: b.f.strict,
		Progress: prog.set, Checkpoint: checkpoint, CheckpointInterval: b.f.checkpoint, Allow: allow,
	})
	prog.stop()
	if err != nil {
		if ctx.Err() != nil && resumable && errors.Is(err, ctx.Err()) {
			// Interrupted: keep what is written for --resume.
			if cerr := checkpoint(st); cerr == nil {
				out.Close()
				errFile.Close()
				fmt.Fprintf(b.m.Stderr, "interrupted after %d rows; run the same command with --resume to continue\n", resumed+st.Rows)
				return fmt.Errorf("interrupted: %w", err)
			}
		}
		cleanup()
		return fmt.Errorf("after %d rows: %w", resumed+st.Rows, err)
	}
	if err := all.Close(); err != nil {
		cleanup()
		return err
	}
	for _, file := range []*os.File{out, errFile} {
		if err := file.Sync(); err != nil {
			cleanup()
			return err
		}
		if err := file.Close(); err != nil {
			cleanup()
			return err
		}
	}
	total := cp.Report.Stats
	finished := time.Now().UTC()
	// The errors file and the report first; then the journal goes and the output is renamed into place: a
	// crash in between leaves a partial without a journal, which a later run discards.
	errorsWritten := ""
	if total.Errors > 0 || b.f.errorsPath != "" {
		if err := publish(b.errPartial, b.errFinal); err != nil {
			cleanup()
			return err
		}
		errorsWritten = b.errFinal
	} else {
		os.Remove(b.errPartial)
	}
	if b.f.report != "" {
		meta := batch.ReportMeta{Input: filepath.Base(b.in), InputSize: size, InputSHA256: sum, Encoding: encoding,
			Output: b.f.out, ErrorsFile: errorsWritten, Started: cp.Started, Finished: finished, Resumed: resumed,
			Version: version(), Settings: settings.display(), Lists: s.Lists()}
		if err := writeReport(b.f.report, cp.Report, meta); err != nil {
			cleanup()
			return err
		}
	}
	os.Remove(b.journal)
	if err := publish(b.partial, b.f.out); err != nil {
		cleanup()
		return err
	}
	if b.f.record {
		rec := batch.BatchRecord{Channel: "batch", Input: filepath.Base(b.in), SHA256: sum, Output: b.f.out,
			Lists: screen.AsOf(s.Lists()), BatchStats: total, Status: "completed"}
		if err := recordBatch(ctx, b.m, b.f.sf, rec); err != nil {
			return fmt.Errorf("%s was written, but %w", b.f.out, err)
		}
	}
	el := finished.Sub(started)
	rate := float64(st.Rows) / el.Seconds()
	fmt.Fprintf(b.m.Stderr, "%d rows screened in %s (%.0f rows/s, %d names): %d with matches (%d matches), %d errors; lists: %s. Wrote %s\n",
		total.Rows, el.Round(time.Millisecond), rate, total.Names, total.WithMatches, total.Matches, total.Errors, screen.AsOf(s.Lists()), b.f.out)
	if allowVersion != "" {
		fmt.Fprintf(b.m.Stderr, "allow list (%s): %d matches are reviewed look-alikes, marked allowed and kept; %d rows have matches to review\n",
			allowVersion, total.Allowed, total.WithMatches-total.OnlyAllowed)
	}
	if look != nil {
		found, owned := look.Counts()
		fmt.Fprintf(b.m.Stderr, "ownership (%s, rules as of %s): %d rows found in the ownership data, %d owned by listed parties under a rule in force\n",
			strings.Join(b.f.owners, ", "), look.Date(), found, owned)
	}
	if resumed > 0 {
		fmt.Fprintf(b.m.Stderr, "resumed at row %d of an interrupted run\n", resumed)
	}
	if errorsWritten != "" {
		fmt.Fprintf(b.m.Stderr, "%d rows could not be screened: see %s\n", total.Errors, errorsWritten)
	}
	if b.f.report != "" {
		fmt.Fprintf(b.m.Stderr, "report: %s\n", b.f.report)
	}
	return nil
}

// openInput opens INPUT with the reader its extension calls for. counter counts the bytes read (for the
// progress line).
func (b *batchRun) openInput() (batch.RowReader, func(), *atomic.Int64, string, error) {
	file, err := os.Open(b.in)
	if err != nil {
		return nil, nil, nil, "", err
	}
	counter := new(atomic.Int64)
	cr := &countReader{r: file, n: counter}
	name := filepath.Base(b.in)
	closer := func() { file.Close() }
	var r batch.RowReader
	encoding := ""
	switch strings.ToLower(filepath.Ext(b.in)) {
	case ".jsonl", ".ndjson":
		r = batch.NewJSONLReaderOptions(cr, name, b.opt)
	case ".xlsx", ".xlsm":
		r, err = batch.NewXLSXReaderOptions(cr, name, b.opt)
		if err == nil {
			if c, ok := r.(io.Closer); ok {
				closer = func() { c.Close(); file.Close() }
			}
		}
	default:
		r, err = batch.NewCSVReaderOptions(cr, name, b.opt)
		if e, ok := r.(interface{ Encoding() string }); ok {
			encoding = e.Encoding()
		}
	}
	if err != nil {
		file.Close()
		return nil, nil, nil, "", err
	}
	return r, closer, counter, encoding, nil
}

type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// batchSettings are the options that shape the output: a resumed run must use the same.
type batchSettings struct {
	Output    string   `json:"output"`
	Threshold float64  `json:"threshold"`
	Limit     int      `json:"limit"`
	Names     []string `json:"name_columns"`
	Columns   []string `json:"columns"`
	Encoding  string   `json:"encoding"`
	Delimiter string   `json:"delimiter"`
	Lists     []string `json:"lists"`
	Report    bool     `json:"report"`
	// Ownership are the ownership data files with their SHA-256, OwnershipDate the rules' date.
	Ownership     []string `json:"ownership,omitempty"`
	OwnershipDate string   `json:"ownership_date,omitempty"`
	// Allow names the allow list version applied (empty without one): a resumed run must apply the same.
	Allow string `json:"allow,omitempty"`
}

func (b *batchRun) settings(s *screen.Screener, encoding string) batchSettings {
	st := batchSettings{Output: b.outExt, Threshold: b.f.threshold, Limit: b.f.limit, Names: b.f.names,
		Columns: []string{b.f.id, b.f.typ, b.f.country, b.f.address, b.f.dob}, Encoding: encoding, Delimiter: b.f.delimiter, Report: b.f.report != ""}
	if st.Threshold == 0 {
		st.Threshold = match.DefaultThreshold
	}
	for _, l := range s.Lists() {
		st.Lists = append(st.Lists, fmt.Sprintf("%s %s %d %s", l.Source, l.Published, l.Entries, l.SHA256))
	}
	return st
}

// display renders the settings for the report.
func (s batchSettings) display() [][2]string {
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	names := strings.Join(s.Names, ", ")
	out := [][2]string{
		{"Alert threshold", fmt.Sprintf("%.2f", s.Threshold)},
		{"Matches per row", fmt.Sprint(s.Limit)},
		{"Name columns", or(names, "detected")},
		{"Id, type, country, address, date-of-birth columns", or(strings.Trim(strings.Join(s.Columns, ", "), ", "), "detected")},
		{"Encoding", or(s.Encoding, "n/a")},
		{"Output format", s.Output},
	}
	if len(s.Ownership) > 0 {
		out = append(out, [2]string{"Ownership data (50 % rules as of " + s.OwnershipDate + ")", strings.Join(s.Ownership, ", ")})
	}
	out = append(out, [2]string{"Allow list of reviewed look-alikes", or(s.Allow, "none")})
	return out
}

// openPartial opens a partial output: truncated to offset and positioned at its end when continuing, new
// otherwise.
func openPartial(path string, offset int64, cont bool) (*os.File, error) {
	if !cont {
		return os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot resume: %w", err)
	}
	st, err := f.Stat()
	if err == nil && st.Size() < offset {
		err = fmt.Errorf("cannot resume: %s has %d bytes, fewer than the %d the checkpoint recorded", path, st.Size(), offset)
	}
	if err == nil {
		err = f.Truncate(offset)
	}
	if err == nil {
		_, err = f.Seek(offset, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// publish renames a finished partial file into place, with the mode an ordinary new file gets (or the
// mode of the file it replaces).
func publish(partial, final string) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(final); err == nil {
		mode = st.Mode().Perm()
	} else {
		// The mode os.Create would give: 0666 less the umask.
		mode = 0o666 &^ umask()
	}
	if err := os.Chmod(partial, mode); err != nil {
		return err
	}
	if err := os.Rename(partial, final); err != nil {
		return err
	}
	return batch.SyncDir(filepath.Dir(final))
}

var umaskOnce = sync.OnceValue(func() os.FileMode {
	dir, err := os.MkdirTemp("", "umask-")
	if err != nil {
		return 0o022
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "f")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		return 0o022
	}
	f.Close()
	st, err := os.Stat(p)
	if err != nil {
		return 0o022
	}
	return 0o666 &^ st.Mode().Perm()
})

func umask() os.FileMode { return umaskOnce() }

// writeReport renders the HTML report to a temporary file and renames it into place.
func writeReport(path string, r *batch.Report, meta batch.ReportMeta) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := batch.RenderReport(f, r, meta); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("report: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := publish(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// progress draws a progress line on standard error when it is a terminal.
type progress struct {
	m       *Main
	on      bool
	done    atomic.Int64
	read    *atomic.Int64
	size    int64
	resumed int
	start   time.Time
	quit    chan struct{}
	wg      sync.WaitGroup
}

func newProgress(m *Main, mode string, read *atomic.Int64, size int64, resumed int) *progress {
	p := &progress{m: m, read: read, size: size, resumed: resumed, start: time.Now(), quit: make(chan struct{})}
	switch mode {
	case "always":
		p.on = true
	case "auto":
		p.on = isTerminal(m.Stderr)
	}
	if p.on {
		p.wg.Add(1)
		go p.loop()
	}
	return p
}

func (p *progress) set(done int) { p.done.Store(int64(done)) }

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			fmt.Fprint(p.m.Stderr, "\r\033[K")
			return
		case <-t.C:
			fmt.Fprint(p.m.Stderr, "\r\033[K"+p.line())
		}
	}
}

// line is the progress line: rows done, rate, share of the input read and the time left.
func (p *progress) line() string {
	done := p.done.Load()
	el := time.Since(p.start).Seconds()
	rate := float64(done) / el
	s := fmt.Sprintf("%d rows", int64(p.resumed)+done)
	if el > 0 {
		s += fmt.Sprintf(", %.0f rows/s", rate)
	}
	if read := p.read.Load(); p.size > 0 && read > 0 {
		frac := float64(read) / float64(p.size)
		s += fmt.Sprintf(", %.0f%% read", 100*frac)
		if frac > 0.01 && frac < 1 {
			left := time.Duration(el * (1 - frac) / frac * float64(time.Second))
			s += ", ETA " + left.Round(time.Second).String()
		}
	}
	return s
}

func (p *progress) stop() {
	if p.on {
		close(p.quit)
		p.wg.Wait()
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// ownershipLookup is the --ownership data of a batch run: the lookup of the 50 % rule findings for the
// rows' names (loaded and resolved to list entries once per run) and the data files as given, each with its
// SHA-256 (part of the resume fingerprint).
type ownershipLookup struct {
	*ownership.BatchLookup
	files []string
}

func newOwnershipLookup(s *screen.Screener, data []string, asOf string) (*ownershipLookup, error) {
	date, err := ownershipDate(asOf)
	if err != nil {
		return nil, err
	}
	g, err := loadOwnership(data)
	if err != nil {
		return nil, err
	}
	rules, err := ownership.LoadRules("")
	if err != nil {
		return nil, err
	}
	l := &ownershipLookup{BatchLookup: ownership.NewBatchLookup(g, ownership.Resolve(g, s, ownership.ResolveOptions{}), rules, date)}
	for _, d := range data {
		path := d
		if f, p, ok := strings.Cut(d, "="); ok && contains(ownership.Formats, f) {
			path = p
		}
		_, sum, err := batch.FileSHA256(path)
		if err != nil {
			return nil, fmt.Errorf("ownership data %s: %w", d, err)
		}
		l.files = append(l.files, d+" sha256:"+sum)
	}
	return l, nil
}

// resumedHeader is the CSV header of the output a resumed run continues (nil when starting afresh).
func resumedHeader(resumed int, h []string) []string {
	if resumed > 0 {
		return h
	}
	return nil
}

// newOwnershipCSVWriter starts a CSV output with the ownership column, or continues one whose header
// (ownership column included) is resumed.
func newOwnershipCSVWriter(w io.Writer, look *ownershipLookup, resumed []string) (*ownership.BatchCSVWriter, error) {
	return ownership.NewBatchCSVWriter(w, look.BatchLookup, resumed)
}

// maxOrderLine bounds one line of an orders file (order.Decode reads at most 1 MB).
const maxOrderLine = 1 << 20

// orderLine is one line of the orders mode output: the decision for the order on input line Line, or the
// error that kept it from being screened.
type orderLine struct {
	Line     int             `json:"line"`
	OrderID  string          `json:"order_id,omitempty"`
	Decision *order.Decision `json:"decision,omitempty"`
	Error    string          `json:"error,omitempty"`
}

// runBatchOrders is `batch --orders INPUT.jsonl -o OUTPUT.jsonl`: one order per line in, one decision per
// line out, in input order. A line that is not an order is written with its error (the run goes on unless
// --strict). The output appears under its name only when the run is complete.
func runBatchOrders(ctx context.Context, m *Main, fs *flag.FlagSet, f batchFlags, pos []string) error {
	if len(pos) != 0 {
		return usagef("--orders takes the input file: no other INPUT (got %q)", pos[0])
	}
	var bad []string
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "orders", "o", "list", "workers", "strict", "progress", "ownership", "data-dir":
		default:
			bad = append(bad, "--"+fl.Name)
		}
	})
	if len(bad) > 0 {
		return usagef("%s cannot be used with --orders (orders mode takes -o, --list, --data-dir, --ownership, --workers and --strict; the ownership rules apply on each order's date)", strings.Join(bad, ", "))
	}
	if f.out == "" {
		return usagef("-o OUTPUT.jsonl is required")
	}
	if strings.ToLower(filepath.Ext(f.out)) != ".jsonl" {
		return usagef("-o %s: the orders mode writes JSON Lines: the output must end in .jsonl", f.out)
	}
	ist, err := os.Stat(f.orders)
	if err != nil {
		return err
	}
	if ost, err := os.Stat(f.out); err == nil && os.SameFile(ist, ost) {
		return usagef("%s is the input file: choose another output", f.out)
	}
	in, err := os.Open(f.orders)
	if err != nil {
		return err
	}
	defer in.Close()
	s, err := loadScreenerIn(m, f.lists, *f.sf.dataDir)
	if err != nil {
		return err
	}
	svc := order.New(s)
	if svc.Allow, _, err = allowListIn(m, *f.sf.dataDir); err != nil {
		return err
	}
	if len(f.owners) > 0 {
		g, err := loadOwnership(f.owners)
		if err != nil {
			return err
		}
		rules, err := ownership.LoadRules("")
		if err != nil {
			return err
		}
		svc.Ownership = order.NewOwnership(g, s, rules, f.owners)
	}
	workers := f.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	started := time.Now()
	partial := filepath.Join(filepath.Dir(f.out), "."+filepath.Base(f.out)+".partial")
	out, err := os.OpenFile(partial, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		out.Close()
		os.Remove(partial)
		return err
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	name := filepath.Base(f.orders)
	br := bufio.NewReaderSize(in, 64<<10)
	var st struct{ orders, held, clear, errors int }
	line := 0
	eof := false
	for !eof {
		if err := ctx.Err(); err != nil {
			return fail(fmt.Errorf("interrupted after %d orders: %w", st.orders, err))
		}
		// Read a chunk of lines, decide them on every core, write them in input order.
		var chunk []orderLine
		var texts [][]byte
		for len(chunk) < 64*workers {
			b, rerr := readOrderLine(br)
			if rerr == io.EOF {
				eof = true
				break
			}
			line++
			if rerr != nil && !errors.Is(rerr, errLineTooLong) {
				return fail(fmt.Errorf("read %s: %w", f.orders, rerr))
			}
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
			}
			b = bytes.TrimSpace(b)
			if rerr == nil && len(b) == 0 {
				continue
			}
			ol := orderLine{Line: line}
			if rerr != nil {
				ol.Error = fmt.Sprintf("line longer than %d bytes", maxOrderLine)
				b = nil
			}
			chunk, texts = append(chunk, ol), append(texts, b)
		}
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range min(workers, len(chunk)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(chunk) {
						return
					}
					if chunk[i].Error == "" {
						decideOrderLine(svc, &chunk[i], texts[i])
					}
				}
			}()
		}
		wg.Wait()
		for _, ol := range chunk {
			st.orders++
			switch {
			case ol.Error != "":
				st.errors++
				if f.strict {
					return fail(&tradescreen.ParseError{File: name, Line: ol.Line, Msg: ol.Error})
				}
			case ol.Decision.Outcome == order.Hold:
				st.held++
			default:
				st.clear++
			}
			if err := enc.Encode(ol); err != nil {
				return fail(err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := out.Sync(); err != nil {
		return fail(err)
	}
	if err := out.Close(); err != nil {
		os.Remove(partial)
		return err
	}
	if err := publish(partial, f.out); err != nil {
		os.Remove(partial)
		return err
	}
	fmt.Fprintf(m.Stderr, "%d orders screened in %s: %d held, %d clear, %d errors; lists: %s. Wrote %s\n",
		st.orders, time.Since(started).Round(time.Millisecond), st.held, st.clear, st.errors, screen.AsOf(s.Lists()), f.out)
	return nil
}

// decideOrderLine decodes, validates and decides the order in b, setting ol's decision or error.
func decideOrderLine(svc *order.Service, ol *orderLine, b []byte) {
	var id struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(b, &id) == nil {
		if s, ok := id.ID.(string); ok {
			ol.OrderID = s
		}
	}
	if !json.Valid(b) || b[0] != '{' {
		ol.Error = "not one JSON object"
		return
	}
	o, err := order.Decode(bytes.NewReader(b))
	if err == nil {
		err = order.Validate(o)
	}
	if err == nil {
		ol.Decision, err = svc.Decide(o)
	}
	if err != nil {
		ol.Error = tradescreen.ErrorMessage(err)
		ol.Decision = nil
	}
}

var errLineTooLong = errors.New("line too long")

// allowListIn returns the current allow list of reviewed look-alikes of the data directory (dir, or the
// default one) and a line naming its version ("own_allow #2 of 2026-06-30, 14 rows, sha256 ..."); nil and ""
// when none was imported. Errors: reading the data directory, or a stored version that no longer parses.
func allowListIn(m *Main, dir string) (*ownlist.AllowList, string, error) {
	store, err := history.OpenExisting(dataDir(m, dir))
	if err != nil || store == nil {
		return nil, "", err
	}
	v, b, err := store.OwnLatest(ownlist.Allow)
	if err != nil || v == nil {
		return nil, "", err
	}
	rows, err := ownlist.ParseAllow(b, v.Name)
	if err != nil {
		return nil, "", tradescreen.Errorf(tradescreen.EINVALID, "allow list %s: %v", v.Label(), err)
	}
	return ownlist.NewAllowList(rows), fmt.Sprintf("%s, %d rows, sha256 %s", v.Label(), len(rows), v.SHA256), nil
}

// readOrderLine reads one line (without its newline). A line over maxOrderLine is read to its end and
// returned as errLineTooLong; io.EOF only when nothing is left.
func readOrderLine(br *bufio.Reader) ([]byte, error) {
	var b []byte
	long := false
	for {
		frag, err := br.ReadSlice('\n')
		if !long {
			if len(b)+len(frag) > maxOrderLine+2 {
				long, b = true, nil
			} else {
				b = append(b, frag...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(b) == 0 && !long:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, err
		}
		if long {
			return nil, errLineTooLong
		}
		return b, nil
	}
}
