package match

import (
	"slices"
	"strings"
	"sync"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// A name written in Arabic script alone is also read with the Latin spellings of its words: a word the
// tables of normalize do not know ("طیب", transliterated "tyb") is read as the word of the lists that its
// letters spell with short vowels added ("tayeb", normalize.AbjadFits), so that "الله داد طیب ولی محمد" finds
// ALLAH DAD TAYEB WALI MUHAMMAD.

// arabicReadingFactor scales the score of a name read from its Arabic letters: the short vowels are guessed,
// so a name read so is at best a near match, never an exact one.
const arabicReadingFactor = 0.95

// abjadTable holds the lists' words of three letters or more under their normalize.AbjadKey, built on the
// first query in Arabic script.
type abjadTable struct {
	once sync.Once
	keys map[string][]int32
}

// abjadIndex returns the abjad table, built once.
func (ix *Index) abjadIndex() map[string][]int32 {
	t := ix.abjad
	t.once.Do(func() {
		t.keys = map[string][]int32{}
		for id := range ix.toks {
			w := ix.toks[id].text
			if len(w) < 3 || isDigits(w) || !ix.toks[id].latin {
				continue
			}
			k := normalize.AbjadKey(w)
			t.keys[k] = append(t.keys[k], int32(id))
		}
	})
	return t.keys
}

// arabicReading returns name, written in Arabic script alone, read with the Latin spelling of each of its
// transliterated words that a word of the lists fits, and the transliteration of each word so read: the
// word of prefer (the other name of a comparison) or else of the lists that the letters spell at least cost,
// the lists' most frequent of those. Two or three words the lists write as one are read so first: a name
// and the article or Allah after it ("جلال الدين" Jalaluddin, "رحمت الله" Rahmatullah), a name in two words
// ("ما يشو" Maychou). It returns "" when the name is not in Arabic script alone or no word was read so.
func (ix *Index) arabicReading(name string, prefer []string) (string, map[string]string) {
	if !normalize.ArabicOnly(name) {
		return "", nil
	}
	// A zero-width non-joiner ends a part of a Persian word (خامنه‌ای, احمدی‌نژاد): read the parts as words,
	// which the lists may write as one.
	words := strings.Fields(normalize.Fold(strings.ReplaceAll(name, "\u200c", " ")))
	out := make([]string, 0, len(words))
	roman := map[string]string{}
	for i := 0; i < len(words); {
		read := false
		for n := 3; n >= 2 && !read; n-- {
			if i+n > len(words) {
				continue
			}
			if r, ok := joinedRoman(words[i : i+n]); ok {
				if w := ix.abjadWord(r, prefer); w != "" {
					out = append(out, w)
					roman[w] = r
					i += n
					read = true
				}
			}
		}
		if read {
			continue
		}
		w := words[i]
		if len(w) >= 3 && !normalize.ArabicSpelling(w) && !isDigits(w) {
			if l := ix.abjadWord(w, prefer); l != "" {
				roman[l] = w
				w = l
			} else if parts := ix.abjadSplit(w, prefer); parts != nil {
				for k := 0; k+1 < len(parts); k += 2 {
					if parts[k+1] != "" {
						roman[parts[k]] = parts[k+1]
					}
					out = append(out, parts[k])
				}
				i++
				continue
			}
		}
		out = append(out, w)
		i++
	}
	if len(roman) == 0 {
		return "", nil
	}
	return strings.Join(out, " "), roman
}

// joinedRoman writes words, transliterated from Arabic, as one: the article as @, Allah as @lh, and a break
// | between two names (where a final h may be silent). The first word is a transliterated name, every other
// word one too or the article or Allah.
func joinedRoman(words []string) (string, bool) {
	var b strings.Builder
	if last := words[len(words)-1]; last == "al" {
		return "", false // the article leads the word after
	}
	for k, w := range words {
		switch {
		case k > 0 && w == "al":
			b.WriteString("@")
		case k > 0 && w == "allah":
			b.WriteString("@lh")
		case normalize.ArabicSpelling(w) || isDigits(w) || len(w) < 2:
			return "", false
		default:
			if k > 0 && words[k-1] != "al" {
				b.WriteByte('|')
			}
			b.WriteString(w)
		}
	}
	return b.String(), true
}

// abjadSplit reads roman, a word transliterated from Arabic that no word of the lists fits, as two words the
// lists write apart ("خدايرحيم" KHUDAI RAHIM), the second maybe led by the article ("أبواليزيد" ABOU EL
// YAZID): each part of three letters or more fitting a word of prefer or the lists, the split of least cost.
// It returns the words read, each followed by its transliteration ("" for the article), or nil.
func (ix *Index) abjadSplit(roman string, prefer []string) []string {
	if len(roman) < 6 || strings.ContainsAny(roman, "@|") {
		return nil
	}
	var best []string
	bestCost := -1
	for cut := 3; cut+3 <= len(roman); cut++ {
		head, tail := roman[:cut], roman[cut:]
		first, c1 := ix.abjadWordCost(head, prefer)
		if first == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(tail, "al"); ok && len(rest) >= 3 {
			if second, c2 := ix.abjadWordCost(rest, prefer); second != "" && (bestCost < 0 || c1+c2 < bestCost) {
				best, bestCost = []string{first, head, "al", "", second, rest}, c1+c2
			}
		}
		if second, c2 := ix.abjadWordCost(tail, prefer); second != "" && (bestCost < 0 || c1+c2 < bestCost) {
			best, bestCost = []string{first, head, second, tail}, c1+c2
		}
	}
	return best
}

// abjadWord returns the word that roman, a word transliterated from Arabic, spells at least cost with short
// vowels added: of prefer if one fits, else of the lists, the most frequent of those of least cost; "" if
// none.
func (ix *Index) abjadWord(roman string, prefer []string) string {
	w, _ := ix.abjadWordCost(roman, prefer)
	return w
}

// abjadWordCost is abjadWord with the cost (normalize.AbjadCost) of the word returned; a word of prefer
// costs nothing, so that a split into the other name's words wins (abjadSplit).
func (ix *Index) abjadWordCost(roman string, prefer []string) (string, int) {
	best, bestCost := "", -1
	for _, p := range prefer {
		if c, ok := normalize.AbjadCost(roman, p); ok && (bestCost < 0 || c < bestCost) {
			best, bestCost = p, c
		}
	}
	if best != "" {
		return best, 0
	}
	bestDF := int32(-1)
	for _, key := range normalize.AbjadKeys(roman) {
		for _, id := range ix.abjadIndex()[key] {
			t := &ix.toks[id]
			c, ok := normalize.AbjadCost(roman, t.text)
			if ok && (bestCost < 0 || c < bestCost || c == bestCost && t.df > bestDF) {
				best, bestCost, bestDF = t.text, c, t.df
			}
		}
	}
	return best, bestCost
}

// abjadExpansions returns exps, the expansions of a word of a reading guessed from Arabic letters whose
// transliteration is roman, with every word of the lists those letters fit: the guess ("mali" for ملی) then
// finds the names that write it otherwise ("BANK MELLI IRAN"), which the scorer fits to the letters
// (tokSim). The result is carved from s.exps.
func (ix *Index) abjadExpansions(s *scratch, exps []expansion, roman string) []expansion {
	start := len(s.exps)
	s.exps = append(s.exps, exps...)
	for _, key := range normalize.AbjadKeys(roman) {
		for _, id := range ix.abjadIndex()[key] {
			if !slices.ContainsFunc(s.exps[start:], func(e expansion) bool { return e.tok == id }) && normalize.AbjadFits(roman, ix.toks[id].text) {
				s.exps = append(s.exps, expansion{id, 1})
			}
		}
	}
	return s.exps[start:len(s.exps):len(s.exps)]
}

// rescored returns summary, which opens with the score it explains ("1.00: 2 exact"), opening with score
// instead: the score of a reading scaled after the summary was written.
func rescored(summary string, score float64) string {
	if _, rest, ok := strings.Cut(summary, ": "); ok {
		return tradescreen.FormatScore(score) + ": " + rest
	}
	return summary
}
