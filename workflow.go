package tradescreen

import (
	"sort"
	"strings"
)

// This file holds the alert workflow as a state machine: the moves between statuses, who may make each, and
// the four-eyes rules, all read from an alert's history. Both stores apply it through CheckTransition inside
// the transaction that makes the move, and the HTTP server and the CLI ask it which moves to offer.
//
// The invariants it keeps, however an alert travels (storetest's WorkflowModel suite runs every sequence of
// moves by every role up to a depth against both stores and checks each one on the stored history):
//
//  1. Every move by a person has a reason, and is made by an analyst, approver or admin.
//  2. Whoever escalated an alert, moved it back out of escalation (reviewed the escalation) or reopened a
//     decision on it (reviewed the decision) never closes it: not directly, not after moving it back to
//     under_review or open, not after another person's moves in between.
//  3. Once an alert was escalated or a person reopened a decision on it, every later decision on it is made
//     by an approver or admin.
//  4. A person reopens a decision (closed -> open) only as an approver or admin; screening reopens a false
//     positive by itself when the entry or the party changed, which is an automatic move and bars nobody.
//  5. From every status someone can still move the alert on: an approver or admin who never touched it may
//     always decide an open alert and reopen a decided one.

// alertMoves are the moves of the workflow, by status.
var alertMoves = map[AlertStatus][]AlertStatus{
	AlertOpen:                {AlertUnderReview, AlertEscalated, AlertClosedTrueMatch, AlertClosedFalsePositive},
	AlertUnderReview:         {AlertOpen, AlertEscalated, AlertClosedTrueMatch, AlertClosedFalsePositive},
	AlertEscalated:           {AlertUnderReview, AlertClosedTrueMatch, AlertClosedFalsePositive},
	AlertClosedTrueMatch:     {AlertOpen},
	AlertClosedFalsePositive: {AlertOpen},
}

// What a person did to an alert that bars them from deciding it.
const (
	barEscalated   = "escalated"
	barDeescalated = "moved out of escalation"
	barReopened    = "reopened a decision on"
)

// Workflow is what the workflow's rules know of one alert, read from its history: its status, whether its
// decision needs four eyes, and who may never decide it.
type Workflow struct {
	ID     int64
	Status AlertStatus
	// Escalated is set once the alert was escalated, and Reopened once a person reopened a decision on it;
	// either makes every later decision need an approver or admin (FourEyes).
	Escalated bool
	Reopened  bool
	// Barred maps each person who escalated the alert, moved it out of escalation or reopened a decision on
	// it to what they did (escalation named first); none of them may ever decide it.
	Barred map[string]string
}

// WorkflowOf reads an alert's workflow state from its transitions (oldest first) and, for an alert read
// without them, from EscalatedBy.
func WorkflowOf(a *Alert) Workflow {
	w := Workflow{ID: a.ID, Status: a.Status, Barred: map[string]string{}}
	for _, t := range a.Transitions {
		w.Apply(t)
	}
	if a.EscalatedBy != "" {
		w.Escalated = true
		w.bar(a.EscalatedBy, barEscalated)
	}
	w.Status = a.Status
	return w
}

// FourEyes reports whether a decision on the alert needs an approver or admin who is not Barred.
func (w *Workflow) FourEyes() bool { return w.Escalated || w.Reopened }

// Apply records one transition of the alert's history.
func (w *Workflow) Apply(t Transition) {
	if w.Barred == nil {
		w.Barred = map[string]string{}
	}
	w.Status = t.To
	if t.Automatic || t.From == "" {
		return
	}
	switch {
	case t.To == AlertEscalated:
		w.Escalated = true
		w.bar(t.Actor, barEscalated)
	case t.From == AlertEscalated && !t.To.Closed():
		w.bar(t.Actor, barDeescalated)
	case t.From.Closed() && !t.To.Closed():
		w.Reopened = true
		w.bar(t.Actor, barReopened)
	}
}

func (w *Workflow) bar(actor, what string) {
	if w.Barred[actor] != barEscalated {
		w.Barred[actor] = what
	}
}

// BarredActors returns the names of the people who may never decide the alert, sorted.
func (w *Workflow) BarredActors() []string {
	out := make([]string, 0, len(w.Barred))
	for a := range w.Barred {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Check says whether actor may move the alert to `to` with reason. Errors: EINVALID (no reason, a move the
// workflow does not have), EFORBIDDEN (a viewer; a reopening by an analyst; a decision that needs four eyes
// by an analyst or by a person the alert bars).
func (w *Workflow) Check(actor Actor, to AlertStatus, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return Errorf(EINVALID, "reason: required for every alert transition")
	}
	if !actor.Role.AtLeast(RoleAnalyst) {
		return Errorf(EFORBIDDEN, "%s (%s) may not change alerts", actor.Name, actor.Role)
	}
	if strings.TrimSpace(actor.Name) == "" {
		return Errorf(EINVALID, "actor: a person's name is required to move an alert")
	}
	ok := false
	for _, s := range alertMoves[w.Status] {
		if s == to {
			ok = true
		}
	}
	if !ok {
		return Errorf(EINVALID, "status: alert %d is %s and cannot move to %s", w.ID, w.Status, to)
	}
	if w.Status.Closed() && !actor.Role.AtLeast(RoleApprover) {
		return Errorf(EFORBIDDEN, "alert %d is decided (%s): reopening a decision needs an approver or admin, not %s (%s)", w.ID, w.Status, actor.Name, actor.Role)
	}
	if !to.Closed() {
		return nil
	}
	if w.FourEyes() && !actor.Role.AtLeast(RoleApprover) {
		if w.Escalated {
			return Errorf(EFORBIDDEN, "alert %d was escalated: an escalated alert is closed by an approver or admin, not by %s (%s)", w.ID, actor.Name, actor.Role)
		}
		return Errorf(EFORBIDDEN, "a decision on alert %d was reopened: it is closed by an approver or admin, not by %s (%s)", w.ID, actor.Name, actor.Role)
	}
	if what, barred := w.Barred[actor.Name]; barred {
		return Errorf(EFORBIDDEN, "%s %s alert %d and cannot close it: another approver must decide", actor.Name, what, w.ID)
	}
	return nil
}

// CheckTransition says whether actor may move alert a (read with its transitions) to `to` with reason,
// by the rules of Workflow.Check. Errors: EINVALID, EFORBIDDEN.
func CheckTransition(actor Actor, a *Alert, to AlertStatus, reason string) error {
	w := WorkflowOf(a)
	return w.Check(actor, to, reason)
}
