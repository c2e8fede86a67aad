package match

// damerau returns the optimal-string-alignment distance between a and b (insertions, deletions,
// substitutions and adjacent transpositions each cost 1), or max+1 as soon as the distance must exceed max.
// It takes strings or byte slices, so that joined words built in a buffer need no allocation.
func damerau[A, B string | []byte](a A, b B, max int) int {
	la, lb := len(a), len(b)
	if la-lb > max || lb-la > max {
		return max + 1
	}
	if la == 0 {
		return lb
	}
	if lb == 0 {
		return la
	}
	if d, ok := osaBits(a, b); ok {
		return min(d, max+1)
	}
	// Three rolling rows; names are short, so one small stack array covers nearly every case (bytes: a
	// distance never exceeds the longer string, and longer strings take the heap path).
	var buf [3 * 64]uint8
	if lb+1 > 64 || la > 250 {
		return damerauLong(a, b, max)
	}
	prev2, prev, cur := buf[0:lb+1], buf[64:64+lb+1], buf[128:128+lb+1]
	for j := 0; j <= lb; j++ {
		prev[j] = uint8(j)
	}
	for i := 1; i <= la; i++ {
		cur[0] = uint8(i)
		rowMin := cur[0]
		ai := a[i-1]
		for j := 1; j <= lb; j++ {
			v := prev[j] + 1
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			x := prev[j-1]
			if ai != b[j-1] {
				x++
			}
			if x < v {
				v = x
			}
			if i > 1 && j > 1 && ai == b[j-2] && a[i-2] == b[j-1] {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if int(rowMin) > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return int(prev[lb])
}

// letterClass numbers the bytes osaBits handles (a-z, 0-9) from 1; every other byte is 0.
var letterClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(c-'a') + 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c-'0') + 27
	}
	return t
}()

// osaBits returns the optimal-string-alignment distance of a and b computed a column at a time on bit
// vectors (Hyyrö, "A bit-vector algorithm for computing Levenshtein and Damerau edit distances", 2003), and
// true; or false when it cannot: a string of more than 64 bytes, or a byte other than a-z and 0-9 (then
// damerau computes the table). Both compute the same distance.
func osaBits[A, B string | []byte](a A, b B) (int, bool) {
	if len(a) > 64 || len(b) > 64 {
		return 0, false
	}
	// The distance is symmetric: the pattern is whichever string, here a.
	var peq [37]uint64
	for i := 0; i < len(a); i++ {
		c := letterClass[a[i]]
		if c == 0 {
			return 0, false
		}
		peq[c] |= 1 << i
	}
	for j := 0; j < len(b); j++ {
		if letterClass[b[j]] == 0 {
			return 0, false
		}
	}
	m := len(a)
	last := uint64(1) << (m - 1)
	vp, vn, d0, pmPrev := ^uint64(0), uint64(0), uint64(0), uint64(0)
	d := m
	for j := 0; j < len(b); j++ {
		pm := peq[letterClass[b[j]]]
		tr := ((^d0 & pm) << 1) & pmPrev
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
		hp := vn | ^(d0 | vp)
		hn := d0 & vp
		if hp&last != 0 {
			d++
		} else if hn&last != 0 {
			d--
		}
		x := hp<<1 | 1
		vn = x & d0
		vp = hn<<1 | ^(x | d0)
		pmPrev = pm
	}
	return d, true
}

// damerauLong is damerau for strings too long for the stack rows.
func damerauLong[A, B string | []byte](a A, b B, max int) int {
	la, lb := len(a), len(b)
	prev2, prev, cur := make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j] + 1
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if x := prev[j-1] + cost; x < v {
				v = x
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// maxEdits is how many edits a token of length n may have and still count as the same word.
func maxEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 7:
		return 1
	case n <= 11:
		return 2
	default:
		return 3
	}
}

// editSim turns an edit distance into a similarity in [0,1] for tokens a and b; cost scales what an edit
// takes away.
func editSim[A, B string | []byte](a A, b B, d int, cost float64) float64 {
	n := max(len(a), len(b))
	s := 1 - cost*float64(d)/float64(n+1)
	if a[0] != b[0] {
		s -= 0.02
	}
	return s
}

// compactSim compares two strings with their spaces removed: the share of letters that survive the edit
// distance, when it is at least atLeast (and at most a fifth of the letters are edited); else 0. letters is
// how many letters carry the names (their words and numbers; 0: the longer string's length): edits are
// counted against them, so that letters of little weight (a legal form) do not dilute a difference. It
// serves names whose word breaks differ throughout (pinyin syllables, joined words).
func compactSim(a, b string, letters int, atLeast float64) float64 {
	n := max(len(a), len(b))
	if letters > 0 {
		n = min(n, letters)
	}
	if n == 0 {
		return 0
	}
	// The most edits that still reach atLeast (the similarity falls as the distance grows).
	limit := n / 5
	for limit >= 0 && 1-float64(limit)/float64(n) < atLeast {
		limit--
	}
	if limit < 0 || abs(len(a)-len(b)) > limit || bagDistance(a, b) > limit {
		return 0 // lower bounds of the edit distance already exceed the limit
	}
	d := damerau(a, b, limit)
	if d > limit {
		return 0
	}
	return 1 - float64(d)/float64(n)
}

// jaroWinkler returns the Jaro-Winkler similarity of a and b (bytes; the tokens are folded ASCII).
func jaroWinkler(a, b string) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var ma, mb [64]bool
	if la > 64 || lb > 64 {
		return 0
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(t)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la, lb) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// bagDistance is a cheap lower bound of the edit distance: how many letters one string has more of than the
// other, whichever side has more.
func bagDistance(a, b string) int {
	var counts [256]int16
	for i := 0; i < len(a); i++ {
		counts[a[i]]++
	}
	for i := 0; i < len(b); i++ {
		counts[b[i]]--
	}
	pos, neg := 0, 0
	for _, c := range counts {
		if c > 0 {
			pos += int(c)
		} else {
			neg -= int(c)
		}
	}
	return max(pos, neg)
}

// equalBytes reports whether a and b hold the same bytes.
func equalBytes[A, B string | []byte](a A, b B) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// runeDistance returns the edit distance (insertions, deletions, substitutions) between a and b counted in
// characters, and the length of the longer in characters.
func runeDistance(a, b string) (int, int) {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			v := prev[j-1]
			if ra[i-1] != rb[j-1] {
				v++
			}
			v = min(v, prev[j]+1, cur[j-1]+1)
			cur[j] = v
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)], max(len(ra), len(rb))
}
