package address_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/address"
	"github.com/tradescreen/tradescreen/snapshot"
)

func snapshotIndex(t *testing.T) *address.Index {
	t.Helper()
	ds, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	var entries []tradescreen.Entry
	for _, d := range ds {
		entries = append(entries, d.Entries...)
	}
	return address.Build(entries)
}

// TestRealAddresses searches variations of real entries' addresses (embedded snapshot: CSL of 2022-05-16).
func TestRealAddresses(t *testing.T) {
	ix := snapshotIndex(t)
	cases := []struct {
		query, country string
		want           string // a substring of the matched entry's name; "" for no Entity List match
	}{
		// Hikvision, us_el: "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN".
		{"No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", "", "Hikvision"},
		{"555 Qianmo Rd, Binjiang, Hangzhou, Zhejiang 310051, China", "", "Hikvision"},
		{"Qianmolu 555 hao, Binjiang Qu, Hangzhou Shi, Zhejiang Sheng", "CN", "Hikvision"},
		{"浙江省杭州市滨江区阡陌路555号", "CN", "Hikvision"},
		{"555 Qianmo Road Binjiang District Hangzhou 310052 China", "", "Hikvision"},
		{"No.555, Qianmo Rd., Hangzhou", "CN", "Hikvision"},
		// 27th Scientific Center: "Birgadirskiy pereulok 13, Moscow, 105005, RU", in Cyrillic.
		{"Бригадирский переулок, д. 13, Москва, 105005, Россия", "", "27th Scientific Center"},
		{"Brigadirsky per. 13, Moskva", "RU", "27th Scientific Center"},
		// 33rd Scientific Research and Testing Institute: "1 Ulitsa Krasnoznamennaya, Volsk-18/Shikhany, Saratov Oblast".
		{"ul. Krasnoznamennaya, d. 1, Shikhany, Saratovskaya oblast", "RU", "33rd Scientific Research"},
		// Not the same building: another number on the same road, the same number in another city or country.
		{"No. 556 Qianmo Road, Binjiang District, Hangzhou", "CN", ""},
		{"555 Qianmo Road, Shanghai", "CN", ""},
		{"No. 555 Qianmo Road, Binjiang District, Hangzhou", "US", ""},
		{"Hangzhou, China", "", ""},
	}
	for _, c := range cases {
		ms := ix.Search(c.query, c.country, 0)
		got := ""
		for _, m := range ms {
			if m.Entry.Source == "us_el" {
				got = m.Entry.Name
				if c.want != "" && strings.Contains(got, c.want) {
					break
				}
			}
		}
		if c.want == "" {
			if got != "" {
				t.Errorf("%q: matched %s, want none: %v", c.query, got, ms[0].Explanation)
			}
			continue
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("%q: got %q, want %s (parsed %+v)", c.query, got, c.want, address.Parse(c.query, c.country))
		}
	}
}

func TestExplanation(t *testing.T) {
	q := address.Parse("555 Qianmo Rd, Binjiang District, Hanzhou 310051", "CN")
	l := address.Parse("No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", "")
	s, why := address.Score(q, l)
	w := strings.Join(why, "; ")
	for _, want := range []string{"street qianmo = qianmo", "street number 555 = 555", "city hanzhou ~ hangzhou", "postal code 310051 differs from 310052", "country CN = CN"} {
		if !strings.Contains(w, want) {
			t.Errorf("explanation %q lacks %q", w, want)
		}
	}
	if s < address.DefaultThreshold {
		t.Errorf("score %.2f", s)
	}
}

func TestUnits(t *testing.T) {
	l := address.Parse("Room 1905, 19/F, Nam Wo Hong Bldg., 148 Wing Lok Street, Sheung Wang, Hong Kong, Sheung Wang, HK", "")
	same, _ := address.Score(address.Parse("Rm 1905, 19th Floor, 148 Wing Lok St, Sheung Wang, Hong Kong", "HK"), l)
	other, why := address.Score(address.Parse("Room 1203, 12/F, 148 Wing Lok Street, Sheung Wang, Hong Kong", "HK"), l)
	if !(same > other) || !strings.Contains(strings.Join(why, ";"), "same building, other unit") {
		t.Errorf("same unit %.2f, other unit %.2f %v", same, other, why)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN")
	f.Add("Бригадирский переулок, д. 13, Москва, 105005, Россия")
	f.Fuzz(func(t *testing.T, s string) {
		p := address.Parse(s, "")
		address.Score(p, p)
	})
}
