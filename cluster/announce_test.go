package cluster_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/cluster"
	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/internal/storeopen"
)

func TestAnnounce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	accepted := []download.Result{{Feed: "un", Status: download.Accepted,
		Version: &history.Version{ID: 2, Feed: "un", Published: "2018-10-29"}}}
	// No database in the data directory: nothing to tell, and no database created.
	if err := cluster.Announce(ctx, "", dir, accepted); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.db")); len(m) != 0 {
		t.Fatalf("Announce created %v", m)
	}
	store, _, err := storeopen.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ch, err := store.Notifications().Listen(ctx, tradescreen.ChannelLists)
	if err != nil {
		t.Fatal(err)
	}
	// A failed download is not announced; the accepted version is.
	if err := cluster.Announce(ctx, "", dir, []download.Result{{Feed: "csl", Status: download.Failed}}); err != nil {
		t.Fatal(err)
	}
	if err := cluster.Announce(ctx, "", dir, accepted); err != nil {
		t.Fatal(err)
	}
	// The failed download sent nothing: the first notification is the accepted version's.
	got := <-ch
	if want := cluster.Notification(cluster.ProcessName("lists update"), "un #2 of 2018-10-29"); got != want {
		t.Errorf("notification %q, want %q", got, want)
	}
}
