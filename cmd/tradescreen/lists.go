package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/textview"
)

type listsCommand struct{}

const listsHelp = `Subcommands:
  lists show      each loaded list: its code, name, publication date, age in days, whether it is stale
                  (older than --stale-list-age, default 7d), entries and names, where it came from
  lists formats   the list file formats --list KIND=PATH reads
  lists update    download the official lists, validate them and store each accepted version
  lists history   the stored list versions
  lists diff      the entries added, removed and changed between two versions of a list
  lists own       your own lists: the internal restricted list and the allow list of reviewed
                  look-alikes (import, export, show)

The embedded lists are official files compiled into the binary; their dates are shown by 'lists show'.
Screen against newer official files with --list KIND=PATH (e.g. --list csl=consolidated.csv), or download
them with 'lists update': the newest accepted versions are then used over the embedded lists.`

func (c *listsCommand) Run(ctx context.Context, m *Main, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "update":
			return (&listsUpdateCommand{}).Run(ctx, m, args[1:])
		case "history":
			return (&listsHistoryCommand{}).Run(ctx, m, args[1:])
		case "diff":
			return (&listsDiffCommand{}).Run(ctx, m, args[1:])
		case "own":
			return (&listsOwnCommand{}).Run(ctx, m, args[1:])
		}
	}
	fs := newFlagSet(m, "lists", "lists show|formats|update|history|diff|own [--list KIND=PATH]... [--data-dir DIR] [--stale-list-age D] [--json]", listsHelp)
	dir := fs.String("data-dir", "", dataDirHelp)
	asJSON := fs.Bool("json", false, "print as JSON")
	var staleAge time.Duration
	fs.Var((*durationFlag)(&staleAge), "stale-list-age", "show lists older than this as stale, e.g. 30d (default: serve's stale_list_age from $TRADESCREEN_CONFIG or $TRADESCREEN_STALE_LIST_AGE, else 7d)")
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	sub := "show"
	if len(pos) > 0 {
		sub = pos[0]
	}
	switch sub {
	case "show":
		s, err := listSource(m, lists, *dir).Load()
		if err != nil {
			return err
		}
		// The ages and the stale flags are the screening service's, as GET /v1/lists and every answer give
		// them, at the stale age serve's configuration sets unless --stale-list-age says otherwise.
		if staleAge == 0 {
			if staleAge, _, err = listAges(m); err != nil {
				return err
			}
		}
		ls := screening.NewWith(screening.Config{DefaultMaxAge: staleAge}, s).Lists()
		if *asJSON {
			return writeJSON(m.Stdout, ls)
		}
		textview.Lists(m.Stdout, ls)
		return nil
	case "formats":
		tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		for _, f := range source.Formats() {
			fmt.Fprintf(tw, "%s\t%s\n", f.Kind, f.Description)
		}
		return tw.Flush()
	}
	return usagef("unknown subcommand %q: want show, formats, update, history, diff or own", sub)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
