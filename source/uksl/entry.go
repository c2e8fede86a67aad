package uksl

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// row is one line of the CSV, field by field in header order.
type row []string

// columns maps the official column names to their positions.
type columns struct {
	names []string
	index map[string]int
}

// header reads the column header; the name columns, Unique ID, Name type and Designation Type are required.
func header(rec []string, name string, line int) (columns, error) {
	c := columns{index: map[string]int{}}
	for i, h := range rec {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		c.names = append(c.names, h)
		if _, dup := c.index[h]; !dup && h != "" {
			c.index[h] = i
		}
	}
	for _, r := range required {
		if _, ok := c.index[r]; !ok {
			return c, source.Errorf(name, line, r, "column header lacks %q: not the UK Sanctions List CSV", r)
		}
	}
	return c, nil
}

// get returns the field of the named column ("" when the file has no such column).
func (c columns) get(r row, col string) string {
	if i, ok := c.index[col]; ok && i < len(r) {
		return r[i]
	}
	return ""
}

// clean returns the named field with its spaces squeezed.
func (c columns) clean(r row, col string) string { return source.Clean(c.get(r, col)) }

// fullName is "Name 1 ... Name 5 Name 6": given names, then the surname (an entity's or ship's name is Name 6
// alone).
func (c columns) fullName(r row) string {
	var parts []string
	for _, col := range []string{"Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"} {
		if v := c.clean(r, col); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// values splits a field that holds several values separated by "|" (Sanctions Imposed, nationalities ...).
func (c columns) values(r row, col string) []string {
	var out []string
	for _, v := range strings.Split(c.get(r, col), "|") {
		if v = source.Clean(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// group is every line of one Unique ID.
type group struct {
	id   string
	rows []row
}

// entry merges the lines of the group into one Entry: the "Primary Name" line gives the name, every other
// name an alias; the other facts are gathered from every line without repeats.
func (g *group) entry(c columns) tradescreen.Entry {
	prim := 0
	for i, r := range g.rows {
		if strings.EqualFold(c.clean(r, "Name type"), "Primary Name") {
			prim = i
			break
		}
	}
	p := g.rows[prim]
	e := tradescreen.Entry{Source: SourceCode, SourceID: g.id, Kind: tradescreen.ParseKind(c.clean(p, "Designation Type")),
		Name: c.fullName(p), SourceListURL: ListURL, SourceInfoURL: ListURL}
	if e.Name == "" {
		e.Name = c.clean(p, "Name non-latin script")
	}
	seen := map[string]bool{e.Name: true}
	for i, r := range g.rows {
		if i != prim {
			addAlias(&e, seen, c.fullName(r), c.clean(r, "Name type"), c.clean(r, "Alias strength"), "")
		}
		addAlias(&e, seen, c.clean(r, "Name non-latin script"), "Non-latin script", "", c.clean(r, "Non-latin script type"))
		g.facts(&e, c, r)
	}
	e.Remarks = remarks(c, p)
	e.Raw = rawJSON(c.names, g.rows)
	return e
}

// addAlias adds one alias unless it was seen: "Primary Name Variation" and "Alias" as a.k.a. (weak when
// the list says so), other name types noted, a non-Latin name with its script.
func addAlias(e *tradescreen.Entry, seen map[string]bool, full, nameType, strength, script string) {
	if full == "" || seen[full] {
		return
	}
	seen[full] = true
	n := tradescreen.Name{Full: full, Type: tradescreen.NameAKA, Script: script}
	switch t := strings.ToLower(nameType); {
	case strings.Contains(strings.ToLower(strength), "weak") || strings.Contains(strings.ToLower(strength), "low"):
		n.Type = tradescreen.NameWeakAKA
	case t == "primary name variation":
		n.Note = nameType
	case t != "alias" && t != "" && script == "":
		n.Note = nameType
	}
	e.Aliases = append(e.Aliases, n)
}

// facts gathers from one line what the entry does not hold yet: address, dates, identifiers, ship details.
func (g *group) facts(e *tradescreen.Entry, c columns, r row) {
	if a, ok := address(c, r); ok && !hasAddress(e.Addresses, a.Full) {
		e.Addresses = append(e.Addresses, a)
	}
	e.ListedOn = earliest(e.ListedOn, source.NormDateDMY(c.clean(r, "Date Designated")))
	e.LastUpdated = latest(e.LastUpdated, source.NormDateDMY(c.clean(r, "Last Updated")))
	e.Title = first(e.Title, c.clean(r, "Title"))
	e.Gender = first(e.Gender, c.clean(r, "Gender"))
	e.Programs = appendNew(e.Programs, c.clean(r, "Regime Name"))
	for _, v := range c.values(r, "D.O.B") {
		e.BirthDates = appendNew(e.BirthDates, source.NormDateDMY(v))
	}
	for _, v := range c.values(r, "Nationality(/ies)") {
		e.Nationalities = appendNew(e.Nationalities, countryOr(v))
	}
	for _, v := range c.values(r, "Position") {
		e.Positions = appendNew(e.Positions, v)
	}
	if place := strings.Trim(c.clean(r, "Town of birth")+", "+c.clean(r, "Country of birth"), ", "); place != "" {
		e.BirthPlaces = appendNew(e.BirthPlaces, place)
	}
	for _, id := range identifiers(c, r) {
		if !hasIdentifier(e.Identifiers, id) {
			e.Identifiers = append(e.Identifiers, id)
		}
	}
	if v := vessel(c, r); v != nil && e.Vessel == nil {
		e.Vessel = v
	}
}

// address reads the address columns of a line; ok is false when the line has none.
func address(c columns, r row) (tradescreen.Address, bool) {
	var lines []string
	for _, col := range []string{"Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Address Line 6"} {
		if v := c.clean(r, col); v != "" {
			lines = append(lines, v)
		}
	}
	a := tradescreen.Address{Street: strings.Join(lines, ", "), PostalCode: c.clean(r, "Address Postal Code"),
		CountryName: c.clean(r, "Address Country")}
	a.Country = countryCode(a.CountryName)
	var full []string
	for _, v := range []string{a.Street, a.PostalCode, a.CountryName} {
		if v != "" {
			full = append(full, v)
		}
	}
	a.Full = strings.Join(full, ", ")
	return a, a.Full != ""
}

// identifiers reads the documents and numbers of a line: IMO number, passports, national identifiers,
// business registration numbers, the UN reference and the OFSI group id.
func identifiers(c columns, r row) []tradescreen.Identifier {
	var out []tradescreen.Identifier
	if imo := strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(c.clean(r, "IMO number")), "IMO")); imo != "" {
		out = append(out, tradescreen.Identifier{Type: "IMO", Number: imo})
	}
	add := func(typ, col, noteCol string) {
		note := c.clean(r, noteCol)
		for _, v := range c.values(r, col) {
			out = append(out, tradescreen.Identifier{Type: typ, Number: v, Note: note})
		}
	}
	add("Passport", "Passport number", "Passport additional information")
	add("National ID", "National Identifier number", "National Identifier additional information")
	add("Business Registration Number", "Business registration number (s)", "")
	add("UN Reference Number", "UN Reference Number", "")
	add("OFSI Group ID", "OFSI Group ID", "")
	return out
}

// vessel reads a ship's details; nil when the line has none.
func vessel(c columns, r row) *tradescreen.Vessel {
	v := tradescreen.Vessel{Type: c.clean(r, "Type of ship"), Flag: c.clean(r, "Current believed flag of ship"),
		Owner: c.clean(r, "Current owner/operator (s)"), Tonnage: c.clean(r, "Tonnage of ship")}
	if v == (tradescreen.Vessel{}) {
		return nil
	}
	return &v
}

// remarks keeps the measures imposed and the other information of the primary line.
func remarks(c columns, r row) string {
	var parts []string
	if s := strings.Join(dedupe(c.values(r, "Sanctions Imposed")), "; "); s != "" {
		parts = append(parts, "Sanctions imposed: "+s)
	}
	for _, col := range []string{"Designation source", "Other Information", "UK Statement of Reasons"} {
		if v := c.clean(r, col); v != "" {
			parts = append(parts, col+": "+v)
		}
	}
	return strings.Join(parts, " | ")
}

// rawJSON renders the group's lines as a JSON array of objects keyed by the official column names, empty
// fields left out.
func rawJSON(names []string, rows []row) json.RawMessage {
	out := make([]map[string]string, 0, len(rows))
	for _, r := range rows {
		m := map[string]string{}
		for i, v := range r {
			if v != "" && i < len(names) {
				m[names[i]] = v
			}
		}
		out = append(out, m)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out) // maps of strings cannot fail
	return json.RawMessage(bytes.TrimSpace(b.Bytes()))
}
