package http_test

import (
	"bytes"
	"mime/multipart"
	"regexp"
	"strings"
	"testing"
	"time"

	tshttp "github.com/tradescreen/tradescreen/http"
)

// batchForm is the multipart body of the batch page's form: the CSRF token, the file and the other fields.
func batchForm(t testing.TB, token, name, content string, fields ...string) (body, contentType string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fields = append([]string{"csrf_token", token}, fields...)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	w.Close()
	return b.String(), w.FormDataContentType()
}

// submitBatchPage posts a file through the batch page and returns the job page it redirects to.
func submitBatchPage(t *testing.T, ts *testServer, name, content string, header []string, fields ...string) string {
	t.Helper()
	cookie, token := formToken(t, ts, "/batch", header...)
	body, ct := batchForm(t, token, name, content, fields...)
	r := doNoRedirect(t, "POST", ts.URL+"/batch", strings.NewReader(body), append(append([]string{"Content-Type", ct}, cookie...), header...)...)
	r.wantStatus(t, 303)
	loc := r.Header.Get("Location")
	if !regexp.MustCompile(`^/batch/[0-9a-f]{24}$`).MatchString(loc) {
		t.Fatalf("redirect to %q, want a job page", loc)
	}
	return loc
}

// waitBatchPage reloads a job's page until it no longer refreshes itself and returns it.
func waitBatchPage(t *testing.T, ts *testServer, path string, header ...string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		body := string(get(t, ts.URL+path, header...).Body)
		if !strings.Contains(body, `http-equiv="refresh"`) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still in progress after 30 s", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestUIBatch uploads a customer file through the batch page, follows the job to its end and downloads the
// results in every format and the report; the job is listed under the page's "Your jobs".
func TestUIBatch(t *testing.T) {
	ts := jobsServer(t, t.TempDir())
	form := page(t, ts, "/batch", 200)
	for _, want := range []string{`action="/batch" method="post" enctype="multipart/form-data"`, `name="csrf_token"`, `id="name_columns"`, "No jobs yet", `href="/batch" aria-current="page"`} {
		if !strings.Contains(form, want) {
			t.Errorf("batch page lacks %s", want)
		}
	}
	loc := submitBatchPage(t, ts, "customers.csv", customersCSV, nil)
	done := waitBatchPage(t, ts, loc)
	id := strings.TrimPrefix(loc, "/batch/")
	for _, want := range []string{"customers.csv", `id="job-state" class="state-done"`, "4 rows screened: 2 with matches", "1 not screened",
		`href="/batch/` + id + `/results?format=jsonl"`, `href="/batch/` + id + `/results?format=xlsx"`, `href="/batch/` + id + `/report"`, "by local"} {
		if !strings.Contains(done, want) {
			t.Errorf("job page lacks %s", want)
		}
	}
	// The page and the API show the same job.
	var job tshttp.Job
	get(t, ts.URL+"/v1/batch/"+id).decode(t, &job)
	if job.State != tshttp.JobDone || job.WithMatches != 2 || job.CreatedBy != "local" {
		t.Errorf("GET /v1/batch/%s: %+v", id, job)
	}

	csv := get(t, ts.URL+loc+"/results?format=csv")
	csv.wantStatus(t, 200)
	if !strings.Contains(string(csv.Body), "Hikvision") || !strings.Contains(csv.Header.Get("Content-Disposition"), "batch-"+id+".csv") {
		t.Errorf("csv download: %s %.300s", csv.Header.Get("Content-Disposition"), csv.Body)
	}
	api := get(t, ts.URL+"/v1/batch/"+id+"/results?format=jsonl")
	if ui := get(t, ts.URL+loc+"/results?format=jsonl"); !bytes.Equal(ui.Body, api.Body) || len(ui.Body) == 0 {
		t.Errorf("the page's JSON Lines download differs from the API's")
	}
	rep := get(t, ts.URL+loc+"/report")
	rep.wantStatus(t, 200)
	for _, want := range []string{"Hangzhou Hikvision Digital Technology", job.SHA256, "customers.csv", "Name columns"} {
		if !strings.Contains(string(rep.Body), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if cd := rep.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("report Content-Disposition %q", cd)
	}
	get(t, ts.URL+loc+"/results?format=pdf").wantStatus(t, 400)

	list := page(t, ts, "/batch", 200)
	if !strings.Contains(list, `<a href="/batch/`+id+`">customers.csv</a>`) || !strings.Contains(list, `class="state-done"`) {
		t.Errorf("the batch page does not list the job")
	}
}

// TestUIBatchNameColumns: a file whose name column has a name the reader does not know is refused beside the
// form, and screened when the form names the column.
func TestUIBatchNameColumns(t *testing.T) {
	ts := jobsServer(t, t.TempDir())
	const file = "kundennummer,firma,handelsname\nK-1,Northwind Logistics GmbH,Hikvision\nK-2,Zhejiang Dahua Technology Co. Ltd.,\n"
	cookie, token := formToken(t, ts, "/batch")
	body, ct := batchForm(t, token, "kunden.csv", file)
	r := do(t, "POST", ts.URL+"/batch", strings.NewReader(body), append([]string{"Content-Type", ct}, cookie...)...)
	r.wantStatus(t, 422)
	if !strings.Contains(string(r.Body), `id="batch-error"`) || !strings.Contains(string(r.Body), "kunden.csv") {
		t.Errorf("refused upload: %.500s", r.Body)
	}

	loc := submitBatchPage(t, ts, "kunden.csv", file, nil, "name_columns", "firma, handelsname")
	done := waitBatchPage(t, ts, loc)
	if !strings.Contains(done, "firma, handelsname") || !strings.Contains(done, "with matches") {
		t.Errorf("job page: %s", done)
	}
	var job tshttp.Job
	get(t, ts.URL+"/v1/batch/"+strings.TrimPrefix(loc, "/batch/")).decode(t, &job)
	if job.State != tshttp.JobDone || job.WithMatches != 2 || strings.Join(job.NameColumns, "|") != "firma|handelsname" {
		t.Errorf("job %+v: want both rows with matches (Hikvision as the trading name, Dahua as the firm)", job)
	}

	for _, c := range []struct{ name, file, field, want string }{
		{"unknown extension", "customers.pdf", "", "is not a CSV"},
		{"bad threshold", "customers.csv", "1.5", "threshold"},
	} {
		body, ct := batchForm(t, token, c.file, customersCSV, "threshold", c.field)
		r := do(t, "POST", ts.URL+"/batch", strings.NewReader(body), append([]string{"Content-Type", ct}, cookie...)...)
		r.wantStatus(t, 400)
		if !strings.Contains(string(r.Body), c.want) {
			t.Errorf("%s: page lacks %q", c.name, c.want)
		}
	}
}

// TestUIBatchOwnJobs: each user sees only the jobs they submitted; another user's job page and downloads are
// not found, while an admin may open them.
func TestUIBatchOwnJobs(t *testing.T) {
	const apiKey = "batch-ui-test-key-0123456789"
	ts := jobsServer(t, t.TempDir(), func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t) })
	alice := basicAuth("alice", addUser(t, ts, "alice", "analyst", bearer(apiKey)...))
	bob := basicAuth("bob", addUser(t, ts, "bob", "viewer", bearer(apiKey)...))
	loc := submitBatchPage(t, ts, "alice.csv", customersCSV, alice)
	waitBatchPage(t, ts, loc, alice...)
	if !strings.Contains(string(get(t, ts.URL+"/batch", alice...).Body), "alice.csv") {
		t.Error("alice's jobs lack her file")
	}
	if strings.Contains(string(get(t, ts.URL+"/batch", bob...).Body), "alice.csv") {
		t.Error("bob sees alice's job")
	}
	for _, p := range []string{loc, loc + "/results?format=csv", loc + "/report"} {
		get(t, ts.URL+p, bob...).wantStatus(t, 404)
		get(t, ts.URL+p, basicAuth("admin", apiKey)...).wantStatus(t, 200)
	}
}

// TestUIBatchDisabled: without a jobs directory the page says so and offers no form.
func TestUIBatchDisabled(t *testing.T) {
	ts := newTestServer(t)
	p := page(t, ts, "/batch", 200)
	if !strings.Contains(p, "Batch jobs are not enabled") || strings.Contains(p, `action="/batch"`) {
		t.Errorf("batch page without jobs: %s", p)
	}
}
