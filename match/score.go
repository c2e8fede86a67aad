package match

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// A score is the weighted geometric mean of how much of the query's weight and how much of the name's weight
// the aligned tokens cover (see Params); the query side counts more, so a short query that names a listed
// party ("Dahua Technology") still matches its longer official name, while a query with a distinctive word
// the name lacks ("Siemens Energy" against "Siemens Healthineers") does not.

type side struct {
	// places are the words of the places in the entry's addresses (name sides only).
	places  []string
	toks    []string
	raw     []string
	phon    []string // phonetic keys, "" where none
	variant []string // romanization group keys, "" where none
	cls     []normalize.Class
	w       []float64
	known   []bool
	// maybePlace says which tokens are the word of some entry's place (query sides only; nil: unknown).
	maybePlace []bool
	compact    string
	// rawCompact is every token as written, joined: "Joint Stock CompanyNobility" and "Joint Stock Company
	// Nobility" meet there.
	rawCompact string
	// syl is the name as written when it is wholly Han, Hangul or kana (normalize.Syllabic), else "".
	syl    string
	person bool
	words  int
	// exactOnly: the name is an acronym read from a parenthesis, matched only as written.
	exactOnly bool
	// acronymName: the name is one word, the acronym of another name of its entry. A query written with a
	// legal form of its own names a company by its own name ("CIMG Inc.", "Macy's, Inc."), which matches the
	// acronym only as written; a bare word may still be the acronym misspelt ("CSG" for CSGC).
	acronymName bool
	// legalForm: the side has a legal form.
	legalForm bool
	// comma is the number of tokens before the comma of a person's name written "LAST, Given", else 0.
	comma int
	// given is the position of the given name (the first word, or the first after the comma), -1 if none.
	given int
	// nonLatin is set for a name written in another script than the Latin: its romanized endings say
	// little ("バラク" is "baraku").
	nonLatin bool
	// hyph has bit k set when token k was written joined to token k-1 by a hyphen ("Il-Nam").
	hyph uint64
	// korean is set for a person's name that reads as Korean (normalize.KoreanName).
	korean bool
	// cut has bit k set when query token k may be a word cut short (cutWords): the last word of a long
	// query, cut off at a field's width (or the stop word after which it was cut), or a word written with
	// a full stop ("Mechan.").
	cut uint64
	// roman maps the words of a name in Arabic script read with Latin spellings (arabicReading) to their
	// letter-by-letter transliteration, nil for other names.
	roman map[string]string
}

// setComma records where the comma of "LAST, Given" stands (0: none) and so where the given name is.
func (s *side) setComma(comma int) {
	s.comma, s.given = comma, -1
	for k := range s.toks {
		if k >= comma && s.cls[k] == normalize.Word {
			s.given = k
			return
		}
	}
}

func (ix *Index) prepare(qt []normalize.Token) *side {
	s := &side{}
	var compact strings.Builder
	for _, t := range qt {
		s.toks = append(s.toks, t.Text)
		s.raw = append(s.raw, t.Raw)
		s.phon = append(s.phon, phoneticKey(t.Text))
		v, _ := normalize.Variant(t.Text)
		s.variant = append(s.variant, v)
		s.cls = append(s.cls, t.Class)
		s.w = append(s.w, ix.weight(t.Text, t.Class))
		_, ok := ix.dict[t.Text]
		s.known = append(s.known, ok)
		s.maybePlace = append(s.maybePlace, ix.placeWords[t.Text])
		if t.Class == normalize.Word || t.Class == normalize.Number || t.Class == normalize.Legal {
			compact.WriteString(t.Text)
		}
		if t.Class == normalize.Word || t.Class == normalize.Number {
			s.words++
		}
		s.legalForm = s.legalForm || t.Class == normalize.Legal
	}
	s.compact = compact.String()
	s.rawCompact = strings.Join(s.raw, "")
	s.setComma(0)
	return s
}

// sideInto fills s (reusing its slices) with name n.
func (ix *Index) sideInto(s *side, n *nameRec) *side {
	*s = side{person: n.person, exactOnly: n.exactOnly, acronymName: n.acronymName, nonLatin: n.nonLatin, compact: n.compact, rawCompact: n.rawCompact, syl: n.syl, places: ix.entryPlaces[n.entry],
		toks: s.toks[:0], raw: s.raw[:0], phon: s.phon[:0], variant: s.variant[:0], cls: s.cls[:0],
		w: s.w[:0], known: s.known[:0]}
	for k, id := range n.toks {
		ti := &ix.toks[id]
		t := ti.text
		s.toks = append(s.toks, t)
		if n.raw != nil {
			s.raw = append(s.raw, n.raw[k])
		} else {
			s.raw = append(s.raw, t)
		}
		s.phon = append(s.phon, ti.phon)
		s.variant = append(s.variant, ti.variant)
		s.cls = append(s.cls, n.cls[k])
		s.w = append(s.w, ix.tokWeight(ti, n.cls[k]))
		s.known = append(s.known, true)
		if n.cls[k] == normalize.Word || n.cls[k] == normalize.Number {
			s.words++
		}
	}
	s.setComma(int(n.comma))
	s.hyph = n.hyph
	s.korean = n.korean
	return s
}

// scoreBuf is memory reused from one scoring to the next within a query.
type scoreBuf struct {
	arena          []int
	join           []byte
	pairs, chosen  []pair
	usedQ, usedC   []bool
	simQ, simC     []float64
	wq, wc         []float64
	placed         []int
	legalQ, legalC []int
	side           side
}

func (b *scoreBuf) reset() { b.arena = b.arena[:0] }

// ints returns a slice holding v, carved from the arena (valid until the next reset).
func (b *scoreBuf) ints(v ...int) []int {
	start := len(b.arena)
	b.arena = append(b.arena, v...)
	return b.arena[start:len(b.arena):len(b.arena)]
}

func (b *scoreBuf) bools(p *[]bool, n int) []bool {
	if cap(*p) < n {
		*p = make([]bool, n)
	}
	s := (*p)[:n]
	clear(s)
	return s
}

func (b *scoreBuf) floats(p *[]float64, n int) []float64 {
	if cap(*p) < n {
		*p = make([]float64, n)
	}
	s := (*p)[:n]
	clear(s)
	return s
}

type pair struct {
	qi, cj []int
	sim    float64
	how    string
	w      float64
}

// phoneticKey is normalize.Phonetic for tokens of three letters or more that are not numbers, else "".
func phoneticKey(t string) string {
	if len(t) < 3 || isDigits(t) {
		return ""
	}
	return normalize.Phonetic(t)
}

// tokSim compares query token i with name token j.
func (ix *Index) tokSim(q, c *side, i, j int, person bool) (float64, string) {
	a, b, ca, cb := q.toks[i], c.toks[j], q.cls[i], c.cls[j]
	if a == b {
		if ca == normalize.Legal {
			return 1, "legal form"
		}
		return 1, "exact"
	}
	if (ca == normalize.Number) != (cb == normalize.Number) && ca != normalize.Legal && cb != normalize.Legal && !c.exactOnly {
		return ix.spelledNumber(q.raw[i], c.raw[j])
	}
	// A word read from Arabic letters (its Latin spelling guessed) matches every spelling its letters fit.
	if r := q.roman[a]; r != "" && ca == normalize.Word && cb == normalize.Word && normalize.AbjadFits(r, b) {
		return 1, "read from the Arabic letters"
	}
	if i < 64 && q.cut&(1<<i) != 0 && ca == normalize.Word && cb != normalize.Number && !c.exactOnly {
		if sim := cutSim(q.raw[i], c.raw[j]); sim > 0 {
			return sim, "cut short"
		}
	}
	if ca == normalize.Legal || cb == normalize.Legal || ca == normalize.Number || cb == normalize.Number || c.exactOnly || (c.acronymName && q.legalForm) {
		return 0, ""
	}
	// One Korean syllable in two romanizations ("On" and "Un", "Jong" and "Jung", "Young" and "Yong").
	if person && q.korean && c.korean && normalize.KoreanVowelKey(a) == normalize.KoreanVowelKey(b) {
		return ix.p.PhoneticSim, "Korean vowel written another way"
	}
	// A given name and its nickname (Bill, William; Peggy, Margaret) in the given-name place of both sides.
	if person && i == q.given && j == c.given && !q.nonLatin && !c.nonLatin && !normalize.SameVariant(q.variant[i], c.variant[j]) && normalize.Nickname(a, b) {
		return ix.p.NicknameSim, "nickname"
	}
	// Indic names ending in -endra or -indra are written -ender and -inder as often (Narendra, Narender;
	// Ravindra, Ravinder): one name, whichever ends in a vowel.
	if person && indicNdra(a, b) {
		return ix.p.VariantSim, "name variant"
	}
	// Two given names, one ending in a vowel and the other in a consonant, two edits or more apart and
	// neither the start of the other, are other names, often the other sex's, however alike they sound:
	// Christian and Christine, Oleg and Olga (not Michel and Michelle).
	if person && i == q.given && j == c.given && !q.nonLatin && !c.nonLatin && endingDiffers(a, b) && !strings.HasPrefix(a, b) && !strings.HasPrefix(b, a) {
		if !normalize.SameVariant(q.variant[i], c.variant[j]) && damerau(a, b, 1) > 1 {
			return 0, ""
		}
	}
	if person && !q.nonLatin && !c.nonLatin && patronymicEz(a, b) {
		return 0, ""
	}
	ra, rb := "", ""
	if person && !normalize.SameVariant(q.variant[i], c.variant[j]) {
		ra, rb = servantOf(a), servantOf(b)
	}
	if ra != "" && rb != "" {
		switch {
		case ra == rb:
			// One name "Abd al-X" linked another way: Abdirahman, Abdulrahman, Abdurrahman.
			return ix.p.VariantSim, "name variant"
		case otherServant(ra, rb) && damerau(a, b, 1) > 1: // one edit is a typo, in the link too ("Abdeclghani")
			return 0, ""
		}
	}
	sim, how := ix.wordSim(a, b, q.phon[i], c.phon[j], q.variant[i], c.variant[j], person)
	if sim == 0 && ra != "" && rb != "" {
		// The same attribute misspelt, linked another way: "Abdiqadir" and "Abdulkadir".
		sim, how = ix.wordSim(ra, rb, "", "", "", "", person)
	}
	if how == "phonetic" && !q.nonLatin && !c.nonLatin && a[0] != b[0] && damerau(a, b, 3) > (max(len(a), len(b))+2)/3 {
		// Two Latin names that sound alike only once their vowels are gone, starting with another letter
		// and a third of their letters apart, are other names: "Aissami" is not "Osamu", "Tareck" not
		// "Teraoka". (Across scripts the romanization says too little of the vowels to tell.)
		return 0, ""
	}
	if sim == 0 && !person && (q.raw[i] != a || c.raw[j] != b) && q.raw[i] != c.raw[j] && min(len(q.raw[i]), len(c.raw[j])) >= 4 {
		// An abbreviation misspelt is compared as written: "Tekch" is "Tech" (read as technology) with a
		// typo, "Elxc" is "Elec"; not a word of three letters ("Corp" is not the acronym "CRP").
		return ix.wordSim(q.raw[i], c.raw[j], "", "", "", "", false)
	}
	if sim == 0 && !person && !q.known[i] && q.words >= 2 && skeletonOf(q.raw[i], c.raw[j]) {
		return ix.p.AcronymSim, "abbreviation"
	}
	return sim, how
}

// skeletonOf reports whether a, a word of four letters or more without a vowel after its first letter,
// abbreviates b as organizations' names do, by its consonants ("Mngmt" management, "Tchnlgy" technology,
// "Hldgs" holdings, "Intrntnl" international): b starts with a's first letter, holds a's letters in order
// and is two letters longer at least. (tokSim takes it for a word the lists do not have, in a query of two
// words or more: alone, such a word is as often a ticker, "SNDL" for SUNDIAL.)
func skeletonOf(a, b string) bool {
	if len(a) < 4 || len(b) < len(a)+2 || a[0] != b[0] || strings.ContainsAny(a[1:], "aeiou") || !normalize.LettersOnly(a) {
		return false
	}
	k := 1
	for i := 1; i < len(b) && k < len(a); i++ {
		if b[i] == a[k] {
			k++
		}
	}
	return k == len(a)
}

// wordSim compares two different word tokens: initials (in persons' names), romanization variants, typos
// within the edit budget of the tokens' length, and same-sounding spellings.
func (ix *Index) wordSim(a, b, pa, pb, va, vb string, person bool) (float64, string) {
	if len(a) == 1 || len(b) == 1 {
		if person && len(a) != len(b) && a[0] == b[0] {
			return ix.p.InitialSim, "initial"
		}
		return 0, ""
	}
	if normalize.SameVariant(va, vb) {
		return ix.p.VariantSim, "name variant"
	}
	if person && normalize.PinyinNear(a, b) {
		return ix.p.PhoneticSim, "pinyin initial written another way"
	}
	short, long := min(len(a), len(b)), max(len(a), len(b))
	budget := maxEdits(long)
	switch {
	case short <= 2:
		budget = 0
	case short == 3:
		budget = 1
	}
	if budget > 0 {
		if d := damerau(a, b, budget); d <= budget {
			sim := editSim(a, b, d, ix.p.TypoCost)
			// In a person's name, two edits that keep the sound (Volodimir, Volodymyr) are a spelling
			// variant rather than a typo.
			if person && sim < ix.p.PhoneticSim && short >= 4 && pa != "" && pa == pb {
				return ix.p.PhoneticSim, "phonetic"
			}
			return sim, "typo"
		}
	}
	if person && short >= 4 && long-short <= 3 && pa != "" && pa == pb {
		if d := damerau(a, b, (long+1)/2); d <= (long+1)/2 {
			return ix.p.PhoneticSim, "phonetic"
		}
	}
	// A person's name part spelt further off than a typo but with the same start ("Merkur" for Merkel)
	// still counts for something; not one much longer than the other, which is another name built on it
	// ("Ronaldinho", "Oleksandrovych").
	if person && short >= 4 && letterDiff(a, b) <= 2 {
		if jw := jaroWinkler(a, b); jw >= ix.p.NearMinJW {
			return jw - ix.p.NearPenalty, "near spelling"
		}
	}
	return 0, ""
}

// spelledNumber compares a number written as a word on one side ("second", "fifteenth", read as 2 and 15)
// with a word on the other that is not read as a number, both as written: a typo in the spelled number
// ("seuond", "ffteenth") leaves it a word, and it is the same number misspelt, not a different one. Numbers
// written in digits, and spelled numbers of fewer than five letters ("one", "four", whose typos are other
// words), are not compared so.
func (ix *Index) spelledNumber(a, b string) (float64, string) {
	short, long := min(len(a), len(b)), max(len(a), len(b))
	if short < 5 || !normalize.LettersOnly(a) || !normalize.LettersOnly(b) {
		return 0, ""
	}
	budget := maxEdits(long)
	if d := damerau(a, b, budget); d <= budget && d > 0 {
		return editSim(a, b, d, ix.p.TypoCost), "typo"
	}
	return 0, ""
}

// patronymicEz reports whether one of two words is a Spanish patronymic surname in -ez and the other no
// such surname (nor its Portuguese -es), two edits or more apart: Sánchez is not Sancho, Márquez not
// Marcos, González not Gonzalo, however alike they sound.
func patronymicEz(a, b string) bool {
	ea, eb := len(a) >= 5 && strings.HasSuffix(a, "ez"), len(b) >= 5 && strings.HasSuffix(b, "ez")
	if ea == eb || strings.HasSuffix(a, "es") || strings.HasSuffix(b, "es") {
		return false
	}
	return damerau(a, b, 1) > 1
}

// otherServant reports whether the attributes X of two Arabic names "Abd al-X" written as one word
// (servantOf) are different ones, which make different names however alike the words look: "Abdurrahim" is
// not "Abdurrahman", "Abdulrahim" not "Abdulkarim" (as "Abdul Rahim" written apart is not "Abdul Rahman").
// An attribute misspelt ("Abdurrahmn") is still the same one.
func otherServant(ra, rb string) bool {
	budget := max(maxEdits(max(len(ra), len(rb))), 1)
	return damerau(ra, rb, budget) > budget
}

// servantOf returns the attribute X of a name "Abd al-X" written as one word ("abdurrahman": "rahman",
// "abdelaziz": "aziz"), or "" when w is no such name or X has fewer than three letters.
func servantOf(w string) string {
	if !strings.HasPrefix(w, "abd") {
		return ""
	}
	rest := w[3:]
	for _, link := range [...]string{"ul", "al", "el", "il", "ol", "ur", "ar", "er", "us", "as", "un", "an", "u", "e", "o", "i", "a"} {
		if strings.HasPrefix(rest, link) {
			if x := rest[len(link):]; len(x) >= 3 {
				return x
			}
			return "" // "abdulla": no attribute of three letters
		}
	}
	return ""
}

// indicNdra reports whether one word ends in -endra or -indra and the other is the same word ending in
// -ender or -inder, after at least two letters. Not -andra: Alexandra and Alexander, Sandra and Sander are
// other names.
func indicNdra(a, b string) bool {
	if len(a) != len(b) || len(a) < 7 {
		return false
	}
	if strings.HasSuffix(b, "dra") {
		a, b = b, a
	}
	n := len(a)
	if !strings.HasSuffix(a, "dra") || !strings.HasSuffix(b, "der") || a[:n-3] != b[:n-3] {
		return false
	}
	return a[n-5:n-3] == "en" || a[n-5:n-3] == "in"
}

// endingDiffers reports whether one of two words ends in a vowel and the other in a consonant (y is a
// vowel; a final h after a vowel is silent: Abdullah ends like Abdulla).
func endingDiffers(a, b string) bool {
	return vowelEnding(a) != vowelEnding(b)
}

// nonLatin reports whether s has a letter of another script than the Latin.
func nonLatin(s string) bool {
	for _, r := range s {
		if r >= 0x370 && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func vowelEnding(w string) bool {
	if strings.HasSuffix(w, "j") || strings.HasSuffix(w, "js") {
		return true // Slavic й, with the Baltic nominative -s: Sergejs is Sergey
	}
	if len(w) >= 2 && w[len(w)-1] == 'h' && strings.IndexByte("aeiouy", w[len(w)-2]) >= 0 {
		w = w[:len(w)-1]
	}
	return w != "" && strings.IndexByte("aeiouy", w[len(w)-1]) >= 0
}

// letterDiff returns how many more letters (characters, not bytes) the longer of a and b has.
func letterDiff(a, b string) int {
	if isASCII(a) && isASCII(b) {
		return abs(len(a) - len(b))
	}
	return abs(utf8.RuneCountInString(a) - utf8.RuneCountInString(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// score compares query side q with name side c; the explanation is built only when explain is set (it costs
// more than the score). It runs the steps in order: pair the tokens that may stand for each other, align
// them one to one, reweigh what is left over, measure the weight covered, penalise what differs, try the
// whole name, the acronym and the characters, and explain.
func (ix *Index) score(q, c *side, explain bool, buf *scoreBuf) (float64, tradescreen.Explanation) {
	if c.exactOnly && q.legalForm {
		// An acronym read from a parenthesis names its party written so, alone: a query word with a legal
		// form of its own ("TSS, Inc." for "Tajhiz Sanat Shayan (TSS)") is that company's name (see ownForm).
		return 0, tradescreen.Explanation{}
	}
	if buf == nil {
		buf = &scoreBuf{}
	}
	buf.reset()
	a := alignment{q: q, c: c, person: c.person || q.person, placedC: -1}
	pairs := ix.pairTokens(q, c, a.person, buf)
	a.align(pairs, buf)
	if a.person {
		a.hyphenedInitials(buf)
	}
	buf.pairs = pairs[:0]
	ix.reweight(&a, buf)
	score := ix.cover(&a)
	score = ix.penalise(&a, score)
	score, how := ix.rescore(&a, score)
	var ex tradescreen.Explanation
	if explain {
		ex = a.explain(score, how)
	}
	buf.chosen = a.chosen[:0]
	return math.Min(score, 1), ex
}

// alignment is the state of one scoring of query side q against name side c, as the steps of score fill it.
type alignment struct {
	q, c   *side
	person bool // either side is a person's name
	// chosen are the aligned pairs; usedQ and usedC say which tokens they hold, simQ and simC how alike each
	// token is to its partner.
	chosen       []pair
	usedQ, usedC []bool
	simQ, simC   []float64
	// wq and wc are the effective weights of the tokens, after reweighting; totQ and totC their sums.
	wq, wc     []float64
	totQ, totC float64
	// acroQ and acroC are the words found as the acronym of the other side's words (ownAcronym).
	acroQ, acroC []int
	// placed are the query words found among the entry's places; placedC the name's leading place, or -1.
	placed  []int
	placedC int
	// qnum and cnum are the first number of each side left without a partner, or "".
	qnum, cnum string
	// qord and cord say whether those numbers are written as ordinals ("14th", "Second").
	qord, cord bool
	// legalQ and legalC are the words of a legal form left over apart from it (scatteredLegal).
	legalQ, legalC []int
	// typoOnly is set when the distinctive word of two organizations' names is matched only through a typo
	// (typoOnly).
	typoOnly bool
}

// pairTokens lists every pairing of query and name tokens that may stand for each other — token with
// token, words joined on one side and split on the other, initials written together — best first (by
// similarity, then weight).
func (ix *Index) pairTokens(q, c *side, person bool, buf *scoreBuf) []pair {
	pairs := buf.pairs[:0]
	for i := range q.toks {
		for j := range c.toks {
			if sim, how := ix.tokSim(q, c, i, j, person); sim > 0 {
				pairs = append(pairs, pair{qi: buf.ints(i), cj: buf.ints(j), sim: sim, how: how, w: q.w[i] + c.w[j]})
			}
		}
	}
	pairs = ix.joinedPairs(pairs, q, c, buf)
	pairs = ix.joinedTriples(pairs, q, c, buf)
	pairs = cutLegalForm(pairs, q, c, buf)
	// Initials written together ("JC Juncker" for Jean-Claude Juncker, "US" for United States).
	pairs = initialRuns(pairs, buf, q, c, false, ix.p.InitialSim)
	pairs = initialRuns(pairs, buf, c, q, true, ix.p.InitialSim)
	// A stop word's pair is taken last: "al" and "al" must not keep "Abd al-Rahman" from "Abdulrahman".
	slices.SortStableFunc(pairs, func(a, b pair) int {
		if sa, sb := stopPair(q, a), stopPair(q, b); sa != sb {
			if sa {
				return 1
			}
			return -1
		}
		if a.sim != b.sim {
			return cmp.Compare(b.sim, a.sim)
		}
		if a.w != b.w {
			return cmp.Compare(b.w, a.w)
		}
		// Of two equal pairs, the one with a word as written goes first: "Technolog" takes "Technology"
		// rather than the "Tech" of "High-tech" (indexed as technology), which "Trech" can still take.
		return cmp.Compare(abbreviatedPair(c, a), abbreviatedPair(c, b))
	})
	return pairs
}

// cutLegalForm appends the pairs of a legal form cut short at the end of the query ("CO., LIMI", "LIMITED
// LIABI", "Co., L") with the name's legal form, whose words as written the query's last words start.
func cutLegalForm(pairs []pair, q, c *side, buf *scoreBuf) []pair {
	n := len(q.toks)
	if n < 2 || n > 64 || q.cut&(1<<(n-1)) == 0 {
		return pairs
	}
	for j := range c.toks {
		if c.cls[j] != normalize.Legal {
			continue
		}
		joined, w := q.raw[n-1], q.w[n-1]
		for k := n - 2; k >= max(0, n-3); k-- {
			joined, w = q.raw[k]+joined, w+q.w[k]
			if len(joined) < len(c.raw[j]) && strings.HasPrefix(c.raw[j], joined) {
				qi := buf.ints(k)
				for m := k + 1; m < n; m++ {
					qi = append(qi, m)
				}
				pairs = append(pairs, pair{qi: qi, cj: buf.ints(j), sim: 1, how: "cut short", w: w + c.w[j]})
			}
		}
	}
	return pairs
}

// abbreviatedPair is 1 when pair p holds a single name word that is an abbreviation expanded (its text is
// not as written), else 0.
func abbreviatedPair(c *side, p pair) int {
	if len(p.cj) == 1 && c.raw[p.cj[0]] != c.toks[p.cj[0]] {
		return 1
	}
	return 0
}

// stopPair reports whether p pairs a stop word of the query alone.
func stopPair(q *side, p pair) bool {
	return len(p.qi) == 1 && q.cls[p.qi[0]] == normalize.Stop
}

// joinedPairs appends the pairs of two words joined on one side and one word on the other: "joined" when
// the query joins them, "split" when the name does (joined in a buffer, not allocated).
func (ix *Index) joinedPairs(pairs []pair, q, c *side, buf *scoreBuf) []pair {
	for i := 0; i+1 < len(q.toks); i++ {
		if !joinable(q.cls[i]) || !joinable(q.cls[i+1]) {
			continue
		}
		jq := append(append(buf.join[:0], q.raw[i]...), q.raw[i+1]...)
		buf.join = jq
		for j := range c.toks {
			if sim := joinSim(&ix.p, jq, c.raw[j]); sim > 0 {
				pairs = append(pairs, pair{qi: buf.ints(i, i+1), cj: buf.ints(j), sim: sim, how: "joined", w: q.w[i] + q.w[i+1] + c.w[j]})
			}
		}
	}
	for j := 0; j+1 < len(c.toks); j++ {
		if !joinable(c.cls[j]) || !joinable(c.cls[j+1]) {
			continue
		}
		jc := append(append(buf.join[:0], c.raw[j]...), c.raw[j+1]...)
		buf.join = jc
		for i := range q.toks {
			if sim := joinSim(&ix.p, q.raw[i], jc); sim > 0 {
				pairs = append(pairs, pair{qi: buf.ints(i), cj: buf.ints(j, j+1), sim: sim, how: "split", w: q.w[i] + c.w[j] + c.w[j+1]})
			}
		}
	}
	return pairs
}

// joinedTriples appends the pairs of three words written as one on the other side ("Van der Bilt" and
// "Vanderbilt").
func (ix *Index) joinedTriples(pairs []pair, q, c *side, buf *scoreBuf) []pair {
	for i := 0; i+2 < len(q.toks); i++ {
		if joinable(q.cls[i]) && joinable(q.cls[i+1]) && joinable(q.cls[i+2]) {
			jq := append(append(append(buf.join[:0], q.raw[i]...), q.raw[i+1]...), q.raw[i+2]...)
			buf.join = jq
			for j := range c.toks {
				if sim := joinSim(&ix.p, jq, c.raw[j]); sim > 0 {
					pairs = append(pairs, pair{qi: buf.ints(i, i+1, i+2), cj: buf.ints(j), sim: sim, how: "joined", w: q.w[i] + q.w[i+1] + q.w[i+2] + c.w[j]})
				}
			}
		}
	}
	for j := 0; j+2 < len(c.toks); j++ {
		if joinable(c.cls[j]) && joinable(c.cls[j+1]) && joinable(c.cls[j+2]) {
			jc := append(append(append(buf.join[:0], c.raw[j]...), c.raw[j+1]...), c.raw[j+2]...)
			buf.join = jc
			for i := range q.toks {
				if sim := joinSim(&ix.p, q.raw[i], jc); sim > 0 {
					pairs = append(pairs, pair{qi: buf.ints(i), cj: buf.ints(j, j+1, j+2), sim: sim, how: "split", w: q.w[i] + c.w[j] + c.w[j+1] + c.w[j+2]})
				}
			}
		}
	}
	return pairs
}

// align takes the pairs best first, each when none of its tokens is taken yet: every token is aligned with
// at most one partner.
func (a *alignment) align(pairs []pair, buf *scoreBuf) {
	a.usedQ = buf.bools(&buf.usedQ, len(a.q.toks))
	a.usedC = buf.bools(&buf.usedC, len(a.c.toks))
	a.simQ = buf.floats(&buf.simQ, len(a.q.toks))
	a.simC = buf.floats(&buf.simC, len(a.c.toks))
	chosen := buf.chosen[:0]
	for _, p := range pairs {
		ok := true
		for _, i := range p.qi {
			ok = ok && !a.usedQ[i]
		}
		for _, j := range p.cj {
			ok = ok && !a.usedC[j]
		}
		if !ok {
			continue
		}
		for _, i := range p.qi {
			a.usedQ[i], a.simQ[i] = true, p.sim
		}
		for _, j := range p.cj {
			a.usedC[j], a.simC[j] = true, p.sim
		}
		chosen = append(chosen, p)
	}
	a.chosen = chosen
}

// hyphenedInitials reads a given name written with a hyphen ("Il-Nam", "Chang-Ho", "Jean-Claude") as one
// name: the initial that stands for its first part stands for the parts joined to it ("KIM I." for "KIM,
// Il-Nam"), which are otherwise left over as middle names.
func (a *alignment) hyphenedInitials(buf *scoreBuf) {
	for k := range a.chosen {
		p := &a.chosen[k]
		if p.how != "initial" || len(p.qi) != 1 || len(p.cj) != 1 {
			continue
		}
		i, j := p.qi[0], p.cj[0]
		switch {
		case len(a.q.toks[i]) == 1:
			for n := j + 1; n < len(a.c.toks) && n < 64 && a.c.hyph&(1<<n) != 0 && !a.usedC[n]; n++ {
				a.usedC[n], a.simC[n] = true, p.sim
				p.cj = buf.ints(append(p.cj, n)...)
			}
		case len(a.c.toks[j]) == 1:
			for n := i + 1; n < len(a.q.toks) && n < 64 && a.q.hyph&(1<<n) != 0 && !a.usedQ[n]; n++ {
				a.usedQ[n], a.simQ[n] = true, p.sim
				p.qi = buf.ints(append(p.qi, n)...)
			}
		}
	}
}

// koreanName reports whether a person's name tokens read as a Korean name (normalize.KoreanName).
func koreanName(tks []normalize.Token) bool {
	if len(tks) < 2 || len(tks) > 4 {
		return false
	}
	var buf [4]string
	words := buf[:0]
	for _, t := range tks {
		if t.Class != normalize.Word && t.Class != normalize.Stop { // "On", "An" are syllables too
			return false
		}
		words = append(words, t.Text)
	}
	return normalize.KoreanName(words)
}

// koreanSyllables makes words of the stop words of a Korean name: "An", "On", "In" and "Do" are syllables
// of its given name there ("Kim Jong In" is not "Kim Jong Un"), not the English or Romance words.
func koreanSyllables(cls []normalize.Class) {
	for k, c := range cls {
		if c == normalize.Stop {
			cls[k] = normalize.Word
		}
	}
}

// koreanSide reads a query side that is a Korean name with its stop words as words (koreanSyllables),
// weighed as such.
func (ix *Index) koreanSide(s *side) {
	koreanSyllables(s.cls)
	s.words = 0
	for k, t := range s.toks {
		s.w[k] = ix.weight(t, s.cls[k])
		if s.cls[k] == normalize.Word || s.cls[k] == normalize.Number {
			s.words++
		}
	}
}

// cutMinLen is the length, in characters, from which a query's last word may have been cut off by the
// width of the field that held it (35 characters a line in SWIFT MT messages, 40 or so in many customer
// records); shorter queries are taken as whole.
const cutMinLen = 20

// cutWords returns the bits of the query tokens tks (read from name, as written) that may be a word cut
// short: the last, when name is cutMinLen characters long or more and ends in a letter ("China
// Electronics Technology Group Corpora"; a stop word there marks the cut after it), and each word of three
// letters or more written with a full stop after it ("Ural Optical & Mechan. Plant"). Bit k for token k.
func cutWords(name string, tks []normalize.Token) uint64 {
	if len(tks) < 2 {
		return 0
	}
	var bits uint64
	name = strings.TrimSpace(name)
	if last, _ := utf8.DecodeLastRuneInString(name); unicode.IsLetter(last) && utf8.RuneCountInString(name) >= cutMinLen {
		switch k := len(tks) - 1; {
		case k >= 64:
		case tks[k].Class == normalize.Word:
			if _, legal := normalize.LegalForm(tks[k].Raw); !legal { // "Corp" of a person's reading
				bits |= 1 << k
			}
		case tks[k].Class == normalize.Stop && tks[k-1].Class != normalize.Stop:
			// No name ends in "of", "des" or "and": cut off after it ("COMPAGNIE AERIENNE DES").
			bits |= 1 << k
		}
	}
	if strings.Contains(name, ".") {
		for _, w := range strings.Fields(name) {
			if !strings.HasSuffix(w, ".") {
				continue
			}
			f := normalize.Fold(w)
			if len(f) < 3 || strings.Contains(f, " ") {
				continue
			}
			for k := 0; k < len(tks) && k < 64; k++ {
				if tks[k].Raw == f && tks[k].Class == normalize.Word {
					bits |= 1 << k
				}
			}
		}
	}
	return bits
}

// cutSim compares a query word a that may be cut short with a name's word (or legal form, by its words as
// written) b: a start of it stands for it, the more of it the closer (0.8 plus a fifth of the share of its
// letters kept); else 0.
func cutSim(a, b string) float64 {
	if a == "" {
		return 0
	}
	best := 0.0
	for _, w := range strings.Fields(b) {
		if len(w) > len(a) && strings.HasPrefix(w, a) {
			best = max(best, 0.8+0.2*float64(len(a))/float64(len(w)))
		}
	}
	return best
}

// hyphenLinks returns the bits of tokens tks (read from name) that were written joined to the token before
// them by a hyphen: bit k for token k.
func hyphenLinks(name string, tks []normalize.Token) uint64 {
	if !strings.Contains(name, "-") || len(tks) < 2 {
		return 0
	}
	var joined []string // "a b" for each two folded words written a-b
	for _, w := range strings.Fields(name) {
		if !strings.Contains(w, "-") {
			continue
		}
		parts := strings.Split(w, "-")
		for k := 1; k < len(parts); k++ {
			l, r := strings.Fields(normalize.Fold(parts[k-1])), strings.Fields(normalize.Fold(parts[k]))
			if len(l) > 0 && len(r) > 0 {
				joined = append(joined, l[len(l)-1]+" "+r[0])
			}
		}
	}
	var bits uint64
	for k := 1; k < len(tks) && k < 64; k++ {
		if slices.Contains(joined, tks[k-1].Raw+" "+tks[k].Raw) {
			bits |= 1 << k
		}
	}
	return bits
}

// reweight sets the effective weights of both sides: what is left over and says little (an organization's
// own acronym, a query word the lists do not know, a place of the entry, a title, a person's middle names, a
// world region) weighs less or counts as found.
func (ix *Index) reweight(a *alignment, buf *scoreBuf) {
	q, c := a.q, a.c
	// A name followed by its own acronym ("Reconnaissance General Bureau (RGB)") says nothing more than the
	// name: a word left over on one side that is the initials of the other side's words counts as found.
	if !a.person {
		a.acroQ = ownAcronym(q, c, a.usedQ, a.simQ)
		a.acroC = ownAcronym(c, q, a.usedC, a.simC)
	}
	a.wq = buf.floats(&buf.wq, len(q.toks))
	copy(a.wq, q.w)
	a.weighUnknown()
	ix.placeQuery(a, buf)
	// A title left over in a query that was not known to name a person ("General", "Colonel") weighs as a
	// title when the name is a person's; not one closing a person's query, which is its surname ("Umair
	// Sheikh", normalize's titleStands).
	if c.person {
		for i := range q.toks {
			if q.person && i > 0 && i == len(q.toks)-1 {
				continue
			}
			if !a.usedQ[i] && q.cls[i] == normalize.Word && normalize.IsHonorific(q.toks[i]) {
				a.wq[i] *= ix.p.HonorificWeight
			}
		}
	}
	a.wc = buf.floats(&buf.wc, len(c.toks))
	copy(a.wc, c.w)
	// A query cut off inside its last word says nothing of the name's words after the one that word
	// starts: they weigh as omitted ("JOINT STOCK COMPANY SHIPBUILDI" for "... SHIPBUILDING PLANT LOTOS").
	if j := a.cutAt(); j >= 0 {
		for k := j + 1; k < len(c.toks); k++ {
			if !a.usedC[k] {
				a.wc[k] *= ix.p.OmittedFactor
			}
		}
	}
	ix.placeName(a)
	if a.person {
		ix.weighMiddles(a)
	}
	// A continent or world region on one side only ("Faberlic Europe" for "Faberlic") weighs as a place
	// when a word at least as distinctive as it is matched.
	regions(q, a.usedQ, a.simQ, q.w, a.wq, ix.p.PlaceWeight)
	regions(c, a.usedC, a.simQ, q.w, a.wc, ix.p.PlaceWeight)
	// The words of a legal form written apart from it, in another order or place ("LIMITED COMPANY
	// LIABILITY YOOMONEY", "C.A. AVERUCA", "Bhd Tech Infomaya Sdn"), weigh as a legal form.
	if !a.person {
		a.legalQ = scatteredLegal(q, c, a.usedQ, a.wq, ix.p.LegalWeight, buf.legalQ[:0])
		a.legalC = scatteredLegal(c, q, a.usedC, a.wc, ix.p.LegalWeight, buf.legalC[:0])
		buf.legalQ, buf.legalC = a.legalQ, a.legalC
	}
}

// cutAt returns the position of the name token that the query's last word, cut short, was aligned with
// (the last of the pair's name tokens), or for a query cut off after a stop word the one its word before
// was aligned with; else -1.
func (a *alignment) cutAt() int {
	n := len(a.q.toks)
	if n == 0 || n > 64 || a.q.cut&(1<<(n-1)) == 0 {
		return -1
	}
	if a.q.cls[n-1] == normalize.Stop {
		// Cut off after a stop word: the name's words after the query's last word are cut.
		for _, p := range a.chosen {
			if slices.Contains(p.qi, n-2) {
				return slices.Max(p.cj)
			}
		}
		return -1
	}
	for _, p := range a.chosen {
		if p.how == "cut short" && slices.Contains(p.qi, n-1) {
			return slices.Max(p.cj)
		}
	}
	return -1
}

// scatteredLegal weighs as a legal form (factor f on w) the words of side s left over (used) that are
// words of a legal form of the other side written apart from it, in another order or place: together with
// the legal forms s has, they hold the letters of one of the other side's legal forms ("LIMITED COMPANY
// LIABILITY" for "limited liability company", "C.A. AVERUCA" for "AVERUCA, C.A.", "Bhd ... Sdn" for "Sdn
// Bhd"). It marks them used and appends their positions to out.
func scatteredLegal(s, other *side, used []bool, w []float64, f float64, out []int) []int {
	start := len(out)
	for k, t := range s.toks {
		if !used[k] && s.cls[k] == normalize.Word && normalize.LegalWord(t) {
			out = append(out, k)
		}
	}
	if len(out) == start || !slices.Contains(used, true) || !slices.Contains(other.cls, normalize.Legal) {
		return out[:start]
	}
	var mine [256]int16
	for k := range s.toks {
		if s.cls[k] == normalize.Legal {
			countLetters(&mine, s.raw[k], 1)
		}
	}
	for _, k := range out[start:] {
		countLetters(&mine, s.raw[k], 1)
	}
	if spells(&mine, other) || partOf(&mine, other) {
		return markLegal(out, start, used, w, f)
	}
	// With the stop words left over, which some legal forms hold ("S.A. de C.V." written "C.V. DE ... S.A.").
	words := len(out)
	for k := range s.toks {
		if !used[k] && s.cls[k] == normalize.Stop {
			countLetters(&mine, s.raw[k], 1)
			out = append(out, k)
		}
	}
	if len(out) > words && spells(&mine, other) {
		return markLegal(out, start, used, w, f)
	}
	return out[:start]
}

// spells reports whether the letters counted in n are those of one of the legal forms of side other.
func spells(n *[256]int16, other *side) bool {
	for k := range other.toks {
		if other.cls[k] != normalize.Legal {
			continue
		}
		theirs := *n
		countLetters(&theirs, other.raw[k], -1)
		if theirs == [256]int16{} {
			return true
		}
	}
	return false
}

// partOf reports whether the letters counted in n are half or more of those of one of the legal forms of
// side other, and none other: the legal form written with one of its words left out ("OPEN STOCK COMPANY"
// for open joint stock company, "JOINT LIABILITY COMPANY" for joint limited liability company).
func partOf(n *[256]int16, other *side) bool {
	mine := 0
	for _, c := range n {
		mine += int(c)
	}
	for k := range other.toks {
		if other.cls[k] != normalize.Legal || 2*mine < len(other.raw[k]) {
			continue
		}
		theirs := *n
		countLetters(&theirs, other.raw[k], -1)
		ok := true
		for _, c := range theirs {
			ok = ok && c <= 0
		}
		if ok {
			return true
		}
	}
	return false
}

// markLegal weighs the words out[start:] as a legal form (factor f on w) and marks them used.
func markLegal(out []int, start int, used []bool, w []float64, f float64) []int {
	for _, i := range out[start:] {
		w[i] *= f
		used[i] = true // and it does not stand against a word of the other name
	}
	return out
}

// countLetters adds d to the count of each letter of t in n.
func countLetters(n *[256]int16, t string, d int16) {
	for i := 0; i < len(t); i++ {
		n[t[i]] += d
	}
}

// weighUnknown gives a query word the lists do not know (a typo), aligned alone, the weight of its partner.
func (a *alignment) weighUnknown() {
	for _, p := range a.chosen {
		if len(p.qi) == 1 && !a.q.known[p.qi[0]] {
			pw := 0.0
			for _, j := range p.cj {
				pw += a.c.w[j]
			}
			a.wq[p.qi[0]] = pw
		}
	}
}

// placeQuery weighs as a place, and takes out of the comparison, each query word left over that is a place
// where the entry is located, put before or after its name: it is not a different word.
func (ix *Index) placeQuery(a *alignment, buf *scoreBuf) {
	q, c := a.q, a.c
	a.placed = buf.placed[:0]
	for i := range q.toks {
		if !a.usedQ[i] && q.cls[i] == normalize.Word && len(c.places) > 0 && (q.maybePlace == nil || q.maybePlace[i]) {
			if k := sort.SearchStrings(c.places, q.toks[i]); k < len(c.places) && c.places[k] == q.toks[i] {
				a.wq[i] *= ix.p.PlaceWeight
				a.usedQ[i] = true // and it does not stand against a word of the name
				a.placed = append(a.placed, i)
			}
		}
	}
	buf.placed = a.placed[:0]
}

// placeName weighs as a place the entry's own place leading its name and left out of the query ("Meiya Pico"
// for "Xiamen Meiya Pico Information Co., Ltd."), as it does put before the name in a query; only when the
// query has no word of its own left and a word it shares weighs as much as the place.
func (ix *Index) placeName(a *alignment) {
	q, c := a.q, a.c
	if !a.person && len(c.toks) > 1 && !a.usedC[0] && c.cls[0] == normalize.Word && len(c.places) > 0 && !anyUnmatchedWord(q, a.usedQ) && heaviestMatched(c, a.usedC) >= c.w[0] {
		if k := sort.SearchStrings(c.places, c.toks[0]); k < len(c.places) && c.places[k] == c.toks[0] {
			a.wc[0] *= ix.p.PlaceWeight
			a.placedC = 0
		}
	}
}

// weighMiddles lowers the weight of a person's middle names and patronymics, which are optional: the
// name's, and the query's when every word of the name is found (else the query's stand against the name's:
// a different middle name). "LAST, First" against "First Last" is the same person; a lone unmatched given
// name is not.
func (ix *Index) weighMiddles(a *alignment) {
	q, c := a.q, a.c
	surnameWrittenTwice(a)
	if !anyUnmatchedWord(q, a.usedQ) {
		if ix.surnameAlone(a) {
			// The query is the person's surname alone, a distinctive one: the given and other names are
			// left out, as a user screening "Deripaska" or "Lukashenko" writes them.
			for j := range c.toks {
				if !a.usedC[j] {
					a.wc[j] *= ix.p.OmittedFactor
				}
			}
		} else if givenAndSurname(a) {
			// The query has the person's given name and surname as written, and nothing else: every other
			// name of the listed person is a middle name left out, wherever the list puts it ("Mohamed
			// Aouadi" for "AOUADI, Mohamed Ben Belgacem").
			for j := range c.toks {
				if !a.usedC[j] {
					a.wc[j] *= ix.p.OmittedFactor
				}
			}
		} else if twoOfTheNames(a) {
			// The query has a middle name and the surname of the person as written, in the list's order: a
			// person known by a middle name ("Boris Johnson" for "Alexandre Boris de Pfeffel Johnson").
			for j := range c.toks {
				if !a.usedC[j] {
					a.wc[j] *= ix.p.MiddleFactor
				}
			}
		} else {
			middles(c, a.usedC, a.wc, ix.p.MiddleFactor)
		}
	}
	if !anyUnmatchedWord(c, a.usedC) {
		if matchedWords(c, a.usedC, a.simC) >= 2 {
			// Every word of a name is in the query, two or more of them written out: the query names the
			// person more fully than the list (a family or tribal name added, say), before or after too.
			for i := range q.toks {
				if !a.usedQ[i] {
					a.wq[i] *= ix.p.MiddleFactor
				}
			}
		} else {
			middles(q, a.usedQ, a.wq, ix.p.MiddleFactor)
		}
	}
}

// cover returns the weighted geometric mean of the shares of the query's and of the name's effective weight
// that the aligned tokens cover (0 when either side weighs nothing), and records the two totals.
func (ix *Index) cover(a *alignment) float64 {
	var covQ, covC float64
	for i := range a.q.toks {
		a.totQ += a.wq[i]
		covQ += a.wq[i] * a.simQ[i]
	}
	for j := range a.c.toks {
		a.totC += a.wc[j]
		covC += a.wc[j] * a.simC[j]
	}
	if a.totQ > 0 && a.totC > 0 {
		return math.Pow(covQ/a.totQ, ix.p.QueryExp) * math.Pow(covC/a.totC, ix.p.NameExp)
	}
	return 0
}

// penalise lowers score for what differs rather than is missing: a patronym read the other way round, a
// distinctive word on each side without a partner ("Siemens Energy" is not "Siemens Healthineers", "Fund
// VIII" is not "Fund IX"), a number left over. It records the numbers left over.
func (ix *Index) penalise(a *alignment, score float64) float64 {
	if a.person && patronymSwapped(a.q, a.c, a.chosen) {
		score *= ix.p.PatronymFactor
	}
	subs, numbers := substitutions(a.q, a.c, a.usedQ, a.usedC, a.person)
	a.qnum, a.qord = unmatchedNumber(a.q, a.usedQ)
	a.cnum, a.cord = unmatchedNumber(a.c, a.usedC)
	for k := 0; k < subs; k++ {
		score *= ix.p.SubstitutionFactor
	}
	if numbers {
		score *= ix.p.NumberFactor
	}
	if a.typoOnly = typoOnly(a); a.typoOnly {
		score *= ix.p.TypoOnlyFactor
	}
	return score
}

// typoOnly reports whether two organizations' names meet only through a typo in their distinctive word:
// exactly one pair of words is aligned by a typo of one edit, both words of five to seven letters; its name
// word is the heaviest word of the name, and every other aligned pair is written the same ("INTEL CORP" and
// "INTER", "AVISTA CORP" and "Avisma", "RADIAN GROUP INC" and "Radiant Group"). One edit in a word of that
// length reaches many other words: the more short names the lists hold, the more real names lie one edit
// from one of them. Two words each misspelt, two edits, or a misspelt word beside a distinctive word written
// the same say more. Words of four letters or fewer (codes and acronyms: "CSG" for CSGC) and of eight or
// more ("faberlick" for Faberlic) are left out: there the rule cost found variations and labelled pairs
// (docs/matching.md, Round 4b), unless the query has a legal form of its own against a one-word name without
// one (ownName).
func typoOnly(a *alignment) bool {
	if a.person {
		return false
	}
	typo := -1
	for k, p := range a.chosen {
		switch {
		case p.sim >= 1:
		case p.how == "typo" && len(p.qi) == 1 && len(p.cj) == 1 && typo < 0:
			typo = k
		default:
			return false
		}
	}
	if typo < 0 {
		return false
	}
	i, j := a.chosen[typo].qi[0], a.chosen[typo].cj[0]
	short := min(len(a.q.toks[i]), len(a.c.toks[j])) < 5 && !ownName(a)
	if short || max(len(a.q.toks[i]), len(a.c.toks[j])) > 7 || damerau(a.q.toks[i], a.c.toks[j], 1) != 1 {
		return false
	}
	for k := range a.c.toks {
		if k != j && a.c.cls[k] == normalize.Word && a.wc[k] > a.wc[j] {
			return false
		}
	}
	return true
}

// ownName reports whether the query names a company by a name of its own, written with its legal form, and
// the listed name is one word with none ("Alcoa Corp" and "ALCO", "Tesla, Inc." and "TESA"): a word of three or
// four letters one edit from the query's is then another company's name or code, as for an acronym
// (side.acronymName), not the listed one misspelt.
func ownName(a *alignment) bool {
	return a.q.legalForm && !a.c.legalForm && a.c.words == 1
}

// rescore tries the readings of the pair other than token by token — the whole name with other word breaks,
// an acronym — and keeps the best; two names in Han, Hangul or kana then cap it. It returns the score and
// how it was reached when not token by token ("whole name", "acronym", "characters"), else "".
func (ix *Index) rescore(a *alignment, score float64) (float64, string) {
	q, c := a.q, a.c
	how := ""
	if s := ix.wholeName(a, score); s > score {
		// The whole name written as one still differs by the one misspelt word: the typo says as little.
		if a.typoOnly {
			s *= ix.p.TypoOnlyFactor
		}
		if s > score {
			score, how = s, "whole name"
		}
	}
	// Acronyms: CETC for China Electronics Technology Group Corporation.
	if s := ix.acronymScore(q, c); s > score {
		score, how = s, "acronym"
	}
	// Two names written in Han, Hangul or kana that differ in a character differ in a syllable of the name,
	// however alike their romanizations: the score is at most the share of characters they have in common.
	if q.syl != "" && c.syl != "" && q.syl != c.syl {
		d, n := runeDistance(q.syl, c.syl)
		if cap := 1 - float64(d)/float64(n); score > cap {
			score, how = cap, "characters"
		}
	}
	return score, how
}

// wholeName compares the whole names written with other word breaks (pinyin syllables, joined words) and
// returns the best similarity that beats score, else score.
//
// Not when one side is all found, as written, in the other: a word the other adds ("Solutions II" for
// "Solutions") is not a respelling. Edits are counted against the letters of the words and numbers and of
// the canonical legal form, so a long legal form does not dilute a difference in the distinctive part
// ("Obshchestvo s Ogranichennoy Otvetstvennostyu Bay" is not "... Baykal"). Nor when everything else is
// aligned and the one word left on each side is three edits or more from the other: the difference is then
// a different word, not a word break ("Bank of Chad" is not "Bank of China"). Nor when two different
// designation numbers ("155" and "175 machine repair plant", the 159 and the 239 Factory, military unit
// numbers), or two numbers one of them an ordinal (the 14th and the 16th Research Institute, the Second and
// the 3rd Academy), name different parties; a fund's, a vessel's or a trust's number in a series, or a year, may
// still be bridged (the labelled pairs hold "Carlyle Partners VII" and "VIII" as one party).
func (ix *Index) wholeName(a *alignment, score float64) float64 {
	q, c := a.q, a.c
	designations := designation(a.qnum) && designation(a.cnum) || a.qnum != "" && a.cnum != "" && (a.qord || a.cord)
	if !(score < 0.95 && !designations && !sameAsWritten(q, c, a.chosen, true) && !sameAsWritten(q, c, a.chosen, false) && !otherWord(q, c, a.usedQ, a.usedC)) {
		return score
	}
	if len(q.compact) >= 6 && len(c.compact) >= 6 && (len(q.toks) > 1 || len(c.toks) > 1) {
		if cs := compactSim(q.compact, c.compact, 0, 0.9); cs >= 0.9 && cs > score {
			score = cs
		}
	}
	if len(q.rawCompact) >= 8 && len(c.rawCompact) >= 8 && len(q.toks) != len(c.toks) && q.rawCompact[0] == c.rawCompact[0] {
		n := max(rawLetters(q), rawLetters(c))
		if cs := compactSim(q.rawCompact, c.rawCompact, n, 0.92); cs >= 0.92 && cs > score {
			score = cs
		}
	}
	return score
}

// explain describes the alignment: each aligned pair with its share of the total weight, the places,
// regions and acronyms that counted, the tokens left over on each side, and a summary.
func (a *alignment) explain(score float64, how string) tradescreen.Explanation {
	q, c := a.q, a.c
	ex := tradescreen.Explanation{}
	tot := a.totQ + a.totC
	for _, p := range a.chosen {
		var qs, cs []string
		w := 0.0
		for _, i := range p.qi {
			qs = append(qs, shown(q, i, p.how))
			w += a.wq[i]
		}
		for _, j := range p.cj {
			cs = append(cs, shown(c, j, p.how))
			w += a.wc[j]
		}
		share := 0.0
		if tot > 0 {
			share = w / tot
		}
		ex.Tokens = append(ex.Tokens, tradescreen.TokenMatch{
			Query: strings.Join(qs, " "), Name: strings.Join(cs, " "), How: p.how,
			Similarity: round3(p.sim), Weight: round3(share),
		})
	}
	ex.Tokens = a.explainReweighted(ex.Tokens, tot)
	for i := range q.toks {
		if !a.usedQ[i] {
			ex.QueryUnmatched = append(ex.QueryUnmatched, q.toks[i])
		}
	}
	for j := range c.toks {
		if !a.usedC[j] {
			ex.NameUnmatched = append(ex.NameUnmatched, c.toks[j])
		}
	}
	ex.Summary = summary(score, how, a.chosen, ex)
	if a.qnum != "" && a.cnum != "" {
		ex.Summary += "; number differs: " + a.qnum + " ≠ " + a.cnum
	}
	if a.typoOnly && how != "acronym" && how != "characters" {
		ex.Summary += "; the distinctive word is matched only through a typo"
	}
	if w, own := acronymWord(q, c); w != "" && !own {
		ex.Summary += "; " + w + " is not read as an acronym: it is written with a legal form the other name lacks"
	}
	return ex
}

// shown is token k of s as an explanation shows it: a number spelled as a word and met through a typo as
// written ("second", not "2").
func shown(s *side, k int, how string) string {
	if how == "typo" && s.cls[k] == normalize.Number {
		return s.raw[k]
	}
	return s.toks[k]
}

// explainReweighted appends to ts the tokens that counted for another reason than a partner — places in
// the entry's address, world regions, words of the other side's legal form, acronyms of the other side — each with its share of tot.
func (a *alignment) explainReweighted(ts []tradescreen.TokenMatch, tot float64) []tradescreen.TokenMatch {
	q, c := a.q, a.c
	for _, i := range a.placed {
		ts = append(ts, tradescreen.TokenMatch{Query: q.toks[i], Name: "(address)", How: "place in the entry's address", Weight: round3(a.wq[i] / tot)})
	}
	if a.placedC >= 0 {
		ts = append(ts, tradescreen.TokenMatch{Query: "(not in query)", Name: c.toks[a.placedC], How: "place in the entry's address", Weight: round3(a.wc[a.placedC] / tot)})
	}
	for i := range q.toks {
		if !a.usedQ[i] && a.wq[i] < q.w[i] && normalize.IsRegion(q.toks[i]) {
			ts = append(ts, tradescreen.TokenMatch{Query: q.toks[i], Name: "(not in name)", How: "region", Weight: round3(a.wq[i] / tot)})
		}
	}
	for j := range c.toks {
		if !a.usedC[j] && a.wc[j] < c.w[j] && normalize.IsRegion(c.toks[j]) {
			ts = append(ts, tradescreen.TokenMatch{Query: "(not in query)", Name: c.toks[j], How: "region", Weight: round3(a.wc[j] / tot)})
		}
	}
	for _, k := range a.legalQ {
		ts = append(ts, tradescreen.TokenMatch{Query: q.toks[k], Name: "(legal form of the name)", How: "legal form written apart", Weight: round3(a.wq[k] / tot)})
	}
	for _, k := range a.legalC {
		ts = append(ts, tradescreen.TokenMatch{Query: "(legal form of the query)", Name: c.toks[k], How: "legal form written apart", Weight: round3(a.wc[k] / tot)})
	}
	for _, k := range a.acroQ {
		ts = append(ts, tradescreen.TokenMatch{Query: q.toks[k], Name: "(initials of the name)", How: "acronym", Similarity: 1, Weight: round3(a.wq[k] / tot)})
	}
	for _, k := range a.acroC {
		ts = append(ts, tradescreen.TokenMatch{Query: "(initials of the query)", Name: c.toks[k], How: "acronym", Similarity: 1, Weight: round3(a.wc[k] / tot)})
	}
	return ts
}

// middles multiplies by factor the weight of the tokens of s left unmatched between its first and last
// matched tokens: a person's middle names.
func middles(s *side, used []bool, w []float64, factor float64) {
	first, last := -1, -1
	for j := range s.toks {
		if used[j] {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	for j := first + 1; j < last; j++ {
		if !used[j] {
			w[j] *= factor
		}
	}
}

// givenAndSurname reports whether the given name and the surname of the listed person's name are matched as
// written or as a romanization variant, or one of them so and the other by its sound ("Usama bin Ladin" for
// "Usāma bin Muhammad ibn Awad ibn Lādin"; not by a typo: "Aleksandra" is not Aleksandr): the first and last
// words of "Given Middle Surname", the first word after the comma and the first word of "SURNAME, Given
// Middle".
func givenAndSurname(a *alignment) bool {
	c := a.c
	given, surname := givenSurnamePos(c)
	if given < 0 {
		return false
	}
	written := func(k int) bool { return a.usedC[k] && a.simC[k] >= 0.95 && len(c.toks[k]) > 1 }
	sounds := func(k int) bool {
		for _, p := range a.chosen {
			if len(p.cj) == 1 && p.cj[0] == k {
				return p.how == "phonetic" && len(c.toks[k]) > 1
			}
		}
		return false
	}
	return written(given) && (written(surname) || sounds(surname)) || sounds(given) && written(surname)
}

// surnameMaxDF bounds the names a surname screened alone may be in: "Khan", "Ali" or "Mohammed" alone name
// hundreds of listed persons and so none of them.
const surnameMaxDF = 100

// surnameAlone reports whether the query is one word of four letters or more and nothing else but titles,
// aligned as written (or as a romanization variant) with the surname of a listed person's name of two words
// or more (its last word, or the first of "SURNAME, Given"), a surname in at most surnameMaxDF listed names.
func (ix *Index) surnameAlone(a *alignment) bool {
	q, c := a.q, a.c
	if !a.person || q.words != 1 || len(a.chosen) != 1 || c.words < 2 {
		return false
	}
	p := a.chosen[0]
	if len(p.qi) != 1 || len(p.cj) != 1 || p.sim < 0.95 || len(q.toks[p.qi[0]]) < 4 {
		return false
	}
	for i := range q.toks {
		if i != p.qi[0] && q.cls[i] != normalize.Honorific {
			return false // an article or a particle too ("AL-NASIR"): the name as written is more than the surname
		}
	}
	if p.cj[0] != surnamePos(c) {
		return false
	}
	id, ok := ix.dict[c.toks[p.cj[0]]]
	return ok && ix.toks[id].df <= surnameMaxDF
}

// surnamePos returns the position of the surname of a person's name of two words or more: its last word, or
// in "LAST, Given" the first; -1 if none.
func surnamePos(s *side) int {
	first, last := -1, -1
	for k := range s.toks {
		if s.cls[k] == normalize.Word {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first == last {
		return -1
	}
	if s.comma > 0 && first < s.comma && last >= s.comma {
		return first
	}
	return last
}

// twoOfTheNames reports whether the query is two words, each aligned as written (or as a romanization
// variant) with a word of the listed person's name of three words or more, in the same order, the second its
// surname (the first of "SURNAME, Given Middle"). Not the given name and a middle name without the surname:
// "Mohammad Ali" is the given name of "Mohammad Ali JAFARI" and of a hundred other listed persons.
func twoOfTheNames(a *alignment) bool {
	q, c := a.q, a.c
	if q.words != 2 || len(a.chosen) != 2 {
		return false
	}
	given, surname := givenSurnamePos(c)
	if given < 0 {
		return false
	}
	p, r := a.chosen[0], a.chosen[1]
	if len(p.qi) != 1 || len(p.cj) != 1 || len(r.qi) != 1 || len(r.cj) != 1 || p.sim < 0.95 || r.sim < 0.95 {
		return false
	}
	if (p.qi[0] < r.qi[0]) != (p.cj[0] < r.cj[0]) {
		return false
	}
	last := max(p.cj[0], r.cj[0])
	if c.comma > 0 {
		last = min(p.cj[0], r.cj[0])
	}
	return last == surname && len(c.toks[p.cj[0]]) > 1 && len(c.toks[r.cj[0]]) > 1
}

// givenSurnamePos returns the positions of the given name and the surname of a person's name of three words
// or more: the first and the last word, or, in "LAST, Given Middle", the first word and the first after the
// comma; -1, -1 when the name has fewer words or no given name.
func givenSurnamePos(s *side) (given, surname int) {
	var words [32]int
	ws := words[:0]
	for k := range s.toks {
		if s.cls[k] == normalize.Word && len(ws) < len(words) {
			ws = append(ws, k)
		}
	}
	if len(ws) < 3 {
		return -1, -1
	}
	given, surname = ws[0], ws[len(ws)-1]
	if s.comma > 0 {
		surname = ws[0]
		given = -1
		for _, k := range ws {
			if k >= s.comma {
				given = k
				break
			}
		}
		if given < 0 || given == surname {
			return -1, -1
		}
	}
	return given, surname
}

// surnameWrittenTwice aligns the query's last word with the name's surname when the alignment gave it an
// earlier word of the name written the same ("OSMAN MOHAMED" against "OSMAN MOHAMED HAMID MOHAMED", "Abdul
// AKHUND" against "Abdul Razaq Akhund LALA AKHUND"): of a name's two same words, the query's last word is
// the surname.
func surnameWrittenTwice(a *alignment) {
	q, c := a.q, a.c
	_, sur := givenSurnamePos(c)
	if sur < 0 || a.usedC[sur] || c.comma > 0 {
		return
	}
	last := -1
	for i := range q.toks {
		if q.cls[i] == normalize.Word {
			last = i
		}
	}
	for k := range a.chosen {
		p := &a.chosen[k]
		if len(p.qi) == 1 && len(p.cj) == 1 && p.qi[0] == last && p.cj[0] < sur && c.toks[p.cj[0]] == c.toks[sur] {
			j := p.cj[0]
			a.usedC[sur], a.simC[sur] = true, a.simC[j]
			a.usedC[j], a.simC[j] = false, 0
			p.cj[0] = sur
			return
		}
	}
}

// heaviestMatched returns the weight of the heaviest word of s aligned with the other side.
func heaviestMatched(s *side, used []bool) float64 {
	best := 0.0
	for k := range s.toks {
		if used[k] && s.cls[k] == normalize.Word {
			best = max(best, s.w[k])
		}
	}
	return best
}

// anyUnmatchedWord reports whether a word of s is left without a partner.
func anyUnmatchedWord(s *side, used []bool) bool {
	for k := range s.toks {
		if !used[k] && s.cls[k] == normalize.Word {
			return true
		}
	}
	return false
}

// ownAcronym marks as found (in used and sim) each word of three to eight letters of a left over that is
// the acronym of b's words, when a has other words aligned, and returns their positions.
func ownAcronym(a, b *side, used []bool, sim []float64) []int {
	var out []int
	if len(b.toks) < 2 {
		return nil
	}
	for k, t := range a.toks {
		if used[k] || a.cls[k] != normalize.Word || len(t) < 3 || len(t) > 8 || len(t) > len(b.toks) {
			continue
		}
		other := false
		for i := range a.toks {
			other = other || i != k && used[i] && a.cls[i] == normalize.Word
		}
		if other && hasAcronym(b, t) {
			used[k], sim[k] = true, 1
			out = append(out, k)
		}
	}
	return out
}

// matchedWords counts the words of s aligned with a token of the other side spelt the same or nearly (not
// an initial).
func matchedWords(s *side, used []bool, sim []float64) int {
	n := 0
	for k := range s.toks {
		if used[k] && s.cls[k] == normalize.Word && sim[k] >= 0.8 {
			n++
		}
	}
	return n
}

// sameAsWritten reports whether every word, number and legal form of one side (the query's when ofQuery is
// set, else the name's) is aligned with tokens written the same way as it is (before abbreviations and legal
// forms are made canonical).
func sameAsWritten(q, c *side, chosen []pair, ofQuery bool) bool {
	s, n := c, 0
	if ofQuery {
		s = q
	}
	for k := range s.toks {
		if s.cls[k] != normalize.Stop && s.cls[k] != normalize.Honorific {
			n++
		}
	}
	for _, p := range chosen {
		if !sameRaw(q, c, p) {
			continue
		}
		ks := p.cj
		if ofQuery {
			ks = p.qi
		}
		for _, k := range ks {
			if s.cls[k] != normalize.Stop && s.cls[k] != normalize.Honorific {
				n--
			}
		}
	}
	return n <= 0
}

// sameRaw reports whether the query tokens of p, written as one, are the name tokens of p written as one.
func sameRaw(q, c *side, p pair) bool {
	// Walk both concatenations a byte at a time without building them.
	i, ii, j, jj := 0, 0, 0, 0 // token index in p.qi / p.cj, byte offset in it
	for {
		for i < len(p.qi) && ii == len(q.raw[p.qi[i]]) {
			i, ii = i+1, 0
		}
		for j < len(p.cj) && jj == len(c.raw[p.cj[j]]) {
			j, jj = j+1, 0
		}
		if i == len(p.qi) || j == len(p.cj) {
			return i == len(p.qi) && j == len(p.cj)
		}
		if q.raw[p.qi[i]][ii] != c.raw[p.cj[j]][jj] {
			return false
		}
		ii++
		jj++
	}
}

// rawLetters counts the letters of the words and numbers of s as written, and of its legal forms as
// canonical ("llc" for "Obshchestvo s Ogranichennoy Otvetstvennostyu").
func rawLetters(s *side) int {
	n := 0
	for k := range s.toks {
		switch s.cls[k] {
		case normalize.Word, normalize.Number:
			n += len(s.raw[k])
		case normalize.Legal:
			n += len(s.toks[k])
		}
	}
	return n
}

// substitutions counts the unmatched distinctive words that stand against each other, and whether two
// different numbers do.
func substitutions(q, c *side, usedQ, usedC []bool, person bool) (int, bool) {
	count := func(s *side, used []bool) (words, nums int) {
		for k := range s.toks {
			if used[k] {
				continue
			}
			switch {
			case s.cls[k] == normalize.Number:
				nums++
			case s.cls[k] == normalize.Word && (len(s.toks[k]) > 1 || person):
				// In a person's name an initial left over against another name part is a different
				// name: "William G. Frost" is not "William W. Frost".
				words++
			}
		}
		return
	}
	qw, qn := count(q, usedQ)
	cw, cn := count(c, usedC)
	return min(qw+qn, cw+cn), qn > 0 || cn > 0
}

// regions lowers, by factor, the weight w of the unmatched region words of s that weigh no more than the
// heaviest matched query word (qw: the query's weights, simQ: their similarities).
func regions(s *side, used []bool, simQ, qw, w []float64, factor float64) {
	best := -1.0
	for k := range s.toks {
		if used[k] || s.cls[k] != normalize.Word || !normalize.IsRegion(s.toks[k]) {
			continue
		}
		if best < 0 {
			best = 0
			for i, sim := range simQ {
				if sim > 0 {
					best = max(best, qw[i])
				}
			}
		}
		if s.w[k] <= best {
			w[k] *= factor
		}
	}
}

// unmatchedNumber returns the first number of s left without a partner, or "", and whether it is written as
// an ordinal.
func unmatchedNumber(s *side, used []bool) (string, bool) {
	for k := range s.toks {
		if !used[k] && s.cls[k] == normalize.Number {
			return s.toks[k], ordinal(s.raw[k])
		}
	}
	return "", false
}

// ordinal reports whether a number token, as written, is an ordinal: digits with st, nd, rd or th ("14th"), or
// a word ("second", "thirteenth"). An ordinal numbers a unit of an organization (the 14th Research Institute,
// the Second Academy), each of them a party of its own, not a member of a series as a fund's roman numeral.
func ordinal(raw string) bool {
	if len(raw) < 3 || isDigits(raw) {
		return false
	}
	switch raw[len(raw)-2:] {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// designation reports whether number n is of three digits or more and no year (1900 to 2099).
func designation(n string) bool {
	return len(n) >= 3 && !(len(n) == 4 && (n[:2] == "19" || n[:2] == "20"))
}

// otherWord reports whether exactly one word (not a number, not an initial) is left unaligned on each side,
// every other word, number and legal form is aligned, and the two words, of about the same length, are three
// edits or more apart (a word joined to its neighbour or to a legal form is left to the whole-name
// comparison).
func otherWord(q, c *side, usedQ, usedC []bool) bool {
	left := func(s *side, used []bool) (string, bool) {
		w := ""
		for k := range s.toks {
			if used[k] {
				continue
			}
			switch s.cls[k] {
			case normalize.Number, normalize.Legal:
				return "", false
			case normalize.Word:
				if w != "" || len(s.toks[k]) < 2 {
					return "", false
				}
				w = s.toks[k]
			}
		}
		return w, w != ""
	}
	a, ok := left(q, usedQ)
	if !ok {
		return false
	}
	b, ok := left(c, usedC)
	return ok && abs(len(a)-len(b)) <= 2 && damerau(a, b, 2) > 2
}

// patronymConnectors join a given name to the father's or family name ("Omar bin Abdullah").
var patronymConnectors = map[string]bool{"bin": true, "ibn": true, "ben": true, "bint": true, "binti": true, "ould": true, "walad": true, "bte": true, "binte": true}

// patronymSwapped reports whether the name before "bin" on one side is aligned with the name after "bin" on
// the other: "Abdullah bin Omar" is Omar's son, "Omar bin Abdullah" Abdullah's.
func patronymSwapped(q, c *side, chosen []pair) bool {
	// The connector of a name that has exactly one ("A bin B bin C" says too much for this rule).
	conn := func(s *side) int {
		at := -1
		for k, t := range s.toks {
			if patronymConnectors[t] {
				if at >= 0 || k == 0 || k+1 == len(s.toks) {
					return -1
				}
				at = k
			}
		}
		return at
	}
	qi, cj := conn(q), conn(c)
	if qi < 0 || cj < 0 {
		return false
	}
	for _, p := range chosen {
		if len(p.qi) == 1 && len(p.cj) == 1 {
			if p.qi[0] == qi-1 && p.cj[0] == cj+1 || p.qi[0] == qi+1 && p.cj[0] == cj-1 {
				return true
			}
		}
	}
	return false
}

// initialRuns finds tokens of a that are the initials of two or three consecutive words of b.
func initialRuns(out []pair, buf *scoreBuf, a, b *side, swap bool, sim float64) []pair {
	for i, t := range a.toks {
		if a.cls[i] != normalize.Word || len(t) < 2 || len(t) > 3 || len(t) > len(b.toks) {
			continue
		}
		n := len(t)
		for j := 0; j+n <= len(b.toks); j++ {
			ok := true
			var w float64
			cj := buf.ints(make([]int, n)...)
			for k := 0; k < n; k++ {
				if b.cls[j+k] != normalize.Word || b.toks[j+k][0] != t[k] || len(b.toks[j+k]) < 2 {
					ok = false
					break
				}
				cj[k] = j + k
				w += b.w[j+k]
			}
			if !ok {
				continue
			}
			p := pair{qi: buf.ints(i), cj: cj, sim: sim, how: "initials", w: a.w[i] + w}
			if swap {
				p.qi, p.cj = cj, buf.ints(i)
			}
			out = append(out, p)
		}
	}
	return out
}

// joinSim compares words written as one (joined) with a token written as one (tok); either may be a
// buffer.
func joinSim[A, B string | []byte](p *Params, joined A, tok B) float64 {
	if len(tok) < 4 {
		return 0
	}
	if equalBytes(joined, tok) {
		return p.JoinedSim
	}
	budget := maxEdits(len(tok))
	if d := damerau(joined, tok, budget); d <= budget {
		return p.JoinedSim * editSim(joined, tok, d, p.TypoCost)
	}
	return 0
}

// minAcronym is the shortest acronym matched: three letters name too many things.
const minAcronym = 4

// acronymScore is AcronymSim when one side is a single word of minAcronym to eight letters that is the
// acronym of the other side's three or more tokens (hasAcronym), else 0.
//
// A single word written with a legal form of its own ("STEM, INC.", "BALL Corp") is the name of that company, not
// an abbreviation of another's: it is read as the acronym of the other name only when that name carries the
// same legal form ("KNIC Corporation" for "Korean National Insurance Corporation"), not another
// one or none ("STEM, INC." is not "State Trading Enterprise for Machinery").
func (ix *Index) acronymScore(q, c *side) float64 {
	if _, own := acronymWord(q, c); own {
		return ix.p.AcronymSim
	}
	return 0
}

// acronymWord returns the single word of one side that is the acronym of the other side's words, "" if
// none, and whether it may be read so (ownForm).
func acronymWord(q, c *side) (string, bool) {
	if a, ok := singleWord(q); ok && len(a) >= minAcronym && len(a) <= 8 && len(c.toks) >= 3 && hasAcronym(c, a) {
		return a, ownForm(q, c)
	}
	if a, ok := singleWord(c); ok && len(a) >= minAcronym && len(a) <= 8 && len(q.toks) >= 3 && hasAcronym(q, a) {
		return a, ownForm(c, q)
	}
	return "", false
}

// ownForm reports whether every legal form of the one-word side a is among the legal forms of the other
// side b (true when a has none): the condition for reading a's word as b's acronym.
func ownForm(a, b *side) bool {
	for k, t := range a.toks {
		if a.cls[k] == normalize.Legal && !hasLegal(b, t) {
			return false
		}
	}
	return true
}

func hasLegal(s *side, form string) bool {
	for k, t := range s.toks {
		if s.cls[k] == normalize.Legal && t == form {
			return true
		}
	}
	return false
}

func singleWord(s *side) (string, bool) {
	if s.words != 1 {
		return "", false
	}
	for k, t := range s.toks {
		if s.cls[k] == normalize.Word {
			return t, true
		}
	}
	return "", false
}

// hasAcronym reports whether a is the initials of side s: of its words, numbers and legal forms (a legal
// form by its first letter as written, "KNIC" for "Korean National Insurance Corporation"), one of them
// skipped when there are four or more, or of its words and numbers alone ("TEUVT" for "TURIRA ENDUSTRIYEL
// URUNLER VE TICARET LIMITED SIRKETI", whose legal form is two tokens).
func hasAcronym(s *side, a string) bool {
	var buf, wbuf [16]byte
	init, words := buf[:0], wbuf[:0]
	for k, t := range s.toks {
		switch s.cls[k] {
		case normalize.Word, normalize.Number:
			init = append(init, t[0])
			words = append(words, t[0])
		case normalize.Legal:
			init = append(init, s.raw[k][0])
		}
	}
	if string(init) == a || len(words) >= minAcronym && string(words) == a {
		return true
	}
	if len(init) >= 4 && len(a) == len(init)-1 {
		for skip := range init {
			if string(init[:skip]) == a[:skip] && string(init[skip+1:]) == a[skip:] {
				return true
			}
		}
	}
	return false
}

func summary(score float64, how string, chosen []pair, ex tradescreen.Explanation) string {
	switch how {
	case "whole name":
		return tradescreen.FormatScore(score) + ": the whole name matches with other word breaks"
	case "acronym":
		return tradescreen.FormatScore(score) + ": one name is the acronym of the other"
	case "characters":
		return tradescreen.FormatScore(score) + ": the names as written in their script differ in some characters"
	}
	counts := map[string]int{}
	for _, p := range chosen {
		counts[p.how]++
	}
	var parts []string
	for _, h := range []string{"exact", "legal form", "name variant", "nickname", "typo", "phonetic", "near spelling", "initial", "initials", "joined", "split", "cut short", "abbreviation"} {
		if n := counts[h]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, h))
		}
	}
	s := tradescreen.FormatScore(score) + ": " + strings.Join(parts, ", ")
	if len(chosen) == 0 {
		s = tradescreen.FormatScore(score) + ": no tokens align"
	}
	if len(ex.QueryUnmatched) > 0 {
		s += "; query words not in name: " + strings.Join(ex.QueryUnmatched, " ")
	}
	if len(ex.NameUnmatched) > 0 {
		s += "; name words not in query: " + strings.Join(ex.NameUnmatched, " ")
	}
	return s
}

// adjust applies evidence beyond the name. It never takes an exact name match below the threshold: the
// explanation says what disagrees instead.
func adjust(sc, threshold float64, q tradescreen.Query, e *tradescreen.Entry, ex *tradescreen.Explanation) float64 {
	orig := sc
	if q.Kind != "" && q.Kind != tradescreen.KindUnknown && e.Kind != tradescreen.KindUnknown && e.Kind != "" && q.Kind != e.Kind {
		if q.Kind == tradescreen.KindPerson || e.Kind == tradescreen.KindPerson {
			sc *= 0.85
			ex.Adjustments = append(ex.Adjustments, fmt.Sprintf("type differs: query %s, entry %s (x0.85)", q.Kind, e.Kind))
		} else {
			sc *= 0.97
			ex.Adjustments = append(ex.Adjustments, fmt.Sprintf("type differs: query %s, entry %s (x0.97)", q.Kind, e.Kind))
		}
	}
	if c := strings.ToUpper(strings.TrimSpace(q.Country)); c != "" {
		if cs := e.Countries(); len(cs) > 0 {
			in := false
			for _, x := range cs {
				in = in || x == c
			}
			if in {
				sc = math.Min(1, sc+0.02)
				ex.Adjustments = append(ex.Adjustments, "country "+c+" matches the entry (+0.02)")
			} else {
				// A country that differs ranks the match lower but does not hide it: a listed party
				// trades, is registered and is written about in other countries than the list's.
				before := sc
				sc *= 0.95
				note := fmt.Sprintf("country %s not among the entry's %s (x0.95)", c, strings.Join(cs, ", "))
				if before >= threshold && sc < threshold {
					sc = threshold
					note += "; the name matches, so the match stays at the alert threshold"
				}
				ex.Adjustments = append(ex.Adjustments, note)
			}
		}
	}
	if q.BirthDate != "" && len(e.BirthDates) > 0 && len(q.BirthDate) >= 4 {
		qy := q.BirthDate[:4]
		match, comparable := false, false
		for _, d := range e.BirthDates {
			if len(d) >= 4 && isDigits(d[:4]) {
				comparable = true
				if d[:4] == qy || strings.Contains(d, qy) {
					match = true
				}
			}
		}
		if match {
			sc = math.Min(1, sc+0.03)
			ex.Adjustments = append(ex.Adjustments, "year of birth "+qy+" matches (+0.03)")
		} else if comparable {
			sc *= 0.85
			ex.Adjustments = append(ex.Adjustments, "year of birth "+qy+" differs from "+strings.Join(e.BirthDates, ", ")+" (x0.85)")
		}
	}
	for _, qi := range q.Identifiers {
		qn := normID(qi.Number)
		if qn == "" {
			continue
		}
		for _, id := range e.Identifiers {
			if normID(id.Number) == qn {
				sc = math.Min(1, sc+0.1)
				ex.Adjustments = append(ex.Adjustments, fmt.Sprintf("identifier %s %s matches (+0.10)", id.Type, id.Number))
			}
		}
	}
	if orig >= 0.999 && sc < threshold {
		ex.Adjustments = append(ex.Adjustments, "exact name match kept at the alert threshold despite the differences above")
		sc = threshold
	}
	return sc
}

func normID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Compare scores name a against name b (a plays the query) and explains the score.
func (ix *Index) Compare(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation) {
	sc, ex := ix.compare(a, b, kind)
	// A name string that holds several names is compared name by name too, as Search screens it: a as a
	// query (normalize.QueryParts), b as a listed name (normalize.Parts) — "Sense Time" against "... Co.,
	// Ltd., and Sense Time".
	pa, pb := normalize.QueryParts(a), normalize.Parts(b)
	if pa == nil && pb == nil {
		return sc, ex
	}
	as := append([]normalize.Part{{Text: a}}, pa...)
	bs := append([]normalize.Part{{Text: b}}, pb...)
	for i, x := range as {
		for j, y := range bs {
			if i == 0 && j == 0 {
				continue
			}
			s, e := ix.compare(x.Text, y.Text, kind)
			if s > sc {
				for _, p := range [2]normalize.Part{x, y} {
					if p.Note != "" {
						e.Adjustments = append(e.Adjustments, "compared \""+p.Text+"\" ("+p.Note+")")
					}
				}
				sc, ex = s, e
			}
		}
	}
	return sc, ex
}

// compare is Compare for two names as written.
func (ix *Index) compare(a, b string, kind tradescreen.Kind) (float64, tradescreen.Explanation) {
	person := kind == tradescreen.KindPerson
	qa := normalize.Tokens(a, normalize.Options{Person: person})
	qb := normalize.Tokens(b, normalize.Options{Person: person})
	if len(qa) == 0 || len(qb) == 0 {
		return 0, tradescreen.Explanation{Summary: "0.00: a name has no letters or digits"}
	}
	sa, sb := ix.prepare(qa), ix.prepare(qb)
	sa.person, sb.person = person, person
	sa.syl, sb.syl = normalize.Syllabic(a), normalize.Syllabic(b)
	sa.nonLatin, sb.nonLatin = nonLatin(a), nonLatin(b)
	ix.readAsWritten(sa, a, qa)
	ix.readAsWritten(sb, b, qb)
	sa.cut = cutWords(a, qa)
	sa.setComma(int(commaTokens(a, len(qa))))
	sb.setComma(int(commaTokens(b, len(qb))))
	sc, ex := ix.score(sa, sb, true, nil)
	// Two names in different scripts are compared as read in Latin letters: say how.
	if sca, scb := normalize.Script(a), normalize.Script(b); sca != scb {
		for _, n := range [2][2]string{{a, sca}, {b, scb}} {
			if note := scriptNote(n[0], n[1]); note != "" {
				ex.Adjustments = append(ex.Adjustments, note)
			}
		}
	}
	if person {
		for _, n := range [2]string{a, b} {
			if sfx := normalize.GenerationalSuffix(n); sfx != "" {
				ex.Adjustments = append(ex.Adjustments, "suffix "+strings.ToUpper(sfx)+" ignored")
			}
		}
	}
	// A name written in Wade-Giles against its pinyin ("Mao Tse-tung", "Mao Zedong"), or a person's name in
	// the German, French, Latvian or Lithuanian transcription of Cyrillic against the English one, either way round.
	// factor scales a reading's score (a reading that guesses, as the vowels of Arabic script, says less).
	type reading struct {
		text, note string
		factor     float64
	}
	readings := func(s string) []reading {
		f := normalize.Fold(s)
		var rs []reading
		for _, r := range normalize.WadeGiles(f) {
			rs = append(rs, reading{r, "read from Wade-Giles as pinyin: " + r, 1})
		}
		if h := normalize.HangulReading(s); h != "" {
			rs = append(rs, reading{h, "romanized from Hangul (Revised Romanization): " + h, 1})
		}
		for _, c := range normalize.EnglishReadings(s) {
			rs = append(rs, reading{c, "read in English: " + c, 1})
		}
		if kind == tradescreen.KindPerson || kind == "" {
			for _, r := range normalize.JapaneseReadings(s) {
				rs = append(rs, reading{r, "read as Japanese: " + r, 1})
			}
		}
		if (kind == tradescreen.KindPerson || kind == "") && !nonLatin(s) {
			for _, r := range normalize.SlavicReadings(f) {
				rs = append(rs, reading{r, "read from the German, French or Baltic transcription of Cyrillic: " + r, 1})
			}
		}
		return rs
	}
	for k, pair := range [2][2]string{{a, b}, {b, a}} {
		rs := readings(pair[0])
		if r, _ := ix.arabicReading(pair[0], strings.Fields(normalize.Fold(pair[1]))); r != "" {
			rs = append(rs, reading{r, "read from the Arabic letters: " + r, arabicReadingFactor})
		}
		for _, rd := range rs {
			r := rd.text
			sr := ix.prepare(normalize.Tokens(r, normalize.Options{Person: person}))
			so := sb
			if k == 1 {
				so = sa
			}
			sr.person = person
			sr.syl = normalize.Syllabic(pair[0])
			var s float64
			var e tradescreen.Explanation
			if k == 0 {
				s, e = ix.score(sr, so, true, nil)
			} else {
				s, e = ix.score(so, sr, true, nil)
			}
			if rd.factor != 1 {
				s *= rd.factor
				e.Summary = rescored(e.Summary, s)
			}
			if s > sc {
				e.Adjustments = append(e.Adjustments, rd.note)
				sc, ex = s, e
			}
		}
	}
	return floor3(sc), ex
}

// Match implements tradescreen.Matcher.
func (ix *Index) Match(q tradescreen.Query) []tradescreen.Match { return ix.Search(q) }

var _ tradescreen.Matcher = (*Index)(nil)

// scriptNote says how a name written in script (normalize.Script; "" for Latin) was read in Latin letters
// for the comparison ("romanized from Hangul (McCune–Reischauer): kim jong un"), or "" for a Latin name.
func scriptNote(name, script string) string {
	var how string
	switch script {
	case "":
		return ""
	case "Hangul":
		how = "romanized from Hangul (McCune–Reischauer)"
	case "Han":
		how = "read from the Chinese characters in pinyin"
	case "Hiragana", "Katakana":
		how = "romanized from the Japanese kana"
	case "Arabic":
		how = "transliterated from Arabic script, short vowels unwritten"
	default:
		how = "transliterated from " + script
	}
	return how + ": " + normalize.Fold(name)
}
