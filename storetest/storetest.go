// Package storetest is the one test suite every store adapter runs: sqlite and postgres call Run with a
// function that opens a fresh, empty store. The store must also implement Clocked (so the suite controls
// time) and Execer (so it can tamper with the audit trail the way an intruder with database access would).
package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
)

// Clocked is a store whose clock the suite sets.
type Clocked interface {
	SetNow(func() time.Time)
}

// Execer runs a raw SQL statement (without arguments) against the store's database.
type Execer interface {
	Exec(ctx context.Context, query string, args ...any) error
}

// Clock is a settable clock.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) { c.T = c.T.Add(d) }

var (
	admin    = tradescreen.Actor{Name: "ada", Role: tradescreen.RoleAdmin}
	analyst  = tradescreen.Actor{Name: "anna", Role: tradescreen.RoleAnalyst}
	analyst2 = tradescreen.Actor{Name: "arno", Role: tradescreen.RoleAnalyst}
	approver = tradescreen.Actor{Name: "paula", Role: tradescreen.RoleApprover}
	viewer   = tradescreen.Actor{Name: "vic", Role: tradescreen.RoleViewer}
)

// Run runs the whole suite; open returns a new empty store, closed by the suite.
func Run(t *testing.T, open func(t *testing.T) tradescreen.Store) {
	start := time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)
	setup := func(t *testing.T) (tradescreen.Store, *Clock) {
		t.Helper()
		t.Parallel()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		c := &Clock{T: start}
		cl, ok := s.(Clocked)
		if !ok {
			t.Fatalf("%T does not implement storetest.Clocked", s)
		}
		cl.SetNow(c.Now)
		return s, c
	}
	t.Run("Parties", func(t *testing.T) { s, c := setup(t); testParties(t, s, c) })
	t.Run("PartyErrors", func(t *testing.T) { s, _ := setup(t); testPartyErrors(t, s) })
	t.Run("AlertsWorkflow", func(t *testing.T) { s, c := setup(t); testAlertsWorkflow(t, s, c) })
	t.Run("FalsePositiveReopens", func(t *testing.T) { s, c := setup(t); testFalsePositive(t, s, c) })
	t.Run("FourEyes", func(t *testing.T) { s, _ := setup(t); testFourEyes(t, s) })
	t.Run("WorkflowModel", func(t *testing.T) { s, _ := setup(t); testWorkflowModel(t, s, WorkflowDepth(3)) })
	t.Run("AuditChain", func(t *testing.T) { s, c := setup(t); testAuditChain(t, s, c) })
	t.Run("AuditTamper", func(t *testing.T) { t.Parallel(); testAuditTamper(t, setup) })
	t.Run("AuditRetention", func(t *testing.T) { s, c := setup(t); testRetention(t, s, c) })
	t.Run("Users", func(t *testing.T) { s, _ := setup(t); testUsers(t, s) })
	t.Run("MonitorState", func(t *testing.T) { s, _ := setup(t); testMonitorState(t, s) })
	t.Run("AllowedAlerts", func(t *testing.T) { s, c := setup(t); testAllowedAlerts(t, s, c) })
	t.Run("TextRefused", func(t *testing.T) { s, _ := setup(t); testTextRefused(t, s) })
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tradescreen.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
}

func ptr[T any](v T) *T { return &v }

var ctx = context.Background()

// realParties are real company names (SEC filers and list-like names) used as the user's customers.
func realParties() []tradescreen.Party {
	return []tradescreen.Party{
		{ID: "C-1001", Name: "Hangzhou Hikvision Digital Technology Co., Ltd.", Kind: tradescreen.KindOrganization, Country: "CN"},
		{ID: "C-1002", Name: "Siemens Energy AG", Kind: tradescreen.KindOrganization, Country: "DE", Extra: map[string]string{"segment": "utilities"}},
		{ID: "C-1003", Name: "Zhejiang Dahua Technology", Country: "CN"},
	}
}

func testParties(t *testing.T, s tradescreen.Store, c *Clock) {
	ps := s.Parties()
	st, err := ps.ImportParties(ctx, analyst, "customers.csv sha256 abc", realParties())
	must(t, err)
	if st.Rows != 3 || st.Created != 3 {
		t.Fatalf("first import: %+v", st)
	}
	p, err := ps.FindPartyByID(ctx, "C-1002")
	must(t, err)
	if p.Name != "Siemens Energy AG" || p.Country != "DE" || p.Version != 1 || p.Extra["segment"] != "utilities" || !p.CreatedAt.Equal(c.T.Truncate(time.Microsecond)) {
		t.Fatalf("stored party: %+v", p)
	}
	if p.Hash != p.DataHash() || p.ScreenedHash != "" {
		t.Fatalf("hashes: %q %q", p.Hash, p.ScreenedHash)
	}
	// The same file again changes nothing; a changed name is an update with a new version.
	c.Add(time.Hour)
	again := realParties()
	again[2].Name = "Zhejiang Dahua Technology Co., Ltd."
	st, err = ps.ImportParties(ctx, analyst, "customers.csv", again)
	must(t, err)
	if st.Unchanged != 2 || st.Updated != 1 || st.Created != 0 {
		t.Fatalf("second import: %+v", st)
	}
	p, err = ps.FindPartyByID(ctx, "C-1003")
	must(t, err)
	if p.Version != 2 || !p.UpdatedAt.After(p.CreatedAt) {
		t.Fatalf("updated party: %+v", p)
	}
	// Stale parties: never screened, then screened, then changed.
	_, n, err := ps.FindParties(ctx, tradescreen.PartyFilter{Stale: true})
	must(t, err)
	if n != 3 {
		t.Fatalf("stale before screening: %d", n)
	}
	all, _, err := ps.FindParties(ctx, tradescreen.PartyFilter{})
	must(t, err)
	marks := map[string]string{}
	for _, p := range all {
		marks[p.ID] = p.Hash
	}
	must(t, ps.MarkScreened(ctx, marks))
	_, n, _ = ps.FindParties(ctx, tradescreen.PartyFilter{Stale: true})
	if n != 0 {
		t.Fatalf("stale after screening: %d", n)
	}
	up, err := ps.UpdateParty(ctx, analyst, "C-1001", tradescreen.PartyUpdate{Country: ptr("HK"), Reason: "moved to Hong Kong"})
	must(t, err)
	if up.Version != 2 || up.Country != "HK" {
		t.Fatalf("update: %+v", up)
	}
	stale, _, _ := ps.FindParties(ctx, tradescreen.PartyFilter{Stale: true})
	if len(stale) != 1 || stale[0].ID != "C-1001" {
		t.Fatalf("stale after update: %v", stale)
	}
	// Soft delete: gone from the list, kept with Deleted, restored by a new import.
	must(t, ps.DeleteParty(ctx, analyst, "C-1002", "customer relationship ended"))
	list, n, err := ps.FindParties(ctx, tradescreen.PartyFilter{})
	must(t, err)
	if n != 2 || len(list) != 2 || list[0].ID != "C-1001" || list[1].ID != "C-1003" {
		t.Fatalf("after delete: %d %v", n, list)
	}
	_, n, _ = ps.FindParties(ctx, tradescreen.PartyFilter{Deleted: true})
	if n != 3 {
		t.Fatalf("with deleted: %d", n)
	}
	d, err := ps.FindPartyByID(ctx, "C-1002")
	must(t, err)
	if d.DeletedAt == nil {
		t.Fatal("deleted party has no deleted_at")
	}
	wantCode(t, ps.DeleteParty(ctx, analyst, "C-1002", "again"), tradescreen.ENOTFOUND)
	st, err = ps.ImportParties(ctx, analyst, "customers.csv", realParties()[1:2])
	must(t, err)
	if st.Restored != 1 {
		t.Fatalf("restore: %+v", st)
	}
	page, n, err := ps.FindParties(ctx, tradescreen.PartyFilter{Offset: 1, Limit: 1})
	must(t, err)
	if n != 3 || len(page) != 1 || page[0].ID != "C-1002" {
		t.Fatalf("page: %d %v", n, page)
	}
	// Every change is in the audit trail.
	evs, err := s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{})
	must(t, err)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action+" "+e.Object)
	}
	got := strings.Join(actions, ", ")
	for _, w := range []string{"party.import parties", "party.update party/C-1003", "party.update party/C-1001", "party.delete party/C-1002", "party.restore party/C-1002"} {
		if !strings.Contains(got, w) {
			t.Errorf("audit lacks %q: %s", w, got)
		}
	}
	for _, e := range evs {
		if e.Action == tradescreen.AuditPartyUpdate && e.Object == "party/C-1001" && !strings.Contains(e.Details, `country: \"CN\" -\u003e \"HK\"`) && !strings.Contains(e.Details, `country: \"CN\" -> \"HK\"`) {
			t.Errorf("update event details: %s", e.Details)
		}
	}
}

func testPartyErrors(t *testing.T, s tradescreen.Store) {
	ps := s.Parties()
	_, err := ps.ImportParties(ctx, analyst, "x", []tradescreen.Party{{ID: "A", Name: ""}})
	wantCode(t, err, tradescreen.EINVALID)
	_, err = ps.ImportParties(ctx, analyst, "x", []tradescreen.Party{{ID: "", Name: "Acme"}})
	wantCode(t, err, tradescreen.EINVALID)
	_, err = ps.ImportParties(ctx, analyst, "x", []tradescreen.Party{{ID: "A", Name: "Acme"}, {ID: "A", Name: "Acme 2"}})
	wantCode(t, err, tradescreen.EINVALID)
	_, err = ps.ImportParties(ctx, viewer, "x", []tradescreen.Party{{ID: "A", Name: "Acme"}})
	wantCode(t, err, tradescreen.EFORBIDDEN)
	_, err = ps.FindPartyByID(ctx, "nope")
	wantCode(t, err, tradescreen.ENOTFOUND)
	_, err = ps.UpdateParty(ctx, analyst, "nope", tradescreen.PartyUpdate{Name: ptr("x"), Reason: "r"})
	wantCode(t, err, tradescreen.ENOTFOUND)
	_, err = ps.ImportParties(ctx, analyst, "x", []tradescreen.Party{{ID: "A", Name: "Acme"}})
	must(t, err)
	_, err = ps.UpdateParty(ctx, analyst, "A", tradescreen.PartyUpdate{Name: ptr("Acme 2")})
	wantCode(t, err, tradescreen.EINVALID)
	_, err = ps.UpdateParty(ctx, analyst, "A", tradescreen.PartyUpdate{Name: ptr(" "), Reason: "r"})
	wantCode(t, err, tradescreen.EINVALID)
	wantCode(t, ps.DeleteParty(ctx, analyst, "A", ""), tradescreen.EINVALID)
	// Nothing of the failed imports was stored.
	_, n, err := ps.FindParties(ctx, tradescreen.PartyFilter{Deleted: true})
	must(t, err)
	if n != 1 {
		t.Fatalf("parties after failed imports: %d", n)
	}
}

// hikvision is the real Entity List entry for Hikvision (names and ids as the CSL carries them), as a hit.
func hikEntry() *tradescreen.Entry {
	return &tradescreen.Entry{Source: "us_el", SourceID: "c4c6d2b6-hik", Name: "Hangzhou Hikvision Digital Technology Co., Ltd.",
		Aliases: []tradescreen.Name{{Full: "Hikvision", Type: tradescreen.NameAKA}}}
}

func hitOf(e *tradescreen.Entry, matched string, score float64) tradescreen.Hit {
	return tradescreen.HitOf(tradescreen.Match{Source: e.Source, SourceID: e.SourceID, Name: e.Name, MatchedName: matched, Score: score, Entry: e})
}

func importOne(t *testing.T, s tradescreen.Store, p tradescreen.Party) *tradescreen.Party {
	t.Helper()
	_, err := s.Parties().ImportParties(ctx, analyst, "test", []tradescreen.Party{p})
	must(t, err)
	got, err := s.Parties().FindPartyByID(ctx, p.ID)
	must(t, err)
	return got
}

func testAlertsWorkflow(t *testing.T, s tradescreen.Store, c *Clock) {
	p := importOne(t, s, realParties()[0])
	as := s.Alerts()
	h := hitOf(hikEntry(), "Hangzhou Hikvision Digital Technology Co., Ltd.", 1)
	ch, err := as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{h})
	must(t, err)
	if len(ch) != 1 || ch[0].Action != "created" || ch[0].Alert.ID == 0 || ch[0].Alert.Status != tradescreen.AlertOpen {
		t.Fatalf("raise: %+v", ch)
	}
	id := ch[0].Alert.ID
	// Screening again raises no duplicate.
	ch, err = as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{h})
	must(t, err)
	if len(ch) != 1 || ch[0].Action != "kept" || ch[0].Alert.ID != id {
		t.Fatalf("raise again: %+v", ch)
	}
	list, n, err := as.FindAlerts(ctx, tradescreen.AlertFilter{PartyID: p.ID})
	must(t, err)
	if n != 1 || len(list) != 1 {
		t.Fatalf("alerts: %d", n)
	}
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertUnderReview, "")
	wantCode(t, err, tradescreen.EINVALID)
	_, err = as.TransitionAlert(ctx, viewer, id, tradescreen.AlertUnderReview, "looking")
	wantCode(t, err, tradescreen.EFORBIDDEN)
	c.Add(time.Minute)
	a, err := as.TransitionAlert(ctx, analyst, id, tradescreen.AlertUnderReview, "checking the address")
	must(t, err)
	if a.Status != tradescreen.AlertUnderReview {
		t.Fatalf("status %s", a.Status)
	}
	c.Add(time.Minute)
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertClosedTrueMatch, "same company, same address in Hangzhou")
	must(t, err)
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertEscalated, "x")
	wantCode(t, err, tradescreen.EINVALID)
	a, err = as.FindAlertByID(ctx, id)
	must(t, err)
	if len(a.Transitions) != 3 {
		t.Fatalf("transitions: %+v", a.Transitions)
	}
	tr := a.Transitions[2]
	if tr.From != tradescreen.AlertUnderReview || tr.To != tradescreen.AlertClosedTrueMatch || tr.Actor != "anna" ||
		tr.Reason != "same company, same address in Hangzhou" || !tr.At.Equal(c.T.Truncate(time.Microsecond)) || !tr.IsDecision() {
		t.Fatalf("decision: %+v", tr)
	}
	if a.Transitions[0].To != tradescreen.AlertOpen || a.Transitions[0].Actor != tradescreen.System.Name {
		t.Fatalf("first transition: %+v", a.Transitions[0])
	}
	// A true match stays decided when screened again.
	ch, err = as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{h})
	must(t, err)
	if ch[0].Action != "kept" {
		t.Fatalf("true match: %+v", ch[0])
	}
	closed, _, err := as.FindAlerts(ctx, tradescreen.AlertFilter{Status: []tradescreen.AlertStatus{tradescreen.AlertOpen}})
	must(t, err)
	if len(closed) != 0 {
		t.Fatalf("open alerts: %v", closed)
	}
	_, err = as.FindAlertByID(ctx, 99999)
	wantCode(t, err, tradescreen.ENOTFOUND)
	evs, err := s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditDecision})
	must(t, err)
	if len(evs) != 1 || evs[0].Actor != "anna" || !strings.Contains(evs[0].Details, "same company") {
		t.Fatalf("decision audit: %+v", evs)
	}
}

func testFalsePositive(t *testing.T, s tradescreen.Store, c *Clock) {
	p := importOne(t, s, tradescreen.Party{ID: "S-7", Name: "Hikvision Europe B.V.", Country: "NL"})
	as := s.Alerts()
	e := hikEntry()
	ch, err := as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision", 0.86)})
	must(t, err)
	id := ch[0].Alert.ID
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertClosedFalsePositive, "different company: Dutch subsidiary checked separately")
	must(t, err)
	// Neither the entry nor the party changed: it stays closed, even with another score.
	ch, err = as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision", 0.88)})
	must(t, err)
	if ch[0].Action != "kept" || ch[0].Alert.Status != tradescreen.AlertClosedFalsePositive {
		t.Fatalf("unchanged: %+v", ch[0])
	}
	// The entry gains an alias: reopened, with the difference.
	c.Add(24 * time.Hour)
	e.Aliases = append(e.Aliases, tradescreen.Name{Full: "Hikvision Europe", Type: tradescreen.NameAKA})
	ch, err = as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision Europe", 0.97)})
	must(t, err)
	if ch[0].Action != "reopened" || ch[0].Alert.Status != tradescreen.AlertOpen || !strings.Contains(ch[0].Difference, "added name: Hikvision Europe") {
		t.Fatalf("entry change: %+v", ch[0])
	}
	a, err := as.FindAlertByID(ctx, id)
	must(t, err)
	last := a.Transitions[len(a.Transitions)-1]
	if last.From != tradescreen.AlertClosedFalsePositive || last.To != tradescreen.AlertOpen || !strings.Contains(last.Reason, "added name: Hikvision Europe") {
		t.Fatalf("reopen transition: %+v", last)
	}
	// Closed again; then the party's data changes: reopened with the party's difference.
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertClosedFalsePositive, "still a different company")
	must(t, err)
	p2, err := s.Parties().UpdateParty(ctx, analyst, p.ID, tradescreen.PartyUpdate{Name: ptr("Hikvision Europe Holding B.V."), Reason: "renamed"})
	must(t, err)
	ch, err = as.RaiseAlerts(ctx, tradescreen.System, p2, []tradescreen.Hit{hitOf(e, "Hikvision Europe", 0.95)})
	must(t, err)
	if ch[0].Action != "reopened" || !strings.Contains(ch[0].Difference, `party name: "Hikvision Europe B.V." -> "Hikvision Europe Holding B.V."`) {
		t.Fatalf("party change: %+v", ch[0])
	}
	if ch[0].Alert.PartyName != "Hikvision Europe Holding B.V." {
		t.Fatalf("party name on alert: %q", ch[0].Alert.PartyName)
	}
	evs, err := s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditAlertReopen})
	must(t, err)
	if len(evs) != 2 {
		t.Fatalf("reopen events: %d", len(evs))
	}
}

func testFourEyes(t *testing.T, s tradescreen.Store) {
	p := importOne(t, s, realParties()[0])
	as := s.Alerts()
	ch, err := as.RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(hikEntry(), "Hikvision", 0.9)})
	must(t, err)
	id := ch[0].Alert.ID
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertEscalated, "ownership unclear")
	must(t, err)
	// The analyst cannot close their own escalation, nor can another analyst.
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertClosedFalsePositive, "never mind")
	wantCode(t, err, tradescreen.EFORBIDDEN)
	_, err = as.TransitionAlert(ctx, analyst2, id, tradescreen.AlertClosedFalsePositive, "never mind")
	wantCode(t, err, tradescreen.EFORBIDDEN)
	// An approver who escalated cannot close it either.
	_, err = as.TransitionAlert(ctx, approver, id, tradescreen.AlertUnderReview, "back to review")
	must(t, err)
	_, err = as.TransitionAlert(ctx, approver, id, tradescreen.AlertEscalated, "needs a second look")
	must(t, err)
	_, err = as.TransitionAlert(ctx, approver, id, tradescreen.AlertClosedTrueMatch, "confirmed")
	wantCode(t, err, tradescreen.EFORBIDDEN)
	a, err := as.TransitionAlert(ctx, admin, id, tradescreen.AlertClosedTrueMatch, "confirmed by the registry extract")
	must(t, err)
	if a.Status != tradescreen.AlertClosedTrueMatch || a.EscalatedBy != "paula" {
		t.Fatalf("closed: %+v", a)
	}
}

func testAuditChain(t *testing.T, s tradescreen.Store, c *Clock) {
	au := s.Audit()
	for i, a := range []string{tradescreen.AuditScreen, tradescreen.AuditListLoad, tradescreen.AuditScreen} {
		must(t, au.AppendAudit(ctx, &tradescreen.AuditEvent{Actor: "cli:root", Action: a, Object: "query", Details: `{"name":"Hikvision","n":` + string(rune('0'+i)) + `}`}))
		c.Add(time.Hour)
	}
	wantCode(t, au.AppendAudit(ctx, &tradescreen.AuditEvent{Action: "x"}), tradescreen.EINVALID)
	evs, err := au.FindAuditEvents(ctx, tradescreen.AuditFilter{})
	must(t, err)
	if len(evs) != 3 || evs[0].Seq != 1 || evs[2].Seq != 3 || evs[1].PrevHash != evs[0].Hash || evs[0].PrevHash != "" {
		t.Fatalf("events: %+v", evs)
	}
	if !evs[0].At.Equal(time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)) || evs[0].Details != `{"name":"Hikvision","n":0}` {
		t.Fatalf("first event: %+v", evs[0])
	}
	for _, e := range evs {
		if tradescreen.ChainHash(e.PrevHash, e) != e.Hash {
			t.Fatalf("event %d does not hash to its hash", e.Seq)
		}
	}
	// Time window: from inclusive, to exclusive.
	win, err := au.FindAuditEvents(ctx, tradescreen.AuditFilter{From: evs[1].At, To: evs[2].At})
	must(t, err)
	if len(win) != 1 || win[0].Seq != 2 {
		t.Fatalf("window: %+v", win)
	}
	v, err := au.VerifyAudit(ctx)
	must(t, err)
	if !v.OK || v.Events != 3 || v.Head != evs[2].Hash {
		t.Fatalf("verify: %+v", v)
	}
}

func testAuditTamper(t *testing.T, setup func(t *testing.T) (tradescreen.Store, *Clock)) {
	cases := []struct {
		name    string
		sql     []string
		problem string
	}{
		{"edit", []string{`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`}, "record 2 was edited"},
		{"edit details", []string{`UPDATE audit_events SET details = '{"reason":"nothing to see"}' WHERE seq = 3`}, "record 3 was edited"},
		{"delete", []string{`DELETE FROM audit_events WHERE seq = 2`}, "record 3 follows record 1"},
		{"delete newest", []string{`DELETE FROM audit_events WHERE seq = 4`}, "newest records were deleted"},
		{"reorder", []string{`UPDATE audit_events SET seq = 100 WHERE seq = 2`, `UPDATE audit_events SET seq = 2 WHERE seq = 3`, `UPDATE audit_events SET seq = 3 WHERE seq = 100`}, "record 2 does not chain"},
		{"rehash one", []string{`UPDATE audit_events SET actor = 'mallory', hash = 'abc' WHERE seq = 2`}, "record 2 was edited"},
		// The oldest records deleted and the anchor moved onto the last of them, as pruning would: no pruning
		// record vouches for the anchor.
		{"delete oldest, move anchor", []string{`UPDATE audit_head SET anchor_seq = 2, anchor_hash = (SELECT hash FROM audit_events WHERE seq = 2) WHERE id = 1`,
			`DELETE FROM audit_events WHERE seq <= 2`}, "no pruning record"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := setup(t)
			ex, ok := s.(Execer)
			if !ok {
				t.Fatalf("%T does not implement storetest.Execer", s)
			}
			p := importOne(t, s, realParties()[0])
			ch, err := s.Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(hikEntry(), "Hikvision", 0.9)})
			must(t, err)
			c.Add(time.Minute)
			_, err = s.Alerts().TransitionAlert(ctx, analyst, ch[0].Alert.ID, tradescreen.AlertClosedFalsePositive, "different company")
			must(t, err)
			must(t, s.Audit().AppendAudit(ctx, &tradescreen.AuditEvent{Actor: "cli:root", Action: tradescreen.AuditScreen, Object: "query"}))
			v, err := s.Audit().VerifyAudit(ctx)
			must(t, err)
			if !v.OK || v.Events != 4 {
				t.Fatalf("before tampering: %+v", v)
			}
			for _, q := range tc.sql {
				must(t, ex.Exec(ctx, q))
			}
			v, err = s.Audit().VerifyAudit(ctx)
			must(t, err)
			if v.OK || !strings.Contains(v.Problem, tc.problem) {
				t.Fatalf("after tampering: %+v, want problem %q", v, tc.problem)
			}
		})
	}
}

func testRetention(t *testing.T, s tradescreen.Store, c *Clock) {
	au := s.Audit()
	d, err := au.AuditRetention(ctx)
	must(t, err)
	if d != 0 {
		t.Fatalf("default retention %v", d)
	}
	for i := 0; i < 5; i++ {
		must(t, au.AppendAudit(ctx, &tradescreen.AuditEvent{Actor: "cli:root", Action: tradescreen.AuditScreen, Object: "query"}))
		c.Add(100 * 24 * time.Hour)
	}
	// Retention 0 keeps everything.
	n, err := au.PruneAudit(ctx, admin)
	must(t, err)
	if n != 0 {
		t.Fatalf("pruned %d with retention 0", n)
	}
	wantCode(t, au.SetAuditRetention(ctx, analyst, 365*24*time.Hour), tradescreen.EFORBIDDEN)
	wantCode(t, au.SetAuditRetention(ctx, admin, time.Hour), tradescreen.EINVALID)
	must(t, au.SetAuditRetention(ctx, admin, 250*24*time.Hour))
	_, err = au.PruneAudit(ctx, analyst)
	wantCode(t, err, tradescreen.EFORBIDDEN)
	// Now is start + 500 days: events at 0, 100 and 200 days are older than 250 days.
	n, err = au.PruneAudit(ctx, admin)
	must(t, err)
	if n != 3 {
		t.Fatalf("pruned %d, want 3", n)
	}
	v, err := au.VerifyAudit(ctx)
	must(t, err)
	if !v.OK || v.FirstSeq != 4 || v.LastSeq != 7 {
		t.Fatalf("verify after pruning: %+v", v)
	}
	evs, err := au.FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditPrune})
	must(t, err)
	if len(evs) != 1 || !strings.Contains(evs[0].Details, `"deleted":3`) {
		t.Fatalf("prune event: %+v", evs)
	}
	cfg, err := au.FindAuditEvents(ctx, tradescreen.AuditFilter{Action: tradescreen.AuditConfigChange})
	must(t, err)
	if len(cfg) != 1 || cfg[0].Actor != "ada" {
		t.Fatalf("config event: %+v", cfg)
	}
	testPruneTamper(t, s)
}

// testPruneTamper deletes more of the oldest records after a real pruning and moves the anchor onto the last
// of them: the pruning record names another anchor, so verification fails.
func testPruneTamper(t *testing.T, s tradescreen.Store) {
	ex, ok := s.(Execer)
	if !ok {
		t.Fatalf("%T does not implement storetest.Execer", s)
	}
	must(t, ex.Exec(ctx, `UPDATE audit_head SET anchor_seq = 4, anchor_hash = (SELECT hash FROM audit_events WHERE seq = 4) WHERE id = 1`))
	must(t, ex.Exec(ctx, `DELETE FROM audit_events WHERE seq <= 4`))
	v, err := s.Audit().VerifyAudit(ctx)
	must(t, err)
	if v.OK || !strings.Contains(v.Problem, "no pruning record") || v.BadSeq != 5 {
		t.Fatalf("the oldest records deleted after pruning: %+v", v)
	}
}

func testUsers(t *testing.T, s tradescreen.Store) {
	us := s.Users()
	u, key, err := us.CreateUser(ctx, admin, "anna", tradescreen.RoleAnalyst)
	must(t, err)
	if u.ID == 0 || !strings.HasPrefix(key, "tsk_") {
		t.Fatalf("user %+v key %q", u, key)
	}
	_, _, err = us.CreateUser(ctx, admin, "anna", tradescreen.RoleViewer)
	wantCode(t, err, tradescreen.ECONFLICT)
	_, _, err = us.CreateUser(ctx, analyst, "bob", tradescreen.RoleViewer)
	wantCode(t, err, tradescreen.EFORBIDDEN)
	_, _, err = us.CreateUser(ctx, admin, "bob", "superuser")
	wantCode(t, err, tradescreen.EINVALID)
	// Names the server acts under, and names that pass for another user, are refused.
	for _, name := range []string{"local", "api-key", "system:monitor", "cli:root", "ada\u200b", "\u202eada", "l0cal", "=HYPERLINK(\"x\")"} {
		_, _, err = us.CreateUser(ctx, admin, name, tradescreen.RoleAdmin)
		wantCode(t, err, tradescreen.EINVALID)
	}
	for _, name := range []string{"ANNA", "Anna", "\u0430nna"} { // upper case, Cyrillic a: looks like anna
		_, _, err = us.CreateUser(ctx, admin, name, tradescreen.RoleAdmin)
		if name == "\u0430nna" {
			wantCode(t, err, tradescreen.EINVALID) // Cyrillic and Latin letters mixed
			continue
		}
		wantCode(t, err, tradescreen.ECONFLICT)
	}
	got, err := us.Authenticate(ctx, key)
	must(t, err)
	if got.Name != "anna" || got.Role != tradescreen.RoleAnalyst {
		t.Fatalf("authenticated %+v", got)
	}
	for _, bad := range []string{"", "tsk_", key + "x", key[:len(key)-1] + "0", "tsk_999_abc", strings.Replace(key, "tsk_", "tsk_9", 1)} {
		if bad == key {
			continue
		}
		_, err = us.Authenticate(ctx, bad)
		wantCode(t, err, tradescreen.EUNAUTHORIZED)
	}
	must(t, us.DisableUser(ctx, admin, "anna"))
	_, err = us.Authenticate(ctx, key)
	wantCode(t, err, tradescreen.EUNAUTHORIZED)
	wantCode(t, us.DisableUser(ctx, admin, "anna"), tradescreen.ENOTFOUND)
	list, err := us.FindUsers(ctx)
	must(t, err)
	if len(list) != 1 || list[0].DisabledAt == nil {
		t.Fatalf("users: %+v", list)
	}
	evs, err := s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{})
	must(t, err)
	for _, e := range evs {
		if strings.Contains(e.Details, key[4:]) {
			t.Fatal("the API key's secret is in the audit trail")
		}
	}
}

func testMonitorState(t *testing.T, s tradescreen.Store) {
	ms := s.Monitor()
	h, err := ms.EntryHashes(ctx)
	must(t, err)
	if len(h) != 0 {
		t.Fatalf("initial hashes: %v", h)
	}
	must(t, ms.SaveEntryHashes(ctx, map[string]string{"us_el/1": "a", "un_sc/QDi.1": "b"}, nil))
	must(t, ms.SaveEntryHashes(ctx, map[string]string{"us_el/1": "c", "gb_hmt/2": "d"}, []string{"un_sc/QDi.1", "us_el/404"}))
	h, err = ms.EntryHashes(ctx)
	must(t, err)
	if len(h) != 2 || h["us_el/1"] != "c" || h["gb_hmt/2"] != "d" {
		t.Fatalf("hashes: %v", h)
	}
}
