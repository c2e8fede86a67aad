package normalize

import "testing"

func TestTradeName(t *testing.T) {
	place := func(w string) bool { return w == "beijing" || w == "chengdu" || w == "harbin" }
	for _, tc := range []struct{ in, want string }{
		{"Beijing Zhipu Huazhang Technology Co., Ltd.", "Zhipu Huazhang"},
		{"Chengdu Suanze Technology Co., Ltd.", "Suanze"},
		{"Harbin Chuangyue Technology Co. Ltd.", "Chuangyue"},
		{"Zhipu AI", "Zhipu"},
		{"Moore Thread Intelligent Technology (Beijing) Co., Ltd.", ""}, // English words, not pinyin
		{"Beijing Technology Co., Ltd.", ""},                            // no trade name
		{"Beijing Zhipu Co., Ltd.", ""},                                 // no industry word
		{"Beijing Zhong Guo Tong Technology Co., Ltd.", ""},             // three words
		{"Beijing Hua Technology Co., Ltd.", ""},                        // too short
		{"Able Electronics Co., Ltd.", ""},                              // an English word
	} {
		got, ok := TradeName(tc.in, place)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("TradeName(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}
