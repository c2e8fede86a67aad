//go:build !linux

package match_test

import "time"

// processCPU is not measured on this system: the CPU metrics are left out.
func processCPU() time.Duration { return 0 }

// threadCPU is not measured on this system: the CPU metrics are left out.
func threadCPU() time.Duration { return 0 }
