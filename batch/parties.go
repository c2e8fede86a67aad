package batch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// ReadPartiesFile reads the parties file at path (ReadParties, in the format FormatOf its name calls for)
// and returns the audit description of the file ("customers.csv sha256 ..."). Errors: reading the file,
// and ReadParties'.
func ReadPartiesFile(path string) ([]tradescreen.Party, string, error) {
	b, sum, err := source.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	name := filepath.Base(path)
	out, err := ReadParties(b, name, FormatOf(path))
	if err != nil {
		return nil, "", err
	}
	return out, name + " sha256 " + sum, nil
}

// ReadParties reads a parties file for the parties register (`parties import`, POST /v1/parties): CSV,
// JSON Lines or XLSX (format "csv", "jsonl" or "xlsx"), with the batch readers' column mapping. An id column
// (id, party_id, customer_id, account ...) and a name column are required; type, country and date_of_birth
// (or dob) are screened when present; the other columns are kept as the party's Extra. name names the file
// in errors. Errors: *tradescreen.ParseError naming the line and field of the first bad row, or the file
// without parties.
func ReadParties(b []byte, name, format string) ([]tradescreen.Party, error) {
	var r RowReader
	var err error
	switch format {
	case "jsonl":
		r = NewJSONLReader(bytes.NewReader(b), name)
	case "xlsx":
		r, err = NewXLSXReader(bytes.NewReader(b), name)
	case "csv":
		r, err = NewCSVReader(bytes.NewReader(b), name)
	default:
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "format: %q is not csv, jsonl or xlsx", format)
	}
	if err != nil {
		return nil, err
	}
	var out []tradescreen.Party
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		p, err := PartyOf(name, row)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, &tradescreen.ParseError{File: name, Msg: "no parties in the file"}
	}
	return out, nil
}

// partyDOB are the column names read as a party's date of birth, lower-cased.
var partyDOB = []string{"date_of_birth", "dob", "birth_date", "birthdate"}

// PartyOf makes a party of a row of a parties file, checking its id, name, type, country and date of birth.
// Errors: *tradescreen.ParseError naming the row's line and the field.
func PartyOf(file string, row *Row) (tradescreen.Party, error) {
	bad := func(field, format string, args ...any) error {
		return &tradescreen.ParseError{File: file, Line: row.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	p := tradescreen.Party{ID: strings.TrimSpace(row.ID), Name: strings.TrimSpace(row.Name)}
	if p.ID == "" {
		return p, bad("id", "a party id is required (a column id, party_id, customer_id, account ...)")
	}
	if p.Name == "" {
		return p, bad("name", "a name is required")
	}
	if len(p.Name) > screen.MaxNameLength {
		return p, bad("name", "longer than %d bytes", screen.MaxNameLength)
	}
	if row.Type != "" {
		p.Kind = tradescreen.ParseKind(row.Type)
		if p.Kind == tradescreen.KindUnknown && !strings.EqualFold(row.Type, "unknown") {
			return p, bad("type", "%q is not person, organization, vessel or aircraft", row.Type)
		}
	}
	if row.Country != "" {
		p.Country = source.CountryCode(row.Country)
		if p.Country == "" {
			return p, bad("country", "%q is not an ISO 3166 country code or name", row.Country)
		}
	}
	used := map[string]bool{}
	take := func(role, want, v string) bool {
		if used[role] || want == "" || v != want {
			return false
		}
		used[role] = true
		return true
	}
	for _, c := range row.Columns {
		v := strings.TrimSpace(c.Value)
		if v == "" || take("id", p.ID, v) || take("name", p.Name, v) || take("type", strings.TrimSpace(row.Type), v) || take("country", strings.TrimSpace(row.Country), v) {
			continue
		}
		if slices.Contains(partyDOB, strings.ToLower(strings.TrimSpace(c.Name))) {
			q := tradescreen.Query{Name: p.Name, BirthDate: v}
			if err := screen.Validate(&q); err != nil {
				return p, bad(c.Name, "%q is not YYYY, YYYY-MM or YYYY-MM-DD", v)
			}
			p.BirthDate = v
			continue
		}
		if p.Extra == nil {
			p.Extra = map[string]string{}
		}
		p.Extra[c.Name] = v
	}
	return p, nil
}
