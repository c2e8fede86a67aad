// Package ownlist reads an organisation's own lists and applies them:
//
//   - the internal restricted list (list code own_restricted): parties the organisation refuses to deal with,
//     by name, address or identifier. It becomes a dataset like any official list and is screened with the
//     same engine, shown as "Internal list".
//   - the allow list (own_allow): reviewed look-alikes. Each row names a screened name (or a party id of the
//     parties register) and one listed entry (us_el/12345) that a person reviewed and found not to be that
//     party. The allow list is never screened; it marks exactly that pairing in a screening result as
//     "allowed: reviewed look-alike (reason, who, when)". A marked match is never dropped from a result:
//     it stays visible with its mark, so an exact name match is never hidden.
//
// Both lists are CSV files (RFC 4180, UTF-8, a header, columns by name; see RestrictedColumns and
// AllowColumns; a header with no rows empties a list) or the same rows as JSON (FromJSON). Each import is stored as a new version in the data
// directory by package history, so the lists have a history and entry-level diffs like the official ones.
// This package does no I/O.
package ownlist

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
	"github.com/tradescreen/tradescreen/normalize"
	"github.com/tradescreen/tradescreen/source"
)

// The list codes (also the history feeds and reader kinds of their stored versions).
const (
	Restricted = "own_restricted"
	Allow      = "own_allow"
)

// AuditImport is the audit action recorded for each import of an own list.
const AuditImport = "ownlist.import"

// AllowedPrefix starts the note an allowance adds to a match's explanation adjustments.
const AllowedPrefix = "allowed: reviewed look-alike"

// Limits against broken or hostile input.
const (
	MaxFileSize  = 16 << 20 // one file, after decompression
	MaxRows      = 100000
	maxFieldSize = 16 << 10
)

// Column is one CSV column of an own list.
type Column struct {
	Name     string
	Required bool
	Help     string
}

// RestrictedColumns are the columns of the internal restricted list, in export order.
var RestrictedColumns = []Column{
	{"id", true, "your reference for the party: unique in the file and kept from one import to the next (letters, digits, - _ . : /)"},
	{"name", true, "the party's name"},
	{"kind", false, "person, organization, vessel or aircraft (blank: unknown)"},
	{"aliases", false, "other names, separated by ;"},
	{"address", false, "a postal address, as one line"},
	{"country", false, "ISO 3166-1 alpha-2 code or a country name"},
	{"identifiers", false, "TYPE:NUMBER pairs separated by ; (e.g. \"VAT:DE123456789; DUNS:123456789\"); a bare number is an id"},
	{"reason", false, "why the organisation does not deal with the party"},
	{"added_on", false, "YYYY-MM-DD: when it was put on the list"},
	{"added_by", false, "who put it on the list"},
	{"note", false, "anything else"},
}

// AllowColumns are the columns of the allow list, in export order.
var AllowColumns = []Column{
	{"id", false, "your reference for the row (default: derived from name, party_id and entry)"},
	{"name", false, "the screened name the allowance covers (name or party_id is required)"},
	{"party_id", false, "the id of a party in the parties register the allowance covers"},
	{"entry", true, "the listed entry reviewed, as LIST/ID (e.g. us_el/f095626c...; the entry key tradescreen shows)"},
	{"reason", true, "why the party is not the listed one"},
	{"reviewed_by", true, "who reviewed it"},
	{"reviewed_on", true, "YYYY-MM-DD: when it was reviewed"},
}

// Columns returns the columns of the list with code (Restricted or Allow).
func Columns(code string) []Column {
	if code == Allow {
		return AllowColumns
	}
	return RestrictedColumns
}

// Code returns the list code a list name stands for: "restricted" or "own_restricted" is Restricted, "allow"
// or "own_allow" is Allow. Errors are EINVALID.
func Code(name string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "restricted", Restricted:
		return Restricted, nil
	case "allow", Allow:
		return Allow, nil
	}
	return "", tradescreen.Errorf(tradescreen.EINVALID, "list: %q is not an own list (want restricted or allow)", name)
}

// Short returns the short name of a list code: "restricted" or "allow".
func Short(code string) string { return strings.TrimPrefix(code, "own_") }

// RestrictedParty is one row of the internal restricted list.
type RestrictedParty struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Address     string   `json:"address,omitempty"`
	Country     string   `json:"country,omitempty"`
	Identifiers []string `json:"identifiers,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	AddedOn     string   `json:"added_on,omitempty"`
	AddedBy     string   `json:"added_by,omitempty"`
	Note        string   `json:"note,omitempty"`
	// Line is the row's line in the file it was read from.
	Line int `json:"line,omitempty"`
}

// Allowance is one row of the allow list: the pairing of a screened name (or party id) with a listed entry
// that a person reviewed and found not to be the same party.
type Allowance struct {
	ID         string `json:"id"`
	Name       string `json:"name,omitempty"`
	PartyID    string `json:"party_id,omitempty"`
	Entry      string `json:"entry"`
	Reason     string `json:"reason"`
	ReviewedBy string `json:"reviewed_by"`
	ReviewedOn string `json:"reviewed_on"`
	Line       int    `json:"line,omitempty"`
}

// Note is the mark a match covered by the allowance shows: "allowed: reviewed look-alike (REASON; reviewed by WHO on
// WHEN; allow-list row ID)".
func (a *Allowance) Note() string {
	return fmt.Sprintf("%s (%s; reviewed by %s on %s; allow-list row %s)", AllowedPrefix, a.Reason, a.ReviewedBy, a.ReviewedOn, a.ID)
}

// Allowed is how results name the allowance that covers a match: why the party is not the listed one, who
// reviewed it, when, and the allow-list row. Every covered match carries it (tradescreen.Match.Allowed), and
// an order decision on each reason of kind "allowed".
type Allowed = tradescreen.Allowed

// Allowed returns the allowance as results show it; nil for a nil allowance.
func (a *Allowance) Allowed() *Allowed {
	if a == nil {
		return nil
	}
	return &Allowed{Reason: a.Reason, Reviewer: a.ReviewedBy, Date: a.ReviewedOn, Row: a.ID}
}

var (
	dateRe  = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`)
	idRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:/-]*$`)
	entryRe = regexp.MustCompile(`^([a-z0-9_]+)/(\S+)$`)
)

// row is one CSV record by column name, with its line.
type row struct {
	line   int
	values map[string]string
}

func (r row) get(c string) string { return strings.TrimSpace(r.values[c]) }

// readCSV reads a CSV file with a header into rows, checking the columns against cols: a required column
// missing, an unknown column or a column named twice is an error (a typo in a column name would otherwise
// drop its data silently).
func readCSV(b []byte, name string, cols []Column) ([]row, error) {
	raw, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFileSize {
		return nil, source.Errorf(name, 0, "", "file too large (over %d bytes)", MaxFileSize)
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, source.Errorf(name, 0, "", "binary data, not a CSV file")
	}
	text, _ := source.ToUTF8(raw)
	if strings.TrimSpace(text) == "" {
		return nil, source.Errorf(name, 0, "", "empty file: want a header line (%s) and one row per party", columnNames(cols))
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.Name] = true
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		header[i] = h
		if !known[h] {
			return nil, source.Errorf(name, 1, h, "unknown column (the columns are: %s)", columnNames(cols))
		}
		if _, dup := index[h]; dup {
			return nil, source.Errorf(name, 1, h, "column named twice")
		}
		index[h] = i
	}
	for _, c := range cols {
		if _, ok := index[c.Name]; c.Required && !ok {
			return nil, source.Errorf(name, 1, c.Name, "missing required column (found: %s)", strings.Join(header, ", "))
		}
	}
	var out []row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			return nil, source.Errorf(name, line, "", "%d fields, the header has %d", len(rec), len(header))
		}
		if len(out) == MaxRows {
			return nil, source.Errorf(name, line, "", "more than %d rows", MaxRows)
		}
		rw := row{line: line, values: map[string]string{}}
		for i, v := range rec {
			if len(v) > maxFieldSize {
				return nil, source.Errorf(name, line, header[i], "longer than %d bytes", maxFieldSize)
			}
			if strings.ContainsAny(v, "\x00") {
				return nil, source.Errorf(name, line, header[i], "contains a NUL byte")
			}
			rw.values[header[i]] = v
		}
		out = append(out, rw)
	}
	return out, nil
}

func columnNames(cols []Column) string {
	var n []string
	for _, c := range cols {
		n = append(n, c.Name)
	}
	return strings.Join(n, ", ")
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &tradescreen.ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error(), Err: err}
	}
	return &tradescreen.ParseError{File: name, Msg: "cannot read CSV", Err: err}
}

// ParseRestricted reads the internal restricted list. Errors are *tradescreen.ParseError naming the file,
// line and column.
func ParseRestricted(b []byte, name string) ([]RestrictedParty, error) {
	rows, err := readCSV(b, name, RestrictedColumns)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	out := make([]RestrictedParty, 0, len(rows))
	for _, r := range rows {
		p := RestrictedParty{
			ID: r.get("id"), Name: collapse(r.get("name")), Kind: r.get("kind"), Address: collapse(r.get("address")),
			Country: r.get("country"), Reason: r.get("reason"), AddedOn: r.get("added_on"), AddedBy: r.get("added_by"),
			Note: r.get("note"), Line: r.line,
		}
		if p.ID == "" {
			return nil, source.Errorf(name, r.line, "id", "empty: every party needs your reference, kept from one import to the next")
		}
		if !idRe.MatchString(p.ID) || len(p.ID) > 200 {
			return nil, source.Errorf(name, r.line, "id", "%q: use letters, digits and - _ . : / (at most 200)", p.ID)
		}
		if prev, ok := seen[p.ID]; ok {
			return nil, source.Errorf(name, r.line, "id", "%q is also on line %d", p.ID, prev)
		}
		seen[p.ID] = r.line
		if p.Name == "" {
			return nil, source.Errorf(name, r.line, "name", "empty name")
		}
		if p.Kind != "" {
			k := tradescreen.ParseKind(p.Kind)
			if k == tradescreen.KindUnknown && !strings.EqualFold(p.Kind, "unknown") {
				return nil, source.Errorf(name, r.line, "kind", "%q: want person, organization, vessel or aircraft", p.Kind)
			}
			p.Kind = string(k)
		}
		if p.Country != "" {
			if source.CountryCode(p.Country) == "" {
				return nil, source.Errorf(name, r.line, "country", "%q is not a country code or name", p.Country)
			}
		}
		for _, a := range strings.Split(r.get("aliases"), ";") {
			if a = collapse(a); a != "" && a != p.Name {
				p.Aliases = append(p.Aliases, a)
			}
		}
		for _, id := range strings.Split(r.get("identifiers"), ";") {
			if id = strings.TrimSpace(id); id != "" {
				p.Identifiers = append(p.Identifiers, id)
			}
		}
		if p.AddedOn != "" && !dateRe.MatchString(p.AddedOn) {
			return nil, source.Errorf(name, r.line, "added_on", "%q is not YYYY-MM-DD", p.AddedOn)
		}
		out = append(out, p)
	}
	return out, nil
}

// ListEntry maps a restricted party to a list entry of own_restricted: the name and aliases, the address and
// country, the identifiers, added_on as ListedOn and the reason and note as Remarks; Raw keeps the row.
func (p *RestrictedParty) ListEntry() tradescreen.Entry {
	e := tradescreen.Entry{Source: Restricted, SourceID: p.ID, Name: p.Name, Kind: tradescreen.KindUnknown, ListedOn: p.AddedOn}
	if p.Kind != "" {
		e.Kind = tradescreen.Kind(p.Kind)
	}
	for _, a := range p.Aliases {
		e.Aliases = append(e.Aliases, tradescreen.Name{Full: a, Type: tradescreen.NameAKA})
	}
	if p.Address != "" || p.Country != "" {
		a := tradescreen.Address{Full: p.Address, CountryName: p.Country}
		if p.Country != "" {
			a.Country = source.CountryCode(p.Country)
		}
		e.Addresses = []tradescreen.Address{a}
	}
	for _, id := range p.Identifiers {
		typ, num, ok := strings.Cut(id, ":")
		if !ok {
			typ, num = "id", id
		}
		e.Identifiers = append(e.Identifiers, tradescreen.Identifier{Type: strings.TrimSpace(typ), Number: strings.TrimSpace(num)})
	}
	var rem []string
	for _, s := range []string{p.Reason, p.Note} {
		if s != "" {
			rem = append(rem, strings.TrimSuffix(s, "."))
		}
	}
	if p.AddedBy != "" {
		rem = append(rem, "added by "+p.AddedBy)
	}
	e.Remarks = strings.Join(rem, ". ")
	p2 := *p
	p2.Line = 0
	e.Raw, _ = json.Marshal(p2)
	return e
}

// ParseAllow reads the allow list. Errors are *tradescreen.ParseError naming the file, line and column: a
// row needs a name or a party_id, an entry LIST/ID of a known list, a reason, who reviewed it and when, and
// the same pairing may not appear twice.
func ParseAllow(b []byte, name string) ([]Allowance, error) {
	rows, err := readCSV(b, name, AllowColumns)
	if err != nil {
		return nil, err
	}
	seenID := map[string]int{}
	seenPair := map[string]int{}
	out := make([]Allowance, 0, len(rows))
	for _, r := range rows {
		a := Allowance{ID: r.get("id"), Name: collapse(r.get("name")), PartyID: r.get("party_id"), Entry: r.get("entry"),
			Reason: collapse(r.get("reason")), ReviewedBy: r.get("reviewed_by"), ReviewedOn: r.get("reviewed_on"), Line: r.line}
		if a.Name == "" && a.PartyID == "" {
			return nil, source.Errorf(name, r.line, "name", "empty: give the screened name (or a party_id)")
		}
		m := entryRe.FindStringSubmatch(a.Entry)
		if m == nil {
			return nil, source.Errorf(name, r.line, "entry", "%q: want LIST/ID, the entry key tradescreen shows (e.g. us_el/f095626c7ed5)", a.Entry)
		}
		if _, ok := tradescreen.LookupSource(m[1]); !ok || m[1] == Allow {
			return nil, source.Errorf(name, r.line, "entry", "%q: unknown list code %q", a.Entry, m[1])
		}
		if a.Reason == "" {
			return nil, source.Errorf(name, r.line, "reason", "empty: say why the party is not the listed one")
		}
		if a.ReviewedBy == "" {
			return nil, source.Errorf(name, r.line, "reviewed_by", "empty: say who reviewed it")
		}
		if !dateRe.MatchString(a.ReviewedOn) {
			return nil, source.Errorf(name, r.line, "reviewed_on", "%q is not YYYY-MM-DD", a.ReviewedOn)
		}
		pair := pairKey(a.Name, a.PartyID, a.Entry)
		if prev, ok := seenPair[pair]; ok {
			return nil, source.Errorf(name, r.line, "entry", "the same name or party and entry are on line %d", prev)
		}
		seenPair[pair] = r.line
		if a.ID == "" {
			sum := sha256.Sum256([]byte(pair))
			a.ID = "a-" + hex.EncodeToString(sum[:6])
		} else if !idRe.MatchString(a.ID) || len(a.ID) > 200 {
			return nil, source.Errorf(name, r.line, "id", "%q: use letters, digits and - _ . : / (at most 200)", a.ID)
		}
		if prev, ok := seenID[a.ID]; ok {
			return nil, source.Errorf(name, r.line, "id", "%q is also on line %d", a.ID, prev)
		}
		seenID[a.ID] = r.line
		out = append(out, a)
	}
	return out, nil
}

func pairKey(name, partyID, entry string) string {
	return normalize.Fold(name) + "\x00" + partyID + "\x00" + entry
}

// ListEntry maps an allowance to an entry of own_allow, so that versions of the allow list can be compared
// entry by entry (history.Diff): the screened name (or "party ID") as Name, the party id as an identifier,
// the entry, reason and review in Remarks and the review date as ListedOn. These entries are never screened.
func (a *Allowance) ListEntry() tradescreen.Entry {
	e := tradescreen.Entry{Source: Allow, SourceID: a.ID, Name: a.Name, Kind: tradescreen.KindUnknown, ListedOn: a.ReviewedOn,
		Remarks: fmt.Sprintf("allows %s: %s (reviewed by %s on %s)", a.Entry, a.Reason, a.ReviewedBy, a.ReviewedOn)}
	if e.Name == "" {
		e.Name = "party " + a.PartyID
	}
	if a.PartyID != "" {
		e.Identifiers = []tradescreen.Identifier{{Type: "party_id", Number: a.PartyID}}
	}
	a2 := *a
	a2.Line = 0
	e.Raw, _ = json.Marshal(a2)
	return e
}

// Parse reads a stored version of an own list (code Restricted or Allow) into a dataset with one list
// version. Errors are *tradescreen.ParseError for bad content and EINVALID for an unknown code.
func Parse(code string, b []byte, name string) (*source.Dataset, error) {
	ds := &source.Dataset{}
	switch code {
	case Restricted:
		ps, err := ParseRestricted(b, name)
		if err != nil {
			return nil, err
		}
		for i := range ps {
			ds.Entries = append(ds.Entries, ps[i].ListEntry())
		}
	case Allow:
		as, err := ParseAllow(b, name)
		if err != nil {
			return nil, err
		}
		for i := range as {
			ds.Entries = append(ds.Entries, as[i].ListEntry())
		}
	default:
		_, err := Code(code)
		return nil, err
	}
	ds.Lists = []tradescreen.ListVersion{{Source: code, Entries: len(ds.Entries), Names: source.CountNames(ds.Entries),
		Origin: name, Format: code, SHA256: source.SHA256(b)}}
	return ds, nil
}

// FromJSON converts a JSON upload of an own list to its CSV form: an array of objects (or {"entries":
// [...]}) keyed by the list's column names, each value a string, a number or, for aliases and identifiers,
// an array of strings. The CSV is then read like any import. Errors are EINVALID naming the row and key.
func FromJSON(code string, body []byte) ([]byte, error) {
	cols := Columns(code)
	var rows []map[string]any
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var wrap struct {
			Entries []map[string]any `json:"entries"`
		}
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&wrap); err != nil {
			return nil, tradescreen.Errorf(tradescreen.EINVALID, "body: not an array of rows or {\"entries\": [...]}: %v", err)
		}
		rows = wrap.Entries
	} else if err := json.Unmarshal(trimmed, &rows); err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "body: not an array of rows or {\"entries\": [...]}: %v", err)
	}
	if len(rows) > MaxRows {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "body: more than %d rows", MaxRows)
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.Name] = true
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	w.Write(header)
	for i, r := range rows {
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !known[k] && k != "line" {
				return nil, tradescreen.Errorf(tradescreen.EINVALID, "entries[%d].%s: unknown field (the fields are: %s)", i, k, columnNames(cols))
			}
		}
		rec := make([]string, len(cols))
		for j, c := range cols {
			v, err := jsonText(r[c.Name])
			if err != nil {
				return nil, tradescreen.Errorf(tradescreen.EINVALID, "entries[%d].%s: %v", i, c.Name, err)
			}
			rec[j] = v
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func jsonText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case float64:
		return fmt.Sprint(x), nil
	case []any:
		var parts []string
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return "", fmt.Errorf("want an array of strings")
			}
			if strings.Contains(s, ";") {
				return "", fmt.Errorf("%q: an item may not contain ';'", s)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "; "), nil
	}
	return "", fmt.Errorf("want a string")
}

// ToCSV writes rows of an own list (as parsed) back to CSV with every column, for export; a field a
// spreadsheet could run as a formula gets a leading apostrophe (csvsafe).
func ToCSV(code string, restricted []RestrictedParty, allow []Allowance) []byte {
	var buf bytes.Buffer
	w := csvsafe.NewWriter(&buf)
	cols := Columns(code)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	w.Write(header)
	if code == Allow {
		for _, a := range allow {
			w.Write([]string{a.ID, a.Name, a.PartyID, a.Entry, a.Reason, a.ReviewedBy, a.ReviewedOn})
		}
	} else {
		for _, p := range restricted {
			w.Write([]string{p.ID, p.Name, p.Kind, strings.Join(p.Aliases, "; "), p.Address, p.Country,
				strings.Join(p.Identifiers, "; "), p.Reason, p.AddedOn, p.AddedBy, p.Note})
		}
	}
	w.Flush()
	return buf.Bytes()
}

// collapse trims s and turns runs of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
