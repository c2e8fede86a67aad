package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"
)

// TestHelpErrorCodes reads every command's --help: none names an error by its Go constant (ESTALE,
// EINVALID ...), which no client ever sees, and the code serve --help names for a refused answer is the
// one a server started with --refuse-list-age answers.
func TestHelpErrorCodes(t *testing.T) {
	goName := regexp.MustCompile(`\bE(CONFLICT|INTERNAL|INVALID|NOTFOUND|UNAUTHORIZED|FORBIDDEN|TOOLARGE|UNPROCESSABLE|UNAVAILABLE|STALE|METHOD|MEDIATYPE|NOSPACE|NOSTORE)\b`)
	var serveHelp string
	for _, c := range commands {
		r := cliRun(t, c.name, "--help")
		if m := goName.FindString(r.stderr + r.stdout); m != "" {
			t.Errorf("%s --help names the error %s by its Go constant", c.name, m)
		}
		if c.name == "serve" {
			serveHelp = r.stderr
		}
	}
	m := regexp.MustCompile(`\(503,\s+error code (\w+)\)`).FindStringSubmatch(serveHelp)
	if m == nil {
		t.Fatalf("serve --help names no error code for a refused answer:\n%s", serveHelp)
	}
	addr, _ := serveInProcess(t, map[string]string{"TRADESCREEN_DATA_DIR": t.TempDir()}, "--refuse-list-age", "7d")
	// The server answers "unavailable" while its lists load; then, refusing them, the code its help names.
	status, code, msg := 0, "unavailable", ""
	for deadline := time.Now().Add(60 * time.Second); code == "unavailable" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		status, code, msg = searchError(t, "http://"+addr+"/v1/search?q=Hikvision")
	}
	if status != 503 || code != m[1] {
		t.Errorf("GET /v1/search with lists older than 7d: %d %q (%s), serve --help says 503 %q", status, code, msg, m[1])
	}
}

// searchError returns the status, error code and message of a GET.
func searchError(t *testing.T, u string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body.Error.Code, body.Error.Message
}
