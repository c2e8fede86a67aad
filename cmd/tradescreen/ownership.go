package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/textview"
)

// ownershipCommand is `tradescreen ownership check|rules`.
type ownershipCommand struct{}

const ownershipHelp = `Ownership and the 50 % rules (OFAC 50 Percent Rule, BIS Affiliates Rule).

  tradescreen ownership check --data FILE [--data FILE]... [--as-of YYYY-MM-DD] [--rules FILE] [--json] NAME
      finds NAME among the parties of the ownership data, resolves their owners to list entries (identifiers
      first, then the matcher) and reports, for each rule in force on the date, whether listed parties own
      50 % or more of it, directly or indirectly, with the ownership paths, the rule and the licence
      requirement that follows.
  tradescreen ownership rules [--as-of YYYY-MM-DD] [--rules FILE] [--json]
      prints the rule calendar, or the periods in force on a date.

Ownership data: the simple CSV (owner, owned, percentage ...), GLEIF relationship records (CSV or JSON) and
Open Ownership BODS statements (JSON or JSON Lines); the format is told from the content, or give it as
FORMAT=PATH (csv, gleif, bods). 'tradescreen check --ownership FILE NAME' adds the findings to a name check.
See docs/ownership.md.`

func (c *ownershipCommand) Run(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintln(m.Stderr, "Usage: "+ownershipHelp)
		if len(args) == 0 {
			return usagef("a subcommand is required: check or rules")
		}
		return nil
	}
	switch args[0] {
	case "check":
		return c.check(m, args[1:])
	case "rules":
		return c.rules(m, args[1:])
	}
	return usagef("unknown subcommand %q: want check or rules", args[0])
}

// dataFlag collects repeatable --data / --ownership values.
type dataFlag []string

func (d *dataFlag) String() string { return strings.Join(*d, ",") }
func (d *dataFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("want a file path")
	}
	*d = append(*d, v)
	return nil
}

const ownershipDataHelp = "ownership data file: simple CSV, GLEIF relationship records (CSV/JSON) or BODS (JSON/JSONL); FORMAT=PATH to name the format; repeatable"

func (c *ownershipCommand) check(m *Main, args []string) error {
	fs := newFlagSet(m, "ownership check", "ownership check --data FILE [--data FILE]... [--as-of YYYY-MM-DD] [--rules FILE] [--list KIND=PATH]... [--json] NAME", ownershipHelp)
	var data dataFlag
	fs.Var(&data, "data", ownershipDataHelp)
	asOf := fs.String("as-of", "", "apply the rules in force on this date, YYYY-MM-DD (default today); a past date screens the lists of that date")
	rulesPath := fs.String("rules", "", "a rule calendar in the rules.csv format instead of the embedded one")
	threshold := fs.Float64("threshold", 0, "lowest name-match score for finding NAME among the parties (default the alert threshold)")
	asJSON := fs.Bool("json", false, "print the answer as JSON (the shape of check --json: ownership and ownership_date)")
	dir := fs.String("data-dir", "", dataDirHelp)
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a NAME is required")
	}
	if len(data) == 0 {
		return usagef("--data FILE is required")
	}
	date, err := ownershipDate(*asOf)
	if err != nil {
		return err
	}
	g, err := loadOwnership(data)
	if err != nil {
		return err
	}
	rules, err := ownership.LoadRules(*rulesPath)
	if err != nil {
		return err
	}
	// The answer of the screening service, as check --ownership gives it: a past date screens the lists in
	// force then; a date ahead applies its rules to the lists of today.
	l := listSource(m, lists, *dir)
	sc, err := l.Load()
	if err != nil {
		return err
	}
	svc := screening.NewWith(screening.Config{PastLists: l.PastLists(), OwnershipRules: rules}, sc)
	svc.SetOwnership(g, data)
	req := tradescreen.ScreenRequest{Query: tradescreen.Query{Name: strings.Join(pos, " "), Threshold: *threshold}, OwnershipDate: date}
	if *asOf != "" && *asOf < time.Now().UTC().Format(time.DateOnly) {
		req.AsOf, req.OwnershipDate = *asOf, ""
	}
	scr, err := svc.Answer(context.Background(), req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(scr)
	}
	st := g.Stats()
	fmt.Fprintf(m.Stdout, "\nOwnership (%s, %d parties, %d links; rules as of %s):\n", strings.Join(data, ", "), st.Parties, st.Links, scr.OwnershipDate)
	textview.Findings(m.Stdout, scr)
	for _, w := range scr.Warnings {
		if strings.HasPrefix(w, "ownership: ") {
			fmt.Fprintf(m.Stdout, "  warning: %s\n", strings.TrimPrefix(w, "ownership: "))
		}
	}
	return nil
}

func ownershipDate(asOf string) (string, error) {
	if asOf == "" {
		return time.Now().UTC().Format("2006-01-02"), nil
	}
	if _, err := time.Parse("2006-01-02", asOf); err != nil {
		return "", usagef("--as-of %q: want YYYY-MM-DD", asOf)
	}
	return asOf, nil
}

// loadOwnership reads and merges the ownership files (ownership.OpenAll).
func loadOwnership(data []string) (*ownership.Graph, error) { return ownership.OpenAll(data) }

func (c *ownershipCommand) rules(m *Main, args []string) error {
	fs := newFlagSet(m, "ownership rules", "ownership rules [--as-of YYYY-MM-DD] [--rules FILE] [--json]", ownershipHelp)
	asOf := fs.String("as-of", "", "only the periods in force on this date")
	rulesPath := fs.String("rules", "", "a rule calendar in the rules.csv format instead of the embedded one")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	rules, err := ownership.LoadRules(*rulesPath)
	if err != nil {
		return err
	}
	if *asOf != "" {
		if _, err := ownershipDate(*asOf); err != nil {
			return err
		}
		rules = rules.On(*asOf)
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if rules == nil {
			rules = ownership.Rules{}
		}
		return enc.Encode(rules)
	}
	textview.Rules(m.Stdout, rules, *asOf)
	return nil
}
