package fakeopenai

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// Reply is what the fake model answers: its text, finish reason and token
// counts.
type Reply struct {
	Text   string
	Finish string
	In     int
	Out    int
}

// Completion returns r as a chat.completion body (id "chatcmpl-1", model
// "fake-model").
func (r Reply) Completion() map[string]any {
	return map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "fake-model",
		"system_fingerprint": "fp_test",
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": r.Finish, "logprobs": nil,
			"message": map[string]any{"role": "assistant", "content": r.Text, "refusal": nil},
		}},
		"usage": map[string]any{"prompt_tokens": r.In, "completion_tokens": r.Out, "total_tokens": r.In + r.Out},
	}
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-test")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Chunk returns one SSE event of a streamed completion: a choice with delta
// and finish reason, or, when usage is non-nil, the usage chunk.
func Chunk(delta map[string]any, finish any, usage any) string {
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

// WriteStream sends parts as SSE deltas, then r's finish reason, the usage
// chunk when the request body asked for it, and [DONE].
func WriteStream(w http.ResponseWriter, body map[string]any, parts []string, r Reply) {
	writeDeltas(w, parts)
	io.WriteString(w, Chunk(map[string]any{}, r.Finish, nil))
	if so, ok := body["stream_options"].(map[string]any); ok && so["include_usage"] == true {
		io.WriteString(w, Chunk(nil, nil, map[string]any{"prompt_tokens": r.In, "completion_tokens": r.Out, "total_tokens": r.In + r.Out}))
	}
	io.WriteString(w, "data: [DONE]\n\n")
}

// writeDeltas opens a stream and sends parts as deltas, without an end.
func writeDeltas(w http.ResponseWriter, parts []string) {
	w.Header().Set("Content-Type", "text/event-stream")
	f, _ := w.(http.Flusher)
	io.WriteString(w, Chunk(map[string]any{"role": "assistant", "content": ""}, nil, nil))
	for i, p := range parts {
		io.WriteString(w, Chunk(map[string]any{"content": p}, nil, nil))
		if i%512 == 0 && f != nil {
			f.Flush()
		}
	}
}

// Answer serves r to every call: streamed in word deltas when the request
// asks, else as one completion.
func Answer(r Reply) fakeserver.Handler {
	return func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		if body["stream"] == true {
			WriteStream(w, body, chattest.Turn{Text: r.Text}.Deltas(), r)
			return
		}
		WriteJSON(w, http.StatusOK, r.Completion())
	}
}

// Play answers the n-th call with script.Turn(n-1), streamed in its deltas
// when the request asks. A stalled turn stops after the deltas and holds the
// stream open until the request ends (at most ten seconds).
func Play(script chattest.Script) fakeserver.Handler {
	return func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		turn := script.Turn(n - 1)
		rep := Reply{Text: turn.Text, Finish: string(cmp.Or(turn.FinishReason, chat.FinishStop)), In: turn.Usage.InputTokens, Out: turn.Usage.OutputTokens}
		switch {
		case body["stream"] != true:
			WriteJSON(w, http.StatusOK, rep.Completion())
		case turn.Stall:
			writeDeltas(w, turn.Deltas())
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		default:
			WriteStream(w, body, turn.Deltas(), rep)
		}
	}
}

// Fixed answers every request with r from bytes encoded once, streamed (in
// word deltas, with the usage chunk) when the body asks: the server's own
// cost stays small and constant, for benchmarks. It records nothing.
func Fixed(r Reply) http.Handler {
	plain, _ := json.Marshal(r.Completion())
	rec := httptest.NewRecorder()
	WriteStream(rec, map[string]any{"stream_options": map[string]any{"include_usage": true}}, chattest.Turn{Text: r.Text}.Deltas(), r)
	return fakeserver.Fixed(plain, rec.Body.Bytes())
}

// APIError returns an OpenAI error body.
func APIError(status int, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": "test_error", "param": nil, "code": fmt.Sprint(status)}}
}
