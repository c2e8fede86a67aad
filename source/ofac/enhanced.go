package ofac

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// This file reads the OFAC enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML, also served zipped as
// SDN_ENHANCED.ZIP / CONS_ENHANCED.ZIP), namespace
// https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML:
//
//	<sanctionsData>
//	  <publicationInfo> dataAsOf (2025-01-10T00:00:00), filters/sanctionsLists/sanctionsList ("Consolidated List")
//	  <referenceValues> referenceValue@refId: type (COUNTRY, SCRIPT, ALIAS TYPE ...), value, code, isoCode
//	  <featureTypes> featureType@featureTypeId: type ("Birthdate"), detailType (DATE, TEXT, COUNTRY, LOOKUP)
//	  <entities> entity@id:
//	    generalInfo (identityId, entityType Individual|Entity|Vessel|Aircraft, remarks)
//	    sanctionsLists/sanctionsList@datePublished ("SDN List", "Sectoral Sanctions Identifications List" ...)
//	    sanctionsPrograms/sanctionsProgram, sanctionsTypes/sanctionsType, legalAuthorities/legalAuthority
//	    names/name (isPrimary, aliasType A.K.A.|F.K.A.|N.K.A., isLowQuality,
//	      translations/translation (isPrimary, script Latin|Cyrillic|Chinese Simplified ..., formattedFirstName,
//	      formattedLastName, formattedFullName, nameParts/namePart (type, value)))
//	    addresses/address (country@refId, translations/translation (isPrimary, script,
//	      addressParts/addressPart (type ADDRESS1|ADDRESS2|ADDRESS3|CITY|STATE/PROVINCE|POSTAL CODE|REGION, value)))
//	    features/feature (type@featureTypeId, value, valueRefId, valueDate, isPrimary, reliability, comments)
//	    identityDocuments/identityDocument (type, name, documentNumber, isValid, issuingLocation,
//	      issuingAuthority, issuingCountry@refId)
//	    relationships/relationship (type, relatedEntity@entityId, quality)
//
// The entity id is the uid of SDN.XML / CONSOLIDATED.xml and the ent_num of the CSV files.

// ParseEnhanced reads the enhanced XML format, as an XML document or inside a ZIP archive; b may also be
// gzip-compressed. name is the file name used in errors and in ListVersion.Origin.
//
// Each entity maps to one Entry: the Latin primary translation of the primary name is the name ("LAST,
// First" for individuals, as OFAC formats it); every other name and translation is an alias (A.K.A., weak
// A.K.A. when isLowQuality, F.K.A., N.K.A.), non-Latin translations with their Script. Features give birth
// dates, places of birth, nationalities, citizenships, gender, title and vessel details; every other feature
// (SWIFT/BIC, IMO, e-mail, directive dates ...) and every identity document becomes an Identifier. The list
// code comes from the entity's sanctionsLists (the most specific non-SDN list in a consolidated file, as
// listForPrograms orders them), falling back to its programs. Published is publicationInfo/dataAsOf. An
// sdnList document (SDN.XML, CONSOLIDATED.xml, SDN_XML.ZIP) is read as by ParseXML. Errors are
// *tradescreen.ParseError naming the file (and the archive member), the line and the element.
func ParseEnhanced(b []byte, name string) (*source.Dataset, error) {
	sum := source.SHA256(b)
	text, err := prepareXML(b, name)
	if err != nil {
		return nil, err
	}
	errName := name
	if bytes.HasPrefix(text, []byte("PK\x03\x04")) {
		member, data, err := unzipXML(text, name)
		if err != nil {
			return nil, err
		}
		errName = name + "/" + member
		if text, err = prepareXML(data, errName); err != nil {
			return nil, err
		}
		if bytes.HasPrefix(text, []byte("PK\x03\x04")) {
			return nil, source.Errorf(errName, 0, "", "a ZIP archive inside the ZIP archive")
		}
	}
	dec := newXMLDecoder(text)
	root, line, err := rootElement(dec, errName)
	if err != nil {
		return nil, err
	}
	switch root.Name.Local {
	case "sanctionsData":
		return parseEnhancedXML(dec, root, sum, name, errName)
	case "sdnList":
		return parseSDNList(dec, sum, name, errName, line)
	}
	return nil, source.Errorf(errName, line, root.Name.Local,
		"not an OFAC enhanced XML document: root element is <%s> (expected <sanctionsData>)", root.Name.Local)
}

// unzipXML returns the name and content of the XML member of a ZIP archive, bounded in size.
func unzipXML(b []byte, name string) (string, []byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", nil, &tradescreen.ParseError{File: name, Msg: "corrupt or truncated ZIP archive", Err: err}
	}
	var xmlFiles, all []string
	var found *zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		all = append(all, f.Name)
		if strings.EqualFold(path.Ext(f.Name), ".xml") {
			xmlFiles = append(xmlFiles, f.Name)
			if found == nil {
				found = f
			}
		}
	}
	switch {
	case found == nil:
		return "", nil, source.Errorf(name, 0, "", "no .xml file in the ZIP archive (members: %s)", clip(strings.Join(all, ", ")))
	case len(xmlFiles) > 1:
		return "", nil, source.Errorf(name, 0, "", "more than one .xml file in the ZIP archive: %s", clip(strings.Join(xmlFiles, ", ")))
	case found.UncompressedSize64 > source.MaxFileSize:
		return "", nil, source.Errorf(name, 0, found.Name, "archive member too large (%d bytes, limit %d)", found.UncompressedSize64, source.MaxFileSize)
	}
	rc, err := found.Open()
	if err != nil {
		return "", nil, &tradescreen.ParseError{File: name, Field: found.Name, Msg: "cannot open archive member", Err: err}
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, source.MaxFileSize+1))
	if err != nil {
		return "", nil, &tradescreen.ParseError{File: name, Field: found.Name, Msg: "corrupt or truncated archive member", Err: err}
	}
	if len(data) > source.MaxFileSize {
		return "", nil, source.Errorf(name, 0, found.Name, "archive member too large")
	}
	return found.Name, data, nil
}

// enhancedRefs holds what the reference values of an enhanced document say about countries.
type enhancedRefs struct {
	iso map[string]string // COUNTRY referenceValue refId -> isoCode
}

// country returns the ISO code of a country element (by its refId, then by its name) or the name as
// published.
func (r *enhancedRefs) country(n *xmlNode) string {
	if n == nil || n.Text == "" {
		return ""
	}
	if c := r.iso[n.attr("refId")]; c != "" {
		return c
	}
	return countryOrName(n.Text)
}

// parseEnhancedXML reads a sanctionsData document whose root element has just been read.
func parseEnhancedXML(dec *xml.Decoder, root xml.StartElement, sum, name, errName string) (*source.Dataset, error) {
	refs := &enhancedRefs{iso: map[string]string{}}
	var (
		entries  []tradescreen.Entry
		dataAsOf string
		pubLine  int
		filters  []string
		others   []string
		seen     = map[string]int{}
		rootLine int
	)
	rootLine, _ = dec.InputPos()
	nonSDN := func() bool {
		for _, f := range filters {
			if strings.EqualFold(f, "SDN List") {
				return false
			}
			if strings.Contains(strings.ToLower(f), "consolidated") {
				return true
			}
		}
		return strings.Contains(strings.ToLower(name), "cons")
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, xmlError(errName, dec, err)
		}
		if end, ok := tok.(xml.EndElement); ok && end.Name.Local == root.Name.Local {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := dec.InputPos()
		if se.Name.Local == "entities" {
			isNonSDN := nonSDN()
			if err := readEntities(dec, errName, func(n *xmlNode) error {
				e, err := enhancedEntity(n, refs, isNonSDN, errName)
				if err != nil {
					return err
				}
				if prev, dup := seen[e.SourceID]; dup {
					return source.Errorf(errName, n.Line, "entity", "duplicate entity id %s (first at line %d)", e.SourceID, prev)
				}
				seen[e.SourceID] = n.Line
				entries = append(entries, e)
				return nil
			}); err != nil {
				return nil, err
			}
			continue
		}
		n, err := readNode(dec, se, line, 1, errName)
		if err != nil {
			return nil, err
		}
		switch se.Name.Local {
		case "publicationInfo":
			pubLine = n.childLine("dataAsOf")
			dataAsOf = n.text("dataAsOf")
			for _, f := range n.child("filters").list("sanctionsLists", "sanctionsList") {
				filters = append(filters, f.Text)
			}
		case "referenceValues":
			for _, rv := range n.Kids {
				if strings.EqualFold(rv.text("type"), "COUNTRY") && rv.text("isoCode") != "" {
					refs.iso[rv.attr("refId")] = strings.ToUpper(rv.text("isoCode"))
				}
			}
		case "featureTypes":
		default:
			if len(others) < 10 {
				others = append(others, "<"+se.Name.Local+">")
			}
		}
	}
	if err := expectEOF(dec, errName); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		found := "none"
		if len(others) > 0 {
			found = strings.Join(others, ", ")
		}
		return nil, source.Errorf(errName, rootLine, "entity", "no <entity> elements in <sanctionsData> (other child elements: %s)", found)
	}
	published, note := "", ""
	if dataAsOf == "" {
		note = "the file states no publicationInfo/dataAsOf"
	} else {
		published = dataAsOf
		if len(published) > 10 && published[10] == 'T' {
			published = published[:10]
		}
		published = source.NormDate(published)
		if !isFullDate(published) {
			return nil, source.Errorf(errName, pubLine, "dataAsOf", "not a date: %q", clip(dataAsOf))
		}
	}
	return newDataset(entries, published, note, sum, name), nil
}

// readEntities streams the <entity> elements of <entities> to fn, one at a time.
func readEntities(dec *xml.Decoder, file string, fn func(*xmlNode) error) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return xmlError(file, dec, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			line, _ := dec.InputPos()
			n, err := readNode(dec, t, line, 2, file)
			if err != nil {
				return err
			}
			if t.Name.Local != "entity" {
				return source.Errorf(file, line, t.Name.Local, "unexpected <%s> in <entities>", t.Name.Local)
			}
			if err := fn(n); err != nil {
				return err
			}
		}
	}
}

// enhancedLists maps the sanctionsList names of the enhanced XML to list codes, most specific first (the order
// of listForPrograms).
var enhancedLists = []struct{ match, code string }{
	{"fse", "us_fse"},
	{"palestinian legislative council", "us_plc"},
	{"capta", "us_cap"},
	{"sectoral sanctions", "us_ssi"},
	{"cmic", "us_cmic"},
	{"menu-based", "us_mbs"},
}

// enhancedListCode picks the list code of an entity from the lists it is on.
func enhancedListCode(lists, programs []string, nonSDN bool) string {
	onSDN := false
	for _, l := range lists {
		if strings.EqualFold(strings.TrimSpace(l), "SDN List") {
			onSDN = true
		}
	}
	if onSDN && !nonSDN {
		return "us_sdn"
	}
	for _, m := range enhancedLists {
		for _, l := range lists {
			if strings.Contains(strings.ToLower(l), m.match) {
				return m.code
			}
		}
	}
	if onSDN {
		return "us_sdn"
	}
	return listForPrograms(programs, nonSDN)
}

// scriptNames maps the enhanced SCRIPT reference values to the Unicode script names used in Name.Script.
var scriptNames = map[string]string{
	"latin": "", "arabic": "Arabic", "armenian": "Armenian", "chinese simplified": "Han", "chinese traditional": "Han",
	"cyrillic": "Cyrillic", "georgian": "Georgian", "greek": "Greek", "hangul": "Hangul", "korean": "Hangul",
	"hebrew": "Hebrew", "japanese": "Japanese",
}

// scriptName returns the Name.Script of an enhanced translation: its declared script, or the script detected
// in the text when the declared one is unknown.
func scriptName(declared, text string) string {
	if s, ok := scriptNames[strings.ToLower(strings.TrimSpace(declared))]; ok {
		return s
	}
	if s := scriptOf(text); s != "" {
		return s
	}
	return strings.TrimSpace(declared)
}

// enhancedEntity maps one <entity> to an Entry.
func enhancedEntity(n *xmlNode, refs *enhancedRefs, nonSDN bool, file string) (tradescreen.Entry, error) {
	var e tradescreen.Entry
	e.SourceID = n.attr("id")
	if e.SourceID == "" {
		return e, source.Errorf(file, n.Line, "id", "entity without id")
	}
	gi := n.child("generalInfo")
	e.Kind = kindFromSDNType(gi.text("entityType"))
	e.Remarks = gi.text("remarks")
	e.SourceListURL = listURL
	for _, p := range n.list("sanctionsPrograms", "sanctionsProgram") {
		if p.Text != "" {
			e.Programs = append(e.Programs, p.Text)
		}
	}
	var lists []string
	for _, l := range n.list("sanctionsLists", "sanctionsList") {
		lists = append(lists, l.Text)
	}
	e.Source = enhancedListCode(lists, e.Programs, nonSDN)

	if err := enhancedNames(&e, n, file); err != nil {
		return e, err
	}
	enhancedAddresses(&e, n, refs)
	enhancedFeatures(&e, n)
	enhancedDocuments(&e, n, refs)
	e.Raw = n.rawJSON()
	return e, nil
}

// enhancedNames sets the entity's name (the primary translation of the primary name) and its aliases (every
// other translation, typed and marked weak as the list says).
func enhancedNames(e *tradescreen.Entry, n *xmlNode, file string) error {
	// Names: the primary translation of the primary name first, so that aliases are compared with it.
	names := n.list("names", "name")
	var primaryTr *xmlNode
	for _, nm := range names {
		if nm.text("isPrimary") != "true" {
			continue
		}
		trs := nm.list("translations", "translation")
		for _, tr := range trs {
			if tr.text("isPrimary") == "true" {
				primaryTr = tr
				break
			}
		}
		if primaryTr == nil && len(trs) > 0 { // no translation marked primary: take the first
			primaryTr = trs[0]
		}
		break
	}
	if primaryTr != nil {
		e.Name = translationFull(primaryTr)
	}
	if e.Name == "" {
		return source.Errorf(file, n.Line, "names", "entity %s has no primary name", e.SourceID)
	}
	for _, nm := range names {
		primary := nm.text("isPrimary") == "true"
		typ, note := tradescreen.NameAKA, ""
		if !primary {
			weak := nm.text("isLowQuality") == "true"
			typ, note = akaType(nm.text("aliasType"), weak), weakNote(nm.text("aliasType"), weak)
		}
		for _, tr := range nm.list("translations", "translation") {
			full := translationFull(tr)
			if full == "" || tr == primaryTr {
				continue
			}
			name := tradescreen.Name{Full: full, Type: typ, Script: scriptName(tr.text("script"), full), Note: note}
			if first := tr.text("formattedFirstName"); first != "" && e.Kind == tradescreen.KindPerson {
				name.Given, name.Family = first, tr.text("formattedLastName")
			}
			e.Aliases = append(e.Aliases, name)
		}
	}

	return nil
}

// enhancedAddresses adds the entity's addresses, one per translation, built from their parts.
func enhancedAddresses(e *tradescreen.Entry, n *xmlNode, refs *enhancedRefs) {
	for _, a := range n.list("addresses", "address") {
		country := a.child("country")
		for _, tr := range a.list("translations", "translation") {
			addr := tradescreen.Address{CountryName: country.textOrEmpty(), Country: refs.country(country)}
			if addr.Country == addr.CountryName {
				addr.Country = ""
			}
			var street, region []string
			for _, p := range tr.list("addressParts", "addressPart") {
				v := p.text("value")
				switch strings.ToUpper(p.text("type")) {
				case "ADDRESS1", "ADDRESS2", "ADDRESS3":
					street = append(street, v)
				case "CITY":
					addr.City = v
				case "STATE/PROVINCE", "REGION":
					region = append(region, v)
				case "POSTAL CODE":
					addr.PostalCode = v
				default:
					street = append(street, v)
				}
			}
			addr.Street = joinNonEmpty(", ", street...)
			addr.Region = joinNonEmpty(", ", region...)
			addr.Full = joinNonEmpty(", ", addr.Street, addr.City, addr.Region, addr.PostalCode, addr.CountryName)
			if tr.text("isPrimary") != "true" {
				addr.Note = strings.TrimSpace(tr.text("script"))
			}
			if addr.Full != "" {
				e.Addresses = append(e.Addresses, addr)
			}
		}
		if len(a.list("translations", "translation")) == 0 && country.textOrEmpty() != "" {
			addr := tradescreen.Address{CountryName: country.Text, Full: country.Text, Country: refs.country(country)}
			if addr.Country == addr.CountryName {
				addr.Country = ""
			}
			e.Addresses = append(e.Addresses, addr)
		}
	}

}

// enhancedFeatures reads the entity's features: birth data, nationality, gender, title, vessel fields; any
// other feature is an identifier.
func enhancedFeatures(e *tradescreen.Entry, n *xmlNode) {
	for _, f := range n.list("features", "feature") {
		typ, val := f.text("type"), f.text("value")
		if val == "" {
			continue
		}
		switch strings.ToLower(typ) {
		case "birthdate":
			e.BirthDates = appendUnique(e.BirthDates, normDOB(val))
		case "place of birth":
			e.BirthPlaces = appendUnique(e.BirthPlaces, val)
		case "nationality country":
			e.Nationalities = appendUnique(e.Nationalities, countryOrName(val))
		case "citizenship country":
			e.Citizenships = appendUnique(e.Citizenships, countryOrName(val))
		case "gender":
			e.Gender = val
		case "title":
			e.Title = joinNonEmpty("; ", e.Title, val)
		case "vessel call sign":
			vessel(e).CallSign = val
		case "vessel type":
			vessel(e).Type = val
		case "vessel flag":
			vessel(e).Flag = val
		case "vessel owner":
			vessel(e).Owner = val
		case "vessel tonnage":
			vessel(e).Tonnage = val
		case "vessel gross registered tonnage":
			vessel(e).GrossRegisteredTonnage = val
		default:
			e.Identifiers = append(e.Identifiers, tradescreen.Identifier{Type: typ, Number: val, Note: f.text("comments")})
		}
	}
}

// enhancedDocuments adds the entity's identity documents as identifiers.
func enhancedDocuments(e *tradescreen.Entry, n *xmlNode, refs *enhancedRefs) {
	for _, d := range n.list("identityDocuments", "identityDocument") {
		id := tradescreen.Identifier{
			Type:    d.text("type"),
			Number:  d.text("documentNumber"),
			Country: refs.country(d.child("issuingCountry")),
			Issued:  source.NormDate(d.text("issueDate")),
			Expires: source.NormDate(d.text("expirationDate")),
		}
		var note []string
		if v := d.text("issuingAuthority"); v != "" {
			note = append(note, "issued by "+v)
		}
		if v := d.text("issuingLocation"); v != "" {
			note = append(note, "issued in "+v)
		}
		if d.text("isValid") == "false" {
			note = append(note, "not valid")
		}
		id.Note = strings.Join(note, "; ")
		if id.Type != "" || id.Number != "" {
			e.Identifiers = append(e.Identifiers, id)
		}
	}
}

// translationFull returns a name translation as one string: formattedFullName, else built from its parts.
func translationFull(tr *xmlNode) string {
	if v := tr.text("formattedFullName"); v != "" {
		return v
	}
	if v := personName(tr.text("formattedLastName"), tr.text("formattedFirstName")); v != "" {
		return v
	}
	var parts []string
	for _, p := range tr.list("nameParts", "namePart") {
		parts = append(parts, p.text("value"))
	}
	return joinNonEmpty(" ", parts...)
}

// vessel returns the entry's Vessel, creating it.
func vessel(e *tradescreen.Entry) *tradescreen.Vessel {
	if e.Vessel == nil {
		e.Vessel = &tradescreen.Vessel{}
	}
	return e.Vessel
}

// textOrEmpty returns the node's text, "" for a nil node.
func (n *xmlNode) textOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.Text
}
