package main

import (
	"encoding/json"
	"testing"
)

// chartVerifiedOrders check at the door what the Commerce Country Chart answer says of its sources: the
// corrected 3A001 NP row (3A001.z.3 is NP Column 1, marked for China) and the words naming what was read but
// not verified against the eCFR text.
var chartVerifiedOrders = []struct {
	country, item, outcome string
	holds                  bool
	words                  string
}{
	{"CN", `{"eccn": "3A001.z.3"}`, "hold", true, "NP (NP1, 3A001.z.3)"},
	{"CA", `{"eccn": "3A001"}`, "clear", false, "not verified against the current eCFR text (transcribed from the chart and the CCL): the chart row for CA"},
}

func TestCLIOrderChartVerification(t *testing.T) {
	dir := t.TempDir()
	for _, c := range chartVerifiedOrders {
		path := cliWriteFile(t, dir, "order-"+c.country+".json", []byte(rulesOrderJSON(c.country, c.item)))
		r := cliRun(t, "order", "--json", path)
		r.cliWant(t, 0)
		var d rulesDecision
		if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
			t.Fatal(err)
		}
		if msg := d.check(c.outcome, "country_chart", c.holds, c.words); msg != "" {
			t.Errorf("order to %s: %s", c.country, msg)
		}
	}
}

func TestServeOrderChartVerification(t *testing.T) {
	addr, _ := serveInProcess(t, map[string]string{})
	base := "http://" + addr
	waitReady(t, base)
	for _, c := range chartVerifiedOrders {
		var d rulesDecision
		if err := json.Unmarshal(parityBody(t, "POST", base+"/v1/orders", rulesOrderJSON(c.country, c.item)), &d); err != nil {
			t.Fatal(err)
		}
		if msg := d.check(c.outcome, "country_chart", c.holds, c.words); msg != "" {
			t.Errorf("POST /v1/orders to %s: %s", c.country, msg)
		}
	}
}

// TestCLIOrderClearSaysWhatWasChecked: a clear order in text says what clear means, what was checked and
// what was not, as its JSON does.
func TestCLIOrderClearSaysWhatWasChecked(t *testing.T) {
	path := cliWriteFile(t, t.TempDir(), "order-DE.json", []byte(rulesOrderJSON("DE", `{"eccn": "EAR99"}`)))
	r := cliRun(t, "order", path)
	r.cliWant(t, 0)
	cliContainsAll(t, "clear order", r.stdout, ": CLEAR\n", "Meaning: clear: nothing was found that requires a licence",
		"Checked: each party's name against the lists screened", "Not checked: whether the ECCNs and HTS codes given are the right classification")
}
