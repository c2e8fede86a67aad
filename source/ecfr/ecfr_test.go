package ecfr

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

const sample = "testdata/ecfr_part744_supp4_format_sample_2026-07-09.xml"

func TestSample(t *testing.T) {
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Parse(b, "ecfr_part744_supp4_format_sample_2026-07-09.xml")
	if err != nil {
		t.Fatal(err)
	}
	// 61 rows: the header, 59 entries and one [Reserved] row.
	if len(ds.Entries) != 59 || ds.Lists[0].Published != "2026-07-09" || ds.Lists[0].Source != "us_el" {
		t.Fatalf("%d entries, version %+v", len(ds.Entries), ds.Lists[0])
	}
	by := map[string]tradescreen.Entry{}
	for _, e := range ds.Entries {
		if _, ok := by[e.Name]; !ok {
			by[e.Name] = e
		}
	}
	k := by["AO Kaspersky Lab"]
	if len(k.Aliases) != 12 || k.Aliases[4].Full != "JSC Kaspersky Lab" || k.Aliases[11].Full != "Kaspersky's Laboratory" {
		t.Errorf("Kaspersky aliases %+v", k.Aliases)
	}
	if k.Addresses[0].Country != "RU" || k.Addresses[0].CountryName != "RUSSIA" || k.StartDate != "2024-06-24" {
		t.Errorf("Kaspersky %+v %s", k.Addresses, k.StartDate)
	}
	// A blank country cell continues the country above: OOO Kaspersky Group is in Russia.
	if g := by["OOO Kaspersky Group"]; g.Addresses[0].Country != "RU" {
		t.Errorf("OOO Kaspersky Group country %+v", g.Addresses)
	}
	y := by["Yangtze Memory Technologies Co., Ltd."]
	if len(y.Addresses) != 6 || y.Addresses[5].Full != "Room 3201, 32nd Floor, Hu Zhong Building, 213 Queen's Road East, Hong Kong" {
		t.Errorf("YMTC addresses %q", y.Addresses)
	}
	s := by["Beijing Sensetime Technology Development Co., Ltd."]
	want := []string{"84 FR 54004, 10/9/19", "85 FR 34505, 6/5/20", "85 FR 44159, 7/22/20", "87 FR 62202, 10/13/22"}
	if !reflect.DeepEqual(s.FederalRegister, want) || s.StartDate != "2019-10-09" {
		t.Errorf("Sensetime citations %q from %s", s.FederalRegister, s.StartDate)
	}
	// Footnote marks are taken out of the requirement and kept in the remarks.
	if s.LicenseRequirement != "For all items subject to the EAR. (See §§ 734.9(e) and 744.11 of the EAR)" ||
		!strings.Contains(s.Remarks, "footnote 4") {
		t.Errorf("Sensetime requirement %q remarks %q", s.LicenseRequirement, s.Remarks)
	}
	if a := by["Abdul Satar Ghoura"]; a.Remarks != "See alternate addresses under Pakistan" || len(a.Addresses) != 2 {
		t.Errorf("Ghoura %q %q", a.Remarks, a.Addresses)
	}
}

// TestIrregular: the text real eCFR files carry: inline <E>, <br/>, <SU> footnotes, "and" between addresses,
// a.k.a. clauses split over lines, header rows of <TH>, [Reserved] rows.
func TestIrregular(t *testing.T) {
	doc := `<ECFR><AMDDATE>Jul. 7, 2026</AMDDATE><DIV5 N="744" TYPE="PART"><DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX"><TABLE>
<TR><TH>Country</TH><TH>Entity</TH><TH>License requirement</TH><TH>License review policy</TH><TH>Federal Register citation</TH></TR>
<TR><TD>AFGHANISTAN</TD><TD>Afghan-German Construction Company, Golaye Park, Shari Naw, Kabul, Afghanistan, and Dasht Qala, Takhar Province, Afghanistan.</TD><TD>For all items subject to the EAR.<SU>1</SU></TD><TD>Presumption of denial.</TD><TD>77 FR 25057, 4/27/12.</TD></TR>
<TR><TD/><TD>[Reserved]</TD><TD/><TD/><TD/></TR>
<TR><TD>CHINA, PEOPLE'S REPUBLIC OF</TD><TD><E T="03">Hangzhou Hikvision Digital Technology Co., Ltd.,</E> a.k.a., the following one alias:<br/>—Hikvision.<br/>No. 555 Qianmo Road, Binjiang District, Hangzhou 310052, China.</TD><TD>For all items subject to the EAR. (See § 744.11 of the EAR)</TD><TD>Case-by-case review for ECCNs 1A004.c; presumption of denial for all other items.</TD><TD>84 FR 54004, 10/9/19. 85 FR 44161, 7/22/20.</TD></TR>
<TR><TD></TD><TD>AGAT—Control Systems Holding JSC, a.k.a., the following two aliases: —AGAT—Control Systems; and —Agat Ltd. 117/1 Nezavisimosti Ave., Minsk, 220114, Belarus.</TD><TD>All items</TD><TD>Policy of denial.</TD><TD>87 FR 13048, 3/8/22</TD></TR>
</TABLE></DIV9></DIV5></ECFR>`
	ds, err := Parse([]byte(doc), "title-15.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entries) != 3 || ds.Lists[0].Published != "2026-07-07" {
		t.Fatalf("%d entries, published %q", len(ds.Entries), ds.Lists[0].Published)
	}
	a, h, g := ds.Entries[0], ds.Entries[1], ds.Entries[2]
	if a.Name != "Afghan-German Construction Company" || len(a.Addresses) != 2 || a.Addresses[1].Full != "Dasht Qala, Takhar Province, Afghanistan" {
		t.Errorf("afghan %q %q", a.Name, a.Addresses)
	}
	if a.LicensePolicy != "Presumption of denial." || !strings.Contains(a.Remarks, "footnote 1") {
		t.Errorf("afghan policy %q remarks %q", a.LicensePolicy, a.Remarks)
	}
	if h.Name != "Hangzhou Hikvision Digital Technology Co., Ltd." || len(h.Aliases) != 1 || h.Aliases[0].Full != "Hikvision" ||
		h.Addresses[0].Country != "CN" || len(h.FederalRegister) != 2 {
		t.Errorf("hikvision %+v", h)
	}
	if len(g.Aliases) != 2 || g.Aliases[0].Full != "AGAT—Control Systems" || g.Aliases[1].Full != "Agat Ltd." || g.Addresses[0].Country != "CN" {
		t.Errorf("agat %q %+v", g.Aliases, g.Addresses)
	}
}

// The law writes other and former names in parentheses after the name: they are aliases, and the name ends
// before them ("Rosneft", not "Rosneft (").
func TestParenthesisedAliasClause(t *testing.T) {
	for _, tc := range []struct {
		in, name string
		aliases  []string
		addr     string
	}{
		{"Rosneft (a.k.a. Open Joint-Stock Company Rosneft Oil Company), 26/1 Sofiyskaya Embankment, Moscow, 117997, Russia.",
			"Rosneft", []string{"Open Joint-Stock Company Rosneft Oil Company"}, "26/1 Sofiyskaya Embankment, Moscow, 117997, Russia"},
		{"Gaz-Oil, OOO (f.k.a., Zakrytoe Aktsionernoe Obshchestvo Gaz Oil), a.k.a., the following one alias: —Gaz Oil. Ul. Lenina 1, Moscow, Russia.",
			"Gaz-Oil, OOO", []string{"Zakrytoe Aktsionernoe Obshchestvo Gaz Oil", "Gaz Oil"}, "Ul. Lenina 1, Moscow, Russia"},
		{"Mesbah Energy Company (a.k.a. MEC; and Mesbah Energy), Tehran, Iran.",
			"Mesbah Energy Company", []string{"MEC", "Mesbah Energy"}, "Tehran, Iran"},
	} {
		e := parseEntity(tc.in, "RU")
		if e.name != tc.name || !slices.Equal(e.aliases, tc.aliases) || len(e.addresses) != 1 || e.addresses[0] != tc.addr {
			t.Errorf("parseEntity(%q) = %q %q %q", tc.in, e.name, e.aliases, e.addresses)
		}
	}
}

// An address listed as an entity of its own (the Hong Kong addresses of 89 FR 51652) is named by the whole
// cell, not "Address", and has the address as an alias.
func TestAddressEntry(t *testing.T) {
	e := parseEntity("Address 01, Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong.", "HK")
	const addr = "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong"
	if e.name != "Address 01, "+addr || len(e.addresses) != 1 || e.addresses[0] != addr || !slices.Equal(e.aliases, []string{addr}) {
		t.Errorf("address entry: %q %q %q", e.name, e.aliases, e.addresses)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"", "empty file"},
		{"<DIV5><P>x</P></DIV5>", "no Supplement No. 4"},
		{"<DIV9 N=\"Supplement No. 4 to Part 744\"><TABLE><TR><TD>X</TD><TD>Y</TD></TR></TABLE></DIV9>", "row with 2 cells"},
		{"<DIV9 N=\"Supplement No. 4 to Part 744\"><TR><TD></TD><TD>A, B</TD><TD/><TD/><TD/></TR></DIV9>", "blank country"},
		{"<DIV9 N=\"Supplement No. 4 to Part 744\"><TR>", "not well-formed"},
	} {
		_, err := Parse([]byte(c.doc), "x.xml")
		var pe *tradescreen.ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a ParseError with %q", c.doc, err, c.want)
		}
	}
}
