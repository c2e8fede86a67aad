package textview

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tradescreen/tradescreen"
)

// Alerts prints alerts as a table.
func Alerts(w io.Writer, list []*tradescreen.Alert) {
	if len(list) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSCORE\tPARTY\tPARTY NAME\tENTRY\tENTRY NAME\tUPDATED")
	for _, a := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Status, tradescreen.FormatScore(a.Score), a.PartyID, a.PartyName, a.Key(), a.EntryName, a.UpdatedAt.Format("2006-01-02 15:04"))
	}
	tw.Flush()
}

// Alert prints what the alert holds: party, entry, score and the data the decision rests on.
func Alert(w io.Writer, a *tradescreen.Alert) {
	fmt.Fprintf(w, "Alert %d: %s\n", a.ID, a.Status)
	fmt.Fprintf(w, "  party:        %s  %s\n", a.PartyID, a.PartyName)
	fmt.Fprintf(w, "  entry:        %s  %s\n", a.Key(), a.EntryName)
	if a.MatchedName != a.EntryName {
		fmt.Fprintf(w, "  matched name: %s\n", a.MatchedName)
	}
	fmt.Fprintf(w, "  score:        %s\n", tradescreen.FormatScore(a.Score))
	if a.EscalatedBy != "" {
		fmt.Fprintf(w, "  escalated by: %s\n", a.EscalatedBy)
	}
	fmt.Fprintf(w, "  entry data:   %s\n", strings.Join(a.EntryData, "; "))
	fmt.Fprintf(w, "  raised:       %s\n", a.CreatedAt.Format("2006-01-02 15:04:05Z"))
}

// Transitions prints an alert's transitions, oldest first.
func Transitions(w io.Writer, a *tradescreen.Alert) {
	fmt.Fprintln(w, "Transitions:")
	for _, t := range a.Transitions {
		from := string(t.From)
		if from == "" {
			from = "-"
		}
		fmt.Fprintf(w, "  %s  %-22s -> %-22s %s: %s\n", t.At.Format("2006-01-02 15:04:05Z"), from, t.To, t.Actor, t.Reason)
	}
}

// Explained prints the listed entry's key facts and why the party matches it now, or the note saying
// why they cannot be given.
func Explained(w io.Writer, a *tradescreen.Alert, e *tradescreen.Entry, mv *tradescreen.MatchView, note string) {
	if e != nil {
		f := tradescreen.FactsOf(e)
		fmt.Fprintf(w, "Listed entry: %s/%s  %s (%s)\n", e.Source, e.SourceID, e.Name, f.ListName)
		if len(f.Countries) > 0 {
			fmt.Fprintf(w, "   %-20s %s\n", "country:", strings.Join(f.Countries, ", "))
		}
		facts(w, f)
	}
	if mv == nil {
		fmt.Fprintf(w, "Why they match: when raised, %q matched %q with score %s; %s.\n", a.PartyName, a.MatchedName,
			tradescreen.FormatScore(a.Score), note)
		return
	}
	fmt.Fprintf(w, "Why they match (the party screened now against %s):\n", a.Source)
	fmt.Fprintf(w, "   matched %s %q with score %s\n", aliasLabel(mv.MatchedType), mv.MatchedName, tradescreen.FormatScore(mv.Score))
	fmt.Fprintf(w, "   why: %s\n", mv.Explanation.Summary)
	for _, adj := range mv.Explanation.Adjustments {
		fmt.Fprintf(w, "        %s\n", adj)
	}
	if len(mv.Explanation.Tokens) > 0 {
		fmt.Fprintln(w, "   words (party -> listed, how):")
		for _, t := range mv.Explanation.Tokens {
			fmt.Fprintf(w, "        %s -> %s (%s)\n", t.Query, t.Name, t.How)
		}
	}
	if mv.Allowed != nil {
		fmt.Fprintf(w, "   allowed: %s (reviewed by %s on %s; allow-list row %s)\n", mv.Allowed.Reason, mv.Allowed.Reviewer, mv.Allowed.Date, mv.Allowed.Row)
	}
}
