package http

import (
	"errors"
	"fmt"
	"mime"
	nethttp "net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/jobs"
)

// Limits of the batch jobs API.
const (
	// DefaultMaxUploadSize bounds a batch job's upload unless Server.MaxUploadSize says otherwise.
	DefaultMaxUploadSize = 100 << 20
	// uploadTimeout and downloadTimeout replace the server's read and write timeouts for job uploads and
	// result downloads, which may be large.
	uploadTimeout   = 10 * time.Minute
	downloadTimeout = 10 * time.Minute
	// MaxNameColumns bounds the distinct name_column parameters of POST /v1/batch, and MaxColumnName the
	// length of each, in bytes.
	MaxNameColumns = 32
	MaxColumnName  = 256
)

// Job is a batch job as GET /v1/batch/{id} shows it (package jobs).
type Job = jobs.Job

// Job states.
const (
	JobQueued  = jobs.Queued
	JobRunning = jobs.Running
	JobDone    = jobs.Done
	JobFailed  = jobs.Failed
)

// Input formats and their media types.
const (
	mediaCSV   = "text/csv"
	mediaJSONL = "application/x-ndjson"
	mediaXLSX  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

var inputFormats = map[string]string{
	mediaCSV: "csv", "application/csv": "csv",
	mediaJSONL: "jsonl", "application/jsonl": "jsonl", "application/x-jsonlines": "jsonl", "application/jsonlines": "jsonl",
	mediaXLSX: "xlsx",
}

var resultTypes = map[string]string{"jsonl": mediaJSONL + "; charset=utf-8", "csv": mediaCSV + "; charset=utf-8", "xlsx": mediaXLSX}

// startJobs opens the batch job queue (package jobs) when the server has a jobs directory. With a Store that
// keeps batch jobs (sqlite.DB, postgres.DB), the jobs are shared with every instance using the same database
// and jobs directory.
func (s *Server) startJobs() error {
	if s.JobsDir == "" {
		return nil
	}
	cfg := jobs.Config{Dir: s.JobsDir, Service: s.Service, Workers: s.BatchWorkers, CPUs: s.BatchCPUs,
		Retention: s.JobRetention, Logger: s.logger(), Now: s.Now, Version: s.Version, Lease: s.JobLease, Poll: s.JobPoll,
		ChunkRows: s.JobChunkRows}
	if st, ok := s.Store.(interface {
		BatchJobs() tradescreen.BatchJobService
	}); ok {
		cfg.Store = st.BatchJobs()
	}
	q, err := jobs.Open(cfg)
	if err != nil {
		return err
	}
	s.jobs = q
	return nil
}

// batchParams are the query parameters POST /v1/batch accepts.
var batchParams = []string{"threshold", "limit", "source", "name", "name_column"}

func (s *Server) handleBatchCreate(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if s.jobs == nil {
		return errorf(tradescreen.ENOTFOUND, "batch jobs are not enabled on this server: it has no jobs directory")
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	format, ok := inputFormats[mt]
	if !ok {
		return errorf(EMEDIATYPE, "Content-Type: %q is not supported; send %s (CSV with a header naming a name column), %s (JSON Lines) or %s (an Excel workbook)", ct, mediaCSV, mediaJSONL, mediaXLSX)
	}
	spec := jobs.Spec{Format: format}
	if err := parseBatchParams(r.URL.Query(), &spec); err != nil {
		return err
	}
	// Uploads may be large: give this request more time than the server's read timeout.
	_ = nethttp.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
	limit := s.maxUploadSize()
	job, err := s.jobs.Submit(r.Context(), actor(r), nethttp.MaxBytesReader(w, r.Body, limit), spec)
	var mbe *nethttp.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(tradescreen.ETOOLARGE, "body: larger than %d bytes; split the file", limit)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/batch/"+job.ID)
	writeJSON(w, nethttp.StatusAccepted, jobView(job))
	return nil
}

func (s *Server) maxUploadSize() int64 {
	if s.MaxUploadSize > 0 {
		return s.MaxUploadSize
	}
	return DefaultMaxUploadSize
}

// parseBatchParams reads the screening options of POST /v1/batch. Errors are EINVALID naming the parameter.
func parseBatchParams(v url.Values, spec *jobs.Spec) error {
	for k, vals := range v {
		known := false
		for _, p := range batchParams {
			known = known || k == p
		}
		if !known {
			return errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: %s", k, strings.Join(batchParams, ", "))
		}
		if k != "source" && k != "name_column" && len(vals) > 1 {
			return errorf(tradescreen.EINVALID, "%s: given %d times; give it once", k, len(vals))
		}
	}
	if s := v.Get("threshold"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 || f > 1 {
			return errorf(tradescreen.EINVALID, "threshold: %q is not a number in (0, 1]", s)
		}
		spec.Threshold = f
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return errorf(tradescreen.EINVALID, "limit: %q is not a whole number in 1..1000", s)
		}
		spec.Limit = n
	}
	for _, s := range v["source"] {
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if _, ok := tradescreen.LookupSource(c); !ok {
				return errorf(tradescreen.EINVALID, "source: unknown list code %q", c)
			}
			spec.Sources = append(spec.Sources, c)
		}
	}
	var err error
	if spec.Sources, err = distinctSources("source", spec.Sources); err != nil {
		return err
	}
	if name := strings.TrimSpace(v.Get("name")); name != "" {
		spec.FileName = filepath.Base(name)
	}
	return parseNameColumns(v["name_column"], spec)
}

// parseNameColumns reads the name_column parameters: each names one column of the upload's header (a name
// may hold a comma), screened as a party of its own; a name repeated (in any case, as headers are matched)
// counts once, as first given.
// Errors are EINVALID for an empty name, one over MaxColumnName bytes or more than MaxNameColumns names.
func parseNameColumns(vals []string, spec *jobs.Spec) error {
	for _, c := range vals {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
			return errorf(tradescreen.EINVALID, "name_column: empty; give a column of the file's header, or leave the parameter out to detect the name column")
		case len(c) > MaxColumnName:
			return errorf(tradescreen.EINVALID, "name_column: longer than %d bytes", MaxColumnName)
		case slices.ContainsFunc(spec.NameColumns, func(n string) bool { return strings.EqualFold(n, c) }):
			continue // headers are matched without regard to case
		case len(spec.NameColumns) == MaxNameColumns:
			return errorf(tradescreen.EINVALID, "name_column: more than %d columns", MaxNameColumns)
		}
		spec.NameColumns = append(spec.NameColumns, c)
	}
	return nil
}

// jobView adds the result URLs to a finished job.
func jobView(job jobs.Job) jobs.Job {
	if job.State == jobs.Done {
		job.Results = map[string]string{}
		for _, f := range jobs.Formats {
			if job.Unavailable[f] == "" {
				job.Results[f] = "/v1/batch/" + job.ID + "/results?format=" + f
			}
		}
	}
	return job
}

// job returns the job named by the request's id, if the request's actor may see it (its creator, an
// approver or an admin: jobs.CanSee). Errors are ENOTFOUND, for another's job as for none.
func (s *Server) job(r *nethttp.Request) (jobs.Job, error) {
	if s.jobs == nil {
		return jobs.Job{}, errorf(tradescreen.ENOTFOUND, "batch jobs are not enabled on this server: it has no jobs directory")
	}
	return s.jobs.GetAs(actor(r), r.PathValue("id"))
}

func (s *Server) handleBatchJob(w nethttp.ResponseWriter, r *nethttp.Request) error {
	job, err := s.job(r)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, jobView(job))
	return nil
}

func (s *Server) handleBatchResults(w nethttp.ResponseWriter, r *nethttp.Request) error {
	job, err := s.job(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "format" {
			return errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: format", k)
		}
	}
	format := v.Get("format")
	if format == "" {
		format = "jsonl"
	}
	path, err := s.jobs.Results(job.ID, format)
	if err != nil {
		return err
	}
	return serveDownload(w, r, path, resultTypes[format], fmt.Sprintf("batch-%s.%s", job.ID, format))
}

// serveDownload sends a job's file as an attachment named name (Range requests work), with the longer write
// deadline of downloads.
func serveDownload(w nethttp.ResponseWriter, r *nethttp.Request, path, contentType, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_ = nethttp.NewResponseController(w).SetWriteDeadline(time.Now().Add(downloadTimeout))
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	nethttp.ServeContent(w, r, "", st.ModTime(), f)
	return nil
}
