package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/auditlog"
	"github.com/tradescreen/tradescreen/cluster"
	"github.com/tradescreen/tradescreen/config"
	"github.com/tradescreen/tradescreen/history"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screening"
)

type serveCommand struct{}

const serveHelp = `Starts the JSON API (/v1/search, /v1/screen, /v1/orders, /v1/batch, /v1/entries/{source}/{source_id},
/v1/lists, /v1/changes, /openapi.json, /healthz, /readyz, /metrics) and the web UI (/, /orders, /changes,
/entries/..., /lists) on one address, 127.0.0.1:8080 by default. The server answers /healthz at once and
loads the lists in the background; /readyz turns 200 when they are loaded.

With a database it also serves the parties register, the alert queue and decisions, the audit trail and
users: /v1/parties, /v1/alerts, /v1/audit, /v1/users and the UI pages /alerts, /parties and /audit. The
database is --db (TRADESCREEN_DB, db): a SQLite file or a postgres:// URL; by default tradescreen.db in the
data directory, created on first run — the one 'parties', 'alerts', 'audit' and 'users' use. Screenings,
order decisions and batch jobs through the server are then recorded in its audit trail.

Who a request acts as: the user of a user's API key ('tradescreen users add --role analyst ann' prints it),
with that user's role (viewer, analyst, approver, admin); the admin "api-key" for the server's API key; and,
when the server has no API key, the local operator "local" (admin) for a request from loopback that sends
no key. A wrong key is refused even from loopback. Each route needs a least role (docs/api.md): viewer to
screen and read, analyst to change parties and move alerts, approver to close escalations and export the
audit trail, admin to manage users. The request log names the actor, never the key.

With --refresh-interval (e.g. 24h) the server downloads the official lists at that interval, as 'lists
update' does, keeps each accepted version in the data directory and swaps the new lists in without
stopping. Batch jobs (POST /v1/batch) are kept in DATA_DIR/jobs.

Several servers may share one database and data directory (docs/operations.md). Each reloads its lists
when a new version is stored there, by another server's refresh or by 'lists update': at once when told on
the database (PostgreSQL LISTEN/NOTIFY, or a table of the SQLite file), else within 15 s by polling the
data directory. After a reload a server with a database runs monitoring (as 'monitor run' does) under the
database's monitor lock, so that one server does the work and the others log that they skipped it;
--monitor=false (monitor, TRADESCREEN_MONITOR=false) turns this off.

With --ownership FILE (repeatable; or ownership_files, TRADESCREEN_OWNERSHIP_FILES) the server reads
ownership data at start (see 'tradescreen ownership') and /v1/search, /v1/screen and the search page add
the 50 % rule findings (OFAC 50 Percent Rule, BIS Affiliates Rule) for each party, under the rules in force
today or on the request's as_of date; POST /v1/orders and the order page also look up every order party
there and hold an order whose party is owned 50 % or more by listed parties under a rule in force on the
order's date. The owners are resolved again whenever the lists are reloaded.

List ages: every answer names each list's age and flags a list older than --stale-list-age (stale_list_age,
TRADESCREEN_STALE_LIST_AGE; default 7d) as out of date, still answering; with --refuse-list-age
(refuse_list_age, TRADESCREEN_REFUSE_LIST_AGE) the server refuses answers resting on an older list (503,
error code stale_lists) and /readyz says why, as check, batch and order --max-list-age do on the command
line. serve's --max-list-age (max_list_age, TRADESCREEN_MAX_LIST_AGE) is the former name of
--stale-list-age: still read, with a warning.

Configuration, each layer overriding the one before: the defaults; a JSON config file (--config FILE or
TRADESCREEN_CONFIG) with fields addr, api_key_file (or api_key), lists, log_names, log_format, log_level,
stale_list_age, refuse_list_age, shutdown_timeout, data_dir, db, refresh_interval, refresh_sources,
max_upload_size, batch_workers, batch_cpus, monitor, ownership_files, integrity_interval (how often the
database's integrity is checked again; default 10m), job_lease, job_poll and job_chunk_rows (batch jobs
shared through the database: lease 30s, poll 1s, chunks of 5000 rows); the environment variables TRADESCREEN_ADDR, TRADESCREEN_API_KEY_FILE,
TRADESCREEN_LISTS, TRADESCREEN_LOG_NAMES, TRADESCREEN_LOG_FORMAT, TRADESCREEN_LOG_LEVEL,
TRADESCREEN_STALE_LIST_AGE, TRADESCREEN_REFUSE_LIST_AGE, TRADESCREEN_SHUTDOWN_TIMEOUT, TRADESCREEN_DATA_DIR,
TRADESCREEN_DB, TRADESCREEN_REFRESH_INTERVAL, TRADESCREEN_REFRESH_SOURCES, TRADESCREEN_MAX_UPLOAD_SIZE,
TRADESCREEN_BATCH_WORKERS, TRADESCREEN_BATCH_CPUS, TRADESCREEN_MONITOR, TRADESCREEN_OWNERSHIP_FILES
(comma-separated), TRADESCREEN_INTEGRITY_INTERVAL, TRADESCREEN_JOB_LEASE, TRADESCREEN_JOB_POLL, TRADESCREEN_JOB_CHUNK_ROWS; then these
flags. Warnings about the configuration (a former name used) are printed on standard error at start.
See docs/api.md and docs/operations.md.

Listening on anything but a loopback address requires an API key (16 or more characters, read from the
file TRADESCREEN_API_KEY_FILE names); clients send it as "Authorization: Bearer KEY" or "X-API-Key: KEY",
browsers as the password of HTTP Basic authentication.`

func (c *serveCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "serve", "serve [--addr HOST:PORT] [--config FILE] [--list KIND=PATH]... [--ownership FILE]... [--print-config]", serveHelp)
	configPath := fs.String("config", "", "JSON config file (default: $TRADESCREEN_CONFIG)")
	addr := fs.String("addr", "", "address to listen on (default 127.0.0.1:8080)")
	logNames := fs.Bool("log-names", false, "log screened names (off by default: names are personal data)")
	fs.String("stale-list-age", "", "flag lists older than this as out of date in every answer, still answering, e.g. 7d or 720h (default 7d)")
	fs.String("max-list-age", "", "former name of --stale-list-age (read as it, with a warning)")
	fs.String("refuse-list-age", "", "refuse answers resting on a list older than this (503) and report not ready, e.g. 30d (default 0: answer, with warnings)")
	printConfig := fs.Bool("print-config", false, "print the effective configuration (API key redacted) and exit")
	dir := fs.String("data-dir", "", dataDirHelp)
	db := fs.String("db", "", "database of parties, alerts, the audit trail and users: a postgres:// URL or a SQLite file (default $TRADESCREEN_DB, else tradescreen.db in the data directory)")
	refresh := fs.String("refresh-interval", "", "download the lists at this interval and swap them in, e.g. 24h (default 0: off)")
	mon := fs.Bool("monitor", true, "with a database, run monitoring after each list reload (one instance of those sharing the database runs it)")
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	var owners dataFlag
	fs.Var(&owners, "ownership", "ownership data (see 'tradescreen ownership'): add the 50 % rule findings to each answer; repeatable")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments, got %q", pos[0])
	}

	cfg := config.DefaultConfig()
	if *configPath == "" {
		*configPath = m.Getenv("TRADESCREEN_CONFIG")
	}
	if *configPath != "" {
		if err := cfg.ReadConfigFile(*configPath); err != nil {
			return err
		}
	}
	if err := cfg.ApplyEnv(m.Getenv); err != nil {
		return err
	}
	var flagErr error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "addr":
			cfg.Addr = *addr
		case "log-names":
			cfg.LogNames = *logNames
		case "stale-list-age", "max-list-age", "refuse-list-age":
			if err := setAgeFlag(&cfg, f.Name, f.Value.String()); err != nil {
				flagErr = err
			}
		case "data-dir":
			cfg.DataDir = *dir
		case "db":
			cfg.DB = *db
		case "monitor":
			cfg.Monitor = *mon
		case "refresh-interval":
			d, err := config.ParseDuration(*refresh)
			if err != nil {
				flagErr = usagef("--refresh-interval: %s", err)
			}
			cfg.RefreshInterval = d
		case "ownership":
			cfg.OwnershipFiles = append([]string(nil), owners...)
		case "list":
			cfg.Lists = nil
			for _, l := range lists {
				cfg.Lists = append(cfg.Lists, l.String())
			}
		}
	})
	if flagErr != nil {
		return flagErr
	}
	if cfg.DataDir == "" {
		cfg.DataDir = dataDir(m, "")
	}
	if err := cfg.ResolveSecrets(); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(m.Stderr, "warning: %s\n", w)
	}
	if *printConfig {
		return writeJSON(m.Stdout, cfg.Redacted())
	}
	return serve(ctx, m, cfg)
}

// setAgeFlag applies --stale-list-age, --refuse-list-age or --max-list-age (the former name of
// --stale-list-age, kept with a warning; on check, batch and order --max-list-age refuses instead).
func setAgeFlag(cfg *config.Config, name, v string) error {
	d, err := config.ParseDuration(v)
	if err != nil {
		return usagef("--%s: %s", name, err)
	}
	switch name {
	case "refuse-list-age":
		cfg.RefuseListAge = d
	case "max-list-age":
		cfg.MaxListAge = d
		cfg.Warnings = append(cfg.Warnings, "--max-list-age is deprecated on serve: it is read as --stale-list-age (lists older "+
			"than it are flagged out of date, answers still given); to refuse answers resting on older lists, as check, "+
			"batch and order --max-list-age do, use --refuse-list-age")
	default:
		cfg.MaxListAge = d
	}
	return nil
}

// serve runs the server until ctx is done or the lists fail to load.
func serve(ctx context.Context, m *Main, cfg config.Config) error {
	logger := cfg.Logger(m.Stderr)
	srv := tshttp.NewServer()
	srv.Addr = cfg.Addr
	srv.APIKey = cfg.APIKey
	srv.LogNames = cfg.LogNames
	srv.Logger = logger
	srv.Version = version()
	srv.DataDir = cfg.DataDir
	srv.MaxUploadSize = cfg.MaxUploadSize
	srv.BatchWorkers = cfg.BatchWorkers
	srv.BatchCPUs = cfg.BatchCPUs
	srv.IntegrityInterval = time.Duration(cfg.IntegrityInterval)
	srv.JobLease, srv.JobPoll, srv.JobChunkRows = time.Duration(cfg.JobLease), time.Duration(cfg.JobPoll), cfg.JobChunkRows
	store, err := openServeStore(cfg, logger)
	if err != nil {
		return err
	}
	lf, err := listFlagsOf(cfg.Lists)
	if err != nil {
		return err
	}
	lists := listSource(m, lf, cfg.DataDir)
	svcCfg := screening.Config{Allow: history.NewAllowSource(lists.DataDir), PastLists: lists.PastLists(),
		DefaultMaxAge: time.Duration(cfg.MaxListAge), RefuseOlderThan: time.Duration(cfg.RefuseListAge)}
	if store != nil {
		defer store.Close()
		srv.Store = store
		rec := auditlog.New(store.Audit())
		// Closed after the server (deferred before it is opened): requests in flight are recorded first.
		defer rec.Close()
		svcCfg.Recorder = rec
	}
	srv.Service = screening.New(svcCfg)
	if len(cfg.OwnershipFiles) > 0 {
		if err := setOwnership(srv.Service, cfg.OwnershipFiles, logger); err != nil {
			return err
		}
	}
	jobs, removeJobs, err := jobsDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer removeJobs()
	srv.JobsDir = jobs
	var refresher *cluster.Refresher
	if cfg.RefreshInterval > 0 {
		dcfg, names, err := cfg.DownloadConfig()
		if err != nil {
			return err
		}
		if refresher, err = cluster.NewRefresher(dcfg, names, time.Duration(cfg.RefreshInterval), lists, srv.Service, logger); err != nil {
			return err
		}
	}
	// A server whose lists come from --list files, or without a data directory, cannot reload them.
	var cl *cluster.Cluster
	if cfg.DataDir != "" && len(cfg.Lists) == 0 {
		cl = cluster.New(srv.Service, lists, store, cfg.Monitor, refresher, logger)
	}
	defer cl.Stop()
	if err := srv.Open(); err != nil {
		return err
	}
	logger.Info("listening", "url", srv.URL(), "api_key", cfg.APIKey != "", "lists", len(cfg.Lists),
		"data_dir", cfg.DataDir, "refresh_interval", cfg.RefreshInterval.String())
	if m.Ready != nil {
		select {
		case m.Ready <- srv.ListenAddr():
		case <-ctx.Done():
		}
	}

	loadErr := make(chan error, 1)
	go func() {
		start := time.Now()
		s, err := lists.Load()
		if err != nil {
			loadErr <- err
			return
		}
		srv.Service.SetLists(s)
		n := 0
		for _, l := range s.Lists() {
			n += l.Entries
		}
		logger.Info("lists loaded", "entries", n, "lists", len(s.Lists()), "duration", time.Since(start).Round(time.Millisecond))
		// The refresh starts once the first lists are in, so that it never swaps in lists the first load
		// would then replace.
		if refresher != nil {
			go refresher.Run(ctx)
		}
		if len(cfg.OwnershipFiles) > 0 {
			go cluster.WatchOwnership(ctx, srv.Service, cfg.OwnershipFiles, logger)
		}
		cl.Start(ctx)
	}()

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-loadErr:
		runErr = fmt.Errorf("load lists: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), time.Duration(cfg.ShutdownTimeout))
	defer cancel()
	if err := srv.Close(sctx); err != nil && runErr == nil {
		runErr = fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return runErr
}

// setOwnership reads the ownership files into the service and logs what they hold.
func setOwnership(svc *screening.Service, files []string, logger *slog.Logger) error {
	start := time.Now()
	g, err := loadOwnership(files)
	if err != nil {
		return err
	}
	svc.SetOwnership(g, files)
	st := g.Stats()
	logger.Info("ownership data loaded", "files", len(files), "parties", st.Parties, "links", st.Links,
		"duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// jobsDir is where the server keeps batch jobs: DATA_DIR/jobs, or without a data directory a temporary
// directory that the returned function removes (the jobs still work, but do not survive a restart).
func jobsDir(dataDir string) (string, func(), error) {
	if dataDir != "" {
		return filepath.Join(dataDir, "jobs"), func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "tradescreen-jobs-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// openServeStore opens the server's database (openStore, as the store commands do): cfg.DB, else
// tradescreen.db in the data directory. Without either it returns nil: the server then runs without
// parties, alerts, the audit trail and users, and those routes say how to turn them on.
func openServeStore(cfg config.Config, logger *slog.Logger) (tradescreen.Store, error) {
	if cfg.DB == "" && cfg.DataDir == "" {
		logger.Warn("no database: parties, alerts, the audit trail and users are off; set --db, TRADESCREEN_DB or a data directory")
		return nil, nil
	}
	store, desc, err := openStore(cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	logger.Info("database open", "db", desc)
	return store, nil
}
