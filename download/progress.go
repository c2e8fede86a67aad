package download

import (
	"fmt"
	"io"
)

// Steps of a feed's update, in the order they happen.
const (
	StepLocating    = "locating"
	StepConnecting  = "connecting"
	StepRetrying    = "retrying"
	StepDownloading = "downloading"
	StepDownloaded  = "downloaded"
	StepValidating  = "validating"
	StepStoring     = "storing"
	StepDone        = "done"
)

// Progress is one step of one feed's update, reported as it happens (Config.Progress).
type Progress struct {
	Feed string `json:"feed"`
	// Step is one of the Step constants.
	Step string `json:"step"`
	// Message says what is happening, for people: "connecting to https://...", "downloaded 1234 bytes".
	Message string `json:"message"`
	// Bytes is the number of bytes received so far (downloading, downloaded).
	Bytes int64 `json:"bytes,omitempty"`
}

// String is the line a terminal shows: "csl: downloaded 1234 bytes".
func (p Progress) String() string { return p.Feed + ": " + p.Message }

func (u *Updater) progress(feed, step, format string, args ...any) {
	if u.Config.Progress == nil {
		return
	}
	u.Config.Progress(Progress{Feed: feed, Step: step, Message: fmt.Sprintf(format, args...)})
}

// countingReader reports the bytes read through it every `every` bytes.
type countingReader struct {
	r      io.Reader
	n      int64
	next   int64
	every  int64
	report func(n int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.report != nil && c.n >= c.next {
		c.report(c.n)
		c.next = c.n + c.every
	}
	return n, err
}

// body wraps a response body so that a long download reports its progress.
func (u *Updater) body(feed string, r io.Reader, total int64) io.Reader {
	if u.Config.Progress == nil {
		return r
	}
	every := u.Config.ProgressEvery
	if every <= 0 {
		every = 8 << 20
	}
	of := ""
	if total > 0 {
		of = fmt.Sprintf(" of %d", total)
	}
	return &countingReader{r: r, every: every, next: every, report: func(n int64) {
		u.Config.Progress(Progress{Feed: feed, Step: StepDownloading, Bytes: n, Message: fmt.Sprintf("downloading: %d%s bytes so far", n, of)})
	}}
}
