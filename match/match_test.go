package match_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/snapshot"
)

var (
	ixOnce  sync.Once
	ixReal  *match.Index
	entries []tradescreen.Entry
)

// realIndex indexes the embedded lists as the 2022-05-16 CSL gave them (the real CSL, UN and UK lists), once
// per test binary. The tests name entries of that CSL's Entity List, whose aliases carry the strings under
// test ("..., and Sense Time"); the embedded current Entity List, from the law's text of 2026-07-09, writes
// them otherwise, and its own matching is measured by the evaluation (docs/matching.md).
func realIndex(tb testing.TB) *match.Index {
	tb.Helper()
	ixOnce.Do(func() {
		ds, err := snapshot.Load()
		if err != nil {
			tb.Fatal(err)
		}
		past, err := snapshot.History()
		if err != nil {
			tb.Fatal(err)
		}
		old := map[string]bool{}
		for _, d := range past {
			for _, l := range d.Lists {
				old[l.Source] = true
			}
			entries = append(entries, d.Entries...)
		}
		for _, d := range ds {
			for _, e := range d.Entries {
				if !old[e.Source] {
					entries = append(entries, e)
				}
			}
		}
		ixReal = match.Build(entries)
	})
	if ixReal == nil {
		tb.Fatal("index not built")
	}
	return ixReal
}

func search(ix *match.Index, name string, kind tradescreen.Kind) []tradescreen.Match {
	return ix.Search(tradescreen.Query{Name: name, Kind: kind, Limit: 20})
}

// findKey reports the rank (1-based) and score of an entry in the matches, or 0.
func findKey(ms []tradescreen.Match, pred func(m tradescreen.Match) bool) (int, float64) {
	for i, m := range ms {
		if pred(m) {
			return i + 1, m.Score
		}
	}
	return 0, 0
}

func primary(name, source string) func(tradescreen.Match) bool {
	return func(m tradescreen.Match) bool {
		return m.Source == source && strings.EqualFold(m.Name, name)
	}
}

func TestSearchFindsListedParties(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct {
		query  string
		kind   tradescreen.Kind
		source string
		name   string // the entry's primary name
	}{
		{"Hikvision", "", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd."},
		{"Hangzhou Hikvision Digital Technology Company Limited", "", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd."},
		{"Hangzhou Hikvsion Digital Technology", "", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd."},  // typo
		{"Jangzhou Hikvision Digital Technology", "", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd."}, // first letter
		{"Hik Vision Digital Technology Hangzhou", "", "us_el", "Hangzhou Hikvision Digital Technology Co., Ltd."},
		{"Dahua Technology", "", "us_el", "Dahua Technology"},
		{"Zhejiang Dahua Tech Co Ltd", "", "us_el", "Dahua Technology"},                       // abbreviation, legal form, the entry's province
		{"State Est. for Iraqi Stores", "", "gb_hmt", "STATE ESTABLISHMENT FOR IRAQI STORES"}, // Est., Gen.
		{"Quartermaster Gen Office", "", "us_sdn", "QUARTERMASTER GENERAL OFFICE"},
		{"IFLYTEK", "", "us_el", "iFLYTEK"}, // case
		{"Megvii Technology Limited", "", "us_el", "Megvii Technology"},
		{"Xinjiang Uighur Autonomous Region Public Security Bureau", "", "us_el", "Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau"},
		{"Usama bin Ladin", tradescreen.KindPerson, "un_sc", ""},
		{"ZAWAHIRI, Ayman", tradescreen.KindPerson, "us_sdn", "ZAWAHIRI"},       // LAST, First
		{"Dr. Ayman al-Zawahiri", tradescreen.KindPerson, "us_sdn", "ZAWAHIRI"}, // honorific
		{"Aiman Al Zawahiri", tradescreen.KindPerson, "un_sc", "ZAWAHIRI"},      // transliteration
		{"Banco Nacional de Cuba", "", "us_sdn", "BANCO NACIONAL DE CUBA"},
		{"Gazprom", "", "us_ssi", "GAZPROM"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ms := search(ix, tc.query, tc.kind)
			var rank int
			var score float64
			if tc.name == "" {
				rank, score = findKey(ms, func(m tradescreen.Match) bool { return m.Source == tc.source })
			} else {
				rank, score = findKey(ms, func(m tradescreen.Match) bool {
					return m.Source == tc.source && strings.Contains(strings.ToLower(m.Name), strings.ToLower(tc.name))
				})
			}
			if rank == 0 {
				var got []string
				for _, m := range ms {
					got = append(got, fmt.Sprintf("%s %q %.2f", m.Source, m.Name, m.Score))
				}
				t.Fatalf("%s %q not found; got %v", tc.source, tc.name, got)
			}
			if score < match.DefaultThreshold || score > 1 {
				t.Errorf("score %v out of range", score)
			}
		})
	}
}

func TestSearchExplains(t *testing.T) {
	ix := realIndex(t)
	ms := search(ix, "Hangzhou Hikvsion Digital Technology", "")
	rank, _ := findKey(ms, primary("Hangzhou Hikvision Digital Technology Co., Ltd.", "us_el"))
	if rank == 0 {
		t.Fatal("not found")
	}
	ex := ms[rank-1].Explanation
	if ex.Summary == "" || len(ex.Tokens) == 0 {
		t.Fatalf("no explanation: %+v", ex)
	}
	hows := map[string]bool{}
	for _, tm := range ex.Tokens {
		hows[tm.How] = true
		if tm.Similarity <= 0 || tm.Similarity > 1 || tm.Weight <= 0 || tm.Weight > 1 {
			t.Errorf("bad token match %+v", tm)
		}
	}
	if !hows["typo"] || !hows["exact"] {
		t.Errorf("want a typo and exact tokens in %+v", ex.Tokens)
	}
}

func TestSearchRejectsLookAlikes(t *testing.T) {
	ix := realIndex(t)
	for _, q := range []string{
		"CORP", "Company", "Limited", "International Trading", // generic words alone alert on nothing
		"Europe Trading", "Africa International", // nor with a region beside them
		"George Bush", "Apple Inc.", "Microsoft Corporation", "Siemens Energy", "Deutsche Bank",
		"Nestle S.A.", "Toyota Motor Corporation", "Angela Merkel",
	} {
		for _, m := range search(ix, q, "") {
			if m.Score >= match.DefaultThreshold && !strings.EqualFold(m.MatchedName, q) {
				t.Errorf("%q alerts on %s %q (matched %q) at %.3f: %s", q, m.Source, m.Name, m.MatchedName, m.Score, m.Explanation.Summary)
			}
		}
	}
}

func TestCompareRules(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct {
		a, b  string
		kind  tradescreen.Kind
		match bool
	}{
		{"Deutsche Bank AG", "Deutsche Bank GmbH", "", true},                             // legal forms cost little
		{"Siemens Energy", "Siemens Healthineers", "", false},                            // a different distinctive word costs a lot
		{"George Bush", "George Habbash", tradescreen.KindPerson, false},                 // a famous complaint about a peer
		{"CETC", "China Electronics Technology Group Corporation", "", true},             // acronym
		{"M. Qasim", "Mohammed Qasim", tradescreen.KindPerson, true},                     // initial
		{"QASIM, Mohammed", "Mohammed Qasim", tradescreen.KindPerson, true},              // LAST, First
		{"Vladimir Putin", "Vladimir Vladimirovich Putin", tradescreen.KindPerson, true}, // patronymic optional
		{"Muhammad Yusuf", "Mohammed Yousef", tradescreen.KindPerson, true},              // transliteration variants
		{"Sergei Ivanov", "Sergey Ivanov", tradescreen.KindPerson, true},
		{"The 13th Academy", "Thirteenth Academy", "", true},                                       // ordinals
		{"Apollo Fund VIII", "Apollo Fund IX", "", true},                                           // a series number: bridged, explained (TestSeriesNumbers)
		{"A.B.C. Company", "ABC Co", "", true},                                                     // joined letters
		{"Vanderbilt Corp", "Van der Bilt Corp", "", true},                                         // joined words
		{"Hik Vision", "Hikvision", "", true},                                                      // split word
		{"杭州海康威视数字技术股份有限公司", "Hangzhou Haikang Weishi Shuzi Jishu Gufen Youxian Gongsi", "", true}, // Han to pinyin
		{"Omar bin Abdullah", "Abdullah bin Omar", tradescreen.KindPerson, false},                  // patronym order
		{"Joint Stock Company Sberbank", "Sberbank OAO", "", true},                                 // legal forms across languages
		{"Open Joint Sotck Company Chayka", "Open Joint Stock Company Chayka", "", true},
		// A number on one side only is another party of a series, even when the rest is written the same.
		{"Bowne Global Solutions, Inc.", "Bowne Global Solutions II, Inc.", "", false},
		// The whole-name comparison counts edits against the distinctive letters, not the legal form's.
		{`ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БАЙ"`, `ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БАЙКАЛ"`, "", false},
		// ... and still bridges words broken elsewhere after an abbreviation.
		{"BANK SEPAH INT ERNATIONAL PLC", "BANK SEPAH INTERNATIONAL PLC", "", true},
		// A name followed by its own acronym.
		{"RECONNAISSANCE GENERAL BUREAU (RGB)", "RECONNAISSANCE GENERAL BUREAU", "", true},
		// Middle names on either side are optional; a different middle name or initial is not.
		{"JANAN MOHAMMAD AHMED AGHA", "JANAN AGHA", tradescreen.KindPerson, true},
		{"Frost, William G.", "William W Frost", tradescreen.KindPerson, false},
		{"Hans O Friedrich", "Hans Joachim Friedrich", tradescreen.KindPerson, false},
		// The query names the listed person more fully (a tribal name added).
		{"MOHAMMAD YAQOUB HAQQANI", "MOHAMMAD YAQOUB", tradescreen.KindPerson, true},
		{"William S. Knowles", "KNOWLES, Samuel", tradescreen.KindPerson, false},
		// "Ben" is short for Benjamin as well as a form of "bin".
		{"Ben Netanyahu", "Benjamin Netanyahu", tradescreen.KindPerson, true},
		// Two connectors: no swapped patronym.
		{"Mohamed Naceur Mohamed Ben Rhouma TRABELSI", "Mohamed Naceur Ben Mohamed Ben Rhouma TRABELSI", tradescreen.KindPerson, true},
		// Spellings of one sound (Ukrainian и as i or y) against another name built on a name.
		{"Володимир Зеленський", "Volodymyr Oleksandrovych Zelenskyy", tradescreen.KindPerson, true},
		{"Oleksandr Zelenskyy", "Volodymyr Oleksandrovych Zelenskyy", tradescreen.KindPerson, false},
		// Han and Hangul names differing in a character are other names, whatever their romanization.
		{"高石早苗", "高市早苗", tradescreen.KindPerson, false},
		{"김종은", "김정은", tradescreen.KindPerson, false},
		{"习近平", "习近平", tradescreen.KindPerson, true},
		// A legal form with a typo, and the Polish "Sp. z o.o.".
		{"Siemens Aktiengeselschaft", "Siemens AG", "", true},
		{"FABERLIC EUROPE", "FABERLIC EUROPE Sp. z o.o.", "", true},
		// A continent or world region beside a distinctive name is a branch's, not another word; beside
		// generic words it is what tells the names apart.
		{"Faberlic", "FABERLIC EUROPE Sp. z o.o.", "", true},
		{"International Trading", "Asia International Trading Company", "", false},
		// One word of about the same length left on each side, everything else aligned: a different word,
		// not the same name broken elsewhere.
		{"Industrial and Commercial Bank of Chad Limited", "Industrial and Commercial Bank of China Limited", "", false},
		{"'ABD AL-RAHMAN MUHAMMAD MUSTAFA AL-MOSULI", "'ABD AL-RAHMAN MUHAMMAD MUSTAFA AL-QADULI", tradescreen.KindPerson, false},
		{"DAYCOMPANY", "DAY COMPANY", "", true},
		{"PARKSTROY-SOFIAOOD", "PARKSTROY-SOFIA OOD", "", true},
		// Kana against the Latin spelling.
		{"バラク・オバマ", "Barack Obama", tradescreen.KindPerson, true},
		// Wade-Giles against pinyin, either way round.
		{"Mao Tse-tung", "Mao Zedong", tradescreen.KindPerson, true},
		{"Deng Xiaoping", "Teng Hsiao-p'ing", tradescreen.KindPerson, true},
		{"Hsi Chin-ping", "Xi Jinping", "", true},
		// Sultan inside a name is a name.
		{"MAHMOOD AHMED BASHIR-UD-DIN", "MAHMOOD SULTAN BASHIR-UD-DIN", tradescreen.KindPerson, false},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tc.kind)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
}

// Names made of very common words, or of a long legal form shared by many names, or that look like a title,
// find their own entry at rank 1 when screened as written (the exact-name table).
func TestExactNamesRankFirst(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct{ name, key string }{
		{"MUHAMMAD, Muhammad", "us_sdn/18602"},
		{"AL-SHAYKH, Muhammad", "us_sdn/22061"},
		{"M.M.E.", "us_sdn/11612"},
		{"OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU GARDSERVIS", "us_sdn/33394"},
		{"NOVOPOLOTSKOYE OBSHCHESTVO S OGRANICHENNOY OTVESTVENNOSTYU INTERSERVIS", "us_sdn/32679"},
	} {
		ms := search(ix, tc.name, "")
		if len(ms) == 0 {
			t.Errorf("%q: no match", tc.name)
			continue
		}
		ok := false
		for _, m := range ms {
			if m.Score < ms[0].Score {
				break
			}
			ok = ok || m.Source+"/"+m.SourceID == tc.key
		}
		if !ok {
			t.Errorf("%q: %s not at rank 1 (first: %s/%s %q %.3f)", tc.name, tc.key, ms[0].Source, ms[0].SourceID, ms[0].MatchedName, ms[0].Score)
		}
	}
}

// Two edits in one word that no single deletion reaches (two substitutions, a transposition and a
// substitution) are found through the word's halves; a name in Wade-Giles through its pinyin readings.
func TestSearchFindsHardSpellings(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct{ query, source, name string }{
		{"Vechnocole Ltd.", "us_el", "Technopole Ltd."},
		{"RSKOSNALT OOO", "us_sdn", "RUSKONSALT"},
		{"Trahssphree Oy", "us_el", "Transsphere Oy"},
		{"BEVSHINNA OAO", "us_sdn", "BELSHINA"},
		{"Hsieh Ming", "us_dpl", "MING XIE"}, // Wade-Giles
	} {
		ms := search(ix, tc.query, "")
		if rank, _ := findKey(ms, func(m tradescreen.Match) bool {
			return m.Source == tc.source && strings.HasPrefix(m.Name, tc.name)
		}); rank == 0 {
			t.Errorf("%q: %s %q not found", tc.query, tc.source, tc.name)
		}
	}
}

func TestEvidenceNeverHidesExactName(t *testing.T) {
	ix := realIndex(t)
	q := tradescreen.Query{Name: "Hangzhou Hikvision Digital Technology Co., Ltd.", Kind: tradescreen.KindPerson, Country: "FR"}
	ms := ix.Search(q)
	rank, score := findKey(ms, primary("Hangzhou Hikvision Digital Technology Co., Ltd.", "us_el"))
	if rank == 0 || score < match.DefaultThreshold {
		t.Fatalf("exact name hidden by evidence: rank %d score %v", rank, score)
	}
	if len(ms[rank-1].Explanation.Adjustments) == 0 {
		t.Errorf("the differences are not explained")
	}
	// Country evidence raises a match, a wrong country lowers it.
	base := ix.Search(tradescreen.Query{Name: "Dahua Technologies", Threshold: 0.5})
	cn := ix.Search(tradescreen.Query{Name: "Dahua Technologies", Country: "CN", Threshold: 0.5})
	fr := ix.Search(tradescreen.Query{Name: "Dahua Technologies", Country: "FR", Threshold: 0.5})
	pick := func(ms []tradescreen.Match) float64 {
		_, s := findKey(ms, primary("Dahua Technology", "us_el"))
		return s
	}
	if !(pick(cn) > pick(base) && pick(fr) < pick(base)) {
		t.Errorf("country evidence: base %.3f, CN %.3f, FR %.3f", pick(base), pick(cn), pick(fr))
	}
}

func TestSearchIsDeterministic(t *testing.T) {
	ix := realIndex(t)
	key := func() string {
		var b strings.Builder
		for _, m := range ix.Search(tradescreen.Query{Name: "Bank", Threshold: 0.5, Limit: 1000}) {
			fmt.Fprintf(&b, "%s/%s %.3f;", m.Source, m.SourceID, m.Score)
		}
		return b.String()
	}
	first := key()
	for i := 0; i < 5; i++ {
		if got := key(); got != first {
			t.Fatalf("run %d differs", i)
		}
	}
}

func TestSourcesRestrictCandidates(t *testing.T) {
	ix := realIndex(t)
	ms := ix.Search(tradescreen.Query{Name: "Bank", Threshold: 0.5, Limit: 1000, Sources: []string{"gb_hmt"}})
	if len(ms) == 0 {
		t.Fatal("no gb_hmt match for Bank")
	}
	for _, m := range ms {
		if m.Source != "gb_hmt" {
			t.Fatalf("got %s", m.Source)
		}
	}
}

func TestScoresInRange(t *testing.T) {
	ix := realIndex(t)
	for _, q := range []string{"a", "Ltd", "x y z", "Mohammed", "Hikvision", strings.Repeat("Bank ", 80), "???", "123"} {
		for _, m := range ix.Search(tradescreen.Query{Name: q, Threshold: 0.01, Limit: 50}) {
			if m.Score < 0 || m.Score > 1 {
				t.Errorf("%q: score %v", q, m.Score)
			}
		}
	}
}

func FuzzCompare(f *testing.F) {
	ix := realIndex(f)
	for _, p := range [][2]string{
		{"Hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd."}, {"M. Qasim", "Mohammed Qasim"},
		{"杭州海康威视", "Hangzhou Haikang"}, {"A.B.C. Co", "ABC"}, {"", "x"}, {"bin bin bin", "ibn"},
		// The shapes the readings of a query act on: words run together, hyphens, Korean syllables, the
		// article misspelt, "Abd al-X", titles closing a name.
		{"ALEXSONGPTE LTD", "ALEXSONG PTE LTD"}, {"KPDS.A.", "KPD S.A."}, {"MUHAMMAD, 'AliHajj", "MUHAMMAD, 'Ali Hajj"},
		{"PAEK C.", "PAEK, Chang-Ho"}, {"Kim Jong On", "Kim Jong Un"}, {"AVL-QAIDA IN IRAQ", "AL-QAIDA IN IRAQ"},
		{"Abdiqadir Ali", "Abdulkadir Ali"}, {"Umair Sheikh", "SHEIKH, Umair Naeem"}, {"a-", "-b"}, {".....", "S.A."},
		// Round 4g: Arabic letters read with vowels, Chinese and Russian organizations' names read in
		// English, a surname alone, roman numerals and ordinals.
		{"جلال الدين حقانى", "JALALUDDIN HAQQANI"}, {"ال ال الله", "الله"}, {"ھےٹڈڑں", "hy"},
		{"中国电子科技集团公司第十四研究所", "CETC 14th Research Institute"}, {"第第十百零", "公司公司"},
		{"Акционерное общество «Муромский приборостроительный завод»", "JSC Murom Instrument-Making Plant"},
		{"Deripaska", "DERIPASKA, Oleg"}, {"Fund XII L.P.", "Fund XIII L.P."}, {"Second Academy", "3rd Academy"},
	} {
		f.Add(p[0], p[1], false)
	}
	f.Fuzz(func(t *testing.T, a, b string, person bool) {
		k := tradescreen.KindUnknown
		if person {
			k = tradescreen.KindPerson
		}
		s, _ := ix.Compare(a, b, k)
		if s < 0 || s > 1 || s != s {
			t.Fatalf("Compare(%q, %q) = %v", a, b, s)
		}
		for _, m := range ix.Search(tradescreen.Query{Name: a, Kind: k, Threshold: 0.3}) {
			if m.Score < 0 || m.Score > 1 {
				t.Fatalf("Search(%q) score %v", a, m.Score)
			}
		}
	})
}

// A given name's nickname (normalize.Nickname) matches it in a person's name, and the explanation says so;
// in another place of the name it does not stand for the given name.
func TestNicknameOfGivenName(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Jody Kony", Kind: tradescreen.KindPerson}, "us_sdn", "11018", "nickname") // KONY, Joseph
	s, ex := ix.Compare("Richie Smyth", "Richard Kelly Smyth", tradescreen.KindPerson)                                // ITAR debarred
	nick := false
	for _, tm := range ex.Tokens {
		nick = nick || (tm.How == "nickname" && tm.Query == "richie" && tm.Name == "richard")
	}
	if s < match.DefaultThreshold || !nick {
		t.Errorf("Richie Smyth: %.3f %s %+v, want a match through the nickname", s, ex.Summary, ex.Tokens)
	}
	if s, ex := ix.Compare("Smyth Richie", "Richard Kelly Smyth", tradescreen.KindPerson); strings.Contains(ex.Summary, "nickname") {
		t.Errorf("Smyth Richie: %.3f %s: a nickname counts only in the given name's place", s, ex.Summary)
	}
	if s, ex := ix.Compare("Richie Smyth", "Richard Kelly Smyth", tradescreen.KindOrganization); strings.Contains(ex.Summary, "nickname") {
		t.Errorf("organization: %.3f %s: nicknames are for persons", s, ex.Summary)
	}
}
