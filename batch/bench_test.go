package batch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/snapshot"
)

var (
	benchOnce     sync.Once
	benchScreener *screen.Screener
	benchNames    []string
	benchErr      error
)

// benchSetup loads the default snapshot and a mix of names: real company names from SEC EDGAR (not listed)
// with every 20th a list name.
func benchSetup(b testing.TB) (*screen.Screener, []string) {
	benchOnce.Do(func() {
		ds, err := snapshot.Load()
		if err != nil {
			benchErr = err
			return
		}
		benchScreener = screen.New(ds...)
		raw, err := os.ReadFile("../testdata/eval/negatives/sec_company_tickers_2025-08.json")
		if err != nil {
			benchErr = err
			return
		}
		var tickers map[string]struct {
			Title string `json:"title"`
		}
		if err := json.Unmarshal(raw, &tickers); err != nil {
			benchErr = err
			return
		}
		entries := benchScreener.Entries()
		for i := 0; i < len(tickers); i++ {
			v, ok := tickers[strconv.Itoa(i)]
			if !ok {
				continue
			}
			benchNames = append(benchNames, v.Title)
			if i%20 == 0 {
				benchNames = append(benchNames, entries[(i*7919)%len(entries)].Name)
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchScreener, benchNames
}

// genReader yields n rows cycling through names, generated on the fly (no file, no slice of rows).
type genReader struct {
	names []string
	n, i  int
}

func (g *genReader) Read() (*batch.Row, error) {
	if g.i >= g.n {
		return nil, io.EOF
	}
	g.i++
	name := g.names[g.i%len(g.names)]
	id := "R-" + strconv.Itoa(g.i)
	return &batch.Row{Line: g.i + 1, ID: id, Name: name, Columns: []batch.Column{{"id", id}, {"name", name}}}, nil
}

// BenchmarkBatch screens rows against the default snapshot with every core, writing JSONL to io.Discard.
// names/s is the figure to compare with the 5,000 names/s target.
func BenchmarkBatch(b *testing.B) {
	s, names := benchSetup(b)
	b.ResetTimer()
	start := time.Now()
	w := batch.NewJSONLWriter(io.Discard)
	st, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &genReader{names: names, n: b.N}, w, batch.BatchOptions{})
	if err != nil {
		b.Fatal(err)
	}
	w.Close()
	b.ReportMetric(float64(st.Names)/time.Since(start).Seconds(), "names/s")
}

// TestBatchMemory screens TRADESCREEN_BATCH_ROWS generated rows (skipped when unset) and reports the peak
// heap in use, sampled every 50 ms: it must not grow with the number of rows. A manual measurement:
//
//	TRADESCREEN_BATCH_ROWS=1000000 go test ./screen -run TestBatchMemory -v -timeout 2h
func TestBatchMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("TRADESCREEN_BATCH_ROWS"))
	if n <= 0 {
		t.Skip("set TRADESCREEN_BATCH_ROWS to run")
	}
	s, names := benchSetup(t)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak uint64
	var mu sync.Mutex
	samples := map[int]uint64{}
	done := make(chan struct{})
	var rows int
	var rowsMu sync.Mutex
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				mu.Lock()
				if ms.HeapInuse > peak {
					peak = ms.HeapInuse
				}
				rowsMu.Lock()
				decile := rows * 10 / n
				rowsMu.Unlock()
				if ms.HeapInuse > samples[decile] {
					samples[decile] = ms.HeapInuse
				}
				mu.Unlock()
			}
		}
	}()
	start := time.Now()
	w := batch.NewJSONLWriter(io.Discard)
	st, err := batch.RunBatch(context.Background(), serviceOf(s, nil), &genReader{names: names, n: n}, w, batch.BatchOptions{
		Progress: func(d int) { rowsMu.Lock(); rows = d; rowsMu.Unlock() }})
	close(done)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d rows, %d names in %s: %.0f names/s; %d with matches; heap in use after loading %d MB, peak %d MB",
		st.Rows, st.Names, el.Round(time.Millisecond), float64(st.Names)/el.Seconds(), st.WithMatches, base>>20, peak>>20)
	for d := 0; d < 10; d++ {
		t.Logf("  rows %3d%%-%3d%%: peak heap %d MB", d*10, d*10+10, samples[d]>>20)
	}
	fmt.Fprint(io.Discard)
}
