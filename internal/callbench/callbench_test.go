package callbench_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/internal/callbench"
)

func TestInMemory(t *testing.T) {
	c := callbench.InMemory(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Path", r.URL.Path)
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "served in memory")
	}))
	resp, err := c.Get("http://nowhere.invalid/v1/chat")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusTeapot || string(body) != "served in memory" || resp.Header.Get("X-Path") != "/v1/chat" {
		t.Errorf("got %d %q %q", resp.StatusCode, body, resp.Header.Get("X-Path"))
	}
}

func TestMeasureReportsCPUTime(t *testing.T) {
	calls := 0
	res := testing.Benchmark(func(b *testing.B) {
		callbench.Measure(b, func() {
			calls++
			_ = strings.Repeat("x", 1<<12)
		})
	})
	if res.N == 0 || calls < res.N {
		t.Fatalf("%d calls for N = %d", calls, res.N)
	}
	if res.AllocsPerOp() < 1 {
		t.Errorf("allocs/op = %d, want the allocation reported", res.AllocsPerOp())
	}
	cpu, ok := res.Extra["cpu-ns/op"]
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris", "aix", "illumos":
		if !ok || cpu <= 0 {
			t.Errorf("cpu-ns/op = %v (reported %v), want a positive figure on %s", cpu, ok, runtime.GOOS)
		}
	}
}
