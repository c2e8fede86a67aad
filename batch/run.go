package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/ownlist"
)

// Service is what a batch run asks: the screening service (package screening) answers each row as every
// other door answers a name, and says which lists, allow list and ownership data the run rests on.
type Service interface {
	Answerer
	Lists() []tradescreen.ListStatus
	AllowList() (*ownlist.AllowList, string, error)
	Ownership() (*ownership.Graph, []string)
}

// Job is one batch run: an input file screened row by row into result files, resumable after an
// interruption. The CLI's batch command and the server's batch jobs both run one.
type Job struct {
	// Input is the input file; Name names it in errors and records (default: its base name); Format is
	// csv, jsonl or xlsx (default: from Input's extension).
	Input, Name, Format string
	// ID names the run in the audit trail ("batch/ID"; default: Name): a server's job id.
	ID     string
	Reader ReaderOptions
	// Outputs are the result files, each in the format of its extension: .jsonl, .csv or .xlsx. An XLSX
	// output is written whole at the end, so a run with one cannot be resumed; beside other outputs, one that
	// cannot hold the rows (more than an Excel worksheet holds) is dropped (Result.Dropped) rather than
	// failing the run.
	Outputs []string
	// Errors is the file of the rows that could not be screened: written when there are any, at
	// Outputs[0]+".errors.csv" unless set (then always written).
	Errors string
	// Report, when set, is the file of the self-contained HTML report. KeepReport keeps what it shows (the
	// hits and errors, not only the counts) in Result.Report without a file: the reports of runs over
	// chunks of one input are merged and rendered once.
	Report     string
	KeepReport bool
	// Options set how rows are screened (threshold, limit, sources, workers, strict, checkpoints).
	Options BatchOptions
	// Resume continues an interrupted run of the same job (same input, lists and options); Restart
	// discards one. With neither, finding an interrupted run is an *UnfinishedError.
	Resume, Restart bool
	// Progress, when set, is called from the writing goroutine with the rows done in this run and the
	// input bytes read.
	Progress func(rows int, read int64)
	// Settings are options beyond Options that shape the output (column mapping, delimiter): they are part
	// of what a resumed run must share, and are shown in the report, in order.
	Settings [][2]string
	// Version is the program's version, shown in the report.
	Version string
}

// Result says what a run did.
type Result struct {
	// Stats count the whole run's rows, an interrupted run's included; Screened the rows of this run and
	// Resumed those an interrupted run had written.
	Stats    BatchStats
	Screened int
	Resumed  int
	// ErrorsFile is the errors file written ("" when none).
	ErrorsFile string
	// Dropped names the outputs dropped and why.
	Dropped map[string]string
	// Lists are the lists screened against, with their ages; Allow names the allow list's version ("" for
	// none); Ownership the ownership data files (none without) and OwnershipDate the rules' date.
	Lists         []tradescreen.ListStatus
	Allow         string
	Ownership     []string
	OwnershipDate string
	// InputSize and InputSHA256 identify the input; Encoding is the CSV encoding read.
	InputSize   int64
	InputSHA256 string
	Encoding    string
	// Report is what the HTML report shows (counts per list, hits, errors), so that the reports of runs
	// over chunks of one input can be merged into one.
	Report   *Report
	Started  time.Time
	Finished time.Time
}

// UnfinishedError reports an interrupted run of the same outputs: resume it or restart.
type UnfinishedError struct {
	Output  string
	Rows    int
	Journal string
}

func (e *UnfinishedError) Error() string {
	return fmt.Sprintf("an interrupted run of %s stopped after %d rows (%s): resume it or start over", e.Output, e.Rows, e.Journal)
}

// InterruptedError reports a run stopped by its context after making its progress durable: the same job
// with Resume continues it.
type InterruptedError struct {
	Rows int
	Err  error
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted after %d rows: %v", e.Rows, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// run is one Run in progress.
type run struct {
	svc Service
	job Job
	res *Result

	reader  RowReader
	closeIn func()
	read    *atomic.Int64

	journal  string
	cp       *Checkpoint
	outs     []*partialFile
	errFile  *partialFile
	errFinal string
	errs     *ErrorsWriter
	writers  []RowWriter
	all      RowWriter
}

// partialFile is an output being written to its partial file next to it.
type partialFile struct {
	final, path string
	f           *os.File
	count       *CountingWriter
	w           RowWriter
	dropped     string
}

// Run runs a job through svc and returns what it did. The outputs appear, complete, only when the run is
// complete: until then they are hidden partial files beside them, with a journal that Resume continues
// from. Errors: a file that cannot be read or is not of its format, an *UnfinishedError, an
// *InterruptedError when ctx ended (progress saved), ECONFLICT when a run to resume does not match, the
// strict mode's first bad row, write errors (the partial files are then removed).
func Run(ctx context.Context, svc Service, job Job) (*Result, error) {
	r := &run{svc: svc, job: job, res: &Result{Started: time.Now().UTC(), Dropped: map[string]string{}}}
	if err := r.prepare(); err != nil {
		return nil, err
	}
	defer r.closeIn()
	if err := r.begin(); err != nil {
		return nil, err
	}
	st, err := RunBatch(ctx, svc, r.reader, r.all, r.batchOptions())
	r.res.Screened = st.Rows
	if err != nil {
		return r.res, r.stopped(ctx, st, err)
	}
	if err := r.finish(); err != nil {
		r.cleanup()
		return r.res, err
	}
	return r.res, nil
}

// prepare identifies the input, opens its reader and settles what the run rests on.
func (r *run) prepare() error {
	job := &r.job
	if len(job.Outputs) == 0 {
		return tradescreen.Errorf(tradescreen.EINVALID, "outputs: at least one is required")
	}
	if job.Name == "" {
		job.Name = filepath.Base(job.Input)
	}
	size, sum, err := FileSHA256(job.Input)
	if err != nil {
		return err
	}
	r.res.InputSize, r.res.InputSHA256 = size, sum
	if err := r.openInput(); err != nil {
		return err
	}
	r.res.Lists = r.svc.Lists()
	al, version, err := r.svc.AllowList()
	if err != nil {
		r.closeIn()
		return err
	}
	if al.Len() > 0 {
		r.res.Allow = version
	}
	if g, data := r.svc.Ownership(); g != nil {
		r.res.Ownership = data
		r.res.OwnershipDate = job.Options.OwnershipDate
		if r.res.OwnershipDate == "" {
			r.res.OwnershipDate = r.res.Started.Format(time.DateOnly)
		}
	}
	return nil
}

// openInput opens the input with the reader of its format, counting the bytes read.
func (r *run) openInput() error {
	file, err := os.Open(r.job.Input)
	if err != nil {
		return err
	}
	r.read = new(atomic.Int64)
	cr := &countReader{r: file, n: r.read}
	format := r.job.Format
	if format == "" {
		format = FormatOf(r.job.Input)
	}
	r.closeIn = func() { file.Close() }
	switch format {
	case "jsonl":
		r.reader = NewJSONLReaderOptions(cr, r.job.Name, r.job.Reader)
	case "xlsx":
		r.reader, err = NewXLSXReaderOptions(cr, r.job.Name, r.job.Reader)
		if c, ok := r.reader.(io.Closer); ok && err == nil {
			r.closeIn = func() { c.Close(); file.Close() }
		}
	default:
		r.reader, err = NewCSVReaderOptions(cr, r.job.Name, r.job.Reader)
		if e, ok := r.reader.(interface{ Encoding() string }); ok && err == nil {
			r.res.Encoding = e.Encoding()
		}
	}
	if err != nil {
		file.Close()
		return err
	}
	return nil
}

// FormatOf returns the input format a file name's extension calls for: jsonl, xlsx, else csv.
func FormatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".xlsx", ".xlsm":
		return "xlsx"
	}
	return "csv"
}

// CheckInput opens the input at path with the reader its format calls for (FormatOf) and reads its header,
// so that a file that is not of its format, or has no name column, fails before the lists load. A JSON
// Lines input has no header and is not read. Errors: opening the file, the reader's (*tradescreen.ParseError).
func CheckInput(path string, opt ReaderOptions) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	name := filepath.Base(path)
	switch FormatOf(path) {
	case "jsonl":
		return nil
	case "xlsx":
		r, err := NewXLSXReaderOptions(file, name, opt)
		if c, ok := r.(io.Closer); ok && err == nil {
			c.Close()
		}
		return err
	default:
		_, err := NewCSVReaderOptions(file, name, opt)
		return err
	}
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

// fingerprint is what a resumed run must share with the interrupted one.
func (r *run) fingerprint() string {
	th := r.job.Options.Threshold
	if th == 0 {
		th = match.DefaultThreshold
	}
	var lists []string
	for _, l := range r.res.Lists {
		lists = append(lists, fmt.Sprintf("%s %s %d %s", l.Source, l.Published, l.Entries, l.SHA256))
	}
	var outs []string
	for _, o := range r.job.Outputs {
		outs = append(outs, strings.ToLower(filepath.Ext(o)))
	}
	return Fingerprint(struct {
		Outputs              []string
		Threshold            float64
		Limit                int
		Sources              []string
		Reader               ReaderOptions
		Settings             [][2]string
		Encoding             string
		Lists                []string
		Report               bool
		Allow, OwnershipDate string
		Ownership            []string
	}{outs, th, r.job.Options.Limit, r.job.Options.Sources, r.job.Reader, r.job.Settings, r.res.Encoding, lists,
		r.job.Report != "" || r.job.KeepReport, r.res.Allow, r.res.OwnershipDate, r.res.Ownership})
}

// resumable reports whether the run can be continued after an interruption (no XLSX output).
func (r *run) resumable() bool {
	for _, o := range r.job.Outputs {
		if strings.EqualFold(filepath.Ext(o), ".xlsx") {
			return false
		}
	}
	return true
}

// hidden is the partial file of path: a hidden file beside it.
func hidden(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
}

// begin loads or starts the journal, opens the partial files and the writers, and makes the start durable.
func (r *run) begin() error {
	r.journal = hidden(r.job.Outputs[0]) + ".journal"
	if err := r.loadJournal(); err != nil {
		r.closeIn()
		return err
	}
	if err := r.openOutputs(); err != nil {
		r.closeIn()
		r.cleanup()
		return err
	}
	if err := r.checkpoint(BatchStats{}); err != nil {
		r.closeIn()
		r.cleanup()
		return err
	}
	return nil
}

// loadJournal finds an interrupted run's journal and continues it (Resume), refuses it (neither Resume nor
// Restart) or starts a new one.
func (r *run) loadJournal() error {
	job := r.job
	fp := r.fingerprint()
	r.cp = &Checkpoint{Input: job.Name, InputSize: r.res.InputSize, InputSHA256: r.res.InputSHA256, Settings: fp,
		Report: NewReport(), Started: r.res.Started}
	prev, err := LoadCheckpoint(r.journal)
	switch {
	case job.Resume && err == nil:
		if prev.InputSHA256 != r.res.InputSHA256 || prev.InputSize != r.res.InputSize {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "cannot resume: %s changed since the interrupted run (SHA-256 %.12s..., now %.12s...); start over", job.Name, prev.InputSHA256, r.res.InputSHA256)
		}
		if prev.Settings != fp {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "cannot resume: the lists or options differ from the interrupted run's; run the same command, or start over")
		}
		if len(prev.Outputs) != len(job.Outputs) {
			return tradescreen.Errorf(tradescreen.ECONFLICT, "cannot resume: the interrupted run wrote other outputs")
		}
		r.cp = prev
		r.res.Resumed = prev.Rows
	case job.Resume && tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND:
		// Nothing to resume: a new run.
	case job.Resume:
		return fmt.Errorf("cannot resume: %w", err)
	case err == nil && !job.Restart:
		return &UnfinishedError{Output: job.Outputs[0], Rows: prev.Rows, Journal: r.journal}
	}
	if r.cp.Report == nil {
		r.cp.Report = NewReport()
	}
	// Without a report only the counts are kept (in memory and in each checkpoint).
	r.cp.Report.CountsOnly = job.Report == "" && !job.KeepReport
	if r.res.Resumed > 0 {
		r.res.Started = r.cp.Started
	}
	return nil
}

// openOutputs opens the partial files (truncated to the journal's offsets when resuming) and the writers.
func (r *run) openOutputs() error {
	cont := r.res.Resumed > 0
	opt := WriterOptions{Ownership: r.res.OwnershipDate != "", StaleLists: StaleLists(r.res.Lists, r.job.Options.Sources),
		StaleNote: StaleNote(r.res.Lists, r.job.Options.Sources)}
	for i, final := range r.job.Outputs {
		var st OutputState
		if cont {
			st = r.cp.Outputs[i]
		}
		pf, err := openPartial(final, hidden(final), st.Offset, cont)
		if err != nil {
			return err
		}
		r.outs = append(r.outs, pf)
		if pf.w, err = newWriter(pf.count, final, st.CSVHeader, opt); err != nil {
			return err
		}
		w := pf.w
		if len(r.job.Outputs) > 1 && strings.EqualFold(filepath.Ext(final), ".xlsx") {
			w = &droppable{pf: pf}
		}
		r.writers = append(r.writers, w)
	}
	r.errFinal = r.job.Errors
	if r.errFinal == "" {
		r.errFinal = r.job.Outputs[0] + ".errors.csv"
	}
	ef, err := openPartial(r.errFinal, hidden(r.errFinal), r.cp.ErrorsOffset, cont)
	if err != nil {
		return err
	}
	r.errFile = ef
	r.errs = NewErrorsWriter(ef.count, !r.cp.ErrorsHeader)
	r.all = MultiWriter(append(append([]RowWriter(nil), r.writers...), r.errs, r.cp.Report)...)
	return nil
}

// newWriter returns the writer of an output's format.
func newWriter(w io.Writer, final string, csvHeader []string, opt WriterOptions) (RowWriter, error) {
	switch strings.ToLower(filepath.Ext(final)) {
	case ".csv":
		if len(csvHeader) > 0 {
			return NewCSVWriterResumed(w, csvHeader, opt)
		}
		return NewCSVWriter(w, opt), nil
	case ".xlsx":
		return NewXLSXWriter(w, opt)
	case ".jsonl":
		return NewJSONLWriter(w, opt), nil
	}
	return nil, tradescreen.Errorf(tradescreen.EINVALID, "output %s: want .jsonl, .csv or .xlsx", final)
}

// droppable is an XLSX output beside others: when it cannot take a row (a worksheet is full), it is
// dropped, and the run goes on with the others.
type droppable struct {
	pf *partialFile
}

func (d *droppable) Write(o *Outcome) error {
	if d.pf.dropped != "" {
		return nil
	}
	if err := d.pf.w.Write(o); err != nil {
		d.pf.dropped = tradescreen.ErrorMessage(err)
	}
	return nil
}

func (d *droppable) Flush() error { return nil }

func (d *droppable) Close() error {
	if d.pf.dropped != "" {
		return nil
	}
	return d.pf.w.Close()
}

// openPartial opens a partial output: truncated to offset and positioned at its end when continuing, new
// otherwise.
func openPartial(final, path string, offset int64, cont bool) (*partialFile, error) {
	pf := &partialFile{final: final, path: path}
	if !cont {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, err
		}
		pf.f, pf.count = f, &CountingWriter{W: f}
		return pf, nil
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
	pf.f, pf.count = f, &CountingWriter{W: f, N: offset}
	return pf, nil
}

func (r *run) batchOptions() BatchOptions {
	opt := r.job.Options
	// A chunk's run (Options.Skip, Options.Stop) resumes within its chunk.
	opt.Skip = r.job.Options.Skip + r.res.Resumed
	opt.OwnershipDate = r.res.OwnershipDate
	opt.Checkpoint = r.checkpoint
	if r.job.Progress != nil {
		opt.Progress = func(done int) { r.job.Progress(done, r.read.Load()) }
	}
	return opt
}

// checkpoint makes everything written so far durable, then records it in the journal.
func (r *run) checkpoint(st BatchStats) error {
	if !r.resumable() {
		return nil
	}
	if err := r.all.(Flusher).Flush(); err != nil {
		return err
	}
	r.cp.Outputs = r.cp.Outputs[:0]
	for i, pf := range r.outs {
		if err := pf.f.Sync(); err != nil {
			return err
		}
		state := OutputState{Path: pf.final, Offset: pf.count.N}
		if hw, ok := r.writers[i].(interface{ Header() []string }); ok {
			state.CSVHeader = hw.Header()
		}
		r.cp.Outputs = append(r.cp.Outputs, state)
	}
	if err := r.errFile.f.Sync(); err != nil {
		return err
	}
	r.cp.Rows = r.res.Resumed + st.Rows
	r.cp.ErrorsOffset = r.errFile.count.N
	r.cp.ErrorsHeader = r.cp.ErrorsHeader || r.errs.N > 0
	return r.cp.Save(r.journal)
}

// stopped handles a run that stopped before the end: interrupted (progress saved for Resume) or failed
// (partial files removed).
func (r *run) stopped(ctx context.Context, st BatchStats, err error) error {
	if ctx.Err() != nil && r.resumable() && errors.Is(err, ctx.Err()) {
		if cerr := r.checkpoint(st); cerr == nil {
			r.closeFiles()
			return &InterruptedError{Rows: r.res.Resumed + st.Rows, Err: err}
		}
	}
	r.cleanup()
	return fmt.Errorf("after %d rows: %w", r.res.Resumed+st.Rows, err)
}

// finish closes the writers, makes the files durable and puts them in place: the errors file and the report
// first; then the journal goes and the outputs are renamed into place, so a crash in between leaves partial
// files without a journal, which a later run discards.
func (r *run) finish() error {
	if err := r.all.Close(); err != nil {
		return err
	}
	for _, pf := range append(append([]*partialFile(nil), r.outs...), r.errFile) {
		if err := pf.f.Sync(); err != nil {
			return err
		}
		if err := pf.f.Close(); err != nil {
			return err
		}
	}
	r.res.Stats, r.res.Report = r.cp.Report.Stats, r.cp.Report
	r.res.Finished = time.Now().UTC()
	if r.res.Stats.Errors > 0 || r.job.Errors != "" {
		if err := atomicfile.Publish(r.errFile.path, r.errFinal, 0o644); err != nil {
			return err
		}
		r.res.ErrorsFile = r.errFinal
	} else {
		os.Remove(r.errFile.path)
	}
	if r.job.Report != "" {
		if err := r.writeReport(); err != nil {
			return err
		}
	}
	os.Remove(r.journal)
	for _, pf := range r.outs {
		if pf.dropped != "" {
			os.Remove(pf.path)
			r.res.Dropped[pf.final] = pf.dropped
			continue
		}
		if err := atomicfile.Publish(pf.path, pf.final, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeReport renders the HTML report into place.
func (r *run) writeReport() error {
	// The report names the files, not the directories they were written to: a server's report goes to its
	// users, and the paths of its jobs directory are none of theirs.
	outs := make([]string, len(r.job.Outputs))
	for i, o := range r.job.Outputs {
		outs[i] = filepath.Base(o)
	}
	errorsFile := ""
	if r.res.ErrorsFile != "" {
		errorsFile = filepath.Base(r.res.ErrorsFile)
	}
	meta := ReportMeta{Input: r.job.Name, InputSize: r.res.InputSize, InputSHA256: r.res.InputSHA256, Encoding: r.res.Encoding,
		Output: strings.Join(outs, ", "), ErrorsFile: errorsFile, Started: r.res.Started, Finished: r.res.Finished,
		Resumed: r.res.Resumed, Version: r.job.Version, Settings: r.settings(), Lists: r.res.Lists}
	return atomicfile.Write(r.job.Report, 0o644, func(w io.Writer) error {
		if err := RenderReport(w, r.cp.Report, meta); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return nil
	})
}

// settings are the run's options for the report, in display order.
func (r *run) settings() [][2]string {
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	th := r.job.Options.Threshold
	if th == 0 {
		th = match.DefaultThreshold
	}
	limit := r.job.Options.Limit
	if limit == 0 {
		limit = match.DefaultLimit
	}
	out := [][2]string{
		{"Alert threshold", fmt.Sprintf("%.2f", th)},
		{"Matches per row", fmt.Sprint(limit)},
		{"Name columns", NameColumnsSetting(r.job.Reader.NameColumns, r.nameColumns())},
	}
	out = append(out, r.job.Settings...)
	out = append(out, [2]string{"Encoding", or(r.res.Encoding, "n/a")})
	if r.res.OwnershipDate != "" {
		out = append(out, [2]string{"Ownership data (50 % rules as of " + r.res.OwnershipDate + ")", strings.Join(r.res.Ownership, ", ")})
	}
	out = append(out, [2]string{"Allow list of reviewed look-alikes", or(r.res.Allow, "none")})
	return out
}

// nameColumns are the columns the rows' names were read from: the report's, else (no row read) those the
// reader found in the header.
func (r *run) nameColumns() []string {
	if cols := r.cp.Report.NameColumns; len(cols) > 0 {
		return cols
	}
	if h, ok := r.reader.(interface{ NameColumns() []string }); ok {
		return h.NameColumns()
	}
	return nil
}

// closeFiles closes the partial files, keeping them (for Resume).
func (r *run) closeFiles() {
	for _, pf := range r.outs {
		pf.f.Close()
	}
	if r.errFile != nil {
		r.errFile.f.Close()
	}
}

// cleanup removes the partial files and the journal of a run that failed.
func (r *run) cleanup() {
	r.closeFiles()
	for _, pf := range r.outs {
		os.Remove(pf.path)
	}
	if r.errFile != nil {
		os.Remove(r.errFile.path)
	}
	os.Remove(r.journal)
}
