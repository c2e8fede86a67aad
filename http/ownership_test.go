package http_test

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/ownership"
)

// ownedName is a subsidiary in ownership/testdata/owners.csv: 100 % owned by Zhejiang Dahua Technology, on
// the Entity List since 84 FR 54002.
const ownedName = "Chengdu Dahua Wisdom Information Technology"

func newOwnershipServer(t *testing.T) *testServer {
	t.Helper()
	g, err := ownership.Open("../ownership/testdata/owners.csv")
	if err != nil {
		t.Fatal(err)
	}
	return newTestServer(t, func(s *tshttp.Server) { s.Service.SetOwnership(g, nil) })
}

// bisFinding returns the BIS Affiliates finding of fs, failing when there is none.
func bisFinding(t *testing.T, fs []tshttp.OwnershipFinding) tshttp.OwnershipFinding {
	t.Helper()
	for _, f := range fs {
		if f.Rule == "bis_affiliates" {
			return f
		}
	}
	t.Fatalf("no bis_affiliates finding in %+v", fs)
	return tshttp.OwnershipFinding{}
}

// checkDahua checks the finding for Chengdu Dahua Wisdom on date: owned 100 % by Zhejiang Dahua (us_el); the
// rule in force on 2025-10-01, suspended on 2026-01-15.
func checkDahua(t *testing.T, fs []tshttp.OwnershipFinding, date string, inForce bool) {
	t.Helper()
	f := bisFinding(t, fs)
	if f.Result != ownership.Owned || f.Share != 100 || f.Date != date {
		t.Errorf("finding = result %q share %v date %q, want owned 100 on %s", f.Result, f.Share, f.Date, date)
	}
	if !strings.HasPrefix(f.Party, "Chengdu Dahua Wisdom") || f.PartyScore < 0.8 {
		t.Errorf("party %q score %v", f.Party, f.PartyScore)
	}
	if len(f.Paths) != 1 || !strings.Contains(f.Paths[0], "<- 100 % Zhejiang Dahua Technology") || !strings.Contains(f.Paths[0], "us_el, 84 FR 54002") {
		t.Errorf("paths = %q", f.Paths)
	}
	if len(f.Owners) == 0 || f.Owners[0].Source != "us_el" {
		t.Errorf("owners = %+v", f.Owners)
	}
	if inForce {
		if f.Status != ownership.InForce || !f.Applies || f.Period != "2025-09-29 .. 2025-11-09" {
			t.Errorf("on %s: status %q applies %v period %q, want in force and applying", date, f.Status, f.Applies, f.Period)
		}
		if !strings.Contains(f.Licence, "For all items subject to the EAR") {
			t.Errorf("licence = %q", f.Licence)
		}
	} else {
		if f.Status != ownership.Suspended || f.Applies || !strings.Contains(f.Summary, "suspended on "+date) {
			t.Errorf("on %s: status %q applies %v summary %q, want suspended", date, f.Status, f.Applies, f.Summary)
		}
	}
}

func TestServeOwnershipSearch(t *testing.T) {
	ts := newOwnershipServer(t)
	doc := loadOpenAPI(t)
	for _, c := range []struct {
		date    string
		inForce bool
	}{{"2025-10-01", true}, {"2026-01-15", false}} {
		r := get(t, ts.URL+"/v1/search?q="+url.QueryEscape(ownedName)+"&as_of="+c.date)
		r.wantStatus(t, 200)
		var res tshttp.ScreenResult
		r.decode(t, &res)
		checkDahua(t, res.Ownership, c.date, c.inForce)
		var v any
		r.decode(t, &v)
		for _, e := range doc.validate(schema{Ref: "#/components/schemas/ScreenResult"}, v, "$") {
			t.Error(e)
		}
	}

	// Without as_of the rules of today apply.
	r := get(t, ts.URL+"/v1/search?q="+url.QueryEscape(ownedName))
	r.wantStatus(t, 200)
	var res tshttp.ScreenResult
	r.decode(t, &res)
	if len(res.Ownership) == 0 || res.Ownership[0].Date == "" {
		t.Errorf("no finding for today: %+v", res.Ownership)
	}

	// A name that is no ownership party answers an empty array.
	r = get(t, ts.URL+"/v1/search?q=Hikvision&as_of=2025-10-01")
	r.wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"ownership":[]`) {
		t.Errorf("no empty ownership array: %.300s", r.Body)
	}

	get(t, ts.URL+"/v1/search?q=Dahua&as_of=2025-13-01").wantError(t, 400, "invalid", "as_of", "YYYY-MM-DD")
}

func TestServeOwnershipScreen(t *testing.T) {
	ts := newOwnershipServer(t)
	r := postJSON(t, ts.URL+"/v1/screen", `{"name": "`+ownedName+`", "as_of": "2025-10-01"}`)
	r.wantStatus(t, 200)
	var res tshttp.ScreenResult
	r.decode(t, &res)
	checkDahua(t, res.Ownership, "2025-10-01", true)

	r = postJSON(t, ts.URL+"/v1/screen", `{"parties": [{"id": "a", "name": "`+ownedName+`"}, {"id": "b", "name": "Hikvision"}], "as_of": "2026-01-15"}`)
	r.wantStatus(t, 200)
	var br tshttp.BatchResult
	r.decode(t, &br)
	if len(br.Results) != 2 {
		t.Fatalf("results = %+v", br.Results)
	}
	checkDahua(t, br.Results[0].Ownership, "2026-01-15", false)
	if br.Results[1].Ownership == nil || len(br.Results[1].Ownership) != 0 {
		t.Errorf("Hikvision ownership = %+v, want []", br.Results[1].Ownership)
	}
	doc := loadOpenAPI(t)
	var v any
	r.decode(t, &v)
	for _, e := range doc.validate(schema{Ref: "#/components/schemas/BatchResult"}, v, "$") {
		t.Error(e)
	}

	postJSON(t, ts.URL+"/v1/screen", `{"name": "Dahua", "as_of": "15/01/2026"}`).wantError(t, 422, "unprocessable", "as_of")
}

// Without ownership data every answer carries an empty ownership array.
func TestServeOwnershipNone(t *testing.T) {
	ts := newTestServer(t)
	r := get(t, ts.URL+"/v1/search?q="+url.QueryEscape(ownedName)+"&as_of=2025-10-01")
	r.wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"ownership":[]`) {
		t.Errorf("no empty ownership array: %.300s", r.Body)
	}
	r = postJSON(t, ts.URL+"/v1/screen", `{"parties": [{"name": "Dahua"}]}`)
	r.wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"ownership":[]`) {
		t.Errorf("no empty ownership array: %.300s", r.Body)
	}
	if body := string(get(t, ts.URL+"/search?q=Dahua").Body); strings.Contains(body, `name="as_of"`) || strings.Contains(body, "50 % rules") {
		t.Error("search page offers ownership without ownership data")
	}
}

func TestServeOwnershipUI(t *testing.T) {
	ts := newOwnershipServer(t)
	page := func(date string) string {
		r := get(t, ts.URL+"/search?q="+url.QueryEscape(ownedName)+"&as_of="+date)
		r.wantStatus(t, 200)
		return html.UnescapeString(string(r.Body))
	}
	body := page("2025-10-01")
	own := strings.Index(body, `id="ownership-h"`)
	res := strings.Index(body, `id="results-h"`)
	if own < 0 || res < 0 || own > res {
		t.Fatalf("findings (at %d) not above the name matches (at %d)", own, res)
	}
	for _, want := range []string{`name="as_of"`, "BIS Affiliates Rule", "Restricted: Chengdu Dahua Wisdom",
		"<- 100 % Zhejiang Dahua Technology", "in force (2025-09-29 .. 2025-11-09)", "For all items subject to the EAR"} {
		if !strings.Contains(body, want) {
			t.Errorf("page for 2025-10-01 lacks %q", want)
		}
	}
	body = page("2026-01-15")
	if !strings.Contains(body, "suspended (2025-11-10 .. 2026-11-09)") || strings.Contains(body, "Restricted:") {
		t.Errorf("page for 2026-01-15 does not show the rule suspended")
	}
	r := get(t, ts.URL+"/search?q=Dahua&as_of=tomorrow")
	r.wantStatus(t, 400)
	if !strings.Contains(string(r.Body), "as_of") {
		t.Errorf("bad as_of page does not name the field: %.300s", r.Body)
	}
}

// Screening a party of the register applies the ownership data as monitoring does: the listed owner of a
// party owned 50 % or more under a rule in force today raises an alert, which the answer and the audit
// trail show; once the rule is suspended, it does not.
func TestServeOwnershipPartyScreen(t *testing.T) {
	g, err := ownership.Open("../ownership/testdata/owners.csv")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)
	ts := newTestServer(t, func(s *tshttp.Server) {
		s.Service.SetOwnership(g, nil)
		s.Store = sqliteStore(t)
		s.Now = func() time.Time { return now }
	})
	do(t, "POST", ts.URL+"/v1/parties?name=customers.csv&screen=false",
		strings.NewReader("id,name,country\nC-7,"+ownedName+" Co. Ltd.,CN\n"), "Content-Type", "text/csv").wantStatus(t, 200)
	r := do(t, "POST", ts.URL+"/v1/parties/C-7/screen", nil)
	r.wantStatus(t, 200)
	ownValidate(t, loadOpenAPI(t), "/v1/parties/{id}/screen", "post", r)
	var ps tshttp.PartyScreening
	r.decode(t, &ps)
	if len(ps.Ownership) != 1 || ps.Ownership[0].Source != "us_el" || !strings.Contains(ps.Ownership[0].EntryName, "Dahua") ||
		!strings.HasPrefix(ps.Ownership[0].MatchedName, "owned 100 % by listed parties") {
		t.Fatalf("ownership = %+v", ps.Ownership)
	}
	key := ps.Ownership[0].Source + "/" + ps.Ownership[0].SourceID
	found := false
	for _, c := range ps.Alerts {
		if c.Alert.Key() == key {
			found = c.Action == "created" && c.Alert.Status == tradescreen.AlertOpen
		}
	}
	if !found {
		t.Fatalf("no open alert on the owner %s: %+v", key, ps.Alerts)
	}
	var audit struct {
		Events []struct {
			Action  string `json:"action"`
			Object  string `json:"object"`
			Details string `json:"details"`
		} `json:"events"`
	}
	get(t, ts.URL+"/v1/audit?object=party/C-7").decode(t, &audit)
	ok := false
	for _, e := range audit.Events {
		if e.Action == "screen" && strings.Contains(e.Details, `"ownership_date":"2025-10-01"`) && strings.Contains(e.Details, `"rule":"bis_affiliates"`) {
			ok = true
		}
	}
	if !ok {
		t.Errorf("the audit trail lacks the ownership finding: %+v", audit.Events)
	}

	// The BIS Affiliates rule was suspended on 2025-11-10: screened again in 2026, no ownership hit.
	now = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	r = do(t, "POST", ts.URL+"/v1/parties/C-7/screen", nil)
	r.wantStatus(t, 200)
	ps = tshttp.PartyScreening{}
	r.decode(t, &ps)
	if len(ps.Ownership) != 0 {
		t.Errorf("ownership under the suspended rule = %+v", ps.Ownership)
	}
}

// A batch job on a server with ownership data carries each row's findings, as `batch --ownership` does:
// the JSONL member and the CSV (and so XLSX) column "ownership", on the day the job runs.
func TestServeOwnershipBatchJob(t *testing.T) {
	g, err := ownership.Open("../ownership/testdata/owners.csv")
	if err != nil {
		t.Fatal(err)
	}
	ts := jobsServer(t, t.TempDir(), func(s *tshttp.Server) {
		s.Service.SetOwnership(g, nil)
		s.Now = func() time.Time { return time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC) }
	})
	job := submit(t, ts, "?name=customers.csv", mediaCSV, []byte("id,name\nC-1,"+ownedName+"\nC-2,Acme Widgets Ltd\n"))
	job = wait(t, ts, job.ID)
	if job.State != tshttp.JobDone || job.OwnershipDate != "2025-10-01" {
		t.Fatalf("job: %+v", job)
	}
	lines := strings.Split(strings.TrimSpace(string(get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=jsonl").Body)), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d JSONL lines", len(lines))
	}
	var row struct {
		ID        string                         `json:"id"`
		Ownership []tradescreen.OwnershipFinding `json:"ownership"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatal(err)
	}
	if row.ID != "C-1" || len(row.Ownership) == 0 {
		t.Fatalf("row C-1: %s", lines[0])
	}
	applies := false
	for _, f := range row.Ownership {
		applies = applies || f.Rule == "bis_affiliates" && f.Applies && f.Date == "2025-10-01"
	}
	if !applies {
		t.Errorf("C-1: no BIS Affiliates finding that applies: %s", lines[0])
	}
	recs, err := csv.NewReader(strings.NewReader(string(get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=csv").Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := recs[0]; h[len(h)-1] != "ownership" || len(recs) != 3 || !strings.Contains(recs[1][len(h)-1], "Zhejiang Dahua") || recs[2][len(h)-1] != "" {
		t.Errorf("CSV results: %q", recs)
	}
	doc := loadOpenAPI(t)
	ownValidate(t, doc, "/v1/batch/{id}", "get", get(t, ts.URL+"/v1/batch/"+job.ID))
}
