package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/snapshot"
)

// The officer's first question: "is Hikvision listed, and what follows from it?"
func TestCLICheckHikvision(t *testing.T) {
	t.Parallel()
	// The 2022-05-16 list (in force on 2023-01-01) states the review policy and cites the rule's first page.
	r := cliRun(t, "check", "--as-of", "2023-01-01", "Hikvision")
	r.cliWant(t, 0)
	out := r.stdout
	cliContainsAll(t, "check Hikvision", out,
		"Hangzhou Hikvision Digital Technology Co., Ltd.",
		"[us_el] Entity List",
		"matched alias (a.k.a.): Hikvision",
		"For all items subject to the EAR",
		"licence policy:",
		"presumption of denial for all other items subject to the EAR",
		"84 FR 54002",
		"2019-10-09",
		"as of 2022-05-16",
		"un_sc as of 2026-02-27",
		"gb_hmt as of 2020-04-27",
	)
	// The Entity List entry is one of the best matches; the first numbered match scores 1.00 and whatever comes
	// first, the us_el entry is shown with its licence facts under it.
	if !regexp.MustCompile(`(?m)^Hikvision: \d+ match(es)? at or above 0\.80$`).MatchString(out) {
		t.Errorf("no summary line with the alert threshold:\n%s", out)
	}
	el := strings.Index(out, "[us_el] Entity List")
	lic := strings.Index(out, "licence requirement: For all items subject to the EAR")
	if el < 0 || lic < el {
		t.Errorf("the licence requirement is not shown under the Entity List match:\n%s", out)
	}
	// The embedded lists are older than a week: one warning line names them.
	if !strings.HasPrefix(r.stderr, "warning: lists older than their maximum age") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr, want one warning line naming the stale lists: %s", r.stderr)
	}
}

func TestCLICheckHikvisionJSON(t *testing.T) {
	t.Parallel()
	r := cliRun(t, "check", "--json", "--as-of", "2023-01-01", "Hikvision")
	r.cliWant(t, 0)
	// Every match carries the documented members.
	var raw struct {
		Matches []map[string]json.RawMessage `json:"matches"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	for i, m := range raw.Matches {
		for _, k := range []string{"source", "source_id", "name", "matched_name", "score", "explanation", "entry"} {
			if _, ok := m[k]; !ok {
				t.Errorf("match %d has no %q member", i, k)
			}
		}
	}
	var res cliCheckJSON
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Query.Name != "Hikvision" {
		t.Errorf("query.name = %q", res.Query.Name)
	}
	if res.Threshold != match.DefaultThreshold {
		t.Errorf("threshold = %v, want the default %v", res.Threshold, match.DefaultThreshold)
	}
	if len(res.Matches) == 0 {
		t.Fatal("no matches")
	}
	if !sort.SliceIsSorted(res.Matches, func(i, j int) bool { return res.Matches[i].Score > res.Matches[j].Score }) {
		t.Errorf("matches not sorted by score: %v", cliScores(res.Matches))
	}
	var el *cliMatch
	for i := range res.Matches {
		m := &res.Matches[i]
		if m.Score < match.DefaultThreshold || m.Score > 1 {
			t.Errorf("match %s/%s score %v outside [threshold, 1]", m.Source, m.SourceID, m.Score)
		}
		if m.Source == "us_el" && el == nil {
			el = m
		}
	}
	if el == nil {
		t.Fatalf("no us_el match: %+v", res.Matches)
	}
	if el.Name != "Hangzhou Hikvision Digital Technology Co., Ltd." || el.MatchedName != "Hikvision" || el.SourceID == "" {
		t.Errorf("us_el match name %q matched_name %q source_id %q", el.Name, el.MatchedName, el.SourceID)
	}
	if el.Score < 0.99 {
		t.Errorf("an exact alias scores %v, want 1", el.Score)
	}
	if el.Explanation.Summary == "" || len(el.Explanation.Tokens) == 0 {
		t.Errorf("no explanation: %+v", el.Explanation)
	}
	if !strings.HasPrefix(el.Entry.LicenseRequirement, "For all items subject to the EAR") {
		t.Errorf("entry.license_requirement = %q", el.Entry.LicenseRequirement)
	}
	if !strings.Contains(strings.ToLower(el.Entry.LicensePolicy), "presumption of denial") {
		t.Errorf("entry.license_policy = %q", el.Entry.LicensePolicy)
	}
	if !cliHas(el.Entry.FederalRegister, "84 FR 54002") {
		t.Errorf("entry.federal_register = %q, want 84 FR 54002 in it", el.Entry.FederalRegister)
	}
	if el.Entry.StartDate != "2019-10-09" || el.Entry.ListName != "Entity List" || el.Entry.Kind != "organization" {
		t.Errorf("entry start_date %q list_name %q kind %q", el.Entry.StartDate, el.Entry.ListName, el.Entry.Kind)
	}
	want := map[string]string{"us_el": "2022-05-16", "us_sdn": "2022-05-16", "un_sc": "2026-02-27", "gb_hmt": "2020-04-27"}
	for _, l := range res.Lists {
		if l.Published == "" {
			t.Errorf("list %s has no published date", l.Source)
		}
		if d, ok := want[l.Source]; ok {
			if l.Published != d {
				t.Errorf("list %s published %q, want %s", l.Source, l.Published, d)
			}
			delete(want, l.Source)
		}
	}
	if len(want) > 0 {
		t.Errorf("lists missing from the result: %v", want)
	}
}

// The 28 parties the Entity List rule of 8 October 2019 (84 FR 54002, effective 2019-10-09) added: eight
// companies and twenty Xinjiang public security organs, by the names the Entity List gives them.
var cliRule54002 = []string{
	"Dahua Technology",
	"Hangzhou Hikvision Digital Technology Co., Ltd.",
	"IFLYTEK",
	"Megvii Technology",
	"Beijing Sensetime Technology Development Co., Ltd.",
	"Xiamen Meiya Pico Information Co. Ltd.",
	"Yitu Technologies",
	"Yixin Science and Technology Co. Ltd.",
	"Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau",
	"Xinjiang Production and Construction Corps (XPCC) Public Security Bureau",
	"Xinjiang Police College",
	"Aksu District Public Security Bureau",
	"Altay Municipality Public Security Bureau",
	"Bayingolin Mongolian Autonomous Prefecture Public Security Bureau",
	"Boertala Mongolian Autonomous Prefecture Public Security Bureau",
	"Changji Hui Autonomous Prefecture Public Security Bureau",
	"Hami Municipality Public Security Bureau",
	"Hetian Prefecture Public Security Bureau",
	"Kashgar Prefecture Public Security Bureau",
	"Kelamayi Municipality Public Security Bureau",
	"Kezilesu Kyrgyz Autonomous Prefecture Public Security Bureau",
	"Shihezi Municipality Public Security Bureau",
	"Tacheng Prefecture Public Security Bureau",
	"Tumushuke Municipal Public Security Bureau",
	"Turfan Municipality Public Security Bureau",
	"Urumqi Municipal Public Security Bureau",
	"Wujiaqu Municipality Public Security Bureau",
	"Yili Kazakh Autonomous Prefecture Public Security Bureau",
}

// cliRule54002Later are the entries the 2022-05-16 CSL also dates 2019-10-09 with an 84 FR 54004 citation
// although they are not among the 28 parties of that rule: they came with the June 2020 rule, 85 FR 34505.
var cliRule54002Later = []string{
	"Nanjing FiberHome Starrysky Communication Development Co.",
	"NetPosa",
	"SenseNets",
}

// Every party of 84 FR 54002 is found at rank 1 on the Entity List by the name the list gives it. All 28 go
// through one batch run (one list load); check --source us_el, which builds the index anew on every run, is
// run for a company, an abbreviation, and the public security bureaus with the longest and the odd citation.
// cli2022CSL is the embedded 2022-05-16 CSL, given as a file to screen against its Entity List.
const cli2022CSL = "../../snapshot/data/consolidated_2022-05-16.csv.gz"

func TestCLICheckRule54002(t *testing.T) {
	t.Parallel()
	// The 2022-05-16 Entity List, which cites the rule by its first page, kept for point-in-time answers.
	ds, err := snapshot.History()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{} // name -> source_id
	for _, d := range ds {
		for _, e := range d.Entries {
			if e.Source != "us_el" || e.StartDate != "2019-10-09" {
				continue
			}
			if cliHas(e.FederalRegister, "84 FR 54002") || cliHas(e.FederalRegister, "84 FR 54004") {
				if _, dup := ids[e.Name]; dup {
					t.Errorf("two us_el entries named %q", e.Name)
				}
				ids[e.Name] = e.SourceID
			}
		}
	}
	var got []string
	for n := range ids {
		got = append(got, n)
	}
	sort.Strings(got)
	want := append(append([]string(nil), cliRule54002...), cliRule54002Later...)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("us_el entries of 2019-10-09 citing 84 FR 54002/54004:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(cliRule54002) != 28 {
		t.Fatalf("%d parties, want 28", len(cliRule54002))
	}

	t.Run("batch", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		var b strings.Builder
		b.WriteString("id,name\n")
		for _, n := range cliRule54002 {
			b.WriteString(ids[n] + "," + strconv.Quote(n) + "\n")
		}
		in := cliWriteFile(t, dir, "rule.csv", []byte(b.String()))
		out := filepath.Join(dir, "rule.jsonl")
		cliRun(t, "batch", "--list", "csl="+cli2022CSL, in, "-o", out).cliWant(t, 0)
		rows := cliReadJSONL(t, out)
		if len(rows) != 28 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, row := range rows {
			if len(row.Matches) == 0 {
				t.Errorf("%q: no match", row.Name)
				continue
			}
			m := row.Matches[0]
			if m.Source != "us_el" || m.SourceID != row.ID || m.Name != row.Name || m.Score < 0.99 {
				t.Errorf("%q: rank 1 is %s/%s %q score %.3f, want us_el/%s", row.Name, m.Source, m.SourceID, m.Name, m.Score, row.ID)
			}
		}
	})
	for _, name := range []string{
		"Hangzhou Hikvision Digital Technology Co., Ltd.",
		"IFLYTEK",
		"Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau",
		"Shihezi Municipality Public Security Bureau",
	} {
		t.Run("check "+name, func(t *testing.T) {
			t.Parallel()
			res := cliCheck(t, "--list", "csl="+cli2022CSL, "--source", "us_el", name)
			if len(res.Matches) == 0 {
				t.Fatalf("no match")
			}
			m := res.Matches[0]
			if m.Source != "us_el" || m.SourceID != ids[name] {
				t.Errorf("rank 1 is %s/%s %q (score %.3f), want us_el/%s", m.Source, m.SourceID, m.Name, m.Score, ids[name])
			}
			if m.Name != name || m.Score < 0.99 {
				t.Errorf("rank 1 name %q score %.3f", m.Name, m.Score)
			}
			for _, o := range res.Matches {
				if o.Source != "us_el" {
					t.Errorf("--source us_el returned a %s match", o.Source)
				}
			}
			if len(res.Lists) != 1 || res.Lists[0].Source != "us_el" {
				t.Errorf("lists = %+v, want only us_el", res.Lists)
			}
		})
	}
}

// --list KIND=PATH screens against official files instead of the embedded snapshot.
func TestCLICheckListFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		list, name       string
		source, primary  string
		published        string
		matchedNameWhich string // the alias that matched when it is not the primary name
	}{
		{"csl=" + cliLists + "/csl/consolidated_2022-05-16.csv.gz", "Dahua Technology", "us_el", "Dahua Technology", "", ""},
		{"ofac=" + cliLists + "/ofac/sdn_2021-07", "Diego Alexander Galindo Herrera", "us_sdn", "GALINDO HERRERA, Diego Alexander", "", ""},
		{"un=" + cliLists + "/un/consolidated_2018-10-29.xml.gz", "Ri Won Ho", "un_sc", "RI WON HO", "2018-10-29", ""},
		{"uk=" + cliLists + "/uk/ConList_2022-03_sample.csv", "Mohsen Hojati", "gb_hmt", "", "", ""},
		{"eu=" + cliLists + "/eu/fsf_xml1.1_sample_a_2020-04-15.xml", "Abdelhamid Abou Zeid", "eu_fsf", "Abid Hammadou", "2020-04-15", "Abdelhamid Abou Zeid"},
		{"dpl=" + cliLists + "/csl/dpl/dpl_2022-09.txt.gz", "Aaron Abraham Villa", "us_dpl", "AARON ABRAHAM VILLA", "", ""},
	}
	for _, c := range cases {
		kind, path, _ := strings.Cut(c.list, "=")
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			res := cliCheck(t, "--list", c.list, c.name)
			if len(res.Matches) == 0 {
				t.Fatalf("%q: no match in %s", c.name, path)
			}
			// The same party may be on other lists (the embedded SDN list, screened beside the file): the
			// file's entry is found at 1.00.
			m := res.Matches[0]
			for _, x := range res.Matches {
				if x.Source == c.source {
					m = x
					break
				}
			}
			if m.Source != c.source || m.Score < 0.99 {
				t.Errorf("best %s match is %s %q score %.3f", c.source, m.Source, m.Name, m.Score)
			}
			if c.primary != "" && m.Name != c.primary {
				t.Errorf("name %q, want %q", m.Name, c.primary)
			}
			if c.matchedNameWhich != "" && m.MatchedName != c.matchedNameWhich {
				t.Errorf("matched_name %q, want %q", m.MatchedName, c.matchedNameWhich)
			}
			if len(res.Lists) == 0 {
				t.Fatal("no lists in the result")
			}
			// The file replaces only the lists it carries: every other list stays screened from the embedded
			// snapshot, and no list is screened twice.
			fromFile, seen, published := 0, map[string]bool{}, ""
			for _, l := range res.Lists {
				if seen[l.Source] {
					t.Errorf("list %s screened twice", l.Source)
				}
				seen[l.Source] = true
				if l.Origin != path {
					if !strings.HasPrefix(l.Origin, "embedded snapshot") {
						t.Errorf("list %s origin %q, want %q or the embedded snapshot", l.Source, l.Origin, path)
					}
					continue
				}
				fromFile++
				published = l.Published
				if l.Format != kind {
					t.Errorf("list %s format %q, want %q", l.Source, l.Format, kind)
				}
				if l.Entries == 0 {
					t.Errorf("list %s has no entries", l.Source)
				}
			}
			if fromFile == 0 {
				t.Errorf("no list from %s in the answer: %+v", path, res.Lists)
			}
			if c.published != "" && published != c.published {
				t.Errorf("published %q, want %s", published, c.published)
			}
			if kind == "csl" {
				// The CSL carries the Entity List entry of Zhejiang Dahua Technology (addresses in Hangzhou,
				// Zhejiang) with its citation.
				if m.SourceID != "f85aef98e839dc15d4956f5a6da09d01489ecde5" || !cliHas(m.Entry.FederalRegister, "84 FR 54002") ||
					!strings.Contains(strings.Join(m.Entry.Addresses, "; "), "Zhejiang") {
					t.Errorf("Dahua entry: %+v", m)
				}
				// The CSL maps each row to its own list: several US lists come from the one file.
				if fromFile < 10 {
					t.Errorf("%d lists from the CSL, want the US lists it carries", fromFile)
				}
			}
		})
	}
}

// A broken, truncated or wrong list file stops the run with an error that names the file, never a silent
// empty screening.
func TestCLICheckListErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cslGz := cliReadFile(t, filepath.Join(cliLists, "csl/consolidated_2022-05-16.csv.gz"))
	unGz := filepath.Join(cliLists, "un/consolidated_2018-10-29.xml.gz")
	truncated := cliWriteFile(t, dir, "consolidated.csv.gz", cslGz[:64<<10])
	// The compressed bytes of the real file without their gzip header: binary data under a .csv name.
	binary := cliWriteFile(t, dir, "consolidated.csv", cslGz[10:20<<10])
	html := []byte("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n<body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>\n")
	htmlCSV := cliWriteFile(t, dir, "consolidated_list.csv", html)
	htmlXML := cliWriteFile(t, dir, "consolidated.xml", html)
	htmlUK := cliWriteFile(t, dir, "ConList.csv", html)
	emptyDir := filepath.Join(dir, "sdn")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		list  string
		code  int
		wants []string
	}{
		{"unknown kind", "xls=" + truncated, 2, []string{`unknown list kind "xls"`, "csl", "ofac", "un", "uk", "eu", "dpl"}},
		{"no kind", truncated, 2, []string{"KIND=PATH"}},
		{"missing file", "csl=" + filepath.Join(dir, "nonexistent.csv"), 1, []string{"nonexistent.csv"}},
		{"truncated gzip", "csl=" + truncated, 1, []string{"consolidated.csv.gz", "truncated"}},
		{"binary file", "csl=" + binary, 1, []string{"consolidated.csv", "binary"}},
		{"binary file as un", "un=" + binary, 1, []string{"consolidated.csv"}},
		{"HTML error page as csl", "csl=" + htmlCSV, 1, []string{"consolidated_list.csv", "line 1", "HTML"}},
		{"HTML error page as un", "un=" + htmlXML, 1, []string{"consolidated.xml", "html"}},
		{"HTML error page as uk", "uk=" + htmlUK, 1, []string{"ConList.csv", "line 1", "HTML"}},
		{"UN XML as uk", "uk=" + unGz, 1, []string{"consolidated_2018-10-29.xml.gz", "line 1", "XML"}},
		{"UN XML as csl", "csl=" + unGz, 1, []string{"consolidated_2018-10-29.xml.gz", "XML"}},
		{"UK CSV as ofac", "ofac=" + filepath.Join(cliLists, "uk/ConList_2022-03_sample.csv"), 1, []string{"ConList_2022-03_sample.csv", "line 1", "ent_num"}},
		{"UK CSV as eu", "eu=" + filepath.Join(cliLists, "uk/ConList_2022-03_sample.csv"), 1, []string{"ConList_2022-03_sample.csv", "line 1"}},
		{"empty ofac directory", "ofac=" + emptyDir, 1, []string{"sdn"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := cliRun(t, "check", "--list", c.list, "Dahua Technology")
			r.cliWant(t, c.code)
			if r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.stdout)
			}
			cliContainsAll(t, "stderr", r.stderr, c.wants...)
			if !strings.HasPrefix(r.stderr, "tradescreen check: ") && !strings.Contains(r.stderr, "\ntradescreen check: ") {
				t.Errorf("stderr does not say which command failed:\n%s", r.stderr)
			}
			if !utf8.ValidString(r.stderr) || strings.ContainsRune(r.stderr, '\uFFFD') {
				t.Errorf("stderr prints the file's binary bytes:\n%q", r.stderr)
			}
		})
	}
}

// cliScores lists the scores of matches, for messages.
func cliScores(ms []cliMatch) []float64 {
	var s []float64
	for _, m := range ms {
		s = append(s, m.Score)
	}
	return s
}

// cliHas reports whether list holds s.
func cliHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
