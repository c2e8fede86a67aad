package main

import (
	"strings"
	"testing"
)

// --max-list-age refuses an answer resting on lists older than it, with exit status 3 and the lists named;
// without it the answer is given with one warning line naming the stale lists.
func TestCLIMaxListAge(t *testing.T) {
	dir := t.TempDir()
	order := cliWriteFile(t, dir, "order.json", []byte(rulesOrderJSON("DE", `{"eccn": "EAR99"}`)))
	in := cliWriteFile(t, dir, "in.csv", []byte("id,name\n1,Hikvision\n"))
	for _, args := range [][]string{
		{"check", "--max-list-age", "7d", "Hikvision"},
		{"order", "--max-list-age", "7d", order},
		{"batch", in, "-o", dir + "/out.jsonl", "--max-list-age", "7d"},
	} {
		r := cliRun(t, args...)
		if r.code != 3 || !strings.Contains(r.stderr, "refusing to answer on lists older than the maximum age of 7d") ||
			!strings.Contains(r.stderr, "gb_hmt (published 2020-04-27") {
			t.Errorf("%v: exit %d, want 3 naming the old lists:\n%s", args, r.code, r.stderr)
		}
	}
	r := cliRun(t, "check", "--max-list-age", "36500d", "Hikvision")
	r.cliWant(t, 0)
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("lists younger than 100 years warned about:\n%s", r.stderr)
	}
	r = cliRun(t, "check", "--max-list-age", "soon", "Hikvision")
	r.cliWant(t, 2)
}
