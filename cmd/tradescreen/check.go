package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/fedreg"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
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

func (c *checkCommand) Run(ctx context.Context, m *Main, args []string) (err error) {
	fs := newFlagSet(m, "check", "check [--type person|organization] [--country CC] [--list KIND=PATH]... [--as-of YYYY-MM-DD] [--record] [--json] NAME", checkHelp)
	kind := fs.String("type", "", "the party's type: person, organization, vessel or aircraft (optional; favours entries of that type)")
	country := fs.String("country", "", "the party's country, ISO code or name (optional; raises matches in that country)")
	dob := fs.String("dob", "", "a person's date of birth, YYYY[-MM[-DD]] (optional)")
	threshold := fs.Float64("threshold", 0, fmt.Sprintf("lowest score shown, 0..1 (default %.2f, the alert threshold)", match.DefaultThreshold))
	limit := fs.Int("limit", match.DefaultLimit, "most matches shown")
	sources := fs.String("source", "", "only these list codes, comma-separated (e.g. us_el,us_sdn)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	asOf := fs.String("as-of", "", "screen against the lists in force on this date, YYYY-MM-DD")
	dir := fs.String("data-dir", "", dataDirHelp)
	record := fs.Bool("record", false, "append the screening to the audit trail (default $TRADESCREEN_RECORD)")
	sf := &storeFlags{db: fs.String("db", "", dbHelp), dataDir: dir,
		as:     fs.String("as", "", "record as this user name (default cli:$USER)"),
		apiKey: fs.String("api-key", "", "record as the user of this API key (default $TRADESCREEN_API_KEY)")}
	var lists listFlag
	fs.Var(&lists, "list", listHelp)
	var owners dataFlag
	fs.Var(&owners, "ownership", "ownership data (see 'tradescreen ownership'): also report the 50 % rule findings for NAME; repeatable")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a NAME to screen is required")
	}
	q := tradescreen.Query{
		Name: strings.Join(pos, " "), Kind: tradescreen.Kind(*kind), Country: *country, BirthDate: *dob,
		Threshold: *threshold, Limit: *limit,
	}
	if *sources != "" {
		for _, s := range strings.Split(*sources, ",") {
			q.Sources = append(q.Sources, strings.TrimSpace(s))
		}
	}
	if err := screen.Validate(&q); err != nil {
		return usagef("%s", errorText(err))
	}
	var (
		s      *screen.Screener
		states []history.ListAsOf
	)
	if *asOf != "" {
		var datasets []*source.Dataset
		datasets, states, err = asOfDatasets(m, lists, *dir, *asOf)
		if err != nil {
			if tradescreen.ErrorCode(err) == tradescreen.EINVALID && strings.HasPrefix(tradescreen.ErrorMessage(err), "as-of") {
				return usagef("%s", errorText(err))
			}
			return err
		}
		s = screen.New(datasets...)
	} else {
		s, err = loadScreenerIn(m, lists, *dir)
		if err != nil {
			return err
		}
	}
	res, err := s.Screen(q)
	if err != nil {
		return err
	}
	if err := markAllowed(m, *dir, res, ""); err != nil {
		return err
	}
	if recordDefault(m, fs, "record", *record) {
		if err := recordScreening(ctx, m, sf, "check", res, *asOf); err != nil {
			return err
		}
	}
	if len(owners) > 0 {
		out := m.Stdout
		var buf bytes.Buffer
		m.Stdout = &buf
		defer func() {
			m.Stdout = out
			if err == nil {
				err = checkOwnership(m, s, res, owners, *asOf, *asJSON, &buf)
			}
		}()
	}
	if *asJSON {
		return writeJSONResultAsOf(m.Stdout, res, *asOf, states)
	}
	printResult(m.Stdout, res)
	if *asOf != "" {
		printAsOf(m.Stdout, res, *asOf, states)
	}
	return nil
}

// printAsOf adds what a point-in-time answer rests on: each matched entry's inference note and each list's
// state on the date.
func printAsOf(w io.Writer, res *screen.Result, asOf string, states []history.ListAsOf) {
	fmt.Fprintf(w, "\nAs of %s:\n", asOf)
	for i, mt := range res.Matches {
		if mt.Entry != nil {
			if n := history.EntryNote(mt.Entry, states); n != "" {
				fmt.Fprintf(w, "  match %d (%s/%s): %s\n", i+1, mt.Source, mt.SourceID, n)
			}
		}
	}
	for _, st := range states {
		if len(res.Query.Sources) > 0 && !contains(res.Query.Sources, st.Source) {
			continue
		}
		fmt.Fprintf(w, "  %-8s %-11s %s\n", st.Source, st.Status, st.Note)
	}
}

// jsonResult is the --json shape of a screening result.
type jsonResult struct {
	Query     tradescreen.Query         `json:"query"`
	Threshold float64                   `json:"threshold"`
	Matches   []tradescreen.MatchView   `json:"matches"`
	Lists     []tradescreen.ListVersion `json:"lists"`
}

// jsonAsOfMatch is a match of a point-in-time check with the note saying how its listing was established.
type jsonAsOfMatch struct {
	tradescreen.MatchView
	AsOfNote string `json:"as_of_note,omitempty"`
}

func writeJSONResultAsOf(w io.Writer, res *screen.Result, asOf string, states []history.ListAsOf) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	views := tradescreen.Views(res.Matches)
	if views == nil {
		views = []tradescreen.MatchView{}
	}
	if asOf == "" {
		return enc.Encode(jsonResult{Query: res.Query, Threshold: res.Threshold, Matches: views, Lists: res.Lists})
	}
	ms := make([]jsonAsOfMatch, len(views))
	for i, v := range views {
		ms[i] = jsonAsOfMatch{MatchView: v}
		if res.Matches[i].Entry != nil {
			ms[i].AsOfNote = history.EntryNote(res.Matches[i].Entry, states)
		}
	}
	return enc.Encode(struct {
		Query       tradescreen.Query         `json:"query"`
		Threshold   float64                   `json:"threshold"`
		AsOf        string                    `json:"as_of"`
		Matches     []jsonAsOfMatch           `json:"matches"`
		Lists       []tradescreen.ListVersion `json:"lists"`
		PointInTime []history.ListAsOf        `json:"point_in_time"`
	}{res.Query, res.Threshold, asOf, ms, res.Lists, states})
}

func printResult(w io.Writer, res *screen.Result) {
	n := len(res.Matches)
	switch n {
	case 0:
		fmt.Fprintf(w, "%s: no match at or above %.2f\n", res.Query.Name, res.Threshold)
	case 1:
		fmt.Fprintf(w, "%s: 1 match at or above %.2f\n", res.Query.Name, res.Threshold)
	default:
		fmt.Fprintf(w, "%s: %d matches at or above %.2f\n", res.Query.Name, n, res.Threshold)
	}
	for i, v := range tradescreen.Views(res.Matches) {
		fmt.Fprintf(w, "\n%d. [%s] %s  score %.2f\n", i+1, v.Source, v.Entry.ListName, v.Score)
		fmt.Fprintf(w, "   %s\n", v.Name)
		if v.MatchedName != v.Name {
			fmt.Fprintf(w, "   matched %s: %s\n", aliasLabel(v.MatchedType), v.MatchedName)
		}
		fmt.Fprintf(w, "   why: %s\n", v.Explanation.Summary)
		for _, a := range v.Explanation.Adjustments {
			fmt.Fprintf(w, "        %s\n", a)
		}
		f := v.Entry
		field := func(label, value string) {
			if value != "" {
				fmt.Fprintf(w, "   %-20s %s\n", label+":", value)
			}
		}
		field("type", string(f.Kind))
		field("licence requirement", f.LicenseRequirement)
		field("licence policy", f.LicensePolicy)
		field("Federal Register", strings.Join(f.FederalRegister, "; "))
		for _, c := range fedreg.ParseAll(f.FederalRegister) {
			if u := c.URL(); u != "" {
				fmt.Fprintf(w, "   %-20s %s\n", "", u)
			}
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
		field("entry", v.Source+"/"+v.SourceID)
	}
	fmt.Fprintf(w, "\nLists: %s.\n", screen.AsOf(res.Lists))
	fmt.Fprintln(w, "These are the lists compiled into this build unless --list was given; screen against current official files with --list KIND=PATH.")
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
