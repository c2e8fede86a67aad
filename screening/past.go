package screening

import (
	"context"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
)

// pastCache keeps the lists of the last few past dates asked for: building them (reading the versions in
// force, indexing) takes about as long as loading the lists, so a run of questions about one date pays once.
// One date is built at a time, bounding the memory and CPU a burst of requests for many dates can take.
type pastCache struct {
	build   sync.Mutex
	mu      sync.Mutex
	size    int
	entries []*pastEntry
}

type pastEntry struct {
	date string
	// cur is the state in service when the entry was built: a reload (a new version stored) may change
	// what was in force on the date, so an entry built under other lists is built again.
	cur    *state
	st     *state
	states []history.ListAsOf
}

func (c *pastCache) get(date string, cur *state) *pastEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.date == date && e.cur == cur {
			// Most recently used last.
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e
		}
	}
	return nil
}

func (c *pastCache) put(e *pastEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = append(c.entries, e)
	if len(c.entries) > c.size {
		c.entries = c.entries[len(c.entries)-c.size:]
	}
}

// pastView returns the lists in force on date. Errors: EINVALID when the service has no history to answer
// past dates from, and those of Config.PastLists.
func (s *Service) pastView(ctx context.Context, cur *state, date string) (*view, error) {
	if s.cfg.PastLists == nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "as_of: this service answers only for the lists loaded now")
	}
	at, _ := time.Parse(time.DateOnly, date)
	at = at.Add(24*time.Hour - time.Second)
	if e := s.past.get(date, cur); e != nil {
		return &view{st: e.st, date: date, states: e.states, at: at}, nil
	}
	s.past.build.Lock()
	defer s.past.build.Unlock()
	if e := s.past.get(date, cur); e != nil {
		return &view{st: e.st, date: date, states: e.states, at: at}, nil
	}
	datasets, states, err := s.cfg.PastLists(ctx, date)
	if err != nil {
		return nil, err
	}
	st := &state{s: screen.New(datasets...), own: cur.own, rules: cur.rules, loaded: s.now()}
	s.past.put(&pastEntry{date: date, cur: cur, st: st, states: states})
	return &view{st: st, date: date, states: states, at: at}, nil
}

// addPointInTime adds to a past answer how each list's state on the date was established, a note on each
// match whose listing on the date was inferred from its dates, and a warning per list not covered.
func (v *view) addPointInTime(scr *tradescreen.Screening) {
	if v.date == "" {
		return
	}
	pit := &tradescreen.PointInTime{Date: v.date, Lists: []tradescreen.ListAsOf{}}
	for _, st := range v.states {
		if len(scr.Query.Sources) > 0 && !contains(scr.Query.Sources, st.Source) {
			continue
		}
		pit.Lists = append(pit.Lists, st)
		if st.Status == history.NotCovered {
			scr.Warnings = append(scr.Warnings, st.Source+" not screened on "+v.date+": "+st.Note)
		}
	}
	scr.PointInTime = pit
	for i := range scr.Matches {
		if e := scr.Matches[i].Match.Entry; e != nil {
			scr.Matches[i].AsOfNote = history.EntryNote(e, v.states)
		}
	}
}

// ownershipEvaluate applies the state's rule calendar to one party of its ownership data on date.
func ownershipEvaluate(st *state, res ownership.Resolution, partyID, date string) []tradescreen.OwnershipFinding {
	return ownership.Evaluate(st.own.g, res, st.rules, partyID, date)
}
