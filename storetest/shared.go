package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
)

// RunShared runs the cases that need two handles on one database, as two processes or two server instances
// sharing it have: named locks, notifications, and writers racing on the same alerts and on the audit
// trail. open returns two stores opened separately (each with its own connections) on one fresh, empty
// database; the suite closes them.
func RunShared(t *testing.T, open func(t *testing.T) (tradescreen.Store, tradescreen.Store)) {
	setup := func(t *testing.T) (tradescreen.Store, tradescreen.Store) {
		t.Helper()
		t.Parallel()
		a, b := open(t)
		t.Cleanup(func() { a.Close(); b.Close() })
		return a, b
	}
	t.Run("Locks", func(t *testing.T) { a, b := setup(t); testLocks(t, a, b) })
	t.Run("Notifications", func(t *testing.T) { a, b := setup(t); testNotifications(t, a, b) })
	t.Run("ConcurrentRaise", func(t *testing.T) { a, b := setup(t); testConcurrentRaise(t, a, b) })
	t.Run("ConcurrentDecisions", func(t *testing.T) { a, b := setup(t); testConcurrentDecisions(t, a, b) })
	t.Run("ConcurrentReopen", func(t *testing.T) { a, b := setup(t); testConcurrentReopen(t, a, b) })
	t.Run("ConcurrentAudit", func(t *testing.T) { a, b := setup(t); testConcurrentAudit(t, a, b) })
	t.Run("BatchJobLeases", func(t *testing.T) { a, b := setup(t); testBatchJobLeases(t, a, b) })
	t.Run("BatchJobChunks", func(t *testing.T) { a, b := setup(t); testBatchJobChunks(t, a, b) })
}

func testLocks(t *testing.T, a, b tradescreen.Store) {
	la, err := a.Locks().TryLock(ctx, "monitor")
	must(t, err)
	// Held: neither the other handle nor the holder itself takes it again.
	_, err = b.Locks().TryLock(ctx, "monitor")
	wantCode(t, err, tradescreen.ECONFLICT)
	_, err = a.Locks().TryLock(ctx, "monitor")
	wantCode(t, err, tradescreen.ECONFLICT)
	// Another name is another lock.
	lb, err := b.Locks().TryLock(ctx, "lists")
	must(t, err)
	for _, bad := range []string{"", "Monitor", "a b", "x;drop", strings.Repeat("a", 41)} {
		_, err = b.Locks().TryLock(ctx, bad)
		wantCode(t, err, tradescreen.EINVALID)
	}
	select {
	case <-la.Lost():
		t.Fatal("a held lock reports itself lost")
	default:
	}
	// A waiter gets the lock once it is released.
	got := make(chan error, 1)
	var lw tradescreen.Lock
	go func() {
		var err error
		lw, err = tradescreen.WaitLock(ctx, b.Locks(), "monitor", 10*time.Millisecond)
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-got:
		t.Fatalf("WaitLock returned while the lock was held: %v", err)
	default:
	}
	must(t, la.Unlock())
	must(t, la.Unlock())
	must(t, <-got)
	_, err = a.Locks().TryLock(ctx, "monitor")
	wantCode(t, err, tradescreen.ECONFLICT)
	must(t, lw.Unlock())
	must(t, lb.Unlock())
	// A waiter gives up when its context ends.
	l, err := a.Locks().TryLock(ctx, "monitor")
	must(t, err)
	wctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = tradescreen.WaitLock(wctx, b.Locks(), "monitor", 10*time.Millisecond)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitLock after cancel: %v", err)
	}
	must(t, l.Unlock())
}

func testNotifications(t *testing.T, a, b tradescreen.Store) {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lists, err := b.Notifications().Listen(lctx, tradescreen.ChannelLists)
	must(t, err)
	other, err := b.Notifications().Listen(lctx, "other")
	must(t, err)
	_, err = b.Notifications().Listen(lctx, "Bad Name")
	wantCode(t, err, tradescreen.EINVALID)
	wantCode(t, a.Notifications().Notify(ctx, tradescreen.ChannelLists, strings.Repeat("x", 1001)), tradescreen.EINVALID)
	must(t, a.Notifications().Notify(ctx, tradescreen.ChannelLists, "un #2 of 2018-10-29"))
	must(t, a.Notifications().Notify(ctx, tradescreen.ChannelLists, "ofac_sdn #3 of 2022-02-24"))
	must(t, a.Notifications().Notify(ctx, "other", "o"))
	for _, want := range []string{"un #2 of 2018-10-29", "ofac_sdn #3 of 2022-02-24"} {
		if got := <-lists; got != want {
			t.Fatalf("received %q, want %q", got, want)
		}
	}
	if got := <-other; got != "o" {
		t.Fatalf("other channel received %q", got)
	}
	// The listener's channel closes when its context ends.
	cancel()
	for range lists {
	}
}

// start runs fn(i) for i in 0..n-1 in goroutines released together, and returns their errors by i.
func start(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i := 0; i < n; i++ {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			errs[i] = fn(i)
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
	return errs
}

// pick returns a for even i and b for odd i: the writers alternate between the two handles.
func pick(i int, a, b tradescreen.Store) tradescreen.Store {
	if i%2 == 0 {
		return a
	}
	return b
}

func verifyChain(t *testing.T, s tradescreen.Store) *tradescreen.AuditVerification {
	t.Helper()
	v, err := s.Audit().VerifyAudit(ctx)
	must(t, err)
	if !v.OK {
		t.Fatalf("audit chain broken: %+v", v)
	}
	return v
}

func countEvents(t *testing.T, s tradescreen.Store, action, object string) int {
	t.Helper()
	evs, err := s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Action: action, Object: object})
	must(t, err)
	return len(evs)
}

// testConcurrentRaise screens the same parties from both handles at once: one alert per party and entry,
// created once, whatever the interleaving.
func testConcurrentRaise(t *testing.T, a, b tradescreen.Store) {
	var parties []tradescreen.Party
	for i := 0; i < 4; i++ {
		parties = append(parties, tradescreen.Party{ID: fmt.Sprintf("C-%d", i), Name: "Hangzhou Hikvision Digital Technology Co., Ltd."})
	}
	_, err := a.Parties().ImportParties(ctx, analyst, "test", parties)
	must(t, err)
	e1, e2 := hikEntry(), &tradescreen.Entry{Source: "us_el", SourceID: "dahua-1", Name: "Zhejiang Dahua Technology Co., Ltd."}
	hits := []tradescreen.Hit{hitOf(e1, "Hikvision", 0.9), hitOf(e2, "Dahua", 0.85)}
	errs := start(16, func(i int) error {
		s := pick(i, a, b)
		p, err := s.Parties().FindPartyByID(ctx, fmt.Sprintf("C-%d", i%4))
		if err != nil {
			return err
		}
		// Half of the writers see the hits in the other order.
		h := hits
		if i%4 >= 2 {
			h = []tradescreen.Hit{hits[1], hits[0]}
		}
		_, err = s.Alerts().RaiseAlerts(ctx, tradescreen.System, p, h)
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	list, n, err := b.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{})
	must(t, err)
	if n != 8 {
		t.Fatalf("%d alerts, want 8 (4 parties x 2 entries)", n)
	}
	for _, al := range list {
		if c := countEvents(t, a, tradescreen.AuditAlertCreate, fmt.Sprintf("alert/%d", al.ID)); c != 1 {
			t.Errorf("alert %d has %d alert.create records", al.ID, c)
		}
		full, err := a.Alerts().FindAlertByID(ctx, al.ID)
		must(t, err)
		if len(full.Transitions) != 1 {
			t.Errorf("alert %d has %d transitions, want 1", al.ID, len(full.Transitions))
		}
	}
	verifyChain(t, b)
}

// testConcurrentDecisions decides each alert twice at once, from both handles: one decision wins, the other
// is ECONFLICT, and no decision is lost or recorded twice.
func testConcurrentDecisions(t *testing.T, a, b tradescreen.Store) {
	const n = 6
	var ids []int64
	for i := 0; i < n; i++ {
		p := importOne(t, a, tradescreen.Party{ID: fmt.Sprintf("D-%d", i), Name: "Hikvision Europe B.V."})
		ch, err := a.Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(hikEntry(), "Hikvision", 0.86)})
		must(t, err)
		ids = append(ids, ch[0].Alert.ID)
	}
	anna, arno := analyst, analyst2
	errs := start(2*n, func(i int) error {
		id := ids[i/2]
		if i%2 == 0 {
			_, err := a.Alerts().TransitionAlert(ctx, anna, id, tradescreen.AlertClosedFalsePositive, "different company: Dutch subsidiary")
			return err
		}
		_, err := b.Alerts().TransitionAlert(ctx, arno, id, tradescreen.AlertClosedTrueMatch, "same group, same owner")
		return err
	})
	for k, id := range ids {
		e1, e2 := errs[2*k], errs[2*k+1]
		won := 0
		for _, e := range []error{e1, e2} {
			switch tradescreen.ErrorCode(e) {
			case "":
				won++
			case tradescreen.ECONFLICT:
				if !strings.Contains(tradescreen.ErrorMessage(e), "already decided") {
					t.Errorf("alert %d: conflict message %q", id, tradescreen.ErrorMessage(e))
				}
			default:
				t.Errorf("alert %d: unexpected error %v", id, e)
			}
		}
		if won != 1 {
			t.Fatalf("alert %d: %d decisions succeeded (%v, %v), want exactly 1", id, won, e1, e2)
		}
		al, err := b.Alerts().FindAlertByID(ctx, id)
		must(t, err)
		if len(al.Transitions) != 2 || !al.Transitions[1].IsDecision() || al.Transitions[1].To != al.Status {
			t.Fatalf("alert %d: transitions %+v, status %s", id, al.Transitions, al.Status)
		}
		winner := "anna"
		if e1 != nil {
			winner = "arno"
		}
		if al.Transitions[1].Actor != winner {
			t.Errorf("alert %d: decided by %s, but %s's call succeeded", id, al.Transitions[1].Actor, winner)
		}
		if c := countEvents(t, a, tradescreen.AuditDecision, fmt.Sprintf("alert/%d", id)); c != 1 {
			t.Errorf("alert %d: %d decision records", id, c)
		}
	}
	// Moving to the status an alert already has is a conflict too (two approvers reopening it at once).
	errs = start(2, func(i int) error {
		_, err := pick(i, a, b).Alerts().TransitionAlert(ctx, approver, ids[0], tradescreen.AlertOpen, "reopened for a second look")
		return err
	})
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two reopenings at once: %v, %v; want one success and one conflict", errs[0], errs[1])
	}
	for _, e := range errs {
		if e != nil {
			wantCode(t, e, tradescreen.ECONFLICT)
		}
	}
	// An analyst escalates and an approver closes, both having seen the alert open: whichever comes second
	// is refused, rather than closing an escalation its approver never saw (or escalating a closed alert).
	// An admin reopens each decision (reopening needs an approver or admin, who may then not close it).
	for k := 1; k < n; k++ {
		id := ids[k]
		must(t, errOf(a.Alerts().TransitionAlert(ctx, admin, id, tradescreen.AlertOpen, "second look")))
		errs = start(2, func(i int) error {
			if i == 0 {
				_, err := a.Alerts().TransitionAlertFrom(ctx, analyst, id, tradescreen.AlertOpen, tradescreen.AlertEscalated, "ownership unclear")
				return err
			}
			_, err := b.Alerts().TransitionAlertFrom(ctx, approver, id, tradescreen.AlertOpen, tradescreen.AlertClosedFalsePositive, "different company")
			return err
		})
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("alert %d: escalation %v, closing %v: want one success and one conflict", id, errs[0], errs[1])
		}
		for _, e := range errs {
			if e != nil {
				wantCode(t, e, tradescreen.ECONFLICT)
			}
		}
	}
	_, err := a.Alerts().TransitionAlertFrom(ctx, analyst, ids[0], tradescreen.AlertUnderReview, tradescreen.AlertClosedTrueMatch, "x")
	wantCode(t, err, tradescreen.ECONFLICT)
	verifyChain(t, a)
}

// errOf returns the error of a call that also returns an alert.
func errOf(_ *tradescreen.Alert, err error) error { return err }

// testConcurrentReopen screens a party whose false positive's entry changed from both handles at once: the
// alert is reopened once.
func testConcurrentReopen(t *testing.T, a, b tradescreen.Store) {
	p := importOne(t, a, tradescreen.Party{ID: "S-7", Name: "Hikvision Europe B.V.", Country: "NL"})
	e := hikEntry()
	ch, err := a.Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{hitOf(e, "Hikvision", 0.86)})
	must(t, err)
	id := ch[0].Alert.ID
	_, err = a.Alerts().TransitionAlert(ctx, analyst, id, tradescreen.AlertClosedFalsePositive, "different company")
	must(t, err)
	e.Aliases = append(e.Aliases, tradescreen.Name{Full: "Hikvision Europe", Type: tradescreen.NameAKA})
	h := hitOf(e, "Hikvision Europe", 0.97)
	actions := make([]string, 8)
	errs := start(8, func(i int) error {
		ch, err := pick(i, a, b).Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{h})
		if err == nil {
			actions[i] = ch[0].Action
		}
		return err
	})
	reopened := 0
	for i, err := range errs {
		must(t, err)
		if actions[i] == "reopened" {
			reopened++
		}
	}
	if reopened != 1 {
		t.Fatalf("actions %v: want exactly one reopened", actions)
	}
	if c := countEvents(t, b, tradescreen.AuditAlertReopen, fmt.Sprintf("alert/%d", id)); c != 1 {
		t.Fatalf("%d reopen records", c)
	}
	verifyChain(t, b)
}

// testConcurrentAudit appends from both handles at once: one chain, every record in it.
func testConcurrentAudit(t *testing.T, a, b tradescreen.Store) {
	errs := start(40, func(i int) error {
		return pick(i, a, b).Audit().AppendAudit(ctx, &tradescreen.AuditEvent{Actor: "cli:root", Action: tradescreen.AuditScreen, Object: fmt.Sprintf("query/%d", i)})
	})
	for _, err := range errs {
		must(t, err)
	}
	if v := verifyChain(t, a); v.Events != 40 {
		t.Fatalf("%d events, want 40", v.Events)
	}
}
