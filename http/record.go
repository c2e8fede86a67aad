package http

import (
	"context"
	nethttp "net/http"
	"sync"

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
	return s.audit.append(s.Store, evs)
}

// maxAuditBatch bounds the screening records committed in one transaction.
const maxAuditBatch = 256

// auditCommitter group-commits the screening records of concurrent requests: the records that arrive while
// a commit is in progress are appended together in the next transaction, so the audit trail's cost per
// search falls as searches grow concurrent, without any request waiting for others to arrive. Each request
// is answered only once its records are committed; when a batch fails, each request's records are tried
// alone, so one request's failure is not another's.
type auditCommitter struct {
	once sync.Once
	ch   chan auditRequest
	stop chan struct{}
	done chan struct{}
}

type auditRequest struct {
	evs  []*tradescreen.AuditEvent
	done chan error
}

// append commits evs to st's audit trail with the records of concurrent requests, and returns when they
// are committed (or could not be).
func (c *auditCommitter) append(st tradescreen.Store, evs []*tradescreen.AuditEvent) error {
	c.once.Do(func() {
		c.ch, c.stop, c.done = make(chan auditRequest), make(chan struct{}), make(chan struct{})
		go c.run(st)
	})
	req := auditRequest{evs: evs, done: make(chan error, 1)}
	select {
	case c.ch <- req:
	case <-c.stop:
		// Shutting down: commit alone.
		return st.Audit().AppendAudit(context.Background(), evs...)
	}
	return <-req.done
}

func (c *auditCommitter) run(st tradescreen.Store) {
	defer close(c.done)
	ctx := context.Background()
	for {
		var batch []auditRequest
		select {
		case req := <-c.ch:
			batch = append(batch, req)
		case <-c.stop:
			return
		}
		n := len(batch[0].evs)
	more:
		for n < maxAuditBatch {
			select {
			case req := <-c.ch:
				batch = append(batch, req)
				n += len(req.evs)
			default:
				break more
			}
		}
		commitBatch(ctx, st, batch)
	}
}

// commitBatch appends the records of the batch's requests in one transaction and answers each request; when
// that fails, each request's records are appended alone, so that each request gets its own outcome.
func commitBatch(ctx context.Context, st tradescreen.Store, batch []auditRequest) {
	if len(batch) == 1 {
		batch[0].done <- st.Audit().AppendAudit(ctx, batch[0].evs...)
		return
	}
	var all []*tradescreen.AuditEvent
	for _, b := range batch {
		all = append(all, b.evs...)
	}
	if err := st.Audit().AppendAudit(ctx, all...); err != nil {
		for _, b := range batch {
			b.done <- st.Audit().AppendAudit(ctx, b.evs...)
		}
		return
	}
	for _, b := range batch {
		b.done <- nil
	}
}

// close stops the committer once the requests in flight are answered (Server.Close calls it after the
// HTTP server has shut down).
func (c *auditCommitter) close() {
	c.once.Do(func() { c.stop, c.done = make(chan struct{}), make(chan struct{}); close(c.done) })
	select {
	case <-c.stop:
		return
	default:
	}
	close(c.stop)
	<-c.done
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
