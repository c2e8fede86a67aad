package http

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/jsonpath"
)

// decodeBody reads one JSON object from rd into v, unknown fields refused, and classifies a failure as
// bodyError does, naming a mistyped or unknown member by its full path ("parties[1].nme: unknown field").
// Errors: ETOOLARGE (rd a MaxBytesReader past its limit), EINVALID (malformed JSON, data after the object),
// EUNPROCESSABLE (JSON of the wrong shape).
func decodeBody(rd io.Reader, v any) error {
	data, err := io.ReadAll(rd)
	if err != nil {
		return bodyError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(jsonpath.WithPath(err, data, reflect.TypeOf(v)))
	}
	if dec.More() {
		return errorf(tradescreen.EINVALID, "body: data after the JSON object; send one object")
	}
	return nil
}
