package textview

import (
	"fmt"
	"io"
	"strings"

	"github.com/tradescreen/tradescreen/ownership"
)

// Rules prints the 50 % rules' calendar: each period with its status, dates, threshold, whether owners
// aggregate, the lists (and programs) it covers, its citation and effect. date is the day the rules were
// chosen for ("" for the whole calendar), named when none is in force.
func Rules(w io.Writer, rules ownership.Rules, date string) {
	if len(rules) == 0 {
		fmt.Fprintf(w, "no ownership rule in force on %s\n", date)
	}
	for _, r := range rules {
		to := r.To
		if to == "" {
			to = "open"
		}
		agg := "aggregate"
		if !r.Aggregate {
			agg = "one owner"
		}
		fmt.Fprintf(w, "%-15s %-10s %s .. %-10s %s %% %-9s lists %s\n", r.ID, r.Status, r.From, to, pctText(r.Threshold), agg, listsText(r))
		fmt.Fprintf(w, "    %s\n    %s\n", r.Citation, r.EffectText)
	}
}

// pctText is a share without a trailing ".0": "50", "25.5".
func pctText(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%g", f), ".0") }

// listsText names the lists a rule covers, each with its programs when limited to some.
func listsText(r ownership.Rule) string {
	var out []string
	for _, l := range r.Lists {
		if p := r.Programs[l]; len(p) > 0 {
			l += " (" + strings.Join(p, " ") + ")"
		}
		out = append(out, l)
	}
	return strings.Join(out, ", ")
}
