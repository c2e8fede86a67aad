package main

// Helpers shared by the cli_*_test.go end-to-end tests. Every identifier defined in these files starts with
// "cli" so that they do not clash with the other tests of package main.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliLists is the repository's directory of real official list files (tests run in cmd/tradescreen).
const cliLists = "../../testdata/lists"

// cliSmallList is a --list argument for a small real CSL excerpt (30 rows): tests of batch and compare
// mechanics use it so that they do not build the index of the whole embedded snapshot on every run.
const cliSmallList = "csl=" + cliLists + "/csl/consolidated_2025-06_sample.csv"

// cliResult is what one run of the real Main produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// cliRun runs the real Main in process with args and an empty environment.
func cliRun(t *testing.T, args ...string) cliResult {
	t.Helper()
	return cliRunStdin(t, "", args...)
}

// cliRunStdin is cliRun with the given standard input.
func cliRunStdin(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
		Getenv: func(string) string { return "" },
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := m.Run(ctx, args)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// cliWant fails the test unless the run exited with code.
func (r cliResult) cliWant(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, cliTrim(r.stdout), cliTrim(r.stderr))
	}
}

// cliTrim shortens long output for failure messages.
func cliTrim(s string) string {
	if len(s) > 4000 {
		return fmt.Sprintf("%s\n... (%d more bytes)", s[:4000], len(s)-4000)
	}
	return s
}

// cliContainsAll fails the test for every want missing from got.
func cliContainsAll(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, cliTrim(got))
		}
	}
}

// cliMatch is one match of check --json or of the batch JSONL output.
type cliMatch struct {
	Source      string  `json:"source"`
	SourceID    string  `json:"source_id"`
	Name        string  `json:"name"`
	MatchedName string  `json:"matched_name"`
	MatchedType string  `json:"matched_type"`
	Score       float64 `json:"score"`
	Explanation struct {
		Summary string `json:"summary"`
		Tokens  []struct {
			Query, Name, How string
		} `json:"tokens"`
	} `json:"explanation"`
	Entry struct {
		Kind               string   `json:"kind"`
		ListName           string   `json:"list_name"`
		Addresses          []string `json:"addresses"`
		LicenseRequirement string   `json:"license_requirement"`
		LicensePolicy      string   `json:"license_policy"`
		FederalRegister    []string `json:"federal_register"`
		StartDate          string   `json:"start_date"`
		Programs           []string `json:"programs"`
	} `json:"entry"`
}

// cliList is one list version as check --json and lists show --json print it.
type cliList struct {
	Source        string `json:"source"`
	Published     string `json:"published"`
	PublishedNote string `json:"published_note"`
	Entries       int    `json:"entries"`
	Names         int    `json:"names"`
	Origin        string `json:"origin"`
	Format        string `json:"format"`
	SHA256        string `json:"sha256"`
}

// cliCheckJSON is the output of check --json.
type cliCheckJSON struct {
	Query struct {
		Name    string `json:"name"`
		Country string `json:"country"`
	} `json:"query"`
	Threshold float64    `json:"threshold"`
	Matches   []cliMatch `json:"matches"`
	Lists     []cliList  `json:"lists"`
}

// cliCheck runs check --json with args and decodes its output.
func cliCheck(t *testing.T, args ...string) cliCheckJSON {
	t.Helper()
	r := cliRun(t, append([]string{"check", "--json"}, args...)...)
	r.cliWant(t, 0)
	var out cliCheckJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("check --json printed invalid JSON: %v\n%s", err, cliTrim(r.stdout))
	}
	return out
}

// cliWriteFile writes a file under dir and returns its path.
func cliWriteFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// cliReadFile reads a file or fails the test.
func cliReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cliReadCSV reads a whole CSV file (header first).
func cliReadCSV(t *testing.T, path string) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(cliReadFile(t, path)))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}

// cliNoPartials fails the test if dir holds a temporary ".partial" file left by batch.
func cliNoPartials(t *testing.T, dir string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if strings.Contains(de.Name(), ".partial") {
			t.Errorf("temporary file %s left in %s", de.Name(), dir)
		}
	}
}
