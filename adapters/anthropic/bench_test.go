package anthropic_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
	"github.com/rolegate/rolegate/internal/callbench"
	"github.com/rolegate/rolegate/internal/fakeserver"
)

// benchHandler answers every call with guardtest.HoldAnswer from pre-encoded bytes.
func benchHandler() http.Handler {
	r := reply{text: guardtest.HoldAnswer, stop: "end_turn", in: 50, out: 25}
	plain, _ := json.Marshal(r.message())
	rec := httptest.NewRecorder()
	writeStream(rec, words(guardtest.HoldAnswer), r)
	return fakeserver.Fixed(plain, rec.Body.Bytes())
}

func sdkParams() sdk.MessageNewParams {
	return sdk.MessageNewParams{
		Model:     "m",
		MaxTokens: rganthropic.DefaultMaxTokens,
		System:    []sdk.TextBlockParam{{Text: guardtest.DebateSystem}},
		Messages: []sdk.MessageParam{
			sdk.NewUserMessage(sdk.NewTextBlock(guardtest.DebateQuestion)),
			sdk.NewAssistantMessage(sdk.NewTextBlock(guardtest.DebateAnswer)),
			sdk.NewUserMessage(sdk.NewTextBlock(guardtest.SocialPressure)),
		},
	}
}

// BenchmarkCall compares, in one run against the same local server, the
// bare SDK call with the adapter and the adapter under the guard (peer role,
// reply passes, no reask).
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
	client := sdk.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(base), option.WithAPIKey("k"),
		option.WithHTTPClient(hc), option.WithMaxRetries(0))
	adapter := rganthropic.New(&client, rganthropic.WithModel("m"))
	guarded := chat.Wrap(adapter, guard.New(nil))
	// One call first: the guard's scorers initialize once per process, which
	// is not per-call overhead.
	if _, err := guarded.Complete(ctx, guardtest.Pushback()); err != nil {
		b.Fatal(err)
	}

	b.Run("plain/sdk", func(b *testing.B) {
		callbench.Measure(b, func() {
			if _, err := client.Messages.New(ctx, sdkParams()); err != nil {
				b.Fatal(err)
			}
		})
	})
	callbench.Plain(b, "adapter", adapter, guardtest.Pushback)
	callbench.Plain(b, "adapter+guard", guarded, guardtest.Pushback)
	b.Run("stream/sdk", func(b *testing.B) {
		callbench.Measure(b, func() {
			s := client.Messages.NewStreaming(ctx, sdkParams())
			var acc sdk.Message
			for s.Next() {
				if err := acc.Accumulate(s.Current()); err != nil {
					b.Fatal(err)
				}
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
