package http_test

import (
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tradescreen/tradescreen/order"
)

// browserOrder is an order typed into the order form: one purchaser on no list, in Germany, and one EAR99
// item with its HTS code.
type browserOrder struct {
	id, date, country, hts, description string
	// outcome and words are what the decision must say: its outcome, and a phrase of a holding reason
	// ("" when none holds).
	outcome, words string
}

func (o browserOrder) json() string {
	return fmt.Sprintf(`{"id": %q, "date": %q, "destination": {"country": %q},
		"parties": [{"role": "purchaser", "name": "Lakeside Optics Trading GmbH", "country": "DE"}],
		"items": [{"eccn": "EAR99", "hts": %q, "description": %q}]}`, o.id, o.date, o.country, o.hts, o.description)
}

// orderPageSeen is what the order result page shows, read in the browser.
type orderPageSeen struct {
	Heading    string   `json:"heading"`
	Reasons    []string `json:"reasons"`
	Meaning    string   `json:"meaning"`
	Checked    []string `json:"checked"`
	NotChecked []string `json:"notChecked"`
}

const readOrderPage = `(() => {
	const texts = sel => [...document.querySelectorAll(sel)].map(e => e.textContent.trim());
	const m = document.getElementById('decision-meaning');
	return {heading: document.getElementById('decision-h').textContent, reasons: texts('ol.reasons > li'),
		meaning: m ? m.textContent : '', checked: texts('ul.checked li'), notChecked: texts('ul.not-checked li')};
})()`

// fillOrderForm types o into the order form of a fresh /orders page and submits it.
func fillOrderForm(o browserOrder, ts *testServer) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(ts.URL + "/orders"), chromedp.WaitVisible(chromedp.ID("o-id")),
		chromedp.SendKeys(chromedp.ID("o-id"), o.id),
		chromedp.SetValue(chromedp.ID("o-date"), o.date),
		chromedp.SendKeys(chromedp.ID("o-dc"), o.country),
		chromedp.SendKeys(chromedp.ID("p0-name"), "Lakeside Optics Trading GmbH"),
		chromedp.SendKeys(chromedp.ID("p0-country"), "DE"),
		chromedp.SendKeys(chromedp.ID("i0-eccn"), "EAR99"),
		chromedp.SendKeys(chromedp.ID("i0-hts"), o.hts),
		chromedp.SendKeys(chromedp.ID("i0-desc"), o.description),
		chromedp.Click(chromedp.CSS(`form.order button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("decision-h")),
	}
}

// TestBrowserOrderHTS screens EAR99 orders to Russia with their HTS code through the order form in a real
// browser and checks the page gives the decision POST /v1/orders gives for the same order (the CLI's `order`
// gives the same: cmd/tradescreen TestCLIOrderEARRules and TestCLIOrderRussiaSupplements): the same outcome,
// every reason, what the outcome means, and what was checked and what was not.
func TestBrowserOrderHTS(t *testing.T) {
	ctx := browserContext(t)
	ts := newTestServer(t)
	orders := []browserOrder{
		// HTS chapter 84 is in Supplement No. 4 to Part 746: held by rule ru-supp4 for the code given (without
		// a code the reason says chapters 84, 85 and 90 "cannot be ruled out").
		{"PO-RU-LAPTOPS", "2026-12-01", "RU", "8471.30", "laptops", order.Hold, "15 CFR 746.8(a)(5)"},
		// Before Supplement No. 5 (2022-03-11) no rule holds EAR99 T-shirts to Russia.
		{"PO-RU-TSHIRTS", "2022-03-10", "RU", "6109.10", "T-shirts", order.Clear, ""},
	}
	for _, o := range orders {
		var want order.Decision
		r := postJSON(t, ts.URL+"/v1/orders", o.json())
		r.wantStatus(t, 200)
		r.decode(t, &want)
		if want.Outcome != o.outcome {
			t.Fatalf("%s: POST /v1/orders outcome %s, want %s: %s", o.id, want.Outcome, o.outcome, r.Body)
		}
		var seen orderPageSeen
		err := chromedp.Do(ctx, fillOrderForm(o, ts)...)
		if err == nil {
			seen, err = chromedp.Run(ctx, chromedp.Evaluate[orderPageSeen](readOrderPage))
		}
		if err != nil {
			shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			p := filepath.Join(artifactDir(t), "order-"+o.id+"-failure.png")
			os.WriteFile(p, shot, 0o644)
			t.Fatalf("%s: browser: %v (screenshot %s)", o.id, err, p)
		}
		comparePageToAPI(t, o, seen, &want)
	}
}

// comparePageToAPI checks the order page shows the decision the API answered for the same order.
func comparePageToAPI(t *testing.T, o browserOrder, seen orderPageSeen, want *order.Decision) {
	t.Helper()
	if !strings.HasPrefix(strings.ToLower(seen.Heading), want.Outcome) || !strings.Contains(seen.Heading, o.id) {
		t.Errorf("%s: page heading %q, API outcome %s", o.id, seen.Heading, want.Outcome)
	}
	if len(seen.Reasons) != len(want.Reasons) {
		t.Errorf("%s: page shows %d reasons, the API gives %d: %q", o.id, len(seen.Reasons), len(want.Reasons), seen.Reasons)
	}
	held := false
	for i, rs := range want.Reasons {
		if i < len(seen.Reasons) && !strings.Contains(seen.Reasons[i], rs.Message) {
			t.Errorf("%s: page reason %d %q lacks the API's message %q", o.id, i+1, seen.Reasons[i], rs.Message)
		}
		held = held || rs.Holds && strings.Contains(rs.Message, o.words)
	}
	if o.words != "" && !held {
		t.Errorf("%s: no holding reason says %q: %+v", o.id, o.words, want.Reasons)
	}
	if !strings.Contains(seen.Meaning, want.Meaning) || want.Meaning == "" {
		t.Errorf("%s: page meaning %q, API meaning %q", o.id, seen.Meaning, want.Meaning)
	}
	if !slices.Equal(seen.Checked, want.Checked) || len(want.Checked) == 0 {
		t.Errorf("%s: page checked %q, API checked %q", o.id, seen.Checked, want.Checked)
	}
	if !slices.Equal(seen.NotChecked, want.NotChecked) || len(want.NotChecked) == 0 {
		t.Errorf("%s: page not checked %q, API not checked %q", o.id, seen.NotChecked, want.NotChecked)
	}
}

// TestUIOrderBadHTS posts the order form with an HTS code that is not one: the page answers 422 with the
// error the API gives for the same item (naming items[0].hts), and keeps the code typed in its field.
func TestUIOrderBadHTS(t *testing.T) {
	ts := newTestServer(t)
	o := browserOrder{id: "PO-BAD-HTS", date: "2026-12-01", country: "RU", hts: "8471", description: "laptops"}
	var apiErr struct {
		Error struct{ Message string } `json:"error"`
	}
	r := postJSON(t, ts.URL+"/v1/orders", o.json())
	r.wantStatus(t, 422)
	r.decode(t, &apiErr)
	if !strings.Contains(apiErr.Error.Message, "items[0].hts") {
		t.Fatalf("POST /v1/orders: %s", r.Body)
	}
	cookie, token := formToken(t, ts, "/orders")
	form := url.Values{"csrf_token": {token}, "id": {o.id}, "date": {o.date}, "destination_country": {o.country},
		"party_role": {"purchaser"}, "party_name": {"Lakeside Optics Trading GmbH"}, "party_country": {"DE"},
		"item_eccn": {"EAR99"}, "item_hts": {o.hts}, "item_description": {o.description}}
	r = do(t, "POST", ts.URL+"/orders", strings.NewReader(form.Encode()), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
	r.wantStatus(t, 422)
	body := string(r.Body)
	for _, want := range []string{html.EscapeString(apiErr.Error.Message), `name="item_hts" value="8471"`} {
		if !strings.Contains(body, want) {
			t.Errorf("order page lacks %q", want)
		}
	}
}
