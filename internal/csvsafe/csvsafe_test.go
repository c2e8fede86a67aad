package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// The names the security review wrote into batch, job and audit outputs, and their neighbours.
var cases = []struct{ in, want string }{
	{`=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
	{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
	{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
	{"@SUM(A1)", "'@SUM(A1)"},
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{"'=1+1", "''=1+1"},
	{"''@x", "'''@x"},
	{"Hangzhou Hikvision Digital Technology Co., Ltd.", "Hangzhou Hikvision Digital Technology Co., Ltd."},
	{"a=b", "a=b"},
	{"'quoted'", "'quoted'"},
	{"'", "'"},
	{"", ""},
	{"-12", "-12"},
	{"+3.5", "+3.5"},
	{"-0.912", "-0.912"},
	{"-", "'-"},
	{"-.5", "'-.5"},
	{"-1e5", "'-1e5"},
	{"-1.", "'-1."},
	{"+49 30 1234", "'+49 30 1234"},
}

func TestField(t *testing.T) {
	for _, c := range cases {
		if got := Field(c.in); got != c.want {
			t.Errorf("Field(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Unquote(Field(c.in)); got != c.in {
			t.Errorf("Unquote(Field(%q)) = %q", c.in, got)
		}
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	rec := []string{"C-1", "=HYPERLINK(\"http://evil.example\")", "@SUM(A1)", "-0.5"}
	if err := w.WriteAll([][]string{{"id", "name", "alias", "n"}, rec}); err != nil {
		t.Fatal(err)
	}
	if rec[1] != "=HYPERLINK(\"http://evil.example\")" {
		t.Fatal("Write changed the caller's record")
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got[1][1] != "'=HYPERLINK(\"http://evil.example\")" || got[1][2] != "'@SUM(A1)" || got[1][3] != "-0.5" || got[1][0] != "C-1" {
		t.Fatalf("written: %q", got)
	}
}

func FuzzField(f *testing.F) {
	for _, c := range cases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := Field(s)
		if Unquote(g) != s {
			t.Fatalf("Unquote(Field(%q)) = %q", s, Unquote(g))
		}
		if g != "" && risky(g[0]) && !isNumber(g) {
			t.Fatalf("Field(%q) = %q starts with a formula character", s, g)
		}
	})
}
