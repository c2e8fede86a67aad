// Package snapshot holds the default lists compiled into the binary, so that tradescreen screens offline
// from the first run: the US Consolidated Screening List of 2022-05-16 (the US export-control lists and
// OFAC's SDN and non-SDN lists), the UN Security Council Consolidated List of 2026-02-27 and the UK OFSI
// Consolidated List of 2020-04-27, plus the curated lists of source/curated (FCC Covered List, DoD Section
// 1260H, DHS UFLPA Entity List, NDAA section 889), each dated by its newest listing. Each official file is the official publication byte for byte (gzip-compressed);
// data/PROVENANCE.md records where each copy comes from. To screen against newer official files, pass them
// with --list KIND=PATH.
package snapshot

import (
	"embed"
	"fmt"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
	"github.com/tradescreen/tradescreen/source/curated"
	"github.com/tradescreen/tradescreen/source/uk"
	"github.com/tradescreen/tradescreen/source/un"
)

//go:embed data/*.gz
var files embed.FS

// File is one embedded list file.
type File struct {
	Name string
	// Kind is the reader kind (csl, un, uk).
	Kind string
	// Published is the publication date; PublishedNote says where it comes from when the file does not state
	// it.
	Published     string
	PublishedNote string
	parse         func([]byte, string) (*source.Dataset, error)
}

// Files lists the embedded files.
var Files = []File{
	{Name: "consolidated_2022-05-16.csv.gz", Kind: "csl", Published: "2022-05-16",
		PublishedNote: "the CSL file states no date; 2022-05-16 is the date in its gzip header (its newest start dates are of April 2022)",
		parse:         csl.Parse},
	{Name: "consolidated_2026-02-27.xml.gz", Kind: "un", Published: "2026-02-27", parse: un.Parse},
	{Name: "ConList_2020-04-27.csv.gz", Kind: "uk", Published: "2020-04-27", parse: uk.Parse},
}

var (
	once   sync.Once
	cached []*source.Dataset
	errc   error
)

// Load parses the embedded lists (once per process; the datasets are shared and must not be modified).
// The files are parsed in parallel. The datasets are those of Files, in order, followed by the curated
// lists (curated.Embedded), whose versions carry the date of their newest listing.
func Load() ([]*source.Dataset, error) {
	once.Do(func() { cached, errc = parse() })
	return cached, errc
}

// parse reads every embedded file, in parallel.
func parse() ([]*source.Dataset, error) {
	{
		out := make([]*source.Dataset, len(Files))
		errs := make([]error, len(Files))
		var wg sync.WaitGroup
		now := time.Now().UTC()
		for i, f := range Files {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := files.ReadFile("data/" + f.Name)
				if err != nil {
					errs[i] = fmt.Errorf("snapshot %s: %w", f.Name, err)
					return
				}
				ds, err := f.parse(b, f.Name)
				if err != nil {
					errs[i] = fmt.Errorf("snapshot %s: %w", f.Name, err)
					return
				}
				for j := range ds.Lists {
					l := &ds.Lists[j]
					l.Origin = "embedded snapshot: " + f.Name
					l.Loaded = now
					if l.Published == "" || f.PublishedNote != "" {
						l.Published = f.Published
						l.PublishedNote = f.PublishedNote
					}
				}
				out[i] = ds
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		cur, err := curated.Embedded()
		if err != nil {
			return nil, fmt.Errorf("snapshot curated lists: %w", err)
		}
		return append(out, cur), nil
	}
}

// Sources returns the list codes the snapshot carries with their versions.
func Sources() ([]tradescreen.ListVersion, error) {
	ds, err := Load()
	if err != nil {
		return nil, err
	}
	var out []tradescreen.ListVersion
	for _, d := range ds {
		out = append(out, d.Lists...)
	}
	return out, nil
}
