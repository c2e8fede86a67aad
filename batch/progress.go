package batch

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// ProgressLine is the progress line of a run on a terminal: the rows done, the rate, the share of the input
// read and the time left, redrawn in place every quarter second until Stop. Set is Job.Progress.
type ProgressLine struct {
	w     io.Writer
	done  atomic.Int64
	read  atomic.Int64
	size  int64
	start time.Time
	quit  chan struct{}
	wg    sync.WaitGroup
}

// StartProgress starts drawing the progress line of a run over an input of size bytes on w.
func StartProgress(w io.Writer, size int64) *ProgressLine {
	p := &ProgressLine{w: w, size: size, start: time.Now(), quit: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

// Set records the rows done in this run and the bytes of the input read.
func (p *ProgressLine) Set(done int, read int64) {
	p.done.Store(int64(done))
	p.read.Store(read)
}

func (p *ProgressLine) loop() {
	defer p.wg.Done()
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			fmt.Fprint(p.w, "\r\033[K")
			return
		case <-t.C:
			fmt.Fprint(p.w, "\r\033[K"+p.Line())
		}
	}
}

// Line is the progress line as it stands: "1200 rows, 850 rows/s, 40% read, ETA 3s".
func (p *ProgressLine) Line() string {
	done := p.done.Load()
	el := time.Since(p.start).Seconds()
	s := fmt.Sprintf("%d rows", done)
	if el > 0 {
		s += fmt.Sprintf(", %.0f rows/s", float64(done)/el)
	}
	if read := p.read.Load(); p.size > 0 && read > 0 {
		frac := float64(read) / float64(p.size)
		s += fmt.Sprintf(", %.0f%% read", 100*frac)
		if frac > 0.01 && frac < 1 {
			left := time.Duration(el * (1 - frac) / frac * float64(time.Second))
			s += ", ETA " + left.Round(time.Second).String()
		}
	}
	return s
}

// Stop clears the line and stops drawing it. A nil ProgressLine (no progress shown) does nothing.
func (p *ProgressLine) Stop() {
	if p == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
}
