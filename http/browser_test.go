package http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// chromiumPath finds a Chromium binary: $TRADESCREEN_CHROMIUM, then the usual names on PATH.
func chromiumPath() string {
	if p := os.Getenv("TRADESCREEN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactDir is where screenshots go: $TRADESCREEN_ARTIFACTS when set, else a temporary directory.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("TRADESCREEN_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// browserContext starts a headless Chromium for the test (skipping it when there is none, unless
// TRADESCREEN_REQUIRE_BROWSER=1) and returns a context bound to one of its tabs, valid for 90 s.
func browserContext(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("TRADESCREEN_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium found (apt-get install chromium, or set TRADESCREEN_CHROMIUM) and TRADESCREEN_REQUIRE_BROWSER=1")
		}
		t.Skip("no Chromium found; apt-get install chromium (set TRADESCREEN_REQUIRE_BROWSER=1 to fail instead)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancel()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// TestBrowser drives the UI in a real headless Chromium: search for Hikvision with the keyboard, open the
// Entity List entry, see its Federal Register citation and licence requirement, and check the pages fit a
// phone's width. It skips when no Chromium is installed unless TRADESCREEN_REQUIRE_BROWSER=1.
func TestBrowser(t *testing.T) {
	ctx := browserContext(t)
	ts := newTestServer(t)
	dir := artifactDir(t)

	// step runs one action and fails the test with what it was doing when it errs.
	type step struct {
		what string
		err  error
	}
	var failed []step
	must := func(what string, err error) {
		if err != nil {
			failed = append(failed, step{what, err})
		}
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) bool {
		if len(failed) > 0 {
			return false
		}
		must(what, chromedp.Do(ctx, actions...))
		return len(failed) == 0
	}
	text := func(what string, a chromedp.Action[string]) string {
		if len(failed) > 0 {
			return ""
		}
		v, err := chromedp.Run(ctx, a)
		must(what, err)
		return v
	}
	shot := func(what string) []byte {
		if len(failed) > 0 {
			return nil
		}
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(what, err)
		return b
	}

	// Keyboard use: on a page without a form, the first Tab reaches the skip link; on the search page the name
	// box has the focus, so typing the name and pressing Enter searches (a plain GET form: no JavaScript).
	run("open the lists page", chromedp.Navigate(ts.URL+"/lists"), chromedp.WaitVisible(chromedp.CSS("table.lists")),
		chromedp.KeyEvent(kb.Tab))
	skipText := text("read the focused element", chromedp.Evaluate[string](`document.activeElement.textContent`))
	run("open the search page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	focused := text("read the focused element", chromedp.Evaluate[string](`document.activeElement.id`))
	run("search for Hikvision", chromedp.KeyEvent("Hikvision"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("ol.matches")))
	heading := text("read the results heading", chromedp.Text(chromedp.ID("results-h")))
	searchShot := shot("screenshot the results")
	run("open the Entity List entry", chromedp.Click(chromedp.CSS(`a[href^="/entries/us_el/"]`)),
		chromedp.WaitVisible(chromedp.ID("entry-h")))
	mainText := text("read the entry", chromedp.Text(chromedp.CSS("main")))
	licence := text("read the licence requirement", chromedp.Text(chromedp.CSS("dd.licence")))
	var frHref string
	if len(failed) == 0 {
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(`//a[text()="84 FR 54004"]`, "href"))
		must("read the Federal Register link", err)
		frHref = r.Value
	}
	entryShot := shot("screenshot the entry")
	// A phone's width: nothing overflows sideways.
	run("open the results on a phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts.URL+"/search?q=Hikvision"),
		chromedp.WaitVisible(chromedp.CSS("ol.matches")))
	var fitsPhone bool
	if len(failed) == 0 {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		must("measure the page width", err)
		fitsPhone = v
	}
	phoneShot := shot("screenshot the phone view")
	if len(failed) > 0 {
		t.Fatalf("browser: %s: %v", failed[0].what, failed[0].err)
	}
	for name, b := range map[string][]byte{"search-hikvision.png": searchShot, "entry-us_el-hikvision.png": entryShot, "search-phone.png": phoneShot} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}

	if focused != "q" {
		t.Errorf("the search page focuses %q, want the name box", focused)
	}
	if !strings.Contains(skipText, "Skip to content") {
		t.Errorf("first Tab focuses %q, want the skip link", skipText)
	}
	if !strings.Contains(heading, "match") || !strings.Contains(heading, "Hikvision") {
		t.Errorf("results heading %q", heading)
	}
	for _, want := range []string{"Hangzhou Hikvision Digital Technology", "84 FR 54004", "Licence requirement", "Review policy", "list published 2026-07-09"} {
		if !strings.Contains(mainText, want) {
			t.Errorf("entry page lacks %q", want)
		}
	}
	if !strings.Contains(licence, "For all items subject to the EAR") {
		t.Errorf("licence requirement %q", licence)
	}
	if frHref != "https://www.federalregister.gov/citation/84-FR-54004" {
		t.Errorf("84 FR 54004 links to %q", frHref)
	}
	if !fitsPhone {
		t.Error("the results page overflows a 390 px wide screen")
	}
}

// TestBrowserBatchReport screens a small customer file (SEC-registered companies and two Entity List
// parties) with batch.RunBatch, renders the HTML report and opens it from disk in headless Chromium: the
// page a compliance officer files must show the counts per list, the Hikvision hit with its explanation, the
// lists' dates, the settings and the input's SHA-256, and load nothing from outside the file.
func TestBrowserBatchReport(t *testing.T) {
	ctx := browserContext(t)
	s := testScreener(t)
	dir := artifactDir(t)

	in := filepath.Join("testdata", "batch_customers.csv")
	raw, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	digest := hex.EncodeToString(sum[:])
	rr, err := batch.NewCSVReader(bytes.NewReader(raw), in)
	if err != nil {
		t.Fatal(err)
	}
	rep := batch.NewReport()
	started := time.Now().UTC()
	st, err := batch.RunBatch(context.Background(), screening.NewWith(screening.Config{}, s), rr, rep, batch.BatchOptions{Threshold: match.DefaultThreshold, Limit: 5, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 9 || st.Errors != 1 || rep.Lists["us_el"] == nil || rep.Lists["us_el"].Rows < 2 {
		t.Fatalf("batch stats %+v, us_el %+v: want 9 rows, 1 error, Hikvision and Huawei on the Entity List", st, rep.Lists["us_el"])
	}
	lists := screening.NewWith(screening.Config{}, s).Lists()
	settings := [][2]string{{"Alert threshold", fmt.Sprintf("%.2f", match.DefaultThreshold)}, {"Matches per row", "5"},
		{"Name columns", batch.NameColumnsSetting(nil, rep.NameColumns)}, {"Encoding", "utf-8"}, {"Output format", "csv"}}
	if settings[2][1] != "company_name (detected)" {
		t.Errorf("name columns %q, want the detected company_name", settings[2][1])
	}
	page := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	err = batch.RenderReport(f, rep, batch.ReportMeta{Input: filepath.Base(in), InputSize: int64(len(raw)), InputSHA256: digest,
		Encoding: "utf-8", Output: "screened.csv", Started: started, Finished: time.Now().UTC(), Version: "test",
		Settings: settings, Lists: lists})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing in the file refers outside it: no stylesheet, script, image, frame or font to fetch.
	if m := regexp.MustCompile(`(?i)<(link|script|img|iframe|object|embed)\b|\bsrc=|url\(|@import|https?://`).Find(html); m != nil {
		t.Errorf("the report is not self-contained: it has %q", m)
	}

	type listRow struct {
		Code    string `json:"code"`
		Rows    string `json:"rows"`
		Matches string `json:"matches"`
	}
	var (
		body, sha, summary, asOf string
		hikvision                string
		rows                     []listRow
		resources                int
		screenshot               []byte
	)
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.ID("summary"))); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	for _, r := range []struct {
		what string
		into *string
		a    chromedp.Action[string]
	}{
		{"read the page", &body, chromedp.Text(chromedp.CSS("body"))},
		{"read the SHA-256", &sha, chromedp.Text(chromedp.ID("sha256"))},
		{"read the summary", &summary, chromedp.Text(chromedp.ID("summary"))},
		{"read the list dates", &asOf, chromedp.Evaluate[string](`document.getElementById("lists").previousElementSibling.innerText`)},
		{"read the Hikvision hit", &hikvision, chromedp.Evaluate[string](
			`[...document.querySelectorAll("table.hits")].map(t => t.innerText).filter(s => /hikvision/i.test(s)).join("\n---\n")`)},
	} {
		v, err := chromedp.Run(ctx, r.a)
		if err != nil {
			t.Fatalf("%s: %v", r.what, err)
		}
		*r.into = v
	}
	rows, err = chromedp.Run(ctx, chromedp.Evaluate[[]listRow](`[...document.querySelectorAll("#lists tr")].slice(1).map(tr => {
		const c = tr.cells; return {code: c[0].innerText.trim(), rows: c[4].innerText.trim(), matches: c[5].innerText.trim()} })`))
	if err != nil {
		t.Fatalf("read the list counts: %v", err)
	}
	// Every resource the page fetched (a file:// one included) is in the performance timeline.
	resources, err = chromedp.Run(ctx, chromedp.Evaluate[int](`performance.getEntriesByType("resource").length`))
	if err != nil {
		t.Fatalf("count the fetched resources: %v", err)
	}
	screenshot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot the report: %v", err)
	}
	p := filepath.Join(dir, "batch-report.png")
	if err := os.WriteFile(p, screenshot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)

	if resources != 0 {
		t.Errorf("the report fetched %d resources; want none", resources)
	}
	if sha != digest {
		t.Errorf("the page shows SHA-256 %q, want %s", sha, digest)
	}
	for _, want := range []string{"Rows screened\t9", fmt.Sprintf("Rows with hits\t%d", st.WithMatches), fmt.Sprintf("Matches\t%d", st.Matches), "Rows not screened (errors)\t1"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	// Counts per list: one row per list screened against, each with the report's counts.
	if len(rows) != len(lists) {
		t.Errorf("the lists table has %d rows, want %d", len(rows), len(lists))
	}
	byCode := map[string]listRow{}
	for _, r := range rows {
		byCode[r.Code] = r
	}
	for _, l := range lists {
		r, ok := byCode[l.Source]
		if !ok {
			t.Errorf("list %s is not in the lists table", l.Source)
			continue
		}
		want := batch.ReportListCount{}
		if c := rep.Lists[l.Source]; c != nil {
			want = *c
		}
		if r.Rows != fmt.Sprint(want.Rows) || r.Matches != fmt.Sprint(want.Matches) {
			t.Errorf("list %s shows %s rows / %s matches, want %d / %d", l.Source, r.Rows, r.Matches, want.Rows, want.Matches)
		}
		if l.Published != "" && !strings.Contains(asOf, l.Source) {
			t.Errorf("the list dates %q lack %s", asOf, l.Source)
		}
	}
	if asOf != screen.AsOf(tradescreen.Versions(lists)) || !strings.Contains(asOf, "us_el") || !strings.Contains(asOf, "2026-07-09") {
		t.Errorf("list dates %q, want %q (with the Entity List of 2026-07-09)", asOf, screen.AsOf(tradescreen.Versions(lists)))
	}
	// The Hikvision hit, its explanation and what follows from it.
	var expl string
	for _, h := range rep.Hits {
		if strings.Contains(h.Name, "Hikvision") && len(h.Matches) > 0 {
			expl = h.Matches[0].Explanation.Summary
		}
	}
	for _, want := range []string{"Line 5", "id C-1004", "Hangzhou Hikvision Digital Technology Co., Ltd.", "us_el", "hikvision→hikvision (exact)", "84 FR 54004", expl} {
		if expl == "" || !strings.Contains(hikvision, want) {
			t.Errorf("the Hikvision hit lacks %q:\n%s", want, hikvision)
		}
	}
	for _, want := range []string{"Huawei Technologies", "Alert threshold", fmt.Sprintf("%.2f", match.DefaultThreshold), "Matches per row",
		"batch_customers.csv", fmt.Sprintf("%d bytes, utf-8", len(raw)), "C-1008", "name: required"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, negative := range []string{"NVIDIA", "MICROSOFT", "Walmart"} {
		if strings.Contains(hikvision, negative) || strings.Contains(body, "· "+negative) {
			t.Errorf("%s, an SEC-registered company, has a hit", negative)
		}
	}
}

// TestBrowserAlerts is the case-management round in a real browser, as the local operator: import a
// parties file on the parties page, find its alerts in the queue, open the Entity List one, close it as a
// false positive with a reason, and find the decision on the audit page, whose "Verify" says the chain is
// intact (as `tradescreen audit verify` does on the same database).
func TestBrowserAlerts(t *testing.T) {
	ctx := browserContext(t)
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st })
	file := filepath.Join(t.TempDir(), "customers.csv")
	parties := "id,name,country,account_manager\nC-1,Hikvision,CN,J. Becker\n" +
		"C-2,Zhejiang Dahua Technology Co. Ltd.,China,S. Chen\nC-3,Northwind Logistics GmbH,DE,R. Dubois\n"
	if err := os.WriteFile(file, []byte(parties), 0o644); err != nil {
		t.Fatal(err)
	}
	const reason = "Different company: registration 91330000MA27U0XJ0T, Munich"
	var imported, queue, alertPage, status, audit, verified string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/parties"), chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/parties"] button`)),
		chromedp.WaitVisible(chromedp.ID("import-result")),
	)
	if err == nil {
		imported, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("import-result")))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/alerts"]`)), chromedp.WaitVisible(chromedp.CSS("table.alerts")))
	}
	if err == nil {
		queue, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/alerts?source=us_el"), chromedp.WaitVisible(chromedp.CSS("table.alerts")),
			chromedp.Click(chromedp.CSS(`table.alerts a[href^="/alerts/"]`)), chromedp.WaitVisible(chromedp.ID("decide-h")))
	}
	if err == nil {
		alertPage, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("reason"), reason),
			chromedp.Click(chromedp.CSS(`button[value="closed_false_positive"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#alert-status.status-closed_false_positive`)))
	}
	if err == nil {
		status, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.history")))
	}
	if err == nil {
		// The unfiltered page has a table.audit too: it is removed before the filter is submitted, so that the
		// wait finds the filtered page's table, not the old one while the new page loads.
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/audit"]`)), chromedp.WaitVisible(chromedp.ID("verify")),
			chromedp.SetValue(chromedp.ID("au-action"), "alert.decision"),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.querySelectorAll("table.audit").forEach(t => t.remove()), true`)(ctx, t)
				return err
			}),
			chromedp.Click(chromedp.CSS(`form.search button`)),
			chromedp.WaitVisible(chromedp.CSS("table.audit")))
	}
	if err == nil {
		audit, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.audit")))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Click(chromedp.ID("verify")), chromedp.WaitVisible(chromedp.ID("verify-result")))
	}
	if err == nil {
		verified, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("verify-result")))
	}
	if err != nil {
		shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		p := filepath.Join(artifactDir(t), "alerts-failure.png")
		os.WriteFile(p, shot, 0o644)
		t.Fatalf("browser: %v (screenshot %s)", err, p)
	}
	if !strings.Contains(imported, "3 rows: 3 created") || !strings.Contains(imported, "alerts raised") {
		t.Errorf("import result: %q", imported)
	}
	for _, want := range []string{"Hikvision", "Dahua", "us_el", "open"} {
		if !strings.Contains(queue, want) {
			t.Errorf("alert queue lacks %q", want)
		}
	}
	for _, want := range []string{"Party", "Listed entry", "For all items subject to the EAR", "Why they match", "History", "raised by screening"} {
		if !strings.Contains(alertPage, want) {
			t.Errorf("alert page lacks %q", want)
		}
	}
	if !strings.Contains(status, "closed false positive") || !strings.Contains(status, reason) || !strings.Contains(status, "local") {
		t.Errorf("history after the decision: %q", status)
	}
	if !strings.Contains(audit, "alert.decision") || !strings.Contains(audit, "Munich") || !strings.Contains(audit, "local") {
		t.Errorf("audit page: %q", audit)
	}
	if !strings.Contains(verified, "Audit trail intact") {
		t.Errorf("verify: %q", verified)
	}
	v, err := st.Audit().VerifyAudit(t.Context())
	if err != nil || !v.OK {
		t.Fatalf("audit verify: %+v %v", v, err)
	}
	as, _, err := st.Alerts().FindAlerts(t.Context(), tradescreen.AlertFilter{Status: []tradescreen.AlertStatus{tradescreen.AlertClosedFalsePositive}})
	if err != nil || len(as) != 1 || as[0].Source != "us_el" {
		t.Fatalf("closed alerts: %v %v", as, err)
	}
}

// TestBrowserOwnLists uploads an internal restricted list through the own-lists page in a real browser and
// finds its party on the search page under the "Internal list" badge.
func TestBrowserOwnLists(t *testing.T) {
	ctx := browserContext(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.DataDir = t.TempDir() })
	file := filepath.Join(t.TempDir(), "restricted.csv")
	if err := os.WriteFile(file, []byte(ownRestrictedCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	var uploaded, badge string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/own-lists"), chromedp.WaitVisible(chromedp.ID("file-restricted")),
		chromedp.SetUploadFiles(chromedp.ID("file-restricted"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/own-lists/restricted"] button`)),
		chromedp.WaitVisible(chromedp.ID("upload-result")),
	)
	if err == nil {
		uploaded, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("upload-result")))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/search?q=Blue+Lantern+Trading"), chromedp.WaitVisible(chromedp.CSS("ol.matches")))
	}
	if err == nil {
		badge, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("ol.matches .match-head .badge")))
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(uploaded, "own_restricted: imported #1 from restricted.csv") || !strings.Contains(uploaded, "2 added") {
		t.Errorf("upload result %q", uploaded)
	}
	if !strings.Contains(badge, "own_restricted") || !strings.Contains(badge, "Internal list") {
		t.Errorf("badge %q, want the Internal list badge", badge)
	}
}

// TestBrowserBatch screens a customer file through the batch page in a real browser: upload it with the
// form, watch the job page reload itself until the job is done, download the CSV results and the report
// (the browser saves them in a download directory), and find the job under "Your jobs".
func TestBrowserBatch(t *testing.T) {
	ctx := browserContext(t)
	ts := jobsServer(t, t.TempDir())
	file := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(file, []byte(customersCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	downloads := t.TempDir()
	var summary, jobs string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			events := true
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: &events})
			return err
		}), chromedp.Click(chromedp.CSS(`nav a[href="/batch"]`)), chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/batch"] button`)),
		// The job page reloads itself (a meta refresh) until the results are there.
		chromedp.WaitVisible(chromedp.ID("job-result")),
	)
	if err == nil {
		summary, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("job-summary")))
	}
	var saved []string
	for _, link := range []string{`a[href$="/results?format=csv"]`, `#report-link`} {
		if err != nil {
			break
		}
		var name string
		name, err = download(ctx, downloads, chromedp.Click(chromedp.CSS(link)))
		saved = append(saved, name)
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/batch"]`)), chromedp.WaitVisible(chromedp.CSS("table.jobs")))
	}
	if err == nil {
		jobs, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.jobs")))
	}
	if err != nil {
		shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		p := filepath.Join(artifactDir(t), "batch-failure.png")
		os.WriteFile(p, shot, 0o644)
		t.Fatalf("browser: %v (screenshot %s)", err, p)
	}
	if !strings.Contains(summary, "4 rows screened: 2 with matches") {
		t.Errorf("job summary %q", summary)
	}
	for i, want := range []string{"Hikvision", "Hangzhou Hikvision Digital Technology"} {
		b, err := os.ReadFile(filepath.Join(downloads, saved[i]))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("download %d (%s) lacks %q: %v", i, saved[i], want, err)
		}
	}
	if !strings.Contains(jobs, "customers.csv") || !strings.Contains(jobs, "done") {
		t.Errorf("your jobs: %q", jobs)
	}
}

// download runs the action that starts a download and waits for the browser to save the file in dir (with
// the download behavior allowAndName); it returns the saved file's name, the download's GUID.
func download(ctx context.Context, dir string, action chromedp.Action[chromedp.Void]) (string, error) {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := chromedp.Events(lctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx, action); err != nil {
		return "", err
	}
	for ev, err := range progress {
		if err != nil {
			return "", fmt.Errorf("download: %w", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			if _, err := os.Stat(filepath.Join(dir, ev.GUID)); err != nil {
				return "", err
			}
			return ev.GUID, nil
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			return "", fmt.Errorf("download %s canceled", ev.GUID)
		}
	}
	return "", fmt.Errorf("download: %w", ctx.Err())
}
