package textview

import (
	"fmt"
	"io"
	"strings"

	"github.com/tradescreen/tradescreen/order"
)

// Decision prints an order decision: the outcome, then each reason with its entry, why it matched, the
// licence answer per item and the ownership path and rule, then the notes.
func Decision(w io.Writer, o *order.Order, d *order.Decision) {
	id := d.OrderID
	if id == "" {
		id = "order"
	}
	fmt.Fprintf(w, "%s of %s to %s: %s\n", id, d.Date, o.Destination.Country, strings.ToUpper(d.Outcome))
	for i, r := range d.Reasons {
		mark := "note"
		if r.Holds {
			mark = "HOLD"
		}
		fmt.Fprintf(w, "\n%d. [%s] %s\n", i+1, mark, r.Message)
		if r.Entry != nil {
			fmt.Fprintf(w, "   entry: %s/%s, %s as of %s", r.Entry.Source, r.Entry.SourceID, r.Entry.ListName, r.Entry.Published)
			if r.Entry.StartDate != "" {
				fmt.Fprintf(w, ", listed %s", r.Entry.StartDate)
			}
			if len(r.Entry.FederalRegister) > 0 {
				fmt.Fprintf(w, " (%s)", strings.Join(r.Entry.FederalRegister, "; "))
			}
			fmt.Fprintln(w)
		}
		for _, e := range r.Explanation {
			fmt.Fprintf(w, "   why: %s\n", e)
		}
		if l := r.Licence; l != nil {
			fmt.Fprintf(w, "   licence: %s\n", l.Summary)
			for _, a := range l.Answers {
				fmt.Fprintf(w, "     %s: %s\n", a.Item.ECCN, a.Text)
				for _, c := range a.Conditions {
					fmt.Fprintf(w, "       - %s\n", c)
				}
			}
			for _, f := range l.Footnotes {
				fmt.Fprintf(w, "     %s\n", f)
			}
			if l.ParseError != "" {
				fmt.Fprintf(w, "     licence text not understood: %s\n", l.ParseError)
			}
		}
		if f := r.Ownership; f != nil {
			for _, p := range f.Paths {
				fmt.Fprintf(w, "   path: %s\n", p)
			}
			fmt.Fprintf(w, "   rule: %s (%s), %s %s\n", f.Name, f.Rule, f.Status, f.Period)
			fmt.Fprintf(w, "   licence: %s\n", f.Licence)
			fmt.Fprintf(w, "   source: %s\n", f.Citation)
		}
		if r.Rule != nil && r.Rule.Note != "" && r.Kind != order.ReasonDestination {
			fmt.Fprintf(w, "   rule %s: %s\n", r.Rule.ID, r.Rule.Note)
		}
	}
	fmt.Fprintln(w)
	if d.Meaning != "" {
		fmt.Fprintf(w, "Meaning: %s\n", d.Meaning)
	}
	if len(d.Checked) > 0 {
		fmt.Fprintf(w, "Checked: %s.\n", strings.Join(d.Checked, "; "))
	}
	if len(d.NotChecked) > 0 {
		fmt.Fprintf(w, "Not checked: %s.\n", strings.Join(d.NotChecked, "; "))
	}
	for _, n := range d.Notes {
		fmt.Fprintf(w, "Note: %s.\n", n)
	}
}
