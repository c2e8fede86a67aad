package dpl

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// lists is the directory of the real official files, relative to this package.
const lists = "../../testdata/lists/"

// fileCounts are the counts a real file must give.
type fileCounts struct {
	path      string
	entries   int
	names     int
	published string
	note      string // a substring of PublishedNote
}

// checkDataset verifies the list version and the invariants every entry must hold.
func checkDataset(t *testing.T, ds *source.Dataset, c fileCounts, code, kind string) {
	t.Helper()
	given, err := os.ReadFile(c.path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(given)
	if len(ds.Lists) != 1 {
		t.Fatalf("got %d list versions, want 1", len(ds.Lists))
	}
	lv := ds.Lists[0]
	base := c.path[strings.LastIndex(c.path, "/")+1:]
	if lv.Source != code || lv.Format != kind || lv.Origin != base || lv.SHA256 != hex.EncodeToString(sum[:]) || !lv.Loaded.IsZero() {
		t.Errorf("list version = %+v", lv)
	}
	if lv.Entries != c.entries || len(ds.Entries) != c.entries {
		t.Errorf("entries = %d (list says %d), want %d", len(ds.Entries), lv.Entries, c.entries)
	}
	if lv.Names != c.names {
		t.Errorf("names = %d, want %d", lv.Names, c.names)
	}
	if lv.Published != c.published || !strings.Contains(lv.PublishedNote, c.note) {
		t.Errorf("published = %q (%q), want %q (%q)", lv.Published, lv.PublishedNote, c.published, c.note)
	}
	ids := map[string]bool{}
	for _, e := range ds.Entries {
		if e.Source != code || e.SourceID == "" || e.Name == "" || e.SourceListURL == "" {
			t.Errorf("incomplete entry %+v", e)
		}
		if ids[e.SourceID] {
			t.Errorf("duplicate source_id %s (%s)", e.SourceID, e.Name)
		}
		ids[e.SourceID] = true
		var raw map[string]any
		if err := json.Unmarshal(e.Raw, &raw); err != nil || len(raw) == 0 {
			t.Errorf("%s: raw is not a JSON object: %v %s", e.Name, err, e.Raw)
		}
		if bytes.Contains(e.Raw, []byte("\n  ")) {
			t.Errorf("%s: raw is not compact", e.Name)
		}
	}
}

// find returns the entries whose primary name is name.
func find(ds *source.Dataset, name string) []tradescreen.Entry {
	var out []tradescreen.Entry
	for _, e := range ds.Entries {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// one returns the only entry named name.
func one(t *testing.T, ds *source.Dataset, name string) tradescreen.Entry {
	t.Helper()
	es := find(ds, name)
	if len(es) != 1 {
		t.Fatalf("%d entries named %q, want 1", len(es), name)
	}
	return es[0]
}

// aliasNames returns the full names of the aliases.
func aliasNames(e tradescreen.Entry) []string {
	var out []string
	for _, a := range e.Aliases {
		out = append(out, a.Full)
	}
	return out
}

// rawField returns one field of the raw record.
func rawField(t *testing.T, e tradescreen.Entry, key string) any {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	return raw[key]
}

// wantParseError checks that err is a *tradescreen.ParseError with the file, line and field given and a
// message holding msg.
func wantParseError(t *testing.T, err error, file string, line int, field, msg string) {
	t.Helper()
	var pe *tradescreen.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want *tradescreen.ParseError", err, err)
	}
	if pe.File != file || pe.Line != line || pe.Field != field || !strings.Contains(pe.Error(), msg) {
		t.Errorf("error = %q (file %q line %d field %q), want file %q line %d field %q and %q", pe.Error(), pe.File, pe.Line, pe.Field, file, line, field, msg)
	}
}

// checkFuzzResult is what every fuzz target asserts: no panic, a coded error, or a sound dataset.
func checkFuzzResult(t *testing.T, ds *source.Dataset, err error) {
	t.Helper()
	if err != nil {
		var pe *tradescreen.ParseError
		var ae *tradescreen.Error
		if !errors.As(err, &pe) && !errors.As(err, &ae) {
			t.Fatalf("error %v is %T, want *tradescreen.ParseError or *tradescreen.Error", err, err)
		}
		return
	}
	if len(ds.Entries) == 0 || len(ds.Lists) != 1 || ds.Lists[0].Entries != len(ds.Entries) {
		t.Fatalf("success without entries: %+v", ds.Lists)
	}
	for _, e := range ds.Entries {
		if e.Name == "" || e.SourceID == "" || !json.Valid(e.Raw) {
			t.Fatalf("bad entry %+v", e)
		}
	}
}

// gz compresses b.
func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// readExcerpt reads a file of this package's testdata.
func readExcerpt(t testing.TB, name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBadInput feeds every reader what is not its format: each must fail with a clear ParseError.
func TestBadInput(t *testing.T) {
	un, err := os.ReadFile(lists + "un/consolidated_2018-06-07.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	isn := readExcerpt(t, "isn_excerpt.csv")
	dplText := readExcerpt(t, "dpl_2019-06_excerpt.txt")
	parsers := map[string]func([]byte, string) (*source.Dataset, error){
		"dpl": ParseDPL, "el_legacy": ParseELLegacy, "isn_csv": ParseISN, "dtc_csv": ParseDTC,
	}
	cases := []struct {
		name, msg string
		in        []byte
	}{
		{"empty", "empty file", nil},
		{"blank", "empty file", []byte(" \r\n\n")},
		{"binary", "binary data", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{"control characters", "binary data", []byte("Name\x01\x02\x03\tStreet")},
		{"html error page", "HTML page", []byte("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>busy</body></html>")},
		{"un xml (gzip)", "XML document", un},
		{"json", "JSON document", []byte(`{"results": []}`)},
		{"corrupt gzip", "truncated or corrupt gzip", gz(dplText)[:60]},
	}
	for kind, parse := range parsers {
		for _, c := range cases {
			t.Run(kind+"/"+c.name, func(t *testing.T) {
				ds, err := parse(c.in, "input.file")
				if err == nil {
					t.Fatalf("no error, %d entries", len(ds.Entries))
				}
				wantParseError(t, err, "input.file", 0, "", c.msg)
			})
		}
	}
	t.Run("isn given to dpl", func(t *testing.T) {
		_, err := ParseDPL(isn, "isn.csv")
		wantParseError(t, err, "isn.csv", 1, "", `found columns: "Source List,Programs,Name,Alternative Names`)
	})
	t.Run("dpl given to isn", func(t *testing.T) {
		_, err := ParseISN(dplText, "dpl.txt")
		wantParseError(t, err, "dpl.txt", 1, "", `missing column(s) "Programs", "Name"`)
	})
	t.Run("dpl given to el_legacy", func(t *testing.T) {
		_, err := ParseELLegacy(dplText, "dpl.txt")
		wantParseError(t, err, "dpl.txt", 1, "", `unexpected header: missing column(s) "Name", "Address"`)
	})
	t.Run("isn given to dtc", func(t *testing.T) {
		_, err := ParseDTC(isn, "isn.csv")
		wantParseError(t, err, "isn.csv", 1, "", `missing column(s) "Debarred Party Full Name and Alias", "Notice", "Notice Date"; found columns: "Source List", "Programs"`)
	})
	t.Run("header only", func(t *testing.T) {
		first := isn[:bytes.IndexByte(isn, '\n')+1]
		_, err := ParseISN(first, "isn.csv")
		wantParseError(t, err, "isn.csv", 0, "", "no records after the header")
	})
	t.Run("field too long", func(t *testing.T) {
		in := string(isn[:bytes.IndexByte(isn, '\n')+1]) + "ISN,INKSNA," + strings.Repeat("A", maxField+1) + ",,Iran,,1/1/2016,,\n"
		_, err := ParseISN([]byte(in), "isn.csv")
		wantParseError(t, err, "isn.csv", 2, "Name", "field too long")
	})
	t.Run("directory", func(t *testing.T) {
		_, err := OpenDPL("testdata")
		var ae *tradescreen.Error
		if !errors.As(err, &ae) || ae.Code != tradescreen.EINVALID {
			t.Errorf("error = %v, want EINVALID", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := OpenISN("testdata/nope.csv")
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("error = %v, want EINVALID", err)
		}
	})
}

// TestRegistered checks that every kind is registered with its reader.
func TestRegistered(t *testing.T) {
	for _, kind := range []string{KindDPL, KindELLegacy, KindISN, KindDTC} {
		f, ok := source.Lookup(kind)
		if !ok || f.Open == nil || f.Description == "" {
			t.Errorf("kind %q not registered", kind)
		}
	}
	ds, err := source.Open(KindDPL, lists+"csl/dpl/dpl_2019-06.txt.gz")
	if err != nil || len(ds.Entries) == 0 {
		t.Fatalf("source.Open: %v", err)
	}
}

// TestFRCitations covers the spellings of the DPL FR_Citation column.
func TestFRCitations(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07", []string{"68 FR 38290", "71 FR 38843", "72 FR 4236"}},
		{"46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81", []string{"46 FR 46154", "46 FR 19290"}},
		{"80 F.R 17724 4/2/15", []string{"80 FR 17724"}},
		{"81.F.R. 22575 4/18/2016", []string{"81 FR 22575"}},
		{"80 F.R.44930 7/28/15", []string{"80 FR 44930"}},
		{"82 F.R.  4842 1/17/2017", []string{"82 FR 4842"}},
		{"86 FR. 66277 11/22/2021", []string{"86 FR 66277"}},
		{"82 F.R. 16786, 16787 4/16/2017", []string{"82 FR 16786"}},
		// No volume: the volume of the year of the date (2017 is volume 82).
		{"82 F.R. 2312 1/9/2017, F.R. 30823 7/3/2017, 82 F.R. 61745 12/29/2017", []string{"82 FR 2312", "82 FR 30823", "82 FR 61745"}},
		// No page: "72 F.R. 1/30/07" is skipped; a bare date is no citation.
		{"67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02 68 F.R. 38290 6/27/03 72 F.R. 1/30/07", []string{"67 FR 56530", "67 FR 10890", "68 FR 38290"}},
		{"86 F.R. 66277 11/22/2021, 5/18/2022, 87 F.R. 68123 11/14/2022", []string{"86 FR 66277", "87 FR 68123"}},
		{"66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON", []string{"66 FR 47630"}},
		{"76 FR 71867", []string{"76 FR 71867"}},
		{"78 FR 75485 ", []string{"78 FR 75485"}},
		{"", nil},
		{"FR NOTICE ADDED", nil},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := frCitations(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("frCitations(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestSplitName covers the aliases written inside name fields.
func TestSplitName(t *testing.T) {
	cases := []struct {
		in, name string
		aliases  []tradescreen.Name
	}{
		{"PEARL (A.K.A. NEI-CHIEN CHU) LI", "PEARL LI", []tradescreen.Name{{Full: "NEI-CHIEN CHU", Type: tradescreen.NameAKA}}},
		{"SIBERIAN AIRLINES D/B/A S7 AIRLINES", "SIBERIAN AIRLINES", []tradescreen.Name{{Full: "S7 AIRLINES", Type: tradescreen.NameAKA, Note: "d/b/a"}}},
		{`IHSAN MEDHAT "SAMMY" ELASHI`, `IHSAN MEDHAT "SAMMY" ELASHI`, []tradescreen.Name{{Full: "IHSAN MEDHAT ELASHI", Type: tradescreen.NameAKA}, {Full: "SAMMY ELASHI", Type: tradescreen.NameAKA, Note: "nickname"}}},
		{"Hukic, Bajro (a.k.a. Bob Hukic; Bab Hucici)", "Hukic, Bajro", []tradescreen.Name{{Full: "Bob Hukic", Type: tradescreen.NameAKA}, {Full: "Bab Hucici", Type: tradescreen.NameAKA}}},
		{"Karl Lee [also known as: Li Fang Wei]", "Karl Lee", []tradescreen.Name{{Full: "Li Fang Wei", Type: tradescreen.NameAKA}}},
		{"FUYI SUN A/K/A FRANK SUN", "FUYI SUN", []tradescreen.Name{{Full: "FRANK SUN", Type: tradescreen.NameAKA}}},
		{"X F/K/A Y A/K/A Z", "X", []tradescreen.Name{{Full: "Y", Type: tradescreen.NameFKA}, {Full: "Z", Type: tradescreen.NameAKA}}},
		{"A/K/A X", "A/K/A X", nil},
		{"ANNEXFIELD , LTD.", "ANNEXFIELD , LTD.", nil},
		{"  (SEAN)   NAGHIBI ", "(SEAN) NAGHIBI", nil},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			name, aliases := splitName(c.in)
			if name != c.name || !reflect.DeepEqual(aliases, c.aliases) {
				t.Errorf("splitName(%q) = %q %+v, want %q %+v", c.in, name, aliases, c.name, c.aliases)
			}
		})
	}
}

// TestOrgKind covers the organization test used where the lists do not give a type.
func TestOrgKind(t *testing.T) {
	for name, want := range map[string]tradescreen.Kind{
		"ANNEXFIELD , LTD.":                        tradescreen.KindOrganization,
		"NEXIANT, LLC ":                            tradescreen.KindOrganization,
		"SHUTTLE LONG CO, LTD.":                    tradescreen.KindOrganization,
		"WEARFORM (MNC GROUP INTERNATIONAL, INC.)": tradescreen.KindOrganization,
		"AL NASER AIRLINES":                        tradescreen.KindOrganization,
		"Government of Syria":                      tradescreen.KindOrganization,
		"ADRIAN MANUEL HERNANDEZ":                  tradescreen.KindUnknown,
		"JIN, ZHONGDA":                             tradescreen.KindUnknown,
		"CONRAD COLEMAN":                           tradescreen.KindUnknown,
	} {
		if got := orgKind(name); got != want {
			t.Errorf("orgKind(%q) = %s, want %s", name, got, want)
		}
	}
}

// TestRowCounts asserts the number of records of each real file (counted with Python's csv module, see the
// comments at each file's expected counts), read by the same reader the parsers use.
func TestRowCounts(t *testing.T) {
	for _, c := range []struct {
		path  string
		comma rune
		rows  int
	}{
		{dplFiles[0].path, '\t', 546},
		{dplFiles[1].path, '\t', 581},
		{dplFiles[2].path, '\t', 665},
		{elFile.path, ',', 18},
		{isnFile.path, ',', 213},
		{dtcFile.path, ',', 515},
	} {
		t.Run(c.path[strings.LastIndex(c.path, "/")+1:], func(t *testing.T) {
			b, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := decodeText(b, "f", "x")
			if err != nil {
				t.Fatal(err)
			}
			tab, err := readTable(s, "f", c.comma, func(*table) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.rows) != c.rows {
				t.Errorf("rows = %d, want %d", len(tab.rows), c.rows)
			}
		})
	}
}
