package dpl

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// The DDTC file has 515 records (Python csv; `wc -l` gives 516 lines with the header, no quoted line breaks),
// one entry each (no two records share name and Notice). Names: 515 + the ";"-separated items of each
// "(a.k.a. ...)" clause = 614. Published: the date in the file name, 01242018.
var dtcFile = fileCounts{lists + "csl/sources_2018/itar_debarred_party_list_01242018.csv", 515, 614, "2018-01-24", "from the official file name"}

func TestDTCFile(t *testing.T) {
	ds, err := OpenDTC(dtcFile.path)
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, ds, dtcFile, "us_dtc", KindDTC)
	births := 0
	for _, e := range ds.Entries {
		if len(e.BirthDates) > 0 {
			births++
			if len(e.BirthDates[0]) != 7 {
				t.Errorf("%s: birth date %q", e.Name, e.BirthDates)
			}
		}
	}
	if births != 234 { // non-empty "Date of Birth" values, all "Month, YYYY"
		t.Errorf("entries with a birth date = %d, want 234", births)
	}

	t.Run("Gammoh, eight aliases", func(t *testing.T) {
		e := one(t, ds, "Gammoh, Ziad Jamil")
		want := []string{"Al Gammoh", "Jamil Gammoh", "Ziad Al Gammoh", "Ziad Al J Gammoh", "Ziad Jamil Salem Gammoh", "Ziad al J Gammon", "Ziad Al Jamil", "Al Jamil Ziad"}
		if !reflect.DeepEqual(aliasNames(e), want) || e.Kind != tradescreen.KindPerson || e.StartDate != "2006-11-20" {
			t.Errorf("%+v", e)
		}
	})
	t.Run("ODonnell, corrected notice and birth month", func(t *testing.T) {
		e := one(t, ds, "ODonnell, Andrew V.")
		want := tradescreen.Entry{
			Source: "us_dtc", SourceID: e.SourceID, Kind: tradescreen.KindPerson, Name: "ODonnell, Andrew V.",
			BirthDates:      []string{"1977-07"},
			FederalRegister: []string{"77 FR 43414", "76 FR 70805"},
			StartDate:       "2012-07-24",
			Remarks:         "Corrected Notice: 76 FR 70805 (2011-11-15)",
			SourceListURL:   "https://www.pmddtc.state.gov/",
			Raw:             e.Raw,
		}
		if !reflect.DeepEqual(e, want) {
			t.Errorf("got  %+v\nwant %+v", e, want)
		}
		if string(e.Raw) != `{"Debarred Party Full Name and Alias":"ODonnell, Andrew V.","Date of Birth":"July, 1977","Notice":"77 FR 43414","Notice Date":"7/24/2012","Corrected Notice":"76 FR 70805","Corrected Notice Date":"11/15/2011"}` {
			t.Errorf("raw %s", e.Raw)
		}
	})
	t.Run("Aero Systems Aviation Corp., debarred twice", func(t *testing.T) {
		es := find(ds, "Aero Systems Aviation Corp.")
		if len(es) != 2 || es[0].SourceID == es[1].SourceID || es[0].Kind != tradescreen.KindOrganization || es[1].FederalRegister[0] != "59 FR 5664" {
			t.Errorf("%+v", es)
		}
	})
	t.Run("Dilligas Trading Co., Inc., a company with a comma", func(t *testing.T) {
		e := one(t, ds, "Dilligas Trading Co., Inc.")
		if e.Kind != tradescreen.KindOrganization || !reflect.DeepEqual(e.FederalRegister, []string{"57 FR 43768", "57 FR 37184"}) {
			t.Errorf("%+v", e)
		}
	})
}

func TestDTCQuirks(t *testing.T) {
	b := readExcerpt(t, "dtc_excerpt.csv")
	t.Run("no date in the file name", func(t *testing.T) {
		ds, err := ParseDTC(b, "debarred.csv")
		if err != nil {
			t.Fatal(err)
		}
		// Latest Notice Date of the excerpt: 2/5/2013 (Nino Palacios).
		if lv := ds.Lists[0]; lv.Published != "2013-02-05" || !strings.Contains(lv.PublishedNote, "latest Notice Date") {
			t.Errorf("%+v", lv)
		}
	})
	t.Run("repeated row", func(t *testing.T) {
		lines := strings.SplitAfter(string(b), "\n")
		ds, err := ParseDTC([]byte(lines[0]+lines[1]+lines[1]), "d.csv")
		if err != nil || len(ds.Entries) != 1 {
			t.Fatalf("%v %v", err, ds)
		}
	})
	t.Run("same name and notice, other values", func(t *testing.T) {
		in := "Debarred Party Full Name and Alias,Date of Birth,Notice,Notice Date\n\"Doe, John\",\"May, 1970\",1 FR 1,1/1/1990\n\"Doe, John\",\"June, 1971\",1 FR 1,1/1/1990\n"
		ds, err := ParseDTC([]byte(in), "d.csv")
		if err != nil || len(ds.Entries) != 2 || ds.Entries[1].SourceID != ds.Entries[0].SourceID+"-2" {
			t.Fatalf("%v %+v", err, ds)
		}
	})
	t.Run("empty name", func(t *testing.T) {
		_, err := ParseDTC([]byte("Debarred Party Full Name and Alias,Date of Birth,Notice,Notice Date\n ,,1 FR 1,1/1/1990\n"), "d.csv")
		wantParseError(t, err, "d.csv", 2, "Debarred Party Full Name and Alias", "empty name")
	})
}

func FuzzDTC(f *testing.F) {
	f.Add(readExcerpt(f, "dtc_excerpt.csv"))
	f.Add([]byte("Debarred Party Full Name and Alias,Date of Birth,Notice,Notice Date,Corrected Notice,Corrected Notice Date\n\"A, B (a.k.a. C; D)\",\"May, 1970\",F.R. 2 1/1/90,13/1/1990,x,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseDTC(b, "itar_debarred_party_list_01242018.csv")
		checkFuzzResult(t, ds, err)
	})
}
