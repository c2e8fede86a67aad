package jobs

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
	"github.com/tradescreen/tradescreen/match"
)

// merge writes a split job's results, in a results directory of their own, from its chunks' (each in the
// directory of the runner whose commit counted): the JSONL and CSV rows of every chunk in input order (the
// CSV's header once), the XLSX from the merged CSV, and the HTML report from the chunks' reports, their
// counts summed. It returns the job done, with its audit record; res is the last chunk's run.
func (q *Queue) merge(job *Job, chunks []*tradescreen.BatchJobLease, res *batch.Result) (*Job, *tradescreen.AuditEvent, error) {
	final := *job
	final.resultsDir = "run-" + newID()
	if err := os.MkdirAll(q.resultPath(&final, ""), 0o700); err != nil {
		return nil, nil, err
	}
	dirs := make([]string, len(chunks))
	for i, c := range chunks {
		dirs[i] = filepath.Join(q.cfg.Dir, job.ID, chunkDir(c))
	}
	rep, err := mergeReports(dirs)
	if err != nil {
		return &final, nil, err
	}
	if err := concat(q.resultPath(&final, resultName("jsonl")), dirs, resultName("jsonl"), false); err != nil {
		return &final, nil, err
	}
	csvPath := q.resultPath(&final, resultName("csv"))
	final.Unavailable = nil
	if err := concat(csvPath, dirs, resultName("csv"), true); err != nil {
		return &final, nil, err
	}
	if rep.Stats.Rows >= batch.MaxXLSXRows {
		final.Unavailable = map[string]string{"xlsx": fmt.Sprintf("more than %d rows: too many for an XLSX worksheet; write .csv or .jsonl", batch.MaxXLSXRows-1)}
	} else if err := csvToXLSX(q.resultPath(&final, resultName("xlsx")), csvPath); err != nil {
		return &final, nil, err
	}
	end := q.now().UTC()
	started := res.Started
	if job.Started != nil {
		started = *job.Started
	}
	if err := q.mergedReport(&final, rep, res, started, end); err != nil {
		return &final, nil, err
	}
	st := rep.Stats
	final.State, final.Progress, final.Finished, final.Error = Done, 1, &end, ""
	final.RowsDone, final.WithMatches, final.Matches, final.Errors = st.Rows, st.WithMatches, st.Matches, st.Errors
	return &final, q.endEvent(&final, &batch.Result{Stats: st, InputSHA256: res.InputSHA256, Lists: res.Lists}, nil), nil
}

// mergeReports sums the chunks' reports: their counts, their hits and errors in input order up to the
// report's maximums.
func mergeReports(dirs []string) (*batch.Report, error) {
	all := batch.NewReport()
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, chunkReport))
		if err != nil {
			return nil, fmt.Errorf("chunk report: %w", err)
		}
		var r batch.Report
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("chunk report %s: %w", dir, err)
		}
		all.Stats = all.Stats.Add(r.Stats)
		all.AddNameColumns(r.NameColumns...)
		for code, c := range r.Lists {
			t := all.Lists[code]
			if t == nil {
				t = &batch.ReportListCount{}
				all.Lists[code] = t
			}
			t.Rows, t.Matches, t.Allowed = t.Rows+c.Rows, t.Matches+c.Matches, t.Allowed+c.Allowed
		}
		n := min(len(r.Hits), batch.MaxReportHits-len(all.Hits))
		all.Hits, all.HitsLeftOut = append(all.Hits, r.Hits[:n]...), all.HitsLeftOut+r.HitsLeftOut+len(r.Hits)-n
		n = min(len(r.Errors), batch.MaxReportErrors-len(all.Errors))
		all.Errors, all.ErrorsLeftOut = append(all.Errors, r.Errors[:n]...), all.ErrorsLeftOut+r.ErrorsLeftOut+len(r.Errors)-n
	}
	return all, nil
}

// concat writes the files named name of dirs, in order, into dst. With header, each file's first CSV
// record is its header, written once: a chunk whose columns differ from the first chunk's (JSONL objects
// with other members) has its fields put under the first chunk's columns by name, as a whole run fills the
// first row's columns.
func concat(dst string, dirs []string, name string, header bool) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		var first []string
		for i, dir := range dirs {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return fmt.Errorf("chunk results: %w", err)
			}
			err = copyChunk(w, f, i == 0, header, &first)
			f.Close()
			if err != nil {
				return fmt.Errorf("chunk results %s: %w", name, err)
			}
		}
		return nil
	})
}

// copyChunk copies one chunk's results to w (see concat); first is the first chunk's header.
func copyChunk(w io.Writer, f *os.File, isFirst, header bool, first *[]string) error {
	if !header {
		_, err := io.Copy(w, f)
		return err
	}
	h, body, err := splitHeader(f)
	if err != nil {
		return err
	}
	switch {
	case isFirst:
		*first = h
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		return err
	case slices.Equal(h, *first):
		_, err = io.Copy(w, body)
		return err
	}
	// The fields are CSV output already (formula quoting included): they are moved, not changed.
	cr := csv.NewReader(body)
	cr.FieldsPerRecord = -1
	cw := csv.NewWriter(w)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		out := make([]string, len(*first))
		for j, col := range *first {
			// A name twice (an input column named as a screening column) is matched in its order.
			if k := nthIndex(h, col, count((*first)[:j], col)); k >= 0 && k < len(rec) {
				out[j] = rec[k]
			}
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// count counts s in h.
func count(h []string, s string) int {
	n := 0
	for _, v := range h {
		if v == s {
			n++
		}
	}
	return n
}

// nthIndex is the index of the n-th (from 0) s in h, -1 when there is none.
func nthIndex(h []string, s string, n int) int {
	for i, v := range h {
		if v == s {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return -1
}

// splitHeader reads a CSV file's header record and returns it with the rest of the file.
func splitHeader(f *os.File) ([]string, io.Reader, error) {
	br := bufio.NewReader(f)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err == io.EOF {
		return nil, strings.NewReader(""), nil
	}
	if err != nil {
		return nil, nil, err
	}
	off := cr.InputOffset()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return nil, nil, err
	}
	return h, f, nil
}

// numericColumns are the screening columns an XLSX output holds as numbers (as batch's XLSX writer does).
var numericColumns = map[string]bool{"match_count": true, "best_score": true, "best_unreviewed_score": true}

// csvToXLSX writes the workbook of a job's merged CSV results, as batch's XLSX output: one worksheet
// "Screening", the header bold, the fields as they were before CSV's formula quoting (which XLSX does not
// need), the counts and scores as numbers.
func csvToXLSX(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Screening"); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Screening")
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	cr := csv.NewReader(bufio.NewReader(in))
	cr.FieldsPerRecord, cr.ReuseRecord = -1, true
	numeric := map[int]bool{}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		cells := make([]any, len(rec))
		for i, v := range rec {
			v = csvsafe.Unquote(v)
			switch {
			case row == 1:
				// The screening columns come after the input's: the last of a name is theirs.
				numeric[i] = numericColumns[v] && !slices.Contains(rec[i+1:], v)
				cells[i] = excelize.Cell{StyleID: bold, Value: v}
			case numeric[i] && v != "":
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					cells[i] = n
					continue
				}
				cells[i] = v
			default:
				cells[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}

// mergedReport renders a split job's HTML report from its chunks' reports.
func (q *Queue) mergedReport(job *Job, rep *batch.Report, res *batch.Result, started, end time.Time) error {
	th, limit := job.Threshold, job.Limit
	if th == 0 {
		th = match.DefaultThreshold
	}
	if limit == 0 {
		limit = match.DefaultLimit
	}
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	settings := [][2]string{{"Alert threshold", fmt.Sprintf("%.2f", th)}, {"Matches per row", fmt.Sprint(limit)},
		{"Name columns", batch.NameColumnsSetting(job.NameColumns, rep.NameColumns)},
		{"Chunks", fmt.Sprintf("%d chunks of up to %d rows, screened by the runners of every instance sharing the database", job.Chunks, job.ChunkRows)},
		{"Encoding", or(res.Encoding, "n/a")}}
	if res.OwnershipDate != "" {
		settings = append(settings, [2]string{"Ownership data (50 % rules as of " + res.OwnershipDate + ")", strings.Join(res.Ownership, ", ")})
	}
	settings = append(settings, [2]string{"Allow list of reviewed look-alikes", or(res.Allow, "none")})
	var outs []string
	for _, f := range Formats {
		if job.Unavailable[f] == "" {
			outs = append(outs, resultName(f))
		}
	}
	meta := batch.ReportMeta{Input: job.FileName, InputSize: res.InputSize, InputSHA256: res.InputSHA256, Encoding: res.Encoding,
		Output: strings.Join(outs, ", "), Started: started, Finished: end, Version: q.cfg.Version, Settings: settings, Lists: res.Lists}
	return atomicfile.Write(q.resultPath(job, reportName), 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := batch.RenderReport(bw, rep, meta); err != nil {
			return err
		}
		return bw.Flush()
	})
}
