package screen

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tradescreen/tradescreen"
)

// MaxXLSXSize bounds an XLSX input: the format must be unpacked to be read.
const MaxXLSXSize = 256 << 20

// xlsxReader reads the first worksheet of an XLSX workbook, its first row being the header.
type xlsxReader struct {
	name    string
	f       *excelize.File
	rows    *excelize.Rows
	header  []string
	idx     map[string]int
	nameCol int
	line    int
}

// NewXLSXReader reads the first worksheet of an Excel workbook (.xlsx) whose first row names the columns,
// as NewCSVReader does for CSV. name is used in errors.
func NewXLSXReader(r io.Reader, name string) (RowReader, error) {
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
	x := &xlsxReader{name: name, f: f, rows: rows, idx: map[string]int{}}
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
	for i, h := range x.header {
		x.idx[headerKey(h)] = i
	}
	c := &csvReader{idx: x.idx}
	x.nameCol = c.find("name")
	if x.nameCol < 0 {
		x.Close()
		return nil, &tradescreen.ParseError{File: name, Line: 1, Field: "name",
			Msg: fmt.Sprintf("no name column in the header (found: %s); name the column 'name'", strings.Join(x.header, ", "))}
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
		get := func(i int) string {
			if i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := &Row{Line: x.line}
		for i, h := range x.header {
			v := get(i)
			if len(v) > MaxFieldLength {
				return nil, &tradescreen.ParseError{File: x.name, Line: x.line, Field: h, Msg: fmt.Sprintf("field longer than %d bytes", MaxFieldLength)}
			}
			row.Columns = append(row.Columns, Column{h, v})
		}
		c := &csvReader{idx: x.idx}
		row.Name = get(x.nameCol)
		row.ID = get(c.find("id"))
		row.Type = get(c.find("type"))
		row.Country = get(c.find("country"))
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
