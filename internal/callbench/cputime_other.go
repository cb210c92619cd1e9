//go:build !unix

package callbench

import "time"

// cpuTime is not measured on this platform; Measure then reports no cpu-ns/op.
func cpuTime() time.Duration { return 0 }
