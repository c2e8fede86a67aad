package match

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// maxCandidates is how many names are scored in full for one query.
const maxCandidates = 50

// minScored candidates are always scored; beyond them, a candidate whose priority is below farBehind times
// the best's is not.
const (
	minScored = 12
	farBehind = 0.3
)

// commonDF is the document frequency above which a token only strengthens candidates found through rarer
// tokens, unless the query has nothing rarer: a query never walks the whole list.
const commonDF = 2500

// expansion is a dictionary token a query token may stand for.
type expansion struct {
	tok int32
	sim float32
}

// scratch is the per-query working memory: one accumulator per indexed name and one mark per dictionary
// token, reused across queries.
type scratch struct {
	acc     []float32
	touched []int32
	dels    []uint64
	// tokMark[id] == mark says token id was already tried for the current query token, with similarity
	// tokSim[id]; tried lists those ids.
	tokMark []uint32
	tokSim  []float32
	mark    uint32
	tried   []int32
	exps    []expansion
	qx      []qexp
	buf     []byte
	prio    []candPrio
	cands   []int32
	ids     []int32
	best    []bestMatch
	sb      scoreBuf
}

// qexp is one query token's expansions with its weight and the document frequency they add up to.
type qexp struct {
	w    float64
	df   int
	exps []expansion
}

// bestMatch is the best-scoring name of one entry so far; its explanation is built only if it is returned.
type bestMatch struct {
	ni    int32
	score float64 // rounded, as returned
	adj   []string
	// asPerson: the name, of an entry of unknown kind, scored best read as a person's (nameRec.maybePerson).
	asPerson bool
}

type candPrio struct {
	ni   int32
	prio float32
}

// selectTop moves the k candidates of highest priority (ties: lower name id) to the front of c, in no order.
func selectTop(c []candPrio, k int) {
	less := func(a, b candPrio) bool { // a ranks before b
		if a.prio != b.prio {
			return a.prio > b.prio
		}
		return a.ni < b.ni
	}
	lo, hi := 0, len(c)-1
	for lo < hi {
		p := c[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for less(c[i], p) {
				i++
			}
			for less(p, c[j]) {
				j--
			}
			if i <= j {
				c[i], c[j] = c[j], c[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// getScratch takes working memory from the index's free list (kept off the garbage-collected sync.Pool so
// the large accumulator is not reallocated after a collection).
func (ix *Index) getScratch() *scratch {
	select {
	case s := <-ix.free:
		return s
	default:
		return &scratch{acc: make([]float32, len(ix.names)), tokMark: make([]uint32, len(ix.toks)),
			tokSim: make([]float32, len(ix.toks))}
	}
}

func (ix *Index) putScratch(s *scratch) {
	for _, n := range s.touched {
		s.acc[n] = 0
	}
	s.touched = s.touched[:0]
	select {
	case ix.free <- s:
	default:
	}
}

// expand returns the dictionary tokens that a query token may stand for: itself, its romanization variants,
// spellings within the token's edit budget, and same-sounding spellings. It uses the same rules as the
// scorer, so every candidate it finds can score.
//
// The expansions of a word of the lists depend on the index alone: they are computed once and kept (at most
// one slice per dictionary token), so the words that screening meets again and again ("trading",
// "mohammad") are not looked up anew. A word the lists do not have is expanded each time.
func (ix *Index) expand(s *scratch, t normalize.Token) []expansion {
	id, known := ix.dict[t.Text]
	keep := known && t.Class == normalize.Word
	if keep {
		if p := ix.expMemo[id].Load(); p != nil {
			return *p
		}
	}
	s.mark++
	if s.mark == 0 { // wrapped around: forget every old mark
		clear(s.tokMark)
		s.mark = 1
	}
	s.tried = s.tried[:0]
	set := func(id int32, sim float32) {
		s.tokMark[id] = s.mark
		s.tokSim[id] = sim
		s.tried = append(s.tried, id)
	}
	if known {
		set(id, 1)
	}
	if t.Class == normalize.Word && len(t.Text) >= 2 {
		pq := phoneticKey(t.Text)
		vq, _ := normalize.Variant(t.Text)
		try := func(id int32) {
			if s.tokMark[id] == s.mark {
				return
			}
			// Generous here (phonetic spellings whatever the kind): the scorer decides.
			ti := &ix.toks[id]
			sim, _ := ix.wordSim(t.Text, ti.text, pq, ti.phon, vq, ti.variant, true)
			set(id, float32(sim))
		}
		for v := vq; v != ""; {
			var g string
			g, v, _ = strings.Cut(v, " ")
			for _, id := range ix.variants[g] {
				try(id)
			}
		}
		if len(t.Text) >= 3 {
			if len(t.Text) >= 4 {
				s.dels = deletionHashes(ix.seed, t.Text, s.dels)
			} else {
				s.dels = append(s.dels[:0], maphash.String(ix.seed, t.Text))
			}
			for _, h := range s.dels {
				ix.tokensWithKey(h, try)
			}
		}
		if len(t.Text) >= 4 && pq != "" {
			for _, id := range ix.phon[pq] {
				try(id)
			}
		}
		// A word the lists do not have, long enough for two edits, that is no single edit from one they
		// have: look for tokens near one of its halves.
		if !known && len(t.Text) >= halfQuery && !s.anyTried() {
			// Most tokens sharing a half are no typo of the word: a length or edit bound set to the
			// scorer's budget rejects them before the full comparison.
			budget := maxEdits(len(t.Text) + 2)
			s.dels = ix.tokensNearHalves(t.Text, s.dels, func(id int32) {
				if s.tokMark[id] == s.mark {
					return
				}
				o := ix.toks[id].text
				if abs(len(o)-len(t.Text)) > budget || damerau(t.Text, o, budget) > budget {
					set(id, 0)
					return
				}
				try(id)
			})
		}
	}
	// The expansions are carved from one array per query (a slice handed out earlier keeps its contents if
	// the array grows).
	start := len(s.exps)
	for _, id := range s.tried {
		if sim := s.tokSim[id]; sim > 0 {
			s.exps = append(s.exps, expansion{id, sim})
		}
	}
	out := s.exps[start:len(s.exps):len(s.exps)]
	// A fixed order makes the accumulated weights, and so the candidates, the same on every run.
	slices.SortFunc(out, func(a, b expansion) int { return cmp.Compare(a.tok, b.tok) })
	if keep {
		kept := slices.Clone(out)
		ix.expMemo[id].Store(&kept)
	}
	return out
}

// anyTried reports whether a token tried for the current query token may stand for it.
func (s *scratch) anyTried() bool {
	for _, id := range s.tried {
		if s.tokSim[id] > 0 {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Search returns the best-matching names for q, one per entry, best first, with scores at or above the
// threshold (DefaultThreshold when q.Threshold is 0). A name written in Wade-Giles ("Mao Tse-tung") is also
// searched in its pinyin readings ("Mao Ze Dong"), and a query that holds several names ("LTS Holding
// Limited (f.k.a. IPP-International Petroleum Products Ltd.)", "Korean National Insurance Corporation
// (KNIC)") is also searched name by name (normalize.Parts); each entry keeps its best match.
func (ix *Index) Search(q tradescreen.Query) []tradescreen.Match {
	folded := normalize.Fold(q.Name)
	syl := normalize.Syllabic(q.Name)
	out := ix.search(q, folded, syl)
	parts := normalize.QueryParts(q.Name)
	wg := normalize.WadeGiles(folded)
	var slavic []string
	if !nonLatin(q.Name) {
		slavic = normalize.SlavicReadings(folded)
	}
	hangul := normalize.HangulReading(q.Name)
	var japanese []string
	if syl != "" {
		japanese = normalize.JapaneseReadings(q.Name)
	}
	apart := ix.writtenApart(q.Name)
	arabic, roman := ix.arabicReading(q.Name, nil)
	chinese := normalize.EnglishReadings(q.Name)
	if wg == nil && parts == nil && slavic == nil && hangul == "" && japanese == nil && apart == "" && arabic == "" && chinese == nil {
		return out
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	merge := func(ms []tradescreen.Match, note string, personsOnly bool) {
		for _, m := range ms {
			if personsOnly && m.Entry != nil && m.Entry.Kind != tradescreen.KindPerson {
				continue
			}
			m.Explanation.Adjustments = append(m.Explanation.Adjustments, note)
			k := slices.IndexFunc(out, func(o tradescreen.Match) bool { return o.Source == m.Source && o.SourceID == m.SourceID })
			switch {
			case k < 0:
				out = append(out, m)
			case m.Score > out[k].Score:
				out[k] = m
			}
		}
	}
	for _, r := range wg {
		qr := q
		qr.Name = r
		merge(ix.search(qr, r, syl), "the query read from Wade-Giles as pinyin: "+r, false)
	}
	for _, p := range parts {
		qr := q
		qr.Name = p.Text
		merge(ix.search(qr, normalize.Fold(p.Text), normalize.Syllabic(p.Text)), "the query screened in part: \""+p.Text+"\" ("+p.Note+")", false)
	}
	if apart != "" {
		qr := q
		qr.Name = apart
		merge(ix.search(qr, normalize.Fold(apart), syl), "the query read with words written apart: "+apart, false)
	}
	if arabic != "" {
		qr := q
		qr.Name = arabic
		threshold := thresholdOf(q)
		var kept []tradescreen.Match
		for _, m := range ix.searchRead(qr, arabic, "", roman) {
			// The reading guesses the vowels: its score is scaled down, and what that takes below the
			// threshold is no alert.
			if m.Score = floor3(m.Score * arabicReadingFactor); m.Score >= threshold {
				m.Explanation.Summary = rescored(m.Explanation.Summary, m.Score)
				kept = append(kept, m)
			}
		}
		merge(kept, "read from the Arabic letters: "+arabic, false)
	}
	for _, r := range chinese {
		qr := q
		qr.Name = r
		merge(ix.search(qr, normalize.Fold(r), ""), "read in English: "+r, false)
	}
	if hangul != "" {
		qr := q
		qr.Name = hangul
		merge(ix.search(qr, hangul, syl), "romanized from Hangul (Revised Romanization): "+hangul, false)
	}
	// A person's name in kanji that is a Japanese surname and given name, read as Japanese (Fold reads
	// kanji as Chinese).
	for _, r := range japanese {
		qr := q
		qr.Name = r
		merge(ix.search(qr, r, ""), "read as Japanese: "+r, true)
	}
	// A person's name in the German, French, Latvian or Lithuanian transcription of Cyrillic, read in the English one.
	for _, r := range slavic {
		qr := q
		qr.Name = r
		merge(ix.search(qr, r, syl), "the query read from the German, French or Baltic transcription of Cyrillic: "+r, true)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if ri, rj := tradescreen.SourceRank(out[i].Source), tradescreen.SourceRank(out[j].Source); ri != rj {
			return ri < rj
		}
		return out[i].SourceID < out[j].SourceID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// search is Search for one reading of the query, folded; syl is the query as written when it is wholly Han,
// Hangul or kana (normalize.Syllabic), whatever the reading. It runs the steps in order: read the query both
// ways, gather each token's expansions, accumulate candidates from the postings, shortlist the best, score
// them, rank the best name of each entry, and explain those returned.
func (ix *Index) search(q tradescreen.Query, folded, syl string) []tradescreen.Match {
	return ix.searchRead(q, folded, syl, nil)
}

// searchRead is search for a reading of a name in Arabic script: roman maps each word of the reading guessed
// from the Arabic letters to their transliteration, which the scorer fits to each listed name's own words
// (tokSim).
func (ix *Index) searchRead(q tradescreen.Query, folded, syl string, roman map[string]string) []tradescreen.Match {
	threshold := thresholdOf(q)
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	// A query is read both ways: as an organization's name for the entries that are not persons, and as a
	// person's name (no legal forms, titles dropped) for those that are. A kind the query states weighs in
	// as evidence, not by reading the name differently.
	comma := normalize.CommaWords(q.Name)
	qt := normalize.TokensFolded(folded, normalize.Options{Comma: comma})
	qtPerson := normalize.TokensFolded(folded, normalize.Options{Person: true, Comma: comma})
	if len(qt) == 0 && len(qtPerson) == 0 || len(ix.names) == 0 {
		return nil
	}
	s := ix.getScratch()
	defer ix.putScratch(s)
	allowed := allowedSources(q.Sources)
	cut, cutPerson := cutWords(q.Name, qt), cutWords(q.Name, qtPerson)
	qx := ix.gatherExpansions(s, qt, qtPerson, roman, cut, cutPerson)
	if !ix.accumulate(s, qx, qt, allowed) {
		return nil
	}
	ix.shortlist(s)
	ix.addExactNames(s, qt, qtPerson, allowed)
	qs, qsPerson := ix.querySides(q.Name, qt, qtPerson, comma, syl)
	qs.cut, qsPerson.cut = cut, cutPerson
	qs.roman, qsPerson.roman = roman, roman
	best := ix.scoreCandidates(s, qs, qsPerson, q, threshold, allowed)
	best = ix.rankBest(best, limit)
	return ix.explainBest(s, best, qs, qsPerson, q.Name)
}

// thresholdOf returns the query's alert threshold, DefaultThreshold when it sets none.
func thresholdOf(q tradescreen.Query) float64 {
	if q.Threshold <= 0 {
		return DefaultThreshold
	}
	return q.Threshold
}

// allowedSources returns the set of the lists a query is restricted to, or nil for every list.
func allowedSources(sources []string) map[string]bool {
	if len(sources) == 0 {
		return nil
	}
	allowed := make(map[string]bool, len(sources))
	for _, src := range sources {
		allowed[src] = true
	}
	return allowed
}

// gatherExpansions returns each query token's expansions, rarest first: the tokens of the organization
// reading qt, then those of the person reading qtPerson that differ, then two adjacent query tokens the
// lists write as one word (and the reverse). roman, for a reading of Arabic letters (searchRead), adds to a
// word read so every word its letters fit (abjadExpansions).
func (ix *Index) gatherExpansions(s *scratch, qt, qtPerson []normalize.Token, roman map[string]string, cut, cutPerson uint64) []qexp {
	s.exps = s.exps[:0]
	qx := s.qx[:0]
	gather := func(t normalize.Token, cut bool) {
		exps := ix.expand(s, t)
		if r := roman[t.Text]; r != "" && t.Class == normalize.Word {
			exps = ix.abjadExpansions(s, exps, r)
		}
		if cut {
			exps = ix.prefixExpansions(s, exps, t.Raw)
		}
		df := 0
		for _, e := range exps {
			df += int(ix.toks[e.tok].df)
		}
		qx = append(qx, qexp{w: ix.weight(t.Text, t.Class), df: df, exps: exps})
	}
	for k, t := range qt {
		gather(t, k < 64 && cut&(1<<k) != 0)
	}
	for k, t := range qtPerson {
		if !hasText(qt, t.Text) {
			gather(t, k < 64 && cutPerson&(1<<k) != 0)
		}
	}
	for i := 0; i+1 < len(qt); i++ {
		s.buf = append(append(s.buf[:0], qt[i].Raw...), qt[i+1].Raw...)
		if id, ok := ix.dict[string(s.buf)]; ok {
			start := len(s.exps)
			s.exps = append(s.exps, expansion{id, 0.95})
			qx = append(qx, qexp{w: float64(ix.toks[id].idf), df: int(ix.toks[id].df), exps: s.exps[start:len(s.exps):len(s.exps)]})
		}
	}
	s.qx = qx
	slices.SortStableFunc(qx, func(a, b qexp) int { return cmp.Compare(a.df, b.df) })
	return qx
}

// sortedTable holds the token ids sorted by their texts, built once.
type sortedTable struct {
	once sync.Once
	ids  []int32
}

// maxPrefixExpansions bounds the words a word cut short may stand for: a start that many words share (the
// first letters of a common word) finds its names through the query's other words.
const maxPrefixExpansions = 64

// prefixExpansions adds to exps the lists' words that start with a query word of three letters or more cut
// short (cutWords), as written (raw), when there are maxPrefixExpansions of them at most.
func (ix *Index) prefixExpansions(s *scratch, exps []expansion, raw string) []expansion {
	if len(raw) < 3 {
		return exps
	}
	t := ix.sorted
	t.once.Do(func() {
		t.ids = make([]int32, len(ix.toks))
		for id := range t.ids {
			t.ids[id] = int32(id)
		}
		slices.SortFunc(t.ids, func(a, b int32) int { return strings.Compare(ix.toks[a].text, ix.toks[b].text) })
	})
	lo, _ := slices.BinarySearchFunc(t.ids, raw, func(id int32, w string) int { return strings.Compare(ix.toks[id].text, w) })
	hi := lo
	for hi < len(t.ids) && hi-lo <= maxPrefixExpansions && strings.HasPrefix(ix.toks[t.ids[hi]].text, raw) {
		hi++
	}
	if hi-lo > maxPrefixExpansions {
		return exps
	}
	start := len(s.exps)
	s.exps = append(s.exps, exps...)
	for _, id := range t.ids[lo:hi] {
		if ix.toks[id].text != raw && !slices.ContainsFunc(s.exps[start:], func(e expansion) bool { return e.tok == id }) {
			s.exps = append(s.exps, expansion{id, 0.9})
		}
	}
	return s.exps[start:len(s.exps):len(s.exps)]
}

// addCandidate adds v to the accumulator of name ni, unless the query is restricted to other lists (their
// names take no candidate place) or, when boostOnly, the name is not a candidate yet.
func (ix *Index) addCandidate(s *scratch, allowed map[string]bool, ni int32, v float32, boostOnly bool) {
	if allowed != nil && !allowed[ix.entries[ix.names[ni].entry].Source] {
		return
	}
	if s.acc[ni] == 0 {
		if boostOnly {
			return
		}
		s.touched = append(s.touched, ni)
	}
	s.acc[ni] += v
}

// accumulate adds to each name that holds an expansion of a query token the token's weight times the
// expansion's similarity (a common token only strengthens names found through rarer ones), and the
// highest weight to the names that have a query word split in two, and their whole weight to the names that
// have a query word as their acronym. It reports whether
// any name was found.
func (ix *Index) accumulate(s *scratch, qx []qexp, qt []normalize.Token, allowed map[string]bool) bool {
	found := false
	for k, x := range qx {
		boostOnly := x.df > commonDF && (found || k > 0)
		for _, e := range x.exps {
			v := e.sim * float32(x.w)
			for _, ni := range ix.postings[e.tok] {
				ix.addCandidate(s, allowed, ni, v, boostOnly)
			}
		}
		if len(s.touched) > 0 {
			found = true
		}
	}
	addJoined := func(ni int32) { ix.addCandidate(s, allowed, ni, float32(ix.maxIDF), false) }
	// A query of one word that is an acronym (as scored: acronymScore) stands for the whole name: the name
	// is found with all its weight, so that a long name is not ranked out of the shortlist by the short
	// names the word is one letter from.
	words := 0
	for _, t := range qt {
		if t.Class == normalize.Word || t.Class == normalize.Number {
			words++
		}
	}
	addAcronym := func(ni int32) { ix.addCandidate(s, allowed, ni, max(float32(ix.maxIDF), ix.nameW[ni]), false) }
	for _, t := range qt {
		if t.Class != normalize.Word {
			continue
		}
		ix.joinedNames(t.Text, addJoined)
		switch {
		case len(t.Text) >= minAcronym && len(t.Text) <= 8 && words == 1:
			ix.acronymNames(t.Text, addAcronym)
		case len(t.Text) >= 2 && len(t.Text) <= 8:
			ix.acronymNames(t.Text, addJoined)
		}
	}
	return len(s.touched) > 0
}

// shortlist puts into s.cands the candidates to score, best first: most query weight found, and of the
// name's weight the largest share (so that "Gazprom" itself comes before the hundred names that contain it),
// at most maxCandidates of them. Ties go to the lower name id, so the choice is the same on every run.
// Candidates far behind the best on the weight they share with the query cannot reach the threshold (the
// best carries at least what the query says): past the first few, they are not scored.
func (ix *Index) shortlist(s *scratch) {
	s.prio = s.prio[:0]
	for _, ni := range s.touched {
		a := s.acc[ni]
		s.prio = append(s.prio, candPrio{ni, a * min(1, a/max(ix.nameW[ni], 1e-3))})
	}
	top := s.prio
	if len(top) > maxCandidates {
		selectTop(top, maxCandidates)
		top = top[:maxCandidates]
	}
	sort.Slice(top, func(i, j int) bool {
		if top[i].prio != top[j].prio {
			return top[i].prio > top[j].prio
		}
		return top[i].ni < top[j].ni
	})
	s.cands = s.cands[:0]
	for i, c := range top {
		if i >= minScored && c.prio < farBehind*top[0].prio {
			break
		}
		s.cands = append(s.cands, c.ni)
	}
}

// addExactNames adds to s.cands the names that have exactly the query's words (in either reading), whatever
// their rank in the shortlist.
func (ix *Index) addExactNames(s *scratch, qt, qtPerson []normalize.Token, allowed map[string]bool) {
	addExact := func(ni int32) {
		if allowed != nil && !allowed[ix.entries[ix.names[ni].entry].Source] || slices.Contains(s.cands, ni) {
			return
		}
		s.cands = append(s.cands, ni)
	}
	s.ids = ix.exactNames(qt, s.ids, addExact)
	s.ids = ix.exactNames(qtPerson, s.ids, addExact)
	ix.containingNames(s, qtPerson, addExact)
}

// Names that hold every word of a person's query as written (and, for each initial of the query, a word
// starting with it) are scored whatever their rank in the shortlist, the maxContaining lightest of them, when
// the query's rarest word is in at most maxContainingDF names: "Mohammad Khan" is the given name and surname
// of "KHAN, Mohammad Naushad Alam", whose two other names rank it below the hundred shorter names of
// Muhammad, Mohammed ... Khan; "ABDULLAH M." is "ABDULLAH, Mian" among a thousand Abdullahs.
const (
	maxContaining   = 25
	maxContainingDF = 4000
)

// containingNames calls f with the persons' names (and the names that read as persons', of entries of
// unknown kind) that hold every word of ts (two to four words and initials, one word at least) as written,
// and a word starting with each initial, at most maxContaining of them, the lightest first.
func (ix *Index) containingNames(s *scratch, ts []normalize.Token, f func(ni int32)) {
	ids := s.ids[:0]
	var initials []byte
	rarest := -1
	for _, t := range ts {
		if t.Class != normalize.Word {
			continue
		}
		if len(t.Text) == 1 {
			initials = append(initials, t.Text[0])
			continue
		}
		id, ok := ix.dict[t.Text]
		if !ok {
			return
		}
		if rarest < 0 || len(ix.postings[id]) < len(ix.postings[ids[rarest]]) {
			rarest = len(ids)
		}
		ids = append(ids, id)
	}
	s.ids = ids
	if rarest < 0 || len(ids)+len(initials) < 2 || len(ids)+len(initials) > 4 || len(ix.postings[ids[rarest]]) > maxContainingDF {
		return
	}
	found := s.prio[:0]
	for _, ni := range ix.postings[ids[rarest]] {
		n := &ix.names[ni]
		if (n.person || n.maybePerson) && holdsAll(n.toks, ids) && ix.holdsInitials(n.toks, ids, initials) {
			found = append(found, candPrio{ni, -ix.nameW[ni]})
		}
	}
	if len(found) > maxContaining {
		selectTop(found, maxContaining)
		found = found[:maxContaining]
	}
	for _, c := range found {
		f(c.ni)
	}
	s.prio = found[:0]
}

// holdsAll reports whether toks holds every token of ids, a token written twice in ids twice ("Bashir
// BASHIR" is the given name and surname of "BASHIR, Bashir Saleh", not of the alias "Bashir").
func holdsAll(toks, ids []int32) bool {
	for k, id := range ids {
		if !slices.Contains(toks, id) {
			return false
		}
		if slices.Contains(ids[:k], id) && count(toks, id) < count(ids, id) {
			return false
		}
	}
	return true
}

// count counts v in s.
func count(s []int32, v int32) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// holdsInitials reports whether toks holds, for each initial, a word starting with it other than the words
// of ids.
func (ix *Index) holdsInitials(toks, ids []int32, initials []byte) bool {
	for _, c := range initials {
		ok := false
		for _, t := range toks {
			if w := ix.toks[t].text; w[0] == c && !slices.Contains(ids, t) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// querySides prepares the two readings of the query for scoring: qs against organizations' names, qsPerson
// against persons'.
func (ix *Index) querySides(name string, qt, qtPerson []normalize.Token, comma int, syl string) (qs, qsPerson *side) {
	qs = ix.prepare(qt)
	qsPerson = ix.prepare(qtPerson)
	qsPerson.person = true
	if comma > 0 {
		comma = int(commaTokens(name, len(qtPerson)))
	}
	qs.setComma(comma)
	qsPerson.setComma(comma)
	qs.nonLatin = nonLatin(name)
	qsPerson.nonLatin = qs.nonLatin
	qs.syl = syl
	qsPerson.syl = qs.syl
	ix.readAsWritten(qs, name, qt)
	ix.readAsWritten(qsPerson, name, qtPerson)
	return qs, qsPerson
}

// readAsWritten reads what the tokens of a query side (from name, as written) lose: the hyphens between its
// words, a person's name that is Korean (koreanSide), the article misspelt (misspeltArticle). Search and
// Compare read their sides so alike.
func (ix *Index) readAsWritten(s *side, name string, tks []normalize.Token) {
	s.hyph = hyphenLinks(name, tks)
	if s.korean = s.person && koreanName(tks); s.korean {
		ix.koreanSide(s)
	}
	ix.misspeltArticle(s)
}

// misspeltArticle reads as the Arabic article a query word of two or three letters one edit from "al" or
// "el" and joined by a hyphen to a word of three letters or more ("AC-ALI", "AXL-QUBAYSI", "QAL-SHA'BI" for
// AL-ALI, AL-QUBAYSI, AL-SHA'BI): a stop word misspelt, which weighs as one, not a distinctive word of the
// name that the name lacks.
func (ix *Index) misspeltArticle(s *side) {
	for k := 0; k+1 < len(s.toks) && k+1 < 64; k++ {
		t := s.toks[k]
		if s.hyph&(1<<(k+1)) == 0 || s.cls[k] != normalize.Word || len(t) < 2 || len(t) > 3 || len(s.toks[k+1]) < 3 || !normalize.LettersOnly(t) {
			continue
		}
		if damerau(t, "al", 1) <= 1 || damerau(t, "el", 1) <= 1 {
			s.cls[k] = normalize.Stop
			s.w[k] = ix.weight(t, normalize.Stop)
			s.words--
		}
	}
}

// sideFor returns the reading of the query that is scored against name n.
func sideFor(n *nameRec, qs, qsPerson *side) *side {
	if n.person {
		return qsPerson
	}
	return qs
}

// scoreCandidates scores each candidate of s.cands, adjusts the score for the evidence the query gives
// (adjust), and keeps the best name of each entry at or above the threshold (entries are few, so a slice
// searched in order serves).
func (ix *Index) scoreCandidates(s *scratch, qs, qsPerson *side, q tradescreen.Query, threshold float64, allowed map[string]bool) []bestMatch {
	best := s.best[:0]
	for _, ni := range s.cands {
		n := &ix.names[ni]
		e := ix.entries[n.entry]
		if allowed != nil && !allowed[e.Source] {
			continue
		}
		side := sideFor(n, qs, qsPerson)
		if len(side.toks) == 0 {
			continue
		}
		cs := ix.sideInto(&s.sb.side, n)
		sc, _ := ix.score(side, cs, false, &s.sb)
		asPerson := false
		if n.maybePerson && len(qsPerson.toks) > 0 && !qs.legalForm {
			cs.person = true
			if sp, _ := ix.score(qsPerson, cs, false, &s.sb); sp > sc {
				sc, asPerson = sp, true
			}
		}
		if sc < threshold-0.25 {
			continue
		}
		var adj tradescreen.Explanation
		sc = adjust(sc, threshold, q, e, &adj)
		if sc+1e-9 < threshold { // the same tolerance as floor3: a score of 0.8 computed as 0.7999999 is 0.8
			continue
		}
		best = ix.keepBest(best, bestMatch{ni: ni, score: sc, adj: adj.Adjustments, asPerson: asPerson})
	}
	s.best = best
	return best
}

// keepBest records b (its score not yet cut to three decimals) as the best match of its entry, unless the
// entry already has one scoring as much.
func (ix *Index) keepBest(best []bestMatch, b bestMatch) []bestMatch {
	entry := ix.names[b.ni].entry
	k := -1
	for i := range best {
		if ix.names[best[i].ni].entry == entry {
			k = i
			break
		}
	}
	if k >= 0 && best[k].score >= b.score {
		return best
	}
	b.score = floor3(b.score)
	if k >= 0 {
		best[k] = b
	} else {
		best = append(best, b)
	}
	return best
}

// rankBest sorts the best matches by score, then by the rank of their list and their id in it, and keeps
// the first limit.
func (ix *Index) rankBest(best []bestMatch, limit int) []bestMatch {
	sort.Slice(best, func(i, j int) bool {
		if best[i].score != best[j].score {
			return best[i].score > best[j].score
		}
		ei, ej := ix.entries[ix.names[best[i].ni].entry], ix.entries[ix.names[best[j].ni].entry]
		if ri, rj := tradescreen.SourceRank(ei.Source), tradescreen.SourceRank(ej.Source); ri != rj {
			return ri < rj
		}
		return ei.SourceID < ej.SourceID
	})
	if len(best) > limit {
		best = best[:limit]
	}
	return best
}

// explainBest scores the matches returned again, this time with their explanation, and notes what was read
// or ignored to reach them (the query's and the listed name's generational suffixes, a name read out of a
// longer one, a name in another script than the other's and how it was read).
func (ix *Index) explainBest(s *scratch, best []bestMatch, qs, qsPerson *side, query string) []tradescreen.Match {
	out := make([]tradescreen.Match, 0, len(best))
	qScript := normalize.Script(query)
	for _, b := range best {
		n := &ix.names[b.ni]
		e := ix.entries[n.entry]
		side, cs := sideFor(n, qs, qsPerson), ix.sideInto(&s.sb.side, n)
		if b.asPerson {
			side, cs.person = qsPerson, true
		}
		_, ex := ix.score(side, cs, true, &s.sb)
		ex.Adjustments = b.adj
		if b.asPerson {
			ex.Adjustments = append(ex.Adjustments, "compared as a person's name: the list does not say what kind of party it is")
		}
		if n.person {
			if sfx := normalize.GenerationalSuffix(query); sfx != "" {
				ex.Adjustments = append(ex.Adjustments, "suffix "+strings.ToUpper(sfx)+" of the query ignored")
			}
		}
		if n.part >= 0 {
			p := ix.parts[n.part]
			ex.Adjustments = append(ex.Adjustments, "matched \""+p.text+"\", read from the list's name: "+p.note)
		}
		name, typ := e.Name, tradescreen.NamePrimary
		if n.alias >= 0 {
			name, typ = e.Aliases[n.alias].Full, e.Aliases[n.alias].Type
		}
		if sfx := normalize.GenerationalSuffix(name); n.person && sfx != "" {
			ex.Adjustments = append(ex.Adjustments, "suffix "+strings.ToUpper(sfx)+" of the listed name ignored")
		}
		if qScript != "" || nonLatin(name) {
			if nScript := normalize.Script(name); nScript != qScript {
				if note := scriptNote(query, qScript); note != "" {
					ex.Adjustments = append(ex.Adjustments, "the query "+note)
				}
				if note := scriptNote(name, nScript); note != "" {
					ex.Adjustments = append(ex.Adjustments, "the listed name "+note)
				}
			}
		}
		out = append(out, tradescreen.Match{
			Source: e.Source, SourceID: e.SourceID, Name: e.Name, MatchedName: name, MatchedType: typ,
			Score: b.score, Explanation: ex, Entry: e,
		})
	}
	return out
}

// hasText reports whether a token of ts has the text t.
func hasText(ts []normalize.Token, t string) bool {
	for i := range ts {
		if ts[i].Text == t {
			return true
		}
	}
	return false
}

// floor3 cuts a score to three decimals: a score is never rounded up across the threshold (0.7996 is
// 0.799, not 0.800).
func floor3(f float64) float64 {
	return math.Floor(f*1000+1e-9) / 1000
}

func round3(f float64) float64 {
	return float64(int(f*1000+0.5)) / 1000
}
