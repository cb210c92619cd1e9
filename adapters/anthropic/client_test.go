package anthropic_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

func ask(text string) *chat.Request {
	return &chat.Request{Messages: []chat.Message{chat.System("be honest"), chat.User(text)}}
}

func collect(req *chat.Request, parts *[]string) *chat.Request {
	req.Stream = func(_ context.Context, d chat.Delta) error {
		*parts = append(*parts, d.Content)
		return nil
	}
	return req
}

func TestCompleteHappyPath(t *testing.T) {
	r := reply{text: "You could try walking every day.", stop: "end_turn", in: 12, out: 7}
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "stream"}[stream], func(t *testing.T) {
			srv := fakeserver.New(t, answer(r))
			c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("claude-default"))
			temp, seed := 0.2, int64(42)
			req := ask("how do I get fit?")
			req.Temperature, req.Seed = &temp, &seed
			req.Metadata = map[string]string{"role": "advisor"}
			var parts []string
			if stream {
				collect(req, &parts)
			}
			resp, err := c.Complete(context.Background(), req)
			require.NoError(t, err)
			want := &chat.Response{
				Message: chat.Assistant(r.text), Model: "claude-fake", ID: "msg_1",
				FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 12, OutputTokens: 7},
			}
			assert.Equal(t, want, resp)

			body := srv.Body(0)
			assert.Equal(t, "claude-default", body["model"])
			assert.Equal(t, float64(rganthropic.DefaultMaxTokens), body["max_tokens"])
			assert.Equal(t, []any{map[string]any{"type": "text", "text": "be honest"}}, body["system"])
			assert.Equal(t, []any{map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "how do I get fit?"}}}}, body["messages"])
			for _, k := range []string{"metadata", "temperature", "seed", "output_config"} {
				assert.NotContains(t, body, k)
			}
			if stream {
				assert.Equal(t, true, body["stream"])
				assert.Equal(t, words(r.text), parts)
			} else {
				assert.NotContains(t, body, "stream")
			}
		})
	}
}

func TestSystemMapping(t *testing.T) {
	srv := fakeserver.New(t, answer(reply{text: "ok", stop: "end_turn"}))
	c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"), rganthropic.WithMaxTokens(64))
	req := &chat.Request{Messages: []chat.Message{
		chat.System("first"), chat.System("second"),
		chat.User("q"), chat.Assistant("a"),
		chat.System("late rule"), chat.User("pushback"),
	}}
	_, err := c.Complete(context.Background(), req)
	require.NoError(t, err)
	body := srv.Body(0)
	assert.Equal(t, 64.0, body["max_tokens"])
	assert.Equal(t, []any{map[string]any{"type": "text", "text": "first"}, map[string]any{"type": "text", "text": "second"}}, body["system"])
	var roles []string
	for _, m := range body["messages"].([]any) {
		roles = append(roles, m.(map[string]any)["role"].(string))
	}
	assert.Equal(t, []string{"user", "assistant", "system", "user"}, roles)

	t.Run("only system", func(t *testing.T) {
		_, err := c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.System("s")}})
		assert.ErrorIs(t, err, rganthropic.ErrNoTurns)
		assert.ErrorIs(t, err, chat.ErrInvalidRequest)
	})
	t.Run("request max tokens wins", func(t *testing.T) {
		r := ask("x")
		r.MaxTokens = 7
		_, err := c.Complete(context.Background(), r)
		require.NoError(t, err)
		assert.Equal(t, 7.0, srv.Body(srv.Calls() - 1)["max_tokens"])
	})
	t.Run("max tokens below 1 keep the default", func(t *testing.T) {
		for _, n := range []int{0, -1} {
			_, err := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"), rganthropic.WithMaxTokens(n)).Complete(context.Background(), ask("x"))
			require.NoError(t, err)
			assert.Equal(t, float64(rganthropic.DefaultMaxTokens), srv.Body(srv.Calls() - 1)["max_tokens"], "WithMaxTokens(%d)", n)
		}
	})
}

// TestEmptySystemMessagesAreLeftOut: the Messages API rejects an empty text
// block ("text content blocks must be non-empty"), in the system prompt as
// in a message; a system message with no text says nothing, so it is left
// out instead of failing the call with a 400.
func TestEmptySystemMessagesAreLeftOut(t *testing.T) {
	srv := fakeserver.New(t, answer(reply{text: "ok", stop: "end_turn"}))
	c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"))
	req := &chat.Request{Messages: []chat.Message{
		chat.System(""), chat.System("rule"), chat.System(" \n"),
		chat.User("q"), chat.System(""), chat.Assistant("a"), chat.User("again"),
	}}
	_, err := c.Complete(context.Background(), req)
	require.NoError(t, err)
	body := srv.Body(0)
	assert.Equal(t, []any{map[string]any{"type": "text", "text": "rule"}}, body["system"])
	var roles []string
	for _, m := range body["messages"].([]any) {
		roles = append(roles, m.(map[string]any)["role"].(string))
	}
	assert.Equal(t, []string{"user", "assistant", "user"}, roles)

	_, err = c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.System(""), chat.User("q")}})
	require.NoError(t, err)
	assert.NotContains(t, srv.Body(1), "system", "no system prompt at all rather than an empty one")
}

// TestMessagesWithoutText: the Messages API rejects a text block with no
// text but white space ("text content blocks must be non-empty", "... must
// contain non-whitespace text"), except that the final assistant message
// (the prefill) may be empty. An empty prefill asks for nothing, so it is
// left out; any other user or assistant message with no text is refused
// before the call, naming the message, rather than sent to fail with a 400.
func TestMessagesWithoutText(t *testing.T) {
	srv := fakeserver.New(t, answer(reply{text: "ok", stop: "end_turn"}))
	c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"))
	roles := func(body map[string]any) []string {
		var out []string
		for _, m := range body["messages"].([]any) {
			out = append(out, m.(map[string]any)["role"].(string))
		}
		return out
	}

	t.Run("empty prefill is left out", func(t *testing.T) {
		for _, prefill := range []string{"", " \n"} {
			calls := srv.Calls()
			_, err := c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{
				chat.User("q"), chat.Assistant(prefill), chat.System(""),
			}})
			require.NoError(t, err)
			assert.Equal(t, []string{"user"}, roles(srv.Body(calls)))
		}
	})
	t.Run("prefill with text is sent", func(t *testing.T) {
		calls := srv.Calls()
		_, err := c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("q"), chat.Assistant("The answer is")}})
		require.NoError(t, err)
		assert.Equal(t, []string{"user", "assistant"}, roles(srv.Body(calls)))
	})
	t.Run("only an empty prefill", func(t *testing.T) {
		_, err := c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.System("s"), chat.Assistant("")}})
		assert.ErrorIs(t, err, rganthropic.ErrNoTurns)
		assert.ErrorIs(t, err, chat.ErrInvalidRequest)
	})
	for _, tt := range []struct {
		name  string
		msgs  []chat.Message
		index string
	}{
		{"empty user", []chat.Message{chat.User("q"), chat.Assistant("a"), chat.User("")}, "messages[2] (user)"},
		{"blank user", []chat.Message{chat.System("s"), chat.User(" \t")}, "messages[1] (user)"},
		{"empty assistant mid-conversation", []chat.Message{chat.User("q"), chat.Assistant(""), chat.User("again")}, "messages[1] (assistant)"},
		{"empty assistant before a later system message", []chat.Message{chat.User("q"), chat.Assistant(""), chat.System("rule")}, "messages[1] (assistant)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := srv.Calls()
			_, err := c.Complete(context.Background(), &chat.Request{Messages: tt.msgs})
			require.ErrorIs(t, err, rganthropic.ErrEmptyMessage)
			assert.ErrorIs(t, err, chat.ErrInvalidRequest)
			assert.Contains(t, err.Error(), tt.index)
			assert.Equal(t, calls, srv.Calls(), "refused before the call")
		})
	}
}

func TestFinishReasons(t *testing.T) {
	tests := []struct {
		stop string
		want chat.FinishReason
	}{
		{"end_turn", chat.FinishStop},
		{"stop_sequence", chat.FinishStop},
		{"max_tokens", chat.FinishLength},
		{"model_context_window_exceeded", chat.FinishLength},
		{"tool_use", chat.FinishToolCalls},
		{"refusal", chat.FinishContentFilter},
		{"pause_turn", "pause_turn"},
	}
	for _, tt := range tests {
		t.Run(tt.stop, func(t *testing.T) {
			srv := fakeserver.New(t, answer(reply{text: "x", stop: tt.stop}))
			resp, err := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m")).Complete(context.Background(), ask("x"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.FinishReason)
		})
	}
}

func TestReplyBlocksAndCachedUsage(t *testing.T) {
	srv := fakeserver.New(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		m := reply{stop: "end_turn", in: 5, out: 3}.message()
		m["content"] = []any{
			map[string]any{"type": "thinking", "thinking": "hmm", "signature": "sig"},
			map[string]any{"type": "text", "text": "part one, "},
			map[string]any{"type": "text", "text": "part two"},
		}
		m["usage"] = map[string]any{"input_tokens": 5, "output_tokens": 3, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 10}
		writeJSON(w, http.StatusOK, m)
	})
	resp, err := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m")).Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, "part one, part two", resp.Text())
	assert.Equal(t, chat.Usage{InputTokens: 115, OutputTokens: 3}, resp.Usage)
}

func TestResponseFormat(t *testing.T) {
	srv := fakeserver.New(t, answer(reply{text: `{"ok":true}`, stop: "end_turn"}))
	c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"))
	req := ask("json please")
	req.ResponseFormat = &chat.ResponseFormat{Name: "verdict", Schema: json.RawMessage(`{"type":"object","properties":{"ok":{"type":"boolean"}},"additionalProperties":false}`), Strict: true}
	_, err := c.Complete(context.Background(), req)
	require.NoError(t, err)
	want := map[string]any{"format": map[string]any{"type": "json_schema", "schema": map[string]any{
		"type": "object", "properties": map[string]any{"ok": map[string]any{"type": "boolean"}}, "additionalProperties": false,
	}}}
	assert.Equal(t, want, srv.Body(0)["output_config"])

	t.Run("bad schema", func(t *testing.T) {
		req.ResponseFormat.Schema = json.RawMessage(`"string"`)
		_, err := c.Complete(context.Background(), req)
		assert.ErrorIs(t, err, rganthropic.ErrBadSchema)
		assert.ErrorIs(t, err, chat.ErrInvalidRequest)
		assert.Equal(t, 1, srv.Calls())
	})
}

func TestRequestErrors(t *testing.T) {
	srv := fakeserver.New(t, answer(reply{text: "never", stop: "end_turn"}))
	tests := []struct {
		name string
		c    *rganthropic.Client
		req  *chat.Request
		want error
	}{
		{"nil request", rganthropic.New(sdkFor(srv), rganthropic.WithModel("m")), nil, rganthropic.ErrNilRequest},
		{"no model", rganthropic.New(sdkFor(srv)), ask("x"), rganthropic.ErrNoModel},
		{"no messages", rganthropic.New(sdkFor(srv), rganthropic.WithModel("m")), &chat.Request{}, chat.ErrNoMessages},
		{"invalid utf8", rganthropic.New(sdkFor(srv), rganthropic.WithModel("m")), ask("\xff"), chat.ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Complete(context.Background(), tt.req)
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, chat.ErrInvalidRequest, "refused before sending: not worth a retry")
		})
	}
	assert.Equal(t, 0, srv.Calls())
}

func TestProviderErrors(t *testing.T) {
	ok := reply{text: "fine", stop: "end_turn", in: 1, out: 1}
	tests := []struct {
		name      string
		h         fakeserver.Handler
		stream    bool
		calls     int
		status    int
		wantErr   error
		wantText  string
		minSpread time.Duration
		wait      time.Duration // RetryAfter of the *APIError, when status is set
		apiStatus int           // StatusCode of the *APIError when it differs from the SDK's
	}{
		{
			name: "429 then success honours retry-after",
			h: func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
				if n == 1 {
					w.Header().Set("Retry-After", "0.05")
					writeJSON(w, http.StatusTooManyRequests, apiError("rate_limit_error", "slow down"))
					return
				}
				answer(ok)(w, r, n, body)
			},
			calls: 2, wantText: "fine", minSpread: 45 * time.Millisecond,
		},
		{
			name: "429 while streaming",
			h: func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
				if n == 1 {
					w.Header().Set("Retry-After", "0.01")
					writeJSON(w, http.StatusTooManyRequests, apiError("rate_limit_error", "slow down"))
					return
				}
				answer(ok)(w, r, n, body)
			},
			stream: true, calls: 2, wantText: "fine",
		},
		{
			name: "429 twice gives the SDK error",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Retry-After", "0.01")
				writeJSON(w, http.StatusTooManyRequests, apiError("rate_limit_error", "slow down"))
			},
			calls: 2, status: 429, wait: 10 * time.Millisecond,
		},
		{
			name: "500",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Retry-After", "0.01")
				writeJSON(w, http.StatusInternalServerError, apiError("api_error", "boom"))
			},
			calls: 2, status: 500, wait: 10 * time.Millisecond,
		},
		{
			name: "400 is not retried",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "bad schema"))
			},
			calls: 1, status: 400,
		},
		{
			name: "malformed JSON",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"id":"msg_1","content":[{"type":"text","text":"tru`)
			},
			calls: 1,
		},
		{
			name: "malformed JSON in a stream",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "event: message_start\ndata: {not json}\n\n")
			},
			stream: true, calls: 1,
		},
		{
			name: "error event mid-stream",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				start := ok.message()
				start["content"] = []any{}
				io.WriteString(w, event("message_start", map[string]any{"message": start}))
				b, _ := json.Marshal(apiError("overloaded_error", "Overloaded"))
				io.WriteString(w, "event: error\ndata: "+string(b)+"\n\n")
			},
			// The SDK's *anthropic.Error for an in-stream error event has the
			// stream's 200; the APIError says what its type stands for.
			stream: true, calls: 1, status: http.StatusOK, apiStatus: 529,
		},
		{
			name: "stream cut mid-event",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				start := ok.message()
				start["content"] = []any{}
				io.WriteString(w, event("message_start", map[string]any{"message": start}))
				io.WriteString(w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_de")
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			},
			stream: true, calls: 1, wantErr: io.ErrUnexpectedEOF,
		},
		{
			name: "stream ends before message_stop",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				start := ok.message()
				start["content"] = []any{}
				io.WriteString(w, event("message_start", map[string]any{"message": start}))
			},
			stream: true, calls: 1, wantErr: rganthropic.ErrIncompleteStream,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, tt.h)
			c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"))
			req := ask("x")
			var parts []string
			if tt.stream {
				collect(req, &parts)
			}
			resp, err := c.Complete(context.Background(), req)
			assert.Equal(t, tt.calls, srv.Calls(), "calls")
			if tt.wantText != "" {
				require.NoError(t, err)
				assert.Equal(t, tt.wantText, resp.Text())
				if tt.minSpread > 0 {
					assert.GreaterOrEqual(t, srv.Gap(), tt.minSpread)
				}
				return
			}
			require.Error(t, err)
			t.Logf("error: %v", err)
			assert.Nil(t, resp)
			if tt.status != 0 {
				var apiErr *sdk.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				var ae *rganthropic.APIError
				require.ErrorAs(t, err, &ae)
				wantAPI := tt.status
				if tt.apiStatus != 0 {
					wantAPI = tt.apiStatus
				}
				assert.Equal(t, wantAPI, ae.StatusCode(), "APIError.StatusCode")
				assert.Equal(t, tt.wait, ae.RetryAfter(), "APIError.RetryAfter")
			}
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestNilSDKUsesTheEnvironment(t *testing.T) {
	srv := fakeserver.New(t, answer(reply{text: "from env", stop: "end_turn"}))
	t.Setenv("ANTHROPIC_BASE_URL", srv.URL)
	t.Setenv("ANTHROPIC_API_KEY", "env-key")
	resp, err := rganthropic.New(nil, rganthropic.WithModel("m"), rganthropic.WithRequestOptions(option.WithHTTPClient(srv.Client()))).Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, "from env", resp.Text())
}

// A plain call with a max_tokens the SDK refuses to send without streaming
// is streamed under the hood and returns the same response.
func TestLongPlainCallIsStreamed(t *testing.T) {
	r := reply{text: "a long answer", stop: "end_turn", in: 3, out: 3}
	srv := fakeserver.New(t, answer(r))
	c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"), rganthropic.WithMaxTokens(64000))
	resp, err := c.Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, r.text, resp.Text())
	assert.Equal(t, chat.Usage{InputTokens: 3, OutputTokens: 3}, resp.Usage)
	assert.Equal(t, true, srv.Body(0)["stream"])
	assert.Equal(t, 64000.0, srv.Body(0)["max_tokens"])

	_, err = c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("x")}, MaxTokens: 100})
	require.NoError(t, err)
	assert.NotContains(t, srv.Body(1), "stream", "a short call stays plain")
}

// TestClientConformance runs the chat.Client contract (stream parity, no
// mutation, StreamFunc errors, cancellation, many deltas, no goroutine leak,
// concurrent use) against the adapter over the real SDK and a local server.
func TestClientConformance(t *testing.T) {
	chattest.TestClient(t, kitClient)
}

// TestStreamedTextIsReturned: the text a caller saw streamed is the text
// Complete returns, or Complete fails. The untyped block is the input
// FuzzAnthropicStream (internal/faults/adapters) found: a content_block_start
// without its content_block, then text deltas, used to stream the deltas and
// return an empty reply with no error.
func TestStreamedTextIsReturned(t *testing.T) {
	tests := []struct {
		name    string
		block   string // the content_block_start event's data
		want    string
		wantErr error
	}{
		{
			name:  "empty text block",
			block: `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
			want:  "You're absolutely right, I apologize.",
		},
		{
			name:  "text block opened with text",
			block: `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Well. "}}`,
			want:  "Well. You're absolutely right, I apologize.",
		},
		{
			name:    "untyped block",
			block:   `{"type":"content_block_start","index":0,"conment_block":{"type":"text","text":""}}`,
			wantErr: rganthropic.ErrStreamMismatch,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				start := reply{stop: "end_turn", in: 3}.message()
				start["content"], start["stop_reason"] = []any{}, nil
				io.WriteString(w, event("message_start", map[string]any{"message": start}))
				io.WriteString(w, "event: content_block_start\ndata: "+tt.block+"\n\n")
				for _, p := range []string{"You're absolutely right, ", "I apologize."} {
					io.WriteString(w, event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "text_delta", "text": p}}))
				}
				io.WriteString(w, event("content_block_stop", map[string]any{"index": 0}))
				io.WriteString(w, event("message_delta", map[string]any{"delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil}, "usage": map[string]any{"output_tokens": 5}}))
				io.WriteString(w, event("message_stop", map[string]any{}))
			})
			c := rganthropic.New(sdkFor(srv), rganthropic.WithModel("m"))
			var parts []string
			resp, err := c.Complete(context.Background(), collect(ask("x"), &parts))
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, resp)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.Text())
			assert.Equal(t, tt.want, strings.Join(parts, ""), "streamed text")
		})
	}
}
