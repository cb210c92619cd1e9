package adapters_test

import (
	"context"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// The tests in this file guard fixed findings of this package's fault
// injection in the adapters; they run in CI as ordinary tests.

// TestFindingTransient: judge.IsTransient decides whether the LLM judge
// retries a failed call, by reading a StatusCode() method (or Temporary,
// Timeout) in the error chain. The SDKs' *Error types carry the status as a
// field, StatusCode int; the adapters used to wrap them with fmt.Errorf only,
// so a provider's 429 or 503 reaching the judge (with the SDK's own retries
// off or exhausted) was never retried by the judge's RetryPolicy. Fixed: both
// adapters return an *APIError with StatusCode and RetryAfter.
func TestFindingTransient(t *testing.T) {
	for name, client := range map[string]func(*provider) chat.Client{"openai": openaiClient, "anthropic": anthropicClient} {
		for _, code := range []int{429, 503} {
			p := newProvider()
			p.set(status(code, `{"error":{"message":"busy","type":"x"}}`))
			_, err := client(p).Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("hi")}})
			p.Close()
			if err == nil || !judge.IsTransient(err) {
				t.Errorf("%s %d: judge.IsTransient(%v) = false, want true", name, code, err)
			}
		}
	}
}

// TestFindingAnthropicUntypedBlock: a content_block_start event whose block
// is missing (here "content_block" is misspelled) followed by text deltas
// made the Anthropic adapter stream the deltas to the caller and then return
// a reply with empty text and no error: the streamed text and the returned
// text disagreed, against chat.Client's streaming contract. Through the guard
// in pass-through streaming, under a role that fails open, the caller saw a
// capitulation live while the checks scored the empty reply (unknown), so the
// capitulation passed unchecked. Found by FuzzAnthropicStream. Fixed: the
// adapter fails with ErrStreamMismatch when the deltas do not add up to the
// reply.
func TestFindingAnthropicUntypedBlock(t *testing.T) {
	p := newProvider()
	defer p.Close()
	start := anthropicEvent("message_start", `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":0}}}`) +
		anthropicEvent("content_block_start", `{"type":"content_block_start","index":0,"conment_block":{"type":"text","text":""}}`)
	p.set(raw("text/event-stream", start+anthropicDelta("You're absolutely right, ")+anthropicDelta("I apologize.")+anthropicEnd))
	var seen string
	req := &chat.Request{
		Messages: []chat.Message{chat.User("Is coffee bad?")},
		Metadata: map[string]string{guard.MetadataRole: "strict"},
		Stream:   func(_ context.Context, d chat.Delta) error { seen += d.Content; return nil },
	}
	resp, err := anthropicClient(p).Complete(context.Background(), req)
	if err == nil && resp.Text() != seen {
		t.Errorf("adapter: streamed %q, returned %q with no error", seen, resp.Text())
	}
	seen = ""
	req.Metadata[guard.MetadataRole] = "lenient"
	guarded := chat.Wrap(anthropicClient(p), guard.New(guardPolicy(), guard.WithStreamMode(guard.PassThrough)))
	resp, err = guarded.Complete(context.Background(), req)
	if err == nil {
		v, _ := guard.VerdictOf(resp)
		c, _ := v.Check(metrics.Capitulation)
		t.Errorf("guard (pass-through): the caller saw %q, the guard checked %q: capitulation %s, action %s", seen, resp.Text(), c.Status, v.Action)
	}
}
