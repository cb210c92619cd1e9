package chat_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
)

func TestValidateMessages(t *testing.T) {
	tests := []struct {
		name string
		msgs []chat.Message
		want []error
	}{
		{"empty", nil, []error{chat.ErrNoMessages}},
		{"ok", []chat.Message{chat.System("s"), chat.User("u"), chat.Assistant("a")}, nil},
		{"bad role", []chat.Message{{Role: "tool", Content: "x"}}, []error{chat.ErrInvalidRole}},
		{"bad utf8", []chat.Message{chat.User("a\xffb")}, []error{chat.ErrInvalidUTF8}},
		{"both", []chat.Message{{Role: "", Content: "\xff"}}, []error{chat.ErrInvalidRole, chat.ErrInvalidUTF8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := chat.ValidateMessages(tt.msgs)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			for _, w := range tt.want {
				assert.ErrorIs(t, err, w)
			}
			assert.ErrorIs(t, err, chat.ErrInvalidRequest, "refused the same way every time")
		})
	}
	var me *chat.MessageError
	err := chat.ValidateMessages([]chat.Message{chat.User("ok"), chat.User("\xff")})
	require.ErrorAs(t, err, &me)
	assert.Equal(t, 1, me.Index)
	assert.Equal(t, "chat: messages[1]: content is not valid UTF-8", me.Error())
}

// An error made by InvalidRequest is its own sentinel, with its own text,
// that also matches ErrInvalidRequest; wrapping keeps both.
func TestInvalidRequest(t *testing.T) {
	a, b := chat.InvalidRequest("x: no model"), chat.InvalidRequest("x: no model")
	assert.Equal(t, "x: no model", a.Error())
	assert.ErrorIs(t, a, chat.ErrInvalidRequest)
	assert.NotErrorIs(t, a, b, "two sentinels, as with errors.New")
	wrapped := fmt.Errorf("%w: messages[2]", a)
	assert.ErrorIs(t, wrapped, a)
	assert.ErrorIs(t, wrapped, chat.ErrInvalidRequest)
	assert.NotErrorIs(t, errors.New("x: no model"), chat.ErrInvalidRequest)
	assert.NotErrorIs(t, chat.ErrNoResponse, chat.ErrInvalidRequest, "a broken client is not a refused request")
}

func TestLastTurn(t *testing.T) {
	msgs := []chat.Message{
		chat.System("sys"), chat.User("q"), chat.Assistant("a1"), chat.User("I disagree"), chat.Assistant("a2"),
	}
	got := chat.LastTurn(msgs)
	want := chat.Turn{Reply: "a2", ReplyIndex: 4, User: "I disagree", UserIndex: 3, Previous: "a1", PreviousIndex: 2, System: "sys"}
	assert.Equal(t, want, got)

	got = chat.LastTurn(msgs[:4])
	assert.Equal(t, -1, got.ReplyIndex)
	assert.Equal(t, "I disagree", got.User)
	assert.Equal(t, "a1", got.Previous)

	got = chat.LastTurn(nil)
	assert.Equal(t, chat.Turn{ReplyIndex: -1, UserIndex: -1, PreviousIndex: -1}, got)
}

func TestRequestCloneSharesNothing(t *testing.T) {
	temp, seed := 0.5, int64(7)
	r := &chat.Request{
		Messages:       []chat.Message{chat.User("a")},
		Metadata:       map[string]string{"k": "v"},
		Temperature:    &temp,
		Seed:           &seed,
		ResponseFormat: &chat.ResponseFormat{Name: "n", Schema: []byte(`{}`)},
	}
	c := r.Clone()
	c.Messages[0].Content = "changed"
	c.Metadata["k"] = "changed"
	*c.Temperature = 1
	*c.Seed = 1
	c.ResponseFormat.Schema[0] = '['
	assert.Equal(t, "a", r.Messages[0].Content)
	assert.Equal(t, "v", r.Metadata["k"])
	assert.Equal(t, 0.5, *r.Temperature)
	assert.Equal(t, int64(7), *r.Seed)
	assert.Equal(t, "{}", string(r.ResponseFormat.Schema))
	assert.Nil(t, (*chat.Request)(nil).Clone())
}

type note string

func (n note) AnnotationName() string { return string(n) }

func TestFind(t *testing.T) {
	resp := &chat.Response{Annotations: []chat.Annotation{note("a"), note("b")}}
	got, ok := chat.Find[note](resp)
	require.True(t, ok)
	assert.Equal(t, note("b"), got)
	// The last of its type, wherever it is among others.
	resp = &chat.Response{Annotations: []chat.Annotation{note("a"), other("x")}}
	got, ok = chat.Find[note](resp)
	require.True(t, ok)
	assert.Equal(t, note("a"), got)
	_, ok = chat.Find[note](&chat.Response{Annotations: []chat.Annotation{other("x")}})
	assert.False(t, ok)
	_, ok = chat.Find[note](nil)
	assert.False(t, ok)
	assert.Equal(t, "", (*chat.Response)(nil).Text())
}

type other string

func (o other) AnnotationName() string { return string(o) }

// TestStreamSendsTheRequest: the client gets the caller's request with a
// stream callback of Stream's own; the caller's request is not modified.
func TestStreamSendsTheRequest(t *testing.T) {
	model := chattest.Texts("hello")
	req := &chat.Request{Messages: []chat.Message{chat.User("hi")}, Model: "m"}
	var got string
	for chunk, err := range chat.Stream(context.Background(), model, req) {
		require.NoError(t, err)
		got += chunk.Delta.Content
	}
	assert.Equal(t, "hello", got)
	require.Equal(t, 1, model.CallCount())
	call := model.Calls()[0]
	assert.Equal(t, req.Messages, call.Messages)
	assert.Equal(t, "m", call.Model)
	assert.Nil(t, req.Stream, "the caller's request is not modified")
}

func TestStreamEarlyBreakCancels(t *testing.T) {
	model := chattest.Texts("one two three four")
	var got []string
	for chunk, err := range chat.Stream(context.Background(), model, &chat.Request{Messages: []chat.Message{chat.User("x")}}) {
		require.NoError(t, err)
		got = append(got, chunk.Delta.Content)
		if len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"one ", "two "}, got)
}

// The client (and any middleware) of a consumer that broke out of the loop
// is told the caller went away: an error that matches context.Canceled,
// which a retry does not retry and an observer does not log as a failure.
func TestStreamEarlyBreakIsCancellation(t *testing.T) {
	var streamErr, ctxErr error
	model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		streamErr = req.Stream(ctx, chat.Delta{Content: "one"})
		ctxErr = ctx.Err()
		return nil, streamErr
	})
	for range chat.Stream(context.Background(), model, &chat.Request{}) {
		break
	}
	assert.ErrorIs(t, streamErr, context.Canceled)
	assert.ErrorIs(t, ctxErr, context.Canceled)
}

// A client that keeps streaming after its StreamFunc said stop breaks the
// StreamFunc contract; the consumer who broke out of the loop must not pay
// for it with a panic in its range statement.
func TestStreamBreakWithClientThatKeepsStreaming(t *testing.T) {
	var errs []error
	model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		for range 3 {
			errs = append(errs, req.Stream(ctx, chat.Delta{Content: "x "}))
		}
		return &chat.Response{Message: chat.Assistant("x x x ")}, nil
	})
	n := 0
	assert.NotPanics(t, func() {
		for range chat.Stream(context.Background(), model, &chat.Request{Messages: []chat.Message{chat.User("x")}}) {
			n++
			break
		}
	})
	assert.Equal(t, 1, n)
	require.Len(t, errs, 3)
	for i, err := range errs {
		assert.Error(t, err, "delta %d: the consumer broke out at the first", i)
	}
}

func TestStreamError(t *testing.T) {
	boom := errors.New("boom")
	model := chattest.New(chattest.Reply{Err: boom})
	n := 0
	for _, err := range chat.Stream(context.Background(), model, &chat.Request{}) {
		n++
		assert.ErrorIs(t, err, boom)
	}
	assert.Equal(t, 1, n)
}

// A client that breaks its contract by returning neither a response nor an
// error ends the stream with ErrNoResponse, not with a nil final response.
func TestStreamNoResponse(t *testing.T) {
	neither := chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) { return nil, nil })
	n := 0
	for chunk, err := range chat.Stream(context.Background(), neither, &chat.Request{}) {
		n++
		assert.ErrorIs(t, err, chat.ErrNoResponse)
		assert.Nil(t, chunk.Response)
	}
	assert.Equal(t, 1, n)
}

func TestChattest(t *testing.T) {
	ctx := context.Background()
	t.Run("exhausted", func(t *testing.T) {
		c := chattest.Texts("only")
		_, err := c.Complete(ctx, &chat.Request{})
		require.NoError(t, err)
		_, err = c.Complete(ctx, &chat.Request{})
		assert.ErrorIs(t, err, chattest.ErrExhausted)
		assert.Equal(t, 2, c.CallCount())
	})
	t.Run("expect", func(t *testing.T) {
		bad := errors.New("wrong model")
		c := chattest.New(chattest.Reply{Content: "x", Expect: func(r *chat.Request) error {
			if r.Model != "m" {
				return bad
			}
			return nil
		}})
		_, err := c.Complete(ctx, &chat.Request{Model: "other"})
		assert.ErrorIs(t, err, bad)
	})
	t.Run("delay honours cancel", func(t *testing.T) {
		c := chattest.New(chattest.Reply{Content: "x", Delay: time.Hour})
		ctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		_, err := c.Complete(ctx, &chat.Request{})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("chunks keep utf8", func(t *testing.T) {
		c := chattest.New(chattest.Reply{Content: "héllo wörld", ChunkSize: 2})
		var parts []string
		req := &chat.Request{Stream: func(_ context.Context, d chat.Delta) error {
			parts = append(parts, d.Content)
			return nil
		}}
		resp, err := c.Complete(ctx, req)
		require.NoError(t, err)
		joined := ""
		for _, p := range parts {
			assert.LessOrEqual(t, len(p), 2)
			joined += p
		}
		assert.Equal(t, resp.Text(), joined)
	})
	t.Run("calls are copies", func(t *testing.T) {
		c := chattest.Texts("x")
		req := &chat.Request{Messages: []chat.Message{chat.User("u")}}
		_, _ = c.Complete(ctx, req)
		req.Messages[0].Content = "mutated"
		assert.Equal(t, "u", c.Calls()[0].Messages[0].Content)
	})
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 50 {
		for range chat.Stream(context.Background(), chattest.Texts("a b c"), &chat.Request{}) {
			break
		}
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

// TestLastTurnEdges pins the view for conversations that are not a clean
// user/assistant alternation, and checks that LastTurn leaves its input as
// it was.
func TestLastTurnEdges(t *testing.T) {
	none := chat.Turn{ReplyIndex: -1, UserIndex: -1, PreviousIndex: -1}
	with := func(f func(*chat.Turn)) chat.Turn { t := none; f(&t); return t }
	tests := []struct {
		name string
		msgs []chat.Message
		want chat.Turn
	}{
		{"system only", []chat.Message{chat.System("s")}, with(func(t *chat.Turn) { t.System = "s" })},
		{"assistant only", []chat.Message{chat.Assistant("a")}, with(func(t *chat.Turn) { t.Reply, t.ReplyIndex = "a", 0 })},
		{"two assistant turns in a row: the earlier is not the previous answer",
			[]chat.Message{chat.User("q"), chat.Assistant("a1"), chat.Assistant("a2")},
			with(func(t *chat.Turn) { t.Reply, t.ReplyIndex, t.User, t.UserIndex = "a2", 2, "q", 0 })},
		{"two user turns in a row: the later is answered",
			[]chat.Message{chat.Assistant("a0"), chat.User("u1"), chat.User("u2"), chat.Assistant("a")},
			with(func(t *chat.Turn) {
				t.Reply, t.ReplyIndex, t.User, t.UserIndex, t.Previous, t.PreviousIndex = "a", 3, "u2", 2, "a0", 0
			})},
		{"a system turn after the answer: no reply yet",
			[]chat.Message{chat.System("s1"), chat.User("q"), chat.Assistant("a"), chat.System("s2")},
			with(func(t *chat.Turn) { t.User, t.UserIndex, t.System = "q", 1, "s1" })},
		{"empty contents keep their indexes",
			[]chat.Message{chat.Assistant(""), chat.User(""), chat.Assistant("")},
			with(func(t *chat.Turn) { t.ReplyIndex, t.UserIndex, t.PreviousIndex = 2, 1, 0 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.msgs)
			assert.Equal(t, tt.want, chat.LastTurn(tt.msgs))
			assert.Equal(t, before, tt.msgs, "LastTurn changed its input")
		})
	}
}
