package normalize

import "strings"

// Wade-Giles is the romanization of Mandarin that pinyin replaced: older documents, Taiwanese names and
// many lists still write "Mao Tse-tung" for Mao Zedong and "Hsi Chin-ping" for Xi Jinping. Without its
// apostrophes (which the lists and most typed queries drop) a syllable has up to four pinyin readings:
// "ping" is bing or ping (p'ing), "chin" jin or qin, "tse" ze or ce. The rules below are the standard
// correspondence of initials and finals; a reading counts only when it is a syllable of pinyin (the syllables
// of the go-pinyin dictionary, MIT).

// pinyinText holds the toneless pinyin syllables: every reading in the go-pinyin dictionary (MIT), tones and
// marks removed (TestPinyinSyllables checks it against the dictionary).
const pinyinText = `
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai
can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun huo ji jia jian
jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku
kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin
ling liu lo long lou lu luan lue lun luo m ma mai man mang mao me mei men meng mi mian miao mie min
ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu
nong nou nu nuan nue nun nuo o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou
pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong
rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen
sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan
tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng
wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin
ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe
zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui
zun zuo
`

var pinyinSyllables = func() map[string]bool {
	m := make(map[string]bool, 512)
	for _, s := range strings.Fields(pinyinText) {
		m[s] = true
	}
	return m
}()

// isPinyin reports whether s is a toneless pinyin syllable.
func isPinyin(s string) bool { return pinyinSyllables[s] }

// PinyinNear reports whether two different folded pinyin syllables differ only in an initial that
// speakers of other Chinese languages and foreign ears do not tell apart, and so romanizations outside
// pinyin write alike: x, s and sh (Xi, Si, Shi), q, c and ch, j, z and zh.
func PinyinNear(a, b string) bool {
	if a == b || len(a) > 6 || len(b) > 6 || len(a) == 0 || len(b) == 0 ||
		strings.IndexByte("xsqcjz", a[0]) < 0 || strings.IndexByte("xsqcjz", b[0]) < 0 || !isPinyin(a) || !isPinyin(b) {
		return false
	}
	ia, fa := pinyinSplit(a)
	ib, fb := pinyinSplit(b)
	return fa == fb && ia != ib && sibilantClass(ia) != 0 && sibilantClass(ia) == sibilantClass(ib)
}

// pinyinSplit splits a pinyin syllable into its initial (the consonants before the first vowel) and final.
func pinyinSplit(s string) (string, string) {
	i := strings.IndexAny(s, "aeiouv")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// sibilantClass groups the initials written alike outside pinyin (1: x s sh, 2: q c ch, 3: j z zh); 0 for
// the others.
func sibilantClass(initial string) int {
	switch initial {
	case "x", "s", "sh":
		return 1
	case "q", "c", "ch":
		return 2
	case "j", "z", "zh":
		return 3
	}
	return 0
}

// wgInitials are the Wade-Giles initials that differ from pinyin, longest first, with their pinyin readings
// (unaspirated first).
var wgInitials = []struct {
	wg string
	py []string
}{
	{"hs", []string{"x"}},
	{"ch", []string{"zh", "ch", "j", "q"}},
	{"ts", []string{"z", "c"}},
	{"tz", []string{"z", "c"}},
	{"ss", []string{"s"}},
	{"sz", []string{"s"}},
	{"sh", []string{"sh"}},
	{"k", []string{"g", "k"}},
	{"p", []string{"b", "p"}},
	{"t", []string{"d", "t"}},
	{"j", []string{"r"}},
}

// wgFinal returns the pinyin final of a Wade-Giles final after initial py ("" for none).
func wgFinal(py, f string) string {
	switch {
	case f == "ih" && (py == "zh" || py == "ch" || py == "sh" || py == "r"):
		return "i"
	case f == "u" && (py == "z" || py == "c" || py == "s"):
		return "i" // tzu, ssu
	case f == "o" && (py == "g" || py == "k" || py == "h"):
		return "e" // ko, k'o, ho
	case py == "" && f == "erh":
		return "er"
	case py == "" && f == "i":
		return "yi"
	case py == "" && f == "yu":
		return "you"
	case strings.HasSuffix(f, "ieh"):
		return f[:len(f)-3] + "ie"
	case strings.HasSuffix(f, "ien"):
		return f[:len(f)-3] + "ian"
	case strings.HasSuffix(f, "iung"):
		return f[:len(f)-4] + "iong"
	case strings.HasSuffix(f, "ung"):
		return f[:len(f)-3] + "ong"
	case strings.HasSuffix(f, "uei"):
		return f[:len(f)-3] + "ui"
	case strings.HasSuffix(f, "eh"):
		return f[:len(f)-2] + "e"
	}
	return f
}

// wadeGilesSyllable returns the pinyin readings of one folded Wade-Giles syllable, or nil when it is none.
func wadeGilesSyllable(s string) []string {
	if len(s) == 0 || len(s) > 6 {
		return nil
	}
	var out []string
	add := func(py string) {
		if isPinyin(py) {
			for _, o := range out {
				if o == py {
					return
				}
			}
			out = append(out, py)
		}
	}
	for _, in := range wgInitials {
		if strings.HasPrefix(s, in.wg) && len(s) > len(in.wg) {
			f := s[len(in.wg):]
			for _, py := range in.py {
				add(py + wgFinal(py, f))
			}
			return out
		}
	}
	// The other initials (m, f, n, l, h, s, y, w) and none are written alike.
	i := 0
	if c := s[0]; c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u' {
		i = 1
	}
	if i == 1 && s[:1] == "y" {
		// y + final: yeh -> ye, yung -> yong, yu stays yu (WG yü), yu also you.
		add("y" + wgFinal("y", s[1:]))
		if s == "yu" {
			add("you")
		}
		return out
	}
	add(s[:i] + wgFinal(s[:i], s[i:]))
	return out
}

// maxWadeGiles is the most readings WadeGiles returns.
const maxWadeGiles = 8

// WadeGiles returns the pinyin readings of a folded name written in Wade-Giles (each word a syllable, at
// least one of them no pinyin syllable as written: "mao tse tung" -> "mao ze dong", "mao ce dong", ...), the
// unaspirated readings first, at most maxWadeGiles of them; nil for any other name.
func WadeGiles(folded string) []string {
	words := strings.Fields(folded)
	if len(words) < 2 || len(words) > 5 {
		return nil
	}
	readings := make([][]string, len(words))
	wgOnly := false
	for i, w := range words {
		r := wadeGilesSyllable(w)
		if len(r) == 0 {
			r = wadeGilesPair(w)
		}
		if len(r) == 0 {
			return nil
		}
		readings[i] = r
		if !isPinyin(w) {
			wgOnly = true
		}
	}
	if !wgOnly {
		return nil // pinyin as written
	}
	out := []string{""}
	for _, r := range readings {
		var next []string
		for _, prefix := range out {
			for _, py := range r {
				if len(next) == maxWadeGiles {
					break
				}
				if prefix == "" {
					next = append(next, py)
				} else {
					next = append(next, prefix+" "+py)
				}
			}
		}
		out = next
	}
	return out
}

// wadeGilesPair reads a word that is two Wade-Giles syllables written without their hyphen ("Chintao" for
// Chin-t'ao), each of two letters or more, as their pinyin readings joined ("jintao", "zhintao" ...): the
// hyphen is often lost, as the apostrophe is. Nil when no split of the word gives two syllables, or when
// the word is two pinyin syllables as written.
func wadeGilesPair(w string) []string {
	if len(w) < 4 || len(w) > 12 {
		return nil
	}
	for k := 2; k <= len(w)-2; k++ {
		if isPinyin(w[:k]) && isPinyin(w[k:]) {
			return nil // pinyin as written ("Youyou", "Jintao")
		}
	}
	var out []string
	for k := 2; k <= len(w)-2; k++ {
		a, b := wadeGilesSyllable(w[:k]), wadeGilesSyllable(w[k:])
		for _, x := range a {
			for _, y := range b {
				if len(out) < maxWadeGiles {
					out = append(out, x+y)
				}
			}
		}
	}
	return out
}
