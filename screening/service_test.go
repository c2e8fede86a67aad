package screening_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/testlists"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screening"
)

// allowSource is an allow list held in memory, or an error reading it.
type allowSource struct {
	al  *ownlist.AllowList
	err error
}

func (a allowSource) AllowList() (*ownlist.AllowList, string, error) {
	return a.al, "test allow list", a.err
}

// recorder keeps the audit records appended, counting the appends.
type recorder struct {
	mu      sync.Mutex
	appends int
	evs     []*tradescreen.AuditEvent
}

func (r *recorder) AppendAudit(ctx context.Context, evs ...*tradescreen.AuditEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.appends++
	r.evs = append(r.evs, evs...)
	return nil
}

var now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

// An allowance marks its pairing where it stands, with its reason; an allow list that cannot be read fails
// the answer rather than letting a reviewed look-alike through unmarked, or everything through.
func TestAllowList(t *testing.T) {
	al := ownlist.NewAllowList([]ownlist.Allowance{{ID: "A-1", Name: "Kim Sok Chol", Entry: "un_sc/KPi.036",
		Reason: "our engineer in Busan", ReviewedBy: "a.smith", ReviewedOn: "2026-01-30"}})
	svc := screening.NewWith(screening.Config{Allow: allowSource{al: al}, Now: now}, testlists.Three())
	scr, err := svc.Answer(t.Context(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "Kim Sok Chol"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(scr.Matches) != 1 || scr.Matches[0].Allowed == nil || scr.Matches[0].Allowed.Row != "A-1" || scr.Matches[0].Score < 0.99 {
		t.Fatalf("matches %+v", scr.Matches)
	}
	broken := screening.NewWith(screening.Config{Allow: allowSource{err: errors.New("torn file")}, Now: now}, testlists.Three())
	_, err = broken.Answer(t.Context(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "Kim Sok Chol"}})
	if tradescreen.ErrorCode(err) != tradescreen.EUNAVAILABLE || !strings.Contains(tradescreen.ErrorMessage(err), "torn file") {
		t.Errorf("unreadable allow list: %v", err)
	}
}

// Every answer says how old each list is; a list older than the age the caller refuses stops the answer,
// naming it; an answer for a past date is not refused for the age of the lists of that date.
func TestListAges(t *testing.T) {
	svc := screening.NewWith(screening.Config{Now: now, DefaultMaxAge: 30 * 24 * time.Hour}, testlists.Three())
	scr, err := svc.Answer(t.Context(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "Hikvision"}})
	if err != nil {
		t.Fatal(err)
	}
	ages := map[string]tradescreen.ListStatus{}
	for _, l := range scr.Lists {
		ages[l.Source] = l
	}
	if el, un := ages["us_el"], ages["un_sc"]; !el.Stale || el.AgeDays != 1385 || un.Stale || un.AgeDays != 2 || el.MaxAgeDays != 30 {
		t.Errorf("ages: us_el %+v, un_sc %+v", el, un)
	}
	if len(scr.Warnings) != 1 || !strings.Contains(scr.Warnings[0], "us_el (2022-05-16, 1385 days old)") || strings.Contains(scr.Warnings[0], "un_sc") {
		t.Errorf("warnings %q", scr.Warnings)
	}
	strict := screening.NewWith(screening.Config{Now: now, RefuseOlderThan: 365 * 24 * time.Hour}, testlists.Three())
	_, err = strict.Answer(t.Context(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "Hikvision"}})
	if tradescreen.ErrorCode(err) != tradescreen.ESTALE || !strings.Contains(tradescreen.ErrorMessage(err), "us_el (published 2022-05-16") {
		t.Errorf("refusal: %v", err)
	}
	if err := strict.Fresh([]string{"un_sc"}); err != nil {
		t.Errorf("un_sc alone is fresh: %v", err)
	}
}

// ScreenMany answers in request order and records every answer in one append; Screen records one.
func TestRecording(t *testing.T) {
	rec := &recorder{}
	svc := screening.NewWith(screening.Config{Recorder: rec, Now: now}, testlists.Three())
	names := []string{"Hikvision", "Kim Sok Chol", "Grace 1", "Zzyzx Quartermaine"}
	var reqs []tradescreen.ScreenRequest
	for _, n := range names {
		reqs = append(reqs, tradescreen.ScreenRequest{Query: tradescreen.Query{Name: n}})
	}
	scrs, err := svc.ScreenMany(t.Context(), tradescreen.Actor{Name: "alice"}, "api", reqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, scr := range scrs {
		if scr.Query.Name != names[i] {
			t.Errorf("answer %d is for %q", i, scr.Query.Name)
		}
	}
	if rec.appends != 1 || len(rec.evs) != len(names) || rec.evs[0].Actor != "alice" || !strings.Contains(rec.evs[1].Details, `"channel":"api"`) {
		t.Fatalf("%d appends, %d records", rec.appends, len(rec.evs))
	}
	if _, err := svc.Screen(t.Context(), tradescreen.Actor{Name: "bob"}, "check", reqs[0]); err != nil || rec.appends != 2 {
		t.Errorf("Screen: %v, %d appends", err, rec.appends)
	}
}

// Compare reads a name of no stated type both ways, as a search reads a query against an organization's
// entry and a person's: the score is the better reading's.
func TestCompareBothReadings(t *testing.T) {
	svc := screening.NewWith(screening.Config{Now: now}, testlists.Three())
	s, ex := svc.Compare("Vladimir Putin", "Vladimir Poutine", "")
	sp, _ := svc.Compare("Vladimir Putin", "Vladimir Poutine", tradescreen.KindPerson)
	so, _ := svc.Compare("Vladimir Putin", "Vladimir Poutine", tradescreen.KindOrganization)
	if s != max(sp, so) || s < 0.8 {
		t.Errorf("no type %.3f (%v), person %.3f, organization %.3f", s, ex.Adjustments, sp, so)
	}
}

// Without lists the service answers EUNAVAILABLE, and past dates need a PastLists.
func TestUnavailable(t *testing.T) {
	svc := screening.New(screening.Config{Now: now})
	if _, err := svc.Answer(t.Context(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "x"}}); tradescreen.ErrorCode(err) != tradescreen.EUNAVAILABLE {
		t.Errorf("no lists: %v", err)
	}
	svc.SetLists(testlists.Three())
	_, err := svc.Answer(t.Context(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "x"}, AsOf: "2025-01-01"})
	if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("past date without past lists: %v", err)
	}
}

func TestParseListFile(t *testing.T) {
	f, err := screening.ParseListFile("un=testdata/un.xml")
	if err != nil || f != (screening.ListFile{Kind: "un", Path: "testdata/un.xml"}) || f.String() != "un=testdata/un.xml" {
		t.Errorf("ParseListFile(un=...) = %+v, %v", f, err)
	}
	for _, spec := range []string{"un", "=x.xml", "un=", "nosuchkind=x.csv"} {
		_, err := screening.ParseListFile(spec)
		if err == nil || !strings.Contains(err.Error(), "(kinds: ") || !strings.Contains(err.Error(), "csl, ") {
			t.Errorf("ParseListFile(%q) = %v, want an error naming the kinds", spec, err)
		}
	}
}
