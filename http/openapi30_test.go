package http_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	tshttp "github.com/tradescreen/tradescreen/http"
)

// TestOpenAPI30 checks the 3.0 rendition served at /openapi-3.0.json: version 3.0.3, the same paths and
// schemas as the 3.1 document, no list of types anywhere (oapi-codegen stops at one), and the 3.1 document's
// nullable and multi-type fields written the 3.0 way.
func TestOpenAPI30(t *testing.T) {
	ts := newTestServer(t)
	r := get(t, ts.URL+"/openapi-3.0.json")
	r.wantStatus(t, 200)
	if !bytes.Equal(r.Body, tshttp.OpenAPI30()) || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /openapi-3.0.json: %s, %d bytes", r.Header.Get("Content-Type"), len(r.Body))
	}
	var d30, d31 struct {
		OpenAPI    string                    `json:"openapi"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.Body, &d30); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(tshttp.OpenAPI(), &d31); err != nil {
		t.Fatal(err)
	}
	if d30.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q, want 3.0.3", d30.OpenAPI)
	}
	if len(d30.Paths) != len(d31.Paths) || len(d30.Components.Schemas) != len(d31.Components.Schemas) {
		t.Errorf("%d paths and %d schemas, the 3.1 document has %d and %d", len(d30.Paths), len(d30.Components.Schemas), len(d31.Paths), len(d31.Components.Schemas))
	}
	var lists []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["type"].([]any); ok {
				lists = append(lists, path)
			}
			for k, c := range x {
				walk(c, path+"/"+k)
			}
		case []any:
			for _, c := range x {
				walk(c, path+"/[]")
			}
		}
	}
	var all any
	json.Unmarshal(r.Body, &all)
	walk(all, "")
	if len(lists) > 0 {
		t.Errorf("lists of types remain: %s", strings.Join(lists, ", "))
	}
	prop := func(schema, name string) string {
		b, _ := json.Marshal(d30.Components.Schemas[schema]["properties"].(map[string]any)[name])
		return string(b)
	}
	if got := prop("Entry", "raw"); !strings.Contains(got, `"oneOf":[{"type":"object"},{"type":"array"}]`) {
		t.Errorf("Entry.raw: %s", got)
	}
	for _, c := range [][2]string{{"OwnershipFinding", "owners"}, {"OwnershipFinding", "paths"}, {"LicenceFinding", "answers"}} {
		if got := prop(c[0], c[1]); !strings.Contains(got, `"nullable":true`) || !strings.Contains(got, `"type":"array"`) {
			t.Errorf("%s.%s: %s", c[0], c[1], got)
		}
	}
}
