package http

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the embedded OpenAPI 3.1 document that describes every route.
func OpenAPI() []byte { return openAPI }

// ScreenResult is the answer to one screening (GET /v1/search, POST /v1/screen with one party): the
// screening service's answer, as every door shows it (tradescreen.Screening).
type ScreenResult = tradescreen.Screening

// OwnershipFinding is one 50 % rule evaluated for a party the screened name found in the ownership data.
type OwnershipFinding = tradescreen.OwnershipFinding

// BatchResult is the answer to POST /v1/screen with parties: one result per party, in request order.
type BatchResult struct {
	Threshold float64                  `json:"threshold"`
	Results   []PartyResult            `json:"results"`
	Lists     []tradescreen.ListStatus `json:"lists"`
	AsOf      string                   `json:"as_of"`
	// PointInTime and Warnings are as in a one-party answer (those of the first party: every party is
	// screened on the same lists).
	PointInTime *tradescreen.PointInTime `json:"point_in_time,omitempty"`
	Warnings    []string                 `json:"warnings,omitempty"`
	NotChecked  []string                 `json:"not_checked,omitempty"`
}

// PartyResult is the answer for one party of a batch.
type PartyResult struct {
	// ID is the caller's id for the party, echoed.
	ID      string                  `json:"id,omitempty"`
	Query   tradescreen.Query       `json:"query"`
	Matches []tradescreen.MatchView `json:"matches"`
	// Ownership and OwnershipDate are as in a one-party answer.
	Ownership     []tradescreen.OwnershipFinding `json:"ownership"`
	OwnershipDate string                         `json:"ownership_date,omitempty"`
}

// Party is one party to screen, as POST /v1/screen takes it.
type Party struct {
	// ID is the caller's reference, echoed in the result.
	ID          string                   `json:"id,omitempty"`
	Name        string                   `json:"name"`
	Type        string                   `json:"type,omitempty"`
	Country     string                   `json:"country,omitempty"`
	DateOfBirth string                   `json:"date_of_birth,omitempty"`
	Identifiers []tradescreen.Identifier `json:"identifiers,omitempty"`
	// Address is accepted for the caller's record; matching does not use it yet (pass Country).
	Address string `json:"address,omitempty"`
}

// ScreenRequest is the body of POST /v1/screen: one party (its fields at the top level) or up to MaxParties
// parties, with the options that apply to all of them.
type ScreenRequest struct {
	Party
	Parties   []Party  `json:"parties,omitempty"`
	Sources   []string `json:"sources,omitempty"`
	Threshold float64  `json:"threshold,omitempty"`
	Limit     int      `json:"limit,omitempty"`
	// AsOf (YYYY-MM-DD) asks for the answer as of that date: the lists in force then and the ownership
	// rules of that date; default now.
	AsOf string `json:"as_of,omitempty"`
}

// searchParams are the query parameters GET /v1/search accepts.
var searchParams = []string{"q", "type", "country", "date_of_birth", "source", "threshold", "limit", "as_of"}

// queryFromParams builds a query from URL parameters. Errors are EINVALID naming the parameter.
func queryFromParams(v url.Values) (tradescreen.Query, error) {
	var q tradescreen.Query
	for k, vals := range v {
		known := false
		for _, p := range searchParams {
			if k == p {
				known = true
			}
		}
		if !known {
			return q, errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: %s", k, strings.Join(searchParams, ", "))
		}
		if k != "source" && len(vals) > 1 {
			return q, errorf(tradescreen.EINVALID, "%s: given %d times; give it once", k, len(vals))
		}
	}
	if !v.Has("q") || strings.TrimSpace(v.Get("q")) == "" {
		return q, errorf(tradescreen.EINVALID, "q: required: the name to screen")
	}
	q.Name = v.Get("q")
	q.Kind = tradescreen.Kind(v.Get("type"))
	q.Country = v.Get("country")
	q.BirthDate = v.Get("date_of_birth")
	var srcs []string
	for _, s := range v["source"] {
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c != "" {
				srcs = append(srcs, c)
			}
		}
	}
	var err error
	if q.Sources, err = distinctSources("source", srcs); err != nil {
		return q, err
	}
	if s := v.Get("threshold"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 || f > 1 {
			return q, errorf(tradescreen.EINVALID, "threshold: %q is not a number in (0, 1]", s)
		}
		q.Threshold = f
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return q, errorf(tradescreen.EINVALID, "limit: %q is not a whole number in 1..1000", s)
		}
		q.Limit = n
	}
	if err := screen.Validate(&q); err != nil {
		return q, err
	}
	return q, nil
}

func (s *Server) handleSearch(w nethttp.ResponseWriter, r *nethttp.Request) error {
	q, err := queryFromParams(r.URL.Query())
	if err != nil {
		return err
	}
	ri := info(r)
	ri.names = append(ri.names, q.Name)
	scr, err := s.Service.Screen(r.Context(), actor(r), "api", tradescreen.ScreenRequest{Query: q, AsOf: r.URL.Query().Get("as_of")})
	if err != nil {
		return err
	}
	ri.matches += len(scr.Matches)
	writeJSON(w, nethttp.StatusOK, scr)
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decodeScreenRequest reads and checks a POST /v1/screen body. Errors: EMEDIATYPE for a body that is not
// JSON, ETOOLARGE past the size limits or MaxParties, EINVALID for malformed JSON, EUNPROCESSABLE for JSON
// of the wrong shape.
func decodeScreenRequest(w nethttp.ResponseWriter, r *nethttp.Request) (*ScreenRequest, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return nil, errorf(EMEDIATYPE, "Content-Type: %q is not supported; send application/json", ct)
	}
	cr := &countingReader{r: nethttp.MaxBytesReader(w, r.Body, MaxBatchBodyBytes)}
	var req ScreenRequest
	if err := decodeBody(cr, &req); err != nil {
		return nil, err
	}
	if len(req.Parties) == 0 && cr.n > MaxBodyBytes {
		return nil, errorf(tradescreen.ETOOLARGE, "body: larger than %d bytes for one party (batches of parties may send up to %d)", MaxBodyBytes, MaxBatchBodyBytes)
	}
	if len(req.Parties) > MaxParties {
		return nil, errorf(tradescreen.ETOOLARGE, "parties: %d parties; at most %d per request", len(req.Parties), MaxParties)
	}
	if req.Parties != nil && !isZeroParty(req.Party) {
		return nil, errorf(tradescreen.EUNPROCESSABLE, "body: give either one party (name, type, ...) or parties, not both")
	}
	if req.Parties != nil && len(req.Parties) == 0 {
		return nil, errorf(tradescreen.EUNPROCESSABLE, "parties: empty; give 1 to %d parties", MaxParties)
	}
	if req.Sources, err = distinctSources("sources", req.Sources); err != nil {
		return nil, err
	}
	return &req, nil
}

// distinctSources returns the list codes without repeats, in their first order, so that a code sent 20,000
// times is screened, answered and recorded in the audit trail once. Errors: EINVALID when more distinct
// codes are given than there are lists (some cannot be list codes).
func distinctSources(field string, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return codes, nil
	}
	seen := make(map[string]bool, len(tradescreen.Sources))
	var out []string
	for _, c := range codes {
		if seen[c] {
			continue
		}
		if len(out) == len(tradescreen.Sources) {
			return nil, errorf(tradescreen.EINVALID, "%s: more than %d different list codes; there are %d lists", field, len(tradescreen.Sources), len(tradescreen.Sources))
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}

func isZeroParty(p Party) bool {
	return p.ID == "" && p.Name == "" && p.Type == "" && p.Country == "" && p.DateOfBirth == "" &&
		len(p.Identifiers) == 0 && p.Address == ""
}

// bodyError classifies a JSON decoding error.
func bodyError(err error) error {
	var mbe *nethttp.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return errorf(tradescreen.ETOOLARGE, "body: larger than %d bytes", mbe.Limit)
	case err == io.EOF:
		return errorf(tradescreen.EINVALID, "body: empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(tradescreen.EINVALID, "body: truncated JSON")
	case errors.As(err, &se):
		return errorf(tradescreen.EINVALID, "body: malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return errorf(tradescreen.EUNPROCESSABLE, "%s: want %s, got JSON %s", field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errorf(tradescreen.EUNPROCESSABLE, "%s: unknown field", strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	}
	return errorf(tradescreen.EINVALID, "body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// query turns a party and the request's options into a validated query. Errors are EUNPROCESSABLE naming
// the field with prefix ("parties[3].name: required").
func (req *ScreenRequest) query(p Party, prefix string) (tradescreen.Query, error) {
	q := tradescreen.Query{
		Name: p.Name, Kind: tradescreen.Kind(p.Type), Country: p.Country, BirthDate: p.DateOfBirth,
		Identifiers: p.Identifiers, Sources: req.Sources, Threshold: req.Threshold, Limit: req.Limit,
	}
	if req.Threshold < 0 || req.Threshold > 1 {
		return q, errorf(tradescreen.EUNPROCESSABLE, "threshold: %v is outside (0, 1]", req.Threshold)
	}
	if req.Limit < 0 || req.Limit > 1000 {
		return q, errorf(tradescreen.EUNPROCESSABLE, "limit: %d is outside 1..1000", req.Limit)
	}
	if err := screen.Validate(&q); err != nil {
		msg := tradescreen.ErrorMessage(err)
		switch {
		case strings.HasPrefix(msg, "source:"), strings.HasPrefix(msg, "threshold:"), strings.HasPrefix(msg, "limit:"):
			// Request-level options: no party prefix.
		default:
			msg = prefix + msg
		}
		return q, errorf(tradescreen.EUNPROCESSABLE, "%s", msg)
	}
	for i, id := range p.Identifiers {
		if strings.TrimSpace(id.Number) == "" {
			return q, errorf(tradescreen.EUNPROCESSABLE, "%sidentifiers[%d].number: required", prefix, i)
		}
	}
	return q, nil
}

func (s *Server) handleScreen(w nethttp.ResponseWriter, r *nethttp.Request) error {
	req, err := decodeScreenRequest(w, r)
	if err != nil {
		return err
	}
	reqs, err := req.requests()
	if err != nil {
		return err
	}
	ri := info(r)
	for _, q := range reqs {
		ri.names = append(ri.names, q.Name)
	}
	scrs, err := s.Service.ScreenMany(r.Context(), actor(r), "api", reqs)
	if err != nil {
		return err
	}
	for _, scr := range scrs {
		ri.matches += len(scr.Matches)
	}
	if req.Parties == nil {
		writeJSON(w, nethttp.StatusOK, scrs[0])
		return nil
	}
	out := BatchResult{Results: make([]PartyResult, len(scrs)), Threshold: scrs[0].Threshold, Lists: scrs[0].Lists,
		AsOf: scrs[0].AsOf, PointInTime: scrs[0].PointInTime, Warnings: scrs[0].Warnings, NotChecked: scrs[0].NotChecked}
	for i, scr := range scrs {
		out.Results[i] = PartyResult{ID: req.Parties[i].ID, Query: scr.Query, Matches: scr.Matches,
			Ownership: scr.Ownership, OwnershipDate: scr.OwnershipDate}
	}
	writeJSON(w, nethttp.StatusOK, out)
	return nil
}

// requests returns the screening requests of a POST /v1/screen body, each validated: errors are
// EUNPROCESSABLE naming the field, with the party's index for a batch ("parties[3].name: required").
func (req *ScreenRequest) requests() ([]tradescreen.ScreenRequest, error) {
	if req.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, req.AsOf); err != nil {
			return nil, errorf(tradescreen.EUNPROCESSABLE, "as_of: %q is not a date YYYY-MM-DD", req.AsOf)
		}
	}
	if req.Parties == nil {
		q, err := req.query(req.Party, "")
		return []tradescreen.ScreenRequest{{Query: q, AsOf: req.AsOf}}, err
	}
	out := make([]tradescreen.ScreenRequest, len(req.Parties))
	for i, p := range req.Parties {
		q, err := req.query(p, fmt.Sprintf("parties[%d].", i))
		if err != nil {
			return nil, err
		}
		out[i] = tradescreen.ScreenRequest{Query: q, AsOf: req.AsOf}
	}
	return out, nil
}

// EntryResult is the answer to GET /v1/entries/{source}/{source_id}: the whole entry and its list's version.
type EntryResult struct {
	Entry *tradescreen.Entry       `json:"entry"`
	List  *tradescreen.ListVersion `json:"list"`
	AsOf  string                   `json:"as_of"`
}

func (s *Server) handleEntry(w nethttp.ResponseWriter, r *nethttp.Request) error {
	e, lv, err := s.entry(r.PathValue("source"), r.PathValue("source_id"))
	if err != nil {
		return err
	}
	sc, _ := s.screener()
	writeJSON(w, nethttp.StatusOK, EntryResult{Entry: e, List: lv, AsOf: screen.AsOf(sc.Lists())})
	return nil
}

// entry returns an entry and its list's version. Errors are ENOTFOUND, and EUNAVAILABLE while the lists load.
func (s *Server) entry(source, id string) (*tradescreen.Entry, *tradescreen.ListVersion, error) {
	sc, err := s.screener()
	if err != nil {
		return nil, nil, err
	}
	if _, ok := tradescreen.LookupSource(source); !ok {
		return nil, nil, errorf(tradescreen.ENOTFOUND, "source: unknown list code %q", source)
	}
	e, err := sc.Entry(source, id)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range sc.Lists() {
		if l.Source == source {
			return e, &l, nil
		}
	}
	return e, nil, nil
}

// ListInfo is one loaded list as GET /v1/lists shows it: its version, its age and whether it is stale.
type ListInfo struct {
	tradescreen.ListStatus
	Name      string `json:"name"`
	Publisher string `json:"publisher"`
	// AgeSeconds is now minus the publication date; absent when the date is unknown.
	AgeSeconds *int64 `json:"age_seconds,omitempty"`
}

// ListsResult is the answer to GET /v1/lists.
type ListsResult struct {
	Lists    []ListInfo `json:"lists"`
	Entries  int        `json:"entries"`
	LoadedAt time.Time  `json:"loaded_at"`
	AsOf     string     `json:"as_of"`
	// Stale names the lists older than their maximum age; Warnings says it in words.
	Stale    []string `json:"stale"`
	Warnings []string `json:"warnings,omitempty"`
}

// listInfos describes the loaded lists with their ages. Errors: EUNAVAILABLE while they load.
func (s *Server) listInfos() (ListsResult, error) {
	if !s.Service.Ready() {
		return ListsResult{}, errorf(tradescreen.EUNAVAILABLE, "the lists are still loading; retry in a moment")
	}
	now := s.now()
	ls := s.Service.Lists()
	out := ListsResult{Lists: []ListInfo{}, Stale: []string{}, LoadedAt: s.Service.Loaded().UTC(),
		AsOf: screen.AsOf(tradescreen.Versions(ls)), Warnings: screening.StaleWarning(ls)}
	for _, l := range ls {
		li := ListInfo{ListStatus: l}
		if si, ok := tradescreen.LookupSource(l.Source); ok {
			li.Name, li.Publisher = si.Name, si.Publisher
		}
		if p, ok := published(l.Published); ok {
			age := int64(now.Sub(p) / time.Second)
			li.AgeSeconds = &age
		}
		if l.Stale {
			out.Stale = append(out.Stale, l.Source)
		}
		out.Lists = append(out.Lists, li)
		out.Entries += l.Entries
	}
	return out, nil
}

func (s *Server) handleLists(w nethttp.ResponseWriter, r *nethttp.Request) error {
	res, err := s.listInfos()
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

// Health is the answer to /healthz and /readyz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
	Entries int    `json:"entries,omitempty"`
	Lists   int    `json:"lists,omitempty"`
}

func (s *Server) handleHealthz(w nethttp.ResponseWriter, r *nethttp.Request) error {
	writeJSON(w, nethttp.StatusOK, Health{Status: "ok", Version: s.Version})
	return nil
}

// handleReadyz answers 200 when the server answers screenings: the database passed its last integrity
// check (Open starts the checks), lists loaded and, with a maximum list age to refuse answers past
// (--max-list-age), none older; 503 with the reason otherwise.
func (s *Server) handleReadyz(w nethttp.ResponseWriter, r *nethttp.Request) error {
	if err := s.integrityErr(); err != nil {
		return err
	}
	sc, err := s.screener()
	if err != nil {
		return err
	}
	if err := s.Service.Fresh(nil); err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, Health{Status: "ready", Version: s.Version, Entries: len(sc.Entries()), Lists: len(sc.Lists())})
	return nil
}

func (s *Server) handleOpenAPI(w nethttp.ResponseWriter, r *nethttp.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}
