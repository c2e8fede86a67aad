package un

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// node is one XML element as read: an INDIVIDUAL or ENTITY record and, recursively, its children. The
// record's elements, with their official names (sc-sanctions.xsd), are:
//
//	DATAID                    the UN's internal record id
//	VERSIONNUM                record version
//	FIRST_NAME ... FOURTH_NAME name parts (an entity's name is in FIRST_NAME)
//	UN_LIST_TYPE              sanctions regime: Al-Qaida, Taliban, DPRK, Iraq, DRC, Iran, Libya ...
//	REFERENCE_NUMBER          permanent reference ("QDi.431"): the entry's source_id
//	LISTED_ON                 date of listing
//	GENDER                    Male / Female
//	SUBMITTED_BY, SUBMITTED_ON (rare, older files)
//	NAME_ORIGINAL_SCRIPT      the name in its original script (Arabic, Cyrillic, Han, Ethiopic ...)
//	COMMENTS1                 narrative remarks
//	TITLE/VALUE               titles (Haji, Maulavi ...)
//	DESIGNATION/VALUE         positions held
//	NATIONALITY/VALUE         nationalities, as country names
//	LIST_TYPE/VALUE           "UN List"
//	LAST_DAY_UPDATED/VALUE    dates the record was amended
//	INDIVIDUAL_ALIAS / ENTITY_ALIAS            QUALITY (Good, Low, a.k.a., f.k.a.), ALIAS_NAME, NOTE,
//	                                           DATE_OF_BIRTH, CITY_OF_BIRTH, COUNTRY_OF_BIRTH
//	INDIVIDUAL_ADDRESS / ENTITY_ADDRESS        STREET, CITY, STATE_PROVINCE, ZIP_CODE, COUNTRY, NOTE
//	INDIVIDUAL_DATE_OF_BIRTH  TYPE_OF_DATE (EXACT, APPROXIMATELY, BETWEEN), DATE, YEAR, FROM_YEAR, TO_YEAR, NOTE
//	INDIVIDUAL_PLACE_OF_BIRTH STREET, CITY, STATE_PROVINCE, COUNTRY, NOTE
//	INDIVIDUAL_DOCUMENT       TYPE_OF_DOCUMENT, TYPE_OF_DOCUMENT2, NUMBER, ISSUING_COUNTRY, DATE_OF_ISSUE,
//	                          CITY_OF_ISSUE, COUNTRY_OF_ISSUE, NOTE
//	SORT_KEY, SORT_KEY_LAST_MOD
type node struct {
	XMLName xml.Name
	Attr    []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

// check enforces the depth and field-size bounds and returns the path of the offending element.
func (n *node) check(depth int) (string, error) {
	if depth > maxDepth {
		return n.XMLName.Local, fmt.Errorf("elements nested more than %d deep", maxDepth)
	}
	if len(n.Text) > maxFieldBytes {
		return n.XMLName.Local, fmt.Errorf("text longer than %d bytes", maxFieldBytes)
	}
	for i := range n.Nodes {
		if path, err := n.Nodes[i].check(depth + 1); err != nil {
			if depth == 0 {
				return path, err
			}
			return n.XMLName.Local + "/" + path, err
		}
	}
	return "", nil
}

// leaf returns the collapsed text of the first child called name, or "".
func (n *node) leaf(name string) string {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return collapse(n.Nodes[i].Text)
		}
	}
	return ""
}

// all returns the children called name.
func (n *node) all(name string) []*node {
	var out []*node
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			out = append(out, &n.Nodes[i])
		}
	}
	return out
}

// values returns the collapsed, non-empty VALUE texts under every child called name (TITLE, DESIGNATION,
// NATIONALITY, LIST_TYPE, LAST_DAY_UPDATED).
func (n *node) values(name string) []string {
	var out []string
	for _, c := range n.all(name) {
		if len(c.Nodes) == 0 {
			if v := collapse(c.Text); v != "" {
				out = append(out, v) // tolerate a bare value without <VALUE>
			}
			continue
		}
		for _, v := range c.all("VALUE") {
			if s := collapse(v.Text); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// entry maps one record to an Entry.
func (p *parser) entry(n *node, line int) (tradescreen.Entry, error) {
	rec := n.XMLName.Local
	e := tradescreen.Entry{
		Source:        Source,
		SourceID:      n.leaf("REFERENCE_NUMBER"),
		Kind:          tradescreen.KindOrganization,
		Programs:      n.values("UN_LIST_TYPE"),
		Gender:        n.leaf("GENDER"),
		Title:         strings.Join(n.values("TITLE"), "; "),
		Positions:     n.values("DESIGNATION"),
		ListedOn:      normDate(n.leaf("LISTED_ON")),
		Remarks:       n.leaf("COMMENTS1"),
		SourceListURL: ListURL,
	}
	if rec == "INDIVIDUAL" {
		e.Kind = tradescreen.KindPerson
	}
	if e.SourceID == "" {
		return e, source.Errorf(p.name, line, "REFERENCE_NUMBER", "%s record (DATAID %q) has no REFERENCE_NUMBER", rec, clip(n.leaf("DATAID"), 20))
	}
	var parts []string
	for _, f := range []string{"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"} {
		if v := n.leaf(f); v != "" {
			parts = append(parts, v)
		}
	}
	e.Name = strings.Join(parts, " ")
	if e.Name == "" {
		return e, source.Errorf(p.name, line, "FIRST_NAME", "record %s has no name", e.SourceID)
	}
	p.note(e.ListedOn)
	for _, v := range n.values("LAST_DAY_UPDATED") {
		d := normDate(v)
		p.note(d)
		if d > e.LastUpdated {
			e.LastUpdated = d
		}
	}

	al := aliasSet{primary: e.Name, seen: map[string]bool{strings.ToLower(e.Name): true}}
	if v := n.leaf("NAME_ORIGINAL_SCRIPT"); v != "" {
		name, lang := splitLanguage(v)
		al.add(name, tradescreen.NameAKA, lang)
	}
	for _, a := range append(n.all("INDIVIDUAL_ALIAS"), n.all("ENTITY_ALIAS")...) {
		typ := aliasType(a.leaf("QUALITY"))
		note := a.leaf("NOTE")
		for _, s := range splitAlias(a.leaf("ALIAS_NAME")) {
			al.add(s, typ, note)
			for _, t := range noteNames(s, note) {
				al.add(t, typ, "")
			}
		}
		for _, s := range scriptNames(note) {
			al.add(s, typ, "")
		}
		if d := birthDate(a.leaf("DATE_OF_BIRTH"), "", ""); d != "" {
			e.BirthDates = appendNew(e.BirthDates, d)
		}
		if pl := joinParts(a.leaf("CITY_OF_BIRTH"), a.leaf("COUNTRY_OF_BIRTH")); pl != "" {
			e.BirthPlaces = appendNew(e.BirthPlaces, pl)
		}
	}

	for _, a := range append(n.all("INDIVIDUAL_ADDRESS"), n.all("ENTITY_ADDRESS")...) {
		ad := tradescreen.Address{
			Street:      a.leaf("STREET"),
			City:        a.leaf("CITY"),
			Region:      a.leaf("STATE_PROVINCE"),
			PostalCode:  a.leaf("ZIP_CODE"),
			CountryName: a.leaf("COUNTRY"),
			Note:        a.leaf("NOTE"),
		}
		ad.Full = joinParts(ad.Street, ad.City, ad.Region, ad.PostalCode, ad.CountryName)
		if ad.Full == "" && ad.Note == "" {
			continue
		}
		ad.Country = countryCode(ad.CountryName)
		e.Addresses = append(e.Addresses, ad)
	}

	for _, b := range n.all("INDIVIDUAL_DATE_OF_BIRTH") {
		d := birthDate(b.leaf("DATE"), b.leaf("YEAR"), b.leaf("TYPE_OF_DATE"))
		if from, to := b.leaf("FROM_YEAR"), b.leaf("TO_YEAR"); from != "" || to != "" {
			d = birthDate("", joinRange(from, to), b.leaf("TYPE_OF_DATE"))
		}
		d = withNote(d, b.leaf("NOTE"))
		if d != "" {
			e.BirthDates = appendNew(e.BirthDates, d)
		}
	}
	for _, b := range n.all("INDIVIDUAL_PLACE_OF_BIRTH") {
		pl := withNote(joinParts(b.leaf("STREET"), b.leaf("CITY"), b.leaf("STATE_PROVINCE"), b.leaf("COUNTRY")), b.leaf("NOTE"))
		if pl != "" {
			e.BirthPlaces = appendNew(e.BirthPlaces, pl)
		}
	}
	for _, v := range n.values("NATIONALITY") {
		if c := countryCode(v); c != "" {
			v = c
		}
		e.Nationalities = appendNew(e.Nationalities, v)
	}
	for _, doc := range n.all("INDIVIDUAL_DOCUMENT") {
		if id, ok := identifier(doc); ok {
			e.Identifiers = append(e.Identifiers, id)
		}
		for _, s := range scriptNames(doc.leaf("NOTE")) {
			al.add(s, tradescreen.NameAKA, "")
		}
	}
	e.Aliases = al.names

	raw, err := rawJSON(n)
	if err != nil {
		return e, source.Errorf(p.name, line, rec, "cannot encode record %s: %v", e.SourceID, err)
	}
	e.Raw = raw
	return e, nil
}

// note records a date for the inferred publication date.
func (p *parser) note(d string) {
	if isFullDate(d) && d > p.latest {
		p.latest = d
	}
}

// identifier maps one INDIVIDUAL_DOCUMENT. Documents without a number (the number is then often in NOTE or
// TYPE_OF_DOCUMENT2) are kept, with the text in Note.
func identifier(doc *node) (tradescreen.Identifier, bool) {
	typ, typ2 := doc.leaf("TYPE_OF_DOCUMENT"), doc.leaf("TYPE_OF_DOCUMENT2")
	if typ == "" {
		typ, typ2 = typ2, ""
	}
	issuing, ofIssue := doc.leaf("ISSUING_COUNTRY"), doc.leaf("COUNTRY_OF_ISSUE")
	note := doc.leaf("NOTE")
	id := tradescreen.Identifier{
		Type:   typ,
		Number: doc.leaf("NUMBER"),
		Issued: normDate(doc.leaf("DATE_OF_ISSUE")),
	}
	var notes []string
	if typ2 != "" && !strings.EqualFold(typ2, typ) {
		notes = append(notes, typ2)
	}
	if c := doc.leaf("CITY_OF_ISSUE"); c != "" {
		notes = append(notes, "issued in "+c)
	}
	country := issuing
	if country == "" {
		country = ofIssue
	} else if ofIssue != "" && !strings.EqualFold(ofIssue, issuing) {
		notes = append(notes, "country of issue: "+ofIssue)
	}
	if note != "" {
		notes = append(notes, note)
	}
	id.Note = strings.Join(notes, "; ")
	if c := countryCode(country); c != "" {
		id.Country = c
	} else {
		id.Country = country
	}
	id.Expires = expiry(note)
	if id.Type == "" && id.Number == "" && id.Note == "" && id.Country == "" && id.Issued == "" {
		return id, false
	}
	return id, true
}

var expiryRe = regexp.MustCompile(`(?i)\bexpir(?:es|ed|y|y date|ing|ation date)?:?\s+(?:on\s+)?(\d{1,2}\s+[A-Za-z]{3,9}\.?\s*\d{4}|\d{4}-\d{2}-\d{2})`)

// expiry reads "expires on 31 Aug. 2021" / "expired on 27 Feb. 2001" / "expiry 3 May 2024" from a document
// note and returns the date as YYYY-MM-DD, or "".
func expiry(note string) string {
	m := expiryRe.FindStringSubmatch(note)
	if m == nil {
		return ""
	}
	s := strings.Join(strings.Fields(strings.ReplaceAll(m[1], ".", " ")), " ")
	s = strings.Replace(s, "Sept ", "Sep ", 1)
	for _, l := range []string{"2006-01-02", "2 Jan 2006", "2 January 2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return ""
}

// birthDate renders one INDIVIDUAL_DATE_OF_BIRTH: "1961-05-01", "1971", "approximately 1966", "1950-1955".
func birthDate(date, year, typ string) string {
	v := normDate(date)
	if v == "" {
		v = year
	}
	if v == "" {
		return ""
	}
	if strings.EqualFold(typ, "APPROXIMATELY") {
		return "approximately " + v
	}
	return v
}

// withNote appends a published note to a value: "1958 (Sep.)"; a note alone stands for the value, and the
// note "Approximately" on a range becomes a prefix.
func withNote(v, note string) string {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return v
	case v == "":
		return note
	case strings.EqualFold(note, "approximately"):
		if strings.HasPrefix(v, "approximately ") {
			return v
		}
		return "approximately " + v
	}
	return v + " (" + note + ")"
}

func joinRange(from, to string) string {
	switch {
	case from == "":
		return to
	case to == "" || to == from:
		return from
	}
	return from + "-" + to
}

// joinParts joins the non-empty parts with ", ", dropping a part equal to the one before it.
func joinParts(parts ...string) string {
	var out []string
	for _, s := range parts {
		if s == "" || (len(out) > 0 && strings.EqualFold(out[len(out)-1], s)) {
			continue
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// collapse trims s and turns every run of white space (the pretty-printed files break lines inside values)
// into one space.
func collapse(s string) string {
	if !strings.ContainsAny(s, " \t\r\n\u00a0") {
		return s
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// normDate normalizes a date: the files use xs:date, sometimes with a time-zone offset ("2001-01-25-05:00")
// or a time ("2026-02-27T00:00:09.554Z"); the date part is kept as written. Other spellings go through
// source.NormDate, which keeps what it cannot read.
func normDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && isFullDate(s[:10]) {
		if len(s) == 10 || strings.ContainsRune("TZ+- ", rune(s[10])) {
			return s[:10]
		}
	}
	return source.NormDate(s)
}

func isFullDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// repeatable are the elements the schema allows more than once; in Raw they are always arrays.
var repeatable = map[string]bool{
	"VALUE": true, "INDIVIDUAL_ALIAS": true, "ENTITY_ALIAS": true, "INDIVIDUAL_ADDRESS": true,
	"ENTITY_ADDRESS": true, "INDIVIDUAL_DATE_OF_BIRTH": true, "INDIVIDUAL_PLACE_OF_BIRTH": true,
	"INDIVIDUAL_DOCUMENT": true,
}

// containers are the elements the schema defines as groups of other elements.
var containers = map[string]bool{
	"INDIVIDUAL_ALIAS": true, "ENTITY_ALIAS": true, "INDIVIDUAL_ADDRESS": true, "ENTITY_ADDRESS": true,
	"INDIVIDUAL_DATE_OF_BIRTH": true, "INDIVIDUAL_PLACE_OF_BIRTH": true, "INDIVIDUAL_DOCUMENT": true,
	"TITLE": true, "DESIGNATION": true, "NATIONALITY": true, "LIST_TYPE": true, "LAST_DAY_UPDATED": true,
}

// rawJSON writes a record as a compact JSON object keyed by the official element names, in file order:
// text elements become strings (trimmed, otherwise as read), elements with children become objects, and
// repeated or repeatable elements become arrays.
func rawJSON(n *node) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := writeObject(&buf, enc, n); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.Clone(buf.Bytes())), nil
}

func writeObject(buf *bytes.Buffer, enc *json.Encoder, n *node) error {
	buf.WriteByte('{')
	first := true
	key := func(k string) error {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		return writeString(buf, enc, k)
	}
	for _, a := range n.Attr {
		if err := key("@" + a.Name.Local); err != nil {
			return err
		}
		buf.WriteByte(':')
		if err := writeString(buf, enc, a.Value); err != nil {
			return err
		}
	}
	if len(n.Nodes) > 0 {
		if t := strings.TrimSpace(n.Text); t != "" {
			if err := key("#text"); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := writeString(buf, enc, t); err != nil {
				return err
			}
		}
	}
	done := map[string]bool{}
	for i := range n.Nodes {
		name := n.Nodes[i].XMLName.Local
		if done[name] {
			continue
		}
		done[name] = true
		group := n.all(name)
		if err := key(name); err != nil {
			return err
		}
		buf.WriteByte(':')
		array := len(group) > 1 || repeatable[name]
		if array {
			buf.WriteByte('[')
		}
		for j, c := range group {
			if j > 0 {
				buf.WriteByte(',')
			}
			if err := writeValue(buf, enc, c); err != nil {
				return err
			}
		}
		if array {
			buf.WriteByte(']')
		}
	}
	buf.WriteByte('}')
	return nil
}

func writeValue(buf *bytes.Buffer, enc *json.Encoder, n *node) error {
	if len(n.Nodes) == 0 && len(n.Attr) == 0 {
		t := strings.TrimSpace(n.Text)
		if t == "" && containers[n.XMLName.Local] {
			buf.WriteString("{}") // <INDIVIDUAL_DOCUMENT/>: an empty group, not an empty string
			return nil
		}
		return writeString(buf, enc, t)
	}
	return writeObject(buf, enc, n)
}

func writeString(buf *bytes.Buffer, enc *json.Encoder, s string) error {
	if err := enc.Encode(s); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
	return nil
}

// countryFallback holds spellings of the UN list that source.CountryCode does not know: official long forms
// and, in older files, adjectives used for a document's issuing country or a nationality.
var countryFallback = map[string]string{
	"china, hong kong special administrative region": "HK",
	"hong kong special administrative region":        "HK",
	"china, macao special administrative region":     "MO",
	"sultanate of oman":                              "OM",
	"union of the comoros":                           "KM",
	"rpdc":                                           "KP",
	"afghan":                                         "AF",
	"algerian":                                       "DZ",
	"german":                                         "DE",
	"indonesian":                                     "ID",
	"iraqi":                                          "IQ",
	"kuwaiti":                                        "KW",
	"libyan":                                         "LY",
	"moroccan":                                       "MA",
	"pakistani":                                      "PK",
	"saudi arabian":                                  "SA",
	"somali":                                         "SO",
	"tunisian":                                       "TN",
	"yemeni":                                         "YE",
}

// countryCode is source.CountryCode plus two repairs: names written with "and" where CLDR writes "&"
// ("Trinidad and Tobago", "Antigua and Barbuda") and the spellings in countryFallback.
func countryCode(name string) string {
	if name == "" {
		return ""
	}
	if c := source.CountryCode(name); c != "" {
		return c
	}
	if c, ok := countryFallback[strings.ToLower(name)]; ok {
		return c
	}
	if strings.Contains(name, " and ") {
		return source.CountryCode(strings.ReplaceAll(name, " and ", " "))
	}
	return ""
}
