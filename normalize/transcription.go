package normalize

import "strings"

// Russian and other Cyrillic names reach the lists in the English (BGN/PCGN-like) transcription —
// "Vladimir Yevtushenkov", "Georgy Zhukov" — and customer files in the German or French one: "Wladimir
// Jewtuschenkow", "Dimitri Schukow", "Vladimir Poutine", "Chostakovitch". SlavicReadings reads a name in the
// German or French transcription back into the English one. Latvian and Lithuanian write the same names
// with their own nominative endings ("Sergejs Lavrovs", "Vladimiras Putinas"); they are read back too.

// SlavicReadings returns the readings of a folded person's name in the English transcription of Cyrillic
// when it shows the marks of the German transcription (sch, tsch, w, j before a vowel, -ow, -ew, -ij, -ej) or of
// the French one (ou, tch, ch, -off, -ine), or of the Latvian and Lithuanian ones (-ovs, -ovas, -ejs,
// -ejus ...), each only when one of its words has a strong mark of it (a patronymic or surname ending, sch
// or tch); nil otherwise.
func SlavicReadings(folded string) []string {
	if !strings.ContainsAny(folded, "wj") && !strings.Contains(folded, "sch") && !strings.Contains(folded, "tch") &&
		!strings.Contains(folded, "ou") && !strings.Contains(folded, "ff") && !strings.Contains(folded, "vs") &&
		!strings.Contains(folded, "vas") && !strings.Contains(folded, "cs") && !strings.Contains(folded, "cius") {
		return nil // no mark of either transcription (most names)
	}
	words := strings.Fields(folded)
	if len(words) == 0 || len(words) > 5 {
		return nil
	}
	var out []string
	for _, sys := range []struct {
		strong func(string) bool
		read   func(string) string
	}{{germanMark, fromGerman}, {frenchMark, fromFrench}, {balticMark, fromBaltic}} {
		marked := false
		for _, w := range words {
			marked = marked || sys.strong(w)
		}
		if !marked {
			continue
		}
		rs := make([]string, len(words))
		for i, w := range words {
			rs[i] = sys.read(w)
		}
		if r := strings.Join(rs, " "); r != folded {
			out = append(out, r)
		}
	}
	return out
}

// germanMark reports a word that only the German transcription writes so.
func germanMark(w string) bool {
	if strings.Contains(w, "sch") {
		return true
	}
	for _, e := range []string{"ow", "ew", "owa", "ewa", "owski", "ewski", "owitsch", "ewitsch", "ewna", "owna", "ij", "ej", "jew", "jewa"} {
		if len(w) > len(e)+2 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return len(w) > 3 && w[0] == 'j' && strings.IndexByte("aeou", w[1]) >= 0 && strings.IndexByte("aeiou", w[2]) < 0
}

// fromGerman reads a word of the German transcription in the English one.
func fromGerman(w string) string {
	r := strings.NewReplacer("schtsch", "shch", "tsch", "ch", "sch", "sh", "ch", "kh", "w", "v", "z", "ts")
	w = r.Replace(w)
	return yForJ(w)
}

// yForJ writes y for the j of the German and French transcriptions before a vowel at the start of a word
// or after a vowel, and at the end after a vowel (Jewgenij, Sergej).
func yForJ(w string) string {
	b := []byte(w)
	for i, c := range b {
		if c != 'j' {
			continue
		}
		prevVowel := i > 0 && strings.IndexByte("aeiouy", b[i-1]) >= 0
		nextVowel := i+1 < len(b) && strings.IndexByte("aeiou", b[i+1]) >= 0
		if i == 0 && nextVowel || prevVowel && (nextVowel || i+1 == len(b)) {
			b[i] = 'y'
		}
	}
	return string(b)
}

// frenchMark reports a word that only the French transcription writes so.
func frenchMark(w string) bool {
	if strings.Contains(w, "tch") || strings.HasSuffix(w, "off") || strings.HasSuffix(w, "eff") || intervocalicJ(w) >= 0 ||
		strings.Contains(w, "gue") || strings.Contains(w, "gui") {
		return true
	}
	if !strings.Contains(w, "ou") {
		return false
	}
	for _, e := range []string{"ine", "ov", "ev", "ova", "eva", "ski", "enko", "ovitch", "evitch"} {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// fromFrench reads a word of the French transcription in the English one.
func fromFrench(w string) string {
	// j between vowels is ж (Prigojine, Prigozhin); elsewhere the replacements below read it.
	for i := intervocalicJ(w); i >= 0; i = intervocalicJ(w) {
		w = w[:i] + "zh" + w[i+1:]
	}
	r := strings.NewReplacer("tch", "ch", "ch", "sh", "ou", "u", "dj", "j", "off", "ov", "eff", "ev", "gue", "ge", "gui", "gi")
	w = r.Replace(w)
	if strings.HasSuffix(w, "ine") && len(w) > 5 {
		w = w[:len(w)-1] // Poutine, Lénine
	}
	return w
}

// intervocalicJ returns the position of the first j between two vowels in w, -1 if none: the French
// transcription's ж (Prigojine for Prigozhin; the German writes й so, Majakowski, and its own reading is
// searched as well).
func intervocalicJ(w string) int {
	for i := 1; i+1 < len(w); i++ {
		if w[i] == 'j' && strings.IndexByte("aeiouy", w[i-1]) >= 0 && strings.IndexByte("aeiou", w[i+1]) >= 0 {
			return i
		}
	}
	return -1
}

// balticMark reports a word with a Latvian or Lithuanian ending of a Slavic surname, patronymic or given
// name: Lavrovs, Lavrovas, Viktorovics (-ovičs), Sergejs, Sergejus, Dmitrijs.
func balticMark(w string) bool {
	for _, e := range []string{"ovs", "evs", "ovas", "evas", "ovics", "evics", "ovicius", "evicius", "ejs", "ijs", "ejus", "ijus"} {
		if len(w) > len(e)+2 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// fromBaltic reads a word with a Latvian or Lithuanian nominative ending without it, in the English
// transcription: -s after a consonant or j (Lavrovs, Sergejs, Vladimirs), -as after a consonant (Lavrovas,
// Putinas), -us after j or ci (Sergejus, Viktorovicius); then j after a vowel as y and cs as ch (Sergej,
// Viktorovich).
func fromBaltic(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "cius"):
		w = w[:n-3] // -ičius: -ič
	case n > 4 && strings.HasSuffix(w, "jus"):
		w = w[:n-2]
	case n > 4 && strings.HasSuffix(w, "as") && !isVowel(w[n-3]):
		w = w[:n-2]
	case n > 3 && w[n-1] == 's' && !isVowel(w[n-2]) && w[n-2] != 's':
		w = w[:n-1]
	}
	if strings.HasSuffix(w, "vic") || strings.HasSuffix(w, "vc") {
		w += "h" // -ovič: -ovich
	}
	return yForJ(w)
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }
