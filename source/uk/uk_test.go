package uk

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

const (
	fullFile   = "../../testdata/lists/uk/ConList_2020-04-27.csv.gz"
	sampleFile = "../../testdata/lists/uk/ConList_2022-03_sample.csv"
	excerpt    = "testdata/ConList_2020-04-27_excerpt.csv"
)

// load parses a real file once per test binary.
var loaded = map[string]*source.Dataset{}

func load(t *testing.T, path string) *source.Dataset {
	t.Helper()
	if ds, ok := loaded[path]; ok {
		return ds
	}
	ds, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	loaded[path] = ds
	return ds
}

func find(t *testing.T, ds *source.Dataset, id string) tradescreen.Entry {
	t.Helper()
	for _, e := range ds.Entries {
		if e.SourceID == id {
			return e
		}
	}
	t.Fatalf("no entry with Group ID %s", id)
	return tradescreen.Entry{}
}

func hasAlias(e tradescreen.Entry, full string, typ tradescreen.NameType) bool {
	for _, a := range e.Aliases {
		if a.Full == full && a.Type == typ {
			return true
		}
	}
	return false
}

func eq[T any](t *testing.T, field string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", field, got, want)
	}
}

// TestRealFiles checks the record counts of every real ConList file. The expected numbers were counted
// independently of this package, with Python's csv module on the raw files:
//
//	rows = list(csv.reader(io.StringIO(gzip.open(f).read().decode("cp1252"), newline="")))
//	data = rows[2:]                      # line 1 "Last Updated,...", line 2 the header
//	len(data)                            # rows
//	len({r[hdr.index("Group ID")] for r in data})   # distinct Group IDs = entries
//	Counter of Group Type per distinct Group ID     # kinds
//
// (the sample file is UTF-8 and was decoded as such).
func TestRealFiles(t *testing.T) {
	cases := []struct {
		path                string
		rows, entries       int
		persons, orgs       int
		published, encoding string
	}{
		{fullFile, 9492, 2114, 1523, 591, "2020-04-27", "windows-1252"},
		{sampleFile, 23, 6, 6, 0, "2020-04-27", "utf-8"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			b, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			data, err := source.Decompress(b, c.path)
			if err != nil {
				t.Fatal(err)
			}
			text, enc := source.ToUTF8(data)
			eq(t, "encoding", enc, c.encoding)
			f, err := read(text, c.path)
			if err != nil {
				t.Fatal(err)
			}
			rows := 0
			for _, g := range f.groups {
				rows += len(g.rows)
			}
			eq(t, "rows", rows, c.rows)

			ds := load(t, c.path)
			eq(t, "entries", len(ds.Entries), c.entries)
			kinds := map[tradescreen.Kind]int{}
			seen := map[string]bool{}
			for _, e := range ds.Entries {
				kinds[e.Kind]++
				if seen[e.SourceID] {
					t.Errorf("Group ID %s twice", e.SourceID)
				}
				seen[e.SourceID] = true
				if e.Source != "gb_hmt" || e.Name == "" || !json.Valid(e.Raw) {
					t.Errorf("entry %s: source %q name %q raw valid %v", e.SourceID, e.Source, e.Name, json.Valid(e.Raw))
				}
			}
			eq(t, "persons", kinds[tradescreen.KindPerson], c.persons)
			eq(t, "organizations", kinds[tradescreen.KindOrganization], c.orgs)
			if len(ds.Lists) != 1 {
				t.Fatalf("lists = %d", len(ds.Lists))
			}
			lv := ds.Lists[0]
			want := tradescreen.ListVersion{Source: "gb_hmt", Published: c.published, Entries: c.entries,
				Names: source.CountNames(ds.Entries), Origin: filepath.Base(c.path), Format: "uk", SHA256: source.SHA256(b)}
			eq(t, "list version", lv, want)
		})
	}
}

// TestUNRef counts the entries whose Other Information yields a UN reference. Independently counted with
// Python: 707 Group IDs of the full file have Other Information matching /UN\W*ref/i; 6 of them give only a
// bare number ("UN Ref.077.", Group IDs 13570 13572 13573 13574 13633 13638), which is no reference, so 701.
func TestUNRef(t *testing.T) {
	ds := load(t, fullFile)
	n := 0
	for _, e := range ds.Entries {
		for _, id := range e.Identifiers {
			if id.Type == "UN Ref" {
				n++
				break
			}
		}
	}
	eq(t, "entries with a UN Ref", n, 701)
	for _, id := range []string{"13570", "13572", "13573", "13574", "13633", "13638"} {
		for _, x := range find(t, ds, id).Identifiers {
			if x.Type == "UN Ref" {
				t.Errorf("%s: unexpected UN Ref %+v", id, x)
			}
		}
	}
	cases := []struct {
		id   string
		want tradescreen.Identifier
	}{
		{"13349", tradescreen.Identifier{Type: "UN Ref", Number: "QDe.004"}},                               // "UN Ref QDe.004."
		{"7016", tradescreen.Identifier{Type: "UN Ref", Number: "QI.A.6.01"}},                              // old form
		{"13562", tradescreen.Identifier{Type: "UN Ref", Number: "KPi.067", Note: "published as KPI.067"}}, // "UN Ref.KPI.067."
		{"13641", tradescreen.Identifier{Type: "UN Ref", Number: "KPe.070", Note: "published as KPe 070"}}, // "UN Ref.KPe 070."
		{"13253", tradescreen.Identifier{Type: "UN Ref", Number: "YEi.004"}},                               // "UN REF No.YEi.004."
		{"13090", tradescreen.Identifier{Type: "UN Ref", Number: "TAi.172"}},                               // "UN Reference No: TAi.172."
		{"10657", tradescreen.Identifier{Type: "UN Ref", Number: "E.29.I.11"}},                             // old Iran committee form
		{"13188", tradescreen.Identifier{Type: "UN Ref", Number: "QE.A.146.14"}},                           // "UN REF:QE.A.146.14."
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			e := find(t, ds, c.id)
			for _, id := range e.Identifiers {
				if id == c.want {
					return
				}
			}
			t.Errorf("identifiers %+v lack %+v", e.Identifiers, c.want)
		})
	}
}

// TestFamousIndividual checks Ayman al-Zawahiri (Group ID 7016, 14 rows) field by field.
func TestFamousIndividual(t *testing.T) {
	e := find(t, load(t, fullFile), "7016")
	eq(t, "Kind", e.Kind, tradescreen.KindPerson)
	eq(t, "Name", e.Name, "Aiman Muhammed Rabi AL-ZAWAHIRI") // the Prime Alias row, given names first
	eq(t, "aliases", len(e.Aliases), 13)                     // 13 AKA rows, all different
	if !hasAlias(e, "Ayman AL-ZAWAHARI", tradescreen.NameAKA) || !hasAlias(e, "Al Zawahry Aiman Mohamed Rabi Abdel MUAZ", tradescreen.NameAKA) {
		t.Errorf("aliases %+v", e.Aliases)
	}
	eq(t, "alias parts", e.Aliases[0], tradescreen.Name{Full: "Nur Al Deen ABU MOHAMMED", Type: tradescreen.NameAKA, Given: "Nur Al Deen", Family: "ABU MOHAMMED"})
	eq(t, "Title", e.Title, "Dr")
	eq(t, "BirthDates", e.BirthDates, []string{"1951-06-19"})
	eq(t, "BirthPlaces", e.BirthPlaces, []string{"Giza, Egypt"})
	eq(t, "Nationalities", e.Nationalities, []string{"Egyptian"})
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{
		{Type: "Passport", Number: "1084010", Note: "1084010 (Egyptian)"}, // "(1) 1084010 (Egyptian) (2) 19820215"
		{Type: "Passport", Number: "19820215"},
		{Type: "UN Ref", Number: "QI.A.6.01"},
	})
	eq(t, "Programs", e.Programs, []string{"The ISIL (Da'esh) and Al-Qaida organisations"})
	eq(t, "ListedOn", e.ListedOn, "2001-02-23")
	eq(t, "LastUpdated", e.LastUpdated, "2015-08-18")
	if !strings.HasPrefix(e.Remarks, "UN Ref QI.A.6.01. a) Leader of Al-Qaida") {
		t.Errorf("Remarks = %q", e.Remarks)
	}
	eq(t, "SourceListURL", e.SourceListURL, ListURL)
	var raw map[string]any
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	eq(t, "Raw Group ID", raw["Group ID"], any("7016"))
	eq(t, "Raw Passport Details", raw["Passport Details"], any("(1) 1084010 (Egyptian) (2) 19820215"))
	if names, ok := raw["Name 6"].([]any); !ok || len(names) != 14 {
		t.Errorf("Raw Name 6 = %v, want one value per row", raw["Name 6"])
	}
}

// TestFamousEntity checks the Second Academy of Natural Sciences (Group ID 12871, 9 rows) and the IRGC
// Qods Force (11241), listed under two regimes on two dates.
func TestFamousEntity(t *testing.T) {
	ds := load(t, fullFile)
	e := find(t, ds, "12871")
	eq(t, "Kind", e.Kind, tradescreen.KindOrganization)
	eq(t, "Name", e.Name, "SECOND ACADEMY OF NATURAL SCIENCES")
	eq(t, "aliases", len(e.Aliases), 8)
	if !hasAlias(e, "CHAYON KWAHAK-WON", tradescreen.NameAKA) || e.Aliases[0].Given != "" {
		t.Errorf("aliases %+v", e.Aliases)
	}
	eq(t, "Addresses", e.Addresses, []tradescreen.Address{{Full: "Pyongyang, DPRK", Country: "KP", CountryName: "DPRK"}})
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{{Type: "UN Ref", Number: "KPe.018"}})
	eq(t, "ListedOn", e.ListedOn, "2013-04-23")

	q := find(t, ds, "11241")
	eq(t, "Name", q.Name, "IRGC QODS FORCE")
	eq(t, "Aliases", q.Aliases, []tradescreen.Name{{Full: "QUDS FORCE", Type: tradescreen.NameAKA}})
	eq(t, "Programs", q.Programs, []string{"Iran (nuclear proliferation)", "Syria"})
	eq(t, "ListedOn", q.ListedOn, "2010-07-27") // earliest of 27/07/2010 and 24/08/2011
	eq(t, "Addresses", q.Addresses, []tradescreen.Address{{Full: "Teheran, Iran", Country: "IR", CountryName: "Iran"}})
	eq(t, "Raw", string(q.Raw), `{"Name 6":["IRGC QODS FORCE","IRGC QODS FORCE","QUDS FORCE","QUDS FORCE"],"Address 6":"Teheran","Country":"Iran","Other Information":"EU listing under Iran (nuc prol-not UN listed) and Syria. Responsible for operations outside Iran. Tehran's principal foreign policy tool for special operations and support to terrorists and Islamic militants abroad. The Qods (Quds) force is a specialist arm of the Iranian Islamic Revolutionary Guard Corps (IRGC).","Group Type":"Entity","Alias Type":["Prime Alias","Prime Alias","AKA","AKA"],"Regime":["Iran (nuclear proliferation)","Syria","Iran (nuclear proliferation)","Syria"],"Listed On":["27/07/2010","24/08/2011","27/07/2010","24/08/2011"],"Last Updated":"31/05/2013","Group ID":"11241"}`)
}

// TestGrouping: Group 13349 has 16 rows (8 names x 2 dates of birth) and becomes one entry.
func TestGrouping(t *testing.T) {
	e := find(t, load(t, fullFile), "13349")
	eq(t, "Name", e.Name, "Nayef Salam Muhammad Ujaym AL-HABABI")
	eq(t, "aliases", len(e.Aliases), 7) // 8 distinct names, one of them primary
	if !hasAlias(e, "Sheikh Farooq AL-QAHTANI", tradescreen.NameAKA) || !hasAlias(e, "Imran Farouk SHAYKH", tradescreen.NameAKA) {
		t.Errorf("aliases %+v", e.Aliases)
	}
	eq(t, "BirthDates", e.BirthDates, []string{"1980", "1981"})                // 00/00/1980, 00/00/1981
	eq(t, "Nationalities", e.Nationalities, []string{"Saudi Arabia", "Qatar"}) // "1) Saudi Arabia 2) Qatar"
	eq(t, "Addresses", e.Addresses, []tradescreen.Address{{Full: "Afghanistan (since 2009)", Country: "AF", CountryName: "Afghanistan (since 2009)"}})
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{
		{Type: "Passport", Number: "592667", Note: "Passport No: 592667 (Qatari passport issued on 3 May 2007)."},
		{Type: "UN Ref", Number: "QDe.004"},
	})
}

// TestQuirks covers the peculiarities of the legacy file, on a byte-for-byte excerpt and the full file.
func TestQuirks(t *testing.T) {
	ds := load(t, excerpt)
	eq(t, "entries", len(ds.Entries), 7)
	t.Run("windows-1252", func(t *testing.T) {
		e := find(t, ds, "13190") // AL-MU\x92AYYAD: 0x92 is a right single quotation mark
		if !hasAlias(e, "Abdallah AL-MU\u2019AYYAD", tradescreen.NameAKA) {
			t.Errorf("aliases %+v", e.Aliases)
		}
		eq(t, "BirthPlaces", e.BirthPlaces, []string{"Dahyan, Yemen", "Sa\u2019dah Governorate, Yemen"}) // "1) Dahyan, 2) Sa’dah Governorate"
	})
	t.Run("numbered ranges", func(t *testing.T) {
		// Town of Birth "(1) Manzil Tmim (2) Sosa (3) Solisse (4) Tunis (5) - (6) Aras (7) -",
		// Country of Birth "(1)-(5) Tunisia (6)-(7) Algeria".
		e := find(t, ds, "7872")
		eq(t, "BirthPlaces", e.BirthPlaces, []string{"Manzil Tmim, Tunisia", "Sosa, Tunisia", "Solisse, Tunisia", "Tunis, Tunisia", "Tunisia", "Aras, Algeria", "Algeria"})
		eq(t, "BirthDates", e.BirthDates, []string{"1970-01-25", "1971-01-25", "1973-12-12"})
	})
	t.Run("vessel as entity with IMO", func(t *testing.T) {
		e := find(t, ds, "13556") // TONG SAN 2: the legacy layout has no Ship group type
		eq(t, "Kind", e.Kind, tradescreen.KindOrganization)
		eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{{Type: "IMO", Number: "8937675"}})
	})
	t.Run("titles", func(t *testing.T) {
		full := load(t, fullFile)
		// Group 13150: Prime Alias without title, AKA rows titled "Sheikh".
		eq(t, "Title", find(t, full, "13150").Title, "Sheikh")
	})
	t.Run("FKA", func(t *testing.T) {
		n := 0
		for _, e := range load(t, fullFile).Entries {
			for _, a := range e.Aliases {
				if a.Type == tradescreen.NameFKA {
					n++
				}
			}
		}
		// 24 FKA rows hold 14 distinct names (Python: len({(gid, name) for FKA rows})).
		eq(t, "fka names", n, 14)
	})
	t.Run("country codes", func(t *testing.T) {
		for in, want := range map[string]string{
			"France": "FR", "United Kingdom": "GB", "Panama": "PA", "RDC": "CD", "Sultanate of Oman": "OM",
			"Trinidad and Tobago (alternative location as at Sep 2011)": "TT", "DPRK": "KP",
			"Syrian Arab Republic as of September 2015": "SY", "In Syria as at June 2013": "", "Africa": "",
		} {
			eq(t, in, countryCode(in), want)
		}
	})
}

// TestNewLayout covers the 2021+ columns on the 23-row sample.
func TestNewLayout(t *testing.T) {
	ds := load(t, sampleFile)
	t.Run("non-Latin script", func(t *testing.T) {
		e := find(t, ds, "9053")
		eq(t, "Name", e.Name, "Mohsen HOJATI")
		eq(t, "Aliases", e.Aliases, []tradescreen.Name{{Full: "محسن حجتی", Type: tradescreen.NameAKA, Script: "Arabic", Note: "Persian"}})
		eq(t, "Cyrillic", find(t, ds, "13017").Aliases, []tradescreen.Name{{Full: "Игорь Венедиктович ПЛОТНИЦКИЙ", Type: tradescreen.NameAKA, Script: "Cyrillic", Note: "russian"}})
	})
	t.Run("UK Sanctions List Ref and national id", func(t *testing.T) {
		e := find(t, ds, "9215")
		eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{
			{Type: "National Identification Number", Number: "3520025509842-7", Note: "3520025509842-7 (Pakistani)"},
			{Type: "UN Ref", Number: "QDi.263"},
			{Type: "UK Sanctions List Ref", Number: "AQD0183", Country: "GB"},
		})
		eq(t, "postal code", e.Addresses[0].PostalCode, "123321")
		eq(t, "country", e.Addresses[0].Country, "PK")
	})
	t.Run("group without primary row", func(t *testing.T) {
		e := find(t, ds, "13063") // three AKA rows, no Prime Alias: the first row names the entry
		eq(t, "Name", e.Name, "Kateryna Yuriyivna HUBARIEVA")
		eq(t, "Aliases", len(e.Aliases), 0)
		eq(t, "BirthDates", e.BirthDates, []string{"1983-07-05", "1983", "1984-04"}) // 10/00/1983: month unknown
	})
	t.Run("primary name variation", func(t *testing.T) {
		e := find(t, ds, "11039") // Prime Alias "Sang-kuk SO", AKA "Sang Kuk SO", seven DOB rows each
		eq(t, "Name", e.Name, "Sang-kuk SO")
		eq(t, "Aliases", e.Aliases, []tradescreen.Name{{Full: "Sang Kuk SO", Type: tradescreen.NameAKA, Given: "Sang Kuk", Family: "SO"}})
		eq(t, "BirthDates", len(e.BirthDates), 7)
	})
}

func TestNameTypes(t *testing.T) {
	cases := []struct {
		alias, quality string
		typ            tradescreen.NameType
		note           string
	}{
		{"AKA", "", tradescreen.NameAKA, ""},
		{"AKA", "Good", tradescreen.NameAKA, ""},
		{"AKA", "Low", tradescreen.NameWeakAKA, ""},
		{"FKA", "", tradescreen.NameFKA, ""},
		{"Primary name variation", "", tradescreen.NameAKA, "Primary name variation"},
	}
	for _, c := range cases {
		t.Run(c.alias+"/"+c.quality, func(t *testing.T) {
			typ, note := nameType(c.alias, c.quality)
			eq(t, "type", typ, c.typ)
			eq(t, "note", note, c.note)
		})
	}
}

// TestCurrentLayout parses a file in the layout OFSI has published since 2021 (Primary name, Alias Quality,
// Ship), built here from the official header.
func TestCurrentLayout(t *testing.T) {
	const in = "Last Updated,03/06/2022\r\n" +
		"Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,Passport Details,National Identification Number,National Identification Details,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID\r\n" +
		"KIM,Jong Un,,,,,,김정은,Hangul,Korean,08/01/1984,,,North Korea,(1) 123 (2) 456,(1) issued 2010 (2) issued 2015,,,,,,,,,,,,,Individual,Primary name,,Russia,01/01/2022,31/12/2020,02/01/2022,99001\r\n" +
		"KIM,Jong-un,,,,,,,,,08/01/1984,,,North Korea,,,,,,,,,,,,,,,Individual,AKA,Low,Russia,01/01/2022,31/12/2020,02/01/2022,99001\r\n" +
		"KIM,Chong Un,,,,,,,,,08/01/1984,,,North Korea,,,,,,,,,,,,,,,Individual,Primary name variation,,Russia,01/01/2022,31/12/2020,02/01/2022,99001\r\n" +
		"OCEAN STAR,,,,,,,,,,,,,,,,,,,,,,,,,,,IMO 1234567,Ship,Primary name,,Russia,01/02/2022,01/02/2022,01/02/2022,99002\r\n"
	ds, err := Parse([]byte(in), "ConList.csv")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Published", ds.Lists[0].Published, "2022-06-03")
	k := ds.Entries[0]
	eq(t, "Name", k.Name, "Jong Un KIM")
	eq(t, "Aliases", k.Aliases, []tradescreen.Name{
		{Full: "김정은", Type: tradescreen.NameAKA, Script: "Hangul", Note: "Korean"},
		{Full: "Jong-un KIM", Type: tradescreen.NameWeakAKA, Given: "Jong-un", Family: "KIM"},
		{Full: "Chong Un KIM", Type: tradescreen.NameAKA, Given: "Chong Un", Family: "KIM", Note: "Primary name variation"},
	})
	eq(t, "Identifiers", k.Identifiers, []tradescreen.Identifier{
		{Type: "Passport", Number: "123", Note: "issued 2010"}, {Type: "Passport", Number: "456", Note: "issued 2015"},
	})
	eq(t, "StartDate", k.StartDate, "2020-12-31")
	s := ds.Entries[1]
	eq(t, "ship kind", s.Kind, tradescreen.KindVessel)
	eq(t, "ship IMO", s.Identifiers, []tradescreen.Identifier{{Type: "IMO", Number: "1234567"}})

	// Without the "Last Updated" line the date is inferred from the rows.
	ds, err = Parse([]byte(in[strings.Index(in, "\n")+1:]), "ConList.csv")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "inferred Published", ds.Lists[0].Published, "2022-02-01")
	if ds.Lists[0].PublishedNote == "" {
		t.Error("no PublishedNote for an inferred date")
	}
}

func TestItems(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Afghan", []string{"Afghan"}},
		{"1) Saudi Arabia 2) Qatar", []string{"Saudi Arabia", "Qatar"}},
		{"(1) United States of America (2)  Yemeni", []string{"United States of America", "Yemeni"}},
		{"a) General b)Major General", []string{"General", "Major General"}},
		{"1) Mullah, 2) Maulavi, 3) Habji.", []string{"Mullah", "Maulavi", "Habji."}},
		{"Passport No: (a) 199421147, (b) 381110042.", []string{"Passport No: 199421147", "Passport No: 381110042."}},
		{"(1) Tiaret (2) - (3) Mahdia", []string{"Tiaret", "Mahdia"}},
		{"(1)-(2) Indonesia", []string{"Indonesia", "Indonesia"}},
		{"(1) Samarra", []string{"(1) Samarra"}}, // a lone marker is no list
		{"Saudi Arabia) b) x", []string{"Saudi Arabia) b) x"}},
		{"-0-", nil},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) { eq(t, "items", items(c.in), c.want) })
	}
}

// TestErrors: bad input gives a ParseError naming the file, the line and the column, never an empty success.
func TestErrors(t *testing.T) {
	good, err := os.ReadFile(excerpt)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(good, []byte("\r\n"))
	head := string(lines[0]) + string(lines[1])
	row := string(lines[2])
	un, err := os.ReadFile("../../testdata/lists/un/consolidated_2018-06-07.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(good)
	zw.Close()
	cases := []struct {
		name, in    string
		line        int
		field, want string
	}{
		{"empty", "", 0, "", "empty file"},
		{"blank", " \r\n\r\n", 0, "", "empty file"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 0, "", "binary data"},
		{"HTML error page", "<!DOCTYPE html><html><body>503 Service Unavailable</body></html>", 1, "", "HTML page"},
		{"UN XML", string(un), 1, "", "XML document"},
		{"truncated gzip", string(gz.Bytes()[:gz.Len()/2]), 0, "", "gzip"},
		{"truncated in a row", head + row[:len(row)/2], 3, "Group Type", "record has 23 fields, the header 29"},
		{"only the date line", string(lines[0]), 2, "", "no column header"},
		{"no records", head, 0, "", "no records"},
		{"wrong header", "Last Updated,27/04/2020\r\nent_num,SDN_Name,SDN_Type\r\n1,X,Y\r\n", 2, "", `missing column(s) "Name 6", "Name 1", "Group Type", "Alias Type", "Regime", "Group ID"; columns found: "ent_num", "SDN_Name", "SDN_Type"`},
		{"other CSV", "ent_num,SDN_Name,SDN_Type\r\n1,X,Y\r\n", 1, "", `expected "Last Updated,dd/mm/yyyy" then the column header`},
		{"bad date", "Last Updated,2020-13-45\r\n" + head[strings.Index(head, "\n")+1:] + row, 1, "Last Updated", "not a dd/mm/yyyy date"},
		{"duplicate column", "Last Updated,27/04/2020\r\nName 6,Name 1,Group Type,Alias Type,Regime,Group ID,Regime\r\n", 2, "Regime", "column named twice"},
		{"empty Group ID", head + strings.Replace(row, ",13349\r\n", ",\r\n", 1), 3, "Group ID", "empty Group ID"},
		{"bad Group ID", head + strings.Replace(row, ",13349\r\n", ",13x49\r\n", 1), 3, "Group ID", "not a number"},
		{"extra field", head + strings.Replace(row, ",13349\r\n", ",13349,oops\r\n", 1), 3, "column 30", "beyond the 29 columns"},
		{"empty name", head + ",,,,,,,,,,,,,,,,,,,,,,,Individual,AKA,Syria,01/01/2020,01/01/2020,1\r\n", 3, "Name 6", "empty name"},
		{"bad quote", head + "\"AL \"X\",Y\r\n", 3, "", "malformed CSV"},
		{"huge field", head + strings.Repeat("A", maxField+1) + row[strings.Index(row, ","):], 3, "Name 6", "too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := Parse([]byte(c.in), "ConList.csv")
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, %v; want a *tradescreen.ParseError", ds, err)
			}
			if pe.File != "ConList.csv" || pe.Line != c.line || pe.Field != c.field || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q (line %d field %q), want line %d field %q containing %q", err, pe.Line, pe.Field, c.line, c.field, c.want)
			}
		})
	}
	t.Run("gzip", func(t *testing.T) {
		ds, err := Parse(gz.Bytes(), "ConList.csv.gz")
		if err != nil || len(ds.Entries) != 7 || ds.Lists[0].SHA256 != source.SHA256(gz.Bytes()) {
			t.Fatalf("gzip: %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		_, err := Open("testdata")
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("Open(dir) = %v", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := Open("testdata/nope.csv")
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("Open(missing) = %v", err)
		}
	})
}

func TestRegistered(t *testing.T) {
	f, ok := source.Lookup("uk")
	if !ok {
		t.Fatal("kind uk not registered")
	}
	ds, err := f.Open(excerpt)
	if err != nil || len(ds.Entries) != 7 {
		t.Fatalf("Open: %v", err)
	}
}
