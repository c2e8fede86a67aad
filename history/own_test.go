package history

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/source"
)

const lockHelperEnv = "TRADESCREEN_HISTORY_LOCK_HELPER_DIR"

// TestLockHelperProcess is not a test: run by TestLockReleasedWhenProcessDies as another process, it takes
// the lock and waits to be killed.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv(lockHelperEnv)
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := Open(dir)
	if err != nil {
		os.Exit(3)
	}
	if _, err := s.Lock(context.Background(), LockOptions{Purpose: "helper process"}); err != nil {
		os.Exit(4)
	}
	os.Stdout.WriteString("locked\n")
	time.Sleep(10 * time.Minute)
	os.Exit(0)
}

// TestLockReleasedWhenProcessDies: another process holds the lock, so Lock with NoWait fails with
// ECONFLICT naming it; once that process is killed (no clean-up runs), the lock is free.
func TestLockReleasedWhenProcessDies(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Lock(context.Background(), LockOptions{NoWait: true})
	if tradescreen.ErrorCode(err) != tradescreen.ECONFLICT || !strings.Contains(err.Error(), "helper process") ||
		!strings.Contains(err.Error(), "pid ") {
		t.Fatalf("lock held by another process: %v", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	unlock, err := s.Lock(context.Background(), LockOptions{NoWait: true})
	if err != nil {
		t.Fatalf("lock after the holder died: %v", err)
	}
	unlock()
}

// TestLockWaitsAndReloads: two stores on one directory (two open files, as two processes have). The second
// waits while the first holds the lock, is told who holds it, and once it has the lock sees the version the
// first added.
func TestLockWaitsAndReloads(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(dir)
	b, _ := Open(dir)
	ctx := context.Background()
	unlock, err := a.Lock(ctx, LockOptions{Purpose: "first writer"})
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan string, 1)
	got := make(chan error, 1)
	go func() {
		u, err := b.Lock(ctx, LockOptions{Poll: time.Millisecond, Waiting: func(h string) { waiting <- h }})
		if err == nil {
			u()
		}
		got <- err
	}()
	if h := <-waiting; !strings.Contains(h, "first writer") {
		t.Errorf("holder %q", h)
	}
	if _, err := a.ImportOwn(ctx, ownlist.Restricted, []byte("id,name\nC-1,Acme Trading\n"), "r.csv", "t", time.Now(), LockOptions{NoWait: true}); tradescreen.ErrorCode(err) != tradescreen.ECONFLICT {
		t.Errorf("import while the same directory is locked through another file: %v", err)
	}
	if _, err := a.Add(Version{Feed: "un", Kind: "un", Name: "x.xml"}, []byte("x")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		t.Fatalf("second lock taken while held: %v", err)
	default:
	}
	unlock()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if v := b.Latest("un"); v == nil || v.ID != 1 {
		t.Fatalf("the second store did not reload: %+v", v)
	}
	// The context ends a wait.
	unlock, _ = a.Lock(ctx, LockOptions{})
	defer unlock()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Lock(cctx, LockOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}

// TestImportOwn: own lists are versions like downloads; the restricted list is screened (Current), the
// allow list is not, and a bad file stores nothing.
func TestImportOwn(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	ctx := context.Background()
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	res, err := s.ImportOwn(ctx, ownlist.Restricted, []byte("id,name,country\nC-1,Acme Trading,AE\nC-2,Beta Logistics,CN\n"), "/tmp/x/r.csv", "j.doe", now, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Version
	if v.ID != 1 || v.Feed != ownlist.Restricted || v.Kind != ownlist.Restricted || v.Name != "r.csv" || v.Actor != "j.doe" ||
		v.Published != "2026-07-01" || v.Lists[ownlist.Restricted] != 2 || res.Unchanged {
		t.Fatalf("version %+v", v)
	}
	if _, err := s.ImportOwn(ctx, ownlist.Allow, []byte("name,entry,reason,reviewed_by,reviewed_on\nAcme Trading,us_el/123,other Acme,j.doe,2026-06-30\n"), "a.csv", "j.doe", now, LockOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = s.ImportOwn(ctx, ownlist.Restricted, []byte("id,name\nC-1,\n"), "bad.csv", "j.doe", now, LockOptions{})
	var pe *tradescreen.ParseError
	if !errors.As(err, &pe) || pe.File != "bad.csv" || pe.Line != 2 || pe.Field != "name" {
		t.Fatalf("bad file: %v", err)
	}
	if n := len(s.Versions()); n != 2 {
		t.Fatalf("%d versions after a bad import, want 2", n)
	}
	base := &source.Dataset{Lists: []tradescreen.ListVersion{{Source: "un_sc"}}}
	cur, err := s.Current([]*source.Dataset{base})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{}
	for _, ds := range cur {
		for _, l := range ds.Lists {
			codes[l.Source] = l.Entries
		}
	}
	if _, ok := codes[ownlist.Allow]; ok || codes[ownlist.Restricted] != 2 {
		t.Fatalf("current lists %v: want own_restricted (2) and no own_allow", codes)
	}
	cands, err := s.Candidates("2026-07-02")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cands {
		if c.Dataset.Lists[0].Source == ownlist.Allow {
			t.Errorf("the allow list is a point-in-time candidate")
		}
	}
	al, err := s.AllowList()
	if err != nil || al.Len() != 1 || al.Lookup("ACME trading", "", "us_el/123") == nil {
		t.Fatalf("allow list %v %v", al, err)
	}
	// Reopened from disk, the import is there with its actor.
	s2, _ := Open(dir)
	if v := s2.Latest(ownlist.Restricted); v == nil || v.Actor != "j.doe" {
		t.Fatalf("reopened: %+v", v)
	}
	ch, err := s.Changes(res)
	if err != nil || ch.Added != 2 {
		t.Fatalf("changes of a first import: %+v %v", ch, err)
	}
}
