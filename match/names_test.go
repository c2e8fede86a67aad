package match_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
)

// wantHit screens q and requires the entry source/id among the alerts, with an explanation containing
// each of notes.
func wantHit(t *testing.T, ix *match.Index, q tradescreen.Query, source, id string, notes ...string) {
	t.Helper()
	q.Limit = 50
	ms := ix.Search(q)
	for _, m := range ms {
		if m.Source != source || m.SourceID != id {
			continue
		}
		text := m.Explanation.Summary + " | " + strings.Join(m.Explanation.Adjustments, " | ")
		for _, tm := range m.Explanation.Tokens {
			text += " | " + tm.How
		}
		for _, n := range notes {
			if !strings.Contains(text, n) {
				t.Errorf("%q ~ %s/%s %.3f: explanation lacks %q: %s", q.Name, source, id, m.Score, n, text)
			}
		}
		return
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Source+"/"+m.SourceID+" "+m.MatchedName)
	}
	t.Errorf("%q does not find %s/%s; found %q", q.Name, source, id, got)
}

// Short names and acronyms in parentheses, aliases joined by "and" or a.k.a./f.k.a., and notes the lists
// append to names are read as names of their own, in the lists and in queries.
func TestNamesReadOutOfLongerStrings(t *testing.T) {
	ix := realIndex(t)
	const huawei = "d05d55fa214aff19c1eb3270d54905e4e362d445" // "Huawei Technologies Co., Ltd. (Huawei)"
	wantHit(t, ix, tradescreen.Query{Name: "Huawei"}, "us_el", huawei, "short name in parentheses")
	wantHit(t, ix, tradescreen.Query{Name: "Huawei Technologies Co., Ltd."}, "us_el", huawei, "name without '(Huawei)'")
	const sensetime = "caeb24bb901171744f7b376b17c4ad98a782c827"
	wantHit(t, ix, tradescreen.Query{Name: "Sense Time"}, "us_el", sensetime, "alias split from 'and Sense Time'")
	wantHit(t, ix, tradescreen.Query{Name: "SenseTime"}, "us_el", sensetime)
	wantHit(t, ix, tradescreen.Query{Name: "Beijing Shangtang Technology Development Co., Ltd."}, "us_el", sensetime)
	wantHit(t, ix, tradescreen.Query{Name: "KNIC"}, "un_sc", "KPe.048", "acronym in parentheses")
	// The legal form before a parenthesis is a legal form.
	wantHit(t, ix, tradescreen.Query{Name: "Korean National Insurance Corporation (KNIC)"}, "un_sc", "KPe.048")
	wantHit(t, ix, tradescreen.Query{Name: "Korean National Insurance Corporation"}, "un_sc", "KPe.048")
	wantHit(t, ix, tradescreen.Query{Name: "Mohammad Ishaq Akhund", Kind: tradescreen.KindPerson}, "un_sc", "TAi.101", "note removed from name: born in 1963")
	wantHit(t, ix, tradescreen.Query{Name: "Safia Farkash Mohammed Al-Hadad"}, "un_sc", "LYi.019", "note removed from name: born 1 Jan. 1953")
	// A pasted query holding two names is screened name by name.
	wantHit(t, ix, tradescreen.Query{Name: "LTS Holding Limited (f.k.a. IPP-International Petroleum Products Ltd.)"}, "us_sdn", "19045", "the query screened in part")
	// An acronym read from a parenthesis matches as written only: "SPIRE INC" is not "(SPIR)".
	for _, m := range ix.Search(tradescreen.Query{Name: "SPIRE INC"}) {
		if m.Source == "un_sc" && m.SourceID == "QDe.101" {
			t.Errorf("SPIRE INC alerts on %q at %.3f", m.MatchedName, m.Score)
		}
	}
}

// The score shown is never rounded up across the threshold: "Huawei" against the full name without its
// short name scored 0.795, shown as "0.80" though below the threshold.
func TestScoreShownIsNotRoundedUp(t *testing.T) {
	ix := realIndex(t)
	for _, pair := range [][2]string{{"Huawei", "Huawei Technologies Co., Ltd."}, {"Meiya Pico", "Xiamen Meiya Pico Information Co., Ltd."}, {"Hangzhou Hikvsion", "Hangzhou Hikvision Digital Technology Co., Ltd."}} {
		s, ex := ix.Compare(pair[0], pair[1], "")
		shown := tradescreen.FormatScore(s)
		if !strings.HasPrefix(ex.Summary, shown+":") {
			t.Errorf("Compare(%q, %q) = %v, summary %q does not start with %s", pair[0], pair[1], s, ex.Summary, shown)
		}
		if (s >= match.DefaultThreshold) != (shown >= tradescreen.FormatScore(match.DefaultThreshold)) {
			t.Errorf("Compare(%q, %q) = %v shown as %s", pair[0], pair[1], s, shown)
		}
	}
}
