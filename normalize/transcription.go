package normalize

import "strings"

// Russian and other Cyrillic names reach the lists in the English (BGN/PCGN-like) transcription —
// "Vladimir Yevtushenkov", "Georgy Zhukov" — and customer files in the German or French one: "Wladimir
// Jewtuschenkow", "Dimitri Schukow", "Vladimir Poutine", "Chostakovitch". SlavicReadings reads a name in the
// German or French transcription back into the English one.

// SlavicReadings returns the readings of a folded person's name in the English transcription of Cyrillic
// when it shows the marks of the German transcription (sch, tsch, w, j before a vowel, -ow, -ew, -ij) or of
// the French one (ou, tch, ch, -off, -ine), each only when one of its words has a strong mark of it (a
// patronymic or surname ending, sch or tch); nil otherwise.
func SlavicReadings(folded string) []string {
	if !strings.ContainsAny(folded, "wj") && !strings.Contains(folded, "sch") && !strings.Contains(folded, "tch") &&
		!strings.Contains(folded, "ou") && !strings.Contains(folded, "ff") {
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
	}{{germanMark, fromGerman}, {frenchMark, fromFrench}} {
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
	for _, e := range []string{"ow", "ew", "owa", "ewa", "owski", "ewski", "owitsch", "ewitsch", "ewna", "owna", "ij", "jew", "jewa"} {
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
	if strings.Contains(w, "tch") || strings.HasSuffix(w, "off") || strings.HasSuffix(w, "eff") {
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
	r := strings.NewReplacer("tch", "ch", "ch", "sh", "ou", "u", "dj", "j", "off", "ov", "eff", "ev")
	w = r.Replace(w)
	if strings.HasSuffix(w, "ine") && len(w) > 5 {
		w = w[:len(w)-1] // Poutine, Lénine
	}
	return w
}
