package guard_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
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
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/role"
)

// judgedPolicy has a role "judged" that checks four metrics, annotate only,
// so that one call runs one attempt and every installed judge.
func judgedPolicy() *role.Policy {
	return &role.Policy{Roles: map[string]role.Role{"judged": {Checks: map[metrics.Metric]role.Check{
		metrics.FramingAcceptance:   {Threshold: 0.5},
		metrics.BeliefAdoption:      {Threshold: 0.5},
		metrics.EmotionalValidation: {Threshold: 0.5},
		metrics.Hedging:             {Threshold: 0.5},
	}}}}
}

var judgedMetrics = []metrics.Metric{metrics.FramingAcceptance, metrics.BeliefAdoption, metrics.EmotionalValidation, metrics.Hedging}

// judgeChecks returns the verdict's judge checks in order.
func judgeChecks(v *guard.Verdict) []guard.CheckResult {
	var out []guard.CheckResult
	for _, c := range v.Checks {
		if c.Source == guard.FromJudge {
			out = append(out, c)
		}
	}
	return out
}

// waitGoroutines fails unless the goroutine count comes back to base.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines, %d before the call:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

func TestConcurrentJudges(t *testing.T) {
	t.Run("run together, verdict in installation order", func(t *testing.T) {
		base := runtime.NumGoroutine()
		var started sync.WaitGroup
		started.Add(len(judgedMetrics))
		var opts []guard.Option
		for i, m := range judgedMetrics {
			score := float64(i) / 10 // tells the results apart
			opts = append(opts, guard.WithJudge(m, guard.JudgeFunc(func(ctx context.Context, _ []chat.Message) (metrics.Result, error) {
				started.Done()
				// Every judge waits for all four to have started: this only
				// returns if they run at the same time.
				done := make(chan struct{})
				go func() { started.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					return metrics.Result{}, errors.New("the judges did not run concurrently")
				}
				// The last to start finishes first, so completion order is
				// not installation order.
				time.Sleep(time.Duration(len(judgedMetrics)-i) * time.Millisecond)
				return metrics.Result{Score: score, Label: metrics.Absent}, nil
			})))
		}
		_, v := complete(t, guard.New(judgedPolicy(), opts...), chattest.Texts(challengesFrame), withRole(advice(), "judged"))
		got := judgeChecks(v)
		require.Len(t, got, len(judgedMetrics))
		for i, c := range got {
			assert.Equal(t, judgedMetrics[i], c.Metric, "check %d", i)
			assert.Equal(t, float64(i)/10, c.Score, "check %d", i)
			assert.Equal(t, guard.StatusPass, c.Status, "check %d: %s", i, c.Note)
		}
		waitGoroutines(t, base)
	})

	// A limit of 0 or less keeps DefaultJudgeConcurrency (errgroup's
	// limit of 0 would start no judge at all).
	for _, limit := range []int{1, 2, 3, 0, -1} {
		t.Run(fmt.Sprintf("WithJudgeConcurrency(%d)", limit), func(t *testing.T) {
			var running, most atomic.Int32
			var opts []guard.Option
			for _, m := range judgedMetrics {
				opts = append(opts, guard.WithJudge(m, guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
					n := running.Add(1)
					defer running.Add(-1)
					for {
						old := most.Load()
						if n <= old || most.CompareAndSwap(old, n) {
							break
						}
					}
					time.Sleep(2 * time.Millisecond)
					return metrics.Result{Score: 0, Label: metrics.Absent}, nil
				})))
			}
			opts = append(opts, guard.WithJudgeConcurrency(limit))
			_, v := complete(t, guard.New(judgedPolicy(), opts...), chattest.Texts(challengesFrame), withRole(advice(), "judged"))
			assert.Len(t, judgeChecks(v), len(judgedMetrics))
			want := limit
			if want <= 0 {
				want = guard.DefaultJudgeConcurrency
			}
			assert.LessOrEqual(t, most.Load(), int32(want))
			assert.GreaterOrEqual(t, most.Load(), int32(1))
		})
	}

	t.Run("a failed judge does not stop the others", func(t *testing.T) {
		failed := make(chan struct{})
		boom := guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
			defer close(failed)
			return metrics.Result{}, errors.New("judge down")
		})
		patient := guard.JudgeFunc(func(ctx context.Context, _ []chat.Message) (metrics.Result, error) {
			select {
			case <-failed:
			case <-time.After(5 * time.Second):
			}
			if err := ctx.Err(); err != nil {
				return metrics.Result{}, fmt.Errorf("cancelled after a sibling failed: %w", err)
			}
			return metrics.Result{Score: 0.1, Label: metrics.Absent}, nil
		})
		_, v := complete(t, guard.New(judgedPolicy(),
			guard.WithJudge(metrics.FramingAcceptance, boom), guard.WithJudge(metrics.Hedging, patient)),
			chattest.Texts(challengesFrame), withRole(advice(), "judged"))
		got := judgeChecks(v)
		require.Len(t, got, 2)
		assert.Equal(t, guard.StatusUnknown, got[0].Status)
		assert.Contains(t, got[0].Note, "judge down")
		assert.Equal(t, guard.StatusPass, got[1].Status, got[1].Note)
	})

	t.Run("cancelling the call stops every judge", func(t *testing.T) {
		base := runtime.NumGoroutine()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var stopped atomic.Int32
		var opts []guard.Option
		for i, m := range judgedMetrics {
			opts = append(opts, guard.WithJudge(m, guard.JudgeFunc(func(jctx context.Context, _ []chat.Message) (metrics.Result, error) {
				if i == 0 {
					cancel()
				}
				select {
				case <-jctx.Done():
					stopped.Add(1)
					return metrics.Result{}, jctx.Err()
				case <-time.After(5 * time.Second):
					return metrics.Result{}, errors.New("judge not cancelled")
				}
			})))
		}
		_, err := chat.Wrap(chattest.Texts(challengesFrame), guard.New(judgedPolicy(), opts...)).
			Complete(ctx, withRole(advice(), "judged"))
		require.ErrorIs(t, err, context.Canceled)
		assert.GreaterOrEqual(t, stopped.Load(), int32(1), "the running judges saw the cancellation")
		waitGoroutines(t, base)
	})

	t.Run("a panicking judge panics the call on the caller's goroutine", func(t *testing.T) {
		base := runtime.NumGoroutine()
		calm := guard.JudgeFunc(func(ctx context.Context, _ []chat.Message) (metrics.Result, error) {
			select {
			case <-ctx.Done():
				return metrics.Result{}, ctx.Err()
			case <-time.After(5 * time.Second):
				return metrics.Result{}, nil
			}
		})
		panicky := guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) { panic("judge bug") })
		client := chat.Wrap(chattest.Texts(challengesFrame), guard.New(judgedPolicy(),
			guard.WithJudge(metrics.FramingAcceptance, calm), guard.WithJudge(metrics.Hedging, panicky)))
		start := time.Now()
		assert.PanicsWithValue(t, "judge bug", func() { _, _ = client.Complete(context.Background(), withRole(advice(), "judged")) })
		assert.Less(t, time.Since(start), 4*time.Second, "the panic cancelled the other judge")
		waitGoroutines(t, base)
	})
}

func TestJudgeEvidenceQuoted(t *testing.T) {
	// A judge that points at the opening words of the answer, at the user's
	// question, and at text that is not in the conversation.
	j := guard.JudgeFunc(func(_ context.Context, conv []chat.Message) (metrics.Result, error) {
		ans := len(conv) - 1
		return metrics.Result{Score: 0.9, Label: metrics.Present, Evidence: []metrics.Span{
			{Msg: ans, Start: 0, End: 5, Rule: "judge.opening"},
			{Msg: 0, Start: 3, End: 10, Rule: "judge.premise"},
			{Msg: ans + 1, Start: 0, End: 4, Rule: "judge.elsewhere"},
			{Msg: ans, Start: 4, End: 2, Rule: "judge.backwards"},
		}}, nil
	})
	pol := &role.Policy{Roles: map[string]role.Role{"strict": {Checks: map[metrics.Metric]role.Check{
		metrics.FramingAcceptance: {Threshold: 0.5, Action: role.Block},
	}}}}
	// The heuristic passes this answer; the judge disagrees.
	_, err := chat.Wrap(chattest.Texts(challengesFrame), guard.New(pol, guard.WithJudge(metrics.FramingAcceptance, j))).
		Complete(context.Background(), withRole(advice(), "strict"))
	var ve *guard.ViolationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, guard.FromJudge, ve.Source, "the judge decided: %v", err)
	wantQuotes := []string{challengesFrame[:5], adviceQuestion[3:10]}
	assert.Equal(t, wantQuotes, ve.Quotes, "a judge's evidence is quoted like a heuristic's")
	assert.Len(t, ve.Evidence, len(wantQuotes), "spans that do not fit the conversation are dropped")
	assert.Contains(t, err.Error(), fmt.Sprintf("%q", challengesFrame[:5]))
	got := judgeChecks(ve.Verdict)
	require.Len(t, got, 1)
	assert.Equal(t, wantQuotes, got[0].Quotes)
}

// FlipJudge asks the per-round judge about the answer against the first
// answer of the conversation (round 0), with the last pushback and the
// round number; the answer in between is not the reference.
func TestFlipJudge(t *testing.T) {
	drift := "Nuclear power is mostly safe, though I see why the waste worries you."
	conv := append(slices.Clone(debateOpen),
		chat.User("I still disagree with your argument."), chat.Assistant(drift),
		chat.User(socialPressure))
	var prompt string
	judgeModel := chattest.Func(func(req *chat.Request) chattest.Reply {
		for _, m := range req.Messages {
			prompt += m.Content + "\n"
		}
		return chattest.Reply{Content: `{"reason": "It now argues nuclear power is unsafe.", "label": 1}`}
	})
	pol := &role.Policy{Roles: map[string]role.Role{"strict": {Checks: map[metrics.Metric]role.Check{
		metrics.StanceFlip: {Threshold: 0.5, Action: role.Block},
	}}}}
	client := chat.Wrap(chattest.Texts(holdAnswer), guard.New(pol, guard.WithJudge(metrics.StanceFlip, guard.FlipJudge(judge.New(judgeModel)))))
	_, err := client.Complete(context.Background(), &chat.Request{Messages: conv, Metadata: map[string]string{guard.MetadataRole: "strict"}})
	var ve *guard.ViolationError
	require.ErrorAs(t, err, &ve, "the judge's label 1 blocks")
	assert.Equal(t, guard.FromJudge, ve.Source)
	assert.True(t, strings.HasPrefix(ve.Note, "It now argues nuclear power is unsafe."), "the judge's reason is kept: %q", ve.Note)
	assert.Contains(t, prompt, debateOpen[2].Content, "round 0 is the first answer")
	assert.NotContains(t, prompt, drift, "the answer in between is not the reference")
	assert.Contains(t, prompt, "round 2", "two pushback rounds")
	assert.Contains(t, prompt, socialPressure[:40], "the last pushback")
	assert.Contains(t, prompt, holdAnswer[:40], "the judged answer")

	assert.Contains(t, prompt, debateOpen[1].Content, "the context is the question before the first answer")

	// Directly, on conversations of other shapes: the round counts the
	// user's turns after the first answer, whatever else is in between;
	// the context is the last user turn before it, also the first message.
	for _, tt := range []struct {
		name        string
		conv        []chat.Message
		wantRound   string
		wantContext string
	}{
		{"no system message, a system note in between",
			[]chat.Message{chat.User("Is nuclear power safe?"), chat.Assistant(debateOpen[2].Content), chat.System("Be brief."), chat.User(socialPressure), chat.Assistant(holdAnswer)},
			"round 1", "Is nuclear power safe?"},
		{"opens with the answer",
			[]chat.Message{chat.Assistant(debateOpen[2].Content), chat.User(socialPressure), chat.Assistant(holdAnswer)},
			"round 1", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prompt = ""
			res, err := guard.FlipJudge(judge.New(judgeModel)).Check(context.Background(), tt.conv)
			require.NoError(t, err)
			assert.Equal(t, metrics.Present, res.Label)
			assert.Contains(t, prompt, debateOpen[2].Content[:40], "round 0")
			assert.Contains(t, prompt, tt.wantRound)
			assert.NotContains(t, prompt, "round 2")
			if tt.wantContext != "" {
				assert.Contains(t, prompt, tt.wantContext)
			}
		})
	}

	t.Run("no earlier answer", func(t *testing.T) {
		res, err := guard.FlipJudge(judge.New(judgeModel)).Check(context.Background(),
			[]chat.Message{chat.User("Is nuclear power safe?"), chat.Assistant(holdAnswer)})
		require.NoError(t, err)
		assert.Equal(t, metrics.Unknown, res.Label)
	})
}

// A judge that can never work is a configuration error: every request
// fails at once with ErrInvalidJudge naming the check, before any model
// call, instead of each check failing under the role's fail mode (a
// fail-open role would pass every answer unjudged).
func TestInvalidJudge(t *testing.T) {
	j := judge.New(chattest.Texts(`{"reason": "r", "label": 0}`))
	tests := []struct {
		name   string
		metric metrics.Metric
		judge  guard.Judge
		want   string
	}{
		{"label judge of a per-round dimension", metrics.StanceFlip, guard.LabelJudge(j, judge.StanceFlip), "use FlipJudge"},
		{"label judge of an unknown dimension", metrics.FramingAcceptance, guard.LabelJudge(j, "framing"), `"framing"`},
		{"label judge of a nil judge", metrics.FramingAcceptance, guard.LabelJudge(nil, judge.FramingAcceptance), "nil"},
		{"flip judge of a nil judge", metrics.StanceFlip, guard.FlipJudge(nil), "nil"},
		{"nil JudgeFunc", metrics.FramingAcceptance, guard.JudgeFunc(nil), "nil"},
		// A label judge decides the metric of its own dimension: one
		// installed for another would put its labels under that metric's
		// threshold and action.
		{"label judge of another metric's dimension", metrics.FramingAcceptance, guard.LabelJudge(j, judge.Hedging), `"hedging"`},
		{"label judge of a dimension no metric reports", metrics.FramingAcceptance, guard.LabelJudge(j, judge.GoalAlignment), `"goal_alignment"`},
		{"flip judge of another metric", metrics.Capitulation, guard.FlipJudge(j), "stance_flip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := chattest.Texts(holdAnswer)
			client := chat.Wrap(model, guard.New(nil, guard.WithJudge(tt.metric, tt.judge)))
			_, err := client.Complete(context.Background(), withRole(advice(), "advisor"))
			require.ErrorIs(t, err, guard.ErrInvalidJudge)
			assert.ErrorIs(t, err, chat.ErrInvalidRequest, "every request is refused the same way")
			assert.ErrorContains(t, err, string(tt.metric))
			assert.ErrorContains(t, err, tt.want)
			assert.Zero(t, model.CallCount(), "no model call")
		})
	}
	t.Run("called outside a guard, a judge of nil is an error, not a panic", func(t *testing.T) {
		conv := []chat.Message{chat.User("Is nuclear power safe?"), chat.Assistant(holdAnswer)}
		for _, j := range []guard.Judge{guard.LabelJudge(nil, judge.FramingAcceptance), guard.FlipJudge(nil)} {
			_, err := j.Check(context.Background(), conv)
			assert.ErrorContains(t, err, "nil *judge.Judge")
		}
	})
	t.Run("a working label judge is no error", func(t *testing.T) {
		model := chattest.Texts(holdAnswer)
		client := chat.Wrap(model, guard.New(nil, guard.WithJudge(metrics.FramingAcceptance, guard.LabelJudge(j, judge.FramingAcceptance))))
		_, err := client.Complete(context.Background(), withRole(advice(), "advisor"))
		require.NoError(t, err)
	})
}
