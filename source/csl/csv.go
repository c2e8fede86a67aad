package csl

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// columns are the official consolidated.csv column names. The older layout (to about 2020) has no _id
// column; the columns are mapped by name, so their order does not matter.
var columns = []string{
	"_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
	"start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign",
	"vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks",
	"source_list_url", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
	"source_information_url", "ids",
}

// requiredColumns must be in every CSL header.
var requiredColumns = []string{"source", "name"}

// csvRow is one data row and the line it starts on.
type csvRow struct {
	line   int
	fields []string
}

// readCSV reads consolidated.csv text into records.
func readCSV(text, name string) ([]*record, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(text, name, nil, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if err := checkHeader(header, name); err != nil {
		return nil, err
	}
	var rows []csvRow
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(text, name, header, err)
		}
		line, _ := cr.FieldPos(0)
		if isHeader(fields, header) {
			continue // the header repeated inside the file (a concatenation quirk)
		}
		if len(fields) != len(header) {
			field := ""
			if len(fields) < len(header) {
				field = header[len(fields)]
				if _, next := cr.Read(); errors.Is(next, io.EOF) && !strings.HasSuffix(text, "\n") {
					return nil, source.Errorf(name, line, header[len(fields)-1], "truncated file: the last record ends after %d of the %d columns", len(fields), len(header))
				}
			}
			return nil, source.Errorf(name, line, field, "record has %d fields, the header has %d (truncated or malformed row)", len(fields), len(header))
		}
		for i, f := range fields {
			if len(f) > maxField {
				return nil, source.Errorf(name, line, header[i], "field longer than %d bytes", maxField)
			}
		}
		if len(rows) >= maxRecords {
			return nil, source.Errorf(name, line, "", "more than %d records", maxRecords)
		}
		rows = append(rows, csvRow{line: line, fields: fields})
	}
	if len(rows) == 0 {
		return nil, source.Errorf(name, 0, "", "no records: the file has a header but no data rows")
	}

	col := make(map[string]int, len(header))
	for i, h := range header {
		col[h] = i
	}
	get := func(row []string, c string) string {
		if i, ok := col[c]; ok {
			return row[i]
		}
		return ""
	}
	typeFirst := idsTypeFirst(rows, col)
	recs := make([]*record, 0, len(rows))
	for _, row := range rows {
		f := row.fields
		r := &record{
			Line:                   row.line,
			ID:                     get(f, "_id"),
			Source:                 get(f, "source"),
			EntityNumber:           get(f, "entity_number"),
			Type:                   get(f, "type"),
			Programs:               splitSemi(get(f, "programs")),
			Name:                   get(f, "name"),
			Title:                  get(f, "title"),
			FederalRegisterNotice:  get(f, "federal_register_notice"),
			StartDate:              get(f, "start_date"),
			EndDate:                get(f, "end_date"),
			StandardOrder:          get(f, "standard_order"),
			LicenseRequirement:     get(f, "license_requirement"),
			LicensePolicy:          get(f, "license_policy"),
			CallSign:               get(f, "call_sign"),
			VesselType:             get(f, "vessel_type"),
			GrossTonnage:           get(f, "gross_tonnage"),
			GrossRegisteredTonnage: get(f, "gross_registered_tonnage"),
			VesselFlag:             get(f, "vessel_flag"),
			VesselOwner:            get(f, "vessel_owner"),
			Remarks:                get(f, "remarks"),
			SourceListURL:          get(f, "source_list_url"),
			Citizenships:           splitSemi(get(f, "citizenships")),
			DatesOfBirth:           splitSemi(get(f, "dates_of_birth")),
			Nationalities:          splitSemi(get(f, "nationalities")),
			PlacesOfBirth:          splitSemi(get(f, "places_of_birth")),
			SourceInformationURL:   get(f, "source_information_url"),
			Raw:                    rawCSV(header, f),
		}
		if a := strings.TrimSpace(get(f, "alt_names")); a != "" {
			r.AltNames = []string{a} // split by splitAltNames, which knows the "and "/"-" forms
		}
		for _, a := range splitSemi(get(f, "addresses")) {
			r.Addresses = append(r.Addresses, recAddress{Full: a})
		}
		r.IDs = parseCSVIDs(get(f, "ids"), typeFirst)
		recs = append(recs, r)
	}
	return recs, nil
}

// checkHeader rejects a header that is not a CSL header, naming the columns found.
func checkHeader(header []string, name string) error {
	seen := map[string]bool{}
	for _, h := range header {
		if h != "" && seen[h] {
			return source.Errorf(name, 1, h, "column %q appears twice in the header", h)
		}
		seen[h] = true
	}
	var missing []string
	for _, c := range requiredColumns {
		if !seen[c] {
			missing = append(missing, c)
		}
	}
	if !seen["_id"] && !seen["entity_number"] {
		missing = append(missing, "_id or entity_number")
	}
	if len(missing) > 0 {
		found := make([]string, 0, len(header))
		for _, h := range header {
			found = append(found, "\""+clip(h)+"\"")
			if len(found) == 40 {
				found = append(found, "...")
				break
			}
		}
		return source.Errorf(name, 1, "", "not a Consolidated Screening List header: missing column %s; columns found: %s (expected: %s)",
			strings.Join(missing, ", "), strings.Join(found, ", "), strings.Join(columns, ","))
	}
	return nil
}

func isHeader(fields, header []string) bool {
	if len(fields) != len(header) {
		return false
	}
	for i := range fields {
		if strings.TrimSpace(fields[i]) != header[i] {
			return false
		}
	}
	return true
}

// csvError turns an encoding/csv error into a ParseError with the line and the column (field) it is in.
func csvError(text, name string, header []string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		if errors.Is(err, io.EOF) {
			return source.Errorf(name, 0, "", "empty file")
		}
		return &tradescreen.ParseError{File: name, Msg: "malformed CSV", Err: err}
	}
	field := ""
	if header != nil {
		if i := fieldIndexAt(text, pe.StartLine, pe.Line, pe.Column); i >= 0 && i < len(header) {
			field = header[i]
		}
	}
	msg := "malformed CSV"
	if errors.Is(pe.Err, csv.ErrQuote) && endsInsideQuote(text, pe) {
		msg = "truncated file: a quoted field is still open at the end of the file"
	} else if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
		msg = "malformed CSV: unbalanced quotes"
	}
	return &tradescreen.ParseError{File: name, Line: pe.StartLine, Field: field, Msg: msg, Err: pe.Err}
}

// endsInsideQuote reports whether the csv error was hit at the end of the text: a quoted field still open
// when the file ends.
func endsInsideQuote(text string, pe *csv.ParseError) bool {
	off, ln := 0, 1
	for ln < pe.Line {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			return true
		}
		off += j + 1
		ln++
	}
	return off+pe.Column-1 >= len(strings.TrimRight(text, "\r\n"))
}

// fieldIndexAt counts the field separators outside quotes from the start of line startLine to (line, col),
// giving the index of the field the error is in; -1 when the position cannot be found.
func fieldIndexAt(text string, startLine, line, col int) int {
	ln, i := 1, 0
	for ln < startLine && i < len(text) {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		ln++
	}
	idx, inQuote, c := 0, false, 1
	for ; i < len(text); i++ {
		if ln > line || (ln == line && c >= col) {
			break
		}
		switch text[i] {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				idx++
			}
		case '\n':
			ln++
			c = 0
		}
		c++
	}
	return idx
}

// rawCSV renders the row as a compact JSON object keyed by the header's column names, in header order,
// leaving out empty columns.
func rawCSV(header, fields []string) json.RawMessage {
	n := 2
	for _, f := range fields {
		n += len(f) + 24
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	first := true
	for i, f := range fields {
		if strings.TrimSpace(f) == "" || i >= len(header) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, header[i])
		b = append(b, ':')
		b = appendJSONString(b, f)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string (s is valid UTF-8: the text went through source.ToUTF8).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// splitSemi splits a "; "-joined CSV list and drops empty items.
func splitSemi(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
		if len(out) >= maxItems {
			break
		}
	}
	return out
}

// The ids column joins the identifiers with "; " and the parts of one identifier with ", ", in one of two
// orders (observed in the real files):
//
//   - type last (2019 and 2022 files): "[CC, ][expiration, ][issue, ]number, type", e.g. "CN,
//     91330000733796106P, Unified Social Credit Code (USCC)", "JO, 2014-08-30, 2009-08-31, K475336,
//     Passport" (the SDN entry says issued 31 Aug 2009, expires 30 Aug 2014), "Male, Gender";
//   - type first (2023 and 2025 files): "type, number[, CC][, issue[, expiration]]", e.g. "Passport,
//     836238033, KP", "Passport, E590976, TN, 19 Jun 1987, 18 Jun 1992", "Gender, Male".
//
// Numbers may themselves contain ", " ("Secondary sanctions risk:, North Korea Sanctions Regulations,
// sections 510.201 and 510.210"). When only one date is given, the CSV does not say whether it is the issue
// or the expiry date (the SDN entries show both cases), so it goes to the identifier's Note.
var dmyRe = regexp.MustCompile(`^\d{1,2} [A-Z][a-z]{2} \d{4}$`)

func isIDDate(s string) bool { return isFullDate(s) || dmyRe.MatchString(s) }

func isCC(s string) bool { return len(s) == 2 && isUpperASCII(s) }

// idsTypeFirst decides the order of the ids parts for the whole file by the items whose order is evident.
func idsTypeFirst(rows []csvRow, col map[string]int) bool {
	i, ok := col["ids"]
	if !ok {
		return false
	}
	first, last := 0, 0
	for _, row := range rows {
		for _, item := range strings.Split(row.fields[i], "; ") {
			parts := strings.Split(strings.TrimSpace(item), ", ")
			n := len(parts)
			if n < 2 {
				continue
			}
			p0, pn := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[n-1])
			switch {
			case n >= 3 && isCC(p0), isIDDate(p0) && n >= 3, strings.HasSuffix(pn, ":"), pn == "Gender":
				last++
			case n >= 3 && isCC(pn), isIDDate(pn) && n >= 3, strings.HasSuffix(p0, ":"), p0 == "Gender":
				first++
			}
		}
	}
	return first > last
}

// parseCSVIDs splits the ids column; see idsTypeFirst for the two orders.
func parseCSVIDs(s string, typeFirst bool) []recID {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var out []recID
	for _, item := range strings.Split(s, "; ") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if len(out) >= maxItems {
			break
		}
		parts := strings.Split(item, ", ")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		if len(parts) == 1 {
			out = append(out, recID{Number: item})
			continue
		}
		var id recID
		var dates []string
		if typeFirst {
			id.Type = parts[0]
			rest := parts[1:]
			for len(rest) > 1 && isIDDate(rest[len(rest)-1]) && len(dates) < 2 {
				dates = append([]string{rest[len(rest)-1]}, dates...)
				rest = rest[:len(rest)-1]
			}
			if len(rest) > 1 && isCC(rest[len(rest)-1]) {
				id.Country = rest[len(rest)-1]
				rest = rest[:len(rest)-1]
			}
			id.Number = strings.Join(rest, ", ")
			if len(dates) == 2 {
				id.IssueDate, id.ExpirationDate = dates[0], dates[1]
			}
		} else {
			id.Type = parts[len(parts)-1]
			rest := parts[:len(parts)-1]
			if len(rest) > 1 && isCC(rest[0]) {
				id.Country = rest[0]
				rest = rest[1:]
			}
			for len(rest) > 1 && isIDDate(rest[0]) && len(dates) < 2 {
				dates = append(dates, rest[0])
				rest = rest[1:]
			}
			id.Number = strings.Join(rest, ", ")
			if len(dates) == 2 {
				id.ExpirationDate, id.IssueDate = dates[0], dates[1]
			}
		}
		if len(dates) == 1 {
			id.Note = "date " + source.NormDate(dates[0]) + " (the CSL CSV does not say whether it is the issue or the expiry date)"
		}
		out = append(out, id)
	}
	return out
}
