package guard_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// collect streams req through client and returns the deltas received, the
// response and the error.
func collect(client chat.Client, req *chat.Request) ([]string, *chat.Response, error) {
	var deltas []string
	r := req.Clone()
	r.Stream = func(_ context.Context, d chat.Delta) error {
		deltas = append(deltas, d.Content)
		return nil
	}
	resp, err := client.Complete(context.Background(), r)
	return deltas, resp, err
}

// scenarios are conversations with scripted answers covering every action.
var scenarios = []struct {
	name    string
	req     func() *chat.Request
	replies []string
}{
	{"pass", advice, []string{challengesFrame}},
	{"annotate", advice, []string{allValidation}},
	{"reask", func() *chat.Request { return pushback(socialPressure) }, []string{flipAnswer, holdAnswer}},
	{"evidence", func() *chat.Request { return pushback(newEvidence) }, []string{flipAnswer}},
	{"block with fallback", func() *chat.Request { return pushback(socialPressure) }, []string{flipAnswer, flipAnswer, flipAnswer}},
}

func TestStreamSameVerdictAsNonStream(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			mw := guard.New(reaskPolicy(), fixedClock)
			want, wantV := complete(t, mw, chattest.Texts(sc.replies...), sc.req())

			replies := make([]chattest.Reply, len(sc.replies))
			for i, s := range sc.replies {
				replies[i] = chattest.Reply{Content: s, ChunkSize: 7}
			}
			model := chattest.New(replies...)
			deltas, got, err := collect(chat.Wrap(model, mw), sc.req())
			require.NoError(t, err)
			gotV, ok := guard.VerdictOf(got)
			require.True(t, ok)
			assert.Equal(t, wantV, gotV, "same verdict streamed and not")
			assert.Equal(t, want.Text(), got.Text())
			assert.Equal(t, want.Text(), strings.Join(deltas, ""), "the caller sees only the returned text")
			if want.Text() != "" && gotV.Action != guard.Blocked {
				assert.Greater(t, len(deltas), 1, "released in the chunks it arrived in")
			}
		})
	}
}

func TestStreamPassThrough(t *testing.T) {
	mw := guard.New(reaskPolicy(), fixedClock, guard.WithStreamMode(guard.PassThrough))
	t.Run("same checks as non-stream", func(t *testing.T) {
		for _, sc := range scenarios[:2] {
			_, wantV := complete(t, guard.New(reaskPolicy(), fixedClock), chattest.Texts(sc.replies...), sc.req())
			deltas, got, err := collect(chat.Wrap(chattest.Texts(sc.replies...), mw), sc.req())
			require.NoError(t, err)
			gotV, _ := guard.VerdictOf(got)
			assert.Equal(t, wantV, gotV, sc.name)
			assert.Equal(t, got.Text(), strings.Join(deltas, ""))
		}
	})
	t.Run("no reask: the role's exhausted action, after the text was seen", func(t *testing.T) {
		deltas, resp, err := collect(chat.Wrap(chattest.Texts(flipAnswer, holdAnswer), mw), pushback(socialPressure))
		assert.Nil(t, resp)
		assert.Equal(t, flipAnswer, strings.Join(deltas, ""))
		var ve *guard.ViolationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, guard.Blocked, ve.Verdict.Action)
		assert.Len(t, ve.Verdict.Attempts, 1)
		assert.Contains(t, ve.Verdict.Note, "pass-through")
		assert.NotEmpty(t, ve.Fallback, "the fallback is handed to the caller to show")
	})
	t.Run("exhausted annotate returns the answer", func(t *testing.T) {
		deltas, resp, err := collect(chat.Wrap(chattest.Texts(acceptsFraming), mw), advice())
		require.NoError(t, err)
		v, _ := guard.VerdictOf(resp)
		assert.Equal(t, guard.Annotated, v.Action)
		assert.Equal(t, acceptsFraming, strings.Join(deltas, ""))
	})
	t.Run("deltas that disagree with the final text: the streamed text is checked", func(t *testing.T) {
		for name, tc := range map[string]struct {
			streamed, final string
			want            guard.Action
		}{
			"streamed flip, final hold": {streamed: flipAnswer, final: holdAnswer, want: guard.Blocked},
			"streamed hold, final flip": {streamed: holdAnswer, final: flipAnswer, want: guard.Passed},
		} {
			model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
				if err := req.Stream(ctx, chat.Delta{Content: tc.streamed}); err != nil {
					return nil, err
				}
				return &chat.Response{Message: chat.Assistant(tc.final)}, nil
			})
			deltas, resp, err := collect(chat.Wrap(model, mw), pushback(socialPressure))
			assert.Equal(t, tc.streamed, strings.Join(deltas, ""), name)
			v, _ := guard.VerdictOf(resp)
			var ve *guard.ViolationError
			if errors.As(err, &ve) {
				v = ve.Verdict
			} else {
				require.NoError(t, err, name)
				assert.Equal(t, tc.streamed, resp.Text(), "%s: the reply is the text the caller saw", name)
			}
			require.NotNil(t, v, name)
			assert.Equal(t, tc.want, v.Action, name)
			assert.Contains(t, v.Note, "streamed deltas differ", name)
		}
	})
	t.Run("limit", func(t *testing.T) {
		model := chattest.Texts(strings.Repeat("word ", 100))
		deltas, _, err := collect(chat.Wrap(model, guard.New(reaskPolicy(), guard.WithStreamMode(guard.PassThrough), guard.WithMaxStreamBytes(64))), pushback(socialPressure))
		require.ErrorIs(t, err, guard.ErrStreamLimit)
		assert.LessOrEqual(t, len(strings.Join(deltas, "")), 64, "nothing past the limit is forwarded")
		assert.NotEmpty(t, deltas)
	})
}

func TestStreamBuffer(t *testing.T) {
	t.Run("only the accepted attempt is released", func(t *testing.T) {
		model := chattest.Texts(flipAnswer, holdAnswer)
		deltas, resp, err := collect(chat.Wrap(model, guard.New(reaskPolicy())), pushback(socialPressure))
		require.NoError(t, err)
		assert.Equal(t, holdAnswer, strings.Join(deltas, ""))
		assert.Equal(t, holdAnswer, resp.Text())
		assert.NotNil(t, model.Calls()[0].Stream, "the model is streamed to")
	})
	t.Run("blocked without fallback ends with the error and releases nothing", func(t *testing.T) {
		policy := blockPolicy()
		deltas, resp, err := collect(chat.Wrap(chattest.Texts(allValidation), guard.New(policy)), withRole(advice(), "strict"))
		assert.Nil(t, resp)
		require.ErrorIs(t, err, guard.ErrBlocked)
		assert.Empty(t, deltas)
	})
	t.Run("blocked with fallback releases the fallback", func(t *testing.T) {
		deltas, resp, err := collect(chat.Wrap(chattest.Texts(flipAnswer, flipAnswer, flipAnswer), guard.New(reaskPolicy())), pushback(socialPressure))
		require.NoError(t, err)
		assert.Equal(t, []string{resp.Text()}, deltas)
	})
	t.Run("limit", func(t *testing.T) {
		model := chattest.Texts(strings.Repeat("word ", 100))
		deltas, _, err := collect(chat.Wrap(model, guard.New(reaskPolicy(), guard.WithMaxStreamBytes(64))), pushback(socialPressure))
		require.ErrorIs(t, err, guard.ErrStreamLimit)
		assert.Empty(t, deltas)
		assert.Contains(t, err.Error(), "64 bytes")
	})
	t.Run("no limit of zero: the default holds", func(t *testing.T) {
		for _, n := range []int{0, -1} {
			deltas, resp, err := collect(chat.Wrap(chattest.Texts(holdAnswer), guard.New(reaskPolicy(), guard.WithMaxStreamBytes(n))), pushback(socialPressure))
			require.NoError(t, err, "WithMaxStreamBytes(%d)", n)
			assert.Equal(t, resp.Text(), strings.Join(deltas, ""))
		}
	})
	t.Run("caller's stream error stops the call", func(t *testing.T) {
		stop := errors.New("client went away")
		req := pushback(socialPressure)
		req.Stream = func(context.Context, chat.Delta) error { return stop }
		_, err := chat.Wrap(chattest.Texts(holdAnswer), guard.New(reaskPolicy())).Complete(context.Background(), req)
		assert.ErrorIs(t, err, stop)
	})
	t.Run("deltas that disagree with the final text: the final text wins", func(t *testing.T) {
		model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			if err := req.Stream(ctx, chat.Delta{Content: "draft"}); err != nil {
				return nil, err
			}
			return &chat.Response{Message: chat.Assistant(holdAnswer)}, nil
		})
		deltas, resp, err := collect(chat.Wrap(model, guard.New(reaskPolicy())), pushback(socialPressure))
		require.NoError(t, err)
		assert.Equal(t, []string{holdAnswer}, deltas, "the released text is the checked text")
		assert.Equal(t, holdAnswer, resp.Text())
	})
	t.Run("a role that only annotates streams live", func(t *testing.T) {
		soft := &role.Policy{Roles: map[string]role.Role{"soft": {
			Checks: map[metrics.Metric]role.Check{metrics.EmotionalValidation: {Threshold: 0.5}},
		}, "advisor": reaskPolicy().Roles["advisor"]}}
		for name, want := range map[string]bool{"soft": true, "advisor": false} {
			received := 0
			var seenLive []bool // per model delta: had the caller already received it?
			model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
				for _, w := range strings.SplitAfter(allValidation, " ") {
					before := received
					if err := req.Stream(ctx, chat.Delta{Content: w}); err != nil {
						return nil, err
					}
					seenLive = append(seenLive, received > before)
				}
				return &chat.Response{Message: chat.Assistant(allValidation)}, nil
			})
			req := withRole(advice(), name)
			req.Stream = func(context.Context, chat.Delta) error { received++; return nil }
			_, err := chat.Wrap(model, guard.New(soft)).Complete(context.Background(), req)
			require.NoError(t, err)
			assert.NotContains(t, seenLive, !want, name)
		}
	})
	t.Run("a role without checks streams live", func(t *testing.T) {
		policy := &role.Policy{Roles: map[string]role.Role{"plain": {Safeguards: "Be honest."}}}
		model := chattest.Texts("one two three")
		deltas, _, err := collect(chat.Wrap(model, guard.New(policy)), withRole(advice(), "plain"))
		require.NoError(t, err)
		assert.Equal(t, []string{"one ", "two ", "three"}, deltas)
	})
}

func TestNeverMutatesRequest(t *testing.T) {
	profile := &persona.Profile{Beliefs: []string{"I think so"}, Narrative: "I am a nurse."}
	ctx := persona.NewContext(context.Background(), profile)
	for _, sc := range scenarios {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream=%v", sc.name, stream), func(t *testing.T) {
				req := sc.req()
				req.Metadata["other"] = "kept"
				if stream {
					req.Stream = func(context.Context, chat.Delta) error { return nil }
				}
				before := req.Clone()
				_, err := chat.Wrap(chattest.Texts(sc.replies...), guard.New(reaskPolicy())).Complete(ctx, req)
				require.NoError(t, err)
				assert.Equal(t, before.Messages, req.Messages)
				assert.Equal(t, before.Metadata, req.Metadata)
				assert.Equal(t, before.Model, req.Model)
				assert.Equal(t, stream, req.Stream != nil)
				before.Stream, req.Stream = nil, nil
				assert.Equal(t, before, req)
			})
		}
	}
}

func TestCancellation(t *testing.T) {
	t.Run("during the model call", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		model := chattest.New(chattest.Reply{Content: holdAnswer, Delay: time.Hour})
		start := time.Now()
		_, err := chat.Wrap(model, guard.New(reaskPolicy())).Complete(ctx, pushback(socialPressure))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 10*time.Second)
	})
	t.Run("before a reask", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		calls := 0
		model := chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
			calls++
			cancel() // the caller gives up while the first answer is checked
			return &chat.Response{Message: chat.Assistant(flipAnswer)}, nil
		})
		_, err := chat.Wrap(model, guard.New(reaskPolicy())).Complete(ctx, pushback(socialPressure))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, calls, "no reask after cancellation")
	})
	t.Run("during a reask", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		model := chattest.Func(func(req *chat.Request) chattest.Reply {
			if len(req.Messages) > 4 {
				cancel()
				return chattest.Reply{Content: holdAnswer, Delay: time.Hour}
			}
			return chattest.Reply{Content: flipAnswer}
		})
		_, err := chat.Wrap(model, guard.New(reaskPolicy())).Complete(ctx, pushback(socialPressure))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 2, model.CallCount())
	})
}

func TestConcurrentUse(t *testing.T) {
	// One guard and one model shared by every goroutine; the model answers
	// from the conversation, so each request's outcome is known.
	model := chattest.Func(func(req *chat.Request) chattest.Reply {
		last := req.Messages[len(req.Messages)-1].Content
		switch {
		case strings.HasPrefix(last, guard.CritiqueHeader):
			return chattest.Reply{Content: holdAnswer}
		case last == socialPressure, last == newEvidence:
			return chattest.Reply{Content: flipAnswer, ChunkSize: 5}
		default:
			return chattest.Reply{Content: challengesFrame}
		}
	})
	var observed atomic.Int64
	judge := guard.JudgeFunc(func(_ context.Context, conv []chat.Message) (metrics.Result, error) {
		return metrics.Result{Score: 0, Label: metrics.Absent}, nil
	})
	client := chat.Wrap(model, guard.New(reaskPolicy(),
		guard.WithObserver(guard.ObserverFunc(func(context.Context, *guard.Verdict, error) { observed.Add(1) })),
		guard.WithJudge(metrics.StanceFlip, judge),
	))
	profile := &persona.Profile{Narrative: "I am a teacher."}
	want := map[string]guard.Action{"social": guard.Reasked, "evidence": guard.Passed, "advice": guard.Passed}

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := persona.NewContext(context.Background(), profile)
			for i := range 20 {
				kind, req := "advice", advice()
				switch (g + i) % 3 {
				case 0:
					kind, req = "social", pushback(socialPressure)
				case 1:
					kind, req = "evidence", pushback(newEvidence)
				}
				if i%2 == 0 {
					req.Stream = func(context.Context, chat.Delta) error { return nil }
				}
				resp, err := client.Complete(ctx, req)
				if err != nil {
					errs <- err
					return
				}
				v, _ := guard.VerdictOf(resp)
				if v.Action != want[kind] {
					errs <- fmt.Errorf("%s: action %s, want %s", kind, v.Action, want[kind])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, int64(64*20), observed.Load(), "one observation per request")
}

func TestNoGoroutineOutlivesACall(t *testing.T) {
	before := runtime.NumGoroutine()
	client := chat.Wrap(chattest.Func(func(req *chat.Request) chattest.Reply {
		return chattest.Reply{Content: flipAnswer}
	}), guard.New(reaskPolicy()))
	for i := range 30 {
		ctx, cancel := context.WithCancel(context.Background())
		req := pushback(socialPressure)
		if i%2 == 0 {
			req.Stream = func(context.Context, chat.Delta) error { return nil }
		}
		if i%3 == 0 {
			cancel()
		}
		_, _ = client.Complete(ctx, req)
		cancel()
	}
	for range chat.Stream(context.Background(), client, pushback(socialPressure)) {
		break
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

// TestStreamBufferLargeReply: a reply far longer than one of the stream
// buffer's blocks, in deltas of uneven sizes (some longer than a block),
// is released in the deltas it arrived in; when the deltas disagree with
// the final text, the final text is released whole, and in pass-through
// mode the streamed text, put back together, is the answer.
func TestStreamBufferLargeReply(t *testing.T) {
	text := strings.Repeat(challengesFrame+" ", 1200) // about 300 KB
	var sent []string
	for i, rest := 0, text; rest != ""; i++ {
		n := min([]int{1, 7, 300, 4096, 70 << 10, 513}[i%6], len(rest))
		sent = append(sent, rest[:n])
		rest = rest[n:]
	}
	model := func(final string) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			for _, d := range sent {
				if err := req.Stream(ctx, chat.Delta{Content: d}); err != nil {
					return nil, err
				}
			}
			return &chat.Response{Message: chat.Assistant(final)}, nil
		})
	}
	t.Run("released in its deltas", func(t *testing.T) {
		deltas, resp, err := collect(chat.Wrap(model(text), guard.New(reaskPolicy())), advice())
		require.NoError(t, err)
		assert.Equal(t, text, resp.Text())
		require.Equal(t, len(sent), len(deltas))
		for i := range sent {
			if deltas[i] != sent[i] {
				t.Fatalf("delta %d: %d bytes %.20q, want %d bytes %.20q", i, len(deltas[i]), deltas[i], len(sent[i]), sent[i])
			}
		}
	})
	t.Run("final text differs at its end", func(t *testing.T) {
		final := text[:len(text)-1] + "!"
		deltas, resp, err := collect(chat.Wrap(model(final), guard.New(reaskPolicy())), advice())
		require.NoError(t, err)
		assert.Equal(t, final, resp.Text())
		assert.True(t, len(deltas) == 1 && deltas[0] == final, "the final text released as one delta, got %d deltas", len(deltas))
	})
	t.Run("pass-through keeps the streamed text", func(t *testing.T) {
		final := "!" + text[1:]
		deltas, resp, err := collect(chat.Wrap(model(final), guard.New(reaskPolicy(), guard.WithStreamMode(guard.PassThrough))), advice())
		require.NoError(t, err)
		assert.True(t, resp.Text() == text, "the answer is the streamed text (%d bytes), got %d bytes", len(text), len(resp.Text()))
		assert.Equal(t, len(sent), len(deltas))
		v, _ := guard.VerdictOf(resp)
		assert.Contains(t, v.Note, "streamed deltas differ")
	})
}
