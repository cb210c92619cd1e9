package callbench_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
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

func TestPlainAndStreamed(t *testing.T) {
	c := chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Content: "a b c"} })
	testing.Benchmark(func(b *testing.B) {
		callbench.Plain(b, "fake", c, func() *chat.Request { return &chat.Request{Messages: []chat.Message{chat.User("x")}} })
		callbench.Streamed(b, "fake", c, func() *chat.Request { return &chat.Request{Messages: []chat.Message{chat.User("x")}} })
	})
	calls := c.Calls()
	if len(calls) == 0 {
		t.Fatal("no call measured")
	}
	plain, streamed := 0, 0
	for _, r := range calls {
		if r.Stream != nil {
			streamed++
		} else {
			plain++
		}
	}
	if plain == 0 || streamed == 0 {
		t.Errorf("%d plain and %d streamed calls, want both", plain, streamed)
	}
}
