// Package evaluate measures matching quality: precision, recall and F1 over labelled name pairs, and recall
// over realistic variations generated from the real list names (typos, re-ordering, initials, legal forms,
// transliteration, another list's spelling ...) together with the share of real non-listed names that raise
// an alert. The variations come from a seeded generator, so a run is reproducible and a different seed gives
// a held-out set of the same kinds.
package evaluate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tradescreen/tradescreen"
)

// Pair is one labelled pair of names.
type Pair struct {
	Name1, Name2 string
	Schema       string
	IsMatch      bool
	Group        string
	Category     string
}

// ReadPairs reads a labelled pairs CSV with the columns name1, name2, is_match and optionally schema,
// case_group and category (the name_bench layout). name is used in errors.
func ReadPairs(r io.Reader, name string) ([]Pair, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &tradescreen.ParseError{File: name, Line: 1, Msg: "no header", Err: err}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"name1", "name2", "is_match"} {
		if _, ok := col[need]; !ok {
			return nil, &tradescreen.ParseError{File: name, Line: 1, Field: need, Msg: "missing column; found: " + strings.Join(header, ", ")}
		}
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []Pair
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &tradescreen.ParseError{File: name, Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		var m bool
		switch strings.ToLower(strings.TrimSpace(get(rec, "is_match"))) {
		case "true", "1", "yes":
			m = true
		case "false", "0", "no":
		default:
			return nil, &tradescreen.ParseError{File: name, Line: line, Field: "is_match", Msg: fmt.Sprintf("%q is not true or false", get(rec, "is_match"))}
		}
		out = append(out, Pair{Name1: get(rec, "name1"), Name2: get(rec, "name2"), Schema: get(rec, "schema"),
			IsMatch: m, Group: get(rec, "case_group"), Category: get(rec, "category")})
	}
}

// PRF holds precision, recall and F1 at one threshold.
type PRF struct {
	Threshold             float64
	Precision, Recall, F1 float64
	TP, FP, FN, TN        int
}

// Metrics computes precision, recall and F1 of scores against labels at a threshold (score >= threshold
// predicts a match).
func Metrics(scores []float64, labels []bool, threshold float64) PRF {
	p := PRF{Threshold: threshold}
	for i, s := range scores {
		pred := s >= threshold
		switch {
		case pred && labels[i]:
			p.TP++
		case pred && !labels[i]:
			p.FP++
		case !pred && labels[i]:
			p.FN++
		default:
			p.TN++
		}
	}
	if p.TP+p.FP > 0 {
		p.Precision = float64(p.TP) / float64(p.TP+p.FP)
	}
	if p.TP+p.FN > 0 {
		p.Recall = float64(p.TP) / float64(p.TP+p.FN)
	}
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return p
}

// BestThreshold returns the metrics at the threshold (among the scores seen) that maximizes F1.
func BestThreshold(scores []float64, labels []bool) PRF {
	cand := append([]float64(nil), scores...)
	sort.Float64s(cand)
	best := PRF{}
	for i, t := range cand {
		if i > 0 && t == cand[i-1] {
			continue
		}
		if m := Metrics(scores, labels, t); m.F1 > best.F1 {
			best = m
		}
	}
	return best
}
