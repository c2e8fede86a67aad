package monitor_test

import (
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
)

func TestReportPerList(t *testing.T) {
	change := func(src, action string) tradescreen.AlertChange {
		return tradescreen.AlertChange{Alert: &tradescreen.Alert{Source: src}, Action: action}
	}
	rep := &monitor.Report{Changes: []tradescreen.AlertChange{
		change("us_sdn", "created"), change("us_el", "reopened"), change("us_el", "created"), change("us_el", "created"),
		change("us_sdn", "kept"), change("un_sc", "updated"), change("gb_fcdo", "allowed"),
	}}
	want := "gb_fcdo 1 closed by the allow list; us_el 2 created, 1 reopened; us_sdn 1 created"
	if got := rep.PerList(); got != want {
		t.Errorf("PerList() = %q, want %q", got, want)
	}
	if got := (&monitor.Report{Changes: []tradescreen.AlertChange{change("us_el", "kept")}}).PerList(); got != "" {
		t.Errorf("PerList() of a run that changed nothing = %q, want \"\"", got)
	}
}
