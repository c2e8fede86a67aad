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

// BenchmarkBuild measures building the index over the whole default snapshot (17,277 entries).
func BenchmarkBuild(b *testing.B) {
	realIndex(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		match.Build(entries)
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
// non-listed company and person names — one query at a time and reports the p50 and p99 latency.
func BenchmarkSearchLatency(b *testing.B) {
	ix := realIndex(b)
	qs := latencyMix(b)
	b.ResetTimer()
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		t0 := time.Now()
		ix.Search(q)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
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
