package normalize

import "strings"

// industryWords are the words of the industry part of a Chinese company's name as the lists write it in
// English ("Technology", "Development", "Electronics" ...), folded. A Chinese enterprise name is built of
// an administrative division, a trade name (字号), an industry and an organizational form ("Beijing" +
// "Zhipu Huazhang" + "Technology" + "Co., Ltd."); people and the press call the company by its trade name.
var industryWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`technology technologies tech science sciences scientific development
		electronics electronic electric electrical information informatization intelligent intelligence industry
		industrial industries trading trade import export equipment engineering semiconductor semiconductors
		microelectronics microelectronic communication communications telecommunication telecommunications network
		networks software system systems instrument instruments material materials energy digital optical
		optoelectronics optoelectronic photonics photoelectric precision machinery machine aviation aerospace
		research institute logistics manufacturing medical biotechnology biological pharmaceutical innovation data
		computing computer robotics automation integrated circuit circuits chip chips storage security display
		devices device components products international investment holding holdings group enterprise
		management service services shipping supply chain new advanced applied special ai`) {
		industryWords[w] = true
	}
}

// IndustryWord reports whether w (folded) is a word of the industry part of a company's name: "technology",
// "trading", "institute", "bank" ...
func IndustryWord(w string) bool { return industryWords[w] || orgWords[w] }

// orgWords are words of organizations' names that are no industry of a Chinese trade name's kind.
var orgWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`bank company corporation university academy center centre plant factory
		bureau ministry department office agency laboratory shipyard foundation association committee council
		organization organisation union party army front movement brigade forces force guard store stores
		construction computer computers airlines airline school college hospital mosque church studio club fund
		trust partners capital finance financial exchange market shop`) {
		orgWords[w] = true
	}
}

// TradeName returns the trade name of a Chinese company's name written in English, capitalized: the words
// after a leading place of the company (isPlace) and before its industry words, one or two words of pinyin
// of two syllables or more, four letters or more in all ("Beijing Zhipu Huazhang Technology Co., Ltd.":
// "Zhipu Huazhang"; "Chengdu Suanze Technology Co., Ltd.": "Suanze"). ok is false when the name is not built so: no industry word after the
// trade name, a trade name of three words or more or made of industry words, or a name of one part.
func TradeName(name string, isPlace func(string) bool) (string, bool) {
	if i := strings.IndexByte(name, '('); i > 0 {
		name = name[:i] // "Moore Thread Intelligent Technology (Beijing) Co., Ltd."
	}
	ws := strings.Fields(Fold(name))
	start := 0
	if len(ws) > 0 && isPlace(ws[0]) {
		start = 1
	}
	end := start
	for end < len(ws) && !industryWords[ws[end]] && !legalFirst[ws[end]] && !stopWords[ws[end]] {
		end++
	}
	if end == start || end-start > 2 || end >= len(ws) || !industryWords[ws[end]] {
		return "", false
	}
	trade := ws[start:end]
	if len(strings.Join(trade, "")) < 4 {
		return "", false
	}
	for _, w := range trade {
		if pinyinSyllableCount(w) < 2 {
			return "", false // an English word or brand ("Able", "Netposa"), read as written only
		}
	}
	out := make([]string, len(trade))
	for i, w := range trade {
		out[i] = strings.ToUpper(w[:1]) + w[1:] // pinyin is ASCII: written as a name is
	}
	return strings.Join(out, " "), true
}

// pinyinSyllableCount returns the number of pinyin syllables w is written in ("zhipu": 2, "suanze": 2), 0
// when it cannot be read as pinyin. The syllables of a consonant alone (m, n, ng, hm, hng) are not read.
func pinyinSyllableCount(w string) int {
	// best[i]: the fewest syllables that write w[:i], 0 when none.
	best := make([]int, len(w)+1)
	for i := 1; i <= len(w); i++ {
		for l := 1; l <= 6 && l <= i; l++ {
			syl := w[i-l : i]
			if !pinyinSyllables[syl] || !strings.ContainsAny(syl, "aeiouv") || (i-l > 0 && best[i-l] == 0) {
				continue
			}
			if n := best[i-l] + 1; best[i] == 0 || n < best[i] {
				best[i] = n
			}
		}
	}
	return best[len(w)]
}
