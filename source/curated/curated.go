// Package curated reads the lists that are published as web pages, PDFs or statutes rather than as data
// feeds, kept in this repository as reviewed CSV files: the FCC Covered List (us_fcc), the DoD Section 1260H
// list of Chinese military companies (us_1260h), the DHS UFLPA Entity List (us_uflpa) and the companies named
// by NDAA FY2019 section 889 (us_889). Each row is one party with the citation and date of its listing.
//
// The files are compiled in (Embedded) and can also be read from a directory or file with
// "--list curated=PATH". README.md in this directory records where every file comes from and how each entry
// was reviewed.
//
// The format is RFC 4180 CSV, UTF-8, with a header. Columns are read by name: list_code, id and name are
// required; kind, aliases, country, citation, listed_on, source_url, note and parent are optional, and any
// other column is kept in Entry.Raw only. parent is the id of the entry of the same list a row is listed
// under (a subsidiary the publication names within its parent's entry); the subsidiary's Remarks then
// begin with the parent's name and entry key. aliases holds names separated by ";" (a "fka:" prefix marks a former
// name). A file may hold rows of several list codes.
package curated

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format kind this package registers ("--list curated=DIR").
const Kind = "curated"

// Limits against hostile or broken input.
const (
	maxFileBytes  = 16 << 20 // one CSV file, after decompression
	maxFieldBytes = 16 << 10 // one field
	maxRecords    = 100000   // rows per file
	maxFiles      = 1000     // CSV files in a directory
)

//go:embed data/*.csv
var data embed.FS

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "curated lists as reviewed CSV (list_code,id,name,... one party a row): a file or a directory of *.csv; .gz accepted",
		Open:        Open,
	})
}

// File is one named CSV file's bytes.
type File struct {
	Name string
	Data []byte
}

// Open reads one CSV file, or every *.csv and *.csv.gz file of a directory (in name order), into one dataset.
// It returns a *tradescreen.Error (EINVALID) when the path cannot be read or a directory holds no CSV file,
// and a *tradescreen.ParseError for malformed content.
func Open(path string) (*source.Dataset, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "curated: cannot open %s: %v", path, err)
	}
	if !fi.IsDir() {
		b, _, err := source.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return ParseFiles([]File{{Name: filepath.Base(path), Data: b}})
	}
	des, err := os.ReadDir(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "curated: cannot read directory %s: %v", path, err)
	}
	var files []File
	for _, de := range des {
		n := strings.ToLower(de.Name())
		if de.IsDir() || !(strings.HasSuffix(n, ".csv") || strings.HasSuffix(n, ".csv.gz")) {
			continue
		}
		if len(files) == maxFiles {
			return nil, tradescreen.Errorf(tradescreen.EINVALID, "curated: more than %d CSV files in %s", maxFiles, path)
		}
		b, _, err := source.ReadFile(filepath.Join(path, de.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: de.Name(), Data: b})
	}
	if len(files) == 0 {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "curated: no .csv file in directory %s", path)
	}
	return ParseFiles(files)
}

var (
	embOnce sync.Once
	embDS   *source.Dataset
	embErr  error
)

// Embedded returns the curated lists compiled into the binary (parsed once per process; the dataset is shared
// and must not be modified). Each list version's Origin names the embedded file. An error means the
// shipped data is broken, which the tests rule out.
func Embedded() (*source.Dataset, error) {
	embOnce.Do(func() {
		des, err := data.ReadDir("data")
		if err != nil {
			embErr = err
			return
		}
		var files []File
		for _, de := range des {
			b, err := data.ReadFile("data/" + de.Name())
			if err != nil {
				embErr = err
				return
			}
			files = append(files, File{Name: de.Name(), Data: b})
		}
		ds, err := ParseFiles(files)
		if err != nil {
			embErr = err
			return
		}
		now := time.Now().UTC()
		for i := range ds.Lists {
			ds.Lists[i].Origin = "embedded snapshot: curated/" + ds.Lists[i].Origin
			ds.Lists[i].Loaded = now
		}
		embDS = ds
	})
	return embDS, embErr
}

// ParseFiles parses each file and merges them into one dataset: one ListVersion per list code (its Origin
// names the files that carry it, its SHA256 is that of the one file when there is one). An id used twice
// for the same list code, within a file or across files, is a *tradescreen.ParseError.
func ParseFiles(files []File) (*source.Dataset, error) {
	out := &source.Dataset{}
	seen := map[string]string{} // key -> file
	type agg struct {
		lv    tradescreen.ListVersion
		files []string
	}
	lists := map[string]*agg{}
	var order []string
	for _, f := range files {
		entries, err := parse(f.Data, f.Name)
		if err != nil {
			return nil, err
		}
		sum := source.SHA256(f.Data)
		for i := range entries {
			e := &entries[i]
			if prev, ok := seen[e.Key()]; ok {
				return nil, source.Errorf(f.Name, 0, "id", "id %q of list %s is also in %s", e.SourceID, e.Source, prev)
			}
			seen[e.Key()] = f.Name
			a := lists[e.Source]
			if a == nil {
				a = &agg{lv: tradescreen.ListVersion{Source: e.Source, Format: Kind, SHA256: sum}}
				lists[e.Source] = a
				order = append(order, e.Source)
			}
			if len(a.files) == 0 || a.files[len(a.files)-1] != f.Name {
				a.files = append(a.files, f.Name)
				if len(a.files) > 1 {
					a.lv.SHA256 = ""
				}
			}
			a.lv.Entries++
			a.lv.Names += 1 + len(e.Aliases)
			if e.ListedOn > a.lv.Published && len(e.ListedOn) == 10 {
				a.lv.Published = e.ListedOn
			}
		}
		out.Entries = append(out.Entries, entries...)
	}
	if err := linkParents(out.Entries, seen); err != nil {
		return nil, err
	}
	sort.SliceStable(order, func(i, j int) bool {
		return tradescreen.SourceRank(order[i]) < tradescreen.SourceRank(order[j])
	})
	for _, code := range order {
		a := lists[code]
		a.lv.Origin = strings.Join(a.files, ", ")
		if a.lv.Published != "" {
			a.lv.PublishedNote = "curated list: the newest listed_on date of its entries"
		}
		out.Lists = append(out.Lists, a.lv)
	}
	return out, nil
}

// Parent returns the id of the entry a curated entry is listed under (the "parent" column: a subsidiary
// the publication names within its parent's entry), or "".
func Parent(e *tradescreen.Entry) string {
	var raw struct {
		Parent string `json:"parent"`
	}
	if e.Source == "" || len(e.Raw) == 0 || json.Unmarshal(e.Raw, &raw) != nil {
		return ""
	}
	return raw.Parent
}

// linkParents checks that each parent is an entry of the same list that has no parent itself, and starts
// each subsidiary's Remarks with its parent's name and entry key.
func linkParents(entries []tradescreen.Entry, fileOf map[string]string) error {
	byKey := map[string]*tradescreen.Entry{}
	for i := range entries {
		byKey[entries[i].Key()] = &entries[i]
	}
	for i := range entries {
		e := &entries[i]
		pid := Parent(e)
		if pid == "" {
			continue
		}
		p, ok := byKey[e.Source+"/"+pid]
		file := fileOf[e.Key()]
		switch {
		case !ok:
			return source.Errorf(file, 0, "parent", "%s: parent %q is not an id of list %s", e.SourceID, pid, e.Source)
		case p == e:
			return source.Errorf(file, 0, "parent", "%s: an entry cannot be its own parent", e.SourceID)
		case Parent(p) != "":
			return source.Errorf(file, 0, "parent", "%s: parent %s is itself a subsidiary; name the top entry", e.SourceID, pid)
		}
		link := "Subsidiary of " + p.Name + " (" + p.Key() + "), listed with it"
		if e.Remarks != "" {
			link += ". " + e.Remarks
		}
		e.Remarks = link
	}
	return nil
}

// Parse reads one curated CSV file (plain or gzip-compressed); name is used in errors and as Origin.
func Parse(b []byte, name string) (*source.Dataset, error) {
	return ParseFiles([]File{{Name: name, Data: b}})
}

var (
	dateRe    = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
	idRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	fedRegRe  = regexp.MustCompile(`\b\d{1,3} FR \d{1,6}\b`)
)

// parse reads the rows of one file.
func parse(b []byte, name string) ([]tradescreen.Entry, error) {
	raw, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if len(raw) > maxFileBytes {
		return nil, source.Errorf(name, 0, "", "file too large (over %d bytes)", maxFileBytes)
	}
	text, _ := source.ToUTF8(raw)
	if strings.TrimSpace(text) == "" {
		return nil, source.Errorf(name, 0, "", "empty file")
	}
	if bytes.IndexByte([]byte(text), 0) >= 0 {
		return nil, source.Errorf(name, 0, "", "binary data, not a CSV file")
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, source.Errorf(name, 1, h, "column named twice")
		}
		col[h] = i
	}
	for _, req := range []string{"list_code", "id", "name"} {
		if _, ok := col[req]; !ok {
			return nil, source.Errorf(name, 1, req, "missing required column (found: %s)", strings.Join(header, ", "))
		}
	}
	var out []tradescreen.Entry
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		if len(out) == maxRecords {
			return nil, source.Errorf(name, line, "", "more than %d records", maxRecords)
		}
		e, err := entry(header, col, rec, name, line)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, source.Errorf(name, 1, "", "no records after the header")
	}
	return out, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &tradescreen.ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error(), Err: err}
	}
	return &tradescreen.ParseError{File: name, Msg: "cannot read CSV", Err: err}
}

// entry maps one row to an Entry.
func entry(header []string, col map[string]int, rec []string, name string, line int) (tradescreen.Entry, error) {
	get := func(c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for i, v := range rec {
		if len(v) > maxFieldBytes {
			return tradescreen.Entry{}, source.Errorf(name, line, header[i], "field longer than %d bytes", maxFieldBytes)
		}
	}
	code := get("list_code")
	if _, ok := tradescreen.LookupSource(code); !ok || code == "" {
		return tradescreen.Entry{}, source.Errorf(name, line, "list_code", "unknown list code %q", code)
	}
	e := tradescreen.Entry{Source: code, SourceID: get("id"), Name: collapse(get("name"))}
	if !idRe.MatchString(e.SourceID) {
		return e, source.Errorf(name, line, "id", "id %q must be lower-case letters, digits, '-', '_' or '.'", e.SourceID)
	}
	if e.Name == "" {
		return e, source.Errorf(name, line, "name", "empty name")
	}
	e.Kind = tradescreen.KindOrganization
	if k := get("kind"); k != "" {
		if e.Kind = tradescreen.ParseKind(k); e.Kind == tradescreen.KindUnknown {
			return e, source.Errorf(name, line, "kind", "unknown kind %q", k)
		}
	}
	for _, a := range strings.Split(get("aliases"), ";") {
		t := tradescreen.NameAKA
		a = strings.TrimSpace(a)
		if rest, ok := strings.CutPrefix(a, "fka:"); ok {
			t, a = tradescreen.NameFKA, strings.TrimSpace(rest)
		}
		if a = collapse(a); a != "" && a != e.Name {
			e.Aliases = append(e.Aliases, tradescreen.Name{Full: a, Type: t})
		}
	}
	if c := get("country"); c != "" {
		if !countryRe.MatchString(c) {
			return e, source.Errorf(name, line, "country", "country %q is not an ISO 3166-1 alpha-2 code", c)
		}
		e.Addresses = []tradescreen.Address{{Country: c}}
	}
	if d := get("listed_on"); d != "" {
		if !dateRe.MatchString(d) {
			return e, source.Errorf(name, line, "listed_on", "date %q is not YYYY-MM-DD", d)
		}
		e.ListedOn = d
	}
	cit := get("citation")
	e.FederalRegister = fedRegRe.FindAllString(cit, -1)
	e.Remarks = strings.TrimSuffix(cit, ".")
	if n := get("note"); n != "" {
		if e.Remarks != "" {
			e.Remarks += ". "
		}
		e.Remarks += n
	}
	if pid := get("parent"); pid != "" && !idRe.MatchString(pid) {
		return e, source.Errorf(name, line, "parent", "parent %q must be the id of another entry of the list", pid)
	}
	e.SourceListURL = get("source_url")
	if info, ok := tradescreen.LookupSource(code); ok {
		e.SourceInfoURL = info.URL
	}
	rawm := make(map[string]string, len(rec))
	for i, v := range rec {
		if i < len(header) && v != "" {
			rawm[header[i]] = v
		}
	}
	e.Raw, _ = json.Marshal(rawm)
	return e, nil
}

// collapse trims s and turns runs of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
