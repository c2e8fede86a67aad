package http_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/order"
)

// TestAllowListEverywhere uploads an allow list over HTTP pairing the name "Hikvision" with one of the
// entries it matches, and checks that every way the server screens applies it without hiding the match:
// batch jobs (JSONL "allowed", CSV allowed and best_unreviewed_* columns), POST /v1/orders and the order
// page (a reason of kind allowed that does not hold), and screening a party of the register (its alert is
// created already closed as a false positive, naming the allow-list row).
func TestAllowListEverywhere(t *testing.T) {
	doc := loadOpenAPI(t)
	st := sqliteStore(t)
	ts := jobsServer(t, t.TempDir(), func(s *tshttp.Server) { s.DataDir = t.TempDir(); s.Store = st })
	var hik tshttp.ScreenResult
	get(t, ts.URL+"/v1/search?q=Hikvision").decode(t, &hik)
	if len(hik.Matches) < 2 {
		t.Fatalf("Hikvision: %d matches, want several", len(hik.Matches))
	}
	key := hik.Matches[0].Source + "/" + hik.Matches[0].SourceID
	allow := fmt.Sprintf(`[{"id":"A-9","name":"Hikvision","entry":%q,"reason":"our distributor Hikvision GmbH of Düsseldorf, not the Hangzhou company","reviewed_by":"a.smith","reviewed_on":"2026-06-30"}]`, key)
	postJSON(t, ts.URL+"/v1/own-lists/allow", allow).wantStatus(t, 201)

	// A batch job.
	job := wait(t, ts, submit(t, ts, "?name=customers.csv", mediaCSV, []byte(customersCSV)).ID)
	if job.State != tshttp.JobDone {
		t.Fatalf("job %+v", job)
	}
	r := get(t, ts.URL+"/v1/batch/"+job.ID+"/results")
	r.wantStatus(t, 200)
	var row struct {
		ID      string `json:"id"`
		Matches []struct {
			Source   string `json:"source"`
			SourceID string `json:"source_id"`
			Allowed  *struct {
				Reason, Reviewer, Date, Row string
			} `json:"allowed"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(strings.SplitN(string(r.Body), "\n", 2)[0]), &row); err != nil {
		t.Fatal(err)
	}
	allowed := 0
	for _, m := range row.Matches {
		if m.Allowed != nil {
			allowed++
			if m.Source+"/"+m.SourceID != key || m.Allowed.Row != "A-9" || m.Allowed.Reviewer != "a.smith" || m.Allowed.Date != "2026-06-30" ||
				!strings.HasPrefix(m.Allowed.Reason, "our distributor") {
				t.Errorf("allowed match %+v", m)
			}
		}
	}
	if row.ID != "C-1" || allowed != 1 || len(row.Matches) < 2 {
		t.Fatalf("JSONL row C-1: %s", strings.SplitN(string(r.Body), "\n", 2)[0])
	}
	r = get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=csv")
	r.wantStatus(t, 200)
	recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	c1 := recs[1]
	if c1[col["allowed"]] != key+" (row A-9)" || c1[col["best_unreviewed_entry"]] == key || c1[col["best_unreviewed_entry"]] == "" ||
		c1[col["best_source"]]+"/"+c1[col["best_source_id"]] != key {
		t.Errorf("CSV row C-1: %q", c1)
	}
	if c2 := recs[2]; c2[col["allowed"]] != "" || c2[col["best_unreviewed_score"]] != c2[col["best_score"]] {
		t.Errorf("CSV row C-2: %q", c2)
	}

	// An order: the allowed pairing is noted, the other matches of the name still hold.
	orderJSON := `{"id":"PO-77","date":"2022-06-01","destination":{"country":"DE"},"parties":[{"role":"purchaser","name":"Hikvision","country":"DE"}],"items":[{"eccn":"EAR99"}]}`
	r = postJSON(t, ts.URL+"/v1/orders", orderJSON)
	r.wantStatus(t, 200)
	ownValidate(t, doc, "/v1/orders", "post", r)
	var d order.Decision
	r.decode(t, &d)
	var noted *order.Reason
	holds := 0
	for i, rs := range d.Reasons {
		if rs.Kind == order.ReasonAllowed {
			noted = &d.Reasons[i]
		}
		if rs.Holds {
			holds++
		}
	}
	if noted == nil || noted.Holds || noted.Allowed == nil || noted.Allowed.Row != "A-9" || noted.Entry.Source+"/"+noted.Entry.SourceID != key ||
		d.Outcome != order.Hold || holds != len(hik.Matches)-1 {
		t.Fatalf("order decision: %s", r.Body)
	}
	// The order page shows the same.
	cookie, token := formToken(t, ts, "/orders")
	form := url.Values{"csrf_token": {token}, "id": {"PO-77"}, "date": {"2022-06-01"}, "destination_country": {"DE"},
		"party_role": {"purchaser"}, "party_name": {"Hikvision"}, "party_country": {"DE"}, "item_eccn": {"EAR99"}}
	r = do(t, "POST", ts.URL+"/orders", strings.NewReader(form.Encode()), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, cookie...)...)
	r.wantStatus(t, 200)
	page := string(r.Body)
	for _, want := range []string{`<span class="badge">allowed</span> <span class="muted">noted</span>`, "allow-list row A-9", "does not hold the order"} {
		if !strings.Contains(page, want) {
			t.Errorf("order page lacks %q", want)
		}
	}

	// A party of the register screened now: the covered match's alert is created closed.
	do(t, "POST", ts.URL+"/v1/parties?name=customers.csv&screen=false", strings.NewReader("id,name,country\nC-1,Hikvision,DE\n"), "Content-Type", mediaCSV).wantStatus(t, 200)
	r = do(t, "POST", ts.URL+"/v1/parties/C-1/screen", nil)
	r.wantStatus(t, 200)
	ownValidate(t, doc, "/v1/parties/{id}/screen", "post", r)
	var ps tshttp.PartyScreening
	r.decode(t, &ps)
	closed := 0
	for _, c := range ps.Alerts {
		switch {
		case c.Alert.Key() == key:
			if c.Action != "allowed" || c.Alert.Status != tradescreen.AlertClosedFalsePositive {
				t.Errorf("alert on the allowed entry: %s %s", c.Action, c.Alert.Status)
			}
			closed++
		case c.Alert.Status != tradescreen.AlertOpen:
			t.Errorf("alert on %s: %s", c.Alert.Key(), c.Alert.Status)
		}
	}
	if closed != 1 || len(ps.Alerts) != len(ps.Matches) {
		t.Fatalf("party screening: %s", r.Body)
	}
	as, _, err := st.Alerts().FindAlerts(t.Context(), tradescreen.AlertFilter{PartyID: "C-1", Status: []tradescreen.AlertStatus{tradescreen.AlertClosedFalsePositive}})
	if err != nil || len(as) != 1 {
		t.Fatalf("closed alerts: %v %v", as, err)
	}
	a, err := st.Alerts().FindAlertByID(t.Context(), as[0].ID)
	if err != nil || !strings.Contains(a.Transitions[len(a.Transitions)-1].Reason, "reviewed by a.smith on 2026-06-30; allow-list row A-9") {
		t.Fatalf("decision: %+v %v", a, err)
	}
}
