package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// TestListsUpdateHistoryDiff runs lists update against a local server (127.0.0.1) serving the real UN files,
// then lists history, lists diff, lists show and check --as-of on the stored versions.
func TestListsUpdateHistoryDiff(t *testing.T) {
	var body atomic.Pointer[[]byte]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := *body.Load()
		if strings.HasPrefix(string(b), "<!DOCTYPE") {
			w.Header().Set("Content-Type", "text/html")
		}
		w.Write(b)
	}))
	defer srv.Close()
	serve := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		body.Store(&b)
	}
	dir := t.TempDir()
	src := "un=" + srv.URL + "/consolidated.xml"

	serve(cliLists + "/un/consolidated_2018-06-07.xml.gz")
	r := cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--backoff", "1ms")
	r.cliWant(t, 0)
	cliContainsAll(t, "first update", r.stdout, "un", "accepted  #1 published 2018-06-07, un_sc 1098")
	// Each step is said on stderr as it happens.
	gz, _ := os.Stat(cliLists + "/un/consolidated_2018-06-07.xml.gz")
	cliContainsAll(t, "first update's progress", r.stderr,
		"un: connecting to "+srv.URL+"/consolidated.xml\n",
		fmt.Sprintf("un: downloaded %d bytes\n", gz.Size()),
		"un: validating consolidated.xml with the un reader\n",
		"un: storing: un_sc: 1098 entries (first version); parsed completely; every entry has a name and an id\n",
		"un: stored as #1 (published 2018-06-07)\n")

	html := []byte("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
	body.Store(&html)
	r = cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--backoff", "1ms")
	r.cliWant(t, 1)
	cliContainsAll(t, "rejected update", r.stdout, "rejected", "HTML page", "keeping un #1 of 2018-06-07")
	cliContainsAll(t, "rejected update", r.stderr, "1 of 1 sources not updated",
		fmt.Sprintf("un: downloaded %d bytes\n", len(html)), "un: rejected: the server sent an HTML page")

	serve(cliLists + "/un/consolidated_2018-10-29.xml.gz")
	r = cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--backoff", "1ms")
	r.cliWant(t, 0)
	cliContainsAll(t, "second update", r.stdout, "accepted  #2 published 2018-10-29, un_sc 1093")

	r = cliRun(t, "lists", "history", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "history", r.stdout, "#1  ", "#2  ", "2018-06-07", "2018-10-29", "un_sc 1098", "un_sc 1093")

	r = cliRun(t, "lists", "diff", "un_sc", "--from", "#1", "--to", "2018-10-29", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "diff", r.stdout, "11 added, 16 removed", "+ un_sc/LYi.027", "- un_sc/IQe.024", "~ un_sc/LYi.022", "aliases + ")

	r = cliRun(t, "lists", "diff", "un", "--from", "#1", "--data-dir", dir, "--json")
	r.cliWant(t, 0)
	var diffs []struct {
		Source         string
		Added, Removed int
	}
	if err := json.Unmarshal([]byte(r.stdout), &diffs); err != nil || len(diffs) != 1 || diffs[0].Added != 11 || diffs[0].Removed != 16 {
		t.Errorf("diff --json: %v %+v", err, diffs)
	}

	// The stored UN version replaces the embedded one; the embedded US and UK lists stay, without warnings.
	r = cliRun(t, "lists", "show", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "lists show", r.stdout, "data dir: un #2", "us_el", "gb_hmt")
	if !regexp.MustCompile(`(?m)^un_sc .* 2018-10-29 .* 1093 `).MatchString(r.stdout) {
		t.Errorf("lists show: un_sc is not the stored version of 2018-10-29 with 1093 entries:\n%s", r.stdout)
	}
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("warnings: %s", r.stderr)
	}

	// On 2018-07-01, between the UN versions of 2018-06-07 and 2018-10-29, neither is known to be the list
	// of that day: the older one's entries are screened, with the newer one's that its dates allow.
	r = cliRun(t, "check", "--as-of", "2018-07-01", "--data-dir", dir, "--source", "un_sc", "Ayman al-Zawahiri")
	r.cliWant(t, 0)
	cliContainsAll(t, "check --as-of", r.stdout, "un_sc    inferred    between the version of 2018-06-07 (un #1 of 2018-06-07) and the next held, of 2018-10-29",
		"in the 2018-06-07 list, and still in the 2018-10-29 list")
}

// TestCheckAsOfHikvision screens Hikvision on the day before and after its Entity List listing (84 FR 54002,
// start date 2019-10-09), from the embedded 2022 CSL alone.
func TestCheckAsOfHikvision(t *testing.T) {
	r := cliRun(t, "check", "--as-of", "2019-10-01", "--source", "us_el", "Hikvision")
	r.cliWant(t, 0)
	cliContainsAll(t, "2019-10-01", r.stdout, "Hikvision: no match", "us_el    inferred")
	r = cliRun(t, "check", "--as-of", "2019-10-10", "--source", "us_el", "--json", "Hikvision")
	r.cliWant(t, 0)
	var res struct {
		AsOf    string `json:"as_of"`
		Matches []struct {
			Source   string `json:"source"`
			AsOfNote string `json:"as_of_note"`
			Entry    struct {
				FederalRegister []string `json:"federal_register"`
				StartDate       string   `json:"start_date"`
			} `json:"entry"`
		} `json:"matches"`
		PointInTime struct {
			Date  string
			Lists []struct{ Source, Status string }
		} `json:"point_in_time"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) == 0 || res.Matches[0].Source != "us_el" || res.Matches[0].Entry.StartDate != "2019-10-09" ||
		res.Matches[0].AsOfNote != "inferred from start_date 2019-10-09 in the 2022-05-16 list" ||
		!strings.Contains(strings.Join(res.Matches[0].Entry.FederalRegister, ";"), "84 FR 54002") {
		t.Errorf("2019-10-10: %+v", res)
	}
	// The SDN rows of the CSL carry no dates: the answer says us_sdn is not covered rather than guess.
	r = cliRun(t, "check", "--as-of", "2019-10-10", "--json", "Hikvision")
	r.cliWant(t, 0)
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range res.PointInTime.Lists {
		if p.Source == "us_sdn" && p.Status == "not covered" {
			found = true
		}
	}
	if !found {
		t.Errorf("us_sdn not reported as not covered: %+v", res.PointInTime)
	}
	r = cliRun(t, "check", "--as-of", "2019-02-30", "Hikvision")
	r.cliWant(t, 2)
}

// TestListsDiffFiles compares two real consecutive-day SDN files given as KIND=PATH, with no data directory.
func TestListsDiffFiles(t *testing.T) {
	r := cliRun(t, "lists", "diff", "us_sdn",
		"--from", "ofac="+cliLists+"/ofac/sdn_dated/sdn_2022-02-23.csv.gz",
		"--to", "ofac="+cliLists+"/ofac/sdn_dated/sdn_2022-02-24.csv.gz")
	r.cliWant(t, 0)
	cliContainsAll(t, "diff", r.stdout, "2 added, 0 removed, 0 changed", "+ us_sdn/31926  NORD STREAM 2 AG")
	r = cliRun(t, "lists", "diff", "us_sdn", "--from", "#1")
	r.cliWant(t, 1)
	cliContainsAll(t, "diff without a store", r.stderr, "no list versions stored")
	r = cliRun(t, "lists", "update", "--source", "nope=http://127.0.0.1:1/x")
	r.cliWant(t, 2)
	r = cliRun(t, "lists", "history")
	r.cliWant(t, 0)
	cliContainsAll(t, "history without a store", r.stdout, "No list versions stored")
}
