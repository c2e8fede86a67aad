package evaluate

import (
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/normalize"
)

// Variant is a query made from a real list name, and the entry it must find.
type Variant struct {
	Category string
	Query    string
	Kind     tradescreen.Kind
	// Target is the key (source/source_id) of the entry the query must find.
	Target string
	// Original is the list name the query was made from.
	Original string
}

// Categories are the variation kinds, in report order: the standard screening-effectiveness categories.
var Categories = []string{
	"typo1", "typo2", "reorder", "last_first", "drop_middle", "initials", "honorific", "legal_form",
	"abbreviation", "joined", "split", "noise", "transliteration", "other_list", "given_surname", "suffix", "acronym", "other_script",
	"truncated",
}

// CategoryDescriptions say what each category does to a name.
var CategoryDescriptions = map[string]string{
	"typo1":           "one typo (substitution, insertion, deletion or transposition, first letter included)",
	"typo2":           "two typos in different words (or in one long word)",
	"reorder":         "the words in another order",
	"last_first":      "a person's name as \"LAST, First\" (or the list's \"LAST, First\" as \"First Last\")",
	"drop_middle":     "a person's middle name or patronymic left out",
	"initials":        "a person's given name written as its initial",
	"honorific":       "a title or honorific added (Mr., Dr., Sheikh, General ...)",
	"legal_form":      "an organization's legal form written another way, changed or dropped",
	"abbreviation":    "an organization's common word abbreviated (International -> Intl, Company -> Co)",
	"joined":          "two adjacent words written as one",
	"split":           "a long word split in two",
	"noise":           "case, punctuation and spacing changed",
	"transliteration": "a person's name with another common romanization (Mohammed/Muhammad, Sergey/Sergei ...)",
	"other_list":      "the same party as another list spells it (UK list name -> UN entry, linked by UN reference)",
	"given_surname":   "a person of three names or more screened by given name and surname only",
	"suffix":          "a generational suffix added to a person's name (Jr., Sr., II, III)",
	"acronym":         "an organization by its acronym: the list's in parentheses or as another name, else its name's initials",
	"other_script":    "a person's name as the UN list writes it in its own script (Arabic, Cyrillic ...) -> the UK entry, linked by UN reference",
	"truncated":       "a long name cut off at a field's width, inside a word as often (customer records, payment messages)",
}

// GenerateOptions control the generator.
type GenerateOptions struct {
	Seed        uint64
	PerCategory int
}

// Generate makes up to PerCategory variants per category from entries. The same entries and options give the
// same variants.
func Generate(entries []tradescreen.Entry, opt GenerateOptions) []Variant {
	if opt.PerCategory <= 0 {
		opt.PerCategory = 200
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	// A stable order whatever the load order.
	idx := make([]int, len(entries))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return entries[idx[a]].Key() < entries[idx[b]].Key() })
	var persons, orgs []*tradescreen.Entry
	for _, i := range idx {
		e := &entries[i]
		switch e.Kind {
		case tradescreen.KindPerson:
			persons = append(persons, e)
		case tradescreen.KindOrganization:
			orgs = append(orgs, e)
		}
	}
	all := append(append([]*tradescreen.Entry(nil), persons...), orgs...)
	var out []Variant
	for _, cat := range Categories {
		var pool []*tradescreen.Entry
		switch cat {
		case "last_first", "drop_middle", "initials", "honorific", "transliteration", "given_surname", "suffix":
			pool = persons
		case "legal_form", "abbreviation", "acronym":
			pool = orgs
		case "other_list":
			out = append(out, otherList(entries, rng, opt.PerCategory)...)
			continue
		case "other_script":
			out = append(out, otherScript(entries, rng, opt.PerCategory)...)
			continue
		default:
			pool = all
		}
		made := 0
		seen := map[string]bool{}
		for tries := 0; made < opt.PerCategory && tries < opt.PerCategory*200 && len(pool) > 0; tries++ {
			e := pool[rng.IntN(len(pool))]
			if seen[e.Key()] {
				continue
			}
			if cat == "acronym" {
				if q, orig, ok := acronymVariant(e, rng); ok {
					seen[e.Key()] = true
					out = append(out, Variant{Category: cat, Query: q, Kind: queryKind(e.Kind, rng), Target: e.Key(), Original: orig})
					made++
				}
				continue
			}
			name := e.Name
			if len(e.Aliases) > 0 && rng.IntN(4) == 0 {
				a := e.Aliases[rng.IntN(len(e.Aliases))]
				if a.Script == "" && a.Type != tradescreen.NameWeakAKA {
					name = a.Full
				}
			}
			if !latinName(name) {
				continue
			}
			q, ok := vary(cat, name, e.Kind, rng)
			if !ok || normalize.Fold(q) == "" {
				continue
			}
			seen[e.Key()] = true
			out = append(out, Variant{Category: cat, Query: q, Kind: queryKind(e.Kind, rng), Target: e.Key(), Original: name})
			made++
		}
	}
	return out
}

// queryKind leaves the type out of half of the queries, as users often do.
func queryKind(k tradescreen.Kind, rng *rand.Rand) tradescreen.Kind {
	if rng.IntN(2) == 0 {
		return ""
	}
	return k
}

func latinName(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if r > unicode.MaxLatin1 && !unicode.In(r, unicode.Latin) {
				return false
			}
			letters++
		}
	}
	return letters >= 4
}

// words splits a name on spaces, keeping punctuation attached.
func words(s string) []string { return strings.Fields(s) }

func letterCount(w string) int {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

const alphabet = "abcdefghijklmnopqrstuvwxyz"

// typo applies one random edit to a word's letters.
func typo(w string, rng *rand.Rand) string {
	r := []rune(w)
	var pos []int
	for i, c := range r {
		if unicode.IsLetter(c) {
			pos = append(pos, i)
		}
	}
	if len(pos) < 2 {
		return w
	}
	i := pos[rng.IntN(len(pos))]
	c := rune(alphabet[rng.IntN(26)])
	if unicode.IsUpper(r[i]) {
		c = unicode.ToUpper(c)
	}
	switch rng.IntN(4) {
	case 0: // substitution
		if r[i] == c {
			c = rune(alphabet[(strings.IndexRune(alphabet, unicode.ToLower(c))+1)%26])
		}
		r[i] = c
	case 1: // insertion
		r = append(r[:i], append([]rune{c}, r[i:]...)...)
	case 2: // deletion
		r = append(r[:i], r[i+1:]...)
	default: // transposition with the next letter
		if i+1 < len(r) && unicode.IsLetter(r[i+1]) && r[i] != r[i+1] {
			r[i], r[i+1] = r[i+1], r[i]
		} else {
			r = append(r[:i], r[i+1:]...)
		}
	}
	return string(r)
}

// distinctive returns the indexes of words with at least min letters that are not legal forms.
func distinctive(ws []string, min int) []int {
	var out []int
	for i, w := range ws {
		f := normalize.Fold(w)
		if letterCount(w) < min {
			continue
		}
		if _, legal := normalize.LegalForm(f); legal {
			continue
		}
		out = append(out, i)
	}
	return out
}

var honorificList = []string{"Mr.", "Dr.", "Sheikh", "General", "Haji", "Mrs.", "Prof.", "Colonel", "Mullah", "Sir"}

var abbreviations = map[string]string{
	"international": "Intl", "company": "Co", "corporation": "Corp", "limited": "Ltd", "technology": "Tech",
	"technologies": "Techs", "industries": "Inds", "industrial": "Indl", "manufacturing": "Mfg",
	"national": "Natl", "association": "Assn", "department": "Dept", "university": "Univ",
	"institute": "Inst", "group": "Grp", "services": "Svcs", "management": "Mgmt", "development": "Dev",
	"electronics": "Elec", "holdings": "Hldgs", "brothers": "Bros", "trading": "Trdg", "engineering": "Eng",
	"incorporated": "Inc", "establishment": "Est", "enterprises": "Ent", "organization": "Org",
	"research": "Res", "science": "Sci", "sciences": "Sci", "academy": "Acad", "import": "Imp",
	"export": "Exp", "shipping": "Shpg", "investment": "Inv", "construction": "Constr",
	"communications": "Comms", "petroleum": "Petrol", "equipment": "Equip", "aviation": "Aviat",
	"general": "Gen", "bank": "Bk", "center": "Ctr", "centre": "Ctr", "laboratory": "Lab",
}

// legalRewrites are legal forms written another way, changed to a near form, or dropped.
var legalRewrites = map[string][]string{
	"ltd":  {"Limited", "Co. Ltd", "Company Limited", "", "LLC"},
	"llc":  {"L.L.C.", "Limited Liability Company", "", "Ltd", "OOO"},
	"jsc":  {"Joint Stock Company", "JSC", "OAO", "", "PJSC"},
	"inc":  {"Corporation", "Corp.", "Inc.", "", "Incorporated"},
	"co":   {"Company", "Co.", "", "Co Ltd"},
	"gmbh": {"GmbH", "AG", ""},
	"sa":   {"S.A.", "SA", "", "SRL"},
	"plc":  {"PLC", "Public Limited Company", ""},
	"fze":  {"FZE", "FZCO", "FZ LLC", ""},
	"est":  {"Establishment", "Est.", ""},
	"ent":  {"Enterprise", ""},
	"ag":   {"AG", "GmbH", ""},
	"lp":   {"L.P.", "Limited Partnership", ""},
}

var translitGroups = [][]string{
	{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad", "Mohammad"},
	{"Ahmed", "Ahmad", "Ahmet"}, {"Sergey", "Sergei", "Serguei"}, {"Yusuf", "Yousef", "Youssef", "Yusef", "Yousif"},
	{"Hussein", "Husain", "Hussain", "Husayn", "Hossein"}, {"Abdul", "Abdel", "Abd al"}, {"Omar", "Umar"},
	{"Osama", "Usama"}, {"Aleksandr", "Alexander", "Aleksander", "Alexandr"}, {"Yevgeny", "Evgeny", "Evgeniy", "Yevgeniy"},
	{"Dmitry", "Dmitri", "Dmitriy"}, {"Yuri", "Yury", "Yuriy"}, {"Andrey", "Andrei"}, {"Alexey", "Aleksei", "Aleksey", "Alexei"},
	{"Nikolay", "Nikolai"}, {"Mikhail", "Mikhael"}, {"Ali", "Aly"}, {"Hassan", "Hasan"}, {"Khalid", "Khaled"},
	{"Abdullah", "Abdallah", "Abdulla"}, {"Abdulrahman", "Abdurrahman", "Abdul Rahman", "Abdelrahman"},
	{"Mustafa", "Mostafa", "Moustafa"}, {"Mahmoud", "Mahmud", "Mahmood"}, {"Ibrahim", "Ebrahim", "Ibraheem"},
	{"Ismail", "Esmail", "Ismael"}, {"Said", "Saeed", "Sayed"}, {"Hamid", "Hameed"}, {"Rashid", "Rasheed", "Rachid"},
	{"Qasim", "Kasim", "Qassem", "Kassem"}, {"Jafar", "Jaafar", "Ja'far"}, {"Nasser", "Nasir", "Naser"},
	{"Faisal", "Faysal", "Feisal"}, {"Mansour", "Mansur", "Mansoor"}, {"Yahya", "Yehia", "Yahia"},
	{"Sulaiman", "Suleiman", "Sulayman", "Soleiman"}, {"Vladimir", "Wladimir"}, {"Yevgenia", "Evgenia"},
	{"Viktor", "Victor"}, {"Konstantin", "Constantin"}, {"Kim", "Gim"}, {"Jong", "Chong"}, {"Choe", "Choi"},
	{"Ri", "Rhee", "Lee"}, {"Pak", "Park"}, {"Mohsen", "Muhsin", "Mohsin"}, {"Reza", "Rida", "Riza"},
}

// vary makes a variation of category cat of the list name name, or reports that the name allows none: it
// hands the name to the maker of that category.
func vary(cat, name string, kind tradescreen.Kind, rng *rand.Rand) (string, bool) {
	ws := words(name)
	switch cat {
	case "typo1":
		return typoOne(ws, name, rng)
	case "typo2":
		return typoTwo(ws, name, rng)
	case "reorder":
		return reorder(name, rng)
	case "last_first":
		return lastFirst(ws, name)
	case "drop_middle":
		return dropMiddle(name, rng)
	case "given_surname":
		return givenSurname(name)
	case "suffix":
		return name + []string{" Jr.", " Sr.", " II", " III", ", Jr."}[rng.IntN(5)], true
	case "initials":
		return initial(name)
	case "honorific":
		return honorificList[rng.IntN(len(honorificList))] + " " + name, true
	case "legal_form":
		return legalForm(ws, name, rng)
	case "abbreviation":
		return abbreviate(ws, name, rng)
	case "joined":
		return joinWords(ws, name, rng)
	case "split":
		return splitWord(ws, name, rng)
	case "noise":
		return noise(name, rng)
	case "transliteration":
		return transliterate(ws, rng)
	case "truncated":
		return truncate(name, rng)
	}
	return changed(ws, name)
}

// truncate cuts a name of 28 characters or more off as a field of fixed width holds it (35 characters a
// line in SWIFT MT messages, 40 or so in many customer records): after 60 % of its characters at least
// (20 at least), two before its end at most, wherever that falls, inside a word as often as not.
func truncate(name string, rng *rand.Rand) (string, bool) {
	r := []rune(name)
	if len(r) < 28 {
		return "", false
	}
	lo := max(20, len(r)*6/10)
	q := strings.TrimRight(string(r[:lo+rng.IntN(len(r)-1-lo)]), " ,.;:-/&('")
	return q, q != name && hasName(words(q))
}

// changed returns the words ws written as a name, and whether that differs from name.
// hasName reports whether words hold a name: a word that is neither a title nor a stop word ("Haji",
// "Abu" and "El" alone are none).
func hasName(words []string) bool {
	for _, w := range words {
		for _, f := range strings.Fields(normalize.Fold(w)) {
			if !normalize.IsHonorific(f) && !normalize.IsStopWord(f) && f != "abu" && f != "bin" && f != "ibn" {
				return true
			}
		}
	}
	return false
}

func changed(ws []string, name string) (string, bool) {
	q := strings.Join(ws, " ")
	return q, q != name
}

// typoOne makes one typo in a distinctive word of four letters or more.
func typoOne(ws []string, name string, rng *rand.Rand) (string, bool) {
	d := distinctive(ws, 4)
	if len(d) == 0 {
		return "", false
	}
	i := d[rng.IntN(len(d))]
	ws[i] = typo(ws[i], rng)
	return changed(ws, name)
}

// typoTwo makes a typo in each of two distinctive words, or two in one long word when it is the only one.
func typoTwo(ws []string, name string, rng *rand.Rand) (string, bool) {
	d := distinctive(ws, 4)
	if len(d) >= 2 {
		rng.Shuffle(len(d), func(a, b int) { d[a], d[b] = d[b], d[a] })
		ws[d[0]] = typo(ws[d[0]], rng)
		ws[d[1]] = typo(ws[d[1]], rng)
	} else if len(d) == 1 && letterCount(ws[d[0]]) >= 8 {
		ws[d[0]] = typo(typo(ws[d[0]], rng), rng)
	} else {
		return "", false
	}
	return changed(ws, name)
}

// reorder shuffles the words (commas dropped) of a name of two to six words into another order.
func reorder(name string, rng *rand.Rand) (string, bool) {
	clean := strings.Fields(strings.NewReplacer(",", " ").Replace(name))
	if len(clean) < 2 || len(clean) > 6 {
		return "", false
	}
	orig := strings.Join(clean, " ")
	for k := 0; k < 5 && strings.Join(clean, " ") == orig; k++ {
		rng.Shuffle(len(clean), func(a, b int) { clean[a], clean[b] = clean[b], clean[a] })
	}
	return strings.Join(clean, " "), true
}

// lastFirst writes "First Last" as "LAST, First", and the list's "LAST, First" as "First LAST".
func lastFirst(ws []string, name string) (string, bool) {
	if strings.Contains(name, ",") {
		last, first, _ := strings.Cut(name, ",")
		return strings.TrimSpace(first) + " " + strings.TrimSpace(last), true
	}
	if len(ws) < 2 {
		return "", false
	}
	return strings.ToUpper(ws[len(ws)-1]) + ", " + strings.Join(ws[:len(ws)-1], " "), true
}

// dropMiddle leaves out a middle name of a name of three words or more: the last given name of "LAST, First
// Middle", else a word between the first and the last.
func dropMiddle(name string, rng *rand.Rand) (string, bool) {
	clean := strings.Fields(strings.NewReplacer(",", " ").Replace(name))
	if len(clean) < 3 {
		return "", false
	}
	if _, given, ok := strings.Cut(name, ","); ok {
		// "LAST, Given Middle": the last of two given names or more; with one, there is no middle name
		// ("CASTRO CORDERO, Natanael"), nor when the given name left would be a title or an article
		// ("KHAN, Haji Mohammad", "ELSHEIKH, El Shafee"), or the list's "LAST, JR., First".
		gs := strings.Fields(given)
		if len(gs) < 2 || normalize.GenerationalSuffix(name) != "" {
			return "", false
		}
		if !hasName(gs[:len(gs)-1]) {
			return "", false
		}
		return strings.Join(clean[:len(clean)-1], " "), true
	}
	i := 1 + rng.IntN(len(clean)-2)
	return strings.Join(append(clean[:i:i], clean[i+1:]...), " "), true
}

// initial writes the first given name, after the comma in "LAST, First", else the first word, as its
// initial.
func initial(name string) (string, bool) {
	clean := strings.Fields(strings.NewReplacer(",", " ").Replace(name))
	if len(clean) < 2 {
		return "", false
	}
	i := 0
	if strings.Contains(name, ",") {
		last, _, _ := strings.Cut(name, ",")
		i = len(strings.Fields(last))
		if i >= len(clean) {
			return "", false
		}
	}
	r := []rune(clean[i])
	if len(r) < 2 || !unicode.IsLetter(r[0]) {
		return "", false
	}
	clean[i] = string(unicode.ToUpper(r[0])) + "."
	return strings.Join(clean, " "), true
}

// legalForm rewrites the legal form ending a name another way (or drops it), or adds one to a name that has
// none.
func legalForm(ws []string, name string, rng *rand.Rand) (string, bool) {
	f := normalize.Tokens(name, normalize.Options{})
	if len(f) < 2 {
		return "", false
	}
	last := f[len(f)-1]
	if last.Class != normalize.Legal {
		adds := []string{"Ltd", "LLC", "Co., Ltd.", "Inc.", "GmbH", "JSC", "Limited"}
		return strings.TrimRight(name, ". ") + " " + adds[rng.IntN(len(adds))], true
	}
	// Find where the legal form starts in the written name and rewrite it.
	for k := len(ws) - 1; k >= 1; k-- {
		tail := normalize.Tokens(strings.Join(ws[k:], " "), normalize.Options{})
		head := normalize.Tokens(strings.Join(ws[:k], " "), normalize.Options{})
		if len(tail) == 1 && tail[0].Class == normalize.Legal && tail[0].Text == last.Text && len(head) == len(f)-1 {
			opts := legalRewrites[last.Text]
			if len(opts) == 0 {
				opts = []string{""}
			}
			rep := opts[rng.IntN(len(opts))]
			q := strings.TrimRight(strings.Join(ws[:k], " "), ", ")
			if rep != "" {
				q += " " + rep
			}
			return q, true
		}
	}
	return "", false
}

// abbreviate writes a word after the first that has a common abbreviation as the abbreviation, with or
// without its full stop.
func abbreviate(ws []string, name string, rng *rand.Rand) (string, bool) {
	var cand []int
	for i, w := range ws {
		if _, ok := abbreviations[normalize.Fold(w)]; ok && i > 0 {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return "", false
	}
	i := cand[rng.IntN(len(cand))]
	ab := abbreviations[normalize.Fold(ws[i])]
	if rng.IntN(2) == 0 {
		ab += "."
	}
	if strings.HasSuffix(ws[i], ",") {
		ab += ","
	}
	ws[i] = ab
	return changed(ws, name)
}

// joinWords writes two adjacent words of two letters or more, the first without a comma or semicolon, as
// one.
func joinWords(ws []string, name string, rng *rand.Rand) (string, bool) {
	var cand []int
	for i := 0; i+1 < len(ws); i++ {
		if letterCount(ws[i]) >= 2 && letterCount(ws[i+1]) >= 2 && !strings.ContainsAny(ws[i], ",;") {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return "", false
	}
	i := cand[rng.IntN(len(cand))]
	ws[i] = ws[i] + ws[i+1]
	ws = append(ws[:i+1], ws[i+2:]...)
	return changed(ws, name)
}

// splitWord splits a word of eight letters or more, without punctuation around it, in two, each part of
// three letters or more.
func splitWord(ws []string, name string, rng *rand.Rand) (string, bool) {
	var cand []int
	for i, w := range ws {
		if letterCount(w) >= 8 && w == strings.Trim(w, ",.;()") {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return "", false
	}
	i := cand[rng.IntN(len(cand))]
	r := []rune(ws[i])
	at := 3 + rng.IntN(len(r)-5)
	ws[i] = string(r[:at]) + " " + string(r[at:])
	return changed(ws, name)
}

// noise changes the name's case, drops its punctuation or changes its spacing; a name the change leaves as
// it was is written in lower case with a space before and a full stop after.
func noise(name string, rng *rand.Rand) (string, bool) {
	s := name
	switch rng.IntN(4) {
	case 0:
		s = strings.ToLower(s)
	case 1:
		s = strings.ToUpper(s)
	case 2:
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(",.'\"()", r) {
				return -1
			}
			return r
		}, s)
	default:
		s = strings.ReplaceAll(s, " ", "  ")
		s = strings.Replace(s, " ", "-", 1)
	}
	if s == name {
		s = " " + strings.ToLower(name) + "."
	}
	return s, true
}

// transliterate writes a word of the name (tried in random order) that has another common romanization in
// translitGroups as another of the group, keeping its upper case.
func transliterate(ws []string, rng *rand.Rand) (string, bool) {
	for _, order := range rng.Perm(len(ws)) {
		w := strings.Trim(ws[order], ",")
		for _, g := range translitGroups {
			for _, v := range g {
				if strings.EqualFold(w, v) {
					alt := g[rng.IntN(len(g))]
					for strings.EqualFold(alt, v) {
						alt = g[rng.IntN(len(g))]
					}
					if strings.ToUpper(w) == w {
						alt = strings.ToUpper(alt)
					}
					ws[order] = strings.Replace(ws[order], w, alt, 1)
					return strings.Join(ws, " "), true
				}
			}
		}
	}
	return "", false
}

// unRefKind reads the kind a UN reference number encodes: "QDi.006" an individual, "KPe.001" an entity.
func unRefKind(ref string) tradescreen.Kind {
	prefix, _, ok := strings.Cut(ref, ".")
	if !ok || len(prefix) < 3 {
		return ""
	}
	switch prefix[len(prefix)-1] {
	case 'I':
		return tradescreen.KindPerson
	case 'E':
		return tradescreen.KindOrganization
	}
	return ""
}

// otherList pairs UK list entries with the UN entries they carry the reference of: the UK spelling is the
// query, the UN entry the target.
func otherList(entries []tradescreen.Entry, rng *rand.Rand, n int) []Variant {
	un := map[string]string{}
	for i := range entries {
		if entries[i].Source == "un_sc" {
			un[strings.ToUpper(entries[i].SourceID)] = entries[i].Key()
		}
	}
	var cands []Variant
	for i := range entries {
		e := &entries[i]
		for _, ref := range ukUNRefs(e) {
			if key, ok := un[ref]; ok && latinName(e.Name) {
				cands = append(cands, Variant{Category: "other_list", Query: e.Name, Kind: queryKind(e.Kind, rng), Target: key, Original: e.Name})
			}
		}
	}
	return pick(cands, rng, n)
}

// ukUNRefs returns the UN references a UK list entry carries for a party of its own kind: a UN reference
// names an individual ("QDi.") or an entity ("QDe."), and a UK person that cites an entity's reference (the
// UK list sometimes cites a related party's) is not the same party.
func ukUNRefs(e *tradescreen.Entry) []string {
	if e.Source != "gb_hmt" {
		return nil
	}
	var refs []string
	for _, id := range e.Identifiers {
		if id.Type != "UN Ref" {
			continue
		}
		ref := strings.ToUpper(strings.TrimSpace(id.Number))
		if k := unRefKind(ref); k != "" && e.Kind != "" && e.Kind != tradescreen.KindUnknown && k != e.Kind {
			continue
		}
		refs = append(refs, ref)
	}
	return refs
}

// pick returns n of cands (all when fewer), drawn by rng from a stable order.
func pick(cands []Variant, rng *rand.Rand, n int) []Variant {
	sort.Slice(cands, func(a, b int) bool { return cands[a].Target+cands[a].Query < cands[b].Target+cands[b].Query })
	rng.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
	if len(cands) > n {
		cands = cands[:n]
	}
	return cands
}

// otherScript pairs the persons' names the UN list gives in their original script (Arabic, Cyrillic ...)
// with the UK entries that carry the UN entry's reference: the name in its own script is the query, the UK
// entry, which writes it in Latin letters only, the target. A customer file or a counterparty's own documents
// write a name so. The UN entry itself holds the name as written, so only the UK entry tells whether the name
// was read; its rank says little. Organizations are left out: their names in another script are
// translations ("جبهة النصرة لأهل الشام" for AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT), which no reading
// of the letters reaches.
func otherScript(entries []tradescreen.Entry, rng *rand.Rand, n int) []Variant {
	uk := map[string][]string{}
	for i := range entries {
		for _, ref := range ukUNRefs(&entries[i]) {
			uk[ref] = append(uk[ref], entries[i].Key())
		}
	}
	var cands []Variant
	for i := range entries {
		e := &entries[i]
		if e.Source != "un_sc" || e.Kind != tradescreen.KindPerson {
			continue
		}
		for _, a := range e.Aliases {
			if a.Script == "" {
				continue
			}
			for _, key := range uk[strings.ToUpper(e.SourceID)] {
				cands = append(cands, Variant{Category: "other_script", Query: a.Full, Kind: queryKind(e.Kind, rng), Target: key, Original: e.Name})
			}
		}
	}
	return pick(cands, rng, n)
}

// QuickVariant returns s varied one cheap way, chosen by rng: two letters of its longest word swapped
// (letters, not bytes: names are UTF-8), its last word dropped, its first and last words swapped, lower case,
// or punctuation removed. The load and soak tests use it for a stream of realistic queries; the evaluation
// uses Generate.
func QuickVariant(rng *rand.Rand, s string) string {
	w := strings.Fields(s)
	switch rng.IntN(5) {
	case 0:
		li := 0
		for i := range w {
			if len(w[i]) > len(w[li]) {
				li = i
			}
		}
		if len(w) > 0 {
			if r := []rune(w[li]); len(r) > 3 {
				j := 1 + rng.IntN(len(r)-2)
				r[j], r[j+1] = r[j+1], r[j]
				w[li] = string(r)
			}
		}
	case 1:
		if len(w) > 2 {
			w = w[:len(w)-1]
		}
	case 2:
		if len(w) > 1 {
			w[0], w[len(w)-1] = w[len(w)-1], w[0]
		}
	case 3:
		return strings.ToLower(s)
	case 4:
		return strings.NewReplacer(",", "", ".", "", "-", " ", "(", "", ")", "").Replace(s)
	}
	return strings.Join(w, " ")
}

// givenSurname keeps the first given name and the surname of a person's name of three names or more:
// "LAST, First Middle" and "First Middle Last" both give "First Last". Names with a connector (bin, al,
// de ...) are left out: which words make the surname is not known.
func givenSurname(name string) (string, bool) {
	clean := strings.Fields(strings.NewReplacer(",", " ").Replace(name))
	if len(clean) < 3 {
		return "", false
	}
	if normalize.GenerationalSuffix(name) != "" {
		return "", false
	}
	for _, w := range clean {
		if t := normalize.Tokens(w, normalize.Options{Person: true}); len(t) != 1 || t[0].Class != normalize.Word || len(t[0].Text) < 2 {
			return "", false // a connector, a title or an initial: which words make the name is not known
		}
	}
	if len(normalize.Tokens(strings.Join(clean, " "), normalize.Options{Person: true})) != len(clean) {
		return "", false // a title ("Dr.", "Haji", "Seyed") read as one beside a name: it is no given name
	}
	if last, _, ok := strings.Cut(name, ","); ok {
		n := len(strings.Fields(last))
		if n != 1 {
			return "", false
		}
		return clean[1] + " " + clean[0], true
	}
	return clean[0] + " " + clean[len(clean)-1], true
}
