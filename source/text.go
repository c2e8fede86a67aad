package source

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
)

// MaxFileSize bounds how much any reader accepts from one file (after decompression).
const MaxFileSize = 512 << 20

// Decompress returns the content of b, gunzipped when it starts with the gzip magic number. name is used in
// errors.
func Decompress(b []byte, name string) ([]byte, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, &tradescreen.ParseError{File: name, Msg: "corrupt gzip data", Err: err}
		}
		out, err := io.ReadAll(io.LimitReader(zr, MaxFileSize+1))
		if err != nil {
			return nil, &tradescreen.ParseError{File: name, Msg: "truncated or corrupt gzip data", Err: err}
		}
		if len(out) > MaxFileSize {
			return nil, &tradescreen.ParseError{File: name, Msg: "file too large"}
		}
		return out, nil
	}
	return b, nil
}

// ToUTF8 returns b as UTF-8 text: a UTF-8 byte-order mark is dropped, UTF-16 with a BOM is decoded, valid
// UTF-8 is kept, and anything else is read as Windows-1252/Latin-1 (the older OFAC and UK files). It
// reports which encoding it assumed.
func ToUTF8(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeUTF16(b), "utf-16"
	}
	if utf8.Valid(b) {
		return string(b), "utf-8"
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		if c >= 0x80 && c < 0xA0 {
			sb.WriteRune(cp1252[c-0x80])
		} else {
			sb.WriteRune(rune(c))
		}
	}
	return sb.String(), "windows-1252"
}

func decodeUTF16(b []byte) string {
	big := b[0] == 0xFE
	b = b[2:]
	runes := make([]rune, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		var u uint16
		if big {
			u = uint16(b[i])<<8 | uint16(b[i+1])
		} else {
			u = uint16(b[i+1])<<8 | uint16(b[i])
		}
		runes = append(runes, rune(u))
	}
	// Combine surrogate pairs.
	out := make([]rune, 0, len(runes))
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r >= 0xD800 && r < 0xDC00 && i+1 < len(runes) && runes[i+1] >= 0xDC00 && runes[i+1] < 0xE000 {
			r = (r-0xD800)<<10 + (runes[i+1] - 0xDC00) + 0x10000
			i++
		}
		out = append(out, r)
	}
	return string(out)
}

var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0xFFFD,
}

// Clean trims space and returns "" for the empty markers the lists use ("-0-", "-0- ", "N/A", "NULL").
func Clean(s string) string {
	s = strings.TrimSpace(s)
	switch s {
	case "-0-", "-0", "N/A", "n/a", "NULL", "null", "None":
		return ""
	}
	return s
}

var dateLayouts = []string{
	"2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "01/02/2006", "1/2/2006", "02 Jan 2006",
	"2 Jan 2006", "02-Jan-2006", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "02 January 2006", "1/2/06",
	"01/02/06", "2006/01/02",
}

// NormDate turns the date spellings of the lists into YYYY-MM-DD. Dates given only as a year ("1971") or a
// month ("Jan 1971") come back as "1971" or "1971-01". Anything it cannot read is returned trimmed as is,
// so nothing is lost. UK dates (dd/mm/yyyy) must use NormDateDMY.
func NormDate(s string) string {
	s = Clean(s)
	if s == "" {
		return ""
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	if len(s) == 4 && allDigits(s) {
		return s
	}
	for _, l := range []string{"Jan 2006", "January 2006", "2006-01", "01/2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01")
		}
	}
	return s
}

// NormDateDMY reads day-first dates (dd/mm/yyyy, as in the UK list), where "00" stands for an unknown day or
// month: "00/00/1980" gives "1980" and "00/05/1980" gives "1980-05".
func NormDateDMY(s string) string {
	s = Clean(s)
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[2]) != 4 || !allDigits(parts[0]+parts[1]+parts[2]) {
		return NormDate(s)
	}
	d, m, y := pad2(parts[0]), pad2(parts[1]), parts[2]
	switch {
	case m == "00":
		return y
	case d == "00":
		return y + "-" + m
	}
	if _, err := time.Parse("2006-01-02", y+"-"+m+"-"+d); err != nil {
		return s
	}
	return y + "-" + m + "-" + d
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// SplitList splits a field on the separators the lists use between items ("; ", "\n") and drops empties.
func SplitList(s string, seps string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := f[:0]
	for _, x := range f {
		if x = Clean(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
