// Package jsonpath names the member of a JSON document that encoding/json refused by its full path
// ("parties[1].nme", "items[0].hts"): encoding/json names an unknown field without its path and a mistyped
// one without its array indices.
package jsonpath

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// BadMember returns the full path ("parties[1].nme", "items[0].hts") of the first member of the JSON
// document data, in document order, that type t has no field for or whose value's JSON kind t's field
// cannot hold; "" when there is none or data is not well-formed.
func BadMember(data []byte, t reflect.Type) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	path, _ := walkJSON(dec, t, "")
	return path
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// walkJSON reads the next value from dec against t and returns the path of its first bad member ("" when
// none). Types that decode themselves, interfaces and maps' keys are not looked into.
func walkJSON(dec *json.Decoder, t reflect.Type, path string) (string, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	if tok == nil || t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return "", skipJSON(dec, tok)
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch {
		case tok == '{' && t.Kind() == reflect.Struct:
			return walkObject(dec, jsonFields(t), path)
		case tok == '{' && t.Kind() == reflect.Map:
			return walkMap(dec, t.Elem(), path)
		case tok == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			for i := 0; dec.More(); i++ {
				if p, err := walkJSON(dec, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" || err != nil {
					return p, err
				}
			}
			_, err := dec.Token()
			return "", err
		}
		return orBody(path), nil
	case string:
		if t.Kind() == reflect.String || reflect.PointerTo(t).Implements(textUnmarshaler) ||
			t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return "", nil
		}
	case json.Number:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
			reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
			return "", nil
		}
	case bool:
		if t.Kind() == reflect.Bool {
			return "", nil
		}
	}
	return orBody(path), nil
}

// walkObject reads an object's members (after its '{') against a struct's fields.
func walkObject(dec *json.Decoder, fields map[string]reflect.Type, path string) (string, error) {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		key, _ := tok.(string)
		member := key
		if path != "" {
			member = path + "." + key
		}
		ft, ok := fields[key]
		if !ok {
			// encoding/json matches a key to a field name without regard to case when no name matches exactly.
			for name, f := range fields {
				if strings.EqualFold(name, key) {
					ft, ok = f, true
					break
				}
			}
		}
		if !ok {
			return member, nil
		}
		if p, err := walkJSON(dec, ft, member); p != "" || err != nil {
			return p, err
		}
	}
	_, err := dec.Token()
	return "", err
}

// walkMap reads an object's members (after its '{') as the values of a map of elem.
func walkMap(dec *json.Decoder, elem reflect.Type, path string) (string, error) {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		member := fmt.Sprint(tok)
		if path != "" {
			member = path + "." + member
		}
		if p, err := walkJSON(dec, elem, member); p != "" || err != nil {
			return p, err
		}
	}
	_, err := dec.Token()
	return "", err
}

// skipJSON reads the rest of the value that began with tok.
func skipJSON(dec *json.Decoder, tok json.Token) error {
	d, ok := tok.(json.Delim)
	if !ok || d == '}' || d == ']' {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// jsonFields returns the JSON member names of struct t with their types, embedded structs' fields included
// as encoding/json flattens them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for n, t := range jsonFields(ft) {
				if _, ok := out[n]; !ok {
					out[n] = t
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// orBody is path, or "body" for the document itself.
func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// WithPath returns err, an error of decoding data into a value of type t with encoding/json, with the full
// path of the member it is about: an unknown field's error says `json: unknown field "parties[1].nme"`, a
// type error's Field is "parties[1].name". err is returned as it is when BadMember finds another member
// (the decoder and the walk disagree) or err is of another kind.
func WithPath(err error, data []byte, t reflect.Type) error {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		p := BadMember(data, t)
		if te.Field != "" && stripIndices(p) == te.Field {
			te.Field = p
		}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if p := BadMember(data, t); p == key || strings.HasSuffix(p, "."+key) {
			return fmt.Errorf("json: unknown field %q", p)
		}
	}
	return err
}

// stripIndices writes a path as encoding/json names a field: "parties[1].name" as "parties.name".
func stripIndices(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '[' {
			for i < len(p) && p[i] != ']' {
				i++
			}
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
