package tradescreen_test

import (
	"slices"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/storetest"
)

// TestWorkflowModel runs every sequence of moves by every actor of the model up to depth 5 against the rules
// alone (tradescreen.CheckTransition on an alert whose history grows move by move) and checks at each step
// that the rules accept exactly what the specification (storetest.WorkflowModel) accepts and that the
// history keeps the invariants (storetest.CheckWorkflowHistory). The stores run the same model against a
// real database to a smaller depth (storetest's WorkflowModel suite).
func TestWorkflowModel(t *testing.T) {
	depth := storetest.WorkflowDepth(5)
	roles := map[string]tradescreen.Role{tradescreen.System.Name: tradescreen.System.Role}
	for _, a := range storetest.WorkflowActors {
		roles[a.Name] = a.Role
	}
	moves := storetest.WorkflowMoves()
	n := 0
	var walk func(a *tradescreen.Alert, m *storetest.WorkflowModel, path []storetest.WorkflowMove)
	walk = func(a *tradescreen.Alert, m *storetest.WorkflowModel, path []storetest.WorkflowMove) {
		n++
		if err := storetest.CheckWorkflowHistory(a.Transitions, roles); err != nil {
			t.Fatalf("%v: %v", path, err)
		}
		if len(path) == depth {
			return
		}
		for _, mv := range moves {
			ok, codes := m.Accepts(mv)
			next, changed := play(a, mv)
			if mv.Screen {
				next.Transitions = slices.Clip(next.Transitions)
			} else if err := tradescreen.CheckTransition(mv.Actor, a, mv.To, mv.Reason()); ok != (err == nil) ||
				!ok && !slices.Contains(codes, tradescreen.ErrorCode(err)) {
				t.Fatalf("%v then %v: the rules say %v, the specification accepts: %v", path, mv, err, ok)
			}
			if !ok {
				continue
			}
			m2 := &storetest.WorkflowModel{Status: m.Status, NeedsApprover: m.NeedsApprover, Touched: map[string]bool{}}
			for k := range m.Touched {
				m2.Touched[k] = true
			}
			if m2.Apply(mv) != changed {
				t.Fatalf("%v then %v: the model and the play disagree on a new transition", path, mv)
			}
			walk(next, m2, append(slices.Clip(path), mv))
		}
	}
	a := &tradescreen.Alert{ID: 1, Status: tradescreen.AlertOpen, Transitions: []tradescreen.Transition{
		{To: tradescreen.AlertOpen, Actor: tradescreen.System.Name, Reason: "raised", Automatic: true}}}
	walk(a, storetest.NewWorkflowModel(), nil)
	t.Logf("depth %d: %d sequences checked", depth, n)
}

// play returns the alert after the move as a store would record it (without checking it), and whether the
// move adds a transition.
func play(a *tradescreen.Alert, mv storetest.WorkflowMove) (*tradescreen.Alert, bool) {
	b := *a
	b.Transitions = slices.Clip(a.Transitions)
	t := tradescreen.Transition{From: a.Status, To: mv.To, Actor: mv.Actor.Name, Reason: mv.Reason(), At: time.Unix(int64(len(a.Transitions)), 0)}
	if mv.Screen {
		if a.Status != tradescreen.AlertClosedFalsePositive {
			return &b, false
		}
		t.To, t.Automatic, t.Reason = tradescreen.AlertOpen, true, "reopened: entry changed"
	}
	if t.To == tradescreen.AlertEscalated {
		b.EscalatedBy = t.Actor
	}
	b.Status = t.To
	b.Transitions = append(b.Transitions, t)
	return &b, true
}

// TestWorkflowFindings replays the moves of the security review that bypassed four eyes: each is refused.
func TestWorkflowFindings(t *testing.T) {
	anna := tradescreen.Actor{Name: "anna", Role: tradescreen.RoleAnalyst}
	paula := tradescreen.Actor{Name: "paula", Role: tradescreen.RoleApprover}
	pete := tradescreen.Actor{Name: "pete", Role: tradescreen.RoleApprover}
	for _, tc := range []struct {
		name  string
		moves []storetest.WorkflowMove
		last  storetest.WorkflowMove
	}{
		{"approver escalates, moves back to review, closes", []storetest.WorkflowMove{{Actor: paula, To: tradescreen.AlertEscalated}, {Actor: paula, To: tradescreen.AlertUnderReview}},
			storetest.WorkflowMove{Actor: paula, To: tradescreen.AlertClosedFalsePositive}},
		{"approver escalates, back to open, closes", []storetest.WorkflowMove{{Actor: paula, To: tradescreen.AlertEscalated}, {Actor: paula, To: tradescreen.AlertUnderReview}, {Actor: paula, To: tradescreen.AlertOpen}},
			storetest.WorkflowMove{Actor: paula, To: tradescreen.AlertClosedTrueMatch}},
		{"analyst reopens an approver's true match", []storetest.WorkflowMove{{Actor: pete, To: tradescreen.AlertClosedTrueMatch}},
			storetest.WorkflowMove{Actor: anna, To: tradescreen.AlertOpen}},
		{"approver reopens a decision and decides it again alone", []storetest.WorkflowMove{{Actor: pete, To: tradescreen.AlertClosedTrueMatch}, {Actor: paula, To: tradescreen.AlertOpen}},
			storetest.WorkflowMove{Actor: paula, To: tradescreen.AlertClosedFalsePositive}},
		{"analyst escalates, another approver de-escalates, the analyst closes", []storetest.WorkflowMove{{Actor: anna, To: tradescreen.AlertEscalated}, {Actor: pete, To: tradescreen.AlertUnderReview}},
			storetest.WorkflowMove{Actor: anna, To: tradescreen.AlertClosedFalsePositive}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &tradescreen.Alert{ID: 7, Status: tradescreen.AlertOpen, Transitions: []tradescreen.Transition{{To: tradescreen.AlertOpen, Actor: "system:monitor", Reason: "raised", Automatic: true}}}
			for i, mv := range tc.moves {
				if err := tradescreen.CheckTransition(mv.Actor, a, mv.To, "step"); err != nil {
					t.Fatalf("move %d (%v): %v", i+1, mv, err)
				}
				a, _ = play(a, mv)
			}
			err := tradescreen.CheckTransition(tc.last.Actor, a, tc.last.To, "the bypass")
			if tradescreen.ErrorCode(err) != tradescreen.EFORBIDDEN {
				t.Fatalf("%v: %v, want forbidden", tc.last, err)
			}
			t.Log(tradescreen.ErrorMessage(err))
		})
	}
}
