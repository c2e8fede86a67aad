package batch

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
)

// Limits of an XLSX input. A workbook is a zip of XML files, so a small upload can unpack to gigabytes or
// name one huge shared string from a million cells; each limit is checked before or while the cells are
// read, and a workbook past one is refused with ETOOLARGE naming it.
const (
	// MaxXLSXSize bounds the workbook file: it is read into memory to be unpacked.
	MaxXLSXSize = 256 << 20
	// MaxXLSXUnpacked bounds the sum of the workbook's unpacked parts (their XML).
	MaxXLSXUnpacked = 512 << 20
	// MaxXLSXSharedStringsBytes bounds the shared strings part, which is held in memory while rows are read,
	// and MaxXLSXSharedStrings the strings it holds.
	MaxXLSXSharedStringsBytes = 64 << 20
	MaxXLSXSharedStrings      = 1 << 20
	// MaxXLSXElementBytes bounds the XML of one cell or one shared string (and any text between two tags).
	MaxXLSXElementBytes = 1 << 20
	// MaxXLSXCellChars is the longest cell value, in characters: Excel's own limit.
	MaxXLSXCellChars = 32767
	// MaxXLSXColumns is the most columns a row may have.
	MaxXLSXColumns = 1024
	// MaxXLSXText bounds the text of all the cells read, shared strings counted at each use.
	MaxXLSXText = 256 << 20
)

// xlsxReader reads the first worksheet of an XLSX workbook, its first row being the header.
type xlsxReader struct {
	name   string
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	cols   *columnMap
	line   int
	text   int64 // bytes of cell text read so far
}

// NewXLSXReader reads the first worksheet of an Excel workbook (.xlsx) whose first row names the columns,
// as NewCSVReader does for CSV. name is used in errors.
func NewXLSXReader(r io.Reader, name string) (RowReader, error) {
	return NewXLSXReaderOptions(r, name, ReaderOptions{})
}

// NewXLSXReaderOptions is NewXLSXReader with the columns mapped by opt (its Encoding and Delimiter do not
// apply). Close releases the workbook. Errors: ETOOLARGE for a workbook past one of the MaxXLSX limits (the
// file, its unpacked size, its shared strings, one cell's XML), a ParseError for one that cannot be read.
// Read answers ETOOLARGE for a row past MaxXLSXRows, MaxXLSXColumns or MaxXLSXCellChars, or cells past
// MaxXLSXText.
func NewXLSXReaderOptions(r io.Reader, name string, opt ReaderOptions) (RowReader, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxXLSXSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > MaxXLSXSize {
		return nil, tradescreen.Errorf(tradescreen.ETOOLARGE, "%s: the workbook is larger than %d MiB; split it or send CSV", name, MaxXLSXSize>>20)
	}
	if err := checkXLSXParts(b, name); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: MaxXLSXUnpacked})
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
	if x.header, err = x.columns(); err != nil {
		x.Close()
		return nil, err
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

// checkXLSXParts unpacks each part of the workbook once, without keeping it, and refuses a workbook whose
// parts unpack to more than MaxXLSXUnpacked, whose shared strings are past MaxXLSXSharedStringsBytes or
// MaxXLSXSharedStrings, or with a cell, a shared string or a text run of more than MaxXLSXElementBytes.
// The sizes are the ones the zip declares, which the zip reader holds each part to. Errors: ETOOLARGE; a
// file that is not a zip is left for the workbook reader to report.
func checkXLSXParts(b []byte, name string) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > MaxXLSXUnpacked {
			return tradescreen.Errorf(tradescreen.ETOOLARGE, "%s: the workbook unpacks to more than %d MiB; split it or send CSV", name, MaxXLSXUnpacked>>20)
		}
		shared := strings.EqualFold(path.Base(zf.Name), "sharedStrings.xml")
		if shared && zf.UncompressedSize64 > MaxXLSXSharedStringsBytes {
			return tradescreen.Errorf(tradescreen.ETOOLARGE, "%s: the shared strings unpack to more than %d MiB", name, MaxXLSXSharedStringsBytes>>20)
		}
		if !strings.HasSuffix(strings.ToLower(zf.Name), ".xml") {
			continue
		}
		if err := scanXLSXPart(zf, shared); err != nil {
			return tradescreen.Errorf(tradescreen.ETOOLARGE, "%s: %s: %v", name, zf.Name, err)
		}
	}
	return nil
}

// scanXLSXPart reads one XML part as a stream of bytes and checks the span of each cell (c) and shared
// string (si) element, the length of each run of text between tags and, in the shared strings, their
// number. A broken part is left for the workbook reader to report.
func scanXLSXPart(zf *zip.File, shared bool) error {
	rc, err := zf.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var pos, run, start int64
	strs := 0
	open := false
	for {
		c, err := br.ReadByte()
		if err != nil {
			return nil
		}
		pos++
		if c != '<' {
			if run++; run > MaxXLSXElementBytes {
				return fmt.Errorf("a text of more than %d bytes (a cell holds at most %d characters)", MaxXLSXElementBytes, MaxXLSXCellChars)
			}
			continue
		}
		run = 0
		tag := xmlTagName(br)
		pos += int64(len(tag))
		switch tag {
		case "c", "si":
			open, start = true, pos
			if tag == "si" && shared {
				if strs++; strs > MaxXLSXSharedStrings {
					return fmt.Errorf("more than %d shared strings", MaxXLSXSharedStrings)
				}
			}
		case "/c", "/si", "row", "/row", "/sheetData", "/sst":
			// A self-closing cell (<c r="A1"/>) ends at the next cell or with its row.
			open = false
		}
		if open && pos-start > MaxXLSXElementBytes {
			return fmt.Errorf("a cell or shared string of more than %d bytes (a cell holds at most %d characters)", MaxXLSXElementBytes, MaxXLSXCellChars)
		}
	}
}

// xmlTagName reads the name of the tag after a '<' (with a leading '/' for an end tag), without its
// namespace prefix; it stops at the first byte that cannot be part of a name, which it leaves unread.
func xmlTagName(br *bufio.Reader) string {
	var name []byte
	for len(name) < 64 {
		c, err := br.ReadByte()
		if err != nil {
			break
		}
		if c == ' ' || c == '>' || c == '\t' || c == '\n' || c == '\r' || c == '<' || (c == '/' && len(name) > 0) {
			_ = br.UnreadByte()
			break
		}
		name = append(name, c)
	}
	s := string(name)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		end := strings.HasPrefix(s, "/")
		s = s[i+1:]
		if end {
			s = "/" + s
		}
	}
	return s
}

// columns returns the current row's cells, refusing a row past MaxXLSXRows or MaxXLSXColumns, a cell past
// MaxXLSXCellChars, or cells past MaxXLSXText in all. Errors: ETOOLARGE, a ParseError.
func (x *xlsxReader) columns() ([]string, error) {
	if x.line > MaxXLSXRows {
		return nil, tradescreen.Errorf(tradescreen.ETOOLARGE, "%s: more than %d rows", x.name, MaxXLSXRows)
	}
	rec, err := x.rows.Columns()
	if err != nil {
		return nil, &tradescreen.ParseError{File: x.name, Line: x.line, Msg: err.Error()}
	}
	if len(rec) > MaxXLSXColumns {
		return nil, tradescreen.Errorf(tradescreen.ETOOLARGE, "%s row %d: more than %d columns", x.name, x.line, MaxXLSXColumns)
	}
	for i, v := range rec {
		if len(v) > MaxXLSXCellChars && utf8.RuneCountInString(v) > MaxXLSXCellChars {
			return nil, tradescreen.Errorf(tradescreen.ETOOLARGE, "%s row %d column %d: a cell of more than %d characters", x.name, x.line, i+1, MaxXLSXCellChars)
		}
		if x.text += int64(len(v)); x.text > MaxXLSXText {
			return nil, tradescreen.Errorf(tradescreen.ETOOLARGE, "%s row %d: the cells hold more than %d MiB of text", x.name, x.line, MaxXLSXText>>20)
		}
	}
	return rec, nil
}

func (x *xlsxReader) Read() (*Row, error) {
	for x.rows.Next() {
		x.line++
		rec, err := x.columns()
		if err != nil {
			return nil, err
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
// NameColumns are the header's columns the rows' names are read from.
func (x *xlsxReader) NameColumns() []string { return x.cols.nameColumns(x.header) }

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
