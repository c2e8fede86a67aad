package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEListTable: the README's table of embedded lists names every list `tradescreen lists show` loads
// from the snapshot, in the same order, with the same publication date, and no other.
func TestREADMEListTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "| list | code | as of |")
	if i < 0 {
		t.Fatal("README.md has no table of embedded lists")
	}
	var readme []string
	for _, line := range strings.Split(doc[i:], "\n")[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 3 {
			t.Fatalf("README row %q", line)
		}
		readme = append(readme, strings.TrimSpace(cells[1])+" "+strings.TrimSpace(cells[2]))
	}
	r := cliRun(t, "lists", "show", "--json")
	r.cliWant(t, 0)
	var lists []struct {
		Source    string `json:"source"`
		Published string `json:"published"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &lists); err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, l := range lists {
		shown = append(shown, l.Source+" "+l.Published)
	}
	if strings.Join(readme, "\n") != strings.Join(shown, "\n") {
		t.Errorf("README.md's list table says\n%s\nlists show says\n%s", strings.Join(readme, "\n"), strings.Join(shown, "\n"))
	}
}
