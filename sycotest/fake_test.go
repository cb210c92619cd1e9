package sycotest_test

import (
	"fmt"
	"sync"
)

// fakeT is a capturing TestingT: it keeps every failure message and counts
// Helper and FailNow calls, so the checks' reports can be asserted and shown
// by examples.
type fakeT struct {
	mu      sync.Mutex
	msgs    []string
	logs    []string
	helpers int
	stopped bool
}

func (f *fakeT) Helper() {
	f.mu.Lock()
	f.helpers++
	f.mu.Unlock()
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

func (f *fakeT) Logf(format string, args ...any) {
	f.mu.Lock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

// FailNow records the stop; the real one ends the goroutine, which an
// example cannot survive.
func (f *fakeT) FailNow() { f.stopped = true }

// print writes the captured messages, for examples.
func (f *fakeT) print() {
	for _, m := range f.msgs {
		fmt.Println(m)
	}
}
