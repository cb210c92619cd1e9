package adapters_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rolegate/rolegate/chat"
)

// fuzzStream serves each fuzzed body as a text/event-stream reply to a
// streaming call of the adapter, through its real SDK: the call never
// panics or hangs, and when it succeeds, the deltas it streamed add up to
// the reply it returned.
func fuzzStream(f *testing.F, client func(*provider) chat.Client, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	p := newProvider()
	f.Cleanup(p.Close)
	c := client(p)
	f.Fuzz(func(t *testing.T, body []byte) {
		p.set(raw("text/event-stream", string(body)))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var seen string
		resp, err := c.Complete(ctx, &chat.Request{
			Messages: []chat.Message{chat.User("Is coffee bad?")},
			Stream:   func(_ context.Context, d chat.Delta) error { seen += d.Content; return nil },
		})
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("the call hung on a body of %d bytes", len(body))
		}
		if err != nil {
			if resp != nil {
				t.Fatal("a response and an error")
			}
			return
		}
		if resp.Text() != seen {
			t.Fatalf("streamed %q, returned %q", seen, resp.Text())
		}
	})
}

func FuzzOpenAIStream(f *testing.F) {
	fuzzStream(f, openaiClient,
		openaiChunk("Moderate coffee ", "")+openaiChunk("is fine.", "")+openaiChunk("", "stop")+openaiDone,
		openaiChunk("x", "length"),
		"data: {not json}\n\n",
		": comment\n\nevent: ping\ndata: \n\n"+openaiDone,
		"data: "+`{"choices":[{"index":3,"delta":{"content":"a"}},{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}]}`+"\n\n",
	)
}

func FuzzAnthropicStream(f *testing.F) {
	fuzzStream(f, anthropicClient,
		anthropicStart+anthropicDelta("Moderate coffee ")+anthropicDelta("is fine.")+anthropicEnd,
		anthropicStart+anthropicEvent("error", `{"type":"error","error":{"type":"overloaded_error","message":"x"}}`),
		anthropicEnd,
		"event: content_block_delta\ndata: {nope\n\n",
		anthropicStart+anthropicEvent("content_block_delta", `{"type":"content_block_delta","index":7,"delta":{"type":"text_delta","text":"a"}}`)+anthropicEnd,
	)
}
