package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/fedreg"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

type checkCommand struct{}

const checkHelp = `Screens NAME against the lists and prints the matches at or above the alert threshold, best first, each
with its list, score, the name or alias that matched, why it matched and the entry's key facts: licence
requirement and review policy, Federal Register citations, start date, programs, addresses.
With --as-of DATE it screens against the lists as they stood on that date: the stored versions in force then
(see 'lists update'), and before the first one held, the entries whose start date (or listing date) is on or
before DATE and whose end date is not before it, saying which facts were inferred. Lists that cannot be
reconstructed for the date are named and not screened.
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
	printScreening(m.Stdout, scr, len(sfl.owners) > 0)
	return nil
}

// printScreening prints an answer: the matches, the ownership findings (when ownership data was given),
// what a point-in-time answer rests on, and the lists' dates.
func printScreening(w io.Writer, scr *tradescreen.Screening, withOwnership bool) {
	printMatches(w, scr)
	if withOwnership {
		printFindings(w, scr)
	}
	if pit := scr.PointInTime; pit != nil {
		fmt.Fprintf(w, "\nAs of %s:\n", pit.Date)
		for i, v := range scr.Matches {
			if v.AsOfNote != "" {
				fmt.Fprintf(w, "  match %d (%s/%s): %s\n", i+1, v.Source, v.SourceID, v.AsOfNote)
			}
		}
		for _, st := range pit.Lists {
			if len(scr.Query.Sources) > 0 && !slices.Contains(scr.Query.Sources, st.Source) {
				continue
			}
			fmt.Fprintf(w, "  %-8s %-11s %s\n", st.Source, st.Status, st.Note)
		}
	}
	fmt.Fprintf(w, "\nLists: %s.\n", scr.AsOf)
	for _, o := range screening.Origins(scr.Lists) {
		fmt.Fprintln(w, o)
	}
	for _, n := range scr.NotChecked {
		fmt.Fprintf(w, "Not checked: %s\n", n)
	}
}

// printFindings prints the 50 % rule findings of an answer.
func printFindings(w io.Writer, scr *tradescreen.Screening) {
	fmt.Fprintf(w, "\nOwnership (50 %% rules as of %s):\n", scr.OwnershipDate)
	printFindingList(w, scr)
}

// printFindingList prints an answer's findings by party of the ownership data.
func printFindingList(w io.Writer, scr *tradescreen.Screening) {
	if len(scr.Ownership) == 0 {
		fmt.Fprintf(w, "  %s is not a party in the ownership data.\n", scr.Query.Name)
	}
	party := ""
	for _, f := range scr.Ownership {
		if f.Party != party {
			party = f.Party
			fmt.Fprintf(w, "  %s (name match %.2f)\n", f.Party, f.PartyScore)
		}
		if f.Rule == "" {
			fmt.Fprintf(w, "    %s\n", f.Summary)
			continue
		}
		printFinding(w, f)
	}
}

// printFinding prints one 50 % rule finding: the rule's name and result ("! " when it applies), the
// ownership paths, the rule and its period, the licence, the source and the confidence.
func printFinding(w io.Writer, f tradescreen.OwnershipFinding) {
	state := "in force"
	if f.Status == string(ownership.Suspended) {
		state = "SUSPENDED"
	}
	mark := "  "
	if f.Applies {
		mark = "! "
	}
	fmt.Fprintf(w, "  %s%s: %s\n", mark, f.Name, f.Summary)
	for _, path := range f.Paths {
		fmt.Fprintf(w, "      %s\n", path)
	}
	fmt.Fprintf(w, "      %-12s %s, %s (%s)\n", "rule:", f.Rule, state, f.Period)
	fmt.Fprintf(w, "      %-12s %s\n", "licence:", f.Licence)
	fmt.Fprintf(w, "      %-12s %s\n", "source:", f.Citation)
	if f.URL != "" {
		fmt.Fprintf(w, "      %-12s %s\n", "", f.URL)
	}
	if f.Confidence < 1 {
		fmt.Fprintf(w, "      %-12s owners resolved by name, lowest score %.2f: confirm the identity\n", "confidence:", f.Confidence)
	}
}

// printMatches prints the matches of an answer, each with why it matched and its entry's key facts.
func printMatches(w io.Writer, res *tradescreen.Screening) {
	n := len(res.Matches)
	switch n {
	case 0:
		fmt.Fprintf(w, "%s: no match at or above %.2f\n", res.Query.Name, res.Threshold)
	case 1:
		fmt.Fprintf(w, "%s: 1 match at or above %.2f\n", res.Query.Name, res.Threshold)
	default:
		fmt.Fprintf(w, "%s: %d matches at or above %.2f\n", res.Query.Name, n, res.Threshold)
	}
	for i, v := range res.Matches {
		fmt.Fprintf(w, "\n%d. [%s] %s  score %s\n", i+1, v.Source, v.Entry.ListName, tradescreen.FormatScore(v.Score))
		fmt.Fprintf(w, "   %s\n", v.Name)
		if v.MatchedName != v.Name {
			fmt.Fprintf(w, "   matched %s: %s\n", aliasLabel(v.MatchedType), v.MatchedName)
		}
		fmt.Fprintf(w, "   why: %s\n", v.Explanation.Summary)
		for _, a := range v.Explanation.Adjustments {
			fmt.Fprintf(w, "        %s\n", a)
		}
		printFacts(w, v.Entry)
		fmt.Fprintf(w, "   %-20s %s\n", "entry:", v.Source+"/"+v.SourceID)
	}
}

// printFacts prints an entry's key facts, one a line: type, licence, Federal Register citations (with their
// links), dates, programs, birth dates, nationalities and up to three addresses.
func printFacts(w io.Writer, f tradescreen.Facts) {
	field := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "   %-20s %s\n", label+":", value)
		}
	}
	field("type", string(f.Kind))
	field("licence requirement", f.LicenseRequirement)
	field("licence policy", f.LicensePolicy)
	field("Federal Register", strings.Join(f.FederalRegister, "; "))
	for _, u := range fedreg.URLs(f.FederalRegister) {
		fmt.Fprintf(w, "   %-20s %s\n", "", u)
	}
	field("start date", f.StartDate)
	field("end date", f.EndDate)
	field("listed on", f.ListedOn)
	field("programs", strings.Join(f.Programs, ", "))
	field("date of birth", strings.Join(f.BirthDates, "; "))
	field("nationality", strings.Join(f.Nationalities, ", "))
	for j, a := range f.Addresses {
		if j == 3 {
			fmt.Fprintf(w, "   %-20s (%d more)\n", "", len(f.Addresses)-3)
			break
		}
		label := ""
		if j == 0 {
			label = "address:"
		}
		fmt.Fprintf(w, "   %-20s %s\n", label, a)
	}
}

func aliasLabel(t tradescreen.NameType) string {
	switch t {
	case tradescreen.NameAKA:
		return "alias (a.k.a.)"
	case tradescreen.NameWeakAKA:
		return "weak alias (a.k.a.)"
	case tradescreen.NameFKA:
		return "former name (f.k.a.)"
	case tradescreen.NameNKA:
		return "new name (n.k.a.)"
	}
	return "name"
}
