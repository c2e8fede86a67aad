package http

import (
	"encoding/json"
	"io"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
)

// AuditExportAction is the audit action recording an export of the trail.
const AuditExportAction = "audit.export"

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

// auditCSVHeader are the columns of a CSV export: everything needed to recompute each hash (as `tradescreen
// audit export --format csv` writes).
var auditCSVHeader = []string{"seq", "at", "actor", "action", "object", "details", "prev_hash", "hash"}

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
	a := actor(r)
	if err := st.Audit().AppendAudit(r.Context(), &tradescreen.AuditEvent{Actor: a.Name, Action: AuditExportAction, Object: "audit",
		Details: tradescreen.AuditDetails(map[string]string{"format": format, "from": v.Get("from"), "to": v.Get("to"), "action": f.Action, "object": f.Object})}); err != nil {
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
	var write func(e *tradescreen.AuditEvent) error
	var flush func() error
	if format == "csv" {
		h.Set("Content-Type", mediaCSV+"; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		// Fields a spreadsheet would read as formulas get an apostrophe; csvsafe.Unquote restores them to
		// recompute the hashes.
		cw := csvsafe.NewWriter(w)
		write = func(e *tradescreen.AuditEvent) error {
			return cw.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Object, e.Details, e.PrevHash, e.Hash})
		}
		flush = func() error { cw.Flush(); return cw.Error() }
		if err := cw.Write(auditCSVHeader); err != nil {
			return err
		}
	} else {
		h.Set("Content-Type", mediaJSONL+"; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.jsonl"`)
		enc := json.NewEncoder(w)
		write = func(e *tradescreen.AuditEvent) error { return enc.Encode(e) }
		flush = func() error { return nil }
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
			if err := write(e); err != nil {
				return nil
			}
		}
		if len(evs) < f.Limit {
			break
		}
		f.AfterSeq = evs[len(evs)-1].Seq
	}
	if err := flush(); err != nil && err != io.EOF {
		return nil
	}
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
