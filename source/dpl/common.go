package dpl

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// maxField bounds the length of one field. The longest real field (a DPL FR_Citation listing every TDO
// renewal) is about 1.6 KB.
const maxField = 32 << 10

// maxErrColumns bounds how many header columns an error message names.
const maxErrColumns = 40

// openFile reads one list file for a reader: directories are refused, gzip is accepted by parse.
func openFile(kind, path string, parse func([]byte, string) (*source.Dataset, error)) (*source.Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "%s: %v", kind, err)
	}
	if st.IsDir() {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "%s: %s is a directory; want the list file", kind, filepath.Base(path))
	}
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(b, filepath.Base(path))
}

// decodeText turns the bytes of a file as given (possibly gzip-compressed) into text and refuses what is
// plainly not a delimited text file: nothing, binary data, an HTML page, XML or JSON. what names the expected
// format in errors.
func decodeText(b []byte, name, what string) (string, error) {
	if len(b) > source.MaxFileSize {
		return "", source.Errorf(name, 0, "", "file too large (%d bytes)", len(b))
	}
	b, err := source.Decompress(b, name)
	if err != nil {
		return "", err
	}
	utf16 := bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
	s, _ := source.ToUTF8(b)
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.ContainsFunc(s, isC1) {
		s = strings.Map(repairC1, s)
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return "", source.Errorf(name, 0, "", "empty file, want %s", what)
	}
	if !utf16 && bytes.IndexByte(b, 0) >= 0 {
		return "", source.Errorf(name, 0, "", "binary data, not %s", what)
	}
	head := t
	if len(head) > 8192 {
		head = head[:8192]
	}
	for _, r := range head {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return "", source.Errorf(name, 0, "", "binary data (control character %#x), not %s", r, what)
		}
	}
	lower := strings.ToLower(head)
	switch {
	case strings.HasPrefix(lower, "<!doctype html"), strings.HasPrefix(lower, "<html"), strings.Contains(lower, "<html") && strings.Contains(lower, "<body"):
		return "", source.Errorf(name, 0, "", "HTML page, not %s (an error page from the download?)", what)
	case strings.HasPrefix(lower, "<"):
		return "", source.Errorf(name, 0, "", "XML document, not %s", what)
	case strings.HasPrefix(lower, "{"), strings.HasPrefix(lower, "["):
		return "", source.Errorf(name, 0, "", "JSON document, not %s", what)
	}
	return s, nil
}

// isC1 reports whether r is a C1 control character (U+0080 to U+009F).
func isC1(r rune) bool { return r >= 0x80 && r < 0xA0 }

// cp1252 holds the characters Windows-1252 puts at 0x80..0x9F.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0xFFFD,
}

// repairC1 undoes a Windows-1252 file converted to UTF-8 as if it were Latin-1: the legacy el.csv writes
// "Sa\u0092id" for "Sa’id". C1 controls never stand for themselves in these lists.
func repairC1(r rune) rune {
	if isC1(r) {
		return cp1252[r-0x80]
	}
	return r
}

// table is a delimited file read into memory: the header and the records with their line numbers.
type table struct {
	name   string
	header []string
	rows   []record
}

// record is one row of a table and the line it starts on.
type record struct {
	line   int
	fields []string
}

// readTable reads delimited text. Quoted fields may hold the delimiter, doubled quotes and line breaks; an
// unterminated quote (a truncated file) is an error naming the line. check validates the header before any
// record is read; when the first line is not even well-formed in this format, check still sees it, read
// leniently, so that a file of another format is reported by the columns it has.
func readTable(s, name string, comma rune, check func(*table) error) (*table, error) {
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = comma
	r.FieldsPerRecord = -1
	t := &table{name: name}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil && t.header == nil {
			first := s
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				first = s[:i]
			}
			lr := csv.NewReader(strings.NewReader(first))
			lr.Comma, lr.LazyQuotes, lr.FieldsPerRecord = comma, true, -1
			if h, herr := lr.Read(); herr == nil {
				t.header = h
				if cerr := check(t); cerr != nil {
					return nil, cerr
				}
			}
			t.header = nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &tradescreen.ParseError{File: name, Line: pe.StartLine, Msg: fmt.Sprintf("malformed record (truncated file?) at line %d column %d", pe.Line, pe.Column), Err: pe.Err}
			}
			return nil, &tradescreen.ParseError{File: name, Msg: "unreadable", Err: err}
		}
		line, _ := r.FieldPos(0)
		for i, f := range rec {
			if len(f) > maxField {
				return nil, source.Errorf(name, line, t.column(i), "field too long (%d bytes, limit %d)", len(f), maxField)
			}
		}
		if t.header == nil {
			t.header = rec
			if err := check(t); err != nil {
				return nil, err
			}
			continue
		}
		t.rows = append(t.rows, record{line: line, fields: rec})
	}
	if t.header == nil {
		return nil, source.Errorf(name, 0, "", "empty file")
	}
	return t, nil
}

// column returns the official name of column i, or "column N" when the header has none.
func (t *table) column(i int) string {
	if i >= 0 && i < len(t.header) && strings.TrimSpace(t.header[i]) != "" {
		return strings.TrimSpace(t.header[i])
	}
	if t.header == nil {
		return ""
	}
	return fmt.Sprintf("column %d", i+1)
}

// foundColumns lists the header as found, for errors.
func foundColumns(h []string) string {
	var b strings.Builder
	for i, c := range h {
		if i == maxErrColumns {
			fmt.Fprintf(&b, ", ... (%d columns)", len(h))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if len(c) > 60 {
			c = c[:60] + "..."
		}
		b.WriteString(strconv.Quote(c))
	}
	if len(h) == 0 {
		return "none"
	}
	return b.String()
}

// columnIndex maps the header names (trimmed, case-insensitive) to positions and checks that every required
// column is present. The error names the missing columns and every column found.
// readCSVTable decodes b, reads it as comma-separated with a header that must name the required columns,
// and requires at least one record. what names the format in errors.
func readCSVTable(b []byte, name, what string, required []string) (*table, map[string]int, error) {
	s, err := decodeText(b, name, what)
	if err != nil {
		return nil, nil, err
	}
	var idx map[string]int
	t, err := readTable(s, name, ',', func(t *table) (err error) {
		idx, err = t.columnIndex(required)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(t.rows) == 0 {
		return nil, nil, source.Errorf(name, 0, "", "no records after the header")
	}
	return t, idx, nil
}

func (t *table) columnIndex(required []string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range t.header {
		k := strings.ToLower(strings.TrimSpace(h))
		if k == "" {
			continue
		}
		if _, dup := idx[k]; !dup {
			idx[k] = i
		}
	}
	var missing []string
	for _, c := range required {
		if _, ok := idx[strings.ToLower(c)]; !ok {
			missing = append(missing, strconv.Quote(c))
		}
	}
	if len(missing) > 0 {
		return nil, source.Errorf(t.name, 1, "", "unexpected header: missing column(s) %s; found columns: %s", strings.Join(missing, ", "), foundColumns(t.header))
	}
	return idx, nil
}

// get returns the value of a named column of a record, "" when the column or the value is absent.
func get(idx map[string]int, fields []string, col string) string {
	i, ok := idx[strings.ToLower(col)]
	if !ok || i >= len(fields) {
		return ""
	}
	return fields[i]
}

// checkWidth verifies that a record has as many fields as the header. Records may be shorter only by
// trailing columns whose header is empty, and longer only by empty values.
func (t *table) checkWidth(rec record) error {
	n, w := len(rec.fields), len(t.header)
	if n == w {
		return nil
	}
	if n < w {
		for i := n; i < w; i++ {
			if strings.TrimSpace(t.header[i]) != "" {
				return source.Errorf(t.name, rec.line, t.column(i), "record has %d fields, want %d (truncated line?)", n, w)
			}
		}
		return nil
	}
	for i := w; i < n; i++ {
		if strings.TrimSpace(rec.fields[i]) != "" {
			return source.Errorf(t.name, rec.line, "", "record has %d fields, want %d", n, w)
		}
	}
	return nil
}

// rawObject renders the official record as a compact JSON object keyed by the official column names in file
// order. For an entry made of several rows, a column whose rows agree holds one string and a column whose rows
// differ holds an array with one value per row, in file order.
func rawObject(header []string, rows [][]string) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	seen := map[string]int{}
	first := true
	width := len(header)
	for _, r := range rows {
		if len(r) > width {
			width = len(r)
		}
	}
	for i := 0; i < width; i++ {
		vals := make([]string, len(rows))
		any, same := false, true
		for j, r := range rows {
			if i < len(r) {
				vals[j] = r[i]
			}
			if vals[j] != "" {
				any = true
			}
			if vals[j] != vals[0] {
				same = false
			}
		}
		key := ""
		if i < len(header) {
			key = strings.TrimSpace(header[i])
		}
		if key == "" {
			if !any {
				continue
			}
			key = fmt.Sprintf("column %d", i+1)
		}
		if n := seen[key]; n > 0 {
			seen[key] = n + 1
			key = fmt.Sprintf("%s (%d)", key, n+1)
		} else {
			seen[key] = 1
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		b.Write(k)
		b.WriteByte(':')
		var v []byte
		if same {
			v, _ = json.Marshal(vals[0])
		} else {
			v, _ = json.Marshal(vals)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return json.RawMessage(b.Bytes())
}

// shortID returns prefix + the first 12 hex digits of the SHA-256 of the parts joined by a unit separator.
func shortID(prefix string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return prefix + hex.EncodeToString(sum[:6])
}

// normKey folds a name for grouping and identifiers: upper case, one space between words.
func normKey(s string) string { return strings.ToUpper(squish(s)) }

// squish trims s and collapses each run of white space to one space.
func squish(s string) string { return strings.Join(strings.Fields(s), " ") }

// appendUnique appends s to list unless empty or already there.
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// addAlias adds a name to the entry unless it is empty or already one of its names (compared folded).
func addAlias(e *tradescreen.Entry, n tradescreen.Name) {
	n.Full = squish(strings.Trim(strings.TrimSpace(n.Full), `"`))
	n.Full = strings.TrimSpace(strings.TrimSuffix(n.Full, ","))
	if n.Full == "" || len([]rune(n.Full)) < 2 {
		return
	}
	k := strings.ToUpper(n.Full)
	if strings.ToUpper(e.Name) == k {
		return
	}
	for _, a := range e.Aliases {
		if strings.ToUpper(a.Full) == k {
			return
		}
	}
	e.Aliases = append(e.Aliases, n)
}

// akaRe finds an alias clause inside a name: "PEARL (A.K.A. NEI-CHIEN CHU) LI", "Chung, Fu Chin (a.k.a.
// Alfred Chung)", "Li Fangwei [also known as Karl Lee]".
var akaRe = regexp.MustCompile(`(?i)\s*[(\[]\s*(a\.?\s?k\.?\s?a\.?|also known as|f\.?\s?k\.?\s?a\.?|formerly known as|n\.?\s?k\.?\s?a\.?|now known as)\s*:?\s*([^)\]]*)[)\]]`)

// slashAKARe splits "FUYI SUN A/K/A FRANK SUN" (and F/K/A, N/K/A).
var slashAKARe = regexp.MustCompile(`(?i)\s+([afn])/k/a\s+`)

// dbaRe splits "SIBERIAN AIRLINES D/B/A S7 AIRLINES".
var dbaRe = regexp.MustCompile(`(?i)\s+(?:d/b/a|d\.b\.a\.|doing business as)\s+`)

// nickRe finds a quoted nickname: `IHSAN MEDHAT "SAMMY" ELASHI`.
var nickRe = regexp.MustCompile(`\s*"([^"]+)"\s*`)

// splitName separates the aliases a list writes inside a name field from the primary name. It returns the
// primary name and the aliases: a.k.a. / f.k.a. clauses (items separated by ";"), "A/K/A" and "d/b/a" names and
// quoted nicknames (the name without the nickname, and the nickname with the last word).
func splitName(full string) (string, []tradescreen.Name) {
	name := squish(full)
	var aliases []tradescreen.Name
	for _, m := range akaRe.FindAllStringSubmatch(name, 4) {
		typ := tradescreen.NameAKA
		switch marker := strings.ToLower(strings.NewReplacer(".", "", " ", "").Replace(m[1])); {
		case strings.HasPrefix(marker, "f"):
			typ = tradescreen.NameFKA
		case strings.HasPrefix(marker, "n"):
			typ = tradescreen.NameNKA
		}
		for _, a := range strings.Split(m[2], ";") {
			aliases = append(aliases, tradescreen.Name{Full: squish(a), Type: typ})
		}
	}
	if stripped := squish(akaRe.ReplaceAllString(name, " ")); stripped != "" {
		name = stripped
	}
	if locs := slashAKARe.FindAllStringSubmatchIndex(name, -1); len(locs) > 0 && locs[0][0] > 0 {
		rest := name
		name = squish(rest[:locs[0][0]])
		for i, l := range locs {
			end := len(rest)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			typ := tradescreen.NameAKA
			switch strings.ToLower(rest[l[2]:l[3]]) {
			case "f":
				typ = tradescreen.NameFKA
			case "n":
				typ = tradescreen.NameNKA
			}
			aliases = append(aliases, tradescreen.Name{Full: squish(rest[l[1]:end]), Type: typ})
		}
	}
	if parts := dbaRe.Split(name, -1); len(parts) > 1 && strings.TrimSpace(parts[0]) != "" {
		name = squish(parts[0])
		for _, p := range parts[1:] {
			aliases = append(aliases, tradescreen.Name{Full: squish(p), Type: tradescreen.NameAKA, Note: "d/b/a"})
		}
	}
	if m := nickRe.FindStringSubmatch(name); m != nil && strings.Count(name, `"`) == 2 {
		without := squish(nickRe.ReplaceAllString(name, " "))
		aliases = append(aliases, tradescreen.Name{Full: without, Type: tradescreen.NameAKA})
		if words := strings.Fields(without); len(words) > 1 {
			aliases = append(aliases, tradescreen.Name{Full: squish(m[1]) + " " + words[len(words)-1], Type: tradescreen.NameAKA, Note: "nickname"})
		}
	}
	return name, aliases
}

// legalForms are the company-form tokens that mark a name as an organization wherever they stand.
var legalForms = map[string]bool{
	"LLC": true, "L.L.C.": true, "L.L.C": true, "INC": true, "INC.": true, "INCORPORATED": true, "LTD": true,
	"LTD.": true, "LIMITED": true, "CORP": true, "CORP.": true, "CORPORATION": true, "COMPANY": true, "CO.": true,
	"GMBH": true, "S.A.": true, "S.A": true, "S.L.": true, "SRL": true, "S.R.L.": true, "SARL": true, "S.A.R.L.": true,
	"B.V.": true, "N.V.": true, "PLC": true, "LLP": true, "PTE": true, "PTE.": true, "PVT": true, "PVT.": true,
	"JSC": true, "OJSC": true, "CJSC": true, "PJSC": true, "OOO": true, "OAO": true, "ZAO": true, "FZE": true,
	"FZCO": true, "FZC": true, "FZ-LLC": true, "S.P.A.": true, "SPA": true, "BHD": true, "BHD.": true, "AG": true,
	"KG": true, "A.S.": true, "LLC.": true, "CO": true,
}

// orgWords are words that, in these lists, only name organizations.
var orgWords = map[string]bool{
	"AIRLINES": true, "AIRLINE": true, "AIRWAYS": true, "AVIATION": true, "INTERNATIONAL": true, "TRADING": true,
	"ENTERPRISE": true, "ENTERPRISES": true, "INDUSTRIES": true, "INDUSTRIAL": true, "INDUSTRY": true,
	"GROUP": true, "SERVICES": true, "SYSTEMS": true, "TECHNOLOGY": true, "TECHNOLOGIES": true,
	"ELECTRONICS": true, "ENGINEERING": true, "MANUFACTURING": true, "SUPPLY": true, "SUPPLIES": true,
	"ASSOCIATES": true, "HOLDINGS": true, "LOGISTICS": true, "SHIPPING": true, "CONSULTING": true,
	"SOLUTIONS": true, "LABORATORIES": true, "LABORATORY": true, "CENTER": true, "CENTRE": true,
	"INSTITUTE": true, "UNIVERSITY": true, "BUREAU": true, "MINISTRY": true, "ORGANIZATION": true,
	"ORGANISATION": true, "AGENCY": true, "DEPARTMENT": true, "FACTORY": true, "PLANT": true, "COMPLEX": true,
	"BANK": true, "COMMITTEE": true, "ACADEMY": true, "CORPS": true, "GOVERNMENT": true, "PARTNERSHIP": true,
	"FOUNDATION": true, "PRODUCTS": true, "MATERIALS": true, "INSTRUMENTS": true, "COMMUNICATIONS": true,
	"AEROSPACE": true, "CHEMICAL": true, "CHEMICALS": true, "EXPORTS": true, "IMPORTS": true, "MARKETING": true,
	"SURPLUS": true, "OFFICE": true, "OFFICES": true, "FORCE": true, "FORCES": true, "FIRM": true,
	"COOPERATIVE": true, "ASSOCIATION": true, "BOARD": true, "ADMINISTRATION": true, "COMMAND": true,
	"AUTHORITY": true, "CORPORATIONS": true, "COMPANIES": true, "DEVELOPMENT": true, "DESIGN": true,
}

// orgKind returns KindOrganization when the name carries a company legal form or a word that only names
// organizations, and KindUnknown otherwise. The lists read here do not say person or company.
func orgKind(name string) tradescreen.Kind {
	for _, w := range strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '(' || r == ')' || r == '[' || r == ']' || r == ';' || r == '/'
	}) {
		if legalForms[w] || orgWords[strings.Trim(w, ".")] || legalForms[strings.TrimSuffix(w, ".")] {
			return tradescreen.KindOrganization
		}
	}
	return tradescreen.KindUnknown
}

// countryFixes maps country spellings of these files that source.CountryCode does not know.
var countryFixes = map[string]string{
	"PRC":       "CN",
	"KONG KONG": "HK", // ISN typo for Hong Kong
}

// countryCode returns the ISO code of a published country, "" when unknown.
func countryCode(s string) string {
	s = squish(s)
	if c, ok := countryFixes[strings.ToUpper(s)]; ok {
		return c
	}
	return source.CountryCode(s)
}

// usStates are the US state and territory postal codes; a DPL row with an empty Country but one of these in
// State is a US address.
var usStates = map[string]bool{}

func init() {
	for _, s := range strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP") {
		usStates[s] = true
	}
}

// joinNonEmpty joins the non-empty trimmed parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = squish(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// normDate normalizes a full date to YYYY-MM-DD and keeps anything else as published (trimmed).
func normDate(s string) string { return source.NormDate(squish(s)) }

// isoDate reports whether s is a YYYY-MM-DD date.
func isoDate(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// frRe finds one Federal Register citation: "68 F.R. 38290", "80 F.R 17724", "81.F.R. 22575", "86 FR. 66277",
// "F.R. 30823" (no volume) and, after the page, the publication date if written.
var frRe = regexp.MustCompile(`(?i)(?:\b(\d{1,3})\s*\.?\s*)?\bF\.?\s?R\.?\s*(\d{1,6})(/?)(?:\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\b)?`)

// frCitations extracts the Federal Register citations of a field and normalizes each to "68 FR 38290". A
// citation written without its volume ("F.R. 30823 7/3/2017") gets the volume of the year of its date (the
// Federal Register's volume N is the year 1935+N). Text holding no citation gives nil.
func frCitations(s string) []string {
	var out []string
	for _, m := range frRe.FindAllStringSubmatch(s, -1) {
		if m[3] == "/" { // "72 F.R. 1/30/07": a date, not a page
			continue
		}
		vol, page := m[1], strings.TrimLeft(m[2], "0")
		if page == "" {
			continue
		}
		if vol == "" && m[6] != "" {
			if y := fullYear(m[6], 0); y > 1935 {
				vol = strconv.Itoa(y - 1935)
			}
		}
		c := "FR " + page
		if vol != "" {
			c = strings.TrimLeft(vol, "0") + " " + c
		}
		out = appendUnique(out, c)
	}
	return out
}

// fullYear reads a 2- or 4-digit year. A 2-digit year takes the century that matches the Federal Register
// volume vol when given (volume N is the year 1935+N), else 19xx from 69 and 20xx below.
func fullYear(y string, vol int) int {
	n, err := strconv.Atoi(y)
	if err != nil {
		return 0
	}
	if len(y) == 4 {
		return n
	}
	if len(y) != 2 {
		return 0
	}
	if vol > 0 && (vol+1935)%100 == n {
		return vol + 1935
	}
	if n >= 69 {
		return 1900 + n
	}
	return 2000 + n
}

// mdyDate turns M/D/YY or M/D/YYYY into YYYY-MM-DD, "" when it is not a valid date.
func mdyDate(m, d, y string, vol int) string {
	yy := fullYear(y, vol)
	mm, err1 := strconv.Atoi(m)
	dd, err2 := strconv.Atoi(d)
	if yy == 0 || err1 != nil || err2 != nil {
		return ""
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return ""
	}
	return t.Format("2006-01-02")
}

// latest returns the latest YYYY-MM-DD date of dates, ignoring values that are not full dates.
func latest(dates []string) string {
	max := ""
	for _, d := range dates {
		if _, ok := isoDate(d); ok && d > max {
			max = d
		}
	}
	return max
}

// dataset builds the Dataset of one list file.
func dataset(code, kind, name string, given []byte, published, note string, entries []tradescreen.Entry) *source.Dataset {
	return &source.Dataset{
		Lists: []tradescreen.ListVersion{{
			Source:        code,
			Published:     published,
			PublishedNote: note,
			Entries:       len(entries),
			Names:         source.CountNames(entries),
			Origin:        name,
			Format:        kind,
			SHA256:        source.SHA256(given),
		}},
		Entries: entries,
	}
}

// sortedKeys returns the keys of m sorted.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sourceURL returns the list's page from the list registry.
func sourceURL(code string) string {
	s, _ := tradescreen.LookupSource(code)
	return s.URL
}
