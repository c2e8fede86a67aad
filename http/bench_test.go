package http_test

import (
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	tshttp "github.com/tradescreen/tradescreen/http"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
	_ "github.com/tradescreen/tradescreen/source/all"
)

// BenchmarkSearchHandler screens names through GET /v1/search in process (no network, no store) against
// the 2022 CSL and the UN list of 2018-10-29, reporting the process CPU time per request.
func BenchmarkSearchHandler(b *testing.B) {
	var ds []*source.Dataset
	for _, f := range [][2]string{{"csl", "../testdata/lists/csl/consolidated_2022-05-16.csv.gz"}, {"un", "../testdata/lists/un/consolidated_2018-10-29.xml.gz"}} {
		d, err := source.Open(f[0], f[1])
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, d)
	}
	sc := screen.New(ds...)
	s := tshttp.NewServer()
	s.Addr = "127.0.0.1:8080"
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Service.SetLists(sc)
	h := s.Handler()
	var names []string
	for i, e := range sc.Entries() {
		if i%7 == 0 {
			names = append(names, e.Name)
		}
	}
	names = append(names, "Northwind Logistics GmbH", "Olga Lindqvist", "Hikvision", "Dahua Technology")
	for i := 0; i < 200; i++ {
		serveOne(b, h, names[i%len(names)])
	}
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		serveOne(b, h, names[i%len(names)])
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

func serveOne(b *testing.B, h nethttp.Handler, name string) {
	req := httptest.NewRequest("GET", "/v1/search?q="+url.QueryEscape(name), nil)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Host = "127.0.0.1:8080"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s: %d %s", name, rec.Code, rec.Body.String())
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
