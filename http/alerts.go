package http

import (
	"context"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
)

// AlertsResult is the answer to GET /v1/alerts: one page of alerts, newest first, the total selected and
// the number of alerts in each status under the same filter but the status.
type AlertsResult struct {
	Total  int                  `json:"total"`
	Offset int                  `json:"offset"`
	Limit  int                  `json:"limit"`
	Alerts []*tradescreen.Alert `json:"alerts"`
	Counts map[string]int       `json:"counts"`
}

// alertParams are the parameters of GET /v1/alerts and the alert queue page.
var alertParams = []string{"status", "source", "older_than", "party", "offset", "limit"}

// parseAge reads an age such as 7d, 36h or 90m. Errors: EINVALID naming the parameter.
func parseAge(name, s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err == nil && n >= 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	return 0, errorf(tradescreen.EINVALID, "%s: %q is not an age such as 7d, 36h or 90m", name, s)
}

// alertFilter reads the alert filter parameters: status (repeatable or comma-separated), source (a list
// code), older_than (an age: raised before now minus it), party (a party id), offset and limit. Errors:
// EINVALID naming the parameter.
func (s *Server) alertFilter(v url.Values) (tradescreen.AlertFilter, error) {
	var f tradescreen.AlertFilter
	if err := checkParams(v, alertParams, "status"); err != nil {
		return f, err
	}
	for _, sv := range v["status"] {
		for _, x := range strings.Split(sv, ",") {
			if x = strings.TrimSpace(x); x == "" {
				continue
			}
			st, err := tradescreen.ParseAlertStatus(x)
			if err != nil {
				return f, err
			}
			f.Status = append(f.Status, st)
		}
	}
	if src := strings.TrimSpace(v.Get("source")); src != "" {
		if _, ok := tradescreen.LookupSource(src); !ok {
			return f, errorf(tradescreen.EINVALID, "source: unknown list code %q", src)
		}
		f.Source = src
	}
	if a := v.Get("older_than"); a != "" {
		d, err := parseAge("older_than", a)
		if err != nil {
			return f, err
		}
		f.CreatedBefore = s.now().Add(-d)
	}
	f.PartyID = strings.TrimSpace(v.Get("party"))
	var err error
	f.Offset, f.Limit, err = paging(v)
	return f, err
}

// findAlerts returns one page of alerts and the counts per status.
func findAlerts(ctx context.Context, st tradescreen.Store, f tradescreen.AlertFilter) (*AlertsResult, error) {
	as, n, err := st.Alerts().FindAlerts(ctx, f)
	if err != nil {
		return nil, err
	}
	if as == nil {
		as = []*tradescreen.Alert{}
	}
	res := &AlertsResult{Total: n, Offset: f.Offset, Limit: f.Limit, Alerts: as, Counts: map[string]int{}}
	for _, status := range tradescreen.AlertStatuses {
		cf := f
		cf.Status, cf.Offset, cf.Limit = []tradescreen.AlertStatus{status}, 0, 1
		_, c, err := st.Alerts().FindAlerts(ctx, cf)
		if err != nil {
			return nil, err
		}
		res.Counts[string(status)] = c
	}
	return res, nil
}

func (s *Server) handleAlerts(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	f, err := s.alertFilter(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := findAlerts(r.Context(), st, f)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

// AlertDetail is the answer to GET /v1/alerts/{id}: the alert with its transitions, the party, the listed
// entry as now loaded (absent when the entry is no longer on the loaded lists, or they are loading), why
// they match, and the transitions the caller may make.
type AlertDetail struct {
	Alert *tradescreen.Alert `json:"alert"`
	Party *tradescreen.Party `json:"party"`
	Entry *tradescreen.Entry `json:"entry,omitempty"`
	// Match is the party screened against the entry now, with its explanation (absent when the entry is not
	// loaded or no longer matches).
	Match *tradescreen.MatchView `json:"match,omitempty"`
	// Allowed are the statuses the caller may move the alert to (each with a reason).
	Allowed []tradescreen.AlertStatus `json:"allowed"`
}

// alertID reads the {id} path value. Errors: ENOTFOUND for an id that is not a number.
func alertID(r *nethttp.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(tradescreen.ENOTFOUND, "no alert %q: alert ids are numbers", r.PathValue("id"))
	}
	return id, nil
}

// allowed returns the statuses a may move the alert to.
func allowed(a tradescreen.Actor, al *tradescreen.Alert) []tradescreen.AlertStatus {
	out := []tradescreen.AlertStatus{}
	for _, to := range tradescreen.AlertStatuses {
		if tradescreen.CheckTransition(a, al, to, "reason") == nil {
			out = append(out, to)
		}
	}
	return out
}

func (s *Server) alertDetail(ctx context.Context, st tradescreen.Store, a tradescreen.Actor, id int64) (*AlertDetail, error) {
	al, err := st.Alerts().FindAlertByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := st.Parties().FindPartyByID(ctx, al.PartyID)
	if err != nil {
		return nil, err
	}
	d := &AlertDetail{Alert: al, Party: p, Allowed: allowed(a, al)}
	if sc, err := s.screener(); err == nil {
		if e, err := sc.Entry(al.Source, al.SourceID); err == nil {
			d.Entry = e
			d.Match = s.explainAlert(ctx, p, al)
		}
	}
	return d, nil
}

// explainAlert screens the party against the alert's list and returns its match on the alert's entry, with
// the explanation; nil when the party no longer matches it at any score worth showing.
func (s *Server) explainAlert(ctx context.Context, p *tradescreen.Party, al *tradescreen.Alert) *tradescreen.MatchView {
	mv, err := s.Service.ExplainAlert(ctx, p, al)
	if err != nil {
		return nil
	}
	return mv
}

func (s *Server) handleAlert(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	id, err := alertID(r)
	if err != nil {
		return err
	}
	d, err := s.alertDetail(r.Context(), st, actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, d)
	return nil
}

// TransitionRequest is the body of POST /v1/alerts/{id}/transitions.
type TransitionRequest struct {
	// To is the new status; Reason why (required).
	To     string `json:"to"`
	Reason string `json:"reason"`
	// From, when given, is the status the caller saw: the move is refused with 409 if the alert has moved
	// on since.
	From string `json:"from,omitempty"`
}

// transition moves an alert. Errors: EINVALID (status, reason), ECONFLICT (from is stale), ENOTFOUND,
// EFORBIDDEN.
func (s *Server) transition(ctx context.Context, st tradescreen.Store, a tradescreen.Actor, id int64, req TransitionRequest) (*tradescreen.Alert, error) {
	if strings.TrimSpace(req.To) == "" {
		return nil, errorf(tradescreen.EINVALID, "to: required: the new status (under_review, escalated, closed_true_match, closed_false_positive, open)")
	}
	to, err := tradescreen.ParseAlertStatus(req.To)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return nil, errorf(tradescreen.EINVALID, "reason: required for every alert transition")
	}
	if err := checkText("reason", req.Reason); err != nil {
		return nil, err
	}
	var from tradescreen.AlertStatus
	if req.From != "" {
		if from, err = tradescreen.ParseAlertStatus(req.From); err != nil {
			return nil, errorf(tradescreen.EINVALID, "from: %s", strings.TrimPrefix(tradescreen.ErrorMessage(err), "status: "))
		}
	}
	// The store checks from under the alert's row lock, so that a move made meanwhile is a conflict, never
	// overwritten.
	return st.Alerts().TransitionAlertFrom(ctx, a, id, from, to, req.Reason)
}

func (s *Server) handleAlertTransition(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	id, err := alertID(r)
	if err != nil {
		return err
	}
	var req TransitionRequest
	if err := decodeJSON(w, r, MaxBodyBytes, &req); err != nil {
		return err
	}
	al, err := s.transition(r.Context(), st, actor(r), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, al)
	return nil
}
