package main

import (
	"testing"
)

// TestCheckCurrentEntityList: the embedded Entity List is the 2026-07-09 text of Supplement No. 4 to Part
// 744, so parties listed after the 2022 CSL are found; the 2022 list still answers for earlier dates.
func TestCheckCurrentEntityList(t *testing.T) {
	cases := []struct{ query, name string }{
		{"Kaspersky Lab", "AO Kaspersky Lab"},
		{"Yangtze Memory Technologies", "Yangtze Memory Technologies Co., Ltd."},
		{"Biren Technology", "Shanghai Biren Intelligent Technology Co., Ltd."},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			out := cliCheck(t, c.query)
			if len(out.Matches) == 0 || out.Matches[0].Source != "us_el" || out.Matches[0].Name != c.name {
				t.Fatalf("first match %+v, want us_el %q", first(out.Matches), c.name)
			}
			e := out.Matches[0].Entry
			if e.LicenseRequirement == "" || len(e.FederalRegister) == 0 || e.LicensePolicy == "" {
				t.Errorf("entry without requirement, policy or citations: %+v", e)
			}
			for _, l := range out.Lists {
				if l.Source == "us_el" && (l.Published != "2026-07-09" || l.Format != "ecfr") {
					t.Errorf("us_el version %+v, want the 2026-07-09 eCFR file", l)
				}
			}
		})
	}
	// On 2023-01-01, between the 2022-05-16 list and the 2026-07-09 text, Kaspersky (listed 2024) was not
	// listed yet; on 2025-06-01 it and Biren Technology (listed 2023-10-19) were, though the 2022 list lacks
	// them: the newer text's start dates say so.
	for _, name := range []string{"Kaspersky Lab", "Biren Technology"} {
		r := cliCheck(t, "--as-of", "2025-06-01", name)
		if len(r.Matches) == 0 || r.Matches[0].Source != "us_el" {
			t.Errorf("as of 2025-06-01 %s: %+v, want a us_el match", name, first(r.Matches))
		}
	}
	past := cliCheck(t, "--as-of", "2023-01-01", "Kaspersky Lab")
	for _, m := range past.Matches {
		if m.Source == "us_el" {
			t.Errorf("as of 2023-01-01 us_el matched %q", m.Name)
		}
	}
	// Hikvision, listed in 2019, is found on that date from the 2022 list.
	hik := cliCheck(t, "--as-of", "2023-01-01", "Hangzhou Hikvision Digital Technology Co., Ltd.")
	if len(hik.Matches) == 0 || hik.Matches[0].Source != "us_el" {
		t.Errorf("as of 2023-01-01 Hikvision: %+v, want a us_el match", first(hik.Matches))
	}
}

func first(ms []cliMatch) any {
	if len(ms) == 0 {
		return "no match"
	}
	return ms[0]
}

// TestCheckAsOfSupersededLists: the Denied Persons List of 2023-11 and OFAC's non-SDN lists of 2026-01-08
// are screened today; on an earlier date the list in force is the one embedded for it (the 2022 CSL's, kept
// in the snapshot's history), on 2024-01-01 the DPL of 2023-11-28 and still the CSL's non-SDN lists.
func TestCheckAsOfSupersededLists(t *testing.T) {
	cases := []struct {
		asOf string
		want map[string]string // list -> published
	}{
		{"", map[string]string{"us_dpl": "2023-11-28", "us_ssi": "2026-01-08", "us_fse": "2026-01-08", "us_sdn": "2022-05-16"}},
		{"2023-01-01", map[string]string{"us_dpl": "2022-05-16", "us_ssi": "2022-05-16", "us_fse": "2022-05-16", "us_sdn": "2022-05-16"}},
		{"2024-01-01", map[string]string{"us_dpl": "2023-11-28", "us_ssi": "2022-05-16", "us_fse": "2022-05-16", "us_sdn": "2022-05-16"}},
	}
	for _, c := range cases {
		args := []string{"Mansour Zadeh"}
		if c.asOf != "" {
			args = append([]string{"--as-of", c.asOf}, args...)
		}
		out := cliCheck(t, args...)
		got := map[string]string{}
		for _, l := range out.Lists {
			if _, ok := c.want[l.Source]; ok {
				got[l.Source] = l.Published
			}
		}
		for code, pub := range c.want {
			if got[code] != pub {
				t.Errorf("as of %q: %s of %q, want %s", c.asOf, code, got[code], pub)
			}
		}
		// MANSOUR ZADEH is a denied person on every version (dpl.txt and the CSL's DPL rows).
		if len(out.Matches) == 0 || out.Matches[0].Source != "us_dpl" || out.Matches[0].Name != "MANSOUR ZADEH" {
			t.Errorf("as of %q: first match %+v, want us_dpl MANSOUR ZADEH", c.asOf, first(out.Matches))
		}
	}
}
