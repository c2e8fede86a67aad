package csl

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// record is one CSL record as read from a CSV row or a JSON result, before it is mapped to an Entry. The field
// comments name the official CSV column / JSON key. List-valued fields are split already: the CSV joins their
// items with "; ", the JSON gives arrays.
type record struct {
	Line int // CSV line or JSON line where the record starts

	ID                     string       // _id (CSV, JSON bulk file) or id (JSON API)
	Source                 string       // source: the full list name, "Entity List (EL) - Bureau of Industry and Security"
	EntityNumber           string       // entity_number: the originating list's number (OFAC ent_num); empty for BIS/State lists
	Type                   string       // type: Individual, Entity, Vessel, Aircraft, or empty
	Programs               []string     // programs
	Name                   string       // name
	Title                  string       // title
	Addresses              []recAddress // addresses
	FederalRegisterNotice  string       // federal_register_notice
	StartDate              string       // start_date
	EndDate                string       // end_date
	StandardOrder          string       // standard_order
	LicenseRequirement     string       // license_requirement
	LicensePolicy          string       // license_policy
	CallSign               string       // call_sign
	VesselType             string       // vessel_type
	GrossTonnage           string       // gross_tonnage
	GrossRegisteredTonnage string       // gross_registered_tonnage
	VesselFlag             string       // vessel_flag
	VesselOwner            string       // vessel_owner
	Remarks                string       // remarks
	SourceListURL          string       // source_list_url
	AltNames               []string     // alt_names
	Citizenships           []string     // citizenships
	DatesOfBirth           []string     // dates_of_birth
	Nationalities          []string     // nationalities
	PlacesOfBirth          []string     // places_of_birth
	SourceInformationURL   string       // source_information_url
	IDs                    []recID      // ids

	// Raw is the record as read, a compact JSON object keyed by the official column or key names.
	Raw json.RawMessage
}

// recAddress is one item of "addresses". The CSV gives only Full ("street, city, state, postal, CC" with the
// empty parts dropped); the JSON gives the parts.
type recAddress struct {
	Full       string // the CSV item as published
	Address    string // address
	City       string // city
	State      string // state (state_or_province in the API)
	PostalCode string // postal_code
	Country    string // country: ISO alpha-2 in the CSL
}

// recID is one item of "ids".
type recID struct {
	Type           string // type
	Number         string // number
	Country        string // country
	IssueDate      string // issue_date
	ExpirationDate string // expiration_date
	Note           string // set when the CSV gives a date without saying whether it is the issue or the expiry date
}

// sourceCodes maps the "source" values of the CSL to list codes. The keys are the full names as published;
// sourceAbbrevs maps the abbreviation in their parentheses (and the short source codes of the API) too.
var sourceCodes = map[string]string{
	"Entity List (EL) - Bureau of Industry and Security":                                      "us_el",
	"Denied Persons List (DPL) - Bureau of Industry and Security":                             "us_dpl",
	"Unverified List (UVL) - Bureau of Industry and Security":                                 "us_uvl",
	"Military End User (MEU) List - Bureau of Industry and Security":                          "us_meu",
	"Specially Designated Nationals (SDN) - Treasury Department":                              "us_sdn",
	"Sectoral Sanctions Identifications List (SSI) - Treasury Department":                     "us_ssi",
	"Foreign Sanctions Evaders (FSE) - Treasury Department":                                   "us_fse",
	"Palestinian Legislative Council List (PLC) - Treasury Department":                        "us_plc",
	"Capta List (CAP) - Treasury Department":                                                  "us_cap",
	"Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department":                   "us_mbs",
	"Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": "us_cmic",
	"Nonproliferation Sanctions (ISN) - State Department":                                     "us_isn",
	"ITAR Debarred (DTC) - State Department":                                                  "us_dtc",
}

var sourceAbbrevs = map[string]string{
	"EL": "us_el", "DPL": "us_dpl", "UVL": "us_uvl", "MEU": "us_meu", "SDN": "us_sdn", "SSI": "us_ssi",
	"FSE": "us_fse", "PLC": "us_plc", "CAP": "us_cap", "CAPTA": "us_cap", "MBS": "us_mbs", "NS-MBS": "us_mbs",
	"NS-MBS LIST": "us_mbs", "CMIC": "us_cmic", "ISN": "us_isn", "DTC": "us_dtc",
}

// listCode maps a "source" value to its list code: the full name as published, the abbreviation in its
// parentheses ("... (EL) - ..."), or a bare abbreviation ("EL").
func listCode(s string) (string, bool) {
	s = collapse(s)
	if c, ok := sourceCodes[s]; ok {
		return c, true
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		if j := strings.IndexByte(s[i:], ')'); j > 0 {
			if c, ok := sourceAbbrevs[strings.ToUpper(strings.TrimSpace(s[i+1:i+j]))]; ok {
				return c, true
			}
		}
	}
	c, ok := sourceAbbrevs[strings.ToUpper(s)]
	return c, ok
}

// knownSources lists the full source names, for error messages.
func knownSources() string {
	names := make([]string, 0, len(sourceCodes))
	for k := range sourceCodes {
		names = append(names, "\""+k+"\"")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// entry maps a record to a tradescreen.Entry. It fails on a missing or unknown source and an empty name.
func (r *record) entry(file string) (tradescreen.Entry, error) {
	code, ok := listCode(r.Source)
	if !ok {
		if strings.TrimSpace(r.Source) == "" {
			return tradescreen.Entry{}, source.Errorf(file, r.Line, "source", "empty source")
		}
		return tradescreen.Entry{}, source.Errorf(file, r.Line, "source", "unknown list %q (known: %s)", clip(r.Source), knownSources())
	}
	name := collapse(repairText(r.Name))
	if name == "" {
		return tradescreen.Entry{}, source.Errorf(file, r.Line, "name", "empty name")
	}
	e := tradescreen.Entry{
		Source:             code,
		SourceID:           r.sourceID(),
		Kind:               kindOf(r.Type, code),
		Title:              collapse(r.Title),
		Programs:           cleanList(r.Programs),
		LicenseRequirement: strings.TrimSpace(r.LicenseRequirement),
		LicensePolicy:      strings.TrimSpace(r.LicensePolicy),
		FederalRegister:    splitFR(r.FederalRegisterNotice),
		StartDate:          source.NormDate(r.StartDate),
		EndDate:            source.NormDate(r.EndDate),
		StandardOrder:      source.Clean(r.StandardOrder),
		Remarks:            strings.TrimSpace(r.Remarks),
		SourceListURL:      strings.TrimSpace(r.SourceListURL),
		SourceInfoURL:      strings.TrimSpace(r.SourceInformationURL),
		Raw:                r.Raw,
	}
	if e.Title != "" {
		e.Positions = splitItems(e.Title)
	}

	// Names: the name column may carry a.k.a./f.k.a. names and "Affiliated Entity:" / "Subordinate
	// Institution" notes; alt_names holds "; "-separated aliases, some with "and " or "-" before them.
	primary, extra := splitName(name)
	if primary == "" {
		primary = name // a name of punctuation only stays as published
	}
	e.Name = primary
	seen := map[string]bool{}
	add := func(n tradescreen.Name) {
		n.Full = strings.TrimSpace(n.Full)
		if n.Full == "" || (n.Full == e.Name && n.Type == tradescreen.NameAKA && n.Note == "") {
			return
		}
		k := string(n.Type) + "\x00" + n.Full
		if seen[k] {
			return // the same alias twice
		}
		seen[k] = true
		n.Script = scriptOf(n.Full)
		e.Aliases = append(e.Aliases, n)
	}
	for _, n := range extra {
		add(n)
	}
	for _, a := range r.AltNames {
		for _, n := range splitAltNames(collapse(repairText(a))) {
			add(n)
		}
	}

	for _, a := range r.Addresses {
		if ad, ok := mapAddress(a); ok {
			e.Addresses = append(e.Addresses, ad)
		}
	}
	for _, id := range r.IDs {
		if strings.EqualFold(strings.TrimSpace(id.Type), "Gender") && id.Country == "" && id.IssueDate == "" {
			if e.Gender == "" {
				e.Gender = strings.TrimSpace(id.Number)
			}
			continue
		}
		ident := tradescreen.Identifier{
			Type:    strings.TrimSpace(id.Type),
			Number:  strings.TrimSpace(id.Number),
			Issued:  source.NormDate(id.IssueDate),
			Expires: source.NormDate(id.ExpirationDate),
			Note:    id.Note,
		}
		if c := strings.TrimSpace(id.Country); c != "" {
			ident.Country = countryOrName(c)
		}
		if ident.Type == "" && ident.Number == "" {
			continue
		}
		e.Identifiers = append(e.Identifiers, ident)
	}
	for _, d := range r.DatesOfBirth {
		if v := source.NormDate(d); v != "" {
			e.BirthDates = appendUnique(e.BirthDates, v)
		}
	}
	for _, p := range r.PlacesOfBirth {
		if v := collapse(p); v != "" {
			e.BirthPlaces = appendUnique(e.BirthPlaces, v)
		}
	}
	for _, c := range r.Nationalities {
		if v := strings.TrimSpace(c); v != "" {
			e.Nationalities = appendUnique(e.Nationalities, countryOrName(v))
		}
	}
	for _, c := range r.Citizenships {
		if v := strings.TrimSpace(c); v != "" {
			e.Citizenships = appendUnique(e.Citizenships, countryOrName(v))
		}
	}
	v := &tradescreen.Vessel{
		CallSign:               source.Clean(r.CallSign),
		Type:                   source.Clean(r.VesselType),
		Flag:                   source.Clean(r.VesselFlag),
		Owner:                  source.Clean(r.VesselOwner),
		Tonnage:                source.Clean(r.GrossTonnage),
		GrossRegisteredTonnage: source.Clean(r.GrossRegisteredTonnage),
	}
	if *v != (tradescreen.Vessel{}) {
		e.Vessel = v
	}
	return e, nil
}

// sourceID is the record's own identifier: _id, else entity_number (older CSV layout), else a stable hash of
// the record as read.
func (r *record) sourceID() string {
	if id := strings.TrimSpace(r.ID); id != "" {
		return id
	}
	if n := strings.TrimSpace(r.EntityNumber); n != "" {
		return n
	}
	sum := sha256.Sum256(r.Raw)
	return "h" + hex.EncodeToString(sum[:10])
}

// kindOf maps the type column to a Kind. An empty type means an organisation on the Entity, Military End-User
// and Unverified Lists (they list only companies and institutions); elsewhere (Denied Persons, ITAR Debarred,
// Nonproliferation) persons and organisations cannot be told apart, so the kind is unknown.
func kindOf(t, code string) tradescreen.Kind {
	if strings.TrimSpace(t) == "" {
		switch code {
		case "us_el", "us_meu", "us_uvl":
			return tradescreen.KindOrganization
		}
		return tradescreen.KindUnknown
	}
	return tradescreen.ParseKind(t)
}

// mapAddress turns one address item into an Address. From a CSV item ("street, city, state, postal, CC")
// only the trailing country code (or country name) and a purely numeric postal code just before it can be
// told apart reliably, because the CSV drops the empty parts; Full keeps the item as published.
func mapAddress(a recAddress) (tradescreen.Address, bool) {
	if a.Full == "" && a.Address == "" && a.City == "" && a.State == "" && a.PostalCode == "" && a.Country == "" {
		return tradescreen.Address{}, false
	}
	if a.Full == "" { // JSON: the parts are given
		ad := tradescreen.Address{
			Street:      collapse(repairText(a.Address)),
			City:        collapse(repairText(a.City)),
			Region:      collapse(repairText(a.State)),
			PostalCode:  collapse(a.PostalCode),
			CountryName: collapse(a.Country),
		}
		ad.Full = joinNonEmpty(", ", ad.Street, ad.City, ad.Region, ad.PostalCode, ad.CountryName)
		ad.Country = countryCode(ad.CountryName)
		if ad.Country == "" && ad.CountryName == "" { // no country part: read the joined parts as the CSV does
			if c, _ := mapAddress(recAddress{Full: ad.Full}); c.Country != "" {
				ad.Country, ad.CountryName = c.Country, c.CountryName
			}
		}
		return ad, true
	}
	full := collapse(repairText(a.Full))
	// The Entity List joins the last of several addresses with "; and ".
	if strings.HasPrefix(full, "and ") {
		full = strings.TrimSpace(full[4:])
	}
	if full == "" {
		return tradescreen.Address{}, false
	}
	ad := tradescreen.Address{Full: full}
	parts := strings.Split(full, ",")
	last := strings.TrimSpace(parts[len(parts)-1])
	rest := parts[:len(parts)-1]
	switch {
	case len(last) == 2 && isUpperASCII(last):
		if c := countryCode(last); c != "" {
			ad.Country, ad.CountryName = c, last
		}
	case len(parts) > 1:
		// "Billstrasse 123, Hamburg, Germany": a country name in the last place.
		if c := countryCode(last); c != "" {
			ad.Country, ad.CountryName = c, last
		}
	}
	if ad.Country == "" {
		rest = parts
	}
	if len(rest) > 1 {
		if p := strings.TrimSpace(rest[len(rest)-1]); len(p) >= 4 && len(p) <= 6 && allDigits(p) {
			ad.PostalCode = p
		}
	}
	return ad, true
}

// countryCode wraps source.CountryCode, which maps some current country names to withdrawn codes (in this
// tree "Germany" gives DD, "Yemen" YD, "Vietnam" VD: the CLDR names of the former states index the plain
// name first). A withdrawn code is kept only when the name says it is the former state.
func countryCode(s string) string {
	c := source.CountryCode(s)
	modern, ok := withdrawn[c]
	if !ok {
		return c
	}
	low := strings.ToLower(s)
	for _, w := range []string{"east", "south", "democratic", "north", "former", "zaire", "burma", "timor"} {
		if strings.Contains(low, w) {
			return c
		}
	}
	return modern
}

// withdrawn maps withdrawn ISO 3166-1 codes that source.CountryCode may return for a current name to the
// current code.
var withdrawn = map[string]string{"DD": "DE", "YD": "YE", "VD": "VN", "BU": "MM", "ZR": "CD", "TP": "TL"}

// countryOrName returns the ISO code of a country as published, or the value as published.
func countryOrName(s string) string {
	if c := countryCode(s); c != "" {
		return c
	}
	return s
}

// cleanList trims the items of a list and drops empty ones.
func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = source.Clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func joinNonEmpty(sep string, parts ...string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	s = s[:80]
	for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] >= 0xC0 {
		s = s[:len(s)-1]
	}
	return s + "..."
}
