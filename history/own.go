package history

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/source"
)

// OwnImport is the outcome of importing one of the organisation's own lists.
type OwnImport struct {
	// Version is the stored version, or the current one when Unchanged.
	Version Version `json:"version"`
	// Unchanged is true when the file is byte for byte the current version: nothing was stored.
	Unchanged bool `json:"unchanged"`
	// Previous is the version replaced, if any.
	Previous *Version `json:"previous,omitempty"`
	// Dataset is the parsed list.
	Dataset *source.Dataset `json:"-"`
}

// ImportOwn stores body, an own list (code ownlist.Restricted or ownlist.Allow) as CSV, plain or gzip, as a
// new version of the feed of the same name, imported by actor at now: the list's content is checked
// completely first (nothing is stored for a bad file), then, under the data directory's lock (opt), the
// decompressed bytes are stored content-addressed with the import time and actor, like a downloaded list.
// A file identical to the current version stores nothing and returns Unchanged. name is the file name kept
// with the version. Errors: *tradescreen.ParseError for bad content (file, line, column), EINVALID for an
// unknown list, ECONFLICT when the lock is held and opt.NoWait, the context's error, EINTERNAL I/O errors.
func (s *Store) ImportOwn(ctx context.Context, code string, body []byte, name, actor string, now time.Time, opt LockOptions) (OwnImport, error) {
	if _, err := ownlist.Code(code); err != nil {
		return OwnImport{}, err
	}
	name = filepath.Base(name)
	if name == "" || name == "." || name == "/" {
		name = ownlist.Short(code) + ".csv"
	}
	plain, err := source.Decompress(body, name)
	if err != nil {
		return OwnImport{}, err
	}
	ds, err := ownlist.Parse(code, plain, name)
	if err != nil {
		return OwnImport{}, err
	}
	if opt.Purpose == "" {
		opt.Purpose = "importing " + code
	}
	unlock, err := s.Lock(ctx, opt)
	if err != nil {
		return OwnImport{}, err
	}
	defer unlock()
	prev := s.Latest(code)
	if prev != nil && prev.SHA256 == source.SHA256(plain) {
		return OwnImport{Version: *prev, Unchanged: true, Previous: prev, Dataset: ds}, nil
	}
	now = now.UTC()
	n := len(ds.Entries)
	v := Version{Feed: code, Kind: code, Name: name, Published: now.Format("2006-01-02"),
		PublishedNote: fmt.Sprintf("imported by %s", actor), Downloaded: now, Lists: map[string]int{code: n}, Actor: actor}
	if prev != nil {
		v.Notes = append(v.Notes, fmt.Sprintf("%s: %d entries (previous version #%d, %d)", code, n, prev.ID, prev.Lists[code]))
	} else {
		v.Notes = append(v.Notes, fmt.Sprintf("%s: %d entries (first version)", code, n))
	}
	v.Notes = append(v.Notes, "parsed completely; every row checked")
	stored, err := s.Add(v, plain)
	if err != nil {
		return OwnImport{}, err
	}
	return OwnImport{Version: stored, Previous: prev, Dataset: ds}, nil
}

// OwnLatest returns the current version of an own list and its CSV bytes, or nil and no error when the list
// was never imported. Errors: EINVALID for an unknown list, ENOTFOUND or EINVALID for a missing or damaged
// blob.
func (s *Store) OwnLatest(code string) (*Version, []byte, error) {
	if _, err := ownlist.Code(code); err != nil {
		return nil, nil, err
	}
	v := s.Latest(code)
	if v == nil {
		return nil, nil, nil
	}
	b, err := s.Blob(*v)
	if err != nil {
		return nil, nil, err
	}
	return v, b, nil
}

// AllowList returns the current allow list of reviewed look-alikes (empty when none was imported). Errors
// are those of OwnLatest and a *tradescreen.ParseError for a stored version that no longer parses.
func (s *Store) AllowList() (*ownlist.AllowList, error) {
	v, b, err := s.OwnLatest(ownlist.Allow)
	if err != nil || v == nil {
		return ownlist.NewAllowList(nil), err
	}
	rows, err := ownlist.ParseAllow(b, v.Name)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "allow list %s: %v", v.Label(), err)
	}
	return ownlist.NewAllowList(rows), nil
}

// OwnRows returns the current version of an own list and its rows: the restricted parties of
// ownlist.Restricted or the allowances of ownlist.Allow; a nil version when the list was never imported.
// Errors are those of OwnLatest and a *tradescreen.ParseError for a stored version that no longer parses.
func (s *Store) OwnRows(code string) (*Version, []ownlist.RestrictedParty, []ownlist.Allowance, error) {
	v, b, err := s.OwnLatest(code)
	if err != nil || v == nil {
		return nil, nil, nil, err
	}
	if code == ownlist.Allow {
		as, err := ownlist.ParseAllow(b, v.Name)
		return v, nil, as, err
	}
	ps, err := ownlist.ParseRestricted(b, v.Name)
	return v, ps, nil, err
}

// ImportOwnAudited is ImportOwn by actor through channel ("cli", "api", "ui") followed by the import's audit
// record (AuditEvent, with the entries changed) appended to audit. It returns the import and, unless it
// changed nothing (then nothing is recorded), the changes. Errors: those of ImportOwn and Changes; a failed
// audit record says that the version was stored.
func (s *Store) ImportOwnAudited(ctx context.Context, audit tradescreen.AuditAppender, actor tradescreen.Actor, channel, code string, body []byte, name string, now time.Time, opt LockOptions) (OwnImport, *ListDiff, error) {
	res, err := s.ImportOwn(ctx, code, body, name, actor.Name, now, opt)
	if err != nil || res.Unchanged {
		return res, nil, err
	}
	d, err := s.Changes(res)
	if err != nil {
		return res, nil, err
	}
	if err := audit.AppendAudit(ctx, res.AuditEvent(actor, channel, &d)); err != nil {
		return res, nil, fmt.Errorf("%s #%d was stored, but its audit record failed: %w", code, res.Version.ID, err)
	}
	return res, &d, nil
}

// Changes returns the entries an import added, removed and changed against the version it replaced (all
// added for a first import). Errors are those of Load for the previous version.
func (s *Store) Changes(res OwnImport) (ListDiff, error) {
	code := res.Version.Feed
	before := &source.Dataset{}
	if res.Previous != nil && !res.Unchanged {
		ds, err := s.Load(*res.Previous)
		if err != nil {
			return ListDiff{}, err
		}
		before = ds
	} else if res.Unchanged {
		before = res.Dataset
	}
	ds := Diff(before, res.Dataset, code)
	if len(ds) == 0 {
		return ListDiff{Source: code, Changes: []Change{}}, nil
	}
	return ds[0], nil
}

// AuditEvent is the audit record of an own-list import by actor through channel ("cli", "api", "ui"):
// action ownlist.import, object list/CODE, the version stored, its digest and entries, the version it
// replaced and the entries added, removed and changed (diff; nil when not computed).
func (res OwnImport) AuditEvent(actor tradescreen.Actor, channel string, diff *ListDiff) *tradescreen.AuditEvent {
	v := res.Version
	d := map[string]any{"list": v.Feed, "version": v.ID, "sha256": v.SHA256, "file": v.Name, "entries": v.Lists[v.Feed], "channel": channel}
	if res.Previous != nil {
		d["previous_version"] = res.Previous.ID
	}
	if diff != nil {
		d["added"], d["removed"], d["changed"] = diff.Added, diff.Removed, diff.Changed
	}
	return &tradescreen.AuditEvent{Actor: actor.Name, Action: ownlist.AuditImport, Object: "list/" + v.Feed, Details: tradescreen.AuditDetails(d)}
}
