// Package tradescreen holds the domain types of the restricted-party screening system: list entries, their
// names, addresses and identifiers, list versions, queries and matches, and the coded error type. It imports
// no database, HTTP or file-format package; everything else talks through these types.
package tradescreen

import (
	"encoding/json"
	"sort"
	"strings"
)

// Kind is what a list entry designates.
type Kind string

// The kinds of listed parties.
const (
	KindPerson       Kind = "person"
	KindOrganization Kind = "organization"
	KindVessel       Kind = "vessel"
	KindAircraft     Kind = "aircraft"
	KindUnknown      Kind = "unknown"
)

// ParseKind maps the many spellings the lists use ("Individual", "Entity", "Vessel", "person", "org") to a
// Kind. Unknown or empty input gives KindUnknown.
func ParseKind(s string) Kind {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "individual", "individuals", "i", "p":
		return KindPerson
	case "organization", "organisation", "entity", "entities", "company", "org", "e", "o", "enterprise":
		return KindOrganization
	case "vessel", "ship", "v":
		return KindVessel
	case "aircraft", "a":
		return KindAircraft
	}
	return KindUnknown
}

// NameType says how a list presents one of an entry's names.
type NameType string

// Name types. A weak a.k.a. is one the list itself marks as low quality (OFAC "weak", UN "Low").
const (
	NamePrimary NameType = "primary"
	NameAKA     NameType = "aka"
	NameWeakAKA NameType = "weak_aka"
	NameFKA     NameType = "fka"
	NameNKA     NameType = "nka"
)

// Name is one name of an entry: the primary name or an alias.
type Name struct {
	// Full is the name as the list writes it (apostrophe artefacts repaired where certain).
	Full string `json:"full"`
	// Type is primary, aka, weak_aka, fka or nka.
	Type NameType `json:"type"`
	// Script is set for names the list gives in an original, non-Latin script ("Han", "Cyrillic", "Arabic").
	Script string `json:"script,omitempty"`
	// Given and Family are set when the list splits a person's name into parts.
	Given  string `json:"given,omitempty"`
	Family string `json:"family,omitempty"`
	// Note carries a qualifier the list attaches to this name ("Affiliated Entity", "Subordinate Institution").
	Note string `json:"note,omitempty"`
}

// Address is a postal address as a list publishes it.
type Address struct {
	// Full is the address as one line, as published.
	Full       string `json:"full,omitempty"`
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code when it could be determined.
	Country string `json:"country,omitempty"`
	// CountryName is the country as the list writes it.
	CountryName string `json:"country_name,omitempty"`
	Note        string `json:"note,omitempty"`
}

// Identifier is a document or registration number: passport, national id, tax id, IMO number, SWIFT/BIC ...
type Identifier struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2 where known, else as published
	Issued  string `json:"issued,omitempty"`
	Expires string `json:"expires,omitempty"`
	Note    string `json:"note,omitempty"`
}

// Vessel holds the vessel and aircraft details some lists publish.
type Vessel struct {
	CallSign               string `json:"call_sign,omitempty"`
	Type                   string `json:"type,omitempty"`
	Flag                   string `json:"flag,omitempty"`
	Owner                  string `json:"owner,omitempty"`
	Tonnage                string `json:"tonnage,omitempty"`
	GrossRegisteredTonnage string `json:"gross_registered_tonnage,omitempty"`
}

// Entry is one party on one list, holding everything the official file says about it.
type Entry struct {
	// Source is the stable list code: us_el, us_sdn, un_sc, gb_hmt, eu_fsf ... (see Sources).
	Source string `json:"source"`
	// SourceID is the list's own identifier (CSL _id or entity_number, SDN ent_num, UN REFERENCE_NUMBER,
	// UK Group ID, EU logicalId).
	SourceID string `json:"source_id"`
	Kind     Kind   `json:"kind"`
	// Name is the primary name.
	Name string `json:"name"`
	// Aliases are every other name: a.k.a. (strong and weak), f.k.a., n.k.a., original-script names.
	Aliases     []Name       `json:"aliases,omitempty"`
	Addresses   []Address    `json:"addresses,omitempty"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	// BirthDates are as published: YYYY-MM-DD, YYYY-MM, YYYY, or a range/phrase the list uses.
	BirthDates    []string `json:"birth_dates,omitempty"`
	BirthPlaces   []string `json:"birth_places,omitempty"`
	Nationalities []string `json:"nationalities,omitempty"`
	Citizenships  []string `json:"citizenships,omitempty"`
	Gender        string   `json:"gender,omitempty"`
	Title         string   `json:"title,omitempty"`
	Positions     []string `json:"positions,omitempty"`
	Programs      []string `json:"programs,omitempty"`
	// Export-control fields (Entity List, DPL, MEU, UVL ...).
	LicenseRequirement string   `json:"license_requirement,omitempty"`
	LicensePolicy      string   `json:"license_policy,omitempty"`
	FederalRegister    []string `json:"federal_register,omitempty"`
	StartDate          string   `json:"start_date,omitempty"` // YYYY-MM-DD
	EndDate            string   `json:"end_date,omitempty"`   // YYYY-MM-DD
	StandardOrder      string   `json:"standard_order,omitempty"`
	// ListedOn is when the list says the party was listed (UN LISTED_ON, UK Listed On), YYYY-MM-DD.
	ListedOn    string  `json:"listed_on,omitempty"`
	LastUpdated string  `json:"last_updated,omitempty"`
	Vessel      *Vessel `json:"vessel,omitempty"`
	Remarks     string  `json:"remarks,omitempty"`
	// SourceListURL is the list's own page for this entry or list; SourceInfoURL its information page.
	SourceListURL string `json:"source_list_url,omitempty"`
	SourceInfoURL string `json:"source_info_url,omitempty"`
	// Raw is the official record as read, field by field, for audit and display.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// AllNames returns the primary name followed by every alias, as Names.
func (e *Entry) AllNames() []Name {
	out := make([]Name, 0, 1+len(e.Aliases))
	out = append(out, Name{Full: e.Name, Type: NamePrimary})
	return append(out, e.Aliases...)
}

// Key returns "source/source_id", unique across all loaded lists.
func (e *Entry) Key() string { return e.Source + "/" + e.SourceID }

// Countries returns the distinct ISO country codes of the entry's addresses, nationalities and citizenships
// that are two-letter codes, sorted.
func (e *Entry) Countries() []string {
	seen := map[string]bool{}
	for _, a := range e.Addresses {
		if len(a.Country) == 2 {
			seen[a.Country] = true
		}
	}
	for _, list := range [][]string{e.Nationalities, e.Citizenships} {
		for _, c := range list {
			if len(c) == 2 {
				seen[strings.ToUpper(c)] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
