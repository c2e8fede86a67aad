// Package source holds the registry of list formats. Each official format lives in its own sub-package
// (source/csl, source/ofac, source/un, source/uk, source/eu, source/dpl) that reads the official file, maps
// each record to a tradescreen.Entry and registers itself here by kind. Import source/all to register every
// format.
package source

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
)

// Dataset is what one read of one official file (or file set) yields: the entries and, for each list code it
// carries, a version record. One CSL file carries many lists.
type Dataset struct {
	Lists   []tradescreen.ListVersion
	Entries []tradescreen.Entry
}

// Format is a registered list format.
type Format struct {
	// Kind is the name used on the command line: --list KIND=PATH.
	Kind string
	// Description says which files the format reads, for --help.
	Description string
	// Open reads the file or directory at path. Errors are *tradescreen.ParseError (bad content) or
	// *tradescreen.Error with EINVALID (wrong kind of path) or EINTERNAL I/O errors.
	Open func(path string) (*Dataset, error)
}

var (
	mu      sync.RWMutex
	formats = map[string]Format{}
)

// Register makes a format available by kind. It panics if the kind is registered twice, which is a
// programming error.
func Register(f Format) {
	mu.Lock()
	defer mu.Unlock()
	if _, ok := formats[f.Kind]; ok {
		panic("source: format registered twice: " + f.Kind)
	}
	formats[f.Kind] = f
}

// Lookup returns the format registered for kind.
func Lookup(kind string) (Format, bool) {
	mu.RLock()
	defer mu.RUnlock()
	f, ok := formats[kind]
	return f, ok
}

// Formats returns every registered format sorted by kind.
func Formats() []Format {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Format, 0, len(formats))
	for _, f := range formats {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// Open reads path with the format registered for kind.
func Open(kind, path string) (*Dataset, error) {
	f, ok := Lookup(kind)
	if !ok {
		kinds := []string{}
		for _, f := range Formats() {
			kinds = append(kinds, f.Kind)
		}
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "unknown list kind %q (known: %s)", kind, strings.Join(kinds, ", "))
	}
	if _, err := os.Stat(path); err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "list %s: cannot open %s: %v", kind, path, err)
	}
	return f.Open(path)
}

// ReadFile reads a whole file into memory, returning its bytes and their SHA-256 digest in hex. Compressed
// files are returned as stored; use Decompress to read them.
func ReadFile(path string) ([]byte, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", tradescreen.Errorf(tradescreen.EINVALID, "read %s: %v", filepath.Base(path), err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// SHA256 returns the hex SHA-256 digest of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// CountNames returns the number of names (primary and aliases) of entries.
func CountNames(entries []tradescreen.Entry) int {
	n := 0
	for i := range entries {
		n += 1 + len(entries[i].Aliases)
	}
	return n
}

// LimitReader guards readers against unbounded input: at most max bytes are read, after which Read fails.
func LimitReader(r io.Reader, name string, max int64) io.Reader {
	return &limitReader{r: r, name: name, left: max}
}

type limitReader struct {
	r    io.Reader
	name string
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, &tradescreen.ParseError{File: l.name, Msg: "file too large"}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// Errorf is a shorthand for a *tradescreen.ParseError.
func Errorf(file string, line int, field, format string, args ...any) error {
	return &tradescreen.ParseError{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}
