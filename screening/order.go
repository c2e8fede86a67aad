package screening

import (
	"context"
	"fmt"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/order"
)

// Decide screens an order (package order) on the lists in service — each party's name as Answer screens a
// name, with the ownership rules of the order's date — and records the decision as actor. Errors: EINVALID
// for a bad order, Answer's, and the recorder's (a decision that cannot be recorded is not given).
func (s *Service) Decide(ctx context.Context, actor tradescreen.Actor, o *order.Order) (*order.Decision, error) {
	d, err := s.decide(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, order.AuditEvent(actor, o, d)); err != nil {
		return nil, fmt.Errorf("record decision: %w", err)
	}
	return d, nil
}

// decide decides an order without recording it.
func (s *Service) decide(ctx context.Context, o *order.Order) (*order.Decision, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	d, err := st.orderService().Decide(ctx, s, o)
	if err != nil {
		return nil, err
	}
	if st.own != nil {
		d.Notes = append(d.Notes, ownershipNote(st))
	}
	d.Notes = append(d.Notes, StaleWarning(d.Lists)...)
	return d, nil
}

// ownershipNote says what ownership screening of an order covered.
func ownershipNote(st *state) string {
	sts := st.own.g.Stats()
	data := st.own.data
	if len(data) == 0 {
		data = []string{"the ownership data loaded"}
	}
	note := fmt.Sprintf("ownership (50 %% rules) screened on the order date against %s (%d parties, %d links)", strings.Join(data, ", "), sts.Parties, sts.Links)
	for _, code := range []string{"us_el", "us_sdn", "us_meu"} {
		loaded := false
		for _, l := range st.s.Lists() {
			loaded = loaded || l.Source == code
		}
		if !loaded {
			note += "; " + code + " is not loaded: owners on it cannot be recognized"
		}
	}
	return note
}
