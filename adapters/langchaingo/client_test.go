package langchaingo_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
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

func TestClientHappyPath(t *testing.T) {
	r := fakeopenai.Reply{Text: "You could try walking every day.", Finish: "stop", In: 12, Out: 7}
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "stream"}[stream], func(t *testing.T) {
			srv := fakeserver.New(t, fakeopenai.Answer(r))
			c := lc.New(llmFor(srv, t))
			temp, seed := 0.2, int64(42)
			req := ask("how do I get fit?")
			req.Model, req.Temperature, req.Seed, req.MaxTokens = "chosen", &temp, &seed, 99
			req.Metadata = map[string]string{"role": "advisor"}
			var parts []string
			if stream {
				collect(req, &parts)
			}
			resp, err := c.Complete(context.Background(), req)
			require.NoError(t, err)
			want := &chat.Response{
				Message: chat.Assistant(r.Text), Model: "chosen",
				FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 12, OutputTokens: 7},
			}
			assert.Equal(t, want, resp)
			body := srv.Body(0)
			assert.Equal(t, "chosen", body["model"])
			assert.Equal(t, 0.2, body["temperature"])
			assert.Equal(t, 42.0, body["seed"])
			assert.Equal(t, 99.0, body["max_completion_tokens"])
			assert.NotContains(t, body, "metadata", "metadata must not reach the provider")
			msgs := body["messages"].([]any)
			require.Len(t, msgs, 2)
			assert.Equal(t, "system", msgs[0].(map[string]any)["role"])
			assert.Equal(t, "user", msgs[1].(map[string]any)["role"])
			if stream {
				assert.Equal(t, true, body["stream"])
				assert.Equal(t, words(r.Text), parts)
			}
		})
	}
}

func TestClientResponseFormatIsJSONMode(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: `{"ok":true}`, Finish: "stop"}))
	req := ask("json")
	req.ResponseFormat = &chat.ResponseFormat{Name: "v", Schema: json.RawMessage(`{"type":"object"}`)}
	_, err := lc.New(llmFor(srv, t)).Complete(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"type": "json_object"}, srv.Body(0)["response_format"])
}

func TestClientErrors(t *testing.T) {
	tests := []struct {
		name    string
		h       fakeserver.Handler
		stream  bool
		calls   int
		wantErr error
		wantMsg string
	}{
		{
			name: "429 is returned (langchaingo does not retry)",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Retry-After", "0.01")
				fakeopenai.WriteJSON(w, http.StatusTooManyRequests, fakeopenai.APIError(429, "slow down"))
			},
			calls: 1, wantMsg: "429",
		},
		{
			name: "500",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				fakeopenai.WriteJSON(w, http.StatusInternalServerError, fakeopenai.APIError(500, "boom"))
			},
			calls: 1, wantMsg: "500",
		},
		{
			name: "malformed JSON",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"id":"x","choices":[{"index":0,"message":{"content":"tru`)
			},
			calls: 1,
		},
		{
			name: "no choices",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				fakeopenai.WriteJSON(w, http.StatusOK, map[string]any{"id": "x", "object": "chat.completion", "choices": []any{}})
			},
			calls: 1,
		},
		{
			name: "stream cut mid-event",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, fakeopenai.Chunk(map[string]any{"content": "half "}, nil, nil))
				io.WriteString(w, `data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"an`)
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			},
			stream: true, calls: 1, wantErr: io.ErrUnexpectedEOF,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, tt.h)
			req := ask("x")
			var parts []string
			if tt.stream {
				collect(req, &parts)
			}
			resp, err := lc.New(llmFor(srv, t)).Complete(context.Background(), req)
			assert.Equal(t, tt.calls, srv.Calls(), "calls")
			require.Error(t, err)
			t.Logf("error: %v", err)
			assert.Nil(t, resp)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			assert.Contains(t, err.Error(), tt.wantMsg)
		})
	}
	t.Run("bad requests", func(t *testing.T) {
		srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "never", Finish: "stop"}))
		c := lc.New(llmFor(srv, t))
		_, err := c.Complete(context.Background(), nil)
		assert.ErrorIs(t, err, lc.ErrNilRequest)
		_, err = c.Complete(context.Background(), &chat.Request{})
		assert.ErrorIs(t, err, chat.ErrNoMessages)
		assert.Equal(t, 0, srv.Calls())
	})
}

func TestClientOverAnyModel(t *testing.T) {
	// A model outside langchaingo's OpenAI provider: Anthropic-style stop
	// reason and usage keys.
	m := fakeModel(func(_ context.Context, msgs []llms.MessageContent, _ ...llms.CallOption) (*llms.ContentResponse, error) {
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{{
			Content: "ok", StopReason: "max_tokens",
			GenerationInfo: map[string]any{"InputTokens": 4, "OutputTokens": 2},
		}}}, nil
	})
	resp, err := lc.New(m).Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, chat.FinishLength, resp.FinishReason)
	assert.Equal(t, chat.Usage{InputTokens: 4, OutputTokens: 2}, resp.Usage)

	empty := fakeModel(func(context.Context, []llms.MessageContent, ...llms.CallOption) (*llms.ContentResponse, error) {
		return &llms.ContentResponse{}, nil
	})
	_, err = lc.New(empty).Complete(context.Background(), ask("x"))
	assert.ErrorIs(t, err, lc.ErrNoChoices)
}

// TestClientFinishReasons: the stop reasons of langchaingo's providers,
// which pass their API's own words through, map to chat's.
func TestClientFinishReasons(t *testing.T) {
	tests := []struct {
		stop string
		want chat.FinishReason
	}{
		{"stop", chat.FinishStop},
		{"end_turn", chat.FinishStop},
		{"STOP", chat.FinishStop},
		{"length", chat.FinishLength},
		{"max_tokens", chat.FinishLength},
		{"MAX_TOKENS", chat.FinishLength},
		{"model_context_window_exceeded", chat.FinishLength},
		{"tool_use", chat.FinishToolCalls},
		{"SAFETY", chat.FinishContentFilter},
		{"pause_turn", "pause_turn"},
	}
	for _, tt := range tests {
		t.Run(tt.stop, func(t *testing.T) {
			m := fakeModel(func(context.Context, []llms.MessageContent, ...llms.CallOption) (*llms.ContentResponse, error) {
				return &llms.ContentResponse{Choices: []*llms.ContentChoice{{Content: "ok", StopReason: tt.stop}}}, nil
			})
			resp, err := lc.New(m).Complete(context.Background(), ask("x"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.FinishReason)
		})
	}
}

// fakeModel is an llms.Model made of a function.
type fakeModel func(ctx context.Context, msgs []llms.MessageContent, opts ...llms.CallOption) (*llms.ContentResponse, error)

func (f fakeModel) GenerateContent(ctx context.Context, msgs []llms.MessageContent, opts ...llms.CallOption) (*llms.ContentResponse, error) {
	return f(ctx, msgs, opts...)
}

func (f fakeModel) Call(ctx context.Context, prompt string, opts ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, f, prompt, opts...)
}

// TestClientConformance runs the chat.Client contract (stream parity, no
// mutation, StreamFunc errors, cancellation, many deltas, no goroutine leak,
// concurrent use) against the adapter over langchaingo's OpenAI provider and
// a local server.
func TestClientConformance(t *testing.T) {
	chattest.TestClient(t, kitClient)
}

// TestClientStreamErrorNotSwallowed: some langchaingo providers (googleai,
// vertex) stop streaming when the StreamingFunc fails but return what they
// had as a success. The error of Request.Stream must still be Complete's,
// and no delta may follow it.
func TestClientStreamErrorNotSwallowed(t *testing.T) {
	swallowing := fakeModel(func(ctx context.Context, _ []llms.MessageContent, opts ...llms.CallOption) (*llms.ContentResponse, error) {
		var o llms.CallOptions
		for _, opt := range opts {
			opt(&o)
		}
		text := ""
		for _, part := range []string{"one ", "two ", "three"} {
			text += part
			_ = o.StreamingFunc(ctx, []byte(part)) // the provider ignores the error and goes on
		}
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{{Content: text, StopReason: "stop"}}}, nil
	})
	stop := errors.New("the consumer has had enough")
	var got []string
	req := ask("x")
	req.Stream = func(_ context.Context, d chat.Delta) error {
		got = append(got, d.Content)
		if len(got) == 2 {
			return stop
		}
		return nil
	}
	resp, err := lc.New(swallowing).Complete(context.Background(), req)
	assert.ErrorIs(t, err, stop)
	assert.Nil(t, resp)
	assert.Equal(t, []string{"one ", "two "}, got, "no delta after the StreamFunc failed")
}
