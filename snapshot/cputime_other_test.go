//go:build !linux

package snapshot

import "time"

// processCPU is not measured on this system: the CPU metrics are left out.
func processCPU() time.Duration { return 0 }
