// Package ecfr reads the Entity List from the law itself: Supplement No. 4 to 15 CFR Part 744 in the XML the
// eCFR serves (https://www.ecfr.gov/api/versioner/v1/full/{DATE}/title-15.xml?part=744).
//
// The supplement is a table under <DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX">: rows <TR> of five
// <TD> cells (Country, Entity, License requirement, License review policy, Federal Register citation), the
// country cell blank on rows that continue the country above, header rows of <TH>, inline <E> and <br/> in
// the cells and footnote marks (<SU>, or a bare number after the text they qualify). The Entity cell holds
// the name, the aliases ("a.k.a., the following 2 aliases: —A; and —B.") and the addresses, separated by
// punctuation only; the reader splits them by the rules in entity.go. Every row becomes one tradescreen.Entry
// of list us_el; "[Reserved]" rows are counted and skipped. The law gives entries no identifier: SourceID is
// derived from the country and the name ("el-CN-3f9a0c12d4"), stable while both stay the same.
package ecfr

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/fedreg"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format kind this package registers ("--list ecfr=title-15.xml").
const Kind = "ecfr"

// Source is the list code of every entry read by this package.
const Source = "us_el"

// ListURL is the eCFR page of Supplement No. 4 to Part 744, set as each entry's SourceListURL.
const ListURL = "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744/appendix-Supplement%20No.%204%20to%20Part%20744"

// Limits that keep a hostile or broken file from exhausting memory: the longest real Entity cell (2026) is
// about 6 KB.
const (
	maxCellBytes = 256 << 10
	maxCells     = 16
)

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "eCFR XML of 15 CFR Part 744 with Supplement No. 4, the Entity List (us_el); .gz accepted",
		Open:        Open,
	})
}

// Open reads the eCFR XML at path (plain or gzip-compressed). Errors are *tradescreen.Error (EINVALID) when
// the file cannot be read and *tradescreen.ParseError when its content is not Part 744 with Supplement No. 4.
func Open(path string) (*source.Dataset, error) {
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, filepath.Base(path))
}

var nameDate = regexp.MustCompile(`(\d{4}-\d{2}-\d{2})`)

// Parse reads the Entity List from eCFR XML in b (plain or gzip-compressed); name is the file name used in
// errors and as the version's Origin. The publication date is the date in the file name (the eCFR date the
// file was fetched for: "title-15_2026-07-09.xml"), else the date in the file's own <AMDDATE>, else unknown.
// Errors are *tradescreen.ParseError naming the file, line and column: not XML, no Supplement No. 4, a row
// without its five cells, an entity cell without a name.
func Parse(b []byte, name string) (*source.Dataset, error) {
	sum := source.SHA256(b)
	data, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, source.Errorf(name, 0, "", "empty file")
	}
	p := &parser{name: name, ids: map[string]int{}}
	if err := p.parse(data); err != nil {
		return nil, err
	}
	if !p.found {
		return nil, source.Errorf(name, 0, "", "no Supplement No. 4 to Part 744 (<DIV9 N=\"Supplement No. 4 to Part 744\">) in this file")
	}
	lv := tradescreen.ListVersion{Source: Source, Entries: len(p.entries), Names: source.CountNames(p.entries),
		Origin: name, Format: Kind, SHA256: sum}
	if m := nameDate.FindString(name); m != "" {
		lv.Published, lv.PublishedNote = m, "the eCFR date in the file name"
	} else if p.amdDate != "" {
		lv.Published, lv.PublishedNote = p.amdDate, "the file's <AMDDATE>"
	}
	return &source.Dataset{Lists: []tradescreen.ListVersion{lv}, Entries: p.entries}, nil
}

// parser holds the state of one Parse.
type parser struct {
	name      string
	entries   []tradescreen.Entry
	ids       map[string]int
	found     bool   // inside or past the supplement
	country   string // the last country cell that was not blank
	amdDate   string
	nReserved int
}

// cell is one table cell as read: its text (inline elements flattened, <br/> as a line break) and the
// footnote marks (<SU>) it carries.
type cell struct {
	text  strings.Builder
	marks []string
	head  bool
}

// parse walks the tokens: the supplement's DIV9, its rows and cells.
func (p *parser) parse(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	depth, suppDepth := 0, -1
	var row []*cell
	var cur *cell
	inSU, inAmd := false, false
	var amd strings.Builder
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return source.Errorf(p.name, line, "", "not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch el := t.Name.Local; {
			case el == "AMDDATE":
				inAmd = true
			case suppDepth < 0 && strings.HasPrefix(el, "DIV") && isSupplement(t):
				suppDepth, p.found = depth, true
			case suppDepth < 0:
			case el == "TR":
				row, cur = nil, nil
			case el == "TD" || el == "TH":
				if len(row) >= maxCells {
					return source.Errorf(p.name, line, "", "row with more than %d cells", maxCells)
				}
				cur = &cell{head: el == "TH"}
				row = append(row, cur)
			case el == "BR" || el == "br":
				if cur != nil {
					cur.text.WriteString("\n")
				}
			case el == "SU" || el == "FTREF":
				inSU = true
			}
		case xml.EndElement:
			if depth == suppDepth {
				suppDepth = -1
			}
			depth--
			switch t.Name.Local {
			case "AMDDATE":
				inAmd = false
				p.amdDate = amdDate(amd.String())
			case "SU", "FTREF":
				inSU = false
			case "TD", "TH":
				cur = nil
			case "TR":
				if suppDepth >= 0 {
					if err := p.row(row, line); err != nil {
						return err
					}
				}
				row = nil
			}
		case xml.CharData:
			switch {
			case inAmd:
				amd.Write(t)
			case cur == nil:
			case inSU:
				if m := strings.TrimSpace(string(t)); m != "" {
					cur.marks = append(cur.marks, m)
				}
			default:
				if cur.text.Len()+len(t) > maxCellBytes {
					return source.Errorf(p.name, line, "", "table cell longer than %d bytes", maxCellBytes)
				}
				cur.text.Write(t)
			}
		}
	}
}

// amdDate reads the eCFR's amendment date ("Jul. 7, 2026") as YYYY-MM-DD, or "" when it cannot.
func amdDate(s string) string {
	d := source.NormDate(strings.ReplaceAll(strings.TrimSpace(s), ".", ""))
	if len(d) != 10 {
		return ""
	}
	return d
}

// isSupplement tells the element that holds Supplement No. 4 to Part 744.
func isSupplement(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Local == "N" && strings.HasPrefix(strings.TrimSpace(a.Value), "Supplement No. 4 to Part 744") {
			return true
		}
	}
	return false
}

// The official column names, in order.
var columns = []string{"Country", "Entity", "License requirement", "License review policy", "Federal Register citation"}

// row turns one table row into an entry: header rows and [Reserved] rows give none.
func (p *parser) row(row []*cell, line int) error {
	if len(row) == 0 || row[0].head {
		return nil
	}
	texts := make([]string, len(columns))
	var marks [][]string = make([][]string, len(columns))
	for i, c := range row {
		if i < len(columns) {
			texts[i] = strings.TrimSpace(c.text.String())
			marks[i] = c.marks
		}
	}
	if reserved(texts) {
		p.nReserved++
		return nil
	}
	if len(row) != len(columns) {
		return source.Errorf(p.name, line, "", "row with %d cells, want 5 (%s)", len(row), strings.Join(columns, ", "))
	}
	if texts[0] != "" {
		p.country = collapse(texts[0])
	}
	if p.country == "" {
		return source.Errorf(p.name, line, "Country", "first row of the table has a blank country")
	}
	e, err := p.entry(texts, marks)
	if err != nil {
		return source.Errorf(p.name, line, "Entity", "%v", err)
	}
	p.entries = append(p.entries, e)
	return nil
}

// reserved tells a "[Reserved]" or wholly empty row.
func reserved(texts []string) bool {
	for _, t := range texts {
		if t != "" && !strings.EqualFold(strings.Trim(t, "[] ."), "reserved") {
			return false
		}
	}
	return true
}

// entry maps the five cells of a row to an Entry.
func (p *parser) entry(texts []string, marks [][]string) (tradescreen.Entry, error) {
	ent := parseEntity(texts[1], p.country)
	if ent.name == "" {
		return tradescreen.Entry{}, fmt.Errorf("no name in %q", clip(texts[1]))
	}
	req, reqMarks := footnotes(collapse(texts[2]))
	policy, polMarks := footnotes(collapse(texts[3]))
	allMarks := append(append(append([]string{}, marks[1]...), marks[2]...), marks[3]...)
	allMarks = append(append(allMarks, reqMarks...), polMarks...)
	e := tradescreen.Entry{
		Source:             Source,
		Kind:               tradescreen.KindUnknown,
		Name:               ent.name,
		LicenseRequirement: req,
		LicensePolicy:      policy,
		SourceListURL:      ListURL,
	}
	for _, a := range ent.aliases {
		if !hasLetterOrDigit(a) {
			continue // a stray quote or dash the text's punctuation left between two aliases: no name
		}
		e.Aliases = append(e.Aliases, tradescreen.Name{Full: a, Type: tradescreen.NameAKA})
	}
	code := source.CountryCode(titleCountry(p.country))
	for _, a := range ent.addresses {
		e.Addresses = append(e.Addresses, tradescreen.Address{Full: a, Country: code, CountryName: p.country})
	}
	if len(e.Addresses) == 0 {
		e.Addresses = []tradescreen.Address{{Country: code, CountryName: p.country}}
	}
	e.FederalRegister, e.StartDate = citations(texts[4])
	var remarks []string
	if ent.note != "" {
		remarks = append(remarks, ent.note)
	}
	if len(allMarks) > 0 {
		remarks = append(remarks, "footnote "+strings.Join(dedupe(allMarks), ", ")+" to Supplement No. 4 to Part 744")
	}
	e.Remarks = strings.Join(remarks, "; ")
	e.SourceID = p.id(code, ent.name)
	raw := map[string]any{}
	for i, c := range columns {
		raw[c] = texts[i]
	}
	raw["Country"] = p.country
	e.Raw, _ = json.Marshal(raw)
	return e, nil
}

// id derives the entry's identifier from its country and name, numbered when a country lists one name twice.
func (p *parser) id(code, name string) string {
	if code == "" {
		code = "XX"
	}
	sum := sha256.Sum256([]byte(code + "|" + strings.ToLower(name)))
	id := "el-" + code + "-" + hex.EncodeToString(sum[:5])
	p.ids[id]++
	if n := p.ids[id]; n > 1 {
		id += fmt.Sprintf("-%d", n)
	}
	return id
}

// citations reads the Federal Register column: each citation as written, and the earliest date they give
// (the entry's listing, YYYY-MM-DD; "" when none is dated).
func citations(s string) ([]string, string) {
	s = strings.ReplaceAll(s, "\n", "; ")
	cs, err := fedreg.Parse(s)
	if err != nil || len(cs) == 0 {
		if t := collapse(s); t != "" {
			return []string{t}, ""
		}
		return nil, ""
	}
	var out []string
	first := ""
	seen := map[string]bool{}
	for _, c := range cs {
		t := strings.TrimRight(strings.TrimSpace(c.Text), ".;")
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
		if c.Date != "" && (first == "" || c.Date < first) {
			first = c.Date
		}
	}
	return out, first
}

var footRe = regexp.MustCompile(`(\)|EAR|\.)\s(\d{1,2})(\s|$)`)

// footnotes takes the bare footnote numbers out of a cell's text ("... of the EAR) 4", "§§ 734.9(e) 1 and
// 744.11 of the EAR 2") and returns the text without them and the marks.
func footnotes(s string) (string, []string) {
	var marks []string
	for {
		m := footRe.FindStringSubmatchIndex(s)
		if m == nil {
			return strings.TrimSpace(s), marks
		}
		marks = append(marks, s[m[4]:m[5]])
		s = s[:m[3]] + s[m[6]:]
	}
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// collapse joins the lines of a cell and squeezes runs of space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// titleCountry turns the table's upper-case country ("KOREA, NORTH") into a name CountryCode knows.
func titleCountry(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if w != "of" && w != "and" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// hasLetterOrDigit reports whether s holds a letter or a digit: a name does.
func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
