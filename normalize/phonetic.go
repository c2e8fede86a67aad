package normalize

// Phonetic returns a consonant skeleton of a folded token that is the same for the common transliteration
// variants of one name: Mohammed, Muhammad and Mohamad give "mmd"; Sergey and Sergei "srg"; Yusuf and
// Yousef "ysf". Vowels (and y, w, h between letters) are
// dropped after the first letter, doubled letters collapse, and letters that transliterations confuse are
// merged (k/q/c/kh, ph/f, z/s, j/dj/zh, sh/ch, v/w). The first letter is kept, folded to its class.
// Tokens shorter than three letters return themselves.
func Phonetic(t string) string {
	if len(t) < 3 {
		return t
	}
	b := make([]byte, 0, len(t))
	var last byte
	for i := 0; i < len(t); i++ {
		c := t[i]
		var next byte
		if i+1 < len(t) {
			next = t[i+1]
		}
		var k byte
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'h':
			if i == 0 {
				switch c {
				case 'h':
					k = 'h'
				case 'w':
					k = 'v'
				case 'y':
					k = 'y'
				default:
					k = 'a' // a leading vowel: Usama/Osama, Ibrahim/Ebrahim
				}
			} else {
				last = 0
				if c == 'h' || c == 'w' || c == 'y' {
					// kh, gh, sh, ch, th, ph, dh digraphs were handled with their first letter
				}
				continue
			}
		case 'c':
			if next == 'h' {
				k = 'x' // ch
				i++
			} else {
				k = 'k'
			}
		case 's':
			if next == 'h' {
				k = 'x' // sh = ch
				i++
			} else {
				k = 's'
			}
		case 'z':
			if next == 'h' {
				k = 'j'
				i++
			} else {
				k = 's'
			}
		case 'k', 'q':
			if next == 'h' {
				i++
			}
			k = 'k'
		case 'g':
			if next == 'h' {
				i++
			}
			k = 'g'
		case 'p':
			if next == 'h' {
				k = 'f'
				i++
			} else {
				k = 'b' // Arabic script has no p: Perez is written as Berez
			}
		case 't':
			if next == 'h' {
				i++
			}
			if next == 's' {
				i++
				k = 's'
			} else {
				k = 't'
			}
		case 'd':
			if next == 'h' {
				i++
			}
			if next == 'j' || next == 'z' {
				i++
				k = 'j'
			} else {
				k = 'd'
			}
		case 'x':
			k = 'k'
		case 'v':
			k = 'v'
		case 'j':
			k = 'j'
		default:
			k = c
		}
		if k != last {
			b = append(b, k)
		}
		last = k
	}
	return string(b)
}
