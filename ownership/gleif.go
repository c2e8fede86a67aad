package ownership

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// GLEIF Level 2 relationship records (RR-CDF) say who consolidates whom: StartNode is the child, EndNode the
// parent. They carry no ownership percentage, so each becomes a control link with an unknown share (0..100):
// enough to ask for a review under a 50 % rule, never enough to decide one.
//
// Relationship types read: IS_DIRECTLY_CONSOLIDATED_BY and IS_ULTIMATELY_CONSOLIDATED_BY (control, share
// unknown) and IS_INTERNATIONAL_BRANCH_OF (a branch is part of its head office: 100 %). Fund relationships
// (IS_FUND-MANAGED_BY, IS_SUBFUND_OF, IS_FEEDER_TO) are not ownership and are skipped, as are records whose
// RelationshipStatus is INACTIVE.

type gleifRel struct {
	start, startType, end, endType, typ, status string
	from, to                                    string
}

func (r gleifRel) link(g *Graph, origin string) (bool, error) {
	typ := strings.ToUpper(r.typ)
	var l Link
	switch typ {
	case "IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY":
		l = Link{Min: 0, Max: 100, Control: true}
	case "IS_INTERNATIONAL_BRANCH_OF":
		l = Link{Min: 100, Max: 100}
	default:
		return false, nil
	}
	if strings.EqualFold(r.status, "INACTIVE") {
		return false, nil
	}
	if r.start == "" || r.end == "" {
		return false, errors.New("a relationship needs a StartNode and an EndNode NodeID")
	}
	node := func(id, typ string) string {
		if typ == "" {
			typ = "LEI"
		}
		return g.AddParty(Party{Kind: tradescreen.KindOrganization, Identifiers: []tradescreen.Identifier{{Type: strings.ToUpper(typ), Number: id}}})
	}
	l.Owned = node(r.start, r.startType)
	l.Owner = node(r.end, r.endType)
	l.Origin = origin + " (" + typ + ")"
	var err error
	if l.Start, err = parseDate(r.from); err != nil {
		return false, err
	}
	if l.End, err = parseDate(r.to); err != nil {
		return false, err
	}
	if l.Owner == l.Owned {
		return false, nil
	}
	return true, g.AddLink(l)
}

// ReadGLEIFCSV reads the GLEIF relationship record golden-copy CSV (columns Relationship.StartNode.NodeID,
// Relationship.StartNode.NodeIDType, Relationship.EndNode.NodeID, Relationship.EndNode.NodeIDType,
// Relationship.RelationshipType, Relationship.RelationshipStatus and the Relationship.Period.N.* columns; the
// period whose type is RELATIONSHIP_PERIOD gives the dates). Errors are *tradescreen.ParseError.
func ReadGLEIFCSV(r io.Reader, name string) (*Graph, error) {
	cr := csv.NewReader(source.LimitReader(r, name, 4<<30))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "read header", Err: err}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	need := []string{"relationship.startnode.nodeid", "relationship.endnode.nodeid", "relationship.relationshiptype"}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, source.Errorf(name, 1, head0(c), "missing column")
		}
	}
	// Period columns: Relationship.Period.N.startDate / endDate / periodType.
	type period struct{ start, end, typ int }
	periods := map[string]*period{}
	for h, i := range col {
		rest, ok := strings.CutPrefix(h, "relationship.period.")
		if !ok {
			continue
		}
		n, field, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		p := periods[n]
		if p == nil {
			p = &period{-1, -1, -1}
			periods[n] = p
		}
		switch field {
		case "startdate":
			p.start = i
		case "enddate":
			p.end = i
		case "periodtype":
			p.typ = i
		}
	}
	g := NewGraph()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &tradescreen.ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
			}
			return nil, &tradescreen.ParseError{File: name, Err: err}
		}
		line, _ := cr.FieldPos(0)
		get := func(i int) string {
			if i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		getc := func(c string) string {
			if i, ok := col[c]; ok {
				return get(i)
			}
			return ""
		}
		rel := gleifRel{
			start: getc("relationship.startnode.nodeid"), startType: getc("relationship.startnode.nodeidtype"),
			end: getc("relationship.endnode.nodeid"), endType: getc("relationship.endnode.nodeidtype"),
			typ: getc("relationship.relationshiptype"), status: getc("relationship.relationshipstatus"),
		}
		for _, n := range sortedKeys(periods) {
			p := periods[n]
			if strings.EqualFold(get(p.typ), "RELATIONSHIP_PERIOD") {
				rel.from, rel.to = get(p.start), get(p.end)
			}
		}
		if _, err := rel.link(g, name+" line "+strconv.Itoa(line)); err != nil {
			return nil, source.Errorf(name, line, "", "%s", errorMsg(err))
		}
	}
	return g, nil
}

func head0(c string) string {
	parts := strings.Split(c, ".")
	for i, p := range parts {
		if p == "startnode" {
			parts[i] = "StartNode"
		} else if p == "endnode" {
			parts[i] = "EndNode"
		} else if p == "nodeid" {
			parts[i] = "NodeID"
		} else if p == "relationshiptype" {
			parts[i] = "RelationshipType"
		} else {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, ".")
}

func errorMsg(err error) string {
	var e *tradescreen.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// ReadGLEIFJSON reads GLEIF relationship records as JSON: the API's JSON:API document
// ({"data": [{"attributes": {"relationship": {"startNode": {"id", "type"}, "endNode", "type", "status",
// "periods": [...]}}}]}) or the golden-copy JSON ({"relations": [{"RelationshipRecord": {"Relationship":
// {"StartNode": {"NodeID": {"$": ...}}, ...}}}]}). Errors are *tradescreen.ParseError naming the record.
func ReadGLEIFJSON(r io.Reader, name string) (*Graph, error) {
	var doc any
	dec := json.NewDecoder(source.LimitReader(r, name, 4<<30))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, &tradescreen.ParseError{File: name, Msg: "invalid JSON", Err: err}
	}
	var recs []any
	if a, ok := doc.([]any); ok {
		recs = a
	} else if o, ok := doc.(map[string]any); ok {
		for _, k := range []string{"data", "relations", "RelationshipRecords"} {
			if v := jget(o, k); v != nil {
				if a, ok := v.([]any); ok {
					recs = a
				} else if m, ok := v.(map[string]any); ok {
					if a, ok := jget(m, "RelationshipRecord").([]any); ok {
						recs = a
					} else {
						recs = []any{m}
					}
				}
				break
			}
		}
	}
	if recs == nil {
		return nil, source.Errorf(name, 0, "", "no relationship records: want {\"data\": [...]} (GLEIF API) or {\"relations\": [...]} (golden copy)")
	}
	g := NewGraph()
	for i, rec := range recs {
		rel := jfind(rec, "relationship")
		if rel == nil {
			rel = jfind(jfind(rec, "RelationshipRecord"), "Relationship")
		}
		if rel == nil {
			rel = jfind(jfind(rec, "attributes"), "relationship")
		}
		where := "record " + strconv.Itoa(i+1)
		if rel == nil {
			return nil, source.Errorf(name, 0, where, "no relationship")
		}
		gr := gleifRel{
			start: jstr(rel, "startNode", "id"), startType: jstr(rel, "startNode", "type"),
			end: jstr(rel, "endNode", "id"), endType: jstr(rel, "endNode", "type"),
			typ: jstr(rel, "type"), status: jstr(rel, "status"),
		}
		if gr.start == "" {
			gr.start, gr.startType = jstr(rel, "StartNode", "NodeID"), jstr(rel, "StartNode", "NodeIDType")
			gr.end, gr.endType = jstr(rel, "EndNode", "NodeID"), jstr(rel, "EndNode", "NodeIDType")
			gr.typ, gr.status = jstr(rel, "RelationshipType"), jstr(rel, "RelationshipStatus")
		}
		ps := jfind(rel, "periods")
		if ps == nil {
			ps = jfind(jfind(rel, "RelationshipPeriods"), "RelationshipPeriod")
		}
		for _, p := range jlist(ps) {
			t := jstr(p, "type")
			if t == "" {
				t = jstr(p, "PeriodType")
			}
			if strings.EqualFold(t, "RELATIONSHIP_PERIOD") {
				gr.from, gr.to = jstr(p, "startDate"), jstr(p, "endDate")
			}
		}
		if _, err := gr.link(g, name+" "+where); err != nil {
			return nil, source.Errorf(name, 0, where, "%s", errorMsg(err))
		}
	}
	return g, nil
}

// jget returns o[k], matching the key case-insensitively.
func jget(o map[string]any, k string) any {
	if v, ok := o[k]; ok {
		return v
	}
	for kk, v := range o {
		if strings.EqualFold(kk, k) {
			return v
		}
	}
	return nil
}

// jfind walks keys from v; a {"$": x} wrapper (golden-copy JSON) is unwrapped.
func jfind(v any, keys ...string) any {
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = jget(o, k)
	}
	if o, ok := v.(map[string]any); ok {
		if x, ok := o["$"]; ok {
			return x
		}
	}
	return v
}

func jstr(v any, keys ...string) string {
	switch x := jfind(v, keys...).(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	}
	return ""
}

func jlist(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case nil:
		return nil
	}
	return []any{v}
}
