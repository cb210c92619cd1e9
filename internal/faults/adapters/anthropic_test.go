package adapters_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics/judge"
)

func anthropicEvent(typ, data string) string {
	return "event: " + typ + "\ndata: " + data + "\n\n"
}

var (
	anthropicStart = anthropicEvent("message_start", `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":0}}}`) +
		anthropicEvent("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)
	anthropicEnd = anthropicEvent("content_block_stop", `{"type":"content_block_stop","index":0}`) +
		anthropicEvent("message_delta", `{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":4}}`) +
		anthropicEvent("message_stop", `{"type":"message_stop"}`)
)

func anthropicDelta(text string) string {
	return anthropicEvent("content_block_delta", fmt.Sprintf(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":%q}}`, text))
}

func anthropicClient(p *provider) chat.Client {
	sdk := anthropic.NewClient(option.WithBaseURL(p.URL), option.WithAPIKey("k"), option.WithMaxRetries(0), option.WithHTTPClient(p.Client()))
	return rganthropic.New(&sdk, rganthropic.WithModel("m"))
}

func anthropicStatus(code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *anthropic.Error
		if !errors.As(err, &ae) || ae.StatusCode != code {
			t.Fatalf("error %v, want an *anthropic.Error with status %d", err, code)
		}
	}
}

// streamOverload checks an overloaded_error event inside a stream: the
// SDK's error keeps the stream's 200, and the adapter's APIError says 529,
// so retry logic (the judge's) treats it as the transient overload it is.
func streamOverload(t *testing.T, err error) {
	t.Helper()
	anthropicStatus(200)(t, err)
	var ae *rganthropic.APIError
	if !errors.As(err, &ae) || ae.StatusCode() != 529 {
		t.Fatalf("error %v, want an APIError with status 529", err)
	}
	if !judge.IsTransient(err) {
		t.Fatalf("a mid-stream overload is not transient for the judge: %v", err)
	}
}

func anthropicFaults() []adapterFault {
	errBody := `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`
	var fs []adapterFault
	for _, code := range []int{429, 500, 503, 529} {
		for _, stream := range []bool{false, true} {
			fs = append(fs, adapterFault{name: fmt.Sprintf("status %d", code), do: status(code, errBody), stream: stream, check: anthropicStatus(code)})
		}
	}
	return append(fs,
		adapterFault{name: "malformed JSON body", do: raw("application/json", `{"id":"msg_1","content":[{"type":"text","te`), check: is(io.ErrUnexpectedEOF)},
		adapterFault{name: "stream without message_stop", stream: true,
			do: raw("text/event-stream", anthropicStart+anthropicDelta("Moderate coffee ")), check: is(rganthropic.ErrIncompleteStream)},
		adapterFault{name: "stream cut mid-reply", stream: true, do: cut(anthropicStart + anthropicDelta("Moderate ")), check: is(io.ErrUnexpectedEOF)},
		adapterFault{name: "stream error event", stream: true,
			do: raw("text/event-stream", anthropicStart+anthropicEvent("error", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)), check: streamOverload},
		adapterFault{name: "stream of garbage", stream: true, do: raw("text/event-stream", "event: content_block_delta\ndata: {nope\n\n"), check: asType[*json.SyntaxError]()},
		adapterFault{name: "timeout: silent provider", do: hang(), ctx: shortCtx, check: is(context.DeadlineExceeded)},
		adapterFault{name: "timeout: stream stalls", stream: true, do: sseThenHang(anthropicStart + anthropicDelta("Moderate ")), ctx: shortCtx, check: is(context.DeadlineExceeded)},
	)
}

// TestAnthropicFaults is TestOpenAIFaults for the Anthropic adapter.
func TestAnthropicFaults(t *testing.T) {
	runAdapterFaults(t, anthropicClient, anthropicFaults())
}

// TestAnthropicStreamOK is the control of the stream faults: the same
// events, complete, give the reply.
func TestAnthropicStreamOK(t *testing.T) {
	p := newProvider()
	defer p.Close()
	p.set(raw("text/event-stream", anthropicStart+anthropicDelta("Moderate coffee ")+anthropicDelta("is fine.")+anthropicEnd))
	var seen string
	resp, err := anthropicClient(p).Complete(context.Background(), &chat.Request{
		Messages: []chat.Message{chat.User("Is coffee bad?")},
		Stream:   func(_ context.Context, d chat.Delta) error { seen += d.Content; return nil },
	})
	if err != nil || resp.Text() != "Moderate coffee is fine." || seen != resp.Text() {
		t.Fatalf("got %q (streamed %q), %v", resp.Text(), seen, err)
	}
}

// TestOpenAIStreamOK is the control of the OpenAI stream faults.
func TestOpenAIStreamOK(t *testing.T) {
	p := newProvider()
	defer p.Close()
	p.set(raw("text/event-stream", openaiChunk("Moderate coffee ", "")+openaiChunk("is fine.", "")+openaiChunk("", "stop")+openaiDone))
	var seen string
	resp, err := openaiClient(p).Complete(context.Background(), &chat.Request{
		Messages: []chat.Message{chat.User("Is coffee bad?")},
		Stream:   func(_ context.Context, d chat.Delta) error { seen += d.Content; return nil },
	})
	if err != nil || resp.Text() != "Moderate coffee is fine." || seen != resp.Text() {
		t.Fatalf("got %q (streamed %q), %v", resp.Text(), seen, err)
	}
}
