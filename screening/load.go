package screening

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/snapshot"
	"github.com/tradescreen/tradescreen/source"
)

// ListFile is an official list file given with --list KIND=PATH.
type ListFile struct {
	Kind, Path string
}

// ParseListFile reads a list file given as KIND=PATH (--list), KIND a registered reader (source.Lookup).
// Errors name the kinds: another shape, or an unknown kind.
func ParseListFile(spec string) (ListFile, error) {
	kind, path, ok := strings.Cut(spec, "=")
	if !ok || kind == "" || path == "" {
		return ListFile{}, fmt.Errorf("want KIND=PATH, got %q (kinds: %s)", spec, kindNames())
	}
	if _, ok := source.Lookup(kind); !ok {
		return ListFile{}, fmt.Errorf("unknown list kind %q (kinds: %s)", kind, kindNames())
	}
	return ListFile{Kind: kind, Path: path}, nil
}

// String is the file as KIND=PATH.
func (f ListFile) String() string { return f.Kind + "=" + f.Path }

// kindNames are the registered readers' kinds, sorted, comma-separated.
func kindNames() string {
	var k []string
	for _, f := range source.Formats() {
		k = append(k, f.Kind)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}

// Lists says where the lists come from: the embedded snapshot, with the newest versions stored in a data
// directory laid over it (lists update, your own restricted list), and official files that replace the
// lists they carry. It is the one loader of the CLI and the server.
type Lists struct {
	// DataDir is the data directory of stored list versions ("" for none).
	DataDir string
	// Files replace, each, only the lists it carries; every other list stays screened.
	Files []ListFile
	// Warn receives what loading noticed (a torn line in the data directory's index); nil discards it.
	Warn func(string)
}

// Load returns the lists to screen against, indexed. Errors: a file that cannot be read or parsed
// (naming it), the data directory's, the snapshot's.
func (l Lists) Load() (*screen.Screener, error) {
	ds, err := l.Datasets()
	if err != nil {
		return nil, err
	}
	sc := screen.New(ds...)
	for _, w := range sc.Warnings {
		l.warn(w)
	}
	return sc, nil
}

// Datasets returns the datasets Load indexes: the snapshot, the data directory's current versions over it,
// then the files, each list code taken from the last that carries it (history.Overlay).
func (l Lists) Datasets() ([]*source.Dataset, error) {
	base, err := snapshot.Load()
	if err != nil {
		return nil, err
	}
	store, err := history.OpenExisting(l.DataDir)
	if err != nil {
		return nil, err
	}
	if store != nil {
		for _, w := range store.Warnings {
			l.warn(w)
		}
		if base, err = store.Current(base); err != nil {
			return nil, err
		}
	}
	files, err := l.openFiles()
	if err != nil {
		return nil, err
	}
	for _, w := range l.olderReplacements(base, files) {
		l.warn(w)
	}
	return history.Overlay(append(append([]*source.Dataset(nil), base...), files...)), nil
}

// olderReplacements says, for each list a --list file carries in an older version than the one it replaces
// (the snapshot's or the data directory's), that the run screens the older one: a file given to update a
// list must not silently take a list back in time. Lists of unknown date are left to the stale warning.
func (l Lists) olderReplacements(base, files []*source.Dataset) []string {
	current := map[string]tradescreen.ListVersion{}
	for _, ds := range base {
		for _, lv := range ds.Lists {
			current[lv.Source] = lv
		}
	}
	var out []string
	for i, ds := range files {
		for _, lv := range ds.Lists {
			old, ok := current[lv.Source]
			if !ok || lv.Published == "" || old.Published == "" || lv.Published >= old.Published {
				continue
			}
			out = append(out, fmt.Sprintf("--list %s: its %s of %s (%s) replaces a newer %s of %s (%s, %s); "+
				"this run screens %s as of %s", l.Files[i], lv.Source, lv.Published, entries(lv.Entries), lv.Source, old.Published,
				entries(old.Entries), old.Origin, lv.Source, lv.Published))
		}
	}
	return out
}

// openFiles reads the --list files, each list marked with the file it came from.
func (l Lists) openFiles() ([]*source.Dataset, error) {
	now := time.Now().UTC()
	var out []*source.Dataset
	for _, f := range l.Files {
		ds, err := source.Open(f.Kind, f.Path)
		if err != nil {
			return nil, fmt.Errorf("list %s=%s: %w", f.Kind, f.Path, err)
		}
		for i := range ds.Lists {
			ds.Lists[i].Origin = f.Path
			ds.Lists[i].Loaded = now
		}
		out = append(out, ds)
	}
	return out, nil
}

// entries is "1 entry" or "N entries".
func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

func (l Lists) warn(s string) {
	if l.Warn != nil {
		l.Warn(s)
	}
}

// PastLists returns the function that finds the lists in force on a past date: among the --list files, the
// snapshot and every version stored in the data directory, for each list code the newest in force on the
// date (history.PointInTime). The files replace the lists they carry, as in Load.
func (l Lists) PastLists() PastLists {
	return func(ctx context.Context, date string) ([]*source.Dataset, []history.ListAsOf, error) {
		cands, err := l.candidates(date)
		if err != nil {
			return nil, nil, err
		}
		return history.PointInTime(date, cands)
	}
}

// candidates returns the datasets that may have been in force on date: the --list files, the snapshot's
// current and superseded versions (the 2022 Entity List under the 2026 one) and the stored versions.
func (l Lists) candidates(date string) ([]history.Candidate, error) {
	files, err := l.openFiles()
	if err != nil {
		return nil, err
	}
	given := map[string]bool{}
	var cands []history.Candidate
	for i, ds := range files {
		for _, lv := range ds.Lists {
			given[lv.Source] = true
		}
		cands = append(cands, candidate(ds, l.Files[i].Path))
	}
	base, err := snapshot.Load()
	if err != nil {
		return nil, err
	}
	old, err := snapshot.History()
	if err != nil {
		return nil, err
	}
	for _, ds := range append(append([]*source.Dataset(nil), base...), old...) {
		if ds = without(ds, given); ds != nil {
			cands = append(cands, candidate(ds, ds.Lists[0].Origin))
		}
	}
	store, err := history.OpenExisting(l.DataDir)
	if err != nil || store == nil {
		return cands, err
	}
	stored, err := store.Candidates(date)
	if err != nil {
		return nil, err
	}
	for _, c := range stored {
		if c.Dataset = without(c.Dataset, given); c.Dataset != nil {
			cands = append(cands, c)
		}
	}
	return cands, nil
}

// candidate is a dataset as a point-in-time candidate, dated by its lists' publication (a CSL's lists share
// one date).
func candidate(ds *source.Dataset, label string) history.Candidate {
	date := ""
	if len(ds.Lists) > 0 {
		date = ds.Lists[0].Published
	}
	return history.Candidate{Dataset: ds, Date: date, Label: label}
}

// without returns ds without the lists in drop (ds itself when it carries none of them, nil when it
// carries nothing else).
func without(ds *source.Dataset, drop map[string]bool) *source.Dataset {
	n := 0
	for _, l := range ds.Lists {
		if drop[l.Source] {
			n++
		}
	}
	if n == 0 {
		return ds
	}
	if n == len(ds.Lists) {
		return nil
	}
	out := &source.Dataset{}
	for _, l := range ds.Lists {
		if !drop[l.Source] {
			out.Lists = append(out.Lists, l)
		}
	}
	for _, e := range ds.Entries {
		if !drop[e.Source] {
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}

// Origins describes where the lists came from, one line per origin: "us_el, us_dpl ... as of 2022-05-16:
// embedded snapshot: consolidated_2022-05-16.csv.gz". It is the footer of the CLI's answers.
func Origins(ls []tradescreen.ListStatus) []string {
	type group struct {
		origin string
		codes  []string
		dates  map[string]bool
	}
	var groups []*group
	at := map[string]*group{}
	for _, l := range ls {
		g := at[l.Origin]
		if g == nil {
			g = &group{origin: l.Origin, dates: map[string]bool{}}
			at[l.Origin] = g
			groups = append(groups, g)
		}
		g.codes = append(g.codes, l.Source)
		d := l.Published
		if d == "" {
			d = "date unknown"
		}
		g.dates[d] = true
	}
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		var dates []string
		for d := range g.dates {
			dates = append(dates, d)
		}
		sort.Strings(dates)
		out = append(out, fmt.Sprintf("%s as of %s: %s", strings.Join(g.codes, ", "), strings.Join(dates, ", "), g.origin))
	}
	return out
}
