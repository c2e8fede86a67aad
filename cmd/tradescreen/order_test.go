package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOrderCommand runs the real Main on an order naming Hikvision's Hangzhou address under another name.
func TestOrderCommand(t *testing.T) {
	r := cliRun(t, "order", "testdata/cli/order_hikvision.json")
	r.cliWant(t, 0)
	for _, want := range []string{"PO-2022-0601 of 2022-06-01 to CN: HOLD", "Hangzhou Hikvision Digital Technology",
		"licence: licence required for all items subject to the EAR, presumption of denial", "street number 555 = 555",
		"Entity List as of 2022-05-16, listed 2019-10-09 (84 FR 54002"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	j := cliRun(t, "order", "--json", "testdata/cli/order_hikvision.json")
	j.cliWant(t, 0)
	var d struct {
		Outcome string `json:"outcome"`
		Reasons []struct {
			Kind string `json:"kind"`
		} `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &d); err != nil || d.Outcome != "hold" || len(d.Reasons) == 0 {
		t.Fatalf("json %v %+v", err, d)
	}
}

func TestOrderCommandErrors(t *testing.T) {
	cliRun(t, "order").cliWant(t, 2)
	r := cliRunStdin(t, `{"date": "2022-06-01", "destination": {"country": "DE"}, "parties": [{"role": "buyer", "name": "X"}], "items": [{"eccn": "EAR99"}]}`, "order", "-")
	r.cliWant(t, 1)
	if !strings.Contains(r.stderr, "parties[0].role") {
		t.Errorf("stderr %s", r.stderr)
	}
	r = cliRunStdin(t, `{"date": "2022-06-01", "colour": 1}`, "order", "-")
	r.cliWant(t, 1)
	if !strings.Contains(r.stderr, "colour") {
		t.Errorf("stderr %s", r.stderr)
	}
}
