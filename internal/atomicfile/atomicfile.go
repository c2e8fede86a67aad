// Package atomicfile writes files whole or not at all. A file is written to a temporary file beside its
// target, synced, renamed over the target, and the directory is synced, so that after a crash or a power
// loss the target holds either its old content or the whole new one — never a part. Every error on the way
// is returned: a write the disk refused is never reported as done.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// File is a file being written atomically: write to it, then Commit to put it in place, or Abort to drop
// it. Abort after Commit does nothing, so `defer f.Abort()` is the usual pattern.
type File struct {
	*os.File
	path string
	perm os.FileMode
	done bool
}

// Create starts writing the file at path: a temporary file in the same directory (so the final rename does
// not cross file systems). perm is the mode the file gets when committed, less the process's umask, as
// os.Create would give; when the target exists, its mode is kept instead.
func Create(path string, perm os.FileMode) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &File{File: tmp, path: path, perm: modeFor(path, perm)}, nil
}

// Commit syncs the file, closes it, gives it its mode, renames it over the target and syncs the directory.
// On any error the temporary file is removed and the target is left as it was (the error of the directory
// sync is returned after the rename: the new content is in place but may not survive a power loss).
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: commit of a file already committed or aborted")
	}
	f.done = true
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.File.Name(), f.perm)
	}
	if err == nil {
		err = os.Rename(f.File.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.File.Name())
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return SyncDir(filepath.Dir(f.path))
}

// Abort closes and removes the temporary file; the target is untouched. It does nothing after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// WriteFile writes data to path atomically (see Create for perm).
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write writes path atomically with what fill writes to it; an error from fill leaves the target as it was.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := fill(f); err != nil {
		return err
	}
	return f.Commit()
}

// Publish puts a finished file that was written in place under another name (a ".partial" file a long run
// appended to) at final: it syncs and closes nothing itself, so the caller syncs the file first; Publish
// gives it the mode a new file at final would get (perm less the umask, or final's current mode), renames
// it and syncs the directory.
func Publish(partial, final string, perm os.FileMode) error {
	if err := os.Chmod(partial, modeFor(final, perm)); err != nil {
		return err
	}
	if err := os.Rename(partial, final); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(final))
}

// SyncDir syncs a directory, so that the creation, rename or removal of a file in it survives a power loss.
// Every error is returned but EINVAL, which file systems that cannot sync a directory answer (the rename is
// atomic all the same, and there is nothing more to do).
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// modeFor is the mode a file written at path gets: that of the file it replaces, else perm less the umask.
func modeFor(path string, perm os.FileMode) os.FileMode {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		return st.Mode().Perm()
	}
	return perm &^ umask()
}

// umask is the process's file mode creation mask, found once by creating a file (reading it with
// syscall.Umask would change it for every other goroutine meanwhile).
var umask = sync.OnceValue(func() os.FileMode {
	dir, err := os.MkdirTemp("", "umask-")
	if err != nil {
		return 0o022
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "f")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		return 0o022
	}
	f.Close()
	st, err := os.Stat(p)
	if err != nil {
		return 0o022
	}
	return 0o666 &^ st.Mode().Perm()
})
