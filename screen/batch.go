package screen

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Row is one party read from a batch input file.
type Row struct {
	// Line is the 1-based line (CSV: of the record's first line) the row was read from.
	Line    int
	ID      string
	Name    string
	Type    string
	Country string
	// Columns are every input column in input order, carried through to the output.
	Columns []Column
}

// Column is one named input value.
type Column struct {
	Name, Value string
}

// RowReader yields rows until io.EOF.
type RowReader interface {
	Read() (*Row, error)
}

// Outcome is a screened row: its matches or the error that kept it from being screened.
type Outcome struct {
	Row     *Row
	Matches []tradescreen.Match
	Err     error
	// Warnings say what of the row was not used (a type or country that could not be read): the name was
	// screened all the same.
	Warnings []string
}

// RowWriter writes outcomes in input order.
type RowWriter interface {
	Write(o *Outcome) error
	Close() error
}

// BatchOptions set how a batch is screened.
type BatchOptions struct {
	Threshold float64
	Limit     int
	Sources   []string
	// Workers is the number of goroutines screening; 0 means one per CPU.
	Workers int
	// Progress, when set, is called after each row is written with the number of rows done.
	Progress func(done int)
}

// BatchStats summarize a batch run.
type BatchStats struct {
	Rows, WithMatches, Matches, Errors int
}

// RunBatch screens every row of r with s and writes the outcomes to w in input order. A row that cannot be
// screened (an empty name) is written with its error and counted; a read error stops the run.
func RunBatch(ctx context.Context, s *Screener, r RowReader, w RowWriter, opt BatchOptions) (BatchStats, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		seq int
		row *Row
	}
	type done struct {
		seq int
		out *Outcome
	}
	jobs := make(chan job, workers*16)
	results := make(chan done, workers*16)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var readErr error
	go func() {
		defer close(jobs)
		for seq := 0; ; seq++ {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				readErr = err
				return
			}
			select {
			case jobs <- job{seq, row}:
			case <-ctx.Done():
				return
			}
		}
	}()
	finished := make(chan struct{})
	for i := 0; i < workers; i++ {
		go func() {
			defer func() { finished <- struct{}{} }()
			for j := range jobs {
				o := &Outcome{Row: j.row}
				q := tradescreen.Query{Name: j.row.Name, Threshold: opt.Threshold, Limit: opt.Limit, Sources: opt.Sources}
				// An optional column the screener cannot read ("Supplier" as a type) must not keep the name
				// from being screened: it is left out, with a warning.
				if t := strings.TrimSpace(j.row.Type); t != "" {
					if k := tradescreen.ParseKind(t); k != tradescreen.KindUnknown {
						q.Kind = k
					} else if !strings.EqualFold(t, "unknown") {
						o.Warnings = append(o.Warnings, fmt.Sprintf("type %q not read (want person, organization, vessel or aircraft): screened without it", t))
					}
				}
				if c := strings.TrimSpace(j.row.Country); c != "" {
					if cc := source.CountryCode(c); cc != "" {
						q.Country = cc
					} else {
						o.Warnings = append(o.Warnings, fmt.Sprintf("country %q not read: screened without it", c))
					}
				}
				if res, err := s.Screen(q); err != nil {
					o.Err = err
				} else {
					o.Matches = res.Matches
				}
				select {
				case results <- done{j.seq, o}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		for i := 0; i < workers; i++ {
			<-finished
		}
		close(results)
	}()

	var st BatchStats
	pending := map[int]*Outcome{}
	next := 0
	var werr error
	for d := range results {
		if werr != nil {
			continue
		}
		pending[d.seq] = d.out
		for {
			o, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := w.Write(o); err != nil {
				werr = err
				cancel()
				break
			}
			st.Rows++
			if o.Err != nil {
				st.Errors++
			} else if len(o.Matches) > 0 {
				st.WithMatches++
				st.Matches += len(o.Matches)
			}
			if opt.Progress != nil {
				opt.Progress(st.Rows)
			}
		}
	}
	if werr != nil {
		return st, werr
	}
	if err := ctx.Err(); err != nil && readErr == nil {
		return st, err
	}
	return st, readErr
}

// MaxFieldLength bounds one input field.
const MaxFieldLength = 64 << 10

// csvReader reads a CSV file with a header row.
type csvReader struct {
	name    string
	r       *csv.Reader
	header  []string
	idx     map[string]int
	nameCol int
}

// columnAliases are the header names recognized for each role, lower-cased.
var columnAliases = map[string][]string{
	"name":    {"name", "party_name", "party", "full_name", "fullname", "company_name", "company", "customer_name", "customer", "entity_name", "organization", "organisation"},
	"id":      {"id", "party_id", "customer_id", "customer_number", "account", "account_id", "ref", "reference"},
	"type":    {"type", "kind", "party_type", "entity_type", "schema"},
	"country": {"country", "country_code", "countrycode", "nation"},
}

// NewCSVReader reads CSV with a header row naming at least a name column (name, party_name, company_name,
// customer_name ...). name is the file name used in errors. A UTF-8 BOM is skipped; the delimiter is
// detected among comma, semicolon, tab and pipe.
func NewCSVReader(r io.Reader, name string) (RowReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	delim := ','
	if first, err := br.Peek(4096); len(first) > 0 || err == nil {
		line := string(first)
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		best := strings.Count(line, ",")
		for _, d := range []rune{';', '\t', '|'} {
			if n := strings.Count(line, string(d)); n > best {
				best, delim = n, d
			}
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "empty file: a header row with a name column is required"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	c := &csvReader{name: name, r: cr, header: header, idx: map[string]int{}}
	for i, h := range header {
		c.idx[headerKey(h)] = i
	}
	c.nameCol = c.find("name")
	if c.nameCol < 0 {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Field: "name",
			Msg: fmt.Sprintf("no name column in the header (found: %s); name the column 'name'", strings.Join(header, ", "))}
	}
	return c, nil
}

// headerKey folds a column name for matching: "Company Name", "company-name" and "company_name" are one.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' {
			return '_'
		}
		return r
	}, h)
}

func (c *csvReader) find(role string) int {
	for _, a := range columnAliases[role] {
		if i, ok := c.idx[a]; ok {
			return i
		}
	}
	return -1
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &tradescreen.ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &tradescreen.ParseError{File: name, Msg: err.Error()}
}

func (c *csvReader) Read() (*Row, error) {
	rec, err := c.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, csvError(c.name, err)
	}
	line, _ := c.r.FieldPos(0)
	row := &Row{Line: line}
	get := func(i int) string {
		if i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for i, h := range c.header {
		v := get(i)
		if len(v) > MaxFieldLength {
			return nil, &tradescreen.ParseError{File: c.name, Line: line, Field: h, Msg: fmt.Sprintf("field longer than %d bytes", MaxFieldLength)}
		}
		if !utf8.ValidString(v) {
			return nil, &tradescreen.ParseError{File: c.name, Line: line, Field: h, Msg: "not valid UTF-8"}
		}
		row.Columns = append(row.Columns, Column{h, v})
	}
	row.Name = get(c.nameCol)
	row.ID = get(c.find("id"))
	row.Type = get(c.find("type"))
	row.Country = get(c.find("country"))
	return row, nil
}

// jsonlReader reads one JSON object per line.
type jsonlReader struct {
	name string
	sc   *bufio.Scanner
	line int
}

// NewJSONLReader reads JSON Lines: one object per line with a "name" and optional "id", "type", "country";
// every other member is carried through. Blank lines are skipped.
func NewJSONLReader(r io.Reader, name string) RowReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4*MaxFieldLength)
	return &jsonlReader{name: name, sc: sc}
}

func (j *jsonlReader) Read() (*Row, error) {
	for j.sc.Scan() {
		j.line++
		b := j.sc.Bytes()
		if j.line == 1 && len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			b = b[3:]
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		row, err := j.parse(b)
		if err != nil {
			return nil, err
		}
		return row, nil
	}
	if err := j.sc.Err(); err != nil {
		return nil, &tradescreen.ParseError{File: j.name, Line: j.line + 1, Msg: err.Error()}
	}
	return nil, io.EOF
}

// parse reads one JSONL line into a row, keeping the members in their order.
func (j *jsonlReader) parse(b []byte) (*Row, error) {
	bad := func(field, msg string) error {
		return &tradescreen.ParseError{File: j.name, Line: j.line, Field: field, Msg: msg}
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad("", "not a JSON object")
	}
	row := &Row{Line: j.line}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad("", "not a JSON object: "+err.Error())
		}
		k, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, bad(k, "bad value: "+err.Error())
		}
		if seen[k] {
			return nil, bad(k, "member given twice")
		}
		seen[k] = true
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case json.Number:
			s = x.String()
		case nil:
		default:
			bb, _ := json.Marshal(x)
			s = string(bb)
		}
		if len(s) > MaxFieldLength {
			return nil, bad(k, fmt.Sprintf("longer than %d bytes", MaxFieldLength))
		}
		switch strings.ToLower(k) {
		case "name":
			if _, ok := v.(string); !ok && v != nil {
				return nil, bad("name", "must be a string")
			}
			row.Name = strings.TrimSpace(s)
		case "id":
			row.ID = s
		case "type":
			row.Type = s
		case "country":
			row.Country = s
		}
		row.Columns = append(row.Columns, Column{k, s})
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad("", "not a JSON object: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("", "more than one JSON value on the line (one object per line)")
	}
	return row, nil
}

// jsonlWriter writes one JSON object per outcome.
type jsonlWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewJSONLWriter writes {"id", "name", "matches": [...]} per row (PRODUCT.md's batch format), with the row's
// line, its other input columns under "columns" and, for a row that could not be screened, "error".
func NewJSONLWriter(w io.Writer) RowWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{w: bw, enc: enc}
}

type jsonlOut struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Line     int               `json:"line"`
	Matches  []MatchView       `json:"matches"`
	Error    string            `json:"error,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
	Columns  map[string]string `json:"columns,omitempty"`
}

func (j *jsonlWriter) Write(o *Outcome) error {
	out := jsonlOut{ID: o.Row.ID, Name: o.Row.Name, Line: o.Row.Line, Matches: Views(o.Matches), Warnings: o.Warnings}
	if out.Matches == nil {
		out.Matches = []MatchView{}
	}
	if o.Err != nil {
		out.Error = tradescreen.ErrorMessage(o.Err)
	}
	if len(o.Row.Columns) > 0 {
		out.Columns = make(map[string]string, len(o.Row.Columns))
		for _, c := range o.Row.Columns {
			out.Columns[c.Name] = c.Value
		}
	}
	return j.enc.Encode(out)
}

func (j *jsonlWriter) Close() error { return j.w.Flush() }

// csvWriter writes the input columns followed by the screening columns.
type csvWriter struct {
	w       *csv.Writer
	started bool
	header  []string
}

// CSVColumns are the columns the CSV output adds after the input's own.
var CSVColumns = []string{"match_count", "best_score", "best_source", "best_source_id", "best_name", "best_matched_name", "matches", "error", "warnings"}

// NewCSVWriter writes CSV: the input columns, then match_count, best_score, best_source, best_source_id,
// best_name, best_matched_name, matches (every match as source:source_id:score, separated by "; "), error and
// warnings.
func NewCSVWriter(w io.Writer) RowWriter {
	return &csvWriter{w: csv.NewWriter(w)}
}

func (c *csvWriter) Write(o *Outcome) error {
	if !c.started {
		for _, col := range o.Row.Columns {
			c.header = append(c.header, col.Name)
		}
		if err := c.w.Write(append(append([]string(nil), c.header...), CSVColumns...)); err != nil {
			return err
		}
		c.started = true
	}
	// The first row's columns make the header; later rows fill it by column name (JSONL rows may differ).
	rec := make([]string, len(c.header), len(c.header)+len(CSVColumns))
	for i, col := range o.Row.Columns {
		if i < len(c.header) && c.header[i] == col.Name {
			rec[i] = col.Value
			continue
		}
		for k, h := range c.header {
			if h == col.Name {
				rec[k] = col.Value
			}
		}
	}
	var best [6]string
	best[0] = strconv.Itoa(len(o.Matches))
	var all []string
	for i, m := range o.Matches {
		if i == 0 {
			best[1] = strconv.FormatFloat(m.Score, 'f', 3, 64)
			best[2], best[3], best[4], best[5] = m.Source, m.SourceID, m.Name, m.MatchedName
		}
		all = append(all, fmt.Sprintf("%s:%s:%.3f", m.Source, m.SourceID, m.Score))
	}
	errText := ""
	if o.Err != nil {
		errText = tradescreen.ErrorMessage(o.Err)
	}
	rec = append(rec, best[:]...)
	rec = append(rec, strings.Join(all, "; "), errText, strings.Join(o.Warnings, "; "))
	return c.w.Write(rec)
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}
