package normalize

import (
	"strings"
	"unicode"
)

// A Russian organization's name in Cyrillic says in Russian words what the lists often write in English:
// "Акционерное общество «Муромский приборостроительный завод»" is JSC Murom Instrument-Making Plant. Read
// letter by letter ("aktsionernoe obshchestvo muromskiy priborostroitelnyy zavod") it meets only the lists'
// own transliterations. RussianEnglish reads the words of russianTerms in English, and an adjective made from
// a place's name by -ский (Муромский, Ижевский) as the place (Murom, Izhevsk).

// russianTerms are the words of Russian organizations' names (kinds of organization, industries, what they
// make) in the English the lists give them, written without ё; "|" separates the ways the lists put one
// word (завод is a Plant or a Factory). Phrases of up to four words come first. A hand list.
var russianTerms = map[string]string{
	"научно-производственное объединение":               "Scientific Production Association|NPO",
	"научно-производственное предприятие":               "Scientific Production Enterprise|NPP",
	"научно-производственный центр":                     "Scientific Production Center|NPTs",
	"научно-исследовательский институт":                 "Research Institute|NII",
	"опытно-конструкторское бюро":                       "Experimental Design Bureau|OKB",
	"конструкторское бюро":                              "Design Bureau|KB",
	"производственное объединение":                      "Production Association|PO",
	"торговый дом":                                      "Trading House",
	"государственная корпорация":                        "State Corporation",
	"федеральное государственное унитарное предприятие": "Federal State Unitary Enterprise|FGUP",
	"концерн": "Concern", "корпорация": "Corporation", "компания": "Company", "группа": "Group",
	"холдинг": "Holding", "завод": "Plant|Factory", "фабрика": "Factory", "объединение": "Association",
	"предприятие": "Enterprise", "центр": "Center", "институт": "Institute", "банк": "Bank",
	"государственный": "State", "государственное": "State", "государственная": "State",
	"федеральный": "Federal", "федеральное": "Federal", "российский": "Russian", "российская": "Russian",
	"ядерный": "Nuclear", "технологии": "Technologies", "системы": "Systems", "приборостроительный": "Instrument-Making",
	"приборостроительное": "Instrument-Making", "машиностроительный": "Machine-Building",
	"машиностроительное": "Machine-Building", "механический": "Mechanical", "электромеханический": "Electromechanical",
	"оптико-механический": "Optical-Mechanical", "радиотехнический": "Radio Engineering",
	"радиозавод": "Radio Plant", "электронный": "Electronic", "электроники": "Electronics",
	"авиационный": "Aviation", "авиационная": "Aviation", "вертолеты": "Helicopters",
	"судостроительный": "Shipbuilding", "судостроительная": "Shipbuilding", "ракетный": "Missile",
	"ракетное": "Missile", "космический": "Space", "морской": "Marine", "нефть": "Oil", "нефтяная": "Oil",
	"химический": "Chemical", "металлургический": "Metallurgical", "тактическое": "Tactical",
	"вооружение": "Weapons", "вооружения": "Weapons", "оборонный": "Defense", "оборонная": "Defense",
	"промышленность": "Industry", "промышленный": "Industrial", "энергетический": "Energy", "строительный": "Construction",
	"транспортный": "Transport", "исследовательский": "Research", "научный": "Scientific", "университет": "University",
}

// russianMaxTerm is the length in words of the longest phrase of russianTerms.
var russianMaxTerm = func() int {
	n := 0
	for t := range russianTerms {
		n = max(n, len(strings.Fields(t)))
	}
	return n
}()

// RussianEnglish returns the readings of s, an organization's name written in Cyrillic (and no Latin
// letters), with the words of russianTerms in English and the adjectives of places read as the place, one
// reading for each way of putting the words that have several, at most chineseMaxReadings; nil when s is
// not so written or has no such word.
func RussianEnglish(s string) []string {
	// Most names are in Latin letters: they are turned away before anything is allocated.
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
		return nil
	}
	cyrillic := false
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic = true
			if r == 'ё' {
				r = 'е'
			}
			b.WriteRune(r)
		case unicode.Is(unicode.Latin, r):
			return nil
		case r == '-' || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	if !cyrillic {
		return nil
	}
	ws := strings.Fields(b.String())
	var words [][]string
	found := false
	for i := 0; i < len(ws); {
		n := min(russianMaxTerm, len(ws)-i)
		for ; n >= 1; n-- {
			if _, ok := russianTerms[strings.Join(ws[i:i+n], " ")]; ok {
				break
			}
		}
		if n >= 1 {
			words = append(words, strings.Split(russianTerms[strings.Join(ws[i:i+n], " ")], "|"))
			found = true
			i += n
			continue
		}
		words = append(words, placeAdjective(ws[i]))
		i++
	}
	if !found {
		return nil
	}
	return spellReadings(words, chineseMaxReadings)
}

// placeAdjective returns the ways to read a word of a Russian name: an adjective in -ский, -ская, -ское of a
// place's name is the place with -ский taken off (Муромский Murom) or its ending only (Ижевский Izhevsk);
// another word as transliterated.
func placeAdjective(w string) []string {
	for _, end := range []string{"ский", "ская", "ское", "ские"} {
		if stem, ok := strings.CutSuffix(w, end); ok && len([]rune(stem)) >= 3 {
			return []string{Fold(stem), Fold(stem + "ск")}
		}
	}
	return []string{Fold(w)}
}

// spellReadings writes the readings of words, each with its ways, at most max of them: the first ways first.
func spellReadings(words [][]string, max int) []string {
	readings := []string{""}
	for _, ways := range words {
		var next []string
		for _, r := range readings {
			for _, w := range ways {
				if len(next) < max {
					next = append(next, strings.TrimSpace(r+" "+w))
				}
			}
		}
		readings = next
	}
	return readings
}
