// Package dpl reads the single-file list formats of the US Commerce Department's Bureau of Industry and
// Security (BIS) and of the State Department: the BIS Denied Persons List dpl.txt (kind "dpl", list us_dpl),
// the legacy BIS Entity List el.csv (kind "el_legacy", list us_el), the State ISN nonproliferation sanctions
// CSV as ingested by ITA (kind "isn_csv", list us_isn) and the DDTC ITAR debarred parties CSV (kind
// "dtc_csv", list us_dtc). Each reader maps the rows to tradescreen.Entry, keeps the official record in
// Entry.Raw and registers itself by kind with package source.
//
// None of these files carries an identifier, so each entry gets a stable source_id: a prefix and a short
// hash of the normalized name and the date (and notice) of its listing, the same in every version of the
// file for the same listing.
package dpl

import (
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// KindDPL is the kind of the BIS Denied Persons List reader.
const KindDPL = "dpl"

func init() {
	source.Register(source.Format{
		Kind:        KindDPL,
		Description: "BIS Denied Persons List dpl.txt (tab-separated, quoted; .gz accepted)",
		Open:        OpenDPL,
	})
}

// dplColumns is the header of dpl.txt, in file order.
var dplColumns = []string{"Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
	"Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation"}

// dplRow is one row of dpl.txt. A party denied by one order at several addresses has one row per address.
type dplRow struct {
	line       int
	fields     []string
	Name       string // Name
	Street     string // Street_Address
	City       string // City
	State      string // State
	Country    string // Country: ISO alpha-2 code as published ("PRC" and US state codes occur)
	PostalCode string // Postal_Code
	Effective  string // Effective_Date: MM/DD/YYYY
	Expiration string // Expiration_Date: MM/DD/YYYY, empty for orders without end
	Standard   string // Standard_Order: Y or N
	LastUpdate string // Last_Update: YYYY-MM-DD
	Action     string // Action: the change last made to the row
	FRCitation string // FR_Citation: "68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06"
}

// OpenDPL reads a dpl.txt file (or dpl.txt.gz).
// Errors are *tradescreen.ParseError for bad content and *tradescreen.Error for unreadable paths.
func OpenDPL(path string) (*source.Dataset, error) { return openFile(KindDPL, path, ParseDPL) }

// ParseDPL reads the bytes of a dpl.txt file as given (gzip is decompressed) named name.
//
// Rows of the same party under the same order (same name and Effective_Date) become one entry with one
// address per row; exact duplicate rows are dropped. The file states no publication date: Published is the
// latest plausible Last_Update. Errors are *tradescreen.ParseError.
func ParseDPL(b []byte, name string) (*source.Dataset, error) {
	const what = "a BIS Denied Persons List (dpl.txt)"
	s, err := decodeText(b, name, what)
	if err != nil {
		return nil, err
	}
	t, err := readTable(s, name, '\t', func(t *table) error {
		if !headerIs(t.header, dplColumns) {
			return source.Errorf(name, 1, "", "unexpected header for %s: want %s; found columns: %s", what, foundColumns(dplColumns), foundColumns(t.header))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.rows) == 0 {
		return nil, source.Errorf(name, 0, "", "no records after the header")
	}
	type group struct {
		key  string
		rows []dplRow
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, rec := range t.rows {
		if err := t.checkWidth(rec); err != nil {
			return nil, err
		}
		f := rec.fields
		r := dplRow{line: rec.line, fields: f, Name: f[0], Street: f[1], City: f[2], State: f[3], Country: f[4],
			PostalCode: f[5], Effective: f[6], Expiration: f[7], Standard: f[8], LastUpdate: f[9], Action: f[10],
			FRCitation: f[11]}
		if squish(r.Name) == "" {
			return nil, source.Errorf(name, rec.line, "Name", "empty name")
		}
		key := normKey(r.Name) + "\x1f" + normDate(r.Effective)
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		dup := false
		for _, o := range g.rows {
			if strings.Join(o.fields, "\t") == strings.Join(f, "\t") {
				dup = true
				break
			}
		}
		if !dup {
			g.rows = append(g.rows, r)
		}
	}
	entries := make([]tradescreen.Entry, 0, len(groups))
	for _, g := range groups {
		entries = append(entries, dplEntry(t.header, g.rows))
	}
	published, note := dplPublished(t.rows)
	return dataset("us_dpl", KindDPL, name, b, published, note, entries), nil
}

// headerIs reports whether the header is exactly want (names trimmed, case-insensitive).
func headerIs(h, want []string) bool {
	if len(h) != len(want) {
		return false
	}
	for i := range h {
		if !strings.EqualFold(strings.TrimSpace(h[i]), want[i]) {
			return false
		}
	}
	return true
}

// dplEntry maps the rows of one order to an entry.
func dplEntry(header []string, rows []dplRow) tradescreen.Entry {
	first := rows[0]
	eff := normDate(first.Effective)
	primary, aliases := splitName(first.Name)
	e := tradescreen.Entry{
		Source:        "us_dpl",
		SourceID:      shortID("dpl-", normKey(first.Name), eff),
		Kind:          orgKind(first.Name),
		Name:          primary,
		StartDate:     eff,
		SourceListURL: sourceURL("us_dpl"),
	}
	for _, a := range aliases {
		addAlias(&e, a)
	}
	var raws [][]string
	var exps, actions []string
	for _, r := range rows {
		raws = append(raws, r.fields)
		if a := dplAddress(r); a != (tradescreen.Address{}) {
			known := false
			for _, o := range e.Addresses {
				if o == a {
					known = true
				}
			}
			if !known {
				e.Addresses = append(e.Addresses, a)
			}
		}
		exps = appendUnique(exps, normDate(r.Expiration))
		if e.StandardOrder == "" {
			e.StandardOrder = strings.ToUpper(squish(r.Standard))
		}
		if lu := normDate(r.LastUpdate); lu > e.LastUpdated {
			e.LastUpdated = lu
		}
		cites := frCitations(r.FRCitation)
		if len(cites) == 0 && squish(r.FRCitation) != "" {
			cites = []string{squish(r.FRCitation)}
		}
		for _, c := range cites {
			e.FederalRegister = appendUnique(e.FederalRegister, c)
		}
		actions = appendUnique(actions, squish(r.Action))
	}
	var remarks []string
	switch len(exps) {
	case 0:
	case 1:
		e.EndDate = exps[0]
	default:
		e.EndDate = latest(exps)
		if e.EndDate == "" {
			e.EndDate = exps[0]
		}
		remarks = append(remarks, "Expiration_Date differs between the rows of this order: "+strings.Join(exps, ", "))
	}
	if len(actions) > 0 {
		remarks = append(remarks, "Action: "+strings.Join(actions, "; "))
	}
	e.Remarks = strings.Join(remarks, ". ")
	e.Raw = rawObject(header, raws)
	return e
}

// dplAddress maps the address columns of a row. The Country column holds ISO codes; when it is empty and
// State holds a US state code, or when it holds a US state code that is no country code ("NM"), the address
// is in the US and Note says that the country was inferred.
func dplAddress(r dplRow) tradescreen.Address {
	a := tradescreen.Address{
		Street:      squish(r.Street),
		City:        squish(r.City),
		Region:      squish(r.State),
		PostalCode:  squish(r.PostalCode),
		CountryName: squish(r.Country),
	}
	a.Full = joinNonEmpty(", ", a.Street, a.City, a.Region, a.PostalCode, a.CountryName)
	if a.Full == "" {
		return tradescreen.Address{}
	}
	a.Country = countryCode(a.CountryName)
	switch st := strings.ToUpper(a.Region); {
	case a.CountryName == "" && usStates[st]:
		a.Country = "US"
		a.Note = "country inferred from the US state"
	case a.Country == "" && a.Region == "" && usStates[strings.ToUpper(a.CountryName)]:
		a.Region = a.CountryName
		a.Country = "US"
		a.Note = "the Country column holds the US state code " + a.CountryName
	}
	return a
}

// dplPublished infers the publication date: the latest Last_Update of the file. Last_Update values that
// cannot be right (before 1990, or more than a year after the latest Effective_Date, such as "3017-08-22")
// are typing errors in the official file and are ignored; the note names them.
func dplPublished(rows []record) (string, string) {
	maxEff := ""
	for _, r := range rows {
		if d := normDate(r.fields[6]); d > maxEff {
			if _, ok := isoDate(d); ok {
				maxEff = d
			}
		}
	}
	limit := "9999-12-31"
	if t, ok := isoDate(maxEff); ok {
		limit = t.AddDate(1, 0, 0).Format("2006-01-02")
	}
	best := ""
	ignored := map[string]bool{}
	for _, r := range rows {
		d := normDate(r.fields[9])
		if _, ok := isoDate(d); !ok {
			continue
		}
		if d < "1990-01-01" || d > limit {
			ignored[d] = true
			continue
		}
		if d > best {
			best = d
		}
	}
	if best == "" {
		if maxEff == "" {
			return "", "the file states no publication date and holds no usable Last_Update or Effective_Date"
		}
		return maxEff, "inferred: the file states no publication date; latest Effective_Date in the file"
	}
	note := "inferred: the file states no publication date; latest Last_Update in the file"
	if len(ignored) > 0 {
		note += " (implausible Last_Update values ignored: " + strings.Join(sortedKeys(ignored), ", ") + ")"
	}
	return best, note
}
