package textview

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/tradescreen/tradescreen"
)

// Lists prints the lists in service as a table (code, name, publication date, entries, names, where each came
// from) with their totals, then each distinct note on a publication date.
func Lists(w io.Writer, ls []tradescreen.ListVersion) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tLIST\tPUBLISHED\tENTRIES\tNAMES\tFROM")
	te, tn := 0, 0
	for _, l := range ls {
		si, _ := tradescreen.LookupSource(l.Source)
		pub := l.Published
		if pub == "" {
			pub = "unknown"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", l.Source, si.Name, pub, l.Entries, l.Names, l.Origin)
		te += l.Entries
		tn += l.Names
	}
	fmt.Fprintf(tw, "total\t\t\t%d\t%d\t\n", te, tn)
	tw.Flush()
	seen := map[string]bool{}
	for _, l := range ls {
		if l.PublishedNote != "" && !seen[l.Origin+l.PublishedNote] {
			seen[l.Origin+l.PublishedNote] = true
			fmt.Fprintf(w, "note: %s (%s): %s\n", l.Source, l.Origin, l.PublishedNote)
		}
	}
}
