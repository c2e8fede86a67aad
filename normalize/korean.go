package normalize

import (
	"slices"
	"strings"
)

// A Korean organization's name in Hangul says in words what the lists write in English: 조선광업개발무역회사
// is the Korea Mining Development Trading Corporation (KOMID). KoreanEnglish reads the words of koreanTerms
// in English and the rest, the names, in the McCune–Reischauer spelling the lists give North Korean names,
// each run of syllables as one word (단군 Tangun).

// koreanTerms are the words of Korean organizations' names in the English the lists give them; "|"
// separates the ways the lists put one word (회사 is a Company or a Corporation). A hand list.
var koreanTerms = map[string]string{
	"조선": "Korea", "한국": "Korea", "대한민국": "Republic of Korea", "고려": "Koryo",
	"주식회사": "Co., Ltd.", "유한회사": "Co., Ltd.", "회사": "Corporation|Company", "총회사": "General Corporation",
	"공사": "Corporation", "상사": "Trading Company", "기업소": "Enterprise", "총국": "General Bureau",
	"무역": "Trading", "은행": "Bank", "개발": "Development", "광업": "Mining", "합영": "Joint Venture",
	"합작": "Joint Venture", "기계": "Machinery", "연합": "Joint|Associated", "해운": "Shipping", "선박": "Ship",
	"국제": "International", "기술": "Technology", "과학": "Science", "연구소": "Research Institute",
	"연구원": "Research Institute|Academy", "대학": "University", "보험": "Insurance", "상업": "Commercial",
	"금융": "Financial", "투자": "Investment", "신용": "Credit", "전자": "Electronics", "화학": "Chemical",
	"수산": "Fisheries", "항공": "Airlines|Aviation", "해외": "Overseas", "건설": "Construction",
	"철도": "Railway", "무역은행": "Trade Bank", "중앙": "Central", "국가": "National", "인민": "People's",
	"군": "Army", "공업": "Industry|Industrial", "제철소": "Steel Works", "탄광": "Coal Mine",
	"광산": "Mine", "석유": "Oil", "에너지": "Energy", "통신": "Communications", "정보": "Information",
}

var koreanMaxTerm = func() int {
	n := 0
	for t := range koreanTerms {
		n = max(n, len([]rune(t)))
	}
	return n
}()

var koreanReader = termReader{
	terms: koreanTerms, maxTerm: koreanMaxTerm,
	script:   func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 },
	romanize: func(run []rune) string { return strings.ReplaceAll(Fold(string(run)), " ", "") },
}

// KoreanEnglish returns the readings of s, an organization's name written in Hangul (and nothing but it,
// parentheses and spaces), with the words of koreanTerms in English and each run of other syllables
// romanized as one word, at most chineseMaxReadings; nil when s is not so written or has no such word of two
// syllables or more.
func KoreanEnglish(s string) []string { return koreanReader.read(s) }

// EnglishReadings returns the readings in English of an organization's name written in Chinese characters,
// Hangul or Cyrillic (ChineseEnglish, KoreanEnglish, RussianEnglish), nil for any other name.
func EnglishReadings(s string) []string {
	return slices.Concat(ChineseEnglish(s), KoreanEnglish(s), RussianEnglish(s))
}
