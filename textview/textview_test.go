package textview_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/testlists"
	"github.com/tradescreen/tradescreen/licence"
	"github.com/tradescreen/tradescreen/order"
	"github.com/tradescreen/tradescreen/screening"
	"github.com/tradescreen/tradescreen/textview"
)

// service answers over three real entries: the Entity List's Hikvision, the SDN vessel ADRIAN DARYA 1 and
// the UN's KIM SOK CHOL.
func service() *screening.Service { return screening.NewWith(screening.Config{}, testlists.Three()) }

func TestScreening(t *testing.T) {
	scr, err := service().Answer(context.Background(), tradescreen.ScreenRequest{Query: tradescreen.Query{Name: "Hikvision"}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	textview.Screening(&b, scr, false)
	want := `Hikvision: 1 match at or above 0.80

1. [us_el] Entity List  score 1.00
   Hangzhou Hikvision Digital Technology Co., Ltd.
   matched alias (a.k.a.): Hikvision
   why: 1.00: 1 exact
   type:                organization
   Federal Register:    84 FR 54002; 85 FR 44159
                        https://www.federalregister.gov/citation/84-FR-54002
                        https://www.federalregister.gov/citation/85-FR-44159
   start date:          2019-10-09
   address:             No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN
   entry:               us_el/f095626c9f8becc70b5948507fb6de6e443b257a

Lists: us_el, us_sdn as of 2022-05-16; un_sc as of 2026-02-27.
`
	if got := b.String(); !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", got, want)
	}
	b.Reset()
	textview.Screening(&b, scr, true)
	if !strings.Contains(b.String(), "\nOwnership (50 % rules as of ):\n  Hikvision is not a party in the ownership data.\n") {
		t.Errorf("with ownership:\n%s", b.String())
	}
}

func TestDecision(t *testing.T) {
	o := &order.Order{ID: "PO-1", Date: "2022-06-01", Destination: order.Destination{Country: "CN"},
		Parties: []order.Party{{Role: "end_user", Name: "Hikvision", Country: "CN"}},
		Items:   []licence.Item{{ECCN: "EAR99", Description: "network cameras"}}}
	d, err := service().Decide(context.Background(), tradescreen.Actor{}, o)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	textview.Decision(&b, o, d)
	got := b.String()
	for _, want := range []string{"PO-1 of 2022-06-01 to CN: HOLD\n", "[HOLD]", "   entry: us_el/f095626c9f8becc70b5948507fb6de6e443b257a, Entity List as of 2022-05-16, listed 2019-10-09 (84 FR 54002; 85 FR 44159)\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("decision lacks %q:\n%s", want, got)
		}
	}
}

func TestAlert(t *testing.T) {
	at := time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)
	a := &tradescreen.Alert{ID: 7, Status: tradescreen.AlertUnderReview, PartyID: "C-1", PartyName: "Hikvision", Source: "us_el",
		SourceID: "f095626c9f8becc70b5948507fb6de6e443b257a", EntryName: "Hangzhou Hikvision Digital Technology Co., Ltd.",
		MatchedName: "Hikvision", Score: 1, EntryData: []string{"CN"}, CreatedAt: at, UpdatedAt: at,
		Transitions: []tradescreen.Transition{{To: tradescreen.AlertOpen, Actor: "monitor", Reason: "new match", At: at},
			{From: tradescreen.AlertOpen, To: tradescreen.AlertUnderReview, Actor: "ann", Reason: "checking", At: at}}}
	var b strings.Builder
	textview.Alerts(&b, []*tradescreen.Alert{a})
	if !strings.Contains(b.String(), "7   under_review  1.00   C-1    Hikvision   us_el/f095626c9f8becc70b5948507fb6de6e443b257a") {
		t.Errorf("table:\n%s", b.String())
	}
	b.Reset()
	textview.Alert(&b, a)
	textview.Transitions(&b, a)
	want := "Alert 7: under_review\n  party:        C-1  Hikvision\n  entry:        us_el/f095626c9f8becc70b5948507fb6de6e443b257a  Hangzhou Hikvision Digital Technology Co., Ltd.\n" +
		"  matched name: Hikvision\n  score:        1.00\n  entry data:   CN\n  raised:       2026-07-01 09:30:00Z\nTransitions:\n" +
		"  2026-07-01 09:30:00Z  -                      -> open                   monitor: new match\n" +
		"  2026-07-01 09:30:00Z  open                   -> under_review           ann: checking\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	// Why the party matches now, or, with no match, what it matched when raised and why there is no more.
	svc := service()
	mv, err := svc.ExplainAlert(context.Background(), &tradescreen.Party{ID: "C-1", Name: "Hikvision"}, a)
	if err != nil || mv == nil {
		t.Fatalf("ExplainAlert: %v %v", mv, err)
	}
	b.Reset()
	textview.Explained(&b, a, nil, mv, "")
	if !strings.Contains(b.String(), "Why they match (the party screened now against us_el):\n   matched alias (a.k.a.) \"Hikvision\" with score 1.00\n") {
		t.Errorf("explained:\n%s", b.String())
	}
	b.Reset()
	textview.Explained(&b, a, nil, nil, "the party is no longer in the register")
	if want := "Why they match: when raised, \"Hikvision\" matched \"Hikvision\" with score 1.00; the party is no longer in the register.\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
