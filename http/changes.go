package http

import (
	"fmt"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
)

// Limits of GET /v1/changes.
const (
	// DefaultChangesLimit and MaxChangesLimit bound the changes listed per list (the counts are always whole).
	DefaultChangesLimit = 1000
	MaxChangesLimit     = 100000
	// diffCacheSize is how many computed diffs are kept (loading two versions of a large list takes a while).
	diffCacheSize = 8
)

// ChangesResult is the answer to GET /v1/changes: the entry-level changes between stored list versions, one
// element per downloaded source (feed) compared, and notes saying what could not be compared and why.
type ChangesResult struct {
	Changes []FeedChanges `json:"changes"`
	Notes   []string      `json:"notes,omitempty"`
}

// FeedChanges is the comparison of two stored versions of one feed, list by list.
type FeedChanges struct {
	Feed  string        `json:"feed"`
	From  VersionInfo   `json:"from"`
	To    VersionInfo   `json:"to"`
	Lists []ListChanges `json:"lists"`
}

// VersionInfo names a stored list version.
type VersionInfo struct {
	ID int `json:"id"`
	// Date is the date the version is in force from (its publication date, else its download date).
	Date       string         `json:"date"`
	Published  string         `json:"published,omitempty"`
	Downloaded time.Time      `json:"downloaded"`
	SHA256     string         `json:"sha256"`
	Lists      map[string]int `json:"lists"`
}

// ListChanges is the difference between two versions of one list; Truncated is true when more changes
// exist than were listed (the counts are complete).
type ListChanges struct {
	history.ListDiff
	Truncated bool `json:"truncated,omitempty"`
}

func versionInfo(v *history.Version) VersionInfo {
	return VersionInfo{ID: v.ID, Date: v.Date(), Published: v.Published, Downloaded: v.Downloaded.UTC(), SHA256: v.SHA256, Lists: v.Lists}
}

// changesQuery is a parsed GET /v1/changes (or /changes) request.
type changesQuery struct {
	Source, From, To, Since string
	Limit                   int
}

var changesParams = []string{"source", "from", "to", "since", "limit"}

// parseChangesQuery reads the parameters. Errors are EINVALID naming the parameter.
func parseChangesQuery(v url.Values, defaultLimit int) (changesQuery, error) {
	q := changesQuery{Limit: defaultLimit}
	for k, vals := range v {
		known := false
		for _, p := range changesParams {
			known = known || k == p
		}
		if !known {
			return q, errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: %s", k, strings.Join(changesParams, ", "))
		}
		if len(vals) > 1 {
			return q, errorf(tradescreen.EINVALID, "%s: given %d times; give it once", k, len(vals))
		}
	}
	q.Source, q.From, q.To, q.Since = strings.TrimSpace(v.Get("source")), strings.TrimSpace(v.Get("from")), strings.TrimSpace(v.Get("to")), strings.TrimSpace(v.Get("since"))
	if q.Since != "" {
		if _, err := time.Parse(time.DateOnly, q.Since); err != nil {
			return q, errorf(tradescreen.EINVALID, "since: %q is not a date YYYY-MM-DD", q.Since)
		}
		if q.From != "" {
			return q, errorf(tradescreen.EINVALID, "since: give either since or from, not both")
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxChangesLimit {
			return q, errorf(tradescreen.EINVALID, "limit: %q is not a whole number in 1..%d", s, MaxChangesLimit)
		}
		q.Limit = n
	}
	return q, nil
}

// diffCache keeps the last computed diffs, keyed by the two versions' digests and the list compared.
type diffCache struct {
	mu    sync.Mutex
	keys  []string
	diffs map[string][]history.ListDiff
}

func (c *diffCache) get(key string) ([]history.ListDiff, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.diffs[key]
	return d, ok
}

func (c *diffCache) put(key string, d []history.ListDiff) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.diffs == nil {
		c.diffs = map[string][]history.ListDiff{}
	}
	if _, ok := c.diffs[key]; ok {
		return
	}
	if len(c.keys) >= diffCacheSize {
		delete(c.diffs, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, key)
	c.diffs[key] = d
}

// changes computes the changes a query asks for from the versions stored in the data directory. Errors are
// EINVALID for an unknown source, ENOTFOUND for a version reference that names none, and internal errors
// reading the store.
func (s *Server) changes(q changesQuery) (*ChangesResult, error) {
	out := &ChangesResult{Changes: []FeedChanges{}}
	if q.Source != "" {
		if _, ok := tradescreen.LookupSource(q.Source); !ok && !isFeedName(q.Source) {
			return nil, errorf(tradescreen.EINVALID, "source: %q is neither a list code (us_el, us_sdn, un_sc ...) nor a download source (csl, ofac_sdn, un ...)", q.Source)
		}
	}
	var store *history.Store
	if s.DataDir != "" {
		var err error
		if store, err = history.OpenExisting(s.DataDir); err != nil {
			return nil, fmt.Errorf("open data directory: %w", err)
		}
	}
	if store == nil || len(store.Versions()) == 0 {
		if s.DataDir == "" {
			out.Notes = append(out.Notes, "no data directory is configured, so no list versions are stored: set data_dir (and refresh_interval, or run 'tradescreen lists update') to keep a history of the lists")
		} else {
			out.Notes = append(out.Notes, "no list versions are stored in the data directory yet: run 'tradescreen lists update' or set refresh_interval")
		}
		return out, nil
	}
	var feeds []string
	switch {
	case q.Source != "":
		f := store.FeedFor(q.Source)
		if f == "" {
			out.Notes = append(out.Notes, fmt.Sprintf("no stored version carries %s", q.Source))
			return out, nil
		}
		feeds = []string{f}
	case q.From != "" || q.To != "":
		// Version ids are unique across feeds: the version named picks the feed.
		ref := q.From
		if ref == "" {
			ref = q.To
		}
		v, err := store.Find("", ref)
		if err != nil {
			return nil, err
		}
		feeds = []string{v.Feed}
	default:
		feeds = store.Feeds()
	}
	var only []string
	if _, ok := tradescreen.LookupSource(q.Source); ok {
		only = []string{q.Source}
	}
	for _, feed := range feeds {
		fc, note, err := s.feedChanges(store, feed, q, only)
		if err != nil {
			return nil, err
		}
		if note != "" {
			out.Notes = append(out.Notes, note)
		}
		if fc != nil {
			out.Changes = append(out.Changes, *fc)
		}
	}
	return out, nil
}

func isFeedName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// feedChanges compares two versions of one feed: to (default the newest) against from (default the version
// before to; with since, the version in force on that date). It returns a note instead when there is nothing
// to compare.
func (s *Server) feedChanges(store *history.Store, feed string, q changesQuery, only []string) (*FeedChanges, string, error) {
	vs := store.FeedVersions(feed)
	if len(vs) == 0 {
		return nil, fmt.Sprintf("%s: no stored versions", feed), nil
	}
	to := &vs[len(vs)-1]
	if q.To != "" {
		v, err := store.Find(feed, q.To)
		if err != nil {
			return nil, "", err
		}
		to = v
	}
	var from *history.Version
	note := ""
	switch {
	case q.From != "":
		v, err := store.Find(feed, q.From)
		if err != nil {
			return nil, "", err
		}
		from = v
	case q.Since != "":
		v, err := store.Find(feed, q.Since)
		if err != nil {
			// The history held starts after the date: compare from the oldest version, and say so.
			from = &vs[0]
			note = fmt.Sprintf("%s: the stored history starts on %s, after %s: changes are shown from %s", feed, vs[0].Date(), q.Since, vs[0].Label())
		} else {
			from = v
		}
	default:
		for i := range vs {
			if vs[i].ID == to.ID && i > 0 {
				from = &vs[i-1]
			}
		}
		if from == nil {
			return nil, fmt.Sprintf("%s: only %s is stored before or at the version asked for: nothing to compare it with", feed, to.Label()), nil
		}
	}
	if from.ID == to.ID {
		return nil, fmt.Sprintf("%s: %s is the newest version: no changes since", feed, to.Label()), nil
	}
	key := from.SHA256 + "|" + to.SHA256 + "|" + strings.Join(only, ",")
	diffs, ok := s.diffs.get(key)
	if !ok {
		a, err := store.Load(*from)
		if err != nil {
			return nil, "", fmt.Errorf("load %s: %w", from.Label(), err)
		}
		b, err := store.Load(*to)
		if err != nil {
			return nil, "", fmt.Errorf("load %s: %w", to.Label(), err)
		}
		diffs = history.Diff(a, b, only...)
		s.diffs.put(key, diffs)
	}
	fc := &FeedChanges{Feed: feed, From: versionInfo(from), To: versionInfo(to), Lists: []ListChanges{}}
	for _, d := range diffs {
		lc := ListChanges{ListDiff: d}
		if len(d.Changes) > q.Limit {
			lc.Changes = d.Changes[:q.Limit]
			lc.Truncated = true
		}
		fc.Lists = append(fc.Lists, lc)
	}
	return fc, note, nil
}

func (s *Server) handleChanges(w nethttp.ResponseWriter, r *nethttp.Request) error {
	q, err := parseChangesQuery(r.URL.Query(), DefaultChangesLimit)
	if err != nil {
		return err
	}
	res, err := s.changes(q)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

// changesPage is the data of the "What changed" page.
type changesPage struct {
	Query  changesQuery
	Error  string
	Result *ChangesResult
}

// uiChangesLimit is the most changes the page shows per list.
const uiChangesLimit = 300

func (s *Server) handleUIChanges(w nethttp.ResponseWriter, r *nethttp.Request) error {
	p := changesPage{}
	status := nethttp.StatusOK
	v := r.URL.Query()
	// The form sends every field; empty ones mean "not given".
	for k := range v {
		if v.Get(k) == "" {
			v.Del(k)
		}
	}
	q, err := parseChangesQuery(v, uiChangesLimit)
	p.Query = q
	if err == nil {
		p.Result, err = s.changes(q)
	}
	switch code := tradescreen.ErrorCode(err); {
	case err == nil:
	case code == tradescreen.EINVALID || code == tradescreen.ENOTFOUND:
		p.Error = tradescreen.ErrorMessage(err)
		status = ErrorStatusCode(code)
	default:
		return err
	}
	return s.render(w, r, status, "changes.html", &pageData{Title: "What changed", Nav: "changes", Page: p})
}
