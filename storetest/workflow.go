package storetest

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// This file is the model-based test of the alert workflow. The model below is the specification written
// apart from the code it checks (tradescreen.Workflow): which moves a person may make from an alert's
// history. The stores' suite (WorkflowModel) runs every sequence of moves by every actor of every role up to
// a depth against a real store and checks, at every step, that the store accepts exactly the moves the
// model accepts, refuses the others with the right error without changing anything, and that the stored
// history keeps the invariants (CheckWorkflowHistory). The root package runs the same model, deeper, against
// tradescreen.Workflow alone.

// WorkflowMove is one move of the model: a person moving an alert to a status, or screening finding the
// alert's entry changed (Screen), which reopens a false positive by itself.
type WorkflowMove struct {
	Actor  tradescreen.Actor
	To     tradescreen.AlertStatus
	Screen bool
}

func (m WorkflowMove) String() string {
	if m.Screen {
		return "screening(entry changed)"
	}
	return fmt.Sprintf("%s(%s)->%s", m.Actor.Name, m.Actor.Role, m.To)
}

// Reason is the reason the model gives each move.
func (m WorkflowMove) Reason() string { return "model: " + m.String() }

// WorkflowActors are the people of the model: a viewer, two analysts, two approvers and an admin.
var WorkflowActors = []tradescreen.Actor{viewer, analyst, analyst2, approver, {Name: "pete", Role: tradescreen.RoleApprover}, admin}

// WorkflowMoves returns every move of the model: each actor to each status, and screening.
func WorkflowMoves() []WorkflowMove {
	var out []WorkflowMove
	for _, a := range WorkflowActors {
		for _, to := range tradescreen.AlertStatuses {
			out = append(out, WorkflowMove{Actor: a, To: to})
		}
	}
	return append(out, WorkflowMove{Actor: tradescreen.System, Screen: true})
}

// specMoves are the workflow's moves as the specification states them.
var specMoves = map[tradescreen.AlertStatus]string{
	tradescreen.AlertOpen:                "under_review escalated closed_true_match closed_false_positive",
	tradescreen.AlertUnderReview:         "open escalated closed_true_match closed_false_positive",
	tradescreen.AlertEscalated:           "under_review closed_true_match closed_false_positive",
	tradescreen.AlertClosedTrueMatch:     "open",
	tradescreen.AlertClosedFalsePositive: "open",
}

func specAllows(from, to tradescreen.AlertStatus) bool {
	return to != "" && strings.Contains(" "+specMoves[from]+" ", " "+string(to)+" ")
}

// WorkflowModel is the model's state of one alert.
type WorkflowModel struct {
	Status tradescreen.AlertStatus
	// NeedsApprover: escalated once, or a decision reopened by a person. Touched: who escalated, moved it out
	// of escalation or reopened a decision.
	NeedsApprover bool
	Touched       map[string]bool
}

// NewWorkflowModel returns the model of a new, open alert.
func NewWorkflowModel() *WorkflowModel {
	return &WorkflowModel{Status: tradescreen.AlertOpen, Touched: map[string]bool{}}
}

// Accepts says whether the move is accepted; when it is not, codes are the error codes a refusal may have
// (ECONFLICT where a store sees the move as racing another: to the status the alert has, or a second
// decision). A screening move is always accepted; it changes the workflow only on a false positive.
func (m *WorkflowModel) Accepts(mv WorkflowMove) (bool, []string) {
	if mv.Screen {
		return true, nil
	}
	role := mv.Actor.Role
	switch {
	case !role.AtLeast(tradescreen.RoleAnalyst):
		return false, []string{tradescreen.EFORBIDDEN}
	case !specAllows(m.Status, mv.To):
		return false, []string{tradescreen.EINVALID, tradescreen.ECONFLICT}
	case m.Status.Closed() && !role.AtLeast(tradescreen.RoleApprover):
		return false, []string{tradescreen.EFORBIDDEN}
	case mv.To.Closed() && m.NeedsApprover && !role.AtLeast(tradescreen.RoleApprover):
		return false, []string{tradescreen.EFORBIDDEN}
	case mv.To.Closed() && m.Touched[mv.Actor.Name]:
		return false, []string{tradescreen.EFORBIDDEN}
	}
	return true, nil
}

// Apply makes an accepted move, and reports whether it adds a transition to the alert's history.
func (m *WorkflowModel) Apply(mv WorkflowMove) bool {
	if mv.Screen {
		if m.Status != tradescreen.AlertClosedFalsePositive {
			return false
		}
		m.Status = tradescreen.AlertOpen
		return true
	}
	switch {
	case mv.To == tradescreen.AlertEscalated:
		m.NeedsApprover = true
		m.Touched[mv.Actor.Name] = true
	case m.Status == tradescreen.AlertEscalated && !mv.To.Closed():
		m.Touched[mv.Actor.Name] = true
	case m.Status.Closed():
		m.NeedsApprover = true
		m.Touched[mv.Actor.Name] = true
	}
	m.Status = mv.To
	return true
}

// CheckWorkflowHistory checks the workflow's invariants on an alert's stored history, oldest first, given
// the role of every person in it (docs/security.md, "The alert workflow"):
//  1. the history starts with the alert raised by screening, and every move goes where the workflow goes;
//  2. every move by a person has a reason and is made by an analyst or above;
//  3. a person who reopened a decision is an approver or admin;
//  4. no decision is made by a person who earlier escalated the alert, moved it out of escalation or
//     reopened a decision on it;
//  5. once the alert was escalated or a person reopened a decision on it, every decision is made by an
//     approver or admin.
func CheckWorkflowHistory(trs []tradescreen.Transition, roles map[string]tradescreen.Role) error {
	if len(trs) == 0 || trs[0].From != "" || trs[0].To != tradescreen.AlertOpen || !trs[0].Automatic {
		return fmt.Errorf("the history does not start with the alert raised by screening: %+v", trs)
	}
	touched := map[string]string{}
	needsApprover := ""
	for i, t := range trs[1:] {
		at := fmt.Sprintf("move %d (%s -> %s by %s)", i+1, t.From, t.To, t.Actor)
		if !specAllows(t.From, t.To) || t.From != trs[i].To {
			return fmt.Errorf("%s: not a move of the workflow from %s", at, trs[i].To)
		}
		if t.Automatic {
			if t.From != tradescreen.AlertClosedFalsePositive || t.To != tradescreen.AlertOpen {
				return fmt.Errorf("%s: screening moved the alert by itself other than reopening a false positive", at)
			}
			continue
		}
		role := roles[t.Actor]
		if strings.TrimSpace(t.Reason) == "" || !role.AtLeast(tradescreen.RoleAnalyst) {
			return fmt.Errorf("%s: a move without a reason or by a %q", at, role)
		}
		if t.To.Closed() {
			if why, ok := touched[t.Actor]; ok {
				return fmt.Errorf("%s: four eyes broken: the decision is made by who %s it", at, why)
			}
			if needsApprover != "" && !role.AtLeast(tradescreen.RoleApprover) {
				return fmt.Errorf("%s: the alert was %s, yet a %s decided it", at, needsApprover, role)
			}
		}
		switch {
		case t.From.Closed():
			if !role.AtLeast(tradescreen.RoleApprover) {
				return fmt.Errorf("%s: a decision reopened by a %s", at, role)
			}
			touched[t.Actor], needsApprover = "reopened", "reopened"
		case t.To == tradescreen.AlertEscalated:
			touched[t.Actor], needsApprover = "escalated", "escalated"
		case t.From == tradescreen.AlertEscalated && !t.To.Closed():
			touched[t.Actor] = "moved out of escalation"
		}
	}
	return nil
}

// WorkflowDepth is the depth the stores' model test explores: TRADESCREEN_WORKFLOW_DEPTH, or def.
func WorkflowDepth(def int) int {
	if n, err := strconv.Atoi(os.Getenv("TRADESCREEN_WORKFLOW_DEPTH")); err == nil && n > 0 {
		return n
	}
	return def
}

// workflowRoles maps every actor of the model to their role.
func workflowRoles() map[string]tradescreen.Role {
	roles := map[string]tradescreen.Role{tradescreen.System.Name: tradescreen.System.Role}
	for _, a := range WorkflowActors {
		roles[a.Name] = a.Role
	}
	return roles
}
