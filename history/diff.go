package history

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Change types.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// FieldChange is what changed in one field of an entry: the values it gained and lost. Single-valued
// fields (name, start_date ...) show the old value in Removed and the new one in Added.
type FieldChange struct {
	Field   string   `json:"field"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Change is one entry added, removed or changed between two versions of a list.
type Change struct {
	Type     string `json:"type"`
	Source   string `json:"source"`
	SourceID string `json:"source_id"`
	// Name is the entry's primary name (in the newer version when it is there).
	Name   string        `json:"name"`
	Fields []FieldChange `json:"fields,omitempty"`
}

// ListDiff is the difference between two versions of one list.
type ListDiff struct {
	Source string `json:"source"`
	// From and To describe the two versions compared (published date and origin).
	From    string   `json:"from"`
	To      string   `json:"to"`
	Added   int      `json:"added"`
	Removed int      `json:"removed"`
	Changed int      `json:"changed"`
	Changes []Change `json:"changes"`
}

// Diff compares two datasets list by list, for each list code either carries (only codes in only, when
// only is not empty). Entries are matched by source id. Changes are sorted: added, removed, changed, then
// by name.
func Diff(from, to *source.Dataset, only ...string) []ListDiff {
	want := func(code string) bool {
		if len(only) == 0 {
			return true
		}
		for _, o := range only {
			if o == code {
				return true
			}
		}
		return false
	}
	label := func(ds *source.Dataset, code string) string {
		for _, l := range ds.Lists {
			if l.Source == code {
				d := l.Published
				if d == "" {
					d = "date unknown"
				}
				return d + " (" + l.Origin + ")"
			}
		}
		return "(list absent)"
	}
	codes := map[string]bool{}
	for _, ds := range []*source.Dataset{from, to} {
		for _, l := range ds.Lists {
			if want(l.Source) {
				codes[l.Source] = true
			}
		}
	}
	var order []string
	for c := range codes {
		order = append(order, c)
	}
	sort.Slice(order, func(i, j int) bool { return tradescreen.SourceRank(order[i]) < tradescreen.SourceRank(order[j]) })
	var out []ListDiff
	for _, code := range order {
		a, b := byID(from, code), byID(to, code)
		d := ListDiff{Source: code, From: label(from, code), To: label(to, code), Changes: []Change{}}
		for id, eb := range b {
			ea, ok := a[id]
			if !ok {
				d.Changes = append(d.Changes, Change{Type: Added, Source: code, SourceID: id, Name: eb.Name})
				d.Added++
				continue
			}
			if fc := DiffEntry(ea, eb); len(fc) > 0 {
				d.Changes = append(d.Changes, Change{Type: Changed, Source: code, SourceID: id, Name: eb.Name, Fields: fc})
				d.Changed++
			}
		}
		for id, ea := range a {
			if _, ok := b[id]; !ok {
				d.Changes = append(d.Changes, Change{Type: Removed, Source: code, SourceID: id, Name: ea.Name})
				d.Removed++
			}
		}
		rank := map[string]int{Added: 0, Removed: 1, Changed: 2}
		sort.Slice(d.Changes, func(i, j int) bool {
			ci, cj := d.Changes[i], d.Changes[j]
			if ci.Type != cj.Type {
				return rank[ci.Type] < rank[cj.Type]
			}
			if ci.Name != cj.Name {
				return ci.Name < cj.Name
			}
			return ci.SourceID < cj.SourceID
		})
		out = append(out, d)
	}
	return out
}

func byID(ds *source.Dataset, code string) map[string]*tradescreen.Entry {
	m := map[string]*tradescreen.Entry{}
	for i := range ds.Entries {
		if e := &ds.Entries[i]; e.Source == code {
			m[e.SourceID] = e
		}
	}
	return m
}

// DiffEntry returns the fields in which two versions of one entry differ: names, aliases, addresses,
// identifiers, birth data, nationalities, programs, Federal Register citations, dates, licence
// requirement and policy, remarks and vessel details. The raw record is not compared (its layout may change
// without the entry changing).
func DiffEntry(a, b *tradescreen.Entry) []FieldChange {
	fa, fb := fieldsOf(a), fieldsOf(b)
	var out []FieldChange
	for i := range fa {
		added, removed := setDiff(fa[i].vals, fb[i].vals)
		if len(added)+len(removed) > 0 {
			out = append(out, FieldChange{Field: fa[i].name, Added: added, Removed: removed})
		}
	}
	return out
}

type field struct {
	name string
	vals []string
}

func one(s string) []string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return []string{s}
}

func fieldsOf(e *tradescreen.Entry) []field {
	var aliases, addrs, ids []string
	for _, n := range e.Aliases {
		s := n.Full
		if n.Type != tradescreen.NameAKA {
			s += " (" + string(n.Type) + ")"
		}
		aliases = append(aliases, s)
	}
	for _, a := range e.Addresses {
		addrs = append(addrs, addressLine(a))
	}
	for _, id := range e.Identifiers {
		s := strings.TrimSpace(id.Type + " " + id.Number)
		if id.Country != "" {
			s += " (" + id.Country + ")"
		}
		ids = append(ids, s)
	}
	var vessel []string
	if v := e.Vessel; v != nil {
		for _, p := range [][2]string{{"call sign", v.CallSign}, {"type", v.Type}, {"flag", v.Flag}, {"owner", v.Owner},
			{"tonnage", v.Tonnage}, {"GRT", v.GrossRegisteredTonnage}} {
			if p[1] != "" {
				vessel = append(vessel, p[0]+" "+p[1])
			}
		}
	}
	return []field{
		{"name", one(e.Name)},
		{"kind", one(string(e.Kind))},
		{"aliases", aliases},
		{"addresses", addrs},
		{"identifiers", ids},
		{"birth_dates", e.BirthDates},
		{"birth_places", e.BirthPlaces},
		{"nationalities", e.Nationalities},
		{"citizenships", e.Citizenships},
		{"title", one(e.Title)},
		{"positions", e.Positions},
		{"programs", e.Programs},
		{"license_requirement", one(e.LicenseRequirement)},
		{"license_policy", one(e.LicensePolicy)},
		{"federal_register", e.FederalRegister},
		{"start_date", one(e.StartDate)},
		{"end_date", one(e.EndDate)},
		{"standard_order", one(e.StandardOrder)},
		{"listed_on", one(e.ListedOn)},
		{"remarks", one(e.Remarks)},
		{"vessel", vessel},
	}
}

func addressLine(a tradescreen.Address) string {
	if a.Full != "" {
		return a.Full
	}
	var parts []string
	for _, p := range []string{a.Street, a.City, a.Region, a.PostalCode, a.CountryName} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return a.Country
	}
	return strings.Join(parts, ", ")
}

// setDiff returns the values of b not in a and of a not in b, each in its original order, counting
// duplicates.
func setDiff(a, b []string) (added, removed []string) {
	ca := map[string]int{}
	for _, s := range a {
		ca[s]++
	}
	cb := map[string]int{}
	for _, s := range b {
		cb[s]++
	}
	seen := map[string]int{}
	for _, s := range b {
		seen[s]++
		if seen[s] > ca[s] {
			added = append(added, s)
		}
	}
	seen = map[string]int{}
	for _, s := range a {
		seen[s]++
		if seen[s] > cb[s] {
			removed = append(removed, s)
		}
	}
	return added, removed
}

// Resolve returns the dataset a reference of 'lists diff' names: an official file as KIND=PATH (read with
// source.Open; s may be nil), else a version of feed in s: "" for the newest, or a reference Find reads.
// Errors: the reader's, prefixed with ref; ENOTFOUND for a version s does not hold.
func Resolve(s *Store, feed, ref string) (*source.Dataset, error) {
	if kind, path, ok := strings.Cut(ref, "="); ok {
		ds, err := source.Open(kind, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		for i := range ds.Lists {
			ds.Lists[i].Origin = path
		}
		return ds, nil
	}
	if ref == "" {
		v := s.Newest(feed)
		if v == nil {
			return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no version%s", feedSuffix(feed))
		}
		return s.Load(*v)
	}
	v, err := s.Find(feed, ref)
	if err != nil {
		return nil, err
	}
	return s.Load(*v)
}
