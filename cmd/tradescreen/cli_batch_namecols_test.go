package main

import (
	"path/filepath"
	"regexp"
	"testing"
)

// TestCLIBatchReportNameColumns runs batch --report on inputs whose name columns are detected or given: the
// report's settings name the columns screened as names, once, and say when they were detected (JSONL rows
// may use different members: each is named, in the order first met).
func TestCLIBatchReportNameColumns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	setting := regexp.MustCompile(`<dt>Name columns</dt><dd>([^<]*)</dd>`)
	for _, c := range []struct {
		name, file, body string
		flags            []string
		want             string
	}{
		{"csv detected", "customers.csv", "customer_id,company_name,country\nC-1,Rosneft Trade Ltd,RU\nC-2,Apple Inc.,US\n", nil,
			"company_name (detected)"},
		{"jsonl detected", "customers.jsonl", `{"id":"1","name":"Rosneft Trade Ltd"}` + "\n" + `{"id":"2","company_name":"Apple Inc."}` + "\n" +
			`{"id":"3","name":"Atlas Sanatgaran"}` + "\n", nil, "name, company_name (detected)"},
		{"csv given", "parties.csv", "id,company_name,trading_name\n1,Rosneft Trade Ltd,Rosneft\n", []string{"--name-column", "company_name", "--name-column", "trading_name"},
			"company_name, trading_name"},
		{"csv without rows", "empty.csv", "id,customer_name\n", nil, "customer_name (detected)"},
	} {
		in := cliWriteFile(t, dir, c.file, []byte(c.body))
		rep := filepath.Join(dir, c.name+".html")
		args := append([]string{"batch", "--list", cliSmallList, "--report", rep, in, "-o", filepath.Join(dir, c.name+".jsonl")}, c.flags...)
		cliRun(t, args...).cliWant(t, 0)
		got := setting.FindAllStringSubmatch(string(cliReadFile(t, rep)), -1)
		if len(got) != 1 || got[0][1] != c.want {
			t.Errorf("%s: the report's Name columns settings are %q, want one: %q", c.name, got, c.want)
		}
	}
}
