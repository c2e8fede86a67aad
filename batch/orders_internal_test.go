package batch

import (
	"bufio"
	"strings"
	"testing"
)

// A line longer than the limit is an error line; the lines after it are read.
func TestReadOrderLine(t *testing.T) {
	long := strings.Repeat("x", MaxOrderLine+10)
	br := bufio.NewReaderSize(strings.NewReader("{\"a\":1}\r\n"+long+"\nlast"), 16)
	var got []string
	for {
		b, err := readLine(br)
		if err != nil && err != errLineTooLong {
			break
		}
		if err == errLineTooLong {
			got = append(got, "TOO LONG")
			continue
		}
		got = append(got, strings.TrimSpace(string(b)))
	}
	if strings.Join(got, "|") != `{"a":1}|TOO LONG|last` {
		t.Errorf("lines %q", got)
	}
}
