package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMonitorOwnershipCommand runs 'monitor run --ownership' over the embedded snapshot: Chengdu Dahua Wisdom
// (owned 100 % by Zhejiang Dahua Technology, on the Entity List) raises an alert under the BIS Affiliates
// Rule on 2025-10-01, none again on a re-run, and none in the suspension window. It is also named itself,
// as a subsidiary of Dahua, on the Section 1260H list: that alert is raised whatever the ownership rules.
func TestMonitorOwnershipCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "customers.csv")
	customers := "customer_id,company_name,country\n" +
		"C-1,\"Chengdu Dahua Wisdom Information Technology Co., Ltd.\",CN\n" +
		"C-2,Apple Inc.,US\n"
	if err := os.WriteFile(file, []byte(customers), 0o644); err != nil {
		t.Fatal(err)
	}
	owners := "--ownership=../../ownership/testdata/owners.csv"
	dataDir := "--data-dir=" + filepath.Join(dir, "data")
	db := "--db=" + filepath.Join(dir, "tradescreen.db")
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)

	r := cliRun(t, "monitor", "run", owners, "--ownership-date", "2025-10-01", dataDir, "--verbose", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "first run", r.stdout, "ownership on 2025-10-01: 1 party and listed owner pairs", "2 alerts created, 0 reopened",
		`C-1 "Chengdu Dahua Wisdom Information Technology Co., Ltd." ~ us_el/`, `"Dahua Technology"`,
		`~ us_1260h/us_1260h-chengdu-dahua-wisdom-information-technology-co-ltd`)

	r = cliRun(t, "monitor", "run", owners, "--ownership-date", "2025-10-01", dataDir, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "second run", r.stdout, "0 alerts created, 0 reopened")

	db2 := "--db=" + filepath.Join(dir, "other.db")
	cliRun(t, "parties", "import", file, db2).cliWant(t, 0)
	r = cliRun(t, "monitor", "run", owners, "--ownership-date", "2025-12-01", dataDir, "--verbose", db2)
	r.cliWant(t, 0)
	cliContainsAll(t, "suspension", r.stdout, "ownership on 2025-12-01: 0 party", "1 alerts created",
		`~ us_1260h/us_1260h-chengdu-dahua-wisdom-information-technology-co-ltd`)
	if strings.Contains(r.stdout, "~ us_el/") {
		t.Errorf("suspension: an Entity List alert through ownership:\n%s", r.stdout)
	}

	cliRun(t, "monitor", "run", "--ownership-date", "2025-10-01", dataDir, db).cliWant(t, 2)
	cliRun(t, "monitor", "run", owners, "--ownership-date", "1 Oct", dataDir, db).cliWant(t, 2)
}
