package http

import (
	"bytes"
	"fmt"
	nethttp "net/http"
	"runtime"
	rtmetrics "runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen/screening"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency histogram.
var latencyBuckets = []float64{0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// metrics counts requests by route and status, their latency, and the parties and matches screened. It writes
// the Prometheus text exposition format by hand.
type metrics struct {
	mu      sync.Mutex
	routes  map[string]*routeMetrics
	matches uint64
	parties uint64
}

type routeMetrics struct {
	byStatus map[int]uint64
	buckets  []uint64 // cumulative at write time; per-bucket here
	count    uint64
	sum      float64
}

func newMetrics() *metrics { return &metrics{routes: map[string]*routeMetrics{}} }

func (m *metrics) observe(route string, status int, d time.Duration, matches, parties int) {
	sec := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, sec) // first bucket with bound >= sec
	m.mu.Lock()
	rm := m.routes[route]
	if rm == nil {
		rm = &routeMetrics{byStatus: map[int]uint64{}, buckets: make([]uint64, len(latencyBuckets)+1)}
		m.routes[route] = rm
	}
	rm.byStatus[status]++
	rm.buckets[i]++
	rm.count++
	rm.sum += sec
	m.matches += uint64(matches)
	m.parties += uint64(parties)
	m.mu.Unlock()
}

// write renders the metrics, with the gauges of the lists in service (none before they are loaded).
func (m *metrics) write(b *bytes.Buffer, svc *screening.Service, now time.Time, version string) {
	m.mu.Lock()
	routes := make([]string, 0, len(m.routes))
	for r := range m.routes {
		routes = append(routes, r)
	}
	sort.Strings(routes)

	b.WriteString("# HELP tradescreen_http_requests_total HTTP requests answered, by route pattern and status.\n")
	b.WriteString("# TYPE tradescreen_http_requests_total counter\n")
	for _, r := range routes {
		rm := m.routes[r]
		codes := make([]int, 0, len(rm.byStatus))
		for c := range rm.byStatus {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		for _, c := range codes {
			fmt.Fprintf(b, "tradescreen_http_requests_total{route=%s,status=\"%d\"} %d\n", quote(r), c, rm.byStatus[c])
		}
	}
	b.WriteString("# HELP tradescreen_http_request_duration_seconds Time to answer an HTTP request, by route pattern.\n")
	b.WriteString("# TYPE tradescreen_http_request_duration_seconds histogram\n")
	for _, r := range routes {
		rm := m.routes[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += rm.buckets[i]
			fmt.Fprintf(b, "tradescreen_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(r), formatFloat(le), cum)
		}
		fmt.Fprintf(b, "tradescreen_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(r), rm.count)
		fmt.Fprintf(b, "tradescreen_http_request_duration_seconds_sum{route=%s} %s\n", quote(r), formatFloat(rm.sum))
		fmt.Fprintf(b, "tradescreen_http_request_duration_seconds_count{route=%s} %d\n", quote(r), rm.count)
	}
	b.WriteString("# HELP tradescreen_parties_screened_total Parties (names) screened through the API and UI.\n")
	b.WriteString("# TYPE tradescreen_parties_screened_total counter\n")
	fmt.Fprintf(b, "tradescreen_parties_screened_total %d\n", m.parties)
	b.WriteString("# HELP tradescreen_matches_returned_total Matches returned at or above the threshold.\n")
	b.WriteString("# TYPE tradescreen_matches_returned_total counter\n")
	fmt.Fprintf(b, "tradescreen_matches_returned_total %d\n", m.matches)
	m.mu.Unlock()

	b.WriteString("# HELP tradescreen_build_info The running version.\n")
	b.WriteString("# TYPE tradescreen_build_info gauge\n")
	fmt.Fprintf(b, "tradescreen_build_info{version=%s} 1\n", quote(version))
	b.WriteString("# HELP tradescreen_ready 1 when the lists are loaded and queries are answered.\n")
	b.WriteString("# TYPE tradescreen_ready gauge\n")
	if !svc.Ready() {
		b.WriteString("tradescreen_ready 0\n")
		return
	}
	b.WriteString("tradescreen_ready 1\n")
	lists := svc.Lists()
	b.WriteString("# HELP tradescreen_list_age_seconds Age of each loaded list: now minus its publication date.\n")
	b.WriteString("# TYPE tradescreen_list_age_seconds gauge\n")
	for _, l := range lists {
		if p, ok := published(l.Published); ok {
			fmt.Fprintf(b, "tradescreen_list_age_seconds{source=%s} %s\n", quote(l.Source), formatFloat(now.Sub(p).Seconds()))
		}
	}
	b.WriteString("# HELP tradescreen_list_stale 1 when a loaded list is older than its maximum age (or of unknown date).\n")
	b.WriteString("# TYPE tradescreen_list_stale gauge\n")
	for _, l := range lists {
		stale := 0
		if l.Stale {
			stale = 1
		}
		fmt.Fprintf(b, "tradescreen_list_stale{source=%s} %d\n", quote(l.Source), stale)
	}
	b.WriteString("# HELP tradescreen_list_entries Entries loaded from each list.\n")
	b.WriteString("# TYPE tradescreen_list_entries gauge\n")
	total := 0
	for _, l := range lists {
		fmt.Fprintf(b, "tradescreen_list_entries{source=%s} %d\n", quote(l.Source), l.Entries)
		total += l.Entries
	}
	b.WriteString("# HELP tradescreen_entries_loaded Entries loaded from every list.\n")
	b.WriteString("# TYPE tradescreen_entries_loaded gauge\n")
	fmt.Fprintf(b, "tradescreen_entries_loaded %d\n", total)
	b.WriteString("# HELP tradescreen_lists_loaded_timestamp_seconds When the lists in use were loaded (Unix time).\n")
	b.WriteString("# TYPE tradescreen_lists_loaded_timestamp_seconds gauge\n")
	fmt.Fprintf(b, "tradescreen_lists_loaded_timestamp_seconds %d\n", svc.Loaded().Unix())
}

// quote quotes a label value in the exposition format (backslash, quote and newline escaped).
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// published parses a list's publication date, YYYY-MM-DD (or YYYY-MM, YYYY), as midnight UTC.
func published(s string) (time.Time, bool) {
	for _, l := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// runtimeSamples are the Go runtime's own measures exported, with the names and help they are exported as.
var runtimeSamples = []struct{ name, metric, typ, help string }{
	{"go_memory_heap_objects_bytes", "/memory/classes/heap/objects:bytes", "gauge", "Memory occupied by live and not yet swept heap objects."},
	{"go_memory_total_bytes", "/memory/classes/total:bytes", "gauge", "All memory mapped by the Go runtime."},
	{"go_memory_limit_bytes", "/gc/gomemlimit:bytes", "gauge", "The Go runtime's soft memory limit (GOMEMLIMIT)."},
	{"go_gc_cycles_total", "/gc/cycles/total:gc-cycles", "counter", "Completed garbage collection cycles."},
	{"go_gc_cpu_seconds_total", "/cpu/classes/gc/total:cpu-seconds", "counter", "CPU time spent collecting garbage (an estimate by the runtime)."},
	{"go_sched_goroutines", "/sched/goroutines:goroutines", "gauge", "Live goroutines."},
}

// writeRuntime renders the process and Go runtime metrics: goroutines, heap, garbage collection, resident
// memory and CPU time, so that growth under load shows without a profiler.
func writeRuntime(b *bytes.Buffer) {
	samples := make([]rtmetrics.Sample, len(runtimeSamples))
	for i, r := range runtimeSamples {
		samples[i].Name = r.metric
	}
	rtmetrics.Read(samples)
	for i, r := range runtimeSamples {
		var v float64
		switch samples[i].Value.Kind() {
		case rtmetrics.KindUint64:
			v = float64(samples[i].Value.Uint64())
		case rtmetrics.KindFloat64:
			v = samples[i].Value.Float64()
		default:
			continue // not supported by this Go version
		}
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n%s %s\n", r.name, r.help, r.name, r.typ, r.name, formatFloat(v))
	}
	b.WriteString("# HELP go_info The Go version the server was built with.\n# TYPE go_info gauge\n")
	fmt.Fprintf(b, "go_info{version=%s} 1\n", quote(runtime.Version()))
	if cpu, ok := processCPUSeconds(); ok {
		b.WriteString("# HELP process_cpu_seconds_total User and system CPU time of the process.\n# TYPE process_cpu_seconds_total counter\n")
		fmt.Fprintf(b, "process_cpu_seconds_total %s\n", formatFloat(cpu))
	}
	if rss, ok := processResidentBytes(); ok {
		b.WriteString("# HELP process_resident_memory_bytes Resident memory of the process.\n# TYPE process_resident_memory_bytes gauge\n")
		fmt.Fprintf(b, "process_resident_memory_bytes %d\n", rss)
	}
}

func (s *Server) handleMetrics(w nethttp.ResponseWriter, r *nethttp.Request) error {
	var b bytes.Buffer
	s.metrics.write(&b, s.Service, s.now(), s.Version)
	writeRuntime(&b)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, err := w.Write(b.Bytes())
	return err
}
