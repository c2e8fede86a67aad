// Package monitor re-screens the parties register as the lists and the parties change, and raises alerts for
// new hits. A run screens in full only what can have changed:
//
//   - a party whose data changed since it was last screened (or that never was) against every loaded list;
//   - every other party against only the entries that are new or changed since the last run: a small
//     match.Index is built over just those entries and every party name is searched in it. Each candidate it
//     finds is scored again against the full index, so that scores (which depend on how rare each word is
//     across all lists) are the same as a full screening's.
//
// The first run, with no remembered list state, screens every party in full. Entry state is the
// tradescreen.EntryHash of each entry (names and identifiers), kept in the store between runs.
//
// With an allow list (Monitor.Allow), a name match that an allowance covers (the party's name or id paired
// with that entry) raises no open alert: the alert is created already closed as a false positive by the
// run's actor, the allowance's note as the reason (tradescreen.AlertService.RaiseAlertsAllowed), and a later
// change to the entry or the party reopens it as it reopens any false positive.
package monitor

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
)

// Monitor re-screens the parties of a store.
type Monitor struct {
	Store tradescreen.Store
	// Actor is recorded on the alerts raised (default tradescreen.System).
	Actor tradescreen.Actor
	// Threshold is the alert threshold (default match.DefaultThreshold).
	Threshold float64
	// CandidateThreshold is the lower score at which the small index of changed entries proposes a
	// candidate for full scoring (default 0.6: its word weights differ from the full index's).
	CandidateThreshold float64
	// Workers screening in parallel (default GOMAXPROCS).
	Workers int
	// Full screens every party against every list, ignoring the remembered state.
	Full bool
	// Ownership, when set, is the ownership graph: on every run each party is looked up in it by name and
	// evaluated under OwnershipRules on Date, and an alert is raised per party and listed owner when the
	// party is owned 50 % or more by listed parties under a rule that applies (see ownership.Evaluate).
	Ownership *ownership.Graph
	// Resolution is the ownership graph's owners resolved against the lists screened (ownership.Resolve);
	// nil resolves them at the start of each run.
	Resolution ownership.Resolution
	// OwnershipRules are the ownership rules (nil: ownership.DefaultRules).
	OwnershipRules ownership.Rules
	// Date is the date (YYYY-MM-DD) ownership is evaluated on; empty means today (UTC).
	Date string
	// SkipUnchanged makes a run that has nothing to do (the lists are those of the last run, no party
	// changed, no ownership data) return at once with Mode "unchanged", writing nothing: what a server
	// wants after a reload that another instance has already monitored.
	SkipUnchanged bool
	// Progress, when set, is called from the run's goroutine as the run goes: every ProgressEvery parties
	// screened (phase "screen") and every ProgressEvery parties whose alerts were stored (phase "store"),
	// and at the end of each phase.
	Progress func(p Progress)
	// ProgressEvery is the interval of Progress calls, in parties (default 500).
	ProgressEvery int
	// Allow, when set, is the allow list of reviewed look-alikes: a name match of a party (by its name or
	// its id) with the entry an allowance pairs it with creates its alert already closed as a false
	// positive, with the allowance's note as the reason, instead of an open one. Ownership hits are not
	// covered: an allowance says the party is not the entry, not that the entry does not own it.
	Allow *ownlist.AllowList
}

// Progress is how far a run is: Done of Total parties in Phase ("screen": screened in memory, "store":
// the alerts of the parties with hits stored, each party in one transaction).
type Progress struct {
	Phase string `json:"phase"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// LockName is the store lock (tradescreen.LockService) a monitoring run holds in RunLocked, so that the
// instances and cron jobs sharing a database monitor one at a time.
const LockName = "monitor"

// RunLocked takes the store's "monitor" lock and runs. When another run holds the lock it waits for it
// when wait is set (until ctx ends), and otherwise returns ECONFLICT at once. The run stops (with an error)
// if the lock is lost meanwhile, since another run may then start. Errors: ECONFLICT, Run's.
func (m *Monitor) RunLocked(ctx context.Context, s *screen.Screener, wait bool) (*Report, error) {
	var l tradescreen.Lock
	var err error
	if wait {
		l, err = tradescreen.WaitLock(ctx, m.Store.Locks(), LockName, time.Second)
	} else {
		l, err = m.Store.Locks().TryLock(ctx, LockName)
	}
	if tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
		return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "another monitoring run is in progress on this database (it holds the %q lock)", LockName)
	}
	if err != nil {
		return nil, fmt.Errorf("monitor: lock: %w", err)
	}
	defer l.Unlock()
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		select {
		case <-l.Lost():
			cancel(fmt.Errorf("monitor: the %q lock was lost (database connection closed): run stopped", LockName))
		case <-rctx.Done():
		}
	}()
	rep, err := m.Run(rctx, s)
	if err != nil && context.Cause(rctx) != nil && ctx.Err() == nil {
		return nil, context.Cause(rctx)
	}
	return rep, err
}

// progress reports p when m.Progress is set.
func (m *Monitor) progress(phase string, done, total int) {
	if m.Progress != nil {
		m.Progress(Progress{Phase: phase, Done: done, Total: total})
	}
}

// Report says what a run did.
type Report struct {
	// Mode is "full" (no remembered list state, or Full set), "incremental", or "unchanged" (SkipUnchanged
	// set and nothing to do: nothing was screened or written).
	Mode    string `json:"mode"`
	Parties int    `json:"parties"`
	// Rescreened counts parties screened in full against every list (new or changed parties, or all in a
	// full run); the others were searched against the changed entries only.
	Rescreened int `json:"rescreened"`
	// NewEntries, ChangedEntries and RemovedEntries compare the loaded lists with the last run's.
	NewEntries     int `json:"new_entries"`
	ChangedEntries int `json:"changed_entries"`
	RemovedEntries int `json:"removed_entries"`
	// Candidates counts party/entry pairs the small index proposed; Hits the hits stored.
	Candidates int `json:"candidates"`
	Hits       int `json:"hits"`
	// OwnershipDate is the date ownership was evaluated on (empty without ownership data); OwnershipHits
	// counts the party/listed owner pairs found owned under a rule that applies (included in Hits).
	OwnershipDate string `json:"ownership_date,omitempty"`
	OwnershipHits int    `json:"ownership_hits,omitempty"`
	// Created, Reopened and Updated count alerts.
	Created  int `json:"created"`
	Reopened int `json:"reopened"`
	Updated  int `json:"updated"`
	// Allowed counts the alerts created already closed as false positives because the allow list covers
	// the pairing (not included in Created).
	Allowed int `json:"allowed"`
	// Changes are the alerts created (open, or closed by the allow list: action "allowed") or reopened.
	Changes  []tradescreen.AlertChange `json:"changes,omitempty"`
	Duration time.Duration             `json:"duration_ns"`
	Lists    string                    `json:"lists"`
}

// Run screens the store's parties against s (the currently loaded lists) and records alerts, the parties'
// screened state, the list state and an audit record of the run. The steps: diff the lists against the last
// run's (entries), screen the parties (screen), mark the allowed matches and add the ownership hits (allow,
// addOwnershipHits), store the alerts (storeAlerts), then the audit records and the list state (finish).
func (m *Monitor) Run(ctx context.Context, s *screen.Screener) (*Report, error) {
	r, err := m.newRun(s)
	if err != nil {
		return nil, err
	}
	if err := r.entries(ctx); err != nil {
		return nil, err
	}
	if r.parties, _, err = m.Store.Parties().FindParties(ctx, tradescreen.PartyFilter{}); err != nil {
		return nil, fmt.Errorf("monitor: read parties: %w", err)
	}
	r.rep.Parties = len(r.parties)
	if r.unchanged() {
		r.rep.Mode = "unchanged"
		r.rep.Duration = time.Since(r.start)
		return r.rep, nil
	}
	if err := r.screen(ctx); err != nil {
		return nil, err
	}
	r.allow()
	if err := r.addOwnershipHits(ctx); err != nil {
		return nil, err
	}
	if err := r.storeAlerts(ctx); err != nil {
		return nil, err
	}
	if err := r.finish(ctx); err != nil {
		return nil, err
	}
	return r.rep, nil
}

// run is one Run in progress.
type run struct {
	m         *Monitor
	s         *screen.Screener
	start     time.Time
	actor     tradescreen.Actor
	threshold float64
	every     int
	rep       *Report
	own       *ownershipCheck

	// The list state: each entry's hash now and at the last run, the entries new or changed since then
	// (changedKeys, sorted in changedList) and the removed ones.
	hashes, prev map[string]string
	full         bool
	changed      []tradescreen.Entry
	changedKeys  map[string]bool
	changedList  []string
	removed      []string

	// Per party, by index: its hits, whether it was screened in full, the allow-list notes of its hits by
	// entry key and the ownership findings that raised hits.
	parties     []*tradescreen.Party
	hits        [][]tradescreen.Hit
	rescreened  []bool
	allowed     []map[string]string
	ownFindings [][]ownershipFinding
	events      []*tradescreen.AuditEvent
}

func (m *Monitor) newRun(s *screen.Screener) (*run, error) {
	r := &run{m: m, s: s, start: time.Now(), actor: m.Actor, threshold: m.Threshold, every: m.ProgressEvery,
		rep: &Report{Mode: "incremental", Lists: screen.AsOf(s.Lists())}}
	if r.actor.Name == "" {
		r.actor = tradescreen.System
	}
	if r.threshold == 0 {
		r.threshold = match.DefaultThreshold
	}
	if r.every <= 0 {
		r.every = 500
	}
	own, err := m.ownershipCheck(s)
	if err != nil {
		return nil, err
	}
	if r.own = own; own != nil {
		r.rep.OwnershipDate = own.date
	}
	return r, nil
}

// entries finds the entries new, changed and removed since the last run.
func (r *run) entries(ctx context.Context) error {
	entries := r.s.Entries()
	r.hashes = make(map[string]string, len(entries))
	for i := range entries {
		r.hashes[entries[i].Key()] = tradescreen.EntryHash(&entries[i])
	}
	var err error
	if r.prev, err = r.m.Store.Monitor().EntryHashes(ctx); err != nil {
		return fmt.Errorf("monitor: read list state: %w", err)
	}
	r.full = r.m.Full || len(r.prev) == 0
	if r.full {
		r.rep.Mode = "full"
	}
	r.changedKeys = map[string]bool{}
	for i := range entries {
		k := entries[i].Key()
		old, ok := r.prev[k]
		switch {
		case !ok:
			r.rep.NewEntries++
		case old != r.hashes[k]:
			r.rep.ChangedEntries++
		default:
			continue
		}
		r.changed = append(r.changed, entries[i])
		r.changedKeys[k] = true
		r.changedList = append(r.changedList, k)
	}
	for k := range r.prev {
		if _, ok := r.hashes[k]; !ok {
			r.removed = append(r.removed, k)
		}
	}
	r.rep.RemovedEntries = len(r.removed)
	return nil
}

// unchanged reports whether a run with SkipUnchanged has nothing to do.
func (r *run) unchanged() bool {
	if !r.m.SkipUnchanged || r.full || r.own != nil || len(r.changed) > 0 || len(r.removed) > 0 {
		return false
	}
	for _, p := range r.parties {
		if p.ScreenedHash != p.Hash {
			return false
		}
	}
	return true
}

// screen screens the parties in parallel: a new or changed party (every party in a full run) against every
// list, the others against only the new and changed entries (a small index over them proposes candidates,
// scored again against the full index).
func (r *run) screen(ctx context.Context) error {
	workers := r.m.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cand := r.m.CandidateThreshold
	if cand == 0 {
		cand = 0.6
	}
	var small *match.Index
	if !r.full && len(r.changed) > 0 {
		small = match.Build(r.changed)
	}
	n := len(r.parties)
	r.hits, r.rescreened = make([][]tradescreen.Hit, n), make([]bool, n)
	var candidates atomic.Int64
	next := make(chan int, workers*4)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				candidates.Add(int64(r.screenParty(i, small, cand)))
			}
		}()
	}
feed:
	for i := range r.parties {
		if i > 0 && i%r.every == 0 {
			r.m.progress("screen", i, n)
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	r.m.progress("screen", n, n)
	r.rep.Candidates = int(candidates.Load())
	return nil
}

// screenParty screens party i and returns how many candidates the small index proposed for it.
func (r *run) screenParty(i int, small *match.Index, cand float64) int {
	p := r.parties[i]
	if r.full || p.ScreenedHash != p.Hash {
		r.rescreened[i] = true
		r.hits[i] = screenFull(r.s, p, r.threshold, nil)
		return 0
	}
	if small == nil {
		return 0
	}
	q := p.Query()
	if screen.Validate(&q) != nil {
		q = tradescreen.Query{Name: p.Name}
	}
	q.Threshold, q.Limit = cand, 20
	ms := small.Search(q)
	if len(ms) == 0 {
		return 0
	}
	r.hits[i] = screenFull(r.s, p, r.threshold, r.changedKeys)
	return len(ms)
}

// allow notes, per party, the name matches the allow list covers: entry key -> the allowance's note.
func (r *run) allow() {
	r.allowed = make([]map[string]string, len(r.parties))
	if r.m.Allow.Len() == 0 {
		return
	}
	for i, p := range r.parties {
		for _, h := range r.hits[i] {
			k := h.Source + "/" + h.SourceID
			if al := r.m.Allow.Lookup(p.Name, p.ID, k); al != nil {
				if r.allowed[i] == nil {
					r.allowed[i] = map[string]string{}
				}
				r.allowed[i][k] = al.Note()
			}
		}
	}
}

// addOwnershipHits adds the ownership hits of every party, since a change in the ownership data or in the
// lists can affect any of them.
func (r *run) addOwnershipHits(ctx context.Context) error {
	r.ownFindings = make([][]ownershipFinding, len(r.parties))
	if r.own == nil {
		return nil
	}
	for i, p := range r.parties {
		var n int
		var err error
		if r.hits[i], n, r.ownFindings[i], err = r.m.addOwnership(ctx, r.own, p, r.threshold, r.hits[i], r.allowed[i]); err != nil {
			return err
		}
		r.rep.OwnershipHits += n
	}
	return nil
}

// storeAlerts stores the alerts and gathers the parties' audit records. Each party's alerts are stored in a
// transaction of their own, and RaiseAlerts is idempotent: a run cut short (killed, the lock lost) leaves the
// alerts stored so far, and the next run, finding the same entries changed (their hashes are saved last),
// raises the rest without duplicating any.
func (r *run) storeAlerts(ctx context.Context) error {
	withHits := 0
	for i := range r.parties {
		if len(r.hits[i]) > 0 {
			withHits++
		}
	}
	stored := 0
	screened := map[string]string{}
	for i, p := range r.parties {
		if r.rescreened[i] {
			r.rep.Rescreened++
			screened[p.ID] = p.Hash
		}
		r.events = append(r.events, r.partyEvents(i)...)
		if len(r.hits[i]) == 0 {
			continue
		}
		r.rep.Hits += len(r.hits[i])
		if err := ctx.Err(); err != nil {
			return err
		}
		chs, err := r.m.Store.Alerts().RaiseAlertsAllowed(ctx, r.actor, p, r.hits[i], r.allowed[i])
		if err != nil {
			return fmt.Errorf("monitor: alerts of party %s: %w", p.ID, err)
		}
		if stored++; stored%r.every == 0 {
			r.m.progress("store", stored, withHits)
		}
		r.rep.count(chs)
	}
	r.m.progress("store", stored, withHits)
	if len(screened) > 0 {
		if err := r.m.Store.Parties().MarkScreened(ctx, screened); err != nil {
			return fmt.Errorf("monitor: mark screened: %w", err)
		}
	}
	return nil
}

// count adds the alert changes of one party to the report.
func (rep *Report) count(chs []tradescreen.AlertChange) {
	for _, c := range chs {
		switch c.Action {
		case "created":
			rep.Created++
			rep.Changes = append(rep.Changes, c)
		case "reopened":
			rep.Reopened++
			rep.Changes = append(rep.Changes, c)
		case "allowed":
			rep.Allowed++
			rep.Changes = append(rep.Changes, c)
		case "updated":
			rep.Updated++
		}
	}
}

// partyEvents are the audit records of party i: its screening when it was screened in full, its ownership
// findings when they raised hits.
func (r *run) partyEvents(i int) []*tradescreen.AuditEvent {
	p := r.parties[i]
	var evs []*tradescreen.AuditEvent
	if r.rescreened[i] {
		keys := make([]string, len(r.hits[i]))
		var allowedKeys []string
		for j, h := range r.hits[i] {
			keys[j] = h.Source + "/" + h.SourceID
			if _, ok := r.allowed[i][keys[j]]; ok {
				allowedKeys = append(allowedKeys, keys[j])
			}
		}
		details := map[string]any{"name": p.Name, "party_hash": p.Hash, "matches": keys, "threshold": r.threshold, "lists": r.rep.Lists}
		if len(allowedKeys) > 0 {
			details["allowed"] = allowedKeys
		}
		evs = append(evs, &tradescreen.AuditEvent{Actor: r.actor.Name, Action: tradescreen.AuditScreen, Object: "party/" + p.ID,
			Details: tradescreen.AuditDetails(details)})
	}
	if len(r.ownFindings[i]) > 0 {
		evs = append(evs, &tradescreen.AuditEvent{Actor: r.actor.Name, Action: tradescreen.AuditScreen, Object: "party/" + p.ID,
			Details: tradescreen.AuditDetails(map[string]any{"name": p.Name, "party_hash": p.Hash, "ownership_date": r.own.date,
				"ownership": r.ownFindings[i], "lists": r.rep.Lists})})
	}
	return evs
}

// finish appends the run's audit records (the list load when the lists changed, the run itself) and saves
// the list state, last.
func (r *run) finish(ctx context.Context) error {
	listsChanged := r.full || len(r.changed) > 0 || r.rep.RemovedEntries > 0
	if listsChanged {
		r.events = append(r.events, r.listLoadEvent())
	}
	rep := r.rep
	rep.Duration = time.Since(r.start)
	details := map[string]any{"mode": rep.Mode, "parties": rep.Parties, "rescreened": rep.Rescreened,
		"new_entries": rep.NewEntries, "changed_entries": rep.ChangedEntries, "removed_entries": rep.RemovedEntries,
		"candidates": rep.Candidates, "hits": rep.Hits, "ownership_date": rep.OwnershipDate, "ownership_hits": rep.OwnershipHits,
		"created": rep.Created, "reopened": rep.Reopened, "lists": rep.Lists}
	if rep.Allowed > 0 {
		details["allowed"] = rep.Allowed
	}
	r.events = append(r.events, &tradescreen.AuditEvent{Actor: r.actor.Name, Action: tradescreen.AuditMonitorRun, Object: "parties",
		Details: tradescreen.AuditDetails(details)})
	if err := r.m.Store.Audit().AppendAudit(ctx, r.events...); err != nil {
		return fmt.Errorf("monitor: audit: %w", err)
	}
	if !listsChanged {
		return nil
	}
	save := r.hashes
	if !r.full || len(r.prev) > 0 {
		save = make(map[string]string, len(r.changedKeys))
		for k := range r.changedKeys {
			save[k] = r.hashes[k]
		}
	}
	if err := r.m.Store.Monitor().SaveEntryHashes(ctx, save, r.removed); err != nil {
		return fmt.Errorf("monitor: save list state: %w", err)
	}
	return nil
}

// listLoadEvent is the audit record of the lists a run found changed.
func (r *run) listLoadEvent() *tradescreen.AuditEvent {
	var lists []map[string]any
	for _, l := range r.s.Lists() {
		lists = append(lists, map[string]any{"source": l.Source, "published": l.Published, "entries": l.Entries, "origin": l.Origin, "sha256": l.SHA256})
	}
	sort.Strings(r.changedList)
	if len(r.changedList) > 1000 {
		r.changedList = r.changedList[:1000]
	}
	return &tradescreen.AuditEvent{Actor: r.actor.Name, Action: tradescreen.AuditListLoad, Object: "lists",
		Details: tradescreen.AuditDetails(map[string]any{"lists": lists, "new": r.rep.NewEntries, "changed": r.rep.ChangedEntries,
			"removed": r.rep.RemovedEntries, "entries": r.changedList})}
}

// screenFull screens a party against every loaded list and returns its hits, only those on the entries in
// only when it is not nil. A type or country that does not validate is left out rather than failing the run.
func screenFull(s *screen.Screener, p *tradescreen.Party, threshold float64, only map[string]bool) []tradescreen.Hit {
	q := p.Query()
	q.Threshold = threshold
	if only != nil {
		q.Limit = 100
	}
	res, err := s.Screen(q)
	if err != nil {
		res, err = s.Screen(tradescreen.Query{Name: p.Name, Threshold: q.Threshold, Limit: q.Limit})
		if err != nil {
			return nil
		}
	}
	var out []tradescreen.Hit
	for _, mt := range res.Matches {
		if only != nil && !only[mt.Source+"/"+mt.SourceID] {
			continue
		}
		out = append(out, tradescreen.HitOf(mt))
	}
	return out
}
