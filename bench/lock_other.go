//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package bench

import "os"

// lockFile does nothing where flock is not available: do not start two runs
// on the same checkpoint there.
func lockFile(*os.File) error { return nil }
