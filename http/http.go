// Package http serves tradescreen over HTTP: the JSON API under /v1 (search, structured and batch screening,
// order screening, asynchronous batch jobs over uploaded files, entries, lists and the changes between
// stored list versions; with a Store, the parties register, the alert queue and its workflow, the audit
// trail and users), its OpenAPI 3.1 document, health, readiness and Prometheus metrics, and the web UI
// (html/template pages from embed.FS). Each route declares the least role that may use it (Routes); a
// request acts as the user of its API key, the admin "api-key" for the server's key, or the local operator
// on loopback, and UI form posts carry a CSRF token. Every error is answered as JSON {"error": {"code", "message"}} (or
// an HTML page for the UI) with the status ErrorStatusCode maps its code to; internal errors are logged
// and the client sees only "internal error".
package http

import (
	"encoding/json"
	"errors"
	"log/slog"
	nethttp "net/http"
	"syscall"

	"github.com/tradescreen/tradescreen"
)

// Error codes of the HTTP layer, beside the domain codes of tradescreen (EINVALID, ENOTFOUND ...). They
// describe failures only HTTP has: a method a route does not allow and a body of the wrong media type.
const (
	EMETHOD    = "method_not_allowed"
	EMEDIATYPE = "unsupported_media_type"
	// ENOSPACE is a write the server's disk had no room for (ENOSPC): 507 Insufficient Storage, saying so,
	// rather than an internal error, so that the operator knows what to free.
	ENOSPACE = "insufficient_storage"
)

// ErrorStatusCode returns the HTTP status for an error code. It is the one place where codes become
// statuses; unknown codes are 500.
func ErrorStatusCode(code string) int {
	switch code {
	case tradescreen.EINVALID:
		return nethttp.StatusBadRequest
	case tradescreen.EUNAUTHORIZED:
		return nethttp.StatusUnauthorized
	case tradescreen.EFORBIDDEN:
		return nethttp.StatusForbidden
	case tradescreen.ENOTFOUND:
		return nethttp.StatusNotFound
	case EMETHOD:
		return nethttp.StatusMethodNotAllowed
	case tradescreen.ECONFLICT:
		return nethttp.StatusConflict
	case tradescreen.ETOOLARGE:
		return nethttp.StatusRequestEntityTooLarge
	case EMEDIATYPE:
		return nethttp.StatusUnsupportedMediaType
	case tradescreen.EUNPROCESSABLE:
		return nethttp.StatusUnprocessableEntity
	case tradescreen.EUNAVAILABLE, tradescreen.ESTALE, ENOSTORE:
		return nethttp.StatusServiceUnavailable
	case ENOSPACE:
		return nethttp.StatusInsufficientStorage
	}
	return nethttp.StatusInternalServerError
}

// ErrorResponse is the body of every API error.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is a stable code for programs and a message for people.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorInfo returns the code, status and client-safe message of err, logging internal errors with their
// details.
func (s *Server) errorInfo(r *nethttp.Request, err error) (code string, status int, msg string) {
	code = tradescreen.ErrorCode(err)
	status = ErrorStatusCode(code)
	msg = tradescreen.ErrorMessage(err)
	if code == tradescreen.EINTERNAL && errors.Is(err, syscall.ENOSPC) {
		s.logger().LogAttrs(r.Context(), slog.LevelError, "disk full",
			slog.String("method", r.Method), slog.String("route", routeOf(r)), slog.String("error", err.Error()))
		return ENOSPACE, ErrorStatusCode(ENOSPACE), "the server's disk is full (no space left on device): nothing was kept; try again once the operator has freed space"
	}
	if code == tradescreen.EINTERNAL {
		s.logger().LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("route", routeOf(r)), slog.String("error", err.Error()))
		msg = "internal error"
	}
	return code, status, msg
}

// apiError writes err as a JSON error response.
func (s *Server) apiError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	code, status, msg := s.errorInfo(r, err)
	writeJSON(w, status, ErrorResponse{Error: ErrorBody{Code: code, Message: msg}})
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w nethttp.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a programming error (an unencodable type) gets here.
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
		status = nethttp.StatusInternalServerError
	}
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// errorf is tradescreen.Errorf returning error, for brevity in handlers.
func errorf(code, format string, args ...any) error { return tradescreen.Errorf(code, format, args...) }

// isCode reports whether err carries the given code.
func isCode(err error, code string) bool {
	var e *tradescreen.Error
	return errors.As(err, &e) && e.Code == code
}

// checkText refuses text that no database keeps as sent: a NUL byte (PostgreSQL's text type cannot hold one)
// or invalid UTF-8. Every string of a request that reaches the store passes through it, so that such input is
// a 400 naming the field rather than a database error. Errors: EINVALID naming the field.
var checkText = tradescreen.CheckText

// checkURL applies checkText to the request's path (and so to its path values) and to the names and values
// of its query parameters. Errors: ENOTFOUND for a path no resource can have, EINVALID naming the parameter.
func checkURL(r *nethttp.Request) error {
	if checkText("path", r.URL.Path) != nil {
		return errorf(tradescreen.ENOTFOUND, "no such page: the path holds a NUL byte or invalid UTF-8")
	}
	for k, vs := range r.URL.Query() {
		if err := checkText("parameter name", k); err != nil {
			return err
		}
		for _, v := range vs {
			if err := checkText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}
