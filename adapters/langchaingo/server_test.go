package langchaingo_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
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

func newServer(t chattest.T, h handler) *server {
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
func (s *server) llm(t chattest.T) *lcopenai.LLM {
	t.Helper()
	m, err := lcopenai.New(
		lcopenai.WithToken("test-key"),
		lcopenai.WithBaseURL(s.URL+"/v1"),
		lcopenai.WithHTTPClient(s.Client()),
		lcopenai.WithModel("default-model"),
	)
	if err != nil {
		t.Fatalf("langchaingo OpenAI provider: %v", err)
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

func words(s string) []string { return chattest.Turn{Text: s}.Deltas() }

// play answers the n-th call with script.Turn(n-1), streamed in its deltas
// when the request asks; a stalled turn stops after the deltas and holds the
// stream open until the request ends.
func play(script chattest.Script) handler {
	return func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		turn := script.Turn(n - 1)
		rep := reply{text: turn.Text, finish: string(cmp.Or(turn.FinishReason, chat.FinishStop)), in: turn.Usage.InputTokens, out: turn.Usage.OutputTokens}
		switch {
		case body["stream"] != true:
			writeJSON(w, http.StatusOK, rep.completion())
		case turn.Stall:
			w.Header().Set("Content-Type", "text/event-stream")
			for _, p := range turn.Deltas() {
				io.WriteString(w, chunk(map[string]any{"content": p}, nil, nil))
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		default:
			writeStream(w, body, turn.Deltas(), rep)
		}
	}
}

// kitClient is the adapter under the chattest and guardtest kits: a Client
// over langchaingo's OpenAI provider, talking to a local server that plays
// the script.
func kitClient(t chattest.T, script chattest.Script) chat.Client {
	return lc.New(newServer(t, play(script)).llm(t))
}

func apiError(status int, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": "test_error", "param": nil, "code": fmt.Sprint(status)}}
}

// gap returns the time between the first two calls.
func (s *server) gap() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times[1].Sub(s.times[0])
}

func decodeJSON(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
