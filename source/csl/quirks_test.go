package csl

import (
	"reflect"
	"testing"

	"github.com/tradescreen/tradescreen"
)

func n(full string, typ tradescreen.NameType, note string) tradescreen.Name {
	return tradescreen.Name{Full: full, Type: typ, Note: note}
}

const (
	aka = tradescreen.NameAKA
	fka = tradescreen.NameFKA
	nka = tradescreen.NameNKA
)

// TestSplitName covers the name column forms of the real files (quoted from them) and the Federal Register
// "a.k.a., the following N aliases:" form of the Entity List.
func TestSplitName(t *testing.T) {
	cases := []struct {
		in      string
		primary string
		names   []tradescreen.Name
	}{
		{"Hangzhou Hikvision Digital Technology Co., Ltd.", "Hangzhou Hikvision Digital Technology Co., Ltd.", nil},
		{"Affiliated Supply and Consultancy Services", "Affiliated Supply and Consultancy Services", nil},
		{"Leon Technology Co., Ltd.,", "Leon Technology Co., Ltd.", nil}, // a trailing separator in the name column
		{"Chitron Electronics Company Ltd., a.k.a. Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)",
			"Chitron Electronics Company Ltd.", []tradescreen.Name{n("Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)", aka, "")}},
		{"Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)", "Far East Trading Company, Inc.", []tradescreen.Name{n("FETCO, Inc.", aka, "")}},
		{"Gazprom Dobycha Irkutsk, OOO (f.k.a., Otkrytoe Aktsionernoe Obshchestvo Irkutskgazprom)",
			"Gazprom Dobycha Irkutsk, OOO", []tradescreen.Name{n("Otkrytoe Aktsionernoe Obshchestvo Irkutskgazprom", fka, "")}},
		{"Mexpar International, Inc. (a.k.a. Pasadena Aerospace; Aviation Logistics and Supply)", "Mexpar International, Inc.",
			[]tradescreen.Name{n("Pasadena Aerospace", aka, ""), n("Aviation Logistics and Supply", aka, "")}},
		{"PEARL (A.K.A. NEI-CHIEN CHU) LI", "PEARL LI", []tradescreen.Name{n("NEI-CHIEN CHU", aka, "")}},
		{"Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.", "Huawei Marine Networks Co., Ltd.",
			[]tradescreen.Name{n("Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.", aka, "Affiliated Entity of Huawei Technologies Co., Ltd. (Huawei)")}},
		{"China Aerospace Science and Industry Corporation Second Academy. Subordinate Institution - 201 Research Institute", "201 Research Institute",
			[]tradescreen.Name{n("China Aerospace Science and Industry Corporation Second Academy. Subordinate Institution - 201 Research Institute", aka, "Subordinate Institution of China Aerospace Science and Industry Corporation Second Academy")}},
		{"Pakistan Atomic Energy Commission (PAEC), and subordinate entity National Development Complex (NDC)", "National Development Complex (NDC)",
			[]tradescreen.Name{n("Pakistan Atomic Energy Commission (PAEC), and subordinate entity National Development Complex (NDC)", aka, "Subordinate Entity of Pakistan Atomic Energy Commission (PAEC)")}},
		{"Guangzhou Hongyu Technology Co., Ltd. (a subordinate institute of CETC-7)", "Guangzhou Hongyu Technology Co., Ltd.",
			[]tradescreen.Name{n("Guangzhou Hongyu Technology Co., Ltd. (a subordinate institute of CETC-7)", aka, "a subordinate institute of CETC-7")}},
		// The Entity List's Federal Register form (not in the CSL files at hand; built after the eCFR wording).
		{"Beijing Example Technology Co., Ltd., a.k.a., the following three aliases: -Example Tech; -BET Co.; and -Beijing Example Science Ltd.",
			"Beijing Example Technology Co., Ltd.", []tradescreen.Name{n("Example Tech", aka, ""), n("BET Co.", aka, ""), n("Beijing Example Science Ltd.", aka, "")}},
		{"Example Aviation, a.k.a., the following two aliases: -Example Air; and -ExAv Logistics.", "Example Aviation",
			[]tradescreen.Name{n("Example Air", aka, ""), n("ExAv Logistics", aka, "")}},
		{"Example Trading LLC (n.k.a. New Example Trading LLC)", "Example Trading LLC", []tradescreen.Name{n("New Example Trading LLC", nka, "")}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			p, names := splitName(c.in)
			if p != c.primary || !reflect.DeepEqual(names, c.names) {
				t.Errorf("splitName(%q)\n = %q %+v\nwant %q %+v", c.in, p, names, c.primary, c.names)
			}
		})
	}
}

// TestSplitAltNames covers the alt_names forms of the real files.
func TestSplitAltNames(t *testing.T) {
	cases := []struct {
		in   string
		want []tradescreen.Name
	}{
		{"46 TsNII; and 46 TsNII MO RF", []tradescreen.Name{n("46 TsNII", aka, ""), n("46 TsNII MO RF", aka, "")}},
		{"Anvik Technologies; Hudson Technologies, Ltd.; and Montana Advanced Engineering",
			[]tradescreen.Name{n("Anvik Technologies", aka, ""), n("Hudson Technologies, Ltd.", aka, ""), n("Montana Advanced Engineering", aka, "")}},
		{"AO GosMKB Raduga IM. A.Ya.Bereznyaka,; -Joint Stock Company State Machine-Building Design Bureau Raduga,; MKB Raduga",
			[]tradescreen.Name{n("AO GosMKB Raduga IM. A.Ya.Bereznyaka", aka, ""), n("Joint Stock Company State Machine-Building Design Bureau Raduga", aka, ""), n("MKB Raduga", aka, "")}},
		{"Gazprom Neft OAO; JSC Gazprom Neft; f.k.a. Sibirskaya Neftyanaya Kompaniya OAO",
			[]tradescreen.Name{n("Gazprom Neft OAO", aka, ""), n("JSC Gazprom Neft", aka, ""), n("Sibirskaya Neftyanaya Kompaniya OAO", fka, "")}},
		{"IFD-Kapital; and Zakrytoe Aktsionernoe Obshchestvo 'IFD Kapital' (f.k.a., Zakrytoe Aktsionernoe Obshchestvo IFD Karital)",
			[]tradescreen.Name{n("IFD-Kapital", aka, ""), n("Zakrytoe Aktsionernoe Obshchestvo 'IFD Kapital'", aka, ""), n("Zakrytoe Aktsionernoe Obshchestvo IFD Karital", fka, "")}},
		{"China Shipbuilding Industry Group Co., Ltd. (CSIC) 12th Research Institute; and Thermal Processing Technology Research Institute, a.k.a., Hot Working Technology Research Institute.",
			[]tradescreen.Name{n("China Shipbuilding Industry Group Co., Ltd. (CSIC) 12th Research Institute", aka, ""), n("Thermal Processing Technology Research Institute", aka, ""), n("Hot Working Technology Research Institute", aka, "")}},
		{"ABDELNASSER, Hajji; ABD AL-NASR, Hajji", []tradescreen.Name{n("ABDELNASSER, Hajji", aka, ""), n("ABD AL-NASR, Hajji", aka, "")}},
	}
	for _, c := range cases {
		if got := splitAltNames(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitAltNames(%q)\n = %+v\nwant %+v", c.in, got, c.want)
		}
	}
}

// TestRepairText: the '?' and C1-control quirks, with the cases seen in the real files.
func TestRepairText(t *testing.T) {
	cases := map[string]string{
		"CAST Xi\u0092an Spaceflight Engine Factory":                    "CAST Xi'an Spaceflight Engine Factory",
		"HA\u0092Assif 19, Binyamina, IL":                               "HA'Assif 19, Binyamina, IL",
		"Xi?an Research Institute":                                      "Xi'an Research Institute",
		"No. 1 Chang?an Street, Tai?an, Yan?an":                         "No. 1 Chang'an Street, Tai'an, Yan'an",
		"Ahmad Assad Fa?ur":                                             "Ahmad Assad Fa'ur",
		"Jamal Jum?ah al-Shawi":                                         "Jamal Jum'ah al-Shawi",
		"Aviation Industry Corporation of China?s (AVIC) Institute 625": "Aviation Industry Corporation of China's (AVIC) Institute 625",
		"Donetsk People?s Republic":                                     "Donetsk People's Republic",
		"Centre d?Etudes et de Recherches Scientifiques (CERS)":         "Centre d'Etudes et de Recherches Scientifiques (CERS)",
		// kept: quotation marks, dashes, soft signs, Portuguese letters, digits
		"ZAO ?Institute Giprostroymost Saint-Petersburg?": "ZAO ?Institute Giprostroymost Saint-Petersburg?",
		"Khanty-Mansiyskiy Avtonomnyy okrug?Yugra":        "Khanty-Mansiyskiy Avtonomnyy okrug?Yugra",
		"Leningradskiy Bul?var, 5":                        "Leningradskiy Bul?var, 5",
		"Rua Jo?o Pessoa":                                 "Rua Jo?o Pessoa",
		"Telecomunicac?es de Angola":                      "Telecomunicac?es de Angola",
		"Floor 3?4":                                       "Floor 3?4",
		"?":                                               "?",
		"Who?":                                            "Who?",
	}
	for in, want := range cases {
		if got := repairText(in); got != want {
			t.Errorf("repairText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSplitFR: federal_register_notice forms seen in the real files.
func TestSplitFR(t *testing.T) {
	cases := map[string][]string{
		"84 FR 54002; 85 FR 44159":                                                   {"84 FR 54002", "85 FR 44159"},
		"84 FR 22961, 85 FR 29852, 85 FR 36720, 85 FR 51603 ":                        {"84 FR 22961", "85 FR 29852", "85 FR 36720", "85 FR 51603"},
		"68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07":           {"68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06", "72 F.R. 4236 1/30/07"},
		"46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81":                            {"46 F.R. 46154 9/17/81", "46 F.R. 19290 3/30/81"},
		"82 F.R. 61745 12/29/2017,  83F.R. 28801 6/21/2018, 84 F.R. 27233 6/12/2019": {"82 F.R. 61745 12/29/2017", "83F.R. 28801 6/21/2018", "84 F.R. 27233 6/12/2019"},
		"66 FR 24266, 77 FR 58006 (no. 182), 81 FR 64694":                            {"66 FR 24266", "77 FR 58006 (no. 182)", "81 FR 64694"},
		"77 FR 61249 No. 195":                                                        {"77 FR 61249 No. 195"},
		"79 FR  55608":                                                               {"79 FR  55608"},
		"Vol. 86, No. 71, 04/15/2021":                                                {"Vol. 86, No. 71, 04/15/2021"},
		"Notice 1958, Vol. 59, No. 44, 3/07/94":                                      {"Notice 1958, Vol. 59, No. 44, 3/07/94"},
		"76 F.R. 12345, 67890 1/1/2011":                                              {"76 F.R. 12345, 67890 1/1/2011"},
		"63 FR 64322 (11/19/98), 65 FR 14444 (03/17/00)":                             {"63 FR 64322 (11/19/98)", "65 FR 14444 (03/17/00)"},
		"": nil,
	}
	for in, want := range cases {
		if got := splitFR(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitFR(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseCSVIDs: both orders of the ids parts, with items quoted from the real files.
func TestParseCSVIDs(t *testing.T) {
	last := "CN, 91330000733796106P, Unified Social Credit Code (USCC); JO, 2014-08-30, 2009-08-31, K475336, Passport; " +
		"MM, 2017-01-16, 110364903, Registration Number; Male, Gender; " +
		"North Korea Sanctions Regulations, sections 510.201 and 510.210, Secondary sanctions risk:"
	wantLast := []recID{
		{Type: "Unified Social Credit Code (USCC)", Number: "91330000733796106P", Country: "CN"},
		{Type: "Passport", Number: "K475336", Country: "JO", IssueDate: "2009-08-31", ExpirationDate: "2014-08-30"},
		{Type: "Registration Number", Number: "110364903", Country: "MM", Note: "date 2017-01-16 (the CSL CSV does not say whether it is the issue or the expiry date)"},
		{Type: "Gender", Number: "Male"},
		{Type: "Secondary sanctions risk:", Number: "North Korea Sanctions Regulations, sections 510.201 and 510.210"},
	}
	if got := parseCSVIDs(last, false); !reflect.DeepEqual(got, wantLast) {
		t.Errorf("type last:\n got %+v\nwant %+v", got, wantLast)
	}
	first := "Passport, E590976, TN, 19 Jun 1987, 18 Jun 1992; Passport, 836238033, KP; Gender, Male; " +
		"Listing Date (CMIC), 2021-06-03; Passport, D000000483, Diplomatic, SY; Passport, 484824, EG, 18 Jan 1984"
	wantFirst := []recID{
		{Type: "Passport", Number: "E590976", Country: "TN", IssueDate: "19 Jun 1987", ExpirationDate: "18 Jun 1992"},
		{Type: "Passport", Number: "836238033", Country: "KP"},
		{Type: "Gender", Number: "Male"},
		{Type: "Listing Date (CMIC)", Number: "2021-06-03"},
		{Type: "Passport", Number: "D000000483, Diplomatic", Country: "SY"},
		{Type: "Passport", Number: "484824", Country: "EG", Note: "date 1984-01-18 (the CSL CSV does not say whether it is the issue or the expiry date)"},
	}
	if got := parseCSVIDs(first, true); !reflect.DeepEqual(got, wantFirst) {
		t.Errorf("type first:\n got %+v\nwant %+v", got, wantFirst)
	}
	vote := func(s string) bool {
		return idsTypeFirst([]csvRow{{fields: []string{s}}}, map[string]int{"ids": 0})
	}
	if vote(last) || !vote(first) {
		t.Errorf("order vote: last %v first %v", vote(last), vote(first))
	}
}

// TestAddresses: the trailing country code, a trailing country name, US addresses without a country, and the
// JSON parts.
func TestAddresses(t *testing.T) {
	cases := []struct {
		in   recAddress
		want tradescreen.Address
	}{
		{recAddress{Full: "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN"},
			tradescreen.Address{Full: "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", PostalCode: "310052", Country: "CN", CountryName: "CN"}},
		{recAddress{Full: "Billstrasse 123, Hamburg, Germany"}, tradescreen.Address{Full: "Billstrasse 123, Hamburg, Germany", Country: "DE", CountryName: "Germany"}},
		{recAddress{Full: "2948 PEASE DRIVE, APT. 201, ROCKY RIVER, OH, 44116"}, tradescreen.Address{Full: "2948 PEASE DRIVE, APT. 201, ROCKY RIVER, OH, 44116", PostalCode: "44116"}},
		{recAddress{Full: "1500 Qinjiagang Road, Room 112 & 6\nPudong New Area, Shanghai , CN"},
			tradescreen.Address{Full: "1500 Qinjiagang Road, Room 112 & 6 Pudong New Area, Shanghai , CN", Country: "CN", CountryName: "CN"}},
		{recAddress{Full: "and 51 Yongding Road, Haidian District, Beijing, China"},
			tradescreen.Address{Full: "51 Yongding Road, Haidian District, Beijing, China", Country: "CN", CountryName: "China"}},
		{recAddress{Full: "SY"}, tradescreen.Address{Full: "SY", Country: "SY", CountryName: "SY"}},
		{recAddress{Address: "No. 555 Qianmo Road", City: "Hangzhou", PostalCode: "310052", Country: "CN"},
			tradescreen.Address{Full: "No. 555 Qianmo Road, Hangzhou, 310052, CN", Street: "No. 555 Qianmo Road", City: "Hangzhou", PostalCode: "310052", Country: "CN", CountryName: "CN"}},
	}
	for _, c := range cases {
		got, ok := mapAddress(c.in)
		if !ok || got != c.want {
			t.Errorf("mapAddress(%+v)\n = %+v\nwant %+v", c.in, got, c.want)
		}
	}
}

func TestKindOf(t *testing.T) {
	cases := []struct {
		typ, code string
		want      tradescreen.Kind
	}{
		{"Individual", "us_sdn", "person"}, {"Entity", "us_ssi", "organization"}, {"Vessel", "us_sdn", "vessel"},
		{"Aircraft", "us_sdn", "aircraft"}, {"", "us_el", "organization"}, {"", "us_meu", "organization"},
		{"", "us_uvl", "organization"}, {"", "us_dpl", "unknown"}, {"", "us_dtc", "unknown"}, {"", "us_isn", "unknown"},
	}
	for _, c := range cases {
		if got := kindOf(c.typ, c.code); got != c.want {
			t.Errorf("kindOf(%q, %q) = %q, want %q", c.typ, c.code, got, c.want)
		}
	}
}

func TestScriptOf(t *testing.T) {
	cases := map[string]string{
		"杭州海康威视数字技术股份有限公司": "Han", "Газпром нефть": "Cyrillic", "شركة": "Arabic", "Hikvision": "", "Société Générale": "",
	}
	for in, want := range cases {
		if got := scriptOf(in); got != want {
			t.Errorf("scriptOf(%q) = %q, want %q", in, got, want)
		}
	}
}
