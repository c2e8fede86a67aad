package ownlist_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownlist"
)

func TestParseRestricted(t *testing.T) {
	in := "Name,ID,Kind,Aliases,Address,Country,Identifiers,Reason,Added_On,Note\n" +
		"Blue  Lantern Trading FZE,C-17,company,Blue Lantern General Trading; ,\"Plot 12, Jebel Ali Free Zone, Dubai\",United Arab Emirates,VAT:AE100200300; 55-1,fraud.,2024-03-02,see case 12\n" +
		"\n" +
		"Ivan Petrovsky,P-3,individual,,,,,,,\n"
	ps, err := ownlist.ParseRestricted([]byte(in), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Name != "Blue Lantern Trading FZE" || ps[0].Kind != "organization" || ps[1].Kind != "person" || ps[1].Line != 4 {
		t.Fatalf("%+v", ps)
	}
	e := ps[0].ListEntry()
	if e.Key() != "own_restricted/C-17" || len(e.Aliases) != 1 || e.Addresses[0].Country != "AE" ||
		e.Identifiers[0] != (tradescreen.Identifier{Type: "VAT", Number: "AE100200300"}) || e.Identifiers[1].Type != "id" ||
		e.Remarks != "fraud. see case 12" || e.ListedOn != "2024-03-02" {
		t.Errorf("entry %+v", e)
	}
	if e := ps[1].ListEntry(); e.Kind != tradescreen.KindPerson || e.Addresses != nil {
		t.Errorf("entry %+v", e)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		list, in    string
		line        int
		field, want string
	}{
		{ownlist.Restricted, "", 0, "", "empty file"},
		{ownlist.Restricted, "name\nAcme\n", 1, "id", "missing required column"},
		{ownlist.Restricted, "id,name,name\n", 1, "name", "column named twice"},
		{ownlist.Restricted, "id,name,phone\n", 1, "phone", "unknown column"},
		{ownlist.Restricted, "id,name\nC 1,Acme\n", 2, "id", "use letters, digits"},
		{ownlist.Restricted, "id,name\nC1,Acme\nC1,Beta\n", 3, "id", "also on line 2"},
		{ownlist.Restricted, "id,name\nC1,\n", 2, "name", "empty name"},
		{ownlist.Restricted, "id,name,kind\nC1,Acme,plant\n", 2, "kind", "want person"},
		{ownlist.Restricted, "id,name,country\nC1,Acme,Narnia\n", 2, "country", "not a country"},
		{ownlist.Restricted, "id,name,added_on\nC1,Acme,2024-13-01\n", 2, "added_on", "not YYYY-MM-DD"},
		{ownlist.Restricted, "id,name\nC1,Acme,extra\n", 2, "", "3 fields, the header has 2"},
		{ownlist.Restricted, "id,name\nC1,\"Acme\n", 2, "", "quote"},
		{ownlist.Allow, "name,entry,reason,reviewed_by,reviewed_on\n,us_el/1,r,me,2026-01-01\n", 2, "name", "give the screened name"},
		{ownlist.Allow, "name,entry,reason,reviewed_by,reviewed_on\nAcme,Acme Ltd,r,me,2026-01-01\n", 2, "entry", "want LIST/ID"},
		{ownlist.Allow, "name,entry,reason,reviewed_by,reviewed_on\nAcme,xx_yy/1,r,me,2026-01-01\n", 2, "entry", "unknown list code"},
		{ownlist.Allow, "name,entry,reason,reviewed_by,reviewed_on\nAcme,us_el/1,,me,2026-01-01\n", 2, "reason", "say why"},
		{ownlist.Allow, "name,entry,reason,reviewed_by,reviewed_on\nAcme,us_el/1,r,me,01/02/2026\n", 2, "reviewed_on", "not YYYY-MM-DD"},
		{ownlist.Allow, "name,entry,reason,reviewed_by,reviewed_on\nAcme,us_el/1,r,me,2026-01-01\nACME,us_el/1,r2,me,2026-01-02\n", 3, "entry", "on line 2"},
		{ownlist.Allow, "name,entry,reason,reviewed_by\nAcme,us_el/1,r,me\n", 1, "reviewed_on", "missing required column"},
	}
	for _, c := range cases {
		_, err := ownlist.Parse(c.list, []byte(c.in), "f.csv")
		var pe *tradescreen.ParseError
		if !errors.As(err, &pe) || pe.File != "f.csv" || pe.Line != c.line || pe.Field != c.field || !strings.Contains(pe.Error(), c.want) {
			t.Errorf("%s %q: got %v (%+v); want line %d field %q: %s", c.list, c.in, err, pe, c.line, c.field, c.want)
		}
	}
	// A header alone empties a list.
	ds, err := ownlist.Parse(ownlist.Restricted, []byte("id,name\n"), "f.csv")
	if err != nil || len(ds.Entries) != 0 || ds.Lists[0].Entries != 0 {
		t.Errorf("empty list: %v %+v", err, ds)
	}
}

func TestFromJSON(t *testing.T) {
	b, err := ownlist.FromJSON(ownlist.Restricted, []byte(`[{"id":"C-1","name":"Acme, Inc.","aliases":["Acme","Acme Intl"],"identifiers":["DUNS:123"]}]`))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ownlist.ParseRestricted(b, "upload.json")
	if err != nil || len(ps) != 1 || ps[0].Name != "Acme, Inc." || len(ps[0].Aliases) != 2 || ps[0].Identifiers[0] != "DUNS:123" {
		t.Fatalf("%s\n%+v %v", b, ps, err)
	}
	// The shape GET /v1/own-lists/{list} answers is accepted back.
	if _, err := ownlist.FromJSON(ownlist.Allow, []byte(`{"entries":[{"id":"a1","name":"X","entry":"us_el/1","reason":"r","reviewed_by":"me","reviewed_on":"2026-01-01","line":2}]}`)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`{"rows":[]}`, `[{"id":"C-1","nmae":"Acme"}]`, `[{"id":"C-1","name":{"a":1}}]`, `[{"id":"C-1","aliases":["a;b"]}]`, `nope`} {
		if _, err := ownlist.FromJSON(ownlist.Restricted, []byte(bad)); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if round := ownlist.ToCSV(ownlist.Restricted, ps, nil); string(round) != string(b) {
		t.Errorf("ToCSV:\n%s\nwant\n%s", round, b)
	}
}

func TestAllowMark(t *testing.T) {
	rows, err := ownlist.ParseAllow([]byte("id,name,party_id,entry,reason,reviewed_by,reviewed_on\n"+
		"r1,Acme Trading,,us_el/1,different company in Ohio,a.smith,2026-06-30\n"+
		",,P-9,us_sdn/7,born 1990 not 1961,b.jones,2026-05-01\n"), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rows[1].ID, "a-") {
		t.Errorf("derived id %q", rows[1].ID)
	}
	al := ownlist.NewAllowList(rows)
	ms := []tradescreen.Match{
		{Source: "us_el", SourceID: "1", Explanation: tradescreen.Explanation{Adjustments: []string{"country differs"}}},
		{Source: "us_el", SourceID: "2"},
		{Source: "us_sdn", SourceID: "7"},
	}
	if n := al.Mark("  ACMÉ trading ", "", ms); n != 1 {
		t.Fatalf("marked %d, want 1", n)
	}
	if !ownlist.IsAllowed(ms[0]) || ms[0].Explanation.Adjustments[1] != "country differs" || ownlist.IsAllowed(ms[1]) || ownlist.IsAllowed(ms[2]) {
		t.Errorf("%+v", ms)
	}
	if want := "allowed: reviewed look-alike (different company in Ohio; reviewed by a.smith on 2026-06-30; allow-list row r1)"; ms[0].Explanation.Adjustments[0] != want {
		t.Errorf("note %q", ms[0].Explanation.Adjustments[0])
	}
	// Marking twice adds nothing; the party id pairing applies whatever the name.
	if n := al.Mark("Acme Trading", "P-9", ms); n != 1 || !ownlist.IsAllowed(ms[2]) || len(ms[0].Explanation.Adjustments) != 2 {
		t.Errorf("second mark: %d %+v", n, ms)
	}
	if ownlist.CountAllowed(ms) != 2 {
		t.Errorf("count %d", ownlist.CountAllowed(ms))
	}
	var none *ownlist.AllowList
	if none.Mark("Acme Trading", "", ms) != 0 || none.Lookup("a", "", "us_el/1") != nil {
		t.Error("nil allow list marked")
	}
}

func TestAllowances(t *testing.T) {
	rows, err := ownlist.ParseAllow([]byte("id,name,party_id,entry,reason,reviewed_by,reviewed_on\n"+
		"r1,Acme Trading,,us_el/1,different company in Ohio,a.smith,2026-06-30\n"+
		"r2,,P-9,us_sdn/7,born 1990 not 1961,b.jones,2026-05-01\n"), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	al := ownlist.NewAllowList(rows)
	ms := []tradescreen.Match{{Source: "us_el", SourceID: "2"}, {Source: "us_el", SourceID: "1"}, {Source: "us_sdn", SourceID: "7"}}
	as := al.Allowances("acme trading", "P-9", ms)
	if len(as) != 3 || as[0] != nil || as[1] == nil || as[1].ID != "r1" || as[2] == nil || as[2].ID != "r2" {
		t.Fatalf("allowances %+v", as)
	}
	if ownlist.IsAllowed(ms[1]) {
		t.Error("Allowances marked a match")
	}
	if got := al.Allowances("Acme Trading Co", "", ms); got != nil {
		t.Errorf("another name: %+v", got)
	}
	notes := al.Notes("Acme Trading", "", ms)
	if len(notes) != 1 || notes["us_el/1"] != rows[0].Note() {
		t.Errorf("notes %+v", notes)
	}
	want := ownlist.Allowed{Reason: "born 1990 not 1961", Reviewer: "b.jones", Date: "2026-05-01", Row: "r2"}
	if got := as[2].Allowed(); got == nil || *got != want {
		t.Errorf("allowed %+v", got)
	}
	var none *ownlist.AllowList
	var noAllowance *ownlist.Allowance
	if none.Allowances("Acme Trading", "", ms) != nil || none.Notes("Acme Trading", "", ms) != nil || noAllowance.Allowed() != nil {
		t.Error("nil allow list covers something")
	}
}
