package un

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

const listsDir = "../../testdata/lists/"

// Expected record counts of the real files. They were counted independently of this package on the
// decompressed files with
//
//	zcat FILE | grep -c '<INDIVIDUAL>'   and   zcat FILE | grep -c '<ENTITY>'
//
// (cross-checked with grep -o ... | wc -l, since a line could hold several records, and with Python's
// ElementTree: len(root.findall("INDIVIDUALS/INDIVIDUAL"))). The published date is the date part of the root
// element's dateGenerated attribute, read with head -c 400.
var realFiles = []struct {
	file        string
	individuals int
	entities    int
	published   string
}{
	{"un/consolidated_2018-06-07.xml.gz", 693, 405, "2018-06-07"}, // dateGenerated="2018-06-07T19:03:43.97-04:00"
	{"un/consolidated_2018-10-29.xml.gz", 703, 390, "2018-10-29"}, // dateGenerated="2018-10-29T19:09:49.856-04:00"
	{"un/consolidated_2026-02-27.xml.gz", 730, 273, "2026-02-27"}, // dateGenerated="2026-02-27T00:00:09.554Z"
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*source.Dataset{}
)

// load opens a real file once per test binary.
func load(t *testing.T, file string) *source.Dataset {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if ds, ok := cache[file]; ok {
		return ds
	}
	ds, err := Open(listsDir + file)
	if err != nil {
		t.Fatalf("Open(%s): %v", file, err)
	}
	cache[file] = ds
	return ds
}

func find(t *testing.T, ds *source.Dataset, id string) tradescreen.Entry {
	t.Helper()
	for _, e := range ds.Entries {
		if e.SourceID == id {
			return e
		}
	}
	t.Fatalf("entry %s not found", id)
	return tradescreen.Entry{}
}

func TestRegistered(t *testing.T) {
	f, ok := source.Lookup("un")
	if !ok || f.Open == nil || f.Description == "" {
		t.Fatalf("format un not registered: %+v", f)
	}
}

func TestRealFiles(t *testing.T) {
	for _, tc := range realFiles {
		t.Run(tc.file, func(t *testing.T) {
			ds := load(t, tc.file)
			persons, orgs := 0, 0
			ids := map[string]bool{}
			for _, e := range ds.Entries {
				switch e.Kind {
				case tradescreen.KindPerson:
					persons++
				case tradescreen.KindOrganization:
					orgs++
				default:
					t.Errorf("%s: kind %q", e.SourceID, e.Kind)
				}
				if e.Source != "un_sc" || e.SourceID == "" || e.Name == "" {
					t.Errorf("incomplete entry: %q %q %q", e.Source, e.SourceID, e.Name)
				}
				if ids[e.SourceID] {
					t.Errorf("duplicate source id %s", e.SourceID)
				}
				ids[e.SourceID] = true
				if len(e.Programs) != 1 {
					t.Errorf("%s: programs %v", e.SourceID, e.Programs)
				}
				if !isFullDate(e.ListedOn) {
					t.Errorf("%s: listed_on %q is not YYYY-MM-DD", e.SourceID, e.ListedOn)
				}
				var raw map[string]any
				if err := json.Unmarshal(e.Raw, &raw); err != nil {
					t.Fatalf("%s: raw is not JSON: %v", e.SourceID, err)
				}
				if raw["REFERENCE_NUMBER"] != e.SourceID {
					t.Errorf("%s: raw REFERENCE_NUMBER %v", e.SourceID, raw["REFERENCE_NUMBER"])
				}
				for _, a := range e.Aliases {
					if a.Full == "" || strings.EqualFold(a.Full, e.Name) {
						t.Errorf("%s: empty or repeated alias %+v", e.SourceID, a)
					}
				}
			}
			if persons != tc.individuals || orgs != tc.entities {
				t.Errorf("got %d individuals and %d entities, want %d and %d", persons, orgs, tc.individuals, tc.entities)
			}
			if len(ds.Lists) != 1 {
				t.Fatalf("got %d list versions, want 1", len(ds.Lists))
			}
			b, err := os.ReadFile(listsDir + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			lv := ds.Lists[0]
			want := tradescreen.ListVersion{
				Source: "un_sc", Published: tc.published, Entries: tc.individuals + tc.entities,
				Names: source.CountNames(ds.Entries), Origin: tc.file[len("un/"):], Format: "un",
				SHA256: hex.EncodeToString(sum[:]),
			}
			if !reflect.DeepEqual(lv, want) {
				t.Errorf("list version\n got %+v\nwant %+v", lv, want)
			}
		})
	}
}

// TestZawahiri checks an Al-Qaida individual of the 2026 list field by field against the XML record
// (REFERENCE_NUMBER QDi.006).
func TestZawahiri(t *testing.T) {
	e := find(t, load(t, realFiles[2].file), "QDi.006")
	if e.Name != "AIMAN MUHAMMED RABI AL-ZAWAHIRI" || e.Kind != tradescreen.KindPerson {
		t.Errorf("name/kind: %q %q", e.Name, e.Kind)
	}
	wantAliases := []tradescreen.Name{
		{Full: "أيمن محمد ربيع الظواهري", Type: "aka", Script: "Arabic"}, // NAME_ORIGINAL_SCRIPT
		{Full: "Ayman Al-Zawahari", Type: "aka"},
		{Full: "Ahmed Fuad Salim", Type: "aka"},
		{Full: "Al Zawahry Aiman Mohamed Rabi Abdel Muaz", Type: "aka"},
		{Full: "Al Zawahiri Ayman", Type: "aka"},
		{Full: "Abdul Qader Abdul Aziz Abdul Moez Al Doctor", Type: "aka"},
		{Full: "Al Zawahry Aiman Mohamed Rabi", Type: "aka"},
		{Full: "Al Zawahry Aiman Mohamed Rabie", Type: "aka"},
		{Full: "Al Zawahry Aiman Mohamed Robi", Type: "aka"},
		{Full: "Dhawahri Ayman", Type: "aka"},
		{Full: "Eddaouahiri Ayman", Type: "aka"},
		{Full: "Nur Al Deen Abu Mohammed", Type: "aka"},
		{Full: "Ayman Al Zawahari", Type: "aka"},
		{Full: "Ahmad Fuad Salim", Type: "aka"},
		{Full: "Abu Fatma", Type: "weak_aka"}, // QUALITY Low
		{Full: "Abu Mohammed", Type: "weak_aka"},
	}
	if !reflect.DeepEqual(e.Aliases, wantAliases) {
		t.Errorf("aliases\n got %+v\nwant %+v", e.Aliases, wantAliases)
	}
	wantIDs := []tradescreen.Identifier{
		{Type: "Passport", Number: "1084010", Country: "EG"},
		{Type: "Passport", Number: "19820215"},
	}
	if !reflect.DeepEqual(e.Identifiers, wantIDs) {
		t.Errorf("identifiers %+v", e.Identifiers)
	}
	check := []struct {
		field string
		got   any
		want  any
	}{
		{"BirthDates", e.BirthDates, []string{"1951-06-19"}},
		{"BirthPlaces", e.BirthPlaces, []string{"Giza, Egypt"}},
		{"Nationalities", e.Nationalities, []string{"EG"}},
		{"Title", e.Title, "Doctor; Dr."},
		{"Programs", e.Programs, []string{"Al-Qaida"}},
		{"ListedOn", e.ListedOn, "2001-01-25"},
		{"LastUpdated", e.LastUpdated, "2025-03-11"}, // the latest of seven LAST_DAY_UPDATED values
		{"Addresses", len(e.Addresses), 0},           // <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>
		{"SourceListURL", e.SourceListURL, ListURL},
		{"Remarks", strings.HasPrefix(e.Remarks, "Leader of Al-Qaida (QDe.004). Former operational and military leader of Egyptian Islamic Jihad (QDe.003)"), true},
	}
	for _, c := range check {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.field, c.got, c.want)
		}
	}
	var raw struct {
		FirstName  string `json:"FIRST_NAME"`
		FourthName string `json:"FOURTH_NAME"`
		Alias      []struct {
			Quality string `json:"QUALITY"`
			Name    string `json:"ALIAS_NAME"`
		} `json:"INDIVIDUAL_ALIAS"`
		Updated struct {
			Value []string `json:"VALUE"`
		} `json:"LAST_DAY_UPDATED"`
	}
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.FirstName != "AIMAN" || raw.FourthName != "AL-ZAWAHIRI" || len(raw.Alias) != 15 || raw.Alias[13].Quality != "Low" || len(raw.Updated.Value) != 7 {
		t.Errorf("raw record: %+v", raw)
	}
}

// TestKOMID checks a DPRK entity of the 2026 list (KPe.001, Korea Mining Development Trading Corporation).
func TestKOMID(t *testing.T) {
	e := find(t, load(t, realFiles[2].file), "KPe.001")
	want := tradescreen.Entry{
		Source: "un_sc", SourceID: "KPe.001", Kind: tradescreen.KindOrganization,
		Name: "KOREA MINING DEVELOPMENT TRADING CORPORATION",
		Aliases: []tradescreen.Name{
			{Full: "CHANGGWANG SINYONG CORPORATION", Type: "aka"},
			{Full: "EXTERNAL TECHNOLOGY GENERAL CORPORATION", Type: "aka"},
			{Full: "DPRKN MINING DEVELOPMENT TRADING COOPERATION", Type: "aka"},
			{Full: `"KOMID"`, Type: "aka"},
		},
		Addresses: []tradescreen.Address{{
			Full: "Central District, Pyongyang, Democratic People's Republic of Korea", Street: "Central District",
			City: "Pyongyang", Country: "KP", CountryName: "Democratic People's Republic of Korea",
		}},
		Programs: []string{"DPRK"}, ListedOn: "2009-04-24", SourceListURL: ListURL,
		Remarks: "Primary arms dealer and main exporter of goods and equipment related to ballistic missiles and conventional weapons.",
	}
	e.Raw = nil
	if !reflect.DeepEqual(e, want) {
		t.Errorf("\n got %+v\nwant %+v", e, want)
	}
}

// excerpt parses a file of real records cut byte for byte from the official files.
func excerpt(t *testing.T, file string) *source.Dataset {
	t.Helper()
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Parse(b, file)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return ds
}

func names(e tradescreen.Entry) []string {
	var out []string
	for _, a := range e.Aliases {
		s := string(a.Type) + ":" + a.Full
		if a.Script != "" {
			s += " [" + a.Script + "]"
		}
		if a.Note != "" {
			s += " (" + a.Note + ")"
		}
		out = append(out, s)
	}
	return out
}

func TestQuirks2026(t *testing.T) {
	ds := excerpt(t, "excerpt_2026-02-27.xml")
	// grep -c '<INDIVIDUAL>' gives 8, grep -c '<ENTITY>' 4.
	if len(ds.Entries) != 12 || ds.Lists[0].Published != "2026-02-27" {
		t.Fatalf("got %d entries, published %q", len(ds.Entries), ds.Lists[0].Published)
	}
	tests := []struct {
		name, id string
		check    func(t *testing.T, e tradescreen.Entry)
	}{
		{"several names in one ALIAS_NAME", "IRi.039", func(t *testing.T, e tradescreen.Entry) {
			want := []string{"aka:Qasim Soleimani", "aka:Qasem Sulaimani", "aka:Qasim Sulaimani", "aka:Qasim Sulaymani",
				"aka:Qasem Sulaymani", "aka:Kasim Soleimani", "aka:Kasim Sulaimani", "aka:Kasim Sulaymani",
				"weak_aka:Haj Qasem", "weak_aka:Haji Qassem", "weak_aka:Sardar Soleimani"}
			if got := names(e); !reflect.DeepEqual(got, want) {
				t.Errorf("aliases %q", got)
			}
			// COUNTRY_OF_ISSUE only; "Iran (Islamic Republic of)" is IR.
			if len(e.Identifiers) != 1 || e.Identifiers[0] != (tradescreen.Identifier{Type: "Passport", Number: "008827", Country: "IR"}) {
				t.Errorf("identifiers %+v", e.Identifiers)
			}
			if !reflect.DeepEqual(e.Positions, []string{"Brigadier General", "Commander of Qods force"}) {
				t.Errorf("positions %q", e.Positions)
			}
			if !reflect.DeepEqual(e.BirthPlaces, []string{"Qom, Iran (Islamic Republic of)"}) {
				t.Errorf("birth places %q", e.BirthPlaces)
			}
		}},
		{"original-script name in parentheses and transliterations", "QDi.299", func(t *testing.T, e tradescreen.Entry) {
			got := names(e)
			for _, w := range []string{"weak_aka:أبو بكر البغدادي الحسيني القريشي [Arabic]", "weak_aka:Abu Bakr al-Baghdadi al-Husayni al-Quraishi", "weak_aka:Abu Bakr al-Baghdadi"} {
				if !contains(got, w) {
					t.Errorf("missing alias %q in %q", w, got)
				}
			}
			if len(e.Identifiers) != 1 || e.Identifiers[0].Note != "Ration card number:" || e.Identifiers[0].Number != "0134852" {
				t.Errorf("identifiers %+v", e.Identifiers)
			}
		}},
		{"original script marker inside ALIAS_NAME", "QDi.398", func(t *testing.T, e tradescreen.Entry) {
			want := []string{"weak_aka:Abu Muhammad", "weak_aka:Абу Мухаммад [Cyrillic]", "weak_aka:Abu Muhammad Al-Kadari",
				"weak_aka:Абу Мухаммад Аль-Кадари [Cyrillic]", "weak_aka:Muhamadmuhtar", "weak_aka:Мухамадмухтар [Cyrillic]"}
			if got := names(e); !reflect.DeepEqual(got, want) {
				t.Errorf("aliases %q", got)
			}
			if !reflect.DeepEqual(e.Nationalities, []string{"RU"}) || e.Gender != "Male" {
				t.Errorf("nationalities %q gender %q", e.Nationalities, e.Gender)
			}
		}},
		{"date of birth range and approximate year", "TAi.025", func(t *testing.T, e tradescreen.Entry) {
			if want := []string{"1958-1963", "approximately 1970"}; !reflect.DeepEqual(e.BirthDates, want) {
				t.Errorf("birth dates %q", e.BirthDates)
			}
			want := []string{"Azan village, Kajaki District, Helmand Province, Afghanistan", "Spin Boldak District, Kandahar Province, Afghanistan"}
			if !reflect.DeepEqual(e.BirthPlaces, want) {
				t.Errorf("birth places %q", e.BirthPlaces)
			}
			if e.Title != "Mullah" || len(e.Identifiers) != 0 { // <INDIVIDUAL_DOCUMENT/> is empty
				t.Errorf("title %q identifiers %+v", e.Title, e.Identifiers)
			}
			if !strings.Contains(string(e.Raw), `"INDIVIDUAL_ADDRESS":[{"COUNTRY":""}],`) || !strings.Contains(string(e.Raw), `"INDIVIDUAL_DOCUMENT":[{}],`) ||
				!strings.Contains(string(e.Raw), `"INDIVIDUAL_DATE_OF_BIRTH":[{"TYPE_OF_DATE":"BETWEEN","FROM_YEAR":"1958","TO_YEAR":"1963"},{"TYPE_OF_DATE":"APPROXIMATELY","YEAR":"1970"}]`) {
				t.Errorf("raw %s", e.Raw)
			}
		}},
		{"DPRK individual with range and empty LAST_DAY_UPDATED", "KPi.066", func(t *testing.T, e tradescreen.Entry) {
			if e.Name != "KIM JONG SIK" || !reflect.DeepEqual(e.BirthDates, []string{"1967-1969"}) || e.LastUpdated != "" {
				t.Errorf("%q %q %q", e.Name, e.BirthDates, e.LastUpdated)
			}
			if len(e.Addresses) != 1 || e.Addresses[0].Country != "KP" || len(e.BirthPlaces) != 0 {
				t.Errorf("addresses %+v birth places %q", e.Addresses, e.BirthPlaces)
			}
		}},
		{"names in document notes, expiry date, addresses with notes", "QDi.411", func(t *testing.T, e tradescreen.Entry) {
			got := names(e)
			if got[0] != "aka:سالم مصطفى محمد ال منصور [Arabic]" || !contains(got, "aka:سالم مصطفى محمد [Arabic]") {
				t.Errorf("aliases %q", got)
			}
			id := e.Identifiers[0]
			want := tradescreen.Identifier{Type: "Passport", Number: "A6489694", Country: "IQ", Issued: "2013-09-02", Expires: "2021-08-31",
				Note: "expires on 31 Aug. 2021; name in Arabic script: سالم مصطفى محمد ال منصور"}
			if id != want {
				t.Errorf("identifier\n got %+v\nwant %+v", id, want)
			}
			if e.Identifiers[1].Note != "national identification card; name in Arabic script: سالم مصطفى محمد ال منصور" {
				t.Errorf("identifier note %q", e.Identifiers[1].Note)
			}
			wantAddr := tradescreen.Address{Full: "17 Tamoz, Mosul, Iraq", Street: "17 Tamoz", City: "Mosul", Country: "IQ", CountryName: "Iraq", Note: "previous address"}
			if len(e.Addresses) != 2 || e.Addresses[0] != wantAddr {
				t.Errorf("addresses %+v", e.Addresses)
			}
			if !reflect.DeepEqual(e.BirthDates, []string{"1962-02-20", "1959"}) {
				t.Errorf("birth dates %q", e.BirthDates)
			}
			// STATE_PROVINCE is " Nineveh Province" in the file.
			if !reflect.DeepEqual(e.BirthPlaces, []string{"Baghdad, Iraq", "Tel Afar, Nineveh Province, Iraq"}) {
				t.Errorf("birth places %q", e.BirthPlaces)
			}
		}},
		{"entity with many packed aliases", "QDe.137", func(t *testing.T, e tradescreen.Entry) {
			got := names(e)
			for _, w := range []string{"aka:Hay’at Tahrir al-Sham (HTS)", "aka:هيئة تحرير الشام [Arabic]", "aka:Tahrir al-Sham Hay’at",
				"aka:جبهة النصرة [Arabic]", "aka:Al-Nusra Front", "aka:Ansar al-Mujahideen Network (sub-unit name)"} {
				if !contains(got, w) {
					t.Errorf("missing alias %q in %q", w, got)
				}
			}
			for _, a := range e.Aliases {
				if strings.ContainsAny(a.Full, ";") {
					t.Errorf("unsplit alias %q", a.Full)
				}
			}
		}},
		{"name in an alias NOTE", "QDe.157", func(t *testing.T, e tradescreen.Entry) {
			if got := names(e); !contains(got, "aka:Al Kawthar Co. (in Arabic script: شركة الكوثر)") || !contains(got, "aka:شركة الكوثر [Arabic]") {
				t.Errorf("aliases %q", got)
			}
		}},
		{"Han alias of an entity", "KPe.059", func(t *testing.T, e tradescreen.Entry) {
			if got := names(e); !contains(got, "aka:華信船務(香港)有限公司 [Han]") {
				t.Errorf("aliases %q", got)
			}
		}},
		{"alias with a long NOTE and an Arabic twin", "TAi.051", func(t *testing.T, e tradescreen.Entry) {
			got := names(e)
			if !contains(got, "aka:Abdul Haq son of M. Anwar Khan (Afghan passport number OA462456, issued on 31 Jan. 2012 (11-11-1390) by the Afghan Consulate General in Peshawar, Pakistan)") {
				t.Errorf("aliases %q", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, find(t, ds, tc.id)) })
	}
}

func TestQuirks2018(t *testing.T) {
	ds := excerpt(t, "excerpt_2018-06-07.xml")
	if len(ds.Entries) != 7 || ds.Lists[0].Published != "2018-06-07" {
		t.Fatalf("got %d entries, published %q", len(ds.Entries), ds.Lists[0].Published)
	}
	t.Run("padded name part and empty alias", func(t *testing.T) {
		e := find(t, ds, "KPi.033") // <FIRST_NAME> RI </FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME><THIRD_NAME/>
		if e.Name != "RI WON HO" || len(e.Aliases) != 0 || e.Identifiers[0].Number != "381310014" {
			t.Errorf("%q %+v %+v", e.Name, e.Aliases, e.Identifiers)
		}
	})
	t.Run("Ethiopic original script with language label and age note", func(t *testing.T) {
		e := find(t, ds, "LYi.022")
		if got := names(e); !reflect.DeepEqual(got, []string{"aka:ፍትዊ ዓብዱረዛቕ [Ethiopic] (Tigrinya)", "weak_aka:Fitwi Esmail Abdelrazak"}) {
			t.Errorf("aliases %q", got)
		}
		if !reflect.DeepEqual(e.BirthDates, []string{"30-35 years old"}) {
			t.Errorf("birth dates %q", e.BirthDates)
		}
		if e.Name != "Fitiwi Abdelrazak" || !reflect.DeepEqual(e.Nationalities, []string{"ER"}) {
			t.Errorf("%q %q", e.Name, e.Nationalities)
		}
	})
	t.Run("dates with a time-zone offset", func(t *testing.T) {
		if e := find(t, ds, "YEi.004"); e.ListedOn != "2015-04-14" || len(e.BirthDates) != 0 { // LISTED_ON 2015-04-14-04:00
			t.Errorf("%q %q", e.ListedOn, e.BirthDates)
		}
		if e := find(t, ds, "SSi.005"); !reflect.DeepEqual(e.BirthDates, []string{"1960-01-01"}) || e.BirthPlaces[0] != "Yirol, Lakes State" {
			t.Errorf("%q %q", e.BirthDates, e.BirthPlaces)
		}
	})
	t.Run("Han alias and f.k.a.", func(t *testing.T) {
		if got := names(find(t, ds, "KPe.016")); got[len(got)-1] != "aka:朝鲜联合机械贸易会社 [Han]" {
			t.Errorf("aliases %q", got)
		}
		got := names(find(t, ds, "QDe.014"))
		if !contains(got, "fka:Le Groupe Salafiste pour La Prédication et le Combat (GSPC)") {
			t.Errorf("aliases %q", got)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestSplitAlias(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Fazel Rahim; Fazil Rahim", []string{"Fazel Rahim", "Fazil Rahim"}},
		{"حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)", []string{"حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"}},
		{"Muhamadmuhtar (original script:\n   Мухамадмухтар)", []string{"Muhamadmuhtar", "Мухамадмухтар"}},
		{"Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet", []string{"Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet"}},
		{"Ansar al Charia in Libya (ASL)", []string{"Ansar al Charia in Libya (ASL)"}},
		{"أنصار الشريعة بليبيا (Ansar al Charia in Libya (ASL))", []string{"أنصار الشريعة بليبيا", "Ansar al Charia in Libya (ASL)"}},
		{"Akhter Mohmad son of Noor Mohmad (اختر محمد ولد نور محمد\n ), ", []string{"Akhter Mohmad son of Noor Mohmad", "اختر محمد ولد نور محمد"}},
		{"  ", nil},
		{"((((((((((x))))))))))", []string{"((((((((((x))))))))))"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := splitAlias(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("splitAlias(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDetectScript(t *testing.T) {
	for in, want := range map[string]string{
		"Ayman Al-Zawahari": "", "أيمن محمد": "Arabic", "Абу Ясир": "Cyrillic", "朝鲜联合机械贸易会社": "Han",
		"김정은": "Hangul", "ፍትዊ ዓብዱረዛቕ (Tigrinya)": "Ethiopic", "Forces Démocratiques": "", "": "",
	} {
		if got := detectScript(in); got != want {
			t.Errorf("detectScript(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDatesAndCountries(t *testing.T) {
	for in, want := range map[string]string{
		"2001-01-25": "2001-01-25", "2001-01-25-05:00": "2001-01-25", "2026-02-27T00:00:09.554Z": "2026-02-27",
		"1971": "1971", "Nov. 1973": "Nov. 1973", "2001-02-30": "2001-02-30", "": "",
	} {
		if got := normDate(in); got != want {
			t.Errorf("normDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"Trinidad and Tobago": "TT", "China, Hong Kong Special Administrative Region": "HK", "Tunisian": "TN",
		"Democratic People's Republic of Korea": "KP", "Iran (Islamic Republic of)": "IR", "Sudanese by birth": "",
	} {
		if got := countryCode(in); got != want {
			t.Errorf("countryCode(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"expires on 31 Aug. 2021; name in Arabic script": "2021-08-31", "expired on 21 Feb. 2014": "2014-02-21",
		"expiry 3 May 2024.": "2024-05-03", "issued on 9 Mar. 2011": "", "expires on 31 Sept. 2021": "",
	} {
		if got := expiry(in); got != want {
			t.Errorf("expiry(%q) = %q, want %q", in, got, want)
		}
	}
}

const header = `<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">`

func record(ref, name string) string {
	return `<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>` + name + `</FIRST_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>` +
		ref + `</REFERENCE_NUMBER><LISTED_ON>2012-12-31</LISTED_ON></INDIVIDUAL>`
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestErrors(t *testing.T) {
	real, err := os.ReadFile("testdata/excerpt_2026-02-27.xml")
	if err != nil {
		t.Fatal(err)
	}
	eu, _ := os.ReadFile(listsDir + "eu/fsf_xml1.1_sample_a_2020-04-15.xml")
	ofac, _ := os.ReadFile(listsDir + "ofac/sdn_xml_sample_2020-04-22.xml")
	uk, _ := os.ReadFile(listsDir + "uk/ConList_2022-03_sample.csv")
	if len(eu) == 0 || len(ofac) == 0 || len(uk) == 0 {
		t.Fatal("other formats' files not found")
	}
	gzReal := gz(real)
	tests := []struct {
		name  string
		in    []byte
		line  int // 0: do not check
		field string
		msg   string
	}{
		{"empty", nil, 0, "", "empty file"},
		{"blank", []byte(" \n\t\n"), 0, "", "empty file"},
		{"binary", []byte{0x00, 0x01, 0xff, 0xfe, 0x89, 'P', 'N', 'G', 0x10}, 0, "", ""},
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...), 0, "", ""},
		{"html error page", []byte("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>down</body></html>"), 2, "", "root element is <html>"},
		{"plain text", []byte("Service temporarily unavailable"), 0, "", "not XML"},
		{"EU XML", eu, 0, "", "root element is <export>"},
		{"OFAC XML", ofac, 0, "", "root element is <sdnList>"},
		{"UK CSV", uk, 0, "", "not XML"},
		{"truncated", real[:len(real)/2], 0, "", "truncated"},
		{"truncated after a record", []byte(header + `<INDIVIDUALS>` + record("CDi.001", "ERIC")), 0, "", "truncated"},
		{"truncated gzip", gzReal[:len(gzReal)/2], 0, "", "gzip"},
		{"no records", []byte(header + `<INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>`), 0, "", "no INDIVIDUAL or ENTITY records"},
		{"unexpected element", []byte(header + "\n<INDIVIDUALS>\n<PERSON/></INDIVIDUALS></CONSOLIDATED_LIST>"), 3, "PERSON", "unexpected element <PERSON> in <INDIVIDUALS>"},
		{"no reference number", []byte(header + "<INDIVIDUALS>\n" + record("", "ERIC") + `</INDIVIDUALS></CONSOLIDATED_LIST>`), 2, "REFERENCE_NUMBER", "no REFERENCE_NUMBER"},
		{"no name", []byte(header + "<INDIVIDUALS>\n\n" + record("CDi.001", " ") + `</INDIVIDUALS></CONSOLIDATED_LIST>`), 3, "FIRST_NAME", "record CDi.001 has no name"},
		{"duplicate", []byte(header + "<INDIVIDUALS>\n" + record("CDi.001", "A") + "\n" + record("CDi.001", "B") + `</INDIVIDUALS></CONSOLIDATED_LIST>`), 3, "REFERENCE_NUMBER", "duplicate CDi.001 (first at line 2)"},
		{"bad dateGenerated", []byte(`<CONSOLIDATED_LIST dateGenerated="yesterday"><INDIVIDUALS>` + record("CDi.001", "A") + `</INDIVIDUALS></CONSOLIDATED_LIST>`), 1, "dateGenerated", `not a date: "yesterday"`},
		{"field too long", []byte(header + "<INDIVIDUALS>" + record("CDi.001", strings.Repeat("A", maxFieldBytes+1)) + `</INDIVIDUALS></CONSOLIDATED_LIST>`), 1, "FIRST_NAME", "text longer than"},
		{"nested too deep", []byte(header + "<INDIVIDUALS><INDIVIDUAL>" + strings.Repeat("<A>", 10) + strings.Repeat("</A>", 10) + `</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`), 1, "A/A/A/A/A/A/A", "nested more than"},
		{"mismatched tags", []byte(header + "<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A</SECOND_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"), 2, "", "malformed XML"},
		{"second root", []byte(header + "<INDIVIDUALS>" + record("CDi.001", "A") + "</INDIVIDUALS></CONSOLIDATED_LIST>\n<CONSOLIDATED_LIST/>"), 2, "CONSOLIDATED_LIST", "second root element"},
		{"trailing text", []byte(header + "<INDIVIDUALS>" + record("CDi.001", "A") + "</INDIVIDUALS></CONSOLIDATED_LIST>\ngarbage"), 0, "", "text after"},
		{"external entity", []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CONSOLIDATED_LIST><INDIVIDUALS>` + record("CDi.001", "&e;") + `</INDIVIDUALS></CONSOLIDATED_LIST>`), 0, "", "malformed XML"},
		{"unknown encoding", []byte(`<?xml version="1.0" encoding="EBCDIC"?><CONSOLIDATED_LIST/>`), 0, "", "unsupported encoding"},
		{"invalid UTF-8", []byte(header + "<INDIVIDUALS>" + record("CDi.001", "\xff\xfe\xfd") + "</INDIVIDUALS></CONSOLIDATED_LIST>"), 0, "", "malformed XML"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Parse(tc.in, "consolidated.xml")
			if err == nil {
				t.Fatalf("no error; %d entries", len(ds.Entries))
			}
			var pe *tradescreen.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *tradescreen.ParseError", err, err)
			}
			if pe.File != "consolidated.xml" || !strings.Contains(err.Error(), tc.msg) ||
				(tc.line != 0 && pe.Line != tc.line) || pe.Field != tc.field {
				t.Errorf("got %q (line %d, field %q), want %q at line %d field %q", err, pe.Line, pe.Field, tc.msg, tc.line, tc.field)
			}
		})
	}
}

func TestEncodingsAndInference(t *testing.T) {
	t.Run("Latin-1 declared", func(t *testing.T) {
		in := []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><CONSOLIDATED_LIST dateGenerated="2020-01-02"><ENTITIES><ENTITY><FIRST_NAME>Soci` +
			"\xe9t\xe9" + `</FIRST_NAME><REFERENCE_NUMBER>CDe.001</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>`)
		ds, err := Parse(in, "x.xml")
		if err != nil {
			t.Fatal(err)
		}
		if ds.Entries[0].Name != "Société" || ds.Entries[0].Kind != tradescreen.KindOrganization {
			t.Errorf("%+v", ds.Entries[0])
		}
	})
	t.Run("gzip and no dateGenerated", func(t *testing.T) {
		in := []byte(`<CONSOLIDATED_LIST><INDIVIDUALS>` + record("CDi.001", "A") +
			`<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>CDi.002</REFERENCE_NUMBER><LISTED_ON>2010-01-01</LISTED_ON><LAST_DAY_UPDATED><VALUE>2016-10-13</VALUE></LAST_DAY_UPDATED></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`)
		ds, err := Parse(gz(in), "x.xml.gz")
		if err != nil {
			t.Fatal(err)
		}
		lv := ds.Lists[0]
		if lv.Published != "2016-10-13" || !strings.Contains(lv.PublishedNote, "inferred") || lv.Entries != 2 || lv.SHA256 != source.SHA256(gz(in)) {
			t.Errorf("%+v", lv)
		}
	})
	t.Run("UTF-16 with BOM", func(t *testing.T) {
		s := `<?xml version="1.0" encoding="UTF-16"?><CONSOLIDATED_LIST dateGenerated="2020-01-02"><INDIVIDUALS>` + record("CDi.001", "Ерик") + `</INDIVIDUALS></CONSOLIDATED_LIST>`
		in := []byte{0xFF, 0xFE}
		for _, r := range s {
			in = append(in, byte(r), byte(r>>8))
		}
		ds, err := Parse(in, "x.xml")
		if err != nil {
			t.Fatal(err)
		}
		if ds.Entries[0].Name != "Ерик" {
			t.Errorf("%q", ds.Entries[0].Name)
		}
	})
	t.Run("Open of a missing file", func(t *testing.T) {
		_, err := Open("testdata/nope.xml")
		var e *tradescreen.Error
		if !errors.As(err, &e) || e.Code != tradescreen.EINVALID {
			t.Errorf("%T %v", err, err)
		}
	})
}
