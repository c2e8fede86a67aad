package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/textview"
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
	textview.Decision(m.Stdout, o, d)
	return nil
}
