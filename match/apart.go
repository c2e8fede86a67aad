package match

import (
	"regexp"
	"strings"

	"github.com/tradescreen/tradescreen/normalize"
)

// Words run together that the index cannot bridge: a legal form's word or a title is not part of the
// adjacent-word keys (a person's titles are dropped, a legal form is one token), and an abbreviation is
// indexed as its full word, so "ALEXSONGPTE LTD", "KOTICORP", "HajiAzizullah" and "LOBAYEINVEST" found
// nothing. writtenApart reads such a query with those words written apart.

// runTitles are the titles that transliterated names run into the name after or before them ("HajiBaz",
// "'AliHajj"). Short and Western titles are left out: "Herrmann" is no title and a name.
var runTitles = map[string]bool{
	"haji": true, "hajji": true, "hadji": true, "alhaji": true, "hajj": true, "mullah": true, "mulla": true,
	"maulana": true, "maulvi": true, "mawlawi": true, "sheikh": true, "shaikh": true, "shaykh": true,
	"sayyid": true, "seyed": true, "syed": true, "sayed": true, "mufti": true, "qari": true, "ayatollah": true,
	"general": true, "colonel": true, "sultan": true,
}

// dottedForm is a word that ends in a dotted legal form written onto it: "KPDS.A.", "COMPANYS.A.S.".
var dottedForm = regexp.MustCompile(`^([A-Za-z]{2,}?)([A-Za-z](?:\.[A-Za-z])+\.?)([,;]?)$`)

// writtenApart returns the query name with each word the lists never write, that is a word of the lists run
// together with a legal form's word, a title or an abbreviation, written apart ("ALEXSONG PTE LTD", "Haji
// Azizullah", "KPD S.A."), or "" when it has no such word. The query as written is screened too; this
// reading only adds what it finds.
func (ix *Index) writtenApart(name string) string {
	words := strings.Fields(name)
	changed := false
	for i, w := range words {
		if strings.Count(w, ".") >= 2 {
			if m := dottedForm.FindStringSubmatch(w); m != nil && normalize.LegalWord(strings.ToLower(strings.ReplaceAll(m[2], ".", ""))) {
				words[i] = m[1] + " " + m[2] + m[3]
				changed = true
			}
			continue
		}
		core := strings.Trim(w, ".,;'’\"")
		if len(core) < 6 || len(core) > 64 { // no two words of the lists make a longer one
			continue
		}
		if lower := strings.ToLower(core); !normalize.LettersOnly(lower) {
			continue
		} else if at := ix.runTogether(lower); at > 0 {
			k := strings.Index(w, core) + at
			words[i] = w[:k] + " " + w[k:]
			changed = true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}

// runTogether returns where folded word w, unknown to the lists, splits into two words of which one is a
// word of the lists (three letters or more) and the other a legal form's word, a title or an abbreviation
// of one, or both legal form's words ("sociedadanonima"); 0 if it does not. The longest word of the lists
// is preferred.
func (ix *Index) runTogether(w string) int {
	if ix.known(w) {
		return 0
	}
	best, bestLen := 0, 0
	for at := 3; at <= len(w)-3; at++ {
		l, r := w[:at], w[at:]
		legalL, legalR := runLegal(l), runLegal(r)
		var n int
		switch {
		case legalL && legalR:
			n = 1
		case (legalR || runTitles[r] || abbreviated(r)) && ix.known(l):
			n = len(l)
		case runTitles[l] && ix.known(r), (legalL || abbreviated(l)) && len(r) >= 4 && ix.known(r):
			n = len(r)
		}
		if n > bestLen {
			best, bestLen = at, n
		}
	}
	return best
}

// known reports whether folded word w (or the word it abbreviates) is a word of some listed name.
func (ix *Index) known(w string) bool {
	if full, ok := normalize.Abbreviation(w); ok {
		w = full
	}
	id, ok := ix.dict[w]
	return ok && ix.toks[id].df > 0
}

// abbreviated reports whether w is an abbreviation of five letters or more ("invest"): shorter ones ("tech",
// "int") end and start too many words ("BioNTech", "INTEST").
func abbreviated(w string) bool {
	_, ok := normalize.Abbreviation(w)
	return ok && len(w) >= 5
}

// runLegal reports whether w is a legal form's word that may be run into another: four letters or more
// ("corp", "closed", "anonima"), or one of the three-letter forms no common word ends or starts with ("pte",
// "pvt", "ooo"); not "ent" or "est", which end too many words ("AVIENT", "INTEST").
func runLegal(w string) bool {
	if len(w) == 3 {
		return runLegal3[w]
	}
	return normalize.LegalWord(w)
}

var runLegal3 = map[string]bool{
	"ltd": true, "llc": true, "pte": true, "pvt": true, "plc": true, "ooo": true, "oao": true, "zao": true,
	"jsc": true, "bhd": true, "fze": true, "fzc": true,
}
