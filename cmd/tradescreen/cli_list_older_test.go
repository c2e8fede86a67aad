package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIListOlderThanReplaced gives, to each command that takes --list, a CSL sample whose lists are dated
// 2023-07-19 (its newest start date): its Entity List of one entry replaces the embedded one of 2026-07-09,
// and its Denied Persons List the embedded one of 2023-11-28. Each command says so on standard error, naming
// the list and both dates; a list of the same date as the one it replaces (the 2022 CSL's SDN) is not named.
func TestCLIListOlderThanReplaced(t *testing.T) {
	dir := t.TempDir()
	sample := "csl=" + filepath.Join(cliLists, "csl", "consolidated_2025-06_sample.csv")
	order := cliWriteFile(t, dir, "order.json", []byte(rulesOrderJSON("DE", `{"eccn": "EAR99"}`)))
	in := cliWriteFile(t, dir, "in.csv", []byte("id,name\n1,Hikvision\n"))
	wants := []string{
		"warning: --list " + sample + ": its us_el of 2023-07-19 (1 entry) replaces a newer us_el of 2026-07-09 " +
			"(3409 entries, embedded snapshot: entity_list_2026-07-09.xml.gz); this run screens us_el as of 2023-07-19\n",
		"warning: --list " + sample + ": its us_dpl of 2023-07-19 (1 entry) replaces a newer us_dpl of 2023-11-28 " +
			"(547 entries, embedded snapshot: dpl_2023-11.txt.gz); this run screens us_dpl as of 2023-07-19\n",
	}
	for _, args := range [][]string{
		{"check", "--list", sample, "Hikvision"},
		{"order", "--list", sample, order},
		{"batch", in, "-o", filepath.Join(dir, "out.jsonl"), "--list", sample},
		{"lists", "show", "--list", sample},
	} {
		r := cliRun(t, args...)
		r.cliWant(t, 0)
		cliContainsAll(t, strings.Join(args[:1], " "), r.stderr, wants...)
		if strings.Contains(r.stderr, "replaces a newer us_sdn") {
			t.Errorf("%s: us_sdn named:\n%s", args[0], r.stderr)
		}
	}
	// The 2022 CSL's SDN is the embedded one (same date): no warning for it; its older Entity List is named.
	r := cliRun(t, "check", "--list", "csl="+filepath.Join(cliLists, "csl", "consolidated_2022-05-16.csv.gz"), "Hikvision")
	r.cliWant(t, 0)
	cliContainsAll(t, "check --list csl=2022", r.stderr, "its us_el of 2022-05-16 (2001 entries) replaces a newer us_el of 2026-07-09")
	if strings.Contains(r.stderr, "newer us_sdn") || strings.Contains(r.stderr, "newer us_uvl") {
		t.Errorf("a list of the same date named:\n%s", r.stderr)
	}
}
