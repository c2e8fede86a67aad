package http_test

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screening"
)

// page fetches a UI page and checks what every page must have.
func page(t *testing.T, ts *testServer, path string, status int) string {
	t.Helper()
	r := get(t, ts.URL+path)
	r.wantStatus(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	body := string(r.Body)
	for _, want := range []string{`<html lang="en">`, `<main id="main"`, `<nav aria-label="Main">`, `<footer`, `name="viewport"`, `Skip to content`} {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %s", path, want)
		}
	}
	if !strings.Contains(body, "Lists as of:") || !strings.Contains(body, "2022-05-16") {
		t.Errorf("%s does not show the list dates", path)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
		t.Errorf("%s has a script or inline style (the CSP forbids them)", path)
	}
	return body
}

func TestUISearchPage(t *testing.T) {
	ts := newTestServer(t)
	home := page(t, ts, "/", 200)
	for _, want := range []string{`<form class="search" action="/search" method="get"`, `<label for="q">`, `id="q" name="q"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %s", want)
		}
	}

	res := page(t, ts, "/search?q=Hikvision", 200)
	m := hikvision(t, ts).Matches[0]
	for _, want := range []string{
		`<mark>Hikvision</mark>`,
		`href="/entries/us_el/` + m.SourceID + `"`,
		`us_el · Entity List`,
		`For all items subject to the EAR.`,
		`href="https://www.federalregister.gov/citation/84-FR-54004"`,
		`5 matches for “Hikvision”`,
		`value="Hikvision"`,
	} {
		if !strings.Contains(res, want) {
			t.Errorf("results page lacks %s", want)
		}
	}

	none := page(t, ts, "/search?q="+url.QueryEscape("Zzyzx Quartermaine Holdings"), 200)
	for _, want := range []string{"No match for “Zzyzx Quartermaine Holdings” in lists that are out of date", "0.80", "2026-02-27",
		"2020-04-27", "Entity List", "not a clear result", "out of date"} {
		if !strings.Contains(none, want) {
			t.Errorf("no-match page lacks %s", want)
		}
	}
	// Against stale lists a "no match" is never shown as clear (green).
	if strings.Contains(none, `class="clear"`) {
		t.Error("no match against stale lists shown as clear")
	}
	fresh := newTestServer(t, func(s *tshttp.Server) {
		s.Service = screening.New(screening.Config{DefaultMaxAge: 100 * 365 * 24 * time.Hour})
	})
	if got := page(t, fresh, "/search?q="+url.QueryEscape("Zzyzx Quartermaine Holdings"), 200); !strings.Contains(got, `<h2 id="results-h" class="clear">No match`) {
		t.Errorf("no match against current lists not shown as clear:\n%.600s", got)
	}

	bad := page(t, ts, "/search?q=x&type=banana", 400)
	if !strings.Contains(bad, `role="alert"`) || !strings.Contains(bad, "banana") {
		t.Errorf("invalid input not shown beside the form")
	}

	xss := page(t, ts, "/search?q="+url.QueryEscape(`<script>alert(1)</script>`), 200)
	if strings.Contains(xss, "<script>alert") {
		t.Error("query not escaped")
	}
}

func TestUIEntryPage(t *testing.T) {
	ts := newTestServer(t)
	m := hikvision(t, ts).Matches[0]
	body := page(t, ts, "/entries/us_el/"+m.SourceID, 200)
	for _, want := range []string{
		"Hangzhou Hikvision Digital Technology Co., Ltd.",
		"Licence requirement", "For all items subject to the EAR.", "Review policy", "presumption of denial",
		`<a href="https://www.federalregister.gov/citation/84-FR-54004" rel="noreferrer">84 FR 54004</a>, 10/9/19`,
		"No. 555 Qianmo Road", "Start date", "2019-10-09", "list published 2026-07-09", "Official record as published",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("entry page lacks %s", want)
		}
	}
}

func TestUIListsPage(t *testing.T) {
	ts := newTestServer(t)
	body := page(t, ts, "/lists", 200)
	for _, want := range []string{"Loaded lists", "older than 7 days", "out of date", "--list csl=", "embedded snapshot", "2026-02-27"} {
		if !strings.Contains(body, want) {
			t.Errorf("lists page lacks %s", want)
		}
	}
	// The out-of-date banner is on every page.
	if !strings.Contains(page(t, ts, "/", 200), "lists are older than 7 days") {
		t.Error("home page lacks the out-of-date banner")
	}
}

func TestUIStaticAndWeight(t *testing.T) {
	ts := newTestServer(t)
	home := page(t, ts, "/", 200)
	re := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{12}\.css)"`)
	m := re.FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no content-hashed stylesheet link")
	}
	css := get(t, ts.URL+m[1])
	css.wantStatus(t, 200)
	if ct := css.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("stylesheet Content-Type %q", ct)
	}
	if cc := css.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("stylesheet Cache-Control %q", cc)
	}
	icon := regexp.MustCompile(`href="(/static/icon\.[0-9a-f]{12}\.svg)"`).FindStringSubmatch(home)
	if icon == nil {
		t.Fatal("no icon link")
	}
	get(t, ts.URL+icon[1]).wantStatus(t, 200)
	// No page weighs more than 100 KB before data: the empty search page with every asset it loads.
	if n := len(home) + len(css.Body) + len(get(t, ts.URL+icon[1]).Body); n > 100_000 {
		t.Errorf("search page with assets weighs %d bytes", n)
	}
	t.Logf("search page %d B, stylesheet %d B", len(home), len(css.Body))
}

func TestHighlight(t *testing.T) {
	ex := tradescreen.Explanation{Tokens: []tradescreen.TokenMatch{{Query: "hikvison", Name: "hikvision"}, {Query: "digital", Name: "digital"}}}
	got := tshttp.Highlight("Hangzhou Hikvision Digital <Tech> Co., Ltd.", ex)
	want := template.HTML("Hangzhou <mark>Hikvision</mark> <mark>Digital</mark> &lt;Tech&gt; Co., Ltd.")
	if got != want {
		t.Errorf("Highlight = %s, want %s", got, want)
	}
	if got := tshttp.Highlight("Ёлка-Trade", tradescreen.Explanation{Tokens: []tradescreen.TokenMatch{{Name: "trade"}}}); got != "<mark>Ёлка-Trade</mark>" {
		t.Errorf("Highlight folded = %s", got)
	}
}

func TestFederalRegisterLinks(t *testing.T) {
	for in, want := range map[string]string{
		"84 FR 54002":           `<a href="https://www.federalregister.gov/citation/84-FR-54002" rel="noreferrer">84 FR 54002</a>`,
		"68 F.R. 38290 6/27/03": `<a href="https://www.federalregister.gov/citation/68-FR-38290" rel="noreferrer">68 F.R. 38290</a> 6/27/03`,
		"83F.R. 28801":          `<a href="https://www.federalregister.gov/citation/83-FR-28801" rel="noreferrer">83F.R. 28801</a>`,
		"Vol. 86, No. 71, <x>":  `Vol. 86, No. 71, &lt;x&gt;`,
	} {
		if got := string(tshttp.FRCitation(in)); got != want {
			t.Errorf("FRCitation(%q) = %s, want %s", in, got, want)
		}
	}
	if got := tshttp.FederalRegisterURL("84 FR 54002"); got != "https://www.federalregister.gov/citation/84-FR-54002" {
		t.Errorf("FederalRegisterURL = %q", got)
	}
}
