// Package match is the matching engine: an in-memory index over every name and alias of every list entry
// (tokens, single-deletion keys for typos, phonetic keys, joined word pairs and acronyms), candidate
// generation that never scans the whole list, and a scorer that aligns query and name tokens one to one,
// weighs them by rarity, and explains each match. It is pure: no I/O.
package match

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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
	// nameW holds each name's weight (nameRec.weight) densely, for the candidate ranking loop.
	nameW []float32

	dict     map[string]int32 // token text -> token id
	toks     []tokInfo
	postings [][]int32 // token id -> name ids (slices of one shared array)
	// del holds (hash of a token or of the token less one letter, token id), sorted by hash: a flat table
	// costs a tenth of a map of slices for the ~300,000 keys of the default lists, and its bucket directory
	// makes a lookup read one or two entries.
	del tableIndex[int32] // token ids
	// half holds the tokens of halfMin letters or more under the hashes of their two halves and of each
	// half less one letter (halfHashes): a word within two or three edits of a token is within one edit of
	// one of its halves, which single deletions of the whole word do not find ("Vechnocole" for
	// "Technopole").
	half tableIndex[int32]
	phon map[string][]int32
	// joined holds, for every two adjacent tokens of a name, the hash of the two written as one; acro the
	// acronyms of organization names (exact: an acronym of up to 8 letters is its own key). Both are flat
	// tables sorted by key, like del, with their bucket directories.
	joined tableIndex[joinKey]
	acro   tableIndex[int32]
	// exact holds every name under the hash of its sorted word, number and legal-form token ids
	// (exactKey), so that a query naming a listed name as it is written finds it however common its words
	// are ("MUHAMMAD, Muhammad") and however many names share its rarer words.
	exact  tableIndex[int32]
	places map[string]bool
	// entryPlaces holds, per entry, the words of the places in its own addresses (districts, cities,
	// provinces, countries), sorted: a query that puts one of them before the name ("Zhejiang Dahua
	// Technology") names the same party.
	entryPlaces [][]string
	// placeWords holds every word of entryPlaces: a query word not in it is no entry's place.
	placeWords map[string]bool
	variants   map[string][]int32 // romanization group key -> token ids
	// abjad holds the tokens under their normalize.AbjadKey, built on the first query in Arabic script
	// (arabicReading).
	abjad *abjadTable
	// sorted holds the token ids in the order of their texts, built on the first query with a word cut
	// short (prefixExpansions).
	sorted *sortedTable
	// parts are the names read out of longer name strings (nameRec.part).
	parts []partName
	// expMemo holds, per dictionary token, its expansions once a query has needed them (expand).
	expMemo  []atomic.Pointer[[]expansion]
	maxIDF   float64
	p        Params
	seed     maphash.Seed
	free     chan *scratch
	bySource map[string]int
}

// joinKey is one pair of adjacent tokens a, b of name ni, under the hash of their texts joined.
type joinKey struct {
	ni   int32
	a, b int32
}

// tableIndex is a flat table of values sorted by their keys' hashes, then by the values, with a directory
// of the positions where each leading-bits bucket of hashes starts.
type tableIndex[V any] struct {
	hashes []uint64
	vals   []V
	dir    []int32
	bits   uint
}

// lookup returns the values whose hash is h.
func (t *tableIndex[V]) lookup(h uint64) []V {
	if len(t.dir) == 0 {
		return nil
	}
	b := h >> (64 - t.bits)
	i, end := t.dir[b], t.dir[b+1]
	for i < end && t.hashes[i] < h {
		i++
	}
	j := i
	for j < end && t.hashes[j] == h {
		j++
	}
	return t.vals[i:j]
}

// hashed is a value under its key's hash, while a table is built.
type hashed[V any] struct {
	hash uint64
	val  V
}

// newTable sorts the values by hash and then by less, with a bucket sort on the hash's leading bits.
func newTable[V any](in []hashed[V], less func(a, b V) bool) tableIndex[V] {
	nb := uint(bits.Len(uint(len(in))))
	nb = max(1, min(nb, 22))
	shift := 64 - nb
	dir := make([]int32, (1<<nb)+1)
	for i := range in {
		dir[(in[i].hash>>shift)+1]++
	}
	for b := 1; b < len(dir); b++ {
		dir[b] += dir[b-1]
	}
	out := make([]hashed[V], len(in))
	next := make([]int32, 1<<nb)
	copy(next, dir[:1<<nb])
	for i := range in {
		b := in[i].hash >> shift
		out[next[b]] = in[i]
		next[b]++
	}
	// Each bucket holds a few values: insertion sort.
	for b := 0; b < 1<<nb; b++ {
		s := out[dir[b]:dir[b+1]]
		for i := 1; i < len(s); i++ {
			for j := i; j > 0 && (s[j].hash < s[j-1].hash || s[j].hash == s[j-1].hash && less(s[j].val, s[j-1].val)); j-- {
				s[j], s[j-1] = s[j-1], s[j]
			}
		}
	}
	t := tableIndex[V]{hashes: make([]uint64, len(out)), vals: make([]V, len(out)), dir: dir, bits: nb}
	for i := range out {
		t.hashes[i], t.vals[i] = out[i].hash, out[i].val
	}
	return t
}

// packAcronym returns the key of an acronym of 1 to 8 letters: its bytes packed into an integer (no byte of
// a token is zero, so lengths cannot be confused) and multiplied by an odd constant, which spreads the keys
// over the buckets and stays one-to-one.
func packAcronym(a []byte) uint64 {
	var k uint64
	for _, c := range a {
		k = k<<8 | uint64(c)
	}
	return k * 0x9E3779B97F4A7C15
}

func packAcronymString(a string) uint64 {
	var k uint64
	for i := 0; i < len(a); i++ {
		k = k<<8 | uint64(a[i])
	}
	return k * 0x9E3779B97F4A7C15
}

// joinedNames calls f with the id of each name (in increasing order, once each) that has two adjacent
// tokens which, written as one, are text.
func (ix *Index) joinedNames(text string, f func(ni int32)) {
	last := int32(-1)
	for _, k := range ix.joined.lookup(maphash.String(ix.seed, text)) {
		ta, tb := ix.toks[k.a].text, ix.toks[k.b].text
		if k.ni != last && len(ta)+len(tb) == len(text) && text[:len(ta)] == ta && text[len(ta):] == tb {
			f(k.ni)
			last = k.ni
		}
	}
}

// acronymNames calls f with the id of each organization name (in increasing order, once each) one of
// whose acronyms is text (of at most 8 letters).
func (ix *Index) acronymNames(text string, f func(ni int32)) {
	last := int32(-1)
	for _, ni := range ix.acro.lookup(packAcronymString(text)) {
		if ni != last {
			f(ni)
			last = ni
		}
	}
}

type tokInfo struct {
	variant string // romanization group key, "" if none
	text    string
	df      int32
	idf     float32
	phon    string
	places  bool
	// latin is set for a word of a name written in Latin letters (not only transliterated from another
	// script): a Latin spelling arabicReading may read a word of Arabic script as.
	latin bool
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
	// syl is the name as written when it is wholly Han, Hangul or kana (normalize.Syllabic), else "".
	syl string
	// part is, for a name read out of a longer name string (normalize.Parts), its index in Index.parts;
	// -1 for a name as the list writes it.
	part int32
	// exactOnly marks an acronym read from a parenthesis: only a query word written the same matches it.
	exactOnly bool
	// acronymName marks a name of one word that is the acronym of another name of the entry: only a query
	// word written the same matches it when the query has a legal form (see side.acronymName).
	acronymName bool
	// comma is the number of tokens before the comma of a person's name written "LAST, Given Middle", 0
	// when there is none.
	comma int8
	// nonLatin is set for a name written in another script than the Latin.
	nonLatin bool
	// hyph has bit k set when token k was written joined to token k-1 by a hyphen (side.hyph).
	hyph uint64
	// korean is set for a person's name that reads as Korean (side.korean).
	korean bool
	// maybePerson marks a name of an entry whose kind the list does not give (the Entity List from the eCFR,
	// the ITAR debarred) that reads as a person's: two to four words, no legal form, number or
	// organization's word. It is scored as a person's name too (scoreCandidates).
	maybePerson bool
}

// partName is a name read out of a longer name or alias string of the list, and how it was read.
type partName struct {
	text, note string
	acronym    bool
}

// nameJob is one name to index: a name or alias of an entry as written, or a name read out of one (part).
type nameJob struct {
	entry int32
	alias int
	full  string
	part  int32
}

// tradeName returns the trade name of an organization's name (normalize.TradeName) when the entry has an
// address in China, Hong Kong or Macao, where names are built so; it is matched only as written, like an
// acronym read from a parenthesis.
//
// A trade name is a word of Chinese companies only: not one written in the names of any party elsewhere
// ("North", "Alpha", "Shipbuilding", "University"; foreign), nor a city or region, nor a place of its own
// address. A leading word that is a place of any entry's address is the administrative division.
func (ix *Index) tradeName(ei int32, full string, foreign map[string]bool) (string, bool) {
	if !chineseCompany(ix.entries[ei]) {
		return "", false
	}
	t, ok := normalize.TradeName(full, func(w string) bool { return ix.placeWords[w] })
	if !ok {
		return "", false
	}
	own := ix.entryPlaces[ei]
	for _, w := range strings.Fields(t) {
		if foreign[w] || ix.places[w] || normalize.IsRegion(w) || slices.Contains(own, w) {
			return "", false
		}
	}
	return t, true
}

// chineseCompany reports whether e is an organization (or a party of unknown kind) with an address in China,
// Hong Kong or Macao.
func chineseCompany(e *tradescreen.Entry) bool {
	if e.Kind == tradescreen.KindPerson || e.Kind == tradescreen.KindVessel || e.Kind == tradescreen.KindAircraft {
		return false
	}
	for _, a := range e.Addresses {
		if a.Country == "CN" || a.Country == "HK" || a.Country == "MO" {
			return true
		}
	}
	return false
}

// foreignWords returns the folded words of the names of every party of another country than China, Hong
// Kong and Macao (an entry without a country says nothing either way).
func (ix *Index) foreignWords() map[string]bool {
	words := make(map[string]bool, 1<<15)
	for _, e := range ix.entries {
		cs := e.Countries()
		if len(cs) == 0 || slices.ContainsFunc(cs, func(c string) bool { return c == "CN" || c == "HK" || c == "MO" }) {
			continue
		}
		for _, w := range strings.Fields(normalize.Fold(e.Name)) {
			words[w] = true
		}
		for _, a := range e.Aliases {
			for _, w := range strings.Fields(normalize.Fold(a.Full)) {
				words[w] = true
			}
		}
	}
	return words
}

// nameJobs lists every name and alias of every entry, each followed by the names read out of it
// (normalize.Parts), which it records in ix.parts.
func (ix *Index) nameJobs() []nameJob {
	nj := 0
	for _, e := range ix.entries {
		nj += 1 + min(len(e.Aliases), math.MaxInt16)
	}
	jobs := make([]nameJob, 0, nj+nj/50)
	foreign := ix.foreignWords()
	addParts := func(ei int32, ai int, full string) {
		for _, p := range normalize.Parts(full) {
			jobs = append(jobs, nameJob{ei, ai, p.Text, int32(len(ix.parts))})
			ix.parts = append(ix.parts, partName{p.Text, p.Note, p.Acronym})
		}
		if t, ok := ix.tradeName(ei, full, foreign); ok {
			jobs = append(jobs, nameJob{ei, ai, t, int32(len(ix.parts))})
			ix.parts = append(ix.parts, partName{t, "trade name of the Chinese company's name", true})
		}
	}
	for ei, e := range ix.entries {
		jobs = append(jobs, nameJob{int32(ei), -1, e.Name, -1})
		addParts(int32(ei), -1, e.Name)
		for ai, a := range e.Aliases {
			if ai >= math.MaxInt16 {
				break
			}
			jobs = append(jobs, nameJob{int32(ei), ai, a.Full, -1})
			addParts(int32(ei), ai, a.Full)
		}
	}
	return jobs
}

// namesParty reports whether the tokens of a name read out of a longer string can name a party on their
// own: a word that is not only a city or region ("(Hong Kong)", "(Shanghai)"), not a lone word of one or
// two letters.
func (ix *Index) namesParty(ts []normalize.Token) bool {
	words, distinct := 0, false
	for _, t := range ts {
		if t.Class == normalize.Word || t.Class == normalize.Number {
			words++
			if t.Class == normalize.Word && !ix.places[t.Text] && !normalize.IsRegion(t.Text) {
				distinct = true
			}
		}
	}
	if words == 1 && len(ts) == 1 && len(ts[0].Text) < 3 {
		return false
	}
	return distinct
}

// commaTokens is the number of tokens before the comma of a person's name of n tokens written "LAST,
// Given", when the comma stands between two of them; else 0. It counts the tokens after the comma and takes
// them from n: a title or suffix dropped before the comma ("SHEIKH MOHAMMED, Amir Azam": mohammed, amir,
// azam) is no token, so counting the words as written would put the comma after the given name.
func commaTokens(full string, n int) int8 {
	i := strings.IndexByte(full, ',')
	if i <= 0 {
		return 0
	}
	c := n - len(normalize.Tokens(full[i+1:], normalize.Options{Person: true}))
	if c <= 0 || c >= n || c > math.MaxInt8 {
		return 0
	}
	return int8(c)
}

// Build indexes entries. The entries are referenced, not copied: they must not change afterwards. The work
// that does not depend on order (folding addresses, tokenizing names, deletion keys) runs on every CPU; the
// index is assembled in entry order, so it is the same whatever the scheduling. The steps: index the
// entries' places, tokenize every name, record the names, post them under their tokens, index whole names,
// measure each token and index its deletions and halves, and weigh each name.
func Build(entries []tradescreen.Entry) *Index {
	ix := newIndex(entries)
	ix.indexPlaces()
	jobs := ix.nameJobs()
	acros := ix.addNames(jobs, ix.tokenizeNames(jobs))
	ix.markAcronymNames()
	joins := ix.postNames()
	ix.joined = newTable(joins, func(a, b joinKey) bool { return a.ni < b.ni })
	ix.acro = newTable(acros, func(a, b int32) bool { return a < b })
	ix.indexExactNames()
	ix.measureTokens()
	ix.indexHalves()
	ix.weighNames()
	return ix
}

// newIndex returns an empty index over entries, with the default parameters.
func newIndex(entries []tradescreen.Entry) *Index {
	ix := &Index{
		dict:     make(map[string]int32, 1<<16),
		phon:     make(map[string][]int32, 1<<15),
		places:   make(map[string]bool, 1<<12),
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
	}
	return ix
}

// indexPlaces reads the words of each entry's addresses: its cities and regions of one word mark place names
// for every entry (ix.places), and all of them are its own places (ix.entryPlaces, ix.placeWords).
func (ix *Index) indexPlaces() {
	ix.entryPlaces = make([][]string, len(ix.entries))
	cityWords := make([][]string, len(ix.entries))
	parallel(len(ix.entries), func(lo, hi int) {
		for ei := lo; ei < hi; ei++ {
			ix.entryPlaces[ei], cityWords[ei] = addressPlaces(ix.entries[ei].Addresses)
		}
	})
	for _, ws := range cityWords {
		for _, w := range ws {
			ix.places[w] = true
		}
	}
	ix.placeWords = make(map[string]bool, 1<<14)
	for _, ws := range ix.entryPlaces {
		for _, w := range ws {
			ix.placeWords[w] = true
		}
	}
}

// tokenizeNames tokenizes every name to index on every CPU; a name read out of a longer one that cannot
// name a party on its own (namesParty) gets no tokens.
func (ix *Index) tokenizeNames(jobs []nameJob) [][]normalize.Token {
	toks := make([][]normalize.Token, len(jobs))
	parallel(len(jobs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			person := ix.entries[jobs[i].entry].Kind == tradescreen.KindPerson
			toks[i] = normalize.Tokens(jobs[i].full, normalize.Options{Person: person})
			if jobs[i].part >= 0 && !ix.namesParty(toks[i]) {
				toks[i] = nil
			}
		}
	})
	return toks
}

// addNames records the name of each job with its tokens (ix.names), each distinct name of an entry once:
// the names of one entry are told apart by their tokens and classes. It returns the acronyms of the
// organizations' names.
func (ix *Index) addNames(jobs []nameJob, toks [][]normalize.Token) []hashed[int32] {
	ntok := 0
	for _, tks := range toks {
		ntok += len(tks)
	}
	// One array each holds every name's token ids and classes.
	ar := nameArena{toks: make([]int32, 0, ntok), cls: make([]normalize.Class, 0, ntok)}
	ix.names = make([]nameRec, 0, len(jobs))
	var keys []byte
	var keyEnds []int
	var acros []hashed[int32]
	lastEntry := int32(-1)
	for i, jb := range jobs {
		if jb.entry != lastEntry {
			keys, keyEnds = keys[:0], keyEnds[:0]
			lastEntry = jb.entry
		}
		tks := toks[i]
		if len(tks) == 0 {
			continue
		}
		start := len(keys)
		keys = appendTokensKey(keys, tks)
		if seenKey(keys, keyEnds, start) {
			keys = keys[:start]
			continue
		}
		keyEnds = append(keyEnds, len(keys))
		rec := ix.nameRecord(jb, tks, &ar)
		if !rec.person {
			ni := int32(len(ix.names))
			eachAcronym(tks, func(a []byte) { acros = append(acros, hashed[int32]{packAcronym(a), ni}) })
		}
		ix.names = append(ix.names, rec)
	}
	return acros
}

// markAcronymNames marks (acronymName) each organization's name of one word that is the acronym of another
// name of its entry ("CIDMG" for "Chemical Industries & Development of Materials Group", "MACS" for "Middle
// East Automation & Controls Services").
func (ix *Index) markAcronymNames() {
	for start := 0; start < len(ix.names); {
		end := start + 1
		for end < len(ix.names) && ix.names[end].entry == ix.names[start].entry {
			end++
		}
		for i := start; i < end && end-start > 1; i++ {
			rec := &ix.names[i]
			w, ok := ix.soleWord(rec)
			if rec.person || rec.exactOnly || !ok || len(w) < 3 {
				continue
			}
			for j := start; j < end; j++ {
				if j != i && len(ix.names[j].toks) >= 2 && hasAcronym(ix.initialsSide(&ix.names[j]), w) {
					rec.acronymName = true
					break
				}
			}
		}
		start = end
	}
}

// soleWord returns the one word of name rec when it has one word and no number.
func (ix *Index) soleWord(rec *nameRec) (string, bool) {
	w, n := "", 0
	for k, id := range rec.toks {
		switch rec.cls[k] {
		case normalize.Word:
			w, n = ix.toks[id].text, n+1
		case normalize.Number:
			n++
		}
	}
	return w, n == 1 && w != ""
}

// initialsSide returns a side holding what hasAcronym reads of name rec: its tokens, as written and classed.
func (ix *Index) initialsSide(rec *nameRec) *side {
	s := &side{toks: make([]string, len(rec.toks)), raw: rec.raw, cls: rec.cls}
	for k, id := range rec.toks {
		s.toks[k] = ix.toks[id].text
	}
	if s.raw == nil {
		s.raw = s.toks
	}
	return s
}

// seenKey reports whether keys[start:], the key of a name, is one of the keys before it, which end at
// keyEnds.
func seenKey(keys []byte, keyEnds []int, start int) bool {
	for k, from := 0, 0; k < len(keyEnds); k++ {
		if string(keys[from:keyEnds[k]]) == string(keys[start:]) {
			return true
		}
		from = keyEnds[k]
	}
	return false
}

// nameArena holds the token ids and classes of every name, and a buffer to join tokens in.
type nameArena struct {
	toks []int32
	cls  []normalize.Class
	buf  []byte
}

// nameRecord returns the record of the name of job jb with tokens tks, its token ids and classes carved from
// ar.
func (ix *Index) nameRecord(jb nameJob, tks []normalize.Token, ar *nameArena) nameRec {
	person := ix.entries[jb.entry].Kind == tradescreen.KindPerson
	rec := nameRec{entry: jb.entry, alias: int16(jb.alias), person: person, part: jb.part}
	rec.exactOnly = jb.part >= 0 && ix.parts[jb.part].acronym
	if person {
		rec.comma = commaTokens(jb.full, len(tks))
		rec.nonLatin = nonLatin(jb.full)
	}
	t0 := len(ar.toks)
	buf := ar.buf[:0]
	latin := !nonLatin(jb.full)
	for _, t := range tks {
		id := ix.tokenID(t.Text)
		if latin {
			ix.toks[id].latin = true
		}
		ar.toks = append(ar.toks, id)
		ar.cls = append(ar.cls, t.Class)
		if t.Raw != t.Text && rec.raw == nil {
			rec.raw = make([]string, len(tks))
			for m := range tks {
				rec.raw[m] = tks[m].Raw
			}
		}
		if t.Class == normalize.Word || t.Class == normalize.Number || t.Class == normalize.Legal {
			buf = append(buf, t.Text...)
		}
	}
	rec.toks = ar.toks[t0:len(ar.toks):len(ar.toks)]
	rec.cls = ar.cls[t0:len(ar.cls):len(ar.cls)]
	rec.compact = string(buf)
	buf = buf[:0]
	for _, t := range tks {
		buf = append(buf, t.Raw...)
	}
	rec.rawCompact = string(buf)
	ar.buf = buf
	rec.syl = normalize.Syllabic(jb.full)
	kind := ix.entries[jb.entry].Kind
	rec.maybePerson = (kind == tradescreen.KindUnknown || kind == "") && !rec.exactOnly && personLike(tks)
	if person || rec.maybePerson {
		// Only a person's name is read by its hyphens (hyphenedInitials) and as Korean.
		rec.hyph = hyphenLinks(jb.full, tks)
		rec.korean = koreanName(tks)
		if rec.korean {
			koreanSyllables(rec.cls)
		}
	}
	if rec.maybePerson {
		rec.comma = commaTokens(jb.full, len(tks))
		rec.nonLatin = nonLatin(jb.full)
	}
	return rec
}

// personLike reports whether a name's tokens (read as an organization's) may be a person's name: up to four
// words, two of them of three letters or more ("T-MOTOR" is no "Teresa Mother"), none a legal form, a number
// or a word of an organization's name ("Technology", "Trading", "Institute", "Bank").
func personLike(tks []normalize.Token) bool {
	words, long := 0, 0
	for _, t := range tks {
		switch {
		case t.Class == normalize.Legal || t.Class == normalize.Number || normalize.IndustryWord(t.Text):
			return false
		case t.Class == normalize.Word:
			words++
			if len(t.Text) >= 3 {
				long++
			}
		}
	}
	return words <= 4 && long >= 2
}

// postNames fills the postings, each token's names (counted first, then filled as slices of one array; a
// token repeated in one name counts once), and returns every two adjacent joinable tokens of a name under
// the hash of the two written as one.
func (ix *Index) postNames() []hashed[joinKey] {
	ix.postings = make([][]int32, len(ix.toks))
	counts := make([]int32, len(ix.toks))
	lastName := make([]int32, len(ix.toks))
	for t := range lastName {
		lastName[t] = -1
	}
	for ni := range ix.names {
		for _, t := range ix.names[ni].toks {
			if lastName[t] != int32(ni) {
				lastName[t] = int32(ni)
				counts[t]++
			}
		}
	}
	total := 0
	for _, c := range counts {
		total += int(c)
	}
	postArena := make([]int32, total)
	off := 0
	for t, c := range counts {
		ix.postings[t] = postArena[off : off : off+int(c)]
		off += int(c)
	}
	var joins []hashed[joinKey]
	var h maphash.Hash
	h.SetSeed(ix.seed)
	for ni := range ix.names {
		n := &ix.names[ni]
		for k, t := range n.toks {
			ix.postings[t] = appendUnique(ix.postings[t], int32(ni))
			if k+1 < len(n.toks) && joinable(n.cls[k]) && joinable(n.cls[k+1]) {
				u := n.toks[k+1]
				h.Reset()
				h.WriteString(ix.toks[t].text)
				h.WriteString(ix.toks[u].text)
				joins = append(joins, hashed[joinKey]{h.Sum64(), joinKey{int32(ni), t, u}})
			}
		}
	}
	return joins
}

// indexExactNames indexes every name under the key of its word, number and legal-form tokens (exactKey).
func (ix *Index) indexExactNames() {
	exacts := make([]hashed[int32], 0, len(ix.names))
	var ids []int32
	for ni := range ix.names {
		n := &ix.names[ni]
		ids = ids[:0]
		for k, t := range n.toks {
			if keyClass(n.cls[k]) {
				ids = append(ids, t)
			}
		}
		if len(ids) > 0 {
			exacts = append(exacts, hashed[int32]{exactKey(ix.seed, ids), int32(ni)})
		}
	}
	ix.exact = newTable(exacts, func(a, b int32) bool { return a < b })
}

// measureTokens sets, per token, its document frequency, rarity, romanization group, phonetic key and
// whether it names a place, and indexes it under those and the hashes of its single-letter deletions
// (computed on every CPU, inserted in token order).
func (ix *Index) measureTokens() {
	N := float64(len(ix.names) + 1)
	ix.maxIDF = math.Log(1 + N)
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
	keysDel := make([]hashed[int32], 0, n)
	for id := range ix.toks {
		t := &ix.toks[id]
		t.places = ix.places[t.text]
		normalize.VariantGroups(t.variant, func(g string) { ix.variants[g] = append(ix.variants[g], int32(id)) })
		for _, h := range dels[id] {
			keysDel = append(keysDel, hashed[int32]{h, int32(id)})
		}
		if t.phon != "" {
			ix.phon[t.phon] = append(ix.phon[t.phon], int32(id))
		}
	}
	ix.del = newTable(keysDel, func(a, b int32) bool { return a < b })
	ix.expMemo = make([]atomic.Pointer[[]expansion], len(ix.toks))
	ix.abjad = &abjadTable{}
	ix.sorted = &sortedTable{}
}

// indexHalves indexes the tokens of halfMin letters or more under the hashes of their two halves
// (halfHashes), computed on every CPU.
func (ix *Index) indexHalves() {
	halves := make([][]uint64, len(ix.toks))
	parallel(len(ix.toks), func(lo, hi int) {
		for id := lo; id < hi; id++ {
			if t := ix.toks[id].text; len(t) >= halfMin {
				h := (len(t) + 1) / 2
				halves[id] = halfHashes(ix.seed, '<', t[:h], nil)
				halves[id] = halfHashes(ix.seed, '>', t[h:], halves[id])
			}
		}
	})
	n := 0
	for _, hs := range halves {
		n += len(hs)
	}
	keysHalf := make([]hashed[int32], 0, n)
	for id, hs := range halves {
		for _, h := range hs {
			keysHalf = append(keysHalf, hashed[int32]{h, int32(id)})
		}
	}
	ix.half = newTable(keysHalf, func(a, b int32) bool { return a < b })
}

// weighNames sets each name's weight, the sum of its tokens' weights (nameRec.weight, ix.nameW).
func (ix *Index) weighNames() {
	ix.nameW = make([]float32, len(ix.names))
	for ni := range ix.names {
		n := &ix.names[ni]
		var w float64
		for k, t := range n.toks {
			w += ix.tokWeight(&ix.toks[t], n.cls[k])
		}
		n.weight = float32(w)
		ix.nameW[ni] = n.weight
	}
}

// addressPlaces returns the sorted distinct words of the places in addresses (city, region and country
// fields, and the short parts after the street of one-line addresses), and the city and region fields of
// one word; words of fewer than four letters are left out. A word of a city or region of several words is
// no place name on its own: "Federal" (Federal Territory), "Union" (Union Territory), "Hope", "Road" and
// "Kish" (Kish Island) are words of company names everywhere else ("Kish Bancorp", "Union Electric"), and
// are light only for the entry whose address has them.
func addressPlaces(as []tradescreen.Address) (places, cityRegion []string) {
	if len(as) == 0 {
		return nil, nil
	}
	var out []string
	add := func(p string, city bool) {
		if p == "" {
			return
		}
		ws := strings.Fields(normalize.Fold(p))
		for _, w := range ws {
			if len(w) >= 4 {
				out = append(out, w)
				if city && len(ws) == 1 {
					cityRegion = append(cityRegion, w)
				}
			}
		}
	}
	for _, a := range as {
		add(a.City, true)
		add(a.Region, true)
		add(a.CountryName, false)
		if strings.IndexByte(a.Full, ',') >= 0 {
			f := strings.Split(a.Full, ",")
			for _, p := range f[1:] {
				if len(strings.Fields(p)) <= 2 && !strings.ContainsAny(p, "0123456789") {
					add(p, false)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, cityRegion
	}
	slices.Sort(out)
	return slices.Compact(out), cityRegion
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

// appendTokensKey appends the tokens' texts and classes: two names of one entry with the same key are
// indexed once.
func appendTokensKey(b []byte, tks []normalize.Token) []byte {
	for _, t := range tks {
		b = append(b, t.Text...)
		b = append(b, byte('0'+t.Class))
	}
	return b
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

// tokensWithKey returns the ids of the tokens one of whose deletion keys hashes to h.
func (ix *Index) tokensWithKey(h uint64, f func(id int32)) {
	for _, id := range ix.del.lookup(h) {
		f(id)
	}
}

// halfMin is the length from which a token is indexed by its halves: a query word of halfQuery letters or
// more may be two edits from it.
//
// A half that many tokens share ("tion", "ovich") says too little to be worth the comparisons: halves found in
// more than maxHalfTokens tokens are not followed.
const (
	halfMin       = 6
	halfQuery     = 8
	maxHalfTokens = 48
)

// halfHashes appends to out the hashes of side+s and of side+s less each one of its letters (side tells a
// first half from a second).
func halfHashes(seed maphash.Seed, side byte, s string, out []uint64) []uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteByte(side)
	h.WriteString(s)
	out = append(out, h.Sum64())
	for i := 0; i < len(s); i++ {
		h.Reset()
		h.WriteByte(side)
		h.WriteString(s[:i])
		h.WriteString(s[i+1:])
		out = append(out, h.Sum64())
	}
	return out
}

// tokensNearHalves calls f with every token of halfMin letters or more one of whose halves is within one
// edit of the corresponding part of t (t has halfQuery letters or more; its length may differ from the
// token's by two, so each half is tried at the lengths it may have).
func (ix *Index) tokensNearHalves(t string, hs []uint64, f func(id int32)) []uint64 {
	n := len(t)
	// A token of length m has halves (m+1)/2 and m/2; one edit in a half moves its end by one.
	loP, hiP := (n-2+1)/2-1, (n+2+1)/2+1
	loS, hiS := (n-2)/2-1, (n+2)/2+1
	for l := max(loP, 2); l <= min(hiP, n-1); l++ {
		hs = halfHashes(ix.seed, '<', t[:l], hs[:0])
		for _, h := range hs {
			if ids := ix.half.lookup(h); len(ids) <= maxHalfTokens {
				for _, id := range ids {
					f(id)
				}
			}
		}
	}
	for l := max(loS, 2); l <= min(hiS, n-1); l++ {
		hs = halfHashes(ix.seed, '>', t[n-l:], hs[:0])
		for _, h := range hs {
			if ids := ix.half.lookup(h); len(ids) <= maxHalfTokens {
				for _, id := range ids {
					f(id)
				}
			}
		}
	}
	return hs
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

// eachAcronym calls f with each acronym an organization name may be known by: the initials of its words
// (legal form included, as written), and of its words with one word left out (CETC for China Electronics
// Technology Group Corporation). The slice f receives is reused.
func eachAcronym(tks []normalize.Token, f func([]byte)) {
	var initBuf, outBuf, wordBuf [16]byte
	init, words := initBuf[:0], wordBuf[:0]
	for _, t := range tks {
		switch t.Class {
		case normalize.Word, normalize.Number:
			init = append(init, t.Text[0])
			words = append(words, t.Text[0])
		case normalize.Legal:
			if t.Raw != "" {
				init = append(init, t.Raw[0])
			}
		}
		if len(words) > 8 {
			return
		}
	}
	// The initials of the words alone, the legal forms left out ("TEUVT" for "TURIRA ENDUSTRIYEL URUNLER VE
	// TICARET LIMITED SIRKETI"), when they differ by more than the one letter skipped below.
	if len(words) >= minAcronym && len(init)-len(words) >= 2 {
		f(words)
	}
	if len(init) < 3 || len(init) > 8 {
		return
	}
	f(init)
	if len(init) >= 4 {
		for skip := range init {
			out := append(append(outBuf[:0], init[:skip]...), init[skip+1:]...)
			f(out)
		}
	}
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

// keyClass says which tokens make up a name's exact key: its words, numbers and legal forms, not its stop
// words and titles.
func keyClass(c normalize.Class) bool {
	return c == normalize.Word || c == normalize.Number || c == normalize.Legal
}

// exactKey hashes a name's key token ids in sorted order (ids is sorted in place), so that the same words in
// any order ("LAST, First") have the same key.
func exactKey(seed maphash.Seed, ids []int32) uint64 {
	slices.Sort(ids)
	var h maphash.Hash
	h.SetSeed(seed)
	var b [4]byte
	for _, id := range ids {
		binary.LittleEndian.PutUint32(b[:], uint32(id))
		h.Write(b[:])
	}
	return h.Sum64()
}

// exactNames calls f with every name whose key tokens are exactly the key tokens of ts (in any order).
func (ix *Index) exactNames(ts []normalize.Token, ids []int32, f func(ni int32)) []int32 {
	ids = ids[:0]
	for _, t := range ts {
		if !keyClass(t.Class) {
			continue
		}
		id, ok := ix.dict[t.Text]
		if !ok {
			return ids // a word no name has: no name has exactly these words
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return ids
	}
	for _, ni := range ix.exact.lookup(exactKey(ix.seed, ids)) {
		f(ni)
	}
	return ids
}
