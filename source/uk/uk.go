// Package uk reads the UK OFSI (HM Treasury) Consolidated List of Financial Sanctions Targets, ConList.csv,
// in both the legacy layout (to 2021) and the 2021+ layout with non-Latin script, passport number and alias
// quality columns. The file holds one row per name (and per date of birth) of a target; rows are grouped by
// Group ID into one gb_hmt entry.
package uk

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format kind under which the reader registers.
const Kind = "uk"

// SourceCode is the list code of every entry this reader produces.
const SourceCode = "gb_hmt"

// ListURL is the page where OFSI publishes the consolidated list; InfoURL its publication page.
const (
	ListURL = "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets/consolidated-list-of-targets"
	InfoURL = "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets"
)

// Bounds that keep a hostile file from using unbounded memory per field or record.
const (
	maxField   = 32 << 10 // longest real field (Other Information) is under 1 KB
	maxColumns = 256      // the real layouts have 29 and 36 columns
	maxItems   = 64       // items of one numbered list
)

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "UK OFSI Consolidated List of Financial Sanctions Targets, ConList.csv (legacy or 2021+ layout); .gz accepted",
		Open:        Open,
	})
}

// Open reads the ConList.csv file at path (gzip-compressed or not). A directory or unreadable path gives a
// *tradescreen.Error (EINVALID); malformed content gives a *tradescreen.ParseError.
func Open(path string) (*source.Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "uk: %v", err)
	}
	if st.IsDir() {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "uk: %s is a directory; expected the ConList.csv file", path)
	}
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, filepath.Base(path))
}

// Parse reads a ConList.csv held in b (gzip-compressed or not); name is the file name used in errors and as
// the list version's Origin. It returns one entry per Group ID, in the order of first appearance, and one
// ListVersion for gb_hmt. Malformed content gives a *tradescreen.ParseError naming file, line and column.
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
		e, err := f.groups[id].entry(f.header)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	lv := tradescreen.ListVersion{
		Source:    SourceCode,
		Published: f.published,
		Entries:   len(entries),
		Names:     source.CountNames(entries),
		Origin:    name,
		Format:    Kind,
		SHA256:    sum,
	}
	if lv.Published == "" {
		for i := range entries {
			if d := entries[i].LastUpdated; isFullDate(d) && d > lv.Published {
				lv.Published = d
			}
		}
		lv.PublishedNote = `the file states no "Last Updated" line; latest "Last Updated" date of its rows`
	}
	return &source.Dataset{Lists: []tradescreen.ListVersion{lv}, Entries: entries}, nil
}

// sniff rejects content that is plainly not a CSV text file: empty, binary, HTML or XML.
func sniff(b []byte, name string) error {
	t := bytes.TrimSpace(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}))
	if len(t) == 0 {
		return source.Errorf(name, 0, "", "empty file")
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return nil // UTF-16 text: NUL bytes are expected
	}
	head := b[:min(len(b), 8192)]
	if bytes.IndexByte(head, 0) >= 0 {
		return source.Errorf(name, 0, "", "binary data, not a CSV text file")
	}
	if t[0] == '<' {
		what := "an XML document"
		if l := bytes.ToLower(t[:min(len(t), 512)]); bytes.Contains(l, []byte("<html")) || bytes.Contains(l, []byte("<!doctype html")) {
			what = "an HTML page (an error page instead of the list?)"
		}
		return source.Errorf(name, 1, "", "%s, not the OFSI ConList.csv", what)
	}
	return nil
}

// file is a read ConList.csv: its publication date, header and rows grouped by Group ID.
type file struct {
	published string
	dated     bool // the "Last Updated" line was read
	header    []string
	groups    map[string]*group
	order     []string
}

// read parses the CSV text: the "Last Updated,dd/mm/yyyy" line, the header and the rows.
func read(text, name string) (*file, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	f := &file{groups: map[string]*group{}}
	var cols columns
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &tradescreen.ParseError{File: name, Line: pe.Line, Msg: "malformed CSV", Err: pe.Err}
			}
			return nil, &tradescreen.ParseError{File: name, Msg: "malformed CSV", Err: err}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > maxColumns {
			return nil, source.Errorf(name, line, "", "%d fields: too many columns", len(rec))
		}
		for i, v := range rec {
			if len(v) > maxField {
				field := fmt.Sprintf("column %d", i+1)
				if i < len(f.header) {
					field = f.header[i]
				}
				return nil, source.Errorf(name, line, field, "field of %d bytes is too long", len(v))
			}
		}
		if f.header == nil {
			// First line "Last Updated,27/04/2020", then the header; a file may also start with the header.
			if !f.dated && len(rec) >= 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "Last Updated") {
				d := ""
				if len(rec) > 1 {
					d = strings.TrimSpace(rec[1])
				}
				f.published = source.NormDateDMY(d)
				if !isFullDate(f.published) {
					return nil, source.Errorf(name, line, "Last Updated", "publication date %q is not a dd/mm/yyyy date", clip(d))
				}
				f.dated = true
				continue
			}
			if cols, err = parseHeader(rec, name, line, f.dated); err != nil {
				return nil, err
			}
			f.header = cols.names
			continue
		}
		if blank(rec) {
			continue
		}
		r, err := cols.row(rec, name, line)
		if err != nil {
			return nil, err
		}
		g := f.groups[r.GroupID]
		if g == nil {
			g = &group{id: r.GroupID}
			f.groups[r.GroupID] = g
			f.order = append(f.order, r.GroupID)
		}
		g.rows = append(g.rows, r)
	}
	if f.header == nil {
		if f.dated {
			return nil, source.Errorf(name, 2, "", "truncated file: no column header after the \"Last Updated\" line")
		}
		return nil, source.Errorf(name, 1, "", "not an OFSI ConList.csv: no column header")
	}
	if len(f.order) == 0 {
		return nil, source.Errorf(name, 0, "", "no records after the column header (truncated file?)")
	}
	return f, nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// isFullDate reports whether s is a valid YYYY-MM-DD date.
func isFullDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil && len(s) == 10
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
