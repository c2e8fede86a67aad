package address

import (
	"slices"
	"strings"
	"testing"
)

// The tests of this file exercise the steps of Parse one by one, on addresses as the embedded lists write
// them (CSL of 2022-05-16, UK and UN lists) and variations of them.

func words(t *testing.T, text string) addrToks {
	t.Helper()
	return addressWords(strings.Split(text, ","))
}

func TestTrailingCountry(t *testing.T) {
	for _, tc := range []struct {
		text    string
		parts   int
		country string
	}{
		{"No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN", 4, "CN"},
		{"Birgadirskiy pereulok 13, Moscow, 105005, RU", 3, "RU"},
		{"3 Mandeville Place, London, GB, , ", 2, "GB"}, // empty parts at the end are dropped
		{"Hangzhou, China", 1, "CN"},
		{"RU", 1, ""}, // the only part is not taken for the country
		{"Central District, Pyongyang", 2, ""},
	} {
		parts, c := trailingCountry(strings.Split(tc.text, ","))
		if len(parts) != tc.parts || c != tc.country {
			t.Errorf("%q: %d parts, country %q; want %d, %q", tc.text, len(parts), c, tc.parts, tc.country)
		}
	}
}

func TestEndingCountry(t *testing.T) {
	for _, tc := range []struct {
		text, country string
		left          int
	}{
		{"555 Qianmo Road Binjiang District Hangzhou China", "CN", 6},
		{"Ulitsa Lenina 4 Russian Federation", "RU", 3},
		{"Zhongguancun Street", "", 2}, // a street type, not a country
	} {
		toks, c := endingCountry(words(t, tc.text))
		if c != tc.country || len(toks) != tc.left {
			t.Errorf("%q: country %q with %d words left, want %q with %d", tc.text, c, len(toks), tc.country, tc.left)
		}
	}
}

func TestReadPostalAndUnits(t *testing.T) {
	for _, tc := range []struct {
		text   string
		postal string
		units  []string
	}{
		{"80 SW 8th Street Suite 2000, Miami", "", []string{"room 2000"}},
		{"1425 Brickell Ave 63-F, Miami", "", []string{"floor 63"}},
		{"Room 1905, 19/F, Tower 2, 310052", "310052", []string{"room 1905", "floor 19", "building 2"}},
		{"Birgadirskiy pereulok 13, Moscow, 105005", "105005", nil},
	} {
		var p Parsed
		toks := words(t, tc.text)
		p.readPostal(toks)
		p.readUnits(toks)
		if p.Postal != tc.postal || !slices.Equal(p.Units, tc.units) {
			t.Errorf("%q: postal %q, units %q; want %q, %q", tc.text, p.Postal, p.Units, tc.postal, tc.units)
		}
	}
}

func TestScanRuns(t *testing.T) {
	for _, tc := range []struct {
		text                         string
		street, streetType, district string
		city, region                 string
		places                       []string
		streetAt                     int
	}{
		{"No. 555 Qianmo Road, Binjiang District, Hangzhou", "qianmo", "road", "binjiang", "", "", []string{"hangzhou"}, 3},
		// "ulitsa Krasnoznamennaya": the name follows the type.
		{"1 Ulitsa Krasnoznamennaya, Volsk-18/Shikhany, Saratov Oblast", "krasnoznamennaya", "street", "", "", "saratov", []string{"volsk", "shikhany"}, 1},
		{"Birgadirskiy pereulok 13, Moscow", "birgadirskiy", "lane", "", "", "", []string{"moscow"}, 1},
		// No street type: every run is a place.
		{"3 Mandeville Place, London", "", "", "", "", "", []string{"mandevilleplace", "london"}, -1},
	} {
		var p Parsed
		at := p.scanRuns(words(t, tc.text))
		got := []string{p.Street, p.StreetType, p.District, p.City, p.Region}
		want := []string{tc.street, tc.streetType, tc.district, tc.city, tc.region}
		if !slices.Equal(got, want) || !slices.Equal(p.Places, tc.places) || at != tc.streetAt {
			t.Errorf("%q: %q, places %q, street at %d; want %q, %q, %d", tc.text, got, p.Places, at, want, tc.places, tc.streetAt)
		}
	}
}

func TestStreetAndNumber(t *testing.T) {
	for _, tc := range []struct {
		text, street, streetType, number string
		places                           []string
	}{
		// The place next to a free number is the street.
		{"3 Mandeville Place, London", "mandevilleplace", "", "3", []string{"london"}},
		{"HA Assif 19, Binyamina", "haassif", "", "19", []string{"binyamina"}},
		// A pinyin street type written joined to the name.
		{"Qianmolu 555 hao, Hangzhou", "qianmo", "road", "555", []string{"hangzhou"}}, // "hao" (号) marks the number
		// The number nearest the street; a change of part counts two steps.
		{"Birgadirskiy pereulok 13, Moscow", "birgadirskiy", "lane", "13", []string{"moscow"}},
		{"Birgadirskiy pereulok, Moscow, 13", "birgadirskiy", "lane", "13", []string{"moscow"}},
	} {
		var p Parsed
		toks := words(t, tc.text)
		at := p.scanRuns(toks)
		if p.Street == "" {
			at = p.streetNextToNumber(toks, at)
		}
		p.splitJoinedStreetType()
		if at >= 0 {
			p.readNumber(toks, at)
		}
		got := []string{p.Street, p.StreetType, p.Number}
		want := []string{tc.street, tc.streetType, tc.number}
		if !slices.Equal(got, want) || !slices.Equal(p.Places, tc.places) {
			t.Errorf("%q: %q, places %q; want %q, %q", tc.text, got, p.Places, want, tc.places)
		}
	}
}

func TestProvinceAndCity(t *testing.T) {
	for _, tc := range []struct {
		places                []string
		region, city, country string
		left                  []string
	}{
		{[]string{"volsk", "shikhany"}, "", "shikhany", "", []string{"volsk"}},
		{[]string{"binjiang", "hangzhou", "zhejiang"}, "zhejiang", "hangzhou", "", []string{"binjiang"}},
		// A country word is no city; it gives the country when the address named none. A city's other
		// spellings are made one.
		{[]string{"moskva", "rossiya"}, "", "moscow", "RU", nil},
	} {
		p := Parsed{Places: slices.Clone(tc.places)}
		p.readProvince()
		p.readCity()
		got := []string{p.Region, p.City, p.Country}
		want := []string{tc.region, tc.city, tc.country}
		if !slices.Equal(got, want) || len(p.Places) != len(tc.left) || len(tc.left) > 0 && !slices.Equal(p.Places, tc.left) {
			t.Errorf("%q: %q, places %q; want %q, %q", tc.places, got, p.Places, want, tc.left)
		}
	}
}
