package uk

import (
	"fmt"
	"strings"

	"github.com/tradescreen/tradescreen/source"
)

// row is one line of ConList.csv: one name (and one date of birth) of one target. Each field names the
// official column it is read from; columns a layout lacks stay empty.
type row struct {
	line int

	Name6           string    // "Name 6": surname, or the whole name of an entity or ship
	Names           [5]string // "Name 1" .. "Name 5": given and other names
	Title           string    // "Title"
	NonLatin        string    // "Name Non-Latin Script" (2021+)
	NonLatinType    string    // "Non-Latin Script Type" (2021+)
	NonLatinLang    string    // "Non-Latin Script Language" (2021+)
	DOB             string    // "DOB": dd/mm/yyyy, 00 for an unknown day or month
	TownOfBirth     string    // "Town of Birth"
	CountryOfBirth  string    // "Country of Birth"
	Nationality     string    // "Nationality"
	PassportNumber  string    // "Passport Number" (2021+)
	PassportDetails string    // "Passport Details"
	NINumber        string    // "NI Number" (legacy), "National Identification Number" (2021+)
	NIDetails       string    // "National Identification Details" (2021+; "NI Details" in some excerpts)
	Position        string    // "Position"
	Address         [6]string // "Address 1" .. "Address 6"
	PostCode        string    // "Post/Zip Code"
	Country         string    // "Country": the country of the address
	OtherInfo       string    // "Other Information"
	GroupType       string    // "Group Type": Individual, Entity, Ship
	AliasType       string    // "Alias Type": Prime Alias / Primary name, AKA, FKA, Primary name variation
	AliasQuality    string    // "Alias Quality" (2021+): Good, Low
	Regime          string    // "Regime"
	ListedOn        string    // "Listed On": dd/mm/yyyy
	DateDesignated  string    // "UK Sanctions List Date Designated" (2021+): dd/mm/yyyy
	LastUpdated     string    // "Last Updated": dd/mm/yyyy
	GroupID         string    // "Group ID": the target's identifier, shared by all its rows

	raw []string // every column as read, in header order, trimmed
}

// columns maps the header of one file to row fields.
type columns struct {
	names []string             // header as read, trimmed
	set   []func(*row, string) // setter per column; nil for columns kept only in Raw
	index map[string]int       // folded column name -> position
}

// fieldSetters maps folded official column names to the row field they fill.
var fieldSetters = map[string]func(*row, string){
	"name 6":                            func(r *row, v string) { r.Name6 = v },
	"name 1":                            func(r *row, v string) { r.Names[0] = v },
	"name 2":                            func(r *row, v string) { r.Names[1] = v },
	"name 3":                            func(r *row, v string) { r.Names[2] = v },
	"name 4":                            func(r *row, v string) { r.Names[3] = v },
	"name 5":                            func(r *row, v string) { r.Names[4] = v },
	"title":                             func(r *row, v string) { r.Title = v },
	"name non-latin script":             func(r *row, v string) { r.NonLatin = v },
	"non-latin script type":             func(r *row, v string) { r.NonLatinType = v },
	"non-latin script language":         func(r *row, v string) { r.NonLatinLang = v },
	"dob":                               func(r *row, v string) { r.DOB = v },
	"town of birth":                     func(r *row, v string) { r.TownOfBirth = v },
	"country of birth":                  func(r *row, v string) { r.CountryOfBirth = v },
	"nationality":                       func(r *row, v string) { r.Nationality = v },
	"passport number":                   func(r *row, v string) { r.PassportNumber = v },
	"passport details":                  func(r *row, v string) { r.PassportDetails = v },
	"ni number":                         func(r *row, v string) { r.NINumber = v },
	"national identification number":    func(r *row, v string) { r.NINumber = v },
	"ni details":                        func(r *row, v string) { r.NIDetails = v },
	"national identification details":   func(r *row, v string) { r.NIDetails = v },
	"position":                          func(r *row, v string) { r.Position = v },
	"address 1":                         func(r *row, v string) { r.Address[0] = v },
	"address 2":                         func(r *row, v string) { r.Address[1] = v },
	"address 3":                         func(r *row, v string) { r.Address[2] = v },
	"address 4":                         func(r *row, v string) { r.Address[3] = v },
	"address 5":                         func(r *row, v string) { r.Address[4] = v },
	"address 6":                         func(r *row, v string) { r.Address[5] = v },
	"post/zip code":                     func(r *row, v string) { r.PostCode = v },
	"country":                           func(r *row, v string) { r.Country = v },
	"other information":                 func(r *row, v string) { r.OtherInfo = v },
	"group type":                        func(r *row, v string) { r.GroupType = v },
	"alias type":                        func(r *row, v string) { r.AliasType = v },
	"alias quality":                     func(r *row, v string) { r.AliasQuality = v },
	"regime":                            func(r *row, v string) { r.Regime = v },
	"listed on":                         func(r *row, v string) { r.ListedOn = v },
	"uk sanctions list date designated": func(r *row, v string) { r.DateDesignated = v },
	"date designated":                   func(r *row, v string) { r.DateDesignated = v },
	"last updated":                      func(r *row, v string) { r.LastUpdated = v },
	"group id":                          func(r *row, v string) { r.GroupID = v },
}

// requiredColumns must be in every layout.
var requiredColumns = []string{"Name 6", "Name 1", "Group Type", "Alias Type", "Regime", "Group ID"}

func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// parseHeader checks the column header and maps it. A header lacking a required column is rejected with
// the columns found named in the error.
func parseHeader(rec []string, name string, line int, dated bool) (columns, error) {
	c := columns{index: map[string]int{}}
	// Trailing empty cells (a spreadsheet export pads every line to the widest one) are dropped.
	n := len(rec)
	for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	for i, h := range rec[:n] {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		k := fold(h)
		if k == "" {
			return c, source.Errorf(name, line, fmt.Sprintf("column %d", i+1), "empty column name in the header; columns found: %s", found(rec[:n]))
		}
		if _, dup := c.index[k]; dup {
			return c, source.Errorf(name, line, h, "column named twice in the header; columns found: %s", found(rec[:n]))
		}
		c.index[k] = i
		c.names = append(c.names, h)
		c.set = append(c.set, fieldSetters[k])
	}
	var missing []string
	for _, h := range requiredColumns {
		if _, ok := c.index[fold(h)]; !ok {
			missing = append(missing, fmt.Sprintf("%q", h))
		}
	}
	if len(missing) > 0 {
		what := "not the OFSI ConList.csv column header"
		if !dated {
			what = `not an OFSI ConList.csv: expected "Last Updated,dd/mm/yyyy" then the column header`
		}
		return c, source.Errorf(name, line, "", "%s: missing column(s) %s; columns found: %s", what, strings.Join(missing, ", "), found(rec[:n]))
	}
	return c, nil
}

// found lists header cells for an error message, bounded.
func found(rec []string) string {
	const most = 40
	var parts []string
	for i, h := range rec {
		if i == most {
			parts = append(parts, fmt.Sprintf("... (%d columns)", len(rec)))
			break
		}
		parts = append(parts, fmt.Sprintf("%q", clip(strings.TrimSpace(h))))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// row maps one record to a row, checking its width and its Group ID.
func (c *columns) row(rec []string, name string, line int) (row, error) {
	r := row{line: line, raw: make([]string, len(c.names))}
	if len(rec) < len(c.names) {
		return r, source.Errorf(name, line, c.names[len(rec)], "record has %d fields, the header %d (truncated line?)", len(rec), len(c.names))
	}
	for i := len(c.names); i < len(rec); i++ {
		if strings.TrimSpace(rec[i]) != "" {
			return r, source.Errorf(name, line, fmt.Sprintf("column %d", i+1), "value %q beyond the %d columns of the header", clip(rec[i]), len(c.names))
		}
	}
	for i := range c.names {
		v := strings.TrimSpace(rec[i])
		r.raw[i] = v
		if c.set[i] != nil {
			c.set[i](&r, v)
		}
	}
	if r.GroupID == "" {
		return r, source.Errorf(name, line, "Group ID", "empty Group ID")
	}
	if len(r.GroupID) > 20 || strings.TrimLeft(r.GroupID, "0123456789") != "" {
		return r, source.Errorf(name, line, "Group ID", "Group ID %q is not a number", clip(r.GroupID))
	}
	if r.fullName() == "" && r.NonLatin == "" {
		return r, source.Errorf(name, line, "Name 6", "empty name")
	}
	return r, nil
}

// given returns "Name 1" .. "Name 5" joined by spaces.
func (r *row) given() string {
	var parts []string
	for _, n := range r.Names {
		if n = source.Clean(n); n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " ")
}

// fullName returns "Name 1 Name 2 Name 3 Name 4 Name 5 Name 6": given names first, then the surname (for an
// entity or ship, Name 6 alone).
func (r *row) fullName() string {
	g, f := r.given(), source.Clean(r.Name6)
	switch {
	case g == "":
		return f
	case f == "":
		return g
	}
	return g + " " + f
}
