package screen_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		q    tradescreen.Query
		want tradescreen.Query // after normalization, when valid
		err  string            // the start of the error message, when invalid
	}{
		{"trimmed name", tradescreen.Query{Name: "  Hikvision \t"}, tradescreen.Query{Name: "Hikvision"}, ""},
		{"empty name", tradescreen.Query{Name: " \t "}, tradescreen.Query{}, "name: required"},
		{"name too long", tradescreen.Query{Name: strings.Repeat("a", screen.MaxNameLength+1)}, tradescreen.Query{}, "name: longer than"},
		{"name at the limit", tradescreen.Query{Name: strings.Repeat("a", screen.MaxNameLength)}, tradescreen.Query{Name: strings.Repeat("a", screen.MaxNameLength)}, ""},
		{"type Individual", tradescreen.Query{Name: "Kim Sok Chol", Kind: "Individual"}, tradescreen.Query{Name: "Kim Sok Chol", Kind: tradescreen.KindPerson}, ""},
		{"type entity", tradescreen.Query{Name: "Hikvision", Kind: "Entity"}, tradescreen.Query{Name: "Hikvision", Kind: tradescreen.KindOrganization}, ""},
		{"type unknown", tradescreen.Query{Name: "Hikvision", Kind: "unknown"}, tradescreen.Query{Name: "Hikvision", Kind: tradescreen.KindUnknown}, ""},
		{"type robot", tradescreen.Query{Name: "Hikvision", Kind: "robot"}, tradescreen.Query{}, `type: "robot"`},
		{"country code lower case", tradescreen.Query{Name: "Hikvision", Country: "cn"}, tradescreen.Query{Name: "Hikvision", Country: "CN"}, ""},
		{"country name", tradescreen.Query{Name: "Hikvision", Country: "China"}, tradescreen.Query{Name: "Hikvision", Country: "CN"}, ""},
		{"country name with a qualifier", tradescreen.Query{Name: "Hikvision", Country: "Iran (Islamic Republic of)"}, tradescreen.Query{Name: "Hikvision", Country: "IR"}, ""},
		{"country unknown", tradescreen.Query{Name: "Hikvision", Country: "Narnia"}, tradescreen.Query{}, `country: "Narnia"`},
		{"threshold 1", tradescreen.Query{Name: "x", Threshold: 1}, tradescreen.Query{Name: "x", Threshold: 1}, ""},
		{"threshold above 1", tradescreen.Query{Name: "x", Threshold: 1.01}, tradescreen.Query{}, "threshold: 1.01"},
		{"threshold negative", tradescreen.Query{Name: "x", Threshold: -0.5}, tradescreen.Query{}, "threshold: -0.5"},
		{"limit too large", tradescreen.Query{Name: "x", Limit: 1001}, tradescreen.Query{}, "limit: 1001"},
		{"limit negative", tradescreen.Query{Name: "x", Limit: -1}, tradescreen.Query{}, "limit: -1"},
		{"known sources", tradescreen.Query{Name: "x", Sources: []string{"us_el", "un_sc"}}, tradescreen.Query{Name: "x", Sources: []string{"us_el", "un_sc"}}, ""},
		{"unknown source", tradescreen.Query{Name: "x", Sources: []string{"us_el", "us_xx"}}, tradescreen.Query{}, `source: unknown list code "us_xx"`},
		{"birth year", tradescreen.Query{Name: "x", BirthDate: "1964"}, tradescreen.Query{Name: "x", BirthDate: "1964"}, ""},
		{"birth month", tradescreen.Query{Name: "x", BirthDate: "1964-07"}, tradescreen.Query{Name: "x", BirthDate: "1964-07"}, ""},
		{"birth date", tradescreen.Query{Name: "x", BirthDate: "1964-07-17"}, tradescreen.Query{Name: "x", BirthDate: "1964-07-17"}, ""},
		{"birth date US style", tradescreen.Query{Name: "x", BirthDate: "07/17/1964"}, tradescreen.Query{}, `date_of_birth: "07/17/1964"`},
		{"birth date impossible", tradescreen.Query{Name: "x", BirthDate: "1964-02-30"}, tradescreen.Query{}, "date_of_birth"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			err := screen.Validate(&q)
			if c.err != "" {
				if err == nil {
					t.Fatalf("no error; query %+v", q)
				}
				if tradescreen.ErrorCode(err) != tradescreen.EINVALID || !strings.HasPrefix(tradescreen.ErrorMessage(err), c.err) {
					t.Errorf("error %q (code %s), want EINVALID %q...", tradescreen.ErrorMessage(err), tradescreen.ErrorCode(err), c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Name != c.want.Name || q.Kind != c.want.Kind || q.Country != c.want.Country || q.Threshold != c.want.Threshold || q.BirthDate != c.want.BirthDate {
				t.Errorf("query %+v, want %+v", q, c.want)
			}
		})
	}
}

// ERP and banking systems write countries as ISO 3166-1 alpha-3 codes (CHN, IRN, PRK, RUS).
func TestValidateAlpha3Country(t *testing.T) {
	for code, want := range map[string]string{"CHN": "CN", "IRN": "IR", "PRK": "KP", "RUS": "RU", "USA": "US", "DEU": "DE"} {
		q := tradescreen.Query{Name: "Hikvision", Country: code}
		if err := screen.Validate(&q); err != nil || q.Country != want {
			t.Errorf("BUG: country %q: %v, country %q, want %s (source.CountryCode does not read alpha-3 codes)", code, err, q.Country, want)
		}
	}
}

func TestScreen(t *testing.T) {
	s := testScreener()
	res, err := s.Screen(tradescreen.Query{Name: "Hikvision"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Threshold != match.DefaultThreshold || res.Query.Threshold != match.DefaultThreshold {
		t.Errorf("threshold %v / query %v, want the default %v", res.Threshold, res.Query.Threshold, match.DefaultThreshold)
	}
	if len(res.Matches) != 1 || res.Matches[0].Source != "us_el" || res.Matches[0].MatchedName != "Hikvision" || res.Matches[0].Score != 1 {
		t.Fatalf("matches %+v", res.Matches)
	}
	if res.Matches[0].Entry == nil || res.Matches[0].Entry.StartDate != "2019-10-09" {
		t.Errorf("the match does not carry its entry")
	}
	if len(res.Lists) != 3 {
		t.Errorf("lists %+v, want all three", res.Lists)
	}

	res, err = s.Screen(tradescreen.Query{Name: "Kim Sok Chol", Sources: []string{"un_sc"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lists) != 1 || res.Lists[0].Source != "un_sc" {
		t.Errorf("lists %+v, want only un_sc", res.Lists)
	}
	if len(res.Matches) != 1 || res.Matches[0].SourceID != "KPi.036" {
		t.Errorf("matches %+v", res.Matches)
	}
	res, err = s.Screen(tradescreen.Query{Name: "Hikvision", Sources: []string{"un_sc"}})
	if err != nil || len(res.Matches) != 0 {
		t.Errorf("Hikvision on un_sc: %v %+v", err, res.Matches)
	}

	if _, err := s.Screen(tradescreen.Query{Name: ""}); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("empty name: %v", err)
	}

	// A vessel by its former name.
	res, err = s.Screen(tradescreen.Query{Name: "Grace 1", Kind: "vessel"})
	if err != nil || len(res.Matches) != 1 || res.Matches[0].Name != "ADRIAN DARYA 1" || res.Matches[0].MatchedName != "GRACE 1" {
		t.Errorf("Grace 1: %v %+v", err, res.Matches)
	}
}

func TestScreenerEntry(t *testing.T) {
	s := testScreener()
	e, err := s.Entry("un_sc", "KPi.036")
	if err != nil || e.Name != "KIM SOK CHOL" {
		t.Errorf("Entry: %v %+v", err, e)
	}
	if _, err := s.Entry("un_sc", "KPi.999"); tradescreen.ErrorCode(err) != tradescreen.ENOTFOUND {
		t.Errorf("missing entry: %v", err)
	}
	if len(s.Entries()) != 3 {
		t.Errorf("%d entries", len(s.Entries()))
	}
}

// A list code carried by two files is taken from the last, with a warning; lists come in display order.
func TestNewMerge(t *testing.T) {
	csl := &source.Dataset{
		Lists: []tradescreen.ListVersion{
			{Source: "us_sdn", Published: "2022-05-16", Origin: "consolidated.csv"},
			{Source: "us_el", Published: "2022-05-16", Origin: "consolidated.csv"},
		},
		Entries: []tradescreen.Entry{
			{Source: "us_sdn", SourceID: "1", Name: "OLD SDN ENTRY", Kind: tradescreen.KindOrganization},
			{Source: "us_el", SourceID: "a", Name: "Dahua Technology", Kind: tradescreen.KindOrganization},
		},
	}
	ofac := &source.Dataset{
		Lists:   []tradescreen.ListVersion{{Source: "us_sdn", Published: "2024-05-03", Origin: "sdn_2024-05-03"}},
		Entries: []tradescreen.Entry{{Source: "us_sdn", SourceID: "2", Name: "NEW SDN ENTRY", Kind: tradescreen.KindOrganization}},
	}
	un := &source.Dataset{Lists: []tradescreen.ListVersion{{Source: "un_sc", Origin: "consolidated.xml"}}}
	s := screen.New(un, csl, ofac)
	var codes []string
	for _, l := range s.Lists() {
		codes = append(codes, l.Source+"@"+l.Published)
	}
	if got := strings.Join(codes, " "); got != "us_el@2022-05-16 us_sdn@2024-05-03 un_sc@" {
		t.Errorf("lists %s", got)
	}
	if _, err := s.Entry("us_sdn", "1"); err == nil {
		t.Errorf("the us_sdn entry of the file that lost is loaded")
	}
	if _, err := s.Entry("us_sdn", "2"); err != nil {
		t.Errorf("the us_sdn entry of the last file: %v", err)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "us_sdn") || !strings.Contains(s.Warnings[0], "consolidated.csv") || !strings.Contains(s.Warnings[0], "sdn_2024-05-03") {
		t.Errorf("warnings %q", s.Warnings)
	}
}

func TestAsOf(t *testing.T) {
	got := screen.AsOf([]tradescreen.ListVersion{
		{Source: "us_el", Published: "2022-05-16"}, {Source: "us_sdn", Published: "2022-05-16"},
		{Source: "un_sc", Published: "2026-02-27"}, {Source: "eu_fsf"}, {Source: "gb_hmt", Published: "2020-04-27"},
	})
	want := "us_el, us_sdn as of 2022-05-16; un_sc as of 2026-02-27; eu_fsf as of date unknown; gb_hmt as of 2020-04-27"
	if got != want {
		t.Errorf("AsOf = %q\nwant    %q", got, want)
	}
	if screen.AsOf(nil) != "" {
		t.Errorf("AsOf(nil) = %q", screen.AsOf(nil))
	}
}
