package screening

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/internal/pool"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
)

// MaxOwnershipParties bounds how many parties of the ownership data one screened name is looked up as (the
// best name matches first).
const MaxOwnershipParties = 3

// Screen answers one request and records it in the audit trail as actor, through channel. Errors: those of
// Answer, and the recorder's (an answer that cannot be recorded is not given).
func (s *Service) Screen(ctx context.Context, actor tradescreen.Actor, channel string, req tradescreen.ScreenRequest) (*tradescreen.Screening, error) {
	scr, err := s.Answer(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, AuditEvent(actor, channel, scr)); err != nil {
		return nil, err
	}
	return scr, nil
}

// ScreenMany answers the requests, in order, on every CPU, and records them together. Errors: the first
// request's that fails (wrapped with its index: "request 3: ..."), and the recorder's.
func (s *Service) ScreenMany(ctx context.Context, actor tradescreen.Actor, channel string, reqs []tradescreen.ScreenRequest) ([]*tradescreen.Screening, error) {
	type answer struct {
		scr *tradescreen.Screening
		err error
	}
	as, err := pool.Map(ctx, pool.Options{}, reqs, func(r tradescreen.ScreenRequest) answer {
		scr, err := s.Answer(ctx, r)
		return answer{scr, err}
	})
	if err != nil {
		return nil, err
	}
	out := make([]*tradescreen.Screening, len(as))
	evs := make([]*tradescreen.AuditEvent, len(as))
	for i, a := range as {
		if a.err != nil {
			return nil, fmt.Errorf("request %d: %w", i, a.err)
		}
		out[i], evs[i] = a.scr, AuditEvent(actor, channel, a.scr)
	}
	if err := s.record(ctx, evs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Record appends evs to the audit trail when the service records (Config.Recorder): for the records a door
// keeps beside its answers (a batch job accepted). Errors: the recorder's.
func (s *Service) Record(ctx context.Context, evs ...*tradescreen.AuditEvent) error {
	return s.record(ctx, evs...)
}

// record appends evs to the audit trail when the service records.
func (s *Service) record(ctx context.Context, evs ...*tradescreen.AuditEvent) error {
	if s.cfg.Recorder == nil || len(evs) == 0 {
		return nil
	}
	if err := s.cfg.Recorder.AppendAudit(ctx, evs...); err != nil {
		return fmt.Errorf("record the screening in the audit trail: %w", err)
	}
	return nil
}

// Validate checks a request and normalizes its query (screen.Validate) and date. Errors are EINVALID naming
// the field.
func (s *Service) Validate(req *tradescreen.ScreenRequest) error {
	if err := screen.Validate(&req.Query); err != nil {
		return err
	}
	if req.AsOf != "" {
		d, err := time.Parse(time.DateOnly, req.AsOf)
		if err != nil {
			return tradescreen.Errorf(tradescreen.EINVALID, "as_of: %q is not a date YYYY-MM-DD", req.AsOf)
		}
		if d.After(s.now().UTC()) {
			return tradescreen.Errorf(tradescreen.EINVALID, "as_of: %s is in the future", req.AsOf)
		}
	}
	if req.OwnershipDate != "" {
		if _, err := time.Parse(time.DateOnly, req.OwnershipDate); err != nil {
			return tradescreen.Errorf(tradescreen.EINVALID, "date: %q is not a date YYYY-MM-DD", req.OwnershipDate)
		}
	}
	return nil
}

// Answer answers one request without recording it. Errors: EINVALID for a bad request, EUNAVAILABLE while
// the lists load or when the allow list cannot be read, ESTALE when a screened list is older than
// Config.RefuseOlderThan, and the errors of building the lists of a past date.
func (s *Service) Answer(ctx context.Context, req tradescreen.ScreenRequest) (*tradescreen.Screening, error) {
	if err := s.Validate(&req); err != nil {
		return nil, err
	}
	v, err := s.view(ctx, req.AsOf)
	if err != nil {
		return nil, err
	}
	v.ownershipDate = req.OwnershipDate
	statuses, warnings := v.listStatus(s, req.Sources)
	if err := s.refuseStale(v, statuses); err != nil {
		return nil, err
	}
	al, _, err := s.allowList()
	if err != nil {
		return nil, err
	}
	res, err := v.st.s.Screen(req.Query)
	if err != nil {
		return nil, err
	}
	al.Mark(res.Query.Name, req.PartyID, res.Matches)
	scr := &tradescreen.Screening{
		Query: res.Query, Threshold: res.Threshold, Matches: tradescreen.Views(res.Matches),
		Lists: statuses, AsOf: screen.AsOf(res.Lists), Ownership: []tradescreen.OwnershipFinding{},
	}
	s.addOwnership(v, scr)
	v.addPointInTime(scr)
	scr.Warnings = append(scr.Warnings, warnings...)
	return scr, nil
}

// allowList returns the allow list in force. Errors: EUNAVAILABLE naming why it cannot be read.
func (s *Service) allowList() (*ownlist.AllowList, string, error) {
	if s.cfg.Allow == nil {
		return nil, "", nil
	}
	al, v, err := s.cfg.Allow.AllowList()
	if err != nil {
		return nil, "", tradescreen.Errorf(tradescreen.EUNAVAILABLE,
			"the allow list cannot be read, so no answer is given until it is fixed (import a corrected list with 'tradescreen lists own import --list allow'): %v", err)
	}
	return al, v, nil
}

// AllowList returns the allow list in force (nil: none) and a line naming its version. Errors as Answer's.
func (s *Service) AllowList() (*ownlist.AllowList, string, error) { return s.allowList() }

// view is the lists an answer rests on: those in service, or those in force on a past date.
type view struct {
	st *state
	// date is the date of a past answer ("" for now) and states how each list's state on it was found.
	date   string
	states []history.ListAsOf
	// at is the time the lists' ages are measured at: now, or the end of the past date.
	at time.Time
	// ownershipDate is the date of the ownership rules when the request names one apart.
	ownershipDate string
}

// view returns the lists for a request's date: those in service when it is empty or today.
func (s *Service) view(ctx context.Context, date string) (*view, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if date == "" || date == now.Format(time.DateOnly) {
		return &view{st: st, at: now}, nil
	}
	return s.pastView(ctx, st, date)
}

// listStatus returns the lists screened (those of sources, all when empty) with their ages at v.at, and the
// warning naming the stale ones. For the lists in service and every list, they are computed once an hour and
// shared by the answers of that hour (read only): a list turns stale at most an hour late in the answers.
func (v *view) listStatus(s *Service, sources []string) ([]tradescreen.ListStatus, []string) {
	if v.date != "" || len(sources) > 0 {
		ls := v.statuses(s, sources)
		return ls, StaleWarning(ls)
	}
	hour := v.at.Truncate(time.Hour)
	if c := v.st.status.Load(); c != nil && c.hour.Equal(hour) {
		return c.lists, c.warnings
	}
	ls := v.statuses(s, nil)
	c := &hourStatus{hour: hour, lists: ls, warnings: StaleWarning(ls)}
	v.st.status.Store(c)
	return c.lists, c.warnings
}

// hourStatus is the lists' status of one hour.
type hourStatus struct {
	hour     time.Time
	lists    []tradescreen.ListStatus
	warnings []string
}

// statuses returns the lists screened (those of sources, all when empty) with their ages at v.at.
func (v *view) statuses(s *Service, sources []string) []tradescreen.ListStatus {
	out := []tradescreen.ListStatus{}
	for _, l := range v.st.s.Lists() {
		if len(sources) > 0 && !contains(sources, l.Source) {
			continue
		}
		out = append(out, tradescreen.AgeOf(l, v.at, s.maxAge(l.Source)))
	}
	return out
}

// maxAge returns a list's maximum age.
func (s *Service) maxAge(code string) time.Duration {
	if d, ok := s.cfg.MaxAge[code]; ok && d > 0 {
		return d
	}
	if s.cfg.DefaultMaxAge > 0 {
		return s.cfg.DefaultMaxAge
	}
	return tradescreen.DefaultMaxListAge
}

// Lists returns the lists in service with their ages now (empty while none are loaded).
func (s *Service) Lists() []tradescreen.ListStatus {
	st := s.cur.Load()
	if st == nil {
		return []tradescreen.ListStatus{}
	}
	return (&view{st: st, at: s.now().UTC()}).statuses(s, nil)
}

// Fresh reports whether answers on the lists of sources (all when empty) would be given: ESTALE naming the
// lists older than Config.RefuseOlderThan, EUNAVAILABLE while none are loaded, nil otherwise. A server
// reports it on /readyz.
func (s *Service) Fresh(sources []string) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	v := &view{st: st, at: s.now().UTC()}
	return s.refuseStale(v, v.statuses(s, sources))
}

// refuseStale returns ESTALE when a list of an answer for now is older than Config.RefuseOlderThan (or of
// unknown date). Answers for a past date rest on the lists of that date by design and are not refused.
func (s *Service) refuseStale(v *view, ls []tradescreen.ListStatus) error {
	max := s.cfg.RefuseOlderThan
	if max <= 0 || v.date != "" {
		return nil
	}
	var old []string
	for _, l := range ls {
		switch p, err := time.Parse(time.DateOnly, l.Published); {
		case err != nil:
			old = append(old, l.Source+" (publication date unknown)")
		case v.at.Sub(p) > max:
			old = append(old, fmt.Sprintf("%s (published %s, %d days ago)", l.Source, l.Published, l.AgeDays))
		}
	}
	if len(old) == 0 {
		return nil
	}
	return tradescreen.Errorf(tradescreen.ESTALE,
		"refusing to answer on lists older than the maximum age of %s: %s; download current lists with 'tradescreen lists update' or give current files with --list KIND=PATH",
		FormatAge(max), strings.Join(old, ", "))
}

// StaleWarning returns the warning naming the stale lists among ls (nil when none is stale): one line, as
// the CLI prints it after "warning: ".
func StaleWarning(ls []tradescreen.ListStatus) []string {
	var old []string
	for _, l := range ls {
		if !l.Stale {
			continue
		}
		if l.AgeDays < 0 {
			old = append(old, l.Source+" (publication date unknown)")
			continue
		}
		old = append(old, fmt.Sprintf("%s (%s, %d days old)", l.Source, l.Published, l.AgeDays))
	}
	if len(old) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("lists older than their maximum age (%d days unless configured): %s: a \"no match\" may be out of date; download current lists with 'tradescreen lists update'",
		ls[0].MaxAgeDays, strings.Join(old, ", "))}
}

// FormatAge renders a duration as days when it is whole days ("30d"), else as Go does.
func FormatAge(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// addOwnership adds the 50 % rule findings for the screened name, on the request's date (today when now).
func (s *Service) addOwnership(v *view, scr *tradescreen.Screening) {
	st := v.st
	if st.own == nil {
		scr.NotChecked = append(scr.NotChecked, "ownership (50 % rules): no ownership data loaded")
		return
	}
	date := v.date
	if date == "" {
		date = v.at.Format(time.DateOnly)
	}
	if v.ownershipDate != "" {
		date = v.ownershipDate
	}
	scr.OwnershipDate = date
	scr.Ownership = st.findings(scr.Query.Name, scr.Query.Kind, scr.Threshold, date)
	// Owners are recognized on these lists: without one loaded, an owner on it is not found.
	loaded := map[string]bool{}
	for _, l := range st.s.Lists() {
		loaded[l.Source] = true
	}
	for _, code := range []string{"us_el", "us_sdn", "us_meu"} {
		if !loaded[code] {
			scr.Warnings = append(scr.Warnings, "ownership: "+code+" is not loaded: owners on it cannot be recognized")
		}
	}
}

// findings returns the findings for a name on date: the name is looked up among the ownership parties at or
// above threshold (at most MaxOwnershipParties, best first) and each is evaluated under the rules of date.
func (st *state) findings(name string, kind tradescreen.Kind, threshold float64, date string) []tradescreen.OwnershipFinding {
	out := []tradescreen.OwnershipFinding{}
	if threshold <= 0 {
		threshold = match.DefaultThreshold
	}
	res := st.resolution()
	ms := st.own.g.Find(name, kind, threshold)
	if len(ms) > MaxOwnershipParties {
		ms = ms[:MaxOwnershipParties]
	}
	for _, pm := range ms {
		fs := ownershipEvaluate(st, res, pm.Party.ID, date)
		if len(fs) == 0 {
			// Found, and nothing follows: said, so that "not in the ownership data" is not read into it.
			fs = []tradescreen.OwnershipFinding{{PartyID: pm.Party.ID, Party: pm.Party.Name, Date: date, Result: NoListedOwner,
				Summary: "no listed owner under any rule in force on " + date, Paths: []string{}, Owners: []tradescreen.OwnershipOwner{}, Confidence: 1}}
		}
		for _, f := range fs {
			f.PartyScore = pm.Score
			out = append(out, f)
		}
	}
	return out
}

// NoListedOwner is the Result of the finding that says a party of the ownership data has no listed owner
// under any rule in force on the date (its Rule is empty).
const NoListedOwner = "no_listed_owner"

// PartyRequest returns the request screening a party of the register: its name, type, country and birth
// date, and its id for the allow list. A type, country or birth date that does not validate is left out
// rather than keeping the name from being screened; warnings say so.
func PartyRequest(p *tradescreen.Party) (tradescreen.ScreenRequest, []string) {
	req := tradescreen.ScreenRequest{Query: p.Query(), PartyID: p.ID}
	q := req.Query
	if screen.Validate(&q) == nil {
		return req, nil
	}
	var warn []string
	req.Query = tradescreen.Query{Name: p.Name}
	for _, f := range []struct {
		name, value string
		set         func(*tradescreen.Query, string)
	}{
		{"type", string(p.Kind), func(q *tradescreen.Query, v string) { q.Kind = tradescreen.Kind(v) }},
		{"country", p.Country, func(q *tradescreen.Query, v string) { q.Country = v }},
		{"date of birth", p.BirthDate, func(q *tradescreen.Query, v string) { q.BirthDate = v }},
	} {
		if f.value == "" {
			continue
		}
		try := req.Query
		f.set(&try, f.value)
		if screen.Validate(&try) == nil {
			f.set(&req.Query, f.value)
			continue
		}
		warn = append(warn, fmt.Sprintf("%s %q not read: screened without it", f.name, f.value))
	}
	return req, warn
}

// ScreenParty answers the screening of a party of the register (PartyRequest) with the given threshold and
// limit (0: the defaults), without recording it: monitoring and the parties routes record it with the
// alerts it raises.
func (s *Service) ScreenParty(ctx context.Context, p *tradescreen.Party, threshold float64, limit int) (*tradescreen.Screening, error) {
	req, warn := PartyRequest(p)
	req.Threshold, req.Limit = threshold, limit
	scr, err := s.Answer(ctx, req)
	if err != nil {
		return nil, err
	}
	scr.Warnings = append(warn, scr.Warnings...)
	return scr, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Explaining an alert screens its party again against the alert's list, down to this score and this many
// matches, so that the alert's entry is found among them while it still matches at all.
const (
	ExplainThreshold = 0.3
	ExplainLimit     = 100
)

// ExplainAlert screens an alert's party again (PartyRequest) against the alert's list, without recording,
// and returns the match on the alert's entry: why the party matches it now, with the entry's facts. It is
// nil, with nil error, when the party no longer matches the entry above ExplainThreshold. Errors: Answer's.
func (s *Service) ExplainAlert(ctx context.Context, p *tradescreen.Party, al *tradescreen.Alert) (*tradescreen.MatchView, error) {
	req, _ := PartyRequest(p)
	req.Sources, req.Threshold, req.Limit = []string{al.Source}, ExplainThreshold, ExplainLimit
	scr, err := s.Answer(ctx, req)
	if err != nil {
		return nil, err
	}
	for i, m := range scr.Matches {
		if m.Source == al.Source && m.SourceID == al.SourceID {
			return &scr.Matches[i], nil
		}
	}
	return nil, nil
}
