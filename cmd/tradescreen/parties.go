package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/storeopen"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/textview"
)

// storeFlags are the flags of every command that uses the database (parties, alerts, audit, monitor, users).
type storeFlags struct {
	db, dataDir, as, apiKey *string
}

const dbHelp = "database: a postgres:// URL, or a SQLite file path (default $TRADESCREEN_DB, else tradescreen.db in the data directory)"

func addStoreFlags(fs *flag.FlagSet) *storeFlags {
	return &storeFlags{
		db:      fs.String("db", "", dbHelp),
		dataDir: fs.String("data-dir", "", dataDirHelp),
		as:      fs.String("as", "", "act as this user name (default cli:$USER, with the admin role; recorded in the audit trail)"),
		apiKey:  fs.String("api-key", "", "act as the user of this API key (default $TRADESCREEN_API_KEY) with that user's role"),
	}
}

// open opens the database the flags and environment name (storeopen.Open) and returns who the command acts
// as (storeopen.Actor: --api-key or TRADESCREEN_API_KEY, else --as, else cli:$USER).
func (f *storeFlags) open(ctx context.Context, m *Main) (tradescreen.Store, tradescreen.Actor, error) {
	dsn := *f.db
	if dsn == "" {
		dsn = m.Getenv("TRADESCREEN_DB")
	}
	store, _, err := openStore(dsn, dataDir(m, *f.dataDir))
	if err != nil {
		return nil, tradescreen.Actor{}, err
	}
	id := storeopen.Identity{APIKey: *f.apiKey, Name: *f.as, OSUser: m.Getenv("USER")}
	if id.APIKey == "" {
		id.APIKey = m.Getenv("TRADESCREEN_API_KEY")
	}
	actor, err := storeopen.Actor(ctx, store, id)
	if err != nil {
		store.Close()
		return nil, tradescreen.Actor{}, err
	}
	return store, actor, nil
}

// openStore is storeopen.Open, with a usage error when no database is named.
func openStore(dsn, dir string) (tradescreen.Store, string, error) {
	store, desc, err := storeopen.Open(dsn, dir)
	if errors.Is(err, storeopen.ErrNoDatabase) {
		return nil, "", usagef("%s", errorText(err))
	}
	return store, desc, err
}

type partiesCommand struct{}

const partiesHelp = `Manages the parties register: your own customers, suppliers and other counterparties, kept under your own
ids and re-screened by 'tradescreen monitor run' as the lists change.

  parties import FILE       create or update parties from CSV, JSONL or XLSX (by extension). Columns: an id
                            column (id, party_id, customer_id, account ...) and a name column (name,
                            party_name, company_name ...) are required; type, country and date_of_birth (or
                            dob) are screened when present; other columns are kept. A bad row fails the whole
                            import, naming its line and field; nothing is stored then.
  parties list              list the parties (--all includes deleted ones, --stale only those not yet
                            screened with their current data)
  parties show ID           one party and its alerts
  parties update ID         change a party's data (--name, --type, --country, --dob) with --reason
  parties delete ID         soft-delete a party with --reason: it is no longer screened; its alerts and
                            history are kept

Every change is recorded in the audit trail with who and when.`

func (c *partiesCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "parties", "parties import|list|show|update|delete [flags] [ID|FILE]", partiesHelp)
	f := partiesFlags{sf: addStoreFlags(fs)}
	f.asJSON = fs.Bool("json", false, "print as JSON")
	f.all = fs.Bool("all", false, "list: include deleted parties")
	f.stale = fs.Bool("stale", false, "list: only parties whose data changed since they were last screened")
	f.limit = fs.Int("limit", 0, "list: at most this many parties (0: all)")
	f.offset = fs.Int("offset", 0, "list: skip this many parties")
	f.name = fs.String("name", "", "update: the new name")
	f.kind = fs.String("type", "", "update: the new type (person, organization, vessel, aircraft)")
	f.country = fs.String("country", "", "update: the new country (ISO code or name)")
	f.dob = fs.String("dob", "", "update: the new date of birth, YYYY[-MM[-DD]]")
	f.reason = fs.String("reason", "", "update, delete: why (required; recorded in the audit trail)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a subcommand is required: import, list, show, update or delete")
	}
	sub, rest := pos[0], pos[1:]
	switch sub {
	case "import", "show", "update", "delete":
		if len(rest) != 1 {
			return usagef("parties %s takes one argument", sub)
		}
	case "list":
		if len(rest) != 0 {
			return usagef("parties list takes no arguments")
		}
	default:
		return usagef("unknown subcommand %q: want import, list, show, update or delete", sub)
	}
	var upd tradescreen.PartyUpdate
	if sub == "update" {
		if upd, err = f.update(fs); err != nil {
			return err
		}
	}
	if (sub == "update" || sub == "delete") && strings.TrimSpace(*f.reason) == "" {
		return usagef("parties %s: --reason is required", sub)
	}
	store, actor, err := f.sf.open(ctx, m)
	if err != nil {
		return err
	}
	defer store.Close()
	ps := store.Parties()
	switch sub {
	case "import":
		return partiesImport(ctx, m, ps, actor, rest[0], *f.asJSON)
	case "list":
		return partiesList(ctx, m, ps, f)
	case "show":
		return partiesShow(ctx, m, store, rest[0], *f.asJSON)
	case "update":
		p, err := ps.UpdateParty(ctx, actor, rest[0], upd)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s updated: %s, version %d\n", p.ID, p.Name, p.Version)
	case "delete":
		if err := ps.DeleteParty(ctx, actor, rest[0], *f.reason); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s deleted\n", rest[0])
	}
	return nil
}

// partiesFlags are the flags of the parties command.
type partiesFlags struct {
	sf                               *storeFlags
	asJSON, all, stale               *bool
	limit, offset                    *int
	name, kind, country, dob, reason *string
}

// update is the change `parties update` asks for: only the fields whose flags were given.
func (f partiesFlags) update(fs *flag.FlagSet) (tradescreen.PartyUpdate, error) {
	var upd tradescreen.PartyUpdate
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["name"] {
		upd.Name = f.name
	}
	if set["type"] {
		k := tradescreen.ParseKind(*f.kind)
		if k == tradescreen.KindUnknown && *f.kind != "" && !strings.EqualFold(*f.kind, "unknown") {
			return upd, usagef("--type: %q is not person, organization, vessel or aircraft", *f.kind)
		}
		upd.Kind = &k
	}
	if set["country"] {
		cc := source.CountryCode(*f.country)
		if cc == "" && *f.country != "" {
			return upd, usagef("--country: %q is not an ISO 3166 country code or name", *f.country)
		}
		upd.Country = &cc
	}
	if set["dob"] {
		upd.BirthDate = f.dob
	}
	if upd.Name == nil && upd.Kind == nil && upd.Country == nil && upd.BirthDate == nil {
		return upd, usagef("parties update: give at least one of --name, --type, --country, --dob")
	}
	upd.Reason = *f.reason
	return upd, nil
}

// partiesImport is `parties import FILE`.
func partiesImport(ctx context.Context, m *Main, ps tradescreen.PartyService, actor tradescreen.Actor, path string, asJSON bool) error {
	parties, src, err := batch.ReadPartiesFile(path)
	if err != nil {
		return err
	}
	st, err := ps.ImportParties(ctx, actor, src, parties)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(m.Stdout, st)
	}
	fmt.Fprintf(m.Stdout, "%s: %d rows: %d created, %d updated, %d restored, %d unchanged\n", filepath.Base(path), st.Rows, st.Created, st.Updated, st.Restored, st.Unchanged)
	fmt.Fprintln(m.Stdout, "Run 'tradescreen monitor run' to screen the new and changed parties.")
	return nil
}

// partiesList is `parties list`.
func partiesList(ctx context.Context, m *Main, ps tradescreen.PartyService, f partiesFlags) error {
	list, n, err := ps.FindParties(ctx, tradescreen.PartyFilter{Deleted: *f.all, Stale: *f.stale, Limit: *f.limit, Offset: *f.offset})
	if err != nil {
		return err
	}
	if *f.asJSON {
		if list == nil {
			list = []*tradescreen.Party{}
		}
		return writeJSON(m.Stdout, struct {
			Total   int                  `json:"total"`
			Parties []*tradescreen.Party `json:"parties"`
		}{n, list})
	}
	textview.Parties(m.Stdout, list)
	fmt.Fprintf(m.Stdout, "%d of %d parties\n", len(list), n)
	return nil
}

// partiesShow is `parties show ID`: the party and its alerts.
func partiesShow(ctx context.Context, m *Main, store tradescreen.Store, id string, asJSON bool) error {
	p, err := store.Parties().FindPartyByID(ctx, id)
	if err != nil {
		return err
	}
	alerts, _, err := store.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{PartyID: p.ID})
	if err != nil {
		return err
	}
	if asJSON {
		if alerts == nil {
			alerts = []*tradescreen.Alert{}
		}
		return writeJSON(m.Stdout, struct {
			*tradescreen.Party
			Alerts []*tradescreen.Alert `json:"alerts"`
		}{p, alerts})
	}
	textview.Party(m.Stdout, p)
	fmt.Fprintf(m.Stdout, "Alerts: %d\n", len(alerts))
	textview.Alerts(m.Stdout, alerts)
	return nil
}
