package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"mime"
	nethttp "net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/http/ui"
	"github.com/tradescreen/tradescreen/normalize"
)

// uiRenderer holds the parsed page templates and the static assets with their content-hashed names.
type uiRenderer struct {
	pages map[string]*template.Template
	// assets maps a hashed file name ("style.3f2a1b9c0d4e.css") to the asset; urls maps the plain name to
	// its URL.
	assets map[string]*asset
	urls   map[string]string
}

type asset struct {
	body        []byte
	contentType string
}

// newUIRenderer parses the embedded templates and hashes the static files. The files are compiled into the
// binary, so a failure is a programming error and panics at start-up.
func newUIRenderer() *uiRenderer {
	u := &uiRenderer{pages: map[string]*template.Template{}, assets: map[string]*asset{}, urls: map[string]string{}}
	static, err := fs.ReadDir(ui.FS, "static")
	if err != nil {
		panic(err)
	}
	for _, f := range static {
		b, err := fs.ReadFile(ui.FS, "static/"+f.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(f.Name())
		hashed := strings.TrimSuffix(f.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		u.assets[hashed] = &asset{body: b, contentType: ct}
		u.urls[f.Name()] = "/static/" + hashed
	}
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			if p, ok := u.urls[name]; ok {
				return p, nil
			}
			return "", fmt.Errorf("no static asset %q", name)
		},
		"highlight":  highlight,
		"frCitation": frCitation,
		"entryURL":   entryURL,
		"score":      tradescreen.FormatScore, // never rounded up across a threshold
		"join":       strings.Join,
		"address":    tradescreen.AddressLine,
		"aliasLabel": aliasLabel,
		"label":      func(s string) string { return strings.ReplaceAll(s, "_", " ") },
		"days":       func(secs *int64) int64 { return *secs / 86400 },
		"rawJSON":    prettyJSON,
		"when":       func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
		"whenp": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04:05 UTC")
		},
		"alertURL": func(id int64) string { return "/alerts/" + strconv.FormatInt(id, 10) },
		"partyURL": func(id string) string { return "/parties/" + url.PathEscape(id) },
		// staleLists names the lists of an answer older than their maximum age.
		"staleLists": func(ls []tradescreen.ListStatus) []string {
			var out []string
			for _, l := range ls {
				if l.Stale {
					out = append(out, l.Source)
				}
			}
			return out
		},
		"sourceName": func(code string) string {
			si, _ := tradescreen.LookupSource(code)
			return si.Name
		},
	}
	pages, err := fs.Glob(ui.FS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, p := range pages {
		name := path.Base(p)
		if name == "layout.html" {
			continue
		}
		u.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(ui.FS, "templates/layout.html", p))
	}
	return u
}

// pageData is what every page template receives: the common frame and the page's own data in Page.
type pageData struct {
	Title   string
	Nav     string
	Version string
	// AsOf and Lists describe the loaded lists for the footer; Stale lists the codes of out-of-date lists.
	AsOf       string
	Lists      []ListInfo
	Stale      []string
	MaxAgeDays int
	Loading    bool
	// Refresh, when above zero, reloads the page after that many seconds (a job in progress).
	Refresh int
	// Actor is who the page is shown to; HasStore says whether the server has a database (the nav then
	// offers alerts, parties and the audit trail); CSRF is the token every POST form carries
	// ({{template "csrf" $.CSRF}}).
	Actor    *tradescreen.Actor
	HasStore bool
	CSRF     string
	Page     any
}

// render executes a page template into a buffer and writes it with the status, so that a template error
// never leaves half a page.
func (s *Server) render(w nethttp.ResponseWriter, r *nethttp.Request, status int, name string, d *pageData) error {
	d.Version = s.Version
	d.Actor, d.HasStore, d.CSRF = info(r).actor, s.Store != nil, csrfToken(w, r)
	if li, err := s.listInfos(); err == nil {
		d.AsOf, d.Lists, d.Stale = li.AsOf, li.Lists, li.Stale
		if len(li.Lists) > 0 {
			d.MaxAgeDays = li.Lists[0].MaxAgeDays
		}
	} else {
		d.Loading = true
	}
	var b bytes.Buffer
	if err := s.ui.pages[name].ExecuteTemplate(&b, "layout", d); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(b.Bytes())
	return err
}

// uiError renders an error page with the status of err's code.
func (s *Server) uiError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	code, status, msg := s.errorInfo(r, err)
	type errorPage struct {
		Status  int
		Code    string
		Message string
		Text    string
		Retry   bool
	}
	p := errorPage{Status: status, Code: code, Message: msg, Text: nethttp.StatusText(status), Retry: code == tradescreen.EUNAVAILABLE}
	if rerr := s.render(w, r, status, "error.html", &pageData{Title: nethttp.StatusText(status), Page: p}); rerr != nil {
		s.logger().Error("render error page", "error", rerr.Error())
		nethttp.Error(w, "internal error", nethttp.StatusInternalServerError)
	}
}

// searchPage is the data of the search page.
type searchPage struct {
	Q, Type, Country string
	// AsOf is the date whose ownership rules apply (empty: today); HasOwnership says whether the server has
	// ownership data (the form then offers the date); OwnershipDate is the date the findings were computed for.
	AsOf          string
	HasOwnership  bool
	OwnershipDate string
	// Error is a problem with the input, shown beside the form.
	Error  string
	Result *ScreenResult
}

func (s *Server) handleUISearch(w nethttp.ResponseWriter, r *nethttp.Request) error {
	v := r.URL.Query()
	g, _ := s.Service.Ownership()
	p := searchPage{Q: v.Get("q"), Type: v.Get("type"), Country: v.Get("country"), AsOf: v.Get("as_of"), HasOwnership: g != nil}
	title := "Search"
	status := nethttp.StatusOK
	if strings.TrimSpace(p.Q) != "" {
		req := tradescreen.ScreenRequest{Query: tradescreen.Query{Name: p.Q, Kind: tradescreen.Kind(p.Type), Country: p.Country}, AsOf: p.AsOf}
		info(r).names = append(info(r).names, p.Q)
		scr, err := s.Service.Screen(r.Context(), actor(r), "ui", req)
		switch {
		case tradescreen.ErrorCode(err) == tradescreen.EINVALID:
			p.Error = tradescreen.ErrorMessage(err)
			status = nethttp.StatusBadRequest
		case err != nil:
			return err
		default:
			info(r).matches += len(scr.Matches)
			p.Result = scr
			p.OwnershipDate = scr.OwnershipDate
			title = p.Q + " — search"
		}
	}
	return s.render(w, r, status, "search.html", &pageData{Title: title, Nav: "search", Page: p})
}

// entryPage is the data of the entry page.
type entryPage struct {
	Entry *tradescreen.Entry
	List  *ListInfo
	// Source is the list's description.
	Source tradescreen.SourceInfo
}

func (s *Server) handleUIEntry(w nethttp.ResponseWriter, r *nethttp.Request) error {
	e, _, err := s.entry(r.PathValue("source"), r.PathValue("source_id"))
	if err != nil {
		return err
	}
	p := entryPage{Entry: e}
	p.Source, _ = tradescreen.LookupSource(e.Source)
	li, err := s.listInfos()
	if err != nil {
		return err
	}
	for _, l := range li.Lists {
		if l.Source == e.Source {
			p.List = &l
		}
	}
	return s.render(w, r, nethttp.StatusOK, "entry.html", &pageData{Title: e.Name, Page: p})
}

// listsPage is the data of the lists page.
type listsPage struct {
	Result     ListsResult
	MaxAgeDays int
}

func (s *Server) handleUILists(w nethttp.ResponseWriter, r *nethttp.Request) error {
	li, err := s.listInfos()
	if err != nil {
		return err
	}
	p := listsPage{Result: li}
	if len(li.Lists) > 0 {
		p.MaxAgeDays = li.Lists[0].MaxAgeDays
	}
	return s.render(w, r, nethttp.StatusOK, "lists.html", &pageData{Title: "Lists", Nav: "lists", Page: p})
}

func (s *Server) handleStatic(w nethttp.ResponseWriter, r *nethttp.Request) error {
	a, ok := s.ui.assets[r.PathValue("file")]
	if !ok {
		return errorf(tradescreen.ENOTFOUND, "no static file %s", r.PathValue("file"))
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err := w.Write(a.body)
	return err
}

// highlight returns name as HTML with the words that the explanation's aligned tokens came from marked.
func highlight(name string, ex tradescreen.Explanation) template.HTML {
	matched := map[string]bool{}
	for _, t := range ex.Tokens {
		for _, f := range strings.Fields(t.Name) {
			matched[f] = true
		}
	}
	var b strings.Builder
	for i, word := range strings.Fields(name) {
		if i > 0 {
			b.WriteByte(' ')
		}
		hit := false
		for _, f := range strings.Fields(normalize.Fold(word)) {
			if matched[f] {
				hit = true
				break
			}
		}
		if hit {
			b.WriteString("<mark>" + html.EscapeString(word) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(word))
		}
	}
	return template.HTML(b.String())
}

// frPattern finds a Federal Register citation ("84 FR 54002", "68 F.R. 38290").
var frPattern = regexp.MustCompile(`(\d{1,3})\s*F\.?\s?R\.?\s*(\d{1,6})`)

// frCitation returns a citation as HTML with each Federal Register reference linked to federalregister.gov.
func frCitation(c string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range frPattern.FindAllStringSubmatchIndex(c, -1) {
		b.WriteString(html.EscapeString(c[last:m[0]]))
		u := "https://www.federalregister.gov/citation/" + c[m[2]:m[3]] + "-FR-" + c[m[4]:m[5]]
		fmt.Fprintf(&b, `<a href="%s" rel="noreferrer">%s</a>`, html.EscapeString(u), html.EscapeString(c[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(html.EscapeString(c[last:]))
	return template.HTML(b.String())
}

// FederalRegisterURL returns the federalregister.gov address of a citation ("84 FR 54002" ->
// https://www.federalregister.gov/citation/84-FR-54002), or "" when c holds none.
func FederalRegisterURL(c string) string {
	m := frPattern.FindStringSubmatch(c)
	if m == nil {
		return ""
	}
	return "https://www.federalregister.gov/citation/" + m[1] + "-FR-" + m[2]
}

// entryURL is the UI address of an entry.
func entryURL(source, id string) string {
	return "/entries/" + url.PathEscape(source) + "/" + url.PathEscape(id)
}

func aliasLabel(t tradescreen.NameType) string {
	switch t {
	case tradescreen.NameAKA:
		return "a.k.a."
	case tradescreen.NameWeakAKA:
		return "weak a.k.a."
	case tradescreen.NameFKA:
		return "formerly known as"
	case tradescreen.NameNKA:
		return "now known as"
	case tradescreen.NamePrimary:
		return "primary name"
	}
	return string(t)
}

// prettyJSON indents a raw official record for display.
func prettyJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}
