package http_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	tshttp "github.com/tradescreen/tradescreen/http"
)

// smallDisk mounts a tmpfs of size bytes on a new temporary directory and returns it; the mount is removed
// when the test ends. Mounting takes root (or a user and mount namespace: unshare -rm go test ...); without
// it the test skips, unless TRADESCREEN_REQUIRE_FAULTS=1 (set by .ci/run), which makes the skip a failure.
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+strconv.Itoa(size)); err != nil {
		if os.Getenv("TRADESCREEN_REQUIRE_FAULTS") == "1" {
			t.Fatalf("TRADESCREEN_REQUIRE_FAULTS=1 but a small file system cannot be mounted: %v", err)
		}
		t.Skipf("cannot mount a small file system to fill (run as root or under unshare -rm): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// entriesCSV returns a customer file of the embedded lists' entries (id, name, country, address) of at
// least size bytes.
func entriesCSV(t *testing.T, size int) []byte {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"id", "name", "country", "address"})
	for _, p := range entryParties(t) {
		if b.Len() >= size {
			break
		}
		_ = w.Write([]string{p.ID, p.Name, p.Country, p.Extra["address"]})
		w.Flush()
	}
	w.Flush()
	if b.Len() < size {
		t.Fatalf("the entries make %d bytes of CSV, want %d", b.Len(), size)
	}
	return []byte(b.String())
}

// jobFiles lists what the jobs directory holds, but the directory itself.
func jobFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir {
			out = append(out, strings.TrimPrefix(path, dir+"/"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBatchDiskFull runs batch jobs on a jobs directory of 256 KiB (a tmpfs): an upload the disk cannot hold
// is answered 507 insufficient_storage saying the disk is full, and leaves no file; a job whose results the
// disk cannot hold fails saying so, and leaves no partial results. Once the space is freed, jobs run again.
func TestBatchDiskFull(t *testing.T) {
	dir := smallDisk(t, 256<<10)
	ts := jobsServer(t, dir)

	r := do(t, "POST", ts.URL+"/v1/batch", strings.NewReader(string(entriesCSV(t, 1<<20))), "Content-Type", mediaCSV)
	r.wantError(t, 507, tshttp.ENOSPACE, "disk is full", "nothing was kept")
	if left := jobFiles(t, dir); len(left) > 0 {
		t.Errorf("the refused upload left files behind: %v", left)
	}
	if !strings.Contains(ts.Logs.String(), "no space left on device") {
		t.Errorf("the log does not give the error:\n%s", ts.Logs.String())
	}

	// An upload of 40 KiB fits; its results (JSONL, CSV, XLSX and the report) do not.
	job := wait(t, ts, submit(t, ts, "", mediaCSV, entriesCSV(t, 40<<10)).ID)
	if job.State != tshttp.JobFailed || !strings.Contains(job.Error, "disk is full") {
		t.Fatalf("job on a full disk: %s, error %q; want failed saying the disk is full", job.State, job.Error)
	}
	for _, f := range jobFiles(t, dir) {
		if strings.Contains(f, "results") || strings.Contains(f, "report") || strings.Contains(f, ".tmp") {
			t.Errorf("the failed job left %s behind", f)
		}
	}
	t.Logf("failed job: %s; files left: %v", job.Error, jobFiles(t, dir))

	// The disk is not left full: a small job runs to its end.
	job = wait(t, ts, submit(t, ts, "", mediaCSV, []byte(customersCSV)).ID)
	if job.State != tshttp.JobDone {
		t.Errorf("a small job after the failures: %s, error %q", job.State, job.Error)
	}
}
