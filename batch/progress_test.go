package batch_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
)

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := batch.StartProgress(&buf, 1000)
	p.Set(120, 500)
	line := p.Line()
	p.Stop()
	if !strings.HasPrefix(line, "120 rows") || !strings.Contains(line, ", 50% read") {
		t.Errorf("Line() = %q, want 120 rows and 50%% read", line)
	}
	if !strings.HasSuffix(buf.String(), "\r\033[K") {
		t.Errorf("Stop left %q, want the line cleared", buf.String())
	}
	var none *batch.ProgressLine
	none.Stop() // no line shown: nothing to stop
}

func TestCheckInput(t *testing.T) {
	erp := filepath.Join("testdata", "erp_export_semicolon_bom.csv")
	if err := batch.CheckInput(erp, batch.ReaderOptions{}); err != nil {
		t.Fatalf("the ERP export: %v", err)
	}
	var pe *tradescreen.ParseError
	if err := batch.CheckInput(erp, batch.ReaderOptions{NameColumns: []string{"no_such_column"}}); !errors.As(err, &pe) {
		t.Errorf("a missing name column: %v, want a ParseError", err)
	}
	if err := batch.CheckInput(filepath.Join("testdata", "missing.csv"), batch.ReaderOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

func TestReadPartiesFile(t *testing.T) {
	// The ERP export's sixth line has no company name: the whole file is refused, naming the line.
	var pe *tradescreen.ParseError
	if _, _, err := batch.ReadPartiesFile(filepath.Join("testdata", "erp_export_semicolon_bom.csv")); !errors.As(err, &pe) || pe.Line != 6 {
		t.Fatalf("the ERP export: %v, want a ParseError on line 6", err)
	}
	// Its first rows as JSON Lines: the format comes from the extension.
	path := filepath.Join(t.TempDir(), "customers.jsonl")
	body := `{"customer_id":"100233","company_name":"Siemens Aktiengesellschaft","country_code":"DE"}` + "\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, src, err := batch.ReadPartiesFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].ID != "100233" || ps[0].Name != "Siemens Aktiengesellschaft" || ps[0].Country != "DE" {
		t.Errorf("parties %+v", ps)
	}
	if !strings.HasPrefix(src, "customers.jsonl sha256 ") || len(src) != len("customers.jsonl sha256 ")+64 {
		t.Errorf("source %q", src)
	}
}

func TestParseDelimiter(t *testing.T) {
	for in, want := range map[string]rune{"": 0, ",": ',', ";": ';', "|": '|', "tab": '\t', `\t`: '\t', "\t": '\t'} {
		if got, err := batch.ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := batch.ParseDelimiter(":"); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("ParseDelimiter(\":\") = %v, want EINVALID", err)
	}
}
