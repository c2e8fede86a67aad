package normalize

import "strings"

// Arabic script writes few vowels, so the letter-by-letter transliteration of a name ("محمد علي": "mhmd
// ly") is far from the Latin spellings the lists use ("Mohamed Ali"). The commonest Arabic given names, the
// compounds of Abd, common family names and elements (arabicFamilyNames) and the words of the listed
// persons' names that the UN list gives in both scripts (arabicListNames) are read in their Latin spelling
// instead; the romanization variants
// (Mohammed/Muhammad/Mohamed ...) then bridge the other spellings. The article al- is written apart.

// arabicNames maps an Arabic word (without vowel marks, alef forms made plain) to its common Latin spelling.
var arabicNames = map[string]string{
	"محمد": "mohammed", "احمد": "ahmed", "علي": "ali", "حسن": "hassan", "حسين": "hussein", "عمر": "omar",
	"خالد": "khaled", "يوسف": "yusuf", "ابراهيم": "ibrahim", "مصطفى": "mustafa", "محمود": "mahmoud",
	"سعيد": "saeed", "صالح": "saleh", "فاطمه": "fatima", "فاطمة": "fatima", "عائشه": "aisha", "عائشة": "aisha",
	"مريم": "maryam", "سليمان": "suleiman", "جمال": "jamal", "كريم": "karim", "ناصر": "nasser", "طارق": "tariq",
	"زياد": "ziad", "رشيد": "rashid", "سالم": "salem", "اسامه": "osama", "اسامة": "osama", "بن": "bin",
	"ابن": "ibn", "بنت": "bint", "ابو": "abu", "اسماعيل": "ismail", "عثمان": "othman", "منصور": "mansour",
	"بكر": "bakr", "جعفر": "jafar", "قاسم": "qasim", "حمزه": "hamza", "حمزة": "hamza", "ياسر": "yasser",
	"وليد": "walid", "فيصل": "faisal", "سلطان": "sultan", "عادل": "adel", "هادي": "hadi", "رضا": "reza",
	"جواد": "javad", "مهدي": "mahdi", "عيسى": "issa", "موسى": "musa", "هارون": "harun", "داود": "dawood",
	"زكريا": "zakaria", "يحيى": "yahya", "نور": "nour", "امين": "amin", "انور": "anwar", "بشير": "bashir",
	"نبيل": "nabil", "هشام": "hisham", "سامي": "sami", "كمال": "kamal", "فهد": "fahd", "سعد": "saad",
	"ماجد": "majid", "راشد": "rashid", "حامد": "hamid", "حميد": "hamid", "اكرم": "akram", "عزيز": "aziz",
	"مجيد": "majid", "لطيف": "latif", "رحمن": "rahman", "رحيم": "rahim", "قادر": "qadir",
	"الله": "allah", "عبد": "abd", "عبدالله": "abdullah", "عبدالرحمن": "abdul rahman", "عبدالعزيز": "abdul aziz",
	"قاضي": "qazi", "شيخ": "sheikh", "حاجي": "haji", "مولوي": "mawlawi", "ملا": "mullah",
}

// arabicFamilyNames are common Arab family names, nisbas and family elements (without the article) in
// their common Latin spelling: the tribal and regional names of the Gulf, Iraq and the Levant, the nisbas
// of places and countries, and the words that lead a family name (Ould, Umm).
var arabicFamilyNames = map[string]string{
	"تميمي": "tamimi", "قحطاني": "qahtani", "عتيبي": "otaibi", "دوسري": "dosari", "شمري": "shammari",
	"مطيري": "mutairi", "حربي": "harbi", "عنزي": "anazi", "عمري": "omari", "شهري": "shahri", "قرشي": "qurashi",
	"هاشمي": "hashimi", "انصاري": "ansari", "جبوري": "jubouri", "دليمي": "dulaimi", "كبيسي": "kubaisi",
	"بلوشي": "balushi", "كعبي": "kaabi", "نعيمي": "nuaimi", "مري": "marri", "مهيري": "muhairi",
	"زعبي": "zoubi", "خطيب": "khatib", "نجار": "najjar", "حداد": "haddad", "اسد": "assad", "شامي": "shami",
	"مصري": "masri", "بغدادي": "baghdadi", "حلبي": "halabi", "موصلي": "mosuli", "بصري": "basri",
	"يمني": "yemeni", "ليبي": "libi", "سوري": "suri", "عراقي": "iraqi", "كويتي": "kuwaiti", "فلسطيني": "filastini",
	"لبناني": "lubnani", "اردني": "urduni", "سوداني": "sudani", "جزائري": "jazairi", "تونسي": "tunisi",
	"مغربي": "maghribi", "حسيني": "husseini", "خليفه": "khalifa", "خليفة": "khalifa", "ثاني": "thani",
	"نهيان": "nahyan", "مكتوم": "maktoum", "صباح": "sabah", "سعود": "saud", "ولد": "ould", "ام": "umm",
}

// abdCompounds are the names that follow Abd ("servant of"): عبد الله is Abdullah, عبد الرحمن Abdul Rahman.
var abdCompounds = map[string]string{
	"الله": "abdullah", "الرحمن": "abdul rahman", "العزيز": "abdul aziz", "الكريم": "abdul karim",
	"القادر": "abdul qadir", "الرحيم": "abdul rahim", "الرزاق": "abdul razzaq", "الحميد": "abdul hamid",
	"المجيد": "abdul majid", "اللطيف": "abdul latif", "الناصر": "abdul nasser", "السلام": "abdul salam",
	"الغني": "abdul ghani", "الباقي": "abdul baqi", "الحق": "abdul haq", "الملك": "abdul malik",
}

// arabicName returns the Latin spelling of an Arabic word of a name: a common given name, a family name or
// element, or a word of a listed person's name.
func arabicName(w string) (string, bool) {
	if l, ok := arabicNames[w]; ok {
		return l, true
	}
	if l, ok := arabicFamilyNames[w]; ok {
		return l, true
	}
	l, ok := arabicListNames[w]
	return l, ok
}

// hasArabic reports whether s has a letter of the Arabic block.
func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x621 && r <= 0x64A || r >= 0x671 && r <= 0x6D3 {
			return true
		}
	}
	return false
}

// plainArabic removes vowel marks and tatweel, writes the alef forms as plain alef and the Persian yeh and
// kaf as the Arabic ones.
func plainArabic(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch {
		case r >= 0x64B && r <= 0x65F || r == 0x670 || r == 0x640:
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			b.WriteRune('ا')
		case r == 'ی':
			b.WriteRune('ي') // Persian yeh, as the tables write it (علی: علي, Ali)
		case r == 'ک':
			b.WriteRune('ك') // Persian kaf
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// arabicGivenNames rewrites the known Arabic names of s in their Latin spelling, and writes the article
// al- apart from the word it leads; other words are left to the letter-by-letter transliteration.
func arabicGivenNames(s string) string {
	words := strings.Fields(s)
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); i++ {
		w := plainArabic(words[i])
		if w == "عبد" && i+1 < len(words) {
			if c, ok := abdCompounds[plainArabic(words[i+1])]; ok {
				out = append(out, c)
				i++
				continue
			}
		}
		if l, ok := arabicName(w); ok {
			out = append(out, l)
			continue
		}
		if rest, ok := strings.CutPrefix(w, "ال"); ok && len(rest) >= 4 {
			if l, ok := arabicName(rest); ok {
				rest = l
			}
			out = append(out, "al "+rest)
			continue
		}
		out = append(out, words[i])
	}
	return strings.Join(out, " ")
}
