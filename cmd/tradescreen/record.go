package main

import (
	"flag"
	"strconv"
)

// recordDefault reports whether a command records to the audit trail: the --record flag when given, else
// $TRADESCREEN_RECORD (1, true, yes).
func recordDefault(m *Main, fs *flag.FlagSet, name string, value bool) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	if set {
		return value
	}
	v := m.Getenv("TRADESCREEN_RECORD")
	if v == "yes" {
		return true
	}
	b, _ := strconv.ParseBool(v)
	return b
}
