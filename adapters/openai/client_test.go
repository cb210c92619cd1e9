package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

func ask(text string) *chat.Request {
	return &chat.Request{Messages: []chat.Message{chat.System("be honest"), chat.User(text)}}
}

// collect returns a request that streams into parts.
func collect(req *chat.Request, parts *[]string) *chat.Request {
	req.Stream = func(_ context.Context, d chat.Delta) error {
		*parts = append(*parts, d.Content)
		return nil
	}
	return req
}

func TestCompleteHappyPath(t *testing.T) {
	r := fakeopenai.Reply{Text: "You could try walking every day.", Finish: "stop", In: 12, Out: 7}
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "stream"}[stream], func(t *testing.T) {
			srv := fakeserver.New(t, fakeopenai.Answer(r))
			c := rgopenai.New(sdkFor(srv), rgopenai.WithModel("default-model"))
			temp, seed := 0.2, int64(42)
			req := ask("how do I get fit?")
			req.Messages = append(req.Messages, chat.Assistant("Move more."), chat.User("how, exactly?"))
			req.Temperature, req.Seed, req.MaxTokens = &temp, &seed, 99
			req.Metadata = map[string]string{"role": "advisor", "tenant": "t1"}
			var parts []string
			if stream {
				collect(req, &parts)
			}
			resp, err := c.Complete(context.Background(), req)
			require.NoError(t, err)
			want := &chat.Response{
				Message: chat.Assistant(r.Text), Model: "fake-model", ID: "chatcmpl-1",
				FinishReason: chat.FinishStop, Usage: chat.Usage{InputTokens: 12, OutputTokens: 7},
			}
			assert.Equal(t, want, resp)

			body := srv.Body(0)
			assert.Equal(t, "default-model", body["model"])
			assert.Equal(t, 0.2, body["temperature"])
			assert.Equal(t, 42.0, body["seed"])
			assert.Equal(t, 99.0, body["max_completion_tokens"])
			assert.NotContains(t, body, "metadata", "metadata must not reach the provider")
			msgs := body["messages"].([]any)
			assert.Equal(t, []any{
				map[string]any{"role": "system", "content": "be honest"},
				map[string]any{"role": "user", "content": "how do I get fit?"},
				map[string]any{"role": "assistant", "content": "Move more."},
				map[string]any{"role": "user", "content": "how, exactly?"},
			}, msgs)
			if stream {
				assert.Equal(t, true, body["stream"])
				assert.Equal(t, map[string]any{"include_usage": true}, body["stream_options"])
				assert.Equal(t, words(r.Text), parts)
			} else {
				assert.NotContains(t, body, "stream")
			}
		})
	}
}

func TestResponseFormat(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: `{"ok":true}`, Finish: "stop"}))
	c := rgopenai.New(sdkFor(srv), rgopenai.WithModel("m"))
	req := ask("json please")
	req.ResponseFormat = &chat.ResponseFormat{Name: "verdict", Schema: json.RawMessage(`{"type":"object","properties":{"ok":{"type":"boolean"}}}`), Strict: true}
	_, err := c.Complete(context.Background(), req)
	require.NoError(t, err)
	want := map[string]any{"type": "json_schema", "json_schema": map[string]any{
		"name": "verdict", "strict": true,
		"schema": map[string]any{"type": "object", "properties": map[string]any{"ok": map[string]any{"type": "boolean"}}},
	}}
	assert.Equal(t, want, srv.Body(0)["response_format"])

	t.Run("bad schema", func(t *testing.T) {
		req.ResponseFormat.Schema = json.RawMessage(`[1,2]`)
		_, err := c.Complete(context.Background(), req)
		assert.ErrorIs(t, err, rgopenai.ErrBadSchema)
		assert.ErrorIs(t, err, chat.ErrInvalidRequest)
		assert.Equal(t, 1, srv.Calls(), "no call with a bad schema")
	})
}

func TestOptions(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "ok", Finish: "stop"}))
	t.Run("legacy max tokens and no stream usage", func(t *testing.T) {
		c := rgopenai.New(sdkFor(srv), rgopenai.WithModel("m"), rgopenai.WithLegacyMaxTokens(), rgopenai.WithoutStreamUsage())
		req := ask("x")
		req.MaxTokens = 5
		var parts []string
		_, err := c.Complete(context.Background(), collect(req, &parts))
		require.NoError(t, err)
		body := srv.Body(srv.Calls() - 1)
		assert.Equal(t, 5.0, body["max_tokens"])
		assert.NotContains(t, body, "max_completion_tokens")
		assert.NotContains(t, body, "stream_options")
	})
	t.Run("request model wins", func(t *testing.T) {
		c := rgopenai.New(sdkFor(srv), rgopenai.WithModel("default"))
		req := ask("x")
		req.Model = "chosen"
		_, err := c.Complete(context.Background(), req)
		require.NoError(t, err)
		body := srv.Body(srv.Calls() - 1)
		assert.Equal(t, "chosen", body["model"])
		for _, f := range []string{"max_completion_tokens", "max_tokens", "temperature", "seed", "response_format"} {
			assert.NotContains(t, body, f, "a knob the request leaves unset is not sent")
		}
	})
}

func TestRequestErrors(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "never", Finish: "stop"}))
	tests := []struct {
		name string
		c    *rgopenai.Client
		req  *chat.Request
		want error
	}{
		{"nil request", rgopenai.New(sdkFor(srv), rgopenai.WithModel("m")), nil, rgopenai.ErrNilRequest},
		{"no model", rgopenai.New(sdkFor(srv)), ask("x"), rgopenai.ErrNoModel},
		{"no messages", rgopenai.New(sdkFor(srv), rgopenai.WithModel("m")), &chat.Request{}, chat.ErrNoMessages},
		{"invalid utf8", rgopenai.New(sdkFor(srv), rgopenai.WithModel("m")), ask("a\xffb"), chat.ErrInvalidUTF8},
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
	ok := fakeopenai.Reply{Text: "fine", Finish: "stop", In: 1, Out: 1}
	tests := []struct {
		name      string
		h         fakeserver.Handler
		stream    bool
		calls     int
		status    int   // want *openai.Error with this status, when non-zero
		wantErr   error // want errors.Is, when non-nil
		wantText  string
		minSpread time.Duration // least time between the two calls
		wait      time.Duration // RetryAfter of the *APIError, when status is set
	}{
		{
			name: "429 then success honours retry-after",
			h: func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
				if n == 1 {
					w.Header().Set("Retry-After", "0.05")
					fakeopenai.WriteJSON(w, http.StatusTooManyRequests, fakeopenai.APIError(429, "slow down"))
					return
				}
				fakeopenai.Answer(ok)(w, r, n, body)
			},
			calls: 2, wantText: "fine", minSpread: 45 * time.Millisecond,
		},
		{
			name: "429 twice gives the SDK error",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Retry-After", "0.01")
				fakeopenai.WriteJSON(w, http.StatusTooManyRequests, fakeopenai.APIError(429, "slow down"))
			},
			calls: 2, status: 429, wait: 10 * time.Millisecond,
		},
		{
			name: "429 while streaming",
			h: func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
				if n == 1 {
					w.Header().Set("Retry-After", "0.01")
					fakeopenai.WriteJSON(w, http.StatusTooManyRequests, fakeopenai.APIError(429, "slow down"))
					return
				}
				fakeopenai.Answer(ok)(w, r, n, body)
			},
			stream: true, calls: 2, wantText: "fine",
		},
		{
			name: "500",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Retry-After", "0.01")
				fakeopenai.WriteJSON(w, http.StatusInternalServerError, fakeopenai.APIError(500, "boom"))
			},
			calls: 2, status: 500, wait: 10 * time.Millisecond,
		},
		{
			name: "400 is not retried",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				fakeopenai.WriteJSON(w, http.StatusBadRequest, fakeopenai.APIError(400, "bad"))
			},
			calls: 1, status: 400,
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
			name: "malformed JSON in a stream",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n")
				io.WriteString(w, "data: {not json}\n\n")
			},
			stream: true, calls: 1,
		},
		{
			name: "no choices",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				fakeopenai.WriteJSON(w, http.StatusOK, map[string]any{"id": "x", "object": "chat.completion", "choices": []any{}})
			},
			calls: 1, wantErr: rgopenai.ErrNoChoices,
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
		{
			name: "stream chunk the accumulator rejects",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "data: {\"id\":\"x\",\"choices\":[{\"index\":500,\"delta\":{\"content\":\"a\"}}]}\n\n")
			},
			stream: true, calls: 1, wantErr: rgopenai.ErrBadChunk,
		},
		{
			name: "stream ends without finish reason",
			h: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, fakeopenai.Chunk(map[string]any{"content": "half "}, nil, nil))
			},
			stream: true, calls: 1, wantErr: rgopenai.ErrIncompleteStream,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, tt.h)
			c := rgopenai.New(sdkFor(srv), rgopenai.WithModel("m"))
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
				var apiErr *oai.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				var ae *rgopenai.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tt.status, ae.StatusCode(), "APIError.StatusCode")
				assert.Equal(t, tt.wait, ae.RetryAfter(), "APIError.RetryAfter")
			}
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

// TestRefusal: a refusal is part of the reply, after any content, with
// finish reason content_filter, never mistaken for an empty or complete
// answer. The streamed deltas and the returned text must agree
// (chat.Client's streaming contract: the guard checks the returned text
// while a pass-through caller sees the deltas), and a plain call returns
// the same text.
func TestRefusal(t *testing.T) {
	tests := []struct {
		name     string
		content  string   // before the refusal; "" for none (null in a plain reply)
		refusals []string // the refusal, as streamed
		want     string
	}{
		{"refusal alone", "", []string{"I can't ", "help with that."}, "I can't help with that."},
		{"refusal after content", "Sure: ", []string{"no."}, "Sure: no."},
	}
	for _, tt := range tests {
		srv := fakeserver.New(t, func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
			if body["stream"] == true {
				var deltas []map[string]any
				if tt.content != "" {
					deltas = append(deltas, map[string]any{"content": tt.content})
				}
				for _, r := range tt.refusals {
					deltas = append(deltas, map[string]any{"refusal": r})
				}
				deltas[0]["role"] = "assistant"
				w.Header().Set("Content-Type", "text/event-stream")
				for _, d := range deltas {
					io.WriteString(w, fakeopenai.Chunk(d, nil, nil))
				}
				io.WriteString(w, fakeopenai.Chunk(map[string]any{}, "stop", nil))
				io.WriteString(w, "data: [DONE]\n\n")
				return
			}
			c := fakeopenai.Reply{Finish: "stop"}.Completion()
			msg := c["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)
			msg["content"], msg["refusal"] = nil, strings.Join(tt.refusals, "")
			if tt.content != "" {
				msg["content"] = tt.content
			}
			fakeopenai.WriteJSON(w, http.StatusOK, c)
		})
		c := rgopenai.New(sdkFor(srv), rgopenai.WithModel("m"))
		for _, stream := range []bool{false, true} {
			t.Run(tt.name+map[bool]string{false: "/plain", true: "/stream"}[stream], func(t *testing.T) {
				req := ask("x")
				var parts []string
				if stream {
					collect(req, &parts)
				}
				resp, err := c.Complete(context.Background(), req)
				require.NoError(t, err)
				assert.Equal(t, tt.want, resp.Text())
				assert.Equal(t, chat.FinishContentFilter, resp.FinishReason)
				if stream {
					assert.Equal(t, resp.Text(), strings.Join(parts, ""), "streamed and returned texts differ")
				}
			})
		}
	}
}

func TestNilSDKUsesTheEnvironment(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "from env", Finish: "stop"}))
	t.Setenv("OPENAI_BASE_URL", srv.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "env-key")
	resp, err := rgopenai.New(nil, rgopenai.WithModel("m"), rgopenai.WithRequestOptions(option.WithHTTPClient(srv.Client()))).Complete(context.Background(), ask("x"))
	require.NoError(t, err)
	assert.Equal(t, "from env", resp.Text())
}

// TestClientConformance runs the chat.Client contract (stream parity, no
// mutation, StreamFunc errors, cancellation, many deltas, no goroutine leak,
// concurrent use) against the adapter over the real SDK and a local server.
func TestClientConformance(t *testing.T) {
	chattest.TestClient(t, kitClient)
}

// TestConcurrentDropIn shares one drop-in SDK client between goroutines,
// streaming and not; -race checks its "safe for concurrent use" claim.
func TestConcurrentDropIn(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Answer(fakeopenai.Reply{Text: "shared reply here", Finish: "stop", In: 2, Out: 3}))
	var rc recorder
	dropIn := sdkFor(srv, rgopenai.WithMiddleware(rc.middleware))
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 8 {
		wg.Go(func() {
			for i := range 4 {
				if (g+i)%2 == 0 {
					s := dropIn.Chat.Completions.NewStreaming(context.Background(), dropInParams())
					for s.Next() {
					}
					if err := s.Err(); err != nil {
						errs <- err
					}
					s.Close()
					continue
				}
				cc, err := dropIn.Chat.Completions.New(context.Background(), dropInParams())
				if err == nil && cc.Choices[0].Message.Content != "SHARED REPLY HERE" {
					err = fmt.Errorf("got %q", cc.Choices[0].Message.Content)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, rc.requests(), 32)
}

// TestStreamErrorEvent: a provider that fails after the stream began (a 200
// already sent) says so in an error event; its type or code stands for the
// HTTP status it would have answered with, so that retry logic such as
// judge.IsTransient can classify it as it would a plain call's error.
func TestStreamErrorEvent(t *testing.T) {
	tests := []struct {
		name  string
		event string
		want  int // status of the *APIError; 0: no status is known
	}{
		{"server_error", `{"error":{"message":"The server had an error","type":"server_error","code":null}}`, 500},
		{"rate limit code", `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`, 429},
		{"rate limit type", `{"error":{"message":"slow down","type":"rate_limit_error"}}`, 429},
		{"insufficient_quota", `{"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}}`, 429},
		{"invalid request", `{"error":{"message":"bad","type":"invalid_request_error","code":null}}`, 400},
		{"numeric code (vLLM)", `{"error":{"object":"error","message":"overloaded","type":"ServiceUnavailableError","code":503}}`, 503},
		{"numeric code 400", `{"error":{"object":"error","message":"bad","type":"BadRequestError","code":400}}`, 400},
		{"numeric code 599", `{"error":{"object":"error","message":"odd","type":"Odd","code":599}}`, 599},
		{"numeric code not an error status", `{"error":{"object":"error","message":"odd","type":"Odd","code":600}}`, 0},
		{"unknown type", `{"error":{"message":"odd","type":"weird_error"}}`, 0},
		{"bare string", `{"error":"something broke"}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, fakeopenai.Chunk(map[string]any{"content": "half "}, nil, nil))
				io.WriteString(w, "data: "+tt.event+"\n\n")
			})
			var parts []string
			resp, err := rgopenai.New(sdkFor(srv), rgopenai.WithModel("m")).Complete(context.Background(), collect(ask("x"), &parts))
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.Equal(t, 1, srv.Calls(), "a stream that began is not retried by the SDK")
			assert.Contains(t, err.Error(), "received error while streaming")
			var ae *rgopenai.APIError
			if tt.want == 0 {
				assert.False(t, errors.As(err, &ae), "no status is known, yet got %v", ae)
				return
			}
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.want, ae.StatusCode())
			assert.Equal(t, "chat completion stream", ae.Op)
		})
	}
}
