package match_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/normalize"
	"github.com/tradescreen/tradescreen/snapshot"
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
	// A father's name after "S/O", an address after "c/o", are not the party's name.
	wantHit(t, ix, tradescreen.Query{Name: "Hafiz Muhammad Saeed S/O Kamal-ud-Din"}, "un_sc", "QDi.263", "note removed from name: S/O Kamal-ud-Din")
	wantHit(t, ix, tradescreen.Query{Name: "Islamic Revolutionary Guard Corps c/o Tehran Office"}, "us_sdn", "10391", "c/o Tehran Office")
	// A web or e-mail address is screened by the name it registers.
	if ms := ix.Search(tradescreen.Query{Name: "sales@hikvision.com"}); len(ms) == 0 || !strings.Contains(strings.ToLower(ms[0].Name), "hikvision") {
		t.Errorf("sales@hikvision.com finds %+v", ms)
	}
	// Two persons' names joined are screened each.
	wantHit(t, ix, tradescreen.Query{Name: "Vladimir Putin & Dmitry Medvedev"}, "us_sdn", "35096", "one of two names joined by '&'")
	// A name written in two scripts is screened in each.
	wantHit(t, ix, tradescreen.Query{Name: "Huawei 华为"}, "us_el", huawei, "the name in Latin letters")
	// A date of birth after a person's name.
	wantHit(t, ix, tradescreen.Query{Name: "Putin, Vladimir - DOB 1952-10-07"}, "us_sdn", "35096", "date removed from name: DOB 1952-10-07")
	// A company's status after its name, a branch after its party's name.
	wantHit(t, ix, tradescreen.Query{Name: "Sberbank Europe AG in liquidation"}, "us_sdn", "18716", "note removed from name: in liquidation")
	wantHit(t, ix, tradescreen.Query{Name: "Bank Sepah Paris Representative Office"}, "us_sdn", "25580", "the party of its Paris Representative Office")
	// A pasted query holding two names is screened name by name.
	wantHit(t, ix, tradescreen.Query{Name: "LTS Holding Limited (f.k.a. IPP-International Petroleum Products Ltd.)"}, "us_sdn", "19045", "the query screened in part")
	// Compare reads the names out of either string as Search does.
	if s, ex := ix.Compare("Sense Time", "Beijing Shangtang Technology Development Co., Ltd., and Sense Time", ""); s < 0.99 || !strings.Contains(strings.Join(ex.Adjustments, " "), "alias split from 'and Sense Time'") {
		t.Errorf("Compare Sense Time: %.3f %+v", s, ex)
	}
	// A party's own acronym in parentheses, not read from the words of its name, is a name of the party;
	// in a query it is not screened alone (a stock ticker as often).
	wantHit(t, ix, tradescreen.Query{Name: "SVR"}, "us_el", "9709d495454238b49b10650b914c8e359a22f6c0", "acronym in parentheses")
	wantHit(t, ix, tradescreen.Query{Name: "ROE"}, "us_el", "2be713eb08a8a1ac56347669ae65d546e35a370a", "acronym in parentheses")
	wantHit(t, ix, tradescreen.Query{Name: "UCI"}, "un_sc", "CDe.009", "acronym in parentheses")
	if s, ex := ix.Compare("SVR", "Foreign Intelligence Service (SVR)", ""); s < match.DefaultThreshold {
		t.Errorf("Compare(SVR, Foreign Intelligence Service (SVR)) = %.3f (%s)", s, ex.Summary)
	}
	for _, m := range ix.Search(tradescreen.Query{Name: "Grayscale Solana Trust (SOL)"}) {
		t.Errorf("Grayscale Solana Trust (SOL) alerts on %s/%s %q at %.3f", m.Source, m.SourceID, m.MatchedName, m.Score)
	}
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

// A person screened by given name and surname, as people most often are, finds the listed person whose
// other names are left out, wherever the list writes them; without the surname it does not.
func TestGivenNameAndSurname(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"Mohamed Aouadi", "AOUADI, Mohamed Ben Belgacem", true},
		{"Mohamed Awadd", "AWADD, Mohamed Sherif Mohamed Mohamed", true},
		{"Sa'd al-Tikriti", "AL-TIKRITI, Sa'd Sabawi Ibrahim Hasan", true},
		{"Mohamed Belgacem", "AOUADI, Mohamed Ben Belgacem", false},
		{"Sabawi Hasan", "AL-TIKRITI, Sa'd Sabawi Ibrahim Hasan", false},
		// The surname written twice in the name: the query's last word is the last one.
		{"OSMAN MOHAMED", "OSMAN MOHAMED HAMID MOHAMED", true},
		// One of the two written another way that sounds the same.
		{"Mohamed Aouady", "AOUADI, Mohamed Ben Belgacem", true},
		{"Usama bin Ladin", "Usāma bin Muhammad ibn Awad ibn Lādin", true},
		// A person known by a middle name and the surname; not by the given name and a middle name alone.
		{"Boris Johnson", "Alexandre Boris de Pfeffel Johnson", true},
		{"Mohammad Ali", "Mohammad Ali JAFARI", false},
		{"Abdul AKHUND", "Abdul Razaq Akhund LALA AKHUND", true},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindPerson)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
	wantHit(t, ix, tradescreen.Query{Name: "Mohamed Aouadi", Kind: tradescreen.KindPerson}, "us_sdn", "7203")
	// A given name and surname shared by hundreds of shorter names (Muhammad, Mohammed ... Khan) still find
	// the listed person with two other names.
	wantHit(t, ix, tradescreen.Query{Name: "Mohammad KHAN"}, "us_sdn", "12330")
	wantHit(t, ix, tradescreen.Query{Name: "Osman Mohamed"}, "un_sc", "SDi.006")
	// A surname shared by a thousand names, with the initial of the given name.
	wantHit(t, ix, tradescreen.Query{Name: "ABDULLAH M."}, "us_sdn", "12327", "initial")
	wantHit(t, ix, tradescreen.Query{Name: "L. AL-ALI"}, "gb_hmt", "12210")
}

// Generational suffixes are not part of a person's name: "III" is no number there.
func TestGenerationalSuffixIgnored(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Hilarion Del Rosario Santos III"}, "un_sc", "QDi.244", "suffix III of the query ignored")
	wantHit(t, ix, tradescreen.Query{Name: "Hilarion Del Rosario Santos"}, "us_sdn", "10929", "suffix III of the listed name ignored")
	s, ex := ix.Compare("Hilarion Del Rosario Santos Jr.", "HILARION DEL ROSARIO SANTOS", tradescreen.KindPerson)
	if s < match.DefaultThreshold || !strings.Contains(strings.Join(ex.Adjustments, " "), "suffix JR ignored") {
		t.Errorf("Jr.: %.3f %+v", s, ex)
	}
	// In an organization's name a roman numeral is still a number.
	if s, _ := ix.Compare("Bowne Global Solutions II, Inc.", "Bowne Global Solutions, Inc.", tradescreen.KindOrganization); s >= match.DefaultThreshold {
		t.Errorf("Bowne Global Solutions II matches without its number: %.3f", s)
	}
}

// Roman numerals of a fund, trust or partnership series are numbers, however they are written (IX, XII as
// much as VIII and XIII): two members of a series are bridged as a near match, the difference named in the
// explanation, the same way for every numeral.
func TestSeriesNumbers(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct{ a, b, differs string }{
		{"Apollo Fund VIII", "Apollo Fund IX", "8 ≠ 9"},
		{"Carlyle Partners VII L.P.", "Carlyle Partners VIII L.P.", "7 ≠ 8"},
		{"KKR North America Fund XII L.P.", "KKR North America Fund XIII L.P.", "12 ≠ 13"},
		{"Citigroup Capital Trust XIV", "Citigroup Capital Trust XIX", "14 ≠ 19"},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindOrganization)
		if s < match.DefaultThreshold || s >= 1 || !strings.Contains(ex.Summary, "number differs: "+tc.differs) {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want a near match with number differs: %s", tc.a, tc.b, s, ex.Summary, tc.differs)
		}
	}
}

// Two different designation numbers name two listed parties: each has its own entry.
func TestDifferentNumbersDoNotMatch(t *testing.T) {
	ix := realIndex(t)
	const f159, f239 = "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy's 159 Factory", "China Aerospace Science and Industry Corporation (CASIC) 3rd Academy's 239 Factory"
	s, ex := ix.Compare(f159, f239, "")
	if s >= match.DefaultThreshold || !strings.Contains(ex.Summary, "number differs: 159 ≠ 239") {
		t.Errorf("159 vs 239 Factory: %.3f %s", s, ex.Summary)
	}
	s, ex = ix.Compare("155 machine repair plant", "175 machine repair plant", "")
	if s >= match.DefaultThreshold || !strings.Contains(ex.Summary, "number differs: 155 ≠ 175") {
		t.Errorf("155 vs 175 machine repair plant: %.3f %s", s, ex.Summary)
	}
	// An ordinal numbers a unit of an organization, each listed on its own: the 14th Research Institute is
	// not the 16th, the Second Academy not the 3rd.
	for _, p := range [][3]string{
		{"China Electronics Technology Group Corporation 14th Research Institute", "China Electronics Technology Group Corporation 16th Research Institute", "14 ≠ 16"},
		{"CASIC Second Academy", "CASIC 3rd Academy", "2 ≠ 3"},
	} {
		s, ex = ix.Compare(p[0], p[1], "")
		if s >= match.DefaultThreshold || !strings.Contains(ex.Summary, "number differs: "+p[2]) {
			t.Errorf("%s vs %s: %.3f %s", p[0], p[1], s, ex.Summary)
		}
	}
	for _, m := range ix.Search(tradescreen.Query{Name: "CASIC 3rd Academy 159 Factory"}) {
		if m.SourceID == "7ad1c7d75258b21c88a663537b6e7d665bac3f58" {
			t.Errorf("the 159 Factory alerts on the 239 Factory at %.3f: %s", m.Score, m.Explanation.Summary)
		}
	}
	wantHit(t, ix, tradescreen.Query{Name: "CASIC 3rd Academy 159 Factory"}, "us_el", "06f7a89337705e04fcf1a0836a050c20d3465438")
}

// A given name ending in a vowel is not a given name ending in a consonant two edits away, however alike
// they sound; a misspelling, a name that starts the other, or a name romanized from another script still is.
func TestDifferentGivenNames(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"Christian Meier", "Christine Meier", false},
		{"Oleg", "Olga", false},
		{"Olga Barynova", "Oleg BARANOV", false},
		{"Aleksandra Lukashenko", "LUKASHENKO, Aleksandr Grigoryevich", false},
		{"Michel Obama", "Michelle Obama", true},
		{"Sergejs Lavrovs", "Sergey Lavrov", true},
		{"Abdallah Azzam", "Abdulla Azzam", true},
		{"Olga Barynova", "Olga Baranova", true},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindPerson)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
}

// A country that differs from the entry's ranks and explains, but never hides a match the name makes.
func TestCountryNeverHidesNameMatch(t *testing.T) {
	ix := realIndex(t)
	for _, name := range []string{"Alexander Lukashenko", "Mohamed Aouadi", "Hikvision", "Dahua Technologies", "Sa'd al-Tikriti", "Huawei Technologies", "Korea National Insurance"} {
		plain := ix.Search(tradescreen.Query{Name: name, Limit: 50})
		other := ix.Search(tradescreen.Query{Name: name, Country: "SE", Limit: 50})
		for _, m := range plain {
			rank, score := findKey(other, func(o tradescreen.Match) bool { return o.Source == m.Source && o.SourceID == m.SourceID })
			if rank == 0 {
				t.Errorf("%q with country SE loses %s/%s (%.3f without)", name, m.Source, m.SourceID, m.Score)
				continue
			}
			if score > m.Score {
				t.Errorf("%q with country SE raises %s/%s: %.3f > %.3f", name, m.Source, m.SourceID, score, m.Score)
			}
		}
	}
}

// Wade-Giles written without its hyphen ("Hu Chintao") is read as pinyin too.
func TestWadeGilesWithoutHyphen(t *testing.T) {
	ix := realIndex(t)
	for _, pair := range [][2]string{{"Hu Chintao", "Hu Jintao"}, {"Teng Hsiaoping", "Deng Xiaoping"}} {
		if s, ex := ix.Compare(pair[0], pair[1], tradescreen.KindPerson); s < match.DefaultThreshold {
			t.Errorf("Compare(%q, %q) = %.3f (%s)", pair[0], pair[1], s, ex.Summary)
		}
	}
}

// German, French, Latvian and Lithuanian transcriptions of Cyrillic names find the listed English transcription.
func TestGermanAndFrenchTranscriptions(t *testing.T) {
	ix := realIndex(t)
	for _, pair := range [][2]string{{"Wladimir Jewtuschenkow", "Vladimir Yevtushenkov"}, {"Dimitri Schukow", "Dmitry Zhukov"}, {"Vladimir Poutine", "Vladimir Putin"}, {"Evgueni Prigojine", "Yevgeniy Viktorovich PRIGOZHIN"}} {
		if s, ex := ix.Compare(pair[0], pair[1], tradescreen.KindPerson); s < match.DefaultThreshold {
			t.Errorf("Compare(%q, %q) = %.3f (%s)", pair[0], pair[1], s, ex.Summary)
		}
	}
	wantHit(t, ix, tradescreen.Query{Name: "Alexandre Loukachenko"}, "us_sdn", "9760", "transcription of Cyrillic")
	wantHit(t, ix, tradescreen.Query{Name: "Sergej Lawrow"}, "us_sdn", "35233")
	// Latvian and Lithuanian nominative endings.
	wantHit(t, ix, tradescreen.Query{Name: "Sergejs Lavrovs"}, "us_sdn", "35233", "Baltic transcription")
	wantHit(t, ix, tradescreen.Query{Name: "Sergejus Lavrovas"}, "us_sdn", "35233", "Baltic transcription")
	if s, ex := ix.Compare("Sergejs Lavrovs", "Sergey Viktorovich LAVROV", tradescreen.KindPerson); s < match.DefaultThreshold {
		t.Errorf("Compare(Sergejs Lavrovs) = %.3f (%s)", s, ex.Summary)
	}
}

// Hangul is romanized: the McCune–Reischauer spelling the lists use for North Korean names, and the Revised
// Romanization with the common spellings of surnames.
func TestHangulRomanized(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "김정은"}, "us_sdn", "20157", "the query romanized from Hangul (McCune–Reischauer): kim jong un")
	if _, ex := ix.Compare("김정은", "Kim Jong Un", tradescreen.KindPerson); !slices.Contains(ex.Adjustments, "romanized from Hangul (McCune–Reischauer): kim jong un") {
		t.Errorf("Compare(김정은, Kim Jong Un) does not say how the Hangul was read: %+v", ex.Adjustments)
	}
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"김정은", "Kim Jong Un", true},
		{"최룡해", "Choe Ryong Hae", true},
		{"박근혜", "Park Geun-hye", true},
		{"김종은", "김정은", false}, // a syllable differs: another name, though both romanize alike
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindPerson)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
}

// Common Arabic given names in Arabic script meet their Latin spellings.
func TestArabicGivenNames(t *testing.T) {
	ix := realIndex(t)
	for _, pair := range [][2]string{{"محمد علي", "Mohamed Ali"}, {"أحمد حسن", "Ahmed Hassan"}, {"عبد الله", "Abdullah"}, {"أسامة بن لادن", "Usama bin Ladin"}} {
		if s, ex := ix.Compare(pair[0], pair[1], tradescreen.KindPerson); s < match.DefaultThreshold {
			t.Errorf("Compare(%q, %q) = %.3f (%s)", pair[0], pair[1], s, ex.Summary)
		}
	}
	wantHit(t, ix, tradescreen.Query{Name: "أسامة بن لادن"}, "us_sdn", "6365")
}

// A word in Arabic script that the tables do not know is read as the listed spelling its letters fit with
// short vowels added, and compounds with the article or Allah as the one word the lists write: a name the
// UN list gives in Arabic script finds the UK entry that writes it in Latin letters only, and is explained
// so. The score of such a reading is at most arabicReadingFactor: the vowels are guessed.
func TestArabicLettersRead(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "الله داد طیب ولی محمد"}, "gb_hmt", "7483", "read from the Arabic letters")
	wantHit(t, ix, tradescreen.Query{Name: "جلال الدين حقانى"}, "gb_hmt", "7165", "read from the Arabic letters")
	wantHit(t, ix, tradescreen.Query{Name: "رحمت الله شاه نواز"}, "gb_hmt", "13090", "read from the Arabic letters")
	// An organization's name that is a transliteration, in Persian: the guessed spelling ("mali" for ملی)
	// finds the names that write it otherwise (Melli), and پ and ه are not the ph of Mustapha.
	wantHit(t, ix, tradescreen.Query{Name: "بانک ملی ایران"}, "us_sdn", "25578", "read from the Arabic letters")
	wantHit(t, ix, tradescreen.Query{Name: "بانک سپه"}, "us_sdn", "25580", "read from the Arabic letters")
	// Persian: the yeh ی read as ي (علی is Ali), and a word in two parts joined by a zero-width non-joiner,
	// whose first part's final ه is silent (خامنه‌ای, Khamenei).
	wantHit(t, ix, tradescreen.Query{Name: "علی خامنه\u200cای"}, "us_sdn", "26945", "read from the Arabic letters")
	wantHit(t, ix, tradescreen.Query{Name: "سيف الإسلام القذافي"}, "un_sc", "LYi.017")
	// One Arabic word that the lists write as two, the second led by the article (أبواليزيد, ABOU EL YAZID).
	wantHit(t, ix, tradescreen.Query{Name: "راضي عبد السميع أبواليزيد العياشي"}, "gb_hmt", "7865", "read from the Arabic letters")
	// Names of persons not listed find no one they did not find before (a sample of 19 Arab and Iranian
	// writers, artists and politicians was checked so).
	for _, q := range []string{"نجيب محفوظ", "عمرو دياب", "نزار قباني", "بطرس بطرس غالي", "عباس کیارستمی", "حسن روحاني"} {
		if ms := ix.Search(tradescreen.Query{Name: q}); len(ms) > 0 {
			t.Errorf("%q alerts on %s/%s %q at %.3f", q, ms[0].Source, ms[0].SourceID, ms[0].MatchedName, ms[0].Score)
		}
	}
	// The reading's score is scaled down after the search: what falls below the threshold is no alert.
	for _, q := range []string{"الله داد طیب ولی محمد", "جلال الدين حقانى", "عمر الشريف", "محمد قاسم میر ولی خدايرحيم"} {
		for _, m := range ix.Search(tradescreen.Query{Name: q, Limit: 50}) {
			if m.Score < match.DefaultThreshold {
				t.Errorf("%q returns %s/%s at %.3f, below the threshold", q, m.Source, m.SourceID, m.Score)
			}
		}
	}
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"جلال الدين حقانى", "JALALUDDIN HAQQANI", true},
		{"شیر محمد عباس استانکزی پادشاه خان", "SHER MOHAMMAD ABBAS STANEKZAI PADSHAH KHAN", true},
		{"علي ما يشو", "ALI MAYCHOU", true},
		{"نزار قباني", "Nizar Qabbani", true},
		// One Arabic word for two Latin ones, split at the other name's words (خداي رحيم).
		{"محمد قاسم میر ولی خدايرحيم", "MOHAMMED QASIM MIR WALI KHUDAI RAHIM", true},
		{"نزار قباني", "Nizar Kabir", false},
		{"نجيب محفوظ", "Najib Mahmoud", false}, // محفوظ has no m after its h
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindPerson)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
		if s > 0.95 {
			t.Errorf("Compare(%q, %q) = %.3f: a reading of Arabic letters is no exact match", tc.a, tc.b, s)
		}
		if tc.match && !strings.Contains(strings.Join(ex.Adjustments, " | "), "read from the Arabic letters") {
			t.Errorf("Compare(%q, %q): explanation lacks the reading: %s %q", tc.a, tc.b, ex.Summary, ex.Adjustments)
		}
	}
}

// A Chinese organization's name in Chinese characters, or a Korean one in Hangul, is read in English as well: the words of a company's
// or an institute's name (technology, group, university, Co., Ltd.) in the English the lists give them, the
// place and the trade name in pinyin, an ordinal as a number. A trade name the lists write otherwise than in
// pinyin ("海康威视", Hikvision) is not reached so.
func TestChineseNamesRead(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "浙江大华技术股份有限公司"}, "us_1260h", "us_1260h-zhejiang-dahua-technology-co-ltd", "read in English")
	wantHit(t, ix, tradescreen.Query{Name: "中国电子科技集团公司第十四研究所"}, "us_el", "3fb320d39b233116bbd7598f21d4dd06a52e0a5c", "read in English")
	wantHit(t, ix, tradescreen.Query{Name: "조선광업개발무역회사"}, "un_sc", "KPe.001", "read in English")
	wantHit(t, ix, tradescreen.Query{Name: "哈尔滨工业大学"}, "us_el", "018015bfc8cf6c2e8d8794b2a2ed0590d2775642")
	for _, m := range ix.Search(tradescreen.Query{Name: "中国电子科技集团公司第十四研究所"}) {
		if strings.Contains(m.Name, "16th") {
			t.Errorf("the 14th Research Institute alerts on the 16th at %.3f: %s", m.Score, m.Explanation.Summary)
		}
	}
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"北京航空航天大学", "Beijing University of Aeronautics and Astronautics", true},
		{"中国航天科工集团", "China Aerospace Science and Industry Corporation", true},
		{"沈忠國際海運有限公司", "SHEN ZHONG INTERNATIONAL SHIPPING", true},
		{"北京理工大学", "Beijing Institute of Technology", true},
		{"北京理工大学", "Beijing Normal University", false},
		{"杭州海康威视数字技术股份有限公司", "Hangzhou Hikvision Digital Technology Co., Ltd.", false},
		// Hangul, read alike: the words of a Korean organization's name in English, its names in the
		// McCune–Reischauer spelling.
		{"조선혁신무역회사", "KOREA HYOKSIN TRADING CORPORATION", true},
		{"조선 련봉 총회사", "Korea Ryonbong General Corporation", true},
		{"조선혁신무역회사", "KOREA KUMSAN TRADING CORPORATION", false},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindOrganization)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
}

// A Russian organization's name in Cyrillic is read in English as well: the words of a kind of
// organization, an industry or a product in the English the lists give them, an adjective of a place as the
// place.
func TestRussianNamesRead(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"Акционерное общество “Муромский приборостроительный завод”", "JSC Murom Instrument-Making Plant", true},
		{"АО «Концерн Калашников»", "OJSC Concern Kalashnikov", true},
		{"Государственная корпорация Ростех", "State Corporation Rostec", true},
		{"Уральский оптико-механический завод", "Ural Optical and Mechanical Plant", true},
		{"Уральский оптико-механический завод", "Izhevsk Mechanical Plant", false},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindOrganization)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
}

// A distinctive surname screened alone, or after a title, finds the persons it names: the given and other
// names are left out as a user typing "Deripaska" leaves them out. A surname in hundreds of listed names
// ("Mohammed") alone names none, nor does a given name alone.
func TestSurnameAlone(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Deripaska"}, "us_sdn", "24283")
	wantHit(t, ix, tradescreen.Query{Name: "Lukashenko"}, "us_sdn", "9760")
	wantHit(t, ix, tradescreen.Query{Name: "Mr. Deripaska"}, "us_sdn", "24283")
	for _, tc := range []struct {
		a, b  string
		match bool
	}{
		{"President Erdoğan", "Recep Tayyip Erdoğan", true},
		{"Putin", "Vladimir Vladimirovich Putin", true},
		{"Maduro", "MADURO MOROS, Nicolas", true},
		{"Mohammed", "Ali Hassan Mohammed", false},          // a surname of hundreds of listed names
		{"Michaela", "Michaela Michelle Micheli", false},    // a given name alone
		{"Vladimir", "Vladimir Vladimirovich Putin", false}, // a given name alone
		{"Deripaska Oleg", "DERIPASKA, Oleg Vladimirovich", true},
	} {
		s, ex := ix.Compare(tc.a, tc.b, tradescreen.KindPerson)
		if got := s >= match.DefaultThreshold; got != tc.match {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want match=%v", tc.a, tc.b, s, ex.Summary, tc.match)
		}
	}
}

// The entry's own city leading its name may be left out of a query, as it may be put before it.
func TestLeadingPlaceOfTheEntry(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Meiya Pico"}, "us_el", "beb3bb134c039f502d431b28d6bdb7c89fc6822d", "place in the entry's address")
	for _, m := range ix.Search(tradescreen.Query{Name: "ON SEMICONDUCTOR CORP"}) {
		if m.Name == "Hebei Semiconductor" {
			t.Errorf("a generic word and a word of the query's own find %q at %.3f", m.Name, m.Score)
		}
	}
}

// Two organizations' names that meet only through one edit in their distinctive word of five to seven
// letters score lower, and say so: real company names (SEC EDGAR) against Entity List and SDN names. A
// misspelt word beside a distinctive word written the same, two misspelt words, and words of four letters
// or fewer or of eight or more, are scored as before.
func TestTypoOnlyDistinctiveWord(t *testing.T) {
	ix := realIndex(t)
	const note = "the distinctive word is matched only through a typo"
	org := tradescreen.KindOrganization
	p := ix.Params()
	p.TypoOnlyFactor = 1
	without := ix.WithParams(p)
	for _, c := range []struct {
		a, b  string
		alert bool
	}{
		{"INTEL CORP", "INTER", false},
		{"AVISTA CORP", "Avisma", false},
		{"SANMINA CORP", "Samina Pvt. Ltd.", true},
		{"RADIAN GROUP INC", "Radiant Group", true},
	} {
		s, ex := ix.Compare(c.a, c.b, org)
		s0, _ := without.Compare(c.a, c.b, org)
		if s >= s0 || (s >= match.DefaultThreshold) != c.alert || !strings.Contains(ex.Summary, note) {
			t.Errorf("%q ~ %q: %.3f (without the rule %.3f) %s", c.a, c.b, s, s0, ex.Summary)
		}
	}
	for _, c := range []struct{ a, b string }{
		{"EVEREST GROUP, LTD.", "EVEREST GRUP"},     // the distinctive word is written the same
		{"GYANDEH BANWK", "AYANDEH BANK"},           // two words misspelt
		{"TESXA", "TESA"},                           // four letters
		{"faberlick", "FABERLIC EUROPE Sp. z o.o."}, // nine letters
		{"Hikyvisio", "Hikvision"},                  // two edits
		{"Globant S.A.", "GLOBANTY S.A.S."},         // eight letters
	} {
		s, ex := ix.Compare(c.a, c.b, org)
		if s < match.DefaultThreshold || strings.Contains(ex.Summary, note) {
			t.Errorf("%q ~ %q: %.3f %s", c.a, c.b, s, ex.Summary)
		}
	}
}

// A single word written with a legal form of its own is a company's name, not the acronym of another
// name: real SEC company names against the list names they alerted on as acronyms.
func TestAcronymWithOwnLegalForm(t *testing.T) {
	ix := realIndex(t)
	const note = "is not read as an acronym"
	org := tradescreen.KindOrganization
	for _, c := range [][2]string{
		{"STEM, INC.", "STATE TRADING ENTERPRISE FOR MACHINERY"},
		{"BALL Corp", "Beijing Aero Lever Precision Ltd."},
		{"FiEE, Inc.", "ROCK FISH IMPORT EXPORT E.U."},
		{"CIMG Inc.", "CHEMICAL INDUSTRIES & DEVELOPMENT OF MATERIALS GROUP"},
		{"KNIC Ltd", "Korean National Insurance Corporation"}, // another legal form
	} {
		s, ex := ix.Compare(c[0], c[1], org)
		if s >= match.DefaultThreshold || !strings.Contains(ex.Summary, note) {
			t.Errorf("%q ~ %q: %.3f %s", c[0], c[1], s, ex.Summary)
		}
	}
	// Without a legal form, or with the same one as the name, the word is still read as its acronym.
	for _, c := range [][2]string{
		{"STEM", "STATE TRADING ENTERPRISE FOR MACHINERY"},
		{"CETC", "China Electronics Technology Group Corporation"},
		{"KNIC Corporation", "Korean National Insurance Corporation"},
	} {
		s, ex := ix.Compare(c[0], c[1], org)
		if s < match.DefaultThreshold || strings.Contains(ex.Summary, note) {
			t.Errorf("%q ~ %q: %.3f %s", c[0], c[1], s, ex.Summary)
		}
	}
}

// A list name of one word that is the acronym of another name of its entry matches a query written with a
// legal form of its own only as written: real SEC company names one letter from such an acronym do not
// alert on it, while the acronym itself, and a bare word one letter from it, still find it.
func TestAcronymNameAgainstCompanyName(t *testing.T) {
	ix := realIndex(t)
	matched := func(query, name string) bool {
		for _, m := range ix.Search(tradescreen.Query{Name: query}) {
			if m.MatchedName == name {
				return true
			}
		}
		return false
	}
	for _, c := range []struct{ query, name string }{
		{"CIMG Inc.", "CIDMG"},     // Chemical Industries & Development of Materials Group
		{"Macy's, Inc.", "MACS"},   // Middle East Automation & Controls Services
		{"Seer, Inc.", "SER INC."}, // Servicio de Equipo Rodante Incorporado
	} {
		if !matched(c.name, c.name) {
			t.Errorf("%q does not find itself", c.name)
		}
		if matched(c.query, c.name) {
			t.Errorf("%q alerts on %q", c.query, c.name)
		}
	}
	for _, c := range [][2]string{{"MACS Inc.", "MACS"}, {"CSG", "CSGC"}, {"CIDMG", "CIDMG"}} {
		if !matched(c[0], c[1]) {
			t.Errorf("%q does not find %q", c[0], c[1])
		}
	}
}

// The words of a legal form written apart from it, in another order or place, weigh as the legal form of the
// other name; words of a legal form that do not spell one of the other name's stay words.
func TestLegalFormWrittenApart(t *testing.T) {
	ix := realIndex(t)
	for _, q := range []struct{ name, source, id string }{
		{"LIMITED COMPANY LIABILITY YOOMONEY", "us_sdn", "34597"},
		{"BANK STOCK PUBLIC JOINT VTB COMPANY", "us_ssi", "17013"},
		{"C.A. AVERUCA", "us_sdn", "25097"},
		{"Bhd Tech Infomaya Sdn", "us_uvl", "684dad407a059b9356d57eb564027e7b9a7769d0"},
		{"C.V. DE MOREXPRESS S.A.", "us_sdn", "11728"}, // the stop word of "S.A. de C.V." too
	} {
		wantHit(t, ix, tradescreen.Query{Name: q.name, Kind: tradescreen.KindOrganization}, q.source, q.id, "legal form written apart")
	}
	for _, pair := range [][2]string{{"SERVICE CORP INTERNATIONAL", "OOO Aviation Service Int'l"}, {"Orion S.A.", "SPA Orion"}} {
		if s, ex := ix.Compare(pair[0], pair[1], tradescreen.KindOrganization); s >= match.DefaultThreshold {
			t.Errorf("Compare(%q, %q) = %.3f (%s), want below the threshold", pair[0], pair[1], s, ex.Summary)
		}
	}
}

// Acronyms in parentheses are names of their party: three letters when they are the initials of every word
// of the name, more when they take more letters of its words. Written with a legal form of its own, the
// word is another company's name.
func TestParenthesisedAcronyms(t *testing.T) {
	ix := realIndex(t)
	for _, c := range []struct{ q, id string }{{"FTB", "13536"}, {"IACI", "11198"}, {"sata", "12265"}, {"TSS", "11948"}} {
		wantHit(t, ix, tradescreen.Query{Name: c.q}, "gb_hmt", c.id, "acronym in parentheses")
	}
	for _, m := range ix.Search(tradescreen.Query{Name: "TSS, Inc.", Limit: 50}) {
		if m.Source == "gb_hmt" && m.SourceID == "11948" {
			t.Errorf("TSS, Inc. finds TAJHIZ SANAT SHAYAN (TSS): %.3f %s", m.Score, m.Explanation.Summary)
		}
	}
}

// Pinyin initials that other romanizations write alike (x, s, sh) make a person's name a phonetic match;
// the other syllables of the name must still match.
func TestPinyinInitialsWrittenAlike(t *testing.T) {
	ix := realIndex(t)
	for _, c := range [][2]string{{"Shi Jinping", "Xi Jinping"}, {"Si Jinpin", "Xi Jinping"}} {
		if s, ex := ix.Compare(c[0], c[1], tradescreen.KindPerson); s < match.DefaultThreshold {
			t.Errorf("%q ~ %q: %.3f %s", c[0], c[1], s, ex.Summary)
		}
	}
	if s, ex := ix.Compare("Shi Jinping", "Xi Peng", tradescreen.KindPerson); s >= match.DefaultThreshold {
		t.Errorf("Shi Jinping ~ Xi Peng: %.3f %s", s, ex.Summary)
	}
}

// A one-word query that is the acronym of a long name finds it, though shorter names lie one letter from
// the word ("MADIE": "KHAN, Madi", "MEDDIE LEE").
func TestAcronymOfLongName(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "MADIE", Kind: tradescreen.KindOrganization}, "us_sdn", "34984", "acronym")
	wantHit(t, ix, tradescreen.Query{Name: "SEPB"}, "gb_hmt", "8206", "acronym")
	wantHit(t, ix, tradescreen.Query{Name: "HQN"}, "gb_hmt", "12811", "acronym in parentheses")
}

// Arabic family names and the words of listed persons' names are read in their Latin spellings.
func TestArabicFamilyNames(t *testing.T) {
	ix := realIndex(t)
	for _, c := range [][2]string{
		{"عزت ابراهيم الدوري", "Izzat Ibrahim al-Douri"}, // was 0.48
		{"انور العولقي", "Anwar al-Awlaki"},              // was 0.36
		{"خالد الشمري", "Khalid al-Shammari"},
	} {
		if s, ex := ix.Compare(c[0], c[1], tradescreen.KindPerson); s < match.DefaultThreshold {
			t.Errorf("%q ~ %q: %.3f %s", c[0], c[1], s, ex.Summary)
		}
	}
}

// A person's name in kanji that is a Japanese surname and given name is read as Japanese, not as Chinese.
func TestJapaneseNamesInKanji(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "高山清司"}, "us_sdn", "13073", "read as Japanese")
	if s, ex := ix.Compare("山田太郎", "Yamada Taro", ""); s < match.DefaultThreshold || !strings.Contains(strings.Join(ex.Adjustments, " "), "read as Japanese") {
		t.Errorf("山田太郎 ~ Yamada Taro: %.3f %s %v", s, ex.Summary, ex.Adjustments)
	}
}

// A company written with its own legal form is not a one-word listed name of three or four letters misspelt
// (the SEC tickers' "Tesla, Inc." and "Alcoa Corp" against SDN "TESA" and Entity List "ALCO"); the bare word
// may still be.
func TestOwnNameAgainstShortListedName(t *testing.T) {
	ix := realIndex(t)
	for _, c := range [][2]string{{"Tesla, Inc.", "TESA"}, {"Alcoa Corp", "ALCO"}, {"ALICO, INC.", "ALCO"}} {
		s, ex := ix.Compare(c[0], c[1], tradescreen.KindOrganization)
		if s >= match.DefaultThreshold || !strings.Contains(ex.Summary, "only through a typo") {
			t.Errorf("%s ~ %s: %.3f %s", c[0], c[1], s, ex.Summary)
		}
	}
	if s, ex := ix.Compare("Alcoa", "ALCO", tradescreen.KindOrganization); s < match.DefaultThreshold {
		t.Errorf("Alcoa ~ ALCO: %.3f %s, want the bare word to match", s, ex.Summary)
	}
}

// A number spelled as a word and misspelt is the same number misspelt, not a word standing against it: the
// UK list's "SECOND ECONOMIC COMMITTEE" and the SDN's "FIFTEENTH OCEAN GMBH & CO. KG" with a typo there too.
func TestSpelledNumberMisspelt(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Seuond Economic Committee"}, "gb_hmt", "11285", "typo")
	wantHit(t, ix, tradescreen.Query{Name: "Fifteeth Ocean GmbH & Co. KG"}, "us_sdn", "25466", "typo")
	s, ex := ix.Compare("Seuond Economic Committee", "SECOND ECONOMIC COMMITTEE", tradescreen.KindOrganization)
	shown := false
	for _, tm := range ex.Tokens {
		shown = shown || (tm.Query == "seuond" && tm.Name == "second" && tm.How == "typo")
	}
	if s < match.DefaultThreshold || !shown {
		t.Errorf("Seuond ~ SECOND: %.3f %+v", s, ex.Tokens)
	}
}

// The legal forms of Estonia (OÜ), Latvia (SIA), Lithuania (UAB) and Hungary (Zrt.) are legal forms, not
// words of the name: the SDN's "GARANTEX EUROPE OU" and "CHATEXTECH SIA" are found by their own word.
func TestBalticLegalForms(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Garantex"}, "us_sdn", "36025")
	wantHit(t, ix, tradescreen.Query{Name: "Chatextech"}, "us_sdn", "33856")
	if s, ex := ix.Compare("Garantex Europe OÜ", "GARANTEX EUROPE OU", tradescreen.KindOrganization); s < 0.99 {
		t.Errorf("OÜ ~ OU: %.3f %s", s, ex.Summary)
	}
}

// A country in a company's name says where a branch or subsidiary works, as a world region does: "Deutsche
// Bank AG" is the group of "Deutsche Bank (Schweiz) AG"; a country beside generic words alone is no match.
func TestCountryInCompanyName(t *testing.T) {
	ix := realIndex(t)
	s, ex := ix.Compare("Deutsche Bank AG", "Deutsche Bank (Schweiz) AG", tradescreen.KindOrganization)
	region := false
	for _, tm := range ex.Tokens {
		region = region || (tm.Name == "schweiz" && tm.How == "region")
	}
	if s < match.DefaultThreshold || !region {
		t.Errorf("Deutsche Bank AG ~ (Schweiz): %.3f %+v", s, ex.Tokens)
	}
	if s, ex := ix.Compare("Trading Company", "Iran Trading Company", tradescreen.KindOrganization); s >= match.DefaultThreshold {
		t.Errorf("Trading Company ~ Iran Trading Company: %.3f %s", s, ex.Summary)
	}
}

// The vowel signs of the Indic scripts are part of their words: two Bengali names that share the given name
// and differ in the other are two names, not one word split into letters that mostly agree.
func TestIndicVowelSigns(t *testing.T) {
	ix := realIndex(t)
	if s, ex := ix.Compare("মোহাম্মদ শামসুদ্দিন", "মোহাম্মদ সাহাবুদ্দিন", tradescreen.KindPerson); s >= match.DefaultThreshold {
		t.Errorf("Shamsuddin ~ Shahabuddin in Bengali: %.3f %s", s, ex.Summary)
	}
	if s, ex := ix.Compare("মোহাম্মদ শামসুদ্দিন", "মোহাম্মদ শামসুদ্দিন", tradescreen.KindPerson); s < 0.99 {
		t.Errorf("the same Bengali name: %.3f %s", s, ex.Summary)
	}
}

// An abbreviation misspelt is compared as written, not as the word it stands for: "LE-HUZ ELXC F CO. LTD"
// is the SDN's "LE-HUA ELEC F CO. LTD" with two typos ("Elec" is read as electronics).
func TestAbbreviationMisspelt(t *testing.T) {
	ix := realIndex(t)
	s, ex := ix.Compare("LE-HUZ ELXC F CO. LTD", "LE-HUA ELEC F CO. LTD", tradescreen.KindOrganization)
	if s < match.DefaultThreshold {
		t.Errorf("ELXC ~ ELEC: %.3f %s", s, ex.Summary)
	}
}

// A word of a city or region of several words in some entry's address ("Kish Island", "Cape of Good Hope")
// is no place name elsewhere: the SEC's "KISH BANCORP INC" and "HOPE BANCORP INC" are not the SDN's BANCORP,
// while a city of one word still weighs little before a name ("Hangzhou Hikvision").
func TestWordsOfLongPlaceNames(t *testing.T) {
	ix := realIndex(t)
	for _, q := range []string{"KISH BANCORP INC", "HOPE BANCORP INC", "UNION ELECTRIC CO"} {
		for _, m := range ix.Search(tradescreen.Query{Name: q}) {
			if m.SourceID == "26549" || m.MatchedName == "Electric LES" {
				t.Errorf("%q alerts on %q at %.3f: %s", q, m.MatchedName, m.Score, m.Explanation.Summary)
			}
		}
	}
	wantHit(t, ix, tradescreen.Query{Name: "Hangzhou Hikvision"}, "us_cmic", "30946")
}

// A Chinese company is called by its trade name, the words between its city and its industry ("Suanze" for
// "Chengdu Suanze Technology Co., Ltd.", "Zhipu" for the alias "Zhipu AI"); written so, alone, it finds the
// entry. Not misspelt, not with a legal form of its own, and not an English word or a place ("China",
// "North").
func TestChineseTradeName(t *testing.T) {
	ix := currentIndex(t) // Zhipu was listed in 2025
	wantHit(t, ix, tradescreen.Query{Name: "Suanze"}, "us_el", "el-CN-d768cef229", "trade name")
	wantHit(t, ix, tradescreen.Query{Name: "Chuangyue"}, "us_el", "el-CN-12a41390e4", "trade name")
	wantHit(t, ix, tradescreen.Query{Name: "Zhipu"}, "us_el", "el-CN-8014f52d3c", "trade name")
	for _, q := range []string{"Suanzee", "Suanze Inc.", "China", "North"} {
		for _, m := range ix.Search(tradescreen.Query{Name: q}) {
			if m.SourceID == "el-CN-d768cef229" || strings.Contains(strings.Join(m.Explanation.Adjustments, " "), "trade name") {
				t.Errorf("%q alerts on %q at %.3f: %v", q, m.MatchedName, m.Score, m.Explanation.Adjustments)
			}
		}
	}
}

// A legal form written with one of its words left out is that legal form: "OPEN STOCK COMPANY" for open
// joint stock company, "JOINT LIABILITY COMPANY" for joint limited liability company.
func TestLegalFormWordLeftOut(t *testing.T) {
	ix := realIndex(t)
	for _, c := range [][2]string{
		{"OPEN STOCK COMPANY RUSSIAN ELECTRONICS", "OPEN JOINT STOCK COMPANY RUSSIAN ELECTRONICS"},
		{"JOINT LIABILITY COMPANY BELINTE-ROBA", "JOINT LIMITED LIABILITY COMPANY BELINTE-ROBA"},
		{"JOINT COMPANY YALTA FILM STUDIO", "JOINT STOCK COMPANY YALTA FILM STUDIO"},
	} {
		s, ex := ix.Compare(c[0], c[1], tradescreen.KindOrganization)
		written := false
		for _, tm := range ex.Tokens {
			written = written || tm.How == "legal form written apart"
		}
		if s < match.DefaultThreshold || !written {
			t.Errorf("%s ~ %s: %.3f %+v", c[0], c[1], s, ex.Tokens)
		}
	}
	// Not a legal form's words standing for a distinctive word.
	if s, ex := ix.Compare("OPEN STOCK COMPANY", "OPEN JOINT STOCK COMPANY RUSSIAN ELECTRONICS", tradescreen.KindOrganization); s >= match.DefaultThreshold {
		t.Errorf("a legal form alone: %.3f %s", s, ex.Summary)
	}
}

var (
	currentOnce sync.Once
	currentIx   *match.Index
)

// currentIndex is the index of the embedded lists as screened today (realIndex holds the 2022 versions of
// the lists that have history).
func currentIndex(t *testing.T) *match.Index {
	t.Helper()
	currentOnce.Do(func() {
		ds, err := snapshot.Load()
		if err != nil {
			t.Fatal(err)
		}
		var es []tradescreen.Entry
		for _, d := range ds {
			es = append(es, d.Entries...)
		}
		currentIx = match.Build(es)
	})
	if currentIx == nil {
		t.Fatal("index not built")
	}
	return currentIx
}

// A list that does not say what kind of party an entry is (the Denied Persons List, the Entity List from the
// eCFR) still names persons: a name that reads as a person's is compared as one too, with its initials,
// nicknames and optional middle names, and the explanation says so. A company's name is not.
func TestPersonOfUnknownKind(t *testing.T) {
	ix := currentIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "P. Chernikov"}, "us_dpl", "dpl-9518dae844a6", "compared as a person's name")
	for _, m := range ix.Search(tradescreen.Query{Name: "Mother Teresa"}) {
		if strings.Contains(strings.Join(m.Explanation.Adjustments, " "), "compared as a person's name") {
			t.Errorf("Mother Teresa alerts on %q at %.3f as a person", m.MatchedName, m.Score)
		}
	}
}

// A stop word's pair is taken last, so that "al" against "al" does not keep a compound written as one word
// ("Abdulrahman") from the words of the listed name ("ABD AL-RAHMAN").
func TestStopWordDoesNotBlockJoinedName(t *testing.T) {
	ix := realIndex(t)
	s, ex := ix.Compare("Abdulrahman al Qaduli", "ABD AL-RAHMAN MUSTAFA AL-QADULI", tradescreen.KindPerson)
	if s < match.DefaultThreshold {
		t.Errorf("Abdulrahman al Qaduli: %.3f %s", s, ex.Summary)
	}
}

// Two Latin names that sound alike only without their vowels, starting with other letters and a third of
// their letters apart, are other names: "Tareck El Aissami" is not "TERAOKA, Osamu". Spellings of one name
// still sound alike ("Volodimir", "Volodymyr").
func TestPhoneticNeedsMoreThanConsonants(t *testing.T) {
	ix := realIndex(t)
	for _, m := range ix.Search(tradescreen.Query{Name: "Tareck El Aissami", Kind: tradescreen.KindPerson}) {
		if strings.Contains(m.MatchedName, "TERAOKA") {
			t.Errorf("Tareck El Aissami alerts on %q at %.3f: %s", m.MatchedName, m.Score, m.Explanation.Summary)
		}
	}
	if s, ex := ix.Compare("Volodimir Zelenskiy", "Volodymyr Zelenskyy", tradescreen.KindPerson); s < match.DefaultThreshold {
		t.Errorf("Volodimir Zelenskiy: %.3f %s", s, ex.Summary)
	}
}

// A title dropped before the comma of "SURNAME, Given" does not move where the given names start: in
// "SHEIKH MOHAMMED, Amir Azam" the given name is Amir, not Azam.
func TestCommaAfterDroppedTitle(t *testing.T) {
	ix := realIndex(t)
	given, _ := ix.Compare("Amir Mohammed", "SHEIKH MOHAMMED, Amir Azam", tradescreen.KindPerson)
	middle, _ := ix.Compare("Azam Mohammed", "SHEIKH MOHAMMED, Amir Azam", tradescreen.KindPerson)
	if given < match.DefaultThreshold || given <= middle {
		t.Errorf("given name and surname %.3f, middle name and surname %.3f", given, middle)
	}
}

// A word of the lists run together with a legal form's word, a title or an abbreviation, which the index's
// adjacent-word keys do not hold (a person's titles are dropped, a legal form is one token, an abbreviation
// is indexed as its full word), is read written apart. Common word endings and short abbreviations are
// not split off: real SEC company names that a first version split ("AVIENT" as AVI + ENT) do not alert.
func TestWordsRunTogether(t *testing.T) {
	ix := realIndex(t)
	const note = "written apart"
	for _, c := range []struct{ q, source, id string }{
		{"ALIZAI, HajiAzizullah", "us_sdn", "10384"},
		{"MullahShafiqullah", "un_sc", "TAi.106"},
		{"MUHAMMAD, 'AliHajj", "us_sdn", "22070"},
		{"KOTICORP", "gb_hmt", "13638"},
		{"POTRICOCORP.", "us_sdn", "26222"},
		{"LOBAYEINVEST", "us_sdn", "29869"},
		{"VANIYA SHIP MANAGEMENTPRIVATE LIMITED", "us_sdn", "27187"},
		{"INVERSIONES ZANZIBAR SOCIEDADANONIMA", "us_sdn", "28009"},
		{"KPDS.A.", "us_sdn", "12984"},
		{"TRADE POINT INTERNATIONALS.A.R.L.", "us_sdn", "19390"},
	} {
		wantHit(t, ix, tradescreen.Query{Name: c.q}, c.source, c.id, note)
	}
	for _, q := range []string{"AVIENT CORP", "INTEST CORP", "BioNTech SE", "GlobalTech Corp"} {
		for _, m := range ix.Search(tradescreen.Query{Name: q}) {
			if strings.Contains(strings.Join(m.Explanation.Adjustments, " "), note) {
				t.Errorf("%q alerts on %q at %.3f read written apart", q, m.MatchedName, m.Score)
			}
		}
	}
}

// A given name written with a hyphen is one name, and its initial stands for all of it: "PAEK C." is
// "PAEK, Chang-Ho", while without the hyphen "Ho" is a middle name of its own the initial does not cover.
func TestHyphenedGivenNameInitial(t *testing.T) {
	ix := realIndex(t)
	person := tradescreen.KindPerson
	wantHit(t, ix, tradescreen.Query{Name: "PAEK C.", Kind: person}, "us_sdn", "15667", "initial")
	wantHit(t, ix, tradescreen.Query{Name: "RYOM H.", Kind: person}, "us_sdn", "22999", "initial")
	hyph, _ := ix.Compare("KIM I.", "KIM, Il-Nam", person)
	apart, _ := ix.Compare("KIM I.", "KIM, Il Nam", person)
	if hyph < match.DefaultThreshold || apart >= hyph {
		t.Errorf("KIM I.: %.3f against Il-Nam, %.3f against Il Nam", hyph, apart)
	}
}

// A name written twice in the query (the given name that is also the surname) needs a listed name that
// has it twice: "Bashir BASHIR" is "BASHIR, Bashir Saleh", which the thousand names holding "Bashir" once
// had kept out of the names scored.
func TestGivenNameThatIsTheSurname(t *testing.T) {
	ix := realIndex(t)
	person := tradescreen.KindPerson
	wantHit(t, ix, tradescreen.Query{Name: "Bashir BASHIR", Kind: person}, "us_sdn", "12688")
	wantHit(t, ix, tradescreen.Query{Name: "Salman SALMAN", Kind: person}, "us_sdn", "27039")
}

// The given name and surname alone find a listed person whatever the number of names between them: a
// nasab of six names ("Mohamed TRABELSI").
func TestGivenNameAndSurnameOfLongName(t *testing.T) {
	ix := realIndex(t)
	s, ex := ix.Compare("Mohamed TRABELSI", "Mohamed Imed Ben Mohamed Naceur Ben Mohamed TRABELSI", tradescreen.KindPerson)
	if s < match.DefaultThreshold {
		t.Errorf("Mohamed TRABELSI: %.3f %s", s, ex.Summary)
	}
}

// The Arabic article misspelt before its hyphen ("AVL-QAIDA") weighs as the article, not as a distinctive
// word the listed name lacks.
func TestArticleMisspelt(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "AVL-QAIDA IN IRAQ"}, "un_sc", "QDe.115")
	if s, ex := ix.Compare("AVL-QAIDA IN IRAQ", "AL-QAIDA IN IRAQ", tradescreen.KindOrganization); s < match.DefaultThreshold {
		t.Errorf("AVL-QAIDA IN IRAQ: %.3f %s", s, ex.Summary)
	}
}

// An acronym of a name's words without its legal form of two words or more ("LIMITED SIRKETI") finds the
// name.
func TestAcronymWithoutLongLegalForm(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "TEUVT"}, "us_sdn", "30417", "acronym")
	wantHit(t, ix, tradescreen.Query{Name: "MLVDTP"}, "gb_hmt", "12262", "acronym")
}

// One Korean syllable in two romanizations (ㅓ written o, eo or u; ㅡ u or eu) is one name in a Korean
// name: "Kim Jung Eun" is KIM Jong Un, "Kim Jong On" scores as him; a different syllable is not ("KIM SOK
// JIN" is not "KIM SOK CHOL", "Kim Jong In" not "Kim Jong Un").
func TestKoreanVowels(t *testing.T) {
	ix := realIndex(t)
	person := tradescreen.KindPerson
	wantHit(t, ix, tradescreen.Query{Name: "Kim Jung Eun", Kind: person}, "us_sdn", "20157", "Korean vowel")
	if s, ex := ix.Compare("Kim Jong On", "Kim Jong Un", person); s < match.DefaultThreshold {
		t.Errorf("Kim Jong On: %.3f %s", s, ex.Summary)
	}
	if s, ex := ix.Compare("KIM SOK JIN", "KIM SOK CHOL", person); s >= match.DefaultThreshold {
		t.Errorf("KIM SOK JIN: %.3f %s", s, ex.Summary)
	}
	// "In", "An", "On" are syllables of a Korean given name, not stop words that weigh nothing.
	if s, ex := ix.Compare("Kim Jong In", "Kim Jong Un", person); s >= match.DefaultThreshold {
		t.Errorf("Kim Jong In: %.3f %s", s, ex.Summary)
	}
}

// Of two equally good partners for a query word, the name word as written is taken before an abbreviation
// the index expanded: "Technolog" takes "Technology", leaving the "tech" of "High-tech" to "trech".
func TestWrittenWordBeforeExpandedAbbreviation(t *testing.T) {
	ix := realIndex(t)
	wantHit(t, ix, tradescreen.Query{Name: "Mianyang High-trech Zone Jingweida Technolog Co., Ltd"},
		"us_uflpa", "us_uflpa-sichuan-jingweida-technology-group-co-ltd")
}

// A title closing a person's name is its surname: "Umair Sheikh" is "SHEIKH, Umair Naeem" (0.785 before,
// when both "Sheikh"s were dropped as titles) and no longer the alias "OMAR" by "Umair" alone; "Ahmed
// Sultan" no longer alerts at 1.00 on the alias "AHMED, DR.".
func TestClosingTitleIsSurname(t *testing.T) {
	ix := realIndex(t)
	person := tradescreen.KindPerson
	wantHit(t, ix, tradescreen.Query{Name: "Umair Sheikh", Kind: person}, "us_sdn", "17272")
	for _, c := range []struct{ q, id string }{{"Ahmed Sultan", "10132"}} {
		for _, m := range ix.Search(tradescreen.Query{Name: c.q, Kind: person, Limit: 50}) {
			if m.Source == "us_sdn" && m.SourceID == c.id {
				t.Errorf("%q alerts on %q at %.3f", c.q, m.MatchedName, m.Score)
			}
		}
	}
	for _, m := range ix.Search(tradescreen.Query{Name: "Umair Sheikh", Kind: person, Limit: 50}) {
		if m.MatchedName == "OMAR" {
			t.Errorf("Umair Sheikh alerts on the alias OMAR at %.3f", m.Score)
		}
	}
}

// An Arabic name "Abd al-X" written as one word is the name of its attribute X: two attributes make two
// names however alike the words look ("Abdulrahim" is not "Abdulkarim", as "Abdul Rahim" is not "Abdul
// Rahman"), one attribute linked another way is one name ("Abdirahman", "Abdulrahman"), and a typo is a
// typo, in the link too ("Abdeclghani").
func TestServantNames(t *testing.T) {
	ix := realIndex(t)
	person := tradescreen.KindPerson
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Abdulrahim Khan", "Abdulkarim Khan", false},
		{"MOHAMAD IQBAL ABDURRAHIM", "MOHAMAD IQBAL ABDURRAHMAN", false},
		{"Abdirahman Ali", "Abdulrahman Ali", true},
		{"Abdiqadir Ali", "Abdulkadir Ali", true},
		{"MAZWATI, Abdeclghani", "MAZWATI, Abdelghani", true},
		{"Abdulla Azzam", "Abdullah Azzam", true},
	} {
		if s, ex := ix.Compare(c.a, c.b, person); (s >= match.DefaultThreshold) != c.same {
			t.Errorf("%q ~ %q: %.3f %s", c.a, c.b, s, ex.Summary)
		}
	}
}

// A Spanish patronymic surname in -ez is not the name it is formed from, however alike they sound (Sánchez
// is not Sancho, Márquez not Marcos); its Portuguese -es and a typo still match.
func TestPatronymicEz(t *testing.T) {
	ix := realIndex(t)
	person := tradescreen.KindPerson
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Pedro Sancho", "Pedro Sánchez", false},
		{"Ferdinand Marquez", "Ferdinand Marcos", false},
		{"Juan Marques", "Juan Marquez", true},
		{"Carlos Sanchz", "Carlos Sanchez", true},
	} {
		if s, ex := ix.Compare(c.a, c.b, person); (s >= match.DefaultThreshold) != c.same {
			t.Errorf("%q ~ %q: %.3f %s", c.a, c.b, s, ex.Summary)
		}
	}
}

// A name in another script than the name it is compared with is read in Latin letters, and the explanation
// says how, whichever side it is on; two names in one script need no such note.
func TestOtherScriptExplained(t *testing.T) {
	ix := match.Build([]tradescreen.Entry{
		{Source: "t", SourceID: "1", Kind: tradescreen.KindPerson, Name: "Путин Владимир Владимирович"},
		{Source: "t", SourceID: "2", Kind: tradescreen.KindPerson, Name: "محمد علي"},
		{Source: "t", SourceID: "3", Kind: tradescreen.KindPerson, Name: "Sergey LAVROV"},
	})
	for _, tc := range []struct {
		query, id string
		notes     []string
	}{
		{"Vladimir Vladimirovich Putin", "1", []string{"the listed name transliterated from Cyrillic: putin vladimir vladimirovich"}},
		{"Mohammed Ali", "2", []string{"the listed name transliterated from Arabic script, short vowels unwritten: mohammed ali"}},
		{"Сергей Лавров", "3", []string{"the query transliterated from Cyrillic: sergey lavrov"}},
		{"محمد علي", "2", nil},
	} {
		ms := ix.Search(tradescreen.Query{Name: tc.query})
		if len(ms) == 0 || ms[0].SourceID != tc.id {
			t.Errorf("%q: want entry %s first, got %+v", tc.query, tc.id, ms)
			continue
		}
		var script []string
		for _, a := range ms[0].Explanation.Adjustments {
			if strings.Contains(a, "transliterated") || strings.Contains(a, "romanized") {
				script = append(script, a)
			}
		}
		if !slices.Equal(script, tc.notes) {
			t.Errorf("%q ~ %q: notes %q, want %q", tc.query, ms[0].MatchedName, script, tc.notes)
		}
	}
	_, ex := ix.Compare("Сергей Лавров", "Sergey LAVROV", tradescreen.KindPerson)
	if !slices.Contains(ex.Adjustments, "transliterated from Cyrillic: sergey lavrov") {
		t.Errorf("Compare(Сергей Лавров, Sergey LAVROV) does not say how the Cyrillic was read: %+v", ex.Adjustments)
	}
}

// A long name cut off at a field's width (customer records, payment messages) is the listed name it
// starts: its last word, cut short, stands for the name's word it starts, the name's words after that one
// weigh as omitted, and a legal form cut short is the name's legal form. A word written with a full stop
// is an abbreviation of a word it starts ("Mech."). Queries under cutMinLen characters are whole.
func TestCutShort(t *testing.T) {
	ix := realIndex(t)
	for _, tc := range []struct{ query, name string }{
		{"China Electronics Technology Group Corpora", "China Electronics Technology Group Corporation"},
		{"IRAN TRACTOR MANUFACTURING COMPA", "IRAN TRACTOR MANUFACTURING COMPANY"},
		{"DERIPASKA, Oleg Vladimir", "DERIPASKA, Oleg Vladimirovich"},
		{"PUBLIC JOINT STOCK COMPANY ROSTELE", "PUBLIC JOINT STOCK COMPANY ROSTELECOM"},
		{"JOINT STOCK COMPANY SHIPBUILDI", "JOINT STOCK COMPANY SHIPBUILDING PLANT LOTOS"},
		{"REACH SHIPPING LINES HONG KONG CO., LIMI", "REACH SHIPPING LINES HONG KONG CO., LIMITED"},
	} {
		found := false
		for _, m := range ix.Search(tradescreen.Query{Name: tc.query, Limit: 50}) {
			if !strings.EqualFold(m.Name, tc.name) && !strings.EqualFold(m.MatchedName, tc.name) {
				continue
			}
			found = true
			if !slices.ContainsFunc(m.Explanation.Tokens, func(tm tradescreen.TokenMatch) bool { return tm.How == "cut short" }) {
				t.Errorf("%q ~ %q %.3f: not explained as cut short: %+v", tc.query, m.MatchedName, m.Score, m.Explanation)
			}
		}
		if !found {
			t.Errorf("%q does not find %q", tc.query, tc.name)
		}
	}
	// Cut off after a stop word: no name ends in "des".
	wantHit(t, ix, tradescreen.Query{Name: "COMPAGNIE AERIENNE DES"}, "us_sdn", "10117")
	if s, ex := ix.Compare("Ural Optical & Mechan. Plant", "Ural Optical and Mechanical Plant", tradescreen.KindOrganization); s < match.DefaultThreshold || !strings.Contains(ex.Summary, "cut short") {
		t.Errorf("Compare(Mechan.) = %.3f (%s)", s, ex.Summary)
	}
	// A short query is taken as whole; the same words in a long one may be cut.
	if _, ex := ix.Compare("Sino Trade Inter", "Sino Trade International", tradescreen.KindOrganization); strings.Contains(ex.Summary, "cut short") {
		t.Errorf("a query of 16 characters read as cut short: %s", ex.Summary)
	}
	// A legal form closing a long query is whole: "CORP" is not cut from "Corporation" (nor a word of a
	// person's reading that starts others).
	if _, ex := ix.Compare("American Resources Corp", "American Resources Corporation Holdings", ""); strings.Contains(ex.Summary, "cut short") {
		t.Errorf("a legal form read as cut short: %s", ex.Summary)
	}
}

// The words that lead a ship's name ("MV", "M/T", "Vessel") weigh as titles: the lists write vessels'
// names without them. Not in a company's name with a legal form ("MT Holdings Ltd").
func TestVesselPrefix(t *testing.T) {
	ix := realIndex(t)
	for _, q := range []string{"MV CHON MA SAN", "M/T CHON MA SAN", "M.V. Chon Ma San", "Vessel CHON MA SAN", "Motor Vessel Chon Ma San"} {
		found := false
		for _, m := range ix.Search(tradescreen.Query{Name: q}) {
			if m.Source == "us_sdn" && m.SourceID == "23729" {
				found = true
				if m.Score < 0.95 {
					t.Errorf("%q ~ CHON MA SAN %.3f (%s)", q, m.Score, m.Explanation.Summary)
				}
			}
		}
		if !found {
			t.Errorf("%q does not find the vessel CHON MA SAN", q)
		}
	}
	ts := normalize.Tokens("MT Holdings Ltd", normalize.Options{})
	if ts[0].Class != normalize.Word {
		t.Errorf("MT of MT Holdings Ltd read as %v", ts[0].Class)
	}
}

// An airline's name is written with Air, Airlines or Airways alike ("Mahan Airlines" for MAHAN AIR); the
// words organizations abbreviate include Mech., Def and Petrochem, and any word written by its consonants
// ("Mngmt", "Hldg") in a query of two words or more.
func TestAirlineWordsAndAbbreviations(t *testing.T) {
	ix := realIndex(t)
	for _, pair := range [][2]string{
		{"Mahan Airlines", "MAHAN AIR"}, {"Koryo Airways", "AIR KORYO"}, {"Syrian Arab Air", "SYRIAN ARAB AIRLINES"},
		{"Natl Univ of Def Tech", "National University of Defense Technology"},
		{"Petrochem Commercial Co", "PETROCHEMICAL COMMERCIAL COMPANY"},
		{"Ural Optical and Mech Plant", "Ural Optical and Mechanical Plant"},
		// A word abbreviated by its consonants.
		{"Natl Mngmt Co of Iran", "National Management Company of Iran"},
		{"Kalashnikov Hldg", "Kalashnikov Holding"}, {"Rosneft Intrntnl", "Rosneft International"},
	} {
		if s, ex := ix.Compare(pair[0], pair[1], tradescreen.KindOrganization); s < match.DefaultThreshold {
			t.Errorf("Compare(%q, %q) = %.3f (%s)", pair[0], pair[1], s, ex.Summary)
		}
	}
	wantHit(t, ix, tradescreen.Query{Name: "Mahan Airlines"}, "us_sdn", "12927")
	// Alone, such a word is as often a ticker: "SNDL Inc." is not SUNDIAL.
	if s, _ := ix.Compare("SNDL Inc.", "SUNDIAL", tradescreen.KindOrganization); s >= match.DefaultThreshold {
		t.Errorf("SNDL Inc. ~ SUNDIAL %.3f", s)
	}
}
