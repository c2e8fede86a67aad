package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	tshttp "github.com/tradescreen/tradescreen/http"
)

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
	// MaxListAge is the age past which a list is flagged as out of date.
	MaxListAge Duration `json:"max_list_age"`
	// ShutdownTimeout bounds the wait for requests in flight on shutdown.
	ShutdownTimeout Duration `json:"shutdown_timeout"`
}

// DefaultConfig returns the configuration used when nothing is set: loopback only, no API key, the embedded
// lists, text logs without names, lists flagged after 30 days.
func DefaultConfig() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		LogFormat:       "text",
		LogLevel:        "info",
		MaxListAge:      Duration(tshttp.DefaultMaxListAge),
		ShutdownTimeout: Duration(10 * time.Second),
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
	if err := dec.Decode(c); err != nil {
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
			msg = "unknown field (known: addr, api_key, api_key_file, lists, log_names, log_format, log_level, max_list_age, shutdown_timeout)"
		default:
			// Errors from a field's UnmarshalJSON (a bad duration) do not name the field; json wraps them.
			msg = strings.TrimPrefix(msg, "json: ")
		}
		return &ConfigError{Source: path, Fields: []FieldError{{field, msg}}}
	}
	return nil
}

// ApplyEnv overlays the TRADESCREEN_* variables that are set: TRADESCREEN_ADDR, TRADESCREEN_API_KEY_FILE,
// TRADESCREEN_LISTS (comma-separated KIND=PATH), TRADESCREEN_LOG_NAMES, TRADESCREEN_LOG_FORMAT,
// TRADESCREEN_LOG_LEVEL, TRADESCREEN_MAX_LIST_AGE, TRADESCREEN_SHUTDOWN_TIMEOUT. The key itself is never
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
		c.Lists = nil
		for _, l := range strings.Split(v, ",") {
			if l = strings.TrimSpace(l); l != "" {
				c.Lists = append(c.Lists, l)
			}
		}
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
	for _, d := range []struct {
		env string
		dst *Duration
	}{{"TRADESCREEN_MAX_LIST_AGE", &c.MaxListAge}, {"TRADESCREEN_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}} {
		if v := getenv(d.env); v != "" {
			x, err := ParseDuration(v)
			if err != nil {
				errs = append(errs, FieldError{d.env, err.Error()})
				continue
			}
			*d.dst = x
		}
	}
	if len(errs) > 0 {
		return &ConfigError{Source: "environment", Fields: errs}
	}
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
		var lf listFlag
		if err := lf.Set(l); err != nil {
			add(fmt.Sprintf("lists[%d]", i), "%s", err.Error())
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
		add("max_list_age", "must be positive, e.g. 30d")
	}
	if c.ShutdownTimeout < 0 {
		add("shutdown_timeout", "must not be negative")
	}
	if len(errs) > 0 {
		return &ConfigError{Fields: errs}
	}
	return nil
}

// Redacted returns a copy of c safe to print: the API key replaced by "REDACTED".
func (c Config) Redacted() Config {
	if c.APIKey != "" {
		c.APIKey = "REDACTED"
	}
	return c
}

// listFlags converts Lists to the --list form loadScreener takes.
func (c *Config) listFlags() (listFlag, error) {
	var lf listFlag
	for _, l := range c.Lists {
		if err := lf.Set(l); err != nil {
			return nil, err
		}
	}
	return lf, nil
}
