package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// storeCustomers is a customer file with real names: two listed parties as a customer file writes them and
// a real unlisted issuer.
const storeCustomers = `customer_id,company_name,country,segment
C-1,Rosneft Trade Ltd,Cyprus,energy
C-2,Atlas Sanatgaran,IR,industrial
C-3,MICROSOFT CORP,US,software
`

// storeSetup writes the customer file into a temporary directory and returns the --db flag of a fresh
// SQLite database there and the file's path.
func storeSetup(t *testing.T) (db, file string) {
	t.Helper()
	dir := t.TempDir()
	file = filepath.Join(dir, "customers.csv")
	if err := os.WriteFile(file, []byte(storeCustomers), 0o644); err != nil {
		t.Fatal(err)
	}
	return "--db=" + filepath.Join(dir, "tradescreen.db"), file
}

func TestPartiesCommand(t *testing.T) {
	db, file := storeSetup(t)
	r := cliRun(t, "parties", "import", file, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "import", r.stdout, "customers.csv: 3 rows: 3 created, 0 updated, 0 restored, 0 unchanged")
	cliRun(t, "parties", "import", file, db).cliWant(t, 0)

	r = cliRun(t, "parties", "list", "--json", db)
	r.cliWant(t, 0)
	var list struct {
		Total   int `json:"total"`
		Parties []struct {
			ID      string            `json:"id"`
			Name    string            `json:"name"`
			Country string            `json:"country"`
			Extra   map[string]string `json:"extra"`
			Version int               `json:"version"`
		} `json:"parties"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 3 || list.Parties[0].ID != "C-1" || list.Parties[0].Country != "CY" || list.Parties[0].Extra["segment"] != "energy" || len(list.Parties[0].Extra) != 1 {
		t.Fatalf("parties: %+v", list)
	}

	r = cliRun(t, "parties", "update", "C-1", "--name", "Rosneft Trading SA", "--reason", "renamed in the ERP", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "update", r.stdout, "C-1 updated: Rosneft Trading SA, version 2")
	cliRun(t, "parties", "update", "C-1", "--name", "X", db).cliWant(t, 2)
	cliRun(t, "parties", "delete", "C-3", db).cliWant(t, 2)
	cliRun(t, "parties", "delete", "C-3", "--reason", "no longer a customer", db).cliWant(t, 0)
	r = cliRun(t, "parties", "list", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "list", r.stdout, "C-1", "Rosneft Trading SA", "2 of 2 parties")
	if strings.Contains(r.stdout, "MICROSOFT") {
		t.Errorf("deleted party listed:\n%s", r.stdout)
	}
	r = cliRun(t, "parties", "list", "--all", db)
	cliContainsAll(t, "list --all", r.stdout, "MICROSOFT CORP", "deleted ", "3 of 3 parties")
	r = cliRun(t, "parties", "show", "C-2", db)
	r.cliWant(t, 0)
	cliContainsAll(t, "show", r.stdout, "C-2  Atlas Sanatgaran", "country:", "IR", "segment:", "Alerts: 0")
	r = cliRun(t, "parties", "show", "C-9", db)
	r.cliWant(t, 1)
	cliContainsAll(t, "show missing", r.stderr, `no party with id "C-9"`)
	r = cliRun(t, "parties", "frobnicate", db)
	r.cliWant(t, 2)
}

func TestPartiesImportErrors(t *testing.T) {
	db, file := storeSetup(t)
	dir := filepath.Dir(file)
	cases := []struct{ name, body, want string }{
		{"noid.csv", "company_name,country\nAcme Ltd,US\n", `parse noid.csv line 2 field "id": a party id is required`},
		{"badcountry.csv", "id,name,country\n1,Acme Ltd,US\n2,Beta GmbH,Atlantis\n", `parse badcountry.csv line 3 field "country": "Atlantis" is not an ISO 3166 country code or name`},
		{"noname.jsonl", `{"id":"1","name":"Acme"}` + "\n" + `{"id":"2","name":""}` + "\n", `parse noname.jsonl line 2 field "name": a name is required`},
		{"baddob.csv", "id,name,dob\n1,John Smith,1970-13-45\n", `parse baddob.csv line 2 field "dob"`},
	}
	for _, tc := range cases {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		r := cliRun(t, "parties", "import", p, db)
		r.cliWant(t, 1)
		cliContainsAll(t, tc.name, r.stderr, tc.want)
	}
	// Nothing of the failed files was stored.
	r := cliRun(t, "parties", "list", "--all", db)
	cliContainsAll(t, "list", r.stdout, "0 of 0 parties")
	r = cliRun(t, "parties", "list")
	r.cliWant(t, 2)
	cliContainsAll(t, "no database", r.stderr, "no database")
}

// TestPartiesImportXLSXAndJSONL imports the same real customers from an Excel workbook and from JSON Lines.
func TestPartiesImportXLSXAndJSONL(t *testing.T) {
	db, file := storeSetup(t)
	dir := filepath.Dir(file)
	f := excelize.NewFile()
	rows := [][]any{{"Customer ID", "Company Name", "Country"}, {"X-1", "Rosneft Trade Ltd", "CY"}, {"X-2", "Apple Inc.", "United States"}}
	for i, row := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "customers.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	r := cliRun(t, "parties", "import", xlsx, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "xlsx", r.stdout, "customers.xlsx: 2 rows: 2 created")
	jsonl := filepath.Join(dir, "more.jsonl")
	os.WriteFile(jsonl, []byte(`{"id":"X-2","name":"Apple Inc.","country":"US"}`+"\n"+`{"id":"X-3","name":"Atlas Sanatgaran","country":"IR","note":"new"}`+"\n"), 0o644)
	r = cliRun(t, "parties", "import", jsonl, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "jsonl", r.stdout, "more.jsonl: 2 rows: 1 created, 0 updated, 0 restored, 1 unchanged")
	r = cliRun(t, "parties", "show", "X-3", db)
	cliContainsAll(t, "show", r.stdout, "note:", "new", "IR")
}
