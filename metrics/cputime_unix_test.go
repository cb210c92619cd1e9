//go:build unix

package metrics

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time. On a loaded machine a
// benchmark's wall time includes waiting for a core; CPU time does not, so
// benchmarks report both.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
