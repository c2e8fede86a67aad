package ownership

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// ReadCSV reads the simple ownership CSV: a header row, then one relationship per row. Columns (any order,
// case-insensitive): owner, owned, percentage (required); owner_id, owned_id (an identifier, "LEI:5493..." or
// "us_el/<source_id>" or a bare number), owner_country, owned_country, owner_type, owned_type (person or
// organization), start_date, end_date (YYYY-MM-DD), relationship (ownership or control). The percentage is
// 0..100 with an optional "%", a range "25-50", or empty for unknown; a fraction like 0.5 is read as 0.5 %.
// A row with an empty owned column only declares the owner (names an identifier, such as a GLEIF LEI).
// Errors are *tradescreen.ParseError naming the file, line and column.
func ReadCSV(r io.Reader, name string) (*Graph, error) {
	cr := csv.NewReader(source.LimitReader(r, name, 1<<30))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, source.Errorf(name, 1, "", "empty file: want a header with owner, owned, percentage")
		}
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "read header", Err: err}
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		col[h] = i
	}
	for _, req := range []string{"owner", "owned", "percentage"} {
		if _, ok := col[req]; !ok {
			return nil, source.Errorf(name, 1, req, "missing column (the header needs owner, owned, percentage)")
		}
	}
	g := NewGraph()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &tradescreen.ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
			}
			return nil, &tradescreen.ParseError{File: name, Err: err}
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		owner, err := csvParty(name, line, "owner", get)
		if err != nil {
			return nil, err
		}
		oid := g.AddParty(owner)
		if get("owned") == "" && get("owned_id") == "" {
			continue
		}
		owned, err := csvParty(name, line, "owned", get)
		if err != nil {
			return nil, err
		}
		did := g.AddParty(owned)
		if oid == did {
			return nil, source.Errorf(name, line, "owned", "owner and owned are the same party")
		}
		l := Link{Owner: oid, Owned: did, Origin: name + " line " + strconv.Itoa(line)}
		rel := strings.ToLower(get("relationship"))
		switch rel {
		case "", "ownership", "owner", "shareholding", "equity":
		case "control", "controls", "consolidation":
			l.Control = true
		default:
			return nil, source.Errorf(name, line, "relationship", "%q is not ownership or control", get("relationship"))
		}
		l.Min, l.Max, err = parseShare(get("percentage"))
		if err != nil {
			return nil, source.Errorf(name, line, "percentage", "%v", err)
		}
		if l.Start, err = parseDate(get("start_date")); err != nil {
			return nil, source.Errorf(name, line, "start_date", "%v", err)
		}
		if l.End, err = parseDate(get("end_date")); err != nil {
			return nil, source.Errorf(name, line, "end_date", "%v", err)
		}
		if err := g.AddLink(l); err != nil {
			return nil, source.Errorf(name, line, "", "%s", tradescreen.ErrorMessage(err))
		}
	}
	return g, nil
}

func csvParty(file string, line int, side string, get func(string) string) (Party, error) {
	p := Party{Name: get(side)}
	if t := get(side + "_type"); t != "" {
		p.Kind = tradescreen.ParseKind(t)
		if p.Kind == tradescreen.KindUnknown {
			return p, source.Errorf(file, line, side+"_type", "%q is not person or organization", t)
		}
	}
	if c := get(side + "_country"); c != "" {
		p.Country = source.CountryCode(c)
		if p.Country == "" {
			return p, source.Errorf(file, line, side+"_country", "%q is not an ISO 3166 country code or name", c)
		}
	}
	for _, v := range strings.Split(get(side+"_id"), ";") {
		if v = strings.TrimSpace(v); v != "" {
			p.Identifiers = append(p.Identifiers, parseIdentifier(v))
		}
	}
	if p.Name == "" && len(p.Identifiers) == 0 {
		return p, source.Errorf(file, line, side, "empty: give a name or %s_id", side)
	}
	return p, nil
}

// parseIdentifier reads "LEI:5493001KJTIIGC8Y1R12", "us_el/f85aef98..." (a list entry) or a bare number.
func parseIdentifier(v string) tradescreen.Identifier {
	if src, id, ok := strings.Cut(v, "/"); ok {
		if _, known := tradescreen.LookupSource(src); known && id != "" {
			return tradescreen.Identifier{Type: EntryScheme, Number: v}
		}
	}
	if t, n, ok := strings.Cut(v, ":"); ok && t != "" && n != "" && !strings.Contains(t, " ") {
		return tradescreen.Identifier{Type: strings.ToUpper(t), Number: strings.TrimSpace(n)}
	}
	return tradescreen.Identifier{Type: "ID", Number: v}
}

// EntryScheme is the identifier type that names a list entry directly: Number is "us_el/<source_id>".
const EntryScheme = "ENTRY"

// parseShare reads "50", "50 %", "49.9%", "25-50", "" (unknown: 0..100).
func parseShare(s string) (float64, float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, 100, nil
	}
	if a, b, ok := strings.Cut(s, "-"); ok && a != "" {
		lo, err1 := parsePercent(a)
		hi, err2 := parsePercent(b)
		if err1 != nil || err2 != nil || lo > hi {
			return 0, 0, errors.New("want a percentage 0..100 or a range such as 25-50, got " + strconv.Quote(s))
		}
		return lo, hi, nil
	}
	v, err := parsePercent(s)
	if err != nil {
		return 0, 0, err
	}
	return v, v, nil
}

func parsePercent(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || v < 0 || v > 100 || v != v {
		return 0, errors.New("want a percentage 0..100, got " + strconv.Quote(s))
	}
	return v, nil
}

// parseDate accepts YYYY-MM-DD and an RFC 3339 timestamp (its date is kept); empty stays empty.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) >= 10 {
		d := s[:10]
		if validDate(d) && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
			return d, nil
		}
	}
	return "", errors.New("want a date YYYY-MM-DD, got " + strconv.Quote(s))
}

func validDate(d string) bool {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return false
	}
	for i, c := range []byte(d) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	m, _ := strconv.Atoi(d[5:7])
	day, _ := strconv.Atoi(d[8:10])
	return m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// sniff returns the first non-space byte of b.
func sniff(b []byte) byte {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
