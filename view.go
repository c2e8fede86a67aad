package tradescreen

// Facts are the key facts of a matched entry, shown next to every match: what the list says the party is and
// what follows from its listing.
type Facts struct {
	Kind               Kind     `json:"kind"`
	ListName           string   `json:"list_name"`
	Programs           []string `json:"programs,omitempty"`
	Countries          []string `json:"countries,omitempty"`
	Addresses          []string `json:"addresses,omitempty"`
	LicenseRequirement string   `json:"license_requirement,omitempty"`
	LicensePolicy      string   `json:"license_policy,omitempty"`
	FederalRegister    []string `json:"federal_register,omitempty"`
	StartDate          string   `json:"start_date,omitempty"`
	EndDate            string   `json:"end_date,omitempty"`
	ListedOn           string   `json:"listed_on,omitempty"`
	BirthDates         []string `json:"birth_dates,omitempty"`
	Nationalities      []string `json:"nationalities,omitempty"`
	SourceListURL      string   `json:"source_list_url,omitempty"`
}

// MatchView is a match with its entry's key facts, the shape the CLI (--json), batch output and the API use.
type MatchView struct {
	Match
	Entry Facts `json:"entry"`
	// AsOfNote says, in a point-in-time answer, how the entry's listing on the date was established when it
	// was inferred from its dates ("inferred from start_date 2019-10-09 in the 2022-05-16 list").
	AsOfNote string `json:"as_of_note,omitempty"`
}

// FactsOf extracts the key facts of an entry.
func FactsOf(e *Entry) Facts {
	f := Facts{
		Kind: e.Kind, Programs: e.Programs, Countries: e.Countries(),
		LicenseRequirement: e.LicenseRequirement, LicensePolicy: e.LicensePolicy,
		FederalRegister: e.FederalRegister, StartDate: e.StartDate, EndDate: e.EndDate, ListedOn: e.ListedOn,
		BirthDates: e.BirthDates, Nationalities: e.Nationalities, SourceListURL: e.SourceListURL,
	}
	if si, ok := LookupSource(e.Source); ok {
		f.ListName = si.Name
	}
	for _, a := range e.Addresses {
		if s := AddressLine(a); s != "" {
			f.Addresses = append(f.Addresses, s)
		}
	}
	return f
}

// AddressLine renders an address on one line.
func AddressLine(a Address) string {
	if a.Full != "" {
		return a.Full
	}
	s := ""
	for _, p := range []string{a.Street, a.City, a.Region, a.PostalCode, a.CountryName} {
		if p == "" {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += p
	}
	if s == "" {
		s = a.Country
	}
	return s
}

// Views turns matches into MatchViews.
func Views(ms []Match) []MatchView {
	out := make([]MatchView, len(ms))
	for i, m := range ms {
		out[i] = MatchView{Match: m}
		if m.Entry != nil {
			out[i].Entry = FactsOf(m.Entry)
		}
	}
	return out
}
