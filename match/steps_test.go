package match

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
	"github.com/tradescreen/tradescreen/snapshot"
)

// The tests of this file exercise the steps of Index.score and Index.search one by one, on names of the real
// lists embedded in the snapshot.

var (
	stepsOnce sync.Once
	stepsIx   *Index
)

// stepsIndex indexes the embedded lists as the 2022-05-16 CSL gave them (the real CSL, UN and UK lists, the
// Entity List of that CSL, kept as the snapshot's history), once per test binary, as realIndex does: the
// tests name its entries and their words' weights.
func stepsIndex(t *testing.T) *Index {
	t.Helper()
	stepsOnce.Do(func() {
		ds, err := snapshot.Load()
		if err != nil {
			t.Fatal(err)
		}
		past, err := snapshot.History()
		if err != nil {
			t.Fatal(err)
		}
		old := map[string]bool{}
		var es []tradescreen.Entry
		for _, d := range past {
			for _, l := range d.Lists {
				old[l.Source] = true
			}
			es = append(es, d.Entries...)
		}
		for _, d := range ds {
			for _, e := range d.Entries {
				if !old[e.Source] {
					es = append(es, e)
				}
			}
		}
		stepsIx = Build(es)
	})
	if stepsIx == nil {
		t.Fatal("index not built")
	}
	return stepsIx
}

// listedName returns the id of the name of entry source/id written full, as the list writes it.
func listedName(t *testing.T, ix *Index, source, id, full string) int32 {
	t.Helper()
	for ni := range ix.names {
		n := &ix.names[ni]
		e := ix.entries[n.entry]
		name := e.Name
		if n.alias >= 0 {
			name = e.Aliases[n.alias].Full
		}
		if e.Source == source && e.SourceID == id && name == full && n.part < 0 {
			return int32(ni)
		}
	}
	t.Fatalf("%s/%s has no name %q", source, id, full)
	return -1
}

// scoreSides returns the reading of query that search scores against name ni, and the name's side.
func scoreSides(ix *Index, query string, ni int32) (q, c *side) {
	comma := normalize.CommaWords(query)
	folded := normalize.Fold(query)
	qt := normalize.TokensFolded(folded, normalize.Options{Comma: comma})
	qtPerson := normalize.TokensFolded(folded, normalize.Options{Person: true, Comma: comma})
	qs, qsPerson := ix.querySides(query, qt, qtPerson, comma, normalize.Syllabic(query))
	n := &ix.names[ni]
	return sideFor(n, qs, qsPerson), ix.sideInto(&side{}, n)
}

// describe writes a pair as "query tokens → name tokens (how)".
func describe(q, c *side, p pair) string {
	var qs, cs []string
	for _, i := range p.qi {
		qs = append(qs, q.toks[i])
	}
	for _, j := range p.cj {
		cs = append(cs, c.toks[j])
	}
	return fmt.Sprintf("%s → %s (%s)", strings.Join(qs, " "), strings.Join(cs, " "), p.how)
}

// alignedFor runs the first steps of score, pairing and aligning, for query against name ni.
func alignedFor(ix *Index, query string, ni int32) (*alignment, []pair) {
	q, c := scoreSides(ix, query, ni)
	buf := &scoreBuf{}
	a := &alignment{q: q, c: c, person: q.person || c.person, placedC: -1}
	pairs := slices.Clone(ix.pairTokens(q, c, a.person, buf))
	a.align(pairs, buf)
	return a, pairs
}

const (
	rgb    = "RECONNAISSANCE GENERAL BUREAU"
	komid  = "KOREA MINING DEVELOPMENT TRADING CORPORATION"
	aouadi = "AOUADI, Mohamed Ben Belgacem"
)

func TestPairTokens(t *testing.T) {
	ix := stepsIndex(t)
	for _, tc := range []struct {
		query, source, id, name string
		want                    string // a pair pairTokens must offer
	}{
		{"Reconnaisance General Bureau", "us_sdn", "12210", rgb, "reconnaisance → reconnaissance (typo)"},
		{"RG Bureau", "us_sdn", "12210", rgb, "rg → reconnaissance general (initials)"},
		{"Alqaida", "un_sc", "QDe.004", "AL-QAIDA", "alqaida → al qaida (split)"},
		{"Korea Miningdevelopment Tradingcorporation", "un_sc", "KPe.001", komid, "miningdevelopment → mining development (split)"},
		{"Korea Miningdevelopment Tradingcorporation", "un_sc", "KPe.001", komid, "inc → inc (legal form)"},
		{"Mohamed Aouadi", "us_sdn", "7203", aouadi, "mohamed → mohamed (exact)"},
		{"Mohammed Aouadi", "us_sdn", "7203", aouadi, "mohammed → mohamed (name variant)"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			_, pairs := alignedFor(ix, tc.query, listedName(t, ix, tc.source, tc.id, tc.name))
			q, c := scoreSides(ix, tc.query, listedName(t, ix, tc.source, tc.id, tc.name))
			var got []string
			for k, p := range pairs {
				got = append(got, describe(q, c, p))
				if k > 0 && (p.sim > pairs[k-1].sim || p.sim == pairs[k-1].sim && p.w > pairs[k-1].w) {
					t.Errorf("pair %d (%s) ranks before pair %d", k, describe(q, c, p), k-1)
				}
			}
			if !slices.Contains(got, tc.want) {
				t.Errorf("pairs %q lack %q", got, tc.want)
			}
		})
	}
}

func TestAlignOneToOne(t *testing.T) {
	ix := stepsIndex(t)
	for _, tc := range []struct {
		query, source, id, name string
		want                    []string // the aligned pairs, best first
		usedQ                   []bool
	}{
		// The name has one Mohamed: the second of the query stays without a partner.
		{"Aouadi Mohamed Mohamed", "us_sdn", "7203", aouadi,
			[]string{"aouadi → aouadi (exact)", "mohamed → mohamed (exact)"}, []bool{true, true, false}},
		// The typo does not take "general", already aligned exactly.
		{"Reconnaisance General Bureau", "us_sdn", "12210", rgb,
			[]string{"bureau → bureau (exact)", "general → general (exact)", "reconnaisance → reconnaissance (typo)"}, []bool{true, true, true}},
		// Written as one, the two words of the name are one pair.
		{"Alqaida", "un_sc", "QDe.004", "AL-QAIDA", []string{"alqaida → al qaida (split)"}, []bool{true}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			a, _ := alignedFor(ix, tc.query, listedName(t, ix, tc.source, tc.id, tc.name))
			var got []string
			for _, p := range a.chosen {
				got = append(got, describe(a.q, a.c, p))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("aligned %q, want %q", got, tc.want)
			}
			if !slices.Equal(a.usedQ, tc.usedQ) {
				t.Errorf("usedQ %v, want %v", a.usedQ, tc.usedQ)
			}
		})
	}
}

func TestReweight(t *testing.T) {
	ix := stepsIndex(t)
	p := ix.p
	for _, tc := range []struct {
		query, source, id, name string
		token                   string  // a token left over
		ofQuery                 bool    // the token is the query's (else the name's)
		factor                  float64 // its effective weight over its weight
		used                    bool    // whether it counts as found
	}{
		// Pyongyang is in the bureau's address: a place, not a different word.
		{"Pyongyang Reconnaissance General Bureau", "us_sdn", "12210", rgb, "pyongyang", true, p.PlaceWeight, true},
		// The bureau's own acronym after its name says nothing more.
		{"Reconnaissance General Bureau RGB", "us_sdn", "12210", rgb, "rgb", true, 1, true},
		// Given name and surname as written: the other names of the listed person are left out.
		{"Mohamed Aouadi", "us_sdn", "7203", aouadi, "belgacem", false, p.OmittedFactor, false},
		// Every word of the name in the query: the query's added name is a middle name.
		{"Mohamed Ben Belgacem Ali Aouadi", "us_sdn", "7203", aouadi, "ali", true, p.MiddleFactor, false},
		// A word of the query left over stands against the name's middle names: they keep their weight.
		{"Aouadi Mohamed Mohamed", "us_sdn", "7203", aouadi, "belgacem", false, 1, false},
	} {
		t.Run(tc.query+"/"+tc.token, func(t *testing.T) {
			a, _ := alignedFor(ix, tc.query, listedName(t, ix, tc.source, tc.id, tc.name))
			ix.reweight(a, &scoreBuf{})
			s, w, used := a.c, a.wc, a.usedC
			if tc.ofQuery {
				s, w, used = a.q, a.wq, a.usedQ
			}
			k := slices.Index(s.toks, tc.token)
			if k < 0 {
				t.Fatalf("no token %q in %q", tc.token, s.toks)
			}
			if got := w[k] / s.w[k]; fmt.Sprintf("%.6f", got) != fmt.Sprintf("%.6f", tc.factor) {
				t.Errorf("weight of %q: %.4f of its own, want %.4f", tc.token, got, tc.factor)
			}
			if used[k] != tc.used {
				t.Errorf("%q found: %v, want %v", tc.token, used[k], tc.used)
			}
		})
	}
}

func TestPenalise(t *testing.T) {
	ix := stepsIndex(t)
	p := ix.p
	const cetc13 = "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)"
	for _, tc := range []struct {
		query, source, id, name string
		factor                  float64
		qnum, cnum              string
	}{
		// The 14th institute is not the 13th: a number against a number.
		{"China Electronics Technology Group Corporation 14th Research Institute", "us_el", "ead674ea624211884ded22615ed9c69d0789e9fd", cetc13,
			p.SubstitutionFactor * p.NumberFactor, "14", "13"},
		// Missing words are not different words.
		{"Mohamed Aouadi", "us_sdn", "7203", aouadi, 1, "", ""},
		// A different given name is.
		{"Aouadi Mohamed Mohamed", "us_sdn", "7203", aouadi, p.SubstitutionFactor, "", ""},
	} {
		t.Run(tc.query, func(t *testing.T) {
			a, _ := alignedFor(ix, tc.query, listedName(t, ix, tc.source, tc.id, tc.name))
			ix.reweight(a, &scoreBuf{})
			if got := ix.penalise(a, 1); fmt.Sprintf("%.6f", got) != fmt.Sprintf("%.6f", tc.factor) {
				t.Errorf("penalty %.4f, want %.4f", got, tc.factor)
			}
			if a.qnum != tc.qnum || a.cnum != tc.cnum {
				t.Errorf("numbers left %q and %q, want %q and %q", a.qnum, a.cnum, tc.qnum, tc.cnum)
			}
		})
	}
}

func TestRescore(t *testing.T) {
	ix := stepsIndex(t)
	for _, tc := range []struct {
		query, source, id, name string
		score                   float64 // after pairing, aligning and penalising
		want                    float64
		how                     string
	}{
		{"CETC", "us_cmic", "30936", "CHINA ELECTRONICS TECHNOLOGY GROUP CORPORATION", 0, ix.p.AcronymSim, "acronym"},
		// A score the acronym does not beat stays, reached token by token.
		{"CETC", "us_cmic", "30936", "CHINA ELECTRONICS TECHNOLOGY GROUP CORPORATION", 0.9, 0.9, ""},
		{"Reconnaisance General Bureau", "us_sdn", "12210", rgb, 0.97, 0.97, ""},
	} {
		t.Run(tc.query, func(t *testing.T) {
			a, _ := alignedFor(ix, tc.query, listedName(t, ix, tc.source, tc.id, tc.name))
			ix.reweight(a, &scoreBuf{})
			ix.penalise(a, 1)
			got, how := ix.rescore(a, tc.score)
			if got != tc.want || how != tc.how {
				t.Errorf("rescore(%v) = %v, %q; want %v, %q", tc.score, got, how, tc.want, tc.how)
			}
		})
	}
}

// readings tokenizes query as search does: as an organization's name and as a person's.
func readings(query string) (qt, qtPerson []normalize.Token) {
	comma := normalize.CommaWords(query)
	folded := normalize.Fold(query)
	return normalize.TokensFolded(folded, normalize.Options{Comma: comma}),
		normalize.TokensFolded(folded, normalize.Options{Person: true, Comma: comma})
}

func TestGatherExpansions(t *testing.T) {
	ix := stepsIndex(t)
	s := ix.getScratch()
	defer ix.putScratch(s)
	qt, qtPerson := readings("Reconnais Sance General Bureau")
	qx := ix.gatherExpansions(s, qt, qtPerson, nil, 0, 0)
	for k := 1; k < len(qx); k++ {
		if qx[k].df < qx[k-1].df {
			t.Errorf("expansion %d (df %d) before a rarer one (df %d)", k-1, qx[k-1].df, qx[k].df)
		}
	}
	// The two query words written as one are a word of the lists.
	id := ix.dict["reconnaissance"]
	joined := slices.ContainsFunc(qx, func(x qexp) bool {
		return len(x.exps) == 1 && x.exps[0] == expansion{id, 0.95} && x.df == int(ix.toks[id].df)
	})
	if !joined {
		t.Errorf("no expansion of \"reconnais sance\" to \"reconnaissance\" in %+v", qx)
	}
	// "general" stands for itself.
	gid := ix.dict["general"]
	if !slices.ContainsFunc(qx, func(x qexp) bool { return slices.Contains(x.exps, expansion{gid, 1}) }) {
		t.Errorf("\"general\" does not expand to itself")
	}
}

func TestAccumulateRestrictedToSources(t *testing.T) {
	ix := stepsIndex(t)
	for _, sources := range [][]string{nil, {"un_sc"}, {"gb_hmt", "us_sdn"}} {
		t.Run(strings.Join(sources, "+"), func(t *testing.T) {
			s := ix.getScratch()
			defer ix.putScratch(s)
			allowed := allowedSources(sources)
			if (allowed == nil) != (sources == nil) || len(allowed) != len(sources) {
				t.Fatalf("allowedSources(%q) = %v", sources, allowed)
			}
			qt, qtPerson := readings("Al Qaida")
			if !ix.accumulate(s, ix.gatherExpansions(s, qt, qtPerson, nil, 0, 0), qt, allowed) {
				t.Fatal("no candidate")
			}
			lists := map[string]bool{}
			for _, ni := range s.touched {
				src := ix.entries[ix.names[ni].entry].Source
				lists[src] = true
				if allowed != nil && !allowed[src] {
					t.Errorf("candidate %d from %s", ni, src)
				}
				if s.acc[ni] <= 0 {
					t.Errorf("candidate %d without weight", ni)
				}
			}
			if allowed != nil && len(lists) != len(allowed) {
				t.Errorf("candidates from %v, want every one of %q", lists, sources)
			}
		})
	}
}

func TestShortlist(t *testing.T) {
	ix := stepsIndex(t)
	s := ix.getScratch()
	defer ix.putScratch(s)
	qt, qtPerson := readings("Al Qaida")
	ix.accumulate(s, ix.gatherExpansions(s, qt, qtPerson, nil, 0, 0), qt, nil)
	if len(s.touched) <= maxCandidates {
		t.Fatalf("%d candidates: too few to shortlist", len(s.touched))
	}
	ix.shortlist(s)
	if len(s.cands) == 0 || len(s.cands) > maxCandidates {
		t.Fatalf("%d candidates shortlisted, want 1 to %d", len(s.cands), maxCandidates)
	}
	prio := func(ni int32) float32 { a := s.acc[ni]; return a * min(1, a/max(ix.nameW[ni], 1e-3)) }
	for k := 1; k < len(s.cands); k++ {
		if prio(s.cands[k]) > prio(s.cands[k-1]) {
			t.Errorf("candidate %d ranks before a better one", k-1)
		}
	}
	// The names that are exactly "Al-Qaida" lead: they have all of their weight in the query.
	for _, c := range []struct{ source, id, name string }{{"un_sc", "QDe.004", "AL-QAIDA"}, {"gb_hmt", "6965", "AL-QAIDA"}} {
		if k := slices.Index(s.cands, listedName(t, ix, c.source, c.id, c.name)); k < 0 || k >= minScored {
			t.Errorf("%s/%s at %d of the shortlist", c.source, c.id, k)
		}
	}
	// A name far behind the best is not kept past the first minScored.
	for k, ni := range s.cands {
		if k >= minScored && prio(ni) < farBehind*prio(s.cands[0]) {
			t.Errorf("candidate %d kept, far behind the best", k)
		}
	}
}

func TestAddExactNames(t *testing.T) {
	ix := stepsIndex(t)
	s := ix.getScratch()
	defer ix.putScratch(s)
	qt, qtPerson := readings("AOUADI, Mohamed Ben Belgacem")
	want := listedName(t, ix, "us_sdn", "7203", aouadi)
	s.cands = append(s.cands[:0], 0)
	ix.addExactNames(s, qt, qtPerson, allowedSources([]string{"un_sc"}))
	if slices.Contains(s.cands, want) {
		t.Errorf("the name of a list left out added")
	}
	ix.addExactNames(s, qt, qtPerson, nil)
	if !slices.Contains(s.cands, want) || s.cands[0] != 0 {
		t.Errorf("candidates %v: want 0 first and %d added", s.cands, want)
	}
	n := len(s.cands)
	ix.addExactNames(s, qt, qtPerson, nil)
	if len(s.cands) != n {
		t.Errorf("names added twice: %v", s.cands)
	}
}

func TestKeepBest(t *testing.T) {
	ix := stepsIndex(t)
	// Two names of one entry (Al-Qaida in Iraq) and a name of another.
	iraq := listedName(t, ix, "un_sc", "QDe.115", "AL-QAIDA IN IRAQ")
	rivers := listedName(t, ix, "un_sc", "QDe.115", "Al-Qaida of Jihad in the Land of the Two Rivers")
	qaida := listedName(t, ix, "un_sc", "QDe.004", "AL-QAIDA")
	var best []bestMatch
	best = ix.keepBest(best, bestMatch{ni: iraq, score: 0.8126})
	best = ix.keepBest(best, bestMatch{ni: qaida, score: 0.9})
	best = ix.keepBest(best, bestMatch{ni: rivers, score: 0.812}) // no better: the first stays
	if len(best) != 2 || best[0].ni != iraq || best[0].score != 0.812 {
		t.Fatalf("best %+v: want %d at 0.812 (cut, not rounded) and %d", best, iraq, qaida)
	}
	best = ix.keepBest(best, bestMatch{ni: rivers, score: 0.85})
	if len(best) != 2 || best[0].ni != rivers || best[0].score != 0.85 || best[1].ni != qaida {
		t.Errorf("best %+v: want %d at 0.85 in the first place and %d", best, rivers, qaida)
	}
}

func TestRankBest(t *testing.T) {
	ix := stepsIndex(t)
	best := []bestMatch{
		{ni: listedName(t, ix, "un_sc", "QDe.129", "AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)"), score: 0.85},
		{ni: listedName(t, ix, "gb_hmt", "6965", "AL-QAIDA"), score: 1},
		{ni: listedName(t, ix, "un_sc", "QDe.115", "AL-QAIDA IN IRAQ"), score: 1},
		{ni: listedName(t, ix, "un_sc", "QDe.004", "AL-QAIDA"), score: 1},
	}
	var order []string
	for _, b := range ix.rankBest(best, 3) {
		e := ix.entries[ix.names[b.ni].entry]
		order = append(order, e.Source+"/"+e.SourceID)
	}
	// Equal scores go by the lists' rank (the UN's before the UK's), then by the id; the limit cuts the
	// 0.85 match.
	want := []string{"un_sc/QDe.004", "un_sc/QDe.115", "gb_hmt/6965"}
	if tradescreen.SourceRank("un_sc") >= tradescreen.SourceRank("gb_hmt") {
		t.Fatal("the UN list no longer ranks before the UK's: update the test")
	}
	if !slices.Equal(order, want) {
		t.Errorf("ranked %q, want %q", order, want)
	}
}
