// Package screen puts lists and the matcher together: it merges datasets so no list is loaded twice, builds
// the index, and answers screening queries with ranked, explained matches and the dates of the lists they
// were screened against.
package screen

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/source"
)

// Screener answers screening queries against one loaded set of lists. It is immutable and safe for concurrent
// use; a list reload builds a new Screener.
type Screener struct {
	lists   []tradescreen.ListVersion
	entries []tradescreen.Entry
	byKey   map[string]*tradescreen.Entry
	index   *match.Index
	// Warnings are notes from loading (a list carried by two files, a list with no date).
	Warnings []string
}

// New merges datasets (a list code carried by several datasets is taken from the last one that carries it) and
// indexes them.
func New(datasets ...*source.Dataset) *Screener {
	owner := map[string]int{}
	for i, ds := range datasets {
		for _, l := range ds.Lists {
			owner[l.Source] = i
		}
	}
	s := &Screener{byKey: map[string]*tradescreen.Entry{}}
	n := 0
	for _, ds := range datasets {
		n += len(ds.Entries)
	}
	s.entries = make([]tradescreen.Entry, 0, n)
	for i, ds := range datasets {
		for _, l := range ds.Lists {
			if owner[l.Source] != i {
				s.Warnings = append(s.Warnings, fmt.Sprintf("%s from %s not loaded: %s also carries it", l.Source, l.Origin, datasets[owner[l.Source]].Lists[0].Origin))
				continue
			}
			s.lists = append(s.lists, l)
		}
		for _, e := range ds.Entries {
			if owner[e.Source] == i {
				s.entries = append(s.entries, e)
			}
		}
	}
	for i := range s.entries {
		s.byKey[s.entries[i].Key()] = &s.entries[i]
	}
	sort.SliceStable(s.lists, func(i, j int) bool {
		return tradescreen.SourceRank(s.lists[i].Source) < tradescreen.SourceRank(s.lists[j].Source)
	})
	s.index = match.Build(s.entries)
	return s
}

// Lists returns the loaded list versions in display order.
func (s *Screener) Lists() []tradescreen.ListVersion { return s.lists }

// Entries returns every loaded entry.
func (s *Screener) Entries() []tradescreen.Entry { return s.entries }

// Entry returns the entry with the given list code and source id, or an ENOTFOUND error.
func (s *Screener) Entry(source, id string) (*tradescreen.Entry, error) {
	if e, ok := s.byKey[source+"/"+id]; ok {
		return e, nil
	}
	return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no entry %s/%s in the loaded lists", source, id)
}

// Matcher returns the matcher over the loaded entries.
func (s *Screener) Matcher() tradescreen.Matcher { return s.index }

// Index returns the match index (for benchmarks and evaluation).
func (s *Screener) Index() *match.Index { return s.index }

// Result is the answer to one screening query.
type Result struct {
	Query   tradescreen.Query   `json:"query"`
	Matches []tradescreen.Match `json:"matches"`
	// Threshold is the alert threshold applied.
	Threshold float64 `json:"threshold"`
	// Lists are the list versions screened against.
	Lists []tradescreen.ListVersion `json:"lists"`
}

// Screen validates q and returns its matches. Errors are EINVALID for a bad query.
func (s *Screener) Screen(q tradescreen.Query) (*Result, error) {
	if err := Validate(&q); err != nil {
		return nil, err
	}
	if q.Threshold == 0 {
		q.Threshold = match.DefaultThreshold
	}
	lists := s.lists
	if len(q.Sources) > 0 {
		lists = nil
		for _, l := range s.lists {
			for _, src := range q.Sources {
				if l.Source == src {
					lists = append(lists, l)
				}
			}
		}
	}
	return &Result{Query: q, Matches: s.index.Match(q), Threshold: q.Threshold, Lists: lists}, nil
}

// MaxNameLength bounds a screened name.
const MaxNameLength = 500

// Validate checks a query and normalizes its fields. Errors are EINVALID naming the field.
func Validate(q *tradescreen.Query) error {
	q.Name = strings.TrimSpace(q.Name)
	if q.Name == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "name: required")
	}
	if len(q.Name) > MaxNameLength {
		return tradescreen.Errorf(tradescreen.EINVALID, "name: longer than %d bytes", MaxNameLength)
	}
	if q.Kind != "" {
		k := tradescreen.ParseKind(string(q.Kind))
		if k == tradescreen.KindUnknown && !strings.EqualFold(string(q.Kind), "unknown") {
			return tradescreen.Errorf(tradescreen.EINVALID, "type: %q is not person, organization, vessel or aircraft", q.Kind)
		}
		q.Kind = k
	}
	if q.Country != "" {
		c := source.CountryCode(q.Country)
		if c == "" {
			return tradescreen.Errorf(tradescreen.EINVALID, "country: %q is not an ISO 3166 country code or name", q.Country)
		}
		q.Country = c
	}
	if q.Threshold < 0 || q.Threshold > 1 {
		return tradescreen.Errorf(tradescreen.EINVALID, "threshold: %v is outside [0, 1]", q.Threshold)
	}
	if q.Limit < 0 || q.Limit > 1000 {
		return tradescreen.Errorf(tradescreen.EINVALID, "limit: %d is outside 0..1000", q.Limit)
	}
	for _, src := range q.Sources {
		if _, ok := tradescreen.LookupSource(src); !ok {
			return tradescreen.Errorf(tradescreen.EINVALID, "source: unknown list code %q", src)
		}
	}
	if q.BirthDate != "" {
		d := q.BirthDate
		ok := false
		for _, l := range []string{"2006-01-02", "2006-01", "2006"} {
			if _, err := time.Parse(l, d); err == nil {
				ok = true
			}
		}
		if !ok {
			return tradescreen.Errorf(tradescreen.EINVALID, "date_of_birth: %q is not YYYY, YYYY-MM or YYYY-MM-DD", d)
		}
	}
	return nil
}

// AsOf describes the list dates for display: "us_el 2022-05-16, un_sc 2026-02-27, gb_hmt 2020-04-27".
func AsOf(lists []tradescreen.ListVersion) string {
	byDate := map[string][]string{}
	var dates []string
	for _, l := range lists {
		d := l.Published
		if d == "" {
			d = "date unknown"
		}
		if _, ok := byDate[d]; !ok {
			dates = append(dates, d)
		}
		byDate[d] = append(byDate[d], l.Source)
	}
	var parts []string
	for _, d := range dates {
		parts = append(parts, strings.Join(byDate[d], ", ")+" as of "+d)
	}
	return strings.Join(parts, "; ")
}
