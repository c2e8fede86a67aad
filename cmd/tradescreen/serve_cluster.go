package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/config"
	"github.com/tradescreen/tradescreen/download"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// This file coordinates a server with the other servers and jobs sharing its database and data directory
// (docs/operations.md, "Several instances"):
//
//   - reload: the lists in service are rebuilt when a new list version appears in the data directory:
//     at once when another process says so on the store's "lists" notification channel (PostgreSQL
//     NOTIFY, or the SQLite notifications table), and otherwise when a poll of the directory's index sees
//     it change. Told of a version its data directory lacks (instances that do not share one), a server
//     with a refresh interval downloads at once.
//   - announce: when this server's refresh (or 'lists update', when it knows the database) stores a new
//     version, the others are told on the "lists" channel.
//   - monitor: after each reload the server runs monitoring (monitor.RunLocked with SkipUnchanged) under
//     the database's "monitor" lock: one instance does the work, the others find the lock taken or
//     nothing left to do, and say so in the log.

// reloadPoll is how often a server checks the data directory's index for versions stored by other
// processes, in case their notification was missed.
var reloadPoll = 15 * time.Second

// cluster is one server's part in that coordination.
type cluster struct {
	m       *Main
	store   tradescreen.Store // nil without a database: no notifications, no monitoring
	srv     *tshttp.Server
	logger  *slog.Logger
	dataDir string
	lists   screening.Lists // the data directory's lists over the snapshot
	monitor bool
	refresh *refresher // nil without a refresh interval

	// id names this server in its notifications, so that it ignores its own.
	id string

	mu     sync.Mutex // one reload or monitoring run at a time
	loaded string     // dataDirState of the lists in service
	closed bool
	wg     sync.WaitGroup
}

// newCluster prepares the coordination of a server: nil when the server cannot reload its lists (they
// come from --list files, or there is no data directory). Call it before the first load, so that a
// version stored during that load is picked up afterwards.
func newCluster(m *Main, cfg config.Config, srv *tshttp.Server, store tradescreen.Store, r *refresher, logger *slog.Logger) *cluster {
	if cfg.DataDir == "" || len(cfg.Lists) > 0 {
		return nil
	}
	c := &cluster{m: m, store: store, srv: srv, logger: logger, dataDir: cfg.DataDir, lists: listSource(m, nil, cfg.DataDir), monitor: cfg.Monitor && store != nil, refresh: r,
		id: processName("serve " + rand.Text()[:6])}
	c.loaded = dataDirState(c.dataDir)
	if r != nil {
		r.cluster = c
	}
	return c
}

// processName names this process in notifications: "lists update on HOST pid 4711". A server's name also
// carries a random word, so that two servers in one process tell their notifications apart.
func processName(what string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s on %s pid %d", what, host, os.Getpid())
}

// notification is the payload of a "lists" notification: who stored which versions.
func notification(from, versions string) string { return from + ": " + versions }

// dataDirState identifies the data directory's index as it stands (size and modification time; "" when
// there is none): a cheap stat tells whether versions were added since.
func dataDirState(dir string) string {
	st, err := os.Stat(filepath.Join(dir, "versions.jsonl"))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
}

// start listens and polls until ctx ends; call it once the first lists are in service.
func (c *cluster) start(ctx context.Context) {
	if c == nil {
		return
	}
	var notes <-chan string
	if c.store != nil {
		ch, err := c.store.Notifications().Listen(ctx, tradescreen.ChannelLists)
		if err != nil {
			c.logger.Warn("not listening for list notifications: other instances' new lists are found by polling the data directory",
				"poll", reloadPoll.String(), "error", err.Error())
		}
		notes = ch
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTicker(reloadPoll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case p, ok := <-notes:
				if !ok {
					notes = nil
					continue
				}
				if !strings.HasPrefix(p, c.id+": ") {
					c.reload(ctx, p)
				}
			case <-t.C:
				c.reload(ctx, "")
			}
		}
	}()
}

// stop waits for a reload or monitoring run in progress (ctx, ended, stops it) and lets no other start.
func (c *cluster) stop() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
}

// reload rebuilds the lists in service when the data directory's index changed since they were loaded.
// note is the notification that prompted it ("" for a poll). When notified of a version the data directory
// does not have, a server with a refresh interval downloads at once.
func (c *cluster) reload(ctx context.Context, note string) {
	c.mu.Lock()
	if c.closed || ctx.Err() != nil {
		c.mu.Unlock()
		return
	}
	st := dataDirState(c.dataDir)
	if st == c.loaded {
		c.mu.Unlock()
		if note != "" && c.refresh != nil {
			c.logger.Info("lists notification: downloading, as this data directory lacks the new version", "notification", note)
			c.refresh.refresh(ctx)
		}
		return
	}
	defer c.mu.Unlock()
	reason := "data directory changed"
	if note != "" {
		reason = "notified: " + note
	}
	start := time.Now()
	s, err := c.lists.Load()
	if err != nil {
		c.logger.Error("lists not reloaded: the lists in service are kept", "reason", reason, "error", err.Error())
		return
	}
	c.srv.Service.SetLists(s)
	c.loaded = st
	c.logger.Info("lists reloaded", "reason", reason, "entries", entryCount(s), "lists", len(s.Lists()), "as_of", screen.AsOf(s.Lists()),
		"duration", time.Since(start).Round(time.Millisecond))
	c.runMonitor(ctx)
}

// refreshed is called by the refresher after it swapped in lists with newly accepted versions: it tells the
// other instances and runs monitoring.
func (c *cluster) refreshed(ctx context.Context, results []download.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.loaded = dataDirState(c.dataDir)
	if c.store != nil {
		if err := c.store.Notifications().Notify(ctx, tradescreen.ChannelLists, notification(c.id, acceptedText(results))); err != nil {
			c.logger.Warn("other instances not notified of the new lists (they find them by polling)", "error", err.Error())
		}
	}
	c.runMonitor(ctx)
}

// acceptedText names the accepted versions of an update for a notification: "un #2 of 2018-10-29".
func acceptedText(results []download.Result) string {
	var parts []string
	for _, r := range results {
		if r.Status == download.Accepted && r.Version != nil {
			parts = append(parts, r.Version.Label())
		}
	}
	text := strings.Join(parts, ", ")
	if len(text) > 900 {
		text = text[:900] + " ..."
	}
	return text
}

// runMonitor runs monitoring on the lists in service under the "monitor" lock, and logs what happened.
func (c *cluster) runMonitor(ctx context.Context) {
	if !c.monitor {
		return
	}
	// With ownership data (--ownership) the listed owners of each party raise alerts too, as `monitor run
	// --ownership` has them do.
	mon, sc, err := c.srv.Service.Monitor(c.store, tradescreen.System)
	if mon == nil {
		c.logger.Error("monitoring not run", "error", err.Error())
		return
	}
	if err != nil {
		// Without it every match raises an open alert: nothing is missed.
		c.logger.Error("monitoring without the allow list: it cannot be read", "error", err.Error())
	}
	mon.SkipUnchanged = true
	rep, err := mon.RunLocked(ctx, sc, false)
	switch {
	case tradescreen.ErrorCode(err) == tradescreen.ECONFLICT:
		c.logger.Info("monitoring skipped: another instance holds the monitor lock and runs it", "lock", monitor.LockName)
	case err != nil:
		if ctx.Err() == nil {
			c.logger.Error("monitoring failed: run 'tradescreen monitor run' to retry", "error", err.Error())
		}
	case rep.Mode == "unchanged":
		c.logger.Info("monitoring skipped: nothing changed since the last run", "lists", rep.Lists)
	default:
		c.logger.Info("monitoring run", "mode", rep.Mode, "parties", rep.Parties, "rescreened", rep.Rescreened,
			"new_entries", rep.NewEntries, "changed_entries", rep.ChangedEntries, "removed_entries", rep.RemovedEntries,
			"hits", rep.Hits, "ownership_hits", rep.OwnershipHits, "created", rep.Created, "reopened", rep.Reopened, "allowed", rep.Allowed, "duration", rep.Duration.Round(time.Millisecond),
			"lists", rep.Lists)
	}
}

func entryCount(s *screen.Screener) int {
	n := 0
	for _, l := range s.Lists() {
		n += l.Entries
	}
	return n
}

// announceLists tells the servers sharing the database that 'lists update' stored new versions, when the
// database is known: TRADESCREEN_DB, or tradescreen.db in the data directory when it exists. Without one
// the servers find the versions when they next poll the data directory. A failure is only a warning.
func announceLists(ctx context.Context, m *Main, dir string, results []download.Result) {
	text := acceptedText(results)
	if text == "" {
		return
	}
	dsn := m.Getenv("TRADESCREEN_DB")
	if dsn == "" {
		if _, err := os.Stat(filepath.Join(dir, "tradescreen.db")); err != nil {
			return
		}
	}
	store, _, err := openStore(dsn, dir)
	if err == nil {
		err = store.Notifications().Notify(ctx, tradescreen.ChannelLists, notification(processName("lists update"), text))
		store.Close()
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "warning: servers not notified of the new lists (they find them by polling the data directory): %s\n", errorText(err))
	}
}
