//go:build !unix

package langchaingo_test

import "time"

// cpuTime is not measured on this platform; measure then reports no cpu-ns/op.
func cpuTime() time.Duration { return 0 }
