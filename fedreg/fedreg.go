// Package fedreg parses the Federal Register citations the US lists carry ("84 FR 54002; 85 FR 44159",
// "84 FR 54004, 10/9/19", "68 F.R. 38290 6/27/03", "Vol. 85, No. 193, 10/05/2020") into volume, page and
// date, and links each to federalregister.gov. It does no I/O.
package fedreg

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
)

// Citation is one Federal Register citation.
type Citation struct {
	// Volume is the Federal Register volume (84 is 2019: volume N is the year 1935+N).
	Volume int `json:"volume"`
	// Page is the first page; 0 when the citation gives only volume and issue ("Vol. 85, No. 193") or volume
	// and date ("72 F.R. 1/30/07").
	Page int `json:"page,omitempty"`
	// Issue is the issue number when the citation gives one ("No. 193").
	Issue int `json:"issue,omitempty"`
	// Date is the publication date the citation states, YYYY-MM-DD; empty when it states none.
	Date string `json:"date,omitempty"`
	// Text is the citation as the list writes it.
	Text string `json:"text"`
}

// String renders the citation canonically: "84 FR 54002", "85 FR (No. 193)", with the date when known.
func (c Citation) String() string {
	s := strconv.Itoa(c.Volume) + " FR "
	switch {
	case c.Page > 0:
		s += strconv.Itoa(c.Page)
	case c.Issue > 0:
		s += fmt.Sprintf("(No. %d)", c.Issue)
	default:
		s += "(page not given)"
	}
	if c.Date != "" {
		s += " (" + c.Date + ")"
	}
	return s
}

// URL links the citation on federalregister.gov (https://www.federalregister.gov/citation/84-FR-54002); it is
// empty when the page is not known.
func (c Citation) URL() string {
	if c.Page <= 0 || c.Volume <= 0 {
		return ""
	}
	return fmt.Sprintf("https://www.federalregister.gov/citation/%d-FR-%d", c.Volume, c.Page)
}

// Year is the year of the volume (1935 + volume): the Federal Register started with volume 1 in 1936.
func (c Citation) Year() int { return 1935 + c.Volume }

var (
	// "84 FR 54002", "84 F.R. 43787", "81.F.R. 22576", "80 F.R 57572", "84  FR 21233".
	reCite = regexp.MustCompile(`(?i)\b(\d{1,3})\s*\.?\s*F\s*\.?\s*R\b\.?\s*(\d{1,6})\b`)
	// "Vol. 85, No. 193" or "76 FR No. 197" (with the date that usually follows).
	reVol = regexp.MustCompile(`(?i)(?:\bVol\.?\s*(\d{1,3})|\b(\d{1,3})\s*\.?\s*F\s*\.?\s*R\b\.?)\s*,?\s*No\.?\s*(\d{1,4})\b`)
	// A date right after a citation: ", 10/9/19", " 6/27/03", " (11/19/98)".
	reDate = regexp.MustCompile(`^[\s,;]*\(?\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\b\)?`)
	// Another page of the same volume: "82 F.R. 16788, 16789 4/6/2017".
	reMorePage = regexp.MustCompile(`^\s*,\s*(\d{3,6})\b`)
	// An issue number after the page: "77 FR 61249 No. 195", "77 FR 58006 (no. 182)".
	reIssue   = regexp.MustCompile(`(?i)^[\s,]*\(?\s*No\.?\s*(\d{1,4})\s*\)?`)
	reFRAhead = regexp.MustCompile(`(?i)^\s*\.?\s*F\s*\.?\s*R\b`)
)

// Parse finds every citation in s. A list field often holds several, separated by ";", "," or "and"; a date
// that follows a citation is its date. Text that is not a citation is ignored. The error is EINVALID when s
// holds text but no citation at all.
func Parse(s string) ([]Citation, error) {
	var out []Citation
	type span struct{ start, end int }
	var used []span
	for _, m := range reVol.FindAllStringSubmatchIndex(s, -1) {
		var v string
		if m[2] >= 0 {
			v = s[m[2]:m[3]]
		} else {
			v = s[m[4]:m[5]]
		}
		vol, _ := strconv.Atoi(v)
		no, _ := strconv.Atoi(s[m[6]:m[7]])
		if vol == 0 {
			continue
		}
		c := Citation{Volume: vol, Issue: no}
		end := m[1]
		if d := reDate.FindStringSubmatchIndex(s[end:]); d != nil {
			c.Date = date(s[end+d[2]:end+d[3]], s[end+d[4]:end+d[5]], s[end+d[6]:end+d[7]], vol)
			end += d[1]
		}
		c.Text = strings.TrimSpace(s[m[0]:end])
		out = append(out, c)
		used = append(used, span{m[0], end})
	}
	for _, m := range reCite.FindAllStringSubmatchIndex(s, -1) {
		overlap := false
		for _, u := range used {
			if m[0] < u.end && m[1] > u.start {
				overlap = true
			}
		}
		if overlap {
			continue
		}
		vol, _ := strconv.Atoi(s[m[2]:m[3]])
		page, _ := strconv.Atoi(s[m[4]:m[5]])
		if vol == 0 || page == 0 || vol > 999 {
			continue
		}
		if m[1] < len(s) && s[m[1]] == '/' {
			// "72 F.R. 1/30/07": the number after FR is the month of a date, not a page.
			if c, end, ok := volumeDate(s, m[0], m[4], vol); ok {
				out = append(out, c)
				used = append(used, span{m[0], end})
			}
			continue
		}
		pages := []int{page}
		end := m[1]
		for {
			p := reMorePage.FindStringSubmatchIndex(s[end:])
			if p == nil || reFRAhead.MatchString(s[end+p[1]:]) {
				break
			}
			n, _ := strconv.Atoi(s[end+p[2] : end+p[3]])
			pages = append(pages, n)
			end += p[1]
		}
		issue := 0
		if p := reIssue.FindStringSubmatchIndex(s[end:]); p != nil {
			issue, _ = strconv.Atoi(s[end+p[2] : end+p[3]])
			end += p[1]
		}
		d := ""
		if p := reDate.FindStringSubmatchIndex(s[end:]); p != nil {
			d = date(s[end+p[2]:end+p[3]], s[end+p[4]:end+p[5]], s[end+p[6]:end+p[7]], vol)
			end += p[1]
		}
		text := strings.TrimSpace(s[m[0]:end])
		for _, pg := range pages {
			out = append(out, Citation{Volume: vol, Page: pg, Issue: issue, Date: d, Text: text})
		}
		used = append(used, span{m[0], end})
	}
	// Keep the order of the text.
	pos := func(c Citation) int { return strings.Index(s, c.Text) }
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && pos(out[j]) < pos(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) == 0 && strings.TrimSpace(s) != "" {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "no Federal Register citation in %q", s)
	}
	return out, nil
}

// volumeDate reads a citation that gives a volume and a date but no page ("72 F.R. 1/30/07"): the match
// starts at start and its date at at.
func volumeDate(s string, start, at, vol int) (Citation, int, bool) {
	p := reDate.FindStringSubmatchIndex(s[at:])
	if p == nil {
		return Citation{}, 0, false
	}
	d := date(s[at+p[2]:at+p[3]], s[at+p[4]:at+p[5]], s[at+p[6]:at+p[7]], vol)
	end := at + p[1]
	return Citation{Volume: vol, Date: d, Text: strings.TrimSpace(s[start:end])}, end, true
}

// ParseAll parses every field of a list entry's federal_register values, skipping those with no citation.
func ParseAll(fields []string) []Citation {
	var out []Citation
	for _, f := range fields {
		cs, _ := Parse(f)
		out = append(out, cs...)
	}
	return out
}

// URLs returns the federalregister.gov links of the citations in fields (ParseAll) that have one, in order.
func URLs(fields []string) []string {
	var out []string
	for _, c := range ParseAll(fields) {
		if u := c.URL(); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// date turns month, day and a 2- or 4-digit year into YYYY-MM-DD, choosing the century of a 2-digit year
// closest to the volume's year. It returns "" for an impossible date.
func date(m, d, y string, vol int) string {
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	yy, _ := strconv.Atoi(y)
	if len(y) == 2 {
		want := 1935 + vol
		best := 1900 + yy
		for _, c := range []int{1900 + yy, 2000 + yy} {
			if abs(c-want) < abs(best-want) {
				best = c
			}
		}
		yy = best
	} else if len(y) != 4 {
		return ""
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return ""
	}
	return t.Format("2006-01-02")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
