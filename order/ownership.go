package order

import (
	"fmt"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownership"
)

// ownershipReasons turns the 50 % rule findings for a party's name into reasons. A finding under a rule in
// force that the party is owned 50 % or more (owned) holds the order, and so does one that it may be
// (review: shares not known), because the percentages must be established before the export; a finding
// below the threshold, under a suspended rule, or under a rule that does not reach the party (not_applied: the
// BIS Affiliates Rule for a party the ownership data places in the US) is a note.
func ownershipReasons(i int, p Party, fs []tradescreen.OwnershipFinding) []Reason {
	var out []Reason
	for _, f := range fs {
		f := f
		if f.Rule == "" {
			continue // found in the ownership data with no listed owner: nothing to decide on
		}
		holds := f.Applies || (f.Result == ownership.Review && f.Status == ownership.InForce)
		state := "in force"
		if f.Status == ownership.Suspended {
			state = "suspended"
		}
		found := ""
		if f.PartyScore < 1 || !strings.EqualFold(f.Party, p.Name) {
			found = fmt.Sprintf(" (found in the ownership data as %q, name match %s)", f.Party, tradescreen.FormatScore(f.PartyScore))
		}
		msg := fmt.Sprintf("%s %q%s: %s, under the %s (%s, %s %s; %s); paths: %s; licence: %s",
			roleLabel(p.Role), p.Name, found, f.Summary, f.Name, f.Rule, state, f.Period, f.Citation,
			strings.Join(f.Paths, "; "), f.Licence)
		if f.Confidence < 1 {
			msg += fmt.Sprintf("; owners resolved by name, lowest score %.2f: confirm the identity", f.Confidence)
		}
		out = append(out, Reason{Kind: ReasonOwnership, Holds: holds, Party: i, Role: p.Role, Score: f.PartyScore, Message: msg, Ownership: &f})
	}
	return out
}
