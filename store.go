package tradescreen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// This file holds the domain of the stored, case-managed side of tradescreen: the parties a user screens
// continuously, the alerts their matches raise and the decisions taken on them, the users who take them and
// the tamper-evident audit trail that records all of it. The sqlite and postgres packages implement the
// service interfaces below and run the same test suite (storetest).

// Party is one of the user's own customers, suppliers or other counterparties, kept in the parties register
// under the user's own id and re-screened as the lists change.
type Party struct {
	// ID is the user's own identifier for the party (customer number, ERP key).
	ID   string `json:"id"`
	Name string `json:"name"`
	// Kind, Country and BirthDate are screened with the name when given.
	Kind      Kind   `json:"type,omitempty"`
	Country   string `json:"country,omitempty"`
	BirthDate string `json:"date_of_birth,omitempty"`
	// Extra holds the other columns of the imported row, carried for display.
	Extra map[string]string `json:"extra,omitempty"`
	// Version counts changes to the screened data (name, type, country, birth date), from 1.
	Version int `json:"version"`
	// Hash is DataHash of the current data; ScreenedHash the DataHash last screened (empty: never screened).
	Hash         string     `json:"hash"`
	ScreenedHash string     `json:"screened_hash,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty"`
}

// Query returns the screening query for the party.
func (p *Party) Query() Query {
	return Query{Name: p.Name, Kind: p.Kind, Country: p.Country, BirthDate: p.BirthDate}
}

// DataHash returns the hex SHA-256 of the party's screened data: name, type, country and birth date. A change
// to any of them reopens the party's false-positive decisions.
func (p *Party) DataHash() string {
	b, _ := json.Marshal([]string{p.Name, string(p.Kind), p.Country, p.BirthDate})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// PartyFields returns the screened fields of a party by name, for showing what changed.
func (p *Party) PartyFields() map[string]string {
	return map[string]string{"name": p.Name, "type": string(p.Kind), "country": p.Country, "date_of_birth": p.BirthDate}
}

// PartyFilter selects parties. The zero value selects every party that is not deleted.
type PartyFilter struct {
	ID *string
	// Deleted includes soft-deleted parties.
	Deleted bool
	// Stale selects only parties whose data changed since they were last screened (or never were).
	Stale  bool
	Offset int
	Limit  int
}

// PartyUpdate is a change to one party's data; nil fields are left as they are.
type PartyUpdate struct {
	Name      *string
	Kind      *Kind
	Country   *string
	BirthDate *string
	Reason    string
}

// ImportStats count what an import did.
type ImportStats struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Restored  int `json:"restored"`
}

// PartyService manages the parties register. Every change is recorded in the audit trail in the same
// transaction.
type PartyService interface {
	// ImportParties creates or updates parties by id (restoring deleted ones) in one transaction. source names
	// the file (and its SHA-256) for the audit record. Errors: EINVALID for a party without id or name.
	ImportParties(ctx context.Context, actor Actor, source string, parties []Party) (ImportStats, error)
	// FindPartyByID returns a party, deleted or not. Errors: ENOTFOUND.
	FindPartyByID(ctx context.Context, id string) (*Party, error)
	// FindParties returns the parties the filter selects, ordered by id, and their total count.
	FindParties(ctx context.Context, f PartyFilter) ([]*Party, int, error)
	// UpdateParty changes a party's data. Errors: ENOTFOUND, EINVALID (empty name or reason), EFORBIDDEN.
	UpdateParty(ctx context.Context, actor Actor, id string, upd PartyUpdate) (*Party, error)
	// DeleteParty soft-deletes a party: it is no longer screened, its alerts and history are kept. Errors:
	// ENOTFOUND, EINVALID (no reason), EFORBIDDEN.
	DeleteParty(ctx context.Context, actor Actor, id, reason string) error
	// MarkScreened records that the parties were screened with the given data hashes (party id -> hash).
	MarkScreened(ctx context.Context, hashes map[string]string) error
}

// AlertStatus is where an alert stands in the review workflow.
type AlertStatus string

// Alert statuses. An alert starts open; closing it as a true match or a false positive is the decision.
const (
	AlertOpen                AlertStatus = "open"
	AlertUnderReview         AlertStatus = "under_review"
	AlertEscalated           AlertStatus = "escalated"
	AlertClosedTrueMatch     AlertStatus = "closed_true_match"
	AlertClosedFalsePositive AlertStatus = "closed_false_positive"
)

// AlertStatuses lists the statuses in workflow order.
var AlertStatuses = []AlertStatus{AlertOpen, AlertUnderReview, AlertEscalated, AlertClosedTrueMatch, AlertClosedFalsePositive}

// Closed reports whether the status is a decision.
func (s AlertStatus) Closed() bool {
	return s == AlertClosedTrueMatch || s == AlertClosedFalsePositive
}

// ParseAlertStatus reads a status name ("open", "under-review", "false_positive" ...). Errors: EINVALID.
func ParseAlertStatus(s string) (AlertStatus, error) {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	switch k {
	case "false_positive", "fp":
		return AlertClosedFalsePositive, nil
	case "true_match", "tm":
		return AlertClosedTrueMatch, nil
	case "review":
		return AlertUnderReview, nil
	}
	for _, st := range AlertStatuses {
		if string(st) == k {
			return st, nil
		}
	}
	return "", Errorf(EINVALID, "status: %q is not one of open, under_review, escalated, closed_true_match, closed_false_positive", s)
}

// Alert is one list entry matching one party: unique per party and entry, reviewed through AlertStatus.
type Alert struct {
	ID       int64  `json:"id"`
	PartyID  string `json:"party_id"`
	Source   string `json:"source"`
	SourceID string `json:"source_id"`
	// EntryName is the entry's primary name; MatchedName the name that matched; PartyName the party's name
	// screened.
	EntryName   string      `json:"entry_name"`
	MatchedName string      `json:"matched_name"`
	PartyName   string      `json:"party_name"`
	Score       float64     `json:"score"`
	Status      AlertStatus `json:"status"`
	// EntryHash is EntryHash of the entry and PartyHash the party's DataHash when the alert was last
	// raised or decided; EntryData and PartyData the values they hash, to show what changed.
	EntryHash string            `json:"entry_hash"`
	PartyHash string            `json:"party_hash"`
	EntryData []string          `json:"entry_data,omitempty"`
	PartyData map[string]string `json:"party_data,omitempty"`
	// EscalatedBy is who escalated the alert last.
	EscalatedBy string       `json:"escalated_by,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	Transitions []Transition `json:"transitions,omitempty"`
}

// Key returns the alert's entry key "source/source_id".
func (a *Alert) Key() string { return a.Source + "/" + a.SourceID }

// Transition is one move of an alert through the workflow: who, when, from where to where and why. A move
// to a closed status is a decision. Moves made by the system (an alert raised or reopened because the entry
// or the party changed) have the actor "system:monitor" or the screening actor and the difference as reason.
type Transition struct {
	ID      int64       `json:"id"`
	AlertID int64       `json:"alert_id"`
	From    AlertStatus `json:"from,omitempty"`
	To      AlertStatus `json:"to"`
	Actor   string      `json:"actor"`
	Reason  string      `json:"reason"`
	At      time.Time   `json:"at"`
	// Automatic is set on the moves screening makes by itself (an alert raised, a false positive reopened
	// because the entry or the party changed, a look-alike closed by the allow list); the workflow's
	// four-eyes rules count only the moves people make (see Workflow).
	Automatic bool `json:"automatic,omitempty"`
}

// Decision is a transition to a closed status.
type Decision = Transition

// IsDecision reports whether the transition closes the alert.
func (t Transition) IsDecision() bool { return t.To.Closed() }

// Hit is one match of a party found by screening, the input to RaiseAlerts.
type Hit struct {
	Source      string  `json:"source"`
	SourceID    string  `json:"source_id"`
	EntryName   string  `json:"entry_name"`
	MatchedName string  `json:"matched_name"`
	Score       float64 `json:"score"`
	// EntryHash and EntryData come from EntryHash(entry) and EntryData(entry).
	EntryHash string   `json:"entry_hash"`
	EntryData []string `json:"entry_data"`
}

// HitOf makes a Hit from a match (its Entry must be set).
func HitOf(m Match) Hit {
	h := Hit{Source: m.Source, SourceID: m.SourceID, EntryName: m.Name, MatchedName: m.MatchedName, Score: m.Score}
	if m.Entry != nil {
		h.EntryData = EntryData(m.Entry)
		h.EntryHash = HashStrings(h.EntryData)
	}
	return h
}

// EntryData lists what identifies a listed entry for alert decisions: its names (primary and aliases) and
// identifiers, as "name: X" and "id: TYPE NUMBER" lines, sorted. A change to any of them reopens a false
// positive.
func EntryData(e *Entry) []string {
	var out []string
	for _, n := range e.AllNames() {
		out = append(out, "name: "+n.Full)
	}
	for _, id := range e.Identifiers {
		out = append(out, strings.TrimSpace("id: "+id.Type+" "+id.Number))
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// EntryHash returns the hex SHA-256 of EntryData(e).
func EntryHash(e *Entry) string { return HashStrings(EntryData(e)) }

// HashStrings returns the hex SHA-256 of the JSON encoding of s.
func HashStrings(s []string) string {
	if s == nil {
		s = []string{}
	}
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AlertChange says what RaiseAlerts did with one hit.
type AlertChange struct {
	Alert *Alert `json:"alert"`
	// Action is "created", "reopened", "updated" (still in review; score or data refreshed), "kept"
	// (decided, nothing relevant changed) or "allowed" (created already closed as a false positive because
	// the allow list covers the pairing; see AlertService.RaiseAlertsAllowed).
	Action string `json:"action"`
	// Difference says what changed when an alert was reopened.
	Difference string `json:"difference,omitempty"`
}

// AlertFilter selects alerts. The zero value selects all.
type AlertFilter struct {
	PartyID string
	Status  []AlertStatus
	// Source selects the alerts on the entries of one list (a list code such as "us_el").
	Source string
	// CreatedBefore, when set, selects the alerts raised before that time (an alert queue's "older than").
	CreatedBefore time.Time
	Offset        int
	Limit         int
}

// AlertService stores alerts and their workflow. Every change is audited in the same transaction.
type AlertService interface {
	// RaiseAlerts records the hits of one screening of party: a new alert per new (party, entry), and a
	// false-positive or true-match decision reopened when the entry's names or ids or the party's data
	// changed since it was decided (the transition's reason shows the difference). Alerts in review are
	// refreshed. Errors: ENOTFOUND (no such party).
	RaiseAlerts(ctx context.Context, actor Actor, party *Party, hits []Hit) ([]AlertChange, error)
	// RaiseAlertsAllowed is RaiseAlerts for a screening some of whose hits the allow list of reviewed
	// look-alikes covers: allowed maps their entry keys ("us_el/123") to the allowance's note ("allowed:
	// reviewed look-alike (REASON; reviewed by WHO on DATE; allow-list row ID)"). A covered hit with no
	// alert yet gets one created already closed as a false positive by actor, in one transaction: the
	// alert is raised (transition to open, alert.create) and decided (transition to closed_false_positive
	// with the note as reason, alert.decision), so it never stands open and stays visible (action
	// "allowed"). An existing alert is treated as RaiseAlerts treats it, covered or not: a false positive
	// whose entry or party changed is reopened, an alert in review is refreshed, a decision is kept.
	// Errors: those of RaiseAlerts; EINVALID for an empty note.
	RaiseAlertsAllowed(ctx context.Context, actor Actor, party *Party, hits []Hit, allowed map[string]string) ([]AlertChange, error)
	// FindAlertByID returns an alert with its transitions. Errors: ENOTFOUND.
	FindAlertByID(ctx context.Context, id int64) (*Alert, error)
	// FindAlerts returns the alerts the filter selects, newest first, and their total count.
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, int, error)
	// TransitionAlert moves an alert to status `to` (see CheckTransition). The alert is read locked in the
	// transaction, so of two concurrent moves the second sees the first: a second decision on a decided
	// alert, or a move to the status the alert already has, is ECONFLICT. Errors: ENOTFOUND, ECONFLICT,
	// EINVALID, EFORBIDDEN.
	TransitionAlert(ctx context.Context, actor Actor, id int64, to AlertStatus, reason string) (*Alert, error)
	// TransitionAlertFrom is TransitionAlert for a caller who saw the alert with status `from` (a page, an
	// API client): when the alert has another status by the time the transaction reads it locked, it is
	// ECONFLICT and nothing changes. An empty from checks nothing more than TransitionAlert. Errors: those
	// of TransitionAlert.
	TransitionAlertFrom(ctx context.Context, actor Actor, id int64, from, to AlertStatus, reason string) (*Alert, error)
}

// Audit actions recorded in the trail.
const (
	AuditScreen          = "screen"
	AuditPartyImport     = "party.import"
	AuditPartyCreate     = "party.create"
	AuditPartyUpdate     = "party.update"
	AuditPartyDelete     = "party.delete"
	AuditPartyRestore    = "party.restore"
	AuditAlertCreate     = "alert.create"
	AuditAlertTransition = "alert.transition"
	AuditAlertReopen     = "alert.reopen"
	AuditDecision        = "alert.decision"
	AuditListLoad        = "lists.load"
	AuditMonitorRun      = "monitor.run"
	AuditConfigChange    = "config.change"
	AuditUserCreate      = "user.create"
	AuditUserDisable     = "user.disable"
	AuditPrune           = "audit.prune"
)

// AuditEvent is one record of the append-only audit trail. Each record's Hash is ChainHash(PrevHash, event):
// editing, deleting or reordering any record breaks the chain.
type AuditEvent struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	// Object is what the action was about: "party/C-1001", "alert/17", "list/us_el".
	Object string `json:"object"`
	// Details is a JSON object with the specifics, kept byte for byte as hashed.
	Details  string `json:"details"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// AuditDetails encodes v as the Details of an event.
func AuditDetails(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("{%q:%q}", "error", err.Error())
	}
	return string(b)
}

// Canonical returns the canonical encoding of the event's content (everything but the hashes): a JSON array
// of seq, time (RFC 3339, UTC, nanoseconds), actor, action, object and details, without spaces, UTF-8, with
// no HTML escaping (what Python's json.dumps(..., separators=(",", ":"), ensure_ascii=False) writes too).
func (e *AuditEvent) Canonical() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode([]any{e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Object, e.Details})
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'})
}

// ChainHash returns hex SHA-256 over the previous record's hash, a newline and the event's canonical encoding.
func ChainHash(prev string, e *AuditEvent) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(e.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit events: From inclusive, To exclusive (zero: unbounded).
type AuditFilter struct {
	From, To time.Time
	Action   string
	Object   string
	AfterSeq int64
	Limit    int
}

// AuditVerification is the result of checking the whole chain.
type AuditVerification struct {
	OK bool `json:"ok"`
	// Events is the number of records checked; FirstSeq and LastSeq their range.
	Events   int64 `json:"events"`
	FirstSeq int64 `json:"first_seq"`
	LastSeq  int64 `json:"last_seq"`
	// Head is the last record's hash: keep it elsewhere to detect a later deletion of the newest records.
	Head string `json:"head"`
	// BadSeq is the first record at fault and Problem what is wrong, when not OK.
	BadSeq  int64  `json:"bad_seq,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// ChainVerifier checks audit records one at a time, in sequence order.
type ChainVerifier struct {
	prevSeq  int64
	prevHash string
	started  bool
	// anchorSeq and anchorHash are where the trail starts; pruned is set once a pruning record in the
	// chain vouches for them.
	anchorSeq  int64
	anchorHash string
	pruned     bool
	Result     AuditVerification
}

// NewChainVerifier starts a check after the anchor: the last pruned record (seq 0 and "" when nothing was
// pruned). An anchor past 0 must be vouched for by a pruning record (action AuditPrune) in the chain after it
// whose details name it (PruneDetails), or Finish fails: moving the anchor and deleting the oldest records
// is detected, since no such record can be added to the chain without rewriting it up to its head.
func NewChainVerifier(anchorSeq int64, anchorHash string) *ChainVerifier {
	return &ChainVerifier{prevSeq: anchorSeq, prevHash: anchorHash, anchorSeq: anchorSeq, anchorHash: anchorHash,
		pruned: anchorSeq == 0 && anchorHash == "", Result: AuditVerification{OK: true}}
}

// PruneDetails are the details of a pruning record (action AuditPrune): how many records it deleted, the
// last one's seq and hash (the new anchor), the cut-off time and the retention period.
type PruneDetails struct {
	Deleted    int64  `json:"deleted"`
	ThroughSeq int64  `json:"through_seq"`
	AnchorHash string `json:"anchor_hash"`
	Before     string `json:"before"`
	Retention  string `json:"retention"`
}

// vouches reports whether e is a pruning record naming the verifier's anchor.
func (v *ChainVerifier) vouches(e *AuditEvent) bool {
	if e.Action != AuditPrune {
		return false
	}
	var d PruneDetails
	if json.Unmarshal([]byte(e.Details), &d) != nil {
		return false
	}
	return d.ThroughSeq == v.anchorSeq && d.AnchorHash == v.anchorHash
}

// Add checks the next record and reports whether the chain still holds.
func (v *ChainVerifier) Add(e *AuditEvent) bool {
	if !v.Result.OK {
		return false
	}
	fail := func(format string, args ...any) bool {
		v.Result.OK = false
		v.Result.BadSeq = e.Seq
		v.Result.Problem = fmt.Sprintf(format, args...)
		return false
	}
	switch {
	case e.Seq != v.prevSeq+1:
		return fail("record %d follows record %d: records are missing or reordered", e.Seq, v.prevSeq)
	case e.PrevHash != v.prevHash:
		return fail("record %d does not chain to record %d (prev_hash %.12s, want %.12s): a record was deleted, reordered or edited", e.Seq, v.prevSeq, e.PrevHash, v.prevHash)
	case ChainHash(e.PrevHash, e) != e.Hash:
		return fail("record %d was edited: its content does not hash to its stored hash", e.Seq)
	}
	if !v.pruned && v.vouches(e) {
		v.pruned = true
	}
	if !v.started {
		v.Result.FirstSeq = e.Seq
		v.started = true
	}
	v.Result.Events++
	v.Result.LastSeq = e.Seq
	v.Result.Head = e.Hash
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	return true
}

// Finish checks the start of the chain (an anchor past 0 vouched for by a pruning record) and its end against
// the recorded head (the last record's seq and hash kept apart from the records), and returns the result.
func (v *ChainVerifier) Finish(headSeq int64, headHash string) AuditVerification {
	if v.Result.OK && !v.pruned {
		v.Result.OK = false
		v.Result.BadSeq = v.anchorSeq + 1
		v.Result.Problem = fmt.Sprintf("the trail starts after record %d, but no pruning record (%s) in it names that record and its hash: the oldest records were deleted and the anchor moved", v.anchorSeq, AuditPrune)
	}
	if v.Result.OK && (headSeq != v.prevSeq || headHash != v.prevHash) {
		v.Result.OK = false
		v.Result.BadSeq = headSeq
		v.Result.Problem = fmt.Sprintf("the trail ends at record %d but its head records %d: the newest records were deleted or edited", v.prevSeq, headSeq)
	}
	return v.Result
}

// AuditService is the append-only audit trail.
type AuditService interface {
	// AppendAudit records events, in one transaction and in order (their Seq, At, PrevHash and Hash are set
	// by the store), for actions that happen outside the store: screenings, list loads, configuration
	// changes. Errors: EINVALID for an event without actor or action.
	AppendAudit(ctx context.Context, events ...*AuditEvent) error
	// FindAuditEvents returns the events the filter selects, in sequence order.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// VerifyAudit recomputes the whole chain.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
	// AuditRetention returns the retention period (0: keep forever, the default).
	AuditRetention(ctx context.Context) (time.Duration, error)
	// SetAuditRetention changes the retention period (audited as a configuration change). Errors: EINVALID,
	// EFORBIDDEN (admins only).
	SetAuditRetention(ctx context.Context, actor Actor, d time.Duration) error
	// PruneAudit deletes the events older than the retention period, keeping the last deleted record's hash
	// as the chain's anchor and recording the pruning as an event. It deletes nothing when retention is 0.
	// Errors: EFORBIDDEN (admins only).
	PruneAudit(ctx context.Context, actor Actor) (int64, error)
}

// Role is what a user may do. Each role may do everything the roles before it may.
type Role string

// Roles, from least to most privileged.
const (
	RoleViewer   Role = "viewer"   // reads parties, alerts and the audit trail
	RoleAnalyst  Role = "analyst"  // imports and edits parties, screens, moves and closes alerts
	RoleApprover Role = "approver" // also closes escalated alerts (not their own escalations)
	RoleAdmin    Role = "admin"    // also manages users and configuration
)

// Roles lists the roles from least to most privileged.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleApprover, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i
		}
	}
	return -1
}

// AtLeast reports whether r has every permission of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() >= 0 }

// ParseRole reads a role name. Errors: EINVALID.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.rank() < 0 {
		return "", Errorf(EINVALID, "role: %q is not viewer, analyst, approver or admin", s)
	}
	return r, nil
}

// Actor is who does something: a user's name and role. The CLI acts as "cli:$USER" with the admin role.
type Actor struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// System is the actor of automatic changes (monitoring).
var System = Actor{Name: "system:monitor", Role: RoleAnalyst}

// Require returns EFORBIDDEN unless the actor has at least the role.
func (a Actor) Require(min Role, what string) error {
	if !a.Role.AtLeast(min) {
		return Errorf(EFORBIDDEN, "%s (%s) may not %s: %s role required", a.Name, a.Role, what, min)
	}
	return nil
}

// User is a person or program with an API key. The key's secret is stored only as a hash.
type User struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// Actor returns the user as an actor.
func (u *User) Actor() Actor { return Actor{Name: u.Name, Role: u.Role} }

// UserService manages users and authenticates API keys.
type UserService interface {
	// CreateUser adds a user and returns the API key, shown once ("tsk_<id>_<secret>"). Errors: EINVALID,
	// ECONFLICT (name taken), EFORBIDDEN (admins only).
	CreateUser(ctx context.Context, actor Actor, name string, role Role) (*User, string, error)
	// Authenticate returns the user of an API key. Errors: EUNAUTHORIZED.
	Authenticate(ctx context.Context, key string) (*User, error)
	// FindUsers lists users by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// DisableUser revokes a user's key. Errors: ENOTFOUND, EFORBIDDEN.
	DisableUser(ctx context.Context, actor Actor, name string) error
}

// MonitorState is what monitoring remembers between runs: the EntryHash of every entry of the lists it last
// screened against, keyed by "source/source_id".
type MonitorState interface {
	// EntryHashes returns the entry hashes of the last run (empty before the first).
	EntryHashes(ctx context.Context) (map[string]string, error)
	// SaveEntryHashes stores the hashes in set (adding or replacing them) and deletes those of the removed
	// keys, in one transaction.
	SaveEntryHashes(ctx context.Context, set map[string]string, removed []string) error
}

// Store is a database holding every service. sqlite.DB and postgres.DB implement it.
type Store interface {
	Parties() PartyService
	Alerts() AlertService
	Audit() AuditService
	Users() UserService
	Monitor() MonitorState
	// Locks and Notifications coordinate several processes (serve instances, cron jobs) sharing the database.
	Locks() LockService
	Notifications() NotifyService
	Close() error
}

// Lock is a named lock taken through a LockService and held until Unlock.
type Lock interface {
	// Lost is closed when the lock was lost before Unlock: the database connection holding it died, so
	// another process may take it. Work done under the lock should stop.
	Lost() <-chan struct{}
	// Unlock releases the lock; calling it again does nothing. An error means the release could not be
	// confirmed; the lock is then released when its connection closes, which Unlock also does.
	Unlock() error
}

// LockService gives background work (a monitoring run, a list download) to one process at a time among all
// those sharing the database, on one machine or several. A lock is released by Unlock, and also when the
// process holding it dies (kill -9, a crash, a lost connection), so that a dead holder never blocks the
// others for good. Locks are not re-entrant: taking a held lock again fails even in the same process.
type LockService interface {
	// TryLock takes the lock called name (lower-case letters, digits, '.', '_' and '-'; at most 40 bytes)
	// at once, without waiting. Errors: ECONFLICT when another holder has it, EINVALID for a bad name.
	TryLock(ctx context.Context, name string) (Lock, error)
}

// WaitLock takes the lock called name, trying again every `every` while another holder has it, until ctx
// ends. Errors: TryLock's other than ECONFLICT, and ctx's error when it ends first.
func WaitLock(ctx context.Context, ls LockService, name string, every time.Duration) (Lock, error) {
	if every <= 0 {
		every = time.Second
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l, err := ls.TryLock(ctx, name)
		if ErrorCode(err) != ECONFLICT {
			return l, err
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// CheckLockName returns EINVALID unless name is a valid lock or notification channel name: 1 to 40 bytes of
// lower-case letters, digits, '.', '_' and '-'.
func CheckLockName(name string) error {
	ok := len(name) > 0 && len(name) <= 40
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			ok = false
		}
	}
	if !ok {
		return Errorf(EINVALID, "name %q: want 1 to 40 lower-case letters, digits, '.', '_' or '-'", name)
	}
	return nil
}

// Notification channels.
const (
	// ChannelLists carries "a new list version was stored": instances reload their lists from the data
	// directory (or download them) when told. The payload names the feeds and versions, for the logs.
	ChannelLists = "lists"
)

// NotifyService tells the other processes sharing the database that something changed, such as a new list
// version, so that they act at once instead of at their next poll. Delivery is best effort: a listener that
// is not connected when a notification is sent misses it, so listeners also poll what they watch.
type NotifyService interface {
	// Notify sends payload (at most 1,000 bytes) on channel (a lock name, see CheckLockName) to every
	// listener, in this process and others, once the call returns. Errors: EINVALID for a bad channel or an
	// oversized payload.
	Notify(ctx context.Context, channel, payload string) error
	// Listen returns the payloads sent on channel from now on, in order, until ctx ends; the returned
	// channel is then closed. A listener whose database connection drops reconnects by itself (missing what
	// was sent meanwhile). Errors: EINVALID for a bad channel, and the database's when it cannot listen.
	Listen(ctx context.Context, channel string) (<-chan string, error)
}
