package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigIsValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || time.Duration(c.MaxListAge) != 7*24*time.Hour || c.LogNames || c.APIKey != "" {
		t.Errorf("defaults = %+v", c)
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigFile(t *testing.T) {
	c := DefaultConfig()
	p := writeFile(t, "c.json", `{"addr": "[::1]:9090", "lists": ["csl=/data/consolidated.csv"], "log_names": true, "stale_list_age": "720h"}`)
	if err := c.ReadConfigFile(p); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "[::1]:9090" || len(c.Lists) != 1 || !c.LogNames || c.MaxListAge.String() != "30d" || c.LogFormat != "text" || len(c.Warnings) != 0 {
		t.Errorf("config = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}

	for body, want := range map[string]string{
		`{"adr": "x"}`:                                    "adr: unknown field",
		`{"addr": 8080}`:                                  "addr: want string",
		`{"stale_list_age": "soon"}`:                      `"soon" is not a duration`,
		`{"max_list_age": "soon"}`:                        `"soon" is not a duration`,
		`{"max_list_age": "30d", "stale_list_age": "7d"}`: "max_list_age: set together with stale_list_age",
		"{\n\"addr\": \"x\",\n}":                          "malformed JSON on line 3",
		`{"log_names": "yes"}`:                            "log_names: want bool",
		`{"shutdown_timeout": 5}`:                         "want a string",
		`{"lists": "csl=/a"}`:                             "lists: want []string",
		`{"api_key": "0123456789abcdef"`:                  "malformed JSON",
	} {
		c := DefaultConfig()
		err := c.ReadConfigFile(writeFile(t, "bad.json", body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
	if err := c.ReadConfigFile(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("missing file accepted")
	}
}

// TestConfigOldMaxListAge: max_list_age, the former name of stale_list_age, is read as it, with a warning
// that says it does not refuse answers (the CLI's --max-list-age does) and names refuse_list_age.
func TestConfigOldMaxListAge(t *testing.T) {
	c := DefaultConfig()
	p := writeFile(t, "old.json", `{"max_list_age": "30d"}`)
	if err := c.ReadConfigFile(p); err != nil {
		t.Fatal(err)
	}
	if c.MaxListAge.String() != "30d" || c.RefuseListAge != 0 || len(c.Warnings) != 1 ||
		!strings.Contains(c.Warnings[0], p+": max_list_age is deprecated: it is read as stale_list_age") ||
		!strings.Contains(c.Warnings[0], "set refuse_list_age") {
		t.Errorf("max_list_age: %s, refuse %s, warnings %q", c.MaxListAge, c.RefuseListAge, c.Warnings)
	}
	// Printed under its new name only.
	b, err := json.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"stale_list_age":"30d"`) || strings.Contains(string(b), "max_list_age") || strings.Contains(string(b), "deprecated") {
		t.Errorf("printed %s", b)
	}

	c = DefaultConfig()
	if err := c.ApplyEnv(func(k string) string { return map[string]string{"TRADESCREEN_MAX_LIST_AGE": "14d"}[k] }); err != nil {
		t.Fatal(err)
	}
	if c.MaxListAge.String() != "14d" || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "environment: TRADESCREEN_MAX_LIST_AGE is deprecated") {
		t.Errorf("TRADESCREEN_MAX_LIST_AGE: %s, warnings %q", c.MaxListAge, c.Warnings)
	}
	c = DefaultConfig()
	err = c.ApplyEnv(func(k string) string {
		return map[string]string{"TRADESCREEN_MAX_LIST_AGE": "14d", "TRADESCREEN_STALE_LIST_AGE": "3d"}[k]
	})
	if err == nil || !strings.Contains(err.Error(), "TRADESCREEN_MAX_LIST_AGE: set together with TRADESCREEN_STALE_LIST_AGE") {
		t.Errorf("both set: %v", err)
	}
}

func TestConfigEnv(t *testing.T) {
	c := DefaultConfig()
	env := map[string]string{
		"TRADESCREEN_ADDR": "127.0.0.1:1", "TRADESCREEN_LISTS": "csl=/a.csv, un=/b.xml", "TRADESCREEN_LOG_NAMES": "1",
		"TRADESCREEN_LOG_FORMAT": "json", "TRADESCREEN_LOG_LEVEL": "debug", "TRADESCREEN_STALE_LIST_AGE": "7d",
		"TRADESCREEN_SHUTDOWN_TIMEOUT": "3s", "TRADESCREEN_API_KEY_FILE": "/run/secrets/key",
	}
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:1" || len(c.Lists) != 2 || c.Lists[1] != "un=/b.xml" || !c.LogNames || c.LogFormat != "json" ||
		c.LogLevel != "debug" || c.MaxListAge.String() != "7d" || c.ShutdownTimeout.String() != "3s" || c.APIKeyFile != "/run/secrets/key" ||
		len(c.Warnings) != 0 {
		t.Errorf("config = %+v", c)
	}

	c = DefaultConfig()
	err := c.ApplyEnv(func(k string) string {
		return map[string]string{"TRADESCREEN_API_KEY": "plain", "TRADESCREEN_LOG_NAMES": "maybe", "TRADESCREEN_STALE_LIST_AGE": "x"}[k]
	})
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Fields) != 3 {
		t.Fatalf("err = %v, want 3 field errors", err)
	}
	for _, want := range []string{"TRADESCREEN_API_KEY: not read", "TRADESCREEN_LOG_NAMES", "TRADESCREEN_STALE_LIST_AGE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %s", err, want)
		}
	}
}

func TestConfigSecrets(t *testing.T) {
	c := DefaultConfig()
	c.APIKeyFile = writeFile(t, "key", "  0123456789abcdefXYZ \n")
	if err := c.ResolveSecrets(); err != nil {
		t.Fatal(err)
	}
	if c.APIKey != "0123456789abcdefXYZ" {
		t.Errorf("key %q", c.APIKey)
	}
	r := c.Redacted()
	if r.APIKey != "REDACTED" || c.APIKey == "REDACTED" {
		t.Errorf("Redacted: %q, original %q", r.APIKey, c.APIKey)
	}

	for name, c := range map[string]Config{
		"missing": {APIKeyFile: filepath.Join(t.TempDir(), "nope")},
		"empty":   {APIKeyFile: writeFile(t, "empty", "\n")},
		"both":    {APIKey: "0123456789abcdef", APIKeyFile: writeFile(t, "k", "x")},
	} {
		if err := c.ResolveSecrets(); err == nil || !strings.Contains(err.Error(), "api_key_file") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		change func(*Config)
		want   []string
	}{
		{func(c *Config) { c.Addr = "8080" }, []string{"addr: \"8080\" is not host:port"}},
		{func(c *Config) { c.Addr = "127.0.0.1:99999" }, []string{"addr: port"}},
		{func(c *Config) { c.Addr = "example.com:80" }, []string{"addr: host"}},
		{func(c *Config) { c.Addr = "0.0.0.0:8080" }, []string{"api_key: required"}},
		{func(c *Config) { c.Addr = "0.0.0.0:8080"; c.APIKey = "short" }, []string{"api_key: shorter than 16"}},
		{func(c *Config) { c.Lists = []string{"csl=/a", "nope=/b", "un"} }, []string{"lists[1]: unknown list kind", "lists[2]: want KIND=PATH"}},
		{func(c *Config) { c.LogFormat = "xml"; c.LogLevel = "loud" }, []string{"log_format", "log_level"}},
		{func(c *Config) { c.MaxListAge = 0; c.ShutdownTimeout = -1 }, []string{"stale_list_age", "shutdown_timeout"}},
	} {
		c := DefaultConfig()
		tc.change(&c)
		err := c.Validate()
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%+v: err %v, want a ConfigError", c, err)
			continue
		}
		if len(ce.Fields) != len(tc.want) {
			t.Errorf("%v: %d field errors, want %d", err, len(ce.Fields), len(tc.want))
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v lacks %q", err, w)
			}
		}
	}
	c := DefaultConfig()
	c.Addr, c.APIKey = "0.0.0.0:8080", "0123456789abcdef"
	if err := c.Validate(); err != nil {
		t.Errorf("non-loopback with a key: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 720 * time.Hour, "1d": 24 * time.Hour, "90m": 90 * time.Minute, "720h": 720 * time.Hour} {
		d, err := ParseDuration(in)
		if err != nil || time.Duration(d) != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, d, err)
		}
	}
	for _, in := range []string{"", "d", "3x", "1.5d"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) accepted", in)
		}
	}
}

func TestConfigRefreshAndJobs(t *testing.T) {
	c := DefaultConfig()
	p := writeFile(t, "c.json", `{"data_dir": "/var/lib/tradescreen", "refresh_interval": "24h", "refresh_sources": ["un=https://example.org/consolidated.xml"], "max_upload_size": 2048, "batch_workers": 2, "batch_cpus": 3}`)
	if err := c.ReadConfigFile(p); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/var/lib/tradescreen" || c.RefreshInterval.String() != "1d" || c.MaxUploadSize != 2048 || c.BatchWorkers != 2 || c.BatchCPUs != 3 {
		t.Errorf("config = %+v", c)
	}
	dcfg, names, err := c.DownloadConfig()
	if err != nil || len(names) != 1 || names[0] != "un" {
		t.Fatalf("download config: %v %v", names, err)
	}
	for _, f := range dcfg.Feeds {
		if f.Name == "un" && f.URL != "https://example.org/consolidated.xml" {
			t.Errorf("un URL %q", f.URL)
		}
	}

	c = DefaultConfig()
	err = c.ApplyEnv(func(k string) string {
		return map[string]string{"TRADESCREEN_DATA_DIR": "/srv/ts", "TRADESCREEN_REFRESH_INTERVAL": "6h",
			"TRADESCREEN_REFRESH_SOURCES": "csl=https://example.org/c.csv, mine:un=https://example.org/u.xml",
			"TRADESCREEN_MAX_UPLOAD_SIZE": "5000000", "TRADESCREEN_BATCH_WORKERS": "2", "TRADESCREEN_BATCH_CPUS": "1"}[k]
	})
	if err != nil || c.DataDir != "/srv/ts" || time.Duration(c.RefreshInterval) != 6*time.Hour || len(c.RefreshSources) != 2 ||
		c.MaxUploadSize != 5000000 || c.BatchWorkers != 2 || c.BatchCPUs != 1 {
		t.Fatalf("env: %v %+v", err, c)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}

	for name, tc := range map[string]struct {
		edit func(*Config)
		want string
	}{
		"negative":    {func(c *Config) { c.RefreshInterval = -1 }, "refresh_interval: must not be negative"},
		"no data dir": {func(c *Config) { c.RefreshInterval = Duration(time.Hour) }, "data_dir: required when refresh_interval"},
		"with lists": {func(c *Config) {
			c.RefreshInterval, c.DataDir, c.Lists = Duration(time.Hour), "/d", []string{"csl=/a.csv"}
		}, "refresh_interval: cannot refresh"},
		"unknown source": {func(c *Config) { c.RefreshSources = []string{"nope=https://x.org/a"} }, `refresh_sources: [0]: unknown source "nope"`},
		"not NAME=URL":   {func(c *Config) { c.RefreshSources = []string{"un"} }, "want NAME=URL"},
		"not http":       {func(c *Config) { c.RefreshSources = []string{"un=ftp://x.org/a"} }, "not an http(s) URL"},
		"tiny upload":    {func(c *Config) { c.MaxUploadSize = 10 }, "max_upload_size"},
		"workers":        {func(c *Config) { c.BatchWorkers = 0 }, "batch_workers: 0 is outside 1..16"},
		"cpus":           {func(c *Config) { c.BatchCPUs = -1 }, "batch_cpus: -1 is outside 0..256"},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		var ce *ConfigError
		if err := c.Validate(); !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	c = DefaultConfig()
	if err := c.ApplyEnv(func(k string) string { return map[string]string{"TRADESCREEN_BATCH_WORKERS": "many"}[k] }); err == nil || !strings.Contains(err.Error(), "TRADESCREEN_BATCH_WORKERS") {
		t.Errorf("bad TRADESCREEN_BATCH_WORKERS: %v", err)
	}
}

func TestConfigOwnershipFiles(t *testing.T) {
	c := DefaultConfig()
	if err := c.ReadConfigFile(writeFile(t, "c.json", `{"ownership_files": ["a.csv", "gleif=rr.json"]}`)); err != nil {
		t.Fatal(err)
	}
	if len(c.OwnershipFiles) != 2 || c.OwnershipFiles[1] != "gleif=rr.json" {
		t.Errorf("file: %q", c.OwnershipFiles)
	}
	if err := c.ApplyEnv(func(k string) string {
		return map[string]string{"TRADESCREEN_OWNERSHIP_FILES": " owners.csv, bods=x.jsonl ,"}[k]
	}); err != nil {
		t.Fatal(err)
	}
	if len(c.OwnershipFiles) != 2 || c.OwnershipFiles[0] != "owners.csv" || c.OwnershipFiles[1] != "bods=x.jsonl" {
		t.Errorf("env: %q", c.OwnershipFiles)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("valid ownership files: %v", err)
	}
	c.OwnershipFiles = []string{"", "csv="}
	err := c.Validate()
	for _, want := range []string{"ownership_files[0]: empty", `ownership_files[1]: "csv=" names no file`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}

func TestDefaultDataDir(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TRADESCREEN_DATA_DIR": "/d", "XDG_DATA_HOME": "/x", "HOME": "/h"}, "/d"},
		{map[string]string{"XDG_DATA_HOME": "/x", "HOME": "/h"}, filepath.Join("/x", "tradescreen")},
		{map[string]string{"HOME": "/h"}, filepath.Join("/h", ".local", "share", "tradescreen")},
		{map[string]string{}, ""},
	} {
		if got := DefaultDataDir(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("DefaultDataDir(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestLogger(t *testing.T) {
	var b strings.Builder
	c := DefaultConfig()
	c.LogFormat, c.LogLevel = "json", "warn"
	l := c.Logger(&b)
	l.Info("not written")
	l.Warn("written", "k", 1)
	if out := b.String(); strings.Contains(out, "not written") || !strings.Contains(out, `"msg":"written","k":1`) {
		t.Errorf("json at warn: %q", out)
	}
	b.Reset()
	c.LogFormat, c.LogLevel = "text", "info"
	c.Logger(&b).Info("hello", "k", 2)
	if out := b.String(); !strings.Contains(out, "level=INFO msg=hello k=2") {
		t.Errorf("text at info: %q", out)
	}
}
