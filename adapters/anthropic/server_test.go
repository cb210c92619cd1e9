package anthropic_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
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
	writeDeltas(w, parts, r)
	io.WriteString(w, event("content_block_stop", map[string]any{"index": 0}))
	io.WriteString(w, event("message_delta", map[string]any{"delta": map[string]any{"stop_reason": r.stop, "stop_sequence": nil}, "usage": map[string]any{"output_tokens": r.out}}))
	io.WriteString(w, event("message_stop", map[string]any{}))
}

// writeDeltas opens a stream and sends parts as text deltas, without the
// events that end the message.
func writeDeltas(w http.ResponseWriter, parts []string, r reply) {
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

func words(s string) []string { return chattest.Turn{Text: s}.Deltas() }

// stopReasons maps chat's finish reasons onto the Messages API's.
var stopReasons = map[chat.FinishReason]string{
	"": "end_turn", chat.FinishStop: "end_turn", chat.FinishLength: "max_tokens",
	chat.FinishToolCalls: "tool_use", chat.FinishContentFilter: "refusal",
}

// play answers the n-th call with script.Turn(n-1), streamed in its deltas
// when the request asks; a stalled turn stops after the deltas and holds the
// stream open until the request ends.
func play(script chattest.Script) handler {
	return func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		turn := script.Turn(n - 1)
		stop, ok := stopReasons[turn.FinishReason]
		if !ok {
			stop = string(turn.FinishReason)
		}
		rep := reply{text: turn.Text, stop: stop, in: turn.Usage.InputTokens, out: turn.Usage.OutputTokens}
		switch {
		case body["stream"] != true:
			writeJSON(w, http.StatusOK, rep.message())
		case turn.Stall:
			writeDeltas(w, turn.Deltas(), rep)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		default:
			writeStream(w, turn.Deltas(), rep)
		}
	}
}

// kitClient is the adapter under the chattest and guardtest kits: a Client
// over the real SDK, talking to a local server that plays the script.
func kitClient(t chattest.T, script chattest.Script) chat.Client {
	return rganthropic.New(newServer(t, play(script)).sdk(), rganthropic.WithModel("m"))
}

func apiError(typ, msg string) map[string]any {
	return map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}
}
