package ownership

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

//go:embed rules.csv
var rulesCSV string

// Rule statuses.
const (
	InForce   = "in_force"
	Suspended = "suspended"
)

// Effects of a rule on a party it reaches.
const (
	// EffectBlocked: the party is blocked like its owners (OFAC).
	EffectBlocked = "blocked"
	// EffectOwnerLicence: the party takes its listed owners' licence requirement, the most restrictive one.
	EffectOwnerLicence = "owner_licence"
	// EffectNone: no legal effect (a suspended rule); the finding is information and a red flag.
	EffectNone = "none"
)

// Rule is one period of one ownership rule: what it covers, from when to when, and with what effect. A rule
// that changes (suspended, reimposed, amended) has one row per period, with the same ID.
type Rule struct {
	ID     string `json:"rule"`
	Name   string `json:"name"`
	Status string `json:"status"`
	// From and To bound the period, YYYY-MM-DD, both inclusive; To is empty for an open period.
	From string `json:"from"`
	To   string `json:"to,omitempty"`
	// Lists are the list codes whose entries are owners under the rule; Programs, when set for a list code,
	// restrict that list to entries carrying one of these program tags.
	Lists    []string            `json:"lists"`
	Programs map[string][]string `json:"programs,omitempty"`
	// Threshold is the share, in percent, at or above which the party is reached (50).
	Threshold float64 `json:"threshold"`
	// Aggregate is true when the shares of several listed owners add up; false when one owner must hold
	// the threshold alone.
	Aggregate  bool   `json:"aggregate"`
	Effect     string `json:"effect"`
	EffectText string `json:"effect_text"`
	Citation   string `json:"citation"`
	URL        string `json:"url,omitempty"`
	// ForeignOnly is true when the rule reaches only parties outside the United States (the BIS Affiliates
	// Rule, § 744.11(a)(1): foreign entities owned by listed parties); a party the ownership data places in
	// the US is not evaluated under it.
	ForeignOnly bool `json:"foreign_only,omitempty"`
	// Origin is the rules file and line.
	Origin string `json:"origin,omitempty"`
}

// Covers reports whether the period includes date (YYYY-MM-DD).
func (r Rule) Covers(date string) bool {
	return r.From <= date && (r.To == "" || date <= r.To)
}

// Applies reports whether an entry is an owner under the rule: its list is covered and, where the rule
// names programs for that list, the entry carries one of them.
func (r Rule) Applies(e *tradescreen.Entry) bool {
	if !contains(r.Lists, e.Source) {
		return false
	}
	progs := r.Programs[e.Source]
	if len(progs) == 0 {
		return true
	}
	for _, p := range e.Programs {
		for _, want := range progs {
			if strings.EqualFold(strings.Trim(strings.TrimSpace(p), "[]"), want) {
				return true
			}
		}
	}
	return false
}

// Rules is a rule calendar: every period of every rule.
type Rules []Rule

var (
	defaultOnce  sync.Once
	defaultRules Rules
	defaultErr   error
)

// DefaultRules returns the embedded rule calendar (ownership/rules.csv).
func DefaultRules() (Rules, error) {
	defaultOnce.Do(func() { defaultRules, defaultErr = ParseRules(strings.NewReader(rulesCSV), "rules.csv") })
	return defaultRules, defaultErr
}

// LoadRules reads a rule calendar from a file in the rules.csv format, or returns the embedded one for "".
// Errors are EINVALID for an unreadable file, *tradescreen.ParseError for bad content.
func LoadRules(path string) (Rules, error) {
	if path == "" {
		return DefaultRules()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "rules: cannot read %s: %v", path, err)
	}
	defer f.Close()
	return ParseRules(f, filepath.Base(path))
}

// ParseRules reads a rule calendar: a CSV with the columns rule, name, status (in_force or suspended), from,
// to, lists (list codes separated by ";", each optionally "code:PROG|PROG"), threshold, aggregate
// (true/false), effect (blocked, owner_licence, none), effect_text, citation, url. The periods of one rule
// must not overlap. Errors are *tradescreen.ParseError naming the line and column.
func ParseRules(r io.Reader, name string) (Rules, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "read header", Err: err}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"rule", "name", "status", "from", "to", "lists", "threshold", "aggregate", "effect", "effect_text", "citation"} {
		if _, ok := col[c]; !ok {
			return nil, source.Errorf(name, 1, c, "missing column")
		}
	}
	var out Rules
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &tradescreen.ParseError{File: name, Err: err}
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		ru := Rule{ID: get("rule"), Name: get("name"), Status: get("status"), EffectText: get("effect_text"),
			Citation: get("citation"), URL: get("url"), Effect: get("effect"), Programs: map[string][]string{},
			Origin: name + " line " + strconv.Itoa(line)}
		if ru.ID == "" {
			return nil, source.Errorf(name, line, "rule", "empty")
		}
		if ru.Status != InForce && ru.Status != Suspended {
			return nil, source.Errorf(name, line, "status", "%q is not in_force or suspended", ru.Status)
		}
		if ru.From, err = parseDate(get("from")); err != nil || ru.From == "" {
			return nil, source.Errorf(name, line, "from", "want a date YYYY-MM-DD, got %q", get("from"))
		}
		if ru.To, err = parseDate(get("to")); err != nil {
			return nil, source.Errorf(name, line, "to", "%v", err)
		}
		if ru.To != "" && ru.To < ru.From {
			return nil, source.Errorf(name, line, "to", "%s is before from %s", ru.To, ru.From)
		}
		for _, l := range strings.Split(get("lists"), ";") {
			code, progs, _ := strings.Cut(strings.TrimSpace(l), ":")
			if code == "" {
				continue
			}
			if _, ok := tradescreen.LookupSource(code); !ok {
				return nil, source.Errorf(name, line, "lists", "unknown list code %q", code)
			}
			ru.Lists = append(ru.Lists, code)
			for _, p := range strings.Split(progs, "|") {
				if p = strings.TrimSpace(p); p != "" {
					ru.Programs[code] = append(ru.Programs[code], p)
				}
			}
		}
		if len(ru.Lists) == 0 {
			return nil, source.Errorf(name, line, "lists", "empty")
		}
		if v := get("foreign_only"); v != "" {
			if ru.ForeignOnly, err = strconv.ParseBool(v); err != nil {
				return nil, source.Errorf(name, line, "foreign_only", "want true or false, got %q", v)
			}
		}
		if ru.Threshold, err = strconv.ParseFloat(get("threshold"), 64); err != nil || ru.Threshold <= 0 || ru.Threshold > 100 {
			return nil, source.Errorf(name, line, "threshold", "want a percentage in (0, 100], got %q", get("threshold"))
		}
		if ru.Aggregate, err = strconv.ParseBool(get("aggregate")); err != nil {
			return nil, source.Errorf(name, line, "aggregate", "want true or false, got %q", get("aggregate"))
		}
		switch ru.Effect {
		case EffectBlocked, EffectOwnerLicence, EffectNone:
		default:
			return nil, source.Errorf(name, line, "effect", "%q is not blocked, owner_licence or none", ru.Effect)
		}
		if ru.Status == Suspended && ru.Effect != EffectNone {
			return nil, source.Errorf(name, line, "effect", "a suspended period has effect none")
		}
		if ru.Citation == "" {
			return nil, source.Errorf(name, line, "citation", "empty: cite the source of the rule")
		}
		for _, o := range out {
			if o.ID == ru.ID && o.From <= orMax(ru.To) && ru.From <= orMax(o.To) {
				return nil, source.Errorf(name, line, "from", "%s %s..%s overlaps %s..%s (%s)", ru.ID, ru.From, ru.To, o.From, o.To, o.Origin)
			}
		}
		out = append(out, ru)
	}
	if len(out) == 0 {
		return nil, source.Errorf(name, 0, "", "no rules")
	}
	return out, nil
}

func orMax(d string) string {
	if d == "" {
		return "9999-12-31"
	}
	return d
}

// On returns the period of each rule that covers date, ordered by rule ID. A rule with no period covering
// the date is not in force and is left out.
func (rs Rules) On(date string) Rules {
	var out Rules
	for _, r := range rs {
		if r.Covers(date) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IDs returns the distinct rule IDs in order of first appearance.
func (rs Rules) IDs() []string {
	var out []string
	for _, r := range rs {
		if !contains(out, r.ID) {
			out = append(out, r.ID)
		}
	}
	return out
}
