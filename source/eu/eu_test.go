package eu

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
	sampleA = "../../testdata/lists/eu/fsf_xml1.1_sample_a_2020-04-15.xml"
	sampleB = "../../testdata/lists/eu/fsf_xml1.1_sample_b_2020-04-15.xml"
)

func open(t *testing.T, path string) *source.Dataset {
	t.Helper()
	ds, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return ds
}

func find(t *testing.T, ds *source.Dataset, id string) tradescreen.Entry {
	t.Helper()
	for _, e := range ds.Entries {
		if e.SourceID == id {
			return e
		}
	}
	t.Fatalf("no entry with logicalId %s", id)
	return tradescreen.Entry{}
}

func aliasNames(e tradescreen.Entry) []string {
	var out []string
	for _, a := range e.Aliases {
		out = append(out, a.Full)
	}
	return out
}

func eq(t *testing.T, field string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", field, got, want)
	}
}

// TestRealFiles parses both official excerpts with exact counts. The counts were obtained from the raw
// files, not from this parser:
//
//	grep -c '<sanctionEntity ' FILE                                  -> 7 and 7 elements
//	grep -o '<sanctionEntity [^>]*logicalId="[0-9]*"' FILE | sort -u  -> 6 and 7 distinct logicalIds
//	python3 xml.etree: per distinct logicalId, the distinct nameAlias@wholeName values compared
//	case-insensitively, summed                                         -> 15 and 22 names
//
// Sample A repeats logicalId 5468 (a one-word test record the publishing repository appended), so it
// yields 6 entries from 7 elements.
func TestRealFiles(t *testing.T) {
	for _, tc := range []struct {
		path              string
		elements, entries int
		names             int
		sha               string
	}{
		{sampleA, 7, 6, 15, "0284a067ee928a6b"},
		{sampleB, 7, 7, 22, "51aff2636f106e78"},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			raw, err := os.ReadFile(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(raw, []byte("<sanctionEntity ")); n != tc.elements {
				t.Fatalf("file holds %d <sanctionEntity elements, test expects %d", n, tc.elements)
			}
			ds := open(t, tc.path)
			eq(t, "len(Entries)", len(ds.Entries), tc.entries)
			if len(ds.Lists) != 1 {
				t.Fatalf("Lists = %d, want 1", len(ds.Lists))
			}
			lv := ds.Lists[0]
			eq(t, "Source", lv.Source, "eu_fsf")
			eq(t, "Published", lv.Published, "2020-04-15")
			eq(t, "PublishedNote", lv.PublishedNote, "")
			eq(t, "Entries", lv.Entries, tc.entries)
			eq(t, "Names", lv.Names, tc.names)
			eq(t, "Format", lv.Format, "eu")
			eq(t, "Origin", lv.Origin, filepath.Base(tc.path))
			eq(t, "SHA256 prefix", lv.SHA256[:16], tc.sha)
			eq(t, "Loaded is zero", lv.Loaded.IsZero(), true)
			seen := map[string]bool{}
			for _, e := range ds.Entries {
				if seen[e.Key()] {
					t.Errorf("duplicate key %s", e.Key())
				}
				seen[e.Key()] = true
				if e.Source != "eu_fsf" || e.Name == "" || e.Kind != tradescreen.KindPerson {
					t.Errorf("entry %s: source %q name %q kind %q", e.SourceID, e.Source, e.Name, e.Kind)
				}
				var m map[string]any
				if err := json.Unmarshal(e.Raw, &m); err != nil {
					t.Errorf("entry %s: Raw is not a JSON object: %v", e.SourceID, err)
				} else if m["logicalId"] != e.SourceID {
					t.Errorf("entry %s: Raw logicalId = %v", e.SourceID, m["logicalId"])
				}
			}
		})
	}
}

func TestSaddamHussein(t *testing.T) {
	e := find(t, open(t, sampleB), "13")
	// The first nameAlias is the French spelling "Abou Ali"; the primary is the list's own split name.
	eq(t, "Name", e.Name, "Saddam Hussein Al-Tikriti")
	eq(t, "Kind", e.Kind, tradescreen.KindPerson)
	eq(t, "Aliases", e.Aliases, []tradescreen.Name{
		{Full: "Abou Ali", Type: tradescreen.NameAKA, Note: "nameLanguage FR"},
		{Full: "Abu Ali", Type: tradescreen.NameAKA},
	})
	eq(t, "Citizenships", e.Citizenships, []string{"IQ"})
	eq(t, "BirthDates", e.BirthDates, []string{"1937-04-28"})
	eq(t, "BirthPlaces", e.BirthPlaces, []string{"al-Awja, near Tikrit, IRAQ"})
	eq(t, "Gender", e.Gender, "Male")
	eq(t, "Programs", e.Programs, []string{"IRQ"})
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{{Type: "EU Ref", Number: "EU.27.28"}})
	eq(t, "ListedOn", e.ListedOn, "") // no designationDate in this record
	eq(t, "LastUpdated", e.LastUpdated, "2003-07-08")
	eq(t, "SourceListURL", e.SourceListURL, "http://eur-lex.europa.eu/LexUriServ/LexUriServ.do?uri=OJ:L:2003:169:0006:0023:EN:PDF")
	eq(t, "Remarks", e.Remarks, "UNSC RESOLUTION 1483\nRegulation 1210/2003 (OJ L169): regulation by the commission, published 2003-07-08, in force 2003-07-07, programme IRQ")
	var raw struct {
		LogicalID         string `json:"logicalId"`
		EUReferenceNumber string `json:"euReferenceNumber"`
		Remark            []string
		NameAlias         []struct {
			WholeName         string `json:"wholeName"`
			NameLanguage      string `json:"nameLanguage"`
			RegulationSummary []struct {
				NumberTitle string `json:"numberTitle"`
			} `json:"regulationSummary"`
		} `json:"nameAlias"`
		Regulation []struct {
			PublicationURL []string `json:"publicationUrl"`
		} `json:"regulation"`
	}
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	eq(t, "Raw.euReferenceNumber", raw.EUReferenceNumber, "EU.27.28")
	eq(t, "Raw.remark", raw.Remark, []string{"UNSC RESOLUTION 1483"})
	eq(t, "Raw nameAlias count", len(raw.NameAlias), 3)
	eq(t, "Raw nameAlias[0]", raw.NameAlias[0].WholeName+"/"+raw.NameAlias[0].NameLanguage, "Abou Ali/FR")
	eq(t, "Raw regulationSummary", raw.NameAlias[0].RegulationSummary[0].NumberTitle, "1210/2003 (OJ L169)")
	eq(t, "Raw publicationUrl", raw.Regulation[0].PublicationURL, []string{"http://eur-lex.europa.eu/LexUriServ/LexUriServ.do?uri=OJ:L:2003:169:0006:0023:EN:PDF"})
	if !bytes.HasPrefix(e.Raw, []byte(`{"designationDetails":"","unitedNationId":"","euReferenceNumber":"EU.27.28","logicalId":"13","remark":[`)) {
		t.Errorf("Raw does not keep the document order: %.120s", e.Raw)
	}
}

func TestKhalidShaikhMohammed(t *testing.T) {
	e := find(t, open(t, sampleA), "191")
	// All five nameAliases are strong, English and split: the first is primary.
	eq(t, "Name", e.Name, "Fahd Bin Adballah BIN KHALID")
	eq(t, "Aliases[0]", e.Aliases[0], tradescreen.Name{Full: "Khalid Shaikh MOHAMMED", Type: tradescreen.NameAKA, Given: "Khalid Shaikh", Family: "MOHAMMED"})
	eq(t, "aliases", aliasNames(e), []string{"Khalid Shaikh MOHAMMED", "Salem ALI", "Khalid Adbul WADOOD", "Ashraf Refaat Nabith HENIN"})
	eq(t, "BirthDates", e.BirthDates, []string{"1965-04-14", "1964-03-01"})
	// city="-" is an empty marker; the place is the country only.
	eq(t, "BirthPlaces", e.BirthPlaces, []string{"PAKISTAN"})
	// countryIso2Code="00" countryDescription="UNKNOWN": no country.
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{
		{Type: "EU Ref", Number: "EU.3579.2"},
		{Type: "National passport", Number: "488555"},
	})
	eq(t, "Programs", e.Programs, []string{"TERR"})
	eq(t, "Gender", e.Gender, "Male")
}

func TestAbouZeid(t *testing.T) {
	e := find(t, open(t, sampleA), "5295")
	eq(t, "Name", e.Name, "Abid Hammadou")
	eq(t, "ListedOn", e.ListedOn, "2008-07-03")
	eq(t, "BirthDates", e.BirthDates, []string{"1965-12-12", "circa 1958"})
	eq(t, "BirthPlaces", e.BirthPlaces, []string{"Touggourt, Wilaya (province) of Ouargla, ALGERIA", "Deb-Deb, Amenas, Wilaya (province) of Illizi, ALGERIA"})
	eq(t, "Citizenships", e.Citizenships, []string{"DZ"})
	// A remark on a nameAlias is kept on the alias and in the entry's remarks.
	const remark = "(a) Mother's name is Benarouba Bachira; (b) Father's name is Mabrouk. Other information: Reportedly deceased as of 24 February 2013."
	eq(t, "Aliases[2].Note", e.Aliases[2].Note, remark)
	if !strings.HasPrefix(e.Remarks, remark+"\n") {
		t.Errorf("Remarks = %q", e.Remarks)
	}
}

func TestAouadiAddressAndIDs(t *testing.T) {
	e := find(t, open(t, sampleA), "927")
	eq(t, "Name", e.Name, "Mohamed Ben Belkacem Aouadi")
	eq(t, "Addresses", e.Addresses, []tradescreen.Address{{
		Full: "23 50th Street, Zehrouni, Tunis, TUNISIA", Street: "23 50th Street, Zehrouni", City: "Tunis",
		Country: "TN", CountryName: "TUNISIA", Note: "Italian Fiscal Code: DAOMMD74T11Z352Z",
	}})
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{
		{Type: "EU Ref", Number: "EU.3343.85"},
		{Type: "National identification card", Number: "04643632", Country: "TN"},
		{Type: "National passport", Number: "L191609", Country: "TN"},
	})
	eq(t, "BirthDates", e.BirthDates, []string{"1974-12-11"})
}

func TestLeoManziPlaceAddressAndYears(t *testing.T) {
	ds := open(t, "testdata/leo_manzi_excerpt.xml")
	eq(t, "entries", len(ds.Entries), 1)
	e := ds.Entries[0]
	eq(t, "Addresses", e.Addresses, []tradescreen.Address{{
		Full:        "Kikoma forest, Bogoyi, Walikale, North Kivu, CONGO, Democratic Republic of (was Zaire)",
		Region:      "North Kivu",
		Country:     "CD",
		CountryName: "CONGO, Democratic Republic of (was Zaire)",
		Note:        "place: Kikoma forest, Bogoyi, Walikale; FDLR HQ at Kikoma forest, Bogoyi, Walikale, North Kivu, Democratic Republic of the Congo (as of June 2011).",
	}})
	// Four birthdate elements: two years, two cities.
	eq(t, "BirthDates", e.BirthDates, []string{"1954", "1953"})
	eq(t, "BirthPlaces", e.BirthPlaces, []string{"Rushashi (Northern Province), RWANDA", "Kigali, RWANDA"})
	eq(t, "Citizenships", e.Citizenships, []string{"RW"})
	eq(t, "Programs", e.Programs, []string{"COD"})
}

func TestQuirks(t *testing.T) {
	b := open(t, sampleB)
	a := open(t, sampleA)
	t.Run("repeated nameAlias collapses, case-insensitively", func(t *testing.T) {
		e := find(t, b, "33")
		eq(t, "Name", e.Name, "Abu Ahmad")
		eq(t, "aliases", aliasNames(e), []string{"Abu Brays", "Izzat Ibrahim al-Duri", "Izzat Ibrahim al-Douri"})
		eq(t, "Positions", e.Positions, []string{
			"Vice Chairman, Revolutionary Command Council", "Deputy Secretary, Ba'th Party Regional Command",
			"Deputy Commander-in-Chief of Iraqi Military", "Deputy Commander-in-Chief of Iraqi Military,",
		})
		eq(t, "BirthDates", e.BirthDates, []string{"1942"})
		// A birthdate with only a city, and one with country "00": places without country.
		eq(t, "BirthPlaces", e.BirthPlaces, []string{"Al-Dur (J.O. ES)", "al-Dur"})
	})
	t.Run("title from nameAlias@title", func(t *testing.T) {
		e := find(t, b, "25")
		eq(t, "Title", e.Title, "Col")
		eq(t, "Name", e.Name, "Abid Hamid Bid Hamid Mahmud") // first strong English name (the first is FR)
		eq(t, "BirthDates", e.BirthDates, []string{"circa 1957"})
	})
	t.Run("birthdate without any date keeps the place", func(t *testing.T) {
		e := find(t, b, "29")
		eq(t, "BirthDates", e.BirthDates, []string{"1943"})
		eq(t, "BirthPlaces", e.BirthPlaces, []string{"al-Awja, near Tikrit, IRAQ", "Al-Awja, near Tikrit (J.O. ES)"})
	})
	t.Run("repeated logicalId merges into the first", func(t *testing.T) {
		e := find(t, a, "5468")
		eq(t, "Name", e.Name, "Sok-hwa Hwang")
		eq(t, "aliases", aliasNames(e), []string{"TestOneWord"})
		eq(t, "Positions", e.Positions, []string{"Director of the General Bureau of Atomic Energy (GBAE)", "Test one word entry"})
		var raw struct {
			LogicalID string `json:"logicalId"`
			Dup       []struct {
				LogicalID string `json:"logicalId"`
				NameAlias []struct {
					WholeName string `json:"wholeName"`
				} `json:"nameAlias"`
			} `json:"duplicateSanctionEntity"`
		}
		if err := json.Unmarshal(e.Raw, &raw); err != nil {
			t.Fatalf("Raw: %v: %s", err, e.Raw)
		}
		eq(t, "Raw dup", len(raw.Dup), 1)
		eq(t, "Raw dup name", raw.Dup[0].NameAlias[0].WholeName, "TestOneWord")
	})
	t.Run("repealing regulation still lists the entity", func(t *testing.T) {
		e := find(t, a, "5463")
		eq(t, "Name", e.Name, "Yu-ro Han")
		eq(t, "Programs", e.Programs, []string{"PRK"})
		eq(t, "Positions", e.Positions, []string{"Director of Korea Ryongaksan General Trading Corporation"})
		eq(t, "Gender", e.Gender, "") // no gender attribute
	})
}

// synthetic exercises the parts of the official FSF XML 1.1 schema the two excerpts do not contain. It is
// written for this test (not a real record): a prefixed namespace, no generationDate, an enterprise with
// a Cyrillic name, a weak alias, a "low quality" remark, contact info, a UN reference, two regulations, a
// year range, identification flags and a latinNumber.
const synthetic = `<?xml version="1.0" encoding="UTF-8"?>
<fsd:export xmlns:fsd="http://eu.europa.ec/fpi/fsd/export" globalFileId="1">
  <fsd:sanctionEntity designationDate="2022-02-23" designationDetails="Listed for support" unitedNationId="KPe.001" euReferenceNumber="EU.1.1" logicalId="900001">
    <fsd:remark>Entity remark.</fsd:remark>
    <fsd:regulation regulationType="regulation" organisationType="council" publicationDate="2022-02-23" entryIntoForceDate="2022-02-23" numberTitle="2022/260 (OJ L42I)" programme="UKR" logicalId="1">
      <fsd:publicationUrl>https://eur-lex.europa.eu/a</fsd:publicationUrl>
    </fsd:regulation>
    <fsd:regulation regulationType="amendment" organisationType="council" publicationDate="2023-03-10" entryIntoForceDate="2023-03-11" numberTitle="2023/500 (OJ L70)" programme="RUS" logicalId="2">
      <fsd:publicationUrl>https://eur-lex.europa.eu/b</fsd:publicationUrl>
    </fsd:regulation>
    <fsd:subjectType code="enterprise" classificationCode="E"/>
    <fsd:nameAlias wholeName="ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ ТУРБИНА" nameLanguage="RU" strong="true" logicalId="10"/>
    <fsd:nameAlias wholeName="Turbina LLC" nameLanguage="" strong="true" logicalId="11"/>
    <fsd:nameAlias wholeName="Turbina" nameLanguage="" strong="false" logicalId="12"/>
    <fsd:nameAlias wholeName="TRBN" nameLanguage="" strong="true" logicalId="13"><fsd:remark>Low quality alias</fsd:remark></fsd:nameAlias>
    <fsd:nameAlias firstName="" lastName="" wholeName="" strong="true" logicalId="14"/>
    <fsd:address street="ul. Lenina 1" city="Chelyabinsk" zipCode="454007" poBox="12" region="" place="" asAtListingTime="true" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" logicalId="20">
      <fsd:contactInfo key="PHONE" value="+7 351 000"/>
      <fsd:contactInfo key="WEB" value="https://example.invalid"/>
    </fsd:address>
    <fsd:identification diplomatic="false" knownExpired="true" knownFalse="false" reportedLost="false" revokedByIssuer="false" issuedBy="FNS" issueDate="2010-05-01" validTo="2030-05-01" latinNumber="A123" nameOnDocument="" number="А123" region="" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" identificationTypeCode="regnumber" identificationTypeDescription="Registration Number" logicalId="30">
      <fsd:remark>OGRN</fsd:remark>
    </fsd:identification>
    <fsd:identification number="" latinNumber="" identificationTypeCode="other" countryIso2Code="00" countryDescription="UNKNOWN" logicalId="31">
      <fsd:remark>Tax number unknown</fsd:remark>
    </fsd:identification>
    <fsd:citizenship countryIso2Code="00" countryDescription="Kosovo" logicalId="40"/>
    <fsd:birthdate circa="false" calendarType="GREGORIAN" yearRangeFrom="1960" yearRangeTo="1965" countryIso2Code="00" countryDescription="UNKNOWN" logicalId="50"/>
    <fsd:birthdate circa="false" calendarType="GREGORIAN" year="1970" monthOfYear="3" countryIso2Code="XX" countryDescription="Syrian Arab Republic" logicalId="51"/>
    <fsd:birthdate circa="true" calendarType="ISLAMIC" year="1390" dayOfMonth="2" monthOfYear="2" logicalId="52"/>
  </fsd:sanctionEntity>
</fsd:export>
`

func TestSchemaCoverage(t *testing.T) {
	ds, err := Parse([]byte(synthetic), "synthetic.xml")
	if err != nil {
		t.Fatal(err)
	}
	lv := ds.Lists[0]
	eq(t, "Published", lv.Published, "2023-03-10")
	if !strings.Contains(lv.PublishedNote, "no export@generationDate") {
		t.Errorf("PublishedNote = %q", lv.PublishedNote)
	}
	eq(t, "Names", lv.Names, 4)
	e := ds.Entries[0]
	eq(t, "Kind", e.Kind, tradescreen.KindOrganization)
	eq(t, "Name", e.Name, "Turbina LLC") // the Russian-language Cyrillic name comes first but is not primary
	eq(t, "Aliases", e.Aliases, []tradescreen.Name{
		{Full: "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ ТУРБИНА", Type: tradescreen.NameAKA, Script: "Cyrillic", Note: "nameLanguage RU"},
		{Full: "Turbina", Type: tradescreen.NameWeakAKA},
		{Full: "TRBN", Type: tradescreen.NameWeakAKA, Note: "Low quality alias"},
	})
	eq(t, "Identifiers", e.Identifiers, []tradescreen.Identifier{
		{Type: "UN Ref", Number: "KPe.001"},
		{Type: "EU Ref", Number: "EU.1.1"},
		{Type: "Registration Number", Number: "А123", Country: "RU", Issued: "2010-05-01", Expires: "2030-05-01", Note: "issued by FNS; known expired; OGRN"},
		{Type: "Registration Number", Number: "A123", Country: "RU", Issued: "2010-05-01", Expires: "2030-05-01", Note: "issued by FNS; known expired; OGRN; latinNumber of А123"},
	})
	eq(t, "Addresses", e.Addresses, []tradescreen.Address{{
		Full: "ul. Lenina 1, P.O. Box 12, Chelyabinsk, 454007, RUSSIAN FEDERATION", Street: "ul. Lenina 1, P.O. Box 12",
		City: "Chelyabinsk", PostalCode: "454007", Country: "RU", CountryName: "RUSSIAN FEDERATION",
		Note: "PHONE: +7 351 000; WEB: https://example.invalid; as at listing time",
	}})
	eq(t, "Citizenships", e.Citizenships, []string{"XK"}) // "00" with a description: the code for the description
	eq(t, "BirthDates", e.BirthDates, []string{"1960/1965", "1970-03", "circa 1390-02-02 (ISLAMIC calendar)"})
	eq(t, "BirthPlaces", e.BirthPlaces, []string{"Syrian Arab Republic"})
	eq(t, "Programs", e.Programs, []string{"UKR", "RUS"})
	eq(t, "ListedOn", e.ListedOn, "2022-02-23")
	eq(t, "LastUpdated", e.LastUpdated, "2023-03-10")
	eq(t, "SourceListURL", e.SourceListURL, "https://eur-lex.europa.eu/a")
	eq(t, "Remarks", e.Remarks, strings.Join([]string{
		"Entity remark.", "Listed for support", "Tax number unknown",
		"Regulation 2022/260 (OJ L42I): regulation by the council, published 2022-02-23, in force 2022-02-23, programme UKR",
		"Regulation 2023/500 (OJ L70): amendment by the council, published 2023-03-10, in force 2023-03-11, programme RUS",
	}, "\n"))
}

func TestCountry(t *testing.T) {
	for _, tc := range []struct{ code, desc, wantCode, wantDesc string }{
		{"IQ", "IRAQ", "IQ", "IRAQ"},
		{"00", "UNKNOWN", "", ""},
		{"", "", "", ""},
		{"00", "CONGO, Democratic Republic of (was Zaire)", "CD", "CONGO, Democratic Republic of (was Zaire)"},
		{"tn", "TUNISIA", "TN", "TUNISIA"},
		{"X1", "RUSSIAN FEDERATION", "RU", "RUSSIAN FEDERATION"},
	} {
		t.Run(tc.code+"/"+tc.desc, func(t *testing.T) {
			c, d := country(tc.code, tc.desc)
			eq(t, "country", c+"|"+d, tc.wantCode+"|"+tc.wantDesc)
		})
	}
}

func TestScript(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Saddam Hussein", ""}, {"Qoussaï", ""}, {"Владимир Путин", "Cyrillic"}, {"صدام حسين", "Arabic"},
		{"金正恩", "Han"}, {"김정은", "Hangul"}, {"Ελλάδα", "Greek"}, {"123", ""}, {"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) { eq(t, "script", script(tc.in), tc.want) })
	}
}

func TestEncodingsAndCompression(t *testing.T) {
	plain, err := os.ReadFile("testdata/saddam_hussein_excerpt.xml")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	dir := t.TempDir()
	for name, b := range map[string][]byte{
		"excerpt.xml.gz": gz.Bytes(),
		"bom.xml":        append([]byte{0xEF, 0xBB, 0xBF}, plain...),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			ds := open(t, path)
			eq(t, "entries", len(ds.Entries), 1)
			eq(t, "Name", ds.Entries[0].Name, "Saddam Hussein Al-Tikriti")
			eq(t, "SHA256", ds.Lists[0].SHA256, source.SHA256(b))
			eq(t, "Origin", ds.Lists[0].Origin, name)
		})
	}
	t.Run("registered", func(t *testing.T) {
		f, ok := source.Lookup("eu")
		if !ok || f.Description == "" {
			t.Fatal("kind eu not registered")
		}
		ds, err := source.Open("eu", filepath.Join(dir, "excerpt.xml.gz"))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "entries", len(ds.Entries), 1)
	})
}

func readGz(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := source.Decompress(b, path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestErrors(t *testing.T) {
	real, err := os.ReadFile(sampleB)
	if err != nil {
		t.Fatal(err)
	}
	un := readGz(t, "../../testdata/lists/un/consolidated_2026-02-27.xml.gz")
	ofac, err := os.ReadFile("../../testdata/lists/ofac/sdn_xml_sample_2020-04-22.xml")
	if err != nil {
		t.Fatal(err)
	}
	uk, err := os.ReadFile("../../testdata/lists/uk/ConList_2022-03_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	head := `<?xml version="1.0" encoding="UTF-8"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2020-04-15T15:29:22.497+02:00">`
	for _, tc := range []struct {
		name  string
		in    []byte
		line  int // 0: not checked
		field string
		msg   string
	}{
		{"empty", nil, 0, "", "empty file"},
		{"whitespace", []byte(" \n\t\n"), 0, "", "empty file"},
		{"truncated", real[:len(real)/2], 96, "citizenship", "truncated file: XML ends in <citizenship> opened on line 95"},
		{"truncated after entity", real[:bytes.Index(real, []byte("</sanctionEntity>"))+len("</sanctionEntity>")], 0, "export", "truncated file: XML ends inside <export>"},
		{"binary", []byte("\x00\x01\x02\x03PK\x03\x04\xff\xfe\x00garbage"), 0, "", "binary file"},
		{"corrupt gzip", []byte("\x1f\x8b\x08\x00garbage"), 0, "", "gzip"},
		{"html error page", []byte("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>"), 2, "html", "an HTML page"},
		{"html text", []byte("Service Unavailable"), 1, "", "not XML"},
		{"un xml", un, 0, "CONSOLIDATED_LIST", "root element <CONSOLIDATED_LIST> with attributes"},
		{"ofac xml", ofac, 0, "sdnList", "root element <sdnList>"},
		{"uk csv", uk, 1, "", "not XML"},
		{"eu xml 1.0", []byte(`<?xml version="1.0"?><WHOLE><ENTITY Id="1"/></WHOLE>`), 1, "WHOLE", "older EU FSF XML 1.0"},
		{"wrong children", []byte(head + `<entity logicalId="1"/><person/></export>`), 0, "sanctionEntity", "found <entity>, <person>"},
		{"no entities", []byte(head + `</export>`), 0, "sanctionEntity", "no <sanctionEntity> elements"},
		{"bad generationDate", []byte(`<export generationDate="15/04/2020"><sanctionEntity logicalId="1"/></export>`), 1, "generationDate", "not a date"},
		{"no logicalId", []byte(head + "\n\n<sanctionEntity><nameAlias wholeName=\"X\"/></sanctionEntity></export>"), 3, "logicalId", "without logicalId"},
		{"no name", []byte(head + "\n<sanctionEntity logicalId=\"7\"><nameAlias wholeName=\" \" strong=\"true\"/></sanctionEntity></export>"), 2, "nameAlias", "has no name"},
		{"unclosed element", []byte(head + "\n<sanctionEntity logicalId=\"7\"><nameAlias wholeName=\"X\">"), 2, "nameAlias", "truncated file: XML ends in <nameAlias> opened on line 2"},
		{"mismatched tag", []byte(head + "\n<sanctionEntity logicalId=\"7\">\n<nameAlias wholeName=\"X\"></sanctionEntity></export>"), 3, "nameAlias", "element <nameAlias> closed by </sanctionEntity>"},
		{"external entity", []byte(`<?xml version="1.0"?><!DOCTYPE export [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><export><sanctionEntity logicalId="1"><nameAlias wholeName="&xxe;"/></sanctionEntity></export>`), 1, "sanctionEntity", "invalid character entity &xxe;"},
		{"deep nesting", []byte(head + `<sanctionEntity logicalId="1">` + strings.Repeat("<a>", 20) + strings.Repeat("</a>", 20) + `</sanctionEntity></export>`), 0, "a", "nested deeper"},
		{"huge attribute", []byte(head + `<sanctionEntity logicalId="1"><nameAlias wholeName="` + strings.Repeat("x", maxAttrLen+1) + `"/></sanctionEntity></export>`), 0, "wholeName", "longer than"},
		{"huge remark", []byte(head + `<sanctionEntity logicalId="1"><remark>` + strings.Repeat("x", maxTextLen+1) + `</remark></sanctionEntity></export>`), 0, "remark", "longer than"},
		{"content after root", []byte(head + `<sanctionEntity logicalId="1"><nameAlias wholeName="X"/></sanctionEntity></export><export/>`), 0, "export", "after the closing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Parse(tc.in, "f.xml")
			if err == nil {
				t.Fatalf("no error; got %d entries", len(ds.Entries))
			}
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *tradescreen.ParseError", err, err)
			}
			if pe.File != "f.xml" {
				t.Errorf("File = %q", pe.File)
			}
			if tc.line != 0 && pe.Line != tc.line {
				t.Errorf("Line = %d, want %d (%v)", pe.Line, tc.line, err)
			}
			if pe.Field != tc.field {
				t.Errorf("Field = %q, want %q (%v)", pe.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
			if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
				t.Errorf("ErrorCode = %q", tradescreen.ErrorCode(err))
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := Open(filepath.Join(t.TempDir(), "nope.xml"))
		var e *tradescreen.Error
		if !errors.As(err, &e) || e.Code != tradescreen.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
}
