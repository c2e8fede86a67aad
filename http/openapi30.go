package http

import (
	"encoding/json"
	nethttp "net/http"
)

// openAPI30 is the OpenAPI document rendered for OpenAPI 3.0 tools, made once from the embedded 3.1
// document (the one source), so that the two never disagree.
var openAPI30 = mustOpenAPI30(openAPI)

// OpenAPI30 returns the OpenAPI 3.0.3 rendition of the embedded document, served at /openapi-3.0.json for
// generators that read only 3.0 (oapi-codegen, older openapi-generator releases).
func OpenAPI30() []byte { return openAPI30 }

// mustOpenAPI30 converts a 3.1 document to 3.0.3: a list of types with "null" becomes the type and
// "nullable": true, a list of several types a oneOf of one schema per type, a oneOf or anyOf with a
// {"type": "null"} choice the other choices and "nullable": true (one $ref choice left becomes an allOf,
// since 3.0 ignores what stands beside a $ref), and const a one-value enum. The
// document is compiled into the binary, so a failure is a programming error and panics at start-up.
func mustOpenAPI30(doc []byte) []byte {
	var v map[string]any
	if err := json.Unmarshal(doc, &v); err != nil {
		panic("openapi.json: " + err.Error())
	}
	v["openapi"] = "3.0.3"
	b, err := json.MarshalIndent(to30(v), "", " ")
	if err != nil {
		panic("openapi-3.0.json: " + err.Error())
	}
	return append(b, '\n')
}

// to30 rewrites the JSON Schema keywords of 3.1 that 3.0 lacks, everywhere in v.
func to30(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = to30(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = to30(x[k])
		}
		if types, ok := x["type"].([]any); ok {
			var kept []any
			for _, t := range types {
				if t == "null" {
					x["nullable"] = true
				} else {
					kept = append(kept, t)
				}
			}
			delete(x, "type")
			switch len(kept) {
			case 0:
			case 1:
				x["type"] = kept[0]
			default:
				alts := make([]any, len(kept))
				for i, t := range kept {
					alts[i] = map[string]any{"type": t}
				}
				x["oneOf"] = alts
			}
		}
		for _, k := range []string{"oneOf", "anyOf"} {
			if alts, ok := x[k].([]any); ok {
				nullable30(x, k, alts)
			}
		}
		if c, ok := x["const"]; ok {
			delete(x, "const")
			x["enum"] = []any{c}
		}
	}
	return v
}

// nullable30 drops the {"type": "null"} choices of the schema's oneOf or anyOf (key k) and marks the schema
// nullable instead.
func nullable30(x map[string]any, k string, alts []any) {
	var kept []any
	for _, a := range alts {
		if m, ok := a.(map[string]any); ok && m["type"] == "null" && len(m) == 1 {
			x["nullable"] = true
			continue
		}
		kept = append(kept, a)
	}
	if len(kept) == len(alts) {
		return
	}
	delete(x, k)
	switch {
	case len(kept) == 1:
		x["allOf"] = kept
	case len(kept) > 1:
		x[k] = kept
	}
}

func (s *Server) handleOpenAPI30(w nethttp.ResponseWriter, r *nethttp.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPI30)
	return err
}
