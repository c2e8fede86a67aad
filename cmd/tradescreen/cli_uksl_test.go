package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// TestUKSanctionsList: the FCDO UK Sanctions List is read with --list uksl=PATH and downloaded by lists
// update (source uksl) as gb_fcdo; the retired OFSI feed is skipped unless named.
func TestUKSanctionsList(t *testing.T) {
	sample := cliLists + "/uk/UK_Sanctions_List_format_sample_2026-10.csv"
	out := cliCheck(t, "--list", "uksl="+sample, "--source", "gb_fcdo", "Korolev Prospect")
	if len(out.Matches) == 0 || out.Matches[0].Source != "gb_fcdo" || out.Matches[0].SourceID != "RUS2176" {
		t.Fatalf("first match %+v, want gb_fcdo RUS2176", first(out.Matches))
	}
	alias := cliCheck(t, "--list", "uksl="+sample, "--source", "gb_fcdo", "Haji Alim Hawala")
	if len(alias.Matches) == 0 || alias.Matches[0].SourceID != "AFG0001" || alias.Matches[0].MatchedType != "aka" {
		t.Errorf("alias: %+v", first(alias.Matches))
	}

	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(b) }))
	defer srv.Close()
	dir := t.TempDir()
	r := cliRun(t, "lists", "update", "--data-dir", dir, "--source", "uksl="+srv.URL+"/docs/UK-Sanctions-List.csv", "--retries", "0")
	r.cliWant(t, 0)
	cliContainsAll(t, "update", r.stdout, "uksl       accepted  #1 published 2026-10-08, gb_fcdo 2")
	cliContainsAll(t, "update progress", r.stderr, "uksl: validating UK-Sanctions-List.csv with the uksl reader\n")
	r = cliRun(t, "lists", "show", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "lists show", r.stdout, "gb_fcdo", "data dir: uksl #1", "gb_hmt")
}
