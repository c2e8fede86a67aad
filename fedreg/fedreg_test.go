package fedreg

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
)

func TestParse(t *testing.T) {
	// Every input is a federal_register_notice value of the 2022-05-16 Consolidated Screening List
	// (testdata/lists/csl/consolidated_2022-05-16.csv.gz), or the issue's examples.
	cases := []struct {
		in   string
		want []Citation
	}{
		{"84 FR 54002; 85 FR 44159", []Citation{
			{Volume: 84, Page: 54002, Text: "84 FR 54002"}, {Volume: 85, Page: 44159, Text: "85 FR 44159"}}},
		{"84 FR 54004, 10/9/19", []Citation{{Volume: 84, Page: 54004, Date: "2019-10-09", Text: "84 FR 54004, 10/9/19"}}},
		{"68 F.R. 38290 6/27/03", []Citation{{Volume: 68, Page: 38290, Date: "2003-06-27", Text: "68 F.R. 38290 6/27/03"}}},
		{"49 F.R. 2002 1/17/84", []Citation{{Volume: 49, Page: 2002, Date: "1984-01-17", Text: "49 F.R. 2002 1/17/84"}}},
		{"84 F.R. 43787 8/22/2019", []Citation{{Volume: 84, Page: 43787, Date: "2019-08-22", Text: "84 F.R. 43787 8/22/2019"}}},
		{"77 FR 61249 No. 195", []Citation{{Volume: 77, Page: 61249, Issue: 195, Text: "77 FR 61249 No. 195"}}},
		{"81.F.R. 22576 4/18/2016", []Citation{{Volume: 81, Page: 22576, Date: "2016-04-18", Text: "81.F.R. 22576 4/18/2016"}}},
		{"80 F.R 57572 9/24/15 ", []Citation{{Volume: 80, Page: 57572, Date: "2015-09-24", Text: "80 F.R 57572 9/24/15"}}},
		{"79 FR  55608", []Citation{{Volume: 79, Page: 55608, Text: "79 FR  55608"}}},
		{"76 FR 50407 (8/15/2011)", []Citation{{Volume: 76, Page: 50407, Date: "2011-08-15", Text: "76 FR 50407 (8/15/2011)"}}},
		{"Vol. 85, No. 193, 10/05/2020", []Citation{{Volume: 85, Issue: 193, Date: "2020-10-05", Text: "Vol. 85, No. 193, 10/05/2020"}}},
		{"82 F.R. 16788, 16789 4/6/2017", []Citation{
			{Volume: 82, Page: 16788, Date: "2017-04-06", Text: "82 F.R. 16788, 16789 4/6/2017"},
			{Volume: 82, Page: 16789, Date: "2017-04-06", Text: "82 F.R. 16788, 16789 4/6/2017"}}},
		{"54 F.R. 9537 3/7/89 and 54 F.R. 13715 4/5/89", []Citation{
			{Volume: 54, Page: 9537, Date: "1989-03-07", Text: "54 F.R. 9537 3/7/89"},
			{Volume: 54, Page: 13715, Date: "1989-04-05", Text: "54 F.R. 13715 4/5/89"}}},
		{"84 FR 22961, 85 FR 29852", []Citation{
			{Volume: 84, Page: 22961, Text: "84 FR 22961"}, {Volume: 85, Page: 29852, Text: "85 FR 29852"}}},
		{"63 FR 64322 (11/19/98), 77 FR 58006 (no. 182)", []Citation{
			{Volume: 63, Page: 64322, Date: "1998-11-19", Text: "63 FR 64322 (11/19/98)"},
			{Volume: 77, Page: 58006, Issue: 182, Text: "77 FR 58006 (no. 182)"}}},
		{"76 FR No. 197 (10/12/2011)", []Citation{{Volume: 76, Issue: 197, Date: "2011-10-12", Text: "76 FR No. 197 (10/12/2011)"}}},
		// A volume and a date without a page: the number after F.R. is a month, not page 1.
		{"72 F.R. 1/30/07", []Citation{{Volume: 72, Date: "2007-01-30", Text: "72 F.R. 1/30/07"}}},
		{"72 F.R. 1/30/07; 73 FR 54503", []Citation{
			{Volume: 72, Date: "2007-01-30", Text: "72 F.R. 1/30/07"}, {Volume: 73, Page: 54503, Text: "73 FR 54503"}}},
		{"", nil},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := Parse(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", c.in, got, c.want)
			}
		})
	}
	if c := (Citation{Volume: 72, Date: "2007-01-30"}); c.URL() != "" || c.String() != "72 FR (page not given) (2007-01-30)" {
		t.Errorf("no page: %q %q", c.URL(), c.String())
	}
	if _, err := Parse("pending"); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("Parse(pending) error = %v, want EINVALID", err)
	}
}

func TestURLAndString(t *testing.T) {
	c := Citation{Volume: 84, Page: 54002, Date: "2019-10-09"}
	if c.URL() != "https://www.federalregister.gov/citation/84-FR-54002" {
		t.Errorf("URL = %s", c.URL())
	}
	if c.String() != "84 FR 54002 (2019-10-09)" || c.Year() != 2019 {
		t.Errorf("String = %s, Year = %d", c.String(), c.Year())
	}
	if (Citation{Volume: 85, Issue: 193}).URL() != "" {
		t.Error("a citation without a page has no URL")
	}
}

// TestRealCSL parses every federal_register_notice of the 2022 CSL: each non-empty field gives at least one
// citation with a plausible volume, and every stated date falls in or next to its volume's year.
func TestRealCSL(t *testing.T) {
	f, err := os.Open("../testdata/lists/csl/consolidated_2022-05-16.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "federal_register_notice" {
			col = i
		}
	}
	fields, cites, none := 0, 0, 0
	for _, row := range rows[1:] {
		s := row[col]
		if s == "" {
			continue
		}
		fields++
		cs, err := Parse(s)
		if err != nil {
			none++
			continue
		}
		for _, c := range cs {
			cites++
			if c.Volume < 1 || c.Volume > 100 {
				t.Errorf("%q: volume %d", s, c.Volume)
			}
			if c.Date != "" {
				y := c.Date[:4]
				yy := 0
				for _, ch := range y {
					yy = yy*10 + int(ch-'0')
				}
				if abs(yy-c.Year()) > 1 {
					t.Errorf("%q: date %s is not of volume %d's year %d", s, c.Date, c.Volume, c.Year())
				}
			}
		}
	}
	if none > 0 || fields < 3000 || cites < fields {
		t.Errorf("%d fields, %d citations, %d fields without one", fields, cites, none)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"84 FR 54002; 85 FR 44159", "84 FR 54004, 10/9/19", "68 F.R. 38290 6/27/03",
		"Vol. 85, No. 193, 10/05/2020", "82 F.R. 16788, 16789 4/6/2017", "77 FR 58006 (no. 182)", "1 FR 1 99/99/99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, _ := Parse(s)
		for _, c := range cs {
			if c.Volume <= 0 && c.Issue <= 0 {
				t.Errorf("%q: empty citation %+v", s, c)
			}
			if c.URL() != "" && c.Page <= 0 {
				t.Errorf("%q: URL without a page", s)
			}
		}
	})
}

func TestURLs(t *testing.T) {
	// Real federal_register values of the Consolidated Screening List: a value without a page has no link.
	got := URLs([]string{"84 FR 54002; 85 FR 44159", "pending", "Vol. 85, No. 193, 10/05/2020"})
	want := []string{"https://www.federalregister.gov/citation/84-FR-54002", "https://www.federalregister.gov/citation/85-FR-44159"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("URLs = %q, want %q", got, want)
	}
}
