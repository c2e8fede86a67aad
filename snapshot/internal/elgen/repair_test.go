package main

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source/ecfr"
)

// convertedEntries converts the whole extraction and reads it back with the eCFR reader, by primary name and
// the country code of the source_id ("el-RU-...").
func convertedEntries(t *testing.T) ([]tradescreen.Entry, map[string]tradescreen.Entry) {
	t.Helper()
	x, err := readExtraction("input/entity_list_2026-07-09_derived.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	Convert(&out, x, NewPolicies(nil))
	ds, err := ecfr.Parse(out.Bytes(), "entity_list_2026-07-09.xml")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]tradescreen.Entry{}
	for _, e := range ds.Entries {
		by[e.Name+"|"+strings.Split(e.SourceID, "-")[1]] = e
	}
	return ds.Entries, by
}

// TestAliasClauses reads back the rows whose names the extraction gave with a parenthetical alias clause,
// cut at every place the extraction cut one: the name is the name alone ("Rosneft", not "Rosneft ("), the
// clause's names are aliases, and the address is the address. No name of the list is left with an alias
// clause or a parenthesis it does not close.
func TestAliasClauses(t *testing.T) {
	entries, by := convertedEntries(t)
	for _, c := range []struct {
		name, country string
		aliases       []string
		address       string
	}{
		// Open in the name, its ")" lost.
		{"Rosneft", "RU", []string{"Open Joint-Stock Company Rosneft Oil Company"}, "Address: 26/1, Sofiyskaya Embankment, 117997, Moscow, Russia"},
		{"Lukoil, OAO", "RU", []string{"Lukoil"}, "Address: 11 Sretenski boulevard, Moscow 101000, Russia"},
		// Open in the name, closed in the address.
		{"Sabanican Company", "IR", []string{"Sabanican Pad Co."}, "Unit #23, Eighth Floor, No. 193 West Sarve Boulevard Kaj Square, Saadat Abad, 19987-14434, Tehran, Iran"},
		// Whole at the head of the address, several names.
		{"Wong Yuh Lan", "SG", []string{"Huang Yulan", "Jancy Wong", "Yuh Lan Wong"}, "Blk 109B Edgedale Plains, #14115, Singapore 822109"},
		// Whole in the name: a quoted acronym, a former name.
		{"Mesbah Energy Company", "IR", []string{"MEC"}, "77 Armaghan Gharbi Street, Valiasr Blve,Tehran, Iran"},
		{"Gaz-Oil, OOO", "RU", []string{"Zakrytoe Aktsionernoe Obshchestvo Gaz Oil", "Gaz-Oil", "Obshchestvo S Ogranichennoi Otvetstvennostyu 'Gaz-Oil'"}, "d.10 B ul.Nametkina, Moscow 117420, Russia"},
		// A former-name clause open in the name and closed in the address, a semicolon inside a quote.
		{"OOO Shipyard 'Zaliv'", "XX", []string{"AO Shipyard 'Zaliv'", "JSC Shipyard 'Zaliv'", "JSC Zaliv Shipyard", "OJSC ZALIV SHIPYARD", "LLC Shipyard 'Zaliv'", "Zaliv Shipyard LLC"},
			"4 Tankistov Street, Kerch, Crimea 98310, Ukraine"},
	} {
		e, ok := by[c.name+"|"+c.country]
		if !ok {
			t.Errorf("no entry %q of %s", c.name, c.country)
			continue
		}
		var aliases []string
		for _, a := range e.Aliases {
			aliases = append(aliases, a.Full)
		}
		if !reflect.DeepEqual(aliases, c.aliases) || len(e.Addresses) == 0 || e.Addresses[0].Full != c.address {
			t.Errorf("%s: aliases %q, addresses %+v; want %q, %q", c.name, aliases, e.Addresses, c.aliases, c.address)
		}
	}
	clause := regexp.MustCompile(`(?i)\b[af]\.\s?k\.\s?a\.`)
	for _, e := range entries {
		if clause.MatchString(e.Name) || strings.Count(e.Name, "(") != strings.Count(e.Name, ")") {
			t.Errorf("%s: name %q keeps an alias clause or an open parenthesis", e.SourceID, e.Name)
		}
	}
}

// TestRepairAlias splits an alias that holds a former-name clause and drops a ")" an alias does not open.
func TestRepairAlias(t *testing.T) {
	for in, want := range map[string][]string{
		"AO Institute Stroyproekt (f.k.a., Institut Stroiproekt Zakrytoe Aktsionernoe Obshchestvo)": {"AO Institute Stroyproekt", "Institut Stroiproekt Zakrytoe Aktsionernoe Obshchestvo"},
		"Southwest Institute of Nuclear Physics and Chemistry (a.k.a., China Academy of Engineering Physics (CAEP)'s 902 Institute)": {
			"Southwest Institute of Nuclear Physics and Chemistry", "China Academy of Engineering Physics (CAEP)'s 902 Institute"},
		"JSC AOMZ)": {"JSC AOMZ"},
		"Huawei Technologies Research & Development (UK))": {"Huawei Technologies Research & Development (UK)"},
		"Huawei Research & Development (UK) Ltd":           {"Huawei Research & Development (UK) Ltd"},
	} {
		if got := repairAlias(in); !reflect.DeepEqual(got, want) {
			t.Errorf("repairAlias(%q) = %q, want %q", in, got, want)
		}
	}
}
