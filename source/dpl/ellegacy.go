package dpl

import (
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// KindELLegacy is the kind of the legacy BIS Entity List CSV reader.
const KindELLegacy = "el_legacy"

func init() {
	source.Register(source.Format{
		Kind:        KindELLegacy,
		Description: "legacy BIS Entity List el.csv (one row per address and alternate name; .gz accepted)",
		Open:        OpenELLegacy,
	})
}

// The columns of the legacy el.csv, by official name. The file repeats a party on one row per combination of
// address and alternate name; columns are found by name, so their order does not matter.
const (
	elSourceList      = "Source List"                // "EL"
	elEntityNumber    = "Entity Number"              // empty in the BIS files
	elSDNType         = "SDN Type"                   // Individual, Entity, Vessel ... (mostly empty)
	elPrograms        = "Programs"                   // ";"-separated
	elName            = "Name"                       // the party's name
	elTitle           = "Title"                      // a person's title or position
	elAddress         = "Address"                    // street part of one address
	elCity            = "City"                       // city of that address
	elState           = "State/Province"             // region of that address
	elPostalCode      = "Postal Code"                // postal code of that address
	elCountry         = "Country"                    // country name of that address
	elFRNotice        = "Federal Register Notice"    // "76 FR 71867"
	elEffective       = "Effective Date"             // M/D/YYYY
	elLifted          = "Date Lifted/Waived/Expired" // M/D/YYYY
	elStandardOrder   = "Standard Order"             // Y/N
	elLicenseReq      = "License Requirement"        // "For all items subject to the EAR. ..."
	elLicensePolicy   = "License Policy"             // "Presumption of denial."
	elCallSign        = "Call Sign"                  // vessels
	elVesselType      = "Vessel Type"                // vessels
	elGrossTonnage    = "Gross Tonnage"              // vessels
	elGrossRegTonnage = "Gross Register Tonnage"     // vessels
	elVesselFlag      = "Vessel Flag"                // vessels
	elVesselOwner     = "Vessel Owner"               // vessels
	elRemarks         = "Remarks/Notes"              // free text
	elAddressRemarks  = "Address Remarks"            // note on the address of the row
	elAltType         = "Alternate Type"             // aka, fka, nka (empty means aka)
	elAltName         = "Alternate Name"             // one alias of the party
	elAltRemarks      = "Alternate Remarks"          // note on that alias
	elWebLink         = "Web Link"                   // the list's page
)

// elRequired are the columns without which a file is not an el.csv.
var elRequired = []string{elName, elAddress, elCountry, elFRNotice, elEffective, elLicenseReq, elLicensePolicy}

// OpenELLegacy reads a legacy el.csv file (or el.csv.gz).
// Errors are *tradescreen.ParseError for bad content and *tradescreen.Error for unreadable paths.
func OpenELLegacy(path string) (*source.Dataset, error) {
	return openFile(KindELLegacy, path, ParseELLegacy)
}

// ParseELLegacy reads the bytes of a legacy el.csv file as given (gzip is decompressed) named name.
//
// The rows of one listing (same Entity Number, or same Name, Federal Register Notice and Effective Date, as
// ITA grouped them) become one entry with every distinct address and alternate name. The file states no
// publication date: Published is the latest Effective Date. Errors are *tradescreen.ParseError.
func ParseELLegacy(b []byte, name string) (*source.Dataset, error) {
	const what = "a legacy BIS Entity List CSV (el.csv)"
	t, idx, err := readCSVTable(b, name, what, elRequired)
	if err != nil {
		return nil, err
	}
	type group struct{ rows []record }
	var groups []*group
	byKey := map[string]*group{}
	var dates []string
	for _, rec := range t.rows {
		if err := t.checkWidth(rec); err != nil {
			return nil, err
		}
		v := func(col string) string { return get(idx, rec.fields, col) }
		if l := squish(v(elSourceList)); l != "" && !strings.EqualFold(l, "EL") {
			return nil, source.Errorf(name, rec.line, elSourceList, "unexpected list %q, want EL", l)
		}
		if squish(v(elName)) == "" {
			return nil, source.Errorf(name, rec.line, elName, "empty name")
		}
		key := "#" + squish(v(elEntityNumber))
		if key == "#" {
			key = normKey(v(elName)) + "\x1f" + squish(v(elFRNotice)) + "\x1f" + normDate(v(elEffective))
		}
		g := byKey[key]
		if g == nil {
			g = &group{}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, rec)
		dates = append(dates, normDate(v(elEffective)))
	}
	entries := make([]tradescreen.Entry, 0, len(groups))
	for _, g := range groups {
		entries = append(entries, elEntry(t.header, idx, g.rows))
	}
	published, note := latest(dates), "inferred: the file states no publication date; latest Effective Date in the file"
	if published == "" {
		note = "the file states no publication date and holds no usable Effective Date"
	}
	return dataset("us_el", KindELLegacy, name, b, published, note, entries), nil
}

// elEntry maps the rows of one listing to an entry.
func elEntry(header []string, idx map[string]int, rows []record) tradescreen.Entry {
	first := func(col string) string {
		for _, r := range rows {
			if v := squish(get(idx, r.fields, col)); v != "" {
				return v
			}
		}
		return ""
	}
	rawName := first(elName)
	primary, aliases := splitName(rawName)
	e := tradescreen.Entry{
		Source:             "us_el",
		Name:               primary,
		Title:              first(elTitle),
		StartDate:          normDate(first(elEffective)),
		EndDate:            normDate(first(elLifted)),
		StandardOrder:      first(elStandardOrder),
		LicenseRequirement: first(elLicenseReq),
		LicensePolicy:      first(elLicensePolicy),
		SourceListURL:      first(elWebLink),
	}
	if n := first(elEntityNumber); n != "" {
		e.SourceID = n
	} else {
		e.SourceID = shortID("el-", normKey(rawName), squish(get(idx, rows[0].fields, elFRNotice)), e.StartDate)
	}
	if e.SourceListURL == "" {
		e.SourceListURL = sourceURL("us_el")
	}
	e.Kind = tradescreen.ParseKind(first(elSDNType))
	if e.Kind == tradescreen.KindUnknown {
		e.Kind = orgKind(rawName)
	}
	for _, a := range aliases {
		addAlias(&e, a)
	}
	var raws [][]string
	var remarks []string
	for _, r := range rows {
		v := func(col string) string { return squish(get(idx, r.fields, col)) }
		raws = append(raws, r.fields)
		for _, p := range source.SplitList(v(elPrograms), ";") {
			e.Programs = appendUnique(e.Programs, p)
		}
		a := tradescreen.Address{Street: v(elAddress), City: v(elCity), Region: v(elState), PostalCode: v(elPostalCode),
			CountryName: v(elCountry), Note: v(elAddressRemarks)}
		a.Full = joinNonEmpty(", ", a.Street, a.City, a.Region, a.PostalCode, a.CountryName)
		a.Country = countryCode(a.CountryName)
		if a.Full != "" {
			known := false
			for _, o := range e.Addresses {
				known = known || o == a
			}
			if !known {
				e.Addresses = append(e.Addresses, a)
			}
		}
		if alt := v(elAltName); alt != "" {
			addAlias(&e, tradescreen.Name{Full: alt, Type: altType(v(elAltType)), Note: v(elAltRemarks)})
		}
		cites := frCitations(v(elFRNotice))
		if len(cites) == 0 {
			cites = []string{v(elFRNotice)}
		}
		for _, c := range cites {
			e.FederalRegister = appendUnique(e.FederalRegister, c)
		}
		remarks = appendUnique(remarks, v(elRemarks))
		vs := tradescreen.Vessel{CallSign: v(elCallSign), Type: v(elVesselType), Tonnage: v(elGrossTonnage),
			GrossRegisteredTonnage: v(elGrossRegTonnage), Flag: v(elVesselFlag), Owner: v(elVesselOwner)}
		if e.Vessel == nil && vs != (tradescreen.Vessel{}) {
			e.Vessel = &vs
		}
	}
	e.Remarks = strings.Join(remarks, "; ")
	e.Raw = rawObject(header, raws)
	return e
}

// altType maps the Alternate Type column to a name type; empty means a.k.a.
func altType(s string) tradescreen.NameType {
	switch strings.ToLower(strings.NewReplacer(".", "", " ", "").Replace(s)) {
	case "fka":
		return tradescreen.NameFKA
	case "nka":
		return tradescreen.NameNKA
	case "weakaka", "weak", "low":
		return tradescreen.NameWeakAKA
	}
	return tradescreen.NameAKA
}
