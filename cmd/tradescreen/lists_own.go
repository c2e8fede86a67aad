package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/ownlist"
)

type listsOwnCommand struct{}

const listsOwnHelp = `Manages your organisation's own lists, kept as versions in the data directory like the official lists:

  restricted  the internal restricted list: parties you refuse to deal with, by name, address or
              identifier. It is screened with the same engine as the official lists by check, batch,
              order, monitor and serve, and its matches carry the badge "Internal list"
              (list code own_restricted).
  allow       the allow list of reviewed look-alikes: a screened name (or a party id of the parties
              register) and the one listed entry it was reviewed against and found not to be. A match of
              exactly that pairing is marked "allowed: reviewed look-alike (reason, who, when)"; it is never
              removed from a result, so an exact name match is never hidden (list code own_allow).

  lists own import --list restricted|allow FILE   replace the list with FILE (CSV; '-' reads standard
                                                   input) as a new version, recorded in the audit trail
  lists own export --list restricted|allow [-o F]  write the current version as CSV
  lists own show [--list restricted|allow]         the current version and its entries

Columns of the restricted list (by name, in any order; a header with no rows empties the list):
%s
Columns of the allow list:
%s
A bad file is refused whole, naming its line and column; nothing is stored then. Every import is a
version: 'lists history own_restricted' and 'lists diff own_restricted --from #ID' show them. An import
takes the data directory's lock, like 'lists update'.`

func columnHelp(cols []ownlist.Column) string {
	var b strings.Builder
	for _, c := range cols {
		req := ""
		if c.Required {
			req = " (required)"
		}
		fmt.Fprintf(&b, "  %-12s %s%s\n", c.Name, c.Help, req)
	}
	return b.String()
}

func (c *listsOwnCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "lists own", "lists own import|export|show --list restricted|allow [flags] [FILE]",
		fmt.Sprintf(listsOwnHelp, columnHelp(ownlist.RestrictedColumns), columnHelp(ownlist.AllowColumns)))
	sf := addStoreFlags(fs)
	list := fs.String("list", "", "the list: restricted or allow (show: both when not given)")
	out := fs.String("o", "", "export: write to this file instead of standard output")
	asJSON := fs.Bool("json", false, "print as JSON")
	noWait := fs.Bool("no-wait", false, "import: fail at once when another process holds the data directory, instead of waiting")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("want a subcommand: import, export or show")
	}
	sub, rest := pos[0], pos[1:]
	var codes []string
	if *list != "" {
		code, err := ownlist.Code(*list)
		if err != nil {
			return usagef("--list: %q: want restricted or allow", *list)
		}
		codes = []string{code}
	} else if sub == "show" {
		codes = []string{ownlist.Restricted, ownlist.Allow}
	} else {
		return usagef("--list is required: restricted or allow")
	}
	dir := dataDir(m, *sf.dataDir)
	if dir == "" {
		return usagef("no data directory: pass --data-dir or set TRADESCREEN_DATA_DIR")
	}
	switch sub {
	case "import":
		if len(rest) != 1 {
			return usagef("import: want one FILE (CSV, or - for standard input)")
		}
		return ownImport(ctx, m, sf, dir, codes[0], rest[0], *noWait, *asJSON)
	case "export", "show":
		if len(rest) != 0 {
			return usagef("%s: unexpected argument %q", sub, rest[0])
		}
		store, err := history.OpenExisting(dir)
		if err != nil {
			return err
		}
		if sub == "export" {
			return ownExport(m, store, codes[0], *out)
		}
		return ownShow(m, store, dir, codes, *asJSON)
	}
	return usagef("unknown subcommand %q: want import, export or show", sub)
}

// ownImport imports one own list from path as a new version and records it in the audit trail.
func ownImport(ctx context.Context, m *Main, sf *storeFlags, dir, code, path string, noWait, asJSON bool) error {
	var (
		body []byte
		err  error
		name = filepath.Base(path)
	)
	if path == "-" {
		body, err = io.ReadAll(io.LimitReader(m.Stdin, ownlist.MaxFileSize+1))
		name = ownlist.Short(code) + ".csv"
	} else {
		body, err = os.ReadFile(path)
	}
	if err != nil {
		return tradescreen.Errorf(tradescreen.EINVALID, "read %s: %v", path, err)
	}
	db, actor, err := sf.open(ctx, m)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := actor.Require(tradescreen.RoleAnalyst, "import own lists"); err != nil {
		return err
	}
	store, err := history.Open(dir)
	if err != nil {
		return err
	}
	res, diff, err := store.ImportOwnAudited(ctx, db.Audit(), actor, "cli", code, body, name, time.Now(), history.LockOptions{
		NoWait: noWait,
		Waiting: func(holder string) {
			fmt.Fprintf(m.Stderr, "waiting for the data directory: it is locked by another process (%s); --no-wait fails instead\n", holder)
		},
	})
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(m.Stdout, struct {
			history.OwnImport
			Changes *history.ListDiff `json:"changes,omitempty"`
		}{res, diff})
	}
	v := res.Version
	if res.Unchanged {
		fmt.Fprintf(m.Stdout, "%s: unchanged: %s is the current version (%s); nothing stored\n", code, name, v.Label())
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s: imported #%d from %s: %d entries, sha256 %s, by %s\n", code, v.ID, v.Name, v.Lists[code], v.SHA256[:12], v.Actor)
	if diff != nil {
		from := "nothing"
		if res.Previous != nil {
			from = res.Previous.Label()
		}
		fmt.Fprintf(m.Stdout, "  since %s: %d added, %d removed, %d changed\n", from, diff.Added, diff.Removed, diff.Changed)
	}
	if code == ownlist.Restricted {
		fmt.Fprintln(m.Stdout, "check, batch, order, monitor and serve (on its next load) now screen against it.")
	}
	fmt.Fprintf(m.Stdout, "Data directory: %s\n", dir)
	return nil
}

// ownExport writes the current version of an own list as CSV.
func ownExport(m *Main, store *history.Store, code, out string) error {
	if store == nil {
		return tradescreen.Errorf(tradescreen.ENOTFOUND, "%s: never imported (no data directory index yet): run 'tradescreen lists own import --list %s FILE'", code, ownlist.Short(code))
	}
	v, b, err := store.OwnLatest(code)
	if err != nil {
		return err
	}
	if v == nil {
		return tradescreen.Errorf(tradescreen.ENOTFOUND, "%s: never imported: run 'tradescreen lists own import --list %s FILE'", code, ownlist.Short(code))
	}
	if out == "" {
		_, err := m.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(m.Stderr, "%s: wrote %s (%s, %d entries)\n", code, out, v.Label(), v.Lists[code])
	return nil
}

// ownListJSON is one own list as 'lists own show --json' prints it.
type ownListJSON struct {
	List       string                    `json:"list"`
	Version    *history.Version          `json:"version"`
	Restricted []ownlist.RestrictedParty `json:"restricted,omitempty"`
	Allow      []ownlist.Allowance       `json:"allow,omitempty"`
}

// ownShow prints the current version and entries of each list.
func ownShow(m *Main, store *history.Store, dir string, codes []string, asJSON bool) error {
	var out []ownListJSON
	for _, code := range codes {
		o := ownListJSON{List: code}
		if store != nil {
			var err error
			if o.Version, o.Restricted, o.Allow, err = store.OwnRows(code); err != nil {
				return err
			}
		}
		out = append(out, o)
	}
	if asJSON {
		return writeJSON(m.Stdout, out)
	}
	for i, o := range out {
		if i > 0 {
			fmt.Fprintln(m.Stdout)
		}
		si, _ := tradescreen.LookupSource(o.List)
		if o.Version == nil {
			fmt.Fprintf(m.Stdout, "%s (%s): never imported in %q; 'tradescreen lists own import --list %s FILE'\n", o.List, si.Name, dir, ownlist.Short(o.List))
			continue
		}
		v := o.Version
		fmt.Fprintf(m.Stdout, "%s (%s): #%d, imported %s by %s from %s, %d entries, sha256 %s\n", o.List, si.Name, v.ID,
			v.Downloaded.UTC().Format(time.RFC3339), v.Actor, v.Name, v.Lists[o.List], v.SHA256[:12])
		tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		if o.List == ownlist.Allow {
			fmt.Fprintln(tw, "ID\tNAME OR PARTY\tENTRY\tREVIEWED\tREASON")
			for _, a := range o.Allow {
				who := a.Name
				if a.PartyID != "" {
					who = strings.TrimSpace(who + " (party " + a.PartyID + ")")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%s\n", a.ID, who, a.Entry, a.ReviewedOn, a.ReviewedBy, a.Reason)
			}
		} else {
			fmt.Fprintln(tw, "ID\tNAME\tKIND\tCOUNTRY\tIDENTIFIERS\tREASON")
			for _, p := range o.Restricted {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, p.Kind, p.Country, strings.Join(p.Identifiers, "; "), p.Reason)
			}
		}
		tw.Flush()
	}
	return nil
}
