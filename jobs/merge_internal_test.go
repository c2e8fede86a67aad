package jobs

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestMergeCSV: the chunks' CSV results are concatenated with the first chunk's header once; a chunk whose
// columns differ (JSONL objects with other members) has its fields moved under the first chunk's by name;
// the XLSX made from the merged CSV holds the fields as they were before the CSV's formula quoting, and
// the screening counts as numbers.
func TestMergeCSV(t *testing.T) {
	base := t.TempDir()
	chunks := []string{
		"id,name,match_count\nC-1,Hikvision,2\nC-2,\"'=HYPERLINK(\"\"http://x\"\")\",0\n",
		"id,name,match_count\nC-3,Huawei Technologies Co. Ltd.,1\n",
		"name,id,country,match_count\nRosneft,C-4,RU,3\n",
	}
	var dirs []string
	for i, c := range chunks {
		dir := filepath.Join(base, "run-"+string(rune('a'+i)))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "results.csv"), []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	out := filepath.Join(base, "results.csv")
	if err := concat(out, dirs, "results.csv", true); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "id,name,match_count\nC-1,Hikvision,2\nC-2,\"'=HYPERLINK(\"\"http://x\"\")\",0\nC-3,Huawei Technologies Co. Ltd.,1\nC-4,Rosneft,3\n"
	if string(b) != want {
		t.Errorf("merged CSV:\n%s\nwant:\n%s", b, want)
	}
	x := filepath.Join(base, "results.xlsx")
	if err := csvToXLSX(x, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Screening")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[2], []string{"C-2", `=HYPERLINK("http://x")`, "0"}) || len(rows) != 5 {
		t.Errorf("xlsx rows %q", rows)
	}
	isString := func(cell string) bool {
		typ, err := f.GetCellType("Screening", cell)
		if err != nil {
			t.Fatal(err)
		}
		return typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
	}
	if isString("C2") || !isString("B2") || !isString("C1") {
		t.Errorf("match_count is a string in the rows, or a name or the header is not")
	}
	if v, _ := f.GetCellFormula("Screening", "B3"); v != "" {
		t.Errorf("a name became the formula %q", v)
	}
}
