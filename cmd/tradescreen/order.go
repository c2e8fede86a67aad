package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tradescreen/tradescreen/order"
)

type orderCommand struct{}

const orderHelp = `Screens an order (a JSON file, or - for standard input) the way an exporter must: every party in its role
by name and by address against the lists, the destination against the dated embargo and country-group
rules, and, for an Entity List party, the entry's licence requirement and review policy against the items.
Prints one decision, clear or hold, with every reason. See docs/orders.md for the file's shape:
  {"id": "PO-1", "date": "2022-06-01",
   "destination": {"country": "CN", "address": "..."},
   "parties": [{"role": "end_user", "name": "...", "country": "CN", "address": "..."}],
   "items": [{"eccn": "EAR99", "description": "..."}]}
Roles: purchaser, intermediate_consignee, ultimate_consignee, end_user, freight_forwarder.
With --ownership FILE (repeatable; see 'tradescreen ownership') every party is also looked up in the
ownership data and the 50 % rules are evaluated on the order's date: a party owned 50 % or more by listed
parties under a rule in force on that date (or possibly so, when shares are unknown) holds the order.
With --record the decision is appended to the audit trail (action order.decide) of the database (--db,
$TRADESCREEN_DB, else tradescreen.db in the data directory), acting as --as / --api-key.
The exit status is 0 for clear and for hold (read the decision, or --json), 1 when the order or the lists
cannot be read, 2 for a usage error.`

func (c *orderCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "order", "order [--list KIND=PATH]... [--ownership FILE]... [--max-list-age 7d] [--record [--db DSN]] [--json] FILE.json", orderHelp)
	asJSON := fs.Bool("json", false, "print the decision as JSON")
	sfl := addServiceFlags(fs, "ownership data (see 'tradescreen ownership'): apply the 50 % rules to every party on the order's date; repeatable")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one order FILE.json is required")
	}
	var r io.Reader = m.Stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("order %s: %w", pos[0], err)
		}
		defer f.Close()
		r = f
	}
	o, err := order.Decode(r)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if err := order.Validate(o); err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	svc, err := newService(ctx, m, fs, sfl)
	if err != nil {
		return err
	}
	defer svc.Close()
	d, err := svc.Decide(ctx, svc.actor, o)
	if err != nil {
		return err
	}
	warnStale(m, d.Lists)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	printDecision(m.Stdout, o, d)
	return nil
}

func printDecision(w io.Writer, o *order.Order, d *order.Decision) {
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
	for _, n := range d.Notes {
		fmt.Fprintf(w, "Note: %s.\n", n)
	}
}
