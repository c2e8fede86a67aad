package http

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"mime"
	"net"
	nethttp "net/http"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// The least role of each route (see Route.Role); public routes need no key.
const (
	public   tradescreen.Role = ""
	viewer                    = tradescreen.RoleViewer
	analyst                   = tradescreen.RoleAnalyst
	approver                  = tradescreen.RoleApprover
	admin                     = tradescreen.RoleAdmin
)

// The actors of requests that carry no user's key.
var (
	// APIKeyActor is who a request with the server's API key acts as.
	APIKeyActor = tradescreen.Actor{Name: "api-key", Role: tradescreen.RoleAdmin}
	// LocalActor is who a request from loopback acts as when the server has no API key and the request
	// sends none: the operator of the machine, as the CLI is.
	LocalActor = tradescreen.Actor{Name: "local", Role: tradescreen.RoleAdmin}
)

// credentials returns the key a request sends ("Authorization: Bearer KEY", HTTP Basic with the key as
// password, or "X-API-Key: KEY") and the Basic user name, if any. ok is false when the request sends a
// credential that cannot be read (an Authorization header of another scheme, an empty Bearer token, Basic
// that is not base64 of "user:key" or has an empty key, an empty X-API-Key): such a request is refused,
// never taken for one that sends nothing.
func credentials(r *nethttp.Request) (key, user string, ok bool) {
	if vs, sent := r.Header["Authorization"]; sent {
		if len(vs) != 1 {
			return "", "", false
		}
		scheme, cred, _ := strings.Cut(strings.TrimSpace(vs[0]), " ")
		cred = strings.TrimSpace(cred)
		switch strings.ToLower(scheme) {
		case "bearer":
			return cred, "", cred != ""
		case "basic":
			b, err := base64.StdEncoding.DecodeString(cred)
			if err != nil {
				return "", "", false
			}
			user, key, found := strings.Cut(string(b), ":")
			return key, user, found && key != ""
		}
		return "", "", false
	}
	if vs, sent := r.Header["X-Api-Key"]; sent {
		if len(vs) != 1 || strings.TrimSpace(vs[0]) == "" {
			return "", "", false
		}
		return strings.TrimSpace(vs[0]), "", true
	}
	return "", "", true
}

// authenticate returns who the request acts as: the user of a user's API key, the admin "api-key" for the
// server's key, or the local operator for a keyless request from loopback to a server without an API key.
// Errors: EUNAUTHORIZED for a missing, malformed, wrong or disabled key (a malformed or wrong key is refused
// even from loopback), or the store's internal error.
func (s *Server) authenticate(r *nethttp.Request) (tradescreen.Actor, error) {
	key, user, ok := credentials(r)
	if !ok {
		return tradescreen.Actor{}, errorf(tradescreen.EUNAUTHORIZED,
			"malformed credentials: send Authorization: Bearer KEY, Basic with the key as password, or X-API-Key: KEY")
	}
	if key == "" {
		if s.APIKey == "" && fromLoopback(r) {
			return LocalActor, nil
		}
		return tradescreen.Actor{}, errorf(tradescreen.EUNAUTHORIZED,
			"missing or wrong API key: send Authorization: Bearer KEY or X-API-Key: KEY")
	}
	if s.APIKey != "" {
		want := s.keyHash
		if want == ([32]byte{}) {
			want = sha256.Sum256([]byte(s.APIKey))
		}
		// Comparing digests of equal length keeps the comparison constant-time whatever the key's length.
		got := sha256.Sum256([]byte(key))
		if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
			return APIKeyActor, nil
		}
	}
	if s.Store != nil && strings.HasPrefix(key, "tsk_") {
		u, err := s.Store.Users().Authenticate(r.Context(), key)
		switch {
		case tradescreen.ErrorCode(err) == tradescreen.EUNAUTHORIZED:
			return tradescreen.Actor{}, errorf(tradescreen.EUNAUTHORIZED, "invalid or disabled API key")
		case err != nil:
			return tradescreen.Actor{}, err
		case user != "" && user != u.Name:
			return tradescreen.Actor{}, errorf(tradescreen.EUNAUTHORIZED, "the API key is not %s's: sign in with its user's name", user)
		}
		return u.Actor(), nil
	}
	return tradescreen.Actor{}, errorf(tradescreen.EUNAUTHORIZED,
		"missing or wrong API key: send Authorization: Bearer KEY or X-API-Key: KEY")
}

// fromLoopback reports whether the request came from a loopback address.
func fromLoopback(r *nethttp.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// actor returns who the request acts as (set by handle once authenticated); the local operator on public
// routes, which change nothing.
func actor(r *nethttp.Request) tradescreen.Actor {
	if a := info(r).actor; a != nil {
		return *a
	}
	return LocalActor
}

// CSRF protection of the UI's forms: a double-submit token. Each page sets a random token in the cookie
// CSRFCookie (HttpOnly, SameSite=Strict) and puts the same token in a hidden field CSRFField of each form; a
// UI POST whose field does not equal its cookie is refused with 403. A page of another site can neither
// read the cookie nor (SameSite=Strict) have the browser send it, so it cannot post a valid form.
const (
	CSRFCookie = "tradescreen_csrf"
	CSRFField  = "csrf_token"
	// MaxFormBytes bounds a UI form post; MaxFormUploadBytes one that uploads a file (multipart).
	MaxFormBytes       = 1 << 20
	MaxFormUploadBytes = 32 << 20
)

// csrfToken returns the request's CSRF token, setting a new cookie when it has none.
func csrfToken(w nethttp.ResponseWriter, r *nethttp.Request) string {
	if c, err := r.Cookie(CSRFCookie); err == nil && validToken(c.Value) {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	nethttp.SetCookie(w, &nethttp.Cookie{Name: CSRFCookie, Value: tok, Path: "/", HttpOnly: true,
		SameSite: nethttp.SameSiteStrictMode, Secure: r.TLS != nil})
	// Later reads in this request see the same token.
	r.AddCookie(&nethttp.Cookie{Name: CSRFCookie, Value: tok})
	return tok
}

func validToken(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// checkForm refuses a UI form post from another site (Sec-Fetch-Site, Origin) or without the CSRF token of
// its cookie, after parsing the form (multipart up to MaxFormUploadBytes, else MaxFormBytes). Errors:
// EFORBIDDEN, ETOOLARGE, EINVALID.
func (s *Server) checkForm(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if err := crossOrigin.Check(r); err != nil {
		return errorf(tradescreen.EFORBIDDEN, "cross-origin form post refused")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if mt == "multipart/form-data" {
		r.Body = nethttp.MaxBytesReader(w, r.Body, MaxFormUploadBytes)
		err = r.ParseMultipartForm(MaxFormBytes)
	} else {
		r.Body = nethttp.MaxBytesReader(w, r.Body, MaxFormBytes)
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *nethttp.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(tradescreen.ETOOLARGE, "form: larger than %d bytes", mbe.Limit)
		}
		return errorf(tradescreen.EINVALID, "form: %v", err)
	}
	c, err := r.Cookie(CSRFCookie)
	sent := r.PostFormValue(CSRFField)
	if err != nil || !validToken(c.Value) || subtle.ConstantTimeCompare([]byte(c.Value), []byte(sent)) != 1 {
		return errorf(tradescreen.EFORBIDDEN, "the form's security token is missing or out of date: reload the page and submit again")
	}
	return nil
}

// checkHost refuses, on a server without an API key, a request whose Host header is not a loopback name or
// address with the port the request came in on: localhost, 127.0.0.1 (any 127/8 address) or [::1]. Such a
// server lets loopback act as the local admin, and a web page whose DNS name was rebound to 127.0.0.1 reaches
// it from the browser with its own name in Host. A server with an API key serves any Host. Errors:
// EFORBIDDEN.
func (s *Server) checkHost(r *nethttp.Request) error {
	if s.APIKey != "" || loopbackHost(r) {
		return nil
	}
	return errorf(tradescreen.EFORBIDDEN,
		"Host %q refused: a server without an API key answers only to a loopback name with its port (localhost, 127.0.0.1 or [::1]); "+
			"open it as http://127.0.0.1:PORT, or set an API key to serve other names", r.Host)
}

// loopbackHost reports whether the request's Host is a loopback name or address and its port (80 or 443 when
// absent) is the one of the connection's local address (any, when the request has none, as in tests that
// call the handler directly).
func loopbackHost(r *nethttp.Request) bool {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, "80"
		if r.TLS != nil {
			port = "443"
		}
		if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		}
	}
	if !strings.EqualFold(host, "localhost") {
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return false
		}
	}
	if la, ok := r.Context().Value(nethttp.LocalAddrContextKey).(net.Addr); ok {
		if _, lport, err := net.SplitHostPort(la.String()); err == nil && lport != port {
			return false
		}
	}
	return true
}

// checkStateChange refuses a request that changes state (POST, PATCH, DELETE; API and UI) from another
// origin, as a browser marks it (Sec-Fetch-Site other than same-origin or none, or an Origin header whose
// host is not the request's Host), and, on the API, a body of a type a page of another site can send
// without asking the server first (text/plain, application/x-www-form-urlencoded, multipart/form-data):
// no API route reads those, and refusing them keeps a cross-site form from posting to a route that reads
// no body. Errors: EFORBIDDEN, EMEDIATYPE.
func checkStateChange(r *nethttp.Request, ui bool) error {
	switch r.Method {
	case nethttp.MethodPost, nethttp.MethodPatch, nethttp.MethodDelete, nethttp.MethodPut:
	default:
		return nil
	}
	if err := crossOrigin.Check(r); err != nil {
		return errorf(tradescreen.EFORBIDDEN, "cross-origin %s refused: the request's Origin (or Sec-Fetch-Site) is not this server", r.Method)
	}
	if ui {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch strings.ToLower(mt) {
	case "text/plain", "application/x-www-form-urlencoded", "multipart/form-data":
		return errorf(EMEDIATYPE, "Content-Type: %q is not accepted by the API (a browser form of any site can send it); send application/json or the route's file type", ct)
	}
	return nil
}
