package guard_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

// silentModel answers with texts in order and never calls the request's
// StreamFunc: a client that cannot stream (it should send its text as one
// delta, but some do not).
func silentModel(texts ...string) (chat.Client, *int) {
	n := 0
	return chat.ClientFunc(func(_ context.Context, req *chat.Request) (*chat.Response, error) {
		text := texts[min(n, len(texts)-1)]
		n++
		return &chat.Response{Message: chat.Assistant(text), FinishReason: chat.FinishStop}, nil
	}), &n
}

// TestPassThroughClientThatDoesNotStream: in pass-through mode, an attempt
// whose client streamed nothing showed the caller nothing, so the guard
// withholds it exactly as in a buffered stream: a reask is made (the caller
// is shown only the accepted answer, as one delta), and a block gives the
// role's fallback (as one delta), not a *ViolationError about text the
// caller has seen. The verdict is the non-streamed one.
func TestPassThroughClientThatDoesNotStream(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replies []string
		want    guard.Action
	}{
		{"reask", []string{flipAnswer, holdAnswer}, guard.Reasked},
		{"block with fallback", []string{flipAnswer}, guard.Blocked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plainModel, _ := silentModel(tc.replies...)
			want, wantV := complete(t, guard.New(reaskPolicy(), fixedClock), plainModel, pushback(socialPressure))

			model, calls := silentModel(tc.replies...)
			mw := guard.New(reaskPolicy(), fixedClock, guard.WithStreamMode(guard.PassThrough))
			deltas, resp, err := collect(chat.Wrap(model, mw), pushback(socialPressure))
			require.NoError(t, err, "the caller saw nothing: the answer can still be withheld")
			v, _ := guard.VerdictOf(resp)
			assert.Equal(t, tc.want, v.Action)
			assert.Equal(t, wantV, v, "same verdict as a non-streamed call")
			assert.Empty(t, v.Note, "no note about text the caller has seen")
			assert.Equal(t, want.Text(), resp.Text())
			assert.Equal(t, []string{resp.Text()}, deltas, "the returned text, as one delta")
			assert.Equal(t, len(v.Attempts), *calls)
		})
	}
	t.Run("a later attempt that streams is live", func(t *testing.T) {
		// The first answer is not streamed and is reasked; the second
		// streams (the caller sees it live) and still violates: it cannot
		// be taken back, so the role's exhausted action applies to it.
		n := 0
		model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			n++
			if n > 1 {
				if err := req.Stream(ctx, chat.Delta{Content: flipAnswer}); err != nil {
					return nil, err
				}
			}
			return &chat.Response{Message: chat.Assistant(flipAnswer)}, nil
		})
		mw := guard.New(reaskPolicy(), fixedClock, guard.WithStreamMode(guard.PassThrough))
		deltas, resp, err := collect(chat.Wrap(model, mw), pushback(socialPressure))
		assert.Nil(t, resp)
		var ve *guard.ViolationError
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Verdict.Attempts, 2)
		assert.Contains(t, ve.Verdict.Note, "pass-through")
		assert.NotEmpty(t, ve.Fallback)
		assert.Equal(t, []string{flipAnswer}, deltas, "only the live attempt was shown")
	})
}

// TestStreamParityPassThrough runs the parity cases in pass-through mode:
// the caller is streamed the model's deltas live, in order, each once; a
// call that passes or annotates gives the non-streamed verdict and text; a
// failure mid-reply ends the call with the model's or the context's error
// after the text already shown; a reask acts as the role's exhausted
// action; the observer is told once, with what the caller got.
func TestStreamParityPassThrough(t *testing.T) {
	for _, tc := range parityCases() {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			plain := callAs(ctx, "plain", tc.policy, streamed(cancel, tc.steps...), tc.req(), tc.opts...)
			cancel()
			for _, caller := range callers[1:] {
				ctx, cancel := context.WithCancel(context.Background())
				opts := append(tc.opts[:len(tc.opts):len(tc.opts)], guard.WithStreamMode(guard.PassThrough))
				o := callAs(ctx, caller, tc.policy, streamed(cancel, tc.steps...), tc.req(), opts...)
				cancel()

				require.Len(t, o.observed, 1, "%s: observer calls", caller)
				assert.Equal(t, o.err, o.observed[0].err, "%s: the observer gets the caller's error", caller)
				if v := o.verdict(); v != nil {
					assert.True(t, v == o.observed[0].v, "%s: the observer gets the caller's verdict", caller)
				}
				// The first step is what the caller is shown live, up to
				// its failure (the model streams 9-byte deltas until it
				// has sent failAt bytes).
				first := tc.steps[0]
				shown := first.text
				if first.failAt >= 0 {
					shown = first.text[:min(len(first.text), (first.failAt+8)/9*9)]
				}
				assert.Equal(t, shown, strings.Join(o.deltas, ""), "%s: the first attempt, live", caller)
				assert.NotContains(t, o.deltas, "", "%s: no empty delta", caller)

				switch {
				case tc.err != nil && len(tc.steps) == 1:
					require.ErrorIs(t, o.err, tc.err, caller)
					assert.Equal(t, plain.err.Error(), o.err.Error(), "%s: same error", caller)
					assert.Nil(t, o.resp, caller)
				case plain.err == nil && len(plain.verdict().Attempts) == 1 && plain.verdict().Action != guard.Blocked:
					require.NoError(t, o.err, caller)
					assert.Equal(t, plain.verdict(), o.verdict(), "%s: same verdict as plain", caller)
					assert.Equal(t, plain.resp.Text(), o.resp.Text(), caller)
					assert.Equal(t, plain.resp.Usage, o.resp.Usage, caller)
				default:
					// A reask or a block after the text was seen: one
					// attempt, no reask.
					v := o.verdict()
					require.NotNil(t, v, "%s: %v", caller, o.err)
					assert.Len(t, v.Attempts, 1, caller)
					if pv := plain.verdict(); pv != nil {
						assert.Equal(t, pv.Attempts[0].Checks, v.Attempts[0].Checks, "%s: same checks of the first answer", caller)
					}
					if v.Action == guard.Blocked {
						require.ErrorIs(t, o.err, guard.ErrBlocked, caller)
						assert.Nil(t, o.resp, caller)
					}
				}
			}
		})
	}
}

// chunked is a model that streams text in deltas of size bytes, cut
// anywhere (inside a multi-byte rune too, as a provider's byte stream
// may be), and returns the whole text.
func chunked(size int, texts ...string) chat.Client {
	n := 0
	return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		text := texts[min(n, len(texts)-1)]
		n++
		for s := text; req.Stream != nil && len(s) > 0; {
			k := min(size, len(s))
			if err := req.Stream(ctx, chat.Delta{Content: s[:k]}); err != nil {
				return nil, err
			}
			s = s[k:]
		}
		return &chat.Response{Message: chat.Assistant(text)}, nil
	})
}

// TestStreamChunkingParity: however the model cuts its reply (one byte at
// a time, inside multi-byte runes, inside the phrases the scorers look
// for), the streamed call's checks, scores and decision are the plain
// call's, in either mode; a buffered stream releases the accepted text in
// the chunks it arrived in.
func TestStreamChunkingParity(t *testing.T) {
	curly := strings.NewReplacer("'", "’", ": ", " — ", ".", "…")
	cases := []struct {
		name    string
		req     func() *chat.Request
		replies []string
	}{
		{"pass", advice, []string{curly.Replace(challengesFrame)}},
		{"annotate", advice, []string{curly.Replace(allValidation)}},
		{"reask", func() *chat.Request { return pushback(socialPressure) }, []string{curly.Replace(flipAnswer), curly.Replace(holdAnswer)}},
		{"block", func() *chat.Request { return pushback(socialPressure) }, []string{curly.Replace(flipAnswer)}},
	}
	for _, tc := range cases {
		plain := callAs(context.Background(), "plain", reaskPolicy(), chunked(1, tc.replies...), tc.req())
		require.NoError(t, plain.err, tc.name)
		for _, size := range []int{1, 2, 3, 5, 8, 13, 64, 1 << 10} {
			for _, mode := range []guard.StreamMode{guard.BufferThenCheck, guard.PassThrough} {
				t.Run(fmt.Sprintf("%s/%d bytes/%s", tc.name, size, mode), func(t *testing.T) {
					o := callAs(context.Background(), "callback", reaskPolicy(), chunked(size, tc.replies...), tc.req(), guard.WithStreamMode(mode))
					v := o.verdict()
					require.NotNil(t, v, "%v", o.err)
					pv := plain.verdict()
					assert.Equal(t, pv.Attempts[0].Checks, v.Attempts[0].Checks, "same checks and scores of the first answer")
					if mode == guard.BufferThenCheck || len(pv.Attempts) == 1 && pv.Action != guard.Blocked {
						assert.Equal(t, pv, v, "same verdict")
						assert.Equal(t, plain.resp.Text(), o.resp.Text())
					}
					if o.resp == nil {
						return
					}
					if mode == guard.BufferThenCheck && v.Action != guard.Blocked {
						text := o.resp.Text()
						want := (len(text) + size - 1) / size
						assert.Len(t, o.deltas, want, "released in the chunks it arrived in")
					}
					assert.Equal(t, o.resp.Text(), strings.Join(o.deltas, ""))
				})
			}
		}
	}
}

// TestStreamFuncErrorIsFinal: once one of the guard's stream callbacks
// returned an error (the stream cap, or the caller's own StreamFunc), the
// call ends with that error, even from a client that breaks the
// chat.StreamFunc contract by streaming on and returning a response: the
// caller is given no delta after its StreamFunc said stop, and no answer
// past the cap.
func TestStreamFuncErrorIsFinal(t *testing.T) {
	// careless streams text word by word, ignoring the StreamFunc's
	// errors, and returns the whole text.
	careless := func(text string) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			for _, w := range strings.SplitAfter(text, " ") {
				_ = req.Stream(ctx, chat.Delta{Content: w})
			}
			return &chat.Response{Message: chat.Assistant(text)}, nil
		})
	}
	for _, mode := range []guard.StreamMode{guard.BufferThenCheck, guard.PassThrough} {
		t.Run("cap/"+mode.String(), func(t *testing.T) {
			mw := guard.New(reaskPolicy(), guard.WithStreamMode(mode), guard.WithMaxStreamBytes(64))
			deltas, resp, err := collect(chat.Wrap(careless(holdAnswer), mw), pushback(socialPressure))
			require.ErrorIs(t, err, guard.ErrStreamLimit)
			assert.Nil(t, resp)
			assert.LessOrEqual(t, len(strings.Join(deltas, "")), 64)
		})
		t.Run("caller stops/"+mode.String(), func(t *testing.T) {
			stop := errors.New("caller went away")
			var got []string
			req := pushback(socialPressure)
			req.Stream = func(_ context.Context, d chat.Delta) error {
				got = append(got, d.Content)
				return stop
			}
			mw := guard.New(reaskPolicy(), guard.WithStreamMode(mode))
			resp, err := chat.Wrap(careless(holdAnswer), mw).Complete(context.Background(), req)
			require.ErrorIs(t, err, stop)
			assert.Nil(t, resp)
			assert.Len(t, got, 1, "no delta after the caller said stop")
		})
	}
}

// TestStreamConsumerStopsIsCancellation: a consumer of chat.Stream that
// breaks out of its loop has gone away, as a caller who cancels has: in
// either mode the observer is told an error that matches context.Canceled,
// so that SlogObserver logs it at Info and not as a failed request.
func TestStreamConsumerStopsIsCancellation(t *testing.T) {
	for _, mode := range []guard.StreamMode{guard.BufferThenCheck, guard.PassThrough} {
		t.Run(mode.String(), func(t *testing.T) {
			var observed []error
			obs := guard.ObserverFunc(func(_ context.Context, _ *guard.Verdict, err error) { observed = append(observed, err) })
			var logs strings.Builder
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			mw := guard.New(reaskPolicy(), guard.WithStreamMode(mode), guard.WithObserver(obs), guard.WithObserver(guard.SlogObserver(logger)))
			for range chat.Stream(context.Background(), chat.Wrap(chattest.Texts(challengesFrame), mw), advice()) {
				break
			}
			require.Len(t, observed, 1)
			assert.ErrorIs(t, observed[0], context.Canceled)
			assert.Contains(t, logs.String(), "level=INFO")
		})
	}
}

// TestPassThroughNoteOnlyWhenAReaskWasDue: the pass-through note says a
// reask was not made because the text was seen; a role that allows no
// reask applies its exhausted action in any mode, and its streamed verdict
// is the non-streamed one, without that note.
func TestPassThroughNoteOnlyWhenAReaskWasDue(t *testing.T) {
	peer := role.Peer()
	peer.MaxReasks = role.NoReasks
	policy := &role.Policy{Roles: map[string]role.Role{"peer": peer}}
	plain := callAs(context.Background(), "plain", policy, chattest.Texts(flipAnswer), pushback(socialPressure))
	want := plain.verdict()
	require.NotNil(t, want, "%v", plain.err)
	require.Equal(t, guard.Blocked, want.Action)

	live := callAs(context.Background(), "callback", policy, chattest.Texts(flipAnswer), pushback(socialPressure), guard.WithStreamMode(guard.PassThrough))
	got := live.verdict()
	require.NotNil(t, got, "%v", live.err)
	assert.Empty(t, got.Note, "no reask was allowed, so pass-through withheld none")
	assert.Equal(t, want, got, "same verdict as a non-streamed call")
}
