// Package download fetches the official list files, validates each one completely and, only when it passes,
// stores it as a new version in the history store. A failed or suspicious download leaves the last good
// version in place and says why.
//
// Each feed is fetched with a conditional request (If-None-Match / If-Modified-Since from the last accepted
// version), retried with exponential backoff on network errors, timeouts, 408, 429 and 5xx, and then checked:
// not an HTML page, not empty, not larger than the limit, parsed completely by its reader, every entry with a
// name and an id, every list the previous version carried still there, and no list's entry count dropped by
// more than MaxDrop.
package download

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/source"
)

// Feed is one official file to download.
type Feed struct {
	// Name identifies the feed in the store and on the command line (--source NAME=URL).
	Name string `json:"name"`
	// Kind is the reader that parses it (csl, ofac, un, uk, eu, dpl).
	Kind string `json:"kind"`
	URL  string `json:"url"`
	// File is the file name given to the reader when the URL does not end in one (it tells SDN.XML from
	// sdn.csv).
	File        string `json:"file"`
	Description string `json:"description"`
	// Retired, when set, says why the publisher no longer updates the file: the feed is updated only when
	// named, to keep the history of the retired list.
	Retired string `json:"retired,omitempty"`
	// located is set on the feed a locator returned: URL and File name the file to fetch.
	located bool
}

// DefaultFeeds returns the official download URLs, in the order they are loaded (the CSL first, so that the
// feeds after it replace the lists they carry). The EU file is fetched with the public token the FSF site
// publishes for it; a token of your own is set with --source eu=URL.
func DefaultFeeds() []Feed {
	return []Feed{
		feed("csl", "csl", "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv", "consolidated.csv",
			"trade.gov Consolidated Screening List: the 13 US lists (us_el, us_dpl, us_uvl, us_meu, us_sdn and the non-SDN lists, us_isn, us_dtc)"),
		feed("ecfr", "ecfr", "https://www.ecfr.gov", "title-15.xml",
			"eCFR versioner API: 15 CFR Part 744 of the newest date in titles.json (or of --as-of), whose Supplement No. 4 is the Entity List (us_el, replacing the CSL's)"),
		feed("ofac_sdn", "ofac", "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML", "SDN.XML",
			"OFAC SDN.XML (us_sdn, with every alias and address)"),
		feed("ofac_cons", "ofac", "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML", "CONSOLIDATED.XML",
			"OFAC non-SDN CONSOLIDATED.XML (us_ssi, us_fse, us_plc, us_cap, us_mbs, us_cmic)"),
		feed("un", "un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml", "consolidated.xml",
			"UN Security Council Consolidated List (un_sc)"),
		feed("uksl", "uksl", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv", "UK-Sanctions-List.csv",
			"FCDO UK Sanctions List CSV (gb_fcdo), the UK's official list since 28 January 2026"),
		retired(feed("uk", "uk", "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv", "ConList.csv",
			"UK OFSI ConList.csv (gb_hmt), retired: updated only when named"),
			"OFSI retired the Consolidated List on 28 January 2026; the UK Sanctions List (uksl) replaces it"),
		feed("dpl", "dpl", "https://www.bis.doc.gov/dpl/dpl.txt", "dpl.txt",
			"BIS Denied Persons List dpl.txt (us_dpl, also in the CSL)"),
		feed("eu", "eu", "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw", "eu_fsf.xml",
			"EU Financial Sanctions Files XML 1.1 (eu_fsf), with the FSF site's public token; --source eu=URL for your own"),
	}
}

func feed(name, kind, url, file, description string) Feed {
	return Feed{Name: name, Kind: kind, URL: url, File: file, Description: description}
}

func retired(f Feed, why string) Feed {
	f.Retired = why
	return f
}

// Config configures the downloads.
type Config struct {
	// Feeds are the files to fetch (DefaultFeeds unless set).
	Feeds []Feed
	// Proxy is an HTTP(S) proxy URL; empty uses HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
	Proxy string
	// Timeout bounds one attempt (connection, headers and body).
	Timeout time.Duration
	// Retries is how many times a failed attempt is retried; Backoff the wait before the first retry,
	// doubled before each further one.
	Retries int
	Backoff time.Duration
	// MaxDrop is the largest share (0..1) by which a list's entry count may fall from the previous version;
	// a bigger drop is taken for a broken file and rejected.
	MaxDrop float64
	// MaxSize bounds a download in bytes.
	MaxSize int64
	// UserAgent is sent with every request.
	UserAgent string
	// LoopbackOnly refuses connections to any address but a loopback one (tests set it).
	LoopbackOnly bool
	// NoWait makes Update fail at once (ECONFLICT) when another process holds the data directory's lock,
	// instead of waiting for it.
	NoWait bool
	// Waiting, when set, is called once before Update waits for the data directory's lock, with who holds
	// it.
	Waiting func(holder string)
	// Progress, when set, is called at each step of each feed (connecting, downloading, validating,
	// storing, done), as it happens.
	Progress func(Progress)
	// ProgressEvery is how many bytes of a download pass between two "downloading" reports (0: 8 MiB).
	ProgressEvery int64
	// AsOf, when set (YYYY-MM-DD), fetches the version in force on that date instead of the newest, from
	// the feeds whose publisher serves past versions (ecfr); the other feeds are skipped.
	AsOf string
}

// DefaultConfig returns the defaults: every official feed, a 5-minute timeout per attempt, 3 retries from
// 2 s, a 20 % drop limit and a 512 MB size limit.
func DefaultConfig() Config {
	return Config{
		Feeds:     DefaultFeeds(),
		Timeout:   5 * time.Minute,
		Retries:   3,
		Backoff:   2 * time.Second,
		MaxDrop:   0.20,
		MaxSize:   source.MaxFileSize,
		UserAgent: "tradescreen (restricted-party screening; https://github.com/tradescreen/tradescreen)",
	}
}

// Validate checks the configuration. Errors are EINVALID naming the field.
func (c *Config) Validate() error {
	if c.Timeout <= 0 {
		return tradescreen.Errorf(tradescreen.EINVALID, "timeout: must be positive")
	}
	if c.Retries < 0 || c.Retries > 20 {
		return tradescreen.Errorf(tradescreen.EINVALID, "retries: %d is outside 0..20", c.Retries)
	}
	if c.MaxDrop < 0 || c.MaxDrop > 1 {
		return tradescreen.Errorf(tradescreen.EINVALID, "max-drop: %v is outside [0, 1]", c.MaxDrop)
	}
	if c.AsOf != "" {
		if _, err := time.Parse("2006-01-02", c.AsOf); err != nil {
			return tradescreen.Errorf(tradescreen.EINVALID, "as-of: %q is not a date YYYY-MM-DD", c.AsOf)
		}
	}
	if c.Proxy != "" {
		if u, err := url.Parse(c.Proxy); err != nil || u.Host == "" {
			return tradescreen.Errorf(tradescreen.EINVALID, "proxy: %q is not a URL", c.Proxy)
		}
	}
	for _, f := range c.Feeds {
		if f.URL == "" {
			continue
		}
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return tradescreen.Errorf(tradescreen.EINVALID, "source %s: %q is not an http(s) URL", f.Name, f.URL)
		}
	}
	return nil
}

// Result statuses.
const (
	// Accepted: a new version was validated and stored.
	Accepted = "accepted"
	// Unchanged: the server answered 304 Not Modified, or sent the bytes of the last accepted version.
	Unchanged = "unchanged"
	// Rejected: the file was downloaded but failed validation; the last good version stays.
	Rejected = "rejected"
	// Failed: the download itself failed after every retry; the last good version stays.
	Failed = "failed"
	// Skipped: the feed has no URL.
	Skipped = "skipped"
)

// Result is the outcome of updating one feed.
type Result struct {
	Feed   string `json:"feed"`
	URL    string `json:"url,omitempty"`
	Status string `json:"status"`
	// Reason says why a download was rejected, failed or skipped.
	Reason string `json:"reason,omitempty"`
	// Version is the stored version (for Accepted) or the last good one kept (otherwise), if any.
	Version *history.Version `json:"version,omitempty"`
	// Attempts is the number of HTTP requests made.
	Attempts int `json:"attempts"`
}

// NotUpdated reports whether the feed could not be updated: its download failed or was rejected (the last
// good version is kept).
func (r Result) NotUpdated() bool { return r.Status == Failed || r.Status == Rejected }

// Updater downloads feeds into a store.
type Updater struct {
	Config Config
	Store  *history.Store
	// Client is the HTTP client; nil builds one from Config (proxy, timeout, LoopbackOnly).
	Client *http.Client
	// Now and Sleep are the clock, replaceable in tests.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// NewUpdater returns an Updater with its HTTP client built from cfg.
func NewUpdater(cfg Config, store *history.Store) (*Updater, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	u := &Updater{Config: cfg, Store: store, Now: func() time.Time { return time.Now().UTC() }, Sleep: sleep}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	if cfg.Proxy != "" {
		p, _ := url.Parse(cfg.Proxy)
		tr.Proxy = http.ProxyURL(p)
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	if cfg.LoopbackOnly {
		tr.Proxy = nil
		dialer.Control = loopbackOnly
	}
	tr.DialContext = dialer.DialContext
	// Ask for the file as it is; a gzip Content-Encoding would otherwise be removed by the transport anyway.
	u.Client = &http.Client{Transport: tr, Timeout: cfg.Timeout}
	return u, nil
}

func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to connect to %s: only loopback addresses are allowed", address)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Update fetches the named feeds (every configured feed when names is empty), one after another, and returns
// one Result per feed. It never returns partial state: each feed is accepted whole or not at all. It holds
// the data directory's lock (history.Store.Lock) throughout, so two updates, or an update and an own-list
// import, never interleave: it waits for the lock, or with Config.NoWait fails at once. The error is
// EINVALID for an unknown feed name, ECONFLICT when the lock is held and NoWait is set, the context's error
// while waiting; download and validation failures are reported in the Results.
func (u *Updater) Update(ctx context.Context, names ...string) ([]Result, error) {
	feeds := u.Config.Feeds
	if u.Config.AsOf != "" && len(names) == 0 {
		// Only the feeds that serve past versions can answer --as-of.
		feeds = nil
		for _, f := range u.Config.Feeds {
			if locators[f.Kind] != nil {
				feeds = append(feeds, f)
			}
		}
	}
	if len(names) > 0 {
		feeds = nil
		for _, n := range names {
			f, ok := u.feed(n)
			if !ok {
				var known []string
				for _, f := range u.Config.Feeds {
					known = append(known, f.Name)
				}
				return nil, tradescreen.Errorf(tradescreen.EINVALID, "unknown source %q (known: %s)", n, strings.Join(known, ", "))
			}
			feeds = append(feeds, f)
		}
	}
	unlock, err := u.Store.Lock(ctx, history.LockOptions{NoWait: u.Config.NoWait, Waiting: u.Config.Waiting, Purpose: "lists update"})
	if err != nil {
		return nil, err
	}
	defer unlock()
	var out []Result
	for _, f := range feeds {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		out = append(out, u.updateFeed(ctx, f, len(names) > 0))
	}
	return out, nil
}

func (u *Updater) feed(name string) (Feed, bool) {
	for _, f := range u.Config.Feeds {
		if f.Name == name {
			return f, true
		}
	}
	return Feed{}, false
}

// errRetry marks a failure worth retrying.
type errRetry struct{ err error }

func (e errRetry) Error() string { return e.err.Error() }

func (u *Updater) updateFeed(ctx context.Context, f Feed, named bool) Result {
	r := Result{Feed: f.Name, URL: f.URL}
	prev := u.Store.Newest(f.Name)
	r.Version = prev
	if f.URL == "" {
		r.Status, r.Reason = Skipped, "no URL configured"
		return u.done(r)
	}
	if f.Retired != "" && !named {
		r.Status, r.Reason = Skipped, "retired: "+f.Retired+"; name it to update it"
		return u.done(r)
	}
	if u.Config.AsOf != "" && locators[f.Kind] == nil {
		r.Status, r.Reason = Skipped, "its publisher serves only the current file, so --as-of cannot fetch a past one"
		return u.done(r)
	}
	if loc := locators[f.Kind]; loc != nil {
		located, err := loc(ctx, u, f, &r.Attempts)
		if err != nil {
			r.Status, r.Reason = Failed, errText(err)+keeps(prev)
			return u.done(r)
		}
		f, r.URL = located, located.URL
	}
	if u.Config.AsOf != "" {
		// A past version is compared with nothing: the list was smaller then, and that is not a broken file.
		prev = nil
	}
	resp, err := u.get(ctx, f, prev, &r.Attempts)
	if err != nil {
		r.Status = Failed
		r.Reason = err.Error()
		if r.Attempts > 1 {
			r.Reason += fmt.Sprintf(" (after %d attempts)", r.Attempts)
		}
		r.Reason += keeps(r.Version)
		return u.done(r)
	}
	if resp.notModified {
		r.Status, r.Reason = Unchanged, "304 Not Modified"
		return u.done(r)
	}
	u.progress(f.Name, StepDownloaded, "downloaded %d bytes", len(resp.body))
	if same := u.sameContent(f.Name, resp.body); same != nil {
		r.Status, r.Reason, r.Version = Unchanged, "same content as "+same.Label(), same
		return u.done(r)
	}
	u.progress(f.Name, StepValidating, "validating %s with the %s reader", resp.name, f.Kind)
	v, err := u.validate(f, resp, prev)
	if err != nil {
		r.Status = Rejected
		r.Reason = errText(err) + keeps(r.Version)
		return u.done(r)
	}
	u.progress(f.Name, StepStoring, "storing: %s", strings.Join(v.Notes, "; "))
	stored, err := u.Store.Add(v, resp.body)
	if err != nil {
		r.Status = Failed
		r.Reason = "store: " + err.Error() + keeps(r.Version)
		return u.done(r)
	}
	r.Status, r.Version = Accepted, &stored
	return u.done(r)
}

// get makes the request for f, retrying with doubling backoff the failures worth retrying; attempts counts
// the requests made.
func (u *Updater) get(ctx context.Context, f Feed, prev *history.Version, attempts *int) (*response, error) {
	var (
		resp *response
		err  error
	)
	wait := u.Config.Backoff
	for attempt := 0; attempt <= u.Config.Retries; attempt++ {
		if attempt > 0 {
			u.progress(f.Name, StepRetrying, "%v; retrying in %s", err, wait)
			if serr := u.Sleep(ctx, wait); serr != nil {
				return nil, serr
			}
			wait *= 2
		}
		*attempts++
		u.progress(f.Name, StepConnecting, "connecting to %s", f.URL)
		resp, err = u.fetch(ctx, f, prev)
		var re errRetry
		if err == nil || !errors.As(err, &re) {
			break
		}
	}
	return resp, err
}

// sameContent returns the stored version of feed whose bytes are body, or nil.
func (u *Updater) sameContent(feed string, body []byte) *history.Version {
	sum := source.SHA256(body)
	for _, v := range u.Store.FeedVersions(feed) {
		if v.SHA256 == sum {
			return &v
		}
	}
	return nil
}

// done reports the outcome of one feed and returns it.
func (u *Updater) done(r Result) Result {
	switch r.Status {
	case Accepted:
		u.progress(r.Feed, StepDone, "stored as #%d (published %s)", r.Version.ID, r.Version.Published)
	default:
		u.progress(r.Feed, StepDone, "%s: %s", r.Status, r.Reason)
	}
	return r
}

func keeps(prev *history.Version) string {
	if prev == nil {
		return "; no earlier version is held"
	}
	return "; keeping " + prev.Label()
}

func errText(err error) string {
	var e *tradescreen.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

type response struct {
	body         []byte
	contentType  string
	etag         string
	lastModified string
	notModified  bool
	name         string
}

// fetch makes one request. Errors worth retrying are wrapped in errRetry.
func (u *Updater) fetch(ctx context.Context, f Feed, prev *history.Version) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, u.Config.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return nil, err
	}
	if u.Config.UserAgent != "" {
		req.Header.Set("User-Agent", u.Config.UserAgent)
	}
	if prev != nil && prev.URL == f.URL {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	res, err := u.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, errRetry{fmt.Errorf("timed out after %s", u.Config.Timeout)}
		}
		return nil, errRetry{fmt.Errorf("request: %v", err)}
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotModified:
		return &response{notModified: true}, nil
	case res.StatusCode == http.StatusRequestTimeout || res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		return nil, errRetry{fmt.Errorf("server answered %s", res.Status)}
	case res.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("server answered %s", res.Status)
	}
	max := u.Config.MaxSize
	if max <= 0 {
		max = source.MaxFileSize
	}
	body, err := io.ReadAll(io.LimitReader(u.body(f.Name, res.Body, res.ContentLength), max+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, errRetry{fmt.Errorf("timed out after %s reading the body", u.Config.Timeout)}
		}
		return nil, errRetry{fmt.Errorf("read body: %v (truncated transfer)", err)}
	}
	if int64(len(body)) > max {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "larger than the %d-byte limit", max)
	}
	if res.ContentLength >= 0 && int64(len(body)) != res.ContentLength {
		return nil, errRetry{fmt.Errorf("truncated transfer: %d of %d bytes", len(body), res.ContentLength)}
	}
	return &response{
		body: body, contentType: res.Header.Get("Content-Type"),
		etag: res.Header.Get("ETag"), lastModified: res.Header.Get("Last-Modified"),
		name: fileName(f, res),
	}, nil
}

// fileName is the name given to the reader: the feed's File, or the URL's last path element when it looks
// like a file name of the same kind of file (a --source override may point at sdn.csv instead of SDN.XML).
func fileName(f Feed, res *http.Response) string {
	if f.located {
		return f.File
	}
	base := path.Base(res.Request.URL.Path)
	if strings.Contains(base, ".") && base != "." && base != "/" {
		return base
	}
	if f.File != "" {
		return f.File
	}
	return f.Name
}

// validate checks a downloaded file completely and returns the version to store.
func (u *Updater) validate(f Feed, r *response, prev *history.Version) (history.Version, error) {
	v := history.Version{Feed: f.Name, Kind: f.Kind, Name: r.name, URL: f.URL, Downloaded: u.Now().UTC(),
		ETag: r.etag, LastModified: r.lastModified, Lists: map[string]int{}}
	if len(bytes.TrimSpace(r.body)) == 0 {
		return v, tradescreen.Errorf(tradescreen.EINVALID, "empty file")
	}
	ct := strings.ToLower(r.contentType)
	head := strings.ToLower(string(bytes.TrimSpace(r.body[:min(len(r.body), 512)])))
	if strings.HasPrefix(ct, "text/html") || strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") {
		return v, tradescreen.Errorf(tradescreen.EINVALID, "the server sent an HTML page (Content-Type %q), not a list file", r.contentType)
	}
	ds, err := history.Parse(f.Kind, r.body, r.name)
	if err != nil {
		return v, tradescreen.Errorf(tradescreen.EINVALID, "does not parse: %s", errText(err))
	}
	if len(ds.Entries) == 0 {
		return v, tradescreen.Errorf(tradescreen.EINVALID, "no entries")
	}
	missing := 0
	for i := range ds.Entries {
		e := &ds.Entries[i]
		if strings.TrimSpace(e.Name) == "" || strings.TrimSpace(e.SourceID) == "" || e.Source == "" {
			missing++
		}
	}
	if missing > 0 {
		return v, tradescreen.Errorf(tradescreen.EINVALID, "%d entries lack a name, a list code or an id", missing)
	}
	for _, e := range ds.Entries {
		v.Lists[e.Source]++
	}
	for _, l := range ds.Lists {
		if v.Published == "" && l.Published != "" {
			v.Published, v.PublishedNote = l.Published, l.PublishedNote
		}
	}
	if v.Published == "" {
		if t, err := http.ParseTime(r.lastModified); err == nil {
			v.Published, v.PublishedNote = t.UTC().Format("2006-01-02"), "the file states no date; this is its HTTP Last-Modified date"
		} else {
			v.Published, v.PublishedNote = v.Downloaded.Format("2006-01-02"), "the file states no date; this is the day it was downloaded"
		}
	}
	var notes []string
	var codes []string
	for c := range v.Lists {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return tradescreen.SourceRank(codes[i]) < tradescreen.SourceRank(codes[j]) })
	if prev != nil {
		for code, before := range prev.Lists {
			now, ok := v.Lists[code]
			if !ok {
				return v, tradescreen.Errorf(tradescreen.EINVALID, "%s is missing (the previous version, %s, had %d entries)", code, prev.Label(), before)
			}
			if before > 0 && float64(before-now) > u.Config.MaxDrop*float64(before) {
				return v, tradescreen.Errorf(tradescreen.EINVALID, "%s fell from %d to %d entries (%.0f%%, the limit is %.0f%%)",
					code, before, now, 100*float64(before-now)/float64(before), 100*u.Config.MaxDrop)
			}
		}
		for _, code := range codes {
			notes = append(notes, fmt.Sprintf("%s: %d entries (previous version %d)", code, v.Lists[code], prev.Lists[code]))
		}
	} else {
		for _, code := range codes {
			notes = append(notes, fmt.Sprintf("%s: %d entries (first version)", code, v.Lists[code]))
		}
	}
	notes = append(notes, "parsed completely; every entry has a name and an id")
	v.Notes = notes
	return v, nil
}

// ApplySource applies one source specification, as `lists update --source` and the refresh_sources setting
// give it: NAME=URL points the feed NAME at URL, NAME:KIND=URL also sets its kind or adds a feed of that kind.
// It returns the feed's name. Errors: the specification is not NAME=URL, or names no feed without a kind.
func (c *Config) ApplySource(spec string) (string, error) {
	name, u, ok := strings.Cut(spec, "=")
	if !ok || name == "" || u == "" {
		return "", fmt.Errorf("want NAME=URL, got %q", spec)
	}
	kind := ""
	if n, k, ok := strings.Cut(name, ":"); ok {
		name, kind = n, k
	}
	found := false
	var known []string
	for i := range c.Feeds {
		known = append(known, c.Feeds[i].Name)
		if c.Feeds[i].Name == name {
			c.Feeds[i].URL = u
			if kind != "" {
				c.Feeds[i].Kind = kind
			}
			found = true
		}
	}
	if !found {
		if kind == "" {
			return "", fmt.Errorf("unknown source %q: use a known name (%s) or NAME:KIND=URL", name, strings.Join(known, ", "))
		}
		c.Feeds = append(c.Feeds, Feed{Name: name, Kind: kind, URL: u})
	}
	return name, nil
}
