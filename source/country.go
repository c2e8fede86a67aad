package source

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

// countryAliases maps the country spellings used by the official lists that differ from CLDR's English
// names to ISO 3166-1 alpha-2 codes. Keys are folded with foldCountry.
var countryAliases = map[string]string{
	"united states of america": "US",
	"usa":                      "US",
	"u s a":                    "US",
	"united kingdom of great britain and northern ireland": "GB",
	"uk":                                    "GB",
	"great britain":                         "GB",
	"england":                               "GB",
	"russian federation":                    "RU",
	"iran islamic republic of":              "IR",
	"islamic republic of iran":              "IR",
	"korea north":                           "KP",
	"north korea":                           "KP",
	"democratic people s republic of korea": "KP",
	"korea democratic people s republic of": "KP",
	"dprk":                                  "KP",
	"korea south":                           "KR",
	"republic of korea":                     "KR",
	"korea republic of":                     "KR",
	"syrian arab republic":                  "SY",
	"burma":                                 "MM",
	"myanmar":                               "MM",
	"democratic republic of the congo":      "CD",
	"congo democratic republic of the":      "CD",
	"congo democratic republic":             "CD",
	"drc":                                   "CD",
	"republic of the congo":                 "CG",
	"congo republic of the":                 "CG",
	"congo":                                 "CG",
	"cote d ivoire":                         "CI",
	"ivory coast":                           "CI",
	"lao people s democratic republic":      "LA",
	"laos":                                  "LA",
	"viet nam":                              "VN",
	"palestinian":                           "PS",
	"palestine":                             "PS",
	"state of palestine":                    "PS",
	"west bank":                             "PS",
	"gaza":                                  "PS",
	"gaza strip":                            "PS",
	"palestinian territories":               "PS",
	"occupied palestinian territory":        "PS",
	"north macedonia":                       "MK",
	"macedonia the former yugoslav republic of": "MK",
	"the former yugoslav republic of macedonia": "MK",
	"czech republic":                   "CZ",
	"turkiye":                          "TR",
	"bolivia plurinational state of":   "BO",
	"venezuela bolivarian republic of": "VE",
	"tanzania united republic of":      "TZ",
	"united republic of tanzania":      "TZ",
	"moldova republic of":              "MD",
	"republic of moldova":              "MD",
	"bahamas the":                      "BS",
	"the bahamas":                      "BS",
	"gambia the":                       "GM",
	"the gambia":                       "GM",
	"taiwan province of china":         "TW",
	"hong kong":                        "HK",
	"hong kong sar":                    "HK",
	"hong kong china":                  "HK",
	"macau":                            "MO",
	"macao":                            "MO",
	"china peoples republic of":        "CN",
	"china people s republic of":       "CN",
	"people s republic of china":       "CN",
	"prc":                              "CN",
	"brunei darussalam":                "BN",
	"cabo verde":                       "CV",
	"cape verde":                       "CV",
	"eswatini":                         "SZ",
	"swaziland":                        "SZ",
	"holy see":                         "VA",
	"vatican":                          "VA",
	"micronesia federated states of":   "FM",
	"saint kitts and nevis":            "KN",
	"st kitts and nevis":               "KN",
	"saint vincent and the grenadines": "VC",
	"st vincent and the grenadines":    "VC",
	"saint lucia":                      "LC",
	"st lucia":                         "LC",
	"bosnia herzegovina":               "BA",
	"bosnia and herzegovina":           "BA",
	"timor leste":                      "TL",
	"east timor":                       "TL",
	"kyrgyz republic":                  "KG",
	"slovak republic":                  "SK",
	"netherlands the":                  "NL",
	"the netherlands":                  "NL",
	"netherlands antilles":             "AN",
	"curacao":                          "CW",
	"sint maarten":                     "SX",
	"serbia and montenegro":            "CS",
	"yugoslavia":                       "YU",
	"ussr":                             "SU",
	"soviet union":                     "SU",
	"kosovo":                           "XK",
	"crimea":                           "UA",
	"region crimea":                    "UA",
	"united arab emirates":             "AE",
	"uae":                              "AE",
	"libyan arab jamahiriya":           "LY",
	"sudan south":                      "SS",
	"south sudan":                      "SS",
	"central african republic":         "CF",
	"car":                              "CF",
	"sao tome and principe":            "ST",
	"st helena":                        "SH",
	"british virgin islands":           "VG",
	"virgin islands british":           "VG",
	"virgin islands u s":               "VI",
	"us virgin islands":                "VI",
	"falkland islands malvinas":        "FK",
	"reunion":                          "RE",
	"aland islands":                    "AX",
	"svalbard":                         "SJ",
	"western sahara":                   "EH",
	"myanmar burma":                    "MM",
	"congo kinshasa":                   "CD",
	"congo brazzaville":                "CG",
	"iraq":                             "IQ",
	"syria":                            "SY",
	"iran":                             "IR",
	"russia":                           "RU",
	"belarus":                          "BY",
	"byelarus":                         "BY",
	"kazakstan":                        "KZ",
	"germany federal republic of":      "DE",
	"west germany":                     "DE",
	"east germany":                     "DD",
}

var (
	countryOnce  sync.Once
	countryNames map[string]string
)

func loadCountries() {
	countryNames = make(map[string]string, 600)
	namer := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize().String() != code {
				continue // deprecated aliases such as UK for GB
			}
			name := namer.Name(r)
			if name == "" || name == code {
				continue
			}
			// Withdrawn codes (FX Metropolitan France, PZ Panama Canal Zone, DY Dahomey ...) carry current
			// names too; the first, current code keeps the name.
			if _, ok := countryNames[foldCountry(name)]; !ok {
				countryNames[foldCountry(name)] = code
			}
			// CLDR writes "Myanmar (Burma)" and "Congo - Kinshasa": index the part before the qualifier too.
			if i := strings.IndexAny(name, "(-"); i > 0 {
				if k := foldCountry(name[:i]); k != "" {
					if _, ok := countryNames[k]; !ok {
						countryNames[k] = code
					}
				}
			}
		}
	}
	for k, v := range countryAliases {
		countryNames[foldCountry(k)] = v
	}
}

// foldCountry lower-cases, strips accents and turns every run of non-letters into one space.
func foldCountry(s string) string {
	s = norm.NFKD.String(strings.ReplaceAll(s, "&", " and "))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// CountryCode returns the ISO 3166-1 alpha-2 code for a country as the lists write it ("Iran", "Korea,
// North", "Russian Federation", "CN", "China (PRC)"), or "" when it cannot tell. Two-letter input is taken as
// a code when it is one.
func CountryCode(name string) string {
	countryOnce.Do(loadCountries)
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if len(name) == 2 {
		up := strings.ToUpper(name)
		if r, err := language.ParseRegion(up); err == nil && r.IsCountry() {
			return r.Canonicalize().String()
		}
		if up == "XK" {
			return up
		}
	}
	if len(name) == 3 && isLetters(name) {
		// ISO 3166-1 alpha-3 ("CHN", "IRN", "PRK").
		if r, err := language.ParseRegion(strings.ToUpper(name)); err == nil && r.IsCountry() {
			if c := r.Canonicalize().String(); len(c) == 2 {
				return c
			}
		}
	}
	k := foldCountry(name)
	if c, ok := countryNames[k]; ok {
		return c
	}
	// "China (PRC)", "Iran (Islamic Republic of)": try the part before a parenthesis.
	if i := strings.IndexByte(name, '('); i > 0 {
		if c, ok := countryNames[foldCountry(name[:i])]; ok {
			return c
		}
	}
	return ""
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
