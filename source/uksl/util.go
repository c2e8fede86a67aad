package uksl

import (
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// withdrawnCodes maps the withdrawn codes source.CountryCode gives for some current countries to ISO 3166-1.
var withdrawnCodes = map[string]string{"FX": "FR", "UK": "GB", "PZ": "PA", "DY": "BJ", "HV": "BF"}

// countryCode returns the ISO code of a country as the list writes it, or "".
func countryCode(name string) string {
	c := source.CountryCode(name)
	if w, ok := withdrawnCodes[c]; ok {
		return w
	}
	return c
}

// countryOr returns the ISO code of a country, or the country as written when it has none.
func countryOr(name string) string {
	if c := countryCode(name); c != "" {
		return c
	}
	return name
}

func first(cur, v string) string {
	if cur != "" {
		return cur
	}
	return v
}

// earliest and latest keep the earlier or later of two YYYY-MM-DD dates, ignoring the empty one.
func earliest(cur, v string) string {
	if v == "" || (cur != "" && cur <= v) {
		return cur
	}
	return v
}

func latest(cur, v string) string {
	if v == "" || cur >= v {
		return cur
	}
	return v
}

func appendNew(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		out = appendNew(out, x)
	}
	return out
}

func hasAddress(as []tradescreen.Address, full string) bool {
	for _, a := range as {
		if strings.EqualFold(a.Full, full) {
			return true
		}
	}
	return false
}

func hasIdentifier(ids []tradescreen.Identifier, id tradescreen.Identifier) bool {
	for _, x := range ids {
		if x.Type == id.Type && x.Number == id.Number {
			return true
		}
	}
	return false
}
