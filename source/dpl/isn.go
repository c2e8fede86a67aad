package dpl

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// KindISN is the kind of the State Department ISN nonproliferation sanctions CSV reader.
const KindISN = "isn_csv"

func init() {
	source.Register(source.Format{
		Kind:        KindISN,
		Description: "State Department ISN nonproliferation sanctions isn.csv as ingested by ITA (.gz accepted)",
		Open:        OpenISN,
	})
}

// The columns of isn.csv, by official name. One row per party and sanctioning program.
const (
	isnSourceList = "Source List"                // "ISN"
	isnPrograms   = "Programs"                   // the sanctioning authority: INKSNA, E.O. 13382 ...
	isnName       = "Name"                       // the party's name
	isnAltNames   = "Alternative Names"          // ","-separated aliases, "F.K.A." marks former names
	isnCountry    = "Country"                    // country name
	isnFRNotice   = "Federal Register Notice"    // "Vol. 81, No. 128, 07/05/16" (volume, issue, date; no page)
	isnEffective  = "Effective Date"             // M/D/YYYY
	isnLifted     = "Date Lifted/Waived/Expired" // M/D/YYYY (absent from the 2016 file)
	isnRemarks    = "Remarks/Notes"              // free text
	isnWebLink    = "Web Link"                   // the list's page
)

// isnRequired are the columns without which a file is not an isn.csv.
var isnRequired = []string{isnPrograms, isnName, isnCountry, isnFRNotice, isnEffective}

// programFixes repairs program codes misspelt in the official file (the raw record keeps the original).
var programFixes = map[string]string{"INSKNA": "INKSNA"}

// OpenISN reads an isn.csv file (or isn.csv.gz).
// Errors are *tradescreen.ParseError for bad content and *tradescreen.Error for unreadable paths.
func OpenISN(path string) (*source.Dataset, error) { return openFile(KindISN, path, ParseISN) }

// ParseISN reads the bytes of an isn.csv file as given (gzip is decompressed) named name.
//
// The rows of one party with the same Effective Date (one row per program) become one entry with every
// program. The file states no publication date: Published is the latest Effective Date or Federal Register
// date in the file. Errors are *tradescreen.ParseError.
func ParseISN(b []byte, name string) (*source.Dataset, error) {
	const what = "a State ISN nonproliferation sanctions CSV (isn.csv)"
	t, idx, err := readCSVTable(b, name, what, isnRequired)
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
		if l := squish(v(isnSourceList)); l != "" && !strings.EqualFold(l, "ISN") {
			return nil, source.Errorf(name, rec.line, isnSourceList, "unexpected list %q, want ISN", l)
		}
		if squish(v(isnName)) == "" {
			return nil, source.Errorf(name, rec.line, isnName, "empty name")
		}
		key := normKey(v(isnName)) + "\x1f" + normDate(v(isnEffective))
		g := byKey[key]
		if g == nil {
			g = &group{}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, rec)
		dates = append(dates, normDate(v(isnEffective)))
		for _, c := range isnCites(v(isnFRNotice)) {
			dates = append(dates, c.date)
		}
	}
	entries := make([]tradescreen.Entry, 0, len(groups))
	for _, g := range groups {
		entries = append(entries, isnEntry(t.header, idx, g.rows))
	}
	published := latest(dates)
	note := "inferred: the file states no publication date; latest Effective Date or Federal Register date in the file"
	if published == "" {
		note = "the file states no publication date and holds no usable date"
	}
	return dataset("us_isn", KindISN, name, b, published, note, entries), nil
}

// isnEntry maps the rows of one party and date to an entry.
func isnEntry(header []string, idx map[string]int, rows []record) tradescreen.Entry {
	first := func(col string) string {
		for _, r := range rows {
			if v := squish(get(idx, r.fields, col)); v != "" {
				return v
			}
		}
		return ""
	}
	rawName := first(isnName)
	primary, aliases := splitName(rawName)
	e := tradescreen.Entry{
		Source:        "us_isn",
		SourceID:      shortID("isn-", normKey(rawName), normDate(first(isnEffective))),
		Kind:          orgKind(rawName),
		Name:          primary,
		StartDate:     normDate(first(isnEffective)),
		EndDate:       normDate(first(isnLifted)),
		SourceListURL: first(isnWebLink),
	}
	if e.SourceListURL == "" {
		e.SourceListURL = sourceURL("us_isn")
	}
	for _, a := range aliases {
		addAlias(&e, a)
	}
	var raws [][]string
	var remarks []string
	for _, r := range rows {
		v := func(col string) string { return squish(get(idx, r.fields, col)) }
		raws = append(raws, r.fields)
		for _, p := range source.SplitList(v(isnPrograms), ";") {
			if fix, ok := programFixes[strings.ToUpper(p)]; ok {
				p = fix
			}
			e.Programs = appendUnique(e.Programs, p)
		}
		for _, a := range isnAliases(v(isnAltNames)) {
			addAlias(&e, a)
		}
		if c := v(isnCountry); c != "" {
			a := tradescreen.Address{Full: c, CountryName: c, Country: countryCode(c)}
			known := false
			for _, o := range e.Addresses {
				known = known || o == a
			}
			if !known {
				e.Addresses = append(e.Addresses, a)
			}
		}
		cites := isnCites(v(isnFRNotice))
		if len(cites) == 0 && v(isnFRNotice) != "" {
			cites = []isnCite{{text: v(isnFRNotice)}}
		}
		for _, c := range cites {
			e.FederalRegister = appendUnique(e.FederalRegister, c.text)
		}
		remarks = appendUnique(remarks, v(isnRemarks))
	}
	e.Remarks = strings.Join(remarks, "; ")
	e.Raw = rawObject(header, raws)
	return e
}

// isnCiteRe finds one ISN citation: "Notice 2061, Vol. 59, No. 165, 8/26/94", "Vol. 64, No. 240 12/15/99",
// "Vol. 80; No. 207, 10/27/15".
var isnCiteRe = regexp.MustCompile(`(?i)(?:Notice\s+(\d{1,6})\s*,?\s*)?Vol\.?\s*(\d{1,3})\s*[,;]?\s*No\.?\s*(\d{1,4})\s*[,;]?\s*(?:(\d{1,2})/(\d{1,2})/(\d{2,4})\b)?`)

// isnCite is one normalized ISN Federal Register citation and its date (YYYY-MM-DD or "").
type isnCite struct{ text, date string }

// isnCites splits the Federal Register Notice field into its citations and normalizes each to
// "81 FR No. 128 (2016-07-05)": the ISN file gives volume, issue number and date, not the page. A State
// Department public notice number is kept in front ("Notice 2061, 59 FR No. 165 (1994-08-26)").
func isnCites(s string) []isnCite {
	var out []isnCite
	for _, m := range isnCiteRe.FindAllStringSubmatch(s, -1) {
		vol, _ := strconv.Atoi(m[2])
		c := isnCite{text: strconv.Itoa(vol) + " FR No. " + strings.TrimLeft(m[3], "0")}
		if m[6] != "" {
			c.date = mdyDate(m[4], m[5], m[6], vol)
		}
		if c.date != "" {
			c.text += " (" + c.date + ")"
		} else if m[6] != "" {
			c.text += " (" + m[4] + "/" + m[5] + "/" + m[6] + ")"
		}
		if m[1] != "" {
			c.text = "Notice " + m[1] + ", " + c.text
		}
		out = append(out, c)
	}
	return out
}

// isnAliases splits the Alternative Names field: items are separated by commas ("Ltd." and the like after a
// comma stay with their name), "F.K.A." marks a former name, "A or B" gives two names, a leading "and" and
// surrounding quotes are dropped.
func isnAliases(s string) []tradescreen.Name {
	var items []string
	for _, p := range strings.Split(s, ",") {
		p = squish(p)
		if p == "" {
			continue
		}
		if len(items) > 0 && (legalForms[strings.ToUpper(p)] || legalForms[strings.ToUpper(strings.TrimSuffix(p, "."))]) {
			items[len(items)-1] += ", " + p
			continue
		}
		items = append(items, p)
	}
	var out []tradescreen.Name
	for _, it := range items {
		typ := tradescreen.NameAKA
		if m := akaPrefixRe.FindStringSubmatch(it); m != nil {
			if strings.HasPrefix(strings.ToLower(m[1]), "f") {
				typ = tradescreen.NameFKA
			} else if strings.HasPrefix(strings.ToLower(m[1]), "n") {
				typ = tradescreen.NameNKA
			}
			it = it[len(m[0]):]
		}
		if len(it) > 4 && strings.EqualFold(it[:4], "and ") {
			it = it[4:]
		}
		for _, part := range orRe.Split(it, -1) {
			out = append(out, tradescreen.Name{Full: squish(strings.Trim(part, `" `)), Type: typ})
		}
	}
	return out
}

// akaPrefixRe finds an "A.K.A." / "F.K.A." / "N.K.A." marker in front of an alias.
var akaPrefixRe = regexp.MustCompile(`(?i)^([afn])\.?\s?k\.?\s?a\.?:?\s+`)

// orRe splits "Iran Saffron Company or Iran saffron Co".
var orRe = regexp.MustCompile(`(?i)\s+or\s+`)
