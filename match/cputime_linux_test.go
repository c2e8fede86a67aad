package match_test

import (
	"syscall"
	"time"
	"unsafe"
)

// processCPU returns the CPU time (user and system) the process has used so far, on every thread.
func processCPU() time.Duration { return clock(2) } // CLOCK_PROCESS_CPUTIME_ID

// threadCPU returns the CPU time the calling OS thread has used so far (lock the goroutine to its thread
// first). Unlike wall time, it does not count the time other processes hold the CPU.
func threadCPU() time.Duration { return clock(3) } // CLOCK_THREAD_CPUTIME_ID

// clock reads a CPU-time clock with nanosecond resolution (getrusage counts in scheduler ticks).
func clock(id uintptr) time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
