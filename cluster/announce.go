package cluster

import (
	"context"
	"os"
	"path/filepath"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/internal/storeopen"
)

// Announce tells the servers sharing the database that an update outside a server ('lists update') stored
// the accepted versions of results, when the database is known: dsn (TRADESCREEN_DB), or tradescreen.db in
// the data directory dir when it exists. Without one, or without an accepted version, it does nothing: the
// servers find the versions when they next poll the data directory. Errors: opening the database,
// notifying.
func Announce(ctx context.Context, dsn, dir string, results []download.Result) error {
	text := AcceptedText(results)
	if text == "" {
		return nil
	}
	if dsn == "" {
		if _, err := os.Stat(filepath.Join(dir, "tradescreen.db")); err != nil {
			return nil
		}
	}
	store, _, err := storeopen.Open(dsn, dir)
	if err != nil {
		return err
	}
	defer store.Close()
	return store.Notifications().Notify(ctx, tradescreen.ChannelLists, Notification(ProcessName("lists update"), text))
}
