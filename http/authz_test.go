package http_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
)

// routeRequest returns the method and a concrete path for a route pattern, with placeholder path values.
func routeRequest(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.NewReplacer("{$}", "", "{source}", "us_el", "{source_id}", "nope", "{id}", "999999",
		"{name}", "nobody", "{file}", "nope.css", "{list}", "restricted").Replace(path)
	return method, path
}

// TestAuthorization tries every route the server registers (Server.Routes) with no key, a wrong key, a
// disabled user's key and the key of a user of each role: a route without a key answers 401, a role below
// the route's least role 403, and any role at or above it never 401 or 403. Public routes answer everyone.
// UI form posts carry a valid CSRF token, so that a 403 can only come from the role.
func TestAuthorization(t *testing.T) {
	const apiKey = "authz-test-key-0123456789"
	ts := newTestServer(t, func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t); s.JobsDir = t.TempDir() })
	keys := map[tradescreen.Role]string{}
	for _, role := range tradescreen.Roles {
		keys[role] = addUser(t, ts, "u-"+string(role), string(role), bearer(apiKey)...)
	}
	gone := addUser(t, ts, "gone", "admin", bearer(apiKey)...)
	do(t, "DELETE", ts.URL+"/v1/users/gone", nil, bearer(apiKey)...).wantStatus(t, 200)
	cookie, token := formToken(t, ts, "/orders", bearer(apiKey)...)

	send := func(rt tshttp.Route, user, key string) *response {
		method, path := routeRequest(rt.Pattern)
		var h []string
		switch {
		case key == "":
		case rt.UI:
			h = basicAuth(user, key)
		default:
			h = bearer(key)
		}
		var body string
		switch {
		case rt.UI && method == "POST":
			h = append(h, cookie...)
			h = append(h, "Content-Type", "application/x-www-form-urlencoded")
			body = url.Values{"csrf_token": {token}}.Encode()
		case method == "POST" || method == "PATCH":
			h = append(h, "Content-Type", "application/json")
			body = "{}"
		}
		return do(t, method, ts.URL+path, strings.NewReader(body), h...)
	}
	routes := ts.Routes()
	tried := 0
	for _, rt := range routes {
		t.Run(rt.Pattern, func(t *testing.T) {
			if rt.Role != "" && rt.Role.AtLeast(tradescreen.RoleViewer) != rt.Auth {
				t.Errorf("Auth %v disagrees with role %q", rt.Auth, rt.Role)
			}
			if rt.Role == "" {
				if r := send(rt, "", ""); r.Status == 401 || r.Status == 403 {
					t.Errorf("public route without a key: %d", r.Status)
				}
				tried++
				return
			}
			for _, c := range []struct{ who, key string }{{"", ""}, {"u-admin", "tsk_1_wrong"}, {"x", "not-the-key-0123456789"}, {"gone", gone}} {
				if r := send(rt, c.who, c.key); r.Status != 401 {
					t.Errorf("key %q: status %d, want 401", c.key, r.Status)
				}
				tried++
			}
			for _, c := range []struct {
				name string
				role tradescreen.Role
				key  string
			}{
				{"u-viewer", tradescreen.RoleViewer, keys[tradescreen.RoleViewer]},
				{"u-analyst", tradescreen.RoleAnalyst, keys[tradescreen.RoleAnalyst]},
				{"u-approver", tradescreen.RoleApprover, keys[tradescreen.RoleApprover]},
				{"u-admin", tradescreen.RoleAdmin, keys[tradescreen.RoleAdmin]},
				{"any", tradescreen.RoleAdmin, apiKey},
			} {
				r := send(rt, c.name, c.key)
				tried++
				if c.role.AtLeast(rt.Role) {
					if r.Status == 401 || r.Status == 403 {
						t.Errorf("%s (%s) at or above %s: status %d: %.200s", c.name, c.role, rt.Role, r.Status, r.Body)
					}
					continue
				}
				if r.Status != 403 {
					t.Errorf("%s (%s) below %s: status %d, want 403", c.name, c.role, rt.Role, r.Status)
				} else if !rt.UI {
					r.wantError(t, 403, tradescreen.EFORBIDDEN, string(rt.Role)+" role or higher")
				}
			}
		})
	}
	if tried < len(routes) || len(routes) < 40 {
		t.Fatalf("tried %d requests over %d routes", tried, len(routes))
	}
	t.Logf("%d routes, %d requests", len(routes), tried)
}

// TestLocalOperator: a server on loopback without an API key serves every route to a request without a key,
// as the local operator (admin), and still refuses a wrong user key.
func TestLocalOperator(t *testing.T) {
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = sqliteStore(t); s.JobsDir = t.TempDir() })
	cookie, token := formToken(t, ts, "/orders")
	for _, rt := range ts.Routes() {
		method, path := routeRequest(rt.Pattern)
		var h []string
		body := ""
		if rt.UI && method == "POST" {
			h = append(cookie, "Content-Type", "application/x-www-form-urlencoded")
			body = url.Values{"csrf_token": {token}}.Encode()
		}
		if r := do(t, method, ts.URL+path, strings.NewReader(body), h...); r.Status == 401 || r.Status == 403 {
			t.Errorf("%s without a key from loopback: %d %.200s", rt.Pattern, r.Status, r.Body)
		}
	}
	get(t, ts.URL+"/v1/parties", bearer("tsk_7_nope")...).wantError(t, 401, tradescreen.EUNAUTHORIZED)
	if page := string(get(t, ts.URL+"/alerts").Body); !strings.Contains(page, "Signed in as <strong>local</strong> (admin)") {
		t.Error("the UI does not say who the local operator acts as")
	}
}

// TestCSRF: every UI form post (every POST route of the UI) is refused without the page's CSRF token, with
// another token, and from another site; with the token it passes the check.
func TestCSRF(t *testing.T) {
	const apiKey = "csrf-test-key-0123456789"
	ts := newTestServer(t, func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t) })
	auth := basicAuth("officer", apiKey)
	cookie, token := formToken(t, ts, "/orders", auth...)
	if r := get(t, ts.URL+"/orders", append(auth, cookie...)...); len(r.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("a page sets a new CSRF cookie although the request has one")
	}
	setCookie := get(t, ts.URL+"/orders", auth...).Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(setCookie, want) {
			t.Errorf("CSRF cookie %q lacks %s", setCookie, want)
		}
	}
	n := 0
	for _, rt := range ts.Routes() {
		method, path := routeRequest(rt.Pattern)
		if !rt.UI || method != "POST" {
			continue
		}
		n++
		form := func(tok string, extra ...string) *response {
			h := append(append(append([]string{}, auth...), "Content-Type", "application/x-www-form-urlencoded"), extra...)
			v := url.Values{}
			if tok != "" {
				v.Set("csrf_token", tok)
			}
			return do(t, method, ts.URL+path, strings.NewReader(v.Encode()), h...)
		}
		for name, r := range map[string]*response{
			"no token":       form("", cookie...),
			"no cookie":      form(token),
			"other token":    form(strings.Repeat("ab", 32), cookie...),
			"cross-site":     form(token, append([]string{"Sec-Fetch-Site", "cross-site"}, cookie...)...),
			"foreign origin": form(token, append([]string{"Origin", "https://evil.example"}, cookie...)...),
		} {
			if r.Status != 403 {
				t.Errorf("%s %s: status %d, want 403", rt.Pattern, name, r.Status)
			}
		}
		if r := form(token, cookie...); r.Status == 403 || r.Status == 401 {
			t.Errorf("%s with the token: status %d: %.300s", rt.Pattern, r.Status, r.Body)
		}
	}
	if n < 4 {
		t.Errorf("only %d UI form posts", n)
	}
}
