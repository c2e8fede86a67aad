package history

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tradescreen/tradescreen/ownlist"
)

// AllowSource reads the current allow list of reviewed look-alikes of a data directory, and reads it again
// only when the directory's index changes (an import by this process, another process or another
// instance). It is the one allow-list loader: the screening service asks it for every answer. It is safe
// for concurrent use.
type AllowSource struct {
	dir string

	mu      sync.Mutex
	size    int64
	mtime   time.Time
	list    *ownlist.AllowList
	version string
}

// NewAllowSource returns the allow-list source of the data directory dir ("" for none: no allowances).
func NewAllowSource(dir string) *AllowSource { return &AllowSource{dir: dir} }

// AllowList returns the allow list in force (nil when none was imported) and a line naming its version
// ("own_allow #2 of 2026-06-30, 14 rows, sha256 ..."; "" when none). Errors: the data directory cannot be
// read, or its current allow list no longer parses — an answer must not be given without it.
func (a *AllowSource) AllowList() (*ownlist.AllowList, string, error) {
	if a == nil || a.dir == "" {
		return nil, "", nil
	}
	fi, err := os.Stat(filepath.Join(a.dir, indexName))
	if os.IsNotExist(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("allow list: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mtime.Equal(fi.ModTime()) && a.size == fi.Size() && !a.mtime.IsZero() {
		return a.list, a.version, nil
	}
	l, v, err := readAllow(a.dir)
	if err != nil {
		return nil, "", err
	}
	a.list, a.version, a.size, a.mtime = l, v, fi.Size(), fi.ModTime()
	return l, v, nil
}

func readAllow(dir string) (*ownlist.AllowList, string, error) {
	store, err := OpenExisting(dir)
	if err != nil || store == nil {
		if err != nil {
			err = fmt.Errorf("allow list: %w", err)
		}
		return nil, "", err
	}
	v, b, err := store.OwnLatest(ownlist.Allow)
	if err != nil {
		return nil, "", fmt.Errorf("allow list: %w", err)
	}
	if v == nil {
		return nil, "", nil
	}
	rows, err := ownlist.ParseAllow(b, v.Name)
	if err != nil {
		return nil, "", fmt.Errorf("allow list %s: %w", v.Label(), err)
	}
	return ownlist.NewAllowList(rows), fmt.Sprintf("%s, %d rows, sha256 %s", v.Label(), len(rows), v.SHA256), nil
}
