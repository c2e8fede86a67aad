package match_test

import (
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/evaluate"
	"github.com/tradescreen/tradescreen/match"
)

// BenchmarkBuild measures building the index over the whole default snapshot (about 17,500 entries). Besides
// the wall time it reports the CPU time of the whole process per build (cpu-ms/op: every core, the garbage
// collector included), which other work on a shared machine does not inflate.
func BenchmarkBuild(b *testing.B) {
	realIndex(b)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := processCPU()
	for i := 0; i < b.N; i++ {
		match.Build(entries)
	}
	if c := processCPU() - c0; c > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// One query shape per case, all against the full default snapshot.
var queryShapes = []struct {
	name string
	q    tradescreen.Query
}{
	{"exact", tradescreen.Query{Name: "Hangzhou Hikvision Digital Technology Co., Ltd."}},
	{"alias", tradescreen.Query{Name: "Hikvision"}},
	{"typo", tradescreen.Query{Name: "Hangzhou Hikvsion Digitl Technology"}},
	{"first_letter_typo", tradescreen.Query{Name: "Jikvision"}},
	{"no_hit", tradescreen.Query{Name: "Quintessential Widgetworks Holdings"}},
	{"generic_words", tradescreen.Query{Name: "International Trading Company Limited"}},
	{"long", tradescreen.Query{Name: "Federal State Unitary Enterprise State Research and Production Enterprise Bazalt Moscow Russia"}},
	{"person", tradescreen.Query{Name: "Mohammed Yousef Al Zawahiri", Kind: tradescreen.KindPerson}},
	{"person_last_first", tradescreen.Query{Name: "ZAWAHIRI, Ayman", Kind: tradescreen.KindPerson}},
	{"organization", tradescreen.Query{Name: "Zhejiang Dahua Technology Co Ltd", Kind: tradescreen.KindOrganization}},
	{"common_surname", tradescreen.Query{Name: "Muhammad Ali"}},
	{"han", tradescreen.Query{Name: "杭州海康威视数字技术股份有限公司"}},
}

func BenchmarkSearch(b *testing.B) {
	ix := realIndex(b)
	for _, qs := range queryShapes {
		b.Run(qs.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				ix.Search(qs.q)
			}
		})
	}
}

// BenchmarkSearchLatency screens a realistic mix — real list names, generated variations of them and real
// non-listed company and person names — one query at a time and reports the p50 and p99 latency. It also
// reports the p50 and p99 of each query's own CPU time (cpu-p50-µs, cpu-p99-µs, Linux only): on a shared
// machine wall time includes the time other processes hold the CPU, CPU time does not.
func BenchmarkSearchLatency(b *testing.B) {
	ix := realIndex(b)
	qs := latencyMix(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		c0 := threadCPU()
		t0 := time.Now()
		ix.Search(q)
		lat = append(lat, time.Since(t0))
		cpu = append(cpu, threadCPU()-c0)
	}
	b.StopTimer()
	pct := func(d []time.Duration, p int) float64 {
		return float64(d[len(d)*p/100].Nanoseconds()) / 1000
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
	b.ReportMetric(pct(lat, 50), "p50-µs")
	b.ReportMetric(pct(lat, 99), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
	if cpu[len(cpu)-1] > 0 {
		b.ReportMetric(pct(cpu, 50), "cpu-p50-µs")
		b.ReportMetric(pct(cpu, 99), "cpu-p99-µs")
	}
}

// BenchmarkThroughput screens the mix on every CPU, as batch does, and reports names per second.
func BenchmarkThroughput(b *testing.B) {
	ix := realIndex(b)
	qs := latencyMix(b)
	b.ResetTimer()
	var wg sync.WaitGroup
	next := make(chan int, 1024)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ix.Search(qs[i%len(qs)])
			}
		}()
	}
	t0 := time.Now()
	for i := 0; i < b.N; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "names/s")
}

var (
	mixOnce sync.Once
	mix     []tradescreen.Query
)

func latencyMix(b *testing.B) []tradescreen.Query {
	mixOnce.Do(func() {
		vs := evaluate.Generate(entries, evaluate.GenerateOptions{Seed: 7, PerCategory: 100})
		for _, v := range vs {
			mix = append(mix, tradescreen.Query{Name: v.Query, Kind: v.Kind})
		}
		for i := 0; i < len(entries); i += 17 {
			mix = append(mix, tradescreen.Query{Name: entries[i].Name})
		}
		for _, n := range []string{"Apple Inc.", "Microsoft Corporation", "Toyota Motor Corporation", "Nestle S.A.",
			"Albert Einstein", "Marie Curie", "Acme Widgets LLC", "Bank of Springfield", "John Smith", "Maria Garcia"} {
			mix = append(mix, tradescreen.Query{Name: n})
		}
	})
	return mix
}
