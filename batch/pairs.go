package batch

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/csvsafe"
	"github.com/tradescreen/tradescreen/match"
)

// Comparer scores name a against name b, both read as kind (unknown: inferred), as the screening service
// does (screening.Service.Comparer).
type Comparer func(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation)

// KindOfSchema maps the schema column of a pairs file (FollowTheMoney schema names: Person, Company,
// Organization, LegalEntity, PublicBody, Vessel, Airplane) to a Kind; "" for anything else.
func KindOfSchema(s string) tradescreen.Kind {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person":
		return tradescreen.KindPerson
	case "company", "organization", "organisation", "legalentity", "publicbody":
		return tradescreen.KindOrganization
	case "vessel":
		return tradescreen.KindVessel
	case "airplane", "aircraft":
		return tradescreen.KindAircraft
	}
	return ""
}

// ScorePairs reads a CSV of name pairs (a header with name1 and name2, and optionally schema, read with
// KindOfSchema) from r and writes it to w with two columns added: score (three decimals) and match (true
// when the score reaches match.DefaultThreshold). Names such as "=HYPERLINK(...)" are written so that a
// spreadsheet shows them (csvsafe). name names the input in errors. Errors: EINVALID for a header without
// name1 and name2, *tradescreen.ParseError for a row without them, the CSV reader's and the writer's.
func ScorePairs(r io.Reader, name string, w io.Writer, cmp Comparer) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	i1, ok1 := col["name1"]
	i2, ok2 := col["name2"]
	if !ok1 || !ok2 {
		return tradescreen.Errorf(tradescreen.EINVALID, "%s: header needs name1 and name2 columns, found: %s", name, strings.Join(header, ", "))
	}
	is, hasSchema := col["schema"]
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(append(header, "score", "match")); err != nil {
		return err
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if i1 >= len(rec) || i2 >= len(rec) {
			return &tradescreen.ParseError{File: name, Line: line, Msg: fmt.Sprintf("%d fields, name1/name2 missing", len(rec))}
		}
		var k tradescreen.Kind
		if hasSchema && is < len(rec) {
			k = KindOfSchema(rec[is])
		}
		score, _ := cmp(rec[i1], rec[i2], k)
		if err := cw.Write(append(rec, strconv.FormatFloat(score, 'f', 3, 64), strconv.FormatBool(score >= match.DefaultThreshold))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
