// Package pool runs work on several goroutines and hands the results back in the order the work came in:
// the one worker pool of batch screening, batch orders, multi-party requests and monitoring.
package pool

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
)

// Options set a pool's size.
type Options struct {
	// Workers is the number of goroutines doing the work; 0 means one per CPU.
	Workers int
	// Window bounds the items in flight (read but not yet written), which bounds memory whatever the
	// input's length; 0 means 64 per worker.
	Window int
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Ordered reads items with read until it returns io.EOF, runs work on each on opt.Workers goroutines and
// calls write with the results in the order the items were read, from the calling goroutine. At most
// opt.Window items are in flight. It stops at the first error of read (other than io.EOF) or write, or when
// ctx ends, and returns that error (write's error first, then ctx's, then read's).
func Ordered[In, Out any](ctx context.Context, opt Options, read func() (In, error), work func(In) Out, write func(Out) error) error {
	workers := opt.workers()
	window := opt.Window
	if window <= 0 {
		window = workers * 64
	}
	type job struct {
		seq int
		in  In
	}
	type done struct {
		seq int
		out Out
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, workers*16)
	results := make(chan done, workers*16)
	// sem holds one token per item in flight: the reader takes one, the writer gives it back.
	sem := make(chan struct{}, window)

	var readErr error
	go func() {
		defer close(jobs)
		for seq := 0; ; seq++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			in, err := read()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
			select {
			case jobs <- job{seq, in}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				select {
				case results <- done{j.seq, work(j.in)}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := map[int]Out{}
	next := 0
	var werr error
	for d := range results {
		if werr != nil {
			continue
		}
		pending[d.seq] = d.out
		for werr == nil {
			out, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := write(out); err != nil {
				werr = err
				cancel()
				break
			}
			<-sem
		}
	}
	if werr != nil {
		return werr
	}
	// readErr is written before jobs is closed, and results closes only after every job was taken.
	if err := ctx.Err(); err != nil && readErr == nil {
		return err
	}
	return readErr
}

// Map runs work on every item of ins on opt.Workers goroutines and returns the results in the same order.
// It returns ctx's error if ctx ends first.
func Map[In, Out any](ctx context.Context, opt Options, ins []In, work func(In) Out) ([]Out, error) {
	out := make([]Out, 0, len(ins))
	i := 0
	err := Ordered(ctx, opt, func() (In, error) {
		if i == len(ins) {
			var zero In
			return zero, io.EOF
		}
		i++
		return ins[i-1], nil
	}, work, func(o Out) error {
		out = append(out, o)
		return nil
	})
	return out, err
}
