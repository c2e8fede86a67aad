package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/ownlist"
)

const ownRestrictedCSV = `id,name,kind,aliases,address,country,identifiers,reason,added_on,added_by
C-17,Blue Lantern Trading FZE,organization,Blue Lantern General Trading,"Plot 12, Jebel Ali Free Zone, Dubai",AE,VAT:AE100200300,payment fraud 2024,2024-03-02,j.doe
P-3,Ivan Petrovsky,person,,,Russia,,refused KYC,2025-01-10,j.doe
`

// ownValidate checks a JSON answer against the schema openapi.json documents for the operation and status.
func ownValidate(t *testing.T, doc *openAPIDoc, path, method string, r *response) {
	t.Helper()
	op, ok := doc.Paths[path][method]
	if !ok {
		t.Fatalf("%s %s not documented", method, path)
	}
	resp, ok := op.Responses[fmt.Sprint(r.Status)]
	if !ok {
		t.Fatalf("status %d of %s %s not documented", r.Status, method, path)
	}
	var v any
	r.decode(t, &v)
	for _, e := range doc.validate(resp.Content["application/json"].Schema, v, "$") {
		t.Error(e)
	}
}

// TestOwnListsAPI uploads an internal restricted list and an allow list over HTTP, as an analyst would, and
// checks that searches screen against the first with its badge and mark the pairing of the second, that
// viewers may read but not upload, that bad uploads name their line and column, and that every answer
// matches openapi.json.
func TestOwnListsAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	dataDir := t.TempDir()
	st := sqliteStore(t)
	ts := newTestServer(t, func(s *tshttp.Server) { s.DataDir = dataDir; s.Store = st })
	csvHdr := []string{"Content-Type", mediaCSV}

	r := get(t, ts.URL+"/v1/own-lists")
	r.wantStatus(t, 200)
	ownValidate(t, doc, "/v1/own-lists", "get", r)
	var lists tshttp.OwnListsResult
	r.decode(t, &lists)
	if len(lists.Lists) != 2 || lists.Lists[0].List != "own_restricted" || lists.Lists[0].Version != nil || !lists.Lists[0].Screened || lists.Lists[1].Screened {
		t.Fatalf("before any import: %s", r.Body)
	}

	// Before: no match for the party.
	var res tshttp.ScreenResult
	get(t, ts.URL+"/v1/search?q="+strings.ReplaceAll("Blue Lantern Trading", " ", "+")).decode(t, &res)
	if len(res.Matches) != 0 {
		t.Fatalf("matches before the upload: %+v", res.Matches)
	}

	r = do(t, "POST", ts.URL+"/v1/own-lists/restricted?name=restricted-2026-07.csv", strings.NewReader(ownRestrictedCSV), csvHdr...)
	r.wantStatus(t, 201)
	ownValidate(t, doc, "/v1/own-lists/{list}", "post", r)
	var imp tshttp.OwnListImport
	r.decode(t, &imp)
	if imp.Version.ID != 1 || imp.Version.Name != "restricted-2026-07.csv" || imp.Changes.Added != 2 || !imp.Reloaded || imp.Version.Actor == "" {
		t.Fatalf("import %s", r.Body)
	}
	r = get(t, ts.URL+"/v1/search?q=Blue+Lantern+Trading")
	r.wantStatus(t, 200)
	res = tshttp.ScreenResult{}
	r.decode(t, &res)
	if len(res.Matches) != 1 || res.Matches[0].Source != "own_restricted" || res.Matches[0].SourceID != "C-17" ||
		!strings.HasPrefix(res.Matches[0].Entry.ListName, "Internal list") || !strings.Contains(res.AsOf, "own_restricted as of") {
		t.Fatalf("search after the upload: %s", r.Body)
	}
	// The UI shows the badge on the search result.
	page := string(get(t, ts.URL+"/search?q=Blue+Lantern+Trading").Body)
	if !strings.Contains(page, `class="badge src-own_restricted"`) || !strings.Contains(page, "Internal list: restricted parties") {
		t.Errorf("search page lacks the Internal list badge")
	}
	// The same file again stores nothing.
	r = do(t, "POST", ts.URL+"/v1/own-lists/own_restricted", strings.NewReader(ownRestrictedCSV), csvHdr...)
	r.wantStatus(t, 200)
	ownValidate(t, doc, "/v1/own-lists/{list}", "post", r)

	// The allow list, as JSON: Hikvision's Entity List entry reviewed as not the party "Hikvision".
	var hik tshttp.ScreenResult
	get(t, ts.URL+"/v1/search?q=Hikvision").decode(t, &hik)
	if len(hik.Matches) < 2 {
		t.Fatalf("Hikvision: %d matches", len(hik.Matches))
	}
	key := hik.Matches[0].Source + "/" + hik.Matches[0].SourceID
	allow := fmt.Sprintf(`{"entries":[{"name":"Hikvision","entry":%q,"reason":"test pairing","reviewed_by":"a.smith","reviewed_on":"2026-06-30"}]}`, key)
	r = do(t, "POST", ts.URL+"/v1/own-lists/allow", strings.NewReader(allow), "Content-Type", "application/json")
	r.wantStatus(t, 201)
	r = get(t, ts.URL+"/v1/search?q=hikvision")
	res = tshttp.ScreenResult{}
	r.decode(t, &res)
	if len(res.Matches) != len(hik.Matches) {
		t.Fatalf("the allow list removed matches: %d, want %d", len(res.Matches), len(hik.Matches))
	}
	marked := 0
	for _, m := range res.Matches {
		if ownlist.IsAllowed(m.Match) {
			marked++
			if m.Source+"/"+m.SourceID != key || !strings.Contains(m.Explanation.Adjustments[0], "test pairing; reviewed by a.smith on 2026-06-30") {
				t.Errorf("marked %s: %q", m.Source+"/"+m.SourceID, m.Explanation.Adjustments)
			}
			// The allowance is also a structured field of the match.
			if a := m.Allowed; a == nil || a.Reason != "test pairing" || a.Reviewer != "a.smith" || a.Date != "2026-06-30" || a.Row == "" {
				t.Errorf("allowed %+v", a)
			}
		} else if m.Allowed != nil {
			t.Errorf("%s/%s carries an allowance it is not marked with", m.Source, m.SourceID)
		}
	}
	if marked != 1 {
		t.Errorf("%d matches marked, want exactly the reviewed pairing", marked)
	}
	r = postJSON(t, ts.URL+"/v1/screen", `{"parties":[{"name":"Hikvision"}]}`)
	var batch tshttp.BatchResult
	r.decode(t, &batch)
	if len(batch.Results) != 1 || ownlist.CountAllowed(matchesOf(batch.Results[0])) != 1 {
		t.Errorf("POST /v1/screen parties: the pairing is not marked")
	}
	if page := string(get(t, ts.URL+"/search?q=Hikvision").Body); !strings.Contains(page, "allowed: reviewed look-alike (test pairing") {
		t.Errorf("search page lacks the allowed mark")
	}

	r = get(t, ts.URL+"/v1/own-lists/allow")
	r.wantStatus(t, 200)
	ownValidate(t, doc, "/v1/own-lists/{list}", "get", r)
	r = get(t, ts.URL+"/v1/own-lists/restricted")
	r.wantStatus(t, 200)
	ownValidate(t, doc, "/v1/own-lists/{list}", "get", r)
	var entries struct {
		Version *history.Version          `json:"version"`
		Entries []ownlist.RestrictedParty `json:"entries"`
	}
	r.decode(t, &entries)
	if len(entries.Entries) != 2 || entries.Entries[0].Name != "Blue Lantern Trading FZE" || entries.Version.ID != 1 {
		t.Fatalf("entries %s", r.Body)
	}
	// What GET answers is accepted back as JSON (a second version, identical content apart from the file).
	body, _ := json.Marshal(map[string]any{"entries": entries.Entries})
	r = do(t, "POST", ts.URL+"/v1/own-lists/restricted", strings.NewReader(string(body)), "Content-Type", "application/json")
	r.wantStatus(t, 201)
	imp = tshttp.OwnListImport{}
	r.decode(t, &imp)
	if imp.Changes.Added+imp.Changes.Removed+imp.Changes.Changed != 0 {
		t.Errorf("round trip changed entries: %+v", imp.Changes)
	}

	// Errors.
	for _, c := range []struct {
		url, ct, body string
		status        int
		code          string
		parts         []string
	}{
		{"/v1/own-lists/restricted", mediaCSV, "id,name\nC-1,Acme\nC-1,Beta\n", 400, "invalid", []string{"line 3", `"id"`, "also on line 2"}},
		{"/v1/own-lists/restricted", mediaCSV, "id,name,colour\nC-1,Acme,red\n", 400, "invalid", []string{`"colour"`, "unknown column"}},
		{"/v1/own-lists/allow", "application/json", `[{"name":"X","entry":"us_el/1","reason":"r","reviewed_by":"me","reviewed_on":"2026-01-01","colour":"red"}]`, 400, "invalid", []string{"entries[0].colour"}},
		{"/v1/own-lists/restricted", "text/plain", "id,name\n", 415, "unsupported_media_type", nil},
		{"/v1/own-lists/friends", mediaCSV, "id,name\n", 404, "not_found", nil},
		{"/v1/own-lists/restricted", mediaCSV, "", 400, "invalid", []string{"empty"}},
	} {
		r := do(t, "POST", ts.URL+c.url, strings.NewReader(c.body), "Content-Type", c.ct)
		r.wantError(t, c.status, c.code, c.parts...)
		ownValidate(t, doc, "/v1/own-lists/{list}", "post", r)
	}

	// While a list update holds the data directory, an upload is refused at once (409).
	store, err := history.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := store.Lock(context.Background(), history.LockOptions{Purpose: "lists update"})
	if err != nil {
		t.Fatal(err)
	}
	r = do(t, "POST", ts.URL+"/v1/own-lists/restricted", strings.NewReader("id,name\nC-9,Other\n"), csvHdr...)
	r.wantError(t, 409, "conflict", "busy")
	ownValidate(t, doc, "/v1/own-lists/{list}", "post", r)
	unlock()

	// A viewer reads but may not upload; every stored upload is in the audit trail.
	viewerKey := addUser(t, ts, "vera", "viewer")
	get(t, ts.URL+"/v1/own-lists", bearer(viewerKey)...).wantStatus(t, 200)
	r = do(t, "POST", ts.URL+"/v1/own-lists/restricted", strings.NewReader(ownRestrictedCSV), append(csvHdr, bearer(viewerKey)...)...)
	r.wantError(t, 403, "forbidden")
	ownValidate(t, doc, "/v1/own-lists/{list}", "post", r)
	evs, err := st.Audit().FindAuditEvents(context.Background(), tradescreen.AuditFilter{Action: ownlist.AuditImport})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 {
		t.Errorf("%d ownlist.import audit records, want 3", len(evs))
	}
	for _, e := range evs {
		if !strings.HasPrefix(e.Object, "list/own_") || !strings.Contains(e.Details, `"channel":"api"`) {
			t.Errorf("audit record %+v", e)
		}
	}
}

// TestOwnListsUI uploads the restricted list through the page's form, with its CSRF token.
func TestOwnListsUI(t *testing.T) {
	dataDir := t.TempDir()
	ts := newTestServer(t, func(s *tshttp.Server) { s.DataDir = dataDir })
	cookie, token := formToken(t, ts, "/own-lists")
	body, ct := multipartFile(t, token, "restricted.csv", ownRestrictedCSV)
	r := do(t, "POST", ts.URL+"/own-lists/restricted", strings.NewReader(body), append([]string{"Content-Type", ct}, cookie...)...)
	r.wantStatus(t, 200)
	page := string(r.Body)
	for _, want := range []string{`id="upload-result"`, "own_restricted: imported #1 from restricted.csv", "2 added, 0 removed, 0 changed",
		"Searches now screen against it", "Blue Lantern Trading FZE", "payment fraud 2024", "Never imported."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	body, ct = multipartFile(t, token, "bad.csv", "id,name\nC-1,\n")
	r = do(t, "POST", ts.URL+"/own-lists/restricted", strings.NewReader(body), append([]string{"Content-Type", ct}, cookie...)...)
	r.wantStatus(t, 400)
	if !strings.Contains(string(r.Body), `parse bad.csv line 2 field &#34;name&#34;: empty name`) {
		t.Errorf("bad upload page:\n%s", r.Body)
	}
	// Without the token the form is refused.
	body, ct = multipartFile(t, strings.Repeat("0", 64), "restricted.csv", ownRestrictedCSV)
	do(t, "POST", ts.URL+"/own-lists/restricted", strings.NewReader(body), append([]string{"Content-Type", ct}, cookie...)...).wantStatus(t, 403)
}

func matchesOf(p tshttp.PartyResult) []tradescreen.Match {
	var ms []tradescreen.Match
	for _, v := range p.Matches {
		ms = append(ms, v.Match)
	}
	return ms
}
