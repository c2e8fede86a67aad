package ofac

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

const lists = "../../testdata/lists/ofac/"

// TestCSVSetsCounts reads every real CSV set. The expected counts were obtained from the raw files, not from
// this parser: every record of these files is on one line starting with its ent_num, so
//
//	zcat -f FILE | grep -ac '^[0-9]'
//
// counts the records (cross-checked with Python's csv module: same numbers, every row with 12/6/5/2
// columns). The per-list split of the non-SDN sets was counted with Python over the Program column:
// cons_2025-12 has 197 "UKRAINE-EO13662", 86 "UKRAINE-EO13662] [RUSSIA-EO14024", 2 "UKRAINE-EO13662]
// [VENEZUELA-EO13850", 1 "UKRAINE-EO13662] [IRAN-CON-ARMS-EO] [RUSSIA-EO14024" (SSI: 286), 6 "RUSSIA-EO14024"
// (menu-based, as the enhanced file lists them),
// 76 "NS-PLC" + 2 "SDGT] [NS-PLC" (PLC: 78), 68 "CMIC-EO13959", 1 "561-Related" (CAPTA), and 1 each
// "CAATSA - RUSSIA", "BURMA-EO14014", "ILLICIT-DRUGS-EO14059" (menu-based: 3 + 6); cons_2018-05 has 289
// "UKRAINE-EO13662" + 1 "SYRIA] [UKRAINE-EO13662" (SSI: 290), 264 "IRAN" (E.O. 13599 entries, mapped to
// us_mbs), 77 "NS-PLC" + 1 "SDGT] [NS-PLC" (78), 6 "SYRIA] [FSE-SY" (FSE), 1 "561List" (CAPTA).
func TestCSVSetsCounts(t *testing.T) {
	cases := []struct {
		path  string
		lists map[string]int
	}{
		{"sdn_2019-01", map[string]int{"us_sdn": 7379}},
		{"sdn_2021-07", map[string]int{"us_sdn": 8976}},
		{"cons_2018-05", map[string]int{"us_ssi": 290, "us_mbs": 264, "us_plc": 78, "us_fse": 6, "us_cap": 1}},
		{"cons_2025-12", map[string]int{"us_ssi": 286, "us_plc": 78, "us_cmic": 68, "us_cap": 1, "us_mbs": 9}},
		// Dated sdn.csv files alone (no add/alt), read as single files.
		{"sdn_dated/sdn_2021-08-18.csv.gz", map[string]int{"us_sdn": 9083}},
		{"sdn_dated/sdn_2022-02-23.csv.gz", map[string]int{"us_sdn": 9121}},
		{"sdn_dated/sdn_2022-02-24.csv.gz", map[string]int{"us_sdn": 9123}},
		{"sdn_dated/sdn_2022-03-21.csv.gz", map[string]int{"us_sdn": 9396}},
		{"sdn_dated/sdn_2022-03-24.csv.gz", map[string]int{"us_sdn": 9793}},
		{"sdn_dated/sdn_2022-12-28.csv.gz", map[string]int{"us_sdn": 11430}},
		{"sdn_dated/sdn_2023-07-12.csv.gz", map[string]int{"us_sdn": 12617}},
		{"sdn_dated/sdn_2023-12-28.csv.gz", map[string]int{"us_sdn": 13821}},
		{"sdn_dated/sdn_2024-05-02.csv.gz", map[string]int{"us_sdn": 14973}},
		{"sdn_dated/sdn_2024-05-03.csv.gz", map[string]int{"us_sdn": 14965}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			ds, err := Open(lists + c.path)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			total := 0
			for _, lv := range ds.Lists {
				got[lv.Source] = lv.Entries
				total += lv.Entries
				if lv.Format != "ofac" || lv.SHA256 == "" || lv.Origin == "" || lv.Published != "" || lv.PublishedNote == "" || !lv.Loaded.IsZero() {
					t.Errorf("list version %+v", lv)
				}
				if lv.Names < lv.Entries {
					t.Errorf("%s: names %d < entries %d", lv.Source, lv.Names, lv.Entries)
				}
			}
			if !reflect.DeepEqual(got, c.lists) {
				t.Errorf("entries per list = %v, want %v", got, c.lists)
			}
			if total != len(ds.Entries) {
				t.Errorf("lists count %d entries, dataset has %d", total, len(ds.Entries))
			}
			for i := range ds.Entries {
				e := &ds.Entries[i]
				if e.Name == "" || e.SourceID == "" || e.Kind == tradescreen.KindUnknown || !json.Valid(e.Raw) {
					t.Fatalf("bad entry %+v", e)
				}
			}
		})
	}
}

// TestCSVSetDetail checks names and addresses of sdn_2021-07. Independent counts: alt.csv has 11910 rows
// (grep -c); the remarks hold 2441 quoted aliases:
//
//	zcat sdn.csv.gz | cat - sdn_comments.csv | grep -oE "(^|; |\")[afn]\.k\.a\. '" | wc -l
//
// add.csv has 13837 rows of which 2397 have every field after Add_num "-0-" (Python csv), which carry no
// address: 11440 addresses.
func TestCSVSetDetail(t *testing.T) {
	ds, err := Open(lists + "sdn_2021-07")
	if err != nil {
		t.Fatal(err)
	}
	var alt, remarkAliases, addrs int
	for _, e := range ds.Entries {
		addrs += len(e.Addresses)
		var raw struct {
			Alt []map[string]string `json:"alt.csv"`
		}
		if err := json.Unmarshal(e.Raw, &raw); err != nil {
			t.Fatal(err)
		}
		alt += len(raw.Alt)
		remarkAliases += len(e.Aliases) - len(raw.Alt)
	}
	if alt != 11910 || remarkAliases != 2441 || addrs != 11440 {
		t.Errorf("alt aliases %d (want 11910), remark aliases %d (want 2441), addresses %d (want 11440)", alt, remarkAliases, addrs)
	}
	if n := ds.Lists[0].Names; n != 8976+11910+2441 {
		t.Errorf("names = %d, want %d", n, 8976+11910+2441)
	}
}

func find(t *testing.T, ds *source.Dataset, id string) *tradescreen.Entry {
	t.Helper()
	for i := range ds.Entries {
		if ds.Entries[i].SourceID == id {
			return &ds.Entries[i]
		}
	}
	t.Fatalf("ent_num %s not found", id)
	return nil
}

func TestCSVRecords(t *testing.T) {
	ds, err := Open(lists + "sdn_2021-07")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("306 BANCO NACIONAL DE CUBA", func(t *testing.T) {
		e := find(t, ds, "306")
		if e.Source != "us_sdn" || e.Kind != tradescreen.KindOrganization || e.Name != "BANCO NACIONAL DE CUBA" {
			t.Errorf("got %s %s %q", e.Source, e.Kind, e.Name)
		}
		wantAliases := []tradescreen.Name{
			{Full: "NATIONAL BANK OF CUBA", Type: tradescreen.NameAKA},
			{Full: "BNC", Type: tradescreen.NameWeakAKA},
		}
		if !reflect.DeepEqual(e.Aliases, wantAliases) {
			t.Errorf("aliases = %+v", e.Aliases)
		}
		if !reflect.DeepEqual(e.Programs, []string{"CUBA"}) || e.Remarks != "a.k.a. 'BNC'." || e.SourceListURL == "" {
			t.Errorf("programs %v remarks %q", e.Programs, e.Remarks)
		}
		if len(e.Addresses) != 4 {
			t.Fatalf("addresses = %+v", e.Addresses)
		}
		wantAddr := tradescreen.Address{Full: "Zweierstrasse 35, Zurich CH-8022, Switzerland", Street: "Zweierstrasse 35", City: "Zurich CH-8022", Country: "CH", CountryName: "Switzerland"}
		if e.Addresses[0] != wantAddr {
			t.Errorf("address = %+v", e.Addresses[0])
		}
		if e.Addresses[3].Country != "PA" || e.Addresses[3].CountryName != "Panama" {
			t.Errorf("Panama address = %+v", e.Addresses[3])
		}
		var raw map[string]any
		if err := json.Unmarshal(e.Raw, &raw); err != nil {
			t.Fatal(err)
		}
		if raw["SDN_Name"] != "BANCO NACIONAL DE CUBA" || raw["SDN_Type"] != "-0- " || len(raw["add.csv"].([]any)) != 4 || len(raw["alt.csv"].([]any)) != 1 {
			t.Errorf("raw = %s", e.Raw)
		}
	})
	t.Run("2676 individual with DOB POB passports", func(t *testing.T) {
		e := find(t, ds, "2676")
		if e.Kind != tradescreen.KindPerson || e.Name != "AL ZAWAHIRI, Dr. Ayman" || e.Title != "Operational and Military Leader of JIHAD GROUP" {
			t.Errorf("got %s %q %q", e.Kind, e.Name, e.Title)
		}
		if !reflect.DeepEqual(e.BirthDates, []string{"1951-06-19"}) || !reflect.DeepEqual(e.BirthPlaces, []string{"Giza, Egypt"}) {
			t.Errorf("DOB %v POB %v", e.BirthDates, e.BirthPlaces)
		}
		want := []tradescreen.Identifier{
			{Type: "Passport", Number: "1084010", Country: "EG"},
			{Type: "Passport", Number: "19820215"},
		}
		if !reflect.DeepEqual(e.Identifiers, want) {
			t.Errorf("identifiers = %+v", e.Identifiers)
		}
		if !reflect.DeepEqual(e.Programs, []string{"SDGT"}) {
			t.Errorf("programs = %v", e.Programs)
		}
	})
	t.Run("6365 alt. DOB and alt. POB", func(t *testing.T) {
		e := find(t, ds, "6365")
		if !reflect.DeepEqual(e.BirthDates, []string{"1957-07-30", "1958"}) || !reflect.DeepEqual(e.BirthPlaces, []string{"Jeddah, Saudi Arabia", "Yemen"}) {
			t.Errorf("DOB %v POB %v", e.BirthDates, e.BirthPlaces)
		}
	})
	t.Run("15036 vessel ARTAVIL", func(t *testing.T) {
		e := find(t, ds, "15036")
		if e.Kind != tradescreen.KindVessel || e.Name != "ARTAVIL" || !reflect.DeepEqual(e.Programs, []string{"IRAN"}) {
			t.Errorf("got %s %q %v", e.Kind, e.Name, e.Programs)
		}
		wantV := tradescreen.Vessel{CallSign: "T2EU4", Type: "Crude/Oil Products Tanker", Tonnage: "99,144", GrossRegisteredTonnage: "56,068", Flag: "Iran"}
		if e.Vessel == nil || *e.Vessel != wantV {
			t.Errorf("vessel = %+v", e.Vessel)
		}
		var imo, mmsi bool
		for _, id := range e.Identifiers {
			imo = imo || id == tradescreen.Identifier{Type: "Vessel Registration Identification", Number: "IMO 9187629"}
			mmsi = mmsi || id == tradescreen.Identifier{Type: "MMSI", Number: "572469210"}
		}
		if !imo || !mmsi {
			t.Errorf("identifiers = %+v", e.Identifiers)
		}
		want := []tradescreen.Name{ // two f.k.a. from alt.csv, one weak f.k.a. from the remarks
			{Full: "ABADAN", Type: tradescreen.NameFKA}, {Full: "SHONA", Type: tradescreen.NameFKA}, {Full: "ALPHA", Type: tradescreen.NameFKA, Note: "weak"},
		}
		if !reflect.DeepEqual(e.Aliases, want) {
			t.Errorf("aliases = %+v", e.Aliases)
		}
	})
	t.Run("12300 remarks continued in sdn_comments.csv", func(t *testing.T) {
		e := find(t, ds, "12300")
		if !strings.Contains(e.Remarks, "Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA") {
			t.Errorf("remarks not joined: %q", e.Remarks)
		}
		var raw map[string]any
		if err := json.Unmarshal(e.Raw, &raw); err != nil || raw["sdn_comments.csv"] == nil {
			t.Errorf("raw = %s", e.Raw)
		}
		if len(e.Aliases) < 2 || e.Aliases[0].Family != "LOPEZ SALAZAR" || e.Aliases[0].Given != "Elkin de Jesus" {
			t.Errorf("aliases = %+v", e.Aliases)
		}
	})
	t.Run("cons_2025-12 9647 NS-PLC with two programs", func(t *testing.T) {
		ds, err := Open(lists + "cons_2025-12")
		if err != nil {
			t.Fatal(err)
		}
		e := find(t, ds, "9647")
		if e.Source != "us_plc" || !reflect.DeepEqual(e.Programs, []string{"SDGT", "NS-PLC"}) || e.Gender != "Male" || !reflect.DeepEqual(e.Nationalities, []string{"PS"}) {
			t.Errorf("got %s %v %q %v", e.Source, e.Programs, e.Gender, e.Nationalities)
		}
		if e := find(t, ds, "15268"); e.Source != "us_cap" {
			t.Errorf("15268 source = %s", e.Source)
		}
	})
}

// readExcerpt returns the four files of testdata/sdn_excerpt: four real records (306, 2676, 12300, 15036)
// cut byte for byte from sdn_2021-07 with their add/alt/comments rows; sdn.csv keeps the final Ctrl-Z.
func readExcerpt(t testing.TB) (sdn, add, alt, comments []byte) {
	t.Helper()
	r := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "sdn_excerpt", n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return r("sdn.csv"), r("add.csv"), r("alt.csv"), r("sdn_comments.csv")
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestCSVQuirks(t *testing.T) {
	sdn, add, alt, comments := readExcerpt(t)
	t.Run("ctrl-z, CRLF and gzip parts", func(t *testing.T) {
		z := gz(sdn)
		ds, err := ParseSDNCSV(z, add, gz(alt), comments, "sdn.csv.gz")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Entries) != 4 || ds.Lists[0].SHA256 != source.SHA256(z) || ds.Lists[0].Origin != "sdn.csv.gz" {
			t.Errorf("entries = %d, list %+v", len(ds.Entries), ds.Lists[0])
		}
	})
	t.Run("no final line end, -0 cut short (sdn_2019-01 add.csv)", func(t *testing.T) {
		s := bytes.TrimRight(sdn, "\x1a\r\n")
		a := bytes.TrimSuffix(bytes.TrimRight(add, "\x1a\r\n"), []byte("- "))
		if _, err := ParseSDNCSV(s, a, alt, comments, "sdn.csv"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("windows-1252", func(t *testing.T) {
		b := []byte("1,\"CAF\xc9 \x93X\x94\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")
		ds, err := ParseSDNCSV(b, nil, nil, nil, "sdn.csv")
		if err != nil {
			t.Fatal(err)
		}
		if got := ds.Entries[0].Name; got != "CAFÉ \u201cX\u201d" {
			t.Errorf("name = %q", got)
		}
	})
	t.Run("programs split", func(t *testing.T) {
		for in, want := range map[string][]string{
			"SDGT] [IRGC":     {"SDGT", "IRGC"},
			"[SDGT] [IRGC]":   {"SDGT", "IRGC"},
			"CAATSA - RUSSIA": {"CAATSA - RUSSIA"},
			"-0- ":            nil,
		} {
			if got := splitPrograms(in); !reflect.DeepEqual(got, want) {
				t.Errorf("splitPrograms(%q) = %q, want %q", in, got, want)
			}
		}
	})
	t.Run("directory with only sdn.csv", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "SDN.CSV"), sdn, 0o644); err != nil {
			t.Fatal(err)
		}
		ds, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Entries) != 4 {
			t.Errorf("entries = %d", len(ds.Entries))
		}
	})
	t.Run("excerpt directory", func(t *testing.T) {
		ds, err := OpenCSVDir(filepath.Join("testdata", "sdn_excerpt"))
		if err != nil {
			t.Fatal(err)
		}
		if e := find(t, ds, "306"); len(e.Aliases) != 2 || len(e.Addresses) != 4 {
			t.Errorf("306 = %+v", e)
		}
	})
}

func TestCSVErrors(t *testing.T) {
	sdn, add, alt, comments := readExcerpt(t)
	gzSDN := gz(sdn)
	cases := []struct {
		name                string
		sdn, add, alt, comm []byte
		want                string // substring of the error
	}{
		{"empty file", []byte{}, nil, nil, nil, "empty file"},
		{"only ctrl-z", []byte("\x1a"), nil, nil, nil, "empty file"},
		{"blank record only", []byte(`""`), nil, nil, nil, "no records"},
		{"html error page", []byte("<!DOCTYPE html><html><body>503 Service Unavailable</body></html>"), nil, nil, nil, "HTML page"},
		{"xml given", []byte(`<?xml version="1.0"?><sdnList></sdnList>`), nil, nil, nil, "XML"},
		{"binary", []byte("PK\x03\x04\x00\x00binary"), nil, nil, nil, "binary"},
		{"header line", []byte("ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n" + string(sdn)), nil, nil, nil, `first record starts ["ent_num", "SDN_Name"`},
		{"wrong column count", []byte("306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\"\r\n"), nil, nil, nil, "expected 12 columns"},
		{"truncated inside quotes", sdn[:60], nil, nil, nil, "sdn.csv line 1"},
		{"truncated mid line", sdn[:len(sdn)/2], nil, nil, nil, "sdn.csv line"},
		{"truncated gzip", gzSDN[:len(gzSDN)/2], nil, nil, nil, "gzip"},
		{"consolidated UK csv", []byte("Last Updated,27/04/2020\r\nName 6,Name 1,Name 2\r\n"), nil, nil, nil, "columns"},
		{"orphan address", sdn, []byte("999,1,\"x\",\"y\",\"Cuba\",-0- \r\n"), alt, comments, `add.csv line 1 field "Ent_num"`},
		{"orphan alias", sdn, add, []byte("999,1,\"aka\",\"X\",-0- \r\n"), comments, `alt.csv line 1 field "ent_num"`},
		{"unknown alt_type", sdn, add, []byte("306,1,\"xyz\",\"X\",-0- \r\n"), comments, `field "alt_type"`},
		{"empty name", []byte("1,-0- ,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"), nil, nil, nil, `field "SDN_Name"`},
		{"unknown type", []byte("1,\"X\",\"spaceship\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"), nil, nil, nil, `field "SDN_Type"`},
		{"duplicate ent_num", append(append([]byte{}, sdn[:bytes.IndexByte(sdn, '\n')+1]...), sdn...), nil, nil, nil, "duplicate ent_num"},
		{"field too long", []byte("1,\"" + strings.Repeat("A", maxField+1) + "\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"), nil, nil, nil, "too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := ParseSDNCSV(c.sdn, c.add, c.alt, c.comm, "sdn.csv")
			if err == nil {
				t.Fatalf("no error, %d entries", len(ds.Entries))
			}
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	t.Run("directory without a CSV set", func(t *testing.T) {
		_, err := Open(t.TempDir())
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("nil main file", func(t *testing.T) {
		if _, err := ParseSDNCSV(nil, add, alt, comments, "sdn.csv"); err == nil {
			t.Error("no error")
		}
	})
}

func TestParseRemarks(t *testing.T) {
	r := parseRemarks("DOB 10 Dec 1948; alt. DOB circa 1951; POB Baghdad, Iraq; nationality Korea, North; citizen Iran; Gender Female; " +
		"a.k.a. 'ABU ALI'; a.k.a. STRONG NAME; f.k.a. 'OLD'; n.k.a. 'NEW'; Passport A123 (Malaysia) issued 23 Jun 1999 expires 05 Feb 2004; " +
		"Tax ID No. AABA 670850 Y (India); Digital Currency Address - XBT 1Kuf2Rd8; Vessel Registration Identification IMO 9187629; MMSI 572469210; " +
		"Additional Sanctions Information - Subject to Secondary Sanctions; Linked To: NEW AHMADI LTD.; Member ETA.")
	want := remarks{
		Aliases: []tradescreen.Name{
			{Full: "ABU ALI", Type: tradescreen.NameWeakAKA},
			{Full: "STRONG NAME", Type: tradescreen.NameAKA},
			{Full: "OLD", Type: tradescreen.NameFKA, Note: "weak"},
			{Full: "NEW", Type: tradescreen.NameNKA, Note: "weak"},
		},
		BirthDates:    []string{"1948-12-10", "circa 1951"},
		BirthPlaces:   []string{"Baghdad, Iraq"},
		Nationalities: []string{"KP"},
		Citizenships:  []string{"IR"},
		Gender:        "Female",
		Identifiers: []tradescreen.Identifier{
			{Type: "Passport", Number: "A123", Country: "MY", Issued: "1999-06-23", Expires: "2004-02-05"},
			{Type: "Tax ID No.", Number: "AABA 670850 Y", Country: "IN"},
			{Type: "Digital Currency Address - XBT", Number: "1Kuf2Rd8"},
			{Type: "Vessel Registration Identification", Number: "IMO 9187629"},
			{Type: "MMSI", Number: "572469210"},
		},
		IMO: "9187629", MMSI: "572469210",
		Sanctions: []string{"Additional Sanctions Information - Subject to Secondary Sanctions"},
		LinkedTo:  []string{"NEW AHMADI LTD."},
		Other:     []string{"Member ETA"},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
	t.Run("final abbreviation keeps its period", func(t *testing.T) {
		if got := parseRemarks("Linked To: NEW AHMADI LTD.").LinkedTo; !reflect.DeepEqual(got, []string{"NEW AHMADI LTD."}) {
			t.Errorf("got %q", got)
		}
		if got := parseRemarks("Linked To: HIZBALLAH.").LinkedTo; !reflect.DeepEqual(got, []string{"HIZBALLAH"}) {
			t.Errorf("got %q", got)
		}
	})
	t.Run("script", func(t *testing.T) {
		for in, want := range map[string]string{"中国": "Han", "Газпром": "Cyrillic", "محمد": "Arabic", "GAZPROM": "", "Газпром GAZ": ""} {
			if got := scriptOf(in); got != want {
				t.Errorf("scriptOf(%q) = %q, want %q", in, got, want)
			}
		}
	})
}

func TestListForPrograms(t *testing.T) {
	cases := []struct {
		programs []string
		nonSDN   bool
		want     string
	}{
		{[]string{"SDGT"}, false, "us_sdn"},
		{[]string{"UKRAINE-EO13662"}, false, "us_sdn"},
		{[]string{"UKRAINE-EO13662"}, true, "us_ssi"},
		{[]string{"UKRAINE-EO13662", "RUSSIA-EO14024"}, true, "us_ssi"},
		{[]string{"RUSSIA-EO14024"}, true, "us_mbs"}, // the enhanced file puts these on the menu-based list
		{[]string{"SYRIA", "FSE-SY"}, true, "us_fse"},
		{[]string{"SDGT", "NS-PLC"}, true, "us_plc"},
		{[]string{"561List"}, true, "us_cap"},
		{[]string{"561-Related"}, true, "us_cap"},
		{[]string{"CAPTA"}, true, "us_cap"},
		{[]string{"CMIC-EO13959"}, true, "us_cmic"},
		{[]string{"CMIC-EO14032"}, true, "us_cmic"},
		{[]string{"NS-MBS"}, true, "us_mbs"},
		{[]string{"CAATSA - RUSSIA"}, true, "us_mbs"},
		{[]string{"IRAN"}, true, "us_mbs"},
		{nil, true, "us_mbs"},
	}
	for _, c := range cases {
		if got := listForPrograms(c.programs, c.nonSDN); got != c.want {
			t.Errorf("listForPrograms(%q, %v) = %s, want %s", c.programs, c.nonSDN, got, c.want)
		}
	}
	for in, want := range map[string]tradescreen.Kind{"individual": tradescreen.KindPerson, "vessel": tradescreen.KindVessel,
		"aircraft": tradescreen.KindAircraft, "-0- ": tradescreen.KindOrganization, "": tradescreen.KindOrganization, "x": tradescreen.KindUnknown} {
		if got := kindFromSDNType(in); got != want {
			t.Errorf("kindFromSDNType(%q) = %s, want %s", in, got, want)
		}
	}
}

func checkFuzzErr(t *testing.T, ds *source.Dataset, err error) {
	if err != nil {
		var pe *tradescreen.ParseError
		var ae *tradescreen.Error
		if !errors.As(err, &pe) && !errors.As(err, &ae) {
			t.Fatalf("error %T %v is neither *ParseError nor *Error", err, err)
		}
		return
	}
	if ds == nil || len(ds.Entries) == 0 {
		t.Fatal("success without entries")
	}
	for i := range ds.Entries {
		if !json.Valid(ds.Entries[i].Raw) {
			t.Fatalf("invalid raw JSON %s", ds.Entries[i].Raw)
		}
	}
}

func FuzzParseSDNCSV(f *testing.F) {
	sdn, add, alt, comments := readExcerpt(f)
	f.Add(sdn, add, alt, comments)
	f.Add(sdn, []byte(nil), []byte(nil), []byte(nil))
	f.Add([]byte("1,\"X\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1950; a.k.a. 'Y'.\""), []byte("1,2,-0- ,-0- ,\"Cuba\",-0-"), []byte("1,3,\"fka\",\"Z\",-0- "), []byte("1,\"more\""))
	f.Fuzz(func(t *testing.T, sdn, add, alt, comments []byte) {
		ds, err := ParseSDNCSV(sdn, add, alt, comments, "sdn.csv")
		checkFuzzErr(t, ds, err)
	})
}

func FuzzParseConsCSV(f *testing.F) {
	prim, err := os.ReadFile(filepath.Join("testdata", "cons_prim_excerpt.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(prim)
	f.Add([]byte("1,\"X\",\"individual\",\"SYRIA] [FSE-SY\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a"))
	f.Fuzz(func(t *testing.T, prim []byte) {
		ds, err := ParseConsCSV(prim, nil, nil, nil, "cons_prim.csv")
		checkFuzzErr(t, ds, err)
	})
}

func FuzzParseRemarks(f *testing.F) {
	f.Add("DOB 10 Dec 1948; alt. DOB circa 1951; POB Baghdad, Iraq; a.k.a. 'ABU ALI'; Passport A123 (Malaysia) issued 23 Jun 1999 expires 05 Feb 2004.")
	f.Add("Digital Currency Address - ; Linked To: ; a.k.a. ''; nationality ; Passport (Iran).")
	f.Fuzz(func(t *testing.T, s string) {
		parseRemarks(s)
	})
}
