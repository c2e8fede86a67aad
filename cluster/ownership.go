package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screening"
)

// OwnershipPoll is how often a server checks its ownership files (--ownership) for changes.
var OwnershipPoll = 30 * time.Second

// ownershipFilesState is a fingerprint of the ownership files: each one's size and modification time.
func ownershipFilesState(files []string) string {
	var b strings.Builder
	for _, d := range files {
		path := d
		if f, p, ok := strings.Cut(d, "="); ok && slices.Contains(ownership.Formats, f) {
			path = p
		}
		if fi, err := os.Stat(path); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", path, fi.Size(), fi.ModTime().UnixNano())
		} else {
			fmt.Fprintf(&b, "%s missing\n", path)
		}
	}
	return b.String()
}

// WatchOwnership reloads the server's ownership data when one of its files changes, until ctx ends: the
// new data is read and merged as at start, and swapped in for the requests, screenings, batch jobs and
// monitoring that start afterwards. Data that cannot be read is logged once per change and the data in use
// is kept.
func WatchOwnership(ctx context.Context, svc *screening.Service, files []string, logger *slog.Logger) {
	last := ownershipFilesState(files)
	t := time.NewTicker(OwnershipPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st := ownershipFilesState(files)
		if st == last {
			continue
		}
		last = st
		start := time.Now()
		g, err := ownership.OpenAll(files)
		if err != nil {
			logger.Error("ownership data not reloaded: the data in use is kept", "error", err.Error())
			continue
		}
		svc.SetOwnership(g, files)
		s := g.Stats()
		logger.Info("ownership data reloaded", "files", len(files), "parties", s.Parties, "links", s.Links,
			"duration", time.Since(start).Round(time.Millisecond))
	}
}
