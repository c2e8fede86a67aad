package history

import (
	"fmt"
	"sort"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Candidate is one dataset that may answer a point-in-time question: a stored version or an embedded or
// given file.
type Candidate struct {
	Dataset *source.Dataset
	// Date is the date the dataset is in force from (YYYY-MM-DD); Label names it ("csl #3 of 2022-05-16",
	// "embedded snapshot: consolidated_2022-05-16.csv.gz").
	Date  string
	Label string
}

// How a list's state on a date was established.
const (
	// InForce: a version published on or before the date is held; the newest such version is used.
	InForce = "in force"
	// Inferred: only later versions are held; the entries were filtered by their start (or listing) and end
	// dates.
	Inferred = "inferred"
	// NotCovered: only later versions are held and the list's entries carry no dates to filter by.
	NotCovered = "not covered"
)

// ListAsOf says how the state of one list on the date was established (Status is InForce, Inferred or
// NotCovered): the domain's type, which answers carry.
type ListAsOf = tradescreen.ListAsOf

// PointInTime returns, for the date asOf (YYYY-MM-DD), the datasets to screen against and how each list's
// state was established. For each list code it takes the newest candidate in force on asOf. When every
// candidate carrying the list is later, it reconstructs the list from the oldest of them: an entry whose
// start_date (or, lacking one, listed_on) is after asOf was not listed yet, one whose end_date is before
// asOf was no longer listed; entries with no date are kept and counted as undated. A list whose entries carry
// no dates at all is NotCovered and left out: the history held does not reach the date. Errors are EINVALID
// for a malformed or future date.
func PointInTime(asOf string, cands []Candidate) ([]*source.Dataset, []ListAsOf, error) {
	t, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		return nil, nil, tradescreen.Errorf(tradescreen.EINVALID, "as-of: %q is not a date YYYY-MM-DD", asOf)
	}
	if t.After(time.Now().UTC()) {
		return nil, nil, tradescreen.Errorf(tradescreen.EINVALID, "as-of: %s is in the future", asOf)
	}
	// The candidates carrying each list code.
	carriers := map[string][]int{}
	for i, c := range cands {
		for _, l := range c.Dataset.Lists {
			carriers[l.Source] = append(carriers[l.Source], i)
		}
	}
	var codes []string
	for c := range carriers {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return tradescreen.SourceRank(codes[i]) < tradescreen.SourceRank(codes[j]) })

	var out []*source.Dataset
	var states []ListAsOf
	for _, code := range codes {
		inForce, later := -1, -1
		for _, i := range carriers[code] {
			d := ofList(cands[i], code).Date
			if d == "" {
				continue
			}
			if d <= asOf && (inForce < 0 || d >= ofList(cands[inForce], code).Date) {
				inForce = i
			}
			if d > asOf && (later < 0 || d < ofList(cands[later], code).Date) {
				later = i
			}
		}
		switch {
		case inForce >= 0:
			c := ofList(cands[inForce], code)
			ds := subset(c.Dataset, code, nil)
			st := ListAsOf{Source: code, Status: InForce, Version: c.Label, VersionDate: c.Date, Entries: len(ds.Entries)}
			if later >= 0 {
				st.Note = fmt.Sprintf("the version of %s (%s) was in force on %s: the next version held is of %s",
					c.Date, c.Label, asOf, ofList(cands[later], code).Date)
			} else {
				st.Note = fmt.Sprintf("the version of %s (%s) is the newest held: it was in force from %s, and whether it still was on %s is not known, as no later version is held",
					c.Date, c.Label, c.Date, asOf)
			}
			out = append(out, ds)
			states = append(states, st)
		case later >= 0:
			c := ofList(cands[later], code)
			st := ListAsOf{Source: code, Version: c.Label, VersionDate: c.Date}
			dated := 0
			for i := range c.Dataset.Entries {
				if e := &c.Dataset.Entries[i]; e.Source == code && listingDate(e) != "" {
					dated++
				}
			}
			if dated == 0 {
				st.Status = NotCovered
				st.Note = fmt.Sprintf("not screened: the oldest version held is of %s (%s) and its entries carry no start or listing dates to go back to %s", c.Date, c.Label, asOf)
				states = append(states, st)
				continue
			}
			keep := func(e *tradescreen.Entry) bool {
				d := listingDate(e)
				if d == "" {
					st.Undated++
					return true
				}
				if d > asOf || (e.EndDate != "" && e.EndDate < asOf) {
					st.Dropped++
					return false
				}
				return true
			}
			ds := subset(c.Dataset, code, keep)
			st.Status = Inferred
			st.Entries = len(ds.Entries)
			st.Note = fmt.Sprintf("inferred from the start and listing dates in the %s list (%s): %d entries listed after %s or delisted before it left out",
				c.Date, c.Label, st.Dropped, asOf)
			if st.Undated > 0 {
				st.Note += fmt.Sprintf("; %d entries without a date kept (they may not have been listed yet)", st.Undated)
			}
			st.Note += fmt.Sprintf("; entries removed before %s cannot be recovered", c.Date)
			for i := range ds.Lists {
				ds.Lists[i].PublishedNote = st.Note
			}
			out = append(out, ds)
			states = append(states, st)
		default:
			states = append(states, ListAsOf{Source: code, Status: NotCovered, Note: "not screened: no version with a known date is held"})
		}
	}
	return out, states, nil
}

// ofList is the candidate as the version of one list: a dataset that merges files of several lists (the
// curated lists, one file each) names and dates each list by its own file and publication, not by its first
// list's.
func ofList(c Candidate, code string) Candidate {
	if len(c.Dataset.Lists) < 2 {
		return c
	}
	origin := c.Dataset.Lists[0].Origin
	merged := false
	for _, l := range c.Dataset.Lists[1:] {
		merged = merged || l.Origin != origin
	}
	if !merged {
		return c
	}
	for _, l := range c.Dataset.Lists {
		if l.Source != code {
			continue
		}
		if l.Origin != "" {
			c.Label = l.Origin
		}
		if l.Published != "" {
			c.Date = l.Published
		}
	}
	return c
}

// listingDate is when an entry was listed according to its own fields: start_date, else listed_on.
func listingDate(e *tradescreen.Entry) string {
	if e.StartDate != "" {
		return e.StartDate
	}
	return e.ListedOn
}

// EntryNote says how an entry's presence on asOf was established when its list was inferred: "inferred
// from start_date 2019-10-09 in the 2022-05-16 list". It is "" for lists in force.
func EntryNote(e *tradescreen.Entry, states []ListAsOf) string {
	for _, s := range states {
		if s.Source != e.Source || s.Status != Inferred {
			continue
		}
		switch {
		case e.StartDate != "":
			return fmt.Sprintf("inferred from start_date %s in the %s list", e.StartDate, s.VersionDate)
		case e.ListedOn != "":
			return fmt.Sprintf("inferred from listed_on %s in the %s list", e.ListedOn, s.VersionDate)
		}
		return fmt.Sprintf("in the %s list without a start date: it may not have been listed yet then", s.VersionDate)
	}
	return ""
}

// subset copies the list code's version and the entries keep accepts (all when keep is nil).
func subset(ds *source.Dataset, code string, keep func(*tradescreen.Entry) bool) *source.Dataset {
	out := &source.Dataset{}
	for i := range ds.Entries {
		if e := &ds.Entries[i]; e.Source == code && (keep == nil || keep(e)) {
			out.Entries = append(out.Entries, *e)
		}
	}
	for _, l := range ds.Lists {
		if l.Source == code {
			l.Entries = len(out.Entries)
			l.Names = source.CountNames(out.Entries)
			out.Lists = append(out.Lists, l)
		}
	}
	return out
}

// Candidates returns the stored versions as point-in-time candidates: for each feed, the newest version in
// force on asOf and the oldest later one (the only two PointInTime can use), parsed.
func (s *Store) Candidates(asOf string) ([]Candidate, error) {
	var out []Candidate
	for _, f := range s.Feeds() {
		var inForce, later *Version
		for _, v := range s.FeedVersions(f) {
			if !Screened(v.Kind) {
				break
			}
			if v.Date() <= asOf {
				inForce = &v
			} else if later == nil {
				later = &v
			}
		}
		for _, v := range []*Version{inForce, later} {
			if v == nil {
				continue
			}
			ds, err := s.Load(*v)
			if err != nil {
				return nil, err
			}
			out = append(out, Candidate{Dataset: ds, Date: v.Date(), Label: v.Label()})
		}
	}
	return out, nil
}
