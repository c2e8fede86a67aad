package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// listAge is a list's age as `lists show --json` and GET /v1/lists give it.
type listAge struct {
	Source     string `json:"source"`
	Published  string `json:"published"`
	AgeDays    int    `json:"age_days"`
	Stale      bool   `json:"stale"`
	MaxAgeDays int    `json:"max_age_days"`
}

// TestCLIListsShowAge runs `lists show` (table and --json) and `serve` with the same stale age (the default
// and 36500d): every list has the age in days and the stale flag GET /v1/lists gives it, and the table shows
// the same numbers. gb_hmt (2020-04-27) is stale under the default 7 days; nothing is under 100 years.
func TestCLIListsShowAge(t *testing.T) {
	for _, staleAge := range []string{"", "36500d"} {
		env := map[string]string{"TRADESCREEN_DATA_DIR": t.TempDir()}
		env["TRADESCREEN_DB"] = filepath.Join(env["TRADESCREEN_DATA_DIR"], "tradescreen.db")
		var flags []string
		if staleAge != "" {
			flags = []string{"--stale-list-age", staleAge}
		}
		addr, _ := serveInProcess(t, env, flags...)
		waitReady(t, "http://"+addr)
		var api struct{ Lists []listAge }
		if err := json.Unmarshal(parityBody(t, "GET", "http://"+addr+"/v1/lists", ""), &api); err != nil {
			t.Fatal(err)
		}
		r := clusterRun(t, env, append([]string{"lists", "show", "--json"}, flags...)...)
		r.cliWant(t, 0)
		var cli []listAge
		if err := json.Unmarshal([]byte(r.stdout), &cli); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
		}
		text := clusterRun(t, env, append([]string{"lists", "show"}, flags...)...)
		text.cliWant(t, 0)
		table := listsShowAges(t, text.stdout)
		if len(cli) != len(api.Lists) || len(cli) < 10 {
			t.Fatalf("stale age %q: lists show gives %d lists, /v1/lists %d", staleAge, len(cli), len(api.Lists))
		}
		for i, l := range cli {
			if a := api.Lists[i]; l != a || l.Published == "" || l.AgeDays < 0 {
				t.Errorf("stale age %q: lists show --json %+v, /v1/lists %+v", staleAge, l, a)
			}
			if got, want := table[l.Source], fmt.Sprintf("%d days %v", l.AgeDays, l.Stale); got != want {
				t.Errorf("stale age %q: table row %s says %q, want %q", staleAge, l.Source, got, want)
			}
			if l.Source == "gb_hmt" && l.Stale != (staleAge == "") {
				t.Errorf("stale age %q: gb_hmt stale %v", staleAge, l.Stale)
			}
			if staleAge != "" && (l.Stale || l.MaxAgeDays != 36500) {
				t.Errorf("stale age %q: %+v", staleAge, l)
			}
		}
		maxAge := map[string]string{"": "7 days", "36500d": "36500 days"}[staleAge]
		cliContainsAll(t, "lists show", text.stdout, "stale: older than "+maxAge)
	}
}

// listsShowAges reads the AGE and STALE columns of the `lists show` table: "N days true|false" per source.
func listsShowAges(t *testing.T, out string) map[string]string {
	t.Helper()
	lines := strings.Split(out, "\n")
	if f := strings.Fields(lines[0]); len(f) < 5 || f[3] != "AGE" || f[4] != "STALE" {
		t.Fatalf("header %q", lines[0])
	}
	row := regexp.MustCompile(`^(\w+)\s+.+?\s+\d{4}-\d{2}-\d{2}\s+(\d+) days\s+(yes|no)\s+\d+\s+\d+\s`)
	ages := map[string]string{}
	for _, line := range lines[1:] {
		if m := row.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			ages[m[1]] = fmt.Sprintf("%d days %v", n, m[3] == "yes")
		}
	}
	return ages
}
