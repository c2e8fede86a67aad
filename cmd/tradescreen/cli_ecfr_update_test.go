package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
)

// cliECFRServer serves the eCFR versioner API on 127.0.0.1 over the two eCFR-format versions of Part 744 in
// testdata/lists/entity_list/ecfr: titles.json says title 15 is up to date as of 2026-07-09, and
// full/DATE/title-15.xml?part=744 serves the newest version dated on or before DATE, as the eCFR does.
func cliECFRServer(t *testing.T) *httptest.Server {
	t.Helper()
	versions := map[string][]byte{}
	for _, d := range []string{"2019-06-01", "2026-07-09"} {
		b, err := os.ReadFile(cliLists + "/entity_list/ecfr/title-15_" + d + ".xml")
		if err != nil {
			t.Fatal(err)
		}
		versions[d] = b
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/versioner/v1/titles.json" {
			w.Write([]byte(`{"titles":[{"number":15,"name":"Commerce and Foreign Trade","latest_amended_on":"2026-07-07","up_to_date_as_of":"2026-07-09","reserved":false}],"meta":{"date":"2026-07-09"}}`))
			return
		}
		date, _ := strings.CutPrefix(r.URL.Path, "/api/versioner/v1/full/")
		date, ok := strings.CutSuffix(date, "/title-15.xml")
		var held []string
		for d := range versions {
			if d <= date {
				held = append(held, d)
			}
		}
		if !ok || r.URL.Query().Get("part") != "744" || len(held) == 0 {
			http.NotFound(w, r)
			return
		}
		sort.Strings(held)
		w.Write(versions[held[len(held)-1]])
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestListsUpdateECFR: lists update fetches the newest eCFR version of the Entity List, lists update --as-of
// fetches the one in force on a past date, and check answers us_el from each: today from the newest, on
// 2019-07-01 from the text of that day (Huawei listed, Hikvision not yet).
func TestListsUpdateECFR(t *testing.T) {
	srv := cliECFRServer(t)
	dir := t.TempDir()
	src := "ecfr=" + srv.URL

	r := cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--retries", "0")
	r.cliWant(t, 0)
	cliContainsAll(t, "newest", r.stdout, "ecfr       accepted  #1 published 2026-07-09, us_el 59")
	cliContainsAll(t, "newest's progress", r.stderr,
		"ecfr: reading the newest date of title 15 from "+srv.URL+"/api/versioner/v1/titles.json\n",
		"ecfr: title 15 is up to date as of 2026-07-09; fetching Part 744 as of 2026-07-09\n",
		"ecfr: connecting to "+srv.URL+"/api/versioner/v1/full/2026-07-09/title-15.xml?part=744\n",
		"ecfr: downloaded 38532 bytes\n",
		"ecfr: validating title-15_2026-07-09.xml with the ecfr reader\n",
		"ecfr: stored as #1 (published 2026-07-09)\n")

	r = cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--retries", "0", "--as-of", "2019-07-01")
	r.cliWant(t, 0)
	cliContainsAll(t, "as of 2019-07-01", r.stdout, "ecfr       accepted  #2 published 2019-07-01, us_el 6")

	// Today us_el comes from the newest stored version, not from the one fetched last.
	now := cliCheck(t, "--data-dir", dir, "--source", "us_el", "Kaspersky Lab")
	if len(now.Matches) == 0 || now.Matches[0].Name != "AO Kaspersky Lab" {
		t.Errorf("today: %+v, want AO Kaspersky Lab", first(now.Matches))
	}
	r = cliRun(t, "lists", "show", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "lists show", r.stdout, "data dir: ecfr #1 (title-15_2026-07-09.xml)")

	// On 2019-07-01 the stored text of that day answers: Huawei was listed, Hikvision (October 2019) not yet.
	r = cliRun(t, "check", "--as-of", "2019-07-01", "--data-dir", dir, "--source", "us_el", "Huawei Technologies Co., Ltd.")
	r.cliWant(t, 0)
	cliContainsAll(t, "Huawei as of 2019-07-01", r.stdout, "Huawei Technologies Co., Ltd.",
		"us_el    in force    the version of 2019-07-01 (ecfr #2 of 2019-07-01) is the list of that day")
	hik := cliCheck(t, "--as-of", "2019-07-01", "--data-dir", dir, "--source", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd.")
	for _, m := range hik.Matches {
		if m.Source == "us_el" {
			t.Errorf("as of 2019-07-01 Hikvision matched %q", m.Name)
		}
	}
	// On 2020-06-01, between the text of 2019-07-01 and the next version held (the embedded 2022 list),
	// neither is known to be the list of that day: Hikvision, in the newer list with its start date
	// 2019-10-09, is found, and the answer says how.
	r = cliRun(t, "check", "--as-of", "2020-06-01", "--data-dir", dir, "--source", "us_el", "Hikvision")
	r.cliWant(t, 0)
	cliContainsAll(t, "Hikvision as of 2020-06-01", r.stdout, "Hangzhou Hikvision Digital Technology Co., Ltd.",
		"added after the 2019-07-01 list: start_date 2019-10-09 in the 2022-05-16 list",
		"between the version of 2019-07-01 (ecfr #2 of 2019-07-01) and the next held, of 2022-05-16")

	// Beyond the eCFR's date, nothing is stored and the run says so.
	r = cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--retries", "0", "--as-of", "2026-10-01")
	r.cliWant(t, 1)
	cliContainsAll(t, "beyond", r.stdout, "ecfr       failed", "has no text for 2026-10-01")
	r = cliRun(t, "lists", "update", "--data-dir", dir, "--as-of", "2019-02-30")
	r.cliWant(t, 2)
}

// TestCheckAsOfFetch: check --as-of DATE --fetch fetches the eCFR text of the Entity List in force on DATE
// into the data directory and answers us_el from it, fetches it only once, and, when the eCFR cannot be
// reached or has no text for the date, says so and answers from what is held.
func TestCheckAsOfFetch(t *testing.T) {
	srv := cliECFRServer(t)
	dir := t.TempDir()
	fetch := "--fetch=" + srv.URL

	r := cliRun(t, "check", "--as-of", "2019-07-01", fetch, "--data-dir", dir, "--source", "us_el", "Huawei Technologies Co., Ltd.")
	r.cliWant(t, 0)
	cliContainsAll(t, "fetched", r.stderr, "ecfr: connecting to "+srv.URL+"/api/versioner/v1/full/2019-07-01/title-15.xml?part=744\n",
		"ecfr: stored as #1 (published 2019-07-01)\n")
	cliContainsAll(t, "answered from the law of the day", r.stdout, "Huawei Technologies Co., Ltd.",
		"(ecfr #1 of 2019-07-01) is the list of that day")

	// The second time the text is held: no request, and Hikvision (listed in October 2019) is not found.
	r = cliRun(t, "check", "--as-of", "2019-07-01", fetch, "--data-dir", dir, "--source", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd.")
	r.cliWant(t, 0)
	if strings.Contains(r.stderr, "connecting") || !strings.Contains(r.stderr, "us_el: the eCFR text in force on 2019-07-01 is held (ecfr #1 of 2019-07-01)") {
		t.Errorf("second fetch: %s", r.stderr)
	}
	if !strings.Contains(r.stdout, "no match") {
		t.Errorf("as of 2019-07-01 Hikvision matched:\n%s", r.stdout)
	}

	// The eCFR has no text beyond its date, and an unreachable one: a warning, and the answer from what is held.
	r = cliRun(t, "check", "--as-of", "2026-10-01", fetch, "--data-dir", dir, "--source", "us_el", "Kaspersky Lab")
	r.cliWant(t, 0)
	cliContainsAll(t, "beyond the eCFR", r.stderr, "warning: us_el: the eCFR text in force on 2026-10-01 could not be fetched", "has no text for 2026-10-01")
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	r = cliRun(t, "check", "--as-of", "2021-01-01", "--fetch="+closed.URL, "--data-dir", dir, "--source", "us_el", "Huawei Technologies Co., Ltd.")
	r.cliWant(t, 0)
	cliContainsAll(t, "offline", r.stderr, "warning: us_el: the eCFR text in force on 2021-01-01 could not be fetched")
	cliContainsAll(t, "offline answer", r.stdout, "Huawei Technologies Co., Ltd.", "As of 2021-01-01")

	// --fetch needs a date, and a URL that is one.
	cliRun(t, "check", "--fetch", "--data-dir", dir, "Huawei").cliWant(t, 2)
	cliRun(t, "check", "--as-of", "2021-01-01", "--fetch=ecfr.gov", "--data-dir", dir, "Huawei").cliWant(t, 2)
}
