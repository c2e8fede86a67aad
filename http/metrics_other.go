//go:build !unix

package http

func processCPUSeconds() (float64, bool) { return 0, false }

func processResidentBytes() (int64, bool) { return 0, false }
