package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/config"
	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/textview"
)

// dataDir is the data directory: the flag, else the environment's (config.DefaultDataDir, read through
// m.Getenv so tests stay hermetic); "" when none is set (then only the embedded lists are used).
func dataDir(m *Main, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return config.DefaultDataDir(m.Getenv)
}

const dataDirHelp = "data directory of downloaded list versions (default $TRADESCREEN_DATA_DIR, else $XDG_DATA_HOME/tradescreen or ~/.local/share/tradescreen)"

// sourceFlag collects --source NAME=URL values.
type sourceFlag []string

func (s *sourceFlag) String() string     { return strings.Join(*s, ",") }
func (s *sourceFlag) Set(v string) error { *s = append(*s, v); return nil }

type listsUpdateCommand struct{}

const listsUpdateHelp = `Downloads each configured list from its official URL (or the URLs given with --source), validates it
completely and stores it as a new version in the data directory. A download is rejected, and the last good
version kept, when it is not the list (an HTML page, an empty or truncated file, another format), when an
entry lacks a name or an id, when a list the previous version carried is missing, or when a list's entry
count fell by more than --max-drop. Requests are conditional (ETag / Last-Modified) and retried with backoff.
Each step of each source (connecting, bytes downloaded, validating, storing) is reported on stderr as it
happens. With --as-of DATE the sources that serve past versions (ecfr: the Entity List as the law stood
that day) fetch that version and store it beside the newest; the others are skipped.
After an update, check, batch, lists show and serve use the newest accepted versions over the embedded lists;
running servers are told at once through the database when TRADESCREEN_DB is set or DATA_DIR/tradescreen.db
exists (else they find the new versions within 15 s).
One writer at a time: an update takes the data directory's lock (DIR/lock, released when the process ends,
however it ends); a second update, the server's refresh or an own-list import waits for it, or with
--no-wait fails at once.

Sources (NAME: reader, default URL):
%s
The exit status is 1 when any source failed or was rejected.`

func (c *listsUpdateCommand) Run(ctx context.Context, m *Main, args []string) error {
	var feeds strings.Builder
	textview.Feeds(&feeds, download.DefaultFeeds())
	fs := newFlagSet(m, "lists update", "lists update [--data-dir DIR] [--source NAME=URL]... [--as-of DATE] [NAME...]", fmt.Sprintf(listsUpdateHelp, feeds.String()))
	dir := fs.String("data-dir", "", dataDirHelp)
	cfg := download.DefaultConfig()
	var sources sourceFlag
	fs.Var(&sources, "source", "download source NAME from URL instead of its official URL, as NAME=URL (NAME a source above, or a new name as NAME:KIND=URL); repeatable. Only these sources are updated unless NAMEs are given")
	fs.StringVar(&cfg.Proxy, "proxy", "", "HTTP(S) proxy URL (default: HTTPS_PROXY / HTTP_PROXY)")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "time limit for one download attempt")
	fs.IntVar(&cfg.Retries, "retries", cfg.Retries, "retries of a failed download (with doubling backoff)")
	fs.DurationVar(&cfg.Backoff, "backoff", cfg.Backoff, "wait before the first retry")
	fs.Float64Var(&cfg.MaxDrop, "max-drop", cfg.MaxDrop, "largest share (0..1) by which a list's entry count may fall before the download is rejected")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.StringVar(&cfg.AsOf, "as-of", "", "fetch the version in force on this date (YYYY-MM-DD) instead of the newest, from the sources that serve past versions (ecfr); check --as-of then answers from it")
	fs.BoolVar(&cfg.NoWait, "no-wait", false, "fail at once when another update (or the server's refresh, or an own-list import) holds the data directory, instead of waiting for it")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	cfg.Waiting = func(holder string) {
		fmt.Fprintf(m.Stderr, "waiting for the data directory: it is locked by another process (%s); --no-wait fails instead\n", holder)
	}
	cfg.Progress = func(p download.Progress) { fmt.Fprintln(m.Stderr, p.String()) }
	var names []string
	for _, s := range sources {
		name, err := cfg.ApplySource(s)
		if err != nil {
			return usagef("--source: %v", err)
		}
		names = append(names, name)
	}
	if len(pos) > 0 {
		names = pos
	}
	if err := cfg.Validate(); err != nil {
		return usagef("%s", errorText(err))
	}
	d := dataDir(m, *dir)
	if d == "" {
		return usagef("no data directory: pass --data-dir or set TRADESCREEN_DATA_DIR")
	}
	store, err := history.Open(d)
	if err != nil {
		return err
	}
	u, err := download.NewUpdater(cfg, store)
	if err != nil {
		return err
	}
	results, err := u.Update(ctx, names...)
	if err != nil {
		if tradescreen.ErrorCode(err) == tradescreen.EINVALID {
			return usagef("%s", errorText(err))
		}
		return err
	}
	// Servers sharing the database reload at once (serve_cluster.go).
	announceLists(ctx, m, d, results)
	bad := 0
	for _, r := range results {
		if r.NotUpdated() {
			bad++
		}
	}
	if *asJSON {
		if err := writeJSON(m.Stdout, results); err != nil {
			return err
		}
	} else {
		textview.UpdateResults(m.Stdout, results)
		fmt.Fprintf(m.Stdout, "Data directory: %s\n", d)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d sources not updated; the last good versions are kept", bad, len(results))
	}
	return nil
}

type listsHistoryCommand struct{}

const listsHistoryHelp = `Shows every accepted list version in the data directory, oldest first: its id, source, publication date,
download time, entries per list and SHA-256. Name sources (csl, ofac_sdn, un ...) to show only theirs.`

func (c *listsHistoryCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "lists history", "lists history [--data-dir DIR] [--json] [SOURCE...]", listsHistoryHelp)
	dir := fs.String("data-dir", "", dataDirHelp)
	asJSON := fs.Bool("json", false, "print as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	store, err := history.OpenExisting(dataDir(m, *dir))
	if err != nil {
		return err
	}
	var vs []history.Version
	if store != nil {
		vs = store.VersionsOf(pos)
	}
	if *asJSON {
		if vs == nil {
			vs = []history.Version{}
		}
		return writeJSON(m.Stdout, vs)
	}
	if len(vs) == 0 {
		fmt.Fprintf(m.Stdout, "No list versions stored in %q: run 'tradescreen lists update'. The embedded lists are in use.\n", dataDir(m, *dir))
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSOURCE\tPUBLISHED\tDOWNLOADED\tENTRIES\tSHA256")
	for _, v := range vs {
		fmt.Fprintf(tw, "#%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Feed, v.Published, v.Downloaded.UTC().Format(time.RFC3339), v.Counts(), v.SHA256[:12])
	}
	return tw.Flush()
}

type listsDiffCommand struct{}

const listsDiffHelp = `Shows the entries added, removed and changed between two versions of a list, and what changed in each
(a new alias, a new address, a new Federal Register citation ...). SOURCE is a list code (us_sdn, un_sc ...),
a download source name (csl, ofac_sdn ...) or "all". A and B each name a stored version: #ID, a SHA-256
prefix, or a date YYYY-MM-DD (the version in force that day); or an official file, as KIND=PATH. Works
offline.`

func (c *listsDiffCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "lists diff", "lists diff SOURCE --from A --to B [--data-dir DIR] [--json]", listsDiffHelp)
	dir := fs.String("data-dir", "", dataDirHelp)
	from := fs.String("from", "", "the older version: #ID, SHA-256 prefix, YYYY-MM-DD or KIND=PATH")
	to := fs.String("to", "", "the newer version (default: the newest stored)")
	asJSON := fs.Bool("json", false, "print as JSON")
	limit := fs.Int("limit", 200, "most changes shown per list in text output (0: all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one SOURCE (a list code such as us_sdn, a source name such as csl, or all)")
	}
	if *from == "" {
		return usagef("--from is required")
	}
	src := pos[0]
	var store *history.Store
	needStore := !strings.Contains(*from, "=") || !strings.Contains(*to, "=")
	if needStore {
		if store, err = history.OpenExisting(dataDir(m, *dir)); err != nil {
			return err
		}
		if store == nil {
			return tradescreen.Errorf(tradescreen.ENOTFOUND, "no list versions stored in %q: run 'tradescreen lists update', or compare files with --from KIND=PATH --to KIND=PATH", dataDir(m, *dir))
		}
	}
	// The feed whose versions --from/--to name: the source itself, or the feed carrying the list code.
	feed := ""
	if store != nil && src != "all" {
		feed = store.FeedFor(src)
	}
	a, err := history.Resolve(store, feed, *from)
	if err != nil {
		return err
	}
	if *to == "" && feed == "" {
		return usagef("--to is required when SOURCE is not a stored source or list")
	}
	b, err := history.Resolve(store, feed, *to)
	if err != nil {
		return err
	}
	var only []string
	if _, ok := tradescreen.LookupSource(src); ok {
		only = []string{src}
	}
	diffs := history.Diff(a, b, only...)
	if len(diffs) == 0 {
		return tradescreen.Errorf(tradescreen.ENOTFOUND, "neither version carries %s", src)
	}
	if *asJSON {
		return writeJSON(m.Stdout, diffs)
	}
	for _, d := range diffs {
		textview.Diff(m.Stdout, d, *limit, " (use --limit 0 or --json)")
	}
	return nil
}
