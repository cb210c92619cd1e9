package anthropic_test

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// sdkFor returns a real Anthropic client pointed at the local server, with
// one retry and no credentials or base URL taken from the environment.
func sdkFor(s *fakeserver.Server, opts ...option.RequestOption) *sdk.Client {
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
func answer(r reply) fakeserver.Handler {
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
func play(script chattest.Script) fakeserver.Handler {
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
	return rganthropic.New(sdkFor(fakeserver.New(t, play(script))), rganthropic.WithModel("m"))
}

func apiError(typ, msg string) map[string]any {
	return map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}
}
