package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// The UI pages of the stored side: the alert queue, an alert, the parties register, a party, the audit trail.

// alertsPage is the data of the alert queue.
type alertsPage struct {
	Status, Source, OlderThan, Party string
	Result                           *AlertsResult
	Statuses                         []tradescreen.AlertStatus
	Sources                          []string
	// Ages are the choices of the age filter.
	Ages       []string
	Prev, Next string
	Error      string
}

// pageURL returns path with v's non-empty values and offset set.
func pageURL(path string, v url.Values, offset int) string {
	q := url.Values{}
	for k, vs := range v {
		for _, x := range vs {
			if x != "" && k != "offset" {
				q.Add(k, x)
			}
		}
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func (s *Server) handleUIAlerts(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	p := alertsPage{Status: v.Get("status"), Source: v.Get("source"), OlderThan: v.Get("older_than"), Party: v.Get("party"),
		Statuses: tradescreen.AlertStatuses, Ages: []string{"1d", "7d", "30d", "90d"}}
	if sc, err := s.screener(); err == nil {
		for _, l := range sc.Lists() {
			p.Sources = append(p.Sources, l.Source)
		}
	}
	f, err := s.alertFilter(v)
	if err != nil {
		p.Error = tradescreen.ErrorMessage(err)
		return s.render(w, r, nethttp.StatusBadRequest, "alerts.html", &pageData{Title: "Alerts", Nav: "alerts", Page: p})
	}
	res, err := findAlerts(r.Context(), st, f)
	if err != nil {
		return err
	}
	p.Result = res
	if f.Offset > 0 {
		p.Prev = pageURL("/alerts", v, max(f.Offset-f.Limit, 0))
	}
	if f.Offset+len(res.Alerts) < res.Total {
		p.Next = pageURL("/alerts", v, f.Offset+f.Limit)
	}
	return s.render(w, r, nethttp.StatusOK, "alerts.html", &pageData{Title: "Alerts", Nav: "alerts", Page: p})
}

// alertPage is the data of an alert's page.
type alertPage struct {
	*AlertDetail
	Source tradescreen.SourceInfo
	Reason string
	Error  string
}

func (s *Server) renderAlert(w nethttp.ResponseWriter, r *nethttp.Request, st tradescreen.Store, id int64, status int, reason, msg string) error {
	d, err := s.alertDetail(r.Context(), st, actor(r), id)
	if err != nil {
		return err
	}
	p := alertPage{AlertDetail: d, Reason: reason, Error: msg}
	p.Source, _ = tradescreen.LookupSource(d.Alert.Source)
	title := fmt.Sprintf("Alert %d: %s ~ %s", d.Alert.ID, d.Alert.PartyName, d.Alert.EntryName)
	return s.render(w, r, status, "alert.html", &pageData{Title: title, Nav: "alerts", Page: p})
}

func (s *Server) handleUIAlert(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	id, err := alertID(r)
	if err != nil {
		return err
	}
	return s.renderAlert(w, r, st, id, nethttp.StatusOK, "", "")
}

// handleUIAlertTransition moves an alert from its page's form (to, reason, from) and shows the page again
// (303 to it on success; the form with the message when the move is refused).
func (s *Server) handleUIAlertTransition(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	id, err := alertID(r)
	if err != nil {
		return err
	}
	req := TransitionRequest{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason"), From: r.PostFormValue("from")}
	if _, err := s.transition(r.Context(), st, actor(r), id, req); err != nil {
		switch tradescreen.ErrorCode(err) {
		case tradescreen.EINVALID, tradescreen.EFORBIDDEN, tradescreen.ECONFLICT:
			_, status, msg := s.errorInfo(r, err)
			return s.renderAlert(w, r, st, id, status, req.Reason, msg)
		}
		return err
	}
	nethttp.Redirect(w, r, fmt.Sprintf("/alerts/%d", id), nethttp.StatusSeeOther)
	return nil
}

// partiesPage is the data of the parties register page.
type partiesPage struct {
	Deleted, Stale bool
	Result         PartiesResult
	Prev, Next     string
	// Imported is what an import did (after POST /parties); Error a refused import or filter.
	Imported *ImportResult
	File     string
	Error    string
}

func (s *Server) partiesPage(ctx context.Context, st tradescreen.Store, v url.Values) (partiesPage, error) {
	var p partiesPage
	f, err := partyFilter(v)
	if err != nil {
		return p, err
	}
	p.Deleted, p.Stale = f.Deleted, f.Stale
	ps, n, err := st.Parties().FindParties(ctx, f)
	if err != nil {
		return p, err
	}
	p.Result = PartiesResult{Total: n, Offset: f.Offset, Limit: f.Limit, Parties: ps}
	if f.Offset > 0 {
		p.Prev = pageURL("/parties", v, max(f.Offset-f.Limit, 0))
	}
	if f.Offset+len(ps) < n {
		p.Next = pageURL("/parties", v, f.Offset+f.Limit)
	}
	return p, nil
}

func (s *Server) handleUIParties(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	p, err := s.partiesPage(r.Context(), st, r.URL.Query())
	if tradescreen.ErrorCode(err) == tradescreen.EINVALID {
		p.Error = tradescreen.ErrorMessage(err)
		return s.render(w, r, nethttp.StatusBadRequest, "parties.html", &pageData{Title: "Parties", Nav: "parties", Page: p})
	}
	if err != nil {
		return err
	}
	return s.render(w, r, nethttp.StatusOK, "parties.html", &pageData{Title: "Parties", Nav: "parties", Page: p})
}

// handleUIPartiesImport imports the uploaded file (field "file": CSV, JSON Lines or XLSX, by extension) and
// screens the new and changed parties, then shows the register with what was done.
func (s *Server) handleUIPartiesImport(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	status := nethttp.StatusOK
	var res *ImportResult
	var msg, name string
	f, fh, ferr := r.FormFile("file")
	if ferr != nil {
		status, msg = nethttp.StatusBadRequest, "file: choose a CSV, JSON Lines or XLSX file of parties to import"
	} else {
		defer f.Close()
		name = filepath.Base(fh.Filename)
		format := "csv"
		switch strings.ToLower(filepath.Ext(name)) {
		case ".jsonl", ".ndjson":
			format = "jsonl"
		case ".xlsx", ".xlsm":
			format = "xlsx"
		case ".json":
			format = "json"
		}
		ps, src, err := readPartiesBody(f, format, name)
		if err == nil {
			res, err = s.importParties(r.Context(), st, actor(r), src, ps, true)
		}
		switch {
		case err == nil:
		case tradescreen.ErrorCode(err) == tradescreen.EINVALID || tradescreen.ErrorCode(err) == tradescreen.ETOOLARGE:
			_, status, msg = s.errorInfo(r, err)
		default:
			return err
		}
	}
	p, err := s.partiesPage(r.Context(), st, url.Values{})
	if err != nil {
		return err
	}
	p.Imported, p.File, p.Error = res, name, msg
	return s.render(w, r, status, "parties.html", &pageData{Title: "Parties", Nav: "parties", Page: p})
}

// partyPage is the data of a party's page.
type partyPage struct {
	*PartyDetail
	// History is the party's audit records (object party/ID), oldest first.
	History []*tradescreen.AuditEvent
	// Screening is the result of "Screen now".
	Screening *PartyScreening
}

func (s *Server) renderParty(w nethttp.ResponseWriter, r *nethttp.Request, st tradescreen.Store, id string, scr *PartyScreening) error {
	d, err := s.partyDetail(r.Context(), st, id)
	if err != nil {
		return err
	}
	hist, err := st.Audit().FindAuditEvents(r.Context(), tradescreen.AuditFilter{Object: "party/" + d.ID, Limit: MaxPageSize})
	if err != nil {
		return err
	}
	p := partyPage{PartyDetail: d, History: hist, Screening: scr}
	return s.render(w, r, nethttp.StatusOK, "party.html", &pageData{Title: d.Name + " — party " + d.ID, Nav: "parties", Page: p})
}

func (s *Server) handleUIParty(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	return s.renderParty(w, r, st, r.PathValue("id"), nil)
}

func (s *Server) handleUIPartyScreen(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if _, err := s.screener(); err != nil {
		return err
	}
	p, err := st.Parties().FindPartyByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	scr, err := s.screenParty(r.Context(), st, actor(r), p, "ui")
	if err != nil {
		return err
	}
	info(r).matches += len(scr.Matches)
	return s.renderParty(w, r, st, p.ID, scr)
}

// auditPage is the data of the audit trail page.
type auditPage struct {
	From, To, Action, Object string
	Result                   AuditResult
	Next                     string
	// Verification is the chain's check, when asked (verify=1).
	Verification *tradescreen.AuditVerification
	// CanExport says whether the viewer may export (approver or admin); Export the export's query.
	CanExport bool
	Export    string
	Error     string
}

func (s *Server) handleUIAudit(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	p := auditPage{From: v.Get("from"), To: v.Get("to"), Action: v.Get("action"), Object: v.Get("object"),
		CanExport: actor(r).Role.AtLeast(tradescreen.RoleApprover)}
	verify := v.Get("verify") != ""
	fv := url.Values{}
	for k, vs := range v {
		if k != "verify" {
			fv[k] = vs
		}
	}
	f, err := auditFilter(fv, false)
	if err != nil {
		p.Error = tradescreen.ErrorMessage(err)
		return s.render(w, r, nethttp.StatusBadRequest, "audit.html", &pageData{Title: "Audit trail", Nav: "audit", Page: p})
	}
	evs, err := st.Audit().FindAuditEvents(r.Context(), f)
	if err != nil {
		return err
	}
	p.Result = AuditResult{Events: evs}
	if len(evs) == f.Limit {
		nv := url.Values{}
		for k, vs := range fv {
			nv[k] = vs
		}
		nv.Set("after_seq", strconv.FormatInt(evs[len(evs)-1].Seq, 10))
		p.Next = "/audit?" + nv.Encode()
	}
	ev := url.Values{}
	for _, k := range []string{"from", "to", "action", "object"} {
		if x := v.Get(k); x != "" {
			ev.Set(k, x)
		}
	}
	p.Export = ev.Encode()
	if verify {
		if p.Verification, err = st.Audit().VerifyAudit(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, r, nethttp.StatusOK, "audit.html", &pageData{Title: "Audit trail", Nav: "audit", Page: p})
}
