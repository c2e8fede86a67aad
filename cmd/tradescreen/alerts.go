package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/textview"
)

type alertsCommand struct{}

const alertsHelp = `Reviews the alerts that screening the parties register raised: one per party and listed entry.

  alerts list                         the alerts, newest first (--status, --party to filter)
  alerts show ID                      one alert: the party, the entry, the score and every transition,
                                      the entry's key facts and why they match now (the party screened
                                      again against the alert's list, as the web UI's alert page does)
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
	// show loads the lists as the screening commands do, to explain the alert; it records nothing.
	svcf := &serviceFlags{sf: sf, noRecord: true}
	fs.Var(&svcf.lists, "list", "show: explain with these lists: "+listHelp)
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
		textview.Alerts(m.Stdout, list)
		fmt.Fprintf(m.Stdout, "%d of %d alerts\n", len(list), n)
	case "show":
		a, err := as.FindAlertByID(ctx, id)
		if err != nil {
			return err
		}
		x, err := explainAlert(ctx, m, fs, svcf, store, a)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(m.Stdout, x)
		}
		textview.Alert(m.Stdout, a)
		textview.Explained(m.Stdout, a, x.Entry, x.Match, x.Note)
		textview.Transitions(m.Stdout, a)
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

// alertExplained is what 'alerts show' prints: the alert with its party, the listed entry as now loaded and
// why they match now, as the web UI's alert page and GET /v1/alerts/{id} give them. With --json the alert's
// fields come first, as before, and party, entry, match and note beside them.
type alertExplained struct {
	*tradescreen.Alert
	Party *tradescreen.Party `json:"party,omitempty"`
	// Entry is the listed entry on the lists loaded now; Match the party screened again against the alert's
	// list, with its explanation. Note says why either is absent.
	Entry *tradescreen.Entry     `json:"entry,omitempty"`
	Match *tradescreen.MatchView `json:"match,omitempty"`
	Note  string                 `json:"note,omitempty"`
}

// explainAlert loads the lists the flags name (the screening commands' service, recording nothing), finds the
// alert's entry on them and screens the alert's party again against the alert's list. Lists that cannot be
// loaded, an entry no longer listed or a party no longer in the register leave the alert unexplained, with a
// note saying why. Errors: the store's, reading the party.
func explainAlert(ctx context.Context, m *Main, fs *flag.FlagSet, f *serviceFlags, st tradescreen.Store, a *tradescreen.Alert) (*alertExplained, error) {
	x := &alertExplained{Alert: a}
	p, err := st.Parties().FindPartyByID(ctx, a.PartyID)
	if tradescreen.ErrorCode(err) == tradescreen.ENOTFOUND {
		x.Note = "the party is no longer in the register, so it cannot be screened again"
		return x, nil
	}
	if err != nil {
		return nil, fmt.Errorf("party %s: %w", a.PartyID, err)
	}
	x.Party = p
	svc, err := newService(ctx, m, fs, f)
	if err != nil {
		x.Note = "the lists could not be loaded, so the alert is not explained: " + errorText(err)
		return x, nil
	}
	defer svc.Close()
	sc, err := svc.Screener()
	if err == nil {
		x.Entry, err = sc.Entry(a.Source, a.SourceID)
	}
	if err != nil {
		x.Entry = nil
		x.Note = "the entry is not on the lists loaded now (removed since, or the alert was raised with other lists: give them with --list)"
		return x, nil
	}
	// The screening the web UI's alert page asks for too.
	if x.Match, err = svc.ExplainAlert(ctx, p, a); err != nil {
		x.Note = "the party could not be screened again: " + errorText(err)
	} else if x.Match == nil {
		x.Note = fmt.Sprintf("the party no longer matches this entry on the loaded lists (below %.2f)", screening.ExplainThreshold)
	}
	return x, nil
}
