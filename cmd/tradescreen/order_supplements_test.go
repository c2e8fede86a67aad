package main

import (
	"encoding/json"
	"fmt"
	"testing"
)

// supplementOrders are EAR99 orders to Russia and Belarus whose HTS code is outside Supplement No. 4
// (T-shirts, HTS 6109.10): Supplements No. 2, 5, 6 and 7 to Part 746 are not modelled, so they are held as
// "licence may be required" with the supplements named; before Supplement No. 5 (2022-03-11) no row holds
// them.
var supplementOrders = []struct {
	country, date, outcome, kind string
	holds                        bool
	words                        string
}{
	{"RU", "2026-12-01", "hold", "licence_requirement", true, "Supplements No. 5 (luxury goods; § 746.8(a)(7)), No. 6"},
	{"BY", "2026-12-01", "hold", "licence_requirement", true, "Their HTS lists are not modelled (their full text could not be sourced)"},
	{"BY", "2022-03-20", "hold", "licence_requirement", true, "87 FR 14785"},
	{"RU", "2022-03-10", "clear", "", false, ""},
}

func supplementOrderJSON(country, date string) string {
	return fmt.Sprintf(`{"id": "PO-%s-%s", "date": %q, "destination": {"country": %q},
		"parties": [{"role": "purchaser", "name": "Lakeside Optics Trading GmbH", "country": "DE"}],
		"items": [{"eccn": "EAR99", "hts": "6109.10", "description": "T-shirts"}]}`, country, date, date, country)
}

func TestCLIOrderRussiaSupplements(t *testing.T) {
	dir := t.TempDir()
	for _, c := range supplementOrders {
		path := cliWriteFile(t, dir, "order-"+c.country+c.date+".json", []byte(supplementOrderJSON(c.country, c.date)))
		r := cliRun(t, "order", "--json", path)
		r.cliWant(t, 0)
		var d rulesDecision
		if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
			t.Fatal(err)
		}
		if msg := d.check(c.outcome, c.kind, c.holds, c.words); msg != "" {
			t.Errorf("order to %s on %s: %s", c.country, c.date, msg)
		}
	}
}

func TestServeOrderRussiaSupplements(t *testing.T) {
	addr, _ := serveInProcess(t, map[string]string{})
	base := "http://" + addr
	waitReady(t, base)
	for _, c := range supplementOrders {
		var d rulesDecision
		if err := json.Unmarshal(parityBody(t, "POST", base+"/v1/orders", supplementOrderJSON(c.country, c.date)), &d); err != nil {
			t.Fatal(err)
		}
		if msg := d.check(c.outcome, c.kind, c.holds, c.words); msg != "" {
			t.Errorf("POST /v1/orders to %s on %s: %s", c.country, c.date, msg)
		}
	}
}
