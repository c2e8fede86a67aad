package dpl

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// isn.csv has 213 records (Python csv, CRLF line ends, 9 columns each). Grouped by (Name with white space
// collapsed and upper-cased, Effective Date) they make 199 entries (grouping also by Federal Register Notice
// gives the same 199). Names, counted with Python by splitting "Alternative Names" on commas (not before
// "Ltd"), dropping "F.K.A."/"and" prefixes and quotes, splitting on " or ", removing aliases equal to the
// name, and adding the "[also known as: ...]" names: 301. Published: the latest date in the Effective Date
// column (6/28/2016) or in the Federal Register Notice column (07/05/16).
var isnFile = fileCounts{lists + "csl/sources_2018/isn.csv", 199, 301, "2016-07-05", "latest Effective Date or Federal Register date"}

func TestISNFile(t *testing.T) {
	ds, err := OpenISN(isnFile.path)
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, ds, isnFile, "us_isn", KindISN)

	t.Run("Abdul Qadeer Khan, three programs", func(t *testing.T) {
		e := one(t, ds, "Abdul Qadeer Khan")
		want := tradescreen.Entry{
			Source: "us_isn", SourceID: e.SourceID, Kind: tradescreen.KindUnknown, Name: "Abdul Qadeer Khan",
			Addresses:       []tradescreen.Address{{Full: "Pakistan", Country: "PK", CountryName: "Pakistan"}},
			Programs:        []string{"E.O. 13382", "Export-Import Bank Act", "Nuclear Proliferation Prevention Act"},
			FederalRegister: []string{"74 FR No. 11 (2009-01-16)"},
			StartDate:       "2009-01-09",
			Remarks:         "Associated with the A.Q. Khan Network",
			SourceListURL:   "http://www.state.gov/t/isn/c15231.htm",
			Raw:             e.Raw,
		}
		if !reflect.DeepEqual(e, want) {
			t.Errorf("got  %+v\nwant %+v", e, want)
		}
		if got := rawField(t, e, "Programs"); !reflect.DeepEqual(got, []any{"E.O. 13382", "Export-Import Bank Act", "Nuclear Proliferation Prevention Act"}) {
			t.Errorf("raw Programs = %v", got)
		}
	})
	t.Run("Instrument Design Bureau, three determinations and the INSKNA typo", func(t *testing.T) {
		es := find(ds, "Instrument Design Bureau (KBP) Tula")
		if len(es) != 3 {
			t.Fatalf("%d entries", len(es))
		}
		if es[1].StartDate != "2015-08-28" || !reflect.DeepEqual(es[1].FederalRegister, []string{"80 FR No. 170 (2015-09-02)", "80 FR No. 207 (2015-10-27)"}) {
			t.Errorf("second %+v", es[1])
		}
		if !reflect.DeepEqual(es[2].Programs, []string{"INKSNA"}) || rawField(t, es[2], "Programs") != "INSKNA" || es[2].Kind != tradescreen.KindOrganization {
			t.Errorf("third %+v", es[2])
		}
	})
	t.Run("Yasa Part, alternative names", func(t *testing.T) {
		e := one(t, ds, "Yasa Part")
		want := []string{"Arfa Paint Company", "Arfeh Company", "Farasepehr Engineering Company", "Hosseini Nejad Trading Co",
			"Iran Saffron Company", "Iran saffron Co", "Shetab G", "Shetab Gaman", "Shetab Trading", "Y.A.S. Co Ltd."}
		if !reflect.DeepEqual(aliasNames(e), want) {
			t.Errorf("aliases %q", aliasNames(e))
		}
		if e.SourceListURL != "https://www.state.gov/key-topics-bureau-of-international-security-and-nonproliferation/nonproliferation-sanctions/" {
			t.Errorf("empty Web Link: url %q", e.SourceListURL)
		}
	})
	t.Run("Center for Innovation and Technology Cooperation, f.k.a.", func(t *testing.T) {
		e := one(t, ds, "Center for Innovation and Technology Cooperation")
		if len(e.Aliases) != 6 || e.Aliases[4] != (tradescreen.Name{Full: "Presidency Office of Scientific and Industrial Studies (POSIS)", Type: tradescreen.NameFKA}) {
			t.Errorf("aliases %+v", e.Aliases)
		}
	})
	t.Run("Li Fangwei, also known as in the name", func(t *testing.T) {
		es := find(ds, "Li Fangwei")
		if len(es) != 2 || !reflect.DeepEqual(aliasNames(es[0]), []string{"Karl Lee"}) || rawField(t, es[0], "Name") != "Li Fangwei [also known as Karl Lee]" {
			t.Errorf("%+v", es)
		}
	})
	t.Run("public notice number and two-digit years", func(t *testing.T) {
		e := one(t, ds, "Alberto Di Salle")
		if !reflect.DeepEqual(e.FederalRegister, []string{"Notice 2061, 59 FR No. 165 (1994-08-26)"}) || e.Addresses[0].Country != "IT" {
			t.Errorf("%+v", e)
		}
	})
	t.Run("Kong Kong and CHina", func(t *testing.T) {
		codes := map[string]string{}
		for _, e := range ds.Entries {
			for _, a := range e.Addresses {
				codes[a.CountryName] = a.Country
			}
		}
		if codes["Kong Kong"] != "HK" || codes["CHina"] != "CN" || codes["North Korea"] != "KP" {
			t.Errorf("codes %v", codes)
		}
		for n, c := range codes {
			if c == "" {
				t.Errorf("no code for %q", n)
			}
		}
	})
}

func TestISNErrors(t *testing.T) {
	b := readExcerpt(t, "isn_excerpt.csv")
	lines := strings.SplitAfter(string(b), "\n")
	t.Run("other list", func(t *testing.T) {
		_, err := ParseISN([]byte(lines[0]+"SDN"+lines[1][3:]), "isn.csv")
		wantParseError(t, err, "isn.csv", 2, "Source List", `unexpected list "SDN", want ISN`)
	})
	t.Run("unterminated quote", func(t *testing.T) {
		in := lines[0] + lines[1] + lines[2][:strings.Index(lines[2], `"`)+5]
		_, err := ParseISN([]byte(in), "isn.csv")
		wantParseError(t, err, "isn.csv", 3, "", "truncated file?")
	})
	t.Run("excerpt reads", func(t *testing.T) {
		ds, err := ParseISN(b, "isn.csv")
		if err != nil {
			t.Fatal(err)
		}
		// 12 rows: A.Q. Khan (3 programs), Center for Innovation, Instrument Design Bureau (3 dates),
		// Li Fangwei (2 dates), Yasa Part, the Kong Kong row and Alberto Di Salle: 10 entries.
		if len(ds.Entries) != 10 {
			t.Errorf("entries = %d", len(ds.Entries))
		}
	})
}

func FuzzISN(f *testing.F) {
	f.Add(readExcerpt(f, "isn_excerpt.csv"))
	b, err := os.ReadFile(isnFile.path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:4000])
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseISN(b, "isn.csv")
		checkFuzzResult(t, ds, err)
	})
}
