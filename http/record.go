package http

import (
	nethttp "net/http"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/screen"
)

// recordScreenings appends one audit event per screening result (action screen, object "screening": the
// actor, the query, the lists screened against, the number of matches and the best ones) in one
// transaction, when the server has a store. channel is "api" or "ui". An error fails the request: a
// screening is not answered unless it is recorded.
func (s *Server) recordScreenings(r *nethttp.Request, channel string, results ...*screen.Result) error {
	if s.Store == nil || len(results) == 0 {
		return nil
	}
	a := actor(r)
	evs := make([]*tradescreen.AuditEvent, len(results))
	for i, res := range results {
		evs[i] = screen.AuditEvent(a, channel, res, "")
	}
	return s.Store.Audit().AppendAudit(r.Context(), evs...)
}

// recordOrder appends an order decision to the audit trail (action order.decide), as `tradescreen order
// --record` does, when the server has a store.
func (s *Server) recordOrder(r *nethttp.Request, o *order.Order, d *order.Decision) error {
	if s.Store == nil {
		return nil
	}
	rec := &order.AuditRecorder{Ctx: r.Context(), Audit: s.Store.Audit(), Actor: actor(r)}
	return rec.RecordDecision(o, d)
}
