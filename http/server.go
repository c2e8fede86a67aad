package http

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/jobs"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// Server timeouts and limits.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
	// MaxBodyBytes bounds the body of a one-party screening request, MaxBatchBodyBytes that of a batch.
	MaxBodyBytes      = 1 << 20
	MaxBatchBodyBytes = 10 << 20
	// MaxParties is the most parties one POST /v1/screen may carry.
	MaxParties = 1000
	// MinAPIKeyLength is the shortest API key accepted.
	MinAPIKeyLength = 16
	// DefaultIntegrityInterval is how often the database's integrity is checked again after the check Open
	// starts.
	DefaultIntegrityInterval = 10 * time.Minute
)

// Server is the HTTP server: the JSON API, the web UI, health and metrics over one screening service. Set the
// exported fields before Open (or before using Handler); they must not change afterwards. The service's lists
// are set with Service.SetLists, typically from a goroutine that loads them while the server already answers
// /healthz.
type Server struct {
	// Service answers every screening, order decision and batch job (package screening): it holds the lists,
	// the allow list, the ownership data and the audit recorder. NewServer sets one without lists, allow
	// list, ownership data or recorder; whoever configures the server replaces it.
	Service *screening.Service
	// Addr is the address to listen on, host:port; port 0 picks a free port. Anything but a loopback
	// address requires APIKey.
	Addr string
	// APIKey, when set, is required on every route but /healthz, /readyz, /openapi.json and static assets:
	// "Authorization: Bearer KEY", "X-API-Key: KEY", or HTTP Basic with KEY as the password (for browsers).
	// It acts as the admin "api-key". The API keys of the Store's users ("tsk_...") are accepted the same
	// way and act as their user, with the user's role. Without APIKey, a request from loopback that sends
	// no key acts as the local operator "local" (admin).
	APIKey string
	// Store is the database of parties, alerts, the audit trail and users (package sqlite or postgres); nil
	// leaves those routes answering 503 with how to configure one. Screenings, batch jobs and order decisions
	// are recorded through the Service's recorder (its audit trail, grouped: package auditlog).
	Store tradescreen.Store
	// LogNames adds screened names to the request log. Off by default: names are personal data.
	LogNames bool
	// Logger receives request logs and internal errors (slog.Default() when nil).
	Logger *slog.Logger
	// Version is shown in the UI footer and /healthz.
	Version string
	// Now returns the current time (time.Now when nil); tests set it.
	Now func() time.Time
	// DataDir is the data directory of downloaded list versions (package history). GET /v1/changes and the
	// "What changed" page compare the versions stored there; without one they answer an empty list and a
	// note.
	DataDir string
	// JobsDir holds the batch jobs (POST /v1/batch): each job's input and results (and, without a Store,
	// its state), so that jobs survive a restart. Empty disables the batch jobs API. Open starts the job
	// workers. With a Store, the jobs' states are kept in the database and shared by every instance using
	// it, which must then share JobsDir too (one file system).
	JobsDir string
	// MaxUploadSize bounds a batch job's upload (DefaultMaxUploadSize when zero).
	MaxUploadSize int64
	// BatchWorkers is how many batch jobs run at once (1 when zero).
	BatchWorkers int
	// BatchCPUs is how many goroutines screen the rows of one batch job: 0 means every CPU but one (at least
	// one), so that searches and screenings keep a CPU while a large job runs.
	BatchCPUs int
	// JobRetention is how long jobs are kept (DefaultJobRetention when zero).
	JobRetention time.Duration
	// JobLease is how long a runner's lease on a batch job lasts unless renewed (jobs.DefaultLease when
	// zero): a job whose instance died runs again on another after at most this long. JobPoll is how often
	// an idle instance looks for jobs submitted to others (jobs.DefaultPoll when zero).
	JobLease, JobPoll time.Duration
	// JobChunkRows is the most rows of one chunk of a batch job kept in a database (jobs.DefaultChunkRows
	// when zero; negative: jobs run whole): a larger job is split, and every instance works on its chunks.
	JobChunkRows int
	// IntegrityInterval is how often Store's integrity is checked again (DefaultIntegrityInterval when
	// zero). Open starts the first check in the background; /readyz answers 503 while it runs and after a
	// check fails, until one passes.
	IntegrityInterval time.Duration

	ln      net.Listener
	srv     *nethttp.Server
	mux     *nethttp.ServeMux
	routes  []Route
	metrics *metrics
	ui      *uiRenderer
	keyHash [32]byte
	diffs   diffCache
	jobs    *jobs.Queue
	health  integrity
}

// Route is one registered route.
type Route struct {
	// Pattern is the ServeMux pattern, "GET /v1/search".
	Pattern string
	// Auth is true when the route requires a key (the server's API key or a user's; none from loopback
	// when the server has no API key).
	Auth bool
	// Role is the least role that may use the route: viewer, analyst, approver or admin; empty for the
	// public routes (health, readiness, the OpenAPI document, static assets).
	Role tradescreen.Role
	// UI is true for HTML pages, false for JSON routes.
	UI bool
}

// handlerFunc is a handler that returns its error; the route's wrapper writes it as JSON or HTML.
type handlerFunc func(w nethttp.ResponseWriter, r *nethttp.Request) error

// NewServer returns a server with every route registered and the UI templates parsed.
func NewServer() *Server {
	s := &Server{mux: nethttp.NewServeMux(), metrics: newMetrics(), Service: screening.New(screening.Config{})}
	s.ui = newUIRenderer()

	// API. Each route names the least role that may use it (public: no key needed); Routes lists them.
	s.handle("GET /v1/search", viewer, false, s.handleSearch)
	s.handle("POST /v1/screen", viewer, false, s.handleScreen)
	s.handle("GET /v1/entries/{source}/{source_id}", viewer, false, s.handleEntry)
	s.handle("GET /v1/lists", viewer, false, s.handleLists)
	s.handle("POST /v1/orders", viewer, false, s.handleOrder)
	s.handle("GET /v1/changes", viewer, false, s.handleChanges)
	s.handle("POST /v1/batch", viewer, false, s.handleBatchCreate)
	s.handle("GET /v1/batch/{id}", viewer, false, s.handleBatchJob)
	s.handle("GET /v1/batch/{id}/results", viewer, false, s.handleBatchResults)
	s.handle("GET /healthz", public, false, s.handleHealthz)
	s.handle("GET /readyz", public, false, s.handleReadyz)
	s.handle("GET /metrics", viewer, false, s.handleMetrics)
	s.handle("GET /openapi.json", public, false, s.handleOpenAPI)
	s.handle("GET /openapi-3.0.json", public, false, s.handleOpenAPI30)

	// The stored side (a database is required): parties, alerts, the audit trail and users.
	s.handle("GET /v1/parties", viewer, false, s.handleParties)
	s.handle("POST /v1/parties", analyst, false, s.handlePartiesImport)
	s.handle("GET /v1/parties/{id}", viewer, false, s.handleParty)
	s.handle("PATCH /v1/parties/{id}", analyst, false, s.handlePartyUpdate)
	s.handle("DELETE /v1/parties/{id}", analyst, false, s.handlePartyDelete)
	s.handle("POST /v1/parties/{id}/screen", analyst, false, s.handlePartyScreen)
	s.handle("GET /v1/alerts", viewer, false, s.handleAlerts)
	s.handle("GET /v1/alerts/{id}", viewer, false, s.handleAlert)
	s.handle("POST /v1/alerts/{id}/transitions", analyst, false, s.handleAlertTransition)
	s.handle("GET /v1/audit", viewer, false, s.handleAudit)
	s.handle("GET /v1/audit/verify", viewer, false, s.handleAuditVerify)
	s.handle("GET /v1/audit/export", approver, false, s.handleAuditExport)
	s.handle("GET /v1/users", admin, false, s.handleUsers)
	s.handle("POST /v1/users", admin, false, s.handleUserCreate)
	s.handle("DELETE /v1/users/{name}", admin, false, s.handleUserDisable)

	// The organisation's own lists (a data directory is required to upload).
	s.handle("GET /v1/own-lists", viewer, false, s.handleOwnLists)
	s.handle("GET /v1/own-lists/{list}", viewer, false, s.handleOwnList)
	s.handle("POST /v1/own-lists/{list}", analyst, false, s.handleOwnListUpload)

	// Web UI. Every POST form carries the CSRF token (checked in handle).
	s.handle("GET /{$}", viewer, true, s.handleUISearch)
	s.handle("GET /search", viewer, true, s.handleUISearch)
	s.handle("GET /entries/{source}/{source_id}", viewer, true, s.handleUIEntry)
	s.handle("GET /lists", viewer, true, s.handleUILists)
	s.handle("GET /orders", viewer, true, s.handleUIOrderForm)
	s.handle("POST /orders", viewer, true, s.handleUIOrder)
	s.handle("GET /batch", viewer, true, s.handleUIBatch)
	s.handle("POST /batch", viewer, true, s.handleUIBatchSubmit)
	s.handle("GET /batch/{id}", viewer, true, s.handleUIBatchJob)
	s.handle("GET /batch/{id}/results", viewer, true, s.handleUIBatchResults)
	s.handle("GET /batch/{id}/report", viewer, true, s.handleUIBatchReport)
	s.handle("GET /changes", viewer, true, s.handleUIChanges)
	s.handle("GET /alerts", viewer, true, s.handleUIAlerts)
	s.handle("GET /alerts/{id}", viewer, true, s.handleUIAlert)
	s.handle("POST /alerts/{id}/transitions", analyst, true, s.handleUIAlertTransition)
	s.handle("GET /parties", viewer, true, s.handleUIParties)
	s.handle("POST /parties", analyst, true, s.handleUIPartiesImport)
	s.handle("GET /parties/{id}", viewer, true, s.handleUIParty)
	s.handle("POST /parties/{id}/screen", analyst, true, s.handleUIPartyScreen)
	s.handle("GET /audit", viewer, true, s.handleUIAudit)
	s.handle("GET /own-lists", viewer, true, s.handleUIOwnLists)
	s.handle("POST /own-lists/{list}", analyst, true, s.handleUIOwnListUpload)
	s.handle("GET /static/{file}", public, true, s.handleStatic)
	return s
}

// handle registers h under pattern for callers with at least role min (public: anyone, no key), wrapped
// with the refusal of a cross-origin request that changes state (checkStateChange), authentication,
// authorization, the CSRF check of UI form posts, the refusal of a path or query
// parameter holding a NUL byte or invalid UTF-8 (checkURL) and error writing.
func (s *Server) handle(pattern string, min tradescreen.Role, ui bool, h handlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern, Auth: min != public, Role: min, UI: ui})
	post := strings.HasPrefix(pattern, "POST ")
	s.mux.HandleFunc(pattern, func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if err := checkStateChange(r, ui); err != nil {
			s.writeError(w, r, ui, err)
			return
		}
		if min != public {
			actor, err := s.authenticate(r)
			if err != nil {
				if tradescreen.ErrorCode(err) == tradescreen.EUNAUTHORIZED {
					if ui {
						w.Header().Set("WWW-Authenticate", `Basic realm="tradescreen", charset="UTF-8"`)
					} else {
						w.Header().Set("WWW-Authenticate", `Bearer realm="tradescreen"`)
					}
				}
				s.writeError(w, r, ui, err)
				return
			}
			info(r).actor = &actor
			if !actor.Role.AtLeast(min) {
				s.writeError(w, r, ui, errorf(tradescreen.EFORBIDDEN, "%s (%s) may not use %s: the %s role or higher is required",
					actor.Name, actor.Role, pattern, min))
				return
			}
			if ui && post {
				if err := s.checkForm(w, r); err != nil {
					s.writeError(w, r, ui, err)
					return
				}
			}
		}
		if err := checkURL(r); err != nil {
			s.writeError(w, r, ui, err)
			return
		}
		if err := h(w, r); err != nil {
			s.writeError(w, r, ui, err)
		}
	})
}

// Routes returns the registered routes in registration order.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// writeError writes err as an HTML page for UI routes and as JSON otherwise.
func (s *Server) writeError(w nethttp.ResponseWriter, r *nethttp.Request, ui bool, err error) {
	if isCode(err, tradescreen.EUNAVAILABLE) {
		w.Header().Set("Retry-After", "1")
	}
	if ui {
		s.uiError(w, r, err)
		return
	}
	s.apiError(w, r, err)
}

// Open checks the configuration, starts the batch job workers (when JobsDir is set), listens on Addr and
// serves in the background. Errors are EINVALID for a non-loopback address without an API key or a key that
// is too short, the jobs directory's and the listener's errors.
func (s *Server) Open() error {
	if err := s.checkAuthConfig(); err != nil {
		return err
	}
	if err := s.startJobs(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	s.startIntegrity()
	s.ln = ln
	s.srv = s.HTTPServer()
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// HTTPServer returns a net/http Server with this server as handler and the package's timeouts and limits,
// for callers that manage their own listener (Serve, ServeTLS).
func (s *Server) HTTPServer() *nethttp.Server {
	return &nethttp.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn),
	}
}

// checkAuthConfig refuses a non-loopback address without an API key.
func (s *Server) checkAuthConfig() error {
	if s.APIKey != "" && len(s.APIKey) < MinAPIKeyLength {
		return errorf(tradescreen.EINVALID, "api_key: shorter than %d characters", MinAPIKeyLength)
	}
	if s.APIKey == "" && !IsLoopback(s.Addr) {
		return errorf(tradescreen.EINVALID,
			"refusing to listen on %s without an API key: anything but a loopback address (127.0.0.1, ::1, localhost) "+
				"requires one; put a key of %d or more characters in a file and set TRADESCREEN_API_KEY_FILE (or api_key_file in the config file)",
			s.Addr, MinAPIKeyLength)
	}
	return nil
}

// IsLoopback reports whether addr (host:port) names only loopback interfaces. An empty host listens on every
// interface and is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Close stops accepting connections and waits up to the context's deadline for requests in flight, and
// stops the batch jobs: a job cut short is queued again and runs from the start after a restart, or at once
// on another instance sharing the database.
func (s *Server) Close(ctx context.Context) error {
	if s.jobs != nil {
		defer s.jobs.Close(ctx)
	}
	defer s.stopIntegrity(ctx)
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// ListenAddr returns the address the server listens on (with the real port when Addr had port 0).
func (s *Server) ListenAddr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// URL returns the server's base URL, http://host:port.
func (s *Server) URL() string { return "http://" + s.ListenAddr() }

// Ready reports whether lists are loaded.
func (s *Server) Ready() bool { return s.Service.Ready() }

// integrityChecker is a Store that checks its own integrity (sqlite.DB reads every page, postgres.DB checks
// that its schema can record).
type integrityChecker interface {
	CheckIntegrity(ctx context.Context) error
}

// integrity holds the result of the last integrity check of the Store, for /readyz.
type integrity struct {
	mu      sync.Mutex
	started bool  // Open started the checks: until the first ends, the server is not ready
	checked bool  // a check has ended
	err     error // the last check's error
	cancel  context.CancelFunc
	done    chan struct{}
}

// startIntegrity checks the Store's integrity now, in the background, and every IntegrityInterval after
// that, until Close. A Store that cannot check itself (or none) is not checked.
func (s *Server) startIntegrity() {
	c, ok := s.Store.(integrityChecker)
	if !ok {
		return
	}
	every := s.IntegrityInterval
	if every <= 0 {
		every = DefaultIntegrityInterval
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &s.health
	h.mu.Lock()
	h.started, h.cancel, h.done = true, cancel, make(chan struct{})
	h.mu.Unlock()
	go func() {
		defer close(h.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s.checkIntegrity(ctx, c)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// checkIntegrity runs one check and keeps its result, logging when the result changes.
func (s *Server) checkIntegrity(ctx context.Context, c integrityChecker) {
	start := time.Now()
	err := c.CheckIntegrity(ctx)
	if ctx.Err() != nil {
		return // stopped by Close: the result says nothing about the database
	}
	h := &s.health
	h.mu.Lock()
	was, first := h.err, !h.checked
	h.checked, h.err = true, err
	h.mu.Unlock()
	switch {
	case err != nil && (was == nil || first):
		s.logger().Error("database integrity check failed: the server reports not ready", "error", err,
			"duration", time.Since(start).Round(time.Millisecond))
	case err == nil && was != nil:
		s.logger().Info("database integrity check passed again: the server reports ready",
			"duration", time.Since(start).Round(time.Millisecond))
	case err == nil && first:
		s.logger().Info("database integrity check passed", "duration", time.Since(start).Round(time.Millisecond))
	}
}

// stopIntegrity stops the checks (cancelling one that runs) and waits for them up to ctx's end.
func (s *Server) stopIntegrity(ctx context.Context) {
	h := &s.health
	h.mu.Lock()
	cancel, done := h.cancel, h.done
	h.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// integrityErr returns nil when the database passed its last integrity check (or is not checked), else an
// EUNAVAILABLE error for a public answer: the check still running, or the database damaged. The details,
// with the file's path, are in the log only.
func (s *Server) integrityErr() error {
	h := &s.health
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case !h.started:
		return nil
	case !h.checked:
		return errorf(tradescreen.EUNAVAILABLE, "checking the database's integrity (it is read once at start): try again shortly")
	case h.err == nil:
		return nil
	case strings.Contains(h.err.Error(), " is damaged"):
		// Both stores say "is damaged" when they found damage; their message names the file or the host.
		return errorf(tradescreen.EUNAVAILABLE, "the database failed its integrity check: it is damaged; restore it from a backup (the server log names the database and the problems found)")
	}
	return errorf(tradescreen.EUNAVAILABLE, "the database's integrity could not be checked: it cannot be read (the server log says why)")
}

// screener returns the lists in service or an EUNAVAILABLE error.
func (s *Server) screener() (*screen.Screener, error) { return s.Service.Screener() }

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// Handler returns the server's root handler: security headers, request logging, metrics and panic recovery
// around the routes, with JSON (or HTML) answers for unknown paths and methods.
func (s *Server) Handler() nethttp.Handler {
	if s.APIKey != "" {
		s.keyHash = sha256.Sum256([]byte(s.APIKey))
	}
	return nethttp.HandlerFunc(s.serveHTTP)
}

// reqInfo collects what a handler tells the logging and metrics middleware.
type reqInfo struct {
	names   []string
	matches int
	// actor is who the request acts as, once authenticated.
	actor *tradescreen.Actor
}

type ctxKey int

const infoKey ctxKey = 0

func info(r *nethttp.Request) *reqInfo {
	if ri, ok := r.Context().Value(infoKey).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{}
}

// routeOf returns the matched route pattern, or "unmatched".
func routeOf(r *nethttp.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

// responseWriter records the status and the bytes written.
type responseWriter struct {
	nethttp.ResponseWriter
	status int
	bytes  int64
}

func (w *responseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = nethttp.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *responseWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }

// probeWriter captures what the mux would answer for an unmatched request (404 or 405 with Allow).
type probeWriter struct {
	header nethttp.Header
	status int
}

func (p *probeWriter) Header() nethttp.Header { return p.header }
func (p *probeWriter) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}
func (p *probeWriter) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = nethttp.StatusOK
	}
	return len(b), nil
}

func (s *Server) serveHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	start := time.Now()
	rw := &responseWriter{ResponseWriter: w}
	ri := &reqInfo{}
	r = r.WithContext(context.WithValue(r.Context(), infoKey, ri))
	securityHeaders(rw.Header(), r.URL.Path)
	defer func() {
		if v := recover(); v != nil {
			if v == nethttp.ErrAbortHandler {
				panic(v)
			}
			s.logger().Error("panic serving request", "method", r.Method, "route", routeOf(r),
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rw.status == 0 {
				s.writeError(rw, r, !isAPIPath(r.URL.Path), fmt.Errorf("panic: %v", v))
			}
		}
		s.finish(rw, r, ri, start)
	}()

	if err := s.checkHost(r); err != nil {
		s.writeError(rw, r, !isAPIPath(r.URL.Path), err)
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.unmatched(rw, r)
		return
	}
	s.mux.ServeHTTP(rw, r)
}

// unmatched answers a request no route matches: 405 with Allow when the path exists for other methods, 404
// otherwise, as JSON for API paths and as an HTML page for the rest.
func (s *Server) unmatched(w nethttp.ResponseWriter, r *nethttp.Request) {
	h, _ := s.mux.Handler(r)
	p := &probeWriter{header: nethttp.Header{}}
	h.ServeHTTP(p, r)
	ui := !isAPIPath(r.URL.Path)
	switch p.status {
	case nethttp.StatusMethodNotAllowed:
		allow := p.header.Get("Allow")
		w.Header().Set("Allow", allow)
		s.writeError(w, r, ui, errorf(EMETHOD, "method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow))
	case nethttp.StatusNotFound, 0:
		s.writeError(w, r, ui, errorf(tradescreen.ENOTFOUND, "no such page: %s", r.URL.Path))
	default:
		// A redirect to the canonical path (cleaned or with a trailing slash): replay it.
		for k, v := range p.header {
			w.Header()[k] = v
		}
		w.WriteHeader(p.status)
	}
}

// isAPIPath reports whether a path belongs to the JSON API rather than the UI.
func isAPIPath(p string) bool {
	switch p {
	case "/healthz", "/readyz", "/metrics", "/openapi.json", "/openapi-3.0.json":
		return true
	}
	return strings.HasPrefix(p, "/v1/") || p == "/v1"
}

// securityHeaders sets the headers every response carries.
func securityHeaders(h nethttp.Header, path string) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if !strings.HasPrefix(path, "/static/") {
		// Screening answers name parties; no cache should keep them.
		h.Set("Cache-Control", "no-store")
	}
}

// finish logs the request and records its metrics.
func (s *Server) finish(w *responseWriter, r *nethttp.Request, ri *reqInfo, start time.Time) {
	d := time.Since(start)
	status := w.status
	if status == 0 {
		status = nethttp.StatusOK
	}
	route := routeOf(r)
	s.metrics.observe(route, status, d, ri.matches, len(ri.names))
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.Int64("bytes", w.bytes),
	}
	if ri.actor != nil {
		attrs = append(attrs, slog.String("actor", ri.actor.Name))
	}
	if s.LogNames && len(ri.names) > 0 {
		attrs = append(attrs, slog.Any("names", ri.names))
	}
	if len(ri.names) > 1 {
		attrs = append(attrs, slog.Int("parties", len(ri.names)))
	}
	s.logger().LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}
