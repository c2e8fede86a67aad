package http_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/postgres"
	"github.com/tradescreen/tradescreen/sqlite"
	"github.com/tradescreen/tradescreen/storetest"
)

// storeOpener opens a fresh, empty store for a test and closes it when the test ends.
type storeOpener func(tb testing.TB) tradescreen.Store

// sqliteStore opens a SQLite database in a temporary directory.
func sqliteStore(tb testing.TB) tradescreen.Store {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// postgresStore opens a fresh schema of TRADESCREEN_TEST_POSTGRES_URL, dropped when the test ends.
func postgresStore(tb testing.TB) tradescreen.Store {
	tb.Helper()
	db := postgres.NewDB(storetest.PostgresSchema(tb, os.Getenv("TRADESCREEN_TEST_POSTGRES_URL"), "ts_http_"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// stores runs f on SQLite and, when TRADESCREEN_TEST_POSTGRES_URL is set, on PostgreSQL (required when
// TRADESCREEN_REQUIRE_POSTGRES=1).
func stores(t *testing.T, f func(t *testing.T, open storeOpener)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteStore) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("TRADESCREEN_TEST_POSTGRES_URL") == "" {
			if os.Getenv("TRADESCREEN_REQUIRE_POSTGRES") == "1" {
				t.Fatal("TRADESCREEN_REQUIRE_POSTGRES=1 but TRADESCREEN_TEST_POSTGRES_URL is not set")
			}
			t.Skip("TRADESCREEN_TEST_POSTGRES_URL is not set")
		}
		f(t, postgresStore)
	})
}

func bearer(key string) []string { return []string{"Authorization", "Bearer " + key} }

func basicAuth(user, key string) []string {
	return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+key))}
}

// addUser creates a user through the API (as the local operator) and returns its key.
func addUser(t testing.TB, ts *testServer, name, role string, header ...string) string {
	t.Helper()
	r := postJSON(t, ts.URL+"/v1/users", fmt.Sprintf(`{"name":%q,"role":%q}`, name, role), header...)
	r.wantStatus(t, 201)
	var nu tshttp.NewUser
	r.decode(t, &nu)
	if nu.User == nil || nu.User.Name != name || !strings.HasPrefix(nu.Key, "tsk_") {
		t.Fatalf("new user %s: %s", name, r.Body)
	}
	return nu.Key
}

// partiesJSON are two parties: the Entity List's Hikvision under another spelling and a bakery that is on
// no list.
const partiesJSON = `[{"id":"C-1","name":"Hangzhou Hikvision Digital Technology Co Ltd","country":"CN","account_manager":"Ada"},
 {"id":"C-2","name":"Lakeside Bakery GmbH","country":"DE"}]`

func TestStoreAPI(t *testing.T) {
	stores(t, func(t *testing.T, open storeOpener) {
		st := open(t)
		ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st })
		ctx := t.Context()

		// Users, created by the local operator (loopback, no API key on the server).
		ann := addUser(t, ts, "ann", "analyst")
		apu := addUser(t, ts, "apu", "approver")
		abe := addUser(t, ts, "abe", "approver")
		vic := addUser(t, ts, "vic", "viewer")
		postJSON(t, ts.URL+"/v1/users", `{"name":"ann","role":"viewer"}`).wantError(t, 409, tradescreen.ECONFLICT, "ann")
		postJSON(t, ts.URL+"/v1/users", `{"name":"zed","role":"boss"}`).wantError(t, 400, tradescreen.EINVALID, "role")

		// Import: JSON array, screened at once.
		r := postJSON(t, ts.URL+"/v1/parties?name=customers.json", partiesJSON, bearer(ann)...)
		r.wantStatus(t, 200)
		var imp tshttp.ImportResult
		r.decode(t, &imp)
		if imp.Rows != 2 || imp.Created != 2 || imp.Screened != 2 || imp.AlertsCreated < 1 {
			t.Fatalf("import: %s", r.Body)
		}
		postJSON(t, ts.URL+"/v1/parties", partiesJSON, bearer(vic)...).wantError(t, 403, tradescreen.EFORBIDDEN, "analyst role")
		do(t, "POST", ts.URL+"/v1/parties", strings.NewReader("customer_id,company_name\nC-9,\n"), append([]string{"Content-Type", "text/csv"}, bearer(ann)...)...).
			wantError(t, 400, tradescreen.EINVALID, "line 2", `"name"`)
		r = do(t, "POST", ts.URL+"/v1/parties?name=more.csv", strings.NewReader("customer_id,company_name,country\nC-3,Dahua Technology,CN\n"),
			append([]string{"Content-Type", "text/csv"}, bearer(ann)...)...)
		r.wantStatus(t, 200)

		var list tshttp.PartiesResult
		get(t, ts.URL+"/v1/parties?limit=2", bearer(vic)...).decode(t, &list)
		if list.Total != 3 || len(list.Parties) != 2 || list.Parties[0].ID != "C-1" {
			t.Fatalf("parties: %+v", list)
		}
		get(t, ts.URL+"/v1/parties?limit=0", bearer(vic)...).wantError(t, 400, tradescreen.EINVALID, "limit")
		var pd tshttp.PartyDetail
		get(t, ts.URL+"/v1/parties/C-1", bearer(vic)...).decode(t, &pd)
		if pd.Party == nil || pd.Extra["account_manager"] != "Ada" || len(pd.Alerts) == 0 || pd.ScreenedHash != pd.Hash {
			t.Fatalf("party C-1: %+v", pd)
		}
		get(t, ts.URL+"/v1/parties/nope", bearer(vic)...).wantError(t, 404, tradescreen.ENOTFOUND)
		var hik *tradescreen.Alert
		for _, a := range pd.Alerts {
			if a.Source == "us_el" {
				hik = a
			}
		}
		if hik == nil {
			t.Fatalf("no Entity List alert for C-1: %+v", pd.Alerts)
		}

		// The queue and its filters.
		var q tshttp.AlertsResult
		get(t, ts.URL+"/v1/alerts?status=open", bearer(vic)...).decode(t, &q)
		if q.Total < 2 || q.Counts["open"] != q.Total || q.Alerts[0].ID < q.Alerts[len(q.Alerts)-1].ID {
			t.Fatalf("open alerts: %+v", q)
		}
		get(t, ts.URL+"/v1/alerts?source=us_el&party=C-1", bearer(vic)...).decode(t, &q)
		if q.Total != 1 || q.Alerts[0].ID != hik.ID {
			t.Fatalf("us_el alerts of C-1: %+v", q)
		}
		get(t, ts.URL+"/v1/alerts?older_than=1d", bearer(vic)...).decode(t, &q)
		if q.Total != 0 {
			t.Fatalf("alerts older than a day: %d", q.Total)
		}
		get(t, ts.URL+"/v1/alerts?older_than=0s", bearer(vic)...).decode(t, &q)
		if q.Total < 2 {
			t.Fatalf("alerts older than now: %d", q.Total)
		}
		get(t, ts.URL+"/v1/alerts?older_than=soon", bearer(vic)...).wantError(t, 400, tradescreen.EINVALID, "older_than")
		get(t, ts.URL+"/v1/alerts?status=nope", bearer(vic)...).wantError(t, 400, tradescreen.EINVALID, "status")
		get(t, ts.URL+"/v1/alerts?source=xx_nope", bearer(vic)...).wantError(t, 400, tradescreen.EINVALID, "source")

		// One alert: party, entry, explanation, what the caller may do.
		var ad tshttp.AlertDetail
		get(t, ts.URL+fmt.Sprintf("/v1/alerts/%d", hik.ID), bearer(ann)...).decode(t, &ad)
		if ad.Party == nil || ad.Party.ID != "C-1" || ad.Entry == nil || ad.Entry.Source != "us_el" || ad.Match == nil ||
			ad.Match.Explanation.Summary == "" || len(ad.Alert.Transitions) != 1 {
			t.Fatalf("alert detail: %s", mustJSON(ad))
		}
		if !containsStatus(ad.Allowed, tradescreen.AlertClosedFalsePositive) {
			t.Errorf("analyst may not close an open alert? allowed %v", ad.Allowed)
		}
		get(t, ts.URL+fmt.Sprintf("/v1/alerts/%d", hik.ID), bearer(vic)...).decode(t, &ad)
		if len(ad.Allowed) != 0 {
			t.Errorf("viewer allowed %v", ad.Allowed)
		}
		get(t, ts.URL+"/v1/alerts/999999", bearer(vic)...).wantError(t, 404, tradescreen.ENOTFOUND)
		get(t, ts.URL+"/v1/alerts/x", bearer(vic)...).wantError(t, 404, tradescreen.ENOTFOUND)

		// Transitions: reason required, roles, four eyes, stale state.
		tr := func(key string, id int64, body string) *response {
			return postJSON(t, ts.URL+fmt.Sprintf("/v1/alerts/%d/transitions", id), body, bearer(key)...)
		}
		tr(ann, hik.ID, `{"to":"closed_false_positive"}`).wantError(t, 400, tradescreen.EINVALID, "reason")
		tr(ann, hik.ID, `{"to":"bogus","reason":"x"}`).wantError(t, 400, tradescreen.EINVALID, "status")
		tr(ann, hik.ID, `{"to":"escalated","reason":"x","from":"under_review"}`).wantError(t, 409, tradescreen.ECONFLICT, "is open now")
		tr(vic, hik.ID, `{"to":"escalated","reason":"x"}`).wantError(t, 403, tradescreen.EFORBIDDEN, "analyst")
		tr(ann, 999999, `{"to":"escalated","reason":"x"}`).wantError(t, 404, tradescreen.ENOTFOUND)
		tr(ann, hik.ID, `{"to":"escalated","reason":"same name, same city","from":"open"}`).wantStatus(t, 200)
		tr(ann, hik.ID, `{"to":"closed_true_match","reason":"x"}`).wantError(t, 403, tradescreen.EFORBIDDEN, "approver")
		tr(apu, hik.ID, `{"to":"under_review","reason":"looking"}`).wantStatus(t, 200)
		tr(apu, hik.ID, `{"to":"escalated","reason":"needs a second approver"}`).wantStatus(t, 200)
		tr(apu, hik.ID, `{"to":"closed_false_positive","reason":"mine"}`).wantError(t, 403, tradescreen.EFORBIDDEN, "escalated alert")
		r = tr(abe, hik.ID, `{"to":"false_positive","reason":"different registration number"}`)
		r.wantStatus(t, 200)
		var closed tradescreen.Alert
		r.decode(t, &closed)
		if closed.Status != tradescreen.AlertClosedFalsePositive || len(closed.Transitions) != 5 || closed.Transitions[4].Actor != "abe" {
			t.Fatalf("closed alert: %s", r.Body)
		}

		// Party changes: reason required; a change is screened at once; delete is soft.
		do(t, "PATCH", ts.URL+"/v1/parties/C-2", strings.NewReader(`{"country":"AT"}`), append([]string{"Content-Type", "application/json"}, bearer(ann)...)...).
			wantError(t, 400, tradescreen.EINVALID, "reason")
		do(t, "PATCH", ts.URL+"/v1/parties/C-2", strings.NewReader(`{"country":"Atlantis","reason":"x"}`), append([]string{"Content-Type", "application/json"}, bearer(ann)...)...).
			wantError(t, 400, tradescreen.EINVALID, "country")
		r = do(t, "PATCH", ts.URL+"/v1/parties/C-2", strings.NewReader(`{"country":"AT","reason":"moved to Vienna"}`), append([]string{"Content-Type", "application/json"}, bearer(ann)...)...)
		r.wantStatus(t, 200)
		r.decode(t, &pd)
		if pd.Country != "AT" || pd.Version != 2 || pd.ScreenedHash != pd.Hash {
			t.Fatalf("updated C-2: %s", r.Body)
		}
		do(t, "DELETE", ts.URL+"/v1/parties/C-2", nil, bearer(ann)...).wantError(t, 400, tradescreen.EINVALID, "reason")
		do(t, "DELETE", ts.URL+"/v1/parties/C-2?reason=closed+account", nil, bearer(vic)...).wantError(t, 403, tradescreen.EFORBIDDEN)
		r = do(t, "DELETE", ts.URL+"/v1/parties/C-2?reason=closed+account", nil, bearer(ann)...)
		r.wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/parties/C-2/screen", ``, bearer(ann)...).wantError(t, 409, tradescreen.ECONFLICT, "deleted")
		var scr tshttp.PartyScreening
		postJSON(t, ts.URL+"/v1/parties/C-3/screen", ``, bearer(ann)...).decode(t, &scr)
		if len(scr.Matches) == 0 || len(scr.Alerts) == 0 || scr.Alerts[0].Action != "kept" {
			t.Fatalf("screen C-3 again: %s", mustJSON(scr))
		}

		// Screening through the API is recorded with who asked.
		get(t, ts.URL+"/v1/search?q=Hikvision", bearer(vic)...).wantStatus(t, 200)
		postJSON(t, ts.URL+"/v1/screen", `{"parties":[{"name":"Dahua Technology"},{"name":"Nobody Special"}]}`, bearer(vic)...).wantStatus(t, 200)

		// The audit trail: who did what, filters, verification, export (approver and up).
		var au tshttp.AuditResult
		get(t, ts.URL+"/v1/audit?limit=1000", bearer(vic)...).decode(t, &au)
		actors, actions := map[string]int{}, map[string]int{}
		for _, e := range au.Events {
			actors[e.Actor]++
			actions[e.Action]++
			if e.Action == tradescreen.AuditScreen && e.Object == "screening" && e.Actor != "vic" {
				t.Errorf("screening recorded as %s, want vic", e.Actor)
			}
		}
		for _, a := range []string{"local", "ann", "apu", "abe", "vic"} {
			if actors[a] == 0 {
				t.Errorf("no audit record by %s: %v", a, actors)
			}
		}
		if actions[tradescreen.AuditScreen] < 3+3 || actions[tradescreen.AuditDecision] != 1 || actions[tradescreen.AuditPartyDelete] != 1 || actions[tradescreen.AuditUserCreate] != 4 {
			t.Errorf("audit actions: %v", actions)
		}
		get(t, ts.URL+"/v1/audit?action=alert.decision", bearer(vic)...).decode(t, &au)
		if len(au.Events) != 1 || au.Events[0].Actor != "abe" || !strings.Contains(au.Events[0].Details, "different registration number") {
			t.Errorf("decision records: %+v", au.Events)
		}
		get(t, ts.URL+"/v1/audit?limit=2", bearer(vic)...).decode(t, &au)
		if len(au.Events) != 2 || au.Next != au.Events[1].Seq {
			t.Errorf("page 1: %+v", au)
		}
		get(t, ts.URL+fmt.Sprintf("/v1/audit?limit=2&after_seq=%d", au.Next), bearer(vic)...).decode(t, &au)
		if len(au.Events) != 2 || au.Events[0].Seq != 3 {
			t.Errorf("page 2: %+v", au)
		}
		get(t, ts.URL+"/v1/audit?from=yesterday", bearer(vic)...).wantError(t, 400, tradescreen.EINVALID, "from")
		var v tradescreen.AuditVerification
		get(t, ts.URL+"/v1/audit/verify", bearer(vic)...).decode(t, &v)
		if !v.OK || v.Events < 20 {
			t.Fatalf("verify: %+v", v)
		}
		get(t, ts.URL+"/v1/audit/export?format=csv", bearer(vic)...).wantError(t, 403, tradescreen.EFORBIDDEN, "approver")
		r = get(t, ts.URL+"/v1/audit/export?format=csv", bearer(apu)...)
		r.wantStatus(t, 200)
		lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
		if lines[0] != "seq,at,actor,action,object,details,prev_hash,hash" || len(lines) < int(v.Events)+1 ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("CSV export: %d lines, header %q", len(lines), lines[0])
		}
		r = get(t, ts.URL+"/v1/audit/export?format=json&action=alert.decision", bearer(apu)...)
		r.wantStatus(t, 200)
		var e tradescreen.AuditEvent
		if err := json.Unmarshal([]byte(strings.TrimSpace(string(r.Body))), &e); err != nil || e.Action != tradescreen.AuditDecision {
			t.Errorf("JSON export: %s (%v)", r.Body, err)
		}
		get(t, ts.URL+"/v1/audit/export?format=pdf", bearer(apu)...).wantError(t, 400, tradescreen.EINVALID, "format")
		if v, err := st.Audit().VerifyAudit(ctx); err != nil || !v.OK {
			t.Fatalf("verify after the exports: %+v %v", v, err)
		}

		// Users: admins only; a disabled key stops at once; a wrong key is refused even from loopback.
		get(t, ts.URL+"/v1/users", bearer(apu)...).wantError(t, 403, tradescreen.EFORBIDDEN, "admin")
		var us tshttp.UsersResult
		get(t, ts.URL+"/v1/users").decode(t, &us)
		if len(us.Users) != 4 {
			t.Errorf("users: %+v", us)
		}
		do(t, "DELETE", ts.URL+"/v1/users/vic", nil).wantStatus(t, 200)
		do(t, "DELETE", ts.URL+"/v1/users/nobody", nil).wantError(t, 404, tradescreen.ENOTFOUND)
		get(t, ts.URL+"/v1/parties", bearer(vic)...).wantError(t, 401, tradescreen.EUNAUTHORIZED)
		get(t, ts.URL+"/v1/parties", bearer("tsk_1_wrong")...).wantError(t, 401, tradescreen.EUNAUTHORIZED)
		get(t, ts.URL+"/v1/parties", "X-API-Key", "not-a-key").wantError(t, 401, tradescreen.EUNAUTHORIZED)
		get(t, ts.URL+"/v1/parties", basicAuth("ann", ann)...).wantStatus(t, 200)
		get(t, ts.URL+"/v1/parties", basicAuth("apu", ann)...).wantError(t, 401, tradescreen.EUNAUTHORIZED)

		// The request log names the actor, never the key.
		logs := ts.Logs.String()
		for _, want := range []string{`"actor":"ann"`, `"actor":"abe"`, `"actor":"local"`} {
			if !strings.Contains(logs, want) {
				t.Errorf("request log lacks %s", want)
			}
		}
		for _, key := range []string{ann, apu, vic} {
			if strings.Contains(logs, key) || strings.Contains(logs, key[strings.LastIndex(key, "_")+1:]) {
				t.Errorf("request log contains a key")
			}
		}
	})
}

func containsStatus(ss []tradescreen.AlertStatus, s tradescreen.AlertStatus) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestNoStore: without a database the stored side answers 503 saying how to configure one; the rest works.
func TestNoStore(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/v1/parties", "/v1/alerts", "/v1/audit", "/v1/users"} {
		get(t, ts.URL+p).wantError(t, 503, tshttp.ENOSTORE, "--db", "TRADESCREEN_DB", "data directory")
	}
	r := get(t, ts.URL+"/alerts")
	r.wantStatus(t, 503)
	if !strings.Contains(string(r.Body), "--db") || r.Header.Get("Retry-After") != "" {
		t.Errorf("UI without a store: Retry-After %q, body %.300s", r.Header.Get("Retry-After"), r.Body)
	}
	get(t, ts.URL+"/v1/search?q=Hikvision").wantStatus(t, 200)
	if strings.Contains(string(get(t, ts.URL+"/").Body), `href="/alerts"`) {
		t.Error("the nav offers alerts without a store")
	}
}

// Concurrent searches are recorded together: every answered search has exactly one record, in a chain that
// verifies, on both databases.
func TestConcurrentSearchesRecorded(t *testing.T) {
	stores(t, func(t *testing.T, open storeOpener) {
		st := open(t)
		ts := newTestServer(t, func(s *tshttp.Server) { s.Store = st })
		const n = 64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				resp, err := nethttp.Get(ts.URL + "/v1/search?q=" + url.QueryEscape(fmt.Sprintf("Hikvision %d", i)))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("search %d: %d", i, resp.StatusCode)
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		evs, err := st.Audit().FindAuditEvents(t.Context(), tradescreen.AuditFilter{Action: tradescreen.AuditScreen})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range evs {
			for i := 0; i < n; i++ {
				if strings.Contains(e.Details, fmt.Sprintf(`"Hikvision %d"`, i)) {
					seen[fmt.Sprint(i)]++
				}
			}
		}
		if len(evs) != n || len(seen) != n {
			t.Fatalf("%d screening records for %d searches (%d distinct)", len(evs), n, len(seen))
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("search %s recorded %d times", k, c)
			}
		}
		if v, err := st.Audit().VerifyAudit(t.Context()); err != nil || !v.OK || v.Events != n {
			t.Fatalf("verify: %+v %v", v, err)
		}
	})
}
