package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	tshttp "github.com/tradescreen/tradescreen/http"
)

type serveCommand struct{}

const serveHelp = `Starts the JSON API (/v1/search, /v1/screen, /v1/entries/{source}/{source_id}, /v1/lists, /openapi.json,
/healthz, /readyz, /metrics) and the web UI (/, /entries/..., /lists) on one address, 127.0.0.1:8080 by
default. The server answers /healthz at once and loads the lists in the background; /readyz turns 200 when
they are loaded.

Configuration, each layer overriding the one before: the defaults; a JSON config file (--config FILE or
TRADESCREEN_CONFIG) with fields addr, api_key_file (or api_key), lists, log_names, log_format, log_level,
max_list_age, shutdown_timeout; the environment variables TRADESCREEN_ADDR, TRADESCREEN_API_KEY_FILE,
TRADESCREEN_LISTS, TRADESCREEN_LOG_NAMES, TRADESCREEN_LOG_FORMAT, TRADESCREEN_LOG_LEVEL,
TRADESCREEN_MAX_LIST_AGE, TRADESCREEN_SHUTDOWN_TIMEOUT; then these flags. See docs/api.md.

Listening on anything but a loopback address requires an API key (16 or more characters, read from the
file TRADESCREEN_API_KEY_FILE names); clients send it as "Authorization: Bearer KEY" or "X-API-Key: KEY",
browsers as the password of HTTP Basic authentication.`

func (c *serveCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "serve", "serve [--addr HOST:PORT] [--config FILE] [--list KIND=PATH]... [--print-config]", serveHelp)
	configPath := fs.String("config", "", "JSON config file (default: $TRADESCREEN_CONFIG)")
	addr := fs.String("addr", "", "address to listen on (default 127.0.0.1:8080)")
	logNames := fs.Bool("log-names", false, "log screened names (off by default: names are personal data)")
	maxAge := fs.String("max-list-age", "", "flag lists older than this, e.g. 30d or 720h (default 30d)")
	printConfig := fs.Bool("print-config", false, "print the effective configuration (API key redacted) and exit")
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments, got %q", pos[0])
	}

	cfg := DefaultConfig()
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
		case "max-list-age":
			d, err := ParseDuration(*maxAge)
			if err != nil {
				flagErr = usagef("--max-list-age: %s", err)
			}
			cfg.MaxListAge = d
		case "list":
			cfg.Lists = nil
			for _, l := range lists {
				cfg.Lists = append(cfg.Lists, l.kind+"="+l.path)
			}
		}
	})
	if flagErr != nil {
		return flagErr
	}
	if err := cfg.ResolveSecrets(); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *printConfig {
		return writeJSON(m.Stdout, cfg.Redacted())
	}
	return serve(ctx, m, cfg)
}

// serve runs the server until ctx is done or the lists fail to load.
func serve(ctx context.Context, m *Main, cfg Config) error {
	logger := newLogger(m, cfg)
	srv := tshttp.NewServer()
	srv.Addr = cfg.Addr
	srv.APIKey = cfg.APIKey
	srv.LogNames = cfg.LogNames
	srv.MaxListAge = time.Duration(cfg.MaxListAge)
	srv.Logger = logger
	srv.Version = version()
	if err := srv.Open(); err != nil {
		return err
	}
	logger.Info("listening", "url", srv.URL(), "api_key", cfg.APIKey != "", "lists", len(cfg.Lists))
	if m.Ready != nil {
		select {
		case m.Ready <- srv.ListenAddr():
		case <-ctx.Done():
		}
	}

	lf, err := cfg.listFlags()
	if err != nil {
		return err
	}
	loadErr := make(chan error, 1)
	go func() {
		start := time.Now()
		s, err := loadScreener(m, lf)
		if err != nil {
			loadErr <- err
			return
		}
		srv.SetScreener(s)
		n := 0
		for _, l := range s.Lists() {
			n += l.Entries
		}
		logger.Info("lists loaded", "entries", n, "lists", len(s.Lists()), "duration", time.Since(start).Round(time.Millisecond))
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

// newLogger returns the structured logger the configuration asks for, writing to the Main's stderr.
func newLogger(m *Main, cfg Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts))
}
