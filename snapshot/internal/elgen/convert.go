package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/fedreg"
	"github.com/tradescreen/tradescreen/licence"
)

// NotStated is the review policy cell of a row the 2022 list cannot vouch for.
const NotStated = licence.NotStated

// Policies finds the review policy of an entry in the 2022 list: by name, then by citations.
type Policies struct {
	byName map[string][]tradescreen.Entry
}

// NewPolicies indexes the us_el entries of the 2022 list by name.
func NewPolicies(entries []tradescreen.Entry) *Policies {
	p := &Policies{byName: map[string][]tradescreen.Entry{}}
	for _, e := range entries {
		if e.Source == "us_el" && strings.TrimSpace(e.LicensePolicy) != "" {
			k := key(e.Name)
			p.byName[k] = append(p.byName[k], e)
		}
	}
	return p
}

// Lookup returns the 2022 policy of the entry with this name and these citations, or "" when it cannot be
// vouched for. The 2022 list's policy is the entry's as it stood on 2022-05-16; it is carried when the law
// shows the entry unchanged since: every citation of the entry dated, none after 2022-05-16, and the 2022
// list's entries of that name all giving the one policy.
func (p *Policies) Lookup(name, citations string) string {
	law, err := fedreg.Parse(strings.ReplaceAll(citations, "\n", "; "))
	if err != nil || len(law) == 0 {
		return ""
	}
	for _, c := range law {
		if c.Date == "" || c.Date > listDate2022 {
			return ""
		}
	}
	policy := ""
	for _, e := range p.byName[key(name)] {
		pol := strings.TrimSpace(e.LicensePolicy)
		if policy != "" && pol != policy {
			return "" // entries of one name with different policies: which one is not known
		}
		policy = pol
	}
	return policy
}

// listDate2022 is the date of the 2022 list the policies come from.
const listDate2022 = "2022-05-16"

func key(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// Stats counts what Convert wrote.
type Stats struct{ Entries, Carried int }

// Convert writes the extraction as the eCFR XML of Part 744 holding Supplement No. 4: one row per entity in
// the extraction's order, the country cell blank where it continues the country above, each row's
// parenthetical alias clauses made aliases (Repair).
func Convert(w io.Writer, x *Extraction, pol *Policies) Stats {
	var st Stats
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DIV5 N=\"744\" TYPE=\"PART\">\n")
	fmt.Fprintf(w, "<HEAD>PART 744—CONTROL POLICY: END-USER AND END-USE BASED</HEAD>\n")
	fmt.Fprintf(w, "<DIV9 N=\"Supplement No. 4 to Part 744\" TYPE=\"APPENDIX\">\n<HEAD>Supplement No. 4 to Part 744—Entity List</HEAD>\n")
	fmt.Fprintf(w, "<P>Built by tradescreen (snapshot/internal/elgen) from an extraction of this supplement's text as of %s "+
		"(%d entries); not the eCFR's own file. The License review policy is carried from the Consolidated Screening List of "+
		"2022-05-16 where the entry is unchanged since that list (every citation dated on or before it, one policy for the name), else it reads %q.</P>\n",
		esc(x.Extracted), x.Count, NotStated)
	fmt.Fprintf(w, "<DIV><TABLE>\n<THEAD><TR><TH>Country</TH><TH>Entity</TH><TH>License requirement</TH><TH>License review policy</TH><TH>Federal Register citation</TH></TR></THEAD>\n<TBODY>\n")
	prev := ""
	for _, e := range x.Entities {
		e = Repair(e)
		country := strings.ToUpper(strings.TrimSpace(e.Country))
		cc := country
		if country == prev {
			cc = ""
		}
		prev = country
		policy := pol.Lookup(e.Name, e.FederalRegister)
		if policy != "" {
			st.Carried++
		} else {
			policy = NotStated
		}
		st.Entries++
		fmt.Fprintf(w, "<TR><TD>%s</TD><TD>%s</TD><TD>%s</TD><TD>%s</TD><TD>%s</TD></TR>\n",
			esc(cc), esc(EntityCell(e)), esc(e.Notes), esc(policy), esc(e.FederalRegister))
	}
	fmt.Fprintf(w, "</TBODY></TABLE></DIV>\n</DIV9>\n</DIV5>\n")
	return st
}

// EntityCell writes the Entity cell as the law does: "NAME, a.k.a., the following 2 aliases: —A; and —B.
// ADDRESS" or "NAME, ADDRESS".
func EntityCell(e Entity) string {
	name := strings.TrimSpace(e.Name)
	addr := strings.TrimSpace(e.Address)
	var aliases []string
	for _, a := range e.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	var b strings.Builder
	b.WriteString(name)
	switch len(aliases) {
	case 0:
		if addr != "" {
			b.WriteString(", ")
		}
	case 1:
		fmt.Fprintf(&b, ", a.k.a., the following alias: —%s.", aliases[0])
	default:
		fmt.Fprintf(&b, ", a.k.a., the following %d aliases: ", len(aliases))
		for i, a := range aliases {
			if i > 0 {
				b.WriteString("; ")
			}
			if i == len(aliases)-1 {
				b.WriteString("and ")
			}
			b.WriteString("—" + a)
		}
		b.WriteString(".")
	}
	if addr != "" && len(aliases) > 0 {
		b.WriteString(" ")
	}
	b.WriteString(addr)
	return b.String()
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func esc(s string) string { return escaper.Replace(s) }
