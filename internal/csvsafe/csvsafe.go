// Package csvsafe writes CSV that a spreadsheet opens as text: a field that starts with '=', '+', '-', '@', a
// tab or a carriage return gets a leading apostrophe (OWASP, "CSV Injection"), so that a name such as
// =HYPERLINK("http://evil.example","click") or @SUM(A1) is shown, never evaluated. Every CSV file tradescreen
// writes for people goes through it.
//
// The change can be undone exactly (Unquote): a field that already starts with apostrophes followed by one of
// those characters gets one apostrophe more, so a program that reads the file back (a resumed batch output,
// an audit export whose hashes are recomputed) recovers every field byte for byte. A plain decimal number
// such as -12 or +3.5 is left as it is: a spreadsheet reads it as the number it is.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// risky reports whether a spreadsheet may read a field starting with c as a formula.
func risky(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// needsQuote reports whether s starts with zero or more apostrophes and then a risky character, and is not
// a plain decimal number.
func needsQuote(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i == len(s) || !risky(s[i]) {
		return false
	}
	return i > 0 || !isNumber(s)
}

// isNumber reports whether s is a plain decimal number with an optional sign: [+-]?digits[.digits].
func isNumber(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.' && !dot && digits > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// Field returns s as it is safe to write to a CSV file: with a leading apostrophe when a spreadsheet could
// read it as a formula.
func Field(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// Unquote undoes Field: Unquote(Field(s)) == s for every s.
func Unquote(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}

// Record returns rec with Field applied to each field (rec itself when none changes).
func Record(rec []string) []string {
	var out []string
	for i, f := range rec {
		if g := Field(f); g != f {
			if out == nil {
				out = append([]string(nil), rec...)
			}
			out[i] = g
		}
	}
	if out == nil {
		return rec
	}
	return out
}

// Writer is a csv.Writer that applies Field to every field it writes.
type Writer struct {
	*csv.Writer
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record, each field made safe. Errors: those of csv.Writer.
func (w *Writer) Write(rec []string) error { return w.Writer.Write(Record(rec)) }

// WriteAll writes records, each field made safe, and flushes. Errors: those of csv.Writer.
func (w *Writer) WriteAll(recs [][]string) error {
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
