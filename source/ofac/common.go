package ofac

import (
	"strings"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Helpers shared by the OFAC readers (CSV sets, SDN.XML / CONSOLIDATED.xml, enhanced XML): program splitting,
// program -> list code, SDN_Type -> Kind, and parsing of the Remarks field.

// listURL is the OFAC Sanctions List Service page, the source list URL of every OFAC entry.
const listURL = "https://sanctionslist.ofac.treas.gov/"

// splitPrograms splits the Program field. It holds one tag ("SDGT") or several, written "[SDGT] [IRGC]" or,
// in the CSV files where the outer brackets are dropped, "SDGT] [IRGC". Empty markers ("-0-") are dropped.
func splitPrograms(s string) []string {
	s = source.Clean(s)
	if s == "" {
		return nil
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '[' || r == ']' })
	out := make([]string, 0, len(f))
	for _, p := range f {
		if p = source.Clean(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// nonSDNLists are the codes of OFAC's non-SDN lists, which the consolidated (non-SDN) files carry together.
var nonSDNLists = []string{"us_ssi", "us_fse", "us_plc", "us_cap", "us_mbs", "us_cmic"}

// listForPrograms returns the list code of an entry from its programs. Entries of the SDN files are all on
// the SDN list (nonSDN false): "us_sdn". Entries of the non-SDN consolidated files (cons_prim.csv,
// CONSOLIDATED.xml) belong to the list their program tag names (cons_dat_spec.txt: "PROGRAM TAGS ARE ALSO
// USED TO DETERMINE THE LIST THE ENTRIES ARE FROM"); when an entry carries several tags the most specific
// non-SDN list wins: FSE, then NS-PLC, then CAPTA (Part 561), then SSI, then CMIC, then menu-based.
//
// Tags seen in the real files: FSE-SY, FSE-IR, FSE-WMD ... -> us_fse; NS-PLC -> us_plc; 561List,
// 561-Related, CAPTA ... -> us_cap; UKRAINE-EO13662 (the sectoral directives) -> us_ssi; CMIC-EO13959,
// CMIC-EO14032 -> us_cmic; NS-MBS, MBS, CAATSA - RUSSIA, RUSSIA-EO14024 alone (its directives' entities are
// on the Non-SDN Menu-Based Sanctions List, as the enhanced file of 2025-01 names the list of each: the 6
// entities tagged RUSSIA-EO14024 only are there, those tagged with UKRAINE-EO13662 too are on the SSI
// list), and any other non-SDN tag (BURMA-EO14014, ILLICIT-DRUGS-EO14059 menu-based listings, the 2016-2018
// "IRAN" E.O. 13599 entries) -> us_mbs, OFAC's catch-all non-SDN list.
func listForPrograms(programs []string, nonSDN bool) string {
	if !nonSDN {
		return "us_sdn"
	}
	const (
		fse = iota
		plc
		capta
		ssi
		cmic
		mbs
	)
	codes := [...]string{fse: "us_fse", plc: "us_plc", capta: "us_cap", ssi: "us_ssi", cmic: "us_cmic", mbs: "us_mbs"}
	best := mbs
	for _, p := range programs {
		u := strings.ToUpper(strings.TrimSpace(p))
		k := mbs
		switch {
		case strings.HasPrefix(u, "FSE"):
			k = fse
		case u == "NS-PLC" || u == "PLC":
			k = plc
		case strings.HasPrefix(u, "561") || strings.HasPrefix(u, "CAPTA"):
			k = capta
		case strings.HasPrefix(u, "UKRAINE-EO13662") || u == "SSI":
			k = ssi
		case strings.HasPrefix(u, "CMIC"):
			k = cmic
		}
		if k < best {
			best = k
		}
	}
	return codes[best]
}

// kindFromSDNType maps SDN_Type ("individual", "vessel", "aircraft"; "-0-" or empty for entities) to a Kind.
func kindFromSDNType(t string) tradescreen.Kind {
	switch strings.ToLower(source.Clean(t)) {
	case "":
		return tradescreen.KindOrganization
	case "individual":
		return tradescreen.KindPerson
	case "vessel":
		return tradescreen.KindVessel
	case "aircraft":
		return tradescreen.KindAircraft
	case "entity":
		return tradescreen.KindOrganization
	}
	return tradescreen.KindUnknown
}

// remarks is what the OFAC Remarks field encodes, item by item ("DOB 10 Dec 1948; POB Baghdad, Iraq;
// a.k.a. 'ABU ALI'; Passport A123 (Iraq) issued 01 Jan 2000; Linked To: X."). An "alt. " prefix ("alt. DOB",
// "alt. Passport") means one more value of the same kind.
type remarks struct {
	// Aliases are the names in the remarks. cons_dat_spec.txt: weak AKAs are not in the alt file but in the
	// remarks, "bracketed by quotation marks" (single quotes in the CSV): "a.k.a. 'BNC'" is a weak a.k.a.;
	// "f.k.a. '...'" / "n.k.a. '...'" are kept as fka/nka with Note "weak". An unquoted a.k.a. is strong.
	Aliases       []tradescreen.Name
	BirthDates    []string // DOB, YYYY-MM-DD when a full date, else as published ("circa 1951", "1955 to 1957")
	BirthPlaces   []string // POB
	Nationalities []string // nationality: ISO alpha-2 when known, else as published
	Citizenships  []string // citizen: ISO alpha-2 when known, else as published
	Identifiers   []tradescreen.Identifier
	Gender        string
	Title         string
	LinkedTo      []string // "Linked To:" names
	// Sanctions holds the sanctions-treatment items: "Additional Sanctions Information - ...", "Secondary
	// sanctions risk: ...", "Transactions Prohibited For ...", directive determinations and dates, CAATSA
	// Section 235 information, "U.S. Persons Must Continue to Block ...".
	Sanctions []string
	// IMO and MMSI are the vessel numbers, also present in Identifiers.
	IMO, MMSI string
	// Other is every item not recognised above, as published.
	Other []string
}

// idTypes are the identifier labels the Remarks field uses, matched as a prefix followed by the number.
// Longer labels come before their prefixes.
var idTypes = []string{
	"Vessel Registration Identification", "MMSI", "Former Vessel Flag", "Other Vessel Flag", "Other Vessel Call Sign",
	"Other Vessel Type", "Vessel Year of Build", "Vessel Flag",
	"Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Construction Number (also called L/N or S/N or F/N)",
	"Aircraft Tail Number", "Aircraft Model", "Aircraft Manufacture Date", "Aircraft Operator", "Aircraft Mode S Transponder Code",
	"Previous Aircraft Tail Number",
	"Diplomatic Passport", "Passport", "National ID No.", "National Foreign ID Number", "Personal ID Card", "Identification Number",
	"Tax ID No.", "Registration ID", "Registration Number", "Cedula No.", "NIT #", "RUC #", "D.N.I.", "C.U.R.P.", "R.F.C.",
	"SSN", "Driver's License No.", "SWIFT/BIC", "Email Address", "Website", "Phone Number", "Telephone", "Fax",
	"Government Gazette Number", "UK Company Number", "Company Number", "Trade License No.", "Business Registration Document #",
	"Business Registration Number", "Folio Mercantil No.", "Matricula Mercantil No", "Commercial Registry Number",
	"V.A.T. Number", "BIK (RU)", "Legal Entity Number", "ISIN", "Equity Ticker", "Issuer Name",
	"Unified Social Credit Code (USCC)", "Chinese Commercial Code", "Central Registration System Number", "US FEIN",
	"Chamber of Commerce Number", "Public Registration Number", "Birth Certificate Number",
	"Cartilla de Servicio Militar Nacional", "Credencial electoral", "Electoral Registry No.", "RIF #", "C.R. No.",
	"D-U-N-S Number", "Economic Register Number (CBLS)", "Italian Fiscal Code", "Kenyan ID No.", "Stateless Person ID Card",
	"Refugee ID Card", "Residency Number", "Serial No.", "Citizen's Card Number", "Immigration No.", "Travel Document Number",
	"Turkish Identification Number", "Istanbul Chamber of Comm. No.", "Afghan Money Service Provider License Number",
	"Money Service Bureau License Number", "MSB Registration Number", "Pasaporte", "CUIT", "Romanian Tax Registration",
	"Romanian Permanent Resident", "Numero Unico de Identificacao Tributaria (NUIT)", "Nationality of Registration",
	"Bosnian Personal ID No.", "Dubai Chamber of Commerce Membership No.", "Enterprise Number", "File Number",
	"Business Number", "Branch Unit Number", "Certificate of Incorporation Number", "Permit Number",
	"Numero de Identidad", "LE Number", "License", "Digital Currency Address - ", "Moroccan Personal ID No.", "Trade Register Number",
	"Russian State Individual Business Registration Number Pattern (OGRNIP)", "Registered Charity No.",
	"United Social Credit Code Certificate (USCCC)", "Tax Registration Number", "CNPJ (Brazil)", "Ship Registration Number",
}

// sanctionsPrefixes start the items that carry sanctions-treatment information.
var sanctionsPrefixes = []string{
	"Additional Sanctions Information", "Secondary sanctions risk", "Transactions Prohibited For",
	"Executive Order", "CAATSA Section 235", "U.S. Persons Must", "Listing Date", "Effective Date",
	"Purchase/Sales For Divestment Date", "For more information", "IFCA Determination", "Sanctions Information",
}

// maxRemarks bounds the remarks text parseRemarks looks at (the official limit is 1000 characters; with the
// spillover files real remarks reach a few thousand).
const maxRemarks = 1 << 20

// parseRemarks splits the Remarks field into its items and sorts them into a remarks value. It never fails:
// anything it does not recognise is kept in Other.
func parseRemarks(s string) remarks {
	var r remarks
	s = trimRemarksEnd(source.Clean(s))
	if len(s) > maxRemarks {
		s = s[:maxRemarks]
	}
	if s == "" {
		return r
	}
	for _, item := range strings.Split(s, "; ") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		r.add(item)
	}
	return r
}

// trimRemarksEnd drops the period OFAC ends the remarks with, unless it belongs to a final abbreviation
// ("... Linked To: NEW AHMADI LTD." has no extra period).
func trimRemarksEnd(s string) string {
	if !strings.HasSuffix(s, ".") {
		return s
	}
	if strings.HasSuffix(s, "..") {
		return s[:len(s)-1]
	}
	body := s[:len(s)-1]
	i := strings.LastIndexAny(body, " ,'")
	last := strings.ToUpper(body[i+1:])
	if strings.Contains(last, ".") {
		return s // "S.A." "C.V." "L.L.C."
	}
	switch last {
	case "CO", "LTD", "INC", "CORP", "JR", "SR", "LLC", "PLC", "BHD", "PTE", "PVT", "S", "A", "ST", "NO", "DR", "MR":
		return s
	}
	if strings.HasPrefix(strings.TrimSpace(body[strings.LastIndex(body, ";")+1:]), "Linked To:") && len(last) == 1 {
		return s
	}
	return body
}

func (r *remarks) add(item string) {
	alt := false
	if strings.HasPrefix(item, "alt. ") {
		alt = true
		item = strings.TrimSpace(item[5:])
	}
	low := strings.ToLower(item)
	switch {
	case hasWordPrefix(low, "a.k.a.") || hasWordPrefix(low, "f.k.a.") || hasWordPrefix(low, "n.k.a."):
		typ := tradescreen.NameAKA
		switch low[0] {
		case 'f':
			typ = tradescreen.NameFKA
		case 'n':
			typ = tradescreen.NameNKA
		}
		v := strings.TrimSpace(item[6:])
		v = strings.TrimSuffix(v, ".")
		n := tradescreen.Name{Type: typ}
		if len(v) >= 2 && isQuote(v[0]) && isQuote(v[len(v)-1]) {
			v = strings.TrimSpace(v[1 : len(v)-1])
			if typ == tradescreen.NameAKA {
				n.Type = tradescreen.NameWeakAKA
			} else {
				n.Note = "weak"
			}
		}
		if v == "" {
			r.Other = append(r.Other, item)
			return
		}
		n.Full = v
		n.Script = scriptOf(v)
		r.Aliases = append(r.Aliases, n)
	case hasWordPrefix(item, "DOB"):
		r.BirthDates = append(r.BirthDates, normDOB(strings.TrimSpace(item[3:])))
	case hasWordPrefix(item, "POB"):
		if v := strings.TrimSpace(item[3:]); v != "" {
			r.BirthPlaces = append(r.BirthPlaces, v)
		}
	case hasWordPrefix(low, "nationality") && !strings.HasPrefix(low, "nationality of"):
		r.Nationalities = append(r.Nationalities, countryOrName(item[len("nationality"):]))
	case hasWordPrefix(low, "citizen"):
		r.Citizenships = append(r.Citizenships, countryOrName(item[len("citizen"):]))
	case hasWordPrefix(item, "Gender"):
		r.Gender = strings.TrimSuffix(strings.TrimSpace(item[len("Gender"):]), ".")
	case hasWordPrefix(item, "Title:") || hasWordPrefix(item, "Title"):
		v := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(item, "Title"), ":"))
		if r.Title == "" {
			r.Title = v
		} else {
			r.Title += "; " + v
		}
	case strings.HasPrefix(item, "Linked To:"):
		if v := strings.TrimSpace(item[len("Linked To:"):]); v != "" {
			r.LinkedTo = append(r.LinkedTo, v)
		}
	default:
		for _, p := range sanctionsPrefixes {
			if strings.HasPrefix(item, p) {
				r.Sanctions = append(r.Sanctions, item)
				return
			}
		}
		if id, ok := parseIdentifier(item); ok {
			switch id.Type {
			case "Vessel Registration Identification":
				if r.IMO == "" {
					r.IMO = strings.TrimSpace(strings.TrimPrefix(id.Number, "IMO"))
				}
			case "MMSI":
				if r.MMSI == "" {
					r.MMSI = id.Number
				}
			}
			r.Identifiers = append(r.Identifiers, id)
			return
		}
		if alt {
			item = "alt. " + item
		}
		r.Other = append(r.Other, item)
	}
}

// parseIdentifier reads "<label> [No.|#] <number> [(Country)] [issued DATE] [expires DATE]".
func parseIdentifier(item string) (tradescreen.Identifier, bool) {
	for _, t := range idTypes {
		if !strings.HasPrefix(item, t) {
			continue
		}
		rest := item[len(t):]
		if !strings.HasSuffix(t, " ") {
			if rest == "" || (rest[0] != ' ' && rest[0] != ':') {
				continue
			}
		}
		typ := strings.TrimSpace(t)
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
		if strings.HasSuffix(t, " ") { // "Digital Currency Address - XBT 1Kuf..."
			if i := strings.IndexByte(rest, ' '); i > 0 {
				typ += " " + rest[:i]
				rest = strings.TrimSpace(rest[i+1:])
			}
		}
		for _, p := range []string{"No. ", "# ", "Number "} {
			if strings.HasPrefix(rest, p) && len(rest) > len(p) {
				rest = strings.TrimSpace(rest[len(p):])
				break
			}
		}
		id := tradescreen.Identifier{Type: typ}
		if i := strings.LastIndex(rest, " expires "); i >= 0 {
			id.Expires = source.NormDate(strings.TrimSuffix(rest[i+9:], "."))
			rest = strings.TrimSpace(rest[:i])
		}
		if i := strings.LastIndex(rest, " issued "); i >= 0 {
			id.Issued = source.NormDate(strings.TrimSuffix(rest[i+8:], "."))
			rest = strings.TrimSpace(rest[:i])
		}
		rest = strings.TrimSpace(strings.TrimSuffix(rest, "."))
		if strings.HasSuffix(rest, ")") {
			if i := strings.LastIndex(rest, " ("); i > 0 {
				c := rest[i+2 : len(rest)-1]
				if code := countryCode(c); code != "" {
					id.Country = code
					rest = strings.TrimSpace(rest[:i])
				} else if !strings.ContainsAny(c, "0123456789") && len(c) > 2 {
					id.Country = c
					rest = strings.TrimSpace(rest[:i])
				}
			}
		}
		if rest == "" {
			return tradescreen.Identifier{}, false
		}
		id.Number = rest
		return id, true
	}
	return tradescreen.Identifier{}, false
}

// hasWordPrefix reports whether s starts with p followed by a space or the end.
func hasWordPrefix(s, p string) bool {
	return strings.HasPrefix(s, p) && (len(s) == len(p) || s[len(p)] == ' ')
}

func isQuote(c byte) bool { return c == '\'' || c == '"' }

// normDOB normalises a DOB value: full dates become YYYY-MM-DD, years and months stay as they are, and ranges
// or "circa" values are kept as published.
func normDOB(v string) string {
	v = strings.TrimSuffix(strings.TrimSpace(v), ".")
	return source.NormDate(v)
}

// countryOrName returns the ISO code of a published country, or the country as published.
func countryOrName(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if c := countryCode(s); c != "" {
		return c
	}
	return s
}

// scriptOf names the non-Latin script a name is written in ("Han", "Cyrillic", "Arabic" ...), or "" for
// Latin or mixed-with-Latin text.
func scriptOf(s string) string {
	scripts := []struct {
		name string
		tab  *unicode.RangeTable
	}{
		{"Han", unicode.Han}, {"Cyrillic", unicode.Cyrillic}, {"Arabic", unicode.Arabic}, {"Hangul", unicode.Hangul},
		{"Hebrew", unicode.Hebrew}, {"Greek", unicode.Greek}, {"Thai", unicode.Thai}, {"Georgian", unicode.Georgian},
		{"Armenian", unicode.Armenian}, {"Hiragana", unicode.Hiragana}, {"Katakana", unicode.Katakana},
		{"Devanagari", unicode.Devanagari}, {"Myanmar", unicode.Myanmar}, {"Khmer", unicode.Khmer},
	}
	found := ""
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			return ""
		}
		if found != "" {
			continue
		}
		for _, sc := range scripts {
			if unicode.Is(sc.tab, r) {
				found = sc.name
				break
			}
		}
	}
	return found
}

// splitPersonName splits "LAST, First" at the first comma into family and given name. Names without a
// comma give no parts.
func splitPersonName(s string) (family, given string) {
	i := strings.IndexByte(s, ',')
	if i < 0 {
		return "", ""
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
}

// countryCode is source.CountryCode corrected for the OFAC spellings: source.CountryCode returns retired
// codes for some names ("Panama" -> PZ, "Benin" -> DY, "Burkina Faso" -> HV, "France" -> FX, "United
// Kingdom" -> UK) and misses a few OFAC forms ("Man, Isle of", "Trinidad and Tobago", "North Macedonia, The
// Republic of", "Region: Gaza").
func countryCode(name string) string {
	name = strings.TrimSpace(name)
	if c, ok := ofacCountries[strings.ToLower(name)]; ok {
		return c
	}
	c := source.CountryCode(name)
	if r, ok := retiredCodes[c]; ok {
		return r
	}
	return c
}

// retiredCodes maps withdrawn ISO 3166-1 codes of renamed countries to their current codes.
var retiredCodes = map[string]string{
	"BU": "MM", "DY": "BJ", "FX": "FR", "HV": "BF", "NH": "VU", "PZ": "PA", "RH": "ZW", "TP": "TL", "UK": "GB", "ZR": "CD",
}

// ofacCountries are OFAC country spellings source.CountryCode does not know.
var ofacCountries = map[string]string{
	"man, isle of":                               "IM",
	"trinidad and tobago":                        "TT",
	"north macedonia, the republic of":           "MK",
	"macedonia, the former yugoslav republic of": "MK",
	"region: gaza":                               "PS",
	"region: northern mali":                      "ML",
	"region: crimea":                             "UA",
	"west bank":                                  "PS",
	"gaza":                                       "PS",
	"palestinian":                                "PS",
	"undetermined":                               "",
}
