package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/match"
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
	// orders is the --orders JSONL input (orders mode); ownershipDate the date whose ownership rules apply.
	orders        string
	ownershipDate string
	// svc are the flags of the screening service: --list, --ownership, --max-list-age, --record and the
	// store's.
	svc *serviceFlags
}

func (c *batchCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "batch", "batch INPUT -o OUTPUT [--list KIND=PATH]... [--threshold T] [--limit N] [--report FILE.html] [--ownership FILE]... [--resume]\n   or: tradescreen batch --orders ORDERS.jsonl -o DECISIONS.jsonl [--list KIND=PATH]... [--ownership FILE]... [--strict]", batchHelp)
	var f batchFlags
	fs.StringVar(&f.out, "o", "", "output file: .jsonl, .csv or .xlsx (required)")
	fs.Float64Var(&f.threshold, "threshold", 0, fmt.Sprintf("lowest score written, 0..1 (default %.2f, the alert threshold)", match.DefaultThreshold))
	fs.IntVar(&f.limit, "limit", match.DefaultLimit, "most matches written per row")
	fs.IntVar(&f.workers, "workers", 0, "screening goroutines (default: one per CPU)")
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
	fs.StringVar(&f.ownershipDate, "ownership-date", "", "apply the ownership rules in force on this date, YYYY-MM-DD (default today)")
	f.svc = addServiceFlags(fs, "ownership data (see 'tradescreen ownership'): add the 50 % rule findings for each row's names (JSONL member \"ownership\", CSV and XLSX column ownership); repeatable")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
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
	if opt.Delimiter, err = batch.ParseDelimiter(f.delimiter); err != nil {
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
	if f.ownershipDate != "" && len(f.svc.owners) == 0 {
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
	return runBatch(ctx, m, fs, f, opt, in)
}

// runBatch screens INPUT into -o OUTPUT through the screening service (batch.Job: resumable, the outputs
// published only when complete) and prints what it did.
func runBatch(ctx context.Context, m *Main, fs *flag.FlagSet, f batchFlags, opt batch.ReaderOptions, in string) error {
	// Open the input before loading the lists, so that a file without a name column fails at once.
	if err := batch.CheckInput(in, opt); err != nil {
		return err
	}
	svc, err := newService(ctx, m, fs, f.svc)
	if err != nil {
		return err
	}
	defer svc.Close()
	job := batch.Job{Input: in, Reader: opt, Outputs: []string{f.out}, Errors: f.errorsPath, Report: f.report,
		Resume: f.resume, Restart: f.restart, Version: version(), Settings: f.settings(),
		Options: batch.BatchOptions{Threshold: f.threshold, Limit: f.limit, Workers: f.workers, Strict: f.strict,
			CheckpointInterval: f.checkpoint, OwnershipDate: f.ownershipDate}}
	size := int64(0)
	if st, err := os.Stat(in); err == nil {
		size = st.Size()
	}
	prog := newProgress(m, f.progress, size)
	if prog != nil {
		job.Progress = prog.Set
	}
	res, err := svc.RunBatch(ctx, svc.actor, "batch", job)
	prog.Stop()
	var unfinished *batch.UnfinishedError
	var interrupted *batch.InterruptedError
	switch {
	case errors.As(err, &unfinished):
		return usagef("an interrupted run of -o %s stopped after %d rows (%s): pass --resume to continue it, or --restart to start over", f.out, unfinished.Rows, unfinished.Journal)
	case errors.As(err, &interrupted):
		fmt.Fprintf(m.Stderr, "interrupted after %d rows; run the same command with --resume to continue\n", interrupted.Rows)
		return err
	case err != nil && res != nil && res.Screened+res.Resumed > 0:
		return fmt.Errorf("after %d rows: %w", res.Screened+res.Resumed, err)
	case err != nil:
		return err
	}
	if f.resume && res.Resumed == 0 {
		fmt.Fprintf(m.Stderr, "no interrupted run of %s to resume: starting from the first row\n", f.out)
	}
	printBatchSummary(m, f, res)
	return nil
}

// settings are the options beyond batch.BatchOptions that shape the output, for the report and for
// checking that a resumed run is the same command.
func (f batchFlags) settings() [][2]string {
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	return [][2]string{
		{"Id, type, country, address, date-of-birth columns", or(strings.Trim(strings.Join([]string{f.id, f.typ, f.country, f.address, f.dob}, ", "), ", "), "detected")},
		{"Delimiter", or(f.delimiter, "detected")},
		{"Output format", strings.TrimPrefix(strings.ToLower(filepath.Ext(f.out)), ".")},
	}
}

// printBatchSummary prints what a finished run did on standard error.
func printBatchSummary(m *Main, f batchFlags, res *batch.Result) {
	total := res.Stats
	el := res.Finished.Sub(res.Started)
	rate := 0.0
	if el > 0 {
		rate = float64(res.Screened) / el.Seconds()
	}
	asOf := screen.AsOf(tradescreen.Versions(res.Lists))
	fmt.Fprintf(m.Stderr, "%d rows screened in %s (%.0f rows/s, %d names): %d with matches (%d matches), %d errors; lists: %s. Wrote %s\n",
		total.Rows, el.Round(time.Millisecond), rate, total.Names, total.WithMatches, total.Matches, total.Errors, asOf, f.out)
	warnStale(m, res.Lists)
	if res.Allow != "" {
		fmt.Fprintf(m.Stderr, "allow list (%s): %d matches are reviewed look-alikes, marked allowed and kept; %d rows have matches to review\n",
			res.Allow, total.Allowed, total.WithMatches-total.OnlyAllowed)
	}
	if res.OwnershipDate != "" {
		fmt.Fprintf(m.Stderr, "ownership (%s, rules as of %s): %d rows found in the ownership data, %d owned by listed parties under a rule in force\n",
			strings.Join(res.Ownership, ", "), res.OwnershipDate, total.InOwnership, total.Owned)
	}
	if res.Resumed > 0 {
		fmt.Fprintf(m.Stderr, "resumed at row %d of an interrupted run\n", res.Resumed)
	}
	if res.ErrorsFile != "" {
		fmt.Fprintf(m.Stderr, "%d rows could not be screened: see %s\n", total.Errors, res.ErrorsFile)
	}
	for path, why := range res.Dropped {
		fmt.Fprintf(m.Stderr, "warning: %s not written: %s\n", path, why)
	}
	if f.report != "" {
		fmt.Fprintf(m.Stderr, "report: %s\n", f.report)
	}
}

// newProgress starts the progress line of a run over an input of size bytes on standard error, when mode
// (--progress) asks for it: always, or auto on a terminal; nil when none is shown.
func newProgress(m *Main, mode string, size int64) *batch.ProgressLine {
	if mode == "always" || mode == "auto" && isTerminal(m.Stderr) {
		return batch.StartProgress(m.Stderr, size)
	}
	return nil
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

// runBatchOrders is `batch --orders INPUT.jsonl -o OUTPUT.jsonl`: one order per line in, one decision per
// line out, in input order (batch.RunOrders, each order decided as `tradescreen order` decides it). A line
// that is not an order is written with its error (the run goes on unless --strict). The output appears under
// its name only when the run is complete.
func runBatchOrders(ctx context.Context, m *Main, fs *flag.FlagSet, f batchFlags, pos []string) error {
	if len(pos) != 0 {
		return usagef("--orders takes the input file: no other INPUT (got %q)", pos[0])
	}
	var bad []string
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "orders", "o", "list", "workers", "strict", "progress", "ownership", "data-dir", "max-list-age":
		default:
			bad = append(bad, "--"+fl.Name)
		}
	})
	if len(bad) > 0 {
		return usagef("%s cannot be used with --orders (orders mode takes -o, --list, --data-dir, --ownership, --max-list-age, --workers and --strict; the ownership rules apply on each order's date)", strings.Join(bad, ", "))
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
	f.svc.noRecord = true // the output file is the record of an orders run
	svc, err := newService(ctx, m, fs, f.svc)
	if err != nil {
		return err
	}
	defer svc.Close()
	started := time.Now()
	st, err := svc.RunOrders(ctx, batch.OrdersJob{Input: f.orders, Output: f.out, Workers: f.workers, Strict: f.strict})
	if err != nil {
		return err
	}
	ls := svc.Lists()
	fmt.Fprintf(m.Stderr, "%d orders screened in %s: %d held, %d clear, %d errors; lists: %s. Wrote %s\n",
		st.Orders, time.Since(started).Round(time.Millisecond), st.Held, st.Clear, st.Errors, screen.AsOf(tradescreen.Versions(ls)), f.out)
	warnStale(m, ls)
	return nil
}
