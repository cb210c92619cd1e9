package chattest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
)

// ErrExhausted is returned when a [Client] is called more times than it has
// scripted replies.
var ErrExhausted = errors.New("chattest: no scripted reply left")

// Reply scripts one call of a [Client].
type Reply struct {
	// Content is the assistant's text.
	Content string
	// Err, when set, is returned instead of a response (after Delay).
	Err error
	// Delay is waited before answering; the wait ends early, with the
	// context's error, when ctx is cancelled.
	Delay time.Duration
	// FinishReason defaults to chat.FinishStop.
	FinishReason chat.FinishReason
	// Usage defaults to a count of whitespace-separated words in and out.
	Usage *chat.Usage
	// ChunkSize is the largest delta, in bytes, when the request streams;
	// 0 streams word by word. Deltas never split a UTF-8 sequence.
	ChunkSize int
	// Expect, when set, checks the request; a non-nil error fails the call
	// with that error, so a test sees exactly which call went wrong.
	Expect func(req *chat.Request) error
	// Stall, when the request streams, keeps the call open after the last
	// delta until ctx ends, then returns ctx's error: a model that hangs
	// mid-reply. Plain calls ignore it.
	Stall bool
}

// Client is a scripted [chat.Client]. It is safe for concurrent use; replies
// are handed out in call order. The zero value has no replies.
type Client struct {
	mu      sync.Mutex
	replies []Reply
	respond func(req *chat.Request) Reply
	calls   []*chat.Request
	next    int
}

// New returns a client that answers its n-th call with replies[n].
func New(replies ...Reply) *Client { return &Client{replies: replies} }

// Texts returns a client that answers with each text in turn.
func Texts(texts ...string) *Client {
	rs := make([]Reply, len(texts))
	for i, t := range texts {
		rs[i] = Reply{Content: t}
	}
	return New(rs...)
}

// Func returns a client that computes each reply from the request, for
// simulated models whose answer depends on the conversation. fn must be safe
// for concurrent use.
func Func(fn func(req *chat.Request) Reply) *Client { return &Client{respond: fn} }

// Calls returns copies of the requests received so far, in order.
func (c *Client) Calls() []*chat.Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*chat.Request, len(c.calls))
	for i, r := range c.calls {
		out[i] = r.Clone()
	}
	return out
}

// CallCount returns how many calls were received.
func (c *Client) CallCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.calls)
}

// Complete implements [chat.Client].
func (c *Client) Complete(ctx context.Context, req *chat.Request) (*chat.Response, error) {
	if req == nil {
		return nil, errors.New("chattest: nil request")
	}
	c.mu.Lock()
	c.calls = append(c.calls, req.Clone())
	var r Reply
	switch {
	case c.respond != nil:
		c.mu.Unlock()
		r = c.respond(req)
	case c.next < len(c.replies):
		r = c.replies[c.next]
		c.next++
		c.mu.Unlock()
	default:
		n := len(c.calls)
		c.mu.Unlock()
		return nil, fmt.Errorf("%w (call %d, %d scripted)", ErrExhausted, n, len(c.replies))
	}
	if r.Expect != nil {
		if err := r.Expect(req); err != nil {
			return nil, err
		}
	}
	if r.Delay > 0 {
		t := time.NewTimer(r.Delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if req.Stream != nil {
		for d := range deltas(r.Content, r.ChunkSize) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := req.Stream(ctx, chat.Delta{Content: d}); err != nil {
				return nil, err
			}
		}
		if r.Stall {
			<-ctx.Done()
			return nil, ctx.Err()
		}
	}
	resp := &chat.Response{
		Message:      chat.Assistant(r.Content),
		Model:        req.Model,
		FinishReason: r.FinishReason,
	}
	if resp.FinishReason == "" {
		resp.FinishReason = chat.FinishStop
	}
	if r.Usage != nil {
		resp.Usage = *r.Usage
	} else {
		in := 0
		for _, m := range req.Messages {
			in += len(strings.Fields(m.Content))
		}
		resp.Usage = chat.Usage{InputTokens: in, OutputTokens: len(strings.Fields(r.Content))}
	}
	return resp, nil
}

// deltas splits s into stream pieces: words with their trailing space when
// size is 0, else runs of at most size bytes that end on a rune boundary.
func deltas(s string, size int) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for len(s) > 0 {
			n := 0
			if size <= 0 {
				n = strings.IndexByte(s, ' ') + 1
				if n == 0 {
					n = len(s)
				}
			} else {
				n = min(size, len(s))
				for n < len(s) && n > 0 && !utf8.RuneStart(s[n]) {
					n--
				}
				if n == 0 { // a rune longer than size: send it whole
					_, n = utf8.DecodeRuneInString(s)
				}
			}
			if !yield(s[:n]) {
				return
			}
			s = s[n:]
		}
	}
}
