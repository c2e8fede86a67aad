package dpl

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// The sample holds 18 records (Python csv: 19 rows with the header, which has 36 columns, 5 of them unnamed;
// every record has 31 fields). Grouped by (Name, Federal Register Notice, Effective Date) as ITA did they make
// 7 listings: Fazal Rahim Farid (6 rows: 2 addresses x 3 alternate names), Fazel Khalil Construction Company,
// Zurmat Construction Company offices (7 addresses), Murat Peker and 3 Qazi Abdallah rows that differ in
// notice or date. Names: 7 primary + 3 (Fazal) + 1 (Qazi, "Jawid, Said Jan Abd-al-Salam" on each of the 3) = 13.
// Published: the latest Effective Date, 12/12/2013.
var elFile = fileCounts{lists + "entity_list/el_legacy_csv_sample_2015.csv", 7, 13, "2013-12-12", "latest Effective Date"}

func TestELLegacyFile(t *testing.T) {
	ds, err := OpenELLegacy(elFile.path)
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, ds, elFile, "us_el", KindELLegacy)

	t.Run("Fazal Rahim Farid", func(t *testing.T) {
		e := one(t, ds, "Fazal Rahim Farid")
		want := tradescreen.Entry{
			Source: "us_el", SourceID: e.SourceID, Kind: tradescreen.KindUnknown, Name: "Fazal Rahim Farid",
			Aliases: []tradescreen.Name{{Full: "Fazel Rahim Farid", Type: tradescreen.NameAKA}, {Full: "Farid", Type: tradescreen.NameAKA}, {Full: "Engineer Idris", Type: tradescreen.NameAKA}},
			Addresses: []tradescreen.Address{
				{Full: "Microrayan 3rd Apt. 45, block #21, Kabul, Afghanistan", Street: "Microrayan 3rd Apt. 45, block #21", City: "Kabul", Country: "AF", CountryName: "Afghanistan"},
				{Full: "A2 Ground Floor, City Computer Plaza, Shar-e-Naw, Kabul, Afghanistan", Street: "A2 Ground Floor, City Computer Plaza, Shar-e-Naw", City: "Kabul", Country: "AF", CountryName: "Afghanistan"},
			},
			LicenseRequirement: "For all items subject to the EAR. (See §744.11 of the EAR).",
			LicensePolicy:      "Presumption of denial.",
			FederalRegister:    []string{"76 FR 71867"},
			StartDate:          "2011-11-21",
			SourceListURL:      "http://www.bis.doc.gov/entities/default.htm",
			Raw:                e.Raw,
		}
		if !reflect.DeepEqual(e, want) {
			t.Errorf("got  %+v\nwant %+v", e, want)
		}
		if !strings.HasPrefix(e.SourceID, "el-") {
			t.Errorf("source id %q", e.SourceID)
		}
		// Six rows: the varying columns hold one value per row, the others one string; the five unnamed
		// trailing header columns are left out.
		if got := rawField(t, e, "Alternate Name"); !reflect.DeepEqual(got, []any{"Fazel Rahim Farid", "Farid", "Engineer Idris", "Fazel Rahim Farid", "Farid", "Engineer Idris"}) {
			t.Errorf("raw Alternate Name = %v", got)
		}
		if rawField(t, e, "Source List") != "EL" || strings.Contains(string(e.Raw), `"column 32"`) || strings.Contains(string(e.Raw), `"":`) {
			t.Errorf("raw = %s", e.Raw)
		}
	})
	t.Run("Zurmat Construction Company offices", func(t *testing.T) {
		e := one(t, ds, "Zurmat Construction Company offices")
		if e.Kind != tradescreen.KindOrganization || len(e.Addresses) != 7 || len(e.Aliases) != 0 {
			t.Fatalf("%+v", e)
		}
		// A row with an empty Address keeps its city.
		if a := e.Addresses[2]; a.Street != "" || a.City != "Tarin Cot City" || a.Full != "Tarin Cot City, Afghanistan" {
			t.Errorf("address %+v", a)
		}
		if e.FederalRegister[0] != "77 FR 25055" || e.StartDate != "2012-04-27" {
			t.Errorf("%q %q", e.FederalRegister, e.StartDate)
		}
	})
	t.Run("Murat Peker, trailing space in the notice", func(t *testing.T) {
		e := one(t, ds, "Murat Peker")
		if !reflect.DeepEqual(e.FederalRegister, []string{"78 FR 75485"}) || e.Addresses[0].Country != "TR" || e.StartDate != "2013-12-12" {
			t.Errorf("%+v", e)
		}
	})
	t.Run("Qazi Abdallah, three listings", func(t *testing.T) {
		es := find(ds, "Qazi Abdallah")
		if len(es) != 3 {
			t.Fatalf("%d entries", len(es))
		}
		got := []string{es[0].Title + "|" + es[0].FederalRegister[0] + "|" + es[0].StartDate,
			es[1].Title + "|" + es[1].FederalRegister[0] + "|" + es[1].StartDate,
			es[2].Title + "|" + es[2].FederalRegister[0] + "|" + es[2].StartDate}
		want := []string{"|76 FR 71867|2011-11-21", "Title 1|76 FR 10001|2011-11-21", "Title 2|76 FR 71867|2011-11-22"}
		if !reflect.DeepEqual(got, want) || es[0].SourceID == es[1].SourceID || es[1].SourceID == es[2].SourceID {
			t.Errorf("got %q", got)
		}
		if !reflect.DeepEqual(aliasNames(es[0]), []string{"Jawid, Sa’id Jan ‘Abd-al-Salam"}) {
			t.Errorf("aliases %q", aliasNames(es[0]))
		}
	})
}

// TestELLegacyColumnsByName checks that columns are found by name, in any order, and that vessel, type,
// program and entity-number columns are mapped when filled.
func TestELLegacyColumnsByName(t *testing.T) {
	in := "Web Link,Name,Country,Federal Register Notice,Effective Date,License Requirement,License Policy,Address,SDN Type,Programs,Entity Number,Call Sign,Vessel Flag,Alternate Type,Alternate Name,Remarks/Notes\n" +
		"http://x,MV OCEAN,Iran,84 FR 1; 85 FR 2,1/2/2019,All items,Denial,Port,Vessel,A; B,E-1,ABCD,Iran,fka,OLD OCEAN,note\n"
	ds, err := ParseELLegacy([]byte(in), "el.csv")
	if err != nil {
		t.Fatal(err)
	}
	e := ds.Entries[0]
	want := tradescreen.Entry{
		Source: "us_el", SourceID: "E-1", Kind: tradescreen.KindVessel, Name: "MV OCEAN",
		Aliases:   []tradescreen.Name{{Full: "OLD OCEAN", Type: tradescreen.NameFKA}},
		Addresses: []tradescreen.Address{{Full: "Port, Iran", Street: "Port", Country: "IR", CountryName: "Iran"}},
		Programs:  []string{"A", "B"}, LicenseRequirement: "All items", LicensePolicy: "Denial",
		FederalRegister: []string{"84 FR 1", "85 FR 2"}, StartDate: "2019-01-02",
		Vessel:  &tradescreen.Vessel{CallSign: "ABCD", Flag: "Iran"},
		Remarks: "note", SourceListURL: "http://x", Raw: e.Raw,
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}
}

func TestELLegacyErrors(t *testing.T) {
	b, err := os.ReadFile(elFile.path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	t.Run("Windows-1252 apostrophes repaired", func(t *testing.T) {
		if !strings.Contains(lines[16], "Sa\u0092id") {
			t.Fatal("the sample no longer holds U+0092")
		}
		ds, err := ParseELLegacy(b, "el.csv")
		if err != nil {
			t.Fatal(err)
		}
		if got := rawField(t, find(ds, "Qazi Abdallah")[0], "Alternate Name"); got != "Jawid, Sa\u2019id Jan \u2018Abd-al-Salam " {
			t.Errorf("raw %q", got)
		}
	})
	t.Run("other list", func(t *testing.T) {
		_, err := ParseELLegacy([]byte(lines[0]+"DPL"+lines[1][2:]), "el.csv")
		wantParseError(t, err, "el.csv", 2, "Source List", `unexpected list "DPL", want EL`)
	})
	t.Run("short record", func(t *testing.T) {
		_, err := ParseELLegacy([]byte(lines[0]+lines[1][:strings.Index(lines[1], ",Kabul,")]+"\n"), "el.csv")
		wantParseError(t, err, "el.csv", 2, "City", "record has 7 fields, want 36")
	})
}

func FuzzELLegacy(f *testing.F) {
	b, err := os.ReadFile(elFile.path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("Name,Address,Country,Federal Register Notice,Effective Date,License Requirement,License Policy,SDN Type,Alternate Name,Entity Number\nX (a.k.a. Y),,Kong Kong,F.R. 1 1/1/2001,2/30/2019,,,vessel,Z,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseELLegacy(b, "el.csv")
		checkFuzzResult(t, ds, err)
	})
}
