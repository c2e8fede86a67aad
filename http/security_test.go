package http_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/sqlite"
)

// The security review's tests: SQL injection, path traversal, security headers on every route, CSRF from
// other origins, size limits, slow clients, secrets and names kept out of the log, internal errors kept
// from clients, and the authorization table of docs/security.md kept equal to the server's routes.
// docs/security.md names what each proves.

// injections are hostile strings sent in every string parameter that reaches the store.
var injections = []string{
	"' OR 1=1 --",
	`"; DROP TABLE alerts; --`,
	"1; DELETE FROM parties",
	"x' UNION SELECT name, key_hash FROM users --",
	"%' OR '%'='",
	"C-1\x00' OR 1=1",
	"\x00",
	"\xff\xfe' OR ''='",
	strings.Repeat("' OR 1=1 -- ", 800),
}

// storeCounts is what an injection must leave as it was: the parties (deleted ones included), the alerts
// and their statuses, the users, and an audit chain that verifies.
type storeCounts struct {
	parties, alerts, users int
	statuses               string
}

func countStore(t *testing.T, st tradescreen.Store) storeCounts {
	t.Helper()
	ctx := context.Background()
	_, np, err := st.Parties().FindParties(ctx, tradescreen.PartyFilter{Deleted: true, Limit: 1})
	if err != nil {
		t.Fatalf("count parties: %v", err)
	}
	as, na, err := st.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{Limit: 1000})
	if err != nil {
		t.Fatalf("count alerts: %v", err)
	}
	var statuses []string
	for _, a := range as {
		statuses = append(statuses, fmt.Sprintf("%d=%s", a.ID, a.Status))
	}
	us, err := st.Users().FindUsers(ctx)
	if err != nil {
		t.Fatalf("count users: %v", err)
	}
	v, err := st.Audit().VerifyAudit(ctx)
	if err != nil || !v.OK {
		t.Fatalf("audit verify: %+v %v", v, err)
	}
	return storeCounts{parties: np, alerts: na, users: len(us), statuses: strings.Join(statuses, " ")}
}

// TestSQLInjection sends hostile strings (quotes and comments, stacked statements, UNION, LIKE wildcards, NUL
// bytes, invalid UTF-8, 9.6 KB) in every string that reaches the store, on SQLite and (when
// TRADESCREEN_TEST_POSTGRES_URL is set) PostgreSQL. Stored as data, each comes back byte for byte (or is
// refused with 400); as an id or a filter each answers 4xx or an empty result, never 5xx; and afterwards the
// parties, alerts, users and their statuses are as they were and the audit chain verifies.
func TestSQLInjection(t *testing.T) {
	stores(t, func(t *testing.T, open storeOpener) {
		st := open(t)
		ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st })
		postJSON(t, ts.URL+"/v1/parties?name=customers.json", partiesJSON).wantStatus(t, 200)

		var hik tshttp.AlertsResult
		get(t, ts.URL+"/v1/alerts?party=C-1&source=us_el").decode(t, &hik)
		if len(hik.Alerts) != 1 {
			t.Fatalf("alerts of C-1 on the Entity List: %+v", hik.Alerts)
		}
		hikID := fmt.Sprint(hik.Alerts[0].ID)

		// Stored as data: each hostile string comes back as sent (JSON carries invalid UTF-8 as U+FFFD, so
		// what was sent is what the body decodes to), or is refused with 400.
		var plain bool // the hostile string is short, valid UTF-8 without NUL: it must be stored, not refused
		stored := func(what string, r *response, okStatus int) bool {
			t.Helper()
			noServerError(t, what, r)
			if r.Status != okStatus && (r.Status != 400 || plain) {
				t.Errorf("%s: status %d, want %d: %.200s", what, r.Status, okStatus, r.Body)
			}
			return r.Status == okStatus
		}
		sentAs := func(b []byte) map[string]string {
			var v map[string]string
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		for _, p := range injections {
			plain = utf8.ValidString(p) && !strings.ContainsRune(p, 0) && len(p) < 100
			party := map[string]string{"id": "P" + p, "name": "N" + p, "country": "DE"}
			body, _ := json.Marshal(party)
			sent := sentAs(body)
			if stored("import party "+short(p), postJSON(t, ts.URL+"/v1/parties?screen=false", "["+string(body)+"]"), 200) {
				var pd tshttp.PartyDetail
				get(t, ts.URL+"/v1/parties/"+url.PathEscape(sent["id"])).decode(t, &pd)
				if pd.Party == nil || pd.ID != sent["id"] || pd.Name != sent["name"] {
					t.Errorf("party %q stored as %+v", short(p), pd.Party)
				}
				reason, _ := json.Marshal(p)
				pid := url.PathEscape(sent["id"])
				stored("change party "+short(p), do(t, "PATCH", ts.URL+"/v1/parties/"+pid, strings.NewReader(`{"country":"FR","reason":`+string(reason)+`}`),
					"Content-Type", "application/json"), 200)
				stored("delete party "+short(p), do(t, "DELETE", ts.URL+"/v1/parties/"+pid, strings.NewReader(`{"reason":`+string(reason)+`}`),
					"Content-Type", "application/json"), 200)
			}
			var csvBody strings.Builder
			cw := csv.NewWriter(&csvBody)
			cw.WriteAll([][]string{{"id", "name", "country"}, {"Q" + p, "N" + p, "DE"}})
			r := do(t, "POST", ts.URL+"/v1/parties?screen=false&name=upload.csv", strings.NewReader(csvBody.String()), "Content-Type", "text/csv")
			if stored("import CSV "+short(p), r, 200) && utf8.ValidString(p) {
				var pd tshttp.PartyDetail
				get(t, ts.URL+"/v1/parties/"+url.PathEscape("Q"+p)).decode(t, &pd)
				if pd.Party == nil || pd.ID != "Q"+p || pd.Name != "N"+p {
					t.Errorf("CSV party %q stored as %+v", short(p), pd.Party)
				}
			}

			// User names have no spaces: those with one are refused, rightly.
			withText := plain
			plain = plain && !strings.ContainsAny(p, " \t\n")
			body, _ = json.Marshal(map[string]string{"name": "U" + p, "role": "viewer"})
			if r := postJSON(t, ts.URL+"/v1/users", string(body)); stored("create user "+short(p), r, 201) {
				var nu tshttp.NewUser
				r.decode(t, &nu)
				if want := strings.TrimSpace(sentAs(body)["name"]); nu.User.Name != want {
					t.Errorf("user %q stored as %q", short(p), nu.User.Name)
				}
				if r := get(t, ts.URL+"/v1/lists", bearer(nu.Key)...); r.Status != 200 {
					t.Errorf("user %q cannot use its key: %d", short(p), r.Status)
				}
			}

			plain = withText

			// A transition's reason, kept with the alert: Hikvision's alert goes back and forth.
			var al tshttp.AlertDetail
			get(t, ts.URL+"/v1/alerts/"+hikID).decode(t, &al)
			to := "under_review"
			if al.Alert.Status == tradescreen.AlertUnderReview {
				to = "open"
			}
			body, _ = json.Marshal(map[string]string{"to": to, "reason": p})
			if r := postJSON(t, ts.URL+"/v1/alerts/"+hikID+"/transitions", string(body)); stored("transition "+short(p), r, 200) {
				get(t, ts.URL+"/v1/alerts/"+hikID).decode(t, &al)
				tr := al.Alert.Transitions
				if len(tr) == 0 || tr[len(tr)-1].Reason != strings.TrimSpace(sentAs(body)["reason"]) && tr[len(tr)-1].Reason != sentAs(body)["reason"] {
					t.Errorf("transition reason %q stored as %+v", short(p), tr)
				}
			}

			// Screened (and so audited) names, and keys that are not keys.
			body, _ = json.Marshal(map[string]string{"name": "N" + p})
			noServerError(t, "screen "+short(p), postJSON(t, ts.URL+"/v1/screen", string(body)))
			for _, h := range [][]string{basicAuth("U"+p, "tsk_1_"+p), basicAuth("local", p), bearer("tsk_" + url.PathEscape(p))} {
				if r := get(t, ts.URL+"/v1/parties", h...); r.Status != 401 {
					t.Errorf("key %q: status %d, want 401", short(p), r.Status)
				}
			}
		}
		before := countStore(t, st)
		if before.alerts == 0 {
			t.Fatal("no alerts to protect")
		}
		var alerts tshttp.AlertsResult
		get(t, ts.URL+"/v1/alerts").decode(t, &alerts)
		alertID := fmt.Sprint(alerts.Alerts[0].ID)
		cookie, token := formToken(t, ts, "/alerts/"+alertID)

		// As ids and filters: 4xx or an empty result, and nothing changes.
		for _, p := range injections {
			e, q := url.PathEscape("Z"+p), url.QueryEscape(p)
			jp, _ := json.Marshal(p)
			empty := func(r *response) bool {
				var v struct {
					Total  *int              `json:"total"`
					Events []json.RawMessage `json:"events"`
				}
				_ = json.Unmarshal(r.Body, &v)
				return (v.Total != nil && *v.Total == 0) || (v.Total == nil && v.Events != nil && len(v.Events) == 0)
			}
			for _, c := range []struct {
				method, path, body string
				ok                 []int
				mustBeEmpty        bool
			}{
				{"GET", "/v1/parties/" + e, "", []int{404}, false},
				{"PATCH", "/v1/parties/" + e, `{"name":` + string(jp) + `,"reason":` + string(jp) + `}`, []int{404}, false},
				{"DELETE", "/v1/parties/" + e + "?reason=" + q, "", []int{404}, false},
				{"POST", "/v1/parties/" + e + "/screen", "", []int{404}, false},
				{"GET", "/v1/parties?deleted=" + q, "", []int{400}, false},
				{"GET", "/v1/parties?limit=" + q, "", []int{400}, false},
				{"GET", "/v1/parties?offset=" + q, "", []int{400}, false},
				{"GET", "/v1/alerts?party=" + q, "", []int{200, 400}, true},
				{"GET", "/v1/alerts?status=" + q, "", []int{400}, false},
				{"GET", "/v1/alerts?source=" + q, "", []int{400}, false},
				{"GET", "/v1/alerts?older_than=" + q, "", []int{400}, false},
				{"GET", "/v1/alerts/" + e, "", []int{404}, false},
				{"POST", "/v1/alerts/" + e + "/transitions", `{"to":"under_review","reason":"x"}`, []int{404}, false},
				{"POST", "/v1/alerts/" + alertID + "/transitions", `{"to":` + string(jp) + `,"reason":` + string(jp) + `}`, []int{400}, false},
				{"POST", "/v1/alerts/" + alertID + "/transitions", `{"to":"under_review","reason":"x","from":` + string(jp) + `}`, []int{400}, false},
				{"GET", "/v1/audit?action=" + q + "&object=" + q, "", []int{200, 400}, true},
				{"GET", "/v1/audit?from=" + q, "", []int{400}, false},
				{"GET", "/v1/audit?after_seq=" + q, "", []int{400}, false},
				{"GET", "/v1/audit/export?format=json&object=" + q, "", []int{200, 400}, false},
				{"GET", "/v1/search?q=" + q, "", []int{200, 400}, false},
				{"GET", "/v1/search?q=x&country=" + q, "", []int{400}, false},
				{"GET", "/v1/search?q=x&source=" + q, "", []int{400}, false},
				{"GET", "/v1/entries/us_el/" + e, "", []int{404}, false},
				{"GET", "/v1/entries/" + e + "/1", "", []int{404}, false},
				{"DELETE", "/v1/users/" + e, "", []int{404}, false},
				{"GET", "/v1/own-lists/" + e, "", []int{404}, false},
				{"GET", "/parties/" + e, "", []int{404}, false},
				{"GET", "/alerts?party=" + q, "", []int{200, 400}, false},
				{"GET", "/audit?action=" + q, "", []int{200, 400}, false},
				{"GET", "/search?q=" + q, "", []int{200, 400}, false},
			} {
				var h []string
				if c.body != "" {
					h = []string{"Content-Type", "application/json"}
				}
				r := do(t, c.method, ts.URL+c.path, strings.NewReader(c.body), h...)
				what := c.method + " " + short(c.path)
				noServerError(t, what, r)
				if !slices.Contains(c.ok, r.Status) {
					t.Errorf("%s: status %d, want one of %v: %.200s", what, r.Status, c.ok, r.Body)
				}
				if r.Status == 200 && c.mustBeEmpty && !empty(r) {
					t.Errorf("%s: a hostile filter selected records: %.300s", what, r.Body)
				}
				if c.method == "GET" && strings.HasPrefix(c.path, "/v1/audit/export") && r.Status == 200 && len(strings.TrimSpace(string(r.Body))) != 0 {
					t.Errorf("%s: exported records: %.300s", what, r.Body)
				}
			}
			// The UI's decision form with the hostile string as the status and the reason.
			form := url.Values{"csrf_token": {token}, "to": {p}, "reason": {p}}
			r := do(t, "POST", ts.URL+"/alerts/"+alertID+"/transitions", strings.NewReader(form.Encode()),
				append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
			noServerError(t, "UI transition "+short(p), r)
		}
		if after := countStore(t, st); after != before {
			t.Errorf("the store changed:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

// short abbreviates a hostile string for a message.
func short(s string) string {
	if len(s) > 60 {
		return fmt.Sprintf("%.60q... (%d bytes)", s, len(s))
	}
	return fmt.Sprintf("%q", s)
}

// noServerError fails on a 5xx answer.
func noServerError(t *testing.T, what string, r *response) {
	t.Helper()
	if r.Status >= 500 {
		t.Errorf("%s: status %d: %.300s", what, r.Status, r.Body)
	}
}

// TestPathTraversal asks for files outside the server's directories through every route that takes a path
// value or a file name: static assets, entries, batch job ids and result formats, own-list names and upload
// names, the changes' list names, plain and percent-encoded (%2e%2e%2f, %5c). Each answer is 404 or 400 (a
// request the router cleans is redirected to a path that answers 404); no answer holds the file, and no
// file is written outside the jobs and data directories.
func TestPathTraversal(t *testing.T) {
	root := t.TempDir()
	const sentinel = "TRAVERSAL-SENTINEL-7f3a9c"
	secret := filepath.Join(root, "secret.txt")
	if err := os.WriteFile(secret, []byte(sentinel+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srvDir := filepath.Join(root, "srv")
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.Store = sqliteStore(t)
		s.JobsDir, s.DataDir = filepath.Join(srvDir, "jobs"), filepath.Join(srvDir, "data")
		if err := os.MkdirAll(s.DataDir, 0o700); err != nil {
			t.Fatal(err)
		}
	})
	var paths []string
	for _, up := range []string{"../", "../../", "../../../", "../../../../../../../../"} {
		for _, target := range []string{"secret.txt", "etc/passwd"} {
			rel := up + target
			enc := strings.ReplaceAll(rel, "/", "%2f")
			dots := strings.ReplaceAll(strings.ReplaceAll(rel, ".", "%2e"), "/", "%2f")
			back := strings.ReplaceAll(rel, "/", "%5c")
			for _, v := range []string{rel, enc, dots, back, strings.ReplaceAll(rel, "..", "%2e%2e")} {
				paths = append(paths,
					"/static/"+v, "/static/style.css/"+v,
					"/v1/entries/"+v, "/v1/entries/us_el/"+v, "/entries/us_el/"+v,
					"/v1/batch/"+v, "/v1/batch/"+v+"/results", "/v1/batch/0123456789abcdef01234567/results?format="+v,
					"/v1/own-lists/"+v, "/v1/changes?source="+v,
					"/parties/"+v, "/v1/parties/"+v)
			}
		}
	}
	for _, p := range paths {
		r := doNoRedirect(t, "GET", ts.URL+p, nil)
		if r.Status >= 300 && r.Status < 400 {
			loc := r.Header.Get("Location")
			u, err := url.Parse(loc)
			if err != nil || u.Host != "" || strings.Contains(u.Path, "..") {
				t.Errorf("GET %s: redirected to %q", p, loc)
				continue
			}
			r = doNoRedirect(t, "GET", ts.URL+u.RequestURI(), nil)
		}
		if r.Status != 404 && r.Status != 400 {
			t.Errorf("GET %s: status %d, want 404 or 400: %.200s", p, r.Status, r.Body)
		}
		if strings.Contains(string(r.Body), sentinel) || strings.Contains(string(r.Body), "root:x:0:0") {
			t.Errorf("GET %s: the answer holds a file from outside: %.300s", p, r.Body)
		}
	}

	// Uploads whose list name or file name climbs out: refused, or stored under the server's directories.
	csvHdr := []string{"Content-Type", "text/csv"}
	own := "id,name,kind,country,reason,added_on,added_by\nR-1,Blue Lantern Trading FZE,organization,AE,payment fraud,2024-03-02,j.doe\n"
	for _, p := range []string{"..%2f..%2fsecret.txt", "%2e%2e%2f%2e%2e%2fsecret.txt", "..%5c..%5csecret.txt"} {
		r := do(t, "POST", ts.URL+"/v1/own-lists/"+p, strings.NewReader(own), csvHdr...)
		if r.Status != 404 && r.Status != 400 {
			t.Errorf("POST /v1/own-lists/%s: status %d", p, r.Status)
		}
	}
	for _, name := range []string{"../../secret.txt", "..", "/etc/passwd", `..\..\secret.txt`} {
		r := do(t, "POST", ts.URL+"/v1/own-lists/restricted?name="+url.QueryEscape(name), strings.NewReader(own), csvHdr...)
		noServerError(t, "own list named "+name, r)
		r = do(t, "POST", ts.URL+"/v1/batch?name="+url.QueryEscape(name), strings.NewReader("id,name\nC-1,Hikvision\n"), csvHdr...)
		r.wantStatus(t, 202)
		var job tshttp.Job
		r.decode(t, &job)
		if strings.Contains(job.FileName, "/") {
			t.Errorf("batch job named %q keeps file name %q", name, job.FileName)
		}
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != sentinel+"\n" {
		t.Errorf("%s changed: %q %v", secret, b, err)
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == secret {
			return err
		}
		if !strings.HasPrefix(p, srvDir+string(filepath.Separator)) {
			t.Errorf("file written outside the server's directories: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// staticAsset finds the content-hashed URL of the stylesheet in a page.
var staticAsset = regexp.MustCompile(`/static/[A-Za-z0-9._-]+\.css`)

// TestSecurityHeadersEveryRoute requests every route the server registers (Server.Routes), with the admin
// key and without a key, and checks the headers every answer carries: a CSP with frame-ancestors 'none',
// nosniff, no-referrer, DENY framing, and Cache-Control no-store on everything but the static assets (which
// are immutable and cached). The 401 and 404 answers carry them as well.
func TestSecurityHeadersEveryRoute(t *testing.T) {
	const apiKey = "headers-test-key-0123456789"
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.APIKey, s.Store, s.JobsDir, s.DataDir = apiKey, sqliteStore(t), t.TempDir(), t.TempDir()
	})
	auth := bearer(apiKey)
	cookie, token := formToken(t, ts, "/orders", auth...)
	check := func(what string, r *response, static bool) {
		t.Helper()
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s (%d): %s = %q, want %q", what, r.Status, h, got, want)
			}
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s (%d): CSP %q lacks %s", what, r.Status, csp, want)
			}
		}
		cc := r.Header.Get("Cache-Control")
		switch {
		case static && r.Status == 200:
			if !strings.Contains(cc, "immutable") {
				t.Errorf("%s: static asset Cache-Control %q", what, cc)
			}
		case static:
			// An unknown asset name: nothing of the caller's to keep private.
		case cc != "no-store":
			t.Errorf("%s (%d): Cache-Control %q, want no-store", what, r.Status, cc)
		}
	}
	n := 0
	for _, rt := range ts.Routes() {
		method, path := routeRequest(rt.Pattern)
		static := strings.HasPrefix(path, "/static/")
		for _, withKey := range []bool{true, false} {
			var h []string
			if withKey {
				h = append(h, auth...)
			}
			body := ""
			switch {
			case rt.UI && method == "POST":
				h = append(append(h, cookie...), "Content-Type", "application/x-www-form-urlencoded")
				body = url.Values{"csrf_token": {token}}.Encode()
			case method == "POST" || method == "PATCH":
				h = append(h, "Content-Type", "application/json")
				body = "{}"
			}
			r := do(t, method, ts.URL+path, strings.NewReader(body), h...)
			check(fmt.Sprintf("%s (key %v)", rt.Pattern, withKey), r, static)
			n++
		}
	}
	m := staticAsset.FindString(string(get(t, ts.URL+"/", auth...).Body))
	if m == "" {
		t.Fatal("no stylesheet URL in the search page")
	}
	check("GET "+m, get(t, ts.URL+m), true)
	if len(ts.Routes()) < 40 || n != 2*len(ts.Routes()) {
		t.Fatalf("%d requests over %d routes", n, len(ts.Routes()))
	}
}

// TestCSRFOrigins posts every UI form (every POST route of the UI in Server.Routes) with a valid token and
// cookie but from another origin: another port of the same host, an opaque ("null") origin, and a sibling
// site that the browser marks Sec-Fetch-Site: same-site. Each is refused with 403; the
// same post from the page's own origin passes the check.
func TestCSRFOrigins(t *testing.T) {
	const apiKey = "csrf-origin-key-0123456789"
	ts := newTestServer(t, func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t); s.DataDir = t.TempDir() })
	auth := basicAuth("officer", apiKey)
	cookie, token := formToken(t, ts, "/orders", auth...)
	u, _ := url.Parse(ts.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	otherPort := "http://127.0.0.1:1" + port
	n := 0
	for _, rt := range ts.Routes() {
		method, path := routeRequest(rt.Pattern)
		if !rt.UI || method != "POST" {
			continue
		}
		n++
		post := func(extra ...string) *response {
			h := append(append(append([]string{}, auth...), cookie...), "Content-Type", "application/x-www-form-urlencoded")
			return do(t, method, ts.URL+path, strings.NewReader(url.Values{"csrf_token": {token}}.Encode()), append(h, extra...)...)
		}
		for name, extra := range map[string][]string{
			"other port":      {"Origin", otherPort},
			"null origin":     {"Origin", "null"},
			"same-site":       {"Sec-Fetch-Site", "same-site"},
			"cross-site+self": {"Sec-Fetch-Site", "cross-site", "Origin", ts.URL},
		} {
			if r := post(extra...); r.Status != 403 {
				t.Errorf("%s from %s: status %d, want 403", rt.Pattern, name, r.Status)
			}
		}
		for name, extra := range map[string][]string{
			"own origin":  {"Origin", ts.URL},
			"same-origin": {"Sec-Fetch-Site", "same-origin", "Origin", ts.URL},
		} {
			if r := post(extra...); r.Status == 403 || r.Status == 401 {
				t.Errorf("%s from %s: status %d: %.200s", rt.Pattern, name, r.Status, r.Body)
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d UI form posts", n)
	}
}

// TestSizeLimits sends a body one byte over each route's limit and checks the 413 answer: JSON with the
// too_large code on the API, an HTML page on the UI. A header block over MaxHeaderBytes is 431.
func TestSizeLimits(t *testing.T) {
	const uploadLimit = 64 << 10
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.Store, s.JobsDir, s.DataDir, s.MaxUploadSize = st, t.TempDir(), t.TempDir(), uploadLimit
	})
	cookie, token := formToken(t, ts, "/orders")
	jsonString := func(prefix string, n int, suffix string) string {
		return prefix + strings.Repeat("a", n-len(prefix)-len(suffix)+1) + suffix
	}
	csvRows := func(n int) string {
		var b strings.Builder
		b.WriteString("id,name\n")
		for i := 0; b.Len() <= n; i++ {
			fmt.Fprintf(&b, "C-%d,Lakeside Bakery %d GmbH\n", i, i)
		}
		return b.String()
	}
	for _, c := range []struct {
		name, method, path, ct, body string
	}{
		{"screen, one party", "POST", "/v1/screen", "application/json", jsonString(`{"name":"x","address":"`, tshttp.MaxBodyBytes, `"}`)},
		{"screen, batch", "POST", "/v1/screen", "application/json", jsonString(`{"parties":[{"name":"`, tshttp.MaxBatchBodyBytes, `"}]}`)},
		{"order", "POST", "/v1/orders", "application/json", jsonString(`{"id":"`, tshttp.MaxOrderBodyBytes, `"}`)},
		{"party patch", "PATCH", "/v1/parties/C-1", "application/json", jsonString(`{"reason":"`, tshttp.MaxBodyBytes, `"}`)},
		{"transition", "POST", "/v1/alerts/1/transitions", "application/json", jsonString(`{"to":"open","reason":"`, tshttp.MaxBodyBytes, `"}`)},
		{"user", "POST", "/v1/users", "application/json", jsonString(`{"role":"viewer","name":"`, tshttp.MaxBodyBytes, `"}`)},
		{"parties import", "POST", "/v1/parties", "text/csv", csvRows(tshttp.MaxPartiesBodyBytes)},
		{"batch upload", "POST", "/v1/batch", "text/csv", csvRows(uploadLimit)},
		{"own list upload", "POST", "/v1/own-lists/restricted", "text/csv", csvRows(tshttp.MaxOwnListBytes)},
	} {
		t.Run(c.name, func(t *testing.T) {
			do(t, c.method, ts.URL+c.path, strings.NewReader(c.body), "Content-Type", c.ct).wantError(t, 413, tradescreen.ETOOLARGE)
		})
	}
	t.Run("UI form", func(t *testing.T) {
		form := url.Values{"csrf_token": {token}, "id": {strings.Repeat("a", tshttp.MaxFormBytes)}}.Encode()
		r := do(t, "POST", ts.URL+"/orders", strings.NewReader(form), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
		if r.Status != 413 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("status %d, Content-Type %q; want 413 as a page", r.Status, r.Header.Get("Content-Type"))
		}
	})
	t.Run("UI upload", func(t *testing.T) {
		body, ct := multipartFile(t, token, "parties.csv", csvRows(tshttp.MaxFormUploadBytes))
		r := do(t, "POST", ts.URL+"/parties", strings.NewReader(body), append([]string{"Content-Type", ct}, cookie...)...)
		if r.Status != 413 {
			t.Errorf("status %d, want 413: %.200s", r.Status, r.Body)
		}
	})
	t.Run("header", func(t *testing.T) {
		status := rawRequest(t, ts.URL, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 2*tshttp.MaxHeaderBytes)+"\r\n\r\n")
		if status != 431 {
			t.Errorf("status %d, want 431", status)
		}
	})
	if n := countStore(t, st); n.parties != 0 || n.alerts != 0 || n.users != 0 {
		t.Errorf("refused requests stored data: %+v", n)
	}
}

// rawRequest writes a raw request on a new connection and returns the status of the answer.
func rawRequest(t *testing.T, base, req string) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The server may answer and close before reading everything; the answer is what counts.
	_, _ = io.WriteString(conn, req)
	resp, err := nethttp.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestSlowClient opens a real connection (Server.Open on 127.0.0.1:0) and sends a request's headers one
// byte per second, without end: the server cuts the connection off once ReadHeaderTimeout has passed, long
// before the client would finish, and keeps serving others meanwhile.
func TestSlowClient(t *testing.T) {
	if testing.Short() {
		t.Skip("takes ReadHeaderTimeout (5 s)")
	}
	ts := newTestServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
		t.Fatal(err)
	}
	// At most this many bytes: ten times the timeout at one byte a second.
	limit := int(10 * tshttp.ReadHeaderTimeout / time.Second)
	buf := make([]byte, 512)
	sent, closed := 0, false
	for sent < limit && !closed {
		if _, err := conn.Write([]byte("a")); err != nil {
			closed = true
			break
		}
		sent++
		if sent == 2 {
			get(t, ts.URL+"/healthz").wantStatus(t, 200) // others are served meanwhile
		}
		// Reading for a second paces the writes and notices the close.
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		var ne net.Error
		switch {
		case n > 0:
			t.Logf("the server answered the unfinished request: %q", buf[:n])
			closed = true
		case errors.As(err, &ne) && ne.Timeout():
		case err != nil:
			closed = true
		}
	}
	if !closed {
		t.Fatalf("the connection is still open after %d header bytes at one a second", sent)
	}
	t.Logf("cut off after %d bytes, %v (ReadHeaderTimeout %v)", sent, time.Since(start).Round(100*time.Millisecond), tshttp.ReadHeaderTimeout)
	if sent+1 < int(tshttp.ReadHeaderTimeout/time.Second) {
		t.Errorf("cut off after %d bytes at one a second, before ReadHeaderTimeout (%v)", sent, tshttp.ReadHeaderTimeout)
	}
	get(t, ts.URL+"/healthz").wantStatus(t, 200)
}

// TestKeylessRemoteRefused: on a server without an API key, only a request from loopback acts as the local
// operator; the same request from any other address (the handler behind a listener that is not loopback)
// is 401 on every route that needs a key.
func TestKeylessRemoteRefused(t *testing.T) {
	s := tshttp.NewServer()
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Service.SetLists(sampleListsScreener(t))
	h := s.Handler()
	for _, rt := range s.Routes() {
		method, path := routeRequest(rt.Pattern)
		for _, addr := range []string{"192.0.2.7:5000", "[2001:db8::1]:5000", "10.0.0.1:80"} {
			r := httptest.NewRequest(method, path, nil)
			// A loopback name in Host, so that only the remote address decides (TestKeylessDNSRebinding
			// refuses other names).
			r.RemoteAddr, r.Host = addr, "127.0.0.1"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if rt.Auth && w.Code != 401 {
				t.Errorf("%s from %s without a key: status %d, want 401", rt.Pattern, addr, w.Code)
			}
			if !rt.Auth && (w.Code == 401 || w.Code == 403) {
				t.Errorf("public %s from %s: status %d", rt.Pattern, addr, w.Code)
			}
		}
	}
}

// TestSecretsNeverLogged authenticates every way there is (the server's key as Bearer, X-API-Key and
// Basic; a user's key made through POST /v1/users, the same three ways; wrong, truncated and disabled
// keys; a user key sent under another user's name) and checks that no key, no key's secret part and no
// Basic credential appears in the server's log, its metrics, its audit trail or the users listing.
func TestSecretsNeverLogged(t *testing.T) {
	const apiKey = "server-key-s3cr3t-0123456789"
	ts := newTestServer(t, func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t); s.JobsDir = t.TempDir() })
	key := addUser(t, ts, "kim", "analyst", bearer(apiKey)...)
	other := addUser(t, ts, "lou", "viewer", bearer(apiKey)...)
	secretOf := func(k string) string { return k[strings.LastIndex(k, "_")+1:] }
	wrong := key[:strings.LastIndex(key, "_")+1] + strings.Repeat("0", len(secretOf(key)))
	for _, c := range []struct {
		path   string
		header []string
		status int
	}{
		{"/v1/lists", bearer(apiKey), 200},
		{"/v1/lists", []string{"X-API-Key", apiKey}, 200},
		{"/search?q=Hikvision", basicAuth("officer", apiKey), 200},
		{"/v1/parties", bearer(key), 200},
		{"/v1/parties", []string{"X-API-Key", key}, 200},
		{"/parties", basicAuth("kim", key), 200},
		{"/v1/users", bearer(key), 403},
		{"/v1/parties", bearer(wrong), 401},
		{"/v1/parties", bearer(apiKey + "x"), 401},
		{"/v1/parties", bearer(apiKey[:12]), 401},
		{"/parties", basicAuth("kim", wrong), 401},
		{"/parties", basicAuth("lou", key), 401},
		{"/v1/parties", []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("kim:"+key+":extra"))}, 401},
		{"/v1/parties", []string{"Authorization", "Token " + key}, 401},
	} {
		if r := get(t, ts.URL+c.path, c.header...); r.Status != c.status {
			t.Errorf("GET %s with %s: status %d, want %d", c.path, c.header[0], r.Status, c.status)
		}
	}
	do(t, "DELETE", ts.URL+"/v1/users/lou", nil, bearer(apiKey)...).wantStatus(t, 200)
	get(t, ts.URL+"/v1/parties", bearer(other)...).wantStatus(t, 401)
	users := get(t, ts.URL+"/v1/users", bearer(apiKey)...)
	users.wantStatus(t, 200)
	export := get(t, ts.URL+"/v1/audit/export?format=json", bearer(apiKey)...)
	export.wantStatus(t, 200)
	metrics := get(t, ts.URL+"/metrics", bearer(apiKey)...)
	metrics.wantStatus(t, 200)

	secrets := []string{apiKey, apiKey[:12], key, secretOf(key), other, secretOf(other), wrong[len(wrong)-20:],
		base64.StdEncoding.EncodeToString([]byte("kim:" + key)), base64.StdEncoding.EncodeToString([]byte("officer:" + apiKey))}
	for name, text := range map[string]string{"log": ts.Logs.String(), "users": string(users.Body), "audit trail": string(export.Body), "metrics": string(metrics.Body)} {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("the %s contains the secret %q", name, s)
			}
		}
	}
	if !strings.Contains(ts.Logs.String(), `"actor":"kim"`) {
		t.Errorf("the log does not name the user who acted:\n%s", ts.Logs.String())
	}
}

// TestNamesNotLogged screens one made-up name through every route that takes a name (search, screen, a
// batch of parties, an order, a party import and its screening, a party's change, a batch job, the UI's
// search and order form): with LogNames off the log never holds it; with LogNames on the request log does.
func TestNamesNotLogged(t *testing.T) {
	const name = "Zebulon Quixotic Trading"
	run := func(t *testing.T, logNames bool) string {
		ts := newTestServer(t, func(s *tshttp.Server) { s.Store = sqliteStore(t); s.JobsDir = t.TempDir(); s.LogNames = logNames })
		q := url.QueryEscape(name)
		get(t, ts.URL+"/v1/search?q="+q).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/screen", `{"name":"`+name+`"}`).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/screen", `{"parties":[{"id":"1","name":"`+name+`"},{"id":"2","name":"Hikvision"}]}`).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/orders", `{"id":"PO-1","date":"2024-05-01","destination":{"country":"DE"},"parties":[{"role":"ultimate_consignee","name":"`+name+`","country":"DE"}],"items":[{"eccn":"EAR99"}]}`).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/parties", `[{"id":"Z-1","name":"`+name+`","country":"DE"}]`).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/parties/Z-1/screen", ``).wantStatus(t, 200)
		do(t, "PATCH", ts.URL+"/v1/parties/Z-1", strings.NewReader(`{"name":"`+name+` GmbH","reason":"legal form"}`), "Content-Type", "application/json").wantStatus(t, 200)
		r := do(t, "POST", ts.URL+"/v1/batch", strings.NewReader("id,name\nB-1,"+name+"\nB-2,\n"), "Content-Type", "text/csv")
		r.wantStatus(t, 202)
		var job tshttp.Job
		r.decode(t, &job)
		for i := 0; job.State != tshttp.JobDone && job.State != tshttp.JobFailed; i++ {
			if i == 600 {
				t.Fatalf("batch job still %s", job.State)
			}
			time.Sleep(100 * time.Millisecond)
			get(t, ts.URL+"/v1/batch/"+job.ID).decode(t, &job)
		}
		get(t, ts.URL+"/search?q="+q).wantStatus(t, 200)
		cookie, token := formToken(t, ts, "/orders")
		form := url.Values{"csrf_token": {token}, "id": {"PO-2"}, "date": {"2024-05-01"}, "destination_country": {"DE"},
			"party_role": {"ultimate_consignee"}, "party_name": {name}, "party_country": {"DE"}, "item_eccn": {"EAR99"}}
		r = do(t, "POST", ts.URL+"/orders", strings.NewReader(form.Encode()), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
		noServerError(t, "UI order", r)
		return ts.Logs.String()
	}
	t.Run("off", func(t *testing.T) {
		logs := run(t, false)
		for _, part := range []string{"Zebulon", "Quixotic"} {
			if strings.Contains(logs, part) {
				t.Errorf("the log holds the screened name (%s):\n%s", part, logs)
			}
		}
		if !strings.Contains(logs, `"route":"POST /v1/parties/{id}/screen"`) {
			t.Errorf("the requests were not logged:\n%s", logs)
		}
	})
	t.Run("on", func(t *testing.T) {
		if logs := run(t, true); !strings.Contains(logs, name) {
			t.Errorf("LogNames on, but the log lacks the name:\n%s", logs)
		}
	})
}

// TestInternalErrorsHidden breaks the database under a running server (closed underneath it): the API
// answers 500 with the code internal and only "internal error", the UI a page saying the same, and the
// detail ("database is closed") goes to the log alone.
func TestInternalErrorsHidden(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = db })
	postJSON(t, ts.URL+"/v1/parties", partiesJSON).wantStatus(t, 200)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/parties", "/v1/alerts", "/v1/audit/verify", "/v1/parties/C-1"} {
		r := get(t, ts.URL+p)
		r.wantError(t, 500, tradescreen.EINTERNAL)
		var e tshttp.ErrorResponse
		r.decode(t, &e)
		if e.Error.Message != "internal error" {
			t.Errorf("GET %s: message %q, want only \"internal error\"", p, e.Error.Message)
		}
	}
	r := get(t, ts.URL+"/parties")
	if r.Status != 500 || !strings.Contains(string(r.Body), "internal error") {
		t.Errorf("UI: status %d: %.300s", r.Status, r.Body)
	}
	for _, leak := range []string{"closed", "sql", "SELECT", "sqlite"} {
		if strings.Contains(strings.ToLower(string(r.Body)), strings.ToLower(leak)) {
			t.Errorf("the UI error page shows %q", leak)
		}
	}
	if !strings.Contains(ts.Logs.String(), "database is closed") {
		t.Errorf("the detail is not logged:\n%s", ts.Logs.String())
	}
}

// TestSecurityDocAuthorizationTable keeps the authorization table of docs/security.md equal to the
// server's route table (Server.Routes): each route and its least role, in registration order.
func TestSecurityDocAuthorizationTable(t *testing.T) {
	b, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	const begin, end = "<!-- routes: generated from Server.Routes -->\n", "<!-- end of routes -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/security.md lacks the markers %q and %q", begin, end)
	}
	var want strings.Builder
	want.WriteString("| route | least role | page or API |\n|---|---|---|\n")
	for _, rt := range tshttp.NewServer().Routes() {
		role := string(rt.Role)
		if rt.Role == "" {
			role = "public (no key)"
		}
		kind := "API"
		if rt.UI {
			kind = "UI"
		}
		fmt.Fprintf(&want, "| `%s` | %s | %s |\n", rt.Pattern, role, kind)
	}
	if got := doc[i+len(begin) : j]; got != want.String() {
		t.Errorf("the authorization table of docs/security.md is out of date; between the markers it should read:\n%s", want.String())
	}
}

// doHost is do with the request's Host header set to host (the connection still goes to url's address), as a
// browser sends it to a name rebound to 127.0.0.1.
func doHost(t testing.TB, method, url, host string, body io.Reader, header ...string) *response {
	t.Helper()
	req, err := nethttp.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s (Host %s): %v", method, url, host, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// TestKeylessDNSRebinding: a server without an API key (the local operator's) answers only to loopback
// names with its own port. A page of another site whose name was rebound to 127.0.0.1 sends its own name in
// Host: every route refuses it (403), and the review's attack, creating an admin user, creates nothing.
func TestKeylessDNSRebinding(t *testing.T) {
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st })
	u, _ := url.Parse(ts.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	before := countStore(t, st)
	for _, host := range []string{"rebind.example:" + port, "rebind.example", "127.0.0.1.nip.io:" + port,
		"localhost:1" + port, "127.0.0.1", "localhost.:" + port, "foo.localhost:" + port, "0.0.0.0:" + port} {
		postJSON := func(path, body string) *response {
			return doHost(t, "POST", ts.URL+path, host, strings.NewReader(body), "Content-Type", "application/json")
		}
		postJSON("/v1/users", `{"name":"mallory","role":"admin"}`).wantError(t, 403, tradescreen.EFORBIDDEN, "loopback")
		postJSON("/v1/parties", partiesJSON).wantError(t, 403, tradescreen.EFORBIDDEN, "loopback")
		for _, path := range []string{"/v1/users", "/v1/parties", "/", "/healthz", "/v1/nope"} {
			if r := doHost(t, "GET", ts.URL+path, host, nil); r.Status != 403 {
				t.Errorf("GET %s with Host %q: status %d, want 403", path, host, r.Status)
			}
		}
	}
	if after := countStore(t, st); after != before {
		t.Errorf("the store changed: %+v, was %+v", after, before)
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "127.0.0.2:" + port} {
		doHost(t, "GET", ts.URL+"/v1/users", host, nil).wantStatus(t, 200)
	}
	// A server with an API key serves any name: the key is what it trusts.
	const apiKey = "rebind-test-key-0123456789"
	keyed := newTestServer(t, func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t) })
	doHost(t, "GET", keyed.URL+"/v1/users", "screening.example.com", nil, bearer(apiKey)...).wantStatus(t, 200)
	doHost(t, "GET", keyed.URL+"/v1/users", "screening.example.com", nil).wantStatus(t, 401)
}

// TestCrossOriginStateChange sends every route that changes state (each POST, PATCH and DELETE of
// Server.Routes, API and UI) to a keyless loopback server as a page of another site would: with a foreign
// Origin, with the same host on another port, with Origin null, and marked Sec-Fetch-Site: cross-site. Each is
// refused with 403 and nothing is stored; the same requests from the server's own origin pass.
func TestCrossOriginStateChange(t *testing.T) {
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st; s.JobsDir = t.TempDir(); s.DataDir = t.TempDir() })
	postJSON(t, ts.URL+"/v1/parties", partiesJSON).wantStatus(t, 200)
	u, _ := url.Parse(ts.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	before := countStore(t, st)
	n := 0
	for _, rt := range ts.Routes() {
		method, path := routeRequest(rt.Pattern)
		if method == "GET" {
			continue
		}
		path = strings.Replace(path, "999999", "C-1", 1)
		n++
		for name, h := range map[string][]string{
			"foreign origin": {"Origin", "http://rebind.example"},
			"other port":     {"Origin", "http://127.0.0.1:1" + port},
			"null origin":    {"Origin", "null"},
			"cross-site":     {"Sec-Fetch-Site", "cross-site"},
			"same-site":      {"Sec-Fetch-Site", "same-site", "Origin", "http://localhost:" + port},
		} {
			body := `{"name":"mallory","role":"admin","reason":"x","to":"closed_false_positive","parties":[{"name":"x"}]}`
			r := do(t, method, ts.URL+path, strings.NewReader(body), append([]string{"Content-Type", "application/json"}, h...)...)
			if r.Status != 403 {
				t.Errorf("%s from %s: status %d, want 403: %.200s", rt.Pattern, name, r.Status, r.Body)
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d state-changing routes", n)
	}
	if after := countStore(t, st); after != before {
		t.Errorf("the store changed: %+v, was %+v", after, before)
	}
	postJSON(t, ts.URL+"/v1/users", `{"name":"ann","role":"analyst"}`, "Origin", ts.URL).wantStatus(t, 201)
	postJSON(t, ts.URL+"/v1/parties/C-1/screen", ``, "Origin", ts.URL, "Sec-Fetch-Site", "same-origin").wantStatus(t, 200)
}

// TestAPIRefusesFormBodies: a page of any site can post text/plain, urlencoded or multipart bodies without
// asking the server first; an older browser sends no Origin with them. The API reads none of those types,
// so each is refused with 415 before the route acts: POST /v1/parties/{id}/screen, which reads no body,
// screened the party on a text/plain post before.
func TestAPIRefusesFormBodies(t *testing.T) {
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st; s.JobsDir = t.TempDir() })
	postJSON(t, ts.URL+"/v1/parties", partiesJSON).wantStatus(t, 200)
	v, err := st.Audit().VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		for _, path := range []string{"/v1/parties/C-1/screen", "/v1/screen", "/v1/users", "/v1/batch", "/v1/parties", "/v1/alerts/1/transitions"} {
			r := do(t, "POST", ts.URL+path, strings.NewReader(`{"name":"mallory","role":"admin"}`), "Content-Type", ct)
			r.wantError(t, 415, tshttp.EMEDIATYPE, "application/json")
		}
	}
	if w, err := st.Audit().VerifyAudit(context.Background()); err != nil || w.Events != v.Events {
		t.Errorf("audit records: %d, was %d (%v)", w.Events, v.Events, err)
	}
	// A client that sends no body (curl -X POST) screens the party as before.
	do(t, "POST", ts.URL+"/v1/parties/C-1/screen", nil).wantStatus(t, 200)
}

// TestMalformedAuthorization: a request whose credentials cannot be read is refused with 401, even from
// loopback by a server without an API key, where a request sending nothing acts as the local operator.
func TestMalformedAuthorization(t *testing.T) {
	ts := newTestServer(t, func(s *tshttp.Server) { s.Store = sqliteStore(t) })
	b64 := base64.StdEncoding.EncodeToString
	for _, h := range [][]string{
		{"Authorization", "Bearer"}, {"Authorization", "Bearer   "}, {"Authorization", "Basic !!!"},
		{"Authorization", "Basic " + b64([]byte("admin:"))}, {"Authorization", "Basic " + b64([]byte("admin"))},
		{"Authorization", "Basic"}, {"Authorization", "Token abc"}, {"Authorization", "Negotiate YII="},
		{"Authorization", ""}, {"X-API-Key", ""}, {"X-API-Key", "   "},
	} {
		get(t, ts.URL+"/v1/users", h...).wantError(t, 401, tradescreen.EUNAUTHORIZED)
		postJSON(t, ts.URL+"/v1/users", `{"name":"mallory","role":"admin"}`, h...).wantError(t, 401, tradescreen.EUNAUTHORIZED)
	}
	get(t, ts.URL+"/v1/users").wantStatus(t, 200)
}
