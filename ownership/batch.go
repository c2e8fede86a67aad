package ownership

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
)

// BatchLookup answers the 50 % rule findings for the names of batch rows, on one date: the ownership data's
// parties are resolved to list entries once (Resolve), then each row's names are looked up. It is safe for
// concurrent use. `tradescreen batch --ownership` and the server's batch jobs use it.
type BatchLookup struct {
	g     *Graph
	res   Resolution
	rules Rules
	date  string
	// found and owned count the rows found in the data and those owned under a rule that applies.
	found, owned atomic.Int64
}

// NewBatchLookup returns the lookup of g (resolved against the lists as res) under rules on date
// (YYYY-MM-DD).
func NewBatchLookup(g *Graph, res Resolution, rules Rules, date string) *BatchLookup {
	return &BatchLookup{g: g, res: res, rules: rules, date: date}
}

// Date is the date the rules are applied on.
func (l *BatchLookup) Date() string { return l.date }

// Counts returns how many rows were found in the ownership data and how many of them are owned by listed
// parties under a rule that applies.
func (l *BatchLookup) Counts() (found, owned int64) { return l.found.Load(), l.owned.Load() }

// BatchOwnership is the "ownership" member of a JSONL row: the parties of the ownership data that the row's
// names were found as (at most three per name, best first), each with its findings on Date.
type BatchOwnership struct {
	Date    string       `json:"date"`
	Parties []BatchParty `json:"parties"`
}

// BatchParty is a party of the ownership data that a row's name was found as, with its findings.
type BatchParty struct {
	// Query is the row's name that was found, Column its column when the row has several names.
	Query    string    `json:"query"`
	Column   string    `json:"column,omitempty"`
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Score    float64   `json:"score"`
	Findings []Finding `json:"findings"`
}

// Find returns the findings for a row's names (nil for a row that could not be screened).
func (l *BatchLookup) Find(o *screen.Outcome) *BatchOwnership {
	if o.Err != nil || o.Row == nil {
		return nil
	}
	names := o.Row.Names
	if len(names) == 0 && o.Row.Name != "" {
		names = []screen.Column{{Value: o.Row.Name}}
	}
	multi := len(names) > 1
	out := &BatchOwnership{Date: l.date, Parties: []BatchParty{}}
	seen := map[string]bool{}
	owned := false
	for _, n := range names {
		if strings.TrimSpace(n.Value) == "" {
			continue
		}
		ms := l.g.Find(n.Value, "", 0)
		if len(ms) > 3 {
			ms = ms[:3]
		}
		for _, pm := range ms {
			if seen[pm.Party.ID] {
				continue
			}
			seen[pm.Party.ID] = true
			fs := Evaluate(l.g, l.res, l.rules, pm.Party.ID, l.date)
			if fs == nil {
				fs = []Finding{}
			}
			for _, f := range fs {
				owned = owned || f.Applies
			}
			p := BatchParty{Query: n.Value, ID: pm.Party.ID, Name: pm.Party.Name, Score: pm.Score, Findings: fs}
			if multi {
				p.Column = n.Name
			}
			out.Parties = append(out.Parties, p)
		}
	}
	if len(out.Parties) > 0 {
		l.found.Add(1)
	}
	if owned {
		l.owned.Add(1)
	}
	return out
}

// Summary is the CSV ownership column: for each party found, its findings ("owned 50 % or more by listed
// parties (100 %, in the aggregate): <path>; rule bis_affiliates, in force (2025-09-29 .. 2025-11-09);
// licence: ..."), separated by " || ". Empty when no name of the row is in the ownership data.
func (b *BatchOwnership) Summary() string {
	if b == nil {
		return ""
	}
	var out []string
	for _, p := range b.Parties {
		if len(p.Findings) == 0 {
			out = append(out, fmt.Sprintf("%s: no listed owner under any rule in force on %s", p.Name, b.Date))
			continue
		}
		for _, f := range p.Findings {
			state := "in force"
			if f.Status == Suspended {
				state = "suspended"
			}
			s := fmt.Sprintf("%s: %s", p.Name, f.Summary)
			if len(f.Paths) > 0 {
				s += ": " + strings.Join(f.Paths, " | ")
			}
			s += fmt.Sprintf("; rule %s, %s (%s); licence: %s", f.Rule, state, f.Period, f.Licence)
			if f.Confidence < 1 {
				s += fmt.Sprintf("; owners resolved by name (lowest score %.2f): confirm the identity", f.Confidence)
			}
			out = append(out, s)
		}
	}
	return strings.Join(out, " || ")
}

// BatchJSONLWriter writes the JSONL output of screen.NewJSONLWriter with an "ownership" member added
// as the last member of each screened row.
type BatchJSONLWriter struct {
	w     *bufio.Writer
	buf   bytes.Buffer
	inner screen.RowWriter
	look  *BatchLookup
}

// NewBatchJSONLWriter returns the JSONL writer with the ownership member, over w.
func NewBatchJSONLWriter(w io.Writer, look *BatchLookup) *BatchJSONLWriter {
	o := &BatchJSONLWriter{w: bufio.NewWriterSize(w, 64<<10), look: look}
	o.inner = screen.NewJSONLWriter(&o.buf)
	return o
}

func (o *BatchJSONLWriter) Write(out *screen.Outcome) error {
	o.buf.Reset()
	if err := o.inner.Write(out); err != nil {
		return err
	}
	if err := o.inner.(screen.Flusher).Flush(); err != nil {
		return err
	}
	line := bytes.TrimRight(o.buf.Bytes(), "\n")
	if own := o.look.Find(out); own != nil {
		if len(line) == 0 || line[len(line)-1] != '}' {
			return tradescreen.Errorf(tradescreen.EINTERNAL, "batch JSONL row is not an object")
		}
		var mb bytes.Buffer
		enc := json.NewEncoder(&mb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(own); err != nil {
			return err
		}
		line = append(line[:len(line)-1], `,"ownership":`...)
		line = append(line, bytes.TrimRight(mb.Bytes(), "\n")...)
		line = append(line, '}')
	}
	o.w.Write(line)
	return o.w.WriteByte('\n')
}

func (o *BatchJSONLWriter) Flush() error { return o.w.Flush() }
func (o *BatchJSONLWriter) Close() error { return o.w.Flush() }

// BatchCSVWriter writes the CSV output of screen's CSV writer with an "ownership" column added last.
// Each record the inner writer produces is taken as bytes and the column appended, so the other columns are
// byte for byte those of a run without --ownership.
type BatchCSVWriter struct {
	w       *bufio.Writer
	buf     bytes.Buffer
	inner   screen.RowWriter
	look    *BatchLookup
	started bool
}

// NewBatchCSVWriter starts a CSV output, or continues one whose header (ownership column included) is
// resumed.
func NewBatchCSVWriter(w io.Writer, look *BatchLookup, resumed []string) (*BatchCSVWriter, error) {
	o := &BatchCSVWriter{w: bufio.NewWriterSize(w, 64<<10), look: look}
	if len(resumed) == 0 {
		o.inner = screen.NewCSVWriter(&o.buf)
		return o, nil
	}
	if resumed[len(resumed)-1] != "ownership" {
		return nil, errors.New("cannot resume: the partial CSV output has no ownership column")
	}
	inner, err := screen.NewCSVWriterResumed(&o.buf, resumed[:len(resumed)-1])
	if err != nil {
		return nil, err
	}
	o.inner, o.started = inner, true
	return o, nil
}

// Header returns the header written (nil before the first row).
func (o *BatchCSVWriter) Header() []string {
	h := o.inner.(interface{ Header() []string }).Header()
	if h == nil {
		return nil
	}
	return append(append([]string(nil), h...), "ownership")
}

func (o *BatchCSVWriter) Write(out *screen.Outcome) error {
	o.buf.Reset()
	if err := o.inner.Write(out); err != nil {
		return err
	}
	if err := o.inner.(screen.Flusher).Flush(); err != nil {
		return err
	}
	b := o.buf.Bytes()
	if !o.started {
		// The first write also wrote the header: its length is that of the header encoded alone.
		var hb bytes.Buffer
		cw := csv.NewWriter(&hb)
		cw.Write(o.inner.(interface{ Header() []string }).Header())
		cw.Flush()
		if !bytes.HasPrefix(b, hb.Bytes()) {
			return tradescreen.Errorf(tradescreen.EINTERNAL, "batch CSV header not as expected")
		}
		o.w.Write(bytes.TrimSuffix(hb.Bytes(), []byte("\n")))
		o.w.WriteString(",ownership\n")
		b = b[hb.Len():]
		o.started = true
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return tradescreen.Errorf(tradescreen.EINTERNAL, "batch CSV record not as expected")
	}
	o.w.Write(b[:len(b)-1])
	o.w.WriteByte(',')
	o.w.WriteString(csvQuote(o.look.Find(out).Summary()))
	return o.w.WriteByte('\n')
}

func (o *BatchCSVWriter) Flush() error { return o.w.Flush() }
func (o *BatchCSVWriter) Close() error { return o.w.Flush() }

// csvQuote is s as one CSV field.
func csvQuote(s string) string {
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s, "\",\r\n") && s[0] != ' ' && s[0] != '\t' {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
