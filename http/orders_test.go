package http_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/order"
)

// hikvisionOrder ships to Hikvision's listed address (us_el, 84 FR 54004) under another company's name: the
// same order as cmd/tradescreen/testdata/cli/order_hikvision.json.
const hikvisionOrder = `{
  "id": "PO-2022-0601",
  "date": "2022-06-01",
  "destination": {"country": "CN", "address": "No. 555 Qianmo Road, Binjiang District, Hangzhou 310052"},
  "parties": [
    {"role": "purchaser", "name": "Lakeside Optics Trading GmbH", "country": "DE", "address": "Hafenstrasse 12, 20457 Hamburg, Germany"},
    {"role": "ultimate_consignee", "name": "Zhejiang Bright Future Electronics Co., Ltd.", "country": "CN",
     "address": "555 Qianmo Rd, Binjiang District, Hangzhou, Zhejiang 310052, China"}
  ],
  "items": [{"eccn": "EAR99", "description": "power supplies"}]
}`

// clearOrder names no listed party or address and goes to Germany.
const clearOrder = `{"id": "PO-7", "date": "2022-06-01", "destination": {"country": "DE"},
  "parties": [{"role": "ultimate_consignee", "name": "Lakeside Optics Trading GmbH", "country": "Germany", "address": "Hafenstrasse 12, 20457 Hamburg"}],
  "items": [{"eccn": "EAR99"}]}`

func TestOrders(t *testing.T) {
	ts := newTestServer(t)
	r := postJSON(t, ts.URL+"/v1/orders", hikvisionOrder)
	r.wantStatus(t, 200)
	var d order.Decision
	r.decode(t, &d)
	if d.Outcome != order.Hold || d.OrderID != "PO-2022-0601" || len(d.Lists) < 10 {
		t.Fatalf("decision: outcome %q, id %q, %d lists", d.Outcome, d.OrderID, len(d.Lists))
	}
	var addr *order.Reason
	for i, rs := range d.Reasons {
		if rs.Kind == order.ReasonListedAddr && rs.Party == 1 && rs.Entry != nil && rs.Entry.Source == "us_el" {
			addr = &d.Reasons[i]
		}
	}
	if addr == nil || addr.Entry == nil || addr.Entry.Source != "us_el" || !strings.Contains(addr.Entry.Name, "Hikvision") {
		t.Fatalf("no listed_address reason for the ultimate consignee naming Hikvision: %+v", d.Reasons)
	}
	if addr.Licence == nil || !strings.Contains(addr.Licence.Summary, "presumption of denial") {
		t.Errorf("licence finding: %+v", addr.Licence)
	}
	if !strings.Contains(strings.Join(addr.Entry.FederalRegister, " "), "84 FR 54004") {
		t.Errorf("federal register: %v", addr.Entry.FederalRegister)
	}

	r = postJSON(t, ts.URL+"/v1/orders", clearOrder)
	r.wantStatus(t, 200)
	r.decode(t, &d)
	if d.Outcome != order.Clear {
		t.Errorf("clear order: %q %+v", d.Outcome, d.Reasons)
	}
	if !strings.Contains(string(r.Body), `"reasons":[]`) {
		t.Errorf("a clear decision carries an empty reasons array: %.300s", r.Body)
	}
	if !strings.Contains(ts.Logs.String(), `"route":"POST /v1/orders"`) || strings.Contains(ts.Logs.String(), "Lakeside") {
		t.Errorf("request log: route missing or names logged: %s", ts.Logs.String())
	}
}

func TestOrderErrors(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		name, body string
		status     int
		code, msg  string
	}{
		{"malformed", `{"date":`, 400, tradescreen.EINVALID, "truncated"},
		{"unknown field", `{"dat": "2022-06-01"}`, 422, tradescreen.EUNPROCESSABLE, "dat: unknown field"},
		{"wrong type", `{"parties": "x"}`, 422, tradescreen.EUNPROCESSABLE, "parties"},
		{"bad role", strings.Replace(clearOrder, "ultimate_consignee", "smuggler", 1), 422, tradescreen.EUNPROCESSABLE, "parties[0].role"},
		{"bad date", strings.Replace(clearOrder, "2022-06-01", "June", 1), 422, tradescreen.EUNPROCESSABLE, "date"},
		{"bad eccn", strings.Replace(clearOrder, "EAR99", "9Z999", 1), 422, tradescreen.EUNPROCESSABLE, "items[0].eccn"},
		{"no parties", `{"date": "2022-06-01", "destination": {"country": "DE"}, "parties": [], "items": [{"eccn": "EAR99"}]}`, 422, tradescreen.EUNPROCESSABLE, "parties"},
		{"two objects", clearOrder + clearOrder, 400, tradescreen.EINVALID, "data after"},
		{"too large", `{"id": "` + strings.Repeat("x", tshttp.MaxOrderBodyBytes) + `"}`, 413, tradescreen.ETOOLARGE, "larger"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			postJSON(t, ts.URL+"/v1/orders", tc.body).wantError(t, tc.status, tc.code, tc.msg)
		})
	}
	do(t, "POST", ts.URL+"/v1/orders", strings.NewReader(clearOrder)).wantError(t, 415, tshttp.EMEDIATYPE, "application/json")
	get(t, ts.URL+"/v1/orders").wantError(t, 405, tshttp.EMETHOD)

	unready := newUnreadyServer(t)
	postJSON(t, unready.URL+"/v1/orders", clearOrder).wantError(t, 503, tradescreen.EUNAVAILABLE)
}

// orderForm is the UI form for the Hikvision order.
func orderForm() url.Values {
	return url.Values{
		"id": {"PO-2022-0601"}, "date": {"2022-06-01"}, "destination_country": {"CN"},
		"destination_address": {"No. 555 Qianmo Road, Binjiang District, Hangzhou 310052"},
		"party_role":          {"purchaser", "ultimate_consignee", "end_user"},
		"party_name":          {"Lakeside Optics Trading GmbH", "Zhejiang Bright Future Electronics Co., Ltd.", ""},
		"party_country":       {"DE", "CN", ""},
		"party_address":       {"Hafenstrasse 12, 20457 Hamburg", "555 Qianmo Rd, Binjiang District, Hangzhou, Zhejiang 310052, China", ""},
		"item_eccn":           {"EAR99", ""},
		"item_description":    {"power supplies", ""},
	}
}

func TestUIOrder(t *testing.T) {
	ts := newTestServer(t)
	form := page(t, ts, "/orders", 200)
	for _, want := range []string{`<form class="order" action="/orders" method="post">`, `name="party_name"`, `name="item_eccn"`,
		`<option value="ultimate_consignee" selected>ultimate consignee</option>`, `<label for="o-date">`, `aria-current="page">Orders`} {
		if !strings.Contains(form, want) {
			t.Errorf("order form lacks %s", want)
		}
	}

	cookie, token := formToken(t, ts, "/orders")
	post := func(v url.Values, header ...string) *response {
		v.Set("csrf_token", token)
		return do(t, "POST", ts.URL+"/orders", strings.NewReader(v.Encode()),
			append(append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...), header...)...)
	}
	r := post(orderForm())
	r.wantStatus(t, 200)
	body := string(r.Body)
	id := hikvision(t, ts).Matches[0].SourceID
	for _, want := range []string{
		`class="hit">Hold: order PO-2022-0601 of 2022-06-01</h2>`,
		`href="/entries/us_el/` + id + `"`,
		`href="https://www.federalregister.gov/citation/84-FR-54004"`,
		`presumption of denial`,
		`listed address`,
		`value="Zhejiang Bright Future Electronics Co., Ltd."`,
		"Lists as of:",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("decision page lacks %s", want)
		}
	}

	bad := orderForm()
	bad.Set("date", "soon")
	r = post(bad)
	r.wantStatus(t, 422)
	if !strings.Contains(string(r.Body), `role="alert"`) || !strings.Contains(string(r.Body), "date: ") {
		t.Errorf("invalid order not shown beside the form: %.500s", r.Body)
	}

	// A form posted from another site is refused: the browser would send the API key with it.
	r = post(orderForm(), "Sec-Fetch-Site", "cross-site")
	r.wantStatus(t, 403)
	r = post(orderForm(), "Origin", "https://evil.example")
	r.wantStatus(t, 403)

	// A form without the page's CSRF token, or with another one, is refused.
	r = do(t, "POST", ts.URL+"/orders", strings.NewReader(orderForm().Encode()),
		append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
	r.wantStatus(t, 403)
	if !strings.Contains(string(r.Body), "security token") {
		t.Errorf("CSRF refusal does not say why: %.300s", r.Body)
	}
	forged := orderForm()
	forged.Set("csrf_token", strings.Repeat("0", 64))
	r = do(t, "POST", ts.URL+"/orders", strings.NewReader(forged.Encode()),
		append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
	r.wantStatus(t, 403)
}

// ownedOrder ships EAR99 items to China for an end user that ownership/testdata/owners.csv says is 100 %
// owned by Zhejiang Dahua Technology (Entity List, 84 FR 54004).
func ownedOrder(date string) string {
	return `{"id": "PO-OWN", "date": "` + date + `", "destination": {"country": "CN"},
  "parties": [{"role": "purchaser", "name": "Lakeside Optics Trading GmbH", "country": "DE"},
    {"role": "end_user", "name": "Chengdu Dahua Wisdom Information Technology Co., Ltd.", "country": "CN"}],
  "items": [{"eccn": "EAR99"}]}`
}

// With ownership data the server's order service applies the 50 % rules on the order's date: the BIS
// Affiliates Rule holds the order on 2025-10-01 and, suspended on 2026-01-15, is only a note then. The end
// user is also named itself on the Section 1260H list (as a subsidiary of Dahua), so the order holds on that
// listing whatever the ownership rules say.
func TestOrderOwnershipAPI(t *testing.T) {
	ts := newOwnershipServer(t)
	for _, c := range []struct {
		date, outcome string
		holds         bool
		want          string
	}{
		{"2025-10-01", order.Hold, true, "BIS Affiliates Rule (bis_affiliates, in force 2025-09-29 .. 2025-11-09"},
		{"2026-01-15", order.Hold, false, "suspended on 2026-01-15"},
	} {
		r := postJSON(t, ts.URL+"/v1/orders", ownedOrder(c.date))
		r.wantStatus(t, 200)
		var d order.Decision
		r.decode(t, &d)
		var own *order.Reason
		for i, rs := range d.Reasons {
			if rs.Kind == order.ReasonOwnership && rs.Ownership != nil && rs.Ownership.Rule == "bis_affiliates" {
				own = &d.Reasons[i]
			}
		}
		if own == nil {
			t.Fatalf("%s: no bis_affiliates ownership reason: %+v", c.date, d.Reasons)
		}
		if d.Outcome != c.outcome || own.Holds != c.holds || own.Party != 1 || own.Role != order.RoleEndUser {
			t.Errorf("%s: outcome %s, reason %+v", c.date, d.Outcome, own)
		}
		for _, w := range []string{c.want, "<- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54004"} {
			if !strings.Contains(own.Message, w) {
				t.Errorf("%s: message lacks %q:\n%s", c.date, w, own.Message)
			}
		}
		if !strings.Contains(strings.Join(d.Notes, "\n"), "ownership (50 % rules) screened on the order date against the ownership data loaded") {
			t.Errorf("%s: notes %v", c.date, d.Notes)
		}
	}

	// Without ownership data the same order carries no ownership reason; it holds on the 1260H listing alone.
	plain := newTestServer(t)
	r := postJSON(t, plain.URL+"/v1/orders", ownedOrder("2025-10-01"))
	r.wantStatus(t, 200)
	var d order.Decision
	r.decode(t, &d)
	for _, rs := range d.Reasons {
		if rs.Kind == order.ReasonOwnership {
			t.Errorf("ownership reason without ownership data: %+v", rs)
		}
	}
	listed := false
	for _, rs := range d.Reasons {
		if rs.Holds && rs.Entry != nil && rs.Entry.Source == "us_1260h" {
			listed = true
		}
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "ownership (50 % rules) not screened") || d.Outcome != order.Hold || !listed {
		t.Errorf("without ownership data: outcome %s, reasons %+v, notes %v", d.Outcome, d.Reasons, d.Notes)
	}
}
