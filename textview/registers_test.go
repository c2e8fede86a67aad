package textview_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/download"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/internal/testlists"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/textview"
)

func TestRules(t *testing.T) {
	rules, err := ownership.LoadRules("")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	textview.Rules(&b, rules.On("2025-10-01"), "2025-10-01")
	for _, want := range []string{
		"bis_affiliates  in_force   2025-09-29 .. 2025-11-09 50 % aggregate lists us_el, us_meu, us_sdn (SDGT FTO ",
		"ofac_50         in_force   2014-08-13 .. open       50 % aggregate lists us_sdn\n    OFAC, Revised Guidance",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("rules on 2025-10-01 lack %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	textview.Rules(&b, rules.On("1990-10-01"), "1990-10-01")
	if b.String() != "no ownership rule in force on 1990-10-01\n" {
		t.Errorf("rules on 1990-10-01: %q", b.String())
	}
}

func TestLists(t *testing.T) {
	vs := testlists.Three().Lists()
	vs[0].Origin, vs[0].PublishedNote = "consolidated.csv", "no date in the file: the download date"
	vs[1].Published = ""
	var ls []tradescreen.ListStatus
	for _, v := range vs {
		ls = append(ls, tradescreen.AgeOf(v, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), 0))
	}
	var b strings.Builder
	textview.Lists(&b, ls)
	want := `SOURCE  LIST                                   PUBLISHED   AGE        STALE  ENTRIES  NAMES  FROM
us_el   Entity List                            2022-05-16  1385 days  yes    1        2      consolidated.csv
us_sdn  Specially Designated Nationals         unknown     unknown    yes    1        1      
un_sc   UN Security Council Consolidated List  2026-02-27  2 days     no     1        1      
total                                                                        3        4      
stale: older than 7 days (or of unknown date)
note: us_el (consolidated.csv): no date in the file: the download date
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	ls[1].MaxAgeDays = 30
	b.Reset()
	textview.Lists(&b, ls)
	if !strings.Contains(b.String(), "stale: older than us_el 7 days, us_sdn 30 days, un_sc 7 days (or of unknown date)\n") {
		t.Errorf("lists with their own maximum ages:\n%s", b.String())
	}
}

func TestParties(t *testing.T) {
	at := time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)
	screened := &tradescreen.Party{ID: "C-1", Name: "Hikvision", Kind: tradescreen.KindOrganization, Country: "CN", Version: 2,
		Hash: "h2", ScreenedHash: "h2", Extra: map[string]string{"city": "Hangzhou"}, CreatedAt: at, UpdatedAt: at}
	stale := &tradescreen.Party{ID: "C-2", Name: "Beta Logistics", Version: 1, Hash: "h1", ScreenedHash: "h0", DeletedAt: &at}
	var b strings.Builder
	textview.Parties(&b, []*tradescreen.Party{screened, stale})
	want := `ID   NAME            TYPE          COUNTRY  VERSION  SCREENED  STATUS
C-1  Hikvision       organization  CN       2        yes       active
C-2  Beta Logistics                         1        stale     deleted 2026-07-01
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	textview.Party(&b, screened)
	want = "C-1  Hikvision\n  type:          organization\n  country:       CN\n  city:          Hangzhou\n  version:       2\n" +
		"  created:       2026-07-01 09:30:00Z\n  updated:       2026-07-01 09:30:00Z\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestUsers(t *testing.T) {
	at := time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)
	var b strings.Builder
	textview.Users(&b, []*tradescreen.User{{Name: "ann", Role: tradescreen.RoleAnalyst, CreatedAt: at},
		{Name: "bob", Role: tradescreen.RoleViewer, CreatedAt: at, DisabledAt: &at}})
	want := "NAME  ROLE     CREATED     STATUS\nann   analyst  2026-07-01  active\nbob   viewer   2026-07-01  disabled 2026-07-01\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestFeedsAndUpdateResults(t *testing.T) {
	var b strings.Builder
	feeds := download.DefaultFeeds()
	textview.Feeds(&b, feeds)
	if !strings.HasPrefix(b.String(), fmt.Sprintf("  %-10s %s, %s\n             %s\n", feeds[0].Name, feeds[0].Kind, feeds[0].URL, feeds[0].Description)) ||
		!strings.Contains(b.String(), "\n  uksl       uksl, https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv\n") ||
		strings.Count(b.String(), "\n") != 2*len(feeds) {
		t.Errorf("feeds:\n%s", b.String())
	}
	b.Reset()
	v := &history.Version{ID: 3, Feed: "un", Published: "2026-02-27", SHA256: strings.Repeat("0a", 32), Lists: map[string]int{"un_sc": 1003}}
	textview.UpdateResults(&b, []download.Result{{Feed: "un", Status: download.Accepted, Version: v},
		{Feed: "csl", Status: download.Rejected, Reason: "us_el: 2214 entries, 40% fewer than #2"}})
	want := "un         accepted  #3 published 2026-02-27, un_sc 1003, sha256 0a0a0a0a0a0a\ncsl        rejected  us_el: 2214 entries, 40% fewer than #2\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}
