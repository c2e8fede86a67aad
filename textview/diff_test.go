package textview_test

import (
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/source"
	_ "github.com/tradescreen/tradescreen/source/ofac"
	"github.com/tradescreen/tradescreen/textview"
)

// TestDiff prints the SDN list's changes of 24 February 2022 (the real files of the day before and the day).
func TestDiff(t *testing.T) {
	open := func(day string) *source.Dataset {
		ds, err := source.Open("ofac", "../testdata/lists/ofac/sdn_dated/sdn_"+day+".csv.gz")
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	ds := history.Diff(open("2022-02-23"), open("2022-02-24"), "us_sdn")
	if len(ds) != 1 {
		t.Fatalf("diff: %+v", ds)
	}
	var b strings.Builder
	textview.Diff(&b, ds[0], 1, " (ask for all)")
	want := "us_sdn: date unknown (sdn_2022-02-23.csv.gz) -> date unknown (sdn_2022-02-24.csv.gz)\n  2 added, 0 removed, 0 changed\n" +
		"  + us_sdn/31926  NORD STREAM 2 AG\n  ... 1 more (ask for all)\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	// A changed Federal Register citation is printed with its link; no limit prints every change.
	b.Reset()
	textview.Diff(&b, history.ListDiff{Source: "us_el", From: "2019-10-09", To: "2020-07-22", Changed: 1, Changes: []history.Change{{
		Type: history.Changed, Source: "us_el", SourceID: "f095626c9f8becc70b5948507fb6de6e443b257a", Name: "Hangzhou Hikvision Digital Technology Co., Ltd.",
		Fields: []history.FieldChange{{Field: "federal_register", Added: []string{"85 FR 44159"}, Removed: []string{"84 FR 54002"}}}}}}, 0, "")
	want = "us_el: 2019-10-09 -> 2020-07-22\n  0 added, 0 removed, 1 changed\n" +
		"  ~ us_el/f095626c9f8becc70b5948507fb6de6e443b257a  Hangzhou Hikvision Digital Technology Co., Ltd.\n" +
		"      federal_register - 84 FR 54002\n" +
		"      federal_register + 85 FR 44159 (https://www.federalregister.gov/citation/85-FR-44159)\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}
