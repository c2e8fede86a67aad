package ownership

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// ReadBODS reads Open Ownership Beneficial Ownership Data Standard statements: a JSON array of statements or
// JSON Lines, in the 0.2/0.3 shape (statementType entityStatement, personStatement,
// ownershipOrControlStatement with statementID, subject.describedByEntityStatement,
// interestedParty.describedByEntityStatement|describedByPersonStatement, interests) or the 0.4 shape
// (recordType entity, person, relationship with recordId and recordDetails).
//
// Interests become links: a direct "shareholding" with a share gives its bounds (exact, or minimum ..
// maximum); an indirect shareholding gives only an upper bound (0 .. share), since the intermediate holders
// decide whether it counts; every other interest (voting rights, board appointment, influence or control ...)
// is control with an unknown share. Errors are *tradescreen.ParseError naming the statement.
func ReadBODS(r io.Reader, name string) (*Graph, error) {
	stmts, err := bodsStatements(r, name)
	if err != nil {
		return nil, err
	}
	g := NewGraph()
	ids := map[string]string{} // statement or record id -> party ID
	var rels []int
	for i, s := range stmts {
		st, details := jstr(s, "statementType"), any(s)
		id := jstr(s, "statementID")
		if rt := jstr(s, "recordType"); rt != "" { // 0.4
			st, details = rt+"Statement", jfind(s, "recordDetails")
			id = jstr(s, "recordId")
		}
		var p Party
		switch st {
		case "entityStatement":
			p = bodsEntity(details)
		case "personStatement":
			p = bodsPerson(details, id)
		case "ownershipOrControlStatement", "relationshipStatement":
			rels = append(rels, i)
			continue
		case "":
			return nil, source.Errorf(name, 0, "statement "+strconv.Itoa(i+1), "no statementType or recordType")
		default:
			continue
		}
		if pid := g.AddParty(p); pid != "" && id != "" {
			ids[id] = pid
		}
	}
	for _, i := range rels {
		if err := bodsRelationship(g, ids, stmts[i], i, name); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// bodsStatements reads the statements of a BODS file: one JSON array, or JSON Lines.
func bodsStatements(r io.Reader, name string) ([]map[string]any, error) {
	b, err := io.ReadAll(source.LimitReader(r, name, 1<<30))
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Msg: "read", Err: err}
	}
	var stmts []map[string]any
	if sniff(b) == '[' {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&stmts); err != nil {
			return nil, &tradescreen.ParseError{File: name, Msg: "invalid JSON", Err: err}
		}
		return stmts, nil
	}
	for i, ln := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(ln)) == 0 {
			continue
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(ln))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, &tradescreen.ParseError{File: name, Line: i + 1, Msg: "invalid JSON", Err: err}
		}
		stmts = append(stmts, m)
	}
	return stmts, nil
}

// bodsEntity is the party of an entity statement: its name, identifiers (LEIs under one scheme) and
// jurisdiction.
func bodsEntity(details any) Party {
	p := Party{Name: jstr(details, "name"), Kind: tradescreen.KindOrganization}
	for _, x := range jlist(jfind(details, "identifiers")) {
		scheme, num := jstr(x, "scheme"), jstr(x, "id")
		if num == "" {
			continue
		}
		if scheme == "" {
			scheme = jstr(x, "schemeName")
		}
		if strings.HasSuffix(strings.ToUpper(scheme), "-LEI") || strings.EqualFold(scheme, "XI-LEI") {
			scheme = "LEI"
		}
		p.Identifiers = append(p.Identifiers, tradescreen.Identifier{Type: strings.ToUpper(scheme), Number: num})
	}
	c := jstr(details, "incorporatedInJurisdiction", "code")
	if c == "" {
		c = jstr(details, "jurisdiction", "code")
	}
	p.Country = source.CountryCode(c)
	return p
}

// bodsPerson is the party of a person statement: its first name as the name, the others as aliases, the
// first nationality as its country.
func bodsPerson(details any, id string) Party {
	p := Party{Kind: tradescreen.KindPerson}
	for _, n := range jlist(jfind(details, "names")) {
		full := jstr(n, "fullName")
		if full == "" {
			full = strings.TrimSpace(jstr(n, "givenName") + " " + jstr(n, "familyName"))
		}
		if p.Name == "" {
			p.Name = full
		} else if full != "" && full != p.Name {
			p.Aliases = append(p.Aliases, full)
		}
	}
	for _, n := range jlist(jfind(details, "nationalities")) {
		if c := source.CountryCode(jstr(n, "code")); c != "" && p.Country == "" {
			p.Country = c
		}
	}
	if p.Name == "" {
		p.Name = "unnamed person " + id
	}
	return p
}

// bodsRelationship adds the links of relationship statement i (s): its interests between the parties its
// subject and interested party refer to. Errors name the statement.
func bodsRelationship(g *Graph, ids map[string]string, s map[string]any, i int, name string) error {
	where := "statement " + strconv.Itoa(i+1)
	if id := jstr(s, "statementID"); id != "" {
		where += " (" + id + ")"
	} else if id := jstr(s, "statementId"); id != "" {
		where += " (" + id + ")"
	}
	details := any(s)
	if jstr(s, "recordType") != "" {
		details = jfind(s, "recordDetails")
	}
	ref := func(side string) string {
		v := jfind(details, side)
		if str, ok := v.(string); ok { // 0.4: a recordId
			return str
		}
		for _, k := range []string{"describedByEntityStatement", "describedByPersonStatement"} {
			if x := jstr(v, k); x != "" {
				return x
			}
		}
		return ""
	}
	subj, party := ref("subject"), ref("interestedParty")
	if subj == "" || party == "" {
		return nil // an unspecified or unknown party: nothing to link
	}
	owned, ok1 := ids[subj]
	owner, ok2 := ids[party]
	if !ok1 || !ok2 {
		return source.Errorf(name, 0, where, "refers to a statement not in the file (%s -> %s)", party, subj)
	}
	if owner == owned {
		return nil
	}
	ls, err := bodsLinks(jlist(jfind(details, "interests")))
	if err != nil {
		return source.Errorf(name, 0, where, "%v", err)
	}
	for _, l := range ls {
		l.Owner, l.Owned, l.Origin = owner, owned, name+" "+where
		if err := g.AddLink(l); err != nil {
			return source.Errorf(name, 0, where, "%s", errorMsg(err))
		}
	}
	return nil
}

// bodsLinks turns a statement's interests into links: the shareholdings first; without any, one control link.
func bodsLinks(interests []any) ([]Link, error) {
	var out []Link
	var ctl *Link
	for _, in := range interests {
		typ := jstr(in, "type")
		start, err := parseDate(jstr(in, "startDate"))
		if err != nil {
			return nil, err
		}
		end, err := parseDate(jstr(in, "endDate"))
		if err != nil {
			return nil, err
		}
		if typ == "shareholding" && jfind(in, "share") != nil {
			lo, hi, err := bodsShare(jfind(in, "share"))
			if err != nil {
				return nil, err
			}
			l := Link{Min: lo, Max: hi, Start: start, End: end}
			if d := jstr(in, "directOrIndirect"); d == "indirect" {
				l.Min = 0
			}
			out = append(out, l)
			continue
		}
		if ctl == nil {
			ctl = &Link{Min: 0, Max: 100, Control: true, Start: start, End: end}
		}
	}
	if len(out) == 0 {
		if ctl == nil {
			ctl = &Link{Min: 0, Max: 100, Control: true}
		}
		out = append(out, *ctl)
	}
	return out, nil
}

func bodsShare(v any) (float64, float64, error) {
	num := func(k string) (float64, bool, error) {
		s := jstr(v, k)
		if s == "" {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 100 {
			return 0, false, errors.New("share " + k + " " + strconv.Quote(s) + " is not a percentage 0..100")
		}
		return f, true, nil
	}
	if x, ok, err := num("exact"); err != nil || ok {
		return x, x, err
	}
	lo, hi := 0.0, 100.0
	for _, k := range []string{"minimum", "exclusiveMinimum"} {
		if x, ok, err := num(k); err != nil {
			return 0, 0, err
		} else if ok {
			lo = x
		}
	}
	for _, k := range []string{"maximum", "exclusiveMaximum"} {
		if x, ok, err := num(k); err != nil {
			return 0, 0, err
		} else if ok {
			hi = x
		}
	}
	if lo > hi {
		return 0, 0, errors.New("share minimum above maximum")
	}
	return lo, hi, nil
}
