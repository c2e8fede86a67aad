package http_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
)

// TestBodyErrorPaths sends bodies with an unknown or mistyped member inside arrays of parties, identifiers
// and items: the error names the member by its full path, array indices included, as the validation errors
// do ("parties[1].name: required"), and a member at the top level keeps its bare name.
func TestBodyErrorPaths(t *testing.T) {
	ts := newTestServer(t)
	const order = `{"date": "2026-12-01", "destination": {"country": "DE"}, "parties": [{"role": "purchaser", "name": "Lakeside Optics Trading GmbH"}, %s], "items": [{"eccn": "EAR99"}, %s]}`
	orderWith := func(party, item string) string {
		return strings.Replace(strings.Replace(order, "%s", party, 1), "%s", item, 1)
	}
	for _, tc := range []struct {
		name, path, body, code, msg string
	}{
		{"top level", "/v1/screen", `{"name":"x","nmae":"y"}`, tradescreen.EUNPROCESSABLE, "nmae: unknown field"},
		{"party", "/v1/screen", `{"parties":[{"name":"a"},{"nme":"b"}]}`, tradescreen.EUNPROCESSABLE, "parties[1].nme: unknown field"},
		{"party, names in another case", "/v1/screen", `{"parties":[{"NAME":"a","Country":"DE","nme":"b"}]}`, tradescreen.EUNPROCESSABLE, "parties[0].nme: unknown field"},
		{"identifier", "/v1/screen", `{"parties":[{"name":"a"},{"name":"b","identifiers":[{"type":"passport","number":"1"},{"type":"passport","nmber":"2"}]}]}`,
			tradescreen.EUNPROCESSABLE, "parties[1].identifiers[1].nmber: unknown field"},
		{"party field mistyped", "/v1/screen", `{"parties":[{"name":"a"},{"name":3}]}`, tradescreen.EUNPROCESSABLE, "parties[1].name: want string, got JSON number"},
		{"order party", "/v1/orders", orderWith(`{"role": "end_user", "name": "b", "contry": "DE"}`, `{"eccn": "EAR99"}`),
			tradescreen.EUNPROCESSABLE, "parties[1].contry: unknown field"},
		{"order item", "/v1/orders", orderWith(`{"role": "end_user", "name": "b"}`, `{"eccn": "EAR99", "htss": "847130"}`),
			tradescreen.EUNPROCESSABLE, "items[1].htss: unknown field"},
		{"order destination", "/v1/orders", `{"date": "2026-12-01", "destination": {"contry": "DE"}}`, tradescreen.EUNPROCESSABLE, "destination.contry: unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postJSON(t, ts.URL+tc.path, tc.body)
			r.wantStatus(t, 422)
			var e tshttp.ErrorResponse
			r.decode(t, &e)
			if e.Error.Code != tc.code || e.Error.Message != tc.msg {
				t.Errorf("POST %s: error %s %q, want %s %q", tc.path, e.Error.Code, e.Error.Message, tc.code, tc.msg)
			}
		})
	}
}
