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
// screened state, the list state and an audit record of the run.
func (m *Monitor) Run(ctx context.Context, s *screen.Screener) (*Report, error) {
	start := time.Now()
	actor := m.Actor
	if actor.Name == "" {
		actor = tradescreen.System
	}
	threshold := m.Threshold
	if threshold == 0 {
		threshold = match.DefaultThreshold
	}
	cand := m.CandidateThreshold
	if cand == 0 {
		cand = 0.6
	}
	workers := m.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rep := &Report{Mode: "incremental", Lists: screen.AsOf(s.Lists())}
	own, err := m.ownershipCheck(s)
	if err != nil {
		return nil, err
	}
	if own != nil {
		rep.OwnershipDate = own.date
	}

	// Which entries are new or changed since the last run.
	entries := s.Entries()
	hashes := make(map[string]string, len(entries))
	for i := range entries {
		hashes[entries[i].Key()] = tradescreen.EntryHash(&entries[i])
	}
	prev, err := m.Store.Monitor().EntryHashes(ctx)
	if err != nil {
		return nil, fmt.Errorf("monitor: read list state: %w", err)
	}
	full := m.Full || len(prev) == 0
	if full {
		rep.Mode = "full"
	}
	var changed []tradescreen.Entry
	changedKeys := map[string]bool{}
	var changedList []string
	for i := range entries {
		k := entries[i].Key()
		old, ok := prev[k]
		switch {
		case !ok:
			rep.NewEntries++
		case old != hashes[k]:
			rep.ChangedEntries++
		default:
			continue
		}
		changed = append(changed, entries[i])
		changedKeys[k] = true
		changedList = append(changedList, k)
	}
	var removed []string
	for k := range prev {
		if _, ok := hashes[k]; !ok {
			removed = append(removed, k)
		}
	}
	rep.RemovedEntries = len(removed)

	parties, _, err := m.Store.Parties().FindParties(ctx, tradescreen.PartyFilter{})
	if err != nil {
		return nil, fmt.Errorf("monitor: read parties: %w", err)
	}
	rep.Parties = len(parties)
	if m.SkipUnchanged && !full && own == nil && len(changed) == 0 && len(removed) == 0 {
		stale := false
		for _, p := range parties {
			stale = stale || p.ScreenedHash != p.Hash
		}
		if !stale {
			rep.Mode = "unchanged"
			rep.Duration = time.Since(start)
			return rep, nil
		}
	}
	every := m.ProgressEvery
	if every <= 0 {
		every = 500
	}
	var small *match.Index
	if !full && len(changed) > 0 {
		small = match.Build(changed)
	}

	// Screen in parallel; results per party index.
	hits := make([][]tradescreen.Hit, len(parties))
	rescreened := make([]bool, len(parties))
	var candidates int
	var mu sync.Mutex
	next := make(chan int, workers*4)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nc := 0
			for i := range next {
				p := parties[i]
				if full || p.ScreenedHash != p.Hash {
					rescreened[i] = true
					hits[i] = screenFull(s, p, threshold, nil)
					continue
				}
				if small == nil {
					continue
				}
				q := p.Query()
				if screen.Validate(&q) != nil {
					q = tradescreen.Query{Name: p.Name}
				}
				q.Threshold, q.Limit = cand, 20
				ms := small.Search(q)
				if len(ms) == 0 {
					continue
				}
				nc += len(ms)
				hits[i] = screenFull(s, p, threshold, changedKeys)
			}
			mu.Lock()
			candidates += nc
			mu.Unlock()
		}()
	}
feed:
	for i := range parties {
		if i > 0 && i%every == 0 {
			m.progress("screen", i, len(parties))
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
		return nil, err
	}
	m.progress("screen", len(parties), len(parties))
	rep.Candidates = candidates

	// The name matches the allow list covers, per party: entry key -> the allowance's note.
	allowed := make([]map[string]string, len(parties))
	if m.Allow.Len() > 0 {
		for i, p := range parties {
			for _, h := range hits[i] {
				k := h.Source + "/" + h.SourceID
				if al := m.Allow.Lookup(p.Name, p.ID, k); al != nil {
					if allowed[i] == nil {
						allowed[i] = map[string]string{}
					}
					allowed[i][k] = al.Note()
				}
			}
		}
	}

	// Ownership: every party, since a change in the ownership data or in the lists can affect any of them.
	ownFindings := make([][]ownershipFinding, len(parties))
	if own != nil {
		for i, p := range parties {
			var n int
			if hits[i], n, ownFindings[i], err = m.addOwnership(ctx, own, p, threshold, hits[i], allowed[i]); err != nil {
				return nil, err
			}
			rep.OwnershipHits += n
		}
	}

	// Store the alerts, the screened state and the audit records. Each party's alerts are stored in a
	// transaction of their own, and RaiseAlerts is idempotent: a run cut short (killed, the lock lost)
	// leaves the alerts stored so far, and the next run, finding the same entries changed (their hashes are
	// saved last), raises the rest without duplicating any.
	withHits := 0
	for i := range parties {
		if len(hits[i]) > 0 {
			withHits++
		}
	}
	stored := 0
	screened := map[string]string{}
	var events []*tradescreen.AuditEvent
	for i, p := range parties {
		if rescreened[i] {
			rep.Rescreened++
			screened[p.ID] = p.Hash
			keys := make([]string, len(hits[i]))
			var allowedKeys []string
			for j, h := range hits[i] {
				keys[j] = h.Source + "/" + h.SourceID
				if _, ok := allowed[i][keys[j]]; ok {
					allowedKeys = append(allowedKeys, keys[j])
				}
			}
			details := map[string]any{"name": p.Name, "party_hash": p.Hash, "matches": keys, "threshold": threshold, "lists": rep.Lists}
			if len(allowedKeys) > 0 {
				details["allowed"] = allowedKeys
			}
			events = append(events, &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditScreen, Object: "party/" + p.ID,
				Details: tradescreen.AuditDetails(details)})
		}
		if len(ownFindings[i]) > 0 {
			events = append(events, &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditScreen, Object: "party/" + p.ID,
				Details: tradescreen.AuditDetails(map[string]any{"name": p.Name, "party_hash": p.Hash, "ownership_date": own.date, "ownership": ownFindings[i], "lists": rep.Lists})})
		}
		if len(hits[i]) == 0 {
			continue
		}
		rep.Hits += len(hits[i])
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chs, err := m.Store.Alerts().RaiseAlertsAllowed(ctx, actor, p, hits[i], allowed[i])
		if err != nil {
			return nil, fmt.Errorf("monitor: alerts of party %s: %w", p.ID, err)
		}
		if stored++; stored%every == 0 {
			m.progress("store", stored, withHits)
		}
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
	m.progress("store", stored, withHits)
	if len(screened) > 0 {
		if err := m.Store.Parties().MarkScreened(ctx, screened); err != nil {
			return nil, fmt.Errorf("monitor: mark screened: %w", err)
		}
	}
	if full || len(changed) > 0 || rep.RemovedEntries > 0 {
		var lists []map[string]any
		for _, l := range s.Lists() {
			lists = append(lists, map[string]any{"source": l.Source, "published": l.Published, "entries": l.Entries, "origin": l.Origin, "sha256": l.SHA256})
		}
		sort.Strings(changedList)
		if len(changedList) > 1000 {
			changedList = changedList[:1000]
		}
		events = append(events, &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditListLoad, Object: "lists",
			Details: tradescreen.AuditDetails(map[string]any{"lists": lists, "new": rep.NewEntries, "changed": rep.ChangedEntries, "removed": rep.RemovedEntries, "entries": changedList})})
	}
	rep.Duration = time.Since(start)
	run := map[string]any{"mode": rep.Mode, "parties": rep.Parties, "rescreened": rep.Rescreened,
		"new_entries": rep.NewEntries, "changed_entries": rep.ChangedEntries, "removed_entries": rep.RemovedEntries,
		"candidates": rep.Candidates, "hits": rep.Hits, "ownership_date": rep.OwnershipDate, "ownership_hits": rep.OwnershipHits, "created": rep.Created, "reopened": rep.Reopened, "lists": rep.Lists}
	if rep.Allowed > 0 {
		run["allowed"] = rep.Allowed
	}
	events = append(events, &tradescreen.AuditEvent{Actor: actor.Name, Action: tradescreen.AuditMonitorRun, Object: "parties",
		Details: tradescreen.AuditDetails(run)})
	if err := m.Store.Audit().AppendAudit(ctx, events...); err != nil {
		return nil, fmt.Errorf("monitor: audit: %w", err)
	}
	if full || len(changed) > 0 || rep.RemovedEntries > 0 {
		save := hashes
		if !full || len(prev) > 0 {
			save = make(map[string]string, len(changedKeys))
			for k := range changedKeys {
				save[k] = hashes[k]
			}
		}
		if err := m.Store.Monitor().SaveEntryHashes(ctx, save, removed); err != nil {
			return nil, fmt.Errorf("monitor: save list state: %w", err)
		}
	}
	return rep, nil
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
