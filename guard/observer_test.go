package guard_test

import (
	"bytes"
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
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

func TestSlogObserverLevels(t *testing.T) {
	tests := []struct {
		name    string
		replies []string
		req     func() *chat.Request
		want    string // level and the attributes that must appear
	}{
		{"pass is debug", []string{challengesFrame}, advice, "level=DEBUG msg=\"rolegate guard\" role=advisor action=pass attempts=1"},
		{"reask is info", []string{flipAnswer, holdAnswer}, func() *chat.Request { return pushback(socialPressure) }, "level=INFO msg=\"rolegate guard\" role=peer action=reask attempts=2"},
		{"annotated violation is warn", []string{allValidation}, advice, "level=WARN msg=\"rolegate guard\" role=advisor action=annotate attempts=1"},
		{"block is warn", []string{flipAnswer, flipAnswer, flipAnswer}, func() *chat.Request { return pushback(socialPressure) }, "level=WARN msg=\"rolegate guard\" role=peer action=block attempts=3"},
		{"error is error", nil, advice, "level=ERROR msg=\"rolegate guard\" role=advisor attempts=0"},
		{"cancelled by the caller is info, not error", nil, func() *chat.Request { return advice() }, "level=INFO msg=\"rolegate guard\" role=advisor attempts=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
				Level: slog.LevelDebug,
				ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
					if a.Key == slog.TimeKey {
						return slog.Attr{}
					}
					return a
				},
			}))
			client := chat.Wrap(chattest.Texts(tt.replies...), guard.New(reaskPolicy(), guard.WithObserver(guard.SlogObserver(logger))))
			ctx := context.Background()
			if strings.HasPrefix(tt.name, "cancelled") {
				c, cancel := context.WithCancel(ctx)
				cancel()
				ctx = c
			}
			_, _ = client.Complete(ctx, tt.req())
			out := buf.String()
			assert.Equal(t, 1, strings.Count(out, "\n"), out)
			assert.True(t, strings.HasPrefix(out, tt.want), out)
			if strings.Contains(tt.name, "error") {
				assert.Contains(t, out, "error=")
				assert.NotContains(t, out, "action=", "a failed request took no action")
			}
		})
	}
	t.Run("disabled level logs nothing", func(t *testing.T) {
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
		client := chat.Wrap(chattest.Texts(challengesFrame), guard.New(reaskPolicy(), guard.WithObserver(guard.SlogObserver(logger))))
		_, _ = client.Complete(context.Background(), advice())
		assert.Empty(t, buf.String())
	})
}

// A check that could not decide under a fail-closed role is a violation
// with no score: the log says unknown, not a score of 0 that would read as
// a clean answer blocked for no reason.
func TestSlogObserverUndecidedViolation(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	policy := &role.Policy{Roles: map[string]role.Role{"closed": {
		Checks:    map[metrics.Metric]role.Check{metrics.Capitulation: {Threshold: 0.5, Action: role.Block}},
		OnUnknown: role.FailClosed,
	}}}
	client := chat.Wrap(chattest.Texts(""), guard.New(policy, guard.WithObserver(guard.SlogObserver(logger))))
	_, err := client.Complete(context.Background(), withRole(advice(), "closed"))
	require.ErrorIs(t, err, guard.ErrBlocked)
	out := buf.String()
	assert.Contains(t, out, "violations.capitulation=unknown", out)
	assert.NotContains(t, out, "violations.capitulation=0", out)
}

// A judge that fails under a fail-open role lets the answer through
// unjudged: the log says so at Warn, with the judge's reason, instead of
// a Debug "pass" an operator never sees.
func TestSlogObserverUndecidedJudge(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	down := guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
		return metrics.Result{}, errors.New("judge endpoint unreachable")
	})
	client := chat.Wrap(chattest.Texts(challengesFrame), guard.New(nil,
		guard.WithJudge(metrics.FramingAcceptance, down),
		guard.WithObserver(guard.SlogObserver(logger))))
	resp, err := client.Complete(context.Background(), withRole(advice(), "advisor"))
	require.NoError(t, err)
	v, _ := guard.VerdictOf(resp)
	require.Equal(t, guard.Passed, v.Action, "fail open: the answer passes")
	out := buf.String()
	assert.Contains(t, out, "level=WARN", out)
	assert.Contains(t, out, "undecided.judge.framing_acceptance=", out)
	assert.Contains(t, out, "judge endpoint unreachable", out)

	// A heuristic that cannot decide is ordinary: no Warn for an empty answer.
	buf.Reset()
	client = chat.Wrap(chattest.Texts(""), guard.New(nil, guard.WithObserver(guard.SlogObserver(logger))))
	_, err = client.Complete(context.Background(), withRole(advice(), "advisor"))
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

// TestSlogObserverLogsNoQuotes checks that a blocked request's log record
// carries the check and its score but not the evidence quotes of the
// ViolationError, which can quote the user's message (here a framing judge
// quotes the user's turn): the log keeps user text out, as it does for the
// reframing note.
func TestSlogObserverLogsNoQuotes(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	policy := &role.Policy{Roles: map[string]role.Role{"strict": {
		Checks: map[metrics.Metric]role.Check{metrics.FramingAcceptance: {Threshold: 0.5, Action: role.Block}},
	}}}
	conv := pushback(socialPressure)
	quoteUser := guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
		return metrics.Result{Score: 1, Label: metrics.Present, Evidence: []metrics.Span{
			{Msg: len(conv.Messages) - 1, Start: 0, End: len(socialPressure), Rule: "judge.premise"},
		}}, nil
	})
	_, err := chat.Wrap(chattest.Texts(holdAnswer), guard.New(policy, guard.WithObserver(guard.SlogObserver(logger)),
		guard.WithJudge(metrics.FramingAcceptance, quoteUser))).
		Complete(context.Background(), withRole(conv, "strict"))
	var ve *guard.ViolationError
	require.ErrorAs(t, err, &ve)
	require.Contains(t, err.Error(), "disappointed in you", "the fixture's evidence quotes the user")
	out := buf.String()
	assert.Contains(t, out, `error="guard: blocked: role \"strict\": judge framing_acceptance 1.00 >= 0.50"`, out)
	assert.NotContains(t, out, "disappointed", out)
}

// quietWrap wraps an error without repeating its message.
type quietWrap struct{ err error }

func (w quietWrap) Error() string { return "request failed" }
func (w quietWrap) Unwrap() error { return w.err }

// TestErrorTextPersona: ErrorText keeps a persona field error's field and
// reason but not its detail, which quotes the value the user gave, however
// the error is wrapped or joined; a detail-free error is left as it is.
func TestErrorTextPersona(t *testing.T) {
	gender := &persona.FieldError{Field: "demographics.gender", Err: persona.ErrInvalidValue, Detail: `"trans woman, 34", want one of male, female, nonbinary`}
	age := &persona.FieldError{Field: "demographics.age", Err: persona.ErrInvalidValue, Detail: `"34"`}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"bare", gender, "persona: field demographics.gender: invalid value"},
		{"wrapped", fmt.Errorf("guard: personalize: %w", gender), "guard: personalize: persona: field demographics.gender: invalid value"},
		{"joined", fmt.Errorf("guard: %w", errors.Join(gender, age)), "guard: persona: field demographics.gender: invalid value\npersona: field demographics.age: invalid value"},
		{"wrapper that hides the message", quietWrap{gender}, "persona: field demographics.gender: invalid value"},
		// A message that repeats the field error (a wrapper that also
		// formats it with %v, the same error joined twice) loses the
		// detail at each place.
		{"repeated by a wrapper", fmt.Errorf("%w (first seen: %v)", gender, gender),
			"persona: field demographics.gender: invalid value (first seen: persona: field demographics.gender: invalid value)"},
		{"joined twice", errors.Join(age, age), "persona: field demographics.age: invalid value\npersona: field demographics.age: invalid value"},
		{"no detail", &persona.FieldError{Field: "narrative", Err: persona.ErrInvalidUTF8}, "persona: field narrative: invalid UTF-8"},
		{"other error", errors.New("model down"), "model down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := guard.ErrorText(tt.err)
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, got, "34")
		})
	}
}
