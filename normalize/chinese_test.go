package normalize

import (
	"slices"
	"testing"
)

func TestChineseEnglish(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string // one of the readings
	}{
		{"浙江大华技术股份有限公司", "Zhejiang dahua Technology Co., Ltd."},
		{"中国电子科技集团公司第十四研究所", "China Electronics Technology Group Corporation 14th Research Institute"},
		{"哈尔滨工业大学", "Harbin Institute of Technology"},
		{"西北工业大学", "Northwestern Polytechnical University"},
		{"華信船務(香港)有限公司", "huaxin Shipping Hong Kong Co., Ltd."}, // traditional characters
		{"中国航天科工集团第二研究院", "China Aerospace Science and Industry Corporation 2nd Academy"},
	} {
		got := ChineseEnglish(tc.name)
		if !slices.Contains(got, tc.want) {
			t.Errorf("ChineseEnglish(%q) = %q, want a reading %q", tc.name, got, tc.want)
		}
		if len(got) > chineseMaxReadings {
			t.Errorf("ChineseEnglish(%q): %d readings, more than %d", tc.name, len(got), chineseMaxReadings)
		}
	}
	// Not read: a person's name (no word of an organization), Latin letters mixed in, Japanese kana.
	for _, s := range []string{"毛泽东", "华为 Technologies", "トヨタ自動車株式会社", ""} {
		if got := ChineseEnglish(s); got != nil {
			t.Errorf("ChineseEnglish(%q) = %q, want none", s, got)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for s, want := range map[string]int{"十": 10, "十四": 14, "五十四": 54, "三十八研究所": 38, "二〇一": 201, "一百零五": 105, "九": 9} {
		v, n := chineseNumber([]rune(s))
		if v != want || n == 0 {
			t.Errorf("chineseNumber(%q) = %d, %d, want %d", s, v, n, want)
		}
	}
	if _, n := chineseNumber([]rune("研究所")); n != 0 {
		t.Errorf("chineseNumber(研究所) read a number")
	}
}

func TestRussianEnglish(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string // one of the readings
	}{
		{"Акционерное общество «Муромский приборостроительный завод»", "aktsionernoe obshchestvo murom Instrument-Making Plant"},
		{"ОАО «Ижевский механический завод»", "oao izhevsk Mechanical Plant"},
		{"АО «Концерн Калашников»", "ao Concern kalashnikov"},
		{"Научно-производственное объединение «Технолог»", "NPO tekhnolog"},
	} {
		got := RussianEnglish(tc.name)
		if !slices.Contains(got, tc.want) {
			t.Errorf("RussianEnglish(%q) = %q, want a reading %q", tc.name, got, tc.want)
		}
	}
	// Not read: a person's name, Latin letters mixed in.
	for _, s := range []string{"Владимир Путин", "Концерн Kalashnikov", ""} {
		if got := RussianEnglish(s); got != nil {
			t.Errorf("RussianEnglish(%q) = %q, want none", s, got)
		}
	}
}

func TestKoreanEnglish(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"조선광업개발무역회사", "Korea Mining Development Trading Corporation"},
		{"조선 광업 개발 무역 회사", "Korea Mining Development Trading Corporation"},
		{"조선혁신무역회사", "Korea hyoksin Trading Corporation"},
	} {
		if got := KoreanEnglish(tc.name); !slices.Contains(got, tc.want) {
			t.Errorf("KoreanEnglish(%q) = %q, want a reading %q", tc.name, got, tc.want)
		}
	}
	// Not read: a person's name, Latin letters mixed in.
	for _, s := range []string{"김정은", "조선 Trading", ""} {
		if got := KoreanEnglish(s); got != nil {
			t.Errorf("KoreanEnglish(%q) = %q, want none", s, got)
		}
	}
}
