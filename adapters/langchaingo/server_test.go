package langchaingo_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	lcopenai "github.com/tmc/langchaingo/llms/openai"
)

// server is a local stand-in for the Chat Completions endpoint. Each test
// scripts it with a handler that gets the 1-based call number and the body.
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

// llm returns langchaingo's real OpenAI provider pointed at the server.
func (s *server) llm(t testing.TB) *lcopenai.LLM {
	t.Helper()
	m, err := lcopenai.New(
		lcopenai.WithToken("test-key"),
		lcopenai.WithBaseURL(s.URL+"/v1"),
		lcopenai.WithHTTPClient(s.Client()),
		lcopenai.WithModel("default-model"),
	)
	if err != nil {
		t.Fatal(err)
	}
	return m
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

// reply is what the fake model answers.
type reply struct {
	text   string
	finish string
	in     int
	out    int
}

func (r reply) completion() map[string]any {
	return map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "fake-model",
		"system_fingerprint": "fp_test",
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": r.finish, "logprobs": nil,
			"message": map[string]any{"role": "assistant", "content": r.text, "refusal": nil},
		}},
		"usage": map[string]any{"prompt_tokens": r.in, "completion_tokens": r.out, "total_tokens": r.in + r.out},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-test")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func chunk(delta map[string]any, finish any, usage any) string {
	c := map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "fake-model",
		"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
	}
	if usage != nil {
		c["choices"] = []any{}
		c["usage"] = usage
	}
	b, _ := json.Marshal(c)
	return "data: " + string(b) + "\n\n"
}

// writeStream sends parts as SSE deltas, then the finish reason, the usage
// chunk when the request asked for it, and [DONE].
func writeStream(w http.ResponseWriter, body map[string]any, parts []string, r reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	f, _ := w.(http.Flusher)
	io.WriteString(w, chunk(map[string]any{"role": "assistant", "content": ""}, nil, nil))
	for i, p := range parts {
		io.WriteString(w, chunk(map[string]any{"content": p}, nil, nil))
		if i%512 == 0 && f != nil {
			f.Flush()
		}
	}
	io.WriteString(w, chunk(map[string]any{}, r.finish, nil))
	if so, ok := body["stream_options"].(map[string]any); ok && so["include_usage"] == true {
		io.WriteString(w, chunk(nil, nil, map[string]any{"prompt_tokens": r.in, "completion_tokens": r.out, "total_tokens": r.in + r.out}))
	}
	io.WriteString(w, "data: [DONE]\n\n")
}

// answer serves r streamed (in word-sized deltas) or not, as the request asks.
func answer(r reply) handler {
	return func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		if body["stream"] == true {
			writeStream(w, body, words(r.text), r)
			return
		}
		writeJSON(w, http.StatusOK, r.completion())
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

func apiError(status int, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": "test_error", "param": nil, "code": fmt.Sprint(status)}}
}

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

// gap returns the time between the first two calls.
func (s *server) gap() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times[1].Sub(s.times[0])
}

func decodeJSON(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
