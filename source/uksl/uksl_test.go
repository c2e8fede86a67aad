package uksl

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

const sampleFile = "testdata/UK_Sanctions_List_format_sample_2026-10.csv"

func TestSample(t *testing.T) {
	ds, err := Open(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Lists) != 1 || ds.Lists[0].Source != "gb_fcdo" || ds.Lists[0].Published != "2026-10-08" || ds.Lists[0].Entries != 2 || ds.Lists[0].Names != 3 {
		t.Fatalf("list %+v", ds.Lists)
	}
	ship, afg := ds.Entries[0], ds.Entries[1]
	if ship.SourceID != "RUS2176" || ship.Name != "KOROLEV PROSPECT" || ship.Kind != tradescreen.KindVessel ||
		ship.ListedOn != "2024-07-31" || ship.LastUpdated != "2024-07-31" ||
		len(ship.Programs) != 1 || ship.Programs[0] != "The Russia (Sanctions) (EU Exit) Regulations 2019" {
		t.Errorf("ship %+v", ship)
	}
	if len(ship.Identifiers) != 1 || ship.Identifiers[0] != (tradescreen.Identifier{Type: "IMO", Number: "9826902"}) {
		t.Errorf("ship identifiers %+v", ship.Identifiers)
	}
	if v := ship.Vessel; v == nil || v.Type != "Oil Tanker" || v.Flag != "Gabon" || v.Owner != "Stream Ship Management FZCO" {
		t.Errorf("vessel %+v", v)
	}
	// The measure is written twice with "|" between; it is said once.
	if !strings.HasPrefix(ship.Remarks, "Sanctions imposed: Shipping sanctions: (see 'Other information') | Designation source: UK | Other Information: Shipping sanctions: a specified ship") {
		t.Errorf("remarks %q", ship.Remarks)
	}
	if afg.SourceID != "AFG0001" || afg.Name != "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE" || afg.Kind != tradescreen.KindOrganization ||
		len(afg.Aliases) != 1 || afg.Aliases[0] != (tradescreen.Name{Full: "Haji Alim Hawala", Type: tradescreen.NameAKA}) ||
		afg.ListedOn != "2012-06-29" || afg.LastUpdated != "2026-08-04" {
		t.Errorf("AFG0001 %+v", afg)
	}
	ids := map[string]string{}
	for _, id := range afg.Identifiers {
		ids[id.Type] = id.Number
	}
	if ids["UN Reference Number"] != "TAe.010" || ids["OFSI Group ID"] != "12703" {
		t.Errorf("AFG0001 identifiers %+v", afg.Identifiers)
	}
	if !strings.Contains(string(afg.Raw), `"Unique ID":"AFG0001"`) || !strings.Contains(string(afg.Raw), `"Name type":"Alias"`) {
		t.Errorf("raw %s", afg.Raw)
	}
}

// sampleLines returns the sample's Report Date line, header and data lines.
func sampleLines(t testing.TB) (string, string, []string) {
	b, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\r\n"), "\n")
	return lines[0], lines[1], lines[2:]
}

// person builds a line of the sample's layout from the values of some of its 58 columns.
func person(t *testing.T, hdr string, vals map[string]string) string {
	cols := strings.Split(hdr, ",")
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = vals[c]
	}
	for c := range vals {
		if !strings.Contains(","+hdr+",", ","+c+",") {
			t.Fatalf("no column %q", c)
		}
	}
	return strings.Join(out, ",")
}

// TestDesignation: one designation over several lines: names split in Name 1-6, an address on a line of its
// own, a weak alias, a non-Latin name, two nationalities, a passport.
func TestDesignation(t *testing.T) {
	date, hdr, _ := sampleLines(t)
	base := map[string]string{"Unique ID": "RUS0001", "Regime Name": "The Russia (Sanctions) (EU Exit) Regulations 2019",
		"Designation Type": "Individual", "Designation source": "UK", "Date Designated": "24/02/2022", "Last Updated": "01/03/2025"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	text := strings.Join([]string{date, hdr,
		person(t, hdr, with("Name type", "Alias", "Name 1", "Ivan", "Name 6", "IVANOFF", "Alias strength", "Weak")),
		person(t, hdr, with("Name type", "Primary Name", "Name 1", "Ivan", "Name 2", "Ivanovich", "Name 6", "IVANOV",
			"Name non-latin script", "Иван Иванович Иванов", "Non-latin script type", "Cyrillic", "Title", "Mr",
			"Nationality(/ies)", "Russia|Cyprus", "Passport number", "7123456", "D.O.B", "12/05/1970", "Gender", "Male")),
		person(t, hdr, with("Name type", "Primary Name Variation", "Name 1", "Ivan", "Name 6", "IVANOV", "Name 2", "I.")),
		person(t, hdr, with("Name type", "Primary Name", "Name 1", "Ivan", "Name 2", "Ivanovich", "Name 6", "IVANOV",
			"Address Line 1", "Tverskaya 1", "Address Line 4", "Moscow", "Address Postal Code", "125009", "Address Country", "Russia")),
	}, "\r\n") + "\r\n"
	ds, err := Parse([]byte(text), "UK-Sanctions-List.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entries) != 1 {
		t.Fatalf("%d entries", len(ds.Entries))
	}
	e := ds.Entries[0]
	if e.Name != "Ivan Ivanovich IVANOV" || e.Kind != tradescreen.KindPerson || e.Title != "Mr" || e.Gender != "Male" ||
		strings.Join(e.Nationalities, ",") != "RU,CY" || strings.Join(e.BirthDates, ",") != "1970-05-12" {
		t.Errorf("entry %+v", e)
	}
	want := []tradescreen.Name{
		{Full: "Ivan IVANOFF", Type: tradescreen.NameWeakAKA},
		{Full: "Иван Иванович Иванов", Type: tradescreen.NameAKA, Script: "Cyrillic"},
		{Full: "Ivan I. IVANOV", Type: tradescreen.NameAKA, Note: "Primary Name Variation"},
	}
	if len(e.Aliases) != len(want) {
		t.Fatalf("aliases %+v", e.Aliases)
	}
	for i := range want {
		if e.Aliases[i] != want[i] {
			t.Errorf("alias %d: %+v, want %+v", i, e.Aliases[i], want[i])
		}
	}
	if len(e.Addresses) != 1 || e.Addresses[0].Full != "Tverskaya 1, Moscow, 125009, Russia" || e.Addresses[0].Country != "RU" {
		t.Errorf("addresses %+v", e.Addresses)
	}
	if len(e.Identifiers) != 1 || e.Identifiers[0].Type != "Passport" || e.Identifiers[0].Number != "7123456" {
		t.Errorf("identifiers %+v", e.Identifiers)
	}
}

func TestErrors(t *testing.T) {
	date, hdr, lines := sampleLines(t)
	cases := []struct{ name, text, want string }{
		{"empty", "", "empty file"},
		{"html", "<!DOCTYPE html><html></html>", "not the UK Sanctions List CSV"},
		{"ofsi conlist", "Last Updated,27/04/2020\nName 6,Name 1\n", `the first line is "Last Updated,27/04/2020"`},
		{"bad date", "Report Date: 31-Foo-2026\n" + hdr + "\n" + lines[1] + "\n", `"31-Foo-2026" is not a date`},
		{"no header", date + "\n", "no column header"},
		{"header without names", date + "\nUnique ID,Name type\nA,B\n", `lacks "Name 6"`},
		{"no lines", date + "\n" + hdr + "\n", "no designations"},
		{"short line", date + "\n" + hdr + "\n" + lines[1][:200] + "\n", "fields, the header has 58"},
		{"no id", date + "\n" + hdr + "\n" + strings.Replace(lines[1], "AFG0001", "", 1) + "\n", "Unique ID"},
		{"bad quote", date + "\n" + hdr + "\n" + `a,"b` + "\n", "malformed CSV"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.text), "x.csv")
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want a ParseError with %q", err, c.want)
			}
		})
	}
	if _, err := Open("testdata/nope.csv"); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("missing file: %v", err)
	}
}
