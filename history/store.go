// Package history keeps every accepted version of every downloaded list in a data directory, computes the
// entry-level changes between any two versions, and answers "which entries were listed on date D" from the
// versions held (and, before the first one, from the start dates the lists carry).
//
// The data directory holds:
//
//	blobs/<sha256>    the raw downloaded bytes of each accepted version, content-addressed; written to a
//	                  temporary file in blobs/, fsynced, then renamed, so a blob is complete or absent
//	versions.jsonl    the append-only index: one JSON Version per line, appended (and fsynced) only after its
//	                  blob is in place. A torn last line (a crash mid-append) is skipped with a warning.
//
// Nothing else is written, so a crash at any point leaves the previous versions usable.
package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/source"
)

// Version is one accepted version of one feed (one downloaded file).
type Version struct {
	// ID is the version's sequence number in the store, from 1.
	ID int `json:"id"`
	// Feed is the configured download the file came from (csl, ofac_sdn, un ...); Kind the reader that parses
	// it; Name the file name given to the reader (it tells SDN.XML from sdn.csv).
	Feed string `json:"feed"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
	// SHA256 is the hex digest of the bytes as downloaded; the blob's file name.
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Published is the publication date (YYYY-MM-DD) the file states or, failing that, the HTTP
	// Last-Modified date or the download date; PublishedNote says which when the file states none.
	Published     string    `json:"published,omitempty"`
	PublishedNote string    `json:"published_note,omitempty"`
	Downloaded    time.Time `json:"downloaded"`
	// ETag and LastModified are the response's validators, sent back as If-None-Match and
	// If-Modified-Since on the next update.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Lists counts the entries per list code the version carries.
	Lists map[string]int `json:"lists"`
	// Notes are the validation notes (what was checked, counts compared with the previous version).
	Notes []string `json:"notes,omitempty"`
	// Actor is who imported the version, for the organisation's own lists (package ownlist); empty for
	// downloads.
	Actor string `json:"actor,omitempty"`
}

// Date is the date the version is in force from: Published, or the download date when that is unknown.
func (v *Version) Date() string {
	if v.Published != "" {
		return v.Published
	}
	return v.Downloaded.UTC().Format("2006-01-02")
}

// Label names the version for people: "csl #3 of 2022-05-16".
func (v *Version) Label() string { return fmt.Sprintf("%s #%d of %s", v.Feed, v.ID, v.Date()) }

// Counts are the entries per list of the version, in the order of tradescreen.Sources: "us_el 812, us_sdn
// 17944".
func (v *Version) Counts() string {
	var parts []string
	for _, si := range tradescreen.Sources {
		if n, ok := v.Lists[si.Code]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", si.Code, n))
		}
	}
	return strings.Join(parts, ", ")
}

// Store is a data directory of accepted list versions. It is safe for concurrent use within one process.
// Writers in several processes (lists update, the server's refresh, own-list imports) take the data
// directory's lock (Lock) and Reload the index before adding versions.
type Store struct {
	dir      string
	mu       sync.Mutex
	versions []Version
	// Warnings are problems found reading the index (a torn last line).
	Warnings []string
}

const indexName = "versions.jsonl"

// Open opens (creating it if needed) the data directory dir and reads its index. Errors are EINVALID when
// dir cannot be created or the index cannot be read.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "data directory: not set")
	}
	if err := os.MkdirAll(filepath.Join(dir, "blobs"), 0o755); err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "data directory %s: %v", dir, err)
	}
	s := &Store{dir: dir}
	if err := s.read(); err != nil {
		return nil, err
	}
	return s, nil
}

// OpenExisting opens dir only if it already holds an index; it returns nil and no error when it does not,
// so that loading the lists never creates a data directory.
func OpenExisting(dir string) (*Store, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(dir, indexName)); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return Open(dir)
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// Reload reads the index again, picking up versions other processes added since Open. Writers call it after
// taking the lock. Errors are as for Open.
func (s *Store) Reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.versions, s.Warnings = nil, nil
	return s.read()
}

func (s *Store) read() error {
	b, err := os.ReadFile(filepath.Join(s.dir, indexName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return tradescreen.Errorf(tradescreen.EINVALID, "read %s: %v", indexName, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		t := bytes.TrimSpace(sc.Bytes())
		if len(t) == 0 {
			continue
		}
		var v Version
		if err := json.Unmarshal(t, &v); err != nil || v.SHA256 == "" || v.Kind == "" {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s line %d skipped: not a complete version record", indexName, line))
			continue
		}
		s.versions = append(s.versions, v)
	}
	return nil
}

// Versions returns every accepted version, oldest first (in the order they were added).
func (s *Store) Versions() []Version {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Version(nil), s.versions...)
}

// FeedVersions returns the versions of one feed, ordered by Date (then ID).
func (s *Store) FeedVersions(feed string) []Version {
	var out []Version
	for _, v := range s.Versions() {
		if v.Feed == feed {
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date() != out[j].Date() {
			return out[i].Date() < out[j].Date()
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Latest returns the newest accepted version of feed (the one added last), or nil.
func (s *Store) Latest(feed string) *Version {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.versions) - 1; i >= 0; i-- {
		if s.versions[i].Feed == feed {
			v := s.versions[i]
			return &v
		}
	}
	return nil
}

// Newest returns the version of feed with the latest date (the last added among those of that date), or
// nil. It differs from Latest when an older version was fetched later (lists update --as-of).
func (s *Store) Newest(feed string) *Version {
	vs := s.FeedVersions(feed)
	if len(vs) == 0 {
		return nil
	}
	return &vs[len(vs)-1]
}

// Feeds returns the feeds that have versions, in the order of their first version.
func (s *Store) Feeds() []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s.Versions() {
		if !seen[v.Feed] {
			seen[v.Feed] = true
			out = append(out, v.Feed)
		}
	}
	return out
}

// VersionsOf returns the versions, oldest first, of the feeds refs names and those carrying a list code refs
// names (csl, us_sdn ...); every version when refs is empty.
func (s *Store) VersionsOf(refs []string) []Version {
	var out []Version
	for _, v := range s.Versions() {
		if len(refs) == 0 || slices.Contains(refs, v.Feed) || slices.ContainsFunc(refs, func(r string) bool { _, ok := v.Lists[r]; return ok }) {
			out = append(out, v)
		}
	}
	return out
}

// FeedFor returns the feed a reference names: ref itself when it is a feed with versions, else the feed of
// the newest version carrying ref as a list code (us_sdn -> ofac_sdn or csl); "" when none does.
func (s *Store) FeedFor(ref string) string {
	vs := s.Versions()
	for _, v := range vs {
		if v.Feed == ref {
			return ref
		}
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if _, ok := vs[i].Lists[ref]; ok {
			return vs[i].Feed
		}
	}
	return ""
}

// Add stores body as a new version of v.Feed: the blob first (temporary file, fsync, rename), then the index
// line (appended and fsynced). v.SHA256, v.Size and v.ID are set here. Errors are EINTERNAL I/O errors; on
// error nothing is added to the index.
func (s *Store) Add(v Version, body []byte) (Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v.SHA256 = source.SHA256(body)
	v.Size = int64(len(body))
	v.ID = 1
	if n := len(s.versions); n > 0 {
		v.ID = s.versions[n-1].ID + 1
	}
	if err := s.writeBlob(v.SHA256, body); err != nil {
		return Version{}, err
	}
	line, err := json.Marshal(v)
	if err != nil {
		return Version{}, err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, indexName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return Version{}, fmt.Errorf("open %s: %w", indexName, err)
	}
	// A torn line left by an earlier crash must not swallow this one: start on a new line.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if r, err := os.Open(filepath.Join(s.dir, indexName)); err == nil {
			_, _ = r.ReadAt(last, st.Size()-1)
			r.Close()
		}
		if last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return Version{}, fmt.Errorf("append %s: %w", indexName, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return Version{}, fmt.Errorf("sync %s: %w", indexName, err)
	}
	if err := f.Close(); err != nil {
		return Version{}, err
	}
	s.versions = append(s.versions, v)
	return v, nil
}

func (s *Store) writeBlob(sum string, body []byte) error {
	final := filepath.Join(s.dir, "blobs", sum)
	if b, err := os.ReadFile(final); err == nil && source.SHA256(b) == sum {
		return nil
	}
	// Written to a temporary file, synced and renamed, the directory synced: a blob is whole or absent.
	if err := atomicfile.WriteFile(final, body, 0o644); err != nil {
		return fmt.Errorf("write blob: %w", err)
	}
	return nil
}

// Blob returns the stored bytes of a version, checking their digest. Errors are ENOTFOUND when the blob is
// missing and EINVALID when its content no longer matches its digest.
func (s *Store) Blob(v Version) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "blobs", v.SHA256))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "version %s: blob %s missing", v.Label(), v.SHA256)
	}
	if err != nil {
		return nil, err
	}
	if source.SHA256(b) != v.SHA256 {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "version %s: blob %s is corrupt (digest differs)", v.Label(), v.SHA256)
	}
	return b, nil
}

// Load parses a stored version into a dataset whose list versions name the version as their origin and
// carry its publication date when the file states none.
func (s *Store) Load(v Version) (*source.Dataset, error) {
	b, err := s.Blob(v)
	if err != nil {
		return nil, err
	}
	ds, err := Parse(v.Kind, b, v.Name)
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", v.Label(), err)
	}
	now := time.Now().UTC()
	for i := range ds.Lists {
		l := &ds.Lists[i]
		l.Origin = fmt.Sprintf("data dir: %s #%d (%s)", v.Feed, v.ID, v.Name)
		l.Loaded = now
		if l.Published == "" {
			l.Published, l.PublishedNote = v.Published, v.PublishedNote
		}
	}
	return ds, nil
}

// Find resolves a reference to a version of feed (or, when feed is "", of any feed): "#3" or "3" (the ID),
// a SHA-256 prefix of 6 or more hex digits, or a date YYYY-MM-DD (the version in force on that date). Errors
// are ENOTFOUND.
func (s *Store) Find(feed, ref string) (*Version, error) {
	ref = strings.TrimSpace(ref)
	vs := s.Versions()
	if id, err := strconv.Atoi(strings.TrimPrefix(ref, "#")); err == nil && len(ref) < 10 {
		for _, v := range vs {
			if v.ID == id && (feed == "" || v.Feed == feed) {
				return &v, nil
			}
		}
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no version #%d%s", id, feedSuffix(feed))
	}
	if _, err := time.Parse("2006-01-02", ref); err == nil {
		var best *Version
		for _, v := range vs {
			if (feed == "" || v.Feed == feed) && v.Date() <= ref && (best == nil || v.Date() >= best.Date()) {
				best = &v
			}
		}
		if best == nil {
			return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no version%s in force on %s: the history held starts later", feedSuffix(feed), ref)
		}
		return best, nil
	}
	if len(ref) >= 6 {
		for _, v := range vs {
			if strings.HasPrefix(v.SHA256, strings.ToLower(ref)) && (feed == "" || v.Feed == feed) {
				return &v, nil
			}
		}
	}
	return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no version %q%s (want #ID, a SHA-256 prefix or YYYY-MM-DD)", ref, feedSuffix(feed))
}

func feedSuffix(feed string) string {
	if feed == "" {
		return ""
	}
	return " of " + feed
}

// Screened reports whether versions of a reader kind are lists to screen against: every kind but the
// allow list of reviewed look-alikes (ownlist.Allow), which marks matches instead.
func Screened(kind string) bool { return kind != ownlist.Allow }

// Current returns the newest accepted version of each feed (by date: a past version fetched later does not
// replace it), parsed, laid over base (the embedded
// snapshot): a list code that a stored version carries is removed from base and from any earlier feed, so
// no list is loaded twice and nothing warns. Feeds of kind csl come first, so that a more specific feed
// (ofac_sdn, un ...) replaces the lists it carries. With no stored versions it returns base unchanged.
func (s *Store) Current(base []*source.Dataset) ([]*source.Dataset, error) {
	var latest []Version
	for _, f := range s.Feeds() {
		if v := s.Newest(f); Screened(v.Kind) {
			latest = append(latest, *v)
		}
	}
	if len(latest) == 0 {
		return base, nil
	}
	sort.SliceStable(latest, func(i, j int) bool { return (latest[i].Kind == "csl") && latest[j].Kind != "csl" })
	var stored []*source.Dataset
	for _, v := range latest {
		ds, err := s.Load(v)
		if err != nil {
			return nil, err
		}
		stored = append(stored, ds)
	}
	return Overlay(append(append([]*source.Dataset(nil), base...), stored...)), nil
}

// Overlay returns datasets with each list code kept only in the last dataset carrying it (the rule of
// screen.New), dropping the shadowed lists and their entries instead of leaving screen.New to warn.
// Datasets left with no list are dropped; the inputs are not modified.
func Overlay(datasets []*source.Dataset) []*source.Dataset {
	owner := map[string]int{}
	for i, ds := range datasets {
		for _, l := range ds.Lists {
			owner[l.Source] = i
		}
	}
	var out []*source.Dataset
	for i, ds := range datasets {
		keep := true
		for _, l := range ds.Lists {
			if owner[l.Source] != i {
				keep = false
			}
		}
		if keep {
			out = append(out, ds)
			continue
		}
		nd := &source.Dataset{}
		for _, l := range ds.Lists {
			if owner[l.Source] == i {
				nd.Lists = append(nd.Lists, l)
			}
		}
		if len(nd.Lists) == 0 {
			continue
		}
		for _, e := range ds.Entries {
			if owner[e.Source] == i {
				nd.Entries = append(nd.Entries, e)
			}
		}
		out = append(out, nd)
	}
	return out
}
