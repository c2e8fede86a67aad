package batch

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
)

// MaxXLSXSize bounds an XLSX input: the format must be unpacked to be read.
const MaxXLSXSize = 256 << 20

// xlsxReader reads the first worksheet of an XLSX workbook, its first row being the header.
type xlsxReader struct {
	name   string
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	cols   *columnMap
	line   int
}

// NewXLSXReader reads the first worksheet of an Excel workbook (.xlsx) whose first row names the columns,
// as NewCSVReader does for CSV. name is used in errors.
func NewXLSXReader(r io.Reader, name string) (RowReader, error) {
	return NewXLSXReaderOptions(r, name, ReaderOptions{})
}

// NewXLSXReaderOptions is NewXLSXReader with the columns mapped by opt (its Encoding and Delimiter do not
// apply). Close releases the workbook.
func NewXLSXReaderOptions(r io.Reader, name string, opt ReaderOptions) (RowReader, error) {
	f, err := excelize.OpenReader(io.LimitReader(r, MaxXLSXSize), excelize.Options{UnzipSizeLimit: 4 * MaxXLSXSize})
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Msg: "not a readable XLSX workbook", Err: err}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &tradescreen.ParseError{File: name, Msg: "the workbook has no worksheet"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, &tradescreen.ParseError{File: name, Msg: "cannot read worksheet " + sheets[0], Err: err}
	}
	x := &xlsxReader{name: name, f: f, rows: rows}
	if !rows.Next() {
		x.Close()
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "empty worksheet: a header row with a name column is required"}
	}
	x.line = 1
	x.header, err = rows.Columns()
	if err != nil {
		x.Close()
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: err.Error()}
	}
	for i := range x.header {
		x.header[i] = strings.TrimSpace(x.header[i])
	}
	if x.cols, err = mapColumns(name, x.header, opt, false); err != nil {
		x.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxReader) Read() (*Row, error) {
	for x.rows.Next() {
		x.line++
		rec, err := x.rows.Columns()
		if err != nil {
			return nil, &tradescreen.ParseError{File: x.name, Line: x.line, Msg: err.Error()}
		}
		blank := true
		for _, v := range rec {
			if strings.TrimSpace(v) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		row := &Row{Line: x.line, Columns: make([]Column, len(x.header))}
		for i, h := range x.header {
			v := ""
			if i < len(rec) {
				v = strings.TrimSpace(rec[i])
			}
			row.Columns[i] = Column{h, v}
		}
		checkFields(x.name, row)
		if row.Err == nil {
			x.cols.fill(row, x.header, rec)
		}
		return row, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, &tradescreen.ParseError{File: x.name, Line: x.line + 1, Msg: err.Error()}
	}
	return nil, io.EOF
}

// Close releases the workbook.
func (x *xlsxReader) Close() error {
	if x.rows != nil {
		x.rows.Close()
	}
	return x.f.Close()
}

// MaxXLSXRows is the most rows a worksheet holds (Excel's limit), the header included.
const MaxXLSXRows = 1 << 20

// numericColumns are the screening columns written as numbers.
var numericColumns = map[string]bool{"match_count": true, "best_score": true, "best_unreviewed_score": true}

// xlsxWriter writes outcomes as one worksheet, like the CSV output.
type xlsxWriter struct {
	out    io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	header []string
	multi  bool
	row    int
	opt    WriterOptions
}

// NewXLSXWriter writes an Excel workbook with one worksheet "Screening": the CSV output's columns, the
// header row frozen-style bold. The workbook is written to w by Close; rows beyond Excel's 1,048,576 are an
// error (use CSV or JSONL for larger files). WriterOptions as for NewCSVWriter.
func NewXLSXWriter(w io.Writer, opts ...WriterOptions) (RowWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Screening"); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter("Screening")
	if err != nil {
		return nil, err
	}
	return &xlsxWriter{out: w, f: f, sw: sw, opt: writerOptions(opts)}, nil
}

func (x *xlsxWriter) Write(o *Outcome) error {
	if x.row == 0 {
		x.header = columnHeader(o)
		x.multi = len(o.Row.Names) > 1
		h := outputHeader(x.header, x.multi, x.opt)
		style, _ := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		cells := make([]any, len(h))
		for i, v := range h {
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		if err := x.sw.SetRow("A1", cells); err != nil {
			return err
		}
		x.row = 1
	}
	if x.row >= MaxXLSXRows {
		return tradescreen.Errorf(tradescreen.EINVALID, "more than %d rows: too many for an XLSX worksheet; write .csv or .jsonl", MaxXLSXRows-1)
	}
	rec := outputRecord(x.header, o, x.multi, x.opt)
	cells := make([]any, len(rec))
	for i, v := range rec {
		cells[i] = v
		// The counts and scores are numbers, so that a spreadsheet sorts and filters them as such.
		if k := i - len(x.header); k >= 0 && k < len(CSVColumns) && numericColumns[CSVColumns[k]] && v != "" {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				cells[i] = f
			}
		}
	}
	x.row++
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	return x.sw.SetRow(cell, cells)
}

// Flush does nothing: a workbook is written whole by Close.
func (x *xlsxWriter) Flush() error { return nil }

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if _, err := x.f.WriteTo(x.out); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
