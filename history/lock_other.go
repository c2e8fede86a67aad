//go:build !unix

package history

import (
	"errors"
	"os"
)

var errNoLock = errors.New("file locks are not supported on this system")

// tryLock fails: this system has no flock, and a lock file without it would be left behind by a crash.
func tryLock(f *os.File) (bool, error) { return false, errNoLock }

func unlockFile(f *os.File) error { return nil }
