package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen/history"
)

// The real UVL entry "Atlas Sanatgaran" of the small CSL excerpt (cliSmallList).
const cliAtlasKey = "us_uvl/1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42"

const cliRestrictedV1 = `id,name,kind,aliases,address,country,identifiers,reason,added_on,added_by
C-17,Blue Lantern Trading FZE,organization,Blue Lantern General Trading,"Plot 12, Jebel Ali Free Zone, Dubai",AE,VAT:AE100200300,payment fraud 2024,2024-03-02,j.doe
P-3,Ivan Petrovsky,person,,,Russia,,refused KYC,2025-01-10,j.doe
`

// v2 changes C-17's reason, drops P-3 and adds C-20.
const cliRestrictedV2 = `id,name,kind,aliases,address,country,identifiers,reason,added_on,added_by
C-17,Blue Lantern Trading FZE,organization,Blue Lantern General Trading,"Plot 12, Jebel Ali Free Zone, Dubai",AE,VAT:AE100200300,payment fraud 2024 and 2025,2024-03-02,j.doe
C-20,Northwind Maritime Services LLC,organization,,,PA,IMO:9123456,sanctions evasion by ship-to-ship transfer,2026-02-11,a.smith
`

const cliAllow = `name,entry,reason,reviewed_by,reviewed_on
Atlas Sanatgaran,` + cliAtlasKey + `,"our supplier Atlas Sanatgaran LLC of Tbilisi (GE 404) is not the Yerevan company",a.smith,2026-06-30
`

// cliOwnCheck is check --json with the adjustments of each match.
type cliOwnCheck struct {
	Matches []struct {
		Source      string `json:"source"`
		SourceID    string `json:"source_id"`
		Name        string `json:"name"`
		Explanation struct {
			Adjustments []string `json:"adjustments"`
		} `json:"explanation"`
		Allowed *struct {
			Reason, Reviewer, Date, Row string
		} `json:"allowed"`
		Entry struct {
			ListName string `json:"list_name"`
		} `json:"entry"`
	} `json:"matches"`
}

func cliOwnCheckRun(t *testing.T, args ...string) cliOwnCheck {
	t.Helper()
	r := cliRun(t, append([]string{"check", "--json"}, args...)...)
	r.cliWant(t, 0)
	var out cliOwnCheck
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("check --json: %v\n%s", err, cliTrim(r.stdout))
	}
	return out
}

// TestOwnLists imports an internal restricted list and an allow list as a user would, screens against them,
// and reads their history, diff, export and audit records.
func TestOwnLists(t *testing.T) {
	dir := t.TempDir()
	files := t.TempDir()
	v1 := cliWriteFile(t, files, "restricted.csv", []byte(cliRestrictedV1))
	imp := func(list, path string) cliResult {
		return cliRun(t, "lists", "own", "import", "--list", list, "--data-dir", dir, "--as", "j.doe", path)
	}

	r := imp("restricted", v1)
	r.cliWant(t, 0)
	cliContainsAll(t, "import", r.stdout, "own_restricted: imported #1 from restricted.csv: 2 entries", "by j.doe", "2 added, 0 removed, 0 changed")

	// Screened with the same engine, with its own badge, also when official files are given with --list.
	out := cliOwnCheckRun(t, "--data-dir", dir, "--list", cliSmallList, "Blue Lantern Trading")
	if len(out.Matches) != 1 || out.Matches[0].Source != "own_restricted" || out.Matches[0].SourceID != "C-17" ||
		!strings.HasPrefix(out.Matches[0].Entry.ListName, "Internal list") {
		t.Fatalf("matches %+v", out.Matches)
	}
	r = cliRun(t, "check", "--data-dir", dir, "--list", cliSmallList, "Blue Lantern General Trading")
	r.cliWant(t, 0)
	cliContainsAll(t, "check text", r.stdout, "[own_restricted] Internal list: restricted parties", "own_restricted/C-17", "Jebel Ali")

	// The allow list marks exactly the reviewed pairing and drops nothing.
	before := cliOwnCheckRun(t, "--data-dir", dir, "--list", cliSmallList, "Atlas Sanatgaran")
	if len(before.Matches) == 0 || before.Matches[0].Source+"/"+before.Matches[0].SourceID != cliAtlasKey {
		t.Fatalf("Atlas Sanatgaran not found: %+v", before.Matches)
	}
	r = imp("allow", cliWriteFile(t, files, "allow.csv", []byte(cliAllow)))
	r.cliWant(t, 0)
	cliContainsAll(t, "allow import", r.stdout, "own_allow: imported #2 from allow.csv: 1 entries")
	after := cliOwnCheckRun(t, "--data-dir", dir, "--list", cliSmallList, "ATLAS  sanatgaran")
	if len(after.Matches) != len(before.Matches) {
		t.Fatalf("the allow list changed the number of matches: %d, want %d", len(after.Matches), len(before.Matches))
	}
	adj := after.Matches[0].Explanation.Adjustments
	if len(adj) == 0 || !strings.HasPrefix(adj[0], "allowed: reviewed look-alike (our supplier Atlas Sanatgaran LLC") ||
		!strings.Contains(adj[0], "reviewed by a.smith on 2026-06-30") {
		t.Fatalf("adjustments %q", adj)
	}
	// check --json also names the allowance as a field of the match, and only there.
	if a := after.Matches[0].Allowed; a == nil || a.Reviewer != "a.smith" || a.Date != "2026-06-30" ||
		!strings.HasPrefix(a.Reason, "our supplier Atlas Sanatgaran LLC") || a.Row == "" {
		t.Fatalf("allowed %+v", a)
	}
	for _, m := range after.Matches[1:] {
		if m.Allowed != nil {
			t.Errorf("%s/%s: allowed %+v", m.Source, m.SourceID, m.Allowed)
		}
	}
	// Another spelling is another pairing: not covered.
	other := cliOwnCheckRun(t, "--data-dir", dir, "--list", cliSmallList, "Atlas Sanat Garan")
	for _, m := range other.Matches {
		for _, a := range m.Explanation.Adjustments {
			if strings.HasPrefix(a, "allowed:") {
				t.Errorf("%q marked for another name", a)
			}
		}
	}
	// The allow list is never screened.
	if o := cliOwnCheckRun(t, "--data-dir", dir, "--list", cliSmallList, "our supplier Atlas Sanatgaran LLC of Tbilisi"); len(o.Matches) > 0 {
		for _, m := range o.Matches {
			if m.Source == "own_allow" {
				t.Errorf("allow-list row screened: %+v", m)
			}
		}
	}

	// A bad file is refused whole, naming file, line and column; nothing is stored.
	bad := cliWriteFile(t, files, "bad.csv", []byte("id,name,country\nX-1,Acme,AE\nX-1,Acme Two,Narnia\n"))
	r = imp("restricted", bad)
	r.cliWant(t, 1)
	cliContainsAll(t, "bad import", r.stderr, `parse bad.csv line 3 field "id": "X-1" is also on line 2`)
	r = imp("restricted", cliWriteFile(t, files, "bad2.csv", []byte("id,name,colour\nX-1,Acme,red\n")))
	r.cliWant(t, 1)
	cliContainsAll(t, "bad column", r.stderr, `parse bad2.csv line 1 field "colour": unknown column`)

	// The same file again is no new version.
	r = imp("restricted", v1)
	r.cliWant(t, 0)
	cliContainsAll(t, "same import", r.stdout, "unchanged", "nothing stored")

	// A second version, its history and its diff.
	v2 := cliWriteFile(t, files, "restricted-2026-07.csv", []byte(cliRestrictedV2))
	r = imp("restricted", v2)
	r.cliWant(t, 0)
	cliContainsAll(t, "second import", r.stdout, "own_restricted: imported #3", "since own_restricted #1 of ", "1 added, 1 removed, 1 changed")
	r = cliRun(t, "lists", "history", "--data-dir", dir, "own_restricted")
	r.cliWant(t, 0)
	cliContainsAll(t, "history", r.stdout, "#1  own_restricted", "#3  own_restricted", "own_restricted 2")
	if strings.Contains(r.stdout, "own_allow") {
		t.Errorf("history own_restricted shows the allow list:\n%s", r.stdout)
	}
	r = cliRun(t, "lists", "diff", "own_restricted", "--from", "#1", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "diff", r.stdout, "1 added, 1 removed, 1 changed", "+ own_restricted/C-20  Northwind Maritime Services LLC",
		"- own_restricted/P-3  Ivan Petrovsky", "~ own_restricted/C-17", "remarks + payment fraud 2024 and 2025")

	// Export gives back the current version.
	exp := filepath.Join(files, "export.csv")
	r = cliRun(t, "lists", "own", "export", "--list", "restricted", "--data-dir", dir, "-o", exp)
	r.cliWant(t, 0)
	if got := string(cliReadFile(t, exp)); got != cliRestrictedV2 {
		t.Errorf("export:\n%s\nwant:\n%s", got, cliRestrictedV2)
	}
	r = cliRun(t, "lists", "own", "show", "--data-dir", dir)
	r.cliWant(t, 0)
	cliContainsAll(t, "show", r.stdout, "own_restricted (Internal list: restricted parties): #3", "by j.doe", "Northwind Maritime Services LLC",
		"own_allow (Internal list: allowed look-alikes): #2", cliAtlasKey)

	// Every import that stored a version is in the audit trail.
	r = cliRun(t, "audit", "export", "--data-dir", dir, "--format", "json")
	r.cliWant(t, 0)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var ev struct{ Actor, Action, Object, Details string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if ev.Action == "ownlist.import" {
			n++
			if ev.Actor != "j.doe" || !strings.HasPrefix(ev.Object, "list/own_") || !strings.Contains(ev.Details, `"sha256"`) {
				t.Errorf("audit record %+v", ev)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d ownlist.import audit records, want 3 (two restricted versions and one allow list)", n)
	}
	r = cliRun(t, "audit", "verify", "--data-dir", dir)
	r.cliWant(t, 0)
}

// TestListsUpdateLock: while another holder has the data directory's lock (its own open file, as another
// process would), lists update --no-wait fails at once naming the holder, and lists update without it
// waits, says so, and runs when the lock is released.
func TestListsUpdateLock(t *testing.T) {
	un, err := os.ReadFile(cliLists + "/un/consolidated_2018-06-07.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(un) }))
	defer srv.Close()
	dir := t.TempDir()
	holder, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	unlock, err := holder.Lock(ctx, history.LockOptions{Purpose: "the other update"})
	if err != nil {
		t.Fatal(err)
	}
	src := "un=" + srv.URL + "/consolidated.xml"
	r := cliRun(t, "lists", "update", "--data-dir", dir, "--source", src, "--no-wait")
	r.cliWant(t, 1)
	cliContainsAll(t, "no-wait", r.stderr, "is locked by another process", "the other update")

	var stdout, stderr lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"lists", "update", "--data-dir", dir, "--source", src}) }()
	for !strings.Contains(stderr.String(), "waiting for the data directory") {
		select {
		case code := <-done:
			t.Fatalf("update ran while the lock was held: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cliContainsAll(t, "waiting", stderr.String(), "the other update", "--no-wait fails instead")
	unlock()
	if code := <-done; code != 0 {
		t.Fatalf("update after the lock was released: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	cliContainsAll(t, "update", stdout.String(), "accepted  #1 published 2018-06-07")
}
