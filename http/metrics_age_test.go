package http_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestMetricsListAge: tradescreen_list_age_seconds is now minus each list's publication date: the embedded
// Entity List of 2026-07-09 and the UN list of 2026-02-27.
func TestMetricsListAge(t *testing.T) {
	ts := newTestServer(t)
	body := string(get(t, ts.URL+"/metrics").Body)
	for src, date := range map[string]string{"us_el": "2026-07-09", "un_sc": "2026-02-27"} {
		m := regexp.MustCompile(`tradescreen_list_age_seconds\{source="` + src + `"\} (\S+)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no age gauge for %s", src)
		}
		got, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := time.Parse("2006-01-02", date)
		want := time.Since(p).Seconds()
		if d := want - got; d < 0 || d > 3600 {
			t.Errorf("%s age %v s, want about %v s (published %s)", src, got, want, date)
		}
	}
}
