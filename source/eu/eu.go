// Package eu reads the EU Financial Sanctions Files (FSF) in the XML 1.1 format
// (xmlFullSanctionsList_1_1), the consolidated list of persons, groups and entities subject to EU financial
// sanctions published by the European Commission. Each <sanctionEntity> becomes one tradescreen.Entry of
// the list eu_fsf, keyed by its logicalId.
//
// The reader streams the XML with encoding/xml (no DTD or external entities are ever resolved), matches
// elements and attributes by local name (the official file uses a default namespace), bounds element
// depth and value sizes, and reports malformed input as *tradescreen.ParseError naming the file, the line
// and the element or attribute at fault.
package eu

import (
	"path/filepath"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// Kind is the format name used on the command line (--list eu=PATH).
const Kind = "eu"

// SourceCode is the list code of every entry this package reads.
const SourceCode = "eu_fsf"

// InfoURL is the EU open-data page of the Financial Sanctions Files.
const InfoURL = "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions"

func init() {
	source.Register(source.Format{
		Kind:        Kind,
		Description: "EU Financial Sanctions Files, XML 1.1 (xmlFullSanctionsList_1_1, root <export>); .gz accepted",
		Open:        Open,
	})
}

// Open reads the EU FSF XML 1.1 file at path, gunzipping it transparently when it is gzip-compressed.
// I/O failures are *tradescreen.Error (EINVALID); bad content is *tradescreen.ParseError.
func Open(path string) (*source.Dataset, error) {
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b, filepath.Base(path))
}

// Parse reads an EU FSF XML 1.1 document from b (plain or gzip-compressed); name is the file name used in
// errors and as the list version's Origin. It returns one ListVersion (eu_fsf) whose Published date is the
// date part of export@generationDate. Errors are *tradescreen.ParseError: an empty, truncated, binary or
// HTML file, another list's format, a malformed record (missing logicalId, no name) or an oversized value.
func Parse(b []byte, name string) (*source.Dataset, error) {
	sum := source.SHA256(b)
	data, err := source.Decompress(b, name)
	if err != nil {
		return nil, err
	}
	if len(data) > source.MaxFileSize {
		return nil, source.Errorf(name, 0, "", "file too large (%d bytes, limit %d)", len(data), source.MaxFileSize)
	}
	res, err := parseXML(data, name)
	if err != nil {
		return nil, err
	}
	lv := tradescreen.ListVersion{
		Source:        SourceCode,
		Published:     res.published,
		PublishedNote: res.publishedNote,
		Entries:       len(res.entries),
		Names:         source.CountNames(res.entries),
		Origin:        name,
		Format:        Kind,
		SHA256:        sum,
	}
	return &source.Dataset{Lists: []tradescreen.ListVersion{lv}, Entries: res.entries}, nil
}
