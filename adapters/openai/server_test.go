package openai_test

import (
	"runtime"
	"testing"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// sdkFor returns a real openai-go client pointed at the local server, with
// one retry.
func sdkFor(s *fakeserver.Server, opts ...option.RequestOption) *oai.Client {
	base := []option.RequestOption{
		option.WithBaseURL(s.URL + "/v1/"),
		option.WithAPIKey("test-key"),
		option.WithHTTPClient(s.Client()),
		option.WithMaxRetries(1),
	}
	c := oai.NewClient(append(base, opts...)...)
	return &c
}

// kitClient is the adapter under the chattest and guardtest kits: a Client
// over the real SDK, talking to a local server that plays the script.
func kitClient(t chattest.T, script chattest.Script) chat.Client {
	return rgopenai.New(sdkFor(fakeserver.New(t, fakeopenai.Play(script))), rgopenai.WithModel("m"))
}

func words(s string) []string { return chattest.Turn{Text: s}.Deltas() }

// checkGoroutines fails t if more goroutines run than before, after giving
// the ones that are ending a moment to finish.
func checkGoroutines(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("goroutines: %d before, %d after\n%s", before, n, buf)
	}
}

func numGoroutine() int { return runtime.NumGoroutine() }
