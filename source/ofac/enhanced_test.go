package ofac

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

const enhancedZip = listsDir + "cons_enhanced_2025-01.zip"

// enhancedSample is an excerpt cut line by line from CONS_ENHANCED.XML of cons_enhanced_2025-01.zip: the
// publicationInfo, the COUNTRY reference values of China and Russia, and the entities 9639 (HANIYA), 17013
// (VTB BANK) and 33091 (MEGVII TECHNOLOGY LIMITED).
const enhancedSample = "testdata/enhanced_sample_2025-01.xml"

func TestParseEnhancedRealFile(t *testing.T) {
	// Counts obtained on the raw file, independently of this reader (unzip -p FILE | ...):
	//   grep -c '<entity id='                        -> 443 entities
	//   <translation> elements inside <names> blocks -> 1624 names (python re over the <names>...</names> blocks):
	//     each translation is one name, the primary translation of the primary name being Entry.Name
	//   per list: each entity counted once under the first of FSE, Palestinian Legislative Council, CAPTA,
	//     Sectoral Sanctions, CMIC, Menu-Based found in its <sanctionsLists> (python re):
	//     us_ssi 286, us_plc 78, us_cmic 68, us_mbs 9, us_cap 1, us_fse 1
	//   weak a.k.a.: translations of names with aliasType A.K.A. and isLowQuality true -> 68
	//   <dataAsOf>2025-01-10T00:00:00</dataAsOf>
	raw := readTestFile(t, enhancedZip)
	ds, err := Open(enhancedZip)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entries) != 443 {
		t.Errorf("entries = %d, want 443", len(ds.Entries))
	}
	if n := source.CountNames(ds.Entries); n != 1624 {
		t.Errorf("names = %d, want 1624", n)
	}
	want := map[string]int{"us_ssi": 286, "us_plc": 78, "us_cmic": 68, "us_mbs": 9, "us_cap": 1, "us_fse": 1}
	got := map[string]int{}
	for _, lv := range ds.Lists {
		got[lv.Source] = lv.Entries
		if lv.Published != "2025-01-10" || lv.PublishedNote != "" || lv.Format != "ofac" || lv.Origin != "cons_enhanced_2025-01.zip" ||
			lv.SHA256 != source.SHA256(raw) {
			t.Errorf("list version %+v", lv)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("per list = %v, want %v", got, want)
	}
	weak, scripts := 0, map[string]int{}
	for _, e := range ds.Entries {
		weak += len(aliasesOf(e, tradescreen.NameWeakAKA))
		for _, a := range e.Aliases {
			scripts[a.Script]++
		}
		if e.Name == "" || len(e.Programs) == 0 || !json.Valid(e.Raw) {
			t.Fatalf("incomplete entry %+v", e)
		}
	}
	if weak != 68 {
		t.Errorf("weak akas = %d, want 68", weak)
	}
	// Script elements inside the <names> blocks: 39 Cyrillic, 5 Chinese Simplified and 1 Chinese Traditional
	// (python re; the other 11 Cyrillic scripts are address translations), none of them the primary translation
	// of a primary name.
	if scripts["Cyrillic"] != 39 || scripts["Han"] != 6 {
		t.Errorf("scripts = %v", scripts)
	}
}

func TestParseEnhancedRecords(t *testing.T) {
	ds, err := ParseEnhanced(readTestFile(t, enhancedSample), "enhanced_sample_2025-01.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entries) != 3 {
		t.Fatalf("entries = %d, want 3", len(ds.Entries))
	}
	t.Run("VTB BANK", func(t *testing.T) {
		e := findEntry(t, ds, "17013")
		// On the SSI, SDN and Consolidated lists: in a consolidated file the non-SDN list wins.
		if e.Source != "us_ssi" || e.Kind != tradescreen.KindOrganization || e.Name != "VTB BANK PUBLIC JOINT STOCK COMPANY" {
			t.Errorf("source, kind, name = %s %s %q", e.Source, e.Kind, e.Name)
		}
		if !reflect.DeepEqual(e.Programs, []string{"UKRAINE-EO13662", "RUSSIA-EO14024"}) {
			t.Errorf("programs = %v", e.Programs)
		}
		if e.Aliases[0] != (tradescreen.Name{Full: "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", Type: tradescreen.NameAKA, Script: "Cyrillic"}) {
			t.Errorf("first alias = %+v", e.Aliases[0])
		}
		if e.Aliases[1] != (tradescreen.Name{Full: "JSC VTB BANK", Type: tradescreen.NameFKA}) {
			t.Errorf("second alias = %+v", e.Aliases[1])
		}
		wantID := tradescreen.Identifier{Type: "Registration ID", Number: "1027739609391", Country: "RU", Note: "issued in Russia"}
		hasID, hasSwift := false, false
		for _, id := range e.Identifiers {
			hasID = hasID || id == wantID
			hasSwift = hasSwift || id == (tradescreen.Identifier{Type: "SWIFT/BIC", Number: "VTBRRUMM"})
		}
		if !hasID || !hasSwift {
			t.Errorf("identifiers = %+v", e.Identifiers)
		}
		if len(e.Addresses) == 0 || e.Addresses[0].Country != "RU" || e.Addresses[0].CountryName != "Russia" {
			t.Errorf("addresses = %+v", e.Addresses)
		}
		var raw map[string]any
		if err := json.Unmarshal(e.Raw, &raw); err != nil {
			t.Fatal(err)
		}
		if raw["@id"] != "17013" || len(raw["sanctionsLists"].([]any)) != 3 || len(raw["names"].([]any)) != 29 {
			t.Errorf("raw = %.300s", e.Raw)
		}
		if !bytes.Contains(e.Raw, []byte(`{"@refId":"1550","@id":"37509","@datePublished":"2022-02-24","#text":"SDN List"}`)) {
			t.Errorf("raw does not keep the SDN listing date: %.300s", e.Raw)
		}
	})
	t.Run("HANIYA", func(t *testing.T) {
		e := findEntry(t, ds, "9639")
		if e.Source != "us_plc" || e.Kind != tradescreen.KindPerson || e.Name != "HANIYA, Ismail Abdul Salah" {
			t.Errorf("source, kind, name = %s %s %q", e.Source, e.Kind, e.Name)
		}
		if e.Aliases[0] != (tradescreen.Name{Full: "HANIYA, Ismail", Type: tradescreen.NameAKA, Given: "Ismail", Family: "HANIYA"}) {
			t.Errorf("alias = %+v", e.Aliases[0])
		}
		if !reflect.DeepEqual(e.BirthDates, []string{"1962"}) || !reflect.DeepEqual(e.BirthPlaces, []string{"Shati"}) {
			t.Errorf("dob %v pob %v", e.BirthDates, e.BirthPlaces)
		}
	})
	t.Run("MEGVII, Chinese name", func(t *testing.T) {
		e := findEntry(t, ds, "33091")
		if e.Source != "us_cmic" || e.Name != "MEGVII TECHNOLOGY LIMITED" {
			t.Errorf("source, name = %s %q", e.Source, e.Name)
		}
		if e.Aliases[0] != (tradescreen.Name{Full: "旷视科技有限公司", Type: tradescreen.NameAKA, Script: "Han"}) {
			t.Errorf("alias = %+v", e.Aliases[0])
		}
		if e.Addresses[1].City != "Beijing" || e.Addresses[1].Country != "CN" ||
			e.Addresses[1].Street != "Block A, Raycom Infotech Park, No. 2 Kexueyuan South Road, Haidian District" {
			t.Errorf("address = %+v", e.Addresses[1])
		}
		found := false
		for _, id := range e.Identifiers {
			found = found || id == (tradescreen.Identifier{Type: "Listing Date (CMIC)", Number: "16 Dec 2021"})
		}
		if !found {
			t.Errorf("identifiers = %+v", e.Identifiers)
		}
	})
}

func TestParseEnhancedQuirks(t *testing.T) {
	sample := readTestFile(t, enhancedSample)
	t.Run("vessel features and a low-quality alias", func(t *testing.T) {
		doc := `<sanctionsData><publicationInfo><dataAsOf>2025-03-01T00:00:00</dataAsOf><filters><sanctionsLists><sanctionsList>SDN List</sanctionsList></sanctionsLists></filters></publicationInfo>
<entities><entity id="9999"><generalInfo><entityType refId="602">Vessel</entityType></generalInfo>
<sanctionsLists><sanctionsList>SDN List</sanctionsList></sanctionsLists><sanctionsPrograms><sanctionsProgram>IRAN</sanctionsProgram></sanctionsPrograms>
<names><name><isPrimary>true</isPrimary><translations><translation><isPrimary>true</isPrimary><script>Latin</script><formattedFullName>SEA STAR</formattedFullName></translation></translations></name>
<name><isPrimary>false</isPrimary><aliasType>A.K.A.</aliasType><isLowQuality>true</isLowQuality><translations><translation><isPrimary>true</isPrimary><formattedFullName>STAR</formattedFullName></translation></translations></name></names>
<features><feature><type>Vessel Call Sign</type><value>9BQX</value></feature><feature><type>VESSEL TYPE</type><value>Crude Oil Tanker</value></feature>
<feature><type>Vessel Flag</type><value>Iran</value></feature><feature><type>Vessel Registration Identification</type><value>IMO 9079092</value></feature></features>
</entity></entities></sanctionsData>`
		ds, err := ParseEnhanced([]byte(doc), "SDN_ENHANCED.XML")
		if err != nil {
			t.Fatal(err)
		}
		e := ds.Entries[0]
		if e.Source != "us_sdn" || e.Kind != tradescreen.KindVessel || !reflect.DeepEqual(e.Vessel, &tradescreen.Vessel{CallSign: "9BQX", Type: "Crude Oil Tanker", Flag: "Iran"}) {
			t.Errorf("entry = %+v %+v", e, e.Vessel)
		}
		if e.Aliases[0].Type != tradescreen.NameWeakAKA || e.Identifiers[0].Number != "IMO 9079092" || ds.Lists[0].Published != "2025-03-01" {
			t.Errorf("aliases %+v ids %+v lists %+v", e.Aliases, e.Identifiers, ds.Lists)
		}
	})
	t.Run("zip archive built from the excerpt", func(t *testing.T) {
		z := zipOf(t, map[string][]byte{"CONS_ENHANCED.XML": sample})
		ds, err := ParseEnhanced(z, "CONS_ENHANCED.ZIP")
		if err != nil || len(ds.Entries) != 3 || ds.Lists[0].SHA256 != source.SHA256(z) {
			t.Fatalf("zip: %v", err)
		}
	})
	t.Run("no dataAsOf", func(t *testing.T) {
		doc := strings.Replace(string(sample), "<dataAsOf>2025-01-10T00:00:00</dataAsOf>", "", 1)
		ds, err := ParseEnhanced([]byte(doc), "CONS_ENHANCED.XML")
		if err != nil {
			t.Fatal(err)
		}
		if ds.Lists[0].Published != "" || !strings.Contains(ds.Lists[0].PublishedNote, "no publicationInfo/dataAsOf") {
			t.Errorf("list = %+v", ds.Lists[0])
		}
	})
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseEnhancedErrors(t *testing.T) {
	sample := readTestFile(t, enhancedSample)
	zipped := readTestFile(t, enhancedZip)
	doc := func(entity string) []byte {
		return []byte("<sanctionsData>\n<entities>\n" + entity + "\n</entities></sanctionsData>")
	}
	primary := `<names><name><isPrimary>true</isPrimary><translations><translation><isPrimary>true</isPrimary><formattedFullName>A</formattedFullName></translation></translations></name></names>`
	tests := []struct {
		name  string
		in    []byte
		parts []string
	}{
		{"empty", nil, []string{"empty file"}},
		{"HTML", []byte("<html><head><title>Sanctions List Service</title></head></html>"), []string{"HTML page"}},
		{"truncated XML", sample[:len(sample)/2], []string{"truncated XML", "line"}},
		{"truncated zip", zipped[:len(zipped)/2], []string{"ZIP archive"}},
		{"zip without xml", zipOf(t, map[string][]byte{"readme.txt": []byte("x")}), []string{"no .xml file", "readme.txt"}},
		{"zip with two xml", zipOf(t, map[string][]byte{"a.xml": sample, "b.xml": sample}), []string{"more than one .xml"}},
		{"zip holding HTML", zipOf(t, map[string][]byte{"CONS_ENHANCED.XML": []byte("<html></html>")}), []string{"CONS_ENHANCED.XML", "HTML page"}},
		{"wrong format: EU file", []byte(`<export generationDate="2020-04-15"><sanctionEntity/></export>`), []string{"<export>", "root element"}},
		{"no entities", []byte("<sanctionsData><publicationInfo/><referenceValues/></sanctionsData>"), []string{"no <entity>"}},
		{"entity without id", doc("<entity>" + primary + "</entity>"), []string{"line 3", `field "id"`}},
		{"entity without primary name", doc(`<entity id="5"><names/></entity>`), []string{`field "names"`, "entity 5 has no primary name"}},
		{"duplicate entity", doc(`<entity id="5">` + primary + "</entity>\n" + `<entity id="5">` + primary + "</entity>"), []string{"line 4", "duplicate entity id 5"}},
		{"foreign element in entities", doc(`<person id="5"/>`), []string{"unexpected <person>"}},
		{"bad dataAsOf", []byte("<sanctionsData><publicationInfo><dataAsOf>soon</dataAsOf></publicationInfo><entities><entity id=\"1\">" + primary + "</entity></entities></sanctionsData>"),
			[]string{`field "dataAsOf"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ParseEnhanced(tt.in, "CONS_ENHANCED.ZIP")
			if ds != nil {
				t.Errorf("got a dataset and an error")
			}
			wantParseError(t, err, append(tt.parts, "CONS_ENHANCED.ZIP")...)
		})
	}
}

// FuzzParseEnhanced checks that no input makes the enhanced reader panic and that every error is coded.
func FuzzParseEnhanced(f *testing.F) {
	// The HANIYA entity alone, with the document head and tail, keeps the seeds small: the fuzzer minimises
	// every new input, which takes long on the 53 KB excerpt.
	s := string(readTestFile(f, enhancedSample))
	if i, j := strings.Index(s, `<entity id="9639">`), strings.Index(s, `<entity id="17013">`); i > 0 && j > i {
		f.Add([]byte(s[:i] + "</entities></sanctionsData>"))
		f.Add([]byte(s[:j] + "</entities></sanctionsData>"))
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("SDN_ENHANCED.XML")
	w.Write([]byte(`<sanctionsData><entities><entity id="1"><names><name><isPrimary>true</isPrimary><translations><translation><isPrimary>true</isPrimary><formattedFullName>A</formattedFullName></translation></translations></name></names></entity></entities></sanctionsData>`))
	zw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseEnhanced(b, "CONS_ENHANCED.ZIP")
		checkFuzzResult(t, ds, err)
	})
}

// The CSV set maps program tags to lists, the enhanced file names each entity's lists: for the non-SDN
// entities in both real files (2025-12 and 2025-01), the two readers put each in the same list.
func TestCSVAndEnhancedListsAgree(t *testing.T) {
	csvSet, err := Open(lists + "cons_2025-12")
	if err != nil {
		t.Fatal(err)
	}
	enh, err := Open(enhancedZip)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for _, e := range enh.Entries {
		byID[e.SourceID] = e.Source
	}
	both := 0
	for _, e := range csvSet.Entries {
		want, ok := byID[e.SourceID]
		if !ok || want == "us_sdn" {
			continue
		}
		both++
		if e.Source != want {
			t.Errorf("%s %q %v: CSV %s, enhanced %s", e.SourceID, e.Name, e.Programs, e.Source, want)
		}
	}
	if both < 300 {
		t.Fatalf("only %d non-SDN entities in both files", both)
	}
}
