package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Fault tests: what a full disk and a read-only data directory do to decisions, list updates and batch runs.
// They need a small file system of their own (a tmpfs mounted for the test, which takes root) and skip
// without one, unless TRADESCREEN_REQUIRE_FAULTS=1 (set by .ci/run), which makes a skip a failure.

// faultSkip skips the test, or fails it when fault tests are required.
func faultSkip(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("TRADESCREEN_REQUIRE_FAULTS") == "1" {
		t.Fatalf("TRADESCREEN_REQUIRE_FAULTS=1 but "+format, args...)
	}
	t.Skipf(format, args...)
}

// faultSmallDisk mounts a tmpfs of size bytes on a new temporary directory and returns it; the mount is
// removed when the test ends.
func faultSmallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+strconv.Itoa(size)); err != nil {
		faultSkip(t, "cannot mount a small file system to fill: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// faultFill writes a file until the file system is full and returns its path.
func faultFill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling %s: %v, want ENOSPC", dir, err)
			}
			return path
		}
	}
}

// TestFaultFullDisk fills the disk under the database, the list history and a batch output, and checks
// that each write fails with a clear error, that what was stored before is intact, and that everything
// works again once space is freed.
func TestFaultFullDisk(t *testing.T) {
	disk := faultSmallDisk(t, 8<<20)
	dataDir := filepath.Join(disk, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := cliWriteFile(t, t.TempDir(), "customers.csv", []byte(storeCustomers))
	db := "--db=" + filepath.Join(dataDir, "tradescreen.db")
	ids := storeAlerts(t, db, file)
	id := strconv.FormatInt(ids["C-2"], 10)
	before := cliRun(t, "audit", "verify", db)
	before.cliWant(t, 0)

	// A list mirror serving the real UN file.
	body, err := os.ReadFile(cliLists + "/un/consolidated_2018-06-07.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	src := "un=" + srv.URL + "/consolidated.xml"

	filler := faultFill(t, disk)

	// A decision cannot be written: a clear error, and the alert is still open.
	r := cliRun(t, "alerts", "transition", id, "closed_true_match", "--reason", "same company, same address", db)
	if r.code != 1 {
		t.Fatalf("decision on a full disk: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "disk is full") && !strings.Contains(r.stderr, "no space left on device") {
		t.Errorf("decision on a full disk: the error does not say the disk is full: %s", r.stderr)
	}
	t.Logf("decision on a full disk: %s", r.stderr)

	// A list update cannot be stored: it fails, and nothing half-written is left to be loaded.
	r = cliRun(t, "lists", "update", "--data-dir", dataDir, "--source", src, "--backoff", "1ms")
	if r.code != 1 {
		t.Fatalf("lists update on a full disk: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	t.Logf("lists update on a full disk: %s", out)
	if !strings.Contains(out, "no space left on device") {
		t.Errorf("lists update on a full disk does not say why: %s", out)
	}

	// A batch run cannot write its output: a clear error and no output file.
	in := filepath.Join(t.TempDir(), "in.csv")
	var rows strings.Builder
	rows.WriteString("id,name\n")
	for i := 0; i < 2000; i++ {
		rows.WriteString(strconv.Itoa(i) + ",Atlas Sanatgaran Trading Company Number " + strconv.Itoa(i) + "\n")
	}
	if err := os.WriteFile(in, []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	batchOut := filepath.Join(disk, "out.jsonl")
	r = cliRun(t, "batch", in, "-o", batchOut, "--list", cliSmallList, "--progress", "never")
	if r.code != 1 || !strings.Contains(r.stderr, "no space left on device") {
		t.Errorf("batch on a full disk: exit %d, want 1 with the reason\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(batchOut); err == nil {
		t.Errorf("batch on a full disk published %s", batchOut)
	}

	// Space freed: the trail is intact, and the same decision, update and batch succeed.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	r = cliRun(t, "audit", "verify", db)
	r.cliWant(t, 0)
	r = cliRun(t, "alerts", "show", id, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "alert after the failed decision", r.stdout, "open")
	r = cliRun(t, "alerts", "transition", id, "closed_true_match", "--reason", "same company, same address", db)
	r.cliWant(t, 0)
	r = cliRun(t, "lists", "update", "--data-dir", dataDir, "--source", src, "--backoff", "1ms")
	r.cliWant(t, 0)
	cliContainsAll(t, "update after space freed", r.stdout, "accepted  #1 published 2018-06-07")
	r = cliRun(t, "lists", "history", "--data-dir", dataDir)
	r.cliWant(t, 0)
	if strings.Count(r.stdout, "#1  ") != 1 || strings.Contains(r.stdout, "#2  ") {
		t.Errorf("history after a failed and a good update holds one version:\n%s", r.stdout)
	}
	r = cliRun(t, "batch", in, "-o", batchOut, "--list", cliSmallList, "--progress", "never", "--restart")
	r.cliWant(t, 0)
	r = cliRun(t, "audit", "verify", db)
	r.cliWant(t, 0)
}

// TestFaultReadOnlyDataDir makes the data directory read-only: commands that only read keep working, and
// those that would write say which directory cannot be written, and change nothing.
func TestFaultReadOnlyDataDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes through file permissions: use a read-only bind of a directory instead.
		t.Run("bind", func(t *testing.T) { faultReadOnly(t, true) })
		return
	}
	faultReadOnly(t, false)
}

func faultReadOnly(t *testing.T, bind bool) {
	dataDir := t.TempDir()
	file := cliWriteFile(t, t.TempDir(), "customers.csv", []byte(storeCustomers))
	db := "--db=" + filepath.Join(dataDir, "tradescreen.db")
	ids := storeAlerts(t, db, file)
	id := strconv.FormatInt(ids["C-2"], 10)

	if bind {
		if err := syscall.Mount(dataDir, dataDir, "", syscall.MS_BIND, ""); err != nil {
			faultSkip(t, "cannot bind-mount the data directory read-only: %v", err)
		}
		t.Cleanup(func() { syscall.Unmount(dataDir, 0) })
		if err := syscall.Mount("", dataDir, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
			faultSkip(t, "cannot remount the data directory read-only: %v", err)
		}
	} else {
		if err := os.Chmod(dataDir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dataDir, 0o755) })
		if err := exec.Command("touch", filepath.Join(dataDir, "probe")).Run(); err == nil {
			t.Skip("the data directory is still writable")
		}
	}

	// Reading works.
	r := cliRun(t, "alerts", "list", db)
	r.cliWant(t, 0)
	r = cliRun(t, "audit", "verify", db)
	r.cliWant(t, 0)
	// Writing fails with a clear error.
	r = cliRun(t, "alerts", "transition", id, "closed_true_match", "--reason", "same company", db)
	if r.code != 1 || !strings.Contains(strings.ToLower(r.stderr), "read-only") {
		t.Errorf("decision on a read-only data directory: exit %d, want 1 saying read-only\n%s", r.code, r.stderr)
	}
	r = cliRun(t, "lists", "update", "--data-dir", dataDir, "--source", "un=http://127.0.0.1:1/x.xml", "--backoff", "1ms")
	if r.code == 0 {
		t.Errorf("lists update into a read-only data directory succeeded:\n%s", r.stdout)
	}
	r = cliRun(t, "alerts", "show", id, db)
	r.cliWant(t, 0)
	cliContainsAll(t, "alert on a read-only data directory", r.stdout, "open")
}
