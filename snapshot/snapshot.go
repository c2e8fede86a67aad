// Package snapshot holds the default lists compiled into the binary, so that tradescreen screens offline
// from the first run: the Entity List from the text of 15 CFR Part 744, Supplement No. 4, of 2026-07-09,
// OFAC's non-SDN lists from CONSOLIDATED.xml of 2026-01-08, the Denied Persons List from dpl.txt of 2023-11,
// the other US lists (SDN, Unverified, Military End-User, ISN, DDTC) from the US Consolidated Screening List
// of 2022-05-16, the UN Security Council Consolidated List of 2026-02-27 and the UK OFSI Consolidated List of
// 2020-04-27, plus the curated lists of source/curated (FCC Covered List, DoD Section 1260H, DHS UFLPA Entity
// List, NDAA section 889), each dated by its newest listing. The versions of the 2022 CSL that later files
// supersede stay for point-in-time answers (History). Each official file is the official publication byte
// for byte (gzip-compressed); data/PROVENANCE.md records where each copy comes from and why each list comes
// from its file. data/parsed.bin, generated from them when the project is built (go generate), holds their
// parsed datasets in a compact form that loads in a fraction of the time parsing takes (encoded.go). To
// screen against newer official files, pass them with --list KIND=PATH.
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
	"github.com/tradescreen/tradescreen/source/dpl"
	"github.com/tradescreen/tradescreen/source/ecfr"
	"github.com/tradescreen/tradescreen/source/ofac"
	"github.com/tradescreen/tradescreen/source/uk"
	"github.com/tradescreen/tradescreen/source/un"
)

//go:generate go run ./internal/elgen -o data/entity_list_2026-07-09.xml.gz
//go:generate go run ./internal/gen -o data/parsed.bin

// files holds the official files (data/*.gz) and data/parsed.bin, their datasets in compact form (see
// encoded.go).
//
//go:embed data
var files embed.FS

// File is one embedded list file.
type File struct {
	Name string
	// Kind is the reader kind (csl, un, uk, ecfr, ofac, dpl).
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
	{Name: "entity_list_2026-07-09.xml.gz", Kind: "ecfr", Published: "2026-07-09",
		PublishedNote: "the date of the extraction of Supplement No. 4 to Part 744 this file was built from (snapshot/internal/elgen; review policy carried from the 2022-05-16 list where the entry is the same, else not stated)",
		parse:         ecfr.Parse},
	// OFAC's non-SDN lists (SSI, FSE, PLC, CAPTA, menu-based, CMIC) from CONSOLIDATED.xml; the reader dates
	// each list by Publish_Date and reports the FSE list, empty that day, with no entries.
	{Name: "CONSOLIDATED_2026-01-08.xml.gz", Kind: "ofac", Published: "2026-01-08", parse: ofac.ParseXML},
	// The BIS Denied Persons List; the file states no date, the reader takes its latest plausible Last_Update.
	{Name: "dpl_2023-11.txt.gz", Kind: "dpl", Published: "2023-11-28", parse: dpl.ParseDPL},
}

var (
	once   sync.Once
	cached []*source.Dataset
	past   []*source.Dataset
	errc   error
)

// Load returns the datasets of the embedded lists (once per process; the datasets are shared and must not
// be modified). The datasets are those of Files, in order, followed by the curated lists
// (curated.Embedded), whose versions carry the date of their newest listing. They come from data/parsed.bin,
// the readers' output generated from the official files when the project is built, decoded on every CPU;
// when that file does not match the embedded official files, Load parses the official files instead (the
// same datasets, more slowly). Errors come from the readers (*tradescreen.ParseError) when a file fails to
// parse.
//
// A list carried by several files is taken from the last of them (the Entity List from the eCFR file, not
// from the 2022 CSL); the earlier versions are kept for point-in-time answers (History).
func Load() ([]*source.Dataset, error) {
	once.Do(func() {
		var all []*source.Dataset
		if all, errc = load(); errc == nil {
			cached, past = supersede(all)
		}
	})
	return cached, errc
}

// History returns the embedded versions that a later embedded file supersedes (the Entity List, the Denied
// Persons List and OFAC's non-SDN lists of the 2022-05-16 CSL), for point-in-time answers. Errors are Load's.
func History() ([]*source.Dataset, error) {
	if _, err := Load(); err != nil {
		return nil, err
	}
	return past, nil
}

// supersede splits the datasets: each list code is current in the last dataset carrying it; the lists of
// earlier datasets that carry it too are past versions.
func supersede(ds []*source.Dataset) (current, old []*source.Dataset) {
	last := map[string]int{}
	for i, d := range ds {
		for _, l := range d.Lists {
			last[l.Source] = i
		}
	}
	for i, d := range ds {
		cur, prev := split(d, func(code string) bool { return last[code] == i })
		if cur != nil {
			current = append(current, cur)
		}
		if prev != nil {
			old = append(old, prev)
		}
	}
	return current, old
}

// split divides a dataset into the lists keep accepts and the others (nil for an empty side).
func split(d *source.Dataset, keep func(string) bool) (*source.Dataset, *source.Dataset) {
	in, out := &source.Dataset{}, &source.Dataset{}
	for _, l := range d.Lists {
		if keep(l.Source) {
			in.Lists = append(in.Lists, l)
		} else {
			out.Lists = append(out.Lists, l)
		}
	}
	if len(out.Lists) == 0 {
		return d, nil
	}
	for _, e := range d.Entries {
		if keep(e.Source) {
			in.Entries = append(in.Entries, e)
		} else {
			out.Entries = append(out.Entries, e)
		}
	}
	if len(in.Lists) == 0 {
		return nil, d
	}
	return in, out
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
