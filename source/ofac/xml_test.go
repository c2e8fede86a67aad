package ofac

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

const listsDir = "../../testdata/lists/ofac/"

// readTestFile returns the bytes of a file as stored (gzip-compressed when the name ends .gz).
func readTestFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gunzipTest returns the decompressed content of a .gz test file.
func gunzipTest(t testing.TB, path string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(readTestFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// findEntry returns the entry with the source id.
func findEntry(t *testing.T, ds *source.Dataset, id string) tradescreen.Entry {
	t.Helper()
	for _, e := range ds.Entries {
		if e.SourceID == id {
			return e
		}
	}
	t.Fatalf("entry %s not found", id)
	return tradescreen.Entry{}
}

// wantParseError fails unless err is a *tradescreen.ParseError whose text contains every part.
func wantParseError(t *testing.T, err error, parts ...string) *tradescreen.ParseError {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a ParseError containing %q", parts)
	}
	var pe *tradescreen.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got %T %v, want *tradescreen.ParseError", err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
	return pe
}

func aliasesOf(e tradescreen.Entry, typ tradescreen.NameType) []string {
	var out []string
	for _, a := range e.Aliases {
		if a.Type == typ {
			out = append(out, a.Full)
		}
	}
	return out
}

func TestParseXMLRealFiles(t *testing.T) {
	// Counts obtained on the raw files, independently of this reader:
	//   zcat FILE | grep -c '<sdnEntry>'   -> entries
	//   zcat FILE | grep -c '<aka>'        -> aliases (every aka element is one alias), so Names = entries + akas
	//   zcat FILE | grep -c '<program>NS-PLC</program>' and '<program>CMIC-EO13959</program>' -> us_plc, us_cmic
	//     (no entry carries NS-PLC or CMIC together with a more specific program)
	//   zcat FILE | grep -c '<program>FSE'   -> us_fse (FSE is the most specific list)
	//   <Record_Count> and <Publish_Date> read from the header.
	// A complete non-SDN file reports all six non-SDN lists, an empty one with 0 entries (FSE since 2025-12).
	// sdn_xml_sample_2020-04-22.xml is an 8-entry excerpt whose header still says Record_Count 8197.
	tests := []struct {
		file           string
		entries, akas  int
		published      string
		note           string
		plc, cmic, fse int
		sdnOnly        bool
	}{
		{file: "sdn_xml_sample_2020-04-22.xml", entries: 8, akas: 27, published: "2020-04-22",
			note: "Record_Count 8197 but 8 sdnEntry elements", sdnOnly: true},
		{file: "cons_2018-05/consolidated.xml.gz", entries: 639, akas: 1255, published: "2018-04-06", plc: 78, fse: 6},
		{file: "cons_xml/CONSOLIDATED_2025-10-22.xml.gz", entries: 443, akas: 1145, published: "2025-10-22", plc: 78, cmic: 68, fse: 1},
		{file: "cons_xml/CONSOLIDATED_2025-12-18.xml.gz", entries: 442, akas: 1145, published: "2025-12-18", plc: 78, cmic: 68},
		{file: "cons_xml/CONSOLIDATED_2026-01-08.xml.gz", entries: 442, akas: 1144, published: "2026-01-08", plc: 78, cmic: 68},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			raw := readTestFile(t, listsDir+tt.file)
			ds, err := Open(listsDir + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Entries) != tt.entries {
				t.Errorf("entries = %d, want %d", len(ds.Entries), tt.entries)
			}
			if n := source.CountNames(ds.Entries); n != tt.entries+tt.akas {
				t.Errorf("names = %d, want %d", n, tt.entries+tt.akas)
			}
			perList := map[string]int{}
			sumEntries, sumNames := 0, 0
			for _, lv := range ds.Lists {
				perList[lv.Source] = lv.Entries
				sumEntries += lv.Entries
				sumNames += lv.Names
				if lv.Published != tt.published {
					t.Errorf("%s published = %q, want %q", lv.Source, lv.Published, tt.published)
				}
				if tt.note == "" && lv.PublishedNote != "" {
					t.Errorf("%s note = %q, want none (Record_Count matches)", lv.Source, lv.PublishedNote)
				}
				if tt.note != "" && !strings.Contains(lv.PublishedNote, tt.note) {
					t.Errorf("%s note = %q, want %q", lv.Source, lv.PublishedNote, tt.note)
				}
				if lv.Format != "ofac" || lv.Origin != filepath.Base(tt.file) || lv.SHA256 != source.SHA256(raw) || !lv.Loaded.IsZero() {
					t.Errorf("list version %+v: wrong format, origin, digest or loaded", lv)
				}
			}
			if sumEntries != tt.entries || sumNames != tt.entries+tt.akas {
				t.Errorf("list versions count %d entries / %d names, want %d / %d", sumEntries, sumNames, tt.entries, tt.entries+tt.akas)
			}
			if tt.sdnOnly {
				if len(ds.Lists) != 1 || ds.Lists[0].Source != "us_sdn" {
					t.Errorf("lists = %+v, want us_sdn only", ds.Lists)
				}
			} else {
				if perList["us_sdn"] != 0 {
					t.Errorf("%d entries of a non-SDN file on us_sdn", perList["us_sdn"])
				}
				if perList["us_plc"] != tt.plc || perList["us_cmic"] != tt.cmic || perList["us_fse"] != tt.fse {
					t.Errorf("us_plc = %d, us_cmic = %d, us_fse = %d, want %d, %d, %d", perList["us_plc"], perList["us_cmic"], perList["us_fse"], tt.plc, tt.cmic, tt.fse)
				}
				for _, code := range []string{"us_ssi", "us_fse", "us_plc", "us_cap", "us_mbs", "us_cmic"} {
					if _, ok := perList[code]; !ok {
						t.Errorf("no version of %s: a complete non-SDN file dates every non-SDN list (lists %v)", code, perList)
					}
				}
			}
			for _, e := range ds.Entries {
				if e.SourceID == "" || e.Name == "" || e.Kind == tradescreen.KindUnknown || len(e.Programs) == 0 || !json.Valid(e.Raw) {
					t.Fatalf("incomplete entry %+v", e)
				}
			}
		})
	}
}

func TestParseXMLSaeed(t *testing.T) {
	// Hafiz Muhammad SAEED, SDGT, uid 10689 in SDN.XML of 22 Apr 2020.
	ds, err := ParseXML(readTestFile(t, listsDir+"sdn_xml_sample_2020-04-22.xml"), "sdn_xml_sample_2020-04-22.xml")
	if err != nil {
		t.Fatal(err)
	}
	e := findEntry(t, ds, "10689")
	if e.Source != "us_sdn" || e.Kind != tradescreen.KindPerson || e.Name != "SAEED, Muhammad" {
		t.Errorf("source, kind, name = %s, %s, %q", e.Source, e.Kind, e.Name)
	}
	if !reflect.DeepEqual(e.Programs, []string{"SDGT"}) || e.SourceListURL != listURL {
		t.Errorf("programs %v, url %q", e.Programs, e.SourceListURL)
	}
	if len(e.Aliases) != 10 {
		t.Fatalf("aliases = %d, want the 10 aka elements", len(e.Aliases))
	}
	first := e.Aliases[0]
	if first != (tradescreen.Name{Full: "SAEED, Hafiz Muhammad", Type: tradescreen.NameAKA, Given: "Hafiz Muhammad", Family: "SAEED"}) {
		t.Errorf("first alias = %+v", first)
	}
	if got := aliasesOf(e, tradescreen.NameWeakAKA); !reflect.DeepEqual(got, []string{"HAFIZ SAHIB", "TATA JI"}) {
		t.Errorf("weak akas = %v", got)
	}
	wantIDs := []tradescreen.Identifier{
		{Type: "Passport", Number: "Booklet A5250088", Country: "PK"},
		{Type: "Passport", Number: "BE5978421", Country: "PK", Issued: "2007-11-14", Expires: "2012-11-12"},
		{Type: "National ID No.", Number: "23250460642", Country: "PK"},
		{Type: "National ID No.", Number: "3520025509842-7", Country: "PK"},
	}
	if !reflect.DeepEqual(e.Identifiers, wantIDs) {
		t.Errorf("identifiers = %+v", e.Identifiers)
	}
	wantAddr := []tradescreen.Address{{
		Full:   "House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:, Lahore City, Lahore District, Pakistan",
		Street: "House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:", City: "Lahore City, Lahore District",
		Country: "PK", CountryName: "Pakistan",
	}}
	if !reflect.DeepEqual(e.Addresses, wantAddr) {
		t.Errorf("addresses = %+v", e.Addresses)
	}
	if !reflect.DeepEqual(e.BirthDates, []string{"1950-06-05"}) || !reflect.DeepEqual(e.BirthPlaces, []string{"Sargodha, Punjab, Pakistan"}) ||
		!reflect.DeepEqual(e.Nationalities, []string{"PK"}) {
		t.Errorf("dob %v, pob %v, nationality %v", e.BirthDates, e.BirthPlaces, e.Nationalities)
	}
	// The raw record keeps the official element names and every value, lists as arrays.
	var raw map[string]any
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["uid"] != "10689" || raw["lastName"] != "SAEED" || len(raw["akaList"].([]any)) != 10 || len(raw["idList"].([]any)) != 4 {
		t.Errorf("raw = %s", e.Raw)
	}
	if !bytes.Contains(e.Raw, []byte(`{"uid":"7589","idType":"Passport","idNumber":"BE5978421","idCountry":"Pakistan","issueDate":"14 Nov 2007","expirationDate":"12 Nov 2012"}`)) {
		t.Errorf("raw id not kept as published: %s", e.Raw)
	}
}

func TestParseXMLQuirks(t *testing.T) {
	sample := readTestFile(t, listsDir+"sdn_xml_sample_2020-04-22.xml")
	ds, err := ParseXML(sample, "sdn_xml_sample_2020-04-22.xml")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("title, remarks and dates as published", func(t *testing.T) {
		// Mohammad Reza NAQDI: a long title, DOB ranges, a month and a year.
		e := findEntry(t, ds, "12057")
		if !strings.HasPrefix(e.Title, "Brigadier General and Commander of the IRGC Basij Resistance Force;") || e.Remarks != "Head of the Basij" {
			t.Errorf("title %q, remarks %q", e.Title, e.Remarks)
		}
		if want := []string{"1951 to 1953", "1960 to 1962", "1961-04", "1953"}; !reflect.DeepEqual(e.BirthDates, want) {
			t.Errorf("dob = %v, want %v", e.BirthDates, want)
		}
		if len(e.Programs) != 6 {
			t.Errorf("programs = %v", e.Programs)
		}
	})
	t.Run("entity has lastName only", func(t *testing.T) {
		e := findEntry(t, ds, "19187")
		if e.Name != "TROLL PROPERTIES, INC." || e.Kind != tradescreen.KindOrganization {
			t.Errorf("name %q kind %s", e.Name, e.Kind)
		}
	})
	t.Run("gender from idList", func(t *testing.T) {
		found := false
		for _, e := range ds.Entries {
			for _, id := range e.Identifiers {
				if id.Type == "Gender" {
					found = true
					if e.Gender != id.Number {
						t.Errorf("%s gender %q, id %q", e.SourceID, e.Gender, id.Number)
					}
				}
			}
		}
		if !found {
			t.Error("no Gender id in the sample")
		}
	})
	t.Run("vessel and f.k.a. in the 2018 consolidated file", func(t *testing.T) {
		ds, err := Open(listsDir + "cons_2018-05/consolidated.xml.gz")
		if err != nil {
			t.Fatal(err)
		}
		e := findEntry(t, ds, "15902") // ATLANTIS, crude oil tanker of NITC
		want := &tradescreen.Vessel{CallSign: "5IM316", Type: "Crude Oil Tanker", Flag: "Tanzania", Owner: "NITC"}
		if e.Kind != tradescreen.KindVessel || e.Name != "ATLANTIS" || !reflect.DeepEqual(e.Vessel, want) {
			t.Errorf("vessel entry = %s %q %+v", e.Kind, e.Name, e.Vessel)
		}
		if e.Identifiers[0] != (tradescreen.Identifier{Type: "Vessel Registration Identification", Number: "IMO 9569621"}) {
			t.Errorf("IMO = %+v", e.Identifiers[0])
		}
		vessels, fka := 0, 0
		for _, e := range ds.Entries {
			if e.Vessel != nil {
				vessels++
			}
			fka += len(aliasesOf(e, tradescreen.NameFKA))
		}
		// grep -c '<vesselInfo>' = 74; grep -c '<type>f.k.a.</type>' = 186
		if vessels != 74 || fka != 186 {
			t.Errorf("vessels = %d, fka = %d, want 74, 186", vessels, fka)
		}
	})
	t.Run("2025 namespace and PLC entry", func(t *testing.T) {
		ds, err := Open(listsDir + "cons_xml/CONSOLIDATED_2025-10-22.xml.gz")
		if err != nil {
			t.Fatal(err)
		}
		e := findEntry(t, ds, "9639") // Ismail HANIYA, Palestinian Legislative Council
		if e.Source != "us_plc" || e.Name != "HANIYA, Ismail Abdul Salah" || !reflect.DeepEqual(e.BirthDates, []string{"1962"}) ||
			!reflect.DeepEqual(e.BirthPlaces, []string{"Shati"}) || len(e.Aliases) != 2 {
			t.Errorf("HANIYA = %+v", e)
		}
		weak, weakFKA := 0, 0
		for _, e := range ds.Entries {
			weak += len(aliasesOf(e, tradescreen.NameWeakAKA))
			for _, a := range e.Aliases {
				if a.Type == tradescreen.NameFKA && a.Note == "weak" {
					weakFKA++
				}
			}
		}
		// grep -c '<category>weak</category>' = 72, of which 3 follow <type>f.k.a.</type>
		// (grep -A1 '<type>f.k.a.</type>' | grep -c weak): 69 weak a.k.a. and 3 f.k.a. noted "weak".
		if weak != 69 || weakFKA != 3 {
			t.Errorf("weak akas = %d, weak fkas = %d, want 69, 3", weak, weakFKA)
		}
	})
	t.Run("no namespace", func(t *testing.T) {
		doc := `<sdnList><publshInformation><Publish_Date>01/02/2024</Publish_Date><Record_Count>1</Record_Count></publshInformation>` +
			`<sdnEntry><uid>1</uid><lastName>ACME</lastName><sdnType>Entity</sdnType><programList><program>SDGT</program></programList></sdnEntry></sdnList>`
		ds, err := ParseXML([]byte(doc), "SDN.XML")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Entries) != 1 || ds.Lists[0].Published != "2024-01-02" || ds.Lists[0].PublishedNote != "" {
			t.Errorf("dataset = %+v", ds)
		}
	})
	t.Run("no Publish_Date", func(t *testing.T) {
		doc := `<sdnList><sdnEntry><uid>1</uid><lastName>ACME</lastName></sdnEntry></sdnList>`
		ds, err := ParseXML([]byte(doc), "SDN.XML")
		if err != nil {
			t.Fatal(err)
		}
		if ds.Lists[0].Published != "" || !strings.Contains(ds.Lists[0].PublishedNote, "no Publish_Date") {
			t.Errorf("list = %+v", ds.Lists[0])
		}
	})
	t.Run("SDN or non-SDN from content when the name does not say", func(t *testing.T) {
		cons := gunzipTest(t, listsDir+"cons_xml/CONSOLIDATED_2026-01-08.xml.gz")
		ds, err := ParseXML(cons, "ofac.xml")
		if err != nil {
			t.Fatal(err)
		}
		for _, lv := range ds.Lists {
			if lv.Source == "us_sdn" {
				t.Errorf("consolidated content read as SDN: %+v", ds.Lists)
			}
		}
		ds, err = ParseXML(sample, "export.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Lists) != 1 || ds.Lists[0].Source != "us_sdn" {
			t.Errorf("SDN content read as non-SDN: %+v", ds.Lists)
		}
	})
	t.Run("excerpt Record_Count kept in note", func(t *testing.T) {
		b := readTestFile(t, "testdata/xml_vessel_2018-04-06.xml")
		ds, err := ParseXML(b, "consolidated_excerpt.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Entries) != 1 || !strings.Contains(ds.Lists[0].PublishedNote, "Record_Count 639 but 1") {
			t.Errorf("lists = %+v", ds.Lists)
		}
	})
	t.Run("windows-1252 and utf-16", func(t *testing.T) {
		doc := "<?xml version=\"1.0\" encoding=\"windows-1252\"?><sdnList><sdnEntry><uid>1</uid><lastName>MU\xd1OZ</lastName></sdnEntry></sdnList>"
		ds, err := ParseXML([]byte(doc), "SDN.XML")
		if err != nil {
			t.Fatal(err)
		}
		if ds.Entries[0].Name != "MUÑOZ" {
			t.Errorf("name = %q", ds.Entries[0].Name)
		}
		u16 := []byte{0xFF, 0xFE}
		for _, r := range "<sdnList><sdnEntry><uid>1</uid><lastName>ACME</lastName></sdnEntry></sdnList>" {
			u16 = append(u16, byte(r), 0)
		}
		if ds, err := ParseXML(u16, "SDN.XML"); err != nil || ds.Entries[0].Name != "ACME" {
			t.Errorf("utf-16: %v", err)
		}
	})
}

func TestParseXMLErrors(t *testing.T) {
	cons := gunzipTest(t, listsDir+"cons_xml/CONSOLIDATED_2025-10-22.xml.gz")
	consGz := readTestFile(t, listsDir+"cons_xml/CONSOLIDATED_2025-10-22.xml.gz")
	entry := func(s string) []byte {
		return []byte(`<?xml version="1.0"?>` + "\n<sdnList>\n" + s + "\n</sdnList>")
	}
	tests := []struct {
		name  string
		in    []byte
		parts []string
	}{
		{"empty", nil, []string{"empty file"}},
		{"white space", []byte(" \n\t "), []string{"empty file"}},
		{"HTML error page", []byte("<!DOCTYPE html>\n<html><body>503 Service Unavailable</body></html>"), []string{"HTML page"}},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'}, []string{"binary data"}},
		{"JSON", []byte(`{"error":"not found"}`), []string{"not an XML document"}},
		{"CSV given as XML", []byte("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n"), []string{"not an XML document"}},
		{"truncated", cons[:len(cons)/2], []string{"truncated XML", "line"}},
		{"truncated gzip", consGz[:len(consGz)/2], []string{"gzip"}},
		{"wrong format: UN list", []byte("<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2018-06-07\"><INDIVIDUALS/></CONSOLIDATED_LIST>"),
			[]string{"line 2", "CONSOLIDATED_LIST", "root element"}},
		{"wrong children", []byte("<sdnList><publshInformation/><entry/><record/></sdnList>"), []string{"no <sdnEntry>", "<entry>, <record>"}},
		{"no uid", entry("<sdnEntry>\n<lastName>ACME</lastName>\n</sdnEntry>"), []string{"line 3", `field "uid"`}},
		{"no name", entry("<sdnEntry><uid>7</uid><sdnType>Entity</sdnType></sdnEntry>"), []string{`field "lastName"`, "uid 7 has no name"}},
		{"duplicate uid", entry("<sdnEntry><uid>7</uid><lastName>A</lastName></sdnEntry>\n<sdnEntry><uid>7</uid><lastName>B</lastName></sdnEntry>"),
			[]string{"line 4", "duplicate uid 7"}},
		{"bad Publish_Date", entry("<publshInformation><Publish_Date>someday</Publish_Date></publshInformation><sdnEntry><uid>7</uid><lastName>A</lastName></sdnEntry>"),
			[]string{`field "Publish_Date"`, "not a date"}},
		{"bad Record_Count", entry("<publshInformation><Record_Count>many</Record_Count></publshInformation><sdnEntry><uid>7</uid><lastName>A</lastName></sdnEntry>"),
			[]string{`field "Record_Count"`}},
		{"unclosed element", entry("<sdnEntry><uid>7</uid><lastName>A</sdnEntry>"), []string{"malformed XML"}},
		{"entity expansion", []byte(`<!DOCTYPE sdnList [<!ENTITY x SYSTEM "file:///etc/passwd">]><sdnList><sdnEntry><uid>1</uid><lastName>&x;</lastName></sdnEntry></sdnList>`),
			[]string{"malformed XML"}},
		{"too deep", entry("<sdnEntry>" + strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40) + "</sdnEntry>"), []string{"nested deeper"}},
		{"text too long", entry("<sdnEntry><uid>1</uid><remarks>" + strings.Repeat("x", maxXMLText+1) + "</remarks></sdnEntry>"), []string{`field "remarks"`, "text longer"}},
		{"two roots", []byte("<sdnList><sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry></sdnList><sdnList/>"), []string{"second root"}},
		{"text after root", []byte("<sdnList><sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry></sdnList>garbage"), []string{"text after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseXML(tt.in, "SDN.XML")
			if ds != nil {
				t.Errorf("got a dataset with %d entries and an error", len(ds.Entries))
			}
			pe := wantParseError(t, err, append(tt.parts, "SDN.XML")...)
			if pe.File != "SDN.XML" {
				t.Errorf("file = %q", pe.File)
			}
		})
	}
}

func TestParseXMLDelegates(t *testing.T) {
	// An enhanced document given to ParseXML (renamed file) is read as enhanced XML, and the reverse.
	enh := readTestFile(t, "testdata/enhanced_sample_2025-01.xml")
	ds, err := ParseXML(enh, "renamed.xml")
	if err != nil || len(ds.Entries) != 3 {
		t.Fatalf("enhanced via ParseXML: %v", err)
	}
	ds, err = ParseEnhanced(readTestFile(t, listsDir+"sdn_xml_sample_2020-04-22.xml"), "SDN.XML")
	if err != nil || len(ds.Entries) != 8 {
		t.Fatalf("sdnList via ParseEnhanced: %v", err)
	}
}

// FuzzParseXML checks that no input makes the sdnList reader panic and that every error is coded.
func FuzzParseXML(f *testing.F) {
	f.Add(readTestFile(f, listsDir+"sdn_xml_sample_2020-04-22.xml"))
	f.Add(readTestFile(f, "testdata/xml_vessel_2018-04-06.xml"))
	f.Add([]byte(`<sdnList><publshInformation><Publish_Date>01/02/2024</Publish_Date><Record_Count>1</Record_Count></publshInformation><sdnEntry><uid>1</uid><firstName>A</firstName><lastName>B</lastName><akaList><aka><type>f.k.a.</type><category>weak</category><lastName>C</lastName></aka></akaList></sdnEntry></sdnList>`))
	f.Add([]byte("<html><body>error</body></html>"))
	f.Add([]byte{0x1f, 0x8b, 0x08})
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte(`<sdnList><publshInformation><Publish_Date>01/08/2026</Publish_Date><Record_Count>1</Record_Count></publshInformation><sdnEntry><uid>9</uid><lastName>X</lastName><sdnType>Entity</sdnType><programList><program>NS-PLC</program></programList></sdnEntry></sdnList>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseXML(b, "SDN.XML")
		checkFuzzResult(t, ds, err)
		// Read as the non-SDN file: a complete one also dates the non-SDN lists it has no entry of.
		ds, err = ParseXML(b, "CONSOLIDATED.xml")
		checkFuzzResult(t, ds, err)
	})
}

// checkFuzzResult asserts the contract of the readers on arbitrary input.
func checkFuzzResult(t *testing.T, ds *source.Dataset, err error) {
	t.Helper()
	if err != nil {
		var pe *tradescreen.ParseError
		var ae *tradescreen.Error
		if !errors.As(err, &pe) && !errors.As(err, &ae) {
			t.Fatalf("error %T %v is neither a ParseError nor an Error", err, err)
		}
		if ds != nil {
			t.Fatal("dataset and error")
		}
		return
	}
	if ds == nil || len(ds.Entries) == 0 {
		t.Fatal("success without entries")
	}
	n := 0
	for _, lv := range ds.Lists {
		n += lv.Entries
	}
	if n != len(ds.Entries) {
		t.Fatalf("lists count %d entries, dataset holds %d", n, len(ds.Entries))
	}
	for _, e := range ds.Entries {
		if e.SourceID == "" || e.Name == "" || !json.Valid(e.Raw) {
			t.Fatalf("bad entry %+v", e)
		}
	}
}
