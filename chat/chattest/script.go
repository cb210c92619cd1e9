package chattest

import (
	"strings"
	"sync/atomic"

	"github.com/rolegate/rolegate/chat"
)

// Turn is one scripted reply of a model, as the server behind a client under
// test plays it back: the whole text in one response body for a plain call,
// or the pieces of [Turn.Deltas] as stream events followed by the finish
// reason and usage for a streamed one.
type Turn struct {
	// Text is the reply.
	Text string
	// FinishReason is the reason to report, in chat's vocabulary; a server
	// maps it to its provider's word (FinishLength is OpenAI's "length",
	// Anthropic's "max_tokens"). Empty means chat.FinishStop.
	FinishReason chat.FinishReason
	// Usage is the token count to report.
	Usage chat.Usage
	// Stall asks a streaming server to stop after the deltas without
	// finishing the stream or closing it, until the request is cancelled: a
	// model that hangs mid-reply. Plain calls ignore it.
	Stall bool
}

// Deltas returns the pieces a streamed Turn is sent in: Text cut after each
// space, the way [Client] streams with ChunkSize 0. They join to Text.
func (t Turn) Deltas() []string {
	var out []string
	for w := range strings.SplitAfterSeq(t.Text, " ") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Script is what a scripted model says: the first call is answered with the
// first Turn, the second with the second, and the last Turn answers every
// call after it. A Script is read-only once built, so one can be played to
// concurrent calls.
type Script []Turn

// Turn returns the Turn that answers the call with index i, counted from 0.
// An empty Script answers with the zero Turn.
func (s Script) Turn(i int) Turn {
	if len(s) == 0 {
		return Turn{}
	}
	return s[min(max(i, 0), len(s)-1)]
}

// Play returns a [Client] that answers its calls by playing s, streaming each
// Turn in word deltas when the request streams. It is the reference player of
// [TestClient]: a server that plays a Script for an adapter's SDK should give
// that adapter the same responses.
func Play(s Script) *Client {
	var calls atomic.Int64
	return Func(func(*chat.Request) Reply {
		t := s.Turn(int(calls.Add(1) - 1))
		return Reply{Content: t.Text, FinishReason: t.FinishReason, Usage: &t.Usage, Stall: t.Stall}
	})
}
