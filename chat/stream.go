package chat

import (
	"context"
	"fmt"
	"iter"
)

// Delta is a piece of a streamed reply.
type Delta struct {
	// Content is text to append to the assistant message.
	Content string
}

// StreamFunc receives the deltas of a streamed reply in order. Returning an
// error stops the stream: the client abandons the call and returns that error
// (wrapped or as is) from Complete. A StreamFunc is called from the goroutine
// that called Complete, or at least never concurrently with itself.
type StreamFunc func(ctx context.Context, d Delta) error

// Chunk is one element of the sequence returned by [Stream]: either a delta
// or, last, the complete response.
type Chunk struct {
	// Delta is the text that arrived, empty on the final chunk.
	Delta Delta
	// Response is set on the final chunk only: the complete reply with its
	// usage, finish reason and annotations (the guard's verdict among them).
	Response *Response
}

// errStopped is returned to the client when the consumer of [Stream] stops
// ranging early; it is never surfaced to the consumer. It matches
// context.Canceled (the call's context is cancelled with it): the consumer
// went away, so the client and its middleware treat it as a cancellation
// (not retried, not logged as a failed request).
var errStopped = fmt.Errorf("chat: stream consumer stopped: %w", context.Canceled)

// Stream calls c with req and yields the reply as it arrives, then the final
// [Chunk] carrying the complete [Response]. A failure is yielded once as the
// error of the last element. Breaking out of the loop cancels the call.
// Stream does not modify req; it streams a copy.
//
//	for chunk, err := range chat.Stream(ctx, client, req) {
//		if err != nil { ... }
//		fmt.Print(chunk.Delta.Content)
//	}
func Stream(ctx context.Context, c Client, req *Request) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		r := req.Clone()
		if r == nil {
			r = &Request{}
		}
		stopped := false
		r.Stream = func(_ context.Context, d Delta) error {
			if stopped {
				// A client that streams on after being told to stop breaks
				// the StreamFunc contract; yielding again would panic in
				// the consumer's range statement.
				return errStopped
			}
			if !yield(Chunk{Delta: d}, nil) {
				stopped = true
				cancel()
				return errStopped
			}
			return nil
		}
		resp, err := c.Complete(ctx, r)
		if stopped {
			return
		}
		if err == nil && resp == nil {
			err = ErrNoResponse
		}
		if err != nil {
			yield(Chunk{}, err)
			return
		}
		yield(Chunk{Response: resp}, nil)
	}
}
