package ownership

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// Formats are the ownership data formats Read accepts.
var Formats = []string{"csv", "gleif", "bods"}

// Open reads an ownership file. spec is PATH or FORMAT=PATH (csv, gleif, bods); without a format it is told by
// the content: a CSV whose header has Relationship.StartNode.NodeID is GLEIF, any other CSV the simple
// format; JSON with statementType or recordType is BODS, other JSON GLEIF. A .gz file is decompressed.
// Errors are EINVALID for a file that cannot be read or an unknown format, *tradescreen.ParseError for bad
// content.
func Open(spec string) (*Graph, error) {
	format, path := "", spec
	if f, p, ok := strings.Cut(spec, "="); ok && contains(Formats, f) {
		format, path = f, p
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "ownership data: cannot read %s: %v", path, err)
	}
	name := filepath.Base(path)
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, &tradescreen.ParseError{File: name, Msg: "gzip", Err: err}
		}
		if b, err = io.ReadAll(zr); err != nil {
			return nil, &tradescreen.ParseError{File: name, Msg: "gzip", Err: err}
		}
	}
	return Read(format, bytes.NewReader(b), name)
}

// Read reads ownership data in the given format ("" to detect it from the content). See Open.
func Read(format string, r io.Reader, name string) (*Graph, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Msg: "read", Err: err}
	}
	if format == "" {
		format = Detect(b)
	}
	switch format {
	case "csv":
		return ReadCSV(bytes.NewReader(b), name)
	case "gleif":
		if c := sniff(b); c == '{' || c == '[' {
			return ReadGLEIFJSON(bytes.NewReader(b), name)
		}
		return ReadGLEIFCSV(bytes.NewReader(b), name)
	case "bods":
		return ReadBODS(bytes.NewReader(b), name)
	}
	return nil, tradescreen.Errorf(tradescreen.EINVALID, "ownership data %s: unknown format %q (want %s)", name, format, strings.Join(Formats, ", "))
}

// Detect tells the format of ownership data from its first bytes: csv, gleif or bods.
func Detect(b []byte) string {
	head := b
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	switch sniff(b) {
	case '{', '[':
		if bytes.Contains(head, []byte(`"statementType"`)) || bytes.Contains(head, []byte(`"recordType"`)) {
			return "bods"
		}
		return "gleif"
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.Contains(bytes.ToLower(first), []byte("relationship.startnode.nodeid")) {
		return "gleif"
	}
	return "csv"
}
