package dpl

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// The expected counts were obtained independently of this parser with Python's csv module on the
// decompressed files (delimiter "\t"):
//   - rows: records after the header (546, 581, 665; `zcat f | wc -l` gives 546 (no final newline), 582, 666
//     lines, the header included);
//   - entries: distinct (Name with white space collapsed and upper-cased, Effective_Date) pairs: 417, 461, 547;
//   - names: entries plus one alias per "A.K.A." clause, one per " D/B/A " and " A/K/A ", and two for each
//     name holding a quoted nickname: 421, 466, 556.
//   - Published: the latest Last_Update in 2019-06..2023-11 after dropping the values of years 3017, 2922,
//     0222, 1023 and 3033 (sorted Last_Update column).
var dplFiles = []fileCounts{
	{lists + "csl/dpl/dpl_2019-06.txt.gz", 417, 421, "2019-06-12", "implausible Last_Update values ignored: 3017-08-22)"},
	{lists + "csl/dpl/dpl_2022-09.txt.gz", 461, 466, "2022-09-02", "ignored: 0222-05-18, 2922-09-01, 3017-08-22)"},
	{lists + "csl/dpl/dpl_2023-11.txt.gz", 547, 556, "2023-11-28", "ignored: 1023-11-01, 3033-09-30)"},
}

func TestDPLFiles(t *testing.T) {
	// Addresses: distinct (Street_Address, City, State, Country, Postal_Code) per entry, counted with Python.
	addresses := []int{543, 579, 663}
	for i, c := range dplFiles {
		t.Run(c.path[strings.LastIndex(c.path, "/")+1:], func(t *testing.T) {
			ds, err := OpenDPL(c.path)
			if err != nil {
				t.Fatal(err)
			}
			checkDataset(t, ds, c, "us_dpl", KindDPL)
			n := 0
			for _, e := range ds.Entries {
				n += len(e.Addresses)
				if e.StartDate == "" || len(e.FederalRegister) == 0 && !strings.Contains(string(e.Raw), `"FR_Citation":""`) {
					t.Errorf("%s: start %q, citations %q", e.Name, e.StartDate, e.FederalRegister)
				}
			}
			if n != addresses[i] {
				t.Errorf("addresses = %d, want %d", n, addresses[i])
			}
		})
	}
}

// TestDPLStableID checks that the same order keeps its source_id in every version of the file.
func TestDPLStableID(t *testing.T) {
	var ids []string
	for _, c := range dplFiles {
		ds, err := OpenDPL(c.path)
		if err != nil {
			t.Fatal(err)
		}
		e := find(ds, "I. ASH")
		if len(e) != 2 { // two orders: 03/04/2002 and 06/19/2003
			t.Fatalf("%s: %d entries for I. ASH, want 2", c.path, len(e))
		}
		ids = append(ids, e[0].SourceID+" "+e[1].SourceID)
	}
	if ids[0] != ids[1] || ids[1] != ids[2] || !strings.HasPrefix(ids[0], "dpl-") || len(ids[0]) != 2*16+1 {
		t.Errorf("ids differ between versions: %q", ids)
	}
}

func TestDPLRecords(t *testing.T) {
	ds2019, err := OpenDPL(dplFiles[0].path)
	if err != nil {
		t.Fatal(err)
	}
	ds2023, err := OpenDPL(dplFiles[2].path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("I. ASH, leading space and three citations", func(t *testing.T) {
		var e tradescreen.Entry
		for _, x := range find(ds2023, "I. ASH") {
			if x.StartDate == "2003-06-19" {
				e = x
			}
		}
		want := tradescreen.Entry{
			Source: "us_dpl", SourceID: e.SourceID, Kind: tradescreen.KindUnknown, Name: "I. ASH",
			Addresses: []tradescreen.Address{{
				Full:   "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159, US",
				Street: "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175",
				City:   "SEAGOVILLE", Region: "TX", PostalCode: "75159", Country: "US", CountryName: "US",
			}},
			FederalRegister: []string{"68 FR 38290", "71 FR 38843", "72 FR 4236"},
			StartDate:       "2003-06-19", EndDate: "2056-06-29", StandardOrder: "Y", LastUpdated: "2007-01-31",
			Remarks:       "Action: FEDERAL REGISTER NOTICE UPDATED",
			SourceListURL: "https://www.bis.gov/denied-persons-list",
			Raw:           e.Raw,
		}
		if !reflect.DeepEqual(e, want) {
			t.Errorf("got  %+v\nwant %+v", e, want)
		}
		wantRaw := `{"Name":" I. ASH","Street_Address":"UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175","City":"SEAGOVILLE","State":"TX","Country":"US","Postal_Code":"75159","Effective_Date":"06/19/2003","Expiration_Date":"06/29/2056","Standard_Order":"Y","Last_Update":"2007-01-31","Action":"FEDERAL REGISTER NOTICE UPDATED","FR_Citation":"68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07"}`
		if string(e.Raw) != wantRaw {
			t.Errorf("raw = %s", e.Raw)
		}
	})
	t.Run("MAHMOUD AMINI, one order at three addresses", func(t *testing.T) {
		e := one(t, ds2023, "MAHMOUD AMINI")
		if len(e.Addresses) != 3 || e.Addresses[2].Street != "P.O. BOX 52404" || e.Addresses[0].Country != "AE" {
			t.Errorf("addresses = %+v", e.Addresses)
		}
		// The rows disagree on Expiration_Date (10/30/2024 twice, 10/20/2024 once): the latest is kept and the
		// remark says so; Raw keeps one value per row.
		if e.EndDate != "2024-10-30" || !strings.HasPrefix(e.Remarks, "Expiration_Date differs between the rows of this order: 2024-10-30, 2024-10-20.") {
			t.Errorf("end %q remarks %q", e.EndDate, e.Remarks)
		}
		if got := rawField(t, e, "Expiration_Date"); !reflect.DeepEqual(got, []any{"10/30/2024", "10/30/2024", "10/20/2024"}) {
			t.Errorf("raw Expiration_Date = %v", got)
		}
		if got := rawField(t, e, "Country"); got != "AE" {
			t.Errorf("raw Country = %v", got)
		}
		if len(e.FederalRegister) != 25 || e.FederalRegister[0] != "76 FR 12318" || e.FederalRegister[24] != "88 FR 30078" {
			t.Errorf("citations = %q", e.FederalRegister)
		}
		if e.StartDate != "2023-10-31" || e.LastUpdated != "2023-11-01" {
			t.Errorf("dates %q %q", e.StartDate, e.LastUpdated)
		}
	})
	t.Run("SIBERIAN AIRLINES D/B/A S7 AIRLINES", func(t *testing.T) {
		e := one(t, ds2023, "SIBERIAN AIRLINES")
		if e.Kind != tradescreen.KindOrganization || !reflect.DeepEqual(e.Aliases, []tradescreen.Name{{Full: "S7 AIRLINES", Type: tradescreen.NameAKA, Note: "d/b/a"}}) {
			t.Errorf("kind %s aliases %+v", e.Kind, e.Aliases)
		}
		// Empty City, State, Country and Postal_Code: the address has no country.
		if len(e.Addresses) != 1 || e.Addresses[0].Country != "" || e.Addresses[0].Full != "633104, NOVOSIBIRSKAYA OBL., G. OB, PROSPEKT MOZZHERINA, D. 10 OFIS 201" {
			t.Errorf("addresses %+v", e.Addresses)
		}
		if rawField(t, e, "Name") != "SIBERIAN AIRLINES D/B/A S7 AIRLINES" {
			t.Errorf("raw name %v", rawField(t, e, "Name"))
		}
	})
	t.Run("STEPHEN EDWARD SMITH, US state code in the Country column", func(t *testing.T) {
		a := one(t, ds2023, "STEPHEN EDWARD SMITH").Addresses[0]
		if a.Country != "US" || a.Region != "NM" || a.CountryName != "NM" || !strings.Contains(a.Note, "US state code NM") {
			t.Errorf("address %+v", a)
		}
	})
	t.Run("AARON ABRAHAM VILLA, empty Country with a US state", func(t *testing.T) {
		a := one(t, ds2023, "AARON ABRAHAM VILLA").Addresses[0]
		if a.Country != "US" || a.CountryName != "" || a.Region != "TX" || a.Note != "country inferred from the US state" {
			t.Errorf("address %+v", a)
		}
	})
	t.Run("PRC", func(t *testing.T) {
		a := one(t, ds2023, "QIANG HU").Addresses[0]
		if a.Country != "CN" || a.CountryName != "PRC" {
			t.Errorf("address %+v", a)
		}
	})
	t.Run("FUYI SUN A/K/A FRANK SUN", func(t *testing.T) {
		e := one(t, ds2023, "FUYI SUN")
		if !reflect.DeepEqual(aliasNames(e), []string{"FRANK SUN"}) {
			t.Errorf("aliases %+v", e.Aliases)
		}
	})
	t.Run("PEARL LI, a.k.a. inside the name", func(t *testing.T) {
		e := one(t, ds2019, "PEARL LI")
		if !reflect.DeepEqual(aliasNames(e), []string{"NEI-CHIEN CHU"}) {
			t.Errorf("aliases %+v", e.Aliases)
		}
	})
	t.Run("IHSAN MEDHAT ELASHI, quoted nickname and two orders", func(t *testing.T) {
		e := one(t, ds2019, `IHSAN MEDHAT "SAMMY" ELASHI`)
		if !reflect.DeepEqual(aliasNames(e), []string{"IHSAN MEDHAT ELASHI", "SAMMY ELASHI"}) || len(e.Addresses) != 2 || e.StartDate != "2002-03-04" {
			t.Errorf("aliases %q addresses %d start %s", aliasNames(e), len(e.Addresses), e.StartDate)
		}
		other := one(t, ds2019, "IHSAN MEDHAT ELASHI")
		if other.StartDate != "2001-09-06" || other.SourceID == e.SourceID {
			t.Errorf("other order %+v", other)
		}
	})
	t.Run("DAQING ZHOU, repeated row", func(t *testing.T) {
		e := one(t, ds2019, "DAQING ZHOU")
		if len(e.Addresses) != 1 || e.Addresses[0].Country != "CN" || rawField(t, e, "City") != "BEIJING" {
			t.Errorf("%+v", e)
		}
	})
	t.Run("MANSOUR ZADEH, Last_Update 3017-08-22 kept as published", func(t *testing.T) {
		e := one(t, ds2019, "MANSOUR ZADEH")
		if e.LastUpdated != "3017-08-22" || len(e.Addresses) != 4 {
			t.Errorf("last updated %q addresses %d", e.LastUpdated, len(e.Addresses))
		}
		// "CY" in State is not a US state: no country is made up.
		if e.Addresses[0].Country != "" || e.Addresses[1].Country != "US" {
			t.Errorf("addresses %+v", e.Addresses)
		}
	})
	t.Run("ANNEXFIELD, LTD., empty Expiration_Date", func(t *testing.T) {
		e := one(t, ds2019, "ANNEXFIELD , LTD.")
		if e.Kind != tradescreen.KindOrganization || e.EndDate != "" || e.StartDate != "1984-12-14" || !reflect.DeepEqual(e.FederalRegister, []string{"49 FR 49666"}) {
			t.Errorf("%+v", e)
		}
	})
}

// TestDPLQuirks covers the format's quirks on small inputs.
func TestDPLQuirks(t *testing.T) {
	header := `"Name"	"Street_Address"	"City"	"State"	"Country"	"Postal_Code"	"Effective_Date"	"Expiration_Date"	"Standard_Order"	"Last_Update"	"Action"	"FR_Citation"` + "\n"
	t.Run("quoted tab and doubled quotes", func(t *testing.T) {
		in := header + "\"ACME\tTRADING, INC.\"\t\"1 \"\"MAIN\"\" ST\"\t\"X\"\t\"\"\t\"DE\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"y\"\t\"2020-01-03\"\t\"\"\t\"85 F.R. 1 1/2/2020\""
		ds, err := ParseDPL([]byte(in), "dpl.txt")
		if err != nil {
			t.Fatal(err)
		}
		e := ds.Entries[0]
		if e.Name != "ACME TRADING, INC." || e.Kind != tradescreen.KindOrganization || e.Addresses[0].Street != `1 "MAIN" ST` || e.Addresses[0].Country != "DE" || e.StandardOrder != "Y" {
			t.Errorf("%+v", e)
		}
		if rawField(t, e, "Name") != "ACME\tTRADING, INC." || e.Remarks != "" {
			t.Errorf("raw %s remarks %q", e.Raw, e.Remarks)
		}
	})
	t.Run("odd dates kept as published", func(t *testing.T) {
		in := header + "\"X Y\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"13/45/2020\"\t\"2020\"\t\"Y\"\t\"2020-01-03\"\t\"\"\t\"\""
		ds, err := ParseDPL([]byte(in), "dpl.txt")
		if err != nil {
			t.Fatal(err)
		}
		e := ds.Entries[0]
		if e.StartDate != "13/45/2020" || e.EndDate != "2020" || len(e.Addresses) != 0 || ds.Lists[0].Published != "2020-01-03" {
			t.Errorf("%+v %+v", e, ds.Lists[0])
		}
	})
	t.Run("gzip and plain give the same entries", func(t *testing.T) {
		plain := readExcerpt(t, "dpl_2019-06_excerpt.txt")
		a, err := ParseDPL(plain, "dpl.txt")
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseDPL(gz(plain), "dpl.txt.gz")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Entries, b.Entries) || a.Lists[0].SHA256 == b.Lists[0].SHA256 {
			t.Error("gzip changed the result, or the digest is not of the bytes as given")
		}
		// 12 rows: I. ASH (2 orders), ANNEXFIELD, DAQING ZHOU (1 repeated row), IHSAN MEDHAT "SAMMY" ELASHI
		// (2 rows, 1 order), IHSAN MEDHAT ELASHI, MANSOUR ZADEH (4 rows, 1 order), PEARL LI: 7 entries.
		if len(a.Entries) != 7 {
			t.Errorf("entries = %d, want 7", len(a.Entries))
		}
	})
	t.Run("CRLF line ends", func(t *testing.T) {
		in := strings.ReplaceAll(string(readExcerpt(t, "dpl_2023-11_excerpt.txt")), "\n", "\r\n")
		ds, err := ParseDPL([]byte(in), "dpl.txt")
		if err != nil {
			t.Fatal(err)
		}
		if got := rawField(t, one(t, ds, "ZIMO SHENG"), "Postal_Code"); !reflect.DeepEqual(got, []any{"53211", "215500"}) {
			t.Errorf("postal code %q", got)
		}
	})
}

func TestDPLErrors(t *testing.T) {
	full := readExcerpt(t, "dpl_2019-06_excerpt.txt")
	lines := strings.SplitAfter(string(full), "\n")
	t.Run("truncated inside a quoted field", func(t *testing.T) {
		in := strings.Join(lines[:3], "") + lines[3][:40]
		_, err := ParseDPL([]byte(in), "dpl.txt")
		wantParseError(t, err, "dpl.txt", 4, "", "malformed record (truncated file?)")
	})
	t.Run("truncated between fields", func(t *testing.T) {
		cut := strings.Index(lines[3], "\t\"11/09/2006\"")
		in := strings.Join(lines[:3], "") + lines[3][:cut]
		_, err := ParseDPL([]byte(in), "dpl.txt")
		wantParseError(t, err, "dpl.txt", 4, "Effective_Date", "record has 6 fields, want 12 (truncated line?)")
	})
	t.Run("truncated gzip", func(t *testing.T) {
		b, err := os.ReadFile(dplFiles[0].path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseDPL(b[:len(b)/2], "dpl_2019-06.txt.gz")
		wantParseError(t, err, "dpl_2019-06.txt.gz", 0, "", "truncated or corrupt gzip data")
	})
	t.Run("empty name", func(t *testing.T) {
		in := lines[0] + "\"  \"" + lines[1][strings.Index(lines[1], "\t"):]
		_, err := ParseDPL([]byte(in), "dpl.txt")
		wantParseError(t, err, "dpl.txt", 2, "Name", "empty name")
	})
	t.Run("extra column", func(t *testing.T) {
		in := lines[0] + strings.TrimSuffix(lines[1], "\n") + "\t\"EXTRA\"\n"
		_, err := ParseDPL([]byte(in), "dpl.txt")
		wantParseError(t, err, "dpl.txt", 2, "", "record has 13 fields, want 12")
	})
	t.Run("wrong header names the columns found", func(t *testing.T) {
		in := strings.Replace(string(full), `"FR_Citation"`, `"Citation"`, 1)
		_, err := ParseDPL([]byte(in), "dpl.txt")
		wantParseError(t, err, "dpl.txt", 1, "", `found columns: "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update", "Action", "Citation"`)
	})
}

func FuzzDPL(f *testing.F) {
	f.Add(readExcerpt(f, "dpl_2019-06_excerpt.txt"))
	f.Add(readExcerpt(f, "dpl_2023-11_excerpt.txt"))
	f.Add([]byte("\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"\n\"A (A.K.A. B; C) D/B/A \"\"E\"\" F\"\t\"\"\t\"\"\t\"NM\"\t\"NM\"\t\"\"\t\"1/2/06\"\t\"\"\t\"\"\t\"3017-08-22\"\t\"\"\t\"F.R. 1 1/1/1900 5 F.R. 1/2/03\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ParseDPL(b, "dpl.txt")
		checkFuzzResult(t, ds, err)
	})
}
