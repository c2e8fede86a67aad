package history

import (
	"fmt"
	"sort"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
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
		case inForce >= 0 && later >= 0 && ofList(cands[inForce], code).Date < asOf:
			// Between two versions: neither alone is known to be the list of that day.
			ds, st := between(ofList(cands[inForce], code), ofList(cands[later], code), code, asOf)
			out = append(out, ds)
			states = append(states, st)
		case inForce >= 0:
			c := ofList(cands[inForce], code)
			ds := subset(c.Dataset, code, nil)
			st := ListAsOf{Source: code, Status: InForce, Version: c.Label, VersionDate: c.Date, Entries: len(ds.Entries)}
			if later >= 0 {
				st.Note = fmt.Sprintf("the version of %s (%s) is the list of that day", c.Date, c.Label)
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

// between reads list code on asOf, a date after the version in force (older) and before the next version
// held (newer), neither of which alone is known to be the list of that day. It screens, so that no entry
// listed on that day is missed: every entry of the older version (those the newer one no longer has were
// removed at some time between the two, perhaps after asOf); and the newer version's other entries unless
// their own start (or listing) date is after asOf or their end date before it; those without a date are kept
// (they may have been added after asOf). The state is Inferred, its note says what was combined, and
// EntryNote says for each match which version gave it.
func between(older, newer Candidate, code, asOf string) (*source.Dataset, ListAsOf) {
	inOlder := map[string]bool{}
	for i := range older.Dataset.Entries {
		if e := &older.Dataset.Entries[i]; e.Source == code {
			id, name := entryKeys(e)
			inOlder[id], inOlder[name] = true, true
		}
	}
	st := ListAsOf{Source: code, Status: Inferred, Version: older.Label + " and " + newer.Label, VersionDate: older.Date,
		NewerVersion: newer.Label, NewerDate: newer.Date}
	carried, fromNewer := map[string]bool{}, map[string]bool{}
	ds := subset(older.Dataset, code, nil)
	inNewer := map[string]bool{}
	added := 0
	for i := range newer.Dataset.Entries {
		e := &newer.Dataset.Entries[i]
		if e.Source != code {
			continue
		}
		id, name := entryKeys(e)
		inNewer[id], inNewer[name] = true, true
		if inOlder[id] || inOlder[name] {
			continue
		}
		d := listingDate(e)
		switch {
		case d != "" && (d > asOf || (e.EndDate != "" && e.EndDate < asOf)):
			st.Dropped++
			continue
		case d == "":
			st.Undated++
		}
		added++
		fromNewer[e.SourceID] = true
		ds.Entries = append(ds.Entries, *e)
	}
	removed := 0
	for i := range ds.Entries[:len(ds.Entries)-added] {
		if id, name := entryKeys(&ds.Entries[i]); !inNewer[id] && !inNewer[name] {
			removed++
			carried[id] = true
		}
	}
	for i := range ds.Lists {
		ds.Lists[i].Entries = len(ds.Entries)
		ds.Lists[i].Names = source.CountNames(ds.Entries)
	}
	st = st.WithBetween(carried, fromNewer)
	st.Entries = len(ds.Entries)
	st.Note = fmt.Sprintf("between the version of %s (%s) and the next held, of %s (%s): neither is known to be the list of %s, "+
		"so every entry of the %s version is screened (%d of them are not in the %s version: removed between the two, perhaps after %s), "+
		"and %d entries of the %s version that the older one lacks and whose own dates do not put their listing after %s",
		older.Date, older.Label, newer.Date, newer.Label, asOf, older.Date, removed, newer.Date, asOf, added, newer.Date, asOf)
	if st.Undated > 0 {
		st.Note += fmt.Sprintf(" (%d of them undated: they may have been added after %s)", st.Undated, asOf)
	}
	if st.Dropped > 0 {
		st.Note += fmt.Sprintf("; %d entries of the %s version listed after %s left out", st.Dropped, newer.Date, asOf)
	}
	for i := range ds.Lists {
		ds.Lists[i].PublishedNote = st.Note
	}
	return ds, st
}

// entryKeys are the two keys that pair an entry across versions: its id, and its folded name (ids change
// between files of different formats).
func entryKeys(e *tradescreen.Entry) (id, name string) {
	return e.SourceID, "name:" + normalize.Fold(e.Name)
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
		if s.NewerDate != "" {
			return entryNoteBetween(s, e)
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

// entryNoteBetween is EntryNote for a list read between two versions.
func entryNoteBetween(s ListAsOf, e *tradescreen.Entry) string {
	switch {
	case s.Carried(e.SourceID):
		return fmt.Sprintf("in the %s list but not in the %s list: removed between the two, it may still have been listed then", s.VersionDate, s.NewerDate)
	case !s.FromNewer(e.SourceID):
		return fmt.Sprintf("in the %s list, and still in the %s list", s.VersionDate, s.NewerDate)
	case e.StartDate != "":
		return fmt.Sprintf("added after the %s list: start_date %s in the %s list", s.VersionDate, e.StartDate, s.NewerDate)
	case e.ListedOn != "":
		return fmt.Sprintf("added after the %s list: listed_on %s in the %s list", s.VersionDate, e.ListedOn, s.NewerDate)
	}
	return fmt.Sprintf("added between the %s and %s lists, on a date not known: it may not have been listed yet then", s.VersionDate, s.NewerDate)
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
