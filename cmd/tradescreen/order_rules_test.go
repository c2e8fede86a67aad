package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// rulesOrders are the orders of 2026-12-01 the EAR's destination rules and the Commerce Country Chart
// decide: EAR99 laptops (HTS 8471.30) to Russia and Belarus are held under § 746.8, EAR99 to Syria is
// authorised by License Exception SPP (no embargo row holds it), 3A001 to China is held for NS and to Canada
// is clear, EAR99 to Germany is clear.
var rulesOrders = []struct {
	country, item, outcome, kind string
	holds                        bool
	words                        string
}{
	{"RU", `{"eccn": "EAR99", "hts": "8471.30", "description": "laptops"}`, "hold", "licence_requirement", true, "15 CFR 746.8(a)(5)"},
	{"BY", `{"eccn": "EAR99", "hts": "8471.30", "description": "laptops"}`, "hold", "licence_requirement", true, "15 CFR 746.8(a)(5)"},
	{"SY", `{"eccn": "EAR99", "hts": "8471.30", "description": "laptops"}`, "clear", "licence_requirement", false, "License Exception SPP"},
	{"CN", `{"eccn": "3A001", "description": "microwave transistors"}`, "hold", "country_chart", true, "licence required for NS (NS2)"},
	{"CA", `{"eccn": "3A001", "description": "microwave transistors"}`, "clear", "country_chart", false, "no licence required by the chart"},
	{"DE", `{"eccn": "EAR99", "hts": "847130"}`, "clear", "", false, ""},
}

// rulesOrderJSON is the order of one case: one purchaser on no list, in Germany.
func rulesOrderJSON(country, item string) string {
	return fmt.Sprintf(`{"id": "PO-%s", "date": "2026-12-01", "destination": {"country": %q},
		"parties": [{"role": "purchaser", "name": "Lakeside Optics Trading GmbH", "country": "DE"}], "items": [%s]}`, country, country, item)
}

type rulesDecision struct {
	Outcome string `json:"outcome"`
	Meaning string `json:"meaning"`
	Reasons []struct {
		Kind    string `json:"kind"`
		Holds   bool   `json:"holds"`
		Message string `json:"message"`
	} `json:"reasons"`
}

// check says what is wrong with a decision for case c ("" when nothing).
func (d rulesDecision) check(outcome, kind string, holds bool, words string) string {
	if d.Outcome != outcome {
		return fmt.Sprintf("outcome %s, want %s: %+v", d.Outcome, outcome, d.Reasons)
	}
	for _, r := range d.Reasons {
		if r.Kind == "destination" && r.Holds {
			return "held by a destination row: " + r.Message
		}
		if r.Kind == kind && r.Holds == holds && strings.Contains(r.Message, words) {
			return ""
		}
	}
	if kind == "" {
		return ""
	}
	return fmt.Sprintf("no %s reason (holds %v) saying %q: %+v", kind, holds, words, d.Reasons)
}

func TestCLIOrderEARRules(t *testing.T) {
	dir := t.TempDir()
	for _, c := range rulesOrders {
		path := cliWriteFile(t, dir, "order-"+c.country+".json", []byte(rulesOrderJSON(c.country, c.item)))
		r := cliRun(t, "order", "--json", path)
		r.cliWant(t, 0)
		var d rulesDecision
		if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
			t.Fatal(err)
		}
		if msg := d.check(c.outcome, c.kind, c.holds, c.words); msg != "" {
			t.Errorf("order to %s: %s", c.country, msg)
		}
		if !strings.HasPrefix(d.Meaning, c.outcome+":") {
			t.Errorf("order to %s: meaning %q", c.country, d.Meaning)
		}
		text := cliRun(t, "order", path)
		cliContainsAll(t, "order to "+c.country, text.stdout, strings.ToUpper(c.outcome))
	}
}

func TestServeOrderEARRules(t *testing.T) {
	addr, _ := serveInProcess(t, map[string]string{})
	base := "http://" + addr
	waitReady(t, base)
	for _, c := range rulesOrders {
		var d rulesDecision
		if err := json.Unmarshal(parityBody(t, "POST", base+"/v1/orders", rulesOrderJSON(c.country, c.item)), &d); err != nil {
			t.Fatal(err)
		}
		if msg := d.check(c.outcome, c.kind, c.holds, c.words); msg != "" {
			t.Errorf("POST /v1/orders to %s: %s", c.country, msg)
		}
	}
}
