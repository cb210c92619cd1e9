package langchaingo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
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
			req.Messages = append(req.Messages, chat.Assistant("Move more."), chat.User("how, exactly?"))
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
			var roles, texts []string
			for _, m := range body["messages"].([]any) {
				roles = append(roles, fmt.Sprint(m.(map[string]any)["role"]))
				texts = append(texts, fmt.Sprint(m.(map[string]any)["content"]))
			}
			assert.Equal(t, []string{"system", "user", "assistant", "user"}, roles)
			assert.Equal(t, []string{"be honest", "how do I get fit?", "Move more.", "how, exactly?"}, texts)
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
		// status is the HTTP status the error carries as a *chat.APIError,
		// 0 for none; the retry logic reads it.
		status int
	}{
		{
			name: "429 is returned (langchaingo does not retry) with its status",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Retry-After", "0.01")
				fakeopenai.WriteJSON(w, http.StatusTooManyRequests, fakeopenai.APIError(429, "slow down"))
			},
			calls: 1, wantMsg: "429", status: 429,
		},
		{
			name: "500",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				fakeopenai.WriteJSON(w, http.StatusInternalServerError, fakeopenai.APIError(500, "boom"))
			},
			calls: 1, wantMsg: "500", status: 500,
		},
		{
			name: "400 carries its status and is not transient",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				fakeopenai.WriteJSON(w, http.StatusBadRequest, fakeopenai.APIError(400, "bad model"))
			},
			calls: 1, wantMsg: "bad model", status: 400,
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
			var apiErr *chat.APIError
			if tt.status == 0 {
				assert.False(t, errors.As(err, &apiErr), "no HTTP status, no APIError")
				return
			}
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode())
			assert.Equal(t, tt.status == 429 || tt.status >= 500, judge.IsTransient(err), "transient")
		})
	}
	t.Run("bad requests", func(t *testing.T) {
		srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "never", Finish: "stop"}))
		c := lc.New(llmFor(srv, t))
		_, err := c.Complete(context.Background(), nil)
		assert.ErrorIs(t, err, lc.ErrNilRequest)
		assert.ErrorIs(t, err, chat.ErrInvalidRequest, "refused before sending: not worth a retry")
		_, err = c.Complete(context.Background(), &chat.Request{})
		assert.ErrorIs(t, err, chat.ErrNoMessages)
		assert.ErrorIs(t, err, chat.ErrInvalidRequest)
		assert.Equal(t, 0, srv.Calls())
	})
}

// TestClientModelErrors: a model's error keeps its chain and tells retry
// logic whether it is temporary: by the HTTP status langchaingo's clients
// write at the start of their message, or by langchaingo's standard error
// codes. Anything else is not guessed at.
func TestClientModelErrors(t *testing.T) {
	rateLimited := llms.NewError(llms.ErrCodeRateLimit, "openai", "Rate limit exceeded")
	tests := []struct {
		name      string
		err       error
		status    int
		transient bool
	}{
		{"status prefix", errors.New("API returned unexpected status code: 503: overloaded"), 503, true},
		{"status prefix, wrapped", fmt.Errorf("anthropic: %w", errors.New("API returned unexpected status code: 429")), 429, true},
		{"client error status", errors.New("API returned unexpected status code: 401: bad key"), 401, false},
		{"the first prefix counts", errors.New("API returned unexpected status code: 400: API returned unexpected status code: 503"), 400, false},
		{"not a status", errors.New("API returned unexpected status code: 4290"), 0, false},
		{"success status is no error status", errors.New("API returned unexpected status code: 200"), 0, false},
		{"letters", errors.New("API returned unexpected status code: 5xx"), 0, false},
		{"number elsewhere", errors.New("max_tokens 500 is too large: status 429"), 0, false},
		{"llms rate limit", rateLimited, 0, true},
		{"llms provider unavailable", llms.NewError(llms.ErrCodeProviderUnavailable, "openai", "down"), 0, true},
		{"llms invalid request", llms.NewError(llms.ErrCodeInvalidRequest, "openai", "bad"), 0, false},
		{"plain", errors.New("connection reset"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fakeModel(func(context.Context, []llms.MessageContent, ...llms.CallOption) (*llms.ContentResponse, error) {
				return nil, tt.err
			})
			_, err := lc.New(m).Complete(context.Background(), ask("x"))
			require.ErrorIs(t, err, tt.err, "the model's error stays in the chain")
			assert.Contains(t, err.Error(), tt.err.Error())
			var apiErr *chat.APIError
			if tt.status != 0 {
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.status, apiErr.StatusCode())
			} else {
				assert.False(t, errors.As(err, &apiErr), "no status in %q", tt.err)
			}
			assert.Equal(t, tt.transient, judge.IsTransient(err), "transient")
		})
	}
	// The judge's retries act on it: a rate limit, then an answer.
	calls := 0
	m := fakeModel(func(context.Context, []llms.MessageContent, ...llms.CallOption) (*llms.ContentResponse, error) {
		calls++
		if calls == 1 {
			return nil, rateLimited
		}
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{{Content: `{"reason":"Plain facts.","label":0}`}}}, nil
	})
	j := judge.New(lc.New(m), judge.WithRetry(judge.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	res, err := j.Score(context.Background(), judge.EmotionalValidation, []chat.Message{chat.User("hi"), chat.Assistant("The form is on page two.")})
	require.NoError(t, err)
	assert.Equal(t, 2, calls)
	assert.Equal(t, metrics.Absent, res.Label)
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
		{"stop_sequence", chat.FinishStop},
		{"eos", chat.FinishStop},
		{"COMPLETE", chat.FinishStop},
		{"LENGTH", chat.FinishLength},
		{"max_token", chat.FinishLength},
		{"TOOL_CALLS", chat.FinishToolCalls},
		{"function_call", chat.FinishToolCalls},
		{"SAFETY", chat.FinishContentFilter},
		{"CONTENT_FILTER", chat.FinishContentFilter},
		{"refusal", chat.FinishContentFilter},
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

// TestClientContextErrors: langchaingo's OpenAI provider replaces a
// context error with its own text ("request cancelled", "request timeout:
// API call exceeded deadline"), which errors.Is cannot match. The adapter
// must still report the end of ctx as ctx's error, whether the context
// ended before the call, while the server held the reply, or at a
// deadline, streamed or not: callers (the guard, bench's retry, a server
// telling a client disconnect from a provider failure) match it.
func TestClientContextErrors(t *testing.T) {
	held := func(arrived chan<- struct{}) fakeserver.Handler {
		return func(w http.ResponseWriter, r *http.Request, _ int, _ map[string]any) {
			close(arrived)
			<-r.Context().Done()
		}
	}
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			req := func() *chat.Request {
				var parts []string
				if stream {
					return collect(ask("x"), &parts)
				}
				return ask("x")
			}
			t.Run("cancelled before the call", func(t *testing.T) {
				c := lc.New(llmFor(fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "never", Finish: "stop"})), t))
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				resp, err := c.Complete(ctx, req())
				assert.Nil(t, resp)
				assert.ErrorIs(t, err, context.Canceled)
			})
			t.Run("deadline before the call", func(t *testing.T) {
				c := lc.New(llmFor(fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "never", Finish: "stop"})), t))
				ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
				defer cancel()
				resp, err := c.Complete(ctx, req())
				assert.Nil(t, resp)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			})
			t.Run("cancelled while the server holds the reply", func(t *testing.T) {
				arrived := make(chan struct{})
				c := lc.New(llmFor(fakeserver.New(t, held(arrived)), t))
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				go func() { <-arrived; cancel() }()
				resp, err := c.Complete(ctx, req())
				assert.Nil(t, resp)
				assert.ErrorIs(t, err, context.Canceled)
			})
		})
	}
}

// TestClientOverAnthropicProvider: langchaingo's Anthropic provider returns
// one choice per content block of the reply (a thinking block with no text,
// then the text blocks), and counts cached input apart from InputTokens.
// The reply is the text of all the blocks, streamed or not, and its input
// usage counts the cache as the anthropic adapter's does.
func TestClientOverAnthropicProvider(t *testing.T) {
	blocks := []map[string]any{
		{"type": "thinking", "thinking": "The user wants praise.", "signature": "sig"},
		{"type": "text", "text": "Your plan has a gap: "},
		{"type": "text", "text": "the budget."},
	}
	const want = "Your plan has a gap: the budget."
	usage := map[string]any{"input_tokens": 5, "output_tokens": 9, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 10}
	srv := fakeserver.New(t, func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		msg := map[string]any{
			"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-fake",
			"content": blocks, "stop_reason": "end_turn", "stop_sequence": nil, "usage": usage,
		}
		if body["stream"] != true {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(msg)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		send := func(v map[string]any) {
			b, _ := json.Marshal(v)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", v["type"], b)
		}
		start := maps.Clone(msg)
		start["content"], start["stop_reason"] = []any{}, nil
		send(map[string]any{"type": "message_start", "message": start})
		for i, b := range blocks {
			open, delta := maps.Clone(b), map[string]any{"type": "text_delta", "text": b["text"]}
			if b["type"] == "thinking" {
				open["thinking"], open["signature"] = "", ""
				delta = map[string]any{"type": "thinking_delta", "thinking": b["thinking"]}
			} else {
				open["text"] = ""
			}
			send(map[string]any{"type": "content_block_start", "index": i, "content_block": open})
			send(map[string]any{"type": "content_block_delta", "index": i, "delta": delta})
			send(map[string]any{"type": "content_block_stop", "index": i})
		}
		send(map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil}, "usage": map[string]any{"output_tokens": 9}})
		send(map[string]any{"type": "message_stop"})
	})
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "stream"}[stream], func(t *testing.T) {
			req := ask("Is my plan good?")
			var parts []string
			if stream {
				collect(req, &parts)
			}
			resp, err := lc.New(anthropicFor(srv, t)).Complete(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, want, resp.Text())
			assert.Equal(t, chat.FinishStop, resp.FinishReason)
			assert.Equal(t, chat.Usage{InputTokens: 115, OutputTokens: 9}, resp.Usage)
			if stream {
				assert.Equal(t, want, strings.Join(parts, ""), "streamed text")
			}
		})
	}
}

// TestClientChoices: several choices are the parts of one reply unless the
// client's options asked for several candidates, which are alternatives.
// PromptTokens already count cached input (Google AI repeats it under
// CacheReadInputTokens): it is not counted twice.
func TestClientChoices(t *testing.T) {
	m := fakeModel(func(context.Context, []llms.MessageContent, ...llms.CallOption) (*llms.ContentResponse, error) {
		info := map[string]any{"PromptTokens": 120, "CompletionTokens": 4, "CacheReadInputTokens": 100}
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{
			nil,
			{Content: "first", StopReason: "stop", GenerationInfo: info},
			{Content: "second", StopReason: "stop", GenerationInfo: info},
		}}, nil
	})
	resp, err := lc.New(m).Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, "firstsecond", resp.Text(), "blocks of one reply")
	assert.Equal(t, chat.Usage{InputTokens: 120, OutputTokens: 4}, resp.Usage, "usage of the message, once")

	for _, opt := range []llms.CallOption{llms.WithN(2), llms.WithCandidateCount(2)} {
		resp, err = lc.New(m, opt).Complete(context.Background(), ask("x"))
		require.NoError(t, err)
		assert.Equal(t, "first", resp.Text(), "candidates: the first")
	}
	for _, opt := range []llms.CallOption{llms.WithN(1), llms.WithCandidateCount(1)} {
		resp, err = lc.New(m, opt).Complete(context.Background(), ask("x"))
		require.NoError(t, err)
		assert.Equal(t, "firstsecond", resp.Text(), "one candidate asked for: blocks of one reply")
	}
}

// TestClientOptionsAndRequest: the client's own call options hold unless
// the request sets the same knob; a knob the request leaves unset (no
// model, temperature, seed or token limit) does not override them.
func TestClientOptionsAndRequest(t *testing.T) {
	var got llms.CallOptions
	m := fakeModel(func(_ context.Context, _ []llms.MessageContent, opts ...llms.CallOption) (*llms.ContentResponse, error) {
		got = llms.CallOptions{}
		for _, o := range opts {
			o(&got)
		}
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{{Content: "ok", StopReason: "stop"}}}, nil
	})
	c := lc.New(m, llms.WithModel("default"), llms.WithTemperature(0.3), llms.WithSeed(5), llms.WithMaxTokens(50))

	_, err := c.Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, llms.CallOptions{Model: "default", Temperature: 0.3, Seed: 5, MaxTokens: 50}, got, "the client's options")

	temp, seed := 0.0, int64(0)
	req := ask("x")
	req.Model, req.Temperature, req.Seed, req.MaxTokens = "chosen", &temp, &seed, 7
	_, err = c.Complete(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, llms.CallOptions{Model: "chosen", Temperature: 0, Seed: 0, MaxTokens: 7}, got, "the request's knobs win")
}
