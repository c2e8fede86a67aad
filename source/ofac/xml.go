package ofac

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// This file reads SDN.XML and CONSOLIDATED.xml, the "sdnList" schema OFAC has published since the 2000s
// (http://tempuri.org/sdnList.xsd; from 2024 the Sanctions List Service writes the same elements in the
// namespace https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML). Elements are
// matched by local name so every vintage reads the same way:
//
//	<sdnList>
//	  <publshInformation> <Publish_Date>MM/DD/YYYY</Publish_Date> <Record_Count>n</Record_Count>
//	  <sdnEntry> uid, firstName, lastName, title, sdnType, remarks, programList/program,
//	    idList/id (uid, idType, idNumber, idCountry, issueDate, expirationDate),
//	    akaList/aka (uid, type a.k.a.|f.k.a.|n.k.a., category strong|weak, lastName, firstName),
//	    addressList/address (uid, address1-3, city, stateOrProvince, postalCode, country),
//	    nationalityList/nationality, citizenshipList/citizenship (uid, country, mainEntry),
//	    dateOfBirthList/dateOfBirthItem (uid, dateOfBirth, mainEntry),
//	    placeOfBirthList/placeOfBirthItem (uid, placeOfBirth, mainEntry),
//	    vesselInfo (callSign, vesselType, vesselFlag, vesselOwner, tonnage, grossRegisteredTonnage)

// Bounds on one XML document, against hostile or broken input.
const (
	maxXMLDepth    = 24      // element nesting
	maxXMLText     = 1 << 20 // characters of text in one element
	maxXMLChildren = 1 << 16 // child elements of one element inside a record
	maxXMLAttrs    = 32      // attributes of one element
)

// ParseXML reads SDN.XML or CONSOLIDATED.xml (the sdnList schema); b may be gzip-compressed. name is the file
// name used in errors, in ListVersion.Origin and to tell the two files apart.
//
// Entries of SDN.XML all map to us_sdn; entries of CONSOLIDATED.xml (the non-SDN lists) map to the list of
// their programs (listForPrograms). Both files share root element and namespace, so the reader decides from
// the file name ("cons..." is non-SDN, "sdn..." is SDN) and, for any other name, from the content: the file
// is non-SDN when more than half of its entries carry a program that exists only on the non-SDN lists
// (NS-PLC, FSE-*, 561*, CMIC-*, UKRAINE-EO13662 sectoral directives).
//
// Publish_Date gives ListVersion.Published. Record_Count is checked against the sdnEntry elements read: the
// document must be well-formed XML closed by </sdnList>, so a truncated download is always an error; a
// complete document whose count differs (an excerpt, a hand-edited file) is kept, and the difference is
// stated in ListVersion.PublishedNote.
//
// An enhanced-XML document (root sanctionsData) or a ZIP archive is handed to ParseEnhanced. Errors are
// *tradescreen.ParseError naming the file, the line and the element.
func ParseXML(b []byte, name string) (*source.Dataset, error) {
	sum := source.SHA256(b)
	text, err := prepareXML(b, name)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(text, []byte("PK\x03\x04")) {
		return ParseEnhanced(b, name)
	}
	dec := newXMLDecoder(text)
	root, line, err := rootElement(dec, name)
	if err != nil {
		return nil, err
	}
	switch root.Name.Local {
	case "sdnList":
		return parseSDNList(dec, sum, name, name, line)
	case "sanctionsData":
		return parseEnhancedXML(dec, root, sum, name, name)
	}
	return nil, source.Errorf(name, line, root.Name.Local,
		"not an OFAC sdnList XML document: root element is <%s> (expected <sdnList> of SDN.XML or CONSOLIDATED.xml)", root.Name.Local)
}

// parseSDNList reads an sdnList document whose root element has just been read. sum and name describe the
// file as given; errName names it in errors (with the archive member when it came from a ZIP).
func parseSDNList(dec *xml.Decoder, sum, name, errName string, line int) (*source.Dataset, error) {
	var (
		entries     []tradescreen.Entry
		publishDate string
		recordCount = -1
		pubLine     int
		others      []string
		nodes       []*xmlNode
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, xmlError(errName, dec, err)
		}
		if end, ok := tok.(xml.EndElement); ok && end.Name.Local == "sdnList" {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := dec.InputPos()
		n, err := readNode(dec, se, line, 1, errName)
		if err != nil {
			return nil, err
		}
		switch se.Name.Local {
		case "publshInformation", "publishInformation":
			pubLine = line
			publishDate = n.text("Publish_Date")
			if rc := n.text("Record_Count"); rc != "" {
				v, err := strconv.Atoi(rc)
				if err != nil || v < 0 {
					return nil, source.Errorf(errName, n.childLine("Record_Count"), "Record_Count", "not a count: %q", clip(rc))
				}
				recordCount = v
			}
		case "sdnEntry":
			nodes = append(nodes, n)
		default:
			if len(others) < 10 {
				others = append(others, "<"+se.Name.Local+">")
			}
		}
	}
	if err := expectEOF(dec, errName); err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		found := "none"
		if len(others) > 0 {
			found = strings.Join(others, ", ")
		}
		return nil, source.Errorf(errName, line, "sdnEntry", "no <sdnEntry> elements in <sdnList> (child elements found: %s)", found)
	}

	nonSDN := xmlIsNonSDN(errName, nodes)
	seen := make(map[string]int, len(nodes))
	entries = make([]tradescreen.Entry, 0, len(nodes))
	for _, n := range nodes {
		e, err := sdnEntryToEntry(n, nonSDN, errName)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[e.SourceID]; dup {
			return nil, source.Errorf(errName, n.Line, "uid", "duplicate uid %s (first at line %d)", e.SourceID, prev)
		}
		seen[e.SourceID] = n.Line
		entries = append(entries, e)
	}

	published, note := "", ""
	switch {
	case publishDate == "":
		note = "the file states no Publish_Date"
	default:
		published = source.NormDate(publishDate)
		if !isFullDate(published) {
			return nil, source.Errorf(errName, pubLine, "Publish_Date", "not a date: %q", clip(publishDate))
		}
	}
	var empty []string
	switch {
	case recordCount < 0:
		note = joinNote(note, "the file states no Record_Count")
	case recordCount != len(entries):
		note = joinNote(note, fmt.Sprintf("Record_Count %d but %d sdnEntry elements in the file (an excerpt or an edited file)", recordCount, len(entries)))
	case nonSDN:
		// A complete CONSOLIDATED.xml is the whole of OFAC's non-SDN lists: a list with no entry in it
		// was empty that day (the FSE list in the file of 2026-01-08), and says so with a version of its own.
		empty = nonSDNLists
	}
	return newDataset(entries, published, note, sum, name, empty...), nil
}

// sdnEntryToEntry maps one <sdnEntry> to an Entry.
func sdnEntryToEntry(n *xmlNode, nonSDN bool, file string) (tradescreen.Entry, error) {
	var e tradescreen.Entry
	e.SourceID = n.text("uid")
	if e.SourceID == "" {
		return e, source.Errorf(file, n.Line, "uid", "sdnEntry without uid")
	}
	last, first := n.text("lastName"), n.text("firstName")
	if last == "" && first == "" {
		return e, source.Errorf(file, n.Line, "lastName", "sdnEntry uid %s has no name", e.SourceID)
	}
	for _, p := range n.list("programList", "program") {
		if v := strings.TrimSpace(p.Text); v != "" {
			e.Programs = append(e.Programs, v)
		}
	}
	e.Source = listForPrograms(e.Programs, nonSDN)
	e.Kind = kindFromSDNType(n.text("sdnType"))
	e.Name = personName(last, first)
	e.Title = n.text("title")
	e.Remarks = n.text("remarks")
	e.SourceListURL = listURL

	for _, a := range n.list("akaList", "aka") {
		al, af := a.text("lastName"), a.text("firstName")
		if al == "" && af == "" {
			continue
		}
		weak := strings.EqualFold(a.text("category"), "weak")
		name := tradescreen.Name{Full: personName(al, af), Type: akaType(a.text("type"), weak), Note: weakNote(a.text("type"), weak)}
		if af != "" {
			name.Given, name.Family = af, al
		}
		name.Script = scriptOf(name.Full)
		e.Aliases = append(e.Aliases, name)
	}
	for _, a := range n.list("addressList", "address") {
		addr := tradescreen.Address{
			Street:      joinNonEmpty(", ", a.text("address1"), a.text("address2"), a.text("address3")),
			City:        a.text("city"),
			Region:      a.text("stateOrProvince"),
			PostalCode:  a.text("postalCode"),
			CountryName: a.text("country"),
		}
		addr.Country = source.CountryCode(addr.CountryName)
		addr.Full = joinNonEmpty(", ", addr.Street, addr.City, addr.Region, addr.PostalCode, addr.CountryName)
		if addr.Full != "" {
			e.Addresses = append(e.Addresses, addr)
		}
	}
	for _, id := range n.list("idList", "id") {
		typ, num := id.text("idType"), id.text("idNumber")
		if typ == "" && num == "" {
			continue
		}
		if strings.EqualFold(typ, "Gender") && e.Gender == "" {
			e.Gender = num
		}
		ident := tradescreen.Identifier{Type: typ, Number: num, Issued: source.NormDate(id.text("issueDate")),
			Expires: source.NormDate(id.text("expirationDate"))}
		if c := id.text("idCountry"); c != "" {
			ident.Country = countryOrName(c)
		}
		e.Identifiers = append(e.Identifiers, ident)
	}
	for _, d := range n.list("dateOfBirthList", "dateOfBirthItem") {
		if v := normDOB(d.text("dateOfBirth")); v != "" {
			e.BirthDates = appendUnique(e.BirthDates, v)
		}
	}
	for _, p := range n.list("placeOfBirthList", "placeOfBirthItem") {
		if v := p.text("placeOfBirth"); v != "" {
			e.BirthPlaces = appendUnique(e.BirthPlaces, v)
		}
	}
	for _, c := range n.list("nationalityList", "nationality") {
		if v := c.text("country"); v != "" {
			e.Nationalities = appendUnique(e.Nationalities, countryOrName(v))
		}
	}
	for _, c := range n.list("citizenshipList", "citizenship") {
		if v := c.text("country"); v != "" {
			e.Citizenships = appendUnique(e.Citizenships, countryOrName(v))
		}
	}
	if vi := n.child("vesselInfo"); vi != nil {
		v := &tradescreen.Vessel{
			CallSign:               vi.text("callSign"),
			Type:                   vi.text("vesselType"),
			Flag:                   vi.text("vesselFlag"),
			Owner:                  vi.text("vesselOwner"),
			Tonnage:                vi.text("tonnage"),
			GrossRegisteredTonnage: vi.text("grossRegisteredTonnage"),
		}
		if *v != (tradescreen.Vessel{}) {
			e.Vessel = v
		}
	}
	e.Raw = n.rawJSON()
	return e, nil
}

// personName writes a name as OFAC prints it: "LAST, First" when there is a first name, else the last name
// (entities, vessels and aircraft have only lastName).
func personName(last, first string) string {
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return last + ", " + first
}

// akaType maps an alias type ("a.k.a.", "f.k.a.", "n.k.a.", any case, dots optional) and the weak flag
// (sdnList category "weak", enhanced isLowQuality) to a NameType. Weak f.k.a. and n.k.a. names keep their
// type (the domain has no weak variant of them) and get the Note "weak" (weakNote).
func akaType(t string, weak bool) tradescreen.NameType {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(t), ".", "")) {
	case "fka":
		return tradescreen.NameFKA
	case "nka":
		return tradescreen.NameNKA
	}
	if weak {
		return tradescreen.NameWeakAKA
	}
	return tradescreen.NameAKA
}

// weakNote returns "weak" for a weak f.k.a. or n.k.a., which keep their name type (as the CSV reader does).
func weakNote(t string, weak bool) string {
	if weak && akaType(t, weak) != tradescreen.NameWeakAKA {
		return "weak"
	}
	return ""
}

// xmlIsNonSDN decides whether an sdnList document is CONSOLIDATED.xml (the non-SDN lists) or SDN.XML; see
// ParseXML.
func xmlIsNonSDN(name string, entries []*xmlNode) bool {
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, "cons"):
		return true
	case strings.Contains(lower, "sdn"):
		return false
	}
	marked := 0
	for _, n := range entries {
		for _, p := range n.list("programList", "program") {
			if nonSDNOnlyProgram(p.Text) {
				marked++
				break
			}
		}
	}
	return marked*2 > len(entries)
}

// nonSDNOnlyProgram reports whether a program tag is used only for the non-SDN lists.
func nonSDNOnlyProgram(p string) bool {
	u := strings.ToUpper(strings.TrimSpace(p))
	return u == "NS-PLC" || strings.HasPrefix(u, "FSE") || strings.HasPrefix(u, "561") ||
		strings.HasPrefix(u, "CMIC") || strings.HasPrefix(u, "UKRAINE-EO13662")
}

// newDataset groups entries by list code into one ListVersion each, in the order of tradescreen.Sources.
// Each code of complete gets a version even when no entry carries it (the file lists it as empty).
func newDataset(entries []tradescreen.Entry, published, note, sum, name string, complete ...string) *source.Dataset {
	ds := &source.Dataset{Entries: entries}
	byCode := map[string][]tradescreen.Entry{}
	for _, code := range complete {
		byCode[code] = nil
	}
	for _, e := range entries {
		byCode[e.Source] = append(byCode[e.Source], e)
	}
	add := func(code string) {
		es, ok := byCode[code]
		if !ok {
			return
		}
		delete(byCode, code)
		ds.Lists = append(ds.Lists, tradescreen.ListVersion{
			Source: code, Published: published, PublishedNote: note, Entries: len(es),
			Names: source.CountNames(es), Origin: name, Format: "ofac", SHA256: sum,
		})
	}
	for _, s := range tradescreen.Sources {
		add(s.Code)
	}
	for _, e := range entries { // codes not in tradescreen.Sources, in order of appearance
		add(e.Source)
	}
	return ds
}

// prepareXML decompresses b, checks that it looks like an XML document (or a ZIP archive, returned as is)
// and returns it as UTF-8.
func prepareXML(b []byte, name string) ([]byte, error) {
	if len(b) > source.MaxFileSize {
		return nil, source.Errorf(name, 0, "", "file too large (%d bytes, limit %d)", len(b), source.MaxFileSize)
	}
	b, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return b, nil
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, source.Errorf(name, 0, "", "empty file")
	}
	head := b
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return nil, source.Errorf(name, 0, "", "binary data, not an XML document")
	}
	s, _ := source.ToUTF8(b)
	t := strings.TrimLeft(s, " \t\r\n")
	lowerHead := strings.ToLower(t[:min(len(t), 256)])
	switch {
	case strings.HasPrefix(lowerHead, "<!doctype html"), strings.HasPrefix(lowerHead, "<html"):
		return nil, source.Errorf(name, 1, "", "an HTML page, not an OFAC XML document (an error page from the download?)")
	case !strings.HasPrefix(t, "<"):
		return nil, source.Errorf(name, 1, "", "not an XML document: it starts with %q", clip(firstLine(t)))
	}
	return []byte(s), nil
}

// newXMLDecoder returns a strict decoder over UTF-8 text. The text has already been converted to UTF-8, so
// the declared encoding is not applied again. encoding/xml expands no external entities and reads no DTD.
func newXMLDecoder(text []byte) *xml.Decoder {
	dec := xml.NewDecoder(bytes.NewReader(text))
	dec.Strict = true
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return dec
}

// rootElement skips the prolog and returns the root element and its line.
func rootElement(dec *xml.Decoder, name string) (xml.StartElement, int, error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return xml.StartElement{}, 0, source.Errorf(name, 0, "", "no root element: not an XML document")
			}
			return xml.StartElement{}, 0, xmlError(name, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := dec.InputPos()
			return t, line, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				line, _ := dec.InputPos()
				return xml.StartElement{}, 0, source.Errorf(name, line, "", "text before the root element: not an XML document")
			}
		}
	}
}

// expectEOF checks that nothing but comments and white space follows the root element.
func expectEOF(dec *xml.Decoder, name string) error {
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return xmlError(name, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := dec.InputPos()
			return source.Errorf(name, line, t.Name.Local, "a second root element after the document")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				line, _ := dec.InputPos()
				return source.Errorf(name, line, "", "text after the root element")
			}
		}
	}
}

// xmlError wraps a decoder error as a ParseError with its line.
func xmlError(name string, dec *xml.Decoder, err error) error {
	var pe *tradescreen.ParseError
	if errors.As(err, &pe) {
		return err
	}
	line, _ := dec.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	msg := "malformed XML"
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		msg = "truncated XML: the document ends before its root element is closed"
	}
	return &tradescreen.ParseError{File: name, Line: line, Msg: msg, Err: err}
}

// xmlNode is one element read generically: its local name, attributes, text and child elements in document
// order, and the line it starts on.
type xmlNode struct {
	Name  string
	Attrs []xml.Attr
	Text  string
	Kids  []*xmlNode
	Line  int
}

// readNode reads the element opened by start, bounded in depth, text size and child count.
func readNode(dec *xml.Decoder, start xml.StartElement, line, depth int, file string) (*xmlNode, error) {
	if depth > maxXMLDepth {
		return nil, source.Errorf(file, line, start.Name.Local, "elements nested deeper than %d", maxXMLDepth)
	}
	if len(start.Attr) > maxXMLAttrs {
		return nil, source.Errorf(file, line, start.Name.Local, "more than %d attributes", maxXMLAttrs)
	}
	n := &xmlNode{Name: start.Name.Local, Line: line}
	for _, a := range start.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" {
			continue
		}
		n.Attrs = append(n.Attrs, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
	}
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, xmlError(file, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(n.Kids) >= maxXMLChildren {
				return nil, source.Errorf(file, line, start.Name.Local, "more than %d child elements", maxXMLChildren)
			}
			l, _ := dec.InputPos()
			k, err := readNode(dec, t, l, depth+1, file)
			if err != nil {
				return nil, err
			}
			n.Kids = append(n.Kids, k)
		case xml.CharData:
			if text.Len()+len(t) > maxXMLText {
				return nil, source.Errorf(file, line, start.Name.Local, "text longer than %d bytes", maxXMLText)
			}
			text.Write(t)
		case xml.EndElement:
			n.Text = strings.TrimSpace(text.String())
			return n, nil
		}
	}
}

// child returns the first child element with the local name, or nil.
func (n *xmlNode) child(name string) *xmlNode {
	if n == nil {
		return nil
	}
	for _, k := range n.Kids {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// text returns the trimmed text of the first child element with the local name.
func (n *xmlNode) text(name string) string {
	if k := n.child(name); k != nil {
		return k.Text
	}
	return ""
}

// attr returns the value of an attribute.
func (n *xmlNode) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// childLine returns the line of the first child element with the local name, or the node's own line.
func (n *xmlNode) childLine(name string) int {
	if k := n.child(name); k != nil {
		return k.Line
	}
	return n.Line
}

// list returns the item elements of a container child: n/container/item.
func (n *xmlNode) list(container, item string) []*xmlNode {
	c := n.child(container)
	if c == nil {
		return nil
	}
	out := make([]*xmlNode, 0, len(c.Kids))
	for _, k := range c.Kids {
		if k.Name == item {
			out = append(out, k)
		}
	}
	return out
}

// rawJSON renders the element as a compact JSON object keyed by the official element names, in document
// order: a leaf element is its text; attributes are "@name" keys (with the text under "#text"); a container
// (sdnList "...List" elements, enhanced plural elements such as names/name, legalAuthorities/legalAuthority)
// is an array of its items; an element repeated under one parent is an array.
func (n *xmlNode) rawJSON() json.RawMessage {
	var buf bytes.Buffer
	n.writeJSON(&buf)
	return json.RawMessage(buf.Bytes())
}

func (n *xmlNode) writeJSON(buf *bytes.Buffer) {
	if len(n.Kids) == 0 && len(n.Attrs) == 0 {
		if isContainer(n.Name, "") {
			buf.WriteString("[]")
			return
		}
		writeJSONString(buf, n.Text)
		return
	}
	if len(n.Attrs) == 0 && n.isList() {
		buf.WriteByte('[')
		for i, k := range n.Kids {
			if i > 0 {
				buf.WriteByte(',')
			}
			k.writeJSON(buf)
		}
		buf.WriteByte(']')
		return
	}
	buf.WriteByte('{')
	first := true
	key := func(k string) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		writeJSONString(buf, k)
		buf.WriteByte(':')
	}
	for _, a := range n.Attrs {
		key("@" + a.Name.Local)
		writeJSONString(buf, a.Value)
	}
	if len(n.Kids) == 0 {
		key("#text")
		writeJSONString(buf, n.Text)
	}
	groups := map[string][]*xmlNode{}
	var order []string
	for _, k := range n.Kids {
		if _, ok := groups[k.Name]; !ok {
			order = append(order, k.Name)
		}
		groups[k.Name] = append(groups[k.Name], k)
	}
	for _, name := range order {
		key(name)
		g := groups[name]
		if len(g) == 1 {
			g[0].writeJSON(buf)
			continue
		}
		buf.WriteByte('[')
		for j, o := range g {
			if j > 0 {
				buf.WriteByte(',')
			}
			o.writeJSON(buf)
		}
		buf.WriteByte(']')
	}
	buf.WriteByte('}')
}

// isList reports whether the element is a container of items of one name.
func (n *xmlNode) isList() bool {
	if len(n.Kids) == 0 {
		return false
	}
	item := n.Kids[0].Name
	for _, k := range n.Kids[1:] {
		if k.Name != item {
			return false
		}
	}
	return isContainer(n.Name, item)
}

// isContainer reports whether an element name is a list container (of item, when item is not empty):
// "programList" (sdnList), or the plural of its item ("names" of "name", "legalAuthorities" of
// "legalAuthority").
func isContainer(name, item string) bool {
	if strings.HasSuffix(name, "List") && len(name) > 4 {
		return true
	}
	if item == "" {
		return false
	}
	return name == item+"s" || (strings.HasSuffix(item, "y") && name == item[:len(item)-1]+"ies")
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a string always marshals; invalid UTF-8 becomes U+FFFD
	buf.Write(b)
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

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) > 80 {
		s = s[:80]
		for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
			s = s[:len(s)-1]
		}
		if len(s) > 0 && s[len(s)-1] >= 0xC0 {
			s = s[:len(s)-1]
		}
		return s + "..."
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}
