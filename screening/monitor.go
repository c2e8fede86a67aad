package screening

import (
	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
)

// Monitor returns a monitoring run of st's parties over what the service answers with — its lists, allow
// list, ownership data (owners already resolved against the lists) and rules, on today's date — acting as
// actor, and the lists it screens against. The caller sets the run's options (Threshold, Full, Progress...).
// Errors: EUNAVAILABLE while no lists are loaded (nil monitor), and EUNAVAILABLE when the allow list cannot
// be read — then the monitor is returned too, without the allow list: a caller that runs it anyway raises an
// open alert for every match, missing nothing.
func (s *Service) Monitor(st tradescreen.Store, actor tradescreen.Actor) (*monitor.Monitor, *screen.Screener, error) {
	cur, err := s.state()
	if err != nil {
		return nil, nil, err
	}
	m := &monitor.Monitor{Store: st, Actor: actor, OwnershipRules: cur.rules, Date: s.now().UTC().Format("2006-01-02")}
	if cur.own != nil {
		m.Ownership, m.Resolution = cur.own.g, cur.resolution()
	}
	m.Allow, _, err = s.allowList()
	return m, cur.s, err
}
