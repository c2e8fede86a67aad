package normalize

import (
	_ "embed"
	"strings"
	"sync"
)

// English given names and their nicknames and diminutives (Bill for William, Peggy for Margaret). The table
// is carltonnorthern/nicknames, names.csv at commit 21d75051c39cb022d145388d60c87dc30505228b (Apache License
// 2.0, nicknames.LICENSE), copied unchanged: 2,691 lines "name,has_nickname,nickname" over about 1,100
// given names.

//go:embed nicknames.csv
var nicknamesCSV string

var nicknames struct {
	once sync.Once
	pair map[[2]string]bool
}

func loadNicknames() {
	nicknames.pair = map[[2]string]bool{}
	for _, line := range strings.Split(nicknamesCSV, "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		// Nicknames of one or two letters are initials or particles as often ("al" is the Arabic article).
		if len(f) != 3 || f[1] != "has_nickname" || f[0] == f[2] || len(f[2]) < 3 {
			continue
		}
		nicknames.pair[[2]string{f[0], f[2]}] = true
	}
}

// Nickname reports whether one of two folded given names is a nickname or diminutive of the other in the
// embedded table ("bill" and "william", "peggy" and "margaret"). Two nicknames of one name are not each
// other's ("chris" of both Christian and Christine does not make them one name).
func Nickname(a, b string) bool {
	nicknames.once.Do(loadNicknames)
	return nicknames.pair[[2]string{a, b}] || nicknames.pair[[2]string{b, a}]
}
