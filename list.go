package tradescreen

import "time"

// SourceInfo describes one list: its stable code, its name and who publishes it.
type SourceInfo struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Publisher string `json:"publisher"`
	// ExportControl is true for lists whose entries carry licence requirements (Entity List, DPL, MEU ...).
	ExportControl bool   `json:"export_control"`
	URL           string `json:"url,omitempty"`
}

// Sources lists every list code tradescreen knows, in display order.
var Sources = []SourceInfo{
	{"us_el", "Entity List", "US Department of Commerce, BIS", true, "https://www.bis.gov/entity-list"},
	{"us_dpl", "Denied Persons List", "US Department of Commerce, BIS", true, "https://www.bis.gov/denied-persons-list"},
	{"us_uvl", "Unverified List", "US Department of Commerce, BIS", true, "https://www.bis.gov/unverified-list"},
	{"us_meu", "Military End-User List", "US Department of Commerce, BIS", true, "https://www.bis.gov/military-end-user-list"},
	{"us_sdn", "Specially Designated Nationals", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_ssi", "Sectoral Sanctions Identifications", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_fse", "Foreign Sanctions Evaders", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_plc", "Palestinian Legislative Council", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_cap", "Correspondent Account or Payable-Through Account Sanctions (CAPTA)", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_mbs", "Non-SDN Menu-Based Sanctions", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_cmic", "Non-SDN Chinese Military-Industrial Complex Companies", "US Treasury, OFAC", false, "https://sanctionslist.ofac.treas.gov/"},
	{"us_isn", "Nonproliferation Sanctions", "US Department of State, ISN", false, "https://www.state.gov/key-topics-bureau-of-international-security-and-nonproliferation/nonproliferation-sanctions/"},
	{"us_dtc", "ITAR Debarred", "US Department of State, DDTC", true, "https://www.pmddtc.state.gov/"},
	{"us_fcc", "FCC Covered List", "US Federal Communications Commission", false, "https://www.fcc.gov/supplychain/coveredlist"},
	{"us_1260h", "DoD Section 1260H Chinese Military Companies", "US Department of Defense", false, "https://www.federalregister.gov/citation/91-FR-35189"},
	{"us_uflpa", "DHS UFLPA Entity List", "US Department of Homeland Security, FLETF", false, "https://www.dhs.gov/uflpa-entity-list"},
	{"us_889", "NDAA Section 889 covered telecommunications and video surveillance companies", "US Congress (Pub. L. 115-232)", false, "https://www.congress.gov/bill/115th-congress/house-bill/5515/text"},
	{"un_sc", "UN Security Council Consolidated List", "United Nations Security Council", false, "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"},
	{"gb_fcdo", "UK Sanctions List", "UK Foreign, Commonwealth and Development Office (FCDO)", false, "https://www.gov.uk/government/publications/the-uk-sanctions-list"},
	{"gb_hmt", "UK Consolidated List of Financial Sanctions Targets", "HM Treasury, OFSI", false, "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets"},
	{"eu_fsf", "EU Financial Sanctions Files", "European Commission", false, "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions"},
	// The organisation's own lists (package ownlist): parties it refuses to deal with, screened like the
	// official lists, and the reviewed look-alikes it allows (never screened; they mark matches).
	{"own_restricted", "Internal list: restricted parties", "your organisation", false, ""},
	{"own_allow", "Internal list: allowed look-alikes", "your organisation", false, ""},
}

// LookupSource returns the SourceInfo for a list code and whether it is known.
func LookupSource(code string) (SourceInfo, bool) {
	for _, s := range Sources {
		if s.Code == code {
			return s, true
		}
	}
	return SourceInfo{}, false
}

// ListVersion describes one loaded version of one list.
type ListVersion struct {
	// Source is the list code.
	Source string `json:"source"`
	// Published is the publication date the file states or its provenance records, YYYY-MM-DD; empty when
	// unknown.
	Published string `json:"published,omitempty"`
	// PublishedNote says where the publication date comes from when it is not stated in the file itself.
	PublishedNote string `json:"published_note,omitempty"`
	// Entries and Names count the entries and all their names (primary and aliases).
	Entries int `json:"entries"`
	Names   int `json:"names"`
	// Origin is the file the entries came from ("embedded snapshot: consolidated_2022-05-16.csv.gz" or a path).
	Origin string `json:"origin"`
	// Format is the reader kind that parsed it (csl, ofac, un, uk, eu, dpl).
	Format string `json:"format"`
	// SHA256 is the hex digest of the file as read (before decompression).
	SHA256 string    `json:"sha256,omitempty"`
	Loaded time.Time `json:"loaded"`
}

// SourceRank returns the position of a list code in Sources (unknown codes sort last), for display order.
func SourceRank(code string) int {
	for i, s := range Sources {
		if s.Code == code {
			return i
		}
	}
	return len(Sources)
}
