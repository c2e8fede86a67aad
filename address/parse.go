// Package address normalizes postal addresses as the lists and users write them (street numbers, street
// names and types, unit and floor, district, city, region, postal code, country; Chinese addresses in Han
// script or pinyin, Russian ones in Cyrillic or transliterated) and matches them against the addresses of
// list entries, with an explanation of each component. A party at a listed address is a red flag even under
// another name.
//
// Index builds an index over every entry's addresses; Search finds candidates by street number + street
// name, street number + city, or street name + city, never by scanning every address. The package is pure:
// no I/O. Text is folded with normalize.Fold, as names are.
package address

import (
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen/normalize"
	"github.com/tradescreen/tradescreen/source"
)

// Parsed is an address split into comparable components, each folded (lower-case Latin, no punctuation).
type Parsed struct {
	// Number is the street (house) number: "555".
	Number string `json:"number,omitempty"`
	// Street is the street name without its type, words joined without spaces ("qianmo", "krasnoznamennaya").
	Street string `json:"street,omitempty"`
	// StreetType is the canonical street type: road, street, avenue, lane, boulevard, highway ...
	StreetType string `json:"street_type,omitempty"`
	// Units are the unit, room, floor and block designations: "floor 23", "room 1905", "block a".
	Units    []string `json:"units,omitempty"`
	District string   `json:"district,omitempty"`
	City     string   `json:"city,omitempty"`
	Region   string   `json:"region,omitempty"`
	Postal   string   `json:"postal_code,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code.
	Country string `json:"country,omitempty"`
	// Places are other named places (building, plaza, park names), joined.
	Places []string `json:"places,omitempty"`
}

// streetTypes maps the street-type words of English, pinyin, Russian (transliterated) and a few other
// languages to a canonical type.
var streetTypes = map[string]string{
	"road": "road", "rd": "road", "lu": "road", "doroga": "road",
	"street": "street", "st": "street", "jie": "street", "ulitsa": "street", "ulica": "street", "ul": "street",
	"ulitsy": "street", "vulytsia": "street", "vul": "street", "strasse": "street", "calle": "street", "rue": "street",
	"cad": "street", "caddesi": "street", "sokak": "street", "sok": "street", "jalan": "street", "jl": "street",
	"avenue": "avenue", "ave": "avenue", "av": "avenue", "dadao": "avenue", "prospekt": "avenue", "prosp": "avenue",
	"pr": "avenue", "prospect": "avenue", "avenida": "avenue", "pr-t": "avenue",
	"lane": "lane", "ln": "lane", "pereulok": "lane", "per": "lane", "xiang": "lane", "hutong": "lane",
	"boulevard": "boulevard", "blvd": "boulevard", "bulvar": "boulevard",
	"highway": "highway", "hwy": "highway", "shosse": "highway", "gonglu": "highway",
	"drive": "drive", "dr": "drive", "way": "way", "square": "square", "sq": "square", "ploshchad": "square",
	"pl": "square", "naberezhnaya": "embankment", "nab": "embankment", "proyezd": "passage", "proezd": "passage",
	"alley": "alley", "tupik": "alley",
}

// unitWords mark a unit, room, floor, block or building designation, canonicalised.
var unitWords = map[string]string{
	"room": "room", "rm": "room", "flat": "room", "unit": "room", "suite": "room", "ste": "room", "apt": "room",
	"apartment": "room", "office": "room", "kv": "room", "kvartira": "room", "of": "room", "ofis": "room",
	"shop": "room", "fangjian": "room", "shi": "",
	"floor": "floor", "fl": "floor", "f": "floor", "level": "floor", "lvl": "floor", "etazh": "floor", "lou": "floor", "ceng": "floor",
	"block": "block", "blk": "block", "korpus": "block", "k": "block", "building": "building", "bldg": "building",
	"tower": "building", "stroenie": "building", "str": "building", "zuo": "building", "dong": "building",
}

// districtWords end a district name; regionWords a region's; cityWords a city's.
var (
	districtWords = map[string]bool{"district": true, "qu": true, "rayon": true, "raion": true, "okrug": true, "county": true, "xian": true}
	regionWords   = map[string]bool{"province": true, "sheng": true, "oblast": true, "oblasti": true, "krai": true, "kray": true,
		"region": true, "prefecture": true, "state": true, "respublika": true, "republic": true, "autonomous": false}
	cityWords   = map[string]bool{"city": true, "gorod": true, "g": true, "shi": true}
	numberWords = map[string]bool{"no": true, "nr": true, "number": true, "dom": true, "d": true, "hao": true, "house": true, "bldg": false}
)

// cityVariants maps spellings of cities to one form (joined, folded).
var cityVariants = map[string]string{
	"moskva": "moscow", "moskau": "moscou", "sanktpeterburg": "saintpetersburg", "stpetersburg": "saintpetersburg",
	"spb": "saintpetersburg", "peterburg": "saintpetersburg", "kiev": "kyiv", "kiyev": "kyiv", "kharkov": "kharkiv",
	"odessa": "odesa", "peking": "beijing", "canton": "guangzhou", "hongkong": "hongkong", "xianggang": "hongkong",
	"ekaterinburg": "yekaterinburg", "nizhniynovgorod": "nizhnynovgorod", "nizhninovgorod": "nizhnynovgorod",
	"tehran": "tehran", "teheran": "tehran", "urumchi": "urumqi", "wulumuqi": "urumqi", "xian": "xian",
}

// provinces are region names written without a marker ("Hangzhou, Zhejiang 310052"): China's provinces and
// a few of Russia's federal subjects.
var provinces = map[string]bool{
	"anhui": true, "fujian": true, "gansu": true, "guangdong": true, "guangxi": true, "guizhou": true, "hainan": true,
	"hebei": true, "heilongjiang": true, "henan": true, "hubei": true, "hunan": true, "jiangsu": true, "jiangxi": true,
	"jilin": true, "liaoning": true, "neimenggu": true, "innermongolia": true, "ningxia": true, "qinghai": true,
	"shaanxi": true, "shandong": true, "shanxi": true, "sichuan": true, "xinjiang": true, "xizang": true, "tibet": true,
	"yunnan": true, "zhejiang": true, "moskovskaya": true, "leningradskaya": true, "sverdlovskaya": true,
}

// countryWords are country names the CLDR tables do not hold in the forms addresses use.
var countryWords = map[string]string{
	"rossiya": "RU", "rossiia": "RU", "rossija": "RU", "russia": "RU", "russian federation": "RU", "rf": "RU",
	"zhongguo": "CN", "zhong guo": "CN", "prc": "CN", "peoples republic of china": "CN", "kitai": "CN",
	"hong kong": "HK", "hong kong sar": "HK", "iran": "IR", "belarus": "BY", "respublika belarus": "BY",
}

// canonStreet joins a street name's words and evens out transliterated Russian adjective endings
// ("Brigadirskiy", "Brigadirskii", "Brigadirsky" all give "brigadirsk").
func canonStreet(s string) string {
	for _, suf := range []string{"skiy", "skii", "skij", "skyi", "sky", "skoy", "skoi", "skoj", "skaya", "skaja", "skaia"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf)+2 {
			return s[:len(s)-len(suf)] + "sk"
		}
	}
	for _, suf := range []string{"aya", "aja", "aia"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf)+3 {
			return s[:len(s)-len(suf)] + "a"
		}
	}
	return s
}

func canonCity(s string) string {
	if v, ok := cityVariants[s]; ok {
		return v
	}
	return s
}

// Parse splits an address into components. country is the ISO code to assume when the text names none.
// The steps: read the country at the end, split the rest into words, read the postal code and the units,
// scan the runs of words that markers name (street, district, region, city), then find the street when no
// type names it, the street number, the province and the city among the places left.
func Parse(text, country string) Parsed {
	var p Parsed
	parts, c := trailingCountry(strings.Split(text, ","))
	p.Country = c
	toks := addressWords(parts)
	if p.Country == "" && len(toks) > 2 {
		toks, p.Country = endingCountry(toks)
	}
	if p.Country == "" {
		p.Country = strings.ToUpper(country)
	}
	p.readPostal(toks)
	p.readUnits(toks)
	streetAt := p.scanRuns(toks)
	if p.Street == "" {
		streetAt = p.streetNextToNumber(toks, streetAt)
	}
	p.splitJoinedStreetType()
	p.Street = canonStreet(p.Street)
	if streetAt >= 0 {
		p.readNumber(toks, streetAt)
	}
	p.readProvince()
	if p.City == "" {
		p.readCity()
	}
	return p
}

// addrTok is a word of an address, the number of the comma-separated part it is in, and whether a
// component has taken it.
type addrTok struct {
	s    string
	part int
	used bool
}

// addrToks are the words of an address in order.
type addrToks []addrTok

// num reports whether word i exists and is a number.
func (toks addrToks) num(i int) bool { return i >= 0 && i < len(toks) && isDigits(toks[i].s) }

// trailingCountry returns the parts of an address without the empty parts at the end and without the last
// part when it is a country code or name (not the only part), and the country's code, or "".
func trailingCountry(parts []string) ([]string, string) {
	for len(parts) > 0 {
		last := strings.TrimSpace(parts[len(parts)-1])
		if last == "" {
			parts = parts[:len(parts)-1]
			continue
		}
		if c := countryOf(last); c != "" && len(parts) > 1 {
			return parts[:len(parts)-1], c
		}
		break
	}
	return parts, ""
}

// addressWords folds the parts of an address and splits them into words.
func addressWords(parts []string) addrToks {
	var toks addrToks
	for i, part := range parts {
		for _, w := range strings.Fields(normalize.Fold(part)) {
			toks = append(toks, addrTok{s: w, part: i})
		}
	}
	return toks
}

// endingCountry reads a country in the last two words or the last word of a single-part address ("...
// Hangzhou 310052 China"), and returns the words before it and its code; else toks and "".
func endingCountry(toks addrToks) (addrToks, string) {
	for n := 2; n >= 1; n-- {
		if len(toks) > n {
			var ws []string
			for _, t := range toks[len(toks)-n:] {
				ws = append(ws, t.s)
			}
			j := strings.Join(ws, " ")
			c := source.CountryCode(j)
			if c == "" {
				c = countryWords[j]
			}
			if c != "" && !streetOrMarker(ws[0]) {
				return toks[:len(toks)-n], c
			}
		}
	}
	return toks, ""
}

// readPostal takes the first number of 5 or 6 digits not introduced by "no" or a unit word as the postal
// code.
func (p *Parsed) readPostal(toks addrToks) {
	for i := range toks {
		if len(toks[i].s) >= 5 && len(toks[i].s) <= 6 && isDigits(toks[i].s) && p.Postal == "" {
			if i > 0 && (numberWords[toks[i-1].s] || unitWords[toks[i-1].s] != "") {
				continue
			}
			p.Postal, toks[i].used = toks[i].s, true
		}
	}
}

// readUnits takes the unit, room, floor and block designations: "room 1905", "19 f", "23rd floor", "block
// a".
func (p *Parsed) readUnits(toks addrToks) {
	for i := range toks {
		if toks[i].used {
			continue
		}
		u, ok := unitWords[toks[i].s]
		if !ok || u == "" {
			continue
		}
		// "k" and "d" are only markers next to a number.
		switch {
		case i+1 < len(toks) && !toks[i+1].used && toks[i+1].part == toks[i].part && (toks.num(i+1) || ordinal(toks[i+1].s) != "" || len(toks[i+1].s) == 1):
			if len(toks[i].s) == 1 && u == "floor" && i > 0 && toks.num(i-1) { // "19 f": the number is before
				p.Units = append(p.Units, u+" "+toks[i-1].s)
				toks[i].used, toks[i-1].used = true, true
				continue
			}
			p.Units = append(p.Units, u+" "+ordinalOr(toks[i+1].s))
			toks[i].used, toks[i+1].used = true, true
		case i > 0 && !toks[i-1].used && toks[i-1].part == toks[i].part && (toks.num(i-1) || ordinal(toks[i-1].s) != ""):
			p.Units = append(p.Units, u+" "+ordinalOr(toks[i-1].s))
			toks[i].used, toks[i-1].used = true, true
		case len(toks[i].s) > 2 && u == "building":
			toks[i].used = true // "Nam Wo Hong Bldg.": the building's name stays a place
		}
	}
}

// ordinalOr returns the number of an ordinal ("23rd" → "23"), else s.
func ordinalOr(s string) string {
	if o := ordinal(s); o != "" {
		return o
	}
	return s
}

// runScan is the state of the sequential scan of an address's words: the run of words not yet named.
type runScan struct {
	p    *Parsed
	toks addrToks
	run  []int
}

// flush makes the run a place (its words joined) and starts a new one.
func (r *runScan) flush() {
	if len(r.run) > 0 {
		var ws []string
		for _, j := range r.run {
			ws = append(ws, r.toks[j].s)
			r.toks[j].used = true
		}
		r.p.Places = append(r.p.Places, strings.Join(ws, ""))
	}
	r.run = nil
}

// join returns the run's words joined (ordinals as their numbers), taken, and starts a new run.
func (r *runScan) join() string {
	var b strings.Builder
	for _, j := range r.run {
		b.WriteString(ordinalOr(r.toks[j].s))
		r.toks[j].used = true
	}
	r.run = nil
	return b.String()
}

// scanRuns reads the words in order: runs of words end at a marker that names them (a street type, a
// district, region or city word) or at a number; runs no marker names become places. It returns the
// position of the street type, or -1.
func (p *Parsed) scanRuns(toks addrToks) int {
	r := runScan{p: p, toks: toks}
	streetAt := -1
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.used {
			r.flush()
			continue
		}
		if len(r.run) > 0 && toks[r.run[len(r.run)-1]].part != t.part {
			r.flush()
		}
		w := t.s
		switch {
		case streetTypes[w] != "" && p.Street == "" && !(len(w) <= 2 && len(r.run) == 0 && i+1 < len(toks) && isDigits(toks[i+1].s) && w != "ul"):
			t.used = true
			p.StreetType = streetTypes[w]
			streetAt = i
			if len(r.run) == 0 { // "ulitsa Krasnoznamennaya": the name follows
				for j := i + 1; j < len(toks) && toks[j].part == t.part && !toks[j].used && !isDigits(toks[j].s) && !streetOrMarker(toks[j].s); j++ {
					r.run = append(r.run, j)
				}
			}
			p.Street = r.join()
		case districtWords[w] && len(r.run) > 0:
			t.used = true
			p.District = r.join()
		case regionWords[w] && len(r.run) > 0:
			t.used = true
			p.Region = r.join()
		case cityWords[w] && len(r.run) > 0:
			t.used = true
			p.City = canonCity(r.join())
		case isDigits(w) || numberWords[w]:
			r.flush()
		default:
			if ordinal(w) != "" && len(r.run) == 0 && !(i+1 < len(toks) && toks[i+1].part == t.part && !isDigits(toks[i+1].s)) {
				r.flush()
				continue
			}
			r.run = append(r.run, i)
		}
	}
	r.flush()
	return streetAt
}

// streetNextToNumber takes as the street, when no street type named one, the first place that holds a word
// next to a free number of the same part ("Lenina 12"), and returns the position of that word (else
// streetAt).
func (p *Parsed) streetNextToNumber(toks addrToks, streetAt int) int {
	for i := range toks {
		if !isDigits(toks[i].s) || toks[i].used {
			continue
		}
		for _, j := range []int{i + 1, i - 1} {
			if j >= 0 && j < len(toks) && toks[j].part == toks[i].part && !isDigits(toks[j].s) {
				for k, pl := range p.Places {
					if strings.HasPrefix(pl, toks[j].s) || strings.HasSuffix(pl, toks[j].s) {
						p.Street = pl
						p.Places = append(p.Places[:k], p.Places[k+1:]...)
						streetAt = j
						break
					}
				}
			}
			if p.Street != "" {
				return streetAt
			}
		}
	}
	return streetAt
}

// splitJoinedStreetType reads a pinyin street type written joined to the name ("Qianmolu") when no street
// type was found.
func (p *Parsed) splitJoinedStreetType() {
	if p.StreetType != "" {
		return
	}
	for _, suf := range []string{"lu", "jie", "dadao"} {
		if strings.HasSuffix(p.Street, suf) && len(p.Street) > len(suf)+3 {
			p.Street, p.StreetType = strings.TrimSuffix(p.Street, suf), streetTypes[suf]
			return
		}
	}
}

// readNumber takes as the street number the free number nearest the street at streetAt, counting a change
// of part as two steps, when it is at most six steps away.
func (p *Parsed) readNumber(toks addrToks, streetAt int) {
	best, bestD := -1, 1<<30
	for i := range toks {
		if toks[i].used || !isDigits(toks[i].s) {
			continue
		}
		d := i - streetAt
		if d < 0 {
			d = -d
		}
		d += 2 * abs(toks[i].part-toks[streetAt].part)
		if d < bestD {
			best, bestD = i, d
		}
	}
	if best >= 0 && bestD <= 6 {
		p.Number = strings.TrimLeft(toks[best].s, "0")
		toks[best].used = true
	}
}

// readProvince takes the first place that is a province name, written without a marker, out of the places
// as the region, when no marker named one.
func (p *Parsed) readProvince() {
	for k := 0; k < len(p.Places); k++ {
		if provinces[p.Places[k]] && p.Region == "" {
			p.Region = p.Places[k]
			p.Places = append(p.Places[:k], p.Places[k+1:]...)
			k--
		}
	}
}

// readCity takes as the city the last free place that is not a country (a country word found there sets
// the country when none is).
func (p *Parsed) readCity() {
	for k := len(p.Places) - 1; k >= 0; k-- {
		c := p.Places[k]
		if countryWords[c] != "" {
			if p.Country == "" {
				p.Country = countryWords[c]
			}
			p.Places = append(p.Places[:k], p.Places[k+1:]...)
			continue
		}
		if source.CountryCode(c) != "" && len(p.Places) > 1 {
			continue
		}
		p.City = canonCity(c)
		p.Places = append(p.Places[:k], p.Places[k+1:]...)
		return
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func streetOrMarker(w string) bool {
	return streetTypes[w] != "" || districtWords[w] || regionWords[w] || cityWords[w]
}

// countryOf reads a trailing address part as a country: an ISO code as the lists write it ("CN") or a name.
func countryOf(s string) string {
	if len(s) == 2 && strings.ToUpper(s) == s {
		if c := source.CountryCode(s); c != "" {
			return c
		}
	}
	if len(s) > 3 {
		if c := source.CountryCode(s); c != "" {
			return c
		}
		return countryWords[normalize.Fold(s)]
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" || len(s) > 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ordinal returns the number of an ordinal ("23rd" → "23") or "".
func ordinal(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i == len(s) {
		return ""
	}
	switch s[i:] {
	case "st", "nd", "rd", "th":
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return ""
		}
		return strconv.Itoa(n)
	}
	return ""
}
