package csl

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

const lists = "../../testdata/lists/csl/"

// The real files are parsed once and shared by the tests.
var (
	realOnce sync.Once
	realDS   map[string]*source.Dataset
	realErr  map[string]error
)

func realFile(t *testing.T, name string) *source.Dataset {
	t.Helper()
	realOnce.Do(func() {
		realDS, realErr = map[string]*source.Dataset{}, map[string]error{}
		for _, f := range []string{"consolidated_2019-12_sample.csv", "consolidated_2022-05-16.csv.gz", "consolidated_2025-06_sample.csv"} {
			realDS[f], realErr[f] = Open(lists + f)
		}
		// The 2023 subset is cut off in the middle of its last record (see TestTruncatedRealFile); its complete
		// records are read from the bytes up to the last line break.
		b := gunzip(t, lists+"consolidated_2023-11_subset.csv.gz")
		f := "consolidated_2023-11_subset.csv (complete records)"
		realDS[f], realErr[f] = Parse(b[:bytes.LastIndexByte(b, '\n')+1], f)
	})
	if err := realErr[name]; err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return realDS[name]
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestRealFiles parses every real CSL file with exact counts. The expected counts were obtained
// independently of this package:
//   - per list: `zcat FILE | grep -c '^[^,]*,<source name> - '` counts the rows of each source (the source
//     column is on the first line of every record; 2022: "Entity List (EL)" 2001, "Denied Persons List (DPL)"
//     462, "Specially Designated Nationals (SDN)" 10026, "ITAR Debarred (DTC)" 727, all 13 sources 14160), and
//     Python's csv module (csv.reader over the decompressed text, header rows and short rows excluded, then
//     collections.Counter over the source column) gives the same numbers for every file;
//   - kinds: the Counter of (source, type) pairs from the same Python pass: 2022 has Individual 5206 SDN + 78
//     PLC + 2 FSE = 5286 persons; Entity 4104 SDN + 290 SSI + 68 CMIC + 53 CAP + 17 MBS + 1 FSE plus the
//     untyped EL 2001 + MEU 71 + UVL 201 = 6806 organizations; 433 vessels; 283 aircraft; untyped DPL 462 +
//     DTC 727 + ISN 163 = 1352 unknown;
//   - publication date: the largest start_date (Python max over the column) and, for the 2022 file, the
//     gzip header MTIME (2022-05-16 18:22:28 UTC, read with Python struct from bytes 4-8).
func TestRealFiles(t *testing.T) {
	cases := []struct {
		file      string
		path      string // for the SHA-256; empty when the bytes were cut
		total     int
		perList   map[string]int
		kinds     map[tradescreen.Kind]int
		published string
		gzipDate  bool
	}{
		{
			file: "consolidated_2019-12_sample.csv", path: lists + "consolidated_2019-12_sample.csv", total: 115,
			perList: map[string]int{"us_el": 22, "us_dpl": 8, "us_uvl": 4, "us_sdn": 28, "us_ssi": 26, "us_plc": 13,
				"us_cap": 1, "us_isn": 3, "us_dtc": 10},
			// Individual 7 SDN + 13 PLC; Entity 19 SDN + 26 SSI + 1 CAP + untyped 22 EL + 4 UVL; Vessel 2;
			// untyped DPL 8 + DTC 10 + ISN 3.
			kinds: map[tradescreen.Kind]int{"person": 20, "organization": 72, "vessel": 2, "unknown": 21},
			// largest start_date 2019-08-13; no gzip header
			published: "2019-08-13",
		},
		{
			file: "consolidated_2022-05-16.csv.gz", path: lists + "consolidated_2022-05-16.csv.gz", total: 14160,
			perList: map[string]int{"us_el": 2001, "us_dpl": 462, "us_uvl": 201, "us_meu": 71, "us_sdn": 10026,
				"us_ssi": 290, "us_fse": 3, "us_plc": 78, "us_cap": 53, "us_mbs": 17, "us_cmic": 68, "us_isn": 163,
				"us_dtc": 727},
			kinds:     map[tradescreen.Kind]int{"person": 5286, "organization": 6806, "vessel": 433, "aircraft": 283, "unknown": 1352},
			published: "2022-05-16", gzipDate: true, // gzip MTIME 2022-05-16, later than the largest start_date 2022-04-21
		},
		{
			// 4,228 rows after the header: the header repeated on line 2, 4,226 complete records, and the
			// truncated record at line 4233 that is cut off here.
			file: "consolidated_2023-11_subset.csv (complete records)", total: 4226,
			perList: map[string]int{"us_el": 919, "us_dpl": 577, "us_uvl": 186, "us_meu": 71, "us_sdn": 1737,
				"us_ssi": 288, "us_fse": 1, "us_plc": 78, "us_cap": 1, "us_mbs": 14, "us_cmic": 68, "us_isn": 144,
				"us_dtc": 142},
			// Individual 1046 SDN (1 of them truncated) + 78 PLC + 1 FSE; Entity 689 SDN + 288 SSI + 68 CMIC
			// + 14 MBS + 1 CAP + EL 919 + MEU 71 + UVL 186; Vessel 3 SDN; DPL 577 + ISN 144 + DTC 142.
			kinds:     map[tradescreen.Kind]int{"person": 1045 + 78 + 1, "organization": 689 + 288 + 68 + 14 + 1 + 919 + 71 + 186, "vessel": 3, "unknown": 577 + 144 + 142},
			published: "2023-11-16",
		},
		{
			file: "consolidated_2025-06_sample.csv", path: lists + "consolidated_2025-06_sample.csv", total: 13,
			perList: map[string]int{"us_el": 1, "us_dpl": 1, "us_uvl": 1, "us_meu": 1, "us_sdn": 1, "us_ssi": 3,
				"us_fse": 1, "us_plc": 2, "us_isn": 1, "us_dtc": 1},
			kinds:     map[tradescreen.Kind]int{"person": 4, "organization": 6, "unknown": 3},
			published: "2023-07-19",
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			ds := realFile(t, c.file)
			if len(ds.Entries) != c.total {
				t.Fatalf("entries = %d, want %d", len(ds.Entries), c.total)
			}
			got := map[string]int{}
			kinds := map[tradescreen.Kind]int{}
			keys := map[string]bool{}
			for i := range ds.Entries {
				e := &ds.Entries[i]
				got[e.Source]++
				kinds[e.Kind]++
				if keys[e.Key()] {
					t.Errorf("duplicate key %s", e.Key())
				}
				keys[e.Key()] = true
				if e.Name == "" || e.SourceID == "" || !json.Valid(e.Raw) || len(e.Raw) == 0 || e.Raw[0] != '{' {
					t.Errorf("entry %s: empty name or source_id, or Raw not a JSON object: %+v", e.Key(), e)
				}
			}
			if !reflect.DeepEqual(got, c.perList) {
				t.Errorf("per list = %v, want %v", got, c.perList)
			}
			if !reflect.DeepEqual(kinds, c.kinds) {
				t.Errorf("kinds = %v, want %v", kinds, c.kinds)
			}
			if len(ds.Lists) != len(c.perList) {
				t.Errorf("%d list versions, want %d", len(ds.Lists), len(c.perList))
			}
			var sum string
			if c.path != "" {
				sum = fileSHA(t, c.path)
			}
			for _, lv := range ds.Lists {
				if lv.Entries != c.perList[lv.Source] {
					t.Errorf("%s: ListVersion.Entries = %d, want %d", lv.Source, lv.Entries, c.perList[lv.Source])
				}
				var es []tradescreen.Entry
				for _, e := range ds.Entries {
					if e.Source == lv.Source {
						es = append(es, e)
					}
				}
				if lv.Names != source.CountNames(es) || lv.Names < lv.Entries {
					t.Errorf("%s: Names = %d, want %d", lv.Source, lv.Names, source.CountNames(es))
				}
				if lv.Published != c.published || lv.PublishedNote == "" {
					t.Errorf("%s: Published = %q (%s), want %q", lv.Source, lv.Published, lv.PublishedNote, c.published)
				}
				if c.gzipDate != strings.Contains(lv.PublishedNote, "gzip") {
					t.Errorf("%s: PublishedNote = %q", lv.Source, lv.PublishedNote)
				}
				if lv.Format != "csl" || lv.Origin != c.file || !lv.Loaded.IsZero() {
					t.Errorf("%s: Format %q Origin %q Loaded %v", lv.Source, lv.Format, lv.Origin, lv.Loaded)
				}
				if sum != "" && lv.SHA256 != sum {
					t.Errorf("%s: SHA256 = %s, want %s", lv.Source, lv.SHA256, sum)
				}
			}
			// Lists come in the order of tradescreen.Sources.
			order := map[string]int{}
			for i, s := range tradescreen.Sources {
				order[s.Code] = i
			}
			if !sort.SliceIsSorted(ds.Lists, func(i, j int) bool { return order[ds.Lists[i].Source] < order[ds.Lists[j].Source] }) {
				t.Errorf("lists not in Sources order")
			}
		})
	}
}

func find(t *testing.T, ds *source.Dataset, code, name string) *tradescreen.Entry {
	t.Helper()
	for i := range ds.Entries {
		if ds.Entries[i].Source == code && ds.Entries[i].Name == name {
			return &ds.Entries[i]
		}
	}
	t.Fatalf("no %s entry named %q", code, name)
	return nil
}

func findKey(t *testing.T, ds *source.Dataset, code, id string) *tradescreen.Entry {
	t.Helper()
	for i := range ds.Entries {
		if ds.Entries[i].Source == code && ds.Entries[i].SourceID == id {
			return &ds.Entries[i]
		}
	}
	t.Fatalf("no entry %s/%s", code, id)
	return nil
}

// TestEntityList84FR54002 checks the 28 entities of the 8 October 2019 Entity List rule (84 FR 54002): the
// Xinjiang People's Government Public Security Bureau, 18 municipal and prefectural bureaus, the Xinjiang
// Police College, and eight companies. In this CSL snapshot 27 of them cite "84 FR 54002"; the Shihezi
// Municipality Public Security Bureau cites the page of the rule it appears on, "84 FR 54004" (as do three
// companies added later whose CSL rows also carry start_date 2019-10-09). Counted with
// `zcat consolidated_2022-05-16.csv.gz | grep -c '84 FR 54002'` (27) and a grep of the 28 names.
func TestEntityList84FR54002(t *testing.T) {
	ds := realFile(t, "consolidated_2022-05-16.csv.gz")
	want := []string{
		"Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau",
		"Aksu District Public Security Bureau", "Altay Municipality Public Security Bureau",
		"Bayingolin Mongolian Autonomous Prefecture Public Security Bureau",
		"Boertala Mongolian Autonomous Prefecture Public Security Bureau",
		"Changji Hui Autonomous Prefecture Public Security Bureau", "Hami Municipality Public Security Bureau",
		"Hetian Prefecture Public Security Bureau", "Kashgar Prefecture Public Security Bureau",
		"Kelamayi Municipality Public Security Bureau",
		"Kezilesu Kyrgyz Autonomous Prefecture Public Security Bureau", "Shihezi Municipality Public Security Bureau",
		"Tacheng Prefecture Public Security Bureau", "Tumushuke Municipal Public Security Bureau",
		"Turfan Municipality Public Security Bureau", "Urumqi Municipal Public Security Bureau",
		"Wujiaqu Municipality Public Security Bureau", "Yili Kazakh Autonomous Prefecture Public Security Bureau",
		"Xinjiang Production and Construction Corps (XPCC) Public Security Bureau", "Xinjiang Police College",
		"Hangzhou Hikvision Digital Technology Co., Ltd.", "Dahua Technology", "IFLYTEK", "Megvii Technology",
		"Beijing Sensetime Technology Development Co., Ltd.", "Xiamen Meiya Pico Information Co. Ltd.",
		"Yitu Technologies", "Yixin Science and Technology Co. Ltd.",
	}
	if len(want) != 28 {
		t.Fatalf("test lists %d names", len(want))
	}
	cited := 0
	for _, e := range ds.Entries {
		if contains(e.FederalRegister, "84 FR 54002") {
			cited++
			if e.Source != "us_el" || e.StartDate != "2019-10-09" {
				t.Errorf("%s: source %s start %s", e.Name, e.Source, e.StartDate)
			}
		}
	}
	if cited != 27 {
		t.Errorf("%d entries cite 84 FR 54002, want 27", cited)
	}
	for _, n := range want {
		e := find(t, ds, "us_el", n)
		if e.StartDate != "2019-10-09" || e.Kind != tradescreen.KindOrganization {
			t.Errorf("%s: start %q kind %q", n, e.StartDate, e.Kind)
		}
		fr := "84 FR 54002"
		if strings.HasPrefix(n, "Shihezi") {
			fr = "84 FR 54004"
		}
		if !contains(e.FederalRegister, fr) || !contains(e.FederalRegister, "85 FR 44159") {
			t.Errorf("%s: FederalRegister = %q", n, e.FederalRegister)
		}
		if !strings.HasPrefix(e.LicenseRequirement, "For all items subject to the EAR") {
			t.Errorf("%s: LicenseRequirement = %q", n, e.LicenseRequirement)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestHikvision(t *testing.T) {
	ds := realFile(t, "consolidated_2022-05-16.csv.gz")
	e := findKey(t, ds, "us_el", "f095626c9f8becc70b5948507fb6de6e443b257a")
	want := tradescreen.Entry{
		Source: "us_el", SourceID: "f095626c9f8becc70b5948507fb6de6e443b257a", Kind: tradescreen.KindOrganization,
		Name:    "Hangzhou Hikvision Digital Technology Co., Ltd.",
		Aliases: []tradescreen.Name{{Full: "Hikvision", Type: tradescreen.NameAKA}},
		Addresses: []tradescreen.Address{
			{Full: "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", PostalCode: "310052", Country: "CN", CountryName: "CN"},
			{Full: "23rd Floor, Block A, Yingke Plaza, No. 217 Gaoxin Street, Gaoxin District, Urumqi, CN", Country: "CN", CountryName: "CN"},
			{Full: "700 Dongliu Road, Binjiang District, Hanzhou, CN", Country: "CN", CountryName: "CN"},
		},
		LicenseRequirement: "For all items subject to the EAR.  (See §744.11 of the EAR)",
		LicensePolicy: "Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, and 2E983, " +
			"and for EAR99 items described in the Note to ECCN 1A995; case-by-case review for items necessary to detect, " +
			"identify and treat infectious disease; and presumption of denial for all other items subject to the EAR.",
		FederalRegister: []string{"84 FR 54002", "85 FR 44159"},
		StartDate:       "2019-10-09",
		SourceListURL:   "http://bit.ly/1L47xrV",
		SourceInfoURL:   "http://bit.ly/1L47xrV",
	}
	got := *e
	got.Raw = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Hikvision:\n got %+v\nwant %+v", got, want)
	}
	var raw map[string]string
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["_id"] != want.SourceID || raw["federal_register_notice"] != "84 FR 54002; 85 FR 44159" || raw["alt_names"] != "Hikvision" ||
		raw["source"] != "Entity List (EL) - Bureau of Industry and Security" || len(raw) != 11 {
		t.Errorf("Raw = %s", e.Raw)
	}

	// The same company on the CMIC list: type-last ids with a leading country code.
	c := findKey(t, ds, "us_cmic", "30946")
	if c.Name != "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." || c.Kind != tradescreen.KindOrganization ||
		!reflect.DeepEqual(c.Programs, []string{"CMIC-EO13959"}) {
		t.Errorf("CMIC Hikvision: %+v", c)
	}
	if len(c.Identifiers) != 8 || c.Identifiers[0] != (tradescreen.Identifier{Type: "Unified Social Credit Code (USCC)", Number: "91330000733796106P", Country: "CN"}) ||
		c.Identifiers[1] != (tradescreen.Identifier{Type: "Equity Ticker", Number: "002415 CN"}) ||
		c.Identifiers[5] != (tradescreen.Identifier{Type: "Listing Date (CMIC)", Number: "03 Jun 2021"}) {
		t.Errorf("CMIC Hikvision ids: %+v", c.Identifiers)
	}
}

// TestRealRecords checks famous or quirky records of the real files field by field.
func TestRealRecords(t *testing.T) {
	ds := realFile(t, "consolidated_2022-05-16.csv.gz")
	t.Run("SDN person with passport dates", func(t *testing.T) {
		e := findKey(t, ds, "us_sdn", "17291")
		if e.Name != "'ABD AL-SALAM, 'Abd al-Malik Muhammad Yusuf 'Uthman" || e.Kind != tradescreen.KindPerson {
			t.Errorf("name/kind: %q %q", e.Name, e.Kind)
		}
		wantAliases := []string{"'ABD-AL-SALAM, 'Abd al-Malik Muhammad Yusif", "'Umar al-Qatari", "'Umar al-Tayyar"}
		if names(e.Aliases) != strings.Join(wantAliases, "|") {
			t.Errorf("aliases = %s", names(e.Aliases))
		}
		wantIDs := []tradescreen.Identifier{
			{Type: "National ID No.", Number: "28940000602", Country: "QA"},
			// OFAC: "Passport K475336 (Jordan) issued 31 Aug 2009 expires 30 Aug 2014"
			{Type: "Passport", Number: "K475336", Country: "JO", Issued: "2009-08-31", Expires: "2014-08-30"},
		}
		if !reflect.DeepEqual(e.Identifiers, wantIDs) {
			t.Errorf("ids = %+v", e.Identifiers)
		}
		if !reflect.DeepEqual(e.BirthDates, []string{"1989-07-13"}) || !reflect.DeepEqual(e.Nationalities, []string{"JO"}) ||
			!reflect.DeepEqual(e.Programs, []string{"SDGT"}) {
			t.Errorf("dob %v nat %v programs %v", e.BirthDates, e.Nationalities, e.Programs)
		}
	})
	t.Run("SDN vessel", func(t *testing.T) {
		e := findKey(t, ds, "us_sdn", "23156")
		if e.Name != "7-28" || e.Kind != tradescreen.KindVessel || e.Vessel == nil || e.Vessel.Flag != "Democratic People's Republic of Korea" {
			t.Errorf("vessel: %+v %+v", e, e.Vessel)
		}
		if e.Identifiers[0] != (tradescreen.Identifier{Type: "Vessel Registration Identification", Number: "IMO 8898831"}) ||
			e.Identifiers[1] != (tradescreen.Identifier{Type: "Secondary sanctions risk:", Number: "North Korea Sanctions Regulations, sections 510.201 and 510.210"}) {
			t.Errorf("vessel ids: %+v", e.Identifiers)
		}
		if e.Remarks != "(Linked To: YUSONG SHIPPING CO)" {
			t.Errorf("remarks %q", e.Remarks)
		}
	})
	t.Run("SDN aircraft", func(t *testing.T) {
		e := findKey(t, ds, "us_sdn", "15445")
		if e.Name != "EK-30064" || e.Kind != tradescreen.KindAircraft || !reflect.DeepEqual(e.Programs, []string{"SDGT", "NPWMD", "IFSR"}) {
			t.Errorf("aircraft: %+v", e)
		}
	})
	t.Run("Huawei affiliated entity", func(t *testing.T) {
		e := find(t, ds, "us_el", "Huawei Marine Networks Co., Ltd.")
		if len(e.Aliases) == 0 || e.Aliases[0] != (tradescreen.Name{
			Full: "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.",
			Type: tradescreen.NameAKA, Note: "Affiliated Entity of Huawei Technologies Co., Ltd. (Huawei)",
		}) {
			t.Errorf("aliases: %+v", e.Aliases)
		}
		var raw map[string]string
		_ = json.Unmarshal(e.Raw, &raw)
		if raw["name"] != "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd." {
			t.Errorf("Raw name = %q", raw["name"])
		}
	})
	t.Run("DPL name with a.k.a. inside", func(t *testing.T) {
		e := findKey(t, ds, "us_dpl", "aa0909588db4f417dc90b322d2e723ec68555051")
		if e.Name != "PEARL LI" || names(e.Aliases) != "NEI-CHIEN CHU" || e.Kind != tradescreen.KindUnknown ||
			e.StandardOrder != "Y" || e.EndDate != "2026-06-23" || !reflect.DeepEqual(e.FederalRegister, []string{"71 F.R. 38363 7/6/06"}) {
			t.Errorf("PEARL LI: %+v", e)
		}
		if e.Addresses[0].Country != "US" || e.Addresses[0].PostalCode != "08054" {
			t.Errorf("address %+v", e.Addresses[0])
		}
	})
	t.Run("DPL citations without separators", func(t *testing.T) {
		e := findKey(t, ds, "us_dpl", "deb7a1d5743a85c354ca1a2c7f2664e2104b32d7")
		if e.Name != "I. ASH" || !reflect.DeepEqual(e.FederalRegister, []string{"68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06", "72 F.R. 4236 1/30/07"}) {
			t.Errorf("I. ASH: %q %q", e.Name, e.FederalRegister)
		}
	})
	t.Run("C1 control for an apostrophe", func(t *testing.T) {
		e := find(t, ds, "us_meu", "CAST Xi'an Spaceflight Engine Factory")
		if !strings.Contains(string(e.Raw), "Xi\u0092an") {
			t.Errorf("Raw lost the original: %s", e.Raw)
		}
	})
	t.Run("name with a line break", func(t *testing.T) {
		e := find(t, ds, "us_isn", "Gaobeidian Kaituo Precise Instrument Co. Ltd")
		if !reflect.DeepEqual(e.FederalRegister, []string{"Vol. 85, No. 193, 10/05/2020"}) || e.Kind != tradescreen.KindUnknown {
			t.Errorf("%+v", e)
		}
	})
	t.Run("repeated _id", func(t *testing.T) {
		a := findKey(t, ds, "us_cap", "15268")
		b := findKey(t, ds, "us_cap", "15268#2")
		if a.Name != "BANK OF KUNLUN CO LTD" || b.Name != a.Name || a.SourceListURL != "" || b.SourceListURL != "http://bit.ly/1QWTIfE" {
			t.Errorf("%+v / %+v", a, b)
		}
		if len(a.Addresses) != 4 || a.Addresses[0].Full != "172 Xibin Rd, Ranghulu District, (Daqing, Heilongjiang Branch), Daqing, 163453, CN" ||
			a.Identifiers[0] != (tradescreen.Identifier{Type: "SWIFT/BIC", Number: "CKLBCNBJ"}) {
			t.Errorf("%+v", a)
		}
	})

	old := realFile(t, "consolidated_2019-12_sample.csv")
	t.Run("older layout: entity_number or hash as source_id", func(t *testing.T) {
		n := 0
		for _, e := range old.Entries {
			var raw map[string]string
			_ = json.Unmarshal(e.Raw, &raw)
			if _, ok := raw["_id"]; ok {
				t.Fatalf("older layout has no _id: %s", e.Raw)
			}
			if en := raw["entity_number"]; en != "" {
				if e.SourceID != en {
					t.Errorf("source_id %q, entity_number %q", e.SourceID, en)
				}
			} else if !strings.HasPrefix(e.SourceID, "h") || len(e.SourceID) != 21 {
				t.Errorf("hash source_id %q", e.SourceID)
			} else {
				n++
			}
		}
		// 47 rows have no entity_number (Python: sum(1 for r in rows if not r['entity_number'])).
		if n != 47 {
			t.Errorf("%d hashed ids, want 47", n)
		}
		again, _ := Open(lists + "consolidated_2019-12_sample.csv")
		if again.Entries[0].SourceID != old.Entries[0].SourceID {
			t.Errorf("hash ids are not stable")
		}
	})
	t.Run("older layout: HA\u0092Assif", func(t *testing.T) {
		e := find(t, old, "us_el", "A. Leib Ltd.")
		if e.Addresses[0].Full != "HA'Assif 19, Binyamina, IL" || e.Addresses[0].Country != "IL" {
			t.Errorf("%+v", e.Addresses)
		}
	})

	cur := realFile(t, "consolidated_2025-06_sample.csv")
	t.Run("current layout: type-first ids", func(t *testing.T) {
		e := findKey(t, cur, "us_sdn", "52291")
		if e.Name != "RIM, Ryong Nam" || e.Gender != "Male" || e.Identifiers[0] != (tradescreen.Identifier{Type: "Passport", Number: "836238033", Country: "KP"}) ||
			e.Identifiers[1] != (tradescreen.Identifier{Type: "Secondary sanctions risk:", Number: "North Korea Sanctions Regulations, sections 510.201 and 510.210"}) {
			t.Errorf("%+v", e)
		}
		if !reflect.DeepEqual(e.BirthDates, []string{"1978-12-05"}) || e.Addresses[0].Full != "Shenyang, CN" || e.Addresses[1].Country != "KP" {
			t.Errorf("%+v", e)
		}
	})
	t.Run("current layout: ISN", func(t *testing.T) {
		e := find(t, cur, "us_isn", "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof")
		if e.SourceID != "233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b" || !reflect.DeepEqual(e.FederalRegister, []string{"Vol. 88, No. 151, 08/08/2023"}) ||
			e.StartDate != "2023-07-19" || !reflect.DeepEqual(e.Programs, []string{"INKSNA"}) {
			t.Errorf("%+v", e)
		}
	})
}

func names(ns []tradescreen.Name) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Full
	}
	return strings.Join(out, "|")
}

// TestTruncatedRealFile: the 2023 subset ends in the middle of a quoted addresses field of its last record.
func TestTruncatedRealFile(t *testing.T) {
	_, err := Open(lists + "consolidated_2023-11_subset.csv.gz")
	var pe *tradescreen.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a ParseError", err)
	}
	// `zcat ... | grep -n '^"11476"'` gives line 4233; the record is cut inside its eighth column.
	if pe.File != "consolidated_2023-11_subset.csv.gz" || pe.Line != 4233 || pe.Field != "addresses" || !strings.Contains(pe.Msg, "truncated") {
		t.Errorf("err = %v", err)
	}
}

func TestRegistered(t *testing.T) {
	f, ok := source.Lookup("csl")
	if !ok || f.Open == nil || f.Description == "" {
		t.Fatal("csl not registered")
	}
	ds, err := source.Open("csl", lists+"consolidated_2025-06_sample.csv")
	if err != nil || len(ds.Entries) != 13 {
		t.Fatalf("source.Open: %v", err)
	}
	if _, err := Open("testdata/does-not-exist.csv"); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("missing file: %v", err)
	}
}
