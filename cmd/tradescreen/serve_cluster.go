package main

import (
	"context"
	"fmt"

	"github.com/tradescreen/tradescreen/cluster"
	"github.com/tradescreen/tradescreen/download"
)

// announceLists tells the servers sharing the database that 'lists update' stored new versions
// (cluster.Announce). A failure is only a warning: the servers find the versions by polling.
func announceLists(ctx context.Context, m *Main, dir string, results []download.Result) {
	if err := cluster.Announce(ctx, m.Getenv("TRADESCREEN_DB"), dir, results); err != nil {
		fmt.Fprintf(m.Stderr, "warning: servers not notified of the new lists (they find them by polling the data directory): %s\n", errorText(err))
	}
}
