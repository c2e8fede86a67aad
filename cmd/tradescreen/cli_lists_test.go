package main

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// lists show: which lists the embedded snapshot holds, of which date, with how many entries.
func TestCLIListsShow(t *testing.T) {
	t.Parallel()
	want := map[string]string{"us_el": "2026-07-09", "us_sdn": "2022-05-16", "un_sc": "2026-02-27", "gb_hmt": "2020-04-27",
		"us_dpl": "2023-11-28", "us_ssi": "2026-01-08", "us_fse": "2026-01-08"}
	// OFAC's CONSOLIDATED.xml of 2026-01-08 has no entry on the Foreign Sanctions Evaders list: the list is
	// shown, empty, of that date. Every other list has entries.
	empty := map[string]bool{"us_fse": true}
	t.Run("table", func(t *testing.T) {
		t.Parallel()
		r := cliRun(t, "lists", "show")
		r.cliWant(t, 0)
		row := regexp.MustCompile(`^(\w+)\s+(.+?)\s+(\d{4}-\d{2}-\d{2}|unknown)\s+(?:\d+ days|unknown)\s+(?:yes|no)\s+(\d+)\s+(\d+)\s+(.*)$`)
		seen := map[string]bool{}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if !strings.HasPrefix(lines[0], "SOURCE") || !strings.Contains(lines[0], "PUBLISHED") || !strings.Contains(lines[0], "ENTRIES") {
			t.Errorf("header %q", lines[0])
		}
		for _, line := range lines[1:] {
			m := row.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			src, date := m[1], m[3]
			entries, _ := strconv.Atoi(m[4])
			names, _ := strconv.Atoi(m[5])
			seen[src] = true
			if d, ok := want[src]; ok && date != d {
				t.Errorf("%s published %s, want %s", src, date, d)
			}
			if (entries == 0) != empty[src] || names < entries {
				t.Errorf("%s: %d entries, %d names", src, entries, names)
			}
			if !strings.HasPrefix(m[6], "embedded snapshot: ") {
				t.Errorf("%s from %q", src, m[6])
			}
		}
		for src := range want {
			if !seen[src] {
				t.Errorf("lists show has no %s row:\n%s", src, r.stdout)
			}
		}
		cliContainsAll(t, "lists show", r.stdout, "Entity List", "Specially Designated Nationals", "UN Security Council", "total")
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		r := cliRun(t, "lists", "--json") // show is the default subcommand
		r.cliWant(t, 0)
		var lists []cliList
		if err := json.Unmarshal([]byte(r.stdout), &lists); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
		}
		got := map[string]cliList{}
		for _, l := range lists {
			got[l.Source] = l
			if (l.Entries == 0) != empty[l.Source] || l.Names < l.Entries || l.Format == "" || len(l.SHA256) != 64 {
				t.Errorf("list %+v", l)
			}
		}
		for src, d := range want {
			l, ok := got[src]
			if !ok || l.Published != d {
				t.Errorf("%s: %+v, want published %s", src, l, d)
			}
		}
		// The Entity List of July 2026 holds 3,409 entries (one per row of Supplement No. 4).
		if n := got["us_el"].Entries; n != 3409 {
			t.Errorf("us_el has %d entries", n)
		}
		if n := got["us_sdn"].Entries; n < 8000 {
			t.Errorf("us_sdn has %d entries", n)
		}
	})
}

func TestCLIListsFormats(t *testing.T) {
	t.Parallel()
	r := cliRun(t, "lists", "formats")
	r.cliWant(t, 0)
	kinds := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			t.Errorf("line without a description: %q", line)
			continue
		}
		kinds[f[0]] = true
	}
	for _, k := range []string{"csl", "ofac", "un", "uk", "eu", "dpl"} {
		if !kinds[k] {
			t.Errorf("lists formats has no %s:\n%s", k, r.stdout)
		}
	}
}
