package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/textview"
)

type checkCommand struct{}

const checkHelp = `Screens NAME against the lists and prints the matches at or above the alert threshold, best first, each
with its list, score, the name or alias that matched, why it matched and the entry's key facts: licence
requirement and review policy, Federal Register citations, start date, programs, addresses.
With --as-of DATE it screens against the lists as they stood on that date: the stored versions in force then
(see 'lists update'), and before the first one held, the entries whose start date (or listing date) is on or
before DATE and whose end date is not before it, saying which facts were inferred. Lists that cannot be
reconstructed for the date are named and not screened. With --fetch, check first fetches the Entity List
as the law stood on DATE — Supplement No. 4 to 15 CFR Part 744 from the eCFR (or --fetch=URL, the eCFR's base
URL) — into the data directory, unless that day's text is held already, so that us_el is answered from the
text in force on DATE rather than from listing dates; offline, it says so and answers from what is held.
With --record (or TRADESCREEN_RECORD=1, for a team that records every screening) the screening is appended to
the audit trail (action screen: the name, the lists screened against and the best matches) of the database
(--db, $TRADESCREEN_DB, else tradescreen.db in the data directory), acting as --as / --api-key; a screening
that cannot be recorded fails.
The exit status is 0 whether or not there are matches (use --json and count them in a pipeline), 1 when the
lists cannot be loaded, 2 for a usage error.`

func (c *checkCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "check", "check [--type person|organization] [--country CC] [--list KIND=PATH]... [--as-of YYYY-MM-DD] [--ownership FILE]... [--max-list-age 7d] [--record] [--json] NAME", checkHelp)
	kind := fs.String("type", "", "the party's type: person, organization, vessel or aircraft (optional; favours entries of that type)")
	country := fs.String("country", "", "the party's country, ISO code or name (optional; raises matches in that country)")
	dob := fs.String("dob", "", "a person's date of birth, YYYY[-MM[-DD]] (optional)")
	threshold := fs.Float64("threshold", 0, fmt.Sprintf("lowest score shown, 0..1 (default %.2f, the alert threshold)", match.DefaultThreshold))
	limit := fs.Int("limit", match.DefaultLimit, "most matches shown")
	sources := fs.String("source", "", "only these list codes, comma-separated (e.g. us_el,us_sdn)")
	asJSON := fs.Bool("json", false, "print the answer as JSON (the shape of the API's GET /v1/search)")
	asOf := fs.String("as-of", "", "screen against the lists in force on this date, YYYY-MM-DD")
	var fetch fetchFlag
	fs.Var(&fetch, "fetch", "with --as-of: first fetch the eCFR text of the Entity List in force on that date into the data directory, unless held (--fetch=URL: from that eCFR base URL)")
	sfl := addServiceFlags(fs, "ownership data (see 'tradescreen ownership'): also report the 50 % rule findings for NAME; repeatable")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a NAME to screen is required")
	}
	req := tradescreen.ScreenRequest{Query: tradescreen.Query{
		Name: strings.Join(pos, " "), Kind: tradescreen.Kind(*kind), Country: *country, BirthDate: *dob,
		Threshold: *threshold, Limit: *limit,
	}, AsOf: *asOf}
	if *sources != "" {
		for _, s := range strings.Split(*sources, ",") {
			req.Sources = append(req.Sources, strings.TrimSpace(s))
		}
	}
	if err := screen.Validate(&req.Query); err != nil {
		return usagef("%s", errorText(err))
	}
	if *asOf != "" {
		if _, err := time.Parse(time.DateOnly, *asOf); err != nil {
			return usagef("--as-of %q: want YYYY-MM-DD", *asOf)
		}
	}
	if fetch.url != "" {
		if *asOf == "" {
			return usagef("--fetch needs --as-of DATE ('lists update' fetches the newest lists)")
		}
		if err := fetchLawAsOf(ctx, m, dataDir(m, *sfl.sf.dataDir), *asOf, fetch.url); err != nil {
			return err
		}
	}
	svc, err := newService(ctx, m, fs, sfl)
	if err != nil {
		return err
	}
	defer svc.Close()
	scr, err := svc.Screen(ctx, svc.actor, "check", req)
	if err != nil {
		return err
	}
	warnStale(m, scr.Lists)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(scr)
	}
	textview.Screening(m.Stdout, scr, len(sfl.owners) > 0)
	return nil
}

// fetchFlag is check's --fetch: alone, the eCFR's own address; --fetch=URL another base URL.
type fetchFlag struct{ url string }

const ecfrBaseURL = "https://www.ecfr.gov"

func (f *fetchFlag) String() string   { return f.url }
func (f *fetchFlag) IsBoolFlag() bool { return true }
func (f *fetchFlag) Set(v string) error {
	switch v {
	case "true":
		f.url = ecfrBaseURL
	case "false":
		f.url = ""
	default:
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			return fmt.Errorf("want the eCFR's base URL (such as %s), got %q", ecfrBaseURL, v)
		}
		f.url = v
	}
	return nil
}

// fetchLawAsOf fetches into dir the eCFR text of the Entity List in force on date from base, unless held,
// reporting on standard error what it did. A failed fetch is a warning: check then answers us_el from what
// is held, and the as-of footer says how.
func fetchLawAsOf(ctx context.Context, m *Main, dir, date, base string) error {
	if dir == "" {
		return usagef("--fetch keeps the text it fetches in the data directory: pass --data-dir or set TRADESCREEN_DATA_DIR")
	}
	store, err := history.Open(dir)
	if err != nil {
		return err
	}
	cfg := download.DefaultConfig()
	if _, err := cfg.ApplySource("ecfr=" + base); err != nil {
		return usagef("--fetch: %v", err)
	}
	cfg.Retries = 1
	cfg.Progress = func(p download.Progress) { fmt.Fprintln(m.Stderr, p.String()) }
	res, held, err := download.FetchAsOf(ctx, cfg, store, "ecfr", date)
	switch {
	case err != nil && tradescreen.ErrorCode(err) == tradescreen.EINVALID:
		return usagef("--fetch: %s", errorText(err))
	case err != nil:
		return err
	case held:
		fmt.Fprintf(m.Stderr, "us_el: the eCFR text in force on %s is held (%s)\n", date, res.Version.Label())
	case res.NotUpdated():
		fmt.Fprintf(m.Stderr, "warning: us_el: the eCFR text in force on %s could not be fetched (%s); us_el is answered from the versions held and the listing dates\n", date, res.Reason)
	}
	return nil
}
