package licence_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/snapshot"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
)

var (
	cslOnce    sync.Once
	cslEntries []tradescreen.Entry
	cslErr     error
)

// el2022 returns the Entity List entries of the full CSL of 2022-05-16 in testdata/lists.
func el2022(t *testing.T) []tradescreen.Entry {
	t.Helper()
	cslOnce.Do(func() {
		b, err := os.ReadFile("../testdata/lists/csl/consolidated_2022-05-16.csv.gz")
		if err != nil {
			cslErr = err
			return
		}
		ds, err := csl.Parse(b, "consolidated_2022-05-16.csv.gz")
		if err != nil {
			cslErr = err
			return
		}
		cslEntries = onlyEL(ds)
	})
	if cslErr != nil {
		t.Fatal(cslErr)
	}
	return cslEntries
}

func onlyEL(ds ...*source.Dataset) []tradescreen.Entry {
	var out []tradescreen.Entry
	for _, d := range ds {
		for _, e := range d.Entries {
			if e.Source == "us_el" {
				out = append(out, e)
			}
		}
	}
	return out
}

// TestEveryEntityListTextParses parses the licence requirement and policy of every Entity List entry of the
// full 2022 CSL and of the two CSL samples, and fails on any text not understood. The embedded Entity List
// is the 2026-07-09 extraction of the law's text, whose licence cells carry the extraction's slips (footnote
// numbers run into the text, "2l" for "21", cells cut short): those texts are reported as not understood —
// an order then says to read the entry, it never reads them as no requirement — and the test bounds how
// many there are, so that a change of the parser that understands less fails.
func TestEveryEntityListTextParses(t *testing.T) {
	// maxNotUnderstood is the number of the embedded Entity List's entries whose licence text is not
	// understood (6 of 3,409 on 2026-12-07: texts the extraction cut short, ending in "...").
	const maxNotUnderstood = 6
	sets := map[string][]tradescreen.Entry{"csl 2022-05-16": el2022(t)}
	ds, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	sets["embedded snapshot"] = onlyEL(ds...)
	for _, f := range []string{"consolidated_2019-12_sample.csv", "consolidated_2025-06_sample.csv"} {
		b, err := os.ReadFile("../testdata/lists/csl/" + f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := csl.Parse(b, f)
		if err != nil {
			t.Fatal(err)
		}
		sets[f] = onlyEL(d)
	}
	for name, entries := range sets {
		if len(entries) == 0 {
			t.Fatalf("%s: no Entity List entries", name)
		}
		failed := 0
		for i := range entries {
			e := &entries[i]
			l, err := licence.ParseEntry(e)
			if err != nil {
				failed++
				if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
					t.Errorf("%s: %s %q: not a parse error: %v", name, e.Key(), e.Name, err)
				}
				if name != "embedded snapshot" {
					t.Errorf("%s: %s %q: %v", name, e.Key(), e.Name, err)
				}
				continue
			}
			if e.LicenseRequirement != "" && l.Scope == licence.ScopeNone {
				t.Errorf("%s: %s: no scope", name, e.Key())
			}
			if e.LicensePolicy != "" && len(l.Policy) == 0 && len(l.PolicySections) == 0 && !l.PolicyNotStated {
				t.Errorf("%s: %s: policy %q gave no rule", name, e.Key(), e.LicensePolicy)
			}
		}
		t.Logf("%s: %d Entity List entries, %d not parsed", name, len(entries), failed)
		if name == "embedded snapshot" && failed > maxNotUnderstood {
			t.Errorf("embedded snapshot: %d licence texts not understood, more than the %d the extraction's slips account for", failed, maxNotUnderstood)
		}
	}
}

// find returns the first entry whose name contains s.
func find(t *testing.T, entries []tradescreen.Entry, s string) *tradescreen.Entry {
	t.Helper()
	for i := range entries {
		if strings.Contains(entries[i].Name, s) {
			return &entries[i]
		}
	}
	t.Fatalf("no Entity List entry named %q", s)
	return nil
}

// TestShapes covers every requirement and policy shape found in the 2022 CSL with a real entry, and the
// answer for an item.
func TestShapes(t *testing.T) {
	el := el2022(t)
	ear99 := licence.Item{ECCN: "EAR99", Description: "network video recorders"}
	cases := []struct {
		entry     string
		item      licence.Item
		scope     licence.Scope
		required  licence.Required
		review    licence.Review
		text      string // the answer's text, when checked
		footnote  int
		exception string
		cond      string // a substring of one condition
	}{
		// For all items subject to the EAR (See §744.11); Hikvision's 2020 policy with ECCN and EAR99 carve-outs.
		{entry: "Hangzhou Hikvision Digital Technology", item: ear99, scope: licence.ScopeAll, required: licence.Yes,
			review: licence.PresumptionOfDenial, text: "licence required for all items subject to the EAR, presumption of denial",
			cond: "case-by-case review if the item is an EAR99 item described in the Note to ECCN 1A995"},
		{entry: "Hangzhou Hikvision Digital Technology", item: licence.Item{ECCN: "1A004.c"}, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.CaseByCase},
		{entry: "Hangzhou Hikvision Digital Technology", item: licence.Item{ECCN: "1A004"}, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.PresumptionOfDenial, cond: "if the item falls under 1A004.c"},
		// Huawei: FDP footnote 1 (§ 736.2(b)(3)(vi)), standards-organization exception.
		{entry: "Huawei Technologies Co., Ltd.", item: licence.Item{ECCN: "5A002"}, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.PresumptionOfDenial, footnote: 1, exception: "standards_technology"},
		// The standards exception covers EAR99 or AT-only technology: not 3A001 hardware, which needs a licence.
		{entry: "Huawei Technologies Co., Ltd.", item: licence.Item{ECCN: "3A001"}, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.PresumptionOfDenial, footnote: 1, exception: "standards_technology"},
		{entry: "Huawei Technologies Co., Ltd.", item: licence.Item{ECCN: "EAR99"}, scope: licence.ScopeAll,
			required: licence.Depends, review: licence.PresumptionOfDenial, cond: "EAR99 technology released to members of a standards organization"},
		{entry: "Huawei Technologies Co., Ltd.", item: licence.Item{ECCN: "5E991"}, scope: licence.ScopeAll,
			required: licence.Depends, review: licence.PresumptionOfDenial, cond: "anti-terrorism reasons only"},
		// Russia (2022): footnote 3 (§ 734.9(g)), food and medicine exception, policy of denial.
		{entry: "Rostec", item: ear99, scope: licence.ScopeAll, required: licence.Depends,
			review: licence.PolicyOfDenial, footnote: 3, exception: "ear99_food_medicine", cond: "food or medicine"},
		// §746.5 projects (Russian oil and gas): a conditional requirement, review by § 746.5(b).
		{entry: "Gazprom", item: ear99, scope: licence.ScopeAll, required: licence.Depends,
			review: licence.SeeRegulation, cond: "746.5"},
		// Case-by-case for CCL items, presumption of approval for EAR99.
		{entry: "ANZ Importers and Exporters", item: ear99, scope: licence.ScopeAll, required: licence.Yes, review: licence.PresumptionOfApproval},
		{entry: "Beijing Aeronautical Manufacturing Technology", item: licence.Item{ECCN: "9A004"}, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.CaseByCase},
		// The requirement itself carries a case-by-case basis for CCL items; the policy gives approval for EAR99.
		{entry: "Irum Mehboob Raja", item: licence.Item{ECCN: "3A001"}, scope: licence.ScopeAll, required: licence.Yes, review: licence.CaseByCase},
		{entry: "Irum Mehboob Raja", item: ear99, scope: licence.ScopeAll, required: licence.Yes, review: licence.PresumptionOfApproval},
		// Policies that refer to the nuclear, missile and chemical/biological end-use sections.
		{entry: "Chimconnect AG", item: ear99, scope: licence.ScopeAll, required: licence.Yes, review: licence.SeeRegulation,
			text: "licence required for all items subject to the EAR, review policy set by the EAR sections cited (§ 744.2(d), § 744.3(d), § 744.4(d))"},
		{entry: "27th Scientific Center", item: ear99, scope: licence.ScopeAll, required: licence.Yes, review: licence.SeeRegulation},
		// Civil aviation safety carve-out (Iran Air); no base policy: the review is not stated for other items.
		{entry: "Iran Air", item: licence.Item{ECCN: "9A991"}, scope: licence.ScopeAll, required: licence.Yes,
			review: licence.ReviewUnknown, cond: "safety of civil aviation"},
		// CNOOC: HS-code and joint-venture exceptions.
		{entry: "China National Offshore Oil Corporation", item: ear99, scope: licence.ScopeAll, required: licence.Depends,
			review: licence.PresumptionOfDenial, exception: "hs_codes", cond: "2709"},
		{entry: "China National Offshore Oil Corporation", item: ear99, scope: licence.ScopeAll, required: licence.Depends,
			review: licence.PresumptionOfDenial, exception: "joint_ventures"},
		// A bare "Case-by-case basis."
		{entry: "All-Russian Scientific Research Institute of Experimental", item: ear99, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.CaseByCase},
		// Semiconductor nodes (SMIC): presumption of denial for items for 10 nm and below, case by case otherwise.
		{entry: "Semiconductor Manufacturing International (Beijing)", item: licence.Item{ECCN: "3B001"},
			scope: licence.ScopeAll, required: licence.Yes, review: licence.CaseByCase, cond: "presumption of denial if the item is one of the items uniquely required"},
		// Policy of denial with a case-by-case carve-out for space programs.
		{entry: "JSC Element", item: licence.Item{ECCN: "9A004"}, scope: licence.ScopeAll,
			required: licence.Yes, review: licence.PolicyOfDenial, cond: "space programs"},
	}
	for _, c := range cases {
		t.Run(c.entry+"/"+c.item.ECCN, func(t *testing.T) {
			e := find(t, el, c.entry)
			l, err := licence.ParseEntry(e)
			if err != nil {
				t.Fatal(err)
			}
			if l.Scope != c.scope {
				t.Errorf("scope %s, want %s (%q)", l.Scope, c.scope, e.LicenseRequirement)
			}
			a := l.Answer(c.item)
			if a.Required != c.required || a.Review != c.review {
				t.Errorf("answer %s / %s, want %s / %s\nrequirement %q\npolicy %q\n%+v", a.Required, a.Review, c.required, c.review, e.LicenseRequirement, e.LicensePolicy, a)
			}
			if c.text != "" && a.Text != c.text {
				t.Errorf("text %q, want %q", a.Text, c.text)
			}
			if c.footnote != 0 {
				ok := false
				for _, f := range l.Footnotes {
					ok = ok || f.Number == c.footnote
				}
				if !ok {
					t.Errorf("footnote %d missing: %+v", c.footnote, l.Footnotes)
				}
			}
			if c.exception != "" {
				ok := false
				for _, x := range l.Exceptions {
					ok = ok || x.Kind == c.exception
				}
				if !ok {
					t.Errorf("exception %s missing: %+v", c.exception, l.Exceptions)
				}
			}
			if c.cond != "" && !strings.Contains(strings.Join(a.Conditions, " | "), c.cond) {
				t.Errorf("no condition with %q: %q", c.cond, a.Conditions)
			}
		})
	}
}

// TestFoodMedicinePolicy reads the 2023 policy shape of the 2025 CSL sample: policy of denial except food and
// medicine designated EAR99, reviewed case by case.
func TestFoodMedicinePolicy(t *testing.T) {
	b, err := os.ReadFile("../testdata/lists/csl/consolidated_2025-06_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := csl.Parse(b, "consolidated_2025-06_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	el := onlyEL(d)
	if len(el) != 1 {
		t.Fatalf("%d Entity List entries, want 1", len(el))
	}
	l, err := licence.ParseEntry(&el[0])
	if err != nil {
		t.Fatal(err)
	}
	if a := l.Answer(licence.Item{ECCN: "3A001"}); a.Review != licence.PolicyOfDenial || a.Required != licence.Yes {
		t.Errorf("3A001: %+v", a)
	}
	a := l.Answer(licence.Item{ECCN: "EAR99", Description: "insulin"})
	if a.Review != licence.PolicyOfDenial || !strings.Contains(strings.Join(a.Conditions, "|"), "case-by-case review if the item is food or medicine") {
		t.Errorf("EAR99: %+v", a)
	}
	if len(l.Footnotes) != 1 || l.Footnotes[0].Number != 3 || l.Footnotes[0].Section != "734.9(g)" {
		t.Errorf("footnotes %+v", l.Footnotes)
	}
}

// TestLicenceExceptionGOV reads a Russian entry whose requirement may be overcome by License Exception GOV,
// and an ECCN exception with its "unless" clause.
func TestLicenceExceptionGOV(t *testing.T) {
	req := "All items subject to the EAR except for food or medicine designated as EAR99, or ECCN 5A992.c and 5D992.c unless for Belarusian “government end users” and Belarusian state-owned enterprises (SoEs) to Belarus.  (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)  This license requirement may be overcome by License Exception GOV under § 740.11(b)(2) and (e)."
	l, err := licence.Parse(req, "Policy of denial. See §§ 746.8(b) and 744.21(e).")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.LicenceExceptions) != 1 || l.LicenceExceptions[0] != "GOV" {
		t.Errorf("licence exceptions %v", l.LicenceExceptions)
	}
	a := l.Answer(licence.Item{ECCN: "5A992.c"})
	if a.Required != licence.Depends || !strings.Contains(strings.Join(a.Conditions, "|"), "unless for belarusian \"government end users\"") {
		t.Errorf("5A992.c: %+v", a)
	}
	if got := strings.Join(l.PolicySections, ","); got != "746.8(b),744.21(e)" {
		t.Errorf("policy sections %s", got)
	}
	if got := strings.Join(l.Sections, ","); got != "734.9(g),746.8(a)(3),744.21(b)" {
		t.Errorf("sections %s", got)
	}
}

// TestUnparsed reports a text not understood with its words.
func TestUnparsed(t *testing.T) {
	for _, c := range []struct{ req, pol, want string }{
		{"For all items subject to the EAR, except for widgets.", "", "except for widgets"},
		{"Some items", "", "no scope"},
		{"For all items subject to the EAR.", "Presumption of denial for gadgets", "presumption of denial for gadgets"},
	} {
		_, err := licence.Parse(c.req, c.pol)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q, %q) = %v, want an error with %q", c.req, c.pol, err, c.want)
		}
		if tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("code %s", tradescreen.ErrorCode(err))
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, EXCEPT for technology", "Presumption of denial.")
	f.Add("All items subject to the EAR except for food or medicine designated as EAR99. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)", "Case-by-case review for ECCNs 1A004.c, 1A004.d; and presumption of denial for all other items subject to the EAR.")
	f.Fuzz(func(t *testing.T, req, pol string) {
		l, err := licence.Parse(req, pol)
		if err != nil {
			return
		}
		for _, e := range []string{"EAR99", "5A002", "1A004", "1A004.c.1"} {
			a := l.Answer(licence.Item{ECCN: e})
			if a.Text == "" {
				t.Fatalf("empty answer for %s", e)
			}
		}
	})
}

// TestEntityList2026Shapes: the shapes of the 2026 Entity List's texts that the 2022 list did not have, each
// on a real entry of the embedded snapshot, and what an order of EAR99 and of 3A001 is told.
func TestEntityList2026Shapes(t *testing.T) {
	ds, err := snapshot.Load()
	if err != nil {
		t.Fatal(err)
	}
	el := onlyEL(ds...)
	ear99, a3a001 := licence.Item{ECCN: "EAR99"}, licence.Item{ECCN: "3A001"}
	parse := func(name string) *licence.Licence {
		t.Helper()
		l, err := licence.ParseEntry(find(t, el, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return l
	}

	// § 746.8(a)(4), where § 746.5's oil and gas projects now are: every item, only for those projects.
	gas := parse("Gazprom Dobycha Nadym")
	if !strings.Contains(gas.Condition, "§ 746.8(a)(4)") || gas.Scope != licence.ScopeAll {
		t.Errorf("Gazprom Dobycha Nadym: %+v", gas)
	}
	if a := gas.Answer(ear99); a.Required != licence.Depends || !strings.Contains(strings.Join(a.Conditions, "; "), "projects specified in § 746.8(a)(4)") {
		t.Errorf("Gazprom Dobycha Nadym, EAR99: %+v", a)
	}

	// "For items on the CCL and EAR99 items listed in supplement no. to part 746": the number is lost, so an
	// EAR99 item depends on which supplement lists it; a CCL item needs a licence.
	for _, text := range []string{"For items on the CCL and EAR99 items listed in supplement no. to part 746 of the EAR",
		"For items on the CCL and listed in supplement no. to part 746 of the EAR", "For items on the CCL and EAR99 items listed in supplement no. 4 to part 746 of the EAR."} {
		l, err := licence.Parse(text, "")
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		e, c := l.Answer(ear99), l.Answer(a3a001)
		if l.Scope != licence.ScopeCCL || e.Required != licence.Depends || !strings.Contains(e.Conditions[0], "Part 746") || c.Required != licence.Yes {
			t.Errorf("%q: scope %s, EAR99 %+v, 3A001 %s", text, l.Scope, e, c.Required)
		}
	}
	if l, _ := licence.Parse("For items on the CCL and EAR99 items listed in supplement no. 4 to part 746 of the EAR.", ""); !strings.Contains(l.Summary(), "Supplement No. 4 to Part 746") {
		t.Errorf("supplement 4: %s", l.Summary())
	}

	// A footnote mark after the parenthesis: footnote 4, the foreign direct product rule of § 734.9(e)(2).
	inspur := parse("Inspur Group Co., Ltd.")
	if len(inspur.Footnotes) != 1 || inspur.Footnotes[0].Number != 4 || inspur.Footnotes[0].Section != "734.9(e)(2)" {
		t.Errorf("Inspur: footnotes %+v", inspur.Footnotes)
	}

	// The extraction's slips: a footnote mark without its comma, "2l" for 21, "Se" for See, a section
	// without its sign.
	for text, want := range map[string][]string{
		"For all items subject to the EAR (See §§ 734.9(g)3, 746.8(a)(3), and 744.2l(b) of the EAR)": {"734.9(g)", "746.8(a)(3)", "744.21(b)"},
		"For all items subject to the EAR. (Se §§ 734.9(e)(2) and 744.11 of the EAR)":                {"734.9(e)(2)", "744.11"},
		"For all items subject to the EAR. (See 744.11 of the EAR)":                                  {"744.11"},
	} {
		l, err := licence.Parse(text, "")
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if strings.Join(l.Sections, " ") != strings.Join(want, " ") {
			t.Errorf("%q: sections %q, want %q", text, l.Sections, want)
		}
		if strings.Contains(text, "(g)3") && (len(l.Footnotes) != 1 || l.Footnotes[0].Number != 3) {
			t.Errorf("%q: footnotes %+v", text, l.Footnotes)
		}
	}

	// License Exception GOV only for one user.
	l, err := licence.Parse("For all items subject to the EAR. (See § 744.11 of the EAR). This license requirement may be overcome by License Exception GOV under § 740.11(b) when used by the U.S Geological Survey", "")
	if err != nil || len(l.LicenceExceptions) != 1 || len(l.Notes) != 1 || !strings.Contains(l.Notes[0], "u.s geological survey") {
		t.Errorf("GOV for the USGS: %+v %v", l, err)
	}
}
