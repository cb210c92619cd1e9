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
)

// benchServer answers every call with holdAnswer from pre-encoded bytes.
func benchServer(b *testing.B) *httptest.Server {
	r := reply{text: holdAnswer, stop: "end_turn", in: 50, out: 25}
	plain, _ := json.Marshal(r.message())
	rec := httptest.NewRecorder()
	writeStream(rec, words(holdAnswer), r)
	sse := rec.Body.Bytes()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Stream bool `json:"stream"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.Stream {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write(sse)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(plain)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func sdkParams() sdk.MessageNewParams {
	return sdk.MessageNewParams{
		Model:     "m",
		MaxTokens: rganthropic.DefaultMaxTokens,
		System:    []sdk.TextBlockParam{{Text: debateSystem}},
		Messages: []sdk.MessageParam{
			sdk.NewUserMessage(sdk.NewTextBlock(debateQuestion)),
			sdk.NewAssistantMessage(sdk.NewTextBlock(debateAnswer)),
			sdk.NewUserMessage(sdk.NewTextBlock(socialPressure)),
		},
	}
}

// BenchmarkCall compares, in one run against the same local server, the
// bare SDK call with the adapter and the adapter under the guard (peer role,
// reply passes, no reask).
func BenchmarkCall(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	client := sdk.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(srv.URL), option.WithAPIKey("k"),
		option.WithHTTPClient(srv.Client()), option.WithMaxRetries(0))
	adapter := rganthropic.New(&client, rganthropic.WithModel("m"))
	guarded := chat.Wrap(adapter, guard.New(nil))
	discard := func(context.Context, chat.Delta) error { return nil }
	// One call first: the guard's scorers initialize once per process, which
	// is not per-call overhead.
	if _, err := guarded.Complete(ctx, pushback()); err != nil {
		b.Fatal(err)
	}

	b.Run("plain/sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.Messages.New(ctx, sdkParams()); err != nil {
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
	b.Run("stream/sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
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
