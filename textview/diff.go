package textview

import (
	"fmt"
	"io"
	"strings"

	"github.com/tradescreen/tradescreen/fedreg"
	"github.com/tradescreen/tradescreen/history"
)

// Diff prints the changes between two versions of a list: the counts, then each entry added (+), removed (-)
// or changed (~) with the values of each field removed and added (a Federal Register value with its link).
// With limit > 0 at most limit entries are printed, then how many more there are and the hint more.
func Diff(w io.Writer, d history.ListDiff, limit int, more string) {
	fmt.Fprintf(w, "%s: %s -> %s\n  %d added, %d removed, %d changed\n", d.Source, d.From, d.To, d.Added, d.Removed, d.Changed)
	for i, c := range d.Changes {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "  ... %d more%s\n", len(d.Changes)-limit, more)
			break
		}
		mark := map[string]string{history.Added: "+", history.Removed: "-", history.Changed: "~"}[c.Type]
		fmt.Fprintf(w, "  %s %s/%s  %s\n", mark, c.Source, c.SourceID, c.Name)
		for _, f := range c.Fields {
			for _, v := range f.Removed {
				fmt.Fprintf(w, "      %s - %s\n", f.Field, v)
			}
			for _, v := range f.Added {
				fmt.Fprintf(w, "      %s + %s%s\n", f.Field, v, frLinks(f.Field, v))
			}
		}
	}
}

// frLinks returns " (https://www.federalregister.gov/citation/...)" for a Federal Register value.
func frLinks(field, v string) string {
	if field != "federal_register" {
		return ""
	}
	if links := fedreg.URLs([]string{v}); len(links) > 0 {
		return " (" + strings.Join(links, ", ") + ")"
	}
	return ""
}
