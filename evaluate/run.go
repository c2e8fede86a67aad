package evaluate

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
)

// CategoryResult is the recall of one variation category.
type CategoryResult struct {
	Category string
	N        int
	// Found counts variants whose target raised an alert; Rank1 those where it was the best match.
	Found, Rank1 int
	Misses       []Variant
}

// Recall is Found/N.
func (c CategoryResult) Recall() float64 {
	if c.N == 0 {
		return 0
	}
	return float64(c.Found) / float64(c.N)
}

// parallel runs f(i) for i in [0,n) on every CPU.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// RunVariants screens every variant at threshold and reports recall per category, in Categories order.
func RunVariants(m tradescreen.Matcher, vs []Variant, threshold float64) []CategoryResult {
	found := make([]bool, len(vs))
	rank1 := make([]bool, len(vs))
	parallel(len(vs), func(i int) {
		v := vs[i]
		ms := m.Match(tradescreen.Query{Name: v.Query, Kind: v.Kind, Threshold: threshold, Limit: 10})
		for k, x := range ms {
			if x.Source+"/"+x.SourceID == v.Target {
				found[i] = true
				rank1[i] = k == 0 || x.Score >= ms[0].Score
			}
		}
	})
	byCat := map[string]*CategoryResult{}
	for i, v := range vs {
		c := byCat[v.Category]
		if c == nil {
			c = &CategoryResult{Category: v.Category}
			byCat[v.Category] = c
		}
		c.N++
		if found[i] {
			c.Found++
		} else {
			c.Misses = append(c.Misses, v)
		}
		if rank1[i] {
			c.Rank1++
		}
	}
	var out []CategoryResult
	for _, cat := range Categories {
		if c, ok := byCat[cat]; ok {
			out = append(out, *c)
		}
	}
	return out
}

// Flagged is a non-listed name that raised an alert.
type Flagged struct {
	Name  string
	Match tradescreen.Match
}

// RunNegatives screens names that are not listed and returns those that raise an alert at threshold.
func RunNegatives(m tradescreen.Matcher, names []string, kind tradescreen.Kind, threshold float64) []Flagged {
	hits := make([]*Flagged, len(names))
	parallel(len(names), func(i int) {
		ms := m.Match(tradescreen.Query{Name: names[i], Kind: kind, Threshold: threshold, Limit: 1})
		if len(ms) > 0 {
			hits[i] = &Flagged{Name: names[i], Match: ms[0]}
		}
	})
	var out []Flagged
	for _, h := range hits {
		if h != nil {
			out = append(out, *h)
		}
	}
	return out
}

// ExactResult reports whether every list name finds its own entry at rank 1.
type ExactResult struct {
	Names, Rank1 int
	Failures     []Variant
}

// RunExact screens every name and alias of every entry and checks that the entry comes first (sharing first
// place with entries of the same name counts as first).
func RunExact(m tradescreen.Matcher, entries []tradescreen.Entry) ExactResult {
	var vs []Variant
	for i := range entries {
		e := &entries[i]
		for _, n := range e.AllNames() {
			vs = append(vs, Variant{Query: n.Full, Kind: e.Kind, Target: e.Key(), Original: n.Full})
		}
	}
	ok := make([]bool, len(vs))
	parallel(len(vs), func(i int) {
		v := vs[i]
		ms := m.Match(tradescreen.Query{Name: v.Query, Threshold: 0.5, Limit: 200})
		if len(ms) == 0 {
			return
		}
		for _, x := range ms {
			if x.Score < ms[0].Score {
				break
			}
			if x.Source+"/"+x.SourceID == v.Target {
				ok[i] = true
				return
			}
		}
	})
	res := ExactResult{Names: len(vs)}
	for i, v := range vs {
		if ok[i] {
			res.Rank1++
		} else if len(res.Failures) < 50 {
			res.Failures = append(res.Failures, v)
		}
	}
	return res
}

// ReadSECTickers reads SEC EDGAR company_tickers.json and returns the company names.
func ReadSECTickers(r io.Reader) ([]string, error) {
	var m map[string]struct {
		Title string `json:"title"`
	}
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		t := strings.TrimSpace(m[k].Title)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// ReadColumn reads one named column of a CSV file (the Nobel laureates' fullname, say).
func ReadColumn(r io.Reader, column string) ([]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	idx := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), column) {
			idx = i
		}
	}
	if idx < 0 {
		return nil, errors.New("no column " + column)
	}
	var out []string
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if idx < len(rec) {
			if v := strings.TrimSpace(rec[idx]); v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
}
