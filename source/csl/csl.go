// Package csl reads the US Consolidated Screening List (CSL) published by the International Trade
// Administration at trade.gov / data.trade.gov: consolidated.csv (both the older layout without an _id column
// and the current one) and consolidated.json (`{"results":[...]}` or a bare array of results), plain or
// gzip-compressed. The CSL merges thirteen Commerce, State and Treasury lists; each record is mapped to a
// tradescreen.Entry under the list code of its own "source" column (us_el, us_dpl, us_sdn ...), and the
// Dataset carries one ListVersion per list code found.
//
// The format registers itself as kind "csl".
package csl

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format name used on the command line (--list csl=PATH).
const Kind = "csl"

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "US Consolidated Screening List (trade.gov consolidated.csv or consolidated.json, plain or .gz)",
		Open:        Open,
	})
}

// Limits that keep a hostile or broken file from exhausting memory.
const (
	// maxField bounds one CSV field or JSON string value (the longest real field, an ids column of the 2022
	// file, is about 8 KB).
	maxField = 256 << 10
	// maxRecords bounds the records of one file (the full 2022 CSL has 14,160).
	maxRecords = 2_000_000
	// maxItems bounds the items of one list-valued field (aliases, addresses, ids ...).
	maxItems = 10_000
)

// Open reads a CSL file (CSV or JSON, optionally gzip-compressed) from path. Errors are *tradescreen.Error
// (EINVALID: the path cannot be read) or *tradescreen.ParseError naming the file, line and field.
func Open(path string) (*source.Dataset, error) {
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, filepath.Base(path))
}

// Parse reads a CSL file given as its bytes as stored (gzip-compressed or not); name is the file name used in
// errors and as the ListVersion Origin. The format (CSV or JSON) is detected from the content: JSON when the
// first non-space byte is '{' or '['. Errors are *tradescreen.ParseError.
func Parse(b []byte, name string) (*source.Dataset, error) {
	if len(b) > source.MaxFileSize {
		return nil, source.Errorf(name, 0, "", "file too large (%d bytes, limit %d)", len(b), source.MaxFileSize)
	}
	sum := source.SHA256(b)
	mtime := gzipModTime(b)
	raw, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	text, err := prepare(raw, name)
	if err != nil {
		return nil, err
	}
	var (
		recs  []*record
		pub   map[string]string // JSON sources_used: list code -> last updated
		isCSV bool
	)
	switch text[firstNonSpace(text)] {
	case '{', '[':
		recs, pub, err = readJSON(text, name)
	default:
		isCSV = true
		recs, err = readCSV(text, name)
	}
	if err != nil {
		return nil, err
	}
	entries := make([]tradescreen.Entry, 0, len(recs))
	seen := make(map[string]int, len(recs))
	for _, r := range recs {
		e, err := r.entry(name)
		if err != nil {
			return nil, err
		}
		// The CSL repeats a few records with the same _id under the same source (the 2022 file has one
		// CAPTA record twice, differing only in source_list_url). Each row stays an entry; the repeat gets
		// "#2", "#3" ... appended to its source_id so that Entry.Key stays unique.
		k := e.Key()
		seen[k]++
		if n := seen[k]; n > 1 {
			e.SourceID += "#" + strconv.Itoa(n)
		}
		entries = append(entries, e)
	}
	published, note := inferPublished(entries, mtime, isCSV)
	return newDataset(entries, published, note, pub, sum, name), nil
}

// prepare checks that raw is text that may be a CSL file and returns it as UTF-8. It rejects empty files,
// binary data, ZIP archives, HTML pages and XML documents with a clear message.
func prepare(raw []byte, name string) (string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", source.Errorf(name, 0, "", "empty file")
	}
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		return "", source.Errorf(name, 0, "", "a ZIP archive, not a CSL CSV or JSON file (unzip it first)")
	}
	head := raw[:min(len(raw), 4096)]
	utf16 := bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
	if !utf16 && bytes.IndexByte(head, 0) >= 0 {
		return "", source.Errorf(name, 0, "", "binary data, not a CSL CSV or JSON file")
	}
	text, _ := source.ToUTF8(raw)
	t := strings.TrimLeft(text, " \t\r\n")
	if t == "" { // a byte-order mark and nothing else
		return "", source.Errorf(name, 0, "", "empty file")
	}
	low := strings.ToLower(t[:min(len(t), 256)])
	switch {
	case strings.HasPrefix(low, "<!doctype html"), strings.HasPrefix(low, "<html"), strings.Contains(low, "<head") && strings.HasPrefix(low, "<"):
		return "", source.Errorf(name, 1, "", "an HTML page, not a CSL CSV or JSON file (an error page from the download?)")
	case strings.HasPrefix(low, "<"):
		return "", source.Errorf(name, 1, "", "an XML document, not a CSL CSV or JSON file (wrong list kind?)")
	}
	if bad := controlRatio(head); bad {
		return "", source.Errorf(name, 0, "", "binary data, not a CSL CSV or JSON file")
	}
	return text, nil
}

// controlRatio reports whether more than 1 % of the first bytes are control characters other than tab, CR and
// LF: a sign of binary data that happens to contain no NUL byte.
func controlRatio(head []byte) bool {
	n := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' {
			n++
		}
	}
	return n*100 > len(head)
}

func firstNonSpace(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return i
	}
	return 0
}

// gzipModTime returns the modification time stored in a gzip header (RFC 1952 MTIME), or the zero time when
// b is not gzip data or the header holds none (files compressed with gzip -n).
func gzipModTime(b []byte) time.Time {
	if len(b) < 10 || b[0] != 0x1f || b[1] != 0x8b {
		return time.Time{}
	}
	sec := binary.LittleEndian.Uint32(b[4:8])
	if sec == 0 {
		return time.Time{}
	}
	t := time.Unix(int64(sec), 0).UTC()
	if t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}
	}
	return t
}

// inferPublished works out the publication date. The CSL states none: the date is the latest start_date of
// any record, or the gzip header's modification time when that is later (the file was compressed, so at
// least published, on that day).
func inferPublished(entries []tradescreen.Entry, mtime time.Time, isCSV bool) (string, string) {
	latest := ""
	for i := range entries {
		if d := entries[i].StartDate; isFullDate(d) && d > latest {
			latest = d
		}
	}
	format := "CSV"
	if !isCSV {
		format = "JSON"
	}
	if !mtime.IsZero() {
		if m := mtime.Format("2006-01-02"); m > latest {
			note := "the CSL " + format + " states no publication date: taken from the gzip header modification time"
			if latest != "" {
				note += " (latest start_date in the file: " + latest + ")"
			}
			return m, note
		}
	}
	if latest == "" {
		return "", "the CSL " + format + " states no publication date and no record has a start_date: unknown"
	}
	return latest, "the CSL " + format + " states no publication date: inferred as the latest start_date in the file"
}

// newDataset groups entries by list code into one ListVersion each, in the order of tradescreen.Sources.
// lastUpdated holds per-list dates from a JSON sources_used block; they override the inferred date.
func newDataset(entries []tradescreen.Entry, published, note string, lastUpdated map[string]string, sum, name string) *source.Dataset {
	ds := &source.Dataset{Entries: entries}
	byCode := map[string][]tradescreen.Entry{}
	for i := range entries {
		byCode[entries[i].Source] = append(byCode[entries[i].Source], entries[i])
	}
	for _, s := range tradescreen.Sources {
		es, ok := byCode[s.Code]
		if !ok {
			continue
		}
		lv := tradescreen.ListVersion{
			Source: s.Code, Published: published, PublishedNote: note, Entries: len(es),
			Names: source.CountNames(es), Origin: name, Format: Kind, SHA256: sum,
		}
		if d, ok := lastUpdated[s.Code]; ok && d != "" {
			lv.Published = d
			lv.PublishedNote = "from the JSON sources_used source_last_updated of this list"
		}
		ds.Lists = append(ds.Lists, lv)
	}
	return ds
}

// isFullDate reports whether s is YYYY-MM-DD.
func isFullDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}
