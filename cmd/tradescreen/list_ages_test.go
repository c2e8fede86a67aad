package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The commands call a list stale, and refuse it, at the ages serve's configuration sets: its file
// ($TRADESCREEN_CONFIG) and its environment, so that check, batch, order and lists show agree with the
// server's answers; --max-list-age and --stale-list-age still decide for one run.
func TestCommandsReadServeListAges(t *testing.T) {
	dir := t.TempDir()
	// Defaults: every embedded list older than 7 days is stale, and answered.
	r := clusterRun(t, map[string]string{"TRADESCREEN_DATA_DIR": dir}, "check", "Hikvision")
	r.cliWant(t, 0)
	if !strings.Contains(r.stderr, "older than their maximum age") {
		t.Errorf("default: no stale warning: %s", r.stderr)
	}
	// A stale age of 20 years from the environment: no list is stale.
	// The server's other variables are not read (an API key in the environment is refused by serve only).
	env := map[string]string{"TRADESCREEN_DATA_DIR": dir, "TRADESCREEN_STALE_LIST_AGE": "7300d", "TRADESCREEN_API_KEY": "k"}
	r = clusterRun(t, env, "check", "Hikvision")
	r.cliWant(t, 0)
	if strings.Contains(r.stderr, "older than their maximum age") {
		t.Errorf("TRADESCREEN_STALE_LIST_AGE=7300d: stale warning: %s", r.stderr)
	}
	r = clusterRun(t, env, "lists", "show")
	r.cliWant(t, 0)
	if strings.Contains(r.stdout, " yes ") {
		t.Errorf("lists show with TRADESCREEN_STALE_LIST_AGE=7300d flags a stale list:\n%s", r.stdout)
	}
	// A refusal age from the configuration file: the answer is refused (exit status 3), as serve would.
	cfg := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfg, []byte(`{"refuse_list_age": "30d"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r = clusterRun(t, map[string]string{"TRADESCREEN_DATA_DIR": dir, "TRADESCREEN_CONFIG": cfg}, "check", "Hikvision")
	r.cliWant(t, 3)
	// --max-list-age decides for one run.
	r = clusterRun(t, map[string]string{"TRADESCREEN_DATA_DIR": dir, "TRADESCREEN_CONFIG": cfg}, "check", "--max-list-age", "7300d", "Hikvision")
	r.cliWant(t, 0)
}
