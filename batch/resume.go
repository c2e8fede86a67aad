package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
)

// Checkpoint is the journal of an unfinished batch run: how far its partial output is known to be good. It
// is written next to the partial output (tmp, fsync, rename) after both output files were flushed and
// fsynced, so it never claims more than is on disk. A resumed run truncates the partial files to the
// offsets recorded here and skips Rows input rows, so no row is lost or written twice.
type Checkpoint struct {
	Version int `json:"version"`
	// Input, InputSize and InputSHA256 identify the input file; a resumed run must read the same bytes.
	Input       string `json:"input"`
	InputSize   int64  `json:"input_size"`
	InputSHA256 string `json:"input_sha256"`
	// Settings is a fingerprint of everything that shapes the output (lists, threshold, columns ...).
	Settings string `json:"settings"`
	// Rows is the number of input rows whose outcomes are in the outputs before their offsets.
	Rows int `json:"rows"`
	// Outputs are the outputs' partial files, in the run's order: how many bytes of each are good and, for a
	// CSV output, its header once written.
	Outputs      []OutputState `json:"outputs"`
	ErrorsOffset int64         `json:"errors_offset"`
	// ErrorsHeader says whether the errors file's header row is written.
	ErrorsHeader bool      `json:"errors_header"`
	Report       *Report   `json:"report"`
	Started      time.Time `json:"started"`
	Updated      time.Time `json:"updated"`
}

// OutputState is how far one output's partial file is good.
type OutputState struct {
	Path      string   `json:"path"`
	Offset    int64    `json:"offset"`
	CSVHeader []string `json:"csv_header,omitempty"`
}

// CheckpointVersion is the journal format's version.
const CheckpointVersion = 2

// LoadCheckpoint reads a journal. A missing file is an ENOTFOUND error; a damaged one EINVALID.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, tradescreen.Errorf(tradescreen.ENOTFOUND, "no checkpoint %s", path)
	}
	if err != nil {
		return nil, err
	}
	var c Checkpoint
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, &tradescreen.ParseError{File: filepath.Base(path), Msg: "damaged checkpoint", Err: err}
	}
	if c.Version != CheckpointVersion {
		return nil, &tradescreen.ParseError{File: filepath.Base(path), Field: "version", Msg: fmt.Sprintf("checkpoint version %d, want %d", c.Version, CheckpointVersion)}
	}
	return &c, nil
}

// Save writes the journal atomically and durably (package atomicfile).
func (c *Checkpoint) Save(path string) error {
	c.Version = CheckpointVersion
	c.Updated = time.Now().UTC()
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b, 0o600)
}

// FileSHA256 returns the size and SHA-256 (hex) of a file.
func FileSHA256(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Fingerprint returns a short hash of v's JSON: the settings of a run, compared on resume.
func Fingerprint(v any) string {
	b, _ := json.Marshal(v)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:16])
}
