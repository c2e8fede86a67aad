// Package uksl reads the UK Sanctions List that the Foreign, Commonwealth and Development Office (FCDO)
// publishes, the UK's only official sanctions list since OFSI retired its Consolidated List (ConList.csv,
// read by source/uk as gb_hmt) on 28 January 2026.
//
// The CSV starts with a line "Report Date: DD-Mon-YYYY", then a header of 58 columns, then one line per name
// (and per address) of each designation; the lines of one designation share its "Unique ID" ("RUS2176") and
// are merged here into one gb_fcdo entry: the "Primary Name" line gives the name, every other name line an
// alias, and addresses, identifiers and ship details are gathered from all lines. Ships carry their IMO
// number ("IMO9826902"), read as an identifier of type IMO.
package uksl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format kind under which the reader registers ("--list uksl=UK-Sanctions-List.csv").
const Kind = "uksl"

// SourceCode is the list code of every entry this reader produces.
const SourceCode = "gb_fcdo"

// ListURL is the FCDO's publication page of the list; DownloadURL its CSV.
const (
	ListURL     = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
	DownloadURL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
)

// Bounds that keep a hostile file from using unbounded memory per field or record.
const (
	maxField   = 64 << 10 // the longest real field (UK Statement of Reasons) is a few KB
	maxColumns = 256      // the real layout has 58
	maxRows    = 64 << 10 // lines of one designation
)

// required are the columns without which a line cannot be read.
var required = []string{"Unique ID", "Name 6", "Name type", "Designation Type"}

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "FCDO UK Sanctions List CSV (gb_fcdo), the file that starts \"Report Date:\"; .gz accepted",
		Open:        Open,
	})
}

// Open reads the UK Sanctions List CSV at path (gzip-compressed or not). Errors are *tradescreen.Error
// (EINVALID) when the file cannot be read and *tradescreen.ParseError for malformed content.
func Open(path string) (*source.Dataset, error) {
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, filepath.Base(path))
}

// Parse reads the CSV in b (gzip-compressed or not); name is the file name used in errors and as the list
// version's Origin. It returns one entry per Unique ID, in the order of first appearance, and one
// ListVersion for gb_fcdo dated by the Report Date line. Malformed content gives a *tradescreen.ParseError
// naming file, line and column: not CSV text, no Report Date line, a header without the name columns, a line
// whose field count differs from the header's, a line without a Unique ID or a name.
func Parse(b []byte, name string) (*source.Dataset, error) {
	sum := source.SHA256(b)
	data, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if err := sniff(data, name); err != nil {
		return nil, err
	}
	text, _ := source.ToUTF8(data)
	f, err := read(text, name)
	if err != nil {
		return nil, err
	}
	entries := make([]tradescreen.Entry, 0, len(f.order))
	for _, id := range f.order {
		entries = append(entries, f.groups[id].entry(f.cols))
	}
	lv := tradescreen.ListVersion{Source: SourceCode, Published: f.published, Entries: len(entries),
		Names: source.CountNames(entries), Origin: name, Format: Kind, SHA256: sum}
	return &source.Dataset{Lists: []tradescreen.ListVersion{lv}, Entries: entries}, nil
}

// sniff rejects content that is plainly not CSV text: empty, binary, HTML or XML.
func sniff(b []byte, name string) error {
	t := bytes.TrimSpace(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}))
	switch {
	case len(t) == 0:
		return source.Errorf(name, 0, "", "empty file")
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return nil // UTF-16 text: NUL bytes are expected
	case bytes.IndexByte(b[:min(len(b), 8192)], 0) >= 0:
		return source.Errorf(name, 0, "", "binary data, not a CSV text file")
	case t[0] == '<':
		return source.Errorf(name, 1, "", "an XML or HTML document, not the UK Sanctions List CSV")
	}
	return nil
}

// file is a read CSV: its report date, columns and lines grouped by Unique ID.
type file struct {
	published string
	cols      columns
	groups    map[string]*group
	order     []string
}

// read parses the CSV text: the Report Date line, the header and the lines.
func read(text, name string) (*file, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	f := &file{groups: map[string]*group{}}
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &tradescreen.ParseError{File: name, Line: line, Msg: "malformed CSV", Err: err}
		}
		line, _ := cr.FieldPos(0)
		if err := bounded(rec, name, line); err != nil {
			return nil, err
		}
		switch {
		case n == 0:
			if f.published, err = reportDate(rec, name, line); err != nil {
				return nil, err
			}
		case f.cols.index == nil:
			if f.cols, err = header(rec, name, line); err != nil {
				return nil, err
			}
		case blank(rec):
		default:
			if err := f.add(rec, name, line); err != nil {
				return nil, err
			}
		}
	}
	if f.cols.index == nil {
		return nil, source.Errorf(name, 2, "", "truncated file: no column header after the Report Date line")
	}
	if len(f.order) == 0 {
		return nil, source.Errorf(name, 0, "", "no designations after the column header (truncated file?)")
	}
	return f, nil
}

// add files one line under its Unique ID.
func (f *file) add(rec []string, name string, line int) error {
	if len(rec) != len(f.cols.names) {
		return source.Errorf(name, line, "", "%d fields, the header has %d", len(rec), len(f.cols.names))
	}
	r := row(rec)
	id := source.Clean(f.cols.get(r, "Unique ID"))
	if id == "" {
		return source.Errorf(name, line, "Unique ID", "empty")
	}
	if f.cols.fullName(r) == "" && source.Clean(f.cols.get(r, "Name non-latin script")) == "" {
		return source.Errorf(name, line, "Name 6", "no name on the line")
	}
	g := f.groups[id]
	if g == nil {
		g = &group{id: id}
		f.groups[id] = g
		f.order = append(f.order, id)
	}
	if len(g.rows) >= maxRows {
		return source.Errorf(name, line, "Unique ID", "more than %d lines for %s", maxRows, id)
	}
	g.rows = append(g.rows, r)
	return nil
}

// reportDate reads the first line, "Report Date: 08-Oct-2026", as YYYY-MM-DD.
func reportDate(rec []string, name string, line int) (string, error) {
	first := strings.TrimSpace(strings.Join(rec, ","))
	v, ok := strings.CutPrefix(first, "Report Date:")
	if !ok {
		return "", source.Errorf(name, line, "", "not the UK Sanctions List CSV: the first line is %q, want \"Report Date: DD-Mon-YYYY\"", clip(first))
	}
	v = strings.Trim(strings.TrimSpace(v), ",")
	for _, layout := range []string{"02-Jan-2006", "2-Jan-2006", "02/01/2006", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", source.Errorf(name, line, "Report Date", "%q is not a date DD-Mon-YYYY", clip(v))
}

// bounded rejects records with too many or too long fields.
func bounded(rec []string, name string, line int) error {
	if len(rec) > maxColumns {
		return source.Errorf(name, line, "", "%d fields: too many columns", len(rec))
	}
	for i, v := range rec {
		if len(v) > maxField {
			return source.Errorf(name, line, "", "field %d of %d bytes is too long", i+1, len(v))
		}
	}
	return nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}
