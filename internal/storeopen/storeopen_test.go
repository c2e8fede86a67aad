package storeopen_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/storeopen"
)

func TestOpenNamesNoDatabase(t *testing.T) {
	if _, _, err := storeopen.Open("", ""); !errors.Is(err, storeopen.ErrNoDatabase) {
		t.Fatalf("Open(\"\", \"\") = %v, want ErrNoDatabase", err)
	}
}

func TestOpenCreatesSQLiteInDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	store, desc, err := storeopen.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	want := filepath.Join(dir, "tradescreen.db")
	if desc != "sqlite "+want {
		t.Errorf("desc = %q, want %q", desc, "sqlite "+want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("the database file was not created: %v", err)
	}
}

func TestActor(t *testing.T) {
	ctx := context.Background()
	store, _, err := storeopen.Open(filepath.Join(t.TempDir(), "t.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	admin := tradescreen.Actor{Name: "cli:test", Role: tradescreen.RoleAdmin}
	_, key, err := store.Users().CreateUser(ctx, admin, "ann", tradescreen.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		id   storeopen.Identity
		want tradescreen.Actor
	}{
		{"os user", storeopen.Identity{OSUser: "bob"}, tradescreen.Actor{Name: "cli:bob", Role: tradescreen.RoleAdmin}},
		{"no user", storeopen.Identity{}, tradescreen.Actor{Name: "cli:local", Role: tradescreen.RoleAdmin}},
		{"as", storeopen.Identity{Name: "carol", OSUser: "bob"}, tradescreen.Actor{Name: "carol", Role: tradescreen.RoleAdmin}},
		{"api key wins", storeopen.Identity{APIKey: key, Name: "carol"}, tradescreen.Actor{Name: "ann", Role: tradescreen.RoleAnalyst}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := storeopen.Actor(ctx, store, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tc.want.Name || got.Role != tc.want.Role {
				t.Errorf("Actor = %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := storeopen.Actor(ctx, store, storeopen.Identity{APIKey: "tsk_1_wrong"}); tradescreen.ErrorCode(err) != tradescreen.EUNAUTHORIZED {
		t.Errorf("a wrong key: %v, want EUNAUTHORIZED", err)
	}
}
