package address

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// DefaultThreshold is the lowest address score reported as a match: the same building (street number and
// street) in the same city.
const DefaultThreshold = 0.80

// maxCandidates bounds the addresses scored for one query.
const maxCandidates = 200

// record is one indexed address of one entry.
type record struct {
	entry  *tradescreen.Entry
	addr   int
	parsed Parsed
}

// Index finds list entries by address. It is immutable and safe for concurrent use.
type Index struct {
	records  []record
	postings map[string][]int32
}

// Match is one entry address that matches a query address.
type Match struct {
	Entry *tradescreen.Entry `json:"-"`
	// Address is the entry's address as the list publishes it.
	Address tradescreen.Address `json:"address"`
	Score   float64             `json:"score"`
	// Explanation lists each component compared: "street number 555 = 555".
	Explanation []string `json:"explanation"`
	// Query and Listed are the parsed addresses compared.
	Query  Parsed `json:"query"`
	Listed Parsed `json:"listed"`
}

// Build indexes every address of entries that names a street. entries must not be modified afterwards.
func Build(entries []tradescreen.Entry) *Index {
	ix := &Index{postings: map[string][]int32{}}
	for i := range entries {
		e := &entries[i]
		for j, a := range e.Addresses {
			p := Parse(addressText(a), a.Country)
			if p.Street == "" {
				continue // a city or country alone never matches
			}
			id := int32(len(ix.records))
			ix.records = append(ix.records, record{entry: e, addr: j, parsed: p})
			for _, k := range keys(p) {
				ix.postings[k] = append(ix.postings[k], id)
			}
		}
	}
	return ix
}

// Len returns the number of indexed addresses.
func (ix *Index) Len() int { return len(ix.records) }

func addressText(a tradescreen.Address) string {
	if a.Full != "" {
		return a.Full
	}
	var parts []string
	for _, s := range []string{a.Street, a.City, a.Region, a.PostalCode, a.CountryName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// keys are the index keys of an address: number + street, number + city, street + city.
func keys(p Parsed) []string {
	var k []string
	city := p.City
	if p.Number != "" {
		k = append(k, "ns|"+p.Number+"|"+p.Street)
		if city != "" {
			k = append(k, "nc|"+p.Number+"|"+city)
		}
	}
	if city != "" {
		k = append(k, "sc|"+p.Street+"|"+city)
	}
	return k
}

// Search returns the entries whose addresses match text at or above threshold (DefaultThreshold when 0),
// best first. country is the ISO code to assume when the text names none.
func (ix *Index) Search(text, country string, threshold float64) []Match {
	if threshold == 0 {
		threshold = DefaultThreshold
	}
	q := Parse(text, country)
	if q.Street == "" {
		return nil
	}
	seen := map[int32]bool{}
	var cands []int32
	for _, k := range keys(q) {
		for _, id := range ix.postings[k] {
			if !seen[id] && len(cands) < maxCandidates {
				seen[id] = true
				cands = append(cands, id)
			}
		}
	}
	var out []Match
	for _, id := range cands {
		r := &ix.records[id]
		s, why := Score(q, r.parsed)
		if s >= threshold {
			out = append(out, Match{Entry: r.entry, Address: r.entry.Addresses[r.addr], Score: s, Explanation: why, Query: q, Listed: r.parsed})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Entry.Key() < out[j].Entry.Key()
	})
	return out
}

// Score compares two parsed addresses and explains each component. The street, number and city carry the
// score; district, postal code and units confirm or weaken it; a different country or street number rules a
// match out.
func Score(q, l Parsed) (float64, []string) {
	var why []string
	var sum, weight float64
	add := func(w, sim float64) { sum += w * sim; weight += w }
	cmp := func(label, a, b string, w float64, fuzzy bool) float64 {
		if a == "" || b == "" {
			if a != "" || b != "" {
				why = append(why, fmt.Sprintf("%s %s: not on %s", label, nonEmpty(a, b), side(a == "")))
			}
			return -1
		}
		sim := 0.0
		switch {
		case a == b:
			sim = 1
			why = append(why, fmt.Sprintf("%s %s = %s", label, a, b))
		case fuzzy:
			sim = similarity(a, b)
			if sim >= 0.8 {
				why = append(why, fmt.Sprintf("%s %s ~ %s (spelling, %.2f)", label, a, b, sim))
			} else {
				sim = 0
				why = append(why, fmt.Sprintf("%s %s differs from %s", label, a, b))
			}
		default:
			why = append(why, fmt.Sprintf("%s %s differs from %s", label, a, b))
		}
		add(w, sim)
		return sim
	}
	street := cmp("street", q.Street, l.Street, 0.40, true)
	if street > 0 && q.StreetType != "" && l.StreetType != "" && q.StreetType != l.StreetType {
		why = append(why, fmt.Sprintf("street type %s differs from %s", q.StreetType, l.StreetType))
		sum -= 0.05
	}
	number := cmp("street number", q.Number, l.Number, 0.30, false)
	var city float64
	if q.City != "" && l.City != "" && q.City != l.City && (contains(l.Places, q.City) || q.City == l.District || contains(q.Places, l.City) || l.City == q.District) {
		why = append(why, fmt.Sprintf("city %s found in the other address beside %s", q.City, l.City))
		add(0.20, 1)
		city = 1
	} else {
		city = cmp("city", q.City, l.City, 0.20, true)
	}
	district := cmp("district", q.District, l.District, 0.05, true)
	_ = district
	postal := cmp("postal code", q.Postal, l.Postal, 0.05, false)
	if weight == 0 {
		return 0, why
	}
	s := sum / weight
	// Missing evidence: without both numbers or both cities the same street is not the same building.
	if number < 0 {
		s *= 0.85
	}
	if city < 0 {
		s *= 0.9
	}
	if postal == 0 {
		s -= 0.03 // a neighbouring postal code (310051 vs 310052) is common; a small penalty only
	}
	if number == 0 && s > 0.5 {
		s = 0.5
	}
	if street == 0 && s > 0.5 {
		s = 0.5
	}
	if city == 0 && s > 0.6 {
		s = 0.6
	}
	if q.Country != "" && l.Country != "" {
		if q.Country != l.Country {
			why = append(why, fmt.Sprintf("country %s differs from %s", q.Country, l.Country))
			if s > 0.3 {
				s = 0.3
			}
		} else {
			why = append(why, fmt.Sprintf("country %s = %s", q.Country, l.Country))
		}
	}
	// Units: the same building with another room is a weaker flag than the same room.
	if len(q.Units) > 0 && len(l.Units) > 0 {
		for _, u := range q.Units {
			kind := strings.Fields(u)[0]
			for _, v := range l.Units {
				if strings.Fields(v)[0] != kind {
					continue
				}
				if u == v {
					why = append(why, fmt.Sprintf("%s = %s", u, v))
				} else {
					why = append(why, fmt.Sprintf("%s differs from %s (same building, other unit)", u, v))
					s -= 0.1
				}
			}
		}
	}
	if s < 0 {
		s = 0
	}
	return float64(int(s*100+0.5)) / 100, why
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func side(queryMissing bool) string {
	if queryMissing {
		return "the query"
	}
	return "the listed address"
}

// similarity is 1 - Levenshtein distance / longer length.
func similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	prev2 := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1) // transposition
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	n := max(len(ra), len(rb))
	return 1 - float64(prev[len(rb)])/float64(n)
}
