package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/tradescreen/tradescreen/batch"
	"github.com/tradescreen/tradescreen/monitor"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// Limits of the parties API.
const (
	// MaxPartiesBodyBytes bounds a parties upload (POST /v1/parties, the UI import form).
	MaxPartiesBodyBytes = 32 << 20
	// MaxScreenOnImport is the most imported parties screened at once by an import; a larger import is
	// screened by the next monitoring run (`tradescreen monitor run`, or serve's own).
	MaxScreenOnImport = 1000
	// DefaultPageSize and MaxPageSize bound the lists of parties, alerts and audit records.
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// ENOSTORE is the code of a request for the stored side (parties, alerts, audit, users) on a server without
// a database; it answers 503 and says how to configure one.
const ENOSTORE = "no_store"

// store returns the server's database or an ENOSTORE error saying how to configure one.
func (s *Server) store() (tradescreen.Store, error) {
	if s.Store == nil {
		return nil, errorf(ENOSTORE, "this server has no database, so parties, alerts, the audit trail and users are off: "+
			"start 'tradescreen serve' with --db PATH or --db postgres://... (or TRADESCREEN_DB, or db in the config file), "+
			"or with a data directory (--data-dir, TRADESCREEN_DATA_DIR), which holds tradescreen.db by default")
	}
	return s.Store, nil
}

// checkParams refuses parameters other than known, and known ones given twice (except repeatable ones).
// Errors: EINVALID naming the parameter.
func checkParams(v url.Values, known []string, repeatable ...string) error {
	for k, vals := range v {
		if !contains(known, k) {
			return errorf(tradescreen.EINVALID, "%s: unknown parameter; known parameters: %s", k, strings.Join(known, ", "))
		}
		if len(vals) > 1 && !contains(repeatable, k) {
			return errorf(tradescreen.EINVALID, "%s: given %d times; give it once", k, len(vals))
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// paging reads offset and limit (default DefaultPageSize, at most MaxPageSize). Errors: EINVALID.
func paging(v url.Values) (offset, limit int, err error) {
	limit = DefaultPageSize
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			return 0, 0, errorf(tradescreen.EINVALID, "limit: %q is not a whole number in 1..%d", s, MaxPageSize)
		}
		limit = n
	}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, 0, errorf(tradescreen.EINVALID, "offset: %q is not a whole number, 0 or more", s)
		}
		offset = n
	}
	return offset, limit, nil
}

// boolParam reads a true/false parameter. Errors: EINVALID.
func boolParam(v url.Values, name string, def bool) (bool, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, errorf(tradescreen.EINVALID, "%s: %q is not true or false", name, s)
	}
	return b, nil
}

// PartiesResult is the answer to GET /v1/parties: one page of parties, by id, and the total selected.
type PartiesResult struct {
	Total   int                  `json:"total"`
	Offset  int                  `json:"offset"`
	Limit   int                  `json:"limit"`
	Parties []*tradescreen.Party `json:"parties"`
}

// partyFilter reads the parameters of GET /v1/parties (and the parties page). Errors: EINVALID.
func partyFilter(v url.Values) (tradescreen.PartyFilter, error) {
	var f tradescreen.PartyFilter
	if err := checkParams(v, []string{"deleted", "stale", "offset", "limit"}); err != nil {
		return f, err
	}
	var err error
	if f.Deleted, err = boolParam(v, "deleted", false); err != nil {
		return f, err
	}
	if f.Stale, err = boolParam(v, "stale", false); err != nil {
		return f, err
	}
	f.Offset, f.Limit, err = paging(v)
	return f, err
}

func (s *Server) handleParties(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	f, err := partyFilter(r.URL.Query())
	if err != nil {
		return err
	}
	ps, n, err := st.Parties().FindParties(r.Context(), f)
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []*tradescreen.Party{}
	}
	writeJSON(w, nethttp.StatusOK, PartiesResult{Total: n, Offset: f.Offset, Limit: f.Limit, Parties: ps})
	return nil
}

// PartyDetail is one party with its alerts, newest first: GET /v1/parties/{id}, PATCH's answer.
type PartyDetail struct {
	*tradescreen.Party
	Alerts []*tradescreen.Alert `json:"alerts"`
}

func (s *Server) partyDetail(ctx context.Context, st tradescreen.Store, id string) (*PartyDetail, error) {
	p, err := st.Parties().FindPartyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	as, _, err := st.Alerts().FindAlerts(ctx, tradescreen.AlertFilter{PartyID: p.ID})
	if err != nil {
		return nil, err
	}
	if as == nil {
		as = []*tradescreen.Alert{}
	}
	return &PartyDetail{Party: p, Alerts: as}, nil
}

func (s *Server) handleParty(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	d, err := s.partyDetail(r.Context(), st, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, d)
	return nil
}

// ImportResult is the answer to POST /v1/parties: what the import did and, when the lists are loaded, what
// screening the new and changed parties at once found.
type ImportResult struct {
	tradescreen.ImportStats
	// Screened is how many of the new and changed parties were screened at once; Unscreened how many were
	// left to the next monitoring run (more than MaxScreenOnImport, lists still loading, or screen=false).
	Screened   int `json:"screened"`
	Unscreened int `json:"unscreened"`
	// AlertsCreated and AlertsReopened count the alerts that screening raised.
	AlertsCreated  int    `json:"alerts_created"`
	AlertsReopened int    `json:"alerts_reopened"`
	Note           string `json:"note,omitempty"`
}

// partyFormats maps the media types a parties upload may have to the reader's format.
var partyFormats = map[string]string{
	"application/json": "json", mediaCSV: "csv", "application/csv": "csv",
	mediaJSONL: "jsonl", "application/jsonl": "jsonl", "application/x-jsonlines": "jsonl", "application/jsonlines": "jsonl",
	mediaXLSX: "xlsx",
}

// readPartiesBody reads parties from a request body of the given format (json: one object or an array of
// objects, with the same members as a JSON Lines row). name names the upload in errors. Errors: ETOOLARGE,
// EINVALID (*tradescreen.ParseError naming the line, or for JSON the item, and the field).
func readPartiesBody(body io.Reader, format, name string) ([]tradescreen.Party, string, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		var mbe *nethttp.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", errorf(tradescreen.ETOOLARGE, "body: larger than %d bytes; split the file", mbe.Limit)
		}
		return nil, "", errorf(tradescreen.EINVALID, "body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, "", errorf(tradescreen.EINVALID, "body: empty; send the parties")
	}
	sum := sha256.Sum256(b)
	if format == "json" {
		// An object or an array of objects: each becomes one JSON Lines row, so that the columns map as
		// they do in a file (the "line" of an error is the item's position, from 1).
		t := bytes.TrimSpace(b)
		var items []json.RawMessage
		if t[0] == '[' {
			if err := json.Unmarshal(t, &items); err != nil {
				return nil, "", errorf(tradescreen.EINVALID, "body: not a JSON array of party objects: %v", strings.TrimPrefix(err.Error(), "json: "))
			}
		} else {
			items = []json.RawMessage{t}
		}
		var lines bytes.Buffer
		for i, it := range items {
			var c bytes.Buffer
			if err := json.Compact(&c, it); err != nil {
				return nil, "", errorf(tradescreen.EINVALID, "body: item %d: malformed JSON", i+1)
			}
			lines.Write(c.Bytes())
			lines.WriteByte('\n')
		}
		b, format = lines.Bytes(), "jsonl"
	}
	ps, err := batch.ReadParties(b, name, format)
	if err != nil {
		return nil, "", err
	}
	for i, p := range ps {
		if err := checkPartyText(p, fmt.Sprintf("%s: party %d: ", name, i+1)); err != nil {
			return nil, "", err
		}
	}
	return ps, name + " sha256 " + hex.EncodeToString(sum[:]), nil
}

// checkPartyText applies checkText to every field of an imported party, prefix naming the party. Errors:
// EINVALID.
func checkPartyText(p tradescreen.Party, prefix string) error {
	return tradescreen.CheckPartyText(&p, prefix)
}

func (s *Server) handlePartiesImport(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	if err := checkParams(v, []string{"name", "screen"}); err != nil {
		return err
	}
	doScreen, err := boolParam(v, "screen", true)
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	format, ok := partyFormats[mt]
	if !ok {
		return errorf(EMEDIATYPE, "Content-Type: %q is not supported; send application/json (a party object or an array), %s, %s or %s", ct, mediaCSV, mediaJSONL, mediaXLSX)
	}
	name := v.Get("name")
	if name == "" {
		name = "upload." + format
	}
	_ = nethttp.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
	ps, src, err := readPartiesBody(nethttp.MaxBytesReader(w, r.Body, MaxPartiesBodyBytes), format, name)
	if err != nil {
		return err
	}
	res, err := s.importParties(r.Context(), st, actor(r), src, ps, doScreen)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

// importParties stores parties and screens the new and changed ones at once (up to MaxScreenOnImport) when
// screen is set and the lists are loaded.
func (s *Server) importParties(ctx context.Context, st tradescreen.Store, a tradescreen.Actor, src string, ps []tradescreen.Party, doScreen bool) (*ImportResult, error) {
	stats, err := st.Parties().ImportParties(ctx, a, src, ps)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{ImportStats: stats}
	var stale []*tradescreen.Party
	for _, p := range ps {
		sp, err := st.Parties().FindPartyByID(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		if sp.DeletedAt == nil && sp.ScreenedHash != sp.Hash {
			stale = append(stale, sp)
		}
	}
	switch {
	case len(stale) == 0:
	case !doScreen:
		res.Unscreened, res.Note = len(stale), "not screened (screen=false): the next monitoring run screens them"
	case !s.Ready():
		res.Unscreened, res.Note = len(stale), "not screened: the lists are still loading; the next monitoring run screens them"
	case len(stale) > MaxScreenOnImport:
		res.Unscreened = len(stale)
		res.Note = fmt.Sprintf("not screened at once (more than %d new or changed parties): the next monitoring run screens them", MaxScreenOnImport)
	default:
		for _, p := range stale {
			scr, err := s.screenParty(ctx, st, a, p, "api")
			if err != nil {
				return nil, err
			}
			res.Screened++
			for _, c := range scr.Alerts {
				switch c.Action {
				case "created":
					res.AlertsCreated++
				case "reopened":
					res.AlertsReopened++
				}
			}
		}
	}
	return res, nil
}

// PartyScreening is the answer to POST /v1/parties/{id}/screen (monitor.PartyScreening): the party's matches
// against the loaded lists, with ownership data the listed parties that own it 50 % or more under a rule in
// force today, and what they did to its alerts.
type PartyScreening = monitor.PartyScreening

// screenParty screens one stored party as monitoring does (monitor.Monitor.ScreenParty over the service's
// lists, allow list and ownership data): its matches raise or reopen alerts, the party is marked screened and
// the screening is audited.
func (s *Server) screenParty(ctx context.Context, st tradescreen.Store, a tradescreen.Actor, p *tradescreen.Party, channel string) (*PartyScreening, error) {
	m, sc, err := s.Service.Monitor(st, a)
	if err != nil {
		// Lists loading, or an allow list that cannot be read: no screening until it is fixed.
		return nil, err
	}
	return m.ScreenParty(ctx, sc, p, channel)
}

func (s *Server) handlePartyScreen(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if _, err := s.screener(); err != nil {
		return err
	}
	p, err := st.Parties().FindPartyByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	info(r).names = append(info(r).names, p.Name)
	res, err := s.screenParty(r.Context(), st, actor(r), p, "api")
	if err != nil {
		return err
	}
	info(r).matches += len(res.Matches)
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

// PartyPatch is the body of PATCH /v1/parties/{id}: the fields to change (absent: unchanged) and why.
type PartyPatch struct {
	Name        *string `json:"name,omitempty"`
	Type        *string `json:"type,omitempty"`
	Country     *string `json:"country,omitempty"`
	DateOfBirth *string `json:"date_of_birth,omitempty"`
	Reason      string  `json:"reason"`
}

// update checks the patch and returns the store's update. Errors: EINVALID naming the field.
func (pp *PartyPatch) update() (tradescreen.PartyUpdate, error) {
	u := tradescreen.PartyUpdate{Name: pp.Name, BirthDate: pp.DateOfBirth, Reason: pp.Reason}
	if strings.TrimSpace(pp.Reason) == "" {
		return u, errorf(tradescreen.EINVALID, "reason: required: say why the party changes (it is kept in the audit trail)")
	}
	if pp.Name == nil && pp.Type == nil && pp.Country == nil && pp.DateOfBirth == nil {
		return u, errorf(tradescreen.EINVALID, "body: give at least one of name, type, country, date_of_birth")
	}
	if err := checkText("reason", pp.Reason); err != nil {
		return u, err
	}
	if pp.Name != nil && strings.TrimSpace(*pp.Name) == "" {
		return u, errorf(tradescreen.EINVALID, "name: must not be empty")
	}
	if pp.Name != nil {
		if err := checkText("name", *pp.Name); err != nil {
			return u, err
		}
	}
	if pp.Type != nil {
		k := tradescreen.ParseKind(*pp.Type)
		if k == tradescreen.KindUnknown && *pp.Type != "" && !strings.EqualFold(*pp.Type, "unknown") {
			return u, errorf(tradescreen.EINVALID, "type: %q is not person, organization, vessel or aircraft", *pp.Type)
		}
		u.Kind = &k
	}
	if pp.Country != nil {
		cc := source.CountryCode(*pp.Country)
		if cc == "" && *pp.Country != "" {
			return u, errorf(tradescreen.EINVALID, "country: %q is not an ISO 3166 country code or name", *pp.Country)
		}
		u.Country = &cc
	}
	if pp.DateOfBirth != nil && *pp.DateOfBirth != "" {
		q := tradescreen.Query{Name: "x", BirthDate: *pp.DateOfBirth}
		if err := screen.Validate(&q); err != nil {
			return u, errorf(tradescreen.EINVALID, "date_of_birth: %q is not YYYY, YYYY-MM or YYYY-MM-DD", *pp.DateOfBirth)
		}
	}
	return u, nil
}

// decodeJSON reads a JSON object body into v (unknown fields refused) within limit. Errors: EMEDIATYPE,
// ETOOLARGE, EINVALID.
func decodeJSON(w nethttp.ResponseWriter, r *nethttp.Request, limit int64, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return errorf(EMEDIATYPE, "Content-Type: %q is not supported; send application/json", ct)
	}
	err = decodeBody(nethttp.MaxBytesReader(w, r.Body, limit), v)
	if tradescreen.ErrorCode(err) == tradescreen.EUNPROCESSABLE {
		// A field of the wrong type or an unknown field: still a bad request for these routes.
		return errorf(tradescreen.EINVALID, "%s", tradescreen.ErrorMessage(err))
	}
	return err
}

func (s *Server) handlePartyUpdate(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	var pp PartyPatch
	if err := decodeJSON(w, r, MaxBodyBytes, &pp); err != nil {
		return err
	}
	u, err := pp.update()
	if err != nil {
		return err
	}
	a := actor(r)
	p, err := st.Parties().UpdateParty(r.Context(), a, r.PathValue("id"), u)
	if err != nil {
		return err
	}
	// A change to the screened data is screened at once when the lists are loaded (else by monitoring).
	if s.Ready() && p.ScreenedHash != p.Hash {
		if _, err := s.screenParty(r.Context(), st, a, p, "api"); err != nil {
			return err
		}
	}
	d, err := s.partyDetail(r.Context(), st, p.ID)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, d)
	return nil
}

// reasonBody is the body of DELETE /v1/parties/{id} (or give ?reason=).
type reasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) handlePartyDelete(w nethttp.ResponseWriter, r *nethttp.Request) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	if err := checkParams(v, []string{"reason"}); err != nil {
		return err
	}
	reason := v.Get("reason")
	if reason == "" && r.ContentLength != 0 && r.Header.Get("Content-Type") != "" {
		var b reasonBody
		if err := decodeJSON(w, r, MaxBodyBytes, &b); err != nil {
			return err
		}
		reason = b.Reason
	}
	if strings.TrimSpace(reason) == "" {
		return errorf(tradescreen.EINVALID, "reason: required: say why the party is deleted (?reason=... or {\"reason\": \"...\"})")
	}
	if err := checkText("reason", reason); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := st.Parties().DeleteParty(r.Context(), actor(r), id, reason); err != nil {
		return err
	}
	p, err := st.Parties().FindPartyByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, p)
	return nil
}
