package fakeopenai_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/fakeopenai"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

func post(t *testing.T, ctx context.Context, url, body string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestPlay(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Play(chattest.Script{
		{Text: "first reply", FinishReason: chat.FinishLength, Usage: chat.Usage{InputTokens: 3, OutputTokens: 2}},
		{Text: "then this"},
	}))
	plain := post(t, context.Background(), srv.URL, `{"model":"m"}`)
	for _, want := range []string{`"content":"first reply"`, `"finish_reason":"length"`, `"prompt_tokens":3`, `"completion_tokens":2`} {
		if !strings.Contains(plain, want) {
			t.Errorf("plain body lacks %s:\n%s", want, plain)
		}
	}
	streamed := post(t, context.Background(), srv.URL, `{"stream":true,"stream_options":{"include_usage":true}}`)
	for _, want := range []string{`"delta":{"content":"then "}`, `"delta":{"content":"this"}`, `"finish_reason":"stop"`, `"usage":{`, "data: [DONE]"} {
		if !strings.Contains(streamed, want) {
			t.Errorf("stream lacks %s:\n%s", want, streamed)
		}
	}
	if srv.Calls() != 2 || srv.Body(1)["stream"] != true {
		t.Errorf("recorded %d calls, second body %v", srv.Calls(), srv.Body(1))
	}
}

func TestPlayStallEndsWithTheRequest(t *testing.T) {
	srv := fakeserver.New(t, fakeopenai.Play(chattest.Script{{Text: "a b", Stall: true}}))
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{"stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadAtLeast(resp.Body, buf, 1)
	if !strings.Contains(string(buf[:n]), "data: ") {
		t.Errorf("no delta before the stall: %q", buf[:n])
	}
	cancel()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("the stalled stream ended normally; want it cut by the cancellation")
	}
}

func TestFixed(t *testing.T) {
	h := fakeopenai.Fixed(fakeopenai.Reply{Text: "same every time", Finish: "stop", In: 1, Out: 3})
	for _, tt := range []struct{ body, want string }{
		{`{"stream":false}`, `"content":"same every time"`},
		{`{"stream":true}`, `"delta":{"content":"same "}`},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(tt.body)))
		if !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: body lacks %s:\n%s", tt.body, tt.want, rec.Body.String())
		}
	}
}
