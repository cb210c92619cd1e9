package guard_test

import (
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
)

// TestNewCompilesTheLanguage checks, in a fresh process (the language
// compiles once per process, and other tests have compiled it here), that
// guard.New leaves the heuristics' language compiled, so that the first
// request does not pay for it: metrics.English then allocates (next to) nothing
// (testing.AllocsPerRun would not do: it warms up first).
func TestNewCompilesTheLanguage(t *testing.T) {
	if os.Getenv("ROLEGATE_WARM_CHILD") == "1" {
		guard.New(nil)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		metrics.English()
		runtime.ReadMemStats(&after)
		// Compiling allocates tens of thousands of times; the bound
		// leaves room for the runtime's own background allocations.
		if n := after.Mallocs - before.Mallocs; n > 100 {
			t.Fatalf("metrics.English allocated %d times after guard.New: the language was not compiled", n)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNewCompilesTheLanguage$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ROLEGATE_WARM_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
