package eu

import (
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// sanctionEntity is one <sanctionEntity> element of the FSF XML 1.1 file. Field comments give the official
// attribute (@name) or child element names.
type sanctionEntity struct {
	LogicalID          string           // @logicalId: the entity's stable id, our source_id
	EUReferenceNumber  string           // @euReferenceNumber: "EU.27.28"
	UnitedNationID     string           // @unitedNationId: the UN reference, when the UN lists the party too
	DesignationDate    string           // @designationDate
	DesignationDetails string           // @designationDetails
	Remarks            []string         // remark
	Regulations        []regulation     // regulation
	SubjectType        string           // subjectType@code: person, enterprise
	ClassificationCode string           // subjectType@classificationCode: P, E
	NameAliases        []nameAlias      // nameAlias
	Citizenships       []citizenship    // citizenship
	Birthdates         []birthdate      // birthdate
	Addresses          []address        // address
	Identifications    []identification // identification
}

// regulation is a <regulation>: the legal act behind the listing.
type regulation struct {
	RegulationType     string // @regulationType: regulation, amendment, repealing
	OrganisationType   string // @organisationType: council, commission
	PublicationDate    string // @publicationDate
	EntryIntoForceDate string // @entryIntoForceDate
	NumberTitle        string // @numberTitle: "2019/555 (OJ L97)"
	Programme          string // @programme: TAQA, PRK, IRQ ...
	PublicationURL     string // publicationUrl
}

// nameAlias is a <nameAlias>: one name of the entity.
type nameAlias struct {
	FirstName    string   // @firstName
	MiddleName   string   // @middleName
	LastName     string   // @lastName
	WholeName    string   // @wholeName
	Function     string   // @function
	Gender       string   // @gender: M, F
	Title        string   // @title
	NameLanguage string   // @nameLanguage: ISO 639-1 code, upper case ("FR", "RU")
	Strong       string   // @strong: "true" or "false" (weak alias)
	LogicalID    string   // @logicalId
	Remarks      []string // remark
}

// citizenship is a <citizenship>.
type citizenship struct {
	Region             string   // @region
	CountryIso2Code    string   // @countryIso2Code ("00" = unknown)
	CountryDescription string   // @countryDescription ("UNKNOWN")
	Remarks            []string // remark
}

// birthdate is a <birthdate>: a date and/or place of birth.
type birthdate struct {
	Circa              string   // @circa: "true" when approximate
	CalendarType       string   // @calendarType: GREGORIAN ...
	City               string   // @city
	ZipCode            string   // @zipCode
	Birthdate          string   // @birthdate: full date YYYY-MM-DD
	DayOfMonth         string   // @dayOfMonth
	MonthOfYear        string   // @monthOfYear
	Year               string   // @year
	YearRangeFrom      string   // @yearRangeFrom
	YearRangeTo        string   // @yearRangeTo
	Region             string   // @region
	Place              string   // @place
	CountryIso2Code    string   // @countryIso2Code
	CountryDescription string   // @countryDescription
	Remarks            []string // remark
}

// address is an <address>.
type address struct {
	Street             string        // @street
	City               string        // @city
	ZipCode            string        // @zipCode
	PoBox              string        // @poBox
	Place              string        // @place
	Region             string        // @region
	CountryIso2Code    string        // @countryIso2Code
	CountryDescription string        // @countryDescription
	AsAtListingTime    string        // @asAtListingTime: "true" when the address was valid at listing time
	ContactInfo        []contactInfo // contactInfo
	Remarks            []string      // remark
}

// contactInfo is a <contactInfo> of an address.
type contactInfo struct {
	Key   string // @key: PHONE, FAX, EMAIL, WEB
	Value string // @value
}

// identification is an <identification>: a document or registration number.
type identification struct {
	IdentificationTypeCode        string   // @identificationTypeCode: passport, id, regnumber, swiftbic, imo ...
	IdentificationTypeDescription string   // @identificationTypeDescription: "National passport"
	Number                        string   // @number
	LatinNumber                   string   // @latinNumber: the number in Latin characters
	CountryIso2Code               string   // @countryIso2Code
	CountryDescription            string   // @countryDescription
	Region                        string   // @region
	IssuedBy                      string   // @issuedBy
	IssueDate                     string   // @issueDate
	ValidFrom                     string   // @validFrom
	ValidTo                       string   // @validTo
	NameOnDocument                string   // @nameOnDocument
	Diplomatic                    string   // @diplomatic
	KnownExpired                  string   // @knownExpired
	KnownFalse                    string   // @knownFalse
	ReportedLost                  string   // @reportedLost
	RevokedByIssuer               string   // @revokedByIssuer
	Remarks                       []string // remark
}

// decodeEntity reads the typed record from a <sanctionEntity> subtree.
func decodeEntity(n *node) sanctionEntity {
	e := sanctionEntity{
		LogicalID:          n.attr("logicalId"),
		EUReferenceNumber:  n.attr("euReferenceNumber"),
		UnitedNationID:     n.attr("unitedNationId"),
		DesignationDate:    n.attr("designationDate"),
		DesignationDetails: n.attr("designationDetails"),
		Remarks:            n.texts("remark"),
	}
	for _, r := range n.all("regulation") {
		url := r.attr("publicationUrl") // regulationSummary spells it as an attribute
		if t := r.texts("publicationUrl"); len(t) > 0 {
			url = t[0]
		}
		e.Regulations = append(e.Regulations, regulation{
			RegulationType:     r.attr("regulationType"),
			OrganisationType:   r.attr("organisationType"),
			PublicationDate:    r.attr("publicationDate"),
			EntryIntoForceDate: r.attr("entryIntoForceDate"),
			NumberTitle:        r.attr("numberTitle"),
			Programme:          r.attr("programme"),
			PublicationURL:     url,
		})
	}
	if st := n.all("subjectType"); len(st) > 0 {
		e.SubjectType = st[0].attr("code")
		e.ClassificationCode = st[0].attr("classificationCode")
	}
	for _, a := range n.all("nameAlias") {
		e.NameAliases = append(e.NameAliases, nameAlias{
			FirstName:    a.attr("firstName"),
			MiddleName:   a.attr("middleName"),
			LastName:     a.attr("lastName"),
			WholeName:    a.attr("wholeName"),
			Function:     a.attr("function"),
			Gender:       a.attr("gender"),
			Title:        a.attr("title"),
			NameLanguage: a.attr("nameLanguage"),
			Strong:       a.attr("strong"),
			LogicalID:    a.attr("logicalId"),
			Remarks:      a.texts("remark"),
		})
	}
	for _, c := range n.all("citizenship") {
		e.Citizenships = append(e.Citizenships, citizenship{
			Region:             c.attr("region"),
			CountryIso2Code:    c.attr("countryIso2Code"),
			CountryDescription: c.attr("countryDescription"),
			Remarks:            c.texts("remark"),
		})
	}
	for _, b := range n.all("birthdate") {
		e.Birthdates = append(e.Birthdates, birthdate{
			Circa:              b.attr("circa"),
			CalendarType:       b.attr("calendarType"),
			City:               b.attr("city"),
			ZipCode:            b.attr("zipCode"),
			Birthdate:          b.attr("birthdate"),
			DayOfMonth:         b.attr("dayOfMonth"),
			MonthOfYear:        b.attr("monthOfYear"),
			Year:               b.attr("year"),
			YearRangeFrom:      b.attr("yearRangeFrom"),
			YearRangeTo:        b.attr("yearRangeTo"),
			Region:             b.attr("region"),
			Place:              b.attr("place"),
			CountryIso2Code:    b.attr("countryIso2Code"),
			CountryDescription: b.attr("countryDescription"),
			Remarks:            b.texts("remark"),
		})
	}
	for _, a := range n.all("address") {
		ad := address{
			Street:             a.attr("street"),
			City:               a.attr("city"),
			ZipCode:            a.attr("zipCode"),
			PoBox:              a.attr("poBox"),
			Place:              a.attr("place"),
			Region:             a.attr("region"),
			CountryIso2Code:    a.attr("countryIso2Code"),
			CountryDescription: a.attr("countryDescription"),
			AsAtListingTime:    a.attr("asAtListingTime"),
			Remarks:            a.texts("remark"),
		}
		for _, c := range a.all("contactInfo") {
			ad.ContactInfo = append(ad.ContactInfo, contactInfo{Key: c.attr("key"), Value: c.attr("value")})
		}
		e.Addresses = append(e.Addresses, ad)
	}
	for _, d := range n.all("identification") {
		e.Identifications = append(e.Identifications, identification{
			IdentificationTypeCode:        d.attr("identificationTypeCode"),
			IdentificationTypeDescription: d.attr("identificationTypeDescription"),
			Number:                        d.attr("number"),
			LatinNumber:                   d.attr("latinNumber"),
			CountryIso2Code:               d.attr("countryIso2Code"),
			CountryDescription:            d.attr("countryDescription"),
			Region:                        d.attr("region"),
			IssuedBy:                      d.attr("issuedBy"),
			IssueDate:                     d.attr("issueDate"),
			ValidFrom:                     d.attr("validFrom"),
			ValidTo:                       d.attr("validTo"),
			NameOnDocument:                d.attr("nameOnDocument"),
			Diplomatic:                    d.attr("diplomatic"),
			KnownExpired:                  d.attr("knownExpired"),
			KnownFalse:                    d.attr("knownFalse"),
			ReportedLost:                  d.attr("reportedLost"),
			RevokedByIssuer:               d.attr("revokedByIssuer"),
			Remarks:                       d.texts("remark"),
		})
	}
	return e
}

// addEntity maps one <sanctionEntity> and adds it, merging it into an earlier entry with the same
// logicalId (the logicalId identifies the entity; a repeated one adds to it).
func (p *parser) addEntity(n *node) error {
	rec := decodeEntity(n)
	e, err := mapEntity(&rec, p.name, n.line)
	if err != nil {
		return err
	}
	e.Raw = n.raw()
	for _, d := range append([]string{rec.DesignationDate}, regulationDates(&rec)...) {
		if d, ok := isoDate(d); ok && d > p.latestDate {
			p.latestDate = d
		}
	}
	if i, ok := p.index[e.SourceID]; ok {
		merge(&p.entries[i], &e, p.merged[e.SourceID])
		p.merged[e.SourceID] = true
		return nil
	}
	p.index[e.SourceID] = len(p.entries)
	p.entries = append(p.entries, e)
	return nil
}

func regulationDates(rec *sanctionEntity) []string {
	var out []string
	for _, r := range rec.Regulations {
		out = append(out, r.PublicationDate)
	}
	return out
}

// mapEntity maps a record to an Entry. A record without logicalId or without any name is an error.
func mapEntity(rec *sanctionEntity, file string, line int) (tradescreen.Entry, error) {
	if rec.LogicalID == "" {
		return tradescreen.Entry{}, source.Errorf(file, line, "logicalId", "sanctionEntity without logicalId")
	}
	if len(rec.LogicalID) > 64 {
		return tradescreen.Entry{}, source.Errorf(file, line, "logicalId", "logicalId longer than 64 bytes")
	}
	e := tradescreen.Entry{
		Source:        SourceCode,
		SourceID:      rec.LogicalID,
		Kind:          tradescreen.ParseKind(rec.SubjectType),
		ListedOn:      dateOrAsIs(rec.DesignationDate),
		SourceInfoURL: InfoURL,
	}
	if e.Kind == tradescreen.KindUnknown && rec.SubjectType == "" {
		e.Kind = tradescreen.ParseKind(rec.ClassificationCode)
	}

	// Names.
	names := names(rec)
	if len(names) == 0 {
		return tradescreen.Entry{}, source.Errorf(file, line, "nameAlias", "sanctionEntity logicalId %s has no name (no nameAlias with wholeName, firstName or lastName)", clip(rec.LogicalID, 64))
	}
	e.Name = names[0].Full
	for _, nm := range names[1:] {
		e.Aliases = addName(e.Aliases, e.Name, nm)
	}

	var remarks []string
	remarks = appendUnique(remarks, rec.Remarks...)
	remarks = appendUnique(remarks, rec.DesignationDetails)
	for _, a := range rec.NameAliases {
		e.Positions = appendUnique(e.Positions, a.Function)
		if a.Title != "" && !contains(strings.Split(e.Title, "; "), a.Title) {
			if e.Title != "" {
				e.Title += "; "
			}
			e.Title += a.Title
		}
		if e.Gender == "" {
			e.Gender = gender(a.Gender)
		}
		for _, r := range a.Remarks {
			if !qualityRemark(r) {
				remarks = appendUnique(remarks, r)
			}
		}
	}

	// Identifiers: the list's own references first.
	if rec.UnitedNationID != "" {
		e.Identifiers = append(e.Identifiers, tradescreen.Identifier{Type: "UN Ref", Number: rec.UnitedNationID})
	}
	if rec.EUReferenceNumber != "" {
		e.Identifiers = append(e.Identifiers, tradescreen.Identifier{Type: "EU Ref", Number: rec.EUReferenceNumber})
	}
	for _, d := range rec.Identifications {
		e.Identifiers = append(e.Identifiers, identifiers(&d)...)
		if d.Number == "" && d.LatinNumber == "" {
			remarks = appendUnique(remarks, d.Remarks...)
		}
	}

	for _, c := range rec.Citizenships {
		code, desc := country(c.CountryIso2Code, c.CountryDescription)
		switch {
		case code != "":
			e.Citizenships = appendUnique(e.Citizenships, code)
		case desc != "":
			e.Citizenships = appendUnique(e.Citizenships, desc)
		}
		remarks = appendUnique(remarks, c.Remarks...)
	}
	for _, b := range rec.Birthdates {
		if d := birthDate(&b); d != "" {
			e.BirthDates = appendUnique(e.BirthDates, d)
		}
		if pl := birthPlace(&b); pl != "" {
			e.BirthPlaces = appendUnique(e.BirthPlaces, pl)
		}
		remarks = appendUnique(remarks, b.Remarks...)
	}
	for _, a := range rec.Addresses {
		if ad, ok := mapAddress(&a); ok {
			e.Addresses = append(e.Addresses, ad)
		}
	}

	for _, r := range rec.Regulations {
		e.Programs = appendUnique(e.Programs, r.Programme)
		if e.SourceListURL == "" {
			e.SourceListURL = r.PublicationURL
		}
		if d, ok := isoDate(r.PublicationDate); ok && d > e.LastUpdated {
			e.LastUpdated = d
		}
		remarks = appendUnique(remarks, regulationNote(&r))
	}
	e.Remarks = strings.Join(remarks, "\n")
	return e, nil
}

// candidate is one nameAlias turned into a Name, with what the primary-name choice needs.
type candidate struct {
	tradescreen.Name
	strong bool
	latin  bool // no non-Latin script
	local  bool // nameLanguage empty or EN: the list's own (English) spelling
	parts  bool // split into firstName / lastName
}

// names returns the entity's names, the primary first. The primary is the first strong alias in the
// list's own spelling (nameLanguage empty or EN, Latin script), preferring, for persons, one split into
// first and last name; failing that the first strong alias, failing that the first alias.
func names(rec *sanctionEntity) []tradescreen.Name {
	var cands []candidate
	for _, a := range rec.NameAliases {
		full := strings.Join(strings.Fields(a.WholeName), " ")
		if full == "" {
			full = strings.Join(strings.Fields(strings.Join([]string{a.FirstName, a.MiddleName, a.LastName}, " ")), " ")
		}
		if full == "" {
			continue
		}
		strong := !isFalse(a.Strong)
		for _, r := range a.Remarks {
			if lowQuality(r) {
				strong = false
			}
		}
		c := candidate{
			Name: tradescreen.Name{
				Full:   full,
				Type:   tradescreen.NameAKA,
				Script: script(full),
				Family: a.LastName,
			},
			strong: strong,
			local:  a.NameLanguage == "" || strings.EqualFold(a.NameLanguage, "EN"),
			parts:  a.FirstName != "" || a.LastName != "",
		}
		c.latin = c.Script == ""
		c.Given = strings.Join(strings.Fields(a.FirstName+" "+a.MiddleName), " ")
		if !strong {
			c.Type = tradescreen.NameWeakAKA
		}
		var notes []string
		if a.NameLanguage != "" {
			notes = append(notes, "nameLanguage "+a.NameLanguage)
		}
		for _, r := range a.Remarks {
			notes = appendUnique(notes, strings.TrimSpace(r))
		}
		c.Note = strings.Join(notes, "; ")
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil
	}
	person := tradescreen.ParseKind(rec.SubjectType) == tradescreen.KindPerson
	best := -1
	bestScore := -1
	for i, c := range cands {
		score := 0
		if c.strong {
			score += 8
		}
		if c.latin {
			score += 4
		}
		if c.local {
			score += 2
		}
		if person && c.parts {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	out := []tradescreen.Name{cands[best].Name}
	out[0].Type = tradescreen.NamePrimary
	for i, c := range cands {
		if i != best {
			out = append(out, c.Name)
		}
	}
	return out
}

// addName appends n to aliases unless it repeats the primary name or an alias (case-insensitively); a
// strong repeat of a weak alias makes it strong.
func addName(aliases []tradescreen.Name, primary string, n tradescreen.Name) []tradescreen.Name {
	if strings.EqualFold(n.Full, primary) {
		return aliases
	}
	for i := range aliases {
		if strings.EqualFold(aliases[i].Full, n.Full) {
			if aliases[i].Type == tradescreen.NameWeakAKA && n.Type == tradescreen.NameAKA {
				aliases[i].Type = tradescreen.NameAKA
			}
			return aliases
		}
	}
	return append(aliases, n)
}

// lowQuality reports a nameAlias remark that marks the alias as weak ("Low quality alias").
func lowQuality(r string) bool {
	r = strings.ToLower(r)
	return strings.Contains(r, "low quality") || strings.Contains(r, "lo quality")
}

// qualityRemark reports a nameAlias remark that only grades the alias (kept in the Name note, not in the
// entry's remarks).
func qualityRemark(r string) bool {
	r = strings.ToLower(r)
	return strings.Contains(r, "quality") && strings.Contains(r, "alias") && len(r) < 40
}

func gender(g string) string {
	switch strings.ToUpper(g) {
	case "":
		return ""
	case "M":
		return "Male"
	case "F":
		return "Female"
	}
	return g
}

// country returns the ISO code and the published name of a country pair. "00" and "UNKNOWN" mean unknown;
// an invalid code falls back to the code for the description.
func country(code, desc string) (string, string) {
	code = strings.ToUpper(strings.TrimSpace(code))
	desc = strings.TrimSpace(desc)
	if strings.EqualFold(desc, "UNKNOWN") {
		desc = ""
	}
	if code == "00" || !isAlpha2(code) {
		code = ""
	}
	if code == "" && desc != "" {
		code = countryCode(desc)
	}
	return code, desc
}

// countryCode is source.CountryCode, retried without a parenthesised qualifier and a trailing "of": the
// EU writes "CONGO, Democratic Republic of (was Zaire)".
func countryCode(desc string) string {
	if c := source.CountryCode(desc); c != "" {
		return c
	}
	if i := strings.Index(desc, "("); i > 0 {
		desc = strings.TrimSpace(desc[:i])
		if c := source.CountryCode(desc); c != "" {
			return c
		}
	}
	if len(desc) > 3 && strings.EqualFold(desc[len(desc)-3:], " of") {
		return source.CountryCode(desc[:len(desc)-3])
	}
	return ""
}

func isAlpha2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// birthDate renders a <birthdate> as YYYY-MM-DD, YYYY-MM, YYYY or a range "YYYY/YYYY", prefixed "circa "
// when the list marks it approximate and suffixed with a non-Gregorian calendar.
func birthDate(b *birthdate) string {
	d := ""
	switch {
	case b.Birthdate != "":
		d = dateOrAsIs(b.Birthdate)
	case b.Year != "":
		d = b.Year
		if m, ok := num(b.MonthOfYear, 12); ok {
			d += "-" + pad2(m)
			if dd, ok := num(b.DayOfMonth, 31); ok {
				d = dateOrAsIs(d + "-" + pad2(dd))
			}
		}
	case b.YearRangeFrom != "" || b.YearRangeTo != "":
		d = b.YearRangeFrom + "/" + b.YearRangeTo
	case b.MonthOfYear != "" || b.DayOfMonth != "":
		// Day and month without a year: keep as published.
		d = "--" + pad2(b.MonthOfYear) + "-" + pad2(b.DayOfMonth)
	}
	if d == "" {
		return ""
	}
	if strings.EqualFold(b.Circa, "true") {
		d = "circa " + d
	}
	if b.CalendarType != "" && !strings.EqualFold(b.CalendarType, "GREGORIAN") {
		d += " (" + b.CalendarType + " calendar)"
	}
	return d
}

func num(s string, max int) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n >= 1 && n <= max
}

func pad2(v any) string {
	var s string
	switch x := v.(type) {
	case int:
		s = strconv.Itoa(x)
	case string:
		s = x
	}
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// birthPlace joins the place parts of a <birthdate>: place, city, zip code, region, country as published.
func birthPlace(b *birthdate) string {
	_, desc := country(b.CountryIso2Code, b.CountryDescription)
	return joinParts(b.Place, b.City, b.ZipCode, b.Region, desc)
}

// mapAddress maps an <address>; ok is false when it holds nothing at all.
func mapAddress(a *address) (tradescreen.Address, bool) {
	code, desc := country(a.CountryIso2Code, a.CountryDescription)
	po := ""
	if v := placeValue(a.PoBox); v != "" {
		po = "P.O. Box " + v
	}
	ad := tradescreen.Address{
		Full:        joinParts(a.Street, po, a.Place, a.City, a.ZipCode, a.Region, desc),
		Street:      joinParts(a.Street, po),
		City:        placeValue(a.City),
		Region:      placeValue(a.Region),
		PostalCode:  placeValue(a.ZipCode),
		Country:     code,
		CountryName: desc,
	}
	var notes []string
	if v := placeValue(a.Place); v != "" {
		notes = append(notes, "place: "+v)
	}
	for _, c := range a.ContactInfo {
		if v := strings.TrimSpace(c.Value); v != "" {
			notes = append(notes, strings.TrimSpace(c.Key+": "+v))
		}
	}
	notes = appendUnique(notes, a.Remarks...)
	if strings.EqualFold(a.AsAtListingTime, "true") {
		notes = append(notes, "as at listing time")
	}
	ad.Note = strings.Join(notes, "; ")
	if ad.Full == "" && ad.Country == "" && ad.Note == "" {
		return ad, false
	}
	return ad, true
}

// identifiers maps an <identification> to one identifier, and a second one for a differing latinNumber.
// An identification without any number gives none (its remark goes to the entry's remarks).
func identifiers(d *identification) []tradescreen.Identifier {
	num := d.Number
	if num == "" {
		num = d.LatinNumber
	}
	if num == "" {
		return nil
	}
	typ := d.IdentificationTypeDescription
	if typ == "" {
		typ = d.IdentificationTypeCode
	}
	if typ == "" {
		typ = "Identification"
	}
	code, desc := country(d.CountryIso2Code, d.CountryDescription)
	if code == "" {
		code = desc
	}
	var notes []string
	if d.IssuedBy != "" {
		notes = append(notes, "issued by "+d.IssuedBy)
	}
	if d.ValidFrom != "" {
		notes = append(notes, "valid from "+dateOrAsIs(d.ValidFrom))
	}
	if d.NameOnDocument != "" {
		notes = append(notes, "name on document: "+d.NameOnDocument)
	}
	if d.Region != "" {
		notes = append(notes, "region: "+d.Region)
	}
	for _, f := range []struct{ v, label string }{
		{d.Diplomatic, "diplomatic"}, {d.KnownExpired, "known expired"}, {d.KnownFalse, "known false"},
		{d.ReportedLost, "reported lost"}, {d.RevokedByIssuer, "revoked by issuer"},
	} {
		if strings.EqualFold(f.v, "true") {
			notes = append(notes, f.label)
		}
	}
	notes = appendUnique(notes, d.Remarks...)
	id := tradescreen.Identifier{
		Type:    typ,
		Number:  num,
		Country: code,
		Issued:  dateOrAsIs(d.IssueDate),
		Expires: dateOrAsIs(d.ValidTo),
		Note:    strings.Join(notes, "; "),
	}
	out := []tradescreen.Identifier{id}
	if d.Number != "" && d.LatinNumber != "" && d.LatinNumber != d.Number {
		latin := id
		latin.Number = d.LatinNumber
		latin.Note = strings.TrimPrefix(id.Note+"; latinNumber of "+d.Number, "; ")
		out = append(out, latin)
	}
	return out
}

// regulationNote describes a <regulation> for the remarks: "Regulation 2019/555 (OJ L97): amendment by
// the commission, published 2019-04-08, in force 2019-04-09, programme TAQA".
func regulationNote(r *regulation) string {
	if r.NumberTitle == "" && r.PublicationDate == "" {
		return ""
	}
	s := "Regulation " + r.NumberTitle
	var parts []string
	if r.RegulationType != "" {
		t := r.RegulationType
		if r.OrganisationType != "" {
			t += " by the " + r.OrganisationType
		}
		parts = append(parts, t)
	}
	if r.PublicationDate != "" {
		parts = append(parts, "published "+dateOrAsIs(r.PublicationDate))
	}
	if r.EntryIntoForceDate != "" {
		parts = append(parts, "in force "+dateOrAsIs(r.EntryIntoForceDate))
	}
	if r.Programme != "" {
		parts = append(parts, "programme "+r.Programme)
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return strings.TrimSpace(s)
}

// merge adds what a repeated <sanctionEntity> (same logicalId) says to the entry read first. The later
// element's raw record is kept under "duplicateSanctionEntity" in the first one's Raw.
// again is true when dst already holds a merged duplicate.
func merge(dst, src *tradescreen.Entry, again bool) {
	if dst.Kind == tradescreen.KindUnknown {
		dst.Kind = src.Kind
	}
	dst.Aliases = addName(dst.Aliases, dst.Name, tradescreen.Name{Full: src.Name, Type: tradescreen.NameAKA})
	for _, a := range src.Aliases {
		dst.Aliases = addName(dst.Aliases, dst.Name, a)
	}
	for _, a := range src.Addresses {
		if !containsAddress(dst.Addresses, a) {
			dst.Addresses = append(dst.Addresses, a)
		}
	}
	for _, id := range src.Identifiers {
		if !containsIdentifier(dst.Identifiers, id) {
			dst.Identifiers = append(dst.Identifiers, id)
		}
	}
	dst.BirthDates = appendUnique(dst.BirthDates, src.BirthDates...)
	dst.BirthPlaces = appendUnique(dst.BirthPlaces, src.BirthPlaces...)
	dst.Citizenships = appendUnique(dst.Citizenships, src.Citizenships...)
	dst.Positions = appendUnique(dst.Positions, src.Positions...)
	dst.Programs = appendUnique(dst.Programs, src.Programs...)
	if dst.Gender == "" {
		dst.Gender = src.Gender
	}
	if dst.Title == "" {
		dst.Title = src.Title
	}
	if dst.ListedOn == "" {
		dst.ListedOn = src.ListedOn
	}
	if src.LastUpdated > dst.LastUpdated {
		dst.LastUpdated = src.LastUpdated
	}
	if dst.SourceListURL == "" {
		dst.SourceListURL = src.SourceListURL
	}
	rem := strings.Split(dst.Remarks, "\n")
	if dst.Remarks == "" {
		rem = nil
	}
	if src.Remarks != "" {
		rem = appendUnique(rem, strings.Split(src.Remarks, "\n")...)
	}
	dst.Remarks = strings.Join(rem, "\n")
	// Raw: {first record..., "duplicateSanctionEntity": [later records]}.
	raw := []byte(dst.Raw)
	const key = `,"duplicateSanctionEntity":[`
	if again {
		raw = append(append(raw[:len(raw)-2:len(raw)-2], ','), src.Raw...)
		raw = append(raw, ']', '}')
	} else {
		raw = append(append(raw[:len(raw)-1:len(raw)-1], key...), src.Raw...)
		raw = append(raw, ']', '}')
	}
	dst.Raw = raw
}

func containsAddress(list []tradescreen.Address, a tradescreen.Address) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

func containsIdentifier(list []tradescreen.Identifier, id tradescreen.Identifier) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// dateOrAsIs normalizes a full date to YYYY-MM-DD and keeps anything else as published.
func dateOrAsIs(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if d, ok := isoDate(s); ok && (len(s) == 10 || s[10] == 'T') {
		return d
	}
	return source.NormDate(s)
}

// placeValue cleans a place part: "-" and the usual empty markers give "".
func placeValue(s string) string {
	s = source.Clean(s)
	if strings.Trim(s, "-–—. ") == "" {
		return ""
	}
	return s
}

func joinParts(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = placeValue(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

func isFalse(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "false" || s == "0" || s == "no"
}

// appendUnique appends the trimmed, non-empty values not yet in list.
func appendUnique(list []string, values ...string) []string {
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" || contains(list, v) {
			continue
		}
		list = append(list, v)
	}
	return list
}
