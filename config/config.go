// Package config is the configuration of `tradescreen serve`: its fields, defaults, the JSON config file,
// the TRADESCREEN_* environment, secrets read from files and the validation that names every bad field.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/download"
	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/source"
)

// DefaultDataDir is the data directory of downloaded list versions, own lists and the default database when
// none is configured: TRADESCREEN_DATA_DIR, else $XDG_DATA_HOME/tradescreen, else
// $HOME/.local/share/tradescreen; "" when none of these is set (then only the embedded lists are used).
// getenv reads the environment, so that tests stay hermetic.
func DefaultDataDir(getenv func(string) string) string {
	switch {
	case getenv("TRADESCREEN_DATA_DIR") != "":
		return getenv("TRADESCREEN_DATA_DIR")
	case getenv("XDG_DATA_HOME") != "":
		return filepath.Join(getenv("XDG_DATA_HOME"), "tradescreen")
	case getenv("HOME") != "":
		return filepath.Join(getenv("HOME"), ".local", "share", "tradescreen")
	}
	return ""
}

// Config is the configuration of `tradescreen serve`. It is built in layers: DefaultConfig, then the JSON
// config file (--config or TRADESCREEN_CONFIG), then TRADESCREEN_* environment variables, then flags; secrets
// are read from files (api_key_file, TRADESCREEN_API_KEY_FILE) by ResolveSecrets; Validate checks the result.
type Config struct {
	// Addr is the address to listen on, host:port.
	Addr string `json:"addr"`
	// APIKey is required on the API and UI when set; required when Addr is not a loopback address.
	APIKey string `json:"api_key,omitempty"`
	// APIKeyFile is a file holding the API key (surrounding white space trimmed).
	APIKeyFile string `json:"api_key_file,omitempty"`
	// Lists are official list files to load instead of the embedded snapshot, as KIND=PATH.
	Lists []string `json:"lists,omitempty"`
	// LogNames adds screened names to the request log (off: names are personal data).
	LogNames bool `json:"log_names"`
	// LogFormat is text or json; LogLevel debug, info, warn or error.
	LogFormat string `json:"log_format"`
	LogLevel  string `json:"log_level"`
	// MaxListAge is the age past which a list is flagged as out of date (stale) in every answer; answers are
	// still given. Key stale_list_age (TRADESCREEN_STALE_LIST_AGE); its former name max_list_age
	// (TRADESCREEN_MAX_LIST_AGE) is still read, with a warning (Warnings), because the CLI's check, batch and
	// order --max-list-age refuse instead. serve's --max-list-age sets this field.
	MaxListAge Duration `json:"stale_list_age"`
	// RefuseListAge, when set, refuses answers resting on a list older than it (ESTALE, 503) and keeps
	// /readyz not ready, saying why: what check, batch and order --max-list-age do on the command line.
	RefuseListAge Duration `json:"refuse_list_age,omitempty"`
	// ShutdownTimeout bounds the wait for requests in flight on shutdown.
	ShutdownTimeout Duration `json:"shutdown_timeout"`
	// DataDir is the data directory: downloaded list versions (lists update, refresh) and batch jobs. The
	// default is $TRADESCREEN_DATA_DIR, else $XDG_DATA_HOME/tradescreen or ~/.local/share/tradescreen.
	DataDir string `json:"data_dir,omitempty"`
	// RefreshInterval, when positive, downloads the lists at this interval while serving (as lists update
	// does) and swaps in the new lists when a download is accepted. 0 turns it off.
	RefreshInterval Duration `json:"refresh_interval"`
	// RefreshSources restricts the refresh to these download sources and overrides their URLs: NAME=URL, or
	// NAME:KIND=URL for a new source (as lists update --source). Empty refreshes every official source.
	RefreshSources []string `json:"refresh_sources,omitempty"`
	// MaxUploadSize bounds a batch job's upload (POST /v1/batch), in bytes.
	MaxUploadSize int64 `json:"max_upload_size"`
	// BatchWorkers is how many batch jobs run at once.
	BatchWorkers int `json:"batch_workers"`
	// BatchCPUs is how many goroutines screen one batch job's rows; 0 means every CPU but one, so that
	// searches keep a CPU while a job runs.
	BatchCPUs int `json:"batch_cpus"`
	// Monitor runs monitoring after each list reload when the server has a database (default true): under
	// the database's monitor lock, so that of several instances sharing it one does the work.
	Monitor bool `json:"monitor"`
	// DB is the database of parties, alerts, the audit trail and users: a postgres:// URL, or a SQLite file
	// path. Empty: tradescreen.db in DataDir (created on first run); without a data directory either, the
	// server runs without those routes.
	DB string `json:"db,omitempty"`
	// OwnershipFiles are ownership data files (PATH or FORMAT=PATH, as `ownership check --data`), read at
	// start: /v1/search, /v1/screen and the search page then add the 50 % rule findings to each party.
	OwnershipFiles []string `json:"ownership_files,omitempty"`
	// IntegrityInterval is how often the database's integrity is checked again while serving (the first
	// check runs at start; a damaged database keeps /readyz not ready). 0: every 10 minutes.
	IntegrityInterval Duration `json:"integrity_interval,omitempty"`
	// JobLease is how long an instance's lease on a batch job lasts unless renewed: a job whose instance died
	// runs again on another after at most this long. JobPoll is how often an idle instance looks in the
	// database for queued jobs. 0: 30 s and 1 s. Both apply only with a database.
	JobLease Duration `json:"job_lease,omitempty"`
	JobPoll  Duration `json:"job_poll,omitempty"`
	// JobChunkRows is the most rows of one chunk of a batch job kept in the database: a larger job is split
	// and every instance sharing the database works on its chunks. 0: 5,000; negative: jobs run whole.
	JobChunkRows int `json:"job_chunk_rows,omitempty"`
	// Warnings are what reading the configuration noticed that does not stop the server: a deprecated key
	// used. The command that reads the configuration reports them.
	Warnings []string `json:"-"`
}

// deprecatedMaxListAge is the warning for the former name of stale_list_age, in the file (key) or the
// environment (TRADESCREEN_MAX_LIST_AGE).
func deprecatedMaxListAge(old, now string) string {
	return old + " is deprecated: it is read as " + now + ", the age past which a list is flagged as out of date while " +
		"answers are still given; to refuse answers resting on older lists (as check, batch and order --max-list-age do), " +
		"set refuse_list_age (TRADESCREEN_REFUSE_LIST_AGE)"
}

// DefaultConfig returns the configuration used when nothing is set: loopback only, no API key, the embedded
// lists, text logs without names, lists flagged after 7 days.
func DefaultConfig() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		LogFormat:       "text",
		LogLevel:        "info",
		MaxListAge:      Duration(tradescreen.DefaultMaxListAge),
		ShutdownTimeout: Duration(10 * time.Second),
		MaxUploadSize:   tshttp.DefaultMaxUploadSize,
		BatchWorkers:    1,
		Monitor:         true,
	}
}

// Duration is a time.Duration written in JSON and the environment as "720h", "90m" or "30d" (days).
type Duration time.Duration

// ParseDuration reads a Go duration or a whole number of days ("30d").
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration such as 30d or 720h", s)
		}
		return Duration(time.Duration(n) * 24 * time.Hour), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 30d or 720h", s)
	}
	return Duration(d), nil
}

func (d Duration) String() string {
	td := time.Duration(d)
	if td > 0 && td%(24*time.Hour) == 0 {
		return strconv.Itoa(int(td/(24*time.Hour))) + "d"
	}
	return td.String()
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "30d", "720h" and the like.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a string such as \"30d\" or \"720h\"")
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// FieldError is one invalid configuration field.
type FieldError struct {
	Field string
	Msg   string
}

// ConfigError lists every invalid field of a configuration.
type ConfigError struct {
	// Source says where the configuration came from when the error is about reading it.
	Source string
	Fields []FieldError
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("invalid configuration")
	if e.Source != "" {
		b.WriteString(" in " + e.Source)
	}
	b.WriteString(":")
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Msg)
	}
	return b.String()
}

// ReadConfigFile overlays the JSON object in path on c. Unknown fields are errors naming the field.
func (c *Config) ReadConfigFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	// max_list_age is the former name of stale_list_age: read it, and say so.
	file := struct {
		*Config
		OldMaxListAge *Duration `json:"max_list_age"`
	}{Config: c}
	if err := dec.Decode(&file); err != nil {
		field := "(file)"
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		msg := err.Error()
		switch {
		case errors.As(err, &te):
			field, msg = te.Field, fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)
		case errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF:
			msg = "malformed JSON: the file ends before the object does"
		case errors.As(err, &se):
			line := bytes.Count(b[:se.Offset], []byte("\n")) + 1
			msg = fmt.Sprintf("malformed JSON on line %d: %s", line, se.Error())
		case strings.HasPrefix(msg, "json: unknown field "):
			field = strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
			msg = "unknown field (known: addr, api_key, api_key_file, db, lists, log_names, log_format, log_level, stale_list_age (formerly max_list_age), refuse_list_age, shutdown_timeout, data_dir, refresh_interval, refresh_sources, max_upload_size, batch_workers, batch_cpus, monitor, ownership_files, integrity_interval, job_lease, job_poll, job_chunk_rows)"
		default:
			// Errors from a field's UnmarshalJSON (a bad duration) do not name the field; json wraps them.
			msg = strings.TrimPrefix(msg, "json: ")
		}
		return &ConfigError{Source: path, Fields: []FieldError{{field, msg}}}
	}
	if file.OldMaxListAge != nil {
		var keys map[string]json.RawMessage
		if json.Unmarshal(b, &keys) == nil && keys["stale_list_age"] != nil {
			return &ConfigError{Source: path, Fields: []FieldError{{"max_list_age", "set together with stale_list_age, its new name: keep stale_list_age only"}}}
		}
		c.MaxListAge = *file.OldMaxListAge
		c.Warnings = append(c.Warnings, path+": "+deprecatedMaxListAge("max_list_age", "stale_list_age"))
	}
	return nil
}

// ApplyEnv overlays the TRADESCREEN_* variables that are set: TRADESCREEN_ADDR, TRADESCREEN_API_KEY_FILE,
// TRADESCREEN_LISTS (comma-separated KIND=PATH), TRADESCREEN_LOG_NAMES, TRADESCREEN_LOG_FORMAT,
// TRADESCREEN_LOG_LEVEL, TRADESCREEN_STALE_LIST_AGE (formerly TRADESCREEN_MAX_LIST_AGE, still read with a
// warning), TRADESCREEN_REFUSE_LIST_AGE, TRADESCREEN_SHUTDOWN_TIMEOUT, TRADESCREEN_DATA_DIR,
// TRADESCREEN_DB, TRADESCREEN_REFRESH_INTERVAL, TRADESCREEN_REFRESH_SOURCES (comma-separated NAME=URL),
// TRADESCREEN_MAX_UPLOAD_SIZE, TRADESCREEN_BATCH_WORKERS, TRADESCREEN_BATCH_CPUS, TRADESCREEN_MONITOR (true or false),
// TRADESCREEN_OWNERSHIP_FILES (comma-separated PATH or FORMAT=PATH), TRADESCREEN_INTEGRITY_INTERVAL,
// TRADESCREEN_JOB_LEASE, TRADESCREEN_JOB_POLL, TRADESCREEN_JOB_CHUNK_ROWS. The key itself is never
// read from the environment (it would show in process listings): TRADESCREEN_API_KEY set is an error.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	var errs []FieldError
	if getenv("TRADESCREEN_API_KEY") != "" {
		errs = append(errs, FieldError{"TRADESCREEN_API_KEY", "not read: put the key in a file and set TRADESCREEN_API_KEY_FILE to its path"})
	}
	if v := getenv("TRADESCREEN_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("TRADESCREEN_API_KEY_FILE"); v != "" {
		c.APIKeyFile = v
	}
	if v := getenv("TRADESCREEN_LISTS"); v != "" {
		c.Lists = splitList(v)
	}
	if v := getenv("TRADESCREEN_LOG_NAMES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, FieldError{"TRADESCREEN_LOG_NAMES", fmt.Sprintf("%q is not true or false", v)})
		}
		c.LogNames = b
	}
	if v := getenv("TRADESCREEN_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	if v := getenv("TRADESCREEN_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	if v := getenv("TRADESCREEN_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	if v := getenv("TRADESCREEN_DB"); v != "" {
		c.DB = v
	}
	if v := getenv("TRADESCREEN_REFRESH_SOURCES"); v != "" {
		c.RefreshSources = splitList(v)
	}
	if v := getenv("TRADESCREEN_OWNERSHIP_FILES"); v != "" {
		c.OwnershipFiles = splitList(v)
	}
	if v := getenv("TRADESCREEN_MAX_UPLOAD_SIZE"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs = append(errs, FieldError{"TRADESCREEN_MAX_UPLOAD_SIZE", fmt.Sprintf("%q is not a number of bytes", v)})
		}
		c.MaxUploadSize = n
	}
	if v := getenv("TRADESCREEN_MONITOR"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, FieldError{"TRADESCREEN_MONITOR", fmt.Sprintf("%q is not true or false", v)})
		}
		c.Monitor = b
	}
	for _, n := range []struct {
		env string
		dst *int
	}{{"TRADESCREEN_BATCH_WORKERS", &c.BatchWorkers}, {"TRADESCREEN_BATCH_CPUS", &c.BatchCPUs}, {"TRADESCREEN_JOB_CHUNK_ROWS", &c.JobChunkRows}} {
		if v := getenv(n.env); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, FieldError{n.env, fmt.Sprintf("%q is not a whole number", v)})
			}
			*n.dst = x
		}
	}
	for _, d := range []struct {
		env string
		dst *Duration
	}{{"TRADESCREEN_STALE_LIST_AGE", &c.MaxListAge}, {"TRADESCREEN_REFUSE_LIST_AGE", &c.RefuseListAge}, {"TRADESCREEN_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}, {"TRADESCREEN_REFRESH_INTERVAL", &c.RefreshInterval},
		{"TRADESCREEN_INTEGRITY_INTERVAL", &c.IntegrityInterval}, {"TRADESCREEN_JOB_LEASE", &c.JobLease}, {"TRADESCREEN_JOB_POLL", &c.JobPoll}} {
		if v := getenv(d.env); v != "" {
			x, err := ParseDuration(v)
			if err != nil {
				errs = append(errs, FieldError{d.env, err.Error()})
				continue
			}
			*d.dst = x
		}
	}
	if v := getenv("TRADESCREEN_MAX_LIST_AGE"); v != "" {
		errs = append(errs, c.oldMaxListAgeEnv(v, getenv("TRADESCREEN_STALE_LIST_AGE") != "")...)
	}
	if len(errs) > 0 {
		return &ConfigError{Source: "environment", Fields: errs}
	}
	return nil
}

// splitList reads a comma-separated environment value, spaces trimmed and empty items dropped.
func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// oldMaxListAgeEnv reads TRADESCREEN_MAX_LIST_AGE, the former name of TRADESCREEN_STALE_LIST_AGE (set too
// when both), with a warning.
func (c *Config) oldMaxListAgeEnv(v string, both bool) []FieldError {
	const env = "TRADESCREEN_MAX_LIST_AGE"
	if both {
		return []FieldError{{env, "set together with TRADESCREEN_STALE_LIST_AGE, its new name: keep TRADESCREEN_STALE_LIST_AGE only"}}
	}
	d, err := ParseDuration(v)
	if err != nil {
		return []FieldError{{env, err.Error()}}
	}
	c.MaxListAge = d
	c.Warnings = append(c.Warnings, "environment: "+deprecatedMaxListAge(env, "TRADESCREEN_STALE_LIST_AGE"))
	return nil
}

// ResolveSecrets reads the API key from APIKeyFile when set.
func (c *Config) ResolveSecrets() error {
	if c.APIKeyFile == "" {
		return nil
	}
	if c.APIKey != "" {
		return &ConfigError{Fields: []FieldError{{"api_key_file", "set together with api_key; set only one"}}}
	}
	b, err := os.ReadFile(c.APIKeyFile)
	if err != nil {
		return &ConfigError{Fields: []FieldError{{"api_key_file", err.Error()}}}
	}
	c.APIKey = strings.TrimSpace(string(b))
	if c.APIKey == "" {
		return &ConfigError{Fields: []FieldError{{"api_key_file", c.APIKeyFile + " is empty"}}}
	}
	return nil
}

// Validate checks every field and returns a *ConfigError listing all that are wrong.
func (c *Config) Validate() error {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	if host, port, err := net.SplitHostPort(c.Addr); err != nil {
		add("addr", "%q is not host:port (e.g. 127.0.0.1:8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		add("addr", "port %q is not a number in 0..65535", port)
	} else if host != "" && host != "localhost" && net.ParseIP(strings.Trim(host, "[]")) == nil {
		add("addr", "host %q is not an IP address or localhost", host)
	}
	if c.APIKey != "" && len(c.APIKey) < tshttp.MinAPIKeyLength {
		add("api_key", "shorter than %d characters", tshttp.MinAPIKeyLength)
	}
	if c.APIKey == "" && !tshttp.IsLoopback(c.Addr) && len(errs) == 0 {
		add("api_key", "required when addr %s is not a loopback address: put a key of %d or more characters in a file and set TRADESCREEN_API_KEY_FILE (or api_key_file)", c.Addr, tshttp.MinAPIKeyLength)
	}
	for i, l := range c.Lists {
		if kind, path, ok := strings.Cut(l, "="); !ok || kind == "" || path == "" {
			add(fmt.Sprintf("lists[%d]", i), "want KIND=PATH, got %q", l)
		} else if _, ok := source.Lookup(kind); !ok {
			add(fmt.Sprintf("lists[%d]", i), "unknown list kind %q", kind)
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		add("log_format", "%q is not text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add("log_level", "%q is not debug, info, warn or error", c.LogLevel)
	}
	if c.MaxListAge <= 0 {
		add("stale_list_age", "must be positive, e.g. 30d")
	}
	if c.RefuseListAge < 0 {
		add("refuse_list_age", "must not be negative (0 answers on lists of any age, with warnings)")
	}
	if c.ShutdownTimeout < 0 {
		add("shutdown_timeout", "must not be negative")
	}
	if c.IntegrityInterval < 0 {
		add("integrity_interval", "must not be negative (0: every 10 minutes)")
	}
	if c.JobLease < 0 || (c.JobLease > 0 && c.JobLease < Duration(3*time.Second)) {
		add("job_lease", "must be 3s or more (0: 30s): the lease is renewed every third of it")
	}
	if c.JobPoll < 0 {
		add("job_poll", "must not be negative (0: every second)")
	}
	if c.RefreshInterval < 0 {
		add("refresh_interval", "must not be negative (0 turns the refresh off)")
	}
	if c.RefreshInterval > 0 {
		if c.DataDir == "" {
			add("data_dir", "required when refresh_interval is set: the downloaded versions are kept there")
		}
		if len(c.Lists) > 0 {
			add("refresh_interval", "cannot refresh the list files given in lists: drop lists to screen against the downloaded lists, or set refresh_interval to 0")
		}
	}
	if _, _, err := c.DownloadConfig(); err != nil {
		add("refresh_sources", "%s", err.Error())
	}
	if c.MaxUploadSize < 1<<10 {
		add("max_upload_size", "%d bytes is too small (at least 1024)", c.MaxUploadSize)
	}
	if c.BatchWorkers < 1 || c.BatchWorkers > 16 {
		add("batch_workers", "%d is outside 1..16", c.BatchWorkers)
	}
	if c.BatchCPUs < 0 || c.BatchCPUs > 256 {
		add("batch_cpus", "%d is outside 0..256 (0: every CPU but one)", c.BatchCPUs)
	}
	for i, f := range c.OwnershipFiles {
		format, path, ok := strings.Cut(f, "=")
		switch {
		case strings.TrimSpace(f) == "":
			add(fmt.Sprintf("ownership_files[%d]", i), "empty: want a file path")
		case ok && slices.Contains(ownership.Formats, format) && path == "":
			add(fmt.Sprintf("ownership_files[%d]", i), "%q names no file after the format", f)
		}
	}
	if len(errs) > 0 {
		return &ConfigError{Fields: errs}
	}
	return nil
}

// Logger returns the structured logger LogFormat (text or json) and LogLevel ask for, writing to w.
func (c Config) Logger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Redacted returns a copy of c safe to print: the API key replaced by "REDACTED", and so is the password of
// a database URL.
func (c Config) Redacted() Config {
	if c.APIKey != "" {
		c.APIKey = "REDACTED"
	}
	if u, err := url.Parse(c.DB); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "REDACTED")
			c.DB = u.String()
		}
	}
	return c
}

// DownloadConfig returns the download configuration of the refresh: the official feeds with RefreshSources
// applied, and the names of the feeds to update (every feed when empty).
func (c *Config) DownloadConfig() (download.Config, []string, error) {
	cfg := download.DefaultConfig()
	var names []string
	for i, s := range c.RefreshSources {
		name, err := cfg.ApplySource(s)
		if err != nil {
			return cfg, nil, fmt.Errorf("[%d]: %w", i, err)
		}
		names = append(names, name)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, errors.New(tradescreen.ErrorMessage(err))
	}
	return cfg, names, nil
}
