package jobs

import (
	"runtime"
	"testing"
)

// A batch job leaves a CPU to searches unless told otherwise.
func TestCPUs(t *testing.T) {
	want := max(1, runtime.GOMAXPROCS(0)-1)
	if got := (&Queue{}).CPUs(); got != want {
		t.Errorf("default: %d goroutines, want %d (GOMAXPROCS %d)", got, want, runtime.GOMAXPROCS(0))
	}
	if got := (&Queue{cfg: Config{CPUs: 3}}).CPUs(); got != 3 {
		t.Errorf("CPUs 3: %d goroutines", got)
	}
}
