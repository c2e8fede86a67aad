package tradescreen

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to exactly one HTTP status in the http package.
const (
	ECONFLICT      = "conflict"
	EINTERNAL      = "internal"
	EINVALID       = "invalid"
	ENOTFOUND      = "not_found"
	EUNAUTHORIZED  = "unauthorized"
	EFORBIDDEN     = "forbidden"
	ETOOLARGE      = "too_large"
	EUNPROCESSABLE = "unprocessable"
	// EUNAVAILABLE: what the answer rests on is not available now (the lists still loading, an allow list
	// that cannot be read); asking again later may succeed.
	EUNAVAILABLE = "unavailable"
	// ESTALE: a list the answer would rest on is older than the maximum age configured, so no answer is
	// given (--max-list-age; the CLI exits with status 3).
	ESTALE = "stale_lists"
)

// Error is the application error: a code for programs and a message for people. Internal failures are
// plain Go errors; ErrorCode reports them as EINTERNAL.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("tradescreen error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error or *ParseError in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the human-readable message of an application error, and "internal error" for any
// other error so that internal details never reach a client.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	return "internal error"
}

// ParseError reports malformed input: which file, which line (or record), which field, and what is wrong.
type ParseError struct {
	File  string // base name or path of the file
	Line  int    // 1-based line number; 0 when not known
	Field string // official field or column name; empty when the whole record is at fault
	Msg   string
	Err   error // underlying error, if any
}

// Error implements the error interface: "parse sdn.csv line 812 field \"SDN_Name\": empty name".
func (e *ParseError) Error() string {
	s := "parse " + e.File
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Field != "" {
		s += fmt.Sprintf(" field %q", e.Field)
	}
	s += ": " + e.Msg
	if e.Err != nil {
		if e.Msg != "" {
			s += ": "
		}
		s += e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }
