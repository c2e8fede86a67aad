package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
)

// LockName is the lock file in the data directory.
const LockName = "lock"

// LockOptions says how Lock behaves when another process (or another open of the store) holds the lock.
type LockOptions struct {
	// NoWait fails at once with ECONFLICT instead of waiting for the lock.
	NoWait bool
	// Waiting, when set, is called once before waiting, with who holds the lock ("pid 4711: lists update
	// since 2026-07-10T08:00:00Z").
	Waiting func(holder string)
	// Purpose describes this holder for whoever waits ("lists update", "own list import").
	Purpose string
	// Poll is how often a waiting Lock tries again (100 ms when zero).
	Poll time.Duration
}

// Lock takes the data directory's exclusive lock, an flock(2) on DIR/lock, so that two writers (two lists
// update runs, the server's refresh and an update, an own-list import) never interleave their writes. The
// lock belongs to the open file: the operating system releases it when the process ends, however it ends,
// so a crash never leaves the directory locked. When another holder has it, Lock waits (calling
// opt.Waiting once) until it is free or ctx is done, or with opt.NoWait fails at once with ECONFLICT naming
// the holder. Once locked it reloads the index (Reload), so versions added by the previous holder are seen.
// Call the returned function to release the lock. Errors: ECONFLICT, the context's error, EINVALID when the
// lock file cannot be opened.
func (s *Store) Lock(ctx context.Context, opt LockOptions) (unlock func(), err error) {
	path := filepath.Join(s.dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "data directory %s: cannot open the lock file: %v", s.dir, err)
	}
	poll := opt.Poll
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	waited := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		holder := lockHolder(path)
		if opt.NoWait {
			f.Close()
			return nil, tradescreen.Errorf(tradescreen.ECONFLICT, "data directory %s is locked by another process (%s): it is updating the lists; try again when it has finished, or wait for it", s.dir, holder)
		}
		if !waited {
			waited = true
			if opt.Waiting != nil {
				opt.Waiting(holder)
			}
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	purpose := opt.Purpose
	if purpose == "" {
		purpose = "writing"
	}
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d: %s since %s\n", os.Getpid(), purpose, time.Now().UTC().Format(time.RFC3339))
	}
	release := func() {
		_ = f.Truncate(0)
		_ = unlockFile(f)
		f.Close()
	}
	if err := s.Reload(); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// lockHolder reads who holds the lock from the lock file.
func lockHolder(path string) string {
	b, err := os.ReadFile(path)
	if h := strings.TrimSpace(string(b)); err == nil && h != "" {
		return h
	}
	return "holder unknown"
}
