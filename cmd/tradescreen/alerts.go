package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tradescreen/tradescreen"
)

type alertsCommand struct{}

const alertsHelp = `Reviews the alerts that screening the parties register raised: one per party and listed entry.

  alerts list                         the alerts, newest first (--status, --party to filter)
  alerts show ID                      one alert: the party, the entry, the score and every transition
  alerts transition ID STATUS         move an alert with --reason (required): STATUS is under_review,
                                      escalated, closed_true_match (true_match), closed_false_positive
                                      (false_positive) or open

The workflow: open -> under_review -> escalated -> closed as a true match or a false positive. An escalated
alert is closed by an approver or admin who did not escalate it. A false positive stays closed while neither
the entry's names and ids nor the party's data change; 'monitor run' reopens it when either does, with the
difference as the reason. Every transition is recorded with who, when and why.`

func (c *alertsCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "alerts", "alerts list|show|transition [flags] [ID [STATUS]]", alertsHelp)
	sf := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "print as JSON")
	status := fs.String("status", "", "list: only these statuses, comma-separated (open, under_review, escalated, closed_true_match, closed_false_positive, or 'active' for the first three)")
	party := fs.String("party", "", "list: only this party's alerts")
	limit := fs.Int("limit", 0, "list: at most this many alerts (0: all)")
	reason := fs.String("reason", "", "transition: why (required; recorded with the transition)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a subcommand is required: list, show or transition")
	}
	sub, rest := pos[0], pos[1:]
	var id int64
	var to tradescreen.AlertStatus
	var filter tradescreen.AlertFilter
	switch sub {
	case "list":
		if len(rest) != 0 {
			return usagef("alerts list takes no arguments")
		}
		filter = tradescreen.AlertFilter{PartyID: *party, Limit: *limit}
		for _, s := range strings.Split(*status, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if s == "active" {
				filter.Status = append(filter.Status, tradescreen.AlertOpen, tradescreen.AlertUnderReview, tradescreen.AlertEscalated)
				continue
			}
			st, err := tradescreen.ParseAlertStatus(s)
			if err != nil {
				return usagef("--status: %s", errorText(err))
			}
			filter.Status = append(filter.Status, st)
		}
	case "show", "transition":
		want := 1
		if sub == "transition" {
			want = 2
		}
		if len(rest) != want {
			if sub == "show" {
				return usagef("alerts show takes an alert ID")
			}
			return usagef("alerts transition takes an alert ID and a STATUS")
		}
		id, err = strconv.ParseInt(rest[0], 10, 64)
		if err != nil || id <= 0 {
			return usagef("%q is not an alert ID", rest[0])
		}
		if sub == "transition" {
			if to, err = tradescreen.ParseAlertStatus(rest[1]); err != nil {
				return usagef("%s", errorText(err))
			}
			if strings.TrimSpace(*reason) == "" {
				return usagef("alerts transition: --reason is required")
			}
		}
	default:
		return usagef("unknown subcommand %q: want list, show or transition", sub)
	}
	store, actor, err := sf.open(ctx, m)
	if err != nil {
		return err
	}
	defer store.Close()
	as := store.Alerts()
	switch sub {
	case "list":
		list, n, err := as.FindAlerts(ctx, filter)
		if err != nil {
			return err
		}
		if *asJSON {
			if list == nil {
				list = []*tradescreen.Alert{}
			}
			return writeJSON(m.Stdout, struct {
				Total  int                  `json:"total"`
				Alerts []*tradescreen.Alert `json:"alerts"`
			}{n, list})
		}
		printAlerts(m.Stdout, list)
		fmt.Fprintf(m.Stdout, "%d of %d alerts\n", len(list), n)
	case "show":
		a, err := as.FindAlertByID(ctx, id)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(m.Stdout, a)
		}
		printAlert(m.Stdout, a)
	case "transition":
		a, err := as.TransitionAlert(ctx, actor, id, to, *reason)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(m.Stdout, a)
		}
		fmt.Fprintf(m.Stdout, "alert %d: %s -> %s by %s\n", a.ID, a.Transitions[len(a.Transitions)-1].From, a.Status, actor.Name)
	}
	return nil
}

// printAlerts prints alerts as a table.
func printAlerts(w io.Writer, list []*tradescreen.Alert) {
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

// printAlert prints one alert with its transitions.
func printAlert(w io.Writer, a *tradescreen.Alert) {
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
	fmt.Fprintln(w, "Transitions:")
	for _, t := range a.Transitions {
		from := string(t.From)
		if from == "" {
			from = "-"
		}
		fmt.Fprintf(w, "  %s  %-22s -> %-22s %s: %s\n", t.At.Format("2006-01-02 15:04:05Z"), from, t.To, t.Actor, t.Reason)
	}
}
