package openai_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	rgopenai "github.com/rolegate/rolegate/adapters/openai"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
	"github.com/rolegate/rolegate/internal/callbench"
	"github.com/rolegate/rolegate/internal/fakeopenai"
)

// benchHandler answers every call with guardtest.HoldAnswer from
// pre-encoded bytes, so that the server's own cost is as small and as
// constant as possible.
func benchHandler() http.Handler {
	return fakeopenai.Fixed(fakeopenai.Reply{Text: guardtest.HoldAnswer, Finish: "stop", In: 50, Out: 25})
}

func benchSDK(base string, hc *http.Client, opts ...option.RequestOption) *oai.Client {
	c := oai.NewClient(append([]option.RequestOption{
		option.WithBaseURL(base + "/v1"), option.WithAPIKey("k"), option.WithHTTPClient(hc), option.WithMaxRetries(0),
	}, opts...)...)
	return &c
}

func sdkParams() oai.ChatCompletionNewParams {
	return oai.ChatCompletionNewParams{
		Model: "m",
		Messages: []oai.ChatCompletionMessageParamUnion{
			oai.SystemMessage(guardtest.DebateSystem), oai.UserMessage(guardtest.DebateQuestion),
			oai.AssistantMessage(guardtest.DebateAnswer), oai.UserMessage(guardtest.SocialPressure),
		},
	}
}

// BenchmarkCall compares, in one run against the same local server, the
// bare SDK call with the adapter, the adapter under the guard (peer role,
// reply passes, no reask), and the drop-in option with the guard.
func BenchmarkCall(b *testing.B) {
	srv := httptest.NewServer(benchHandler())
	b.Cleanup(srv.Close)
	benchCalls(b, srv.URL, srv.Client())
}

// BenchmarkCallInMemory runs the same calls through an in-memory transport,
// which removes the network and the server from the figures.
func BenchmarkCallInMemory(b *testing.B) {
	benchCalls(b, "http://in-memory", callbench.InMemory(benchHandler()))
}

func benchCalls(b *testing.B, base string, hc *http.Client) {
	ctx := context.Background()
	sdk := benchSDK(base, hc)
	adapter := rgopenai.New(sdk, rgopenai.WithModel("m"))
	guarded := chat.Wrap(adapter, guard.New(nil))
	dropIn := benchSDK(base, hc, rgopenai.WithMiddleware(guard.New(nil)))
	peerCtx := rgopenai.ContextWithMetadata(ctx, map[string]string{guard.MetadataRole: "peer"})
	// One call each first: the guard's scorers initialize once per process,
	// which is not per-call overhead.
	if _, err := guarded.Complete(ctx, guardtest.Pushback()); err != nil {
		b.Fatal(err)
	}
	if _, err := dropIn.Chat.Completions.New(peerCtx, sdkParams()); err != nil {
		b.Fatal(err)
	}

	b.Run("plain/sdk", func(b *testing.B) {
		callbench.Measure(b, func() {
			if _, err := sdk.Chat.Completions.New(ctx, sdkParams()); err != nil {
				b.Fatal(err)
			}
		})
	})
	callbench.Plain(b, "adapter", adapter, guardtest.Pushback)
	callbench.Plain(b, "adapter+guard", guarded, guardtest.Pushback)
	b.Run("plain/sdk+dropin-guard", func(b *testing.B) {
		callbench.Measure(b, func() {
			if _, err := dropIn.Chat.Completions.New(peerCtx, sdkParams()); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("stream/sdk", func(b *testing.B) {
		callbench.Measure(b, func() {
			s := sdk.Chat.Completions.NewStreaming(ctx, sdkParams())
			var acc oai.ChatCompletionAccumulator
			for s.Next() {
				acc.AddChunk(s.Current())
			}
			if err := s.Err(); err != nil {
				b.Fatal(err)
			}
			s.Close()
		})
	})
	callbench.Streamed(b, "adapter", adapter, guardtest.Pushback)
	callbench.Streamed(b, "adapter+guard", guarded, guardtest.Pushback)
}
