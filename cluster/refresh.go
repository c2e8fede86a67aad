package cluster

import (
	"context"
	"log/slog"
	"time"

	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// Refresher downloads the lists at an interval and puts them in service when a download is accepted.
type Refresher struct {
	interval time.Duration
	updater  *download.Updater
	store    *history.Store
	names    []string
	svc      *screening.Service
	lists    screening.Lists
	logger   *slog.Logger
	// cluster, when set, tells the other instances of the new lists and runs monitoring (Cluster).
	cluster *Cluster
}

// NewRefresher returns the refresher of svc: every interval it downloads the feeds names (every feed when
// empty) with dcfg into the data directory of lists and, when a download is accepted, loads lists again
// and puts them in service.
func NewRefresher(dcfg download.Config, names []string, interval time.Duration, lists screening.Lists, svc *screening.Service, logger *slog.Logger) (*Refresher, error) {
	store, err := history.Open(lists.DataDir)
	if err != nil {
		return nil, err
	}
	u, err := download.NewUpdater(dcfg, store)
	if err != nil {
		return nil, err
	}
	return &Refresher{interval: interval, updater: u, store: store, names: names, svc: svc, lists: lists, logger: logger}, nil
}

// Run refreshes on every tick until ctx is done.
func (r *Refresher) Run(ctx context.Context) {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.Refresh(ctx)
		}
	}
}

// Refresh runs one update, logs each result and, when any download was accepted, rebuilds the screener from
// the newest stored versions over the embedded snapshot and swaps it in. A failed or rejected download
// keeps the lists in service.
func (r *Refresher) Refresh(ctx context.Context) {
	start := time.Now()
	results, err := r.updater.Update(ctx, r.names...)
	accepted := 0
	for _, res := range results {
		attrs := []any{"feed", res.Feed, "status", res.Status, "attempts", res.Attempts}
		if res.Reason != "" {
			attrs = append(attrs, "reason", res.Reason)
		}
		if v := res.Version; v != nil {
			attrs = append(attrs, "version", v.ID, "published", v.Published)
		}
		level := slog.LevelInfo
		switch res.Status {
		case download.Accepted:
			accepted++
		case download.Failed, download.Rejected:
			level = slog.LevelWarn
		}
		r.logger.Log(ctx, level, "list refresh", attrs...)
	}
	if err != nil {
		if ctx.Err() == nil {
			r.logger.Error("list refresh", "error", err.Error())
		}
		return
	}
	if accepted == 0 {
		return
	}
	s, err := r.lists.Load()
	if err != nil {
		r.logger.Error("lists not reloaded: the lists in service are kept", "error", err.Error())
		return
	}
	r.svc.SetLists(s)
	r.logger.Info("lists reloaded", "entries", EntryCount(s), "lists", len(s.Lists()), "as_of", screen.AsOf(s.Lists()),
		"duration", time.Since(start).Round(time.Millisecond))
	if r.cluster != nil {
		r.cluster.refreshed(ctx, results)
	}
}
