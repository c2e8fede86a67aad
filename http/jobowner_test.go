package http_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	tshttp "github.com/tradescreen/tradescreen/http"
)

// TestBatchJobOwner: the review's viewer read a job id from the audit trail and downloaded another user's
// upload and results. A job, its state and its results are its creator's, an approver's and an admin's: any
// other user gets the 404 a job that does not exist gets, word for word.
func TestBatchJobOwner(t *testing.T) {
	const apiKey = "job-owner-key-0123456789"
	ts := jobsServer(t, t.TempDir(), func(s *tshttp.Server) { s.APIKey = apiKey; s.Store = sqliteStore(t) })
	keys := map[string]string{}
	for name, role := range map[string]string{"vic": "viewer", "val": "viewer", "ann": "analyst", "apo": "approver", "adm": "admin"} {
		keys[name] = addUser(t, ts, name, role, bearer(apiKey)...)
	}
	job := submit(t, ts, "?name=customers.csv", mediaCSV, []byte(customersCSV), bearer(keys["vic"])...)
	if job = wait(t, ts, job.ID, bearer(keys["vic"])...); job.State != tshttp.JobDone || job.CreatedBy != "vic" {
		t.Fatalf("job: %+v", job)
	}
	paths := []string{"/v1/batch/" + job.ID}
	for _, f := range []string{"jsonl", "csv", "xlsx"} {
		paths = append(paths, "/v1/batch/"+job.ID+"/results?format="+f)
	}
	const none = "0123456789abcdef01234567"
	for _, who := range []string{"val", "ann"} {
		for _, p := range paths {
			r := get(t, ts.URL+p, bearer(keys[who])...)
			r.wantError(t, 404, tradescreen.ENOTFOUND, "no batch job")
			absent := get(t, ts.URL+strings.Replace(p, job.ID, none, 1), bearer(keys[who])...)
			if strings.ReplaceAll(string(r.Body), job.ID, none) != string(absent.Body) {
				t.Errorf("%s %s: %s differs from a missing job's %s", who, p, r.Body, absent.Body)
			}
		}
	}
	for _, h := range [][]string{bearer(keys["vic"]), bearer(keys["apo"]), bearer(keys["adm"]), bearer(apiKey)} {
		for _, p := range paths {
			if r := get(t, ts.URL+p, h...); r.Status != 200 {
				t.Errorf("%s %s: status %d: %.200s", h[1][:12], p, r.Status, r.Body)
			}
		}
	}
}
