package tradescreen

// Query is what is screened: a name and, optionally, facts that raise or lower a match's score.
type Query struct {
	Name string `json:"name"`
	// Kind, when known, favours entries of the same kind (person vs organization).
	Kind Kind `json:"type,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code of the party's country.
	Country string `json:"country,omitempty"`
	// BirthDate is YYYY, YYYY-MM or YYYY-MM-DD.
	BirthDate   string       `json:"date_of_birth,omitempty"`
	Identifiers []Identifier `json:"identifiers,omitempty"`
	// Sources restricts screening to these list codes; empty means every loaded list.
	Sources []string `json:"sources,omitempty"`
	// Threshold is the lowest score reported; 0 means the default alert threshold.
	Threshold float64 `json:"threshold,omitempty"`
	// Limit is the most matches returned; 0 means the default (10).
	Limit int `json:"limit,omitempty"`
}

// Match is one list entry that matches a query.
type Match struct {
	Source   string `json:"source"`
	SourceID string `json:"source_id"`
	// Name is the entry's primary name; MatchedName the name or alias that matched best.
	Name        string      `json:"name"`
	MatchedName string      `json:"matched_name"`
	MatchedType NameType    `json:"matched_type"`
	Score       float64     `json:"score"`
	Explanation Explanation `json:"explanation"`
	// Allowed is the allowance of the organization's allow list that covers this pairing of the screened
	// party and the entry (a reviewed look-alike), nil when none does. The match is shown all the same.
	Allowed *Allowed `json:"allowed,omitempty"`
	// Entry is the matched entry (not serialized with the match; callers add the facts they show).
	Entry *Entry `json:"-"`
}

// Allowed is how results name the allowance of an allow list that covers a match: why the party is not the
// listed one, who reviewed it, when, and the allow-list row.
type Allowed struct {
	Reason   string `json:"reason"`
	Reviewer string `json:"reviewer"`
	Date     string `json:"date"`
	Row      string `json:"row"`
}

// Explanation says why a name matched: which tokens aligned, how, and what each contributed.
type Explanation struct {
	Summary string       `json:"summary"`
	Tokens  []TokenMatch `json:"tokens,omitempty"`
	// QueryUnmatched and NameUnmatched are the tokens of either side left without a partner.
	QueryUnmatched []string `json:"query_unmatched,omitempty"`
	NameUnmatched  []string `json:"name_unmatched,omitempty"`
	// Adjustments are evidence beyond the name (type, country, date of birth, identifiers).
	Adjustments []string `json:"adjustments,omitempty"`
}

// TokenMatch is one aligned pair of query and name tokens.
type TokenMatch struct {
	Query string `json:"query"`
	Name  string `json:"name"`
	// How is exact, typo, phonetic, initial, joined, split, abbreviation, acronym or legal form.
	How        string  `json:"how"`
	Similarity float64 `json:"similarity"`
	// Weight is the pair's share of the two names' combined weight.
	Weight float64 `json:"weight"`
}

// Matcher finds the list entries that match a query and compares two names. The match package implements
// it; screening, batch and the API use only this interface.
type Matcher interface {
	// Match returns the matching entries, best first, at or above the query's threshold.
	Match(q Query) []Match
	// Compare scores two names against each other, with the explanation.
	Compare(a, b string, kind Kind) (float64, Explanation)
}
