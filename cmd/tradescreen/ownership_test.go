package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

const ownTestData = "../../ownership/testdata/owners.csv"

// ownCSL is the real 2022 CSL alone (the US lists), so the runs do not load every embedded list.
const ownCSL = "csl=" + cliLists + "/csl/consolidated_2022-05-16.csv.gz"

// check --ownership reports the BIS Affiliates Rule finding with its path, in force inside the rule's first
// period and suspended inside the suspension window.
func TestOwnershipCheck(t *testing.T) {
	name := "Chengdu Dahua Wisdom Information Technology"
	in := cliRun(t, "check", "--list", ownCSL, "--ownership", ownTestData, "--as-of", "2025-10-01", name)
	if in.code != 0 {
		t.Fatalf("exit %d: %s", in.code, in.stderr)
	}
	for _, want := range []string{
		"! BIS Affiliates Rule: owned 50 % or more by listed parties (100 %, in the aggregate)",
		"Chengdu Dahua Wisdom Information Technology Co., Ltd. <- 100 % Zhejiang Dahua Technology Co., Ltd. (us_el, 84 FR 54002",
		"bis_affiliates, in force (2025-09-29 .. 2025-11-09)",
		"90 FR 47201",
		"presumption of denial for all other items subject to the EAR (as Dahua Technology, us_el/",
	} {
		if !strings.Contains(in.stdout, want) {
			t.Errorf("in force: missing %q in\n%s", want, in.stdout)
		}
	}
	sus := cliRun(t, "ownership", "check", "--list", ownCSL, "--data", ownTestData, "--as-of", "2026-01-15", name)
	if sus.code != 0 || !strings.Contains(sus.stdout, "suspended on 2026-01-15 (2025-11-10 .. 2026-11-09): no restriction from ownership") || strings.Contains(sus.stdout, "! BIS") {
		t.Errorf("suspended: exit %d\n%s%s", sus.code, sus.stdout, sus.stderr)
	}
	js := cliRun(t, "check", "--list", ownCSL, "--json", "--ownership", ownTestData, "--as-of", "2025-10-01", "Shenzhen Example Joint Venture")
	var out struct {
		Matches   []json.RawMessage              `json:"matches"`
		Ownership []tradescreen.OwnershipFinding `json:"ownership"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, js.stdout)
	}
	fs := out.Ownership
	if len(fs) != 1 || fs[0].Rule != "bis_affiliates" || !fs[0].Applies || fs[0].Share != 50 || len(fs[0].Paths) != 2 {
		t.Errorf("two 25 %% owners: %+v", fs)
	}
}

func TestOwnershipUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ownership"}, 2, "a subcommand is required"},
		{[]string{"ownership", "check", "X"}, 2, "--data FILE is required"},
		{[]string{"ownership", "check", "--data", "nope.csv", "X"}, 1, "cannot read nope.csv"},
		{[]string{"ownership", "rules", "--as-of", "2025-13-01"}, 2, "want YYYY-MM-DD"},
		{[]string{"ownership", "frob"}, 2, "unknown subcommand"},
	} {
		r := cliRun(t, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	r := cliRun(t, "ownership", "rules", "--as-of", "2025-10-01")
	if r.code != 0 || !strings.Contains(r.stdout, "bis_affiliates  in_force   2025-09-29 .. 2025-11-09") || !strings.Contains(r.stdout, "ofac_50") {
		t.Errorf("rules: %s", r.stdout)
	}
}
