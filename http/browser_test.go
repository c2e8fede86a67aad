package http_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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

// TestBrowser drives the UI in a real headless Chromium: search for Hikvision with the keyboard, open the
// Entity List entry, see its Federal Register citation and licence requirement, and check the pages fit a
// phone's width. It skips when no Chromium is installed unless TRADESCREEN_REQUIRE_BROWSER=1.
func TestBrowser(t *testing.T) {
	path := chromiumPath()
	if path == "" {
		if os.Getenv("TRADESCREEN_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium found (apt-get install chromium, or set TRADESCREEN_CHROMIUM) and TRADESCREEN_REQUIRE_BROWSER=1")
		}
		t.Skip("no Chromium found; apt-get install chromium (set TRADESCREEN_REQUIRE_BROWSER=1 to fail instead)")
	}
	ts := newTestServer(t)
	dir := artifactDir(t)

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
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx)
	defer cancelCtx()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

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
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(`//a[text()="84 FR 54002"]`, "href"))
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
	for _, want := range []string{"Hangzhou Hikvision Digital Technology", "84 FR 54002", "Licence requirement", "Review policy", "list published 2022-05-16"} {
		if !strings.Contains(mainText, want) {
			t.Errorf("entry page lacks %q", want)
		}
	}
	if !strings.Contains(licence, "For all items subject to the EAR") {
		t.Errorf("licence requirement %q", licence)
	}
	if frHref != "https://www.federalregister.gov/citation/84-FR-54002" {
		t.Errorf("84 FR 54002 links to %q", frHref)
	}
	if !fitsPhone {
		t.Error("the results page overflows a 390 px wide screen")
	}
}
