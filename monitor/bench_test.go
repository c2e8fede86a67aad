package monitor_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/snapshot"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/sqlite"
)

// realNames returns the real names of the evaluation negatives: 10,077 SEC issuers and 872 Nobel laureates.
func realNames(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile("../testdata/eval/negatives/sec_company_tickers_2025-08.json")
	if err != nil {
		tb.Fatal(err)
	}
	var sec map[string]struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(b, &sec); err != nil {
		tb.Fatal(err)
	}
	var names []string
	for i := 0; i < len(sec); i++ {
		if t := sec[fmt.Sprint(i)].Title; t != "" {
			names = append(names, t)
		}
	}
	f, err := os.Open("../testdata/eval/negatives/nobel_laureates_clean_2019.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	for _, rec := range recs[1:] {
		if rec[0] != "" {
			names = append(names, rec[0])
		}
	}
	return names
}

// dailyChange returns the snapshot with a typical day's change: 20 entries added (real entries of another
// CSL file, of December 2019, that the snapshot lacks) and 10 entries given a new alias.
func dailyChange(tb testing.TB, base []*source.Dataset) ([]*source.Dataset, int) {
	tb.Helper()
	later, err := source.Open("csl", oldFile)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]*source.Dataset, len(base))
	copy(out, base)
	var csl int
	keys := map[string]bool{}
	for i, ds := range base {
		for _, e := range ds.Entries {
			keys[e.Key()] = true
		}
		if len(ds.Lists) > 5 {
			csl = i
		}
	}
	ds := &source.Dataset{Lists: base[csl].Lists, Entries: slices.Clone(base[csl].Entries)}
	added := 0
	for _, e := range later.Entries {
		if added < 20 && !keys[e.Key()] && e.Source == "us_el" {
			ds.Entries = append(ds.Entries, e)
			added++
		}
	}
	for i := 0; i < 10; i++ {
		e := &ds.Entries[i*997]
		e.Aliases = append(slices.Clone(e.Aliases), tradescreen.Name{Full: e.Name + " Branch", Type: tradescreen.NameAKA})
	}
	out[csl] = ds
	return out, added + 10
}

// BenchmarkMonitor times a monitoring run over 100,000 parties after a typical daily list change, with
// the parties already screened against the previous day's lists (SQLite file store).
func BenchmarkMonitor(b *testing.B) {
	ctx := context.Background()
	names := realNames(b)
	parties := make([]tradescreen.Party, 100_000)
	for i := range parties {
		parties[i] = tradescreen.Party{ID: fmt.Sprintf("P%06d", i), Name: names[i%len(names)]}
	}
	db := sqlite.NewDB(filepath.Join(b.TempDir(), "tradescreen.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Parties().ImportParties(ctx, analyst, "bench", parties); err != nil {
		b.Fatal(err)
	}
	marks := map[string]string{}
	for i := range parties {
		marks[parties[i].ID] = parties[i].DataHash()
	}
	if err := db.Parties().MarkScreened(ctx, marks); err != nil {
		b.Fatal(err)
	}
	base, err := snapshot.Load()
	if err != nil {
		b.Fatal(err)
	}
	before := screen.New(base...)
	baseline := map[string]string{}
	for _, e := range before.Entries() {
		baseline[e.Key()] = tradescreen.EntryHash(&e)
	}
	day2, changed := dailyChange(b, base)
	var added []string // the day's new entries, forgotten again before each run
	for _, ds := range day2 {
		for _, e := range ds.Entries {
			if _, ok := baseline[e.Key()]; !ok {
				added = append(added, e.Key())
			}
		}
	}
	after := screen.New(day2...)
	m := &monitor.Monitor{Store: db}
	var rep *monitor.Report
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := db.Monitor().SaveEntryHashes(ctx, baseline, added); err != nil {
			b.Fatal(err)
		}
		c0 := cpuTime()
		b.StartTimer()
		rep, err = m.Run(ctx, after)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	if rep.NewEntries+rep.ChangedEntries != changed || rep.Rescreened != 0 {
		b.Fatalf("report: %+v", rep)
	}
	b.ReportMetric(float64(rep.Candidates), "candidates")
	b.ReportMetric(float64(rep.Hits), "hits")
	b.Logf("%d parties, %d entries changed: %d candidates, %d hits, %d alerts created", rep.Parties, changed, rep.Candidates, rep.Hits, rep.Created)
}

// cpuTime returns the CPU time (user and system) the process has used: the benchmark's machine is shared, so
// CPU time says more than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
