// Package auditlog appends the audit records of many concurrent callers to the audit trail, committing the
// records that arrive while a commit is in progress together in the next transaction: the trail's cost per
// screening falls as screenings grow concurrent, and no caller waits for others to arrive.
package auditlog

import (
	"context"
	"sync"

	"github.com/tradescreen/tradescreen"
)

// MaxBatch bounds the records committed in one transaction.
const MaxBatch = 256

// Grouped is an audit appender (tradescreen.AuditAppender) over a store's trail that commits the records of
// concurrent callers together. Each caller returns only once its records are committed; when a grouped
// commit fails, each caller's records are tried alone, so that one caller's failure is not another's. It is
// safe for concurrent use; Close stops it.
type Grouped struct {
	trail tradescreen.AuditAppender

	start sync.Once
	ch    chan request
	stop  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	shut  bool
	// started is set, before the goroutine starts, by the first append.
	started bool
}

type request struct {
	evs  []*tradescreen.AuditEvent
	done chan error
}

// New returns a grouped appender over trail (a store's AuditService).
func New(trail tradescreen.AuditAppender) *Grouped {
	return &Grouped{trail: trail, ch: make(chan request), stop: make(chan struct{}), done: make(chan struct{})}
}

// AppendAudit commits evs with the records of concurrent callers and returns when they are committed (or
// could not be: the store's error). After Close it commits them alone.
func (g *Grouped) AppendAudit(ctx context.Context, evs ...*tradescreen.AuditEvent) error {
	if len(evs) == 0 {
		return nil
	}
	g.start.Do(func() {
		g.started = true
		go g.run()
	})
	req := request{evs: evs, done: make(chan error, 1)}
	select {
	case g.ch <- req:
	case <-g.stop:
		return g.trail.AppendAudit(context.WithoutCancel(ctx), evs...)
	}
	return <-req.done
}

func (g *Grouped) run() {
	defer close(g.done)
	ctx := context.Background()
	for {
		var batch []request
		select {
		case req := <-g.ch:
			batch = append(batch, req)
		case <-g.stop:
			return
		}
		n := len(batch[0].evs)
	more:
		for n < MaxBatch {
			select {
			case req := <-g.ch:
				batch = append(batch, req)
				n += len(req.evs)
			default:
				break more
			}
		}
		g.commit(ctx, batch)
	}
}

// commit appends the records of the batch's requests in one transaction and answers each request; when that
// fails, each request's records are appended alone, so that each request gets its own outcome.
func (g *Grouped) commit(ctx context.Context, batch []request) {
	if len(batch) == 1 {
		batch[0].done <- g.trail.AppendAudit(ctx, batch[0].evs...)
		return
	}
	var all []*tradescreen.AuditEvent
	for _, b := range batch {
		all = append(all, b.evs...)
	}
	if err := g.trail.AppendAudit(ctx, all...); err != nil {
		for _, b := range batch {
			b.done <- g.trail.AppendAudit(ctx, b.evs...)
		}
		return
	}
	for _, b := range batch {
		b.done <- nil
	}
}

// Close stops the grouping once the commit in progress is answered; later appends commit alone. It is safe
// to call more than once.
func (g *Grouped) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut {
		return
	}
	g.shut = true
	close(g.stop)
	g.start.Do(func() {}) // no grouping starts after Close
	if g.started {
		<-g.done
	}
}
