package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradescreen/tradescreen"
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
best_matched_name, matches, error and warnings; .xlsx the same as a workbook. Only matches at or above the
threshold are written. --report FILE.html adds a self-contained summary to file: counts per list, the hits
with their explanations, the lists' dates, the settings and the input's SHA-256.

Bad rows (no name, broken quoting, invalid encoding, a field too long) are written with their error and
listed with their line in an errors file (--errors, default OUTPUT.errors.csv when there are any); the run
goes on unless --strict.

The output appears only when the run is complete. An interrupted run (Ctrl-C, kill, power loss) leaves a
hidden partial output and its checkpoint next to OUTPUT: run the same command with --resume to continue
where it stopped, with no row lost or screened twice (the input must be unchanged), or --restart to start
over. A progress line is shown on standard error when it is a terminal.`

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
}

func (c *batchCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "batch", "batch INPUT -o OUTPUT [--list KIND=PATH]... [--threshold T] [--limit N] [--report FILE.html] [--resume]", batchHelp)
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
	fs.StringVar(&f.encoding, "encoding", "", "input encoding: "+strings.Join(screen.Encodings, ", ")+" (default: detected)")
	fs.StringVar(&f.delimiter, "delimiter", "", "CSV delimiter: , ; tab or | (default: detected)")
	fs.StringVar(&f.report, "report", "", "also write a self-contained HTML summary report to this file")
	fs.StringVar(&f.errorsPath, "errors", "", "write the rows that could not be screened to this CSV (default: OUTPUT.errors.csv when there are any)")
	fs.BoolVar(&f.strict, "strict", false, "stop at the first row that cannot be screened")
	fs.BoolVar(&f.resume, "resume", false, "continue an interrupted run of the same command")
	fs.BoolVar(&f.restart, "restart", false, "discard an interrupted run's partial output and start over")
	fs.DurationVar(&f.checkpoint, "checkpoint-interval", 2*time.Second, "how often the partial output is made durable")
	fs.StringVar(&f.progress, "progress", "auto", "progress line on standard error: auto (when a terminal), always or never")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
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
	opt := screen.ReaderOptions{NameColumns: f.names, IDColumn: f.id, TypeColumn: f.typ, CountryColumn: f.country,
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
		if _, _, err := screen.Decode(strings.NewReader(""), f.encoding); err != nil {
			return usagef("--encoding %q: want one of %s", f.encoding, strings.Join(screen.Encodings, ", "))
		}
	}
	in := pos[0]
	outExt := strings.ToLower(filepath.Ext(f.out))
	if outExt != ".jsonl" && outExt != ".csv" && outExt != ".xlsx" {
		return usagef("-o %s: the output must end in .jsonl, .csv or .xlsx", f.out)
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
	opt    screen.ReaderOptions
	in     string
	outExt string

	partial, journal, errPartial, errFinal string
}

func (b *batchRun) run(ctx context.Context) error {
	started := time.Now().UTC()
	size, sum, err := screen.FileSHA256(b.in)
	if err != nil {
		return err
	}
	// Open the reader before loading the lists, so a file without a name column fails at once.
	r, closeIn, counter, encoding, err := b.openInput()
	if err != nil {
		return err
	}
	defer closeIn()
	s, err := loadScreener(b.m, b.f.lists)
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
	settings := b.settings(s, encoding)
	fingerprint := screen.Fingerprint(settings)

	cp := &screen.Checkpoint{Input: filepath.Base(b.in), InputSize: size, InputSHA256: sum, Settings: fingerprint,
		Report: screen.NewReport(), Started: started}
	resumed := 0
	prev, perr := screen.LoadCheckpoint(b.journal)
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
		cp.Report = screen.NewReport()
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
	outCount := &screen.CountingWriter{W: out, N: cp.OutputOffset}
	errCount := &screen.CountingWriter{W: errFile, N: cp.ErrorsOffset}
	var w screen.RowWriter
	switch b.outExt {
	case ".csv":
		if resumed > 0 && len(cp.CSVHeader) > 0 {
			if w, err = screen.NewCSVWriterResumed(outCount, cp.CSVHeader); err != nil {
				cleanup()
				return err
			}
		} else {
			w = screen.NewCSVWriter(outCount)
		}
	case ".xlsx":
		if w, err = screen.NewXLSXWriter(outCount); err != nil {
			cleanup()
			return err
		}
	default:
		w = screen.NewJSONLWriter(outCount)
	}
	ew := screen.NewErrorsWriter(errCount, !cp.ErrorsHeader)
	all := screen.MultiWriter(w, ew, cp.Report)

	// checkpoint makes everything written so far durable, then records it.
	resumable := b.outExt != ".xlsx"
	checkpoint := func(st screen.BatchStats) error {
		if !resumable {
			return nil
		}
		if err := all.(screen.Flusher).Flush(); err != nil {
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
	if err := checkpoint(screen.BatchStats{}); err != nil {
		cleanup()
		return err
	}

	prog := newProgress(b.m, b.f.progress, counter, size, resumed)
	st, err := screen.RunBatch(ctx, s, r, all, screen.BatchOptions{
		Threshold: b.f.threshold, Limit: b.f.limit, Workers: b.f.workers, Skip: resumed, Strict: b.f.strict,
		Progress: prog.set, Checkpoint: checkpoint, CheckpointInterval: b.f.checkpoint,
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
		meta := screen.ReportMeta{Input: filepath.Base(b.in), InputSize: size, InputSHA256: sum, Encoding: encoding,
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
	el := finished.Sub(started)
	rate := float64(st.Rows) / el.Seconds()
	fmt.Fprintf(b.m.Stderr, "%d rows screened in %s (%.0f rows/s, %d names): %d with matches (%d matches), %d errors; lists: %s. Wrote %s\n",
		total.Rows, el.Round(time.Millisecond), rate, total.Names, total.WithMatches, total.Matches, total.Errors, screen.AsOf(s.Lists()), b.f.out)
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
func (b *batchRun) openInput() (screen.RowReader, func(), *atomic.Int64, string, error) {
	file, err := os.Open(b.in)
	if err != nil {
		return nil, nil, nil, "", err
	}
	counter := new(atomic.Int64)
	cr := &countReader{r: file, n: counter}
	name := filepath.Base(b.in)
	closer := func() { file.Close() }
	var r screen.RowReader
	encoding := ""
	switch strings.ToLower(filepath.Ext(b.in)) {
	case ".jsonl", ".ndjson":
		r = screen.NewJSONLReaderOptions(cr, name, b.opt)
	case ".xlsx", ".xlsm":
		r, err = screen.NewXLSXReaderOptions(cr, name, b.opt)
		if err == nil {
			if c, ok := r.(io.Closer); ok {
				closer = func() { c.Close(); file.Close() }
			}
		}
	default:
		r, err = screen.NewCSVReaderOptions(cr, name, b.opt)
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
	return [][2]string{
		{"Alert threshold", fmt.Sprintf("%.2f", s.Threshold)},
		{"Matches per row", fmt.Sprint(s.Limit)},
		{"Name columns", or(names, "detected")},
		{"Id, type, country, address, date-of-birth columns", or(strings.Trim(strings.Join(s.Columns, ", "), ", "), "detected")},
		{"Encoding", or(s.Encoding, "n/a")},
		{"Output format", s.Output},
	}
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
	return screen.SyncDir(filepath.Dir(final))
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
func writeReport(path string, r *screen.Report, meta screen.ReportMeta) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := screen.RenderReport(f, r, meta); err != nil {
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
