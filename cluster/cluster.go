package cluster

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
	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// Package cluster coordinates a server with the other servers and jobs sharing its database and data directory
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

// ReloadPoll is how often a server checks the data directory's index for versions stored by other
// processes, in case their notification was missed.
var ReloadPoll = 15 * time.Second

// Cluster is one server's part in that coordination.
type Cluster struct {
	store   tradescreen.Store // nil without a database: no notifications, no monitoring
	svc     *screening.Service
	logger  *slog.Logger
	dataDir string
	lists   screening.Lists // the data directory's lists over the snapshot
	monitor bool
	refresh *Refresher // nil without a refresh interval

	// id names this server in its notifications, so that it ignores its own.
	id string

	mu     sync.Mutex // one reload or monitoring run at a time
	loaded string     // dataDirState of the lists in service
	closed bool
	wg     sync.WaitGroup
}

// New prepares the coordination of a server whose service is svc and whose lists come from lists (the
// data directory's versions over the snapshot): store is its database (nil: none), monitor runs monitoring
// after each reload, r its refresher (nil: none). Call it before the first load, so that a version stored
// during that load is picked up afterwards.
func New(svc *screening.Service, lists screening.Lists, store tradescreen.Store, monitor bool, r *Refresher, logger *slog.Logger) *Cluster {
	c := &Cluster{store: store, svc: svc, logger: logger, dataDir: lists.DataDir, lists: lists, monitor: monitor && store != nil, refresh: r,
		id: ProcessName("serve " + rand.Text()[:6])}
	c.loaded = DataDirState(c.dataDir)
	if r != nil {
		r.cluster = c
	}
	return c
}

// ProcessName names this process in notifications: "lists update on HOST pid 4711". A server's name also
// carries a random word, so that two servers in one process tell their notifications apart.
func ProcessName(what string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s on %s pid %d", what, host, os.Getpid())
}

// Notification is the payload of a "lists" notification: who stored which versions.
func Notification(from, versions string) string { return from + ": " + versions }

// DataDirState identifies the data directory's index as it stands (size and modification time; "" when
// there is none): a cheap stat tells whether versions were added since.
func DataDirState(dir string) string {
	st, err := os.Stat(filepath.Join(dir, "versions.jsonl"))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
}

// Start listens and polls until ctx ends; call it once the first lists are in service.
func (c *Cluster) Start(ctx context.Context) {
	if c == nil {
		return
	}
	var notes <-chan string
	if c.store != nil {
		ch, err := c.store.Notifications().Listen(ctx, tradescreen.ChannelLists)
		if err != nil {
			c.logger.Warn("not listening for list notifications: other instances' new lists are found by polling the data directory",
				"poll", ReloadPoll.String(), "error", err.Error())
		}
		notes = ch
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTicker(ReloadPoll)
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

// Stop waits for a reload or monitoring run in progress (ctx, ended, stops it) and lets no other start.
func (c *Cluster) Stop() {
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
func (c *Cluster) reload(ctx context.Context, note string) {
	c.mu.Lock()
	if c.closed || ctx.Err() != nil {
		c.mu.Unlock()
		return
	}
	st := DataDirState(c.dataDir)
	if st == c.loaded {
		c.mu.Unlock()
		if note != "" && c.refresh != nil {
			c.logger.Info("lists notification: downloading, as this data directory lacks the new version", "notification", note)
			c.refresh.Refresh(ctx)
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
	c.svc.SetLists(s)
	c.loaded = st
	c.logger.Info("lists reloaded", "reason", reason, "entries", EntryCount(s), "lists", len(s.Lists()), "as_of", screen.AsOf(s.Lists()),
		"duration", time.Since(start).Round(time.Millisecond))
	c.runMonitor(ctx)
}

// refreshed is called by the refresher after it swapped in lists with newly accepted versions: it tells the
// other instances and runs monitoring.
func (c *Cluster) refreshed(ctx context.Context, results []download.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.loaded = DataDirState(c.dataDir)
	if c.store != nil {
		if err := c.store.Notifications().Notify(ctx, tradescreen.ChannelLists, Notification(c.id, AcceptedText(results))); err != nil {
			c.logger.Warn("other instances not notified of the new lists (they find them by polling)", "error", err.Error())
		}
	}
	c.runMonitor(ctx)
}

// AcceptedText names the accepted versions of an update for a notification: "un #2 of 2018-10-29".
func AcceptedText(results []download.Result) string {
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
func (c *Cluster) runMonitor(ctx context.Context) {
	if !c.monitor {
		return
	}
	// With ownership data (--ownership) the listed owners of each party raise alerts too, as `monitor run
	// --ownership` has them do.
	mon, sc, err := c.svc.Monitor(c.store, tradescreen.System)
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

func EntryCount(s *screen.Screener) int {
	n := 0
	for _, l := range s.Lists() {
		n += l.Entries
	}
	return n
}
