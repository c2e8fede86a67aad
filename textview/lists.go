package textview

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/download"
)

// Lists prints the lists in service as a table (code, name, publication date, age in days, whether it is
// stale, entries, names, where each came from) with their totals, the maximum age past which a list is
// stale, then each distinct note on a publication date.
func Lists(w io.Writer, ls []tradescreen.ListStatus) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tLIST\tPUBLISHED\tAGE\tSTALE\tENTRIES\tNAMES\tFROM")
	te, tn := 0, 0
	for _, l := range ls {
		si, _ := tradescreen.LookupSource(l.Source)
		pub, age, stale := l.Published, fmt.Sprintf("%d days", l.AgeDays), "no"
		if pub == "" {
			pub = "unknown"
		}
		if l.AgeDays < 0 {
			age = "unknown"
		}
		if l.Stale {
			stale = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", l.Source, si.Name, pub, age, stale, l.Entries, l.Names, l.Origin)
		te += l.Entries
		tn += l.Names
	}
	fmt.Fprintf(tw, "total\t\t\t\t\t%d\t%d\t\n", te, tn)
	tw.Flush()
	if maxAges := maxAgeDays(ls); maxAges != "" {
		fmt.Fprintf(w, "stale: older than %s (or of unknown date)\n", maxAges)
	}
	seen := map[string]bool{}
	for _, l := range ls {
		if l.PublishedNote != "" && !seen[l.Origin+l.PublishedNote] {
			seen[l.Origin+l.PublishedNote] = true
			fmt.Fprintf(w, "note: %s (%s): %s\n", l.Source, l.Origin, l.PublishedNote)
		}
	}
}

// maxAgeDays says the maximum ages of ls: "7 days" when every list has the same, else each list's.
func maxAgeDays(ls []tradescreen.ListStatus) string {
	var each []string
	same := true
	for _, l := range ls {
		each = append(each, fmt.Sprintf("%s %d days", l.Source, l.MaxAgeDays))
		same = same && l.MaxAgeDays == ls[0].MaxAgeDays
	}
	switch {
	case len(ls) == 0:
		return ""
	case same:
		return fmt.Sprintf("%d days", ls[0].MaxAgeDays)
	}
	return strings.Join(each, ", ")
}

// Feeds prints the download sources, each as its name, reader and default URL, and its description below.
func Feeds(w io.Writer, feeds []download.Feed) {
	for _, f := range feeds {
		u := f.URL
		if u == "" {
			u = "(no default URL)"
		}
		fmt.Fprintf(w, "  %-10s %s, %s\n             %s\n", f.Name, f.Kind, u, f.Description)
	}
}

// UpdateResults prints the outcome of each download of an update: an accepted version with its id,
// publication date, entries per list and digest; any other outcome with its reason.
func UpdateResults(w io.Writer, results []download.Result) {
	for _, r := range results {
		switch r.Status {
		case download.Accepted:
			v := r.Version
			fmt.Fprintf(w, "%-10s accepted  #%d published %s, %s, sha256 %s\n", r.Feed, v.ID, v.Published, v.Counts(), v.SHA256[:12])
		default:
			fmt.Fprintf(w, "%-10s %-9s %s\n", r.Feed, r.Status, r.Reason)
		}
	}
}
