package batch_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/internal/testlists"
	"github.com/tradescreen/tradescreen/match"
	"github.com/tradescreen/tradescreen/screening"
)

func TestScorePairs(t *testing.T) {
	cmp, err := screening.NewWith(screening.Config{}, testlists.Three()).Comparer()
	if err != nil {
		t.Fatal(err)
	}
	// Pairs of the Entity List's Hikvision names and a formula-like name.
	in := "case,name1,name2,schema\n" +
		"hikvision-alias,\"Hangzhou Hikvision Digital Technology Co., Ltd.\",Hikvision,Company\n" +
		"exact,HIKVISION,Hikvision,Company\n" +
		"formula,\"=HYPERLINK(\"\"x\"\")\",Hikvision,\n"
	var out bytes.Buffer
	if err := batch.ScorePairs(strings.NewReader(in), "pairs.csv", &out, cmp); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || lines[0] != "case,name1,name2,schema,score,match" {
		t.Fatalf("output:\n%s", out.String())
	}
	// Each score is the service's for the pair, the kind read from the schema column.
	score, _ := cmp("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision", tradescreen.KindOrganization)
	want := fmt.Sprintf("hikvision-alias,\"Hangzhou Hikvision Digital Technology Co., Ltd.\",Hikvision,Company,%.3f,%v", score, score >= match.DefaultThreshold)
	if lines[1] != want {
		t.Errorf("line 1: %s, want %s", lines[1], want)
	}
	if !strings.HasSuffix(lines[2], ",1.000,true") {
		t.Errorf("the same name in capitals: %s, want 1.000 and a match", lines[2])
	}
	if !strings.HasPrefix(lines[3], `formula,"'=HYPERLINK(""x"")"`) {
		t.Errorf("a formula-like name is not escaped: %s", lines[3])
	}
	var pe *tradescreen.ParseError
	if err := batch.ScorePairs(strings.NewReader("name1,name2\nA,B\nC\n"), "short.csv", &out, cmp); !errors.As(err, &pe) || pe.Line != 3 {
		t.Errorf("a short row: %v, want a ParseError on line 3", err)
	}
	if err := batch.ScorePairs(strings.NewReader("left,name2\n"), "bad.csv", &out, cmp); tradescreen.ErrorCode(err) != tradescreen.EINVALID {
		t.Errorf("no name1 column: %v, want EINVALID", err)
	}
}

func TestKindOfSchema(t *testing.T) {
	for in, want := range map[string]tradescreen.Kind{"Person": tradescreen.KindPerson, " Company ": tradescreen.KindOrganization,
		"LegalEntity": tradescreen.KindOrganization, "Vessel": tradescreen.KindVessel, "Airplane": tradescreen.KindAircraft, "Thing": ""} {
		if got := batch.KindOfSchema(in); got != want {
			t.Errorf("KindOfSchema(%q) = %q, want %q", in, got, want)
		}
	}
}
