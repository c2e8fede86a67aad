// Package textview writes the answers of the screening service and the registers as plain text for people at
// a terminal: a screening's matches with why they matched and the entries' key facts, the 50 % rule findings
// and the rules' calendar, order decisions, alerts, parties and the lists in service. The JSON form of the
// same answers is their types' own encoding.
package textview

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/fedreg"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screening"
)

// Screening prints an answer: the matches, the ownership findings (when ownership data was given),
// what a point-in-time answer rests on, and the lists' dates.
func Screening(w io.Writer, scr *tradescreen.Screening, withOwnership bool) {
	matches(w, scr)
	if withOwnership {
		ownershipSection(w, scr)
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

// ownershipSection prints the 50 % rule findings of an answer under their heading.
func ownershipSection(w io.Writer, scr *tradescreen.Screening) {
	fmt.Fprintf(w, "\nOwnership (50 %% rules as of %s):\n", scr.OwnershipDate)
	Findings(w, scr)
}

// Findings prints an answer's findings by party of the ownership data.
func Findings(w io.Writer, scr *tradescreen.Screening) {
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
		finding(w, f)
	}
}

// finding prints one 50 % rule finding: the rule's name and result ("! " when it applies), the
// ownership paths, the rule and its period, the licence, the source and the confidence.
func finding(w io.Writer, f tradescreen.OwnershipFinding) {
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

// matches prints the matches of an answer, each with why it matched and its entry's key facts.
func matches(w io.Writer, res *tradescreen.Screening) {
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
		facts(w, v.Entry)
		fmt.Fprintf(w, "   %-20s %s\n", "entry:", v.Source+"/"+v.SourceID)
	}
}

// facts prints an entry's key facts, one a line: type, licence, Federal Register citations (with their
// links), dates, programs, birth dates, nationalities and up to three addresses.
func facts(w io.Writer, f tradescreen.Facts) {
	field := fieldPrinter(w, "   %-20s %s\n")
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

// fieldPrinter returns a function printing a field as "label: value" in format (its indentation and
// alignment), and nothing when the value is empty.
func fieldPrinter(w io.Writer, format string) func(label, value string) {
	return func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, format, label+":", value)
		}
	}
}

// aliasLabel names the kind of name a match was on: "alias (a.k.a.)", "former name (f.k.a.)" ...
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
