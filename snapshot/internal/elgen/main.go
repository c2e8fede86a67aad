// Command elgen writes snapshot/data/entity_list_2026-07-09.xml.gz, the Entity List the binary ships: the
// 2026-07-09 extraction of Supplement No. 4 to 15 CFR Part 744 (input/, see data/PROVENANCE.md) laid out as
// the eCFR's XML of that supplement, so that the eCFR reader (source/ecfr) reads it like the law's own file.
//
// The extraction lacks the License review policy column. Each row's policy is carried from the 2022-05-16
// Consolidated Screening List (data/consolidated_2022-05-16.csv.gz) when that list holds the same entry
// (the same name and the same Federal Register citations, volume and page); otherwise the cell says
// NotStated. The one other change: a parenthetical alias clause the extraction cut between the name and
// the address ("Rosneft (a.k.a. Open Joint-Stock Company Rosneft Oil Company") is taken out of the name and its
// names become aliases (Repair). Nothing is added. `go generate ./snapshot` runs it; the output is
// byte-for-byte reproducible (gzip without name or time).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
)

func main() {
	in := flag.String("json", "internal/elgen/input/entity_list_2026-07-09_derived.json.gz", "the extraction (JSON, gzip)")
	old := flag.String("csl", "data/consolidated_2022-05-16.csv.gz", "the CSL whose review policies are carried")
	out := flag.String("o", "data/entity_list_2026-07-09.xml.gz", "file to write")
	flag.Parse()
	if err := run(*in, *old, *out); err != nil {
		fmt.Fprintln(os.Stderr, "elgen:", err)
		os.Exit(1)
	}
}

func run(in, old, out string) error {
	ext, err := readExtraction(in)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(old)
	if err != nil {
		return err
	}
	ds, err := csl.Parse(b, old)
	if err != nil {
		return err
	}
	var xml bytes.Buffer
	st := Convert(&xml, ext, NewPolicies(ds.Entries))
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(xml.Bytes())
	if err := w.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes): %d entries, review policy carried from 2022 for %d, not stated for %d\n",
		out, gz.Len(), st.Entries, st.Carried, st.Entries-st.Carried)
	return nil
}

// Extraction is the derived JSON: the entries of Supplement No. 4 as extracted on a date.
type Extraction struct {
	Extracted string   `json:"extracted"`
	Count     int      `json:"count"`
	Entities  []Entity `json:"entities"`
}

// Entity is one extracted row. Notes holds the License requirement column.
type Entity struct {
	Name            string   `json:"name"`
	Aliases         []string `json:"aliases"`
	Country         string   `json:"country"`
	Address         string   `json:"address"`
	FederalRegister string   `json:"federal_register"`
	Notes           string   `json:"notes"`
}

func readExtraction(path string) (*Extraction, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if b, err = source.Decompress(b, path); err != nil {
		return nil, err
	}
	var x Extraction
	if err := json.Unmarshal(b, &x); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(x.Entities) != x.Count || x.Count == 0 {
		return nil, fmt.Errorf("%s: %d entities, the file says %d", path, len(x.Entities), x.Count)
	}
	return &x, nil
}
