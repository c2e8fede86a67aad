package batch

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
)

// MaxReportHits and MaxReportErrors bound what the HTML report lists (the counts are always complete): the
// report's state is kept in memory and in each checkpoint.
const (
	MaxReportHits   = 2000
	MaxReportErrors = 200
)

// Report accumulates what the HTML summary of a batch run shows: counts per list, the rows with hits and
// their explanations, the errors. It is a RowWriter (it writes nothing) and serializes to JSON so a resumed
// run carries it on.
type Report struct {
	Stats BatchStats `json:"stats"`
	// Lists counts, per list code, the rows with a hit on it and its matches.
	Lists map[string]*ReportListCount `json:"lists"`
	Hits  []ReportHit                 `json:"hits"`
	// HitsLeftOut counts the rows with hits beyond MaxReportHits (they are in the output file).
	HitsLeftOut int           `json:"hits_left_out"`
	Errors      []ReportError `json:"errors"`
	// ErrorsLeftOut counts the errors beyond MaxReportErrors.
	ErrorsLeftOut int `json:"errors_left_out"`
	// CountsOnly keeps the counts without the hits and errors (when no HTML report is wanted).
	CountsOnly bool `json:"counts_only,omitempty"`
	// NameColumns are the input columns the rows' names were read from, in the order first met (JSONL rows
	// may name theirs differently).
	NameColumns []string `json:"name_columns,omitempty"`
}

// AddNameColumns adds the columns not in r.NameColumns yet.
func (r *Report) AddNameColumns(cols ...string) {
	for _, c := range cols {
		if c != "" && !slices.Contains(r.NameColumns, c) {
			r.NameColumns = append(r.NameColumns, c)
		}
	}
}

// NameColumnsSetting says which columns were screened as names, for a report's settings: those given
// (ReaderOptions.NameColumns), else those read, detected by their header ("company_name (detected)").
func NameColumnsSetting(given, read []string) string {
	switch {
	case len(given) > 0:
		return strings.Join(given, ", ")
	case len(read) > 0:
		return strings.Join(read, ", ") + " (detected)"
	}
	return "none found (no rows)"
}

// ReportListCount is one list's count in the report. Allowed counts the matches on the list that the allow
// list covers (included in Matches).
type ReportListCount struct {
	Rows    int `json:"rows"`
	Matches int `json:"matches"`
	Allowed int `json:"allowed,omitempty"`
}

// ReportHit is one row with matches.
type ReportHit struct {
	Line    int          `json:"line"`
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Matches []BatchMatch `json:"matches"`
}

// ReportError is one row that could not be screened.
type ReportError struct {
	Line  int    `json:"line"`
	ID    string `json:"id"`
	Error string `json:"error"`
}

// NewReport returns an empty report.
func NewReport() *Report { return &Report{Lists: map[string]*ReportListCount{}} }

// Write adds an outcome.
func (r *Report) Write(o *Outcome) error {
	if r.Lists == nil {
		r.Lists = map[string]*ReportListCount{}
	}
	r.Stats.count(o)
	if o.Row != nil {
		for _, c := range o.Row.Names {
			r.AddNameColumns(c.Name)
		}
		r.AddNameColumns(o.Row.NameColumn)
	}
	if o.Err != nil {
		if r.CountsOnly {
			r.ErrorsLeftOut++
		} else if len(r.Errors) < MaxReportErrors {
			r.Errors = append(r.Errors, ReportError{o.Row.Line, o.Row.ID, tradescreen.ErrorMessage(o.Err)})
		} else {
			r.ErrorsLeftOut++
		}
		return nil
	}
	if len(o.Matches) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for i, m := range o.Matches {
		c := r.Lists[m.Source]
		if c == nil {
			c = &ReportListCount{}
			r.Lists[m.Source] = c
		}
		c.Matches++
		if o.IsAllowed(i) {
			c.Allowed++
		}
		if !seen[m.Source] {
			seen[m.Source] = true
			c.Rows++
		}
	}
	if !r.CountsOnly && len(r.Hits) < MaxReportHits {
		r.Hits = append(r.Hits, ReportHit{o.Row.Line, o.Row.ID, o.Row.Name, BatchMatches(o)})
	} else {
		r.HitsLeftOut++
	}
	return nil
}

// Flush does nothing.
func (r *Report) Flush() error { return nil }

// Close does nothing.
func (r *Report) Close() error { return nil }

// ReportMeta is what the report says about the run beyond its outcomes.
type ReportMeta struct {
	Input       string
	InputSize   int64
	InputSHA256 string
	Encoding    string
	Output      string
	ErrorsFile  string
	Started     time.Time
	Finished    time.Time
	// Resumed says how many rows an earlier, interrupted run had screened.
	Resumed int
	Version string
	// Settings are the options of the run, in display order.
	Settings [][2]string
	// Lists are the lists screened against, with their ages (the report says which are out of date).
	Lists []tradescreen.ListStatus
}

type reportListRow struct {
	tradescreen.ListStatus
	Name                   string
	Rows, Matches, Allowed int
}

// RenderReport writes the report as one self-contained HTML page (no external assets) a compliance officer
// can file.
func RenderReport(w io.Writer, r *Report, meta ReportMeta) error {
	var lists []reportListRow
	listed := map[string]bool{}
	for _, l := range meta.Lists {
		row := reportListRow{ListStatus: l}
		if si, ok := tradescreen.LookupSource(l.Source); ok {
			row.Name = si.Name
		}
		if c := r.Lists[l.Source]; c != nil {
			row.Rows, row.Matches, row.Allowed = c.Rows, c.Matches, c.Allowed
		}
		listed[l.Source] = true
		lists = append(lists, row)
	}
	var extra []string
	for code := range r.Lists {
		if !listed[code] {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	for _, code := range extra {
		c := r.Lists[code]
		lists = append(lists, reportListRow{ListStatus: tradescreen.ListStatus{ListVersion: tradescreen.ListVersion{Source: code}}, Rows: c.Rows, Matches: c.Matches, Allowed: c.Allowed})
	}
	var stale []string
	for _, l := range meta.Lists {
		if l.Stale {
			stale = append(stale, l.Source)
		}
	}
	data := struct {
		R     *Report
		M     ReportMeta
		Lists []reportListRow
		AsOf  string
		Stale []string
	}{r, meta, lists, screen.AsOf(tradescreen.Versions(meta.Lists)), stale}
	return reportTemplate.Execute(w, data)
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"score": func(f float64) string { return fmt.Sprintf("%.3f", f) },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"join":  strings.Join,
	"bytes": func(n int64) string { return fmt.Sprintf("%d bytes", n) },
	"dur":   func(a, b time.Time) string { return b.Sub(a).Round(time.Millisecond).String() },
	"minus": func(a, b int) int { return a - b },
}).Parse(reportHTML))

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Screening report: {{.M.Input}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1b1b1b}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#666}.hit{background:#fff4e5}
.score{font-weight:600}tr.allowed td{background:#f4f8f4}.badge{display:inline-block;font-size:.8em;font-weight:600;padding:0 .4em;border:1px solid #6a8f6a;border-radius:3px;color:#2f5d2f}.tok{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}code{font-size:.9em;word-break:break-all}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dl.kv dt{font-weight:600}dl.kv dd{margin:0}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
</style>
</head>
<body>
<h1>Restricted-party screening report</h1>
<p class="muted">{{.M.Input}} screened {{when .M.Finished}} by tradescreen {{.M.Version}}</p>

<h2>Summary</h2>
<table id="summary">
<tr><th>Rows screened</th><td class="n" id="rows">{{.R.Stats.Rows}}</td></tr>
<tr><th>Names screened</th><td class="n">{{.R.Stats.Names}}</td></tr>
<tr><th>Rows with hits</th><td class="n" id="with-matches">{{.R.Stats.WithMatches}}</td></tr>
<tr><th>Matches</th><td class="n" id="matches">{{.R.Stats.Matches}}</td></tr>
<tr><th>Matches allowed (reviewed look-alikes on the allow list; included above)</th><td class="n" id="allowed">{{.R.Stats.Allowed}}</td></tr>
<tr><th>Matches to review (not covered by the allow list)</th><td class="n" id="unreviewed">{{minus .R.Stats.Matches .R.Stats.Allowed}}</td></tr>
<tr><th>Rows with hits to review (at least one match the allow list does not cover)</th><td class="n" id="with-unreviewed">{{minus .R.Stats.WithMatches .R.Stats.OnlyAllowed}}</td></tr>
<tr><th>Rows not screened (errors)</th><td class="n" id="errors">{{.R.Stats.Errors}}</td></tr>
</table>

<h2>Input and output</h2>
<dl class="kv">
<dt>Input file</dt><dd>{{.M.Input}} ({{bytes .M.InputSize}}{{if .M.Encoding}}, {{.M.Encoding}}{{end}})</dd>
<dt>Input SHA-256</dt><dd><code id="sha256">{{.M.InputSHA256}}</code></dd>
<dt>Output</dt><dd>{{.M.Output}}</dd>
{{if .M.ErrorsFile}}<dt>Errors file</dt><dd>{{.M.ErrorsFile}}</dd>{{end}}
<dt>Started</dt><dd>{{when .M.Started}}</dd>
<dt>Finished</dt><dd>{{when .M.Finished}} ({{dur .M.Started .M.Finished}})</dd>
{{if .M.Resumed}}<dt>Resumed</dt><dd>after an interruption, at row {{.M.Resumed}}: no row was lost or screened twice</dd>{{end}}
</dl>

<h2>Settings</h2>
<dl class="kv" id="settings">
{{range .M.Settings}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>
{{end}}</dl>

<h2>Lists screened against</h2>
<p>{{.AsOf}}</p>
<table id="lists">
<tr><th>Code</th><th>List</th><th>Published</th><th class="n">Entries</th><th class="n">Rows with hits</th><th class="n">Matches</th><th class="n">Allowed</th><th>Source file</th></tr>
{{range .Lists}}<tr{{if .Rows}} class="hit"{{end}}><td>{{.Source}}</td><td>{{.Name}}</td><td>{{.Published}}{{if .PublishedNote}} <span class="muted">({{.PublishedNote}})</span>{{end}}{{if ge .AgeDays 0}}<br>{{.AgeDays}} days old{{end}}{{if .Stale}}: <strong>out of date</strong>{{end}}</td><td class="n">{{.Entries}}</td><td class="n">{{.Rows}}</td><td class="n">{{.Matches}}</td><td class="n">{{.Allowed}}</td><td>{{.Origin}}{{if .SHA256}}<br><code class="muted">sha256 {{.SHA256}}</code>{{end}}</td></tr>
{{end}}</table>
{{if .Stale}}<p id="stale" class="hit"><strong>{{join .Stale ", "}} {{if eq (len .Stale) 1}}is{{else}}are{{end}} older than {{if eq (len .Stale) 1}}its{{else}}their{{end}} maximum age</strong>: parties listed since then are not found, so a row without hits is not a clear result against {{if eq (len .Stale) 1}}it{{else}}them{{end}}.</p>{{end}}

<h2>Hits</h2>
{{if not .R.Hits}}<p id="no-hits">No row matched a list entry at or above the threshold.</p>{{end}}
{{range .R.Hits}}<table class="hits">
<tr class="hit"><th colspan="5">Line {{.Line}}{{if .ID}} · id {{.ID}}{{end}} · {{.Name}}</th></tr>
<tr><th>Score</th><th>List entry</th><th>Matched name</th><th>Why</th><th>What follows</th></tr>
{{range .Matches}}<tr{{if .Allowed}} class="allowed"{{end}}>
<td class="score">{{score .Score}}{{with .Allowed}}<br><span class="badge" title="allow-list row {{.Row}}">allowed</span><br><span class="muted">reviewed look-alike: {{.Reason}}; reviewed by {{.Reviewer}} on {{.Date}}; allow-list row {{.Row}}</span>{{end}}</td>
<td>{{.Name}}<br><span class="muted">{{.Source}} {{.SourceID}}{{if .Entry.ListName}} · {{.Entry.ListName}}{{end}}</span></td>
<td>{{.MatchedName}}{{if .Column}}<br><span class="muted">from column {{.Column}}: {{.Query}}</span>{{end}}</td>
<td>{{.Explanation.Summary}}{{if .Explanation.Tokens}}<br><span class="tok">{{range .Explanation.Tokens}}{{.Query}}→{{.Name}} ({{.How}}) {{end}}</span>{{end}}{{if .Explanation.Adjustments}}<br><span class="muted">{{join .Explanation.Adjustments "; "}}</span>{{end}}</td>
<td>{{if .Entry.LicenseRequirement}}Licence: {{.Entry.LicenseRequirement}}<br>{{end}}{{if .Entry.LicensePolicy}}Policy: {{.Entry.LicensePolicy}}<br>{{end}}{{if .Entry.FederalRegister}}FR: {{join .Entry.FederalRegister "; "}}<br>{{end}}{{if .Entry.Programs}}Programs: {{join .Entry.Programs ", "}}{{end}}</td>
</tr>
{{end}}</table>
{{end}}
{{if .R.HitsLeftOut}}<p class="muted">{{.R.HitsLeftOut}} more rows with hits are not shown here; every hit is in the output file.</p>{{end}}

<h2>Rows not screened</h2>
{{if not .R.Errors}}<p>None.</p>{{else}}<table id="error-rows">
<tr><th>Line</th><th>Id</th><th>Error</th></tr>
{{range .R.Errors}}<tr><td class="n">{{.Line}}</td><td>{{.ID}}</td><td>{{.Error}}</td></tr>
{{end}}</table>{{end}}
{{if .R.ErrorsLeftOut}}<p class="muted">{{.R.ErrorsLeftOut}} more errors are in the errors file.</p>{{end}}

<p class="muted">Scores are in [0, 1]; only matches at or above the threshold are listed. A hit is a possible match to review, not a finding. A match marked "allowed" pairs the screened name with an entry that a reviewer found not to be that party (the allow list); it is listed all the same.</p>
</body>
</html>
`
