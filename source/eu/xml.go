package eu

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Bounds on what one record may hold. The official file's values are far below them; anything above is
// not a sanctions file.
const (
	maxAttrLen  = 64 << 10 // one attribute value
	maxTextLen  = 1 << 20  // the text of one element (remark, publicationUrl)
	maxDepth    = 12       // element nesting below <sanctionEntity> (the schema needs 3)
	maxChildren = 100000   // child elements of one <sanctionEntity>, at all depths
)

// node is one XML element of a <sanctionEntity> subtree, kept with its attributes and children in document
// order so the record can be mapped and reproduced as Raw JSON.
type node struct {
	name     string // local name
	attrs    []xml.Attr
	children []*node
	text     string
	line     int
}

// attr returns the trimmed value of the attribute with the given local name, or "".
func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// all returns the direct children with the given local name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// texts returns the trimmed, non-empty texts of the direct children with the given local name.
func (n *node) texts(name string) []string {
	var out []string
	for _, c := range n.all(name) {
		if t := strings.TrimSpace(c.text); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// parseResult is what one pass over the document yields.
type parseResult struct {
	entries       []tradescreen.Entry
	published     string
	publishedNote string
}

// parseXML streams the document: it checks the root <export>, reads each <sanctionEntity> subtree and maps
// it to an Entry, merging elements that repeat a logicalId.
func parseXML(data []byte, name string) (*parseResult, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, source.Errorf(name, 0, "", "empty file: expected an EU FSF XML 1.1 document (root <export>)")
	}
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.IndexByte(head, 0) >= 0 && !isUTF16(head) {
		return nil, source.Errorf(name, 0, "", "binary file, not an EU FSF XML document")
	}
	text, _ := source.ToUTF8(data)
	dec := xml.NewDecoder(strings.NewReader(text))
	dec.Strict = true
	// The bytes are UTF-8 by now (source.ToUTF8 decoded any BOM, UTF-16 or Windows-1252 input), whatever
	// the XML declaration says.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	p := &parser{name: name, dec: dec, index: map[string]int{}, merged: map[string]bool{}}
	if err := p.run(); err != nil {
		return nil, err
	}
	res := &parseResult{entries: p.entries}
	if p.generationDate != "" {
		res.published = p.generationDate
	} else if p.latestDate != "" {
		res.published = p.latestDate
		res.publishedNote = "the file states no export@generationDate; inferred as the latest designationDate or regulation publicationDate in the file"
	} else {
		res.publishedNote = "the file states no export@generationDate and holds no dates to infer it from"
	}
	return res, nil
}

func isUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

type parser struct {
	name           string
	dec            *xml.Decoder
	entries        []tradescreen.Entry
	index          map[string]int  // logicalId -> position in entries
	merged         map[string]bool // logicalIds whose entry already absorbed a repeated element
	generationDate string
	latestDate     string
	others         []string // names of unexpected children of <export>, for the error when no entity is found
	count          int      // <sanctionEntity> elements read
}

func (p *parser) line() int {
	l, _ := p.dec.InputPos()
	return l
}

// syntaxErr turns a decoder error into a ParseError with the line it occurred on.
func (p *parser) syntaxErr(err error, where, field string) error {
	line := p.line()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	msg := "malformed XML " + where
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		msg = "truncated file: XML ends " + where
	}
	return &tradescreen.ParseError{File: p.name, Line: line, Field: field, Msg: msg, Err: err}
}

func (p *parser) run() error {
	// Prolog: up to the root element.
	var root xml.StartElement
	for {
		start := p.line()
		tok, err := p.dec.Token()
		if err == io.EOF {
			return source.Errorf(p.name, p.line(), "", "no root element: expected an EU FSF XML 1.1 document (root <export>)")
		}
		if err != nil {
			return p.syntaxErr(err, "before the root element", "")
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) > 0 {
			lead := cd[:len(cd)-len(bytes.TrimLeft(cd, " \t\r\n"))]
			return source.Errorf(p.name, start+bytes.Count(lead, []byte("\n")), "", "not XML: text %q before the root element", clip(string(cd), 40))
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	if err := p.checkRoot(root); err != nil {
		return err
	}
	// Children of <export>.
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			return source.Errorf(p.name, p.line(), "export", "truncated file: no closing </export> after %d sanctionEntity elements", p.count)
		}
		if err != nil {
			return p.syntaxErr(err, "inside <export>", "export")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := p.line()
			n, err := p.readElement(t, 0, new(int))
			if err != nil {
				return err
			}
			n.line = line
			if n.name != "sanctionEntity" {
				if len(p.others) < 10 && !contains(p.others, n.name) {
					p.others = append(p.others, n.name)
				}
				continue
			}
			p.count++
			if err := p.addEntity(n); err != nil {
				return err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return source.Errorf(p.name, p.line(), "export", "unexpected text %q inside <export>", clip(string(t), 40))
			}
		case xml.EndElement:
			return p.finish()
		}
	}
}

// checkRoot accepts <export> (in any namespace) and reads its generationDate; any other root is another
// format, named in the error.
func (p *parser) checkRoot(root xml.StartElement) error {
	local := root.Name.Local
	if local != "export" {
		var attrs []string
		for _, a := range root.Attr {
			if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" && len(attrs) < 8 {
				attrs = append(attrs, a.Name.Local)
			}
		}
		what := ""
		switch strings.ToLower(local) {
		case "html", "head", "body":
			what = " (an HTML page, not the list file)"
		case "whole":
			what = " (the older EU FSF XML 1.0 format; download xmlFullSanctionsList_1_1)"
		case "consolidated_list":
			what = " (the UN Security Council list)"
		case "sdnlist":
			what = " (an OFAC sdnList file)"
		case "arrayoffinancialsanctionstarget":
			what = " (the UK OFSI list)"
		}
		msg := "root element <" + local + ">"
		if len(attrs) > 0 {
			msg += " with attributes " + strings.Join(attrs, ", ")
		}
		return source.Errorf(p.name, p.line(), local, "%s found%s; expected <export> of the EU FSF XML 1.1 format", msg, what)
	}
	for _, a := range root.Attr {
		if a.Name.Local != "generationDate" {
			continue
		}
		v := strings.TrimSpace(a.Value)
		d, ok := isoDate(v)
		if !ok {
			return source.Errorf(p.name, p.line(), "generationDate", "not a date: %q", clip(v, 60))
		}
		p.generationDate = d
	}
	return nil
}

// finish checks what follows </export> and that the file held entities.
func (p *parser) finish() error {
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.syntaxErr(err, "after </export>", "")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return source.Errorf(p.name, p.line(), t.Name.Local, "element <%s> after the closing </export>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return source.Errorf(p.name, p.line(), "", "text %q after the closing </export>", clip(string(t), 40))
			}
		}
	}
	if p.count == 0 {
		if len(p.others) > 0 {
			return source.Errorf(p.name, 0, "sanctionEntity", "no <sanctionEntity> elements in <export>; found <%s>", strings.Join(p.others, ">, <"))
		}
		return source.Errorf(p.name, 0, "sanctionEntity", "no <sanctionEntity> elements in <export>")
	}
	return nil
}

// readElement reads the subtree of start (already consumed) into a node, bounding depth, element count
// and value sizes.
func (p *parser) readElement(start xml.StartElement, depth int, count *int) (*node, error) {
	n := &node{name: start.Name.Local, line: p.line()}
	if depth > maxDepth {
		return nil, source.Errorf(p.name, n.line, n.name, "elements nested deeper than %d levels", maxDepth)
	}
	*count++
	if *count > maxChildren {
		return nil, source.Errorf(p.name, n.line, n.name, "more than %d elements in one record", maxChildren)
	}
	for _, a := range start.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if len(a.Value) > maxAttrLen {
			return nil, source.Errorf(p.name, n.line, a.Name.Local, "attribute value longer than %d bytes", maxAttrLen)
		}
		n.attrs = append(n.attrs, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
	}
	var text strings.Builder
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			return nil, source.Errorf(p.name, p.line(), n.name, "truncated file: <%s> opened on line %d is never closed", n.name, n.line)
		}
		if err != nil {
			return nil, p.syntaxErr(err, "in <"+n.name+"> opened on line "+strconv.Itoa(n.line), n.name)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			c, err := p.readElement(t, depth+1, count)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		case xml.CharData:
			if text.Len()+len(t) > maxTextLen {
				return nil, source.Errorf(p.name, p.line(), n.name, "text longer than %d bytes", maxTextLen)
			}
			text.Write(t)
		case xml.EndElement:
			n.text = strings.TrimSpace(text.String())
			return n, nil
		}
	}
}

// raw renders the subtree as a compact JSON object keyed by the official attribute and element names, in
// document order: attributes first, then each child element name with an array of its elements (an
// element with neither attributes nor children is its text). Text beside attributes or children is under
// "#text". A child that shares its name with an attribute (never in the schema) is keyed name + "[]".
func (n *node) raw() json.RawMessage {
	var b bytes.Buffer
	n.writeJSON(&b)
	return json.RawMessage(b.Bytes())
}

func (n *node) writeJSON(b *bytes.Buffer) {
	if len(n.attrs) == 0 && len(n.children) == 0 {
		writeString(b, n.text)
		return
	}
	b.WriteByte('{')
	first := true
	key := func(k string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, k)
		b.WriteByte(':')
	}
	seen := map[string]bool{}
	for _, a := range n.attrs {
		if seen[a.Name.Local] {
			continue // duplicate attributes are rejected by the decoder; be safe anyway
		}
		seen[a.Name.Local] = true
		key(a.Name.Local)
		writeString(b, a.Value)
	}
	var order []string
	groups := map[string][]*node{}
	for _, c := range n.children {
		if _, ok := groups[c.name]; !ok {
			order = append(order, c.name)
		}
		groups[c.name] = append(groups[c.name], c)
	}
	for _, name := range order {
		k := name
		for seen[k] {
			k += "[]"
		}
		seen[k] = true
		key(k)
		b.WriteByte('[')
		for i, c := range groups[name] {
			if i > 0 {
				b.WriteByte(',')
			}
			c.writeJSON(b)
		}
		b.WriteByte(']')
	}
	if n.text != "" {
		k := "#text"
		for seen[k] {
			k += "[]"
		}
		key(k)
		writeString(b, n.text)
	}
	b.WriteByte('}')
}

func writeString(b *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// isoDate returns the YYYY-MM-DD date at the start of s ("2020-04-15T15:29:22.497+02:00" gives
// "2020-04-15"), the date as stated in the file's own time zone.
func isoDate(s string) (string, bool) {
	if len(s) < 10 {
		return "", false
	}
	d := s[:10]
	if _, err := time.Parse("2006-01-02", d); err != nil {
		return "", false
	}
	if len(s) > 10 && s[10] != 'T' && s[10] != ' ' && s[10] != '+' && s[10] != 'Z' && s[10] != '-' {
		return "", false
	}
	return d, true
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortedKeys returns the keys of m in order (used for deterministic script detection).
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
