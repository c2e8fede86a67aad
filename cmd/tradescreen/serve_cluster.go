package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/cluster"
	"github.com/tradescreen/tradescreen/download"
)

// announceLists tells the servers sharing the database that 'lists update' stored new versions, when the
// database is known: TRADESCREEN_DB, or tradescreen.db in the data directory when it exists. Without one
// the servers find the versions when they next poll the data directory. A failure is only a warning.
func announceLists(ctx context.Context, m *Main, dir string, results []download.Result) {
	text := cluster.AcceptedText(results)
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
		err = store.Notifications().Notify(ctx, tradescreen.ChannelLists, cluster.Notification(cluster.ProcessName("lists update"), text))
		store.Close()
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "warning: servers not notified of the new lists (they find them by polling the data directory): %s\n", errorText(err))
	}
}
