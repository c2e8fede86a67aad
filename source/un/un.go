// Package un reads the UN Security Council Consolidated List in its official XML form (consolidated.xml,
// schema sc-sanctions.xsd, published at https://scsanctions.un.org/resources/xml/en/consolidated.xml).
//
// The root element CONSOLIDATED_LIST carries the generation time (attribute dateGenerated) and holds
// INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY records. Every record becomes one tradescreen.Entry of list
// un_sc, keyed by its REFERENCE_NUMBER ("QDi.431", "KPe.001"). The reader streams the file with
// encoding/xml (one DecodeElement per record, bounded in size and depth; no external entities are ever
// resolved) and keeps each record as read in Entry.Raw.
package un

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format kind this package registers ("--list un=consolidated.xml").
const Kind = "un"

// Source is the list code of every entry read by this package.
const Source = "un_sc"

// ListURL is the UN Security Council's page for the consolidated list, set as each entry's SourceListURL.
const ListURL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"

// Limits that keep a hostile or broken file from exhausting memory. The largest real record (2026) is about
// 9 KB and the longest text about 1.7 KB.
const (
	maxRecordBytes = 1 << 20  // one INDIVIDUAL or ENTITY element
	maxFieldBytes  = 64 << 10 // one element's text
	maxDepth       = 6        // element nesting below INDIVIDUAL/ENTITY (the schema uses 2)
)

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "UN Security Council Consolidated List XML (consolidated.xml, sc-sanctions.xsd); .gz accepted",
		Open:        Open,
	})
}

// Open reads the consolidated list XML at path (plain or gzip-compressed). It returns a *tradescreen.Error
// (EINVALID) when the file cannot be read and a *tradescreen.ParseError when its content is not a valid UN
// consolidated list.
func Open(path string) (*source.Dataset, error) {
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, filepath.Base(path))
}

// Parse reads a UN consolidated list from b (plain or gzip-compressed); name is the file name used in errors
// and as the list version's Origin. The dataset holds one entry per INDIVIDUAL and ENTITY, in file order, and
// one ListVersion for un_sc. Malformed input gives a *tradescreen.ParseError naming the file, the line and
// the element at fault; an empty file, a file that is not XML, or XML of another format is an error too.
func Parse(b []byte, name string) (*source.Dataset, error) {
	sum := source.SHA256(b)
	data, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, source.Errorf(name, 0, "", "empty file")
	}
	p := &parser{name: name, seen: map[string]int{}}
	if err := p.parse(data); err != nil {
		return nil, err
	}
	lv := tradescreen.ListVersion{
		Source:        Source,
		Published:     p.published,
		PublishedNote: p.publishedNote,
		Entries:       len(p.entries),
		Names:         source.CountNames(p.entries),
		Origin:        name,
		Format:        Kind,
		SHA256:        sum,
	}
	return &source.Dataset{Lists: []tradescreen.ListVersion{lv}, Entries: p.entries}, nil
}

// parser holds the state of one Parse.
type parser struct {
	name          string
	entries       []tradescreen.Entry
	seen          map[string]int // REFERENCE_NUMBER -> line of first record
	published     string
	publishedNote string
	latest        string // latest LISTED_ON / LAST_DAY_UPDATED date, for files without dateGenerated
}

// parse walks the document: the prolog, the root CONSOLIDATED_LIST, its INDIVIDUALS and ENTITIES containers
// and, one DecodeElement each, their records.
func (p *parser) parse(data []byte) error {
	text, enc := source.ToUTF8(data)
	var in io.Reader = strings.NewReader(text)
	if enc == "windows-1252" {
		// Not UTF-8: hand the bytes over as they are, so that a file declaring UTF-8 fails with the line of
		// the bad byte and a file declaring Latin-1 goes through charsetReader.
		in = bytes.NewReader(data)
	}
	d := xml.NewDecoder(in)
	d.Strict = true
	d.CharsetReader = charsetReader

	var stack []string // open elements above the record level
	rootDone := false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.xmlError(err, line)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			el := t.Name.Local
			line, _ := d.InputPos()
			switch len(stack) {
			case 0:
				if rootDone {
					return source.Errorf(p.name, line, el, "second root element <%s> after </CONSOLIDATED_LIST>", el)
				}
				if el != "CONSOLIDATED_LIST" {
					return source.Errorf(p.name, line, "", "not a UN consolidated list: root element is <%s>, want <CONSOLIDATED_LIST>", el)
				}
				if err := p.root(t, line); err != nil {
					return err
				}
				stack = append(stack, el)
			case 1:
				if el != "INDIVIDUALS" && el != "ENTITIES" {
					// Not in the schema today; skip rather than fail so that an added section does not
					// stop the list from loading.
					if err := d.Skip(); err != nil {
						return p.xmlError(err, line)
					}
					continue
				}
				stack = append(stack, el)
			case 2:
				want := map[string]string{"INDIVIDUALS": "INDIVIDUAL", "ENTITIES": "ENTITY"}[stack[1]]
				if el != want {
					return source.Errorf(p.name, line, el, "unexpected element <%s> in <%s>, want <%s>", el, stack[1], want)
				}
				if err := p.record(d, t, line); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					rootDone = true
				}
			}
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				if rootDone {
					return source.Errorf(p.name, line, "", "text after </CONSOLIDATED_LIST>")
				}
				return source.Errorf(p.name, line, "", "not XML: text %q before the root element", clip(string(bytes.TrimSpace(t)), 40))
			}
		}
	}
	if !rootDone {
		if len(stack) > 0 {
			return source.Errorf(p.name, 0, "", "truncated file: <%s> is not closed", stack[len(stack)-1])
		}
		return source.Errorf(p.name, 0, "", "not a UN consolidated list: no root element")
	}
	if len(p.entries) == 0 {
		return source.Errorf(p.name, 0, "", "no INDIVIDUAL or ENTITY records in CONSOLIDATED_LIST")
	}
	if p.published == "" {
		p.published = p.latest
		p.publishedNote = "the file states no dateGenerated; inferred as the latest LISTED_ON or LAST_DAY_UPDATED date in the file"
	}
	return nil
}

// root reads the attributes of CONSOLIDATED_LIST.
func (p *parser) root(t xml.StartElement, line int) error {
	for _, a := range t.Attr {
		if a.Name.Local != "dateGenerated" {
			continue
		}
		v := strings.TrimSpace(a.Value)
		d := normDate(v)
		if !isFullDate(d) {
			return source.Errorf(p.name, line, "dateGenerated", "not a date: %q", clip(v, 40))
		}
		p.published = d
	}
	return nil
}

// record decodes one INDIVIDUAL or ENTITY element and maps it.
func (p *parser) record(d *xml.Decoder, t xml.StartElement, line int) error {
	start := d.InputOffset()
	var n node
	if err := d.DecodeElement(&n, &t); err != nil {
		return p.xmlError(err, line)
	}
	if d.InputOffset()-start > maxRecordBytes {
		return source.Errorf(p.name, line, t.Name.Local, "record larger than %d bytes", maxRecordBytes)
	}
	if path, err := n.check(0); err != nil {
		return source.Errorf(p.name, line, path, "%v", err)
	}
	e, err := p.entry(&n, line)
	if err != nil {
		return err
	}
	if first, dup := p.seen[e.SourceID]; dup {
		return source.Errorf(p.name, line, "REFERENCE_NUMBER", "duplicate %s (first at line %d)", e.SourceID, first)
	}
	p.seen[e.SourceID] = line
	p.entries = append(p.entries, e)
	return nil
}

// xmlError turns a decoder error into a ParseError with the line the decoder reports.
func (p *parser) xmlError(err error, line int) error {
	var pe *tradescreen.ParseError
	if errors.As(err, &pe) {
		return err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "truncated file (unexpected end of file)"
		}
		return &tradescreen.ParseError{File: p.name, Line: se.Line, Msg: "malformed XML: " + msg}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &tradescreen.ParseError{File: p.name, Line: line, Msg: "truncated file (unexpected end of file)"}
	}
	return &tradescreen.ParseError{File: p.name, Line: line, Msg: "malformed XML", Err: err}
}

// charsetReader accepts the encodings a consolidated list may declare. UTF-16 input has already been turned
// into UTF-8 by source.ToUTF8; Latin-1 and Windows-1252 are decoded here.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-16", "utf-16le", "utf-16be", "utf16", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(io.LimitReader(in, source.MaxFileSize))
		if err != nil {
			return nil, err
		}
		s, _ := source.ToUTF8(b)
		return strings.NewReader(s), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", clip(label, 40))
}

// clip shortens s to at most n runes for an error message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "..."
}
