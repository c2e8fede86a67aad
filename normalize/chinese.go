package normalize

import (
	"strconv"
	"strings"
	"unicode"
)

// A Chinese organization's name in Chinese characters says in words what the lists write in English: the
// place, then the trade name, then what the company does and its legal form ("浙江大华技术股份有限公司" is
// Zhejiang Dahua Technology Co., Ltd.). Read letter by letter in pinyin ("zhe jiang da hua ji shu gu fen you
// xian gong si") only its place and trade name meet the English name. ChineseEnglish reads the words of
// chineseTerms in English and the rest, the names, in pinyin, a name's characters written as one word.

// chineseTerms are the words of Chinese organizations' names (legal forms, kinds of organization, industries,
// places) in the English the lists give them; "|" separates the ways the lists put one word (工业大学 is
// Harbin's Institute of Technology and Northwestern Polytechnical University). A hand list.
var chineseTerms = map[string]string{
	// legal forms and kinds of organization
	"股份有限公司": "Co., Ltd.", "有限责任公司": "Co., Ltd.", "有限公司": "Co., Ltd.", "集团有限公司": "Group Co., Ltd.",
	"总公司": "Corporation", "分公司": "Branch", "公司": "Company|Corporation", "集团": "Group|Corporation", "控股": "Holdings",
	"研究院": "Research Institute|Academy", "理工大学": "Institute of Technology", "研究所": "Research Institute", "研究中心": "Research Center",
	"中心": "Center", "大学": "University", "工业大学": "Institute of Technology|Polytechnical University", "学院": "Institute", "实验室": "Laboratory", "工厂": "Factory",
	"厂": "Factory", "银行": "Bank", "会社": "Corporation", "协会": "Association", "事务所": "Office",
	// what the organization does
	"技术": "Technology", "科技": "Technology|Science and Technology", "航天科工": "Aerospace Science and Industry", "信息": "Information", "电子": "Electronics",
	"微电子": "Microelectronics", "半导体": "Semiconductor", "集成电路": "Integrated Circuit",
	"通信": "Communication", "通讯": "Communication", "网络": "Network", "软件": "Software", "数字": "Digital",
	"智能": "Intelligent", "人工智能": "Artificial Intelligence", "光电": "Optoelectronic", "光学": "Optical",
	"精密": "Precision", "仪器": "Instrument", "设备": "Equipment", "机械": "Machinery", "制造": "Manufacturing",
	"工业": "Industrial|Industry", "产业": "Industry", "物理": "Physics", "航空工业": "Aviation Industry",
	"兵器工业": "Ordnance Industry|North Industries", "工程": "Engineering", "材料": "Materials", "化工": "Chemical", "化学": "Chemical",
	"能源": "Energy", "电力": "Power", "航空": "Aviation|Aeronautical", "航空航天": "Aeronautics and Astronautics", "航天": "Aerospace", "船舶": "Shipbuilding",
	"重工": "Heavy Industry", "海运": "Shipping", "航运": "Shipping", "船务": "Shipping", "物流": "Logistics",
	"贸易": "Trading", "商贸": "Trading", "进出口": "Import and Export", "国际": "International",
	"投资": "Investment", "发展": "Development", "实业": "Industrial", "医药": "Pharmaceutical",
	"生物": "Biotechnology", "安全": "Security", "系统": "Systems", "控制": "Control", "自动化": "Automation",
	"雷达": "Radar", "导航": "Navigation", "卫星": "Satellite", "兵器": "Ordnance", "核工业": "Nuclear Industry",
	"钢铁": "Steel", "石油": "Petroleum", "天然气": "Natural Gas", "石化": "Petrochemical", "矿业": "Mining",
	"建设": "Construction", "建筑": "Construction", "铁路": "Railway", "交通": "Transportation",
	"汽车": "Automobile", "电气": "Electric", "科学": "Science", "研究": "Research", "国防": "National Defense",
	"军事": "Military", "数据": "Data", "计算机": "Computer", "视觉": "Vision", "图像": "Image",
	"联合": "Joint", "合资": "Joint Venture", "机电": "Electromechanical", "电机": "Electric Machinery",
	"新材料": "New Materials", "新能源": "New Energy", "无人机": "Unmanned Aerial Vehicle",
	"创新": "Innovation", "纺织": "Textile", "服务": "Services", "管理": "Management", "咨询": "Consulting",
	// places
	"中国": "China", "中华": "China", "朝鲜": "Korea", "香港": "Hong Kong", "澳门": "Macau", "台湾": "Taiwan",
	"北京": "Beijing", "上海": "Shanghai", "天津": "Tianjin", "重庆": "Chongqing", "广州": "Guangzhou",
	"深圳": "Shenzhen", "杭州": "Hangzhou", "南京": "Nanjing", "武汉": "Wuhan", "成都": "Chengdu", "西安": "Xian",
	"哈尔滨": "Harbin", "长沙": "Changsha", "苏州": "Suzhou", "无锡": "Wuxi", "合肥": "Hefei", "厦门": "Xiamen",
	"青岛": "Qingdao", "大连": "Dalian", "沈阳": "Shenyang", "郑州": "Zhengzhou", "济南": "Jinan",
	"福州": "Fuzhou", "珠海": "Zhuhai", "东莞": "Dongguan", "宁波": "Ningbo", "绵阳": "Mianyang",
	"长春": "Changchun", "昆明": "Kunming", "贵阳": "Guiyang", "南昌": "Nanchang", "太原": "Taiyuan",
	"石家庄": "Shijiazhuang", "兰州": "Lanzhou", "乌鲁木齐": "Urumqi", "浙江": "Zhejiang", "江苏": "Jiangsu",
	"广东": "Guangdong", "山东": "Shandong", "河南": "Henan", "河北": "Hebei", "湖北": "Hubei", "湖南": "Hunan",
	"四川": "Sichuan", "陕西": "Shaanxi", "山西": "Shanxi", "福建": "Fujian", "安徽": "Anhui", "江西": "Jiangxi",
	"辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "云南": "Yunnan", "贵州": "Guizhou",
	"广西": "Guangxi", "新疆": "Xinjiang", "西藏": "Tibet", "内蒙古": "Inner Mongolia", "宁夏": "Ningxia",
	"青海": "Qinghai", "甘肃": "Gansu", "海南": "Hainan", "西北": "Northwestern", "东北": "Northeastern",
	"华南": "South China", "华北": "North China", "华东": "East China",
	// words of an address that say nothing of the name
	"省": "", "市": "", "区": "", "县": "",
}

// chineseSimplified writes the traditional characters of chineseTerms in their simplified form (國際 国际).
var chineseSimplified = map[rune]rune{
	'國': '国', '際': '际', '術': '术', '務': '务', '電': '电', '業': '业', '學': '学', '團': '团', '貿': '贸',
	'資': '资', '發': '发', '導': '导', '體': '体', '網': '网', '絡': '络', '訊': '讯', '設': '设', '備': '备',
	'機': '机', '製': '制', '進': '进', '運': '运', '藥': '药', '東': '东', '廣': '广', '門': '门', '灣': '湾',
	'華': '华', '長': '长', '濱': '滨', '慶': '庆', '蘇': '苏', '無': '无', '錫': '锡', '廈': '厦', '島': '岛',
	'連': '连', '陽': '阳', '鄭': '郑', '濟': '济', '寧': '宁', '貴': '贵', '蘭': '兰', '魯': '鲁', '齊': '齐',
	'遼': '辽', '龍': '龙', '雲': '云', '內': '内', '肅': '肃', '責': '责', '範': '范', '車': '车', '鐵': '铁',
	'礦': '矿', '築': '筑', '氣': '气', '軍': '军', '據': '据', '計': '计', '視': '视', '覺': '觉', '圖': '图',
	'聯': '联', '艦': '舰', '統': '统', '儀': '仪', '準': '准', '鋼': '钢', '衛': '卫', '實': '实', '驗': '验',
	'開': '开', '協': '协', '會': '会', '銀': '银', '廠': '厂', '區': '区', '縣': '县', '創': '创', '師': '师',
	'織': '织', '紡': '纺',
}

// chineseMaxTerm is the length in characters of the longest term.
var chineseMaxTerm = func() int {
	n := 0
	for t := range chineseTerms {
		n = max(n, len([]rune(t)))
	}
	return n
}()

// chineseDigits are the Chinese numerals' values.
var chineseDigits = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads the Chinese numeral that r starts with (up to 999: 十四 14, 五十四 54, 二〇一 201) and
// returns its value and length in characters, or 0, 0.
func chineseNumber(r []rune) (int, int) {
	total, cur, n := 0, -1, 0
	positional := true // digits written one by one, as 二〇一
	for ; n < len(r); n++ {
		switch c := r[n]; {
		case c == '十':
			total += max(cur, 1) * 10
			cur, positional = -1, false
		case c == '百':
			total += max(cur, 1) * 100
			cur, positional = -1, false
		default:
			d, ok := chineseDigits[c]
			if !ok {
				if n == 0 {
					return 0, 0
				}
				return total + max(cur, 0), n
			}
			if cur >= 0 && positional {
				cur = cur*10 + d
			} else {
				cur = d
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return total + max(cur, 0), n
}

// ordinalSuffix is the English ordinal ending of v: st, nd, rd or th.
func ordinalSuffix(v int) string {
	if v%100 >= 11 && v%100 <= 13 {
		return "th"
	}
	switch v % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// chineseMaxReadings bounds the readings of one name that the alternatives of its words make.
const chineseMaxReadings = 8

// ChineseEnglish returns the readings of s, an organization's name written in Chinese characters (and
// nothing but them, parentheses and spaces), with the words of chineseTerms read in English and each run of
// other characters read in pinyin as one word ("浙江大华技术股份有限公司": "Zhejiang dahua Technology Co., Ltd."),
// one reading for each way of putting the words that have several, at most chineseMaxReadings; nil when s is
// not so written or has no such word of two characters or more.
func ChineseEnglish(s string) []string { return chineseReader.read(s) }

var chineseReader = termReader{
	terms: chineseTerms, maxTerm: chineseMaxTerm, simplified: chineseSimplified, ordinals: true,
	script: func(r rune) bool { return unicode.Is(unicode.Han, r) },
	romanize: func(run []rune) string {
		var b strings.Builder
		for _, r := range run {
			b.WriteString(hanPinyin(r))
		}
		return b.String()
	},
}

// termReader reads a name written in one script by a list of its words' English: the words of terms (the
// longest first) in English, each run of other characters of the script romanized as one word.
type termReader struct {
	terms   map[string]string
	maxTerm int
	// script tells the script's characters; simplified writes some of them in the form terms has.
	script     func(rune) bool
	simplified map[rune]rune
	// ordinals reads 第 and a Chinese numeral as an ordinal.
	ordinals bool
	romanize func(run []rune) string
}

// read returns the readings of s (see ChineseEnglish).
func (tr termReader) read(s string) []string {
	// Most names are in Latin letters: they are turned away before anything is allocated.
	for _, r := range s {
		if !tr.script(r) && !unicode.IsSpace(r) && !strings.ContainsRune("()（）·・", r) {
			return nil
		}
	}
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case tr.script(r):
			if t, ok := tr.simplified[r]; ok {
				runes[i] = t
			}
		case unicode.IsSpace(r) || strings.ContainsRune("()（）·・", r):
		default:
			return nil
		}
	}
	var words [][]string // each word's ways
	var run []rune
	flush := func() {
		if len(run) > 0 {
			words = append(words, []string{tr.romanize(run)})
			run = run[:0]
		}
	}
	found := false
	for i := 0; i < len(runes); {
		if !tr.script(runes[i]) {
			flush()
			i++
			continue
		}
		// An ordinal: 第十四研究所 is the 14th Research Institute.
		if tr.ordinals && runes[i] == '第' {
			if v, n := chineseNumber(runes[i+1:]); n > 0 {
				flush()
				words = append(words, []string{strconv.Itoa(v) + ordinalSuffix(v)})
				i += 1 + n
				continue
			}
		}
		n := min(tr.maxTerm, len(runes)-i)
		for ; n >= 1; n-- {
			if _, ok := tr.terms[string(runes[i:i+n])]; ok {
				break
			}
		}
		if n >= 1 {
			flush()
			if t := tr.terms[string(runes[i:i+n])]; t != "" {
				words = append(words, strings.Split(t, "|"))
			}
			found = found || n > 1
			i += n
			continue
		}
		run = append(run, runes[i])
		i++
	}
	flush()
	if !found || len(words) == 0 {
		return nil
	}
	return spellReadings(words, chineseMaxReadings)
}
