package http_test

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	nethttp "net/http"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/evaluate"
	tshttp "github.com/tradescreen/tradescreen/http"
)

var (
	loadDuration = flag.Duration("load.duration", 0, "run TestLoad for this long (0 skips it), e.g. 20s")
	loadClients  = flag.Int("load.clients", 8, "concurrent TestLoad clients (keep-alive connections)")
	loadWarmup   = flag.Duration("load.warmup", 2*time.Second, "TestLoad warm-up, not measured")
	loadPath     = flag.String("load.path", "", "TestLoad: request only this path (e.g. /readyz, to measure the HTTP stack alone) instead of the search mix")
	loadStore    = flag.String("load.store", "", "TestLoad: give the server a database, so that every search is also appended to its audit trail: sqlite (a file in a temporary directory) or postgres (TRADESCREEN_TEST_POSTGRES_URL)")
)

// loadQuery is one query of the load mix.
type loadQuery struct {
	kind string // listed, variation, unlisted
	q    string
}

// loadMix builds n queries from the loaded lists: a third exact list names and aliases, a third variations of
// them (typo, dropped word, re-ordered words, lower case, no punctuation), a third names not on any list.
func loadMix(entries []tradescreen.Entry, n int) []loadQuery {
	rng := rand.New(rand.NewPCG(1, 2))
	var names []string
	for i := range entries {
		for _, nm := range entries[i].AllNames() {
			if nm.Script == "" && utf8.RuneCountInString(nm.Full) >= 4 && len(nm.Full) <= 120 {
				names = append(names, nm.Full)
			}
		}
	}
	given := []string{"James", "Maria", "Wei", "Olga", "Ahmed", "Sofia", "Kenji", "Priya", "Lucas", "Fatima", "Johan", "Chloe", "Mateo", "Aisha", "Pavel", "Emma"}
	family := []string{"Thornbury", "Vasquez", "Lindqvist", "Okonkwo", "Harrington", "Moreau", "Nakamura", "Kowalczyk", "Brennan", "Castellano", "Whitfield", "Dufresne", "Abernathy", "Sorensen"}
	words := []string{"Northwind", "Bluewater", "Granite", "Evergreen", "Summit", "Harbor", "Meridian", "Copperfield", "Silverline", "Oakridge", "Bright", "Pioneer"}
	sectors := []string{"Logistics", "Foods", "Textiles", "Software", "Dental Supplies", "Garden Centre", "Bakery", "Furniture", "Consulting", "Printing"}
	forms := []string{"GmbH", "Ltd", "LLC", "S.A.", "B.V.", "Inc.", "Pty Ltd", "AB", "S.r.l.", ""}
	out := make([]loadQuery, 0, n)
	for i := range n {
		switch i % 3 {
		case 0:
			out = append(out, loadQuery{"listed", names[rng.IntN(len(names))]})
		case 1:
			out = append(out, loadQuery{"variation", evaluate.QuickVariant(rng, names[rng.IntN(len(names))])})
		default:
			if rng.IntN(2) == 0 {
				out = append(out, loadQuery{"unlisted", given[rng.IntN(len(given))] + " " + family[rng.IntN(len(family))]})
			} else {
				out = append(out, loadQuery{"unlisted", strings.TrimSpace(words[rng.IntN(len(words))] + " " + sectors[rng.IntN(len(sectors))] + " " + forms[rng.IntN(len(forms))])})
			}
		}
	}
	return out
}

// TestLoad drives GET /v1/search on loopback with concurrent keep-alive clients for -load.duration and
// reports throughput and latency percentiles. It is skipped unless -load.duration is set:
//
//	go test ./http -run TestLoad -load.duration=20s -v
func TestLoad(t *testing.T) {
	if *loadDuration <= 0 {
		t.Skip("load test: set -load.duration (e.g. go test ./http -run TestLoad -load.duration=20s -v)")
	}
	ts := newTestServer(t, func(s *tshttp.Server) {
		// Request logs are formatted as in production and then dropped.
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		switch *loadStore {
		case "":
		case "sqlite":
			s.Store = sqliteStore(t)
		case "postgres":
			s.Store = postgresStore(t)
		default:
			t.Fatalf("-load.store %q: want sqlite or postgres", *loadStore)
		}
	})
	mix := loadMix(testScreener(t).Entries(), 6000)
	urls := make([]string, len(mix))
	for i, q := range mix {
		urls[i] = ts.URL + "/v1/search?q=" + url.QueryEscape(q.q)
		if *loadPath != "" {
			urls[i] = ts.URL + *loadPath
		}
	}
	loadAvg := loadAverage()
	// The same queries in process, one at a time, to tell the matcher's share of the latency from HTTP's.
	var inproc []time.Duration
	sc := testScreener(t)
	for _, q := range mix[:min(len(mix), 3000)] {
		start := time.Now()
		if _, err := sc.Screen(tradescreen.Query{Name: q.q}); err != nil {
			t.Fatalf("screen %q: %v", q.q, err)
		}
		inproc = append(inproc, time.Since(start))
	}
	sort.Slice(inproc, func(i, j int) bool { return inproc[i] < inproc[j] })
	var inprocSum time.Duration
	for _, d := range inproc {
		inprocSum += d
	}

	clients := *loadClients
	tr := &nethttp.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &nethttp.Client{Transport: tr, Timeout: 10 * time.Second}

	type sample struct {
		d    time.Duration
		kind int
	}
	kinds := map[string]int{"listed": 0, "variation": 1, "unlisted": 2}
	var (
		mu        sync.Mutex
		all       []sample
		errs      int
		matched   [3]int
		perKind   [3]int
		wg        sync.WaitGroup
		measureAt = time.Now().Add(*loadWarmup)
		stopAt    = measureAt.Add(*loadDuration)
	)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			var myErrs int
			var myMatched, myKind [3]int
			buf := make([]byte, 64<<10)
			for i := c; ; i += clients {
				now := time.Now()
				if now.After(stopAt) {
					break
				}
				k := kinds[mix[i%len(mix)].kind]
				start := time.Now()
				resp, err := hc.Get(urls[i%len(urls)])
				var body []byte
				if err == nil {
					for {
						n, rerr := resp.Body.Read(buf)
						body = append(body, buf[:n]...)
						if rerr != nil {
							break
						}
					}
					resp.Body.Close()
				}
				d := time.Since(start)
				if start.Before(measureAt) {
					continue
				}
				if err != nil || resp.StatusCode != 200 {
					myErrs++
					continue
				}
				mine = append(mine, sample{d, k})
				myKind[k]++
				if !strings.Contains(string(body[:min(len(body), 200)]), `"matches":[]`) {
					myMatched[k]++
				}
			}
			mu.Lock()
			all = append(all, mine...)
			errs += myErrs
			for k := range 3 {
				matched[k] += myMatched[k]
				perKind[k] += myKind[k]
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(all) == 0 {
		t.Fatal("no request completed")
	}
	pct := func(s []sample, p float64) time.Duration {
		sort.Slice(s, func(i, j int) bool { return s[i].d < s[j].d })
		return s[min(len(s)-1, int(p*float64(len(s))))].d
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	n := len(all)
	qps := float64(n) / loadDuration.Seconds()
	target := "GET /v1/search, the mix"
	if *loadPath != "" {
		target = "GET " + *loadPath
	}
	report := fmt.Sprintf("load: %s, %s, %d clients, GOMAXPROCS %d, %d CPUs (%s), load average before: %s\n",
		*loadDuration, target, clients, runtime.GOMAXPROCS(0), runtime.NumCPU(), cpuModel(), loadAvg)
	report += fmt.Sprintf("requests %d, errors %d, throughput %.0f queries/s\n", n, errs, qps)
	report += fmt.Sprintf("latency p50 %s, p90 %s, p99 %s, p99.9 %s, max %s\n",
		ms(pct(all, 0.50)), ms(pct(all, 0.90)), ms(pct(all, 0.99)), ms(pct(all, 0.999)), ms(pct(all, 1)))
	report += fmt.Sprintf("in process, one at a time (%d queries): p50 %s, p99 %s, mean %s, %.0f queries/s per core\n",
		len(inproc), ms(inproc[len(inproc)/2]), ms(inproc[len(inproc)*99/100]), ms(inprocSum/time.Duration(len(inproc))),
		float64(len(inproc))/inprocSum.Seconds())
	for _, name := range []string{"listed", "variation", "unlisted"} {
		k := kinds[name]
		var s []sample
		for _, x := range all {
			if x.kind == k {
				s = append(s, x)
			}
		}
		if len(s) > 0 {
			report += fmt.Sprintf("  %-9s %6d requests, %5.1f%% with matches, p50 %s, p99 %s\n", name, perKind[k],
				100*float64(matched[k])/float64(max(perKind[k], 1)), ms(pct(s, 0.5)), ms(pct(s, 0.99)))
		}
	}
	t.Log("\n" + report)
	if errs > 0 {
		t.Errorf("%d requests failed", errs)
	}
}

// cpuModel returns the CPU model name from /proc/cpuinfo, or "unknown".
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAverage returns the 1-, 5- and 15-minute load averages from /proc/loadavg: other work on the machine
// skews the numbers.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
