package main

import (
	"bytes"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/source/csl"
	"github.com/tradescreen/tradescreen/source/ecfr"
)

// TestRoundTrip converts the whole extraction and reads the result back with the eCFR reader: every entry
// keeps its name, aliases and licence requirement, and its addresses' text, its alias clauses repaired.
func TestRoundTrip(t *testing.T) {
	x, err := readExtraction("input/entity_list_2026-07-09_derived.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../../data/consolidated_2022-05-16.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	old, err := csl.Parse(b, "consolidated_2022-05-16.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st := Convert(&out, x, NewPolicies(old.Entries))
	ds, err := ecfr.Parse(out.Bytes(), "entity_list_2026-07-09.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entries) != 3409 || st.Entries != 3409 {
		t.Fatalf("%d entries read back, %d written, want 3409", len(ds.Entries), st.Entries)
	}
	bad := 0
	for i, e := range ds.Entries {
		src := Repair(x.Entities[i])
		var aliases []string
		for _, a := range e.Aliases {
			aliases = append(aliases, a.Full)
		}
		var addrs []string
		for _, a := range e.Addresses {
			addrs = append(addrs, a.Full)
		}
		want := noteRe.ReplaceAllString(strings.TrimSpace(src.Address), "")
		got := strings.Join(addrs, "; ")
		if undot(e.Name) != undot(src.Name) || !reflect.DeepEqual(undots(aliases), undots(nonEmpty(src.Aliases))) || flat(got) != flat(want) {
			bad++
			if bad <= 5 {
				t.Logf("entry %d:\n got %q %q %q\nwant %q %q %q", i, e.Name, aliases, got, src.Name, src.Aliases, want)
			}
		}
	}
	// The law's text separates name, aliases and address by punctuation only, so a reader must guess where a
	// name with a comma ends ("Academy of Military Medical Sciences, Field Blood Transfusion Institution, 27
	// Taiping Road"), and the extraction has its own slips (an alias that swallowed the address, "Address 01"
	// read as a name). Each entry is compared with its row as Repair gives it (alias clauses made aliases).
	// 126 entries (3.7 %) differ on 2026-12-07 (146 before Repair); more means the reader got worse.
	if bad > 126 {
		t.Errorf("%d of 3409 entries differ, want at most 126", bad)
	}
}

// noteRe is the cross-reference the reader keeps apart, in the remarks.
var noteRe = regexp.MustCompile(`(?i)\s*\((see [^()]*)\)\.?\s*$`)

// undot drops a final period: the law's text cannot tell "Ltd." ending a name from "Ltd" ending a sentence.
func undot(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ".") }

func undots(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, undot(x))
	}
	return out
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// flat compares addresses regardless of how they were split: separators and "and" removed.
func flat(s string) string {
	r := strings.NewReplacer(";", " ", ",", " ", ".", " ", " and ", " ")
	return strings.Join(strings.Fields(r.Replace(" "+s+" ")), " ")
}
