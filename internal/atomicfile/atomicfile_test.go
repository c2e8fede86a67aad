package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradescreen/tradescreen/internal/atomicfile"
)

func TestWriteFileReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(p, []byte("new content"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "new content" {
		t.Fatalf("content %q", b)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the replaced file's 0640", st.Mode().Perm())
	}
	assertNoTemp(t, dir)
}

func TestWriteFailureLeavesTarget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.jsonl")
	os.WriteFile(p, []byte("kept"), 0o644)
	boom := errors.New("boom")
	err := atomicfile.Write(p, 0o644, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "kept" {
		t.Fatalf("target changed to %q", b)
	}
	assertNoTemp(t, dir)
}

func TestCommitReportsErrors(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(filepath.Join(dir, "sub", "x"), 0o644)
	if err == nil {
		f.Abort()
		t.Fatal("create in a missing directory succeeded")
	}
	// The directory disappears before the commit: the rename fails and says so.
	sub := filepath.Join(dir, "gone")
	os.Mkdir(sub, 0o755)
	f, err = atomicfile.Create(filepath.Join(sub, "x"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("data")
	os.RemoveAll(sub)
	if err := f.Commit(); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Fatalf("commit into a removed directory: %v", err)
	}
	if err := atomicfile.SyncDir(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("SyncDir of a missing directory returned nil")
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		t.Fatal(err)
	}
}

func TestPublish(t *testing.T) {
	dir := t.TempDir()
	part, final := filepath.Join(dir, "r.jsonl.partial"), filepath.Join(dir, "r.jsonl")
	os.WriteFile(part, []byte("rows"), 0o600)
	if err := atomicfile.Publish(part, final, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(part); !os.IsNotExist(err) {
		t.Fatal("partial file still there")
	}
	st, _ := os.Stat(final)
	if st.Mode().Perm() == 0o600 {
		t.Errorf("published file kept the partial file's private mode")
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
