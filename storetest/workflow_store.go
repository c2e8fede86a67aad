package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// workflowExplorer runs the model's sequences of moves against a store. Each sequence gets an alert of its
// own (a fresh entry on one of a few parties), raised by screening and moved by replaying the sequence.
type workflowExplorer struct {
	s       tradescreen.Store
	depth   int
	moves   []WorkflowMove
	roles   map[string]tradescreen.Role
	parties []*tradescreen.Party
	n       int // alerts made
	tried   int // moves tried
}

// testWorkflowModel explores every sequence of accepted moves up to depth, trying every move after each.
func testWorkflowModel(t *testing.T, s tradescreen.Store, depth int) {
	x := &workflowExplorer{s: s, depth: depth, moves: WorkflowMoves(), roles: workflowRoles()}
	for i := 0; i < 16; i++ {
		x.parties = append(x.parties, importOne(t, s, tradescreen.Party{ID: fmt.Sprintf("WF-%02d", i), Name: "Hikvision Europe B.V.", Country: "NL"}))
	}
	if err := x.explore(nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("depth %d: %d sequences, each on an alert of its own; %d moves tried", depth, x.n, x.tried)
	verifyChain(t, s)
}

// hit returns the screening hit of the alert with entry key id after `changes` changes of the entry.
func workflowHit(id string, changes int) tradescreen.Hit {
	e := hikEntry()
	e.SourceID = id
	for i := 1; i <= changes; i++ {
		e.Aliases = append(e.Aliases, tradescreen.Name{Full: fmt.Sprintf("Hikvision Europe %d", i), Type: tradescreen.NameAKA})
	}
	return hitOf(e, "Hikvision", 0.9)
}

// play makes one move on the alert; screening is the party screened again with the entry changed once more.
func (x *workflowExplorer) play(p *tradescreen.Party, id int64, entry string, mv WorkflowMove, changes *int) error {
	if mv.Screen {
		*changes++
		_, err := x.s.Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{workflowHit(entry, *changes)})
		return err
	}
	_, err := x.s.Alerts().TransitionAlert(ctx, mv.Actor, id, mv.To, mv.Reason())
	return err
}

// explore replays path on a new alert, checks it, and goes on with every move the model accepts.
func (x *workflowExplorer) explore(path []WorkflowMove) error {
	x.n++
	p, entry := x.parties[x.n%len(x.parties)], fmt.Sprintf("wf-%d", x.n)
	changes := 0
	ch, err := x.s.Alerts().RaiseAlerts(ctx, tradescreen.System, p, []tradescreen.Hit{workflowHit(entry, changes)})
	if err != nil {
		return err
	}
	id := ch[0].Alert.ID
	m := NewWorkflowModel()
	for i, mv := range path {
		if err := x.play(p, id, entry, mv, &changes); err != nil {
			return fmt.Errorf("sequence %s: move %d refused: %v", seqString(path), i+1, err)
		}
		m.Apply(mv)
	}
	a, err := x.check(path, id, m)
	if err != nil || len(path) == x.depth {
		return err
	}
	for _, mv := range x.moves {
		ok, codes := m.Accepts(mv)
		if ok {
			if err := x.explore(append(slices.Clip(path), mv)); err != nil {
				return err
			}
			continue
		}
		x.tried++
		_, err := x.s.Alerts().TransitionAlert(ctx, mv.Actor, id, mv.To, mv.Reason())
		if !slices.Contains(codes, tradescreen.ErrorCode(err)) {
			return fmt.Errorf("sequence %s then %s: got %v, want a refusal with code %v", seqString(path), mv, err, codes)
		}
	}
	// The refusals changed nothing.
	after, err := x.check(path, id, m)
	if err == nil && len(after.Transitions) != len(a.Transitions) {
		err = fmt.Errorf("sequence %s: refused moves added transitions: %+v", seqString(path), after.Transitions)
	}
	return err
}

// check reads the alert and checks its status against the model, its history against the invariants, one
// audit record per transition, and that someone can still move it on.
func (x *workflowExplorer) check(path []WorkflowMove, id int64, m *WorkflowModel) (*tradescreen.Alert, error) {
	a, err := x.s.Alerts().FindAlertByID(ctx, id)
	if err != nil {
		return nil, err
	}
	seq := seqString(path)
	if a.Status != m.Status {
		return nil, fmt.Errorf("sequence %s: the alert is %s, the model says %s", seq, a.Status, m.Status)
	}
	if err := CheckWorkflowHistory(a.Transitions, x.roles); err != nil {
		return nil, fmt.Errorf("sequence %s: %v", seq, err)
	}
	evs, err := x.s.Audit().FindAuditEvents(ctx, tradescreen.AuditFilter{Object: fmt.Sprintf("alert/%d", id)})
	if err != nil {
		return nil, err
	}
	if len(evs) != len(a.Transitions) {
		return nil, fmt.Errorf("sequence %s: %d transitions but %d audit records", seq, len(a.Transitions), len(evs))
	}
	fresh := tradescreen.Actor{Name: "quinn", Role: tradescreen.RoleApprover}
	next := tradescreen.AlertClosedFalsePositive
	if a.Status.Closed() {
		next = tradescreen.AlertOpen
	}
	if err := tradescreen.CheckTransition(fresh, a, next, "a fresh approver"); err != nil {
		return nil, fmt.Errorf("sequence %s: stuck: an approver who never touched the alert cannot move it to %s: %v", seq, next, err)
	}
	return a, nil
}

func seqString(path []WorkflowMove) string {
	if len(path) == 0 {
		return "[raised]"
	}
	s := make([]string, len(path))
	for i, mv := range path {
		s[i] = mv.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}
