package match

// regionWords are the names of continents and large world regions that organizations put into their names
// to say where a branch or subsidiary works ("Faberlic Europe", "Huawei Technologies Africa", "Asia
// Pacific"). Like the cities and regions of the lists' addresses they say little about which party is
// meant, but only next to something more distinctive: "International Trading" is not "Asia International
// Trading". Folded forms, as the lists and company registers write them.
var regionWords = map[string]bool{}

func init() {
	for _, w := range regionList {
		regionWords[w] = true
	}
}

var regionList = []string{
	"europe", "eurasia", "asia", "asiapacific", "apac", "pacific", "africa", "america", "americas", "latam",
	"caribbean", "oceania", "australasia", "mena", "emea", "levant", "balkans", "scandinavia", "nordics",
	"benelux",
}
