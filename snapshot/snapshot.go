// Package snapshot holds the default lists compiled into the binary, so that tradescreen screens offline
// from the first run: the US Consolidated Screening List of 2022-05-16 (the US export-control lists and
// OFAC's SDN and non-SDN lists), the UN Security Council Consolidated List of 2026-02-27 and the UK OFSI
// Consolidated List of 2020-04-27, plus the curated lists of source/curated (FCC Covered List, DoD Section
// 1260H, DHS UFLPA Entity List, NDAA section 889), each dated by its newest listing. Each official file is
// the official publication byte for byte (gzip-compressed); data/PROVENANCE.md records where each copy comes
// from. data/parsed.bin, generated from them when the project is built (go generate), holds their parsed
// datasets in a compact form that loads in a fraction of the time parsing takes (encoded.go). To screen
// against newer official files, pass them with --list KIND=PATH.
package snapshot

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
	"github.com/tradescreen/tradescreen/source/curated"
	"github.com/tradescreen/tradescreen/source/uk"
	"github.com/tradescreen/tradescreen/source/un"
)

//go:generate go run ./internal/gen -o data/parsed.bin

// files holds the official files (data/*.gz) and data/parsed.bin, their datasets in compact form (see
// encoded.go).
//
//go:embed data
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

// Load returns the datasets of the embedded lists (once per process; the datasets are shared and must not
// be modified). The datasets are those of Files, in order, followed by the curated lists
// (curated.Embedded), whose versions carry the date of their newest listing. They come from data/parsed.bin,
// the readers' output generated from the official files when the project is built, decoded on every CPU;
// when that file does not match the embedded official files, Load parses the official files instead (the
// same datasets, more slowly). Errors come from the readers (*tradescreen.ParseError) when a file fails to
// parse.
func Load() ([]*source.Dataset, error) {
	once.Do(func() { cached, errc = load() })
	return cached, errc
}

// load decodes data/parsed.bin, or parses the official files when it is missing or stale, and adds the
// curated lists.
func load() ([]*source.Dataset, error) {
	var cur *source.Dataset
	var curErr error
	var wg sync.WaitGroup
	wg.Go(func() { cur, curErr = curated.Embedded() })
	ds, err := decoded()
	if err != nil {
		ds, err = parseFiles()
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if curErr != nil {
		return nil, fmt.Errorf("snapshot curated lists: %w", curErr)
	}
	stamp(ds)
	return append(ds, cur), nil
}

// decoded returns the datasets of data/parsed.bin, or an error when it is missing, unreadable or was made
// from other official files.
func decoded() ([]*source.Dataset, error) {
	b, err := files.ReadFile("data/" + encodedName)
	if err != nil {
		return nil, err
	}
	return decodeEncoded(b, func(name string) ([]byte, error) { return files.ReadFile("data/" + name) })
}

// stamp sets the origin, load time and publication date of each list of the datasets of Files.
func stamp(ds []*source.Dataset) {
	now := time.Now().UTC()
	for i, f := range Files {
		for j := range ds[i].Lists {
			l := &ds[i].Lists[j]
			l.Origin = "embedded snapshot: " + f.Name
			l.Loaded = now
			if l.Published == "" || f.PublishedNote != "" {
				l.Published = f.Published
				l.PublishedNote = f.PublishedNote
			}
		}
	}
}

// parseFiles reads every official file with its reader, in parallel: the datasets exactly as the readers
// return them.
func parseFiles() ([]*source.Dataset, error) {
	out := make([]*source.Dataset, len(Files))
	errs := make([]error, len(Files))
	var wg sync.WaitGroup
	for i, f := range Files {
		wg.Go(func() {
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
			out[i] = ds
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Encode parses the embedded official files with their readers and writes the compact form of their
// datasets that Load decodes (data/parsed.bin; `go generate ./snapshot` runs it). Errors come from the
// readers or from w.
func Encode(w io.Writer) error {
	ds, err := parseFiles()
	if err != nil {
		return err
	}
	sums := make([]string, len(Files))
	for i, f := range Files {
		b, err := files.ReadFile("data/" + f.Name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		sums[i] = hex.EncodeToString(sum[:])
	}
	return encode(w, ds, sums)
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
