package main

import (
	"strings"
	"testing"
)

// A mistake in how a command is called exits 2 with a message naming what is wrong and a pointer to --help,
// before any list is loaded.
func TestCLIUsageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"check without a name", []string{"check"}, []string{"NAME", "required", "tradescreen check --help"}},
		{"check with only flags", []string{"check", "--json", "--type", "person"}, []string{"NAME", "required"}},
		{"check bad --type", []string{"check", "--type", "robot", "Hikvision"}, []string{"type", `"robot"`, "person", "organization"}},
		{"check bad --country code", []string{"check", "--country", "ZZ", "Hikvision"}, []string{"country", `"ZZ"`}},
		{"check bad --country name", []string{"check", "--country", "Narnia", "Hikvision"}, []string{"country", `"Narnia"`}},
		{"check --threshold above 1", []string{"check", "--threshold", "1.5", "Hikvision"}, []string{"threshold", "1.5"}},
		{"check --threshold below 0", []string{"check", "--threshold", "-0.1", "Hikvision"}, []string{"threshold", "-0.1"}},
		{"check --threshold not a number", []string{"check", "--threshold", "high", "Hikvision"}, []string{"threshold", `"high"`}},
		{"check --limit too large", []string{"check", "--limit", "5000", "Hikvision"}, []string{"limit", "5000"}},
		{"check unknown --source", []string{"check", "--source", "us_xx", "Hikvision"}, []string{"source", `"us_xx"`}},
		{"check bad --dob", []string{"check", "--dob", "12/31/1970", "Ri Won Ho"}, []string{"12/31/1970", "YYYY"}},
		{"check unknown flag", []string{"check", "--fuzzy", "Hikvision"}, []string{"fuzzy"}},
		{"batch without input", []string{"batch"}, []string{"INPUT", "tradescreen batch --help"}},
		{"batch without -o", []string{"batch", "customers.csv"}, []string{"-o", "required"}},
		{"batch bad output extension", []string{"batch", "customers.csv", "-o", "out.txt"}, []string{"out.txt", ".jsonl", ".csv", ".xlsx"}},
		{"batch bad --threshold", []string{"batch", "customers.csv", "-o", "out.jsonl", "--threshold", "2"}, []string{"threshold", "2"}},
		{"batch bad --limit", []string{"batch", "customers.csv", "-o", "out.jsonl", "--limit", "0"}, []string{"limit", "0"}},
		{"compare one name", []string{"compare", "Dahua Technology"}, []string{"two names", "--pairs"}},
		{"compare bad --type", []string{"compare", "--type", "robot", "A", "B"}, []string{"type", `"robot"`}},
		{"compare --pairs with names", []string{"compare", "--pairs", "pairs.csv", "A", "B"}, []string{"--pairs"}},
		{"lists unknown subcommand", []string{"lists", "frob"}, []string{`"frob"`, "show", "formats"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := cliRun(t, c.args...)
			r.cliWant(t, 2)
			if r.stdout != "" {
				t.Errorf("a usage error printed to stdout:\n%s", r.stdout)
			}
			cliContainsAll(t, "stderr", r.stderr, c.wants...)
			cmd := c.args[0]
			if !strings.Contains(r.stderr, "tradescreen "+cmd+": ") || !strings.Contains(r.stderr, "Run 'tradescreen "+cmd+" --help' for usage.") {
				t.Errorf("stderr does not name the command and point to its help:\n%s", r.stderr)
			}
		})
	}
}

func TestCLIUnknownCommand(t *testing.T) {
	t.Parallel()
	r := cliRun(t, "screen", "Hikvision")
	r.cliWant(t, 2)
	cliContainsAll(t, "stderr", r.stderr, `unknown command "screen"`, "check", "batch", "compare", "lists")
	if r.stdout != "" {
		t.Errorf("stdout: %s", r.stdout)
	}
}

func TestCLINoArguments(t *testing.T) {
	t.Parallel()
	r := cliRun(t)
	r.cliWant(t, 2)
	cliContainsAll(t, "usage", r.stdout+r.stderr, "Usage:", "check", "batch", "compare", "lists")
}

// --help (and help COMMAND) exits 0 and shows the command's synopsis and flags.
func TestCLIHelp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args  []string
		wants []string
	}{
		{[]string{"--help"}, []string{"Usage:", "check", "batch", "compare", "lists"}},
		{[]string{"help"}, []string{"Usage:", "check", "batch", "compare", "lists"}},
		{[]string{"check", "--help"}, []string{"tradescreen check", "-type", "-country", "-list", "-json", "-threshold", "-source", "0.80"}},
		{[]string{"check", "-h"}, []string{"tradescreen check", "-type"}},
		{[]string{"help", "check"}, []string{"tradescreen check", "-type"}},
		{[]string{"batch", "--help"}, []string{"tradescreen batch", "INPUT", "-o", "-list", "-threshold", "-limit", "match_count", "best_score"}},
		{[]string{"compare", "--help"}, []string{"tradescreen compare", "NAME_A", "NAME_B", "-pairs", "name1", "name2", "-type"}},
		{[]string{"lists", "--help"}, []string{"tradescreen lists", "show", "formats", "-list", "-json"}},
		{[]string{"eval", "--help"}, []string{"tradescreen eval", "-pairs", "-negatives", "-threshold"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Parallel()
			r := cliRun(t, c.args...)
			r.cliWant(t, 0)
			cliContainsAll(t, "help output", r.stdout+r.stderr, c.wants...)
		})
	}
}

func TestCLIVersion(t *testing.T) {
	t.Parallel()
	r := cliRun(t, "version")
	r.cliWant(t, 0)
	if !strings.HasPrefix(r.stdout, "tradescreen ") {
		t.Errorf("version printed %q", r.stdout)
	}
}

// TestEvalSkips: eval --pairs "" --negatives "" --exact=false measures the variations only, and says nothing
// of files it was told to skip.
func TestEvalSkips(t *testing.T) {
	r := cliRun(t, "eval", "--list", "csl="+cliLists+"/csl/consolidated_2025-06_sample.csv", "--pairs", "", "--negatives", "",
		"--exact=false", "--per-category", "2")
	r.cliWant(t, 0)
	if !strings.Contains(r.stdout, "Variations of real list names") || strings.Contains(r.stdout+r.stderr, "no such file") {
		t.Errorf("eval with skips:\n%s\n%s", r.stdout, r.stderr)
	}
}
