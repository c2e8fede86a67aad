package tradescreen

import (
	"context"
	"fmt"
	"math"
	"time"
)

// This file holds the one question tradescreen answers — is this party listed, and what follows from it —
// as the domain sees it: the request, the answer every door shows, and the ScreeningService that answers it.
// Package screening implements the service; the CLI commands, the HTTP handlers, batch runs, order
// decisions and monitoring all ask it, so that a name gets the same matches, scores, allowances and
// ownership findings whichever door it comes through.

// ScreenRequest is one screening: the query and what the answer depends on beyond it.
type ScreenRequest struct {
	Query
	// PartyID is the parties-register id of the screened party, when it is one: the allow list pairs
	// allowances with a party's id as well as its name.
	PartyID string `json:"party_id,omitempty"`
	// AsOf (YYYY-MM-DD) asks for the answer as it stood on that date: the lists in force then (point in
	// time) and the ownership rules of that date. Empty means now: the lists loaded and today's rules.
	AsOf string `json:"as_of,omitempty"`
	// OwnershipDate (YYYY-MM-DD), when set, is the date whose ownership rules apply instead of AsOf's: an
	// order's date, which may lie ahead, screened on the lists in service.
	OwnershipDate string `json:"-"`
}

// Screening is the answer to one ScreenRequest: everything a door shows about it.
type Screening struct {
	Query Query `json:"query"`
	// Threshold is the alert threshold applied (the default one unless the query set another).
	Threshold float64 `json:"threshold"`
	// Matches are the entries that match, best first, each with its entry's facts and the allowance of the
	// allow list that covers it (shown, never hidden).
	Matches []MatchView `json:"matches"`
	// Ownership holds the 50 % rule findings for the screened name (empty without ownership data).
	Ownership []OwnershipFinding `json:"ownership"`
	// OwnershipDate is the date whose ownership rules the findings apply ("" without ownership data).
	OwnershipDate string `json:"ownership_date,omitempty"`
	// Lists are the lists screened against, with their dates and ages; AsOf says the same in one line.
	Lists []ListStatus `json:"lists"`
	AsOf  string       `json:"as_of"`
	// PointInTime, for a request with AsOf, says per list how its state on that date was established.
	PointInTime *PointInTime `json:"point_in_time,omitempty"`
	// Warnings name what the answer could not rest on: stale lists, lists not covered on a past date.
	Warnings []string `json:"warnings,omitempty"`
	// NotChecked says what this answer did not check (ownership without ownership data, lists not loaded).
	NotChecked []string `json:"not_checked,omitempty"`
}

// PointInTime describes a point-in-time answer: the date and, per list, how its state on that date is known.
type PointInTime struct {
	Date  string     `json:"date"`
	Lists []ListAsOf `json:"lists"`
}

// ListAsOf says how the state of one list on a past date was established (package history finds it).
type ListAsOf struct {
	Source string `json:"source"`
	// Status is "in force" (a version in force on the date), "inferred" (entries filtered by their start and
	// end dates from a later version) or "not covered" (left out: the history held does not reach the date).
	Status string `json:"status"`
	// Version is the label of the version used (or, when not covered, the oldest version held).
	Version     string `json:"version"`
	VersionDate string `json:"version_date"`
	// Entries is the number of entries kept; Dropped those filtered out by their dates; Undated those kept
	// although they carry no date (they may not have been listed yet on the date).
	Entries int    `json:"entries"`
	Dropped int    `json:"dropped,omitempty"`
	Undated int    `json:"undated,omitempty"`
	Note    string `json:"note"`
	// NewerVersion and NewerDate are set when the date falls between two versions held (Version is then
	// both, VersionDate the older one's): the list screened is every entry of the older version and the
	// newer version's entries that its own dates do not put after the date.
	NewerVersion string `json:"newer_version,omitempty"`
	NewerDate    string `json:"newer_date,omitempty"`
	// carried are the ids of the older version's entries the newer no longer has; newer the ids of the
	// entries taken from the newer version.
	carried, newer map[string]bool
}

// WithBetween returns s read between two versions, with the older version's entries the newer no longer
// has (carried) and the entries taken from the newer version (newer): the form history builds.
func (s ListAsOf) WithBetween(carried, newer map[string]bool) ListAsOf {
	s.carried, s.newer = carried, newer
	return s
}

// Carried reports whether the entry id is of the older version and no longer in the newer one.
func (s ListAsOf) Carried(id string) bool { return s.carried[id] }

// FromNewer reports whether the entry id was taken from the newer version.
func (s ListAsOf) FromNewer(id string) bool { return s.newer[id] }

// ListStatus is one list screened against, with how old it is when the answer is given.
type ListStatus struct {
	ListVersion
	// AgeDays is the whole number of days since Published (-1 when the date is unknown).
	AgeDays int `json:"age_days"`
	// Stale is true when the list is older than MaxAgeDays (or its date is unknown).
	Stale      bool `json:"stale"`
	MaxAgeDays int  `json:"max_age_days"`
}

// DefaultMaxListAge is the age past which a list is stale unless configured otherwise.
const DefaultMaxListAge = 7 * 24 * time.Hour

// AgeOf returns the status of list version l at time now, stale past maxAge (DefaultMaxListAge when zero).
func AgeOf(l ListVersion, now time.Time, maxAge time.Duration) ListStatus {
	if maxAge <= 0 {
		maxAge = DefaultMaxListAge
	}
	st := ListStatus{ListVersion: l, AgeDays: -1, Stale: true, MaxAgeDays: int(maxAge / (24 * time.Hour))}
	p, err := time.Parse(time.DateOnly, l.Published)
	if err != nil {
		return st
	}
	age := now.UTC().Sub(p)
	if age < 0 {
		age = 0
	}
	st.AgeDays = int(age / (24 * time.Hour))
	st.Stale = age > maxAge
	return st
}

// Versions returns the list versions of statuses.
func Versions(ls []ListStatus) []ListVersion {
	out := make([]ListVersion, len(ls))
	for i, l := range ls {
		out[i] = l.ListVersion
	}
	return out
}

// OwnershipFinding is the answer of one 50 % rule for one party of the ownership data on one date: whether
// listed parties own it under the rule, by which paths, and what follows. Package ownership computes it.
type OwnershipFinding struct {
	PartyID string `json:"party_id"`
	Party   string `json:"party"`
	Rule    string `json:"rule"`
	Name    string `json:"rule_name"`
	// Status is the rule's status on Date (in_force or suspended); Period the rule period that covers it.
	Status string `json:"status"`
	Date   string `json:"date"`
	Period string `json:"period"`
	Result string `json:"result"`
	// Applies is true when the rule is in force and the party is owned: the restriction holds.
	Applies bool `json:"applies"`
	// Share is the listed parties' share by known percentages (aggregate, or the largest single owner's
	// when the rule does not aggregate); MaxShare what it could be with unknown shares at their highest.
	Share     float64 `json:"share"`
	MaxShare  float64 `json:"max_share"`
	Threshold float64 `json:"threshold"`
	Summary   string  `json:"summary"`
	// Paths are the ownership paths from the party to listed owners:
	// "Chengdu Dahua Wisdom <- 100 % Zhejiang Dahua Technology (us_el, 84 FR 54002)".
	Paths  []string         `json:"paths"`
	Owners []OwnershipOwner `json:"owners"`
	// Licence is what follows: the licence requirement (most restrictive owner), blocking, or none.
	Licence  string `json:"licence"`
	Citation string `json:"citation"`
	URL      string `json:"url,omitempty"`
	// Confidence is the lowest resolution score among the owners (1 when all were resolved by identifier).
	Confidence float64 `json:"confidence"`
	// PartyScore is how well the screened name matched the ownership party's name (1 for the same name or
	// identifier); set when the finding answers a screening.
	PartyScore float64 `json:"party_score"`
}

// OwnershipOwner is a listed owner behind a finding: the ownership party and the list entry it resolved to.
type OwnershipOwner struct {
	Party  string `json:"party"`
	Entry  string `json:"entry"`
	Name   string `json:"name"`
	Source string `json:"source"`
	// Score and By say how the party was resolved to the entry (1 and "identifier ..." or the name score).
	Score              float64  `json:"score"`
	By                 string   `json:"by"`
	FederalRegister    []string `json:"federal_register,omitempty"`
	Programs           []string `json:"programs,omitempty"`
	LicenseRequirement string   `json:"license_requirement,omitempty"`
	LicensePolicy      string   `json:"license_policy,omitempty"`
}

// AuditAppender appends records to the audit trail: the store's AuditService, or a writer that commits the
// records of concurrent requests together.
type AuditAppender interface {
	AppendAudit(ctx context.Context, events ...*AuditEvent) error
}

// ScreeningService answers screenings. Every door (check, batch, order, monitor, compare, the API, the web
// UI, batch jobs) asks it, so they answer alike. Errors: EINVALID for a bad query, ESTALE when a screened
// list is older than the configured maximum age and answers must be refused, EUNAVAILABLE while the lists
// load or when the allow list cannot be read (an answer without it could wrongly raise or hide nothing, but
// the decision record would be incomplete), and the recorder's errors: an answer is not given unless it is
// recorded.
type ScreeningService interface {
	// Screen answers one request and records it in the audit trail (when the service records) as actor,
	// through channel ("check", "api", "ui" ...).
	Screen(ctx context.Context, actor Actor, channel string, req ScreenRequest) (*Screening, error)
	// ScreenMany answers several requests, in order, and records them together.
	ScreenMany(ctx context.Context, actor Actor, channel string, reqs []ScreenRequest) ([]*Screening, error)
	// Answer answers one request without recording it: for callers that record the answer within a record
	// of their own (a batch run, an order decision, a monitoring run).
	Answer(ctx context.Context, req ScreenRequest) (*Screening, error)
	// Compare scores two names against each other exactly as screening a would score an entry named b.
	Compare(a, b string, kind Kind) (float64, Explanation)
	// Lists returns the loaded lists with their ages now.
	Lists() []ListStatus
}

// FormatScore renders a score with two decimals, cut rather than rounded, so that a score below the
// threshold is never shown as reaching it (0.795 is "0.79", not "0.80").
func FormatScore(score float64) string {
	return fmt.Sprintf("%.2f", math.Floor(score*100+1e-9)/100)
}
