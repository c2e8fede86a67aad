// Package match is the matching engine: an in-memory index over every name and alias of every list entry
// (tokens, single-deletion keys for typos, phonetic keys, joined word pairs and acronyms), candidate
// generation that never scans the whole list, and a scorer that aligns query and name tokens one to one,
// weighs them by rarity, and explains each match. It is pure: no I/O.
package match

import (
	"hash/maphash"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// DefaultThreshold is the alert threshold: a match scoring at or above it is reported. One value serves
// every list; docs/matching.md shows how it was chosen.
const DefaultThreshold = 0.80

// DefaultLimit is the number of matches returned when a query sets no limit.
const DefaultLimit = 10

// Index is the searchable form of a set of list entries. It is safe for concurrent use once built.
type Index struct {
	entries []*tradescreen.Entry
	names   []nameRec

	dict     map[string]int32 // token text -> token id
	toks     []tokInfo
	postings [][]int32 // token id -> name ids
	// del holds (hash of a token or of the token less one letter, token id), sorted by hash: a flat table
	// costs a tenth of a map of slices for the ~300,000 keys of the default lists.
	del    []delKey
	phon   map[string][]int32
	joined map[string][]int32 // two adjacent name tokens written as one -> name ids
	acro   map[string][]int32 // acronym of an organization name -> name ids
	places map[string]bool    // tokens that are place names in the lists' addresses
	// entryPlaces holds, per entry, the words of the places in its own addresses (districts, cities,
	// provinces, countries), sorted: a query that puts one of them before the name ("Zhejiang Dahua
	// Technology") names the same party.
	entryPlaces [][]string
	variants    map[string][]int32 // romanization group key -> token ids
	maxIDF      float64
	p           Params
	seed        maphash.Seed
	free        chan *scratch
	bySource    map[string]int
}

type tokInfo struct {
	variant string // romanization group key, "" if none
	text    string
	df      int32
	idf     float32
	phon    string
	places  bool
}

type nameRec struct {
	entry  int32
	alias  int16 // -1 for the primary name, else index into Entry.Aliases
	person bool
	toks   []int32
	cls    []normalize.Class
	// weight is the sum of the name's token weights, to rank candidates by the share of it a query covers.
	weight float32
	// raw holds each token as written before abbreviation expansion, when any differs; else nil.
	raw []string
	// compact is the name's word, number and legal-form tokens joined without spaces, for whole-name
	// comparison; rawCompact every token as written, joined.
	compact    string
	rawCompact string
}

// Build indexes entries. The entries are referenced, not copied: they must not change afterwards.
func Build(entries []tradescreen.Entry) *Index {
	ix := &Index{
		dict:     make(map[string]int32, 1<<15),
		phon:     make(map[string][]int32, 1<<15),
		joined:   make(map[string][]int32, 1<<16),
		acro:     make(map[string][]int32, 1<<14),
		places:   map[string]bool{},
		variants: map[string][]int32{},
		p:        DefaultParams(),
		free:     make(chan *scratch, 64),
		seed:     maphash.MakeSeed(),
		bySource: map[string]int{},
	}
	ix.entries = make([]*tradescreen.Entry, len(entries))
	for i := range entries {
		ix.entries[i] = &entries[i]
		ix.bySource[entries[i].Source]++
		for _, a := range entries[i].Addresses {
			for _, p := range []string{a.City, a.Region} {
				for _, w := range strings.Fields(normalize.Fold(p)) {
					if len(w) >= 4 {
						ix.places[w] = true
					}
				}
			}
		}
	}
	ix.entryPlaces = make([][]string, len(ix.entries))
	for ei, e := range ix.entries {
		ix.entryPlaces[ei] = addressPlaces(e.Addresses)
	}
	// Tokenize every name on every CPU; the index is then assembled in entry order, so it is the same
	// whatever the scheduling.
	type job struct {
		entry int32
		alias int
		full  string
	}
	var jobs []job
	for ei, e := range ix.entries {
		jobs = append(jobs, job{int32(ei), -1, e.Name})
		for ai, a := range e.Aliases {
			if ai >= math.MaxInt16 {
				break
			}
			jobs = append(jobs, job{int32(ei), ai, a.Full})
		}
	}
	toks := make([][]normalize.Token, len(jobs))
	parallel(len(jobs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			person := ix.entries[jobs[i].entry].Kind == tradescreen.KindPerson
			toks[i] = normalize.Tokens(jobs[i].full, normalize.Options{Person: person})
		}
	})
	seen := map[string]bool{}
	lastEntry := int32(-1)
	for i, jb := range jobs {
		if jb.entry != lastEntry {
			clear(seen)
			lastEntry = jb.entry
		}
		tks := toks[i]
		if len(tks) == 0 {
			continue
		}
		key := tokensKey(tks)
		if seen[key] {
			continue
		}
		seen[key] = true
		person := ix.entries[jb.entry].Kind == tradescreen.KindPerson
		rec := nameRec{entry: jb.entry, alias: int16(jb.alias), person: person,
			toks: make([]int32, 0, len(tks)), cls: make([]normalize.Class, 0, len(tks))}
		var compact strings.Builder
		for _, t := range tks {
			rec.toks = append(rec.toks, ix.tokenID(t.Text))
			rec.cls = append(rec.cls, t.Class)
			if t.Raw != t.Text && rec.raw == nil {
				rec.raw = make([]string, len(tks))
				for m := range tks {
					rec.raw[m] = tks[m].Raw
				}
			}
			if t.Class == normalize.Word || t.Class == normalize.Number || t.Class == normalize.Legal {
				compact.WriteString(t.Text)
			}
		}
		rec.compact = compact.String()
		var rc strings.Builder
		for _, t := range tks {
			rc.WriteString(t.Raw)
		}
		rec.rawCompact = rc.String()
		if !person {
			for _, a := range acronyms(tks) {
				ix.acro[a] = appendUnique(ix.acro[a], int32(len(ix.names)))
			}
		}
		ix.names = append(ix.names, rec)
	}
	ix.postings = make([][]int32, len(ix.toks))
	for ni := range ix.names {
		n := &ix.names[ni]
		last := int32(-1)
		for k, t := range n.toks {
			if t != last { // a token repeated in one name counts once
				ix.postings[t] = appendUnique(ix.postings[t], int32(ni))
			}
			last = t
			if k+1 < len(n.toks) && joinable(n.cls[k]) && joinable(n.cls[k+1]) {
				j := ix.toks[t].text + ix.toks[n.toks[k+1]].text
				ix.joined[j] = appendUnique(ix.joined[j], int32(ni))
			}
		}
	}
	N := float64(len(ix.names) + 1)
	ix.maxIDF = math.Log(1 + N)
	// Per token: document frequency, rarity, romanization group, phonetic key and the hashes of its
	// single-letter deletions (computed on every CPU, inserted in token order).
	dels := make([][]uint64, len(ix.toks))
	parallel(len(ix.toks), func(lo, hi int) {
		for id := lo; id < hi; id++ {
			t := &ix.toks[id]
			t.df = int32(len(ix.postings[id]))
			t.idf = float32(math.Log(1 + N/float64(t.df+1)))
			if v, ok := normalize.Variant(t.text); ok {
				t.variant = v
			}
			t.phon = phoneticKey(t.text)
			if len(t.text) >= 4 {
				dels[id] = deletionHashes(ix.seed, t.text, nil)
			}
		}
	})
	n := 0
	for _, d := range dels {
		n += len(d)
	}
	ix.del = make([]delKey, 0, n)
	for id := range ix.toks {
		t := &ix.toks[id]
		t.places = ix.places[t.text]
		if t.variant != "" {
			ix.variants[t.variant] = append(ix.variants[t.variant], int32(id))
		}
		for _, h := range dels[id] {
			ix.del = append(ix.del, delKey{h, int32(id)})
		}
		if t.phon != "" {
			ix.phon[t.phon] = append(ix.phon[t.phon], int32(id))
		}
	}
	sort.Slice(ix.del, func(i, j int) bool {
		if ix.del[i].hash != ix.del[j].hash {
			return ix.del[i].hash < ix.del[j].hash
		}
		return ix.del[i].tok < ix.del[j].tok
	})
	for ni := range ix.names {
		n := &ix.names[ni]
		var w float64
		for k, t := range n.toks {
			w += ix.tokWeight(&ix.toks[t], n.cls[k])
		}
		n.weight = float32(w)
	}
	return ix
}

// addressPlaces returns the sorted distinct words of the places in addresses: city, region and country
// fields, and the short parts after the street of one-line addresses.
func addressPlaces(as []tradescreen.Address) []string {
	set := map[string]bool{}
	for _, a := range as {
		parts := []string{a.City, a.Region, a.CountryName}
		if f := strings.Split(a.Full, ","); len(f) > 1 {
			for _, p := range f[1:] {
				if len(strings.Fields(p)) <= 2 && !strings.ContainsAny(p, "0123456789") {
					parts = append(parts, p)
				}
			}
		}
		for _, p := range parts {
			for _, w := range strings.Fields(normalize.Fold(p)) {
				if len(w) >= 4 {
					set[w] = true
				}
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// joinable says whether a token of this class may be written joined to its neighbour.
func joinable(c normalize.Class) bool {
	return c != normalize.Legal
}

// WithParams returns an index that shares ix's data but scores with p.
func (ix *Index) WithParams(p Params) *Index {
	c := *ix
	c.p = p
	return &c
}

// Params returns the scoring parameters in use.
func (ix *Index) Params() Params { return ix.p }

func appendUnique(s []int32, v int32) []int32 {
	if len(s) > 0 && s[len(s)-1] == v {
		return s
	}
	return append(s, v)
}

func tokensKey(tks []normalize.Token) string {
	var b strings.Builder
	for _, t := range tks {
		b.WriteString(t.Text)
		b.WriteByte(byte('0' + t.Class))
	}
	return b.String()
}

func (ix *Index) tokenID(text string) int32 {
	if id, ok := ix.dict[text]; ok {
		return id
	}
	id := int32(len(ix.toks))
	ix.dict[text] = id
	ix.toks = append(ix.toks, tokInfo{text: text})
	return id
}

type delKey struct {
	hash uint64
	tok  int32
}

// tokensWithKey returns the ids of the tokens one of whose deletion keys hashes to h.
func (ix *Index) tokensWithKey(h uint64, f func(id int32)) {
	i := sort.Search(len(ix.del), func(i int) bool { return ix.del[i].hash >= h })
	for ; i < len(ix.del) && ix.del[i].hash == h; i++ {
		f(ix.del[i].tok)
	}
}

// deletionHashes returns the hashes of s and of every string made by deleting one byte of it, without
// building those strings (maphash hashes a sequence of writes as their concatenation).
func deletionHashes(seed maphash.Seed, s string, out []uint64) []uint64 {
	out = append(out[:0], maphash.String(seed, s))
	var h maphash.Hash
	h.SetSeed(seed)
	for i := 0; i < len(s); i++ {
		h.Reset()
		h.WriteString(s[:i])
		h.WriteString(s[i+1:])
		out = append(out, h.Sum64())
	}
	return out
}

// parallel runs f over [0, n) split in one contiguous chunk per CPU.
func parallel(n int, f func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 1024 || workers == 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, min(n, lo+chunk))
	}
	wg.Wait()
}

// deletions returns s and every string made by deleting one byte of it.
func deletions(s string, out []string) []string {
	out = append(out[:0], s)
	for i := 0; i < len(s); i++ {
		out = append(out, s[:i]+s[i+1:])
	}
	return out
}

// acronyms returns the acronyms an organization name may be known by: the initials of its words (legal form
// included, as written), and of its words with one word left out (CETC for China Electronics Technology
// Group Corporation).
func acronyms(tks []normalize.Token) []string {
	var init []byte
	for _, t := range tks {
		switch t.Class {
		case normalize.Word, normalize.Number:
			init = append(init, t.Text[0])
		case normalize.Legal:
			if t.Raw != "" {
				init = append(init, t.Raw[0])
			}
		}
	}
	if len(init) < 3 || len(init) > 8 {
		return nil
	}
	out := []string{string(init)}
	if len(init) >= 4 {
		for skip := range init {
			out = append(out, string(init[:skip])+string(init[skip+1:]))
		}
	}
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// Len returns the number of entries indexed.
func (ix *Index) Len() int { return len(ix.entries) }

// Names returns the number of distinct names indexed.
func (ix *Index) Names() int { return len(ix.names) }

// Entry returns the i-th entry.
func (ix *Index) Entry(i int) *tradescreen.Entry { return ix.entries[i] }

// weight is the weight of a token: its rarity in the lists, lowered for legal forms, stop words,
// honorifics and place names.
func (ix *Index) weight(text string, cls normalize.Class) float64 {
	if id, ok := ix.dict[text]; ok {
		return ix.tokWeight(&ix.toks[id], cls)
	}
	return ix.classWeight(text, ix.maxIDF, false, cls)
}

// tokWeight is weight for a token of the dictionary.
func (ix *Index) tokWeight(t *tokInfo, cls normalize.Class) float64 {
	return ix.classWeight(t.text, float64(t.idf), t.places, cls)
}

func (ix *Index) classWeight(text string, w float64, place bool, cls normalize.Class) float64 {
	switch cls {
	case normalize.Legal:
		w *= ix.p.LegalWeight
	case normalize.Stop:
		w *= ix.p.StopWeight
	case normalize.Honorific:
		w *= ix.p.HonorificWeight
	case normalize.Number:
		w = max(w, 4)
	default:
		if len(text) == 1 {
			w = min(w, ix.p.InitialMaxWeight) // an initial says little on its own
		}
		if place {
			w *= ix.p.PlaceWeight
		}
	}
	return w
}
