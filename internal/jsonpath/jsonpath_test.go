package jsonpath

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type identifier struct {
	Type   string `json:"type"`
	Number string `json:"number"`
}

type party struct {
	Name        string       `json:"name"`
	Country     string       `json:"country,omitempty"`
	Identifiers []identifier `json:"identifiers,omitempty"`
}

// request is shaped like POST /v1/screen's body: one party embedded at the top level, or parties; options
// of several kinds, a map, a type that decodes itself and a field without a tag.
type request struct {
	party
	Parties   []party          `json:"parties,omitempty"`
	Threshold float64          `json:"threshold,omitempty"`
	Exact     *bool            `json:"exact,omitempty"`
	Extra     map[string]party `json:"extra,omitempty"`
	At        time.Time        `json:"at,omitempty"`
	Raw       json.RawMessage  `json:"raw,omitempty"`
	Any       any              `json:"any,omitempty"`
	Fixed     [2]identifier    `json:"fixed"`
	Untagged  string
	Skipped   string             `json:"-"`
	Nested    *struct{ In int }  `json:"nested,omitempty"`
	Counts    map[string]float64 `json:"counts,omitempty"`
}

func TestWithPath(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"name":"x","nmae":"y"}`, `json: unknown field "nmae"`},
		{`{"parties":[{"name":"a"},{"nme":"b"}]}`, `json: unknown field "parties[1].nme"`},
		{`{"parties":[{"NAME":"a","Country":"DE","nme":"b"}]}`, `json: unknown field "parties[0].nme"`},
		{`{"parties":[{"name":"a"},{"identifiers":[{"type":"p","number":"1"},{"nmber":"2"}]}]}`, `json: unknown field "parties[1].identifiers[1].nmber"`},
		{`{"extra":{"k":{"name":"a","nme":"b"}}}`, `json: unknown field "extra.k.nme"`},
		{`{"fixed":[{"type":"a"},{"tpe":"b"}]}`, `json: unknown field "fixed[1].tpe"`},
		{`{"nested":{"In":1,"Out":2}}`, `json: unknown field "nested.Out"`},
		{`{"Untagged":"a","untagged":"b","Skipped":"c"}`, `json: unknown field "Skipped"`},
		// What decodes itself or takes anything is not looked into: the unknown field is the one after it.
		{`{"at":"2026-12-07T00:00:00Z","raw":{"x":1},"any":{"y":[2]},"exact":null,"nme":"c"}`, `json: unknown field "nme"`},
		{`{"parties":[{"name":"a"},{"name":3}]}`, `parties[1].name`},
		{`{"parties":[{"name":"a","identifiers":[{"number":false}]}]}`, `parties[0].identifiers[0].number`},
		{`{"counts":{"a":1,"b":"two"}}`, `counts`}, // encoding/json names a map, not its key: kept
		{`{"threshold":"high"}`, `threshold`},
		{`{"parties":{"name":"a"}}`, `parties`},
	} {
		data := []byte(tc.body)
		dec := json.NewDecoder(strings.NewReader(tc.body))
		dec.DisallowUnknownFields()
		var r request
		err := dec.Decode(&r)
		if err == nil {
			t.Fatalf("%s: decoded", tc.body)
		}
		got := WithPath(err, data, reflect.TypeOf(&r))
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(got, &te):
			if te.Field != tc.want {
				t.Errorf("%s: type error of field %q, want %q (%v)", tc.body, te.Field, tc.want, got)
			}
		case got.Error() != tc.want:
			t.Errorf("%s: %q, want %q", tc.body, got.Error(), tc.want)
		}
	}
}

// FuzzBadMember checks the walk agrees with encoding/json: on a document that decodes without error (unknown
// fields refused) it names no member, and it never panics.
func FuzzBadMember(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `{"parties":[{"name":"a"},{"nme":"b"}]}`, `{"extra":{"k":{"name":"a"}}}`,
		`{"at":"2026-12-07T00:00:00Z","raw":[1,{"a":2}],"any":null,"fixed":[{},{}]}`, `[1,2]`, `{"counts":{"a":1e3}}`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := BadMember(data, reflect.TypeFor[request]())
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		var r request
		if err := dec.Decode(&r); err == nil && p != "" && json.Valid(data) {
			t.Errorf("%s decodes, but the walk names %q", data, p)
		}
	})
}
