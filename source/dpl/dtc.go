package dpl

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// KindDTC is the kind of the State Department DDTC ITAR debarred parties CSV reader.
const KindDTC = "dtc_csv"

func init() {
	source.Register(source.Format{
		Kind:        KindDTC,
		Description: "State Department DDTC ITAR debarred parties CSV (itar_debarred_party_list_MMDDYYYY.csv; .gz accepted)",
		Open:        OpenDTC,
	})
}

// The columns of the ITAR debarred parties CSV, by official name. One row per debarment.
const (
	dtcName          = "Debarred Party Full Name and Alias" // "Chung, Fu Chin (a.k.a. Alfred Chung)"; persons as "Surname, Given"
	dtcBirth         = "Date of Birth"                      // "August, 1983" (month and year only)
	dtcNotice        = "Notice"                             // "53 FR 27097"
	dtcNoticeDate    = "Notice Date"                        // M/D/YYYY
	dtcCorrected     = "Corrected Notice"                   // "57 FR 37184"
	dtcCorrectedDate = "Corrected Notice Date"              // M/D/YYYY
)

// dtcRequired are the columns without which a file is not a debarred parties CSV.
var dtcRequired = []string{dtcName, dtcNotice, dtcNoticeDate}

// OpenDTC reads an ITAR debarred parties CSV file (or .csv.gz).
// Errors are *tradescreen.ParseError for bad content and *tradescreen.Error for unreadable paths.
func OpenDTC(path string) (*source.Dataset, error) { return openFile(KindDTC, path, ParseDTC) }

// ParseDTC reads the bytes of an ITAR debarred parties CSV as given (gzip is decompressed) named name.
//
// Each row is one entry. Published is the date in the official file name (itar_debarred_party_list_01242018.csv
// is of 24 January 2018) or, without one, the latest notice date in the file. Errors are
// *tradescreen.ParseError.
func ParseDTC(b []byte, name string) (*source.Dataset, error) {
	const what = "a DDTC ITAR debarred parties CSV"
	t, idx, err := readCSVTable(b, name, what, dtcRequired)
	if err != nil {
		return nil, err
	}
	entries := make([]tradescreen.Entry, 0, len(t.rows))
	seen := map[string]string{}
	var dates []string
	for _, rec := range t.rows {
		if err := t.checkWidth(rec); err != nil {
			return nil, err
		}
		v := func(col string) string { return squish(get(idx, rec.fields, col)) }
		if v(dtcName) == "" {
			return nil, source.Errorf(name, rec.line, dtcName, "empty name")
		}
		id := shortID("dtc-", normKey(v(dtcName)), v(dtcNotice))
		whole := strings.Join(rec.fields, "\x1f")
		if prev, ok := seen[id]; ok {
			if prev == whole {
				continue // a repeated row says nothing new
			}
			for n := 2; ; n++ {
				if _, ok := seen[fmt.Sprintf("%s-%d", id, n)]; !ok {
					id = fmt.Sprintf("%s-%d", id, n)
					break
				}
			}
		}
		seen[id] = whole
		e := dtcEntry(t.header, idx, rec)
		e.SourceID = id
		entries = append(entries, e)
		dates = append(dates, e.StartDate, normDate(v(dtcCorrectedDate)))
	}
	published, note := dateFromFileName(name)
	if published == "" {
		published = latest(dates)
		note = "inferred: the file states no publication date; latest Notice Date or Corrected Notice Date in the file"
	}
	return dataset("us_dtc", KindDTC, name, b, published, note, entries), nil
}

// dtcEntry maps one row to an entry.
func dtcEntry(header []string, idx map[string]int, rec record) tradescreen.Entry {
	v := func(col string) string { return squish(get(idx, rec.fields, col)) }
	primary, aliases := splitName(v(dtcName))
	e := tradescreen.Entry{
		Source:        "us_dtc",
		Kind:          orgKind(primary),
		Name:          primary,
		StartDate:     normDate(v(dtcNoticeDate)),
		SourceListURL: sourceURL("us_dtc"),
		Raw:           rawObject(header, [][]string{rec.fields}),
	}
	if e.Kind == tradescreen.KindUnknown && strings.Contains(primary, ",") {
		e.Kind = tradescreen.KindPerson // individuals are written "Surname, Given names"
	}
	for _, a := range aliases {
		addAlias(&e, a)
	}
	if d := v(dtcBirth); d != "" {
		e.BirthDates = []string{monthYear(d)}
	}
	for _, col := range []string{dtcNotice, dtcCorrected} {
		cites := frCitations(v(col))
		if len(cites) == 0 && v(col) != "" {
			cites = []string{v(col)}
		}
		for _, c := range cites {
			e.FederalRegister = appendUnique(e.FederalRegister, c)
		}
	}
	if c := v(dtcCorrected); c != "" || v(dtcCorrectedDate) != "" {
		e.Remarks = strings.TrimSpace("Corrected Notice: " + joinNonEmpty(" ", c, parenthesize(normDate(v(dtcCorrectedDate)))))
	}
	return e
}

// parenthesize returns "(s)", or "" for an empty s.
func parenthesize(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// monthYear turns "August, 1983" into "1983-08"; other values are normalized as dates or kept as published.
func monthYear(s string) string {
	for _, l := range []string{"January, 2006", "Jan, 2006", "January 2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01")
		}
	}
	return normDate(s)
}

// fileDateRe finds the MMDDYYYY date DDTC puts in its file names.
var fileDateRe = regexp.MustCompile(`(?:^|[^0-9])([01][0-9])([0-3][0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)

// dateFromFileName returns the date of an official file name such as itar_debarred_party_list_01242018.csv.
func dateFromFileName(name string) (string, string) {
	m := fileDateRe.FindStringSubmatch(name)
	if m == nil {
		return "", ""
	}
	d := mdyDate(m[1], m[2], m[3], 0)
	if d == "" {
		return "", ""
	}
	return d, "from the official file name (" + name + "); the file itself states no date"
}
