package monitor

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// PerList counts the alerts the run created, reopened and created closed by the allow list per list: "us_el 3
// created, 1 reopened; us_sdn 1 created", lists in code order; "" when there are none.
func (rep *Report) PerList() string {
	type counts struct{ created, reopened, allowed int }
	by := map[string]*counts{}
	for _, ch := range rep.Changes {
		if ch.Action != "created" && ch.Action != "reopened" && ch.Action != "allowed" {
			continue
		}
		c := by[ch.Alert.Source]
		if c == nil {
			c = &counts{}
			by[ch.Alert.Source] = c
		}
		switch ch.Action {
		case "created":
			c.created++
		case "reopened":
			c.reopened++
		default:
			c.allowed++
		}
	}
	var parts []string
	for _, src := range slices.Sorted(maps.Keys(by)) {
		c := by[src]
		var ps []string
		if c.created > 0 {
			ps = append(ps, fmt.Sprintf("%d created", c.created))
		}
		if c.reopened > 0 {
			ps = append(ps, fmt.Sprintf("%d reopened", c.reopened))
		}
		if c.allowed > 0 {
			ps = append(ps, fmt.Sprintf("%d closed by the allow list", c.allowed))
		}
		parts = append(parts, src+" "+strings.Join(ps, ", "))
	}
	return strings.Join(parts, "; ")
}
