package http

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	nethttp "net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/source"
)

// The organisation's own lists over HTTP (package ownlist): GET /v1/own-lists, GET and POST
// /v1/own-lists/{list}, and the UI page /own-lists. An upload replaces a list with a new version in the data
// directory (history.Store.ImportOwn), records it in the audit trail when the server has a store, and
// swaps in a screener with the new internal restricted list. The screening service reads the allow list
// from the same data directory (history.AllowSource).

// OwnListColumn is one CSV column (or JSON member) of an own list.
type OwnListColumn struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Help     string `json:"help"`
}

// OwnList describes one of the organisation's own lists and its current version.
type OwnList struct {
	// List is the list code: own_restricted or own_allow; Short is "restricted" or "allow", the {list} of
	// the URLs.
	List  string `json:"list"`
	Short string `json:"short"`
	Name  string `json:"name"`
	// Screened is true for the internal restricted list (screened like an official list) and false for the
	// allow list (it marks matches).
	Screened bool `json:"screened"`
	// Version is the current version, null when the list was never imported.
	Version *history.Version `json:"version"`
	Entries int              `json:"entries"`
	Columns []OwnListColumn  `json:"columns"`
}

// OwnListsResult is the answer to GET /v1/own-lists.
type OwnListsResult struct {
	Lists []OwnList `json:"lists"`
	Notes []string  `json:"notes,omitempty"`
}

// OwnListEntries is the answer to GET /v1/own-lists/{list}: the list and its entries, in the shape POST
// accepts as JSON (RestrictedParty or Allowance objects).
type OwnListEntries struct {
	OwnList
	Entries any `json:"entries"`
}

// OwnListImport is the answer to POST /v1/own-lists/{list}.
type OwnListImport struct {
	// Version is the new version, or the current one when Unchanged.
	Version   history.Version  `json:"version"`
	Unchanged bool             `json:"unchanged"`
	Previous  *history.Version `json:"previous,omitempty"`
	// Changes are the entries added, removed and changed against the previous version.
	Changes history.ListDiff `json:"changes"`
	// Reloaded is true when the screener now in service screens against the new restricted list.
	Reloaded bool `json:"reloaded"`
}

// MaxOwnListBytes bounds an own-list upload.
const MaxOwnListBytes = ownlist.MaxFileSize

// ownListCode reads the {list} path value. Errors: ENOTFOUND for another name.
func ownListCode(r *nethttp.Request) (string, error) {
	code, err := ownlist.Code(r.PathValue("list"))
	if err != nil {
		return "", errorf(tradescreen.ENOTFOUND, "no own list %q: the lists are restricted and allow", r.PathValue("list"))
	}
	return code, nil
}

// ownStore opens the data directory, or returns nil when there is none yet (nothing imported).
func (s *Server) ownStore() (*history.Store, error) {
	if s.DataDir == "" {
		return nil, nil
	}
	return history.OpenExisting(s.DataDir)
}

// ownList describes one list from the store (nil: never imported) and returns its current rows.
func ownListInfo(store *history.Store, code string) (OwnList, any, error) {
	si, _ := tradescreen.LookupSource(code)
	o := OwnList{List: code, Short: ownlist.Short(code), Name: si.Name, Screened: code == ownlist.Restricted}
	for _, c := range ownlist.Columns(code) {
		o.Columns = append(o.Columns, OwnListColumn{Name: c.Name, Required: c.Required, Help: c.Help})
	}
	var rows any = []any{}
	if store == nil {
		return o, rows, nil
	}
	v, b, err := store.OwnLatest(code)
	if err != nil || v == nil {
		return o, rows, err
	}
	o.Version, o.Entries = v, v.Lists[code]
	if code == ownlist.Allow {
		as, err := ownlist.ParseAllow(b, v.Name)
		if err != nil {
			return o, nil, err
		}
		rows = as
	} else {
		ps, err := ownlist.ParseRestricted(b, v.Name)
		if err != nil {
			return o, nil, err
		}
		rows = ps
	}
	return o, rows, nil
}

func (s *Server) ownLists() (OwnListsResult, []any, error) {
	out := OwnListsResult{Lists: []OwnList{}}
	store, err := s.ownStore()
	if err != nil {
		return out, nil, err
	}
	if s.DataDir == "" {
		out.Notes = append(out.Notes, "no data directory is configured, so own lists cannot be kept: set data_dir")
	}
	var rows []any
	for _, code := range []string{ownlist.Restricted, ownlist.Allow} {
		o, r, err := ownListInfo(store, code)
		if err != nil {
			return out, nil, err
		}
		out.Lists = append(out.Lists, o)
		rows = append(rows, r)
	}
	return out, rows, nil
}

func (s *Server) handleOwnLists(w nethttp.ResponseWriter, r *nethttp.Request) error {
	res, _, err := s.ownLists()
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, res)
	return nil
}

func (s *Server) handleOwnList(w nethttp.ResponseWriter, r *nethttp.Request) error {
	code, err := ownListCode(r)
	if err != nil {
		return err
	}
	store, err := s.ownStore()
	if err != nil {
		return err
	}
	o, rows, err := ownListInfo(store, code)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, OwnListEntries{OwnList: o, Entries: rows})
	return nil
}

// handleOwnListUpload replaces a list with the body: text/csv (the columns of GET /v1/own-lists) or
// application/json (an array of entries, or {"entries": [...]}).
func (s *Server) handleOwnListUpload(w nethttp.ResponseWriter, r *nethttp.Request) error {
	code, err := ownListCode(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	if err := checkParams(v, []string{"name"}); err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != mediaCSV && mt != "application/csv" && mt != "application/json" {
		return errorf(EMEDIATYPE, "Content-Type: %q is not supported; send %s (the list's columns) or application/json (an array of entries)", ct, mediaCSV)
	}
	b, err := io.ReadAll(nethttp.MaxBytesReader(w, r.Body, MaxOwnListBytes))
	if err != nil {
		var mbe *nethttp.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(tradescreen.ETOOLARGE, "body: larger than %d bytes", mbe.Limit)
		}
		return errorf(tradescreen.EINVALID, "body: %v", err)
	}
	name := v.Get("name")
	if mt == "application/json" {
		if b, err = ownlist.FromJSON(code, b); err != nil {
			return err
		}
		if name == "" {
			name = "upload.json"
		}
	}
	if name == "" {
		name = "upload.csv"
	}
	res, err := s.importOwnList(r.Context(), actor(r), code, b, name)
	if err != nil {
		return err
	}
	status := nethttp.StatusCreated
	if res.Unchanged {
		status = nethttp.StatusOK
	}
	writeJSON(w, status, res)
	return nil
}

// ownReload serialises the swaps of a screener after own-list uploads, so that two uploads never leave the
// older list in service.
var ownReload sync.Mutex

// importOwnList stores an upload as a new version, audits it and reloads the screener. Errors: EINVALID
// (no data directory; *tradescreen.ParseError for bad content), ECONFLICT while a list update holds the
// data directory.
func (s *Server) importOwnList(ctx context.Context, a tradescreen.Actor, code string, body []byte, name string) (*OwnListImport, error) {
	if s.DataDir == "" {
		return nil, errorf(tradescreen.EINVALID, "no data directory is configured, so own lists cannot be kept: set data_dir")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errorf(tradescreen.EINVALID, "body: empty; send the list (a header line and one row per entry)")
	}
	store, err := history.Open(s.DataDir)
	if err != nil {
		return nil, err
	}
	ownReload.Lock()
	defer ownReload.Unlock()
	// A list update can hold the lock for minutes: answer at once rather than keep the request waiting.
	res, err := store.ImportOwn(ctx, code, body, name, a.Name, s.now(), history.LockOptions{NoWait: true})
	if err != nil {
		if tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
			return nil, errorf(tradescreen.ECONFLICT, "the data directory is busy (a list update is running); try again in a few minutes")
		}
		return nil, err
	}
	changes, err := store.Changes(res)
	if err != nil {
		return nil, err
	}
	out := &OwnListImport{Version: res.Version, Unchanged: res.Unchanged, Previous: res.Previous, Changes: changes}
	if res.Unchanged {
		return out, nil
	}
	if s.Store != nil {
		if err := s.Store.Audit().AppendAudit(ctx, res.AuditEvent(a, "api", &changes)); err != nil {
			return nil, err
		}
	}
	if code == ownlist.Restricted {
		ds, err := store.Load(res.Version)
		if err != nil {
			return nil, err
		}
		out.Reloaded = s.swapOwnRestricted(ds)
	}
	return out, nil
}

// swapOwnRestricted puts a screener with ds as the internal restricted list in service: the lists in service
// are kept and only own_restricted is replaced (requests in flight finish on the old one). It reports false
// while the first lists are still loading (that load reads the data directory itself).
func (s *Server) swapOwnRestricted(ds *source.Dataset) bool {
	cur, err := s.screener()
	if err != nil {
		return false
	}
	keep := &source.Dataset{}
	for _, l := range cur.Lists() {
		if l.Source != ownlist.Restricted {
			keep.Lists = append(keep.Lists, l)
		}
	}
	for _, e := range cur.Entries() {
		if e.Source != ownlist.Restricted {
			keep.Entries = append(keep.Entries, e)
		}
	}
	start := time.Now()
	sc := screen.New(keep, ds)
	s.Service.SetLists(sc)
	s.logger().Info("lists reloaded", "reason", "own restricted list uploaded", "entries", len(sc.Entries()),
		"duration", time.Since(start).Round(time.Millisecond))
	return true
}

// ownListsPage is the data of the /own-lists page.
type ownListsPage struct {
	Lists []ownListView
	Notes []string
	// Imported is the result of an upload, with the list it went to; Error an upload refused.
	Imported *OwnListImport
	List     string
	Error    string
}

type ownListView struct {
	OwnList
	Restricted []ownlist.RestrictedParty
	Allow      []ownlist.Allowance
}

func (s *Server) renderOwnLists(w nethttp.ResponseWriter, r *nethttp.Request, status int, p ownListsPage) error {
	res, rows, err := s.ownLists()
	if err != nil {
		return err
	}
	for i, o := range res.Lists {
		v := ownListView{OwnList: o}
		switch x := rows[i].(type) {
		case []ownlist.RestrictedParty:
			v.Restricted = x
		case []ownlist.Allowance:
			v.Allow = x
		}
		p.Lists = append(p.Lists, v)
	}
	p.Notes = res.Notes
	return s.render(w, r, status, "ownlists.html", &pageData{Title: "Own lists", Nav: "own-lists", Page: p})
}

func (s *Server) handleUIOwnLists(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return s.renderOwnLists(w, r, nethttp.StatusOK, ownListsPage{})
}

// handleUIOwnListUpload replaces a list with the uploaded CSV file of the form (field "file").
func (s *Server) handleUIOwnListUpload(w nethttp.ResponseWriter, r *nethttp.Request) error {
	code, err := ownListCode(r)
	if err != nil {
		return err
	}
	p := ownListsPage{List: code}
	status := nethttp.StatusOK
	f, fh, ferr := r.FormFile("file")
	if ferr != nil {
		return s.renderOwnLists(w, r, nethttp.StatusBadRequest, ownListsPage{List: code, Error: "file: choose the CSV file of the list"})
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxOwnListBytes+1))
	if err != nil {
		return err
	}
	name := filepath.Base(fh.Filename)
	if strings.EqualFold(filepath.Ext(name), ".json") {
		b, err = ownlist.FromJSON(code, b)
	}
	var res *OwnListImport
	if err == nil {
		res, err = s.importOwnList(r.Context(), actor(r), code, b, name)
	}
	switch {
	case err == nil:
		p.Imported = res
	case tradescreen.ErrorCode(err) == tradescreen.EINVALID || tradescreen.ErrorCode(err) == tradescreen.ECONFLICT:
		_, status, p.Error = s.errorInfo(r, err)
	default:
		return err
	}
	return s.renderOwnLists(w, r, status, p)
}
