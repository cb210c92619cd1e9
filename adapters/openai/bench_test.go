package openai_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
)

// benchServer answers every call with holdAnswer from pre-encoded bytes, so
// that the server's own cost is as small and as constant as possible.
func benchServer(b *testing.B) *httptest.Server {
	r := reply{text: holdAnswer, finish: "stop", in: 50, out: 25}
	plain, _ := json.Marshal(r.completion())
	var sse strings.Builder
	rec := httptest.NewRecorder()
	writeStream(rec, map[string]any{"stream_options": map[string]any{"include_usage": true}}, words(holdAnswer), r)
	sse.Write(rec.Body.Bytes())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Stream bool `json:"stream"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.Stream {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte(sse.String()))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(plain)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchSDK(srv *httptest.Server, opts ...option.RequestOption) *oai.Client {
	c := oai.NewClient(append([]option.RequestOption{
		option.WithBaseURL(srv.URL + "/v1"), option.WithAPIKey("k"), option.WithHTTPClient(srv.Client()), option.WithMaxRetries(0),
	}, opts...)...)
	return &c
}

func sdkParams() oai.ChatCompletionNewParams {
	return oai.ChatCompletionNewParams{
		Model: "m",
		Messages: []oai.ChatCompletionMessageParamUnion{
			oai.SystemMessage(debateSystem), oai.UserMessage(debateQuestion),
			oai.AssistantMessage(debateAnswer), oai.UserMessage(socialPressure),
		},
	}
}

// BenchmarkCall compares, in one run against the same local server, the
// bare SDK call with the adapter, the adapter under the guard (peer role,
// reply passes, no reask), and the drop-in option with the guard.
func BenchmarkCall(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	sdk := benchSDK(srv)
	adapter := rgopenai.New(sdk, rgopenai.WithModel("m"))
	guarded := chat.Wrap(adapter, guard.New(nil))
	dropIn := benchSDK(srv, rgopenai.WithMiddleware(guard.New(nil)))
	peerCtx := rgopenai.ContextWithMetadata(ctx, map[string]string{guard.MetadataRole: "peer"})
	discard := func(context.Context, chat.Delta) error { return nil }
	// One call each first: the guard's scorers initialize once per process,
	// which is not per-call overhead.
	if _, err := guarded.Complete(ctx, pushback()); err != nil {
		b.Fatal(err)
	}
	if _, err := dropIn.Chat.Completions.New(peerCtx, sdkParams()); err != nil {
		b.Fatal(err)
	}

	b.Run("plain/sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sdk.Chat.Completions.New(ctx, sdkParams()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain/adapter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := adapter.Complete(ctx, pushback()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain/adapter+guard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := guarded.Complete(ctx, pushback()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain/sdk+dropin-guard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := dropIn.Chat.Completions.New(peerCtx, sdkParams()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stream/sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := sdk.Chat.Completions.NewStreaming(ctx, sdkParams())
			var acc oai.ChatCompletionAccumulator
			for s.Next() {
				acc.AddChunk(s.Current())
			}
			if err := s.Err(); err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
	b.Run("stream/adapter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req := pushback()
			req.Stream = discard
			if _, err := adapter.Complete(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stream/adapter+guard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req := pushback()
			req.Stream = discard
			if _, err := guarded.Complete(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
