package pool_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/internal/pool"
)

func TestOrderedKeepsOrderAndBoundsWindow(t *testing.T) {
	const n = 5000
	var inFlight, peak atomic.Int64
	i := 0
	var got []int
	err := pool.Ordered(context.Background(), pool.Options{Workers: 4, Window: 16}, func() (int, error) {
		if i == n {
			return 0, io.EOF
		}
		i++
		if v := inFlight.Add(1); v > peak.Load() {
			peak.Store(v)
		}
		return i - 1, nil
	}, func(x int) int {
		if rand.IntN(10) == 0 {
			time.Sleep(time.Microsecond * time.Duration(rand.IntN(200)))
		}
		return x * 2
	}, func(x int) error {
		inFlight.Add(-1)
		got = append(got, x)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d results, want %d", len(got), n)
	}
	for k, v := range got {
		if v != 2*k {
			t.Fatalf("result %d is %d: out of order", k, v)
		}
	}
	// One more item may be read while the writer hands back a token.
	if p := peak.Load(); p > 17 {
		t.Errorf("%d items in flight, window is 16", p)
	}
}

func TestOrderedStopsOnErrors(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	err := pool.Ordered(context.Background(), pool.Options{Workers: 2}, func() (int, error) {
		n++
		if n == 100 {
			return 0, boom
		}
		return n, nil
	}, func(x int) int { return x }, func(int) error { return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("read error: got %v", err)
	}
	written := 0
	err = pool.Ordered(context.Background(), pool.Options{Workers: 2}, func() (int, error) { return 1, nil },
		func(x int) int { return x }, func(int) error {
			if written++; written == 10 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) || written != 10 {
		t.Fatalf("write error: got %v after %d writes", err, written)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = pool.Ordered(ctx, pool.Options{}, func() (int, error) { return 1, nil }, func(x int) int { return x }, func(int) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
}

func TestMap(t *testing.T) {
	in := []string{"a", "bb", "ccc"}
	out, err := pool.Map(context.Background(), pool.Options{}, in, func(s string) int { return len(s) })
	if err != nil || len(out) != 3 || out[0] != 1 || out[2] != 3 {
		t.Fatalf("Map = %v, %v", out, err)
	}
	out, err = pool.Map(context.Background(), pool.Options{}, []string{}, func(s string) int { return len(s) })
	if err != nil || len(out) != 0 {
		t.Fatalf("Map of nothing = %v, %v", out, err)
	}
}
