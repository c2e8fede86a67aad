package ofac

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// The legacy OFAC CSV sets have no header line; the columns are those of the official specification
// (sdn_dat_spec.txt / cons_dat_spec.txt, "FORMAT ... CSV").

// sdnColumns are the columns of sdn.csv and cons_prim.csv (the "main table").
var sdnColumns = []string{
	"ent_num",    // unique record identifier / unique listing identifier
	"SDN_Name",   // name of entry; "LAST, First" for individuals
	"SDN_Type",   // type of entry: individual, vessel, aircraft; -0- for entities
	"Program",    // sanctions program(s): "SDGT" or "SDGT] [IRGC"
	"Title",      // title of an individual
	"Call_Sign",  // vessel call sign
	"Vess_type",  // vessel type
	"Tonnage",    // vessel tonnage
	"GRT",        // gross registered tonnage
	"Vess_flag",  // vessel flag
	"Vess_owner", // vessel owner
	"Remarks",    // remarks on entry (truncated at 1000 characters; the rest is in the comments file)
}

// addColumns are the columns of add.csv and cons_add.csv (the address table).
var addColumns = []string{
	"Ent_num",                         // link to unique listing
	"Add_num",                         // unique record identifier
	"Address",                         // street address
	"City/State/Province/Postal Code", // city, state/province, zip/postal code
	"Country",                         // country of address
	"Add_remarks",                     // remarks on address
}

// altColumns are the columns of alt.csv and cons_alt.csv (the alternate identity table).
var altColumns = []string{
	"ent_num",     // link to unique listing
	"alt_num",     // unique record identifier
	"alt_type",    // type of alternate identity: aka, fka, nka
	"alt_name",    // alternate identity name
	"alt_remarks", // remarks on alternate identity
}

// commentsColumns are the columns of sdn_comments.csv and cons_comments.csv (the spillover file): the
// remarks text beyond the 1000 characters of the main table, to be appended to it.
var commentsColumns = []string{
	"ent_num",          // link to unique listing
	"Remarks_Extended", // continuation of Remarks
}

// maxField bounds one CSV field. The official sizes are at most 1000 characters (Remarks); the spillover
// file has no limit, so it gets maxRemarks.
const maxField = 16 << 10

// csvPart is one file of a CSV set.
type csvPart struct {
	name    string   // file name, for errors
	data    []byte   // content as given (may be gzip-compressed)
	columns []string // official columns
}

// csvSet names the files of one CSV set.
type csvSet struct {
	main, add, alt, comments string
	nonSDN                   bool
}

var (
	sdnSet  = csvSet{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv", false}
	consSet = csvSet{"cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv", true}
)

// OpenCSVDir reads the SDN CSV set (sdn.csv, add.csv, alt.csv, sdn_comments.csv) or the non-SDN
// consolidated set (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv) from a directory. Each
// file may be gzip-compressed and named with a .gz suffix; file names match case-insensitively. Only the
// main file (sdn.csv or cons_prim.csv) is required. Errors are *tradescreen.Error (EINVALID: no CSV set in
// the directory) or *tradescreen.ParseError (malformed content).
func OpenCSVDir(dir string) (*source.Dataset, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "ofac: %v", err)
	}
	files := map[string]string{} // lower-case name without .gz -> actual name
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		k := strings.TrimSuffix(strings.ToLower(e.Name()), ".gz")
		if _, ok := files[k]; !ok || !strings.HasSuffix(strings.ToLower(e.Name()), ".gz") {
			files[k] = e.Name()
		}
	}
	set := sdnSet
	if _, ok := files[set.main]; !ok {
		set = consSet
		if _, ok := files[set.main]; !ok {
			return nil, tradescreen.Errorf(tradescreen.EINVALID, "ofac: %s holds neither sdn.csv nor cons_prim.csv", filepath.Base(dir))
		}
	}
	read := func(n string) ([]byte, string, string, error) {
		actual, ok := files[n]
		if !ok {
			return nil, "", "", nil
		}
		b, sum, err := source.ReadFile(filepath.Join(dir, actual))
		return b, sum, actual, err
	}
	mainB, sum, mainName, err := read(set.main)
	if err != nil {
		return nil, err
	}
	parts := [4]csvPart{{name: mainName, data: mainB, columns: sdnColumns}}
	for i, n := range []string{set.add, set.alt, set.comments} {
		b, _, actual, err := read(n)
		if err != nil {
			return nil, err
		}
		parts[i+1] = csvPart{name: actual, data: b, columns: [][]string{addColumns, altColumns, commentsColumns}[i]}
	}
	origin := filepath.Join(filepath.Base(filepath.Clean(dir)), mainName)
	return parseCSVSet(parts, set.nonSDN, origin, sum)
}

// ParseSDNCSV reads the SDN CSV set from its four files' contents: sdn (sdn.csv, required), add (add.csv),
// alt (alt.csv) and comments (sdn_comments.csv), each possibly gzip-compressed; pass nil for an absent part.
// name is the origin recorded in the list version and used in errors (e.g. "sdn_2022-02-24.csv.gz"). All
// entries go to us_sdn. Errors are *tradescreen.ParseError.
func ParseSDNCSV(sdn, add, alt, comments []byte, name string) (*source.Dataset, error) {
	return parseCSVSet([4]csvPart{
		{name: name, data: sdn, columns: sdnColumns},
		{name: "add.csv", data: add, columns: addColumns},
		{name: "alt.csv", data: alt, columns: altColumns},
		{name: "sdn_comments.csv", data: comments, columns: commentsColumns},
	}, false, name, source.SHA256(sdn))
}

// ParseConsCSV reads the non-SDN consolidated CSV set from its files' contents: prim (cons_prim.csv,
// required), add (cons_add.csv), alt (cons_alt.csv), comments (cons_comments.csv); nil for an absent part.
// Entries go to the list of their program (us_ssi, us_fse, us_plc, us_cap, us_mbs, us_cmic). Errors are
// *tradescreen.ParseError.
func ParseConsCSV(prim, add, alt, comments []byte, name string) (*source.Dataset, error) {
	return parseCSVSet([4]csvPart{
		{name: name, data: prim, columns: sdnColumns},
		{name: "cons_add.csv", data: add, columns: addColumns},
		{name: "cons_alt.csv", data: alt, columns: altColumns},
		{name: "cons_comments.csv", data: comments, columns: commentsColumns},
	}, true, name, source.SHA256(prim))
}

// csvRecord is one row as read, with the line it starts on.
type csvRecord struct {
	line   int
	fields []string
}

// csvReadCSV decodes one headerless OFAC CSV file and checks its shape: every row has exactly the official
// number of columns and starts with a numeric ent_num. The Ctrl-Z (0x1A) end-of-file byte some vintages
// carry is dropped. A missing file (nil) gives no rows; an empty main file is an error.
func csvReadCSV(p csvPart, required bool) ([]csvRecord, error) {
	if p.data == nil && !required {
		return nil, nil
	}
	b, err := source.Decompress(p.data, p.name)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimRight(b, "\x1a\r\n\t ")
	if len(b) == 0 {
		if required {
			return nil, source.Errorf(p.name, 0, "", "empty file: expected OFAC CSV records (%s)", strings.Join(p.columns, ", "))
		}
		return nil, nil
	}
	if err := csvSniff(b, p.name); err != nil {
		return nil, err
	}
	text, _ := source.ToUTF8(b)
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	var out []csvRecord
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				field := ""
				if pe.Column > 0 && len(rec) < len(p.columns) {
					field = p.columns[min(len(rec), len(p.columns)-1)]
				}
				return nil, &tradescreen.ParseError{File: p.name, Line: pe.StartLine, Field: field, Msg: "malformed CSV (truncated or corrupt file?)", Err: pe.Err}
			}
			return nil, &tradescreen.ParseError{File: p.name, Msg: "read CSV", Err: err}
		}
		if len(rec) == 0 || len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(p.columns) {
			return nil, source.Errorf(p.name, line, "", "expected %d columns (%s), found %d: %s",
				len(p.columns), strings.Join(p.columns, ", "), len(rec), csvDescribe(rec))
		}
		if !csvIsEntNum(rec[0]) {
			if len(out) == 0 {
				return nil, source.Errorf(p.name, line, p.columns[0], "not an OFAC %s: first record starts %s (a header line or another format?); expected headerless columns %s",
					p.name, csvDescribe(rec), strings.Join(p.columns, ", "))
			}
			return nil, source.Errorf(p.name, line, p.columns[0], "not a record number: %q", csvClip(rec[0]))
		}
		limit := maxField
		if p.columns[1] == "Remarks_Extended" {
			limit = maxRemarks
		}
		for i, f := range rec {
			if len(f) > limit {
				return nil, source.Errorf(p.name, line, p.columns[i], "field too long (%d bytes)", len(f))
			}
		}
		out = append(out, csvRecord{line: line, fields: rec})
	}
	if required && len(out) == 0 {
		return nil, source.Errorf(p.name, 0, "", "no records: expected OFAC CSV records (%s)", strings.Join(p.columns, ", "))
	}
	// The last record of a file cut short has an unquoted, non-null final field: every text value is
	// quoted and empty ones are "-0-".
	if n := len(out); n > 0 && !bytes.HasSuffix(b, []byte(`"`)) {
		last := out[n-1].fields[len(p.columns)-1]
		if source.Clean(last) != "" && !strings.HasPrefix(last, "-0") {
			return nil, source.Errorf(p.name, out[n-1].line, p.columns[len(p.columns)-1], "last record ends with %q: truncated file?", csvClip(last))
		}
	}
	return out, nil
}

// csvSniff rejects content that is clearly not an OFAC CSV file: binary data, HTML or XML.
func csvSniff(b []byte, name string) error {
	head := b[:min(len(b), 512)]
	if bytes.IndexByte(head, 0) >= 0 {
		return source.Errorf(name, 0, "", "binary data, not an OFAC CSV file")
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(t) > 0 && t[0] == '<' {
		low := strings.ToLower(string(t[:min(len(t), 200)]))
		what := "XML"
		if strings.Contains(low, "<html") || strings.Contains(low, "<!doctype html") {
			what = "an HTML page (an error page instead of the download?)"
		}
		return source.Errorf(name, 1, "", "%s, not an OFAC CSV file", what)
	}
	return nil
}

func csvIsEntNum(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// csvDescribe shows the columns found in a rejected row.
func csvDescribe(rec []string) string {
	var parts []string
	for i, f := range rec {
		if i == 6 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, strconv.Quote(csvClip(f)))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func csvClip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// csvRawObject renders fields as a compact JSON object keeping the official column order.
func csvRawObject(columns []string, values []string) json.RawMessage {
	n := 2
	for i := range columns {
		n += len(columns[i]) + len(values[i]) + 6
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, c := range columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = csvAppendJSON(b, c)
		b = append(b, ':')
		b = csvAppendJSON(b, values[i])
	}
	return append(b, '}')
}

// csvAppendJSON appends s to b as a JSON string. Invalid UTF-8 (which source.ToUTF8 already rules out)
// would be written as U+FFFD.
func csvAppendJSON(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// parseCSVSet reads the four parts of a CSV set (main, add, alt, comments) and joins them by ent_num.
func parseCSVSet(parts [4]csvPart, nonSDN bool, origin, sum string) (*source.Dataset, error) {
	if parts[0].data == nil {
		return nil, source.Errorf(parts[0].name, 0, "", "missing main file")
	}
	var recs [4][]csvRecord
	for i, p := range parts {
		r, err := csvReadCSV(p, i == 0)
		if err != nil {
			return nil, err
		}
		recs[i] = r
	}
	set := &csvRead{parts: parts}
	if err := set.main(recs[0], nonSDN); err != nil {
		return nil, err
	}
	if err := set.comments(recs[3]); err != nil {
		return nil, err
	}
	if err := set.addresses(recs[1]); err != nil {
		return nil, err
	}
	if err := set.aliases(recs[2]); err != nil {
		return nil, err
	}
	set.remarks(recs[0])
	return csvDataset(set.entries, origin, sum), nil
}

// csvRead is an SDN CSV set being read: the entries of the main file, by ent_num, with the remarks text and
// the raw rows of the other files that belong to each.
type csvRead struct {
	parts       [4]csvPart
	entries     []tradescreen.Entry
	byID        map[string]int
	remarksText []string
	raws        []csvRawParts
}

// csvRawParts are the raw rows of the add, alt and comments files of one entry.
type csvRawParts struct {
	add, alt []json.RawMessage
	comments []string
}

// main reads the main file's records into entries: id, name, type, programs, title and vessel fields.
func (c *csvRead) main(recs []csvRecord, nonSDN bool) error {
	c.entries = make([]tradescreen.Entry, 0, len(recs))
	c.byID = make(map[string]int, len(recs))
	c.remarksText = make([]string, 0, len(recs))
	for _, rec := range recs {
		f := rec.fields
		id := strings.TrimSpace(f[0])
		if _, dup := c.byID[id]; dup {
			return source.Errorf(c.parts[0].name, rec.line, "ent_num", "duplicate ent_num %s", id)
		}
		name := source.Clean(f[1])
		if name == "" {
			return source.Errorf(c.parts[0].name, rec.line, "SDN_Name", "empty name")
		}
		kind := kindFromSDNType(f[2])
		if kind == tradescreen.KindUnknown {
			return source.Errorf(c.parts[0].name, rec.line, "SDN_Type", "unknown type %q", csvClip(f[2]))
		}
		programs := splitPrograms(f[3])
		e := tradescreen.Entry{Source: listForPrograms(programs, nonSDN), SourceID: id, Kind: kind, Name: name,
			Programs: programs, Title: source.Clean(f[4]), SourceListURL: listURL}
		v := tradescreen.Vessel{CallSign: source.Clean(f[5]), Type: source.Clean(f[6]), Tonnage: source.Clean(f[7]),
			GrossRegisteredTonnage: source.Clean(f[8]), Flag: source.Clean(f[9]), Owner: source.Clean(f[10])}
		if v != (tradescreen.Vessel{}) {
			e.Vessel = &v
		}
		c.byID[id] = len(c.entries)
		c.remarksText = append(c.remarksText, source.Clean(f[11]))
		c.entries = append(c.entries, e)
	}
	c.raws = make([]csvRawParts, len(c.entries))
	return nil
}

// comments appends the comments file's rows to their entries' remarks (they continue them).
func (c *csvRead) comments(recs []csvRecord) error {
	for _, rec := range recs {
		i, err := csvLink(c.byID, c.parts[3], rec, commentsColumns[0])
		if err != nil {
			return err
		}
		c.remarksText[i] += rec.fields[1]
		c.raws[i].comments = append(c.raws[i].comments, rec.fields[1])
	}
	return nil
}

// addresses adds the address file's rows to their entries.
func (c *csvRead) addresses(recs []csvRecord) error {
	for _, rec := range recs {
		i, err := csvLink(c.byID, c.parts[1], rec, addColumns[0])
		if err != nil {
			return err
		}
		f := rec.fields
		a := tradescreen.Address{Street: source.Clean(f[2]), City: source.Clean(f[3]), CountryName: source.Clean(f[4]), Note: source.Clean(f[5])}
		a.Country = countryCode(a.CountryName)
		var full []string
		for _, s := range []string{a.Street, a.City, a.CountryName} {
			if s != "" {
				full = append(full, s)
			}
		}
		a.Full = strings.Join(full, ", ")
		if a.Full != "" || a.Note != "" {
			c.entries[i].Addresses = append(c.entries[i].Addresses, a)
		}
		c.raws[i].add = append(c.raws[i].add, csvRawObject(addColumns, f))
	}
	return nil
}

// aliases adds the alternate identities file's rows to their entries as typed aliases.
func (c *csvRead) aliases(recs []csvRecord) error {
	for _, rec := range recs {
		i, err := csvLink(c.byID, c.parts[2], rec, altColumns[0])
		if err != nil {
			return err
		}
		f := rec.fields
		n := tradescreen.Name{Full: source.Clean(f[3]), Note: source.Clean(f[4])}
		switch strings.ToLower(source.Clean(f[2])) {
		case "aka":
			n.Type = tradescreen.NameAKA
		case "fka":
			n.Type = tradescreen.NameFKA
		case "nka":
			n.Type = tradescreen.NameNKA
		default:
			return source.Errorf(c.parts[2].name, rec.line, "alt_type", "unknown alias type %q (expected aka, fka or nka)", csvClip(f[2]))
		}
		if n.Full == "" {
			return source.Errorf(c.parts[2].name, rec.line, "alt_name", "empty alias name")
		}
		if strings.Contains(strings.ToLower(n.Note), "weak") && n.Type == tradescreen.NameAKA {
			n.Type = tradescreen.NameWeakAKA
		}
		n.Script = scriptOf(n.Full)
		if c.entries[i].Kind == tradescreen.KindPerson {
			n.Family, n.Given = splitPersonName(n.Full)
		}
		c.entries[i].Aliases = append(c.entries[i].Aliases, n)
		c.raws[i].alt = append(c.raws[i].alt, csvRawObject(altColumns, f))
	}
	return nil
}

// remarks reads each entry's remarks (aliases, birth data, nationalities, identifiers, gender, title) and
// builds its raw record.
func (c *csvRead) remarks(main []csvRecord) {
	for i := range c.entries {
		e := &c.entries[i]
		e.Remarks = c.remarksText[i]
		rm := parseRemarks(e.Remarks)
		for _, n := range rm.Aliases {
			if e.Kind == tradescreen.KindPerson {
				n.Family, n.Given = splitPersonName(n.Full)
			}
			e.Aliases = append(e.Aliases, n)
		}
		e.BirthDates = rm.BirthDates
		e.BirthPlaces = rm.BirthPlaces
		e.Nationalities = rm.Nationalities
		e.Citizenships = rm.Citizenships
		e.Identifiers = rm.Identifiers
		e.Gender = rm.Gender
		if rm.Title != "" {
			if e.Title == "" {
				e.Title = rm.Title
			} else {
				e.Title += "; " + rm.Title
			}
		}
		e.Raw = csvBuildRaw(main[i].fields, c.parts, c.raws[i].add, c.raws[i].alt, c.raws[i].comments)
	}
}

// csvDataset is the dataset of the entries: one list version per list code, in the order the codes first
// appear.
func csvDataset(entries []tradescreen.Entry, origin, sum string) *source.Dataset {
	ds := &source.Dataset{Entries: entries}
	order := []string{}
	bySource := map[string][]tradescreen.Entry{}
	for _, e := range entries {
		if _, ok := bySource[e.Source]; !ok {
			order = append(order, e.Source)
		}
		bySource[e.Source] = append(bySource[e.Source], e)
	}
	for _, code := range order {
		es := bySource[code]
		ds.Lists = append(ds.Lists, tradescreen.ListVersion{Source: code, PublishedNote: "not stated in the CSV files",
			Entries: len(es), Names: source.CountNames(es), Origin: origin, Format: "ofac", SHA256: sum})
	}
	return ds
}

// csvLink returns the index of the entry a row of the add, alt or comments file belongs to. A row whose
// ent_num has no main record is an error: the real files have none.
func csvLink(byID map[string]int, p csvPart, rec csvRecord, field string) (int, error) {
	id := strings.TrimSpace(rec.fields[0])
	i, ok := byID[id]
	if !ok {
		return 0, source.Errorf(p.name, rec.line, field, "%s %s has no record in the main file", field, id)
	}
	return i, nil
}

// csvBuildRaw renders the official record: the main-file columns, then the rows of the other files under
// their file names.
func csvBuildRaw(main []string, parts [4]csvPart, add, alt []json.RawMessage, comments []string) json.RawMessage {
	raw := csvRawObject(sdnColumns, main)
	var b bytes.Buffer
	b.Write(raw[:len(raw)-1])
	list := func(key string, items []json.RawMessage) {
		if len(items) == 0 {
			return
		}
		b.WriteByte(',')
		b.Write(csvAppendJSON(nil, key))
		b.WriteString(":[")
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(it)
		}
		b.WriteByte(']')
	}
	list(csvBaseName(parts[1].name), add)
	list(csvBaseName(parts[2].name), alt)
	if len(comments) > 0 {
		b.WriteByte(',')
		b.Write(csvAppendJSON(nil, csvBaseName(parts[3].name)))
		b.WriteString(`:{"Remarks_Extended":`)
		b.Write(csvAppendJSON(nil, strings.Join(comments, "")))
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes()
}

// csvBaseName is the official file name of a part ("add.csv" for "add.csv.gz").
func csvBaseName(n string) string {
	return strings.ToLower(strings.TrimSuffix(n, ".gz"))
}
