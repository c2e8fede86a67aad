package http_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
)

// TestBatchNameColumns: POST /v1/batch takes the name columns as the batch page does, one name_column
// parameter each: a customer file whose header names no name column is refused without them (422), and
// screened with them, each column's names as parties of their own (Hikvision only as K-1's trading name).
// Bad values are 400 or, for a column the header lacks, 422 naming it; nothing is kept.
func TestBatchNameColumns(t *testing.T) {
	dir := t.TempDir()
	ts := jobsServer(t, dir)
	const file = "kundennummer,firma,handelsname\nK-1,Northwind Logistics GmbH,Hikvision\nK-2,Zhejiang Dahua Technology Co. Ltd.,\n"
	post := func(query string) *response {
		return do(t, "POST", ts.URL+"/v1/batch"+query, strings.NewReader(file), "Content-Type", mediaCSV)
	}
	post("").wantError(t, 422, tradescreen.EUNPROCESSABLE, "no name column", "kundennummer, firma, handelsname")

	job := submit(t, ts, "?name_column=firma&name_column=handelsname&name_column=Firma", mediaCSV, []byte(file))
	if strings.Join(job.NameColumns, "|") != "firma|handelsname" {
		t.Errorf("accepted job's name columns: %q", job.NameColumns)
	}
	job = wait(t, ts, job.ID)
	if job.State != tshttp.JobDone || job.RowsDone != 2 || job.WithMatches != 2 || strings.Join(job.NameColumns, "|") != "firma|handelsname" {
		t.Fatalf("job %+v: want both rows with matches (Hikvision as the trading name, Dahua as the firm)", job)
	}
	r := get(t, ts.URL+"/v1/batch/"+job.ID+"/results?format=csv")
	r.wantStatus(t, 200)
	if !strings.Contains(string(r.Body), "Hikvision") || !strings.Contains(string(r.Body), "us_el") {
		t.Errorf("CSV results:\n%s", r.Body)
	}
	// The job's report names the name columns once, given or detected.
	reportNameColumns(t, ts, job.ID, "firma, handelsname")

	var many []string
	for i := range tshttp.MaxNameColumns + 1 {
		many = append(many, "name_column=c"+fmt.Sprint(i))
	}
	for _, c := range []struct {
		query  string
		status int
		code   string
		want   []string
	}{
		{"?name_column=", 400, tradescreen.EINVALID, []string{"name_column: empty"}},
		{"?name_column=" + strings.Repeat("x", tshttp.MaxColumnName+1), 400, tradescreen.EINVALID, []string{"name_column: longer than 256 bytes"}},
		{"?" + strings.Join(many, "&"), 400, tradescreen.EINVALID, []string{"name_column: more than 32 columns"}},
		{"?name_column=" + url.QueryEscape("umsatz, brutto"), 422, tradescreen.EUNPROCESSABLE, []string{`no column "umsatz, brutto"`, "kundennummer, firma, handelsname"}},
	} {
		post(c.query).wantError(t, c.status, c.code, c.want...)
	}
	for _, f := range jobFiles(t, dir) {
		if !strings.HasPrefix(f, job.ID) {
			t.Errorf("a refused upload left %s", f)
		}
	}
	detected := wait(t, ts, submit(t, ts, "", mediaCSV, []byte(customersCSV)).ID)
	reportNameColumns(t, ts, detected.ID, "name (detected)")
}

// reportNameColumns checks a done job's HTML report gives its name columns once, as want.
func reportNameColumns(t *testing.T, ts *testServer, id, want string) {
	t.Helper()
	r := get(t, ts.URL+"/batch/"+id+"/report")
	r.wantStatus(t, 200)
	got := regexp.MustCompile(`<dt>Name columns</dt><dd>([^<]*)</dd>`).FindAllStringSubmatch(string(r.Body), -1)
	if len(got) != 1 || got[0][1] != want {
		t.Errorf("job %s report: Name columns %q, want one: %q", id, got, want)
	}
}
