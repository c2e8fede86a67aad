package http

import (
	"fmt"
	"mime"
	nethttp "net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/jobs"
)

// batchRefreshSeconds is how often the page of a queued or running job reloads itself (a meta refresh: the
// CSP allows no script).
const batchRefreshSeconds = 2

// batchPage is the data of the batch page: the upload form and the jobs of the signed-in user.
type batchPage struct {
	// Enabled is false when the server has no jobs directory.
	Enabled bool
	// Error is a problem with the upload, shown beside the form; NameColumns and Threshold echo the form.
	Error                  string
	NameColumns, Threshold string
	Jobs                   []jobs.Job
	MaxUploadMB            int64
	RetentionDays          int
}

// batchJobPage is the data of one job's page.
type batchJobPage struct {
	Job jobs.Job
	// Active is true while the job is queued or running (the page then reloads itself).
	Active bool
	// Downloads are the result files, in jobs.Formats order.
	Downloads []batchDownload
}

// batchDownload is one result format of a done job: its URL, or why it is missing.
type batchDownload struct {
	Format, URL, Unavailable string
}

func (s *Server) handleUIBatch(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return s.renderBatch(w, r, nethttp.StatusOK, batchPage{})
}

// renderBatch renders the batch page with the signed-in user's jobs, newest first.
func (s *Server) renderBatch(w nethttp.ResponseWriter, r *nethttp.Request, status int, p batchPage) error {
	p.MaxUploadMB = MaxFormUploadBytes >> 20
	if s.jobs != nil {
		var err error
		p.Enabled = true
		if p.Jobs, err = s.jobs.List(actor(r).Name); err != nil {
			return err
		}
		p.RetentionDays = s.jobs.RetentionDays()
	}
	return s.render(w, r, status, "batch.html", &pageData{Title: "Batch screening", Nav: "batch", Page: p})
}

// handleUIBatchSubmit queues the uploaded file as a batch job (the queue of POST /v1/batch) and redirects to
// the job's page. A file the job could not screen is shown beside the form.
func (s *Server) handleUIBatchSubmit(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if s.jobs == nil {
		return errorf(tradescreen.ENOTFOUND, "batch jobs are not enabled on this server: it has no jobs directory")
	}
	p := batchPage{NameColumns: strings.TrimSpace(r.PostFormValue("name_columns")), Threshold: strings.TrimSpace(r.PostFormValue("threshold"))}
	job, err := s.submitUpload(r, p)
	switch tradescreen.ErrorCode(err) {
	case "":
		nethttp.Redirect(w, r, "/batch/"+job.ID, nethttp.StatusSeeOther)
		return nil
	case tradescreen.EINVALID, tradescreen.EUNPROCESSABLE, tradescreen.ETOOLARGE, tradescreen.EUNAVAILABLE:
		var status int
		_, status, p.Error = s.errorInfo(r, err)
		return s.renderBatch(w, r, status, p)
	}
	return err
}

// submitUpload submits the form's file with its options. Errors: EINVALID for a missing file, an unknown
// format or a bad option, and those of jobs.Queue.Submit.
func (s *Server) submitUpload(r *nethttp.Request, p batchPage) (jobs.Job, error) {
	f, fh, err := r.FormFile("file")
	if err != nil {
		return jobs.Job{}, errorf(tradescreen.EINVALID, "file: choose a CSV, JSON Lines or XLSX file to screen")
	}
	defer f.Close()
	name := filepath.Base(fh.Filename)
	spec := jobs.Spec{Format: uploadFormat(name, fh.Header.Get("Content-Type")), FileName: name}
	if spec.Format == "" {
		return jobs.Job{}, errorf(tradescreen.EINVALID, "file: %s is not a CSV (.csv, .txt), JSON Lines (.jsonl, .ndjson) or Excel (.xlsx) file", name)
	}
	if p.Threshold != "" {
		if err := parseBatchParams(url.Values{"threshold": {p.Threshold}}, &spec); err != nil {
			return jobs.Job{}, err
		}
	}
	for _, c := range strings.Split(p.NameColumns, ",") {
		if c = strings.TrimSpace(c); c != "" {
			spec.NameColumns = append(spec.NameColumns, c)
		}
	}
	return s.jobs.Submit(r.Context(), actor(r), f, spec)
}

// uploadFormat is the batch input format of an uploaded file, by its extension and else its media type; ""
// when neither names one.
func uploadFormat(name, contentType string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv":
		return "csv"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".xlsx":
		return "xlsx"
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return inputFormats[mt]
}

// ownJob returns the job of the request's id when the signed-in user may see it, as the API decides
// (jobs.CanSee: its creator, approvers and admins); another user's job is not found. Errors: ENOTFOUND.
func (s *Server) ownJob(r *nethttp.Request) (jobs.Job, error) { return s.job(r) }

func (s *Server) handleUIBatchJob(w nethttp.ResponseWriter, r *nethttp.Request) error {
	job, err := s.ownJob(r)
	if err != nil {
		return err
	}
	p := batchJobPage{Job: job, Active: job.State == jobs.Queued || job.State == jobs.Running}
	if job.State == jobs.Done {
		for _, f := range jobs.Formats {
			d := batchDownload{Format: f, Unavailable: job.Unavailable[f]}
			if d.Unavailable == "" {
				d.URL = "/batch/" + job.ID + "/results?format=" + f
			}
			p.Downloads = append(p.Downloads, d)
		}
	}
	d := &pageData{Title: job.FileName + " — batch job", Nav: "batch", Page: p}
	if p.Active {
		d.Refresh = batchRefreshSeconds
	}
	return s.render(w, r, nethttp.StatusOK, "batch_job.html", d)
}

// handleUIBatchResults downloads a job's results as GET /v1/batch/{id}/results does, for the job's owner.
func (s *Server) handleUIBatchResults(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if _, err := s.ownJob(r); err != nil {
		return err
	}
	return s.handleBatchResults(w, r)
}

// handleUIBatchReport downloads a done job's HTML report (a self-contained page to keep with the results).
func (s *Server) handleUIBatchReport(w nethttp.ResponseWriter, r *nethttp.Request) error {
	job, err := s.ownJob(r)
	if err != nil {
		return err
	}
	path, err := s.jobs.Report(job.ID)
	if err != nil {
		return err
	}
	return serveDownload(w, r, path, "text/html; charset=utf-8", fmt.Sprintf("batch-%s-report.html", job.ID))
}
