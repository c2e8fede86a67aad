// Package screening is the one screening service: it owns what an answer depends on — the loaded lists
// (embedded, data directory or --list files), your own lists, the allow list, the ownership data and the
// audit recorder — and answers through a few methods. Every door asks it: the check, batch, order, compare
// and monitor commands, the HTTP API and web UI, batch jobs and monitoring. A door decodes its input, makes
// one call and encodes the answer, so a name gets the same matches, scores, allowances and ownership
// findings whichever door it comes through.
//
// The path of a name: Screen (or Answer) validates the request, picks the lists (those loaded, or the lists
// in force on the request's date), refuses when a screened list is older than the configured maximum,
// searches the index, marks the matches the allow list covers, adds the entries' facts, evaluates the 50 %
// rules for the name on the ownership data, and records the answer in the audit trail.
package screening

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// AllowSource gives the allow list of reviewed look-alikes in force (nil: none) and a line naming its
// version. history.AllowSource reads it from a data directory. An error fails every answer.
type AllowSource interface {
	AllowList() (*ownlist.AllowList, string, error)
}

// PastLists returns the datasets in force on a past date (YYYY-MM-DD) and how each list's state on it was
// established; PointInTime builds it over the embedded snapshot and a data directory.
type PastLists func(ctx context.Context, date string) ([]*source.Dataset, []history.ListAsOf, error)

// Config is what a Service answers with besides the lists.
type Config struct {
	// Allow is the allow list's source; nil: no allowances.
	Allow AllowSource
	// Recorder receives the audit record of every answer of Screen and ScreenMany, and of every order
	// decision and batch run; nil records nothing.
	Recorder tradescreen.AuditAppender
	// MaxAge is the age past which a list is stale, per list code; lists not named get DefaultMaxAge
	// (tradescreen.DefaultMaxListAge when zero).
	MaxAge        map[string]time.Duration
	DefaultMaxAge time.Duration
	// RefuseOlderThan, when set, refuses answers (ESTALE) resting on a list older than it: the
	// --max-list-age option.
	RefuseOlderThan time.Duration
	// PastLists answers requests for a past date; nil refuses them (EINVALID).
	PastLists PastLists
	// OwnershipRules are the 50 % rules' calendar (the embedded ownership/rules.csv when nil).
	OwnershipRules ownership.Rules
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service answers screenings; see the package comment. It is safe for concurrent use. The lists and the
// ownership data are swapped with SetLists and SetOwnership while it answers: an answer in progress
// finishes with what it started with.
type Service struct {
	cfg   Config
	rules ownership.Rules
	cur   atomic.Pointer[state]
	// ownMu serializes SetOwnership and SetLists, which build a state from each other's data.
	ownMu sync.Mutex
	own   *ownershipData
	past  pastCache
}

// ownershipData is the loaded ownership graph and the files it came from.
type ownershipData struct {
	g    *ownership.Graph
	data []string
}

// state is one loaded set of lists with what is built over it lazily: the order service (it indexes every
// address) and the ownership owners resolved against these lists.
type state struct {
	s      *screen.Screener
	own    *ownershipData
	rules  ownership.Rules
	loaded time.Time

	ordersOnce sync.Once
	orders     *order.Service

	resolveOnce sync.Once
	res         ownership.Resolution

	// status caches the lists' ages of the current hour (view.listStatus).
	status atomic.Pointer[hourStatus]
}

// New returns a service with no lists yet: answers are EUNAVAILABLE until SetLists.
func New(cfg Config) *Service {
	s := &Service{cfg: cfg, rules: cfg.OwnershipRules}
	if s.rules == nil {
		s.rules, _ = ownership.DefaultRules() // the embedded calendar is checked by the ownership tests
	}
	s.past.size = 2
	return s
}

// NewWith returns a service over the lists of sc, ready to answer.
func NewWith(cfg Config, sc *screen.Screener) *Service {
	s := New(cfg)
	s.SetLists(sc)
	return s
}

// SetLists puts the lists of sc in service: the next answers use them, answers in progress finish with the
// lists they started with. The order service and the resolution of the ownership data's owners over sc are
// built in the background at once.
func (s *Service) SetLists(sc *screen.Screener) {
	s.ownMu.Lock()
	defer s.ownMu.Unlock()
	st := &state{s: sc, own: s.own, rules: s.rules, loaded: s.now()}
	s.cur.Store(st)
	go st.orderService()
	if st.own != nil {
		go st.resolution()
	}
}

// SetOwnership replaces the ownership data (nil: none); data names the files it was read from. The lists
// in service are kept; the owners are resolved against them in the background.
func (s *Service) SetOwnership(g *ownership.Graph, data []string) {
	if g != nil {
		// Graph.Find builds its name index on first use, which is not safe for concurrent use: build it now.
		g.Find("tradescreen", "", 0)
	}
	s.ownMu.Lock()
	s.own = nil
	if g != nil {
		s.own = &ownershipData{g: g, data: append([]string(nil), data...)}
	}
	st := s.cur.Load()
	s.ownMu.Unlock()
	if st != nil {
		s.SetLists(st.s)
	}
}

// Ownership returns the ownership graph in use and the files it came from (nil without any).
func (s *Service) Ownership() (*ownership.Graph, []string) {
	s.ownMu.Lock()
	defer s.ownMu.Unlock()
	if s.own == nil {
		return nil, nil
	}
	return s.own.g, s.own.data
}

// Ready reports whether lists are in service.
func (s *Service) Ready() bool { return s.cur.Load() != nil }

// Screener returns the lists in service. Errors: EUNAVAILABLE while none are loaded.
func (s *Service) Screener() (*screen.Screener, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	return st.s, nil
}

// Loaded returns when the lists in service were put in service (zero before).
func (s *Service) Loaded() time.Time {
	if st := s.cur.Load(); st != nil {
		return st.loaded
	}
	return time.Time{}
}

// state returns the lists in service or an EUNAVAILABLE error.
func (s *Service) state() (*state, error) {
	st := s.cur.Load()
	if st == nil {
		return nil, tradescreen.Errorf(tradescreen.EUNAVAILABLE, "the lists are still loading; retry in a moment")
	}
	return st, nil
}

func (s *Service) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// orderService returns the order service over this state's lists, building it on first use.
func (st *state) orderService() *order.Service {
	st.ordersOnce.Do(func() { st.orders = order.New(st.s) })
	return st.orders
}

// resolution returns the ownership data's owners resolved against this state's lists (nil without
// ownership data), resolving them on first use.
func (st *state) resolution() ownership.Resolution {
	if st.own == nil {
		return nil
	}
	st.resolveOnce.Do(func() { st.res = ownership.Resolve(st.own.g, st.s, ownership.ResolveOptions{}) })
	return st.res
}

// Compare scores two names against each other exactly as screening a would score an entry named b. Without
// a kind, b is read both ways, as screening reads a query against an organization's entry and against a
// person's, and the higher score is given, saying which reading it is.
func (s *Service) Compare(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation) {
	st := s.cur.Load()
	if st == nil {
		return 0, tradescreen.Explanation{Summary: "the lists are still loading"}
	}
	return compare(st.s.Matcher(), a, b, kind)
}

// compare is Compare on one index.
func compare(ix tradescreen.Matcher, a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation) {
	score, ex := ix.Compare(a, b, kind)
	if kind != tradescreen.KindUnknown {
		return score, ex
	}
	if ps, pex := ix.Compare(a, b, tradescreen.KindPerson); ps > score {
		pex.Adjustments = append(pex.Adjustments, "read as a person's name (no type given; as a name is screened against a person's entry)")
		return ps, pex
	}
	return score, ex
}

// Comparer returns Compare over the lists in service (for scoring many pairs). Errors: EUNAVAILABLE while
// none are loaded.
func (s *Service) Comparer() (func(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation), error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	ix := st.s.Matcher()
	return func(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation) {
		return compare(ix, a, b, kind)
	}, nil
}

var _ tradescreen.ScreeningService = (*Service)(nil)
