package http_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
)

// The generator and the runtime its code imports, pinned; fetched through the Go module proxy.
const (
	oapiCodegen        = "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.5.0"
	oapiRuntime        = "github.com/oapi-codegen/runtime"
	oapiRuntimeVersion = "v1.3.1"
)

// clientMain calls the generated client against the server named by its first argument, with the API key
// of its second, and prints what it understood of the answers as one JSON object.
const clientMain = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	auth := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+os.Args[2])
		return nil
	}
	c, err := NewClientWithResponses(os.Args[1], WithRequestEditorFn(auth))
	check(err)
	ctx := context.Background()
	typ := "organization"
	search, err := c.SearchWithResponse(ctx, &SearchParams{Q: "Hikvision", Type: &typ})
	check(err)
	if search.JSON200 == nil {
		fail("search: status %d: %s", search.StatusCode(), search.Body)
	}
	name, country := "Zhejiang Dahua Technology Co. Ltd.", "CN"
	screen, err := c.ScreenWithResponse(ctx, ScreenJSONRequestBody{Name: &name, Country: &country})
	check(err)
	if screen.JSON200 == nil {
		fail("screen: status %d: %s", screen.StatusCode(), screen.Body)
	}
	one, err := screen.JSON200.AsScreenResult()
	check(err)
	bad, err := c.SearchWithResponse(ctx, &SearchParams{Q: "Hikvision", Limit: new(int)})
	check(err)
	if bad.JSON400 == nil {
		fail("search with limit 0: status %d, want 400 decoded as Error", bad.StatusCode())
	}
	out := map[string]any{
		"search_source": string(search.JSON200.Matches[0].Source), "search_id": search.JSON200.Matches[0].SourceId,
		"search_score": search.JSON200.Matches[0].Score, "search_lists": len(search.JSON200.Lists),
		"screen_source": string(one.Matches[0].Source), "screen_id": one.Matches[0].SourceId, "screen_as_of": one.AsOf,
		"error_code": string(bad.JSON400.Error.Code),
	}
	check(json.NewEncoder(os.Stdout).Encode(out))
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
`

// goCmd runs the go command in dir with the module cache and proxy of the environment, module-mode
// downloads allowed (GOFLAGS=-mod=mod) and no workspace, and returns its combined output.
func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=auto")
	return cmd.CombinedOutput()
}

// TestOpenAPIClientGen generates a Go client with oapi-codegen (pinned) from the document the server serves
// at /openapi-3.0.json, compiles it in a module of its own and runs it against the server on loopback: a
// search, a one-party screening (the oneOf answer read as a ScreenResult) and an error answer decoded as the
// documented Error. The generator and the client's runtime are fetched through the Go module proxy; without
// network (or go on PATH) the test skips, unless TRADESCREEN_REQUIRE_CLIENTGEN=1 (.ci/run sets it).
func TestOpenAPIClientGen(t *testing.T) {
	required := os.Getenv("TRADESCREEN_REQUIRE_CLIENTGEN") == "1"
	unavailable := func(format string, args ...any) {
		t.Helper()
		if required {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+" (set TRADESCREEN_REQUIRE_CLIENTGEN=1 to fail instead)", args...)
	}
	if _, err := exec.LookPath("go"); err != nil {
		unavailable("no go command on PATH: %v", err)
	}
	if testing.Short() && !required {
		t.Skip("-short: the test fetches and builds oapi-codegen")
	}
	const key = "clientgen-test-key-0123456789"
	ts := newTestServer(t, func(s *tshttp.Server) { s.APIKey = key })
	dir := t.TempDir()
	doc := get(t, ts.URL+"/openapi-3.0.json")
	doc.wantStatus(t, 200)
	files := map[string]string{
		"openapi.json": string(doc.Body),
		"oapi.yaml":    "package: main\ngenerate:\n  client: true\n  models: true\noutput: client.gen.go\n",
		"go.mod":       "module clientcheck\n\ngo 1.24\n\nrequire " + oapiRuntime + " " + oapiRuntimeVersion + "\n",
		"main.go":      clientMain,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Fetching the generator and the runtime is what may fail without network: that skips.
	if out, err := goCmd(dir, "run", oapiCodegen, "-version"); err != nil {
		unavailable("fetch %s: %v\n%s", oapiCodegen, err, out)
	}
	if out, err := goCmd(dir, "mod", "download", oapiRuntime); err != nil {
		unavailable("fetch %s %s: %v\n%s", oapiRuntime, oapiRuntimeVersion, err, out)
	}
	// From here on every failure is the document's or the server's.
	if out, err := goCmd(dir, "run", oapiCodegen, "-config", "oapi.yaml", "openapi.json"); err != nil {
		t.Fatalf("oapi-codegen rejects /openapi-3.0.json: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "client")
	if out, err := goCmd(dir, "build", "-o", bin, "."); err != nil {
		t.Fatalf("the generated client does not compile: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, ts.URL, key)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the generated client: %v\n%s", err, stderr.String())
	}
	var got struct {
		SearchSource string  `json:"search_source"`
		SearchID     string  `json:"search_id"`
		SearchScore  float64 `json:"search_score"`
		SearchLists  int     `json:"search_lists"`
		ScreenSource string  `json:"screen_source"`
		ScreenID     string  `json:"screen_id"`
		ScreenAsOf   string  `json:"screen_as_of"`
		ErrorCode    string  `json:"error_code"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("client output %q: %v", out, err)
	}
	// The same questions asked without the generated client.
	want := hikvision2(t, ts, key)
	var dahua tshttp.ScreenResult
	postJSON(t, ts.URL+"/v1/screen", `{"name":"Zhejiang Dahua Technology Co. Ltd.","country":"CN"}`, "Authorization", "Bearer "+key).decode(t, &dahua)
	if got.SearchSource != want.Source || got.SearchID != want.SourceID || got.SearchScore <= 0 || got.SearchLists == 0 {
		t.Errorf("search through the client: %+v, want %s/%s first", got, want.Source, want.SourceID)
	}
	if len(dahua.Matches) == 0 || got.ScreenSource != dahua.Matches[0].Source || got.ScreenID != dahua.Matches[0].SourceID ||
		!strings.Contains(got.ScreenAsOf, "us_el") {
		t.Errorf("screen through the client: %+v, want %+v", got, dahua.Matches)
	}
	if got.ErrorCode != tradescreen.EINVALID {
		t.Errorf("error through the client: code %q, want %s", got.ErrorCode, tradescreen.EINVALID)
	}
}
