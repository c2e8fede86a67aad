package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
)

// allowNote is the note an allow-list row puts on a match it covers (ownlist.Allowance.Note).
const allowNote = "allowed: reviewed look-alike (Hikvision Europe B.V. is the Dutch distributor, not the listed Hangzhou company; reviewed by a.smith on 2026-06-30; allow-list row A-7)"

// testAllowedAlerts: a hit the allow list covers creates its alert already closed as a false positive, by
// the screening actor with the allowance's note as the reason, audited as a creation and a decision; it is
// kept while nothing changes, and reopened when the entry or the party changes, as any false positive.
func testAllowedAlerts(t *testing.T, s tradescreen.Store, c *Clock) {
	p := importOne(t, s, tradescreen.Party{ID: "S-7", Name: "Hikvision Europe B.V.", Country: "NL"})
	other := importOne(t, s, tradescreen.Party{ID: "S-8", Name: "Hikvision", Country: "CN"})
	as := s.Alerts()
	e := hikEntry()
	key := e.Source + "/" + e.SourceID
	ch, err := as.RaiseAlertsAllowed(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision", 0.86)}, map[string]string{key: allowNote})
	must(t, err)
	if len(ch) != 1 || ch[0].Action != "allowed" || ch[0].Alert.Status != tradescreen.AlertClosedFalsePositive || ch[0].Alert.ID == 0 {
		t.Fatalf("allowed raise: %+v", ch)
	}
	id := ch[0].Alert.ID
	a, err := as.FindAlertByID(ctx, id)
	must(t, err)
	if a.Status != tradescreen.AlertClosedFalsePositive || len(a.Transitions) != 2 {
		t.Fatalf("stored alert: %+v", a)
	}
	raised, decided := a.Transitions[0], a.Transitions[1]
	if raised.From != "" || raised.To != tradescreen.AlertOpen || !strings.HasPrefix(raised.Reason, "raised by screening") ||
		decided.From != tradescreen.AlertOpen || decided.To != tradescreen.AlertClosedFalsePositive || !decided.IsDecision() ||
		decided.Actor != tradescreen.System.Name || decided.Reason != allowNote {
		t.Fatalf("transitions: %+v", a.Transitions)
	}
	// Never open: no open alert at any time.
	open, _, err := as.FindAlerts(ctx, tradescreen.AlertFilter{Status: []tradescreen.AlertStatus{tradescreen.AlertOpen}})
	must(t, err)
	if len(open) != 0 {
		t.Fatalf("open alerts: %+v", open)
	}
	// Audited as usual: the creation and the decision, naming the allow-list row in the reason.
	evs, err := s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Object: "alert/" + itoa(id)})
	must(t, err)
	if len(evs) != 2 || evs[0].Action != tradescreen.AuditAlertCreate || evs[1].Action != tradescreen.AuditDecision ||
		!strings.Contains(evs[1].Details, "allow-list row A-7") || !strings.Contains(evs[1].Details, "closed_false_positive") {
		t.Fatalf("audit: %+v", evs)
	}

	// The allowance covers only its pairing: another party's hit on the same entry opens an alert.
	ch, err = as.RaiseAlertsAllowed(ctx, tradescreen.System, other, []tradescreen.Hit{hitOf(e, "Hikvision", 1)}, nil)
	must(t, err)
	if ch[0].Action != "created" || ch[0].Alert.Status != tradescreen.AlertOpen {
		t.Fatalf("uncovered party: %+v", ch[0])
	}
	// An alert in review that the allow list later covers is left to its reviewer (refreshed, still open).
	ch, err = as.RaiseAlertsAllowed(ctx, tradescreen.System, other, []tradescreen.Hit{hitOf(e, "Hikvision", 0.99)}, map[string]string{key: allowNote})
	must(t, err)
	if ch[0].Action != "updated" || ch[0].Alert.Status != tradescreen.AlertOpen {
		t.Fatalf("open alert covered later: %+v", ch[0])
	}

	// Nothing changed: kept closed.
	c.Add(time.Hour)
	ch, err = as.RaiseAlertsAllowed(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision", 0.87)}, map[string]string{key: allowNote})
	must(t, err)
	if ch[0].Action != "kept" || ch[0].Alert.Status != tradescreen.AlertClosedFalsePositive {
		t.Fatalf("unchanged: %+v", ch[0])
	}
	// The entry gains an alias: reopened as today's rule does, the reason saying the review predates it.
	c.Add(24 * time.Hour)
	e.Aliases = append(e.Aliases, tradescreen.Name{Full: "Hikvision Europe", Type: tradescreen.NameAKA})
	ch, err = as.RaiseAlertsAllowed(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision Europe", 0.97)}, map[string]string{key: allowNote})
	must(t, err)
	if ch[0].Action != "reopened" || ch[0].Alert.Status != tradescreen.AlertOpen || !strings.Contains(ch[0].Difference, "added name: Hikvision Europe") {
		t.Fatalf("entry change: %+v", ch[0])
	}
	a, err = as.FindAlertByID(ctx, id)
	must(t, err)
	last := a.Transitions[len(a.Transitions)-1]
	if last.To != tradescreen.AlertOpen || !strings.Contains(last.Reason, "added name: Hikvision Europe") || !strings.Contains(last.Reason, "allow-list row A-7") {
		t.Fatalf("reopen transition: %+v", last)
	}
	// Decided again by a person; the party changes: reopened again.
	_, err = as.TransitionAlert(ctx, analyst, id, tradescreen.AlertClosedFalsePositive, "still the Dutch distributor")
	must(t, err)
	p2, err := s.Parties().UpdateParty(ctx, analyst, p.ID, tradescreen.PartyUpdate{Country: ptr("CN"), Reason: "moved"})
	must(t, err)
	ch, err = as.RaiseAlertsAllowed(ctx, tradescreen.System, p2, []tradescreen.Hit{hitOf(e, "Hikvision Europe", 0.97)}, map[string]string{key: allowNote})
	must(t, err)
	if ch[0].Action != "reopened" || !strings.Contains(ch[0].Difference, `party country: "NL" -> "CN"`) {
		t.Fatalf("party change: %+v", ch[0])
	}

	// An empty note is refused, and so is a viewer; nothing is stored.
	p3 := importOne(t, s, tradescreen.Party{ID: "S-9", Name: "Hikvision Kft.", Country: "HU"})
	_, err = as.RaiseAlertsAllowed(ctx, tradescreen.System, p3, []tradescreen.Hit{hitOf(e, "Hikvision", 0.9)}, map[string]string{key: " "})
	wantCode(t, err, tradescreen.EINVALID)
	_, err = as.RaiseAlertsAllowed(ctx, viewer, p3, []tradescreen.Hit{hitOf(e, "Hikvision", 0.9)}, map[string]string{key: allowNote})
	wantCode(t, err, tradescreen.EFORBIDDEN)
	if _, n, err := as.FindAlerts(ctx, tradescreen.AlertFilter{PartyID: "S-9"}); err != nil || n != 0 {
		t.Fatalf("alerts of S-9 after refused raises: %d, %v", n, err)
	}
}

func itoa(n int64) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// testTextRefused: text PostgreSQL's text type cannot hold (a NUL byte, invalid UTF-8) is refused by every
// store alike with EINVALID naming the field, in party fields, reasons, user names, actors and the audit
// trail, and nothing of the refused call is stored.
func testTextRefused(t *testing.T, s tradescreen.Store) {
	ps := s.Parties()
	bad := []struct {
		what  string
		text  string
		field string
	}{
		{"NUL", "Acme\x00 Ltd", "contains a NUL byte"},
		{"invalid UTF-8", "Acme \xff\xfe Ltd", "not valid UTF-8"},
	}
	for _, b := range bad {
		t.Run(b.what, func(t *testing.T) {
			want := func(t *testing.T, err error, field string) {
				t.Helper()
				wantCode(t, err, tradescreen.EINVALID)
				if msg := tradescreen.ErrorMessage(err); !strings.Contains(msg, field+": "+b.field) {
					t.Fatalf("error %q does not name %q", msg, field)
				}
			}
			imports := []struct {
				field string
				p     tradescreen.Party
			}{
				{"party T-1: name", tradescreen.Party{ID: "T-1", Name: b.text}},
				{`party "T-` + b.text + `": id`, tradescreen.Party{ID: "T-" + b.text, Name: "Acme Ltd"}},
				{"party T-1: country", tradescreen.Party{ID: "T-1", Name: "Acme Ltd", Country: b.text}},
				{"party T-1: date_of_birth", tradescreen.Party{ID: "T-1", Name: "Acme Ltd", BirthDate: b.text}},
				{"party T-1: segment", tradescreen.Party{ID: "T-1", Name: "Acme Ltd", Extra: map[string]string{"segment": b.text}}},
				{"party T-1: column name", tradescreen.Party{ID: "T-1", Name: "Acme Ltd", Extra: map[string]string{b.text: "retail"}}},
			}
			for _, tc := range imports {
				// The bad party comes second: the whole import is refused.
				_, err := ps.ImportParties(ctx, analyst, "customers.csv", []tradescreen.Party{{ID: "T-0", Name: "Good Ltd"}, tc.p})
				if tc.field == `party "T-`+b.text+`": id` {
					wantCode(t, err, tradescreen.EINVALID)
					if msg := tradescreen.ErrorMessage(err); !strings.Contains(msg, "id: "+b.field) {
						t.Fatalf("error %q does not name the id", msg)
					}
					continue
				}
				want(t, err, tc.field)
			}
			_, err := ps.ImportParties(ctx, analyst, "customers"+b.text+".csv", []tradescreen.Party{{ID: "T-0", Name: "Good Ltd"}})
			want(t, err, "source")
			_, err = ps.ImportParties(ctx, tradescreen.Actor{Name: "ann" + b.text, Role: tradescreen.RoleAnalyst}, "customers.csv", []tradescreen.Party{{ID: "T-0", Name: "Good Ltd"}})
			want(t, err, "actor")
			// T-0, good, came with the bad ones: nothing was stored.
			_, err = ps.FindPartyByID(ctx, "T-0")
			wantCode(t, err, tradescreen.ENOTFOUND)

			p := importOne(t, s, tradescreen.Party{ID: "T-" + strings.ReplaceAll(b.what, " ", "-"), Name: "Acme Ltd"})
			_, err = ps.UpdateParty(ctx, analyst, p.ID, tradescreen.PartyUpdate{Name: ptr(b.text), Reason: "renamed"})
			want(t, err, "party "+p.ID+": name")
			_, err = ps.UpdateParty(ctx, analyst, p.ID, tradescreen.PartyUpdate{Name: ptr("Acme Holding Ltd"), Reason: "renamed " + b.text})
			want(t, err, "reason")
			want(t, ps.DeleteParty(ctx, analyst, p.ID, "gone "+b.text), "reason")
			got, err := ps.FindPartyByID(ctx, p.ID)
			must(t, err)
			if got.Name != "Acme Ltd" || got.DeletedAt != nil || got.Version != 1 {
				t.Fatalf("party after refused changes: %+v", got)
			}

			ch, err := s.Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(hikEntry(), "Hikvision", 0.9)})
			must(t, err)
			id := ch[0].Alert.ID
			_, err = s.Alerts().TransitionAlert(ctx, analyst, id, tradescreen.AlertUnderReview, "checking "+b.text)
			want(t, err, "reason")
			_, err = s.Alerts().TransitionAlert(ctx, tradescreen.Actor{Name: "ann" + b.text, Role: tradescreen.RoleAnalyst}, id, tradescreen.AlertUnderReview, "checking")
			want(t, err, "actor")
			a, err := s.Alerts().FindAlertByID(ctx, id)
			must(t, err)
			if a.Status != tradescreen.AlertOpen || len(a.Transitions) != 1 {
				t.Fatalf("alert after refused moves: %+v", a)
			}

			_, _, err = s.Users().CreateUser(ctx, admin, "ann"+b.text, tradescreen.RoleViewer)
			want(t, err, "name")
			err = s.Audit().AppendAudit(ctx, &tradescreen.AuditEvent{Actor: "cli:root", Action: tradescreen.AuditScreen, Object: "query " + b.text})
			want(t, err, "audit event: object")
			v, err := s.Audit().VerifyAudit(ctx)
			must(t, err)
			if !v.OK {
				t.Fatalf("audit trail after refused text: %+v", v)
			}
		})
	}
}
