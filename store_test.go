package tradescreen_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
)

// TestChainHashStable pins the canonical encoding and hash: a change to either makes every stored trail fail
// verification, so it must be deliberate (with a migration that re-anchors the chain).
func TestChainHashStable(t *testing.T) {
	e := &tradescreen.AuditEvent{Seq: 1, At: time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC), Actor: "anna",
		Action: tradescreen.AuditDecision, Object: "alert/17", Details: `{"reason":"different company"}`}
	if got, want := string(e.Canonical()), `[1,"2026-03-02T09:30:00.123456Z","anna","alert.decision","alert/17","{\"reason\":\"different company\"}"]`; got != want {
		t.Fatalf("canonical:\n%s\nwant\n%s", got, want)
	}
	h := tradescreen.ChainHash("", e)
	if h != goldenHash {
		t.Fatalf("hash %s, want %s", h, goldenHash)
	}
	e2 := *e
	e2.Details = `{"name":"Smith & Sons <UK>","city":"Zürich"}`
	if got, want := string(e2.Canonical()), `[1,"2026-03-02T09:30:00.123456Z","anna","alert.decision","alert/17","{\"name\":\"Smith & Sons <UK>\",\"city\":\"Zürich\"}"]`; got != want {
		t.Fatalf("canonical:\n%s\nwant\n%s", got, want)
	}
	// The same instant in another zone hashes the same.
	e.At = e.At.In(time.FixedZone("CET", 3600))
	if tradescreen.ChainHash("", e) != h {
		t.Fatal("hash depends on the time zone")
	}
	if tradescreen.ChainHash("x", e) == h {
		t.Fatal("hash ignores the previous hash")
	}
}

func TestChainVerifier(t *testing.T) {
	var evs []*tradescreen.AuditEvent
	prev := ""
	for i := int64(1); i <= 3; i++ {
		e := &tradescreen.AuditEvent{Seq: i, At: time.Unix(1700000000+i, 0), Actor: "a", Action: "screen", Details: "{}", PrevHash: prev}
		e.Hash = tradescreen.ChainHash(prev, e)
		prev = e.Hash
		evs = append(evs, e)
	}
	v := tradescreen.NewChainVerifier(0, "")
	for _, e := range evs {
		v.Add(e)
	}
	if r := v.Finish(3, prev); !r.OK || r.Events != 3 {
		t.Fatalf("intact: %+v", r)
	}
	v = tradescreen.NewChainVerifier(0, "")
	v.Add(evs[0])
	v.Add(evs[1])
	if r := v.Finish(3, prev); r.OK {
		t.Fatal("a deleted newest record was not detected")
	}
	v = tradescreen.NewChainVerifier(0, "")
	v.Add(evs[0])
	if v.Add(evs[2]) {
		t.Fatal("a gap was not detected")
	}
}

// TestChainVerifierAnchor: an anchor past 0 holds only with a pruning record in the chain naming it.
func TestChainVerifierAnchor(t *testing.T) {
	chain := func(anchorSeq int64, anchorHash string, details ...string) []*tradescreen.AuditEvent {
		var evs []*tradescreen.AuditEvent
		prev := anchorHash
		for i, d := range details {
			e := &tradescreen.AuditEvent{Seq: anchorSeq + int64(i) + 1, At: time.Unix(1700000000, 0), Actor: "ada", Action: tradescreen.AuditScreen, Details: d, PrevHash: prev}
			if d != "{}" {
				e.Action = tradescreen.AuditPrune
			}
			e.Hash = tradescreen.ChainHash(prev, e)
			prev = e.Hash
			evs = append(evs, e)
		}
		return evs
	}
	run := func(anchorSeq int64, anchorHash string, evs []*tradescreen.AuditEvent) tradescreen.AuditVerification {
		v := tradescreen.NewChainVerifier(anchorSeq, anchorHash)
		for _, e := range evs {
			v.Add(e)
		}
		last := evs[len(evs)-1]
		return v.Finish(last.Seq, last.Hash)
	}
	good := tradescreen.AuditDetails(tradescreen.PruneDetails{Deleted: 7, ThroughSeq: 7, AnchorHash: "abc"})
	if r := run(7, "abc", chain(7, "abc", "{}", good, "{}")); !r.OK {
		t.Fatalf("vouched anchor: %+v", r)
	}
	for name, evs := range map[string][]*tradescreen.AuditEvent{
		"no pruning record":    chain(7, "abc", "{}", "{}"),
		"another anchor's seq": chain(7, "abc", tradescreen.AuditDetails(tradescreen.PruneDetails{ThroughSeq: 5, AnchorHash: "abc"})),
		"another anchor hash":  chain(7, "abc", tradescreen.AuditDetails(tradescreen.PruneDetails{ThroughSeq: 7, AnchorHash: "abd"})),
		"details not JSON":     chain(7, "abc", "not json"),
	} {
		if r := run(7, "abc", evs); r.OK || !strings.Contains(r.Problem, "no pruning record") || r.BadSeq != 8 {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]tradescreen.AlertStatus{"false-positive": tradescreen.AlertClosedFalsePositive, "true_match": tradescreen.AlertClosedTrueMatch, "Under_Review": tradescreen.AlertUnderReview, "escalated": tradescreen.AlertEscalated} {
		if got, err := tradescreen.ParseAlertStatus(in); err != nil || got != want {
			t.Errorf("ParseAlertStatus(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := tradescreen.ParseAlertStatus("done"); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("ParseAlertStatus(done): %v", err)
	}
	if !tradescreen.RoleAdmin.AtLeast(tradescreen.RoleApprover) || tradescreen.RoleAnalyst.AtLeast(tradescreen.RoleApprover) || tradescreen.Role("x").AtLeast(tradescreen.RoleViewer) {
		t.Error("role order")
	}
}

func TestEntryHash(t *testing.T) {
	e := &tradescreen.Entry{Name: "Hangzhou Hikvision Digital Technology Co., Ltd.", Aliases: []tradescreen.Name{{Full: "Hikvision"}},
		Identifiers: []tradescreen.Identifier{{Type: "Registration Number", Number: "913300007042"}}}
	data := tradescreen.EntryData(e)
	if len(data) != 3 || data[0] != "id: Registration Number 913300007042" || data[1] != "name: Hangzhou Hikvision Digital Technology Co., Ltd." {
		t.Fatalf("entry data: %q", data)
	}
	h := tradescreen.EntryHash(e)
	e.Remarks = "a remark does not count"
	if tradescreen.EntryHash(e) != h {
		t.Fatal("remarks changed the hash")
	}
	e.Aliases = append(e.Aliases, tradescreen.Name{Full: "HIK"})
	if tradescreen.EntryHash(e) == h {
		t.Fatal("a new alias did not change the hash")
	}
}

// goldenHash is ChainHash("", the event above), computed once when the encoding was fixed.
const goldenHash = "00294fe2cc3241003ba3a3ad4beaa48a01bd5dd3699b9a8028e4aee6f60bb46e"
