package match

// damerau returns the optimal-string-alignment distance between a and b (insertions, deletions,
// substitutions and adjacent transpositions each cost 1), or max+1 as soon as the distance must exceed max.
func damerau(a, b string, max int) int {
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
	// Three rolling rows; names are short, so stack arrays cover nearly every case.
	var buf [3][64]int
	var prev2, prev, cur []int
	if lb+1 <= 64 {
		prev2, prev, cur = buf[0][:lb+1], buf[1][:lb+1], buf[2][:lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
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
func editSim(a, b string, d int, cost float64) float64 {
	n := max(len(a), len(b))
	s := 1 - cost*float64(d)/float64(n+1)
	if a[0] != b[0] {
		s -= 0.02
	}
	return s
}

// compactSim compares two strings with their spaces removed: the share of characters that survive the edit
// distance. It serves names whose word breaks differ throughout (pinyin syllables, joined words).
func compactSim(a, b string) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 0
	}
	limit := n / 5
	if bagDistance(a, b) > limit {
		return 0 // a lower bound of the edit distance already exceeds the limit
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
