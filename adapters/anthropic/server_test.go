package anthropic_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// server is a local stand-in for the Messages endpoint. Each test scripts it
// with a handler that gets the 1-based call number and the decoded body.
type server struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	times  []time.Time
}

type handler func(w http.ResponseWriter, r *http.Request, call int, body map[string]any)

func newServer(t testing.TB, h handler) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.times = append(s.times, time.Now())
		n := len(s.bodies)
		s.mu.Unlock()
		h(w, r, n, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// sdk returns a real Anthropic client pointed at the server, with one retry
// and no credentials or base URL taken from the environment.
func (s *server) sdk(opts ...option.RequestOption) *sdk.Client {
	base := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(s.URL),
		option.WithAPIKey("test-key"),
		option.WithHTTPClient(s.Client()),
		option.WithMaxRetries(1),
	}
	c := sdk.NewClient(append(base, opts...)...)
	return &c
}

func (s *server) body(i int) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[i]
}

func (s *server) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func (s *server) gap() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times[1].Sub(s.times[0])
}

// reply is what the fake model answers.
type reply struct {
	text string
	stop string
	in   int
	out  int
}

func (r reply) message() map[string]any {
	return map[string]any{
		"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-fake",
		"content":     []any{map[string]any{"type": "text", "text": r.text}},
		"stop_reason": r.stop, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": r.in, "output_tokens": r.out},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func event(typ string, v map[string]any) string {
	v["type"] = typ
	b, _ := json.Marshal(v)
	return "event: " + typ + "\ndata: " + string(b) + "\n\n"
}

// writeStream sends parts as text deltas framed by the Messages API events.
func writeStream(w http.ResponseWriter, parts []string, r reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	f, _ := w.(http.Flusher)
	start := r.message()
	start["content"], start["stop_reason"] = []any{}, nil
	start["usage"] = map[string]any{"input_tokens": r.in, "output_tokens": 1}
	io.WriteString(w, event("message_start", map[string]any{"message": start}))
	io.WriteString(w, event("content_block_start", map[string]any{"index": 0, "content_block": map[string]any{"type": "text", "text": ""}}))
	io.WriteString(w, event("ping", map[string]any{}))
	for i, p := range parts {
		io.WriteString(w, event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "text_delta", "text": p}}))
		if i%512 == 0 && f != nil {
			f.Flush()
		}
	}
	io.WriteString(w, event("content_block_stop", map[string]any{"index": 0}))
	io.WriteString(w, event("message_delta", map[string]any{"delta": map[string]any{"stop_reason": r.stop, "stop_sequence": nil}, "usage": map[string]any{"output_tokens": r.out}}))
	io.WriteString(w, event("message_stop", map[string]any{}))
}

// answer serves r streamed (in word-sized deltas) or not, as the request asks.
func answer(r reply) handler {
	return func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		if body["stream"] == true {
			writeStream(w, words(r.text), r)
			return
		}
		writeJSON(w, http.StatusOK, r.message())
	}
}

func words(s string) []string {
	var out []string
	for w := range strings.SplitAfterSeq(s, " ") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func apiError(typ, msg string) map[string]any {
	return map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}
}

func numGoroutine() int { return runtime.NumGoroutine() }

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
