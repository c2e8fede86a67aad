package match

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Params are the scorer's tunable constants. DefaultParams holds the values docs/matching.md measured; the
// eval command can override them (--param name=value) to measure alternatives.
type Params struct {
	// QueryExp and NameExp weigh how much of the query's and of the name's weight the aligned tokens must
	// cover: score = coverQuery^QueryExp * coverName^NameExp.
	QueryExp float64
	NameExp  float64
	// MiddleFactor lowers the weight of a person's unmatched middle names and patronymics (on either side, when
	// the other side has no word left over), and of the query's extra names when every word of the name is in
	// the query.
	MiddleFactor float64
	// OmittedFactor lowers the weight of a listed person's other names when the query has the given name
	// and the surname as written and nothing else.
	OmittedFactor float64
	// TypoCost scales how much each edit takes from a misspelt token's similarity (1 - TypoCost*d/(n+1)).
	TypoCost float64
	// Similarities given to aligned tokens that are not equal.
	InitialSim  float64
	PhoneticSim float64
	VariantSim  float64
	JoinedSim   float64
	AcronymSim  float64
	// NicknameSim is given to a person's given name against its nickname or diminutive (Bill, William).
	NicknameSim float64
	// Weight factors by token class.
	LegalWeight      float64
	StopWeight       float64
	HonorificWeight  float64
	PlaceWeight      float64
	InitialMaxWeight float64
	// SubstitutionFactor multiplies the score once for each distinctive word (or, in a person's name, initial)
	// on one side that stands against an unmatched one on the other; NumberFactor when a number on either side
	// has no partner ("Fund VIII" vs "Fund IX", "Solutions II" vs "Solutions").
	SubstitutionFactor float64
	NumberFactor       float64
	// TypoOnlyFactor multiplies the score of two organizations' names whose one distinctive word is
	// matched only through one edit in a word of five to seven letters, the other words being matched as
	// written ("INTEL CORP" and "INTER", "Radian Group" and "Radiant Group"): such a word is one edit from
	// many other words.
	TypoOnlyFactor float64
	// PatronymFactor multiplies the score when "A bin B" meets "B bin A".
	PatronymFactor float64
	// A person's name part whose Jaro-Winkler similarity reaches NearMinJW counts as similar (minus
	// NearPenalty) even beyond the typo budget.
	NearMinJW   float64
	NearPenalty float64
}

// DefaultParams returns the measured default parameters.
func DefaultParams() Params {
	return Params{
		QueryExp: 0.6, NameExp: 0.4, MiddleFactor: 0.4, OmittedFactor: 0.15, TypoCost: 1,
		InitialSim: 0.75, PhoneticSim: 0.86, VariantSim: 0.95, JoinedSim: 0.96, AcronymSim: 0.88, NicknameSim: 0.9,
		LegalWeight: 0.12, StopWeight: 0.1, HonorificWeight: 0.05, PlaceWeight: 0.3, InitialMaxWeight: 2.5,
		SubstitutionFactor: 0.85, NumberFactor: 0.8, PatronymFactor: 0.7, TypoOnlyFactor: 0.96, NearMinJW: 0.9, NearPenalty: 0.12,
	}
}

// Set changes one parameter by its field name (case-insensitive), for evaluation runs.
func (p *Params) Set(name, value string) error {
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if strings.EqualFold(t.Field(i).Name, name) {
			f, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return fmt.Errorf("param %s: %w", name, err)
			}
			v.Field(i).SetFloat(f)
			return nil
		}
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		names = append(names, t.Field(i).Name)
	}
	return fmt.Errorf("unknown param %q (known: %s)", name, strings.Join(names, ", "))
}
