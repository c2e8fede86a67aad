package csl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// The CSL JSON (data.trade.gov consolidated.json and the search API) is an object
// {"results": [RESULT ...], "total": N, "sources_used": [{"source", "source_last_updated", ...}], ...} or a
// bare array of results. A RESULT has the keys of the CSV columns ("id" or "_id", source, entity_number,
// type, programs[], name, title, addresses[{address, city, state, postal_code, country}],
// federal_register_notice, start_date, end_date, standard_order, license_requirement, license_policy,
// call_sign, vessel_type, gross_tonnage, gross_registered_tonnage, vessel_flag, vessel_owner, remarks,
// source_list_url, alt_names[], citizenships[], dates_of_birth, nationalities[], places_of_birth,
// source_information_url, ids[{type, number, country, issue_date, expiration_date}]). List-valued keys are
// read as arrays or as "; "-joined strings, as different versions of the API have written them.

// readJSON reads CSL JSON text into records. It also returns the per-list last-updated dates of a
// sources_used block (list code -> YYYY-MM-DD), when there is one.
func readJSON(text, name string) ([]*record, map[string]string, error) {
	lines := newLineIndex(text)
	dec := json.NewDecoder(strings.NewReader(text))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, jsonError(name, lines, dec, "", err)
	}
	var recs []*record
	var updated map[string]string
	switch tok {
	case json.Delim('['):
		if recs, err = readResults(dec, text, name, lines); err != nil {
			return nil, nil, err
		}
	case json.Delim('{'):
		found := false
		var keys []string
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, nil, jsonError(name, lines, dec, "", err)
			}
			key, _ := kt.(string)
			keys = append(keys, key)
			switch key {
			case "results":
				t, err := dec.Token()
				if err != nil {
					return nil, nil, jsonError(name, lines, dec, key, err)
				}
				if t != json.Delim('[') {
					return nil, nil, source.Errorf(name, lines.at(dec.InputOffset()), key, "\"results\" is not an array")
				}
				found = true
				if recs, err = readResults(dec, text, name, lines); err != nil {
					return nil, nil, err
				}
			case "sources_used":
				var su []struct {
					Source      string `json:"source"`
					LastUpdated string `json:"source_last_updated"`
				}
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return nil, nil, jsonError(name, lines, dec, key, err)
				}
				if json.Unmarshal(raw, &su) == nil {
					for _, s := range su {
						code, ok := listCode(s.Source)
						d := source.NormDate(s.LastUpdated)
						if ok && isFullDate(d) {
							if updated == nil {
								updated = map[string]string{}
							}
							updated[code] = d
						}
					}
				}
			default:
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return nil, nil, jsonError(name, lines, dec, key, err)
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing brace
			return nil, nil, jsonError(name, lines, dec, "", err)
		}
		if !found {
			if len(keys) > 20 {
				keys = append(keys[:20], "...")
			}
			return nil, nil, source.Errorf(name, 1, "results", "not a Consolidated Screening List JSON document: no \"results\" array (keys found: %s)", strings.Join(keys, ", "))
		}
	default:
		return nil, nil, source.Errorf(name, 1, "", "not a Consolidated Screening List JSON document: it is a single value, not an object or array")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, source.Errorf(name, lines.at(dec.InputOffset()), "", "data after the end of the JSON document")
	}
	if len(recs) == 0 {
		return nil, nil, source.Errorf(name, 0, "results", "no records: the results array is empty")
	}
	return recs, updated, nil
}

// readResults reads the elements of the results array up to and including its closing bracket.
func readResults(dec *json.Decoder, text, name string, lines *lineIndex) ([]*record, error) {
	var recs []*record
	for dec.More() {
		off := dec.InputOffset()
		line := lines.at(skipSep(text, off))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonError(name, lines, dec, "", err)
		}
		if len(recs) >= maxRecords {
			return nil, source.Errorf(name, line, "", "more than %d records", maxRecords)
		}
		r, err := jsonRecord(raw, name, line)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return nil, jsonError(name, lines, dec, "", err)
	}
	return recs, nil
}

// jsonRecord maps one result object to a record.
func jsonRecord(raw json.RawMessage, name string, line int) (*record, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, source.Errorf(name, line, "", "a result is not a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, &tradescreen.ParseError{File: name, Line: line, Msg: "malformed result object", Err: err}
	}
	var firstErr error
	str := func(key string) string {
		s, err := jsonString(m[key])
		if err == nil && len(s) > maxField {
			err = fmt.Errorf("longer than %d bytes", maxField)
		}
		if err != nil && firstErr == nil {
			firstErr = source.Errorf(name, line, key, "%v", err)
		}
		return s
	}
	strs := func(key string) []string {
		s, err := jsonStrings(m[key])
		if err != nil && firstErr == nil {
			firstErr = source.Errorf(name, line, key, "%v", err)
		}
		return s
	}
	id := str("_id")
	if id == "" {
		id = str("id")
	}
	r := &record{
		Line:                   line,
		ID:                     id,
		Source:                 str("source"),
		EntityNumber:           str("entity_number"),
		Type:                   str("type"),
		Programs:               strs("programs"),
		Name:                   str("name"),
		Title:                  str("title"),
		FederalRegisterNotice:  str("federal_register_notice"),
		StartDate:              str("start_date"),
		EndDate:                str("end_date"),
		StandardOrder:          str("standard_order"),
		LicenseRequirement:     str("license_requirement"),
		LicensePolicy:          str("license_policy"),
		CallSign:               str("call_sign"),
		VesselType:             str("vessel_type"),
		GrossTonnage:           str("gross_tonnage"),
		GrossRegisteredTonnage: str("gross_registered_tonnage"),
		VesselFlag:             str("vessel_flag"),
		VesselOwner:            str("vessel_owner"),
		Remarks:                str("remarks"),
		SourceListURL:          str("source_list_url"),
		AltNames:               strs("alt_names"),
		Citizenships:           strs("citizenships"),
		DatesOfBirth:           strs("dates_of_birth"),
		Nationalities:          strs("nationalities"),
		PlacesOfBirth:          strs("places_of_birth"),
		SourceInformationURL:   str("source_information_url"),
	}
	if firstErr != nil {
		return nil, firstErr
	}
	var err error
	if r.Addresses, err = jsonAddresses(m["addresses"]); err != nil {
		return nil, source.Errorf(name, line, "addresses", "%v", err)
	}
	if r.IDs, err = jsonIDs(m["ids"]); err != nil {
		return nil, source.Errorf(name, line, "ids", "%v", err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, &tradescreen.ParseError{File: name, Line: line, Msg: "malformed result object", Err: err}
	}
	r.Raw = buf.Bytes()
	return r, nil
}

// jsonString reads a scalar as text: a string, a number or boolean as written, null as "". An array of
// scalars is joined with "; ".
func jsonString(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case '{':
		return "", errors.New("expected a string, found an object")
	case '[':
		items, err := jsonStrings(raw)
		return strings.Join(items, "; "), err
	}
	return string(raw), nil
}

// jsonStrings reads a list: an array of scalars, or a "; "-joined string.
func jsonStrings(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '[' {
		s, err := jsonString(raw)
		if err != nil {
			return nil, err
		}
		return splitSemi(s), nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	if len(items) > maxItems {
		return nil, fmt.Errorf("more than %d items", maxItems)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) > 0 && (it[0] == '[' || it[0] == '{') {
			return nil, errors.New("expected a list of strings, found a nested array or object")
		}
		s, err := jsonString(it)
		if err != nil {
			return nil, err
		}
		if len(s) > maxField {
			return nil, fmt.Errorf("item longer than %d bytes", maxField)
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// objectItems reads an array of objects (or strings, or a "; "-joined string, returned as strings).
func objectItems(raw json.RawMessage) ([]map[string]json.RawMessage, []string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, nil
	}
	if raw[0] != '[' {
		s, err := jsonString(raw)
		return nil, splitSemi(s), err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, nil, err
	}
	if len(items) > maxItems {
		return nil, nil, fmt.Errorf("more than %d items", maxItems)
	}
	var objs []map[string]json.RawMessage
	var strs []string
	for _, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) > 0 && it[0] == '[' {
			return nil, nil, errors.New("malformed: expected objects or strings, found a nested array")
		}
		if len(it) > 0 && it[0] == '{' {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(it, &m); err != nil {
				return nil, nil, err
			}
			objs = append(objs, m)
			continue
		}
		s, err := jsonString(it)
		if err != nil {
			return nil, nil, err
		}
		if s = strings.TrimSpace(s); s != "" {
			strs = append(strs, s)
		}
	}
	return objs, strs, nil
}

func jsonAddresses(raw json.RawMessage) ([]recAddress, error) {
	objs, strs, err := objectItems(raw)
	if err != nil {
		return nil, err
	}
	var out []recAddress
	for _, m := range objs {
		var a recAddress
		for _, f := range []struct {
			dst  *string
			keys []string
		}{
			{&a.Address, []string{"address"}}, {&a.City, []string{"city"}},
			{&a.State, []string{"state", "state_or_province"}}, {&a.PostalCode, []string{"postal_code"}},
			{&a.Country, []string{"country"}},
		} {
			for _, k := range f.keys {
				s, err := jsonString(m[k])
				if err != nil {
					return nil, fmt.Errorf("%s: %v", k, err)
				}
				if len(s) > maxField {
					return nil, fmt.Errorf("%s: longer than %d bytes", k, maxField)
				}
				if s != "" && *f.dst == "" {
					*f.dst = s
				}
			}
		}
		out = append(out, a)
	}
	for _, s := range strs {
		out = append(out, recAddress{Full: s})
	}
	return out, nil
}

func jsonIDs(raw json.RawMessage) ([]recID, error) {
	objs, strs, err := objectItems(raw)
	if err != nil {
		return nil, err
	}
	var out []recID
	for _, m := range objs {
		var id recID
		for _, f := range []struct {
			dst *string
			key string
		}{
			{&id.Type, "type"}, {&id.Number, "number"}, {&id.Country, "country"},
			{&id.IssueDate, "issue_date"}, {&id.ExpirationDate, "expiration_date"},
		} {
			s, err := jsonString(m[f.key])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", f.key, err)
			}
			if len(s) > maxField {
				return nil, fmt.Errorf("%s: longer than %d bytes", f.key, maxField)
			}
			*f.dst = s
		}
		out = append(out, id)
	}
	if len(strs) > 0 { // ids written as CSV-style strings
		rows := []csvRow{{fields: []string{strings.Join(strs, "; ")}}}
		out = append(out, parseCSVIDs(rows[0].fields[0], idsTypeFirst(rows, map[string]int{"ids": 0}))...)
	}
	return out, nil
}

// jsonError wraps a decoder error as a ParseError with the line it happened on.
func jsonError(name string, lines *lineIndex, dec *json.Decoder, field string, err error) error {
	var pe *tradescreen.ParseError
	if errors.As(err, &pe) {
		return err
	}
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	msg := "malformed JSON"
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "truncated JSON: the document ends early"
	}
	return &tradescreen.ParseError{File: name, Line: lines.at(off), Field: field, Msg: msg, Err: err}
}

// skipSep returns the offset of the first byte at or after off that is not white space or a comma.
func skipSep(text string, off int64) int64 {
	for off < int64(len(text)) {
		switch text[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
			continue
		}
		break
	}
	return off
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex struct{ starts []int }

func newLineIndex(text string) *lineIndex {
	li := &lineIndex{starts: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) at(off int64) int {
	return sort.SearchInts(li.starts, int(off)+1)
}
