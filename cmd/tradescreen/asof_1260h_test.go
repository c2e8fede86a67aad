package main

import (
	"encoding/json"
	"net/url"
	"testing"
)

// dated1260H are entries of the 1260H list dated by the DoD list that first named them: COSCO Shipping by
// the list of 2025-01-06 (90 FR 1105), TP-Link and Zhongji Innolight by that of 2026-06-10 (first named in
// the notice of 2026-02-13, withdrawn). A screening as of a date before that list does not find them on
// us_1260h.
var dated1260H = []struct {
	name, asOf string
	found      bool
}{
	{"China COSCO SHIPPING Corporation Limited", "2024-06-01", false},
	{"China COSCO SHIPPING Corporation Limited", "2025-06-01", true},
	{"TP-Link Technologies Co., Ltd.", "2025-06-01", false},
	{"TP-Link Technologies Co., Ltd.", "2026-07-01", true},
	{"Zhongji Innolight Co., Ltd.", "2025-06-01", false},
	{"Zhongji Innolight Co., Ltd.", "2026-07-01", true},
}

func on1260H(ms []cliMatch, name string) bool {
	for _, m := range ms {
		if m.Source == "us_1260h" && m.Name == name {
			return true
		}
	}
	return false
}

func TestCLICheckAsOf1260HDates(t *testing.T) {
	for _, c := range dated1260H {
		out := cliCheck(t, "--as-of", c.asOf, c.name)
		if got := on1260H(out.Matches, c.name); got != c.found {
			t.Errorf("check --as-of %s %q: on us_1260h %v, want %v", c.asOf, c.name, got, c.found)
		}
	}
}

func TestServeSearchAsOf1260HDates(t *testing.T) {
	addr, _ := serveInProcess(t, map[string]string{})
	base := "http://" + addr
	waitReady(t, base)
	for _, c := range dated1260H {
		var res struct {
			Matches []cliMatch `json:"matches"`
		}
		u := base + "/v1/search?q=" + url.QueryEscape(c.name) + "&as_of=" + c.asOf
		if err := json.Unmarshal(parityBody(t, "GET", u, ""), &res); err != nil {
			t.Fatal(err)
		}
		if got := on1260H(res.Matches, c.name); got != c.found {
			t.Errorf("GET /v1/search as_of %s %q: on us_1260h %v, want %v", c.asOf, c.name, got, c.found)
		}
	}
}
