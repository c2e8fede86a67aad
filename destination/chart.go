package destination

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/licence"
)

// The Commerce Country Chart (Supplement No. 1 to Part 738) and the reasons for control of the ECCNs
// (Supplement No. 1 to Part 774), as data: chart.csv holds the rows of the destinations modelled, with the
// columns marked; ccl.csv the License Requirements of the ECCNs modelled, each row one reason for control,
// its chart column and the paragraphs it applies to. Column "EI" is not a chart column: encryption items need
// a licence to every destination but Canada (§ 742.15(a)).

// ChartRow is a destination's row of the Commerce Country Chart.
type ChartRow struct {
	Country string `json:"country"`
	// From and To are the first and last days the row is known to hold; empty is unbounded.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Columns are the columns marked ("NS1"); Unverified the columns whose mark is not verified.
	Columns    []string `json:"columns"`
	Unverified []string `json:"unverified,omitempty"`
	Citation   string   `json:"citation"`
	Note       string   `json:"note,omitempty"`
	// Verified says against what text the row was checked; empty when it was transcribed and not checked
	// against the current eCFR text, which every answer reading it says.
	Verified string `json:"verified,omitempty"`
}

func (r *ChartRow) has(col string, in []string) bool {
	for _, c := range in {
		if c == col {
			return true
		}
	}
	return false
}

// Control is one reason for control of an ECCN (a License Requirements row).
type Control struct {
	ECCN   string `json:"eccn"`
	Reason string `json:"reason"`
	Column string `json:"column"`
	// Paragraphs are the paragraphs the reason applies to; empty is the entire entry.
	Paragraphs []string `json:"paragraphs,omitempty"`
	Condition  string   `json:"condition,omitempty"`
	Citation   string   `json:"citation"`
	// Verified says against what text the row was checked; empty when it was not.
	Verified string `json:"verified,omitempty"`
}

// Chart is the loaded Country Chart and reasons for control.
type Chart struct {
	rows  map[string][]ChartRow
	eccns map[string][]Control
}

//go:embed chart.csv
var chartCSV string

//go:embed ccl.csv
var cclCSV string

// DefaultChart returns the compiled-in chart (chart.csv, ccl.csv). It panics if they do not parse, which a
// test prevents.
func DefaultChart() *Chart {
	c, err := ParseChart(strings.NewReader(chartCSV), strings.NewReader(cclCSV))
	if err != nil {
		panic(err)
	}
	return c
}

var chartColumns = map[string]bool{"CB1": true, "CB2": true, "CB3": true, "NP1": true, "NP2": true, "NS1": true, "NS2": true,
	"MT1": true, "RS1": true, "RS2": true, "FC1": true, "CC1": true, "CC2": true, "CC3": true, "AT1": true, "AT2": true}

// ParseChart reads the chart rows (chart.csv layout) and the reasons for control (ccl.csv layout). Errors
// are *tradescreen.ParseError naming the file, line and field.
func ParseChart(rows, ccl io.Reader) (*Chart, error) {
	c := &Chart{rows: map[string][]ChartRow{}, eccns: map[string][]Control{}}
	err := readCSV(rows, "chart.csv", []string{"country", "from", "to", "columns", "unverified", "citation", "note", "verified"}, func(rec []string, bad func(string, string) error) error {
		r := ChartRow{Country: rec[0], From: rec[1], To: rec[2], Columns: split(rec[3]), Unverified: split(rec[4]), Citation: rec[5], Note: rec[6], Verified: rec[7]}
		switch {
		case len(r.Country) != 2 || strings.ToUpper(r.Country) != r.Country:
			return bad("country", "not an ISO 3166-1 alpha-2 code: "+quote(r.Country))
		case !isDate(r.From) || !isDate(r.To):
			return bad("from", "not YYYY-MM-DD")
		case r.Citation == "":
			return bad("citation", "every row needs a citation")
		}
		for _, col := range append(append([]string(nil), r.Columns...), r.Unverified...) {
			if !chartColumns[col] {
				return bad("columns", "not a chart column: "+quote(col))
			}
		}
		c.rows[r.Country] = append(c.rows[r.Country], r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(ccl, "ccl.csv", []string{"eccn", "reason", "column", "paragraphs", "condition", "citation", "verified"}, func(rec []string, bad func(string, string) error) error {
		ct := Control{ECCN: rec[0], Reason: rec[1], Column: rec[2], Paragraphs: split(rec[3]), Condition: rec[4], Citation: rec[5], Verified: rec[6]}
		switch {
		case len(ct.ECCN) != 5 || !licence.ValidECCN(ct.ECCN):
			return bad("eccn", "not a five-character ECCN: "+quote(ct.ECCN))
		case !chartColumns[ct.Column] && ct.Column != "EI":
			return bad("column", "not a chart column or EI: "+quote(ct.Column))
		case ct.Citation == "":
			return bad("citation", "every row needs a citation")
		}
		for _, p := range ct.Paragraphs {
			if !strings.HasPrefix(p, ct.ECCN+".") {
				return bad("paragraphs", "not a paragraph of "+ct.ECCN+": "+quote(p))
			}
		}
		c.eccns[ct.ECCN] = append(c.eccns[ct.ECCN], ct)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// readCSV reads a CSV file with the given header, calling row for each record.
func readCSV(rd io.Reader, name string, header []string, row func(rec []string, bad func(field, msg string) error) error) error {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = len(header)
	head, err := cr.Read()
	if err != nil {
		return &tradescreen.ParseError{File: name, Line: 1, Msg: "header", Err: err}
	}
	for i, h := range header {
		if head[i] != h {
			return &tradescreen.ParseError{File: name, Line: 1, Field: h, Msg: "column " + head[i] + " where " + h + " is expected"}
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return &tradescreen.ParseError{File: name, Line: line, Err: err}
		}
		bad := func(field, msg string) error {
			return &tradescreen.ParseError{File: name, Line: line, Field: field, Msg: msg}
		}
		if err := row(rec, bad); err != nil {
			return err
		}
	}
}

// Row returns the chart row of country in force on date, nil when the row is not modelled.
func (c *Chart) Row(country, date string) *ChartRow {
	for i := range c.rows[strings.ToUpper(country)] {
		r := &c.rows[strings.ToUpper(country)][i]
		if (r.From == "" || date >= r.From) && (r.To == "" || date <= r.To) {
			return r
		}
	}
	return nil
}

// Controls returns the reasons for control of an ECCN (by its first five characters); nil when the ECCN is
// not modelled.
func (c *Chart) Controls(eccn string) []Control {
	if len(eccn) < 5 {
		return nil
	}
	return c.eccns[strings.ToUpper(eccn[:5])]
}

// ControlAnswer is one reason for control of an item read against a destination's row.
type ControlAnswer struct {
	Control
	// Applies says whether the control applies to the item's paragraph (MayCover: the item's ECCN is less
	// precise than the paragraphs it applies to).
	Applies Coverage `json:"applies"`
	// Marked is whether the destination's column is marked (for EI: every destination but Canada);
	// Unverified that the mark is not verified.
	Marked     bool `json:"marked"`
	Unverified bool `json:"unverified,omitempty"`
}

// ChartAnswer is the Country Chart's answer for one item to one destination.
type ChartAnswer struct {
	ECCN    string `json:"eccn"`
	Country string `json:"country"`
	// Modelled is false when the ECCN or the destination's row is not modelled: then nothing was checked and
	// Required is MayCover.
	Modelled bool            `json:"modelled"`
	Row      *ChartRow       `json:"row,omitempty"`
	Controls []ControlAnswer `json:"controls,omitempty"`
	// Required is Covered when a licence is required, MayCover when it may be, NotCovered when the chart
	// requires none for the item.
	Required Coverage `json:"required"`
	Text     string   `json:"text"`
}

// Answer reads an item's reasons for control against country's chart row on date. The item is on the CCL
// (not EAR99).
func (c *Chart) Answer(it licence.Item, country, date string) ChartAnswer {
	a := ChartAnswer{ECCN: it.ECCN, Country: country, Required: MayCover}
	ctrls := c.Controls(it.ECCN)
	a.Row = c.Row(country, date)
	switch {
	case ctrls == nil:
		a.Text = fmt.Sprintf("ECCN %s is not modelled: its reasons for control were not checked against the Commerce Country Chart, so a licence may be required", it.ECCN)
		return a
	case a.Row == nil:
		a.Text = fmt.Sprintf("the Commerce Country Chart row for %s on %s is not modelled: %s was not checked against it, so a licence may be required", country, date, it.ECCN)
		return a
	}
	a.Modelled, a.Required = true, NotCovered
	var req, may, not []string
	for _, ct := range ctrls {
		ca := ControlAnswer{Control: ct, Applies: paragraphCoverage(it.ECCN, ct.Paragraphs)}
		if ct.Column == "EI" {
			ca.Marked = strings.ToUpper(country) != "CA"
		} else {
			ca.Marked = a.Row.has(ct.Column, a.Row.Columns)
			ca.Unverified = a.Row.has(ct.Column, a.Row.Unverified)
		}
		a.Controls = append(a.Controls, ca)
		label := ct.Reason + " (" + ct.Column + ")"
		if len(ct.Paragraphs) > 0 {
			label = ct.Reason + " (" + ct.Column + ", " + strings.Join(ct.Paragraphs, ", ") + ")"
		}
		switch {
		case ca.Applies == NotCovered:
		case ca.Unverified:
			may = append(may, label+": mark not verified")
		case !ca.Marked:
			not = append(not, label)
		case ca.Applies == MayCover || (ct.Condition != "" && len(ct.Paragraphs) > 0):
			cond := ct.Condition
			if cond == "" {
				// A row that names paragraphs without a description (3A001.z.3).
				cond = "the item falls under " + strings.Join(ct.Paragraphs, " or ")
			}
			may = append(may, label+": if "+cond)
		case ct.Condition != "":
			req = append(req, label+": "+ct.Condition)
		default:
			req = append(req, label)
		}
	}
	a.Text = chartText(&a, req, may, not) + unverifiedText(&a)
	return a
}

// unverifiedText names what the answer read that was not checked against the current eCFR text: the chart
// row and the reasons for control that apply to the item.
func unverifiedText(a *ChartAnswer) string {
	var out []string
	if a.Row.Verified == "" {
		out = append(out, "the chart row for "+a.Country)
	}
	for _, ca := range a.Controls {
		if ca.Verified == "" && ca.Applies != NotCovered {
			out = append(out, ca.ECCN+" "+ca.Reason+" ("+ca.Column+")")
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "; not verified against the current eCFR text (transcribed from the chart and the CCL): " + strings.Join(out, ", ")
}

// chartText words a modelled answer and sets its Required.
func chartText(a *ChartAnswer, req, may, not []string) string {
	var parts []string
	if len(req) > 0 {
		a.Required = Covered
		parts = append(parts, "licence required for "+strings.Join(req, "; "))
	}
	if len(may) > 0 {
		if a.Required != Covered {
			a.Required = MayCover
		}
		parts = append(parts, "licence may be required for "+strings.Join(may, "; "))
	}
	if len(not) > 0 {
		parts = append(parts, "no licence required by the chart for "+strings.Join(not, "; ")+" (column not marked for "+a.Country+")")
	}
	if len(parts) == 0 {
		parts = append(parts, "no reason for control of "+a.ECCN+" applies to the item's paragraph")
	}
	return fmt.Sprintf("%s to %s (Commerce Country Chart row %s): %s", a.ECCN, a.Country, a.Country, strings.Join(parts, "; "))
}

// paragraphCoverage says whether a control on paragraphs covers an item classified eccn: Covered when it
// applies to the entire entry or the item is one of the paragraphs or under one, MayCover when a paragraph
// is under the item's (the item's classification is less precise), NotCovered otherwise.
func paragraphCoverage(eccn string, paragraphs []string) Coverage {
	if len(paragraphs) == 0 {
		return Covered
	}
	item := strings.ToLower(eccn)
	out := NotCovered
	for _, p := range paragraphs {
		p = strings.ToLower(p)
		switch {
		case item == p || strings.HasPrefix(item, p+"."):
			return Covered
		case strings.HasPrefix(p, item+"."):
			out = MayCover
		}
	}
	return out
}
