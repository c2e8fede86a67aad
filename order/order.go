// Package order screens an order the way an exporter must: every party in its role (purchaser, intermediate
// consignee, ultimate consignee, end user, freight forwarder) by name against the lists and by address
// against the lists' addresses, the destination against the dated destination rules, and, for a listed
// Entity List party, the entry's licence requirement and review policy against the order's items. It
// answers one decision, clear or hold, with every reason traceable to a list entry, a rule or an address,
// and the lists' dates.
package order

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/address"
	"github.com/tradescreen/tradescreen/destination"
	"github.com/tradescreen/tradescreen/internal/jsonpath"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// Roles of the parties to an export (15 CFR 748.5).
const (
	RolePurchaser             = "purchaser"
	RoleIntermediateConsignee = "intermediate_consignee"
	RoleUltimateConsignee     = "ultimate_consignee"
	RoleEndUser               = "end_user"
	RoleFreightForwarder      = "freight_forwarder"
)

var roles = []string{RolePurchaser, RoleIntermediateConsignee, RoleUltimateConsignee, RoleEndUser, RoleFreightForwarder}

// Party is one party to an order.
type Party struct {
	Role    string           `json:"role"`
	Name    string           `json:"name"`
	Type    tradescreen.Kind `json:"type,omitempty"`
	Country string           `json:"country,omitempty"`
	Address string           `json:"address,omitempty"`
}

// Destination is where the items go.
type Destination struct {
	Country string `json:"country"`
	Address string `json:"address,omitempty"`
}

// Order is what is screened.
type Order struct {
	ID          string         `json:"id,omitempty"`
	Date        string         `json:"date"`
	Destination Destination    `json:"destination"`
	Parties     []Party        `json:"parties"`
	Items       []licence.Item `json:"items"`
}

// Limits on an order.
const (
	MaxParties = 50
	MaxItems   = 500
)

// Decode reads an order as JSON (its first megabyte), rejecting unknown fields. Errors are EINVALID, naming
// an unknown or mistyped member by its full path (`json: unknown field "parties[1].contry"`).
func Decode(r io.Reader) (*Order, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "order: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var o Order
	if err := dec.Decode(&o); err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "order: %v", jsonpath.WithPath(err, data, reflect.TypeOf(&o)))
	}
	return &o, nil
}

// Validate checks an order and normalizes it (country names to codes, roles and ECCNs to their canonical
// forms). Errors are EINVALID naming the field: "parties[1].role: ...".
func Validate(o *Order) error {
	if _, err := time.Parse("2006-01-02", o.Date); err != nil {
		return tradescreen.Errorf(tradescreen.EINVALID, "date: %q is not YYYY-MM-DD", o.Date)
	}
	c := source.CountryCode(o.Destination.Country)
	if c == "" {
		return tradescreen.Errorf(tradescreen.EINVALID, "destination.country: %q is not an ISO 3166 country code or name", o.Destination.Country)
	}
	o.Destination.Country = c
	if len(o.Parties) == 0 || len(o.Parties) > MaxParties {
		return tradescreen.Errorf(tradescreen.EINVALID, "parties: between 1 and %d parties are required", MaxParties)
	}
	for i := range o.Parties {
		p := &o.Parties[i]
		p.Role = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(p.Role)), " ", "_")
		ok := false
		for _, r := range roles {
			ok = ok || r == p.Role
		}
		if !ok {
			return tradescreen.Errorf(tradescreen.EINVALID, "parties[%d].role: %q is not one of %s", i, p.Role, strings.Join(roles, ", "))
		}
		p.Name = strings.TrimSpace(p.Name)
		if p.Name == "" || len(p.Name) > screen.MaxNameLength {
			return tradescreen.Errorf(tradescreen.EINVALID, "parties[%d].name: required, at most %d bytes", i, screen.MaxNameLength)
		}
		if p.Country != "" {
			c := source.CountryCode(p.Country)
			if c == "" {
				return tradescreen.Errorf(tradescreen.EINVALID, "parties[%d].country: %q is not an ISO 3166 country code or name", i, p.Country)
			}
			p.Country = c
		}
		if len(p.Address) > 1000 {
			return tradescreen.Errorf(tradescreen.EINVALID, "parties[%d].address: longer than 1000 bytes", i)
		}
	}
	if len(o.Items) == 0 || len(o.Items) > MaxItems {
		return tradescreen.Errorf(tradescreen.EINVALID, "items: between 1 and %d items are required", MaxItems)
	}
	for i := range o.Items {
		it := &o.Items[i]
		it.ECCN = strings.TrimSpace(it.ECCN)
		if !licence.ValidECCN(it.ECCN) {
			return tradescreen.Errorf(tradescreen.EINVALID, "items[%d].eccn: %q is not an ECCN (5A002, 3A090.a) or EAR99", i, it.ECCN)
		}
		if it.HTS != "" {
			it.HTS = licence.CanonHTS(it.HTS)
			if !licence.ValidHTS(it.HTS) {
				return tradescreen.Errorf(tradescreen.EINVALID, "items[%d].hts: %q is not an HTS code of 6 to 10 digits (847130, 8471.30.0100)", i, it.HTS)
			}
		}
		if strings.EqualFold(it.ECCN, "EAR99") {
			it.ECCN = "EAR99"
		} else {
			it.ECCN = strings.ToUpper(it.ECCN[:5]) + strings.ToLower(it.ECCN[5:])
		}
	}
	return nil
}

// Outcomes of a decision.
const (
	Clear = "clear"
	Hold  = "hold"
)

// Reason kinds.
const (
	ReasonListedParty  = "listed_party"
	ReasonListedAddr   = "listed_address"
	ReasonDestination  = "destination"
	ReasonRegion       = "destination_region"
	ReasonCountryGroup = "country_group"
	// ReasonLicenceRule is a destination rule that requires a licence for some of the order's items
	// (§ 746.8 for Russia and Belarus, § 746.9 for Syria ...), or one whose licence exception authorizes them.
	ReasonLicenceRule = "licence_requirement"
	// ReasonChart is the Commerce Country Chart's answer for one item on the CCL.
	ReasonChart     = "country_chart"
	ReasonOwnership = "ownership"
	// ReasonAllowed is a party's name match with an entry that the allow list pairs the name with (a
	// reviewed look-alike): it is listed so that the decision shows it was considered, and does not hold
	// the order.
	ReasonAllowed = "allowed"
)

// EntryRef names a list entry a reason rests on.
type EntryRef struct {
	Source    string `json:"source"`
	SourceID  string `json:"source_id"`
	Name      string `json:"name"`
	ListName  string `json:"list_name"`
	Published string `json:"list_published,omitempty"`
	// StartDate is when the entry took effect, when the list says; FederalRegister its citations.
	StartDate       string   `json:"start_date,omitempty"`
	FederalRegister []string `json:"federal_register,omitempty"`
}

// LicenceFinding is the licence answer for a listed party: the entry's parsed requirement and the answer
// for each item.
type LicenceFinding struct {
	Requirement string           `json:"requirement"`
	Policy      string           `json:"policy"`
	Footnotes   []string         `json:"footnotes,omitempty"`
	Answers     []licence.Answer `json:"answers"`
	// Summary is the answer when every item gets the same one, else the strictest.
	Summary string `json:"summary"`
	// ParseError is set when the entry's licence text could not be read (the party is held all the same).
	ParseError string `json:"parse_error,omitempty"`
}

// Reason is one ground for the decision.
type Reason struct {
	Kind string `json:"kind"`
	// Holds is true when this reason alone puts the order on hold.
	Holds bool `json:"holds"`
	// Party is the index of the party in the order, -1 for the destination.
	Party   int    `json:"party"`
	Role    string `json:"role,omitempty"`
	Message string `json:"message"`
	// Entry is the list entry the reason rests on (listed_party, listed_address).
	Entry *EntryRef `json:"entry,omitempty"`
	// Score and Explanation of a name or address match.
	Score       float64  `json:"score,omitempty"`
	Explanation []string `json:"explanation,omitempty"`
	// Address is the listed address that matched (listed_address) and Queried the order's address.
	Address string `json:"address,omitempty"`
	Queried string `json:"queried,omitempty"`
	// Rule is the destination rule (destination, destination_region, country_group).
	Rule    *destination.Rule `json:"rule,omitempty"`
	Licence *LicenceFinding   `json:"licence,omitempty"`
	// Items are the indexes of the order's items the reason is about (licence_requirement, country_chart).
	Items []int `json:"items,omitempty"`
	// Exception is the licence exception applied (Holds false) or named as not available (licence_requirement).
	Exception string `json:"exception,omitempty"`
	// Chart is the Commerce Country Chart answer (country_chart).
	Chart *destination.ChartAnswer `json:"chart,omitempty"`
	// Ownership is the 50 % rule finding (ownership): the rule, status, share, paths and licence.
	Ownership *ownership.Finding `json:"ownership,omitempty"`
	// Allowed is the allowance of the allow list that covers the match (allowed): why, who reviewed it,
	// when, and the allow-list row.
	Allowed *tradescreen.Allowed `json:"allowed,omitempty"`
}

// Decision is the answer for one order.
type Decision struct {
	OrderID string   `json:"order_id,omitempty"`
	Date    string   `json:"date"`
	Outcome string   `json:"outcome"`
	Reasons []Reason `json:"reasons"`
	// Lists are the lists screened against, with their dates and ages.
	Lists []tradescreen.ListStatus `json:"lists"`
	// Notes say what the decision did not cover.
	Notes []string `json:"notes,omitempty"`
	// Meaning says in words what the outcome means; Checked and NotChecked what the decision looked at and
	// what it did not.
	Meaning    string   `json:"meaning,omitempty"`
	Checked    []string `json:"checked,omitempty"`
	NotChecked []string `json:"not_checked,omitempty"`
}

// Names screens the name of an order's party exactly as every other door screens a name: the screening
// service's Answer (package screening). The answer carries the matches with their allowances and the 50 %
// rule findings for the name.
type Names interface {
	Answer(ctx context.Context, req tradescreen.ScreenRequest) (*tradescreen.Screening, error)
}

// Service screens orders against one loaded set of lists: the lists' addresses, indexed, and the dated
// destination rules. It is immutable and safe for concurrent use. Party names are screened through Names.
type Service struct {
	lists     []tradescreen.ListVersion
	addresses *address.Index
	rules     *destination.Rules
	chart     *destination.Chart
}

// New builds the order service over a screener's entries, with the compiled-in destination rules.
func New(s *screen.Screener) *Service {
	return &Service{lists: s.Lists(), addresses: address.Build(s.Entries()), rules: destination.Default(),
		chart: destination.DefaultChart()}
}

// Decide screens an order: each party's name through names (on the lists in service, with the ownership
// rules of the order's date), each address against the lists' addresses and the sanctioned regions, the
// destination against its rules, and each listed party's licence terms against the items. Errors are
// EINVALID for a bad order, or what names returns.
func (s *Service) Decide(ctx context.Context, names Names, o *Order) (*Decision, error) {
	if err := Validate(o); err != nil {
		return nil, err
	}
	d := &Decision{OrderID: o.ID, Date: o.Date}
	published := map[string]string{}
	for _, l := range s.lists {
		published[l.Source] = l.Published
	}
	ref := func(e *tradescreen.Entry) *EntryRef {
		r := &EntryRef{Source: e.Source, SourceID: e.SourceID, Name: e.Name, Published: published[e.Source],
			StartDate: e.StartDate, FederalRegister: e.FederalRegister}
		if si, ok := tradescreen.LookupSource(e.Source); ok {
			r.ListName = si.Name
		}
		return r
	}
	ownershipChecked := false
	for i, p := range o.Parties {
		scr, err := names.Answer(ctx, tradescreen.ScreenRequest{Query: tradescreen.Query{Name: p.Name, Kind: p.Type, Country: p.Country}, OwnershipDate: o.Date})
		if err != nil {
			return nil, fmt.Errorf("parties[%d]: %w", i, err)
		}
		if d.Lists == nil {
			d.Lists = scr.Lists
		}
		ownershipChecked = scr.OwnershipDate != ""
		d.Reasons = append(d.Reasons, s.nameReasons(i, p, scr, o, ref)...)
		if p.Address != "" {
			d.Reasons = append(d.Reasons, s.addressReasons(i, p.Role, p.Address, p.Country, o, ref)...)
		}
		d.Reasons = append(d.Reasons, ownershipReasons(i, p, scr.Ownership)...)
	}
	if o.Destination.Address != "" {
		d.Reasons = append(d.Reasons, s.addressReasons(-1, "destination", o.Destination.Address, o.Destination.Country, o, ref)...)
	}
	d.Reasons = append(d.Reasons, s.destinationReasons(o, partyRestricted(d.Reasons))...)
	d.Outcome = Clear
	for _, r := range d.Reasons {
		if r.Holds {
			d.Outcome = Hold
		}
	}
	d.Notes = append(d.Notes, "lists as of: "+screen.AsOf(tradescreen.Versions(d.Lists)))
	if !ownershipChecked {
		d.Notes = append(d.Notes, "ownership (50 % rules) not screened: no ownership data loaded")
	}
	d.explain(o, ownershipChecked)
	if d.Reasons == nil {
		d.Reasons = []Reason{}
	}
	return d, nil
}

// nameReasons turns the matches of a party's name into reasons: each match holds the order, with the
// entry's licence answer for the items, unless the allow list covers it (a reviewed look-alike: noted, not
// holding).
func (s *Service) nameReasons(i int, p Party, scr *tradescreen.Screening, o *Order, ref func(*tradescreen.Entry) *EntryRef) []Reason {
	var out []Reason
	for _, m := range scr.Matches {
		e := m.Match.Entry
		r := Reason{Kind: ReasonListedParty, Holds: true, Party: i, Role: p.Role, Entry: ref(e), Score: m.Score,
			Message: fmt.Sprintf("%s %q matches %s entry %s %q (score %s)", roleLabel(p.Role), p.Name, m.Source, m.SourceID, e.Name, tradescreen.FormatScore(m.Score))}
		r.Explanation = append([]string{m.Explanation.Summary}, m.Explanation.Adjustments...)
		r.Licence = s.licenceFinding(e, o.Items)
		r.Message += entryDateNote(e, o.Date)
		if al := m.Allowed; al != nil {
			// The reviewer found the party not to be the entry: the entry's licence terms do not apply.
			r.Kind, r.Holds, r.Allowed, r.Licence = ReasonAllowed, false, al, nil
			r.Message += fmt.Sprintf(": allowed, a reviewed look-alike (%s; reviewed by %s on %s; allow-list row %s): does not hold the order",
				al.Reason, al.Reviewer, al.Date, al.Row)
		}
		out = append(out, r)
	}
	return out
}

func entryDateNote(e *tradescreen.Entry, date string) string {
	switch {
	case e.StartDate != "" && date < e.StartDate:
		return fmt.Sprintf("; the entry took effect on %s, after the order date", e.StartDate)
	case e.EndDate != "" && date > e.EndDate:
		return fmt.Sprintf("; the entry ended on %s, before the order date", e.EndDate)
	}
	return ""
}

func roleLabel(r string) string { return strings.ReplaceAll(r, "_", " ") }

// addressReasons screens one address against the lists' addresses and the destination regions.
func (s *Service) addressReasons(party int, role, text, country string, o *Order, ref func(*tradescreen.Entry) *EntryRef) []Reason {
	var out []Reason
	if country == "" && party < 0 {
		country = o.Destination.Country
	}
	for _, m := range s.addresses.Search(text, country, 0) {
		r := Reason{Kind: ReasonListedAddr, Holds: true, Party: party, Role: role, Entry: ref(m.Entry), Score: m.Score,
			Explanation: m.Explanation, Address: tradescreen.AddressLine(m.Address), Queried: text,
			Message: fmt.Sprintf("%s address %q is the address of %s entry %s %q: %q (score %s)", roleLabel(role), text, m.Entry.Source, m.Entry.SourceID, m.Entry.Name, tradescreen.AddressLine(m.Address), tradescreen.FormatScore(m.Score))}
		r.Licence = s.licenceFinding(m.Entry, o.Items)
		out = append(out, r)
	}
	for _, rm := range s.rules.Regions(text, country, o.Date) {
		rule := rm.Rule
		out = append(out, Reason{Kind: ReasonRegion, Holds: true, Party: party, Role: role, Rule: &rule, Queried: text,
			Message: fmt.Sprintf("%s address %q is in a sanctioned or embargoed region (%s, found by %q): %s%s", roleLabel(role), text, rule.Region, rm.Keyword, rule.Citation, uncertain(rule))})
	}
	return out
}

func uncertain(r destination.Rule) string {
	if r.Uncertain {
		return " [uncertain: verify]"
	}
	return ""
}

// licenceFinding answers the licence question for an export-controlled entry; nil for other lists.
func (s *Service) licenceFinding(e *tradescreen.Entry, items []licence.Item) *LicenceFinding {
	if e.Source != "us_el" {
		return nil
	}
	f := &LicenceFinding{Requirement: e.LicenseRequirement, Policy: e.LicensePolicy}
	l, err := licence.ParseEntry(e)
	if err != nil {
		f.ParseError = err.Error()
		f.Summary = "licence text not understood: read the entry"
		return f
	}
	for _, fn := range l.Footnotes {
		f.Footnotes = append(f.Footnotes, fmt.Sprintf("footnote %d (§ %s): %s", fn.Number, fn.Section, fn.Meaning))
	}
	rank := map[licence.Review]int{licence.PolicyOfDenial: 5, licence.PresumptionOfDenial: 4, licence.SeeRegulation: 3,
		licence.ReviewUnknown: 3, licence.CaseByCase: 2, licence.PresumptionOfApproval: 1}
	best := -1
	for _, it := range items {
		a := l.Answer(it)
		f.Answers = append(f.Answers, a)
		if rank[a.Review] > best {
			best = rank[a.Review]
			f.Summary = a.Text
		}
	}
	return f
}
