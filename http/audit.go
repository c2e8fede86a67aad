package http

import (
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/auditlog"
)

// AuditExportAction is the audit action recording an export of the trail.
const AuditExportAction = auditlog.ExportAction

// AuditResult is the answer to GET /v1/audit: records in sequence order and, when more follow, the
// after_seq that asks for the next page.
type AuditResult struct {
	Events []*tradescreen.AuditEvent `json:"events"`
	// Next is the after_seq of the next page; 0 when this page is the last.
	Next int64 `json:"next_after_seq"`
}

// parseWhen reads YYYY-MM-DD or an RFC 3339 time; a day given as an end bound means the end of that day.
// Errors: EINVALID naming the parameter.
func parseWhen(name, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errorf(tradescreen.EINVALID, "%s: %q is not YYYY-MM-DD or an RFC 3339 time", name, s)
	}
	return t, nil
}

// auditFilter reads from, to (a day: inclusive; a time: exclusive), action, object and, unless export,
// after_seq and limit. Errors: EINVALID naming the parameter.
func auditFilter(v url.Values, export bool) (tradescreen.AuditFilter, error) {
	var f tradescreen.AuditFilter
	known := []string{"from", "to", "action", "object", "after_seq", "limit"}
	if export {
		known = []string{"from", "to", "action", "object", "format"}
	}
	if err := checkParams(v, known); err != nil {
		return f, err
	}
	var err error
	if f.From, err = parseWhen("from", v.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = parseWhen("to", v.Get("to"), true); err != nil {
		return f, err
	}
	f.Action, f.Object = strings.TrimSpace(v.Get("action")), strings.TrimSpace(v.Get("object"))
	if export {
		return f, nil
	}
	if s := v.Get("after_seq"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return f, errorf(tradescreen.EINVALID, "after_seq: %q is not a record number, 0 or more", s)
		}
		f.AfterSeq = n
	}
	f.Limit = DefaultPageSize
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			return f, errorf(tradescreen.EINVALID, "limit: %q is not a whole number in 1..%d", s, MaxPageSize)
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) handleAudit(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	f, err := auditFilter(r.URL.Query(), false)
	if err != nil {
		return err
	}
	evs, err := st.Audit().FindAuditEvents(r.Context(), f)
	if err != nil {
		return err
	}
	res := AuditResult{Events: evs}
	if res.Events == nil {
		res.Events = []*tradescreen.AuditEvent{}
	}
	if len(evs) == f.Limit {
		res.Next = evs[len(evs)-1].Seq
	}
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

func (s *Server) handleAuditVerify(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if err := checkParams(r.URL.Query(), nil); err != nil {
		return err
	}
	v, err := st.Audit().VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, v)
	return nil
}

// exportPage is how many records an export reads at a time.
const exportPage = 1000

// handleAuditExport streams the selected records as CSV or JSON Lines (format=csv|json), reading them a
// page at a time, and records the export itself in the trail first.
func (s *Server) handleAuditExport(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	f, err := auditFilter(v, true)
	if err != nil {
		return err
	}
	format := v.Get("format")
	if format == "" {
		format = "json"
	}
	if format != "csv" && format != "json" {
		return errorf(tradescreen.EINVALID, "format: %q is not csv or json", format)
	}
	rec, err := auditlog.ExportEvent(actor(r), map[string]string{"format": format, "from": v.Get("from"), "to": v.Get("to"), "action": f.Action, "object": f.Object})
	if err != nil {
		return err
	}
	if err := st.Audit().AppendAudit(r.Context(), rec); err != nil {
		return err
	}
	_ = nethttp.NewResponseController(w).SetWriteDeadline(time.Now().Add(downloadTimeout))
	name := "audit"
	if from := v.Get("from"); from != "" {
		name += "-from-" + sanitizeName(from)
	}
	if to := v.Get("to"); to != "" {
		name += "-to-" + sanitizeName(to)
	}
	h := w.Header()
	if format == "csv" {
		h.Set("Content-Type", mediaCSV+"; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	} else {
		h.Set("Content-Type", mediaJSONL+"; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.jsonl"`)
	}
	x, err := auditlog.NewExporter(w, format)
	if err != nil {
		return err
	}
	f.Limit = exportPage
	for {
		evs, err := st.Audit().FindAuditEvents(r.Context(), f)
		if err != nil {
			// Headers are sent: the truncated body is all the client can be told; the log says why.
			s.logger().Error("audit export", "error", err.Error())
			return nil
		}
		for _, e := range evs {
			if err := x.Write(e); err != nil {
				return nil
			}
		}
		if len(evs) < f.Limit {
			break
		}
		f.AfterSeq = evs[len(evs)-1].Seq
	}
	_ = x.Flush() // headers are sent: a failed write cuts the body short, as above
	return nil
}

// sanitizeName keeps the characters of s that are safe in a file name.
func sanitizeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return '_'
	}, s)
}
