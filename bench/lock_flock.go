//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package bench

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f without waiting, so that
// two runs never append to the same checkpoint. The lock goes with the
// file's closing, or the process's death (kill -9 included).
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return fmt.Errorf("%w: %s is in use by another run", ErrCheckpoint, f.Name())
	}
	if err != nil {
		return fmt.Errorf("%w: lock %s: %w", ErrCheckpoint, f.Name(), err)
	}
	return nil
}
