package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/tradescreen/tradescreen"
)

// MaxFieldLength bounds one input field.
const MaxFieldLength = 64 << 10

// ReaderOptions say how an input file's columns map to a party and how its text is encoded. The zero value
// detects everything.
type ReaderOptions struct {
	// NameColumns are the columns holding the party's names (company name, trading name, contact person),
	// each screened as a party of its own; empty means the first column named like a name (name,
	// company_name, customer ...).
	NameColumns []string
	// IDColumn, TypeColumn, CountryColumn, AddressColumn and DOBColumn name those columns; empty means
	// detect them by their header.
	IDColumn, TypeColumn, CountryColumn, AddressColumn, DOBColumn string
	// Encoding is utf-8, utf-16, utf-16le, utf-16be, windows-1252 or latin-1; empty means detect it: a BOM
	// (UTF-8, UTF-16) decides, else UTF-8 unless the start of the file has bytes that are not UTF-8 and no
	// UTF-8 sequence (then Windows-1252).
	Encoding string
	// Delimiter is the CSV field separator; 0 means detect it among comma, semicolon, tab and pipe.
	Delimiter rune
}

// ParseDelimiter reads a CSV delimiter as a user gives it: "," ";" "|", or "tab" (also `\t` or a tab);
// "" is 0, detect it. Errors: EINVALID for anything else.
func ParseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case ",", ";", "|":
		return rune(s[0]), nil
	}
	return 0, tradescreen.Errorf(tradescreen.EINVALID, "delimiter %q: want , ; tab or |", s)
}

// Encodings are the accepted ReaderOptions.Encoding values.
var Encodings = []string{"utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "latin-1"}

// columnAliases are the header names recognized for each role, folded by headerKey.
var columnAliases = map[string][]string{
	"name":    {"name", "party_name", "party", "full_name", "fullname", "company_name", "company", "customer_name", "customer", "entity_name", "organization", "organisation", "legal_name", "account_name", "supplier_name", "vendor_name"},
	"id":      {"id", "party_id", "customer_id", "customer_number", "customer_no", "account", "account_id", "account_number", "ref", "reference", "vendor_id", "supplier_id"},
	"type":    {"type", "kind", "party_type", "entity_type", "schema"},
	"country": {"country", "country_code", "countrycode", "nation", "iso_country", "country_iso"},
	"address": {"address", "full_address", "street_address", "address_line", "address_line_1", "address1", "street"},
	"dob":     {"date_of_birth", "dob", "birth_date", "birthdate", "born"},
}

// identifierColumns are header names whose values are identifiers, and the identifier type each gives.
var identifierColumns = map[string]string{
	"tax_id": "tax_id", "tin": "tax_id", "vat": "vat", "vat_number": "vat", "vat_id": "vat", "lei": "lei",
	"duns": "duns", "imo": "imo", "imo_number": "imo", "registration_number": "registration_number",
	"company_number": "registration_number", "passport": "passport", "passport_number": "passport",
	"national_id": "national_id", "swift": "swift", "bic": "swift", "identifier": "", "identifiers": "",
}

// headerKey folds a column name for matching: "Company Name", "company-name" and "company_name" are one.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' {
			return '_'
		}
		return r
	}, h)
}

// columnMap is where each role sits in a header: indexes, -1 when absent.
type columnMap struct {
	names                          []int
	id, typ, country, address, dob int
	idents                         []int
	identTypes                     []string
}

// mapColumns resolves the roles in header. A column named in opt that is not there, or no name column at
// all (unless optionalName), is an error listing the columns found.
func mapColumns(file string, header []string, opt ReaderOptions, optionalName bool) (*columnMap, error) {
	idx := map[string]int{}
	for i, h := range header {
		if _, ok := idx[headerKey(h)]; !ok {
			idx[headerKey(h)] = i
		}
	}
	found := func() string {
		return strings.Join(header, ", ")
	}
	missing := func(flag, col string) error {
		return &tradescreen.ParseError{File: file, Line: 1, Field: col,
			Msg: fmt.Sprintf("no column %q for %s in the header (found: %s)", col, flag, found())}
	}
	named := func(flag, col string) (int, error) {
		if col == "" {
			return -1, nil
		}
		if i, ok := idx[headerKey(col)]; ok {
			return i, nil
		}
		return -1, missing(flag, col)
	}
	detect := func(role string) int {
		for _, a := range columnAliases[role] {
			if i, ok := idx[a]; ok {
				return i
			}
		}
		return -1
	}
	m := &columnMap{}
	for _, c := range opt.NameColumns {
		i, err := named("the name", c)
		if err != nil {
			return nil, err
		}
		m.names = append(m.names, i)
	}
	if len(m.names) == 0 {
		if i := detect("name"); i >= 0 {
			m.names = []int{i}
		} else if !optionalName {
			return nil, &tradescreen.ParseError{File: file, Line: 1, Field: "name",
				Msg: fmt.Sprintf("no name column in the header (found: %s); name the column 'name' or map it with --name-column", found())}
		}
	}
	for _, r := range []struct {
		role, flag, col string
		dst             *int
	}{
		{"id", "the id", opt.IDColumn, &m.id}, {"type", "the type", opt.TypeColumn, &m.typ},
		{"country", "the country", opt.CountryColumn, &m.country}, {"address", "the address", opt.AddressColumn, &m.address},
		{"dob", "the date of birth", opt.DOBColumn, &m.dob},
	} {
		i, err := named(r.flag, r.col)
		if err != nil {
			return nil, err
		}
		if r.col == "" {
			i = detect(r.role)
		}
		*r.dst = i
	}
	for i, h := range header {
		if t, ok := identifierColumns[headerKey(h)]; ok {
			if t == "" {
				t = headerKey(h)
			}
			m.idents = append(m.idents, i)
			m.identTypes = append(m.identTypes, t)
		}
	}
	return m, nil
}

// nameColumns are the names of the name columns of header.
func (m *columnMap) nameColumns(header []string) []string {
	var out []string
	for _, i := range m.names {
		out = append(out, header[i])
	}
	return out
}

// fill sets a row's party fields from its record.
func (m *columnMap) fill(row *Row, header, rec []string) {
	get := func(i int) string {
		if i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for k, i := range m.names {
		v := get(i)
		if k == 0 {
			row.Name, row.NameColumn = v, header[i]
		}
		if len(m.names) > 1 {
			row.Names = append(row.Names, Column{header[i], v})
		}
	}
	row.ID, row.Type, row.Country = get(m.id), get(m.typ), get(m.country)
	row.Address, row.BirthDate = get(m.address), get(m.dob)
	for k, i := range m.idents {
		if v := get(i); v != "" {
			row.Identifiers = append(row.Identifiers, tradescreen.Identifier{Type: m.identTypes[k], Number: v})
		}
	}
}

// checkFields makes a row bad when a field is too long or not valid UTF-8.
func checkFields(file string, row *Row) {
	for _, c := range row.Columns {
		if len(c.Value) > MaxFieldLength {
			row.Err = &tradescreen.ParseError{File: file, Line: row.Line, Field: c.Name, Msg: fmt.Sprintf("field longer than %d bytes", MaxFieldLength)}
			return
		}
		if !utf8.ValidString(c.Value) {
			row.Err = &tradescreen.ParseError{File: file, Line: row.Line, Field: c.Name, Msg: "not valid UTF-8 (a damaged row; pass --encoding if the whole file is in another encoding)"}
			return
		}
	}
}

// Decode returns a reader of r's text as UTF-8 and the encoding it used (see ReaderOptions.Encoding). A
// byte-order mark is removed.
func Decode(r io.Reader, encoding string) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	enc := strings.ToLower(strings.ReplaceAll(encoding, "_", "-"))
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) && (enc == "" || enc == "utf-8" || enc == "utf8"):
		br.Discard(3)
		return br, "utf-8 (BOM)", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) && (enc == "" || strings.HasPrefix(enc, "utf-16")):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "utf-16le (BOM)", nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}) && (enc == "" || strings.HasPrefix(enc, "utf-16")):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), "utf-16be (BOM)", nil
	}
	if enc == "" {
		enc = sniff(head)
	}
	switch enc {
	case "utf-8", "utf8":
		return br, "utf-8", nil
	case "utf-16", "utf-16le":
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()), "utf-16le", nil
	case "utf-16be":
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()), "utf-16be", nil
	case "windows-1252", "cp1252":
		return transform.NewReader(br, charmap.Windows1252.NewDecoder()), "windows-1252", nil
	case "latin-1", "latin1", "iso-8859-1":
		return transform.NewReader(br, charmap.ISO8859_1.NewDecoder()), "latin-1", nil
	}
	return nil, "", tradescreen.Errorf(tradescreen.EINVALID, "encoding %q: want one of %s", encoding, strings.Join(Encodings, ", "))
}

// sniff guesses the encoding of text without a BOM from its start: UTF-16 when every other byte is zero,
// Windows-1252 when it has bytes that are not UTF-8 and no multi-byte UTF-8 sequence, else UTF-8 (a few bad
// bytes in a UTF-8 file make bad rows, not a Windows-1252 file).
func sniff(b []byte) string {
	if len(b) >= 4 {
		zeroOdd, zeroEven := 0, 0
		for i := 0; i+1 < len(b) && i < 512; i += 2 {
			if b[i] == 0 {
				zeroEven++
			}
			if b[i+1] == 0 {
				zeroOdd++
			}
		}
		n := min(len(b), 512) / 2
		if zeroOdd > n*3/4 {
			return "utf-16le"
		}
		if zeroEven > n*3/4 {
			return "utf-16be"
		}
	}
	invalid, multi := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			if len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break // cut at the end of the sample
			}
			invalid++
			i++
			continue
		}
		multi++
		i += size
	}
	if invalid > 0 && multi == 0 {
		return "windows-1252"
	}
	return "utf-8"
}

// csvReader reads a CSV file with a header row.
type csvReader struct {
	name     string
	r        *csv.Reader
	header   []string
	cols     *columnMap
	encoding string
}

// NewCSVReader reads CSV with a header row naming at least a name column (name, party_name, company_name,
// customer_name ...), detecting the encoding and the delimiter. name is the file name used in errors.
func NewCSVReader(r io.Reader, name string) (RowReader, error) {
	return NewCSVReaderOptions(r, name, ReaderOptions{})
}

// NewCSVReaderOptions is NewCSVReader with the columns, encoding and delimiter given by opt. Errors are
// ParseErrors: an empty file, a broken header, a column that is not there.
func NewCSVReaderOptions(r io.Reader, name string, opt ReaderOptions) (RowReader, error) {
	text, enc, err := Decode(r, opt.Encoding)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(text, 64<<10)
	delim := opt.Delimiter
	if delim == 0 {
		delim = ','
		if first, err := br.Peek(4096); len(first) > 0 || err == nil {
			line := string(first)
			if i := strings.IndexByte(line, '\n'); i >= 0 {
				line = line[:i]
			}
			best := strings.Count(line, ",")
			for _, d := range []rune{';', '\t', '|'} {
				if n := strings.Count(line, string(d)); n > best {
					best, delim = n, d
				}
			}
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "empty file: a header row with a name column is required"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	cols, err := mapColumns(name, header, opt, false)
	if err != nil {
		return nil, err
	}
	return &csvReader{name: name, r: cr, header: header, cols: cols, encoding: enc}, nil
}

// Encoding is the text encoding the reader uses.
func (c *csvReader) Encoding() string { return c.encoding }

// NameColumns are the header's columns the rows' names are read from.
func (c *csvReader) NameColumns() []string { return c.cols.nameColumns(c.header) }

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line := pe.StartLine
		if line == 0 {
			line = pe.Line
		}
		return &tradescreen.ParseError{File: name, Line: line, Msg: pe.Err.Error()}
	}
	return &tradescreen.ParseError{File: name, Msg: err.Error()}
}

func (c *csvReader) Read() (*Row, error) {
	rec, err := c.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)) {
			// A broken record: reported as a bad row; the reader goes on with the next line.
			line := pe.StartLine
			if line == 0 {
				line = pe.Line
			}
			return &Row{Line: line, Err: &tradescreen.ParseError{File: c.name, Line: line, Msg: pe.Err.Error() + " (broken quoting)"}}, nil
		}
		return nil, csvError(c.name, err)
	}
	line, _ := c.r.FieldPos(0)
	row := &Row{Line: line, Columns: make([]Column, len(c.header))}
	for i, h := range c.header {
		v := ""
		if i < len(rec) {
			v = strings.TrimSpace(rec[i])
		}
		row.Columns[i] = Column{h, v}
	}
	checkFields(c.name, row)
	if row.Err == nil {
		c.cols.fill(row, c.header, rec)
	}
	return row, nil
}

// jsonlReader reads one JSON object per line.
type jsonlReader struct {
	name string
	br   *bufio.Reader
	line int
	opt  ReaderOptions
	err  error
}

// NewJSONLReader reads JSON Lines: one object per line with a "name" and optional "id", "type", "country";
// every other member is carried through. Blank lines are skipped.
func NewJSONLReader(r io.Reader, name string) RowReader {
	return NewJSONLReaderOptions(r, name, ReaderOptions{})
}

// NewJSONLReaderOptions is NewJSONLReader with the members mapped by opt (as columns) and its encoding.
// A line that is not a JSON object is a bad row.
func NewJSONLReaderOptions(r io.Reader, name string, opt ReaderOptions) RowReader {
	text, _, err := Decode(r, opt.Encoding)
	j := &jsonlReader{name: name, opt: opt, err: err}
	if err == nil {
		j.br = bufio.NewReaderSize(text, 64<<10)
	}
	return j
}

// maxLine bounds one JSONL line.
const maxLine = 4 * MaxFieldLength

// readLine returns the next line without its end, and whether it was longer than maxLine (then cut).
func (j *jsonlReader) readLine() ([]byte, bool, error) {
	var buf []byte
	long := false
	for {
		b, err := j.br.ReadSlice('\n')
		if len(buf)+len(b) <= maxLine {
			buf = append(buf, b...)
		} else {
			long = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (len(buf) > 0 || long) && errors.Is(err, io.EOF) {
			return bytes.TrimRight(buf, "\r\n"), long, nil
		}
		if err != nil {
			return nil, false, err
		}
		return bytes.TrimRight(buf, "\r\n"), long, nil
	}
}

func (j *jsonlReader) Read() (*Row, error) {
	if j.err != nil {
		return nil, j.err
	}
	for {
		b, long, err := j.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			return nil, &tradescreen.ParseError{File: j.name, Line: j.line + 1, Err: err}
		}
		j.line++
		if long {
			return &Row{Line: j.line, Err: &tradescreen.ParseError{File: j.name, Line: j.line, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)}}, nil
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		row, err := j.parse(b)
		if err != nil {
			return &Row{Line: j.line, Err: err}, nil
		}
		return row, nil
	}
}

// parse reads one JSONL line into a row, keeping the members in their order.
func (j *jsonlReader) parse(b []byte) (*Row, error) {
	bad := func(field, msg string) error {
		return &tradescreen.ParseError{File: j.name, Line: j.line, Field: field, Msg: msg}
	}
	if !utf8.Valid(b) {
		return nil, bad("", "not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad("", "not a JSON object")
	}
	row := &Row{Line: j.line}
	seen, notString := map[string]bool{}, map[string]bool{}
	var header, rec []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad("", "not a JSON object: "+err.Error())
		}
		k, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, bad(k, "bad value: "+err.Error())
		}
		if seen[k] {
			return nil, bad(k, "member given twice")
		}
		seen[k] = true
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case json.Number:
			s = x.String()
		case nil:
		default:
			bb, _ := json.Marshal(x)
			s = string(bb)
			notString[k] = true
		}
		if _, ok := v.(json.Number); ok {
			notString[k] = true
		}
		if len(s) > MaxFieldLength {
			return nil, bad(k, fmt.Sprintf("longer than %d bytes", MaxFieldLength))
		}
		row.Columns = append(row.Columns, Column{k, s})
		header = append(header, k)
		rec = append(rec, s)
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad("", "not a JSON object: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("", "more than one JSON value on the line (one object per line)")
	}
	// A member named by the options that this object lacks is empty for this row.
	o := j.opt
	keep := func(c string) string {
		if c != "" && indexKey(header, c) < 0 {
			return ""
		}
		return c
	}
	o.IDColumn, o.TypeColumn, o.CountryColumn = keep(o.IDColumn), keep(o.TypeColumn), keep(o.CountryColumn)
	o.AddressColumn, o.DOBColumn = keep(o.AddressColumn), keep(o.DOBColumn)
	o.NameColumns = nil
	for _, n := range j.opt.NameColumns {
		if keep(n) != "" {
			o.NameColumns = append(o.NameColumns, n)
		}
	}
	cols, err := mapColumns(j.name, header, o, true)
	if err != nil {
		return nil, err
	}
	if len(j.opt.NameColumns) > 0 && len(o.NameColumns) == 0 {
		cols.names = nil // the named members are all missing: no name (not a detected one)
	}
	for _, i := range cols.names {
		if notString[header[i]] {
			return nil, bad(header[i], "must be a string")
		}
	}
	cols.fill(row, header, rec)
	if len(j.opt.NameColumns) > 1 && len(row.Names) < len(j.opt.NameColumns) {
		// Keep every mapped name column in order, empty when the object lacks it.
		row.Names = row.Names[:0]
		for _, n := range j.opt.NameColumns {
			v := ""
			if i := indexKey(header, n); i >= 0 {
				v = strings.TrimSpace(rec[i])
			}
			row.Names = append(row.Names, Column{n, v})
		}
		if len(row.Names) > 0 {
			row.Name, row.NameColumn = row.Names[0].Value, row.Names[0].Name
		}
	}
	return row, nil
}

func indexKey(header []string, col string) int {
	for i, h := range header {
		if headerKey(h) == headerKey(col) {
			return i
		}
	}
	return -1
}
