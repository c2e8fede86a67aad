package http

import (
	"errors"
	nethttp "net/http"
)

// HandleFailingRoutes registers two test-only routes that fail the way a real internal failure would: one
// returns an internal error carrying a detail that must not reach the client, one panics.
func (s *Server) HandleFailingRoutes() {
	s.handle("GET /v1/test/fail", public, false, func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		return errors.New("database exploded: secret-detail-42")
	})
	s.handle("GET /v1/test/panic", public, false, func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		panic("secret-panic-detail")
	})
}

// Highlight and FRCitation expose the template helpers to the tests.
var (
	Highlight  = highlight
	FRCitation = frCitation
)
