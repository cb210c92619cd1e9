package langchaingo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tmc/langchaingo/llms"
	lcopenai "github.com/tmc/langchaingo/llms/openai"

	lc "github.com/rolegate/rolegate/adapters/langchaingo"
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

func lcMessages() []llms.MessageContent {
	return []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, guardtest.DebateSystem),
		llms.TextParts(llms.ChatMessageTypeHuman, guardtest.DebateQuestion),
		llms.TextParts(llms.ChatMessageTypeAI, guardtest.DebateAnswer),
		llms.TextParts(llms.ChatMessageTypeHuman, guardtest.SocialPressure),
	}
}

// BenchmarkCall compares, in one run against the same local server, the
// bare langchaingo call with the chat.Client adapter, the adapter under the
// guard, and the guarded llms.Model (both directions stacked).
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
	llm, err := lcopenai.New(lcopenai.WithBaseURL(base+"/v1"), lcopenai.WithToken("k"),
		lcopenai.WithHTTPClient(hc), lcopenai.WithModel("m"))
	if err != nil {
		b.Fatal(err)
	}
	adapter := lc.New(llm)
	guarded := chat.Wrap(adapter, guard.New(nil))
	model := lc.NewModel(adapter, guard.New(nil))
	peer := llms.WithMetadata(map[string]any{guard.MetadataRole: "peer"})
	discardChunk := llms.WithStreamingFunc(func(context.Context, []byte) error { return nil })
	// One call first: the guard's scorers initialize once per process, which
	// is not per-call overhead.
	if _, err := guarded.Complete(ctx, guardtest.Pushback()); err != nil {
		b.Fatal(err)
	}

	b.Run("plain/langchaingo", func(b *testing.B) {
		callbench.Measure(b, func() {
			if _, err := llm.GenerateContent(ctx, lcMessages()); err != nil {
				b.Fatal(err)
			}
		})
	})
	callbench.Plain(b, "adapter", adapter, guardtest.Pushback)
	callbench.Plain(b, "adapter+guard", guarded, guardtest.Pushback)
	b.Run("plain/guarded-model", func(b *testing.B) {
		callbench.Measure(b, func() {
			if _, err := model.GenerateContent(ctx, lcMessages(), peer); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("stream/langchaingo", func(b *testing.B) {
		callbench.Measure(b, func() {
			if _, err := llm.GenerateContent(ctx, lcMessages(), discardChunk); err != nil {
				b.Fatal(err)
			}
		})
	})
	callbench.Streamed(b, "adapter", adapter, guardtest.Pushback)
	callbench.Streamed(b, "adapter+guard", guarded, guardtest.Pushback)
}
