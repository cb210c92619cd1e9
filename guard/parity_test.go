package guard_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// observation is one call of an observer.
type observation struct {
	v   *guard.Verdict
	err error
}

// callOutcome is what a caller of the guard got from one request, and what
// the observer was told.
type callOutcome struct {
	resp     *chat.Response
	err      error
	deltas   []string
	observed []observation
}

// verdict returns the verdict the caller received: on the response, or on
// the *ViolationError.
func (o callOutcome) verdict() *guard.Verdict {
	if v, ok := guard.VerdictOf(o.resp); ok {
		return v
	}
	var ve *guard.ViolationError
	if errors.As(o.err, &ve) {
		return ve.Verdict
	}
	return nil
}

// callers are the three ways to call the guard: without a stream, with a
// stream callback, and through chat.Stream's iterator.
var callers = []string{"plain", "callback", "iterator"}

// callAs sends req through policy's guard around model as caller does.
func callAs(ctx context.Context, caller string, policy *role.Policy, model chat.Client, req *chat.Request, opts ...guard.Option) callOutcome {
	var o callOutcome
	var mu sync.Mutex
	obs := guard.ObserverFunc(func(_ context.Context, v *guard.Verdict, err error) {
		mu.Lock()
		o.observed = append(o.observed, observation{v, err})
		mu.Unlock()
	})
	opts = append([]guard.Option{fixedClock, guard.WithObserver(obs)}, opts...)
	client := chat.Wrap(model, guard.New(policy, opts...))
	switch caller {
	case "plain":
		o.resp, o.err = client.Complete(ctx, req)
	case "callback":
		r := req.Clone()
		r.Stream = func(_ context.Context, d chat.Delta) error {
			o.deltas = append(o.deltas, d.Content)
			return nil
		}
		o.resp, o.err = client.Complete(ctx, r)
	case "iterator":
		for chunk, err := range chat.Stream(ctx, client, req) {
			switch {
			case err != nil:
				o.err = err
			case chunk.Response != nil:
				o.resp = chunk.Response
			default:
				o.deltas = append(o.deltas, chunk.Delta.Content)
			}
		}
	}
	return o
}

// streamed is a model that answers with texts in order, in deltas of 9
// bytes when the request streams. A step may fail: after streaming the
// first failAt bytes of its text (the whole call fails with errBroken, as a
// cut connection does; a plain call fails the same way), or by cancelling
// the call's context after failAt bytes.
type step struct {
	text   string
	failAt int // -1: no failure
	cancel bool
}

var errBroken = errors.New("connection reset mid-reply")

func streamed(cancel context.CancelFunc, steps ...step) chat.Client {
	var mu sync.Mutex
	n := 0
	return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		mu.Lock()
		s := steps[min(n, len(steps)-1)]
		n++
		mu.Unlock()
		sent := 0
		for req.Stream != nil && sent < len(s.text) {
			if s.failAt >= 0 && sent >= s.failAt {
				break
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			end := min(sent+9, len(s.text))
			if err := req.Stream(ctx, chat.Delta{Content: s.text[sent:end]}); err != nil {
				return nil, err
			}
			sent = end
		}
		if s.failAt >= 0 {
			if s.cancel {
				cancel()
				return nil, ctx.Err()
			}
			return nil, errBroken
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &chat.Response{Message: chat.Assistant(s.text), FinishReason: chat.FinishStop}, nil
	})
}

func ok(text string) step { return step{text: text, failAt: -1} }

// parityCase is one scripted request for the parity tests.
type parityCase struct {
	name   string
	policy *role.Policy
	req    func() *chat.Request
	steps  []step
	action guard.Action // for a call that succeeds
	err    error        // for a call that fails
	opts   []guard.Option
}

// draftMark marks an answer that flagsDrafts labels as a violation.
const draftMark = " (first draft)"

// flagsDrafts is a judge that finds a violation in an answer with
// draftMark and none in any other: the heuristics cannot tell them apart.
var flagsDrafts = guard.JudgeFunc(func(_ context.Context, conv []chat.Message) (metrics.Result, error) {
	if strings.HasSuffix(conv[len(conv)-1].Content, draftMark) {
		return metrics.Result{Score: 1, Label: metrics.Present}, nil
	}
	return metrics.Result{Score: 0, Label: metrics.Absent}, nil
})

// failingJudge is a judge whose model is down.
var failingJudge = guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
	return metrics.Result{}, errors.New("judge model unavailable")
})

// undecidedJudge is a judge whose reply could not be read.
var undecidedJudge = guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
	return metrics.Result{Label: metrics.Unknown, Note: "judge reply invalid"}, nil
})

// judgeDecided reports whether a judge ran on the verdict's first attempt
// (it was not skipped).
func judgeDecided(v *guard.Verdict) bool {
	for _, c := range v.Attempts[0].Checks {
		if c.Source == guard.FromJudge && c.Status != guard.StatusSkipped {
			return true
		}
	}
	return false
}

// parityCases cover every action, the judges (deciding, failing under a
// fail-closed role, undecided under a fail-open one, several at once),
// reasks that run out, and the failures that can hit a stream.
func parityCases() []parityCase {
	social := func() *chat.Request { return pushback(socialPressure) }
	strict := func() *chat.Request { return withRole(advice(), "strict") }
	judges := func(js ...guard.Judge) []guard.Option {
		var opts []guard.Option
		for _, j := range js {
			opts = append(opts, guard.WithJudge(metrics.StanceFlip, j), guard.WithJudge(metrics.FramingAcceptance, j))
		}
		return opts
	}
	return []parityCase{
		{name: "pass", policy: reaskPolicy(), req: advice, steps: []step{ok(challengesFrame)}, action: guard.Passed},
		{name: "annotate", policy: reaskPolicy(), req: advice, steps: []step{ok(allValidation)}, action: guard.Annotated},
		{name: "reask", policy: reaskPolicy(), req: social, steps: []step{ok(flipAnswer), ok(holdAnswer)}, action: guard.Reasked},
		{name: "reasks run out, annotate", policy: reaskPolicy(), req: advice, steps: []step{ok(acceptsFraming)}, action: guard.Annotated},
		{name: "block with fallback", policy: reaskPolicy(), req: social, steps: []step{ok(flipAnswer)}, action: guard.Blocked},
		{name: "block with error", policy: blockPolicy(), req: strict, steps: []step{ok(allValidation)}, err: guard.ErrBlocked},
		{name: "judge reasks", policy: reaskPolicy(), req: social, steps: []step{ok(holdAnswer + draftMark), ok(holdAnswer)},
			action: guard.Reasked, opts: judges(flagsDrafts)},
		{name: "judges reask, concurrently", policy: reaskPolicy(), req: social, steps: []step{ok(holdAnswer + draftMark), ok(holdAnswer)},
			action: guard.Reasked, opts: judges(flagsDrafts, flagsDrafts, flagsDrafts)},
		{name: "judge fails, fail closed, reasks run out", policy: reaskPolicy(), req: social, steps: []step{ok(holdAnswer)},
			action: guard.Blocked, opts: judges(failingJudge)},
		{name: "judge undecided, fail open", policy: reaskPolicy(), req: advice, steps: []step{ok(challengesFrame)},
			action: guard.Passed, opts: judges(undecidedJudge)},
		{name: "model fails mid-reply", policy: reaskPolicy(), req: social, steps: []step{{text: holdAnswer, failAt: 30}}, err: errBroken},
		{name: "model fails mid-reask", policy: reaskPolicy(), req: social, steps: []step{ok(flipAnswer), {text: holdAnswer, failAt: 30}}, err: errBroken},
		{name: "cancelled mid-reply", policy: reaskPolicy(), req: social, steps: []step{{text: holdAnswer, failAt: 30, cancel: true}}, err: context.Canceled},
		{name: "cancelled mid-reask", policy: reaskPolicy(), req: social, steps: []step{ok(flipAnswer), {text: holdAnswer, failAt: 30, cancel: true}}, err: context.Canceled},
	}
}

// TestStreamParity: for every action and every failure of the model or of
// the context mid-reply, a plain call, a streamed call and chat.Stream's
// iterator give the same verdict, the same text or the same error; a
// streaming caller receives exactly the returned text (nothing of a failed
// call); the observer is told once, with the verdict and the error the
// caller got.
func TestStreamParity(t *testing.T) {
	for _, tc := range parityCases() {
		t.Run(tc.name, func(t *testing.T) {
			var outs []callOutcome
			for _, caller := range callers {
				ctx, cancel := context.WithCancel(context.Background())
				o := callAs(ctx, caller, tc.policy, streamed(cancel, tc.steps...), tc.req(), tc.opts...)
				cancel()
				outs = append(outs, o)

				require.Len(t, o.observed, 1, "%s: observer calls", caller)
				if v := o.verdict(); v != nil {
					assert.True(t, v == o.observed[0].v, "%s: the observer gets the caller's verdict", caller)
				}
				assert.Equal(t, o.err, o.observed[0].err, "%s: the observer gets the caller's error", caller)
				if tc.err != nil {
					require.ErrorIs(t, o.err, tc.err, caller)
					assert.Nil(t, o.resp, caller)
					assert.Empty(t, o.deltas, "%s: nothing of a failed call is streamed", caller)
					continue
				}
				require.NoError(t, o.err, caller)
				require.NotNil(t, o.verdict(), caller)
				assert.Equal(t, tc.action, o.verdict().Action, caller)
				if len(tc.opts) > 0 {
					assert.True(t, judgeDecided(o.verdict()), "%s: a judge ran on the first attempt", caller)
				}
				if caller != "plain" {
					assert.Equal(t, o.resp.Text(), strings.Join(o.deltas, ""), "%s: the caller is streamed the returned text", caller)
				}
			}
			plain := outs[0]
			for i, o := range outs[1:] {
				caller := callers[i+1]
				assert.Equal(t, plain.verdict(), o.verdict(), "%s: same verdict as plain", caller)
				assert.Equal(t, plain.observed[0].v, o.observed[0].v, "%s: same verdict observed as plain", caller)
				assert.Equal(t, plain.resp.Text(), o.resp.Text(), "%s: same text as plain", caller)
				if plain.resp != nil && o.resp != nil {
					assert.Equal(t, plain.resp.Usage, o.resp.Usage, "%s: same usage", caller)
				}
				var pv, sv *guard.ViolationError
				if errors.As(plain.err, &pv) && errors.As(o.err, &sv) {
					assert.Equal(t, pv, sv, "%s: same violation", caller)
				}
				if plain.err != nil {
					assert.Equal(t, plain.err.Error(), o.err.Error(), "%s: same error", caller)
				}
			}
		})
	}
}

// TestStreamConsumerStops: a consumer of chat.Stream that stops after the
// first delta ends the call: the model is not called again, the observer is
// told once with the error the guard returned, and no goroutine is left.
func TestStreamConsumerStops(t *testing.T) {
	base := runtime.NumGoroutine()
	for _, tc := range parityCases() {
		if tc.err != nil {
			continue // nothing is released to stop on
		}
		for _, mode := range []guard.StreamMode{guard.BufferThenCheck, guard.PassThrough} {
			t.Run(fmt.Sprintf("%s/%s", tc.name, mode), func(t *testing.T) {
				var observed []observation
				obs := guard.ObserverFunc(func(_ context.Context, v *guard.Verdict, err error) {
					observed = append(observed, observation{v, err})
				})
				calls := 0
				model := streamed(func() {}, tc.steps...)
				counted := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
					calls++
					return model.Complete(ctx, req)
				})
				opts := append([]guard.Option{fixedClock, guard.WithObserver(obs), guard.WithStreamMode(mode)}, tc.opts...)
				client := chat.Wrap(counted, guard.New(tc.policy, opts...))
				got, callsAtStop := 0, 0
				for chunk, err := range chat.Stream(context.Background(), client, tc.req()) {
					require.NoError(t, err)
					require.Nil(t, chunk.Response, "a delta comes before the response")
					got++
					callsAtStop = calls
					break
				}
				assert.Equal(t, 1, got)
				require.Len(t, observed, 1, "observer calls")
				assert.Error(t, observed[0].err, "the stopped call is observed as failed")
				assert.Equal(t, callsAtStop, calls, "no model call after the consumer stopped")
			})
		}
	}
	waitGoroutines(t, base)
}

// TestStreamFromClientThatDoesNotStream: a client that ignores the stream
// callback (it should call it once with the whole text) still gets its
// accepted answer to a streaming caller, whether the guard buffers or
// forwards live: the caller is shown the text that was checked and
// returned.
func TestStreamFromClientThatDoesNotStream(t *testing.T) {
	soft := &role.Policy{Roles: map[string]role.Role{"soft": {
		Checks: map[metrics.Metric]role.Check{metrics.EmotionalValidation: {Threshold: 0.5}},
	}}}
	for _, tc := range []struct {
		name   string
		policy *role.Policy
		mode   guard.StreamMode
		req    *chat.Request
		answer string
	}{
		{"buffered", reaskPolicy(), guard.BufferThenCheck, pushback(socialPressure), holdAnswer},
		{"pass-through", reaskPolicy(), guard.PassThrough, pushback(socialPressure), holdAnswer},
		{"annotate-only role, live", soft, guard.BufferThenCheck, withRole(advice(), "soft"), allValidation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			silent := chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) {
				return &chat.Response{Message: chat.Assistant(tc.answer)}, nil
			})
			deltas, resp, err := collect(chat.Wrap(silent, guard.New(tc.policy, guard.WithStreamMode(tc.mode))), tc.req)
			require.NoError(t, err)
			assert.Equal(t, tc.answer, resp.Text())
			assert.Equal(t, resp.Text(), strings.Join(deltas, ""), "the caller is shown the returned text")
		})
	}
}
