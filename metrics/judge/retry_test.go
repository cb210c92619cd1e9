package judge_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

// statusError is an adapter error that exposes its HTTP status and a
// Retry-After hint.
type statusError struct {
	code  int
	after time.Duration
}

func (e statusError) Error() string             { return fmt.Sprintf("provider: HTTP %d", e.code) }
func (e statusError) StatusCode() int           { return e.code }
func (e statusError) RetryAfter() time.Duration { return e.after }

// temporaryError classifies itself.
type temporaryError bool

func (e temporaryError) Error() string   { return "provider: busy" }
func (e temporaryError) Temporary() bool { return bool(e) }

// timeoutError only says it timed out.
type timeoutError struct{}

func (timeoutError) Error() string { return "provider: timeout" }
func (timeoutError) Timeout() bool { return true }

func wrapped(err error) error { return fmt.Errorf("adapter: %w", err) }

func fail(err error) chattest.Reply { return chattest.Reply{Err: err} }

func okPair() judge.Pair { return judge.Pair{Generic: "g", Personalized: "p"} }

func okVerdict() chattest.Reply { return chattest.Reply{Content: `{"reason":"r","verdict":"A"}`} }

func pairwise(ctx context.Context, j *judge.Judge) (judge.PairwiseResult, error) {
	return j.Pairwise(ctx, judge.EmotionalValidation, 0, okPair())
}

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("boom"), false},
		{"marked", judge.Transient(errors.New("boom")), true},
		{"marked and wrapped", wrapped(judge.Transient(errors.New("boom"))), true},
		{"temporary true", wrapped(temporaryError(true)), true},
		{"temporary false", temporaryError(false), false},
		{"429", wrapped(statusError{code: 429}), true},
		{"503", statusError{code: 503}, true},
		{"529 overloaded", statusError{code: 529}, true},
		{"400", statusError{code: 400}, false},
		{"401", statusError{code: 401}, false},
		{"timeout", timeoutError{}, true},
		{"net timeout", &net.OpError{Op: "dial", Err: timeoutNetErr{}}, true},
		{"canceled", context.Canceled, false},
		{"deadline", wrapped(context.DeadlineExceeded), false},
		{"canceled marked transient", judge.Transient(context.Canceled), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, judge.IsTransient(tt.err))
		})
	}
	assert.Nil(t, judge.Transient(nil))
}

// TestIsTransientConnectionFailures: a request that got no response because
// the server dropped the connection or nothing listened is worth a retry,
// though net/http's error answers Temporary() false; a request the client
// could not even send (a bad URL) is not.
func TestIsTransientConnectionFailures(t *testing.T) {
	dropped := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	defer dropped.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refusedURL := "http://" + ln.Addr().String()
	ln.Close()

	for _, tt := range []struct {
		name, url string
		want      bool
	}{
		{"dropped connection", dropped.URL, true},
		{"refused connection", refusedURL, true},
		{"unsupported scheme", "gopher://example.invalid/", false},
	} {
		_, err := http.Post(tt.url, "application/json", strings.NewReader("{}"))
		require.Error(t, err, tt.name)
		assert.Equal(t, tt.want, judge.IsTransient(fmt.Errorf("openai: chat completion: %w", err)), "%s: %v", tt.name, err)
	}

	// A judge over a client whose first call meets a dropped connection
	// retries and gets its verdict.
	calls := 0
	client := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		calls++
		if calls == 1 {
			_, err := http.Post(dropped.URL, "application/json", strings.NewReader("{}"))
			return nil, fmt.Errorf("openai: chat completion: %w", err)
		}
		return &chat.Response{Message: chat.Assistant(`{"reason":"r","verdict":"A"}`)}, nil
	})
	j := judge.New(client, judge.WithRetry(judge.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	_, err = pairwise(context.Background(), j)
	require.NoError(t, err)
	assert.Equal(t, 2, calls)
}

type timeoutNetErr struct{}

func (timeoutNetErr) Error() string   { return "i/o timeout" }
func (timeoutNetErr) Timeout() bool   { return true }
func (timeoutNetErr) Temporary() bool { return true }

func TestRetry(t *testing.T) {
	ctx := context.Background()
	t.Run("transient then success", func(t *testing.T) {
		model := chattest.New(fail(judge.Transient(errors.New("rate limited"))), fail(statusError{code: 503}), okVerdict())
		j := judge.New(model, fast)
		r, err := pairwise(ctx, j)
		require.NoError(t, err)
		assert.Equal(t, "A", r.Verdict)
		assert.Equal(t, 3, model.CallCount())
		assert.Equal(t, judge.Spend{Calls: 1, Failures: 2, Retries: 2, Usage: r.Spend.Usage}, r.Spend)
		assert.Equal(t, r.Spend, j.Spend())
	})
	t.Run("gives up after MaxAttempts", func(t *testing.T) {
		boom := statusError{code: 429}
		model := chattest.New(fail(boom), fail(boom), fail(boom), okVerdict())
		_, err := pairwise(ctx, judge.New(model, fast))
		require.ErrorIs(t, err, boom)
		assert.Contains(t, err.Error(), "after 3 attempts")
		assert.Equal(t, 3, model.CallCount())
	})
	t.Run("permanent error not retried", func(t *testing.T) {
		model := chattest.New(fail(statusError{code: 400}), okVerdict())
		_, err := pairwise(ctx, judge.New(model, fast))
		require.Error(t, err)
		assert.Equal(t, 1, model.CallCount())
	})
	t.Run("retry after hint", func(t *testing.T) {
		model := chattest.New(fail(statusError{code: 429, after: 30 * time.Millisecond}), okVerdict())
		start := time.Now()
		// A hint of up to 4·MaxDelay is waited out.
		_, err := pairwise(ctx, judge.New(model, judge.WithRetry(judge.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond})))
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
	})
	t.Run("a hint beyond 4 x MaxDelay is not waited out", func(t *testing.T) {
		// A daily quota's 429 asks for hours: a guard's judge must not
		// hold its request that long. The deadline only ends the test if
		// the judge waits.
		boom := statusError{code: 429, after: time.Hour}
		model := chattest.New(fail(boom), okVerdict())
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err := pairwise(ctx, judge.New(model, fast))
		require.ErrorIs(t, err, boom)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, model.CallCount(), "not retried")
	})
	t.Run("nil response", func(t *testing.T) {
		nilc := chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) { return nil, nil })
		_, err := pairwise(ctx, judge.New(nilc, fast))
		assert.ErrorIs(t, err, judge.ErrNoResponse)
	})
	t.Run("nil client", func(t *testing.T) {
		_, err := pairwise(ctx, judge.New(nil))
		assert.ErrorIs(t, err, judge.ErrNilClient)
	})
	// The zero Judge has no client either: its calls fail the same way.
	// Its batch calls used to wait forever on a concurrency limit of 0, and
	// its field check refused every text as larger than a limit of 0.
	t.Run("zero Judge", func(t *testing.T) {
		var j judge.Judge
		_, err := j.Label(ctx, judge.Hedging, 0, judge.Single{Response: "x"})
		assert.ErrorIs(t, err, judge.ErrNilClient)
		_, err = j.ComparePairs(ctx, []judge.Pair{{Generic: "a", Personalized: "b"}}, judge.Hedging)
		assert.ErrorIs(t, err, judge.ErrNilClient)
		_, err = j.LabelAll(ctx, []judge.Single{{Response: "x"}}, judge.Hedging)
		assert.ErrorIs(t, err, judge.ErrNilClient)
		_, err = j.RoundsAll(ctx, judge.StanceFlip, []judge.Conversation{{Initial: "a", Rounds: []judge.Exchange{{Answer: "b"}}}})
		assert.ErrorIs(t, err, judge.ErrNilClient)
		_, err = j.Rounds(ctx, judge.StanceFlip, 0, judge.Conversation{Initial: "a", Rounds: []judge.Exchange{{Answer: "b"}}})
		assert.ErrorIs(t, err, judge.ErrNilClient)
	})
}

func TestCancellation(t *testing.T) {
	t.Run("during backoff", func(t *testing.T) {
		model := chattest.New(fail(judge.Transient(errors.New("busy"))), okVerdict())
		j := judge.New(model, judge.WithRetry(judge.RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := pairwise(ctx, j)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, model.CallCount())
	})
	t.Run("during call, not retried", func(t *testing.T) {
		model := chattest.New(chattest.Reply{Content: "x", Delay: time.Hour}, okVerdict())
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := pairwise(ctx, judge.New(model, fast))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, model.CallCount())
	})
	t.Run("batch already cancelled", func(t *testing.T) {
		model := simJudge()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rep, err := judge.New(model).ComparePairs(ctx, []judge.Pair{pair(0, "generic"), pair(1, "generic")})
		require.ErrorIs(t, err, context.Canceled)
		assert.Zero(t, model.CallCount())
		require.Len(t, rep.Results, 12, "2 pairs x 6 dimensions")
		for _, s := range rep.Summaries {
			assert.Equal(t, 2, s.Failed)
			assert.Zero(t, s.Rate.N)
		}
	})
	t.Run("batch cancelled midway", func(t *testing.T) {
		var pairs []judge.Pair
		for i := range 40 {
			pairs = append(pairs, pair(i, "personalized"))
		}
		slow := chattest.Func(func(req *chat.Request) chattest.Reply {
			return chattest.Reply{Content: `{"reason":"r","verdict":"A"}`, Delay: 5 * time.Millisecond}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		rep, err := judge.New(slow, judge.WithConcurrency(2)).ComparePairs(ctx, pairs, judge.Hedging)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		s := rep.Summaries[0]
		assert.Equal(t, 40, s.Rate.N+s.Failed, "every item is either judged or failed")
		assert.Positive(t, s.Failed)
	})
}

// A field limit of zero or less keeps the default, as zero-valued options
// do elsewhere, instead of refusing every non-empty field.
func TestWithMaxFieldBytesNonPositiveKeepsDefault(t *testing.T) {
	for _, n := range []int{0, -1} {
		j := judge.New(chattest.Func(func(*chat.Request) chattest.Reply { return okVerdict() }), judge.WithMaxFieldBytes(n))
		big := judge.Pair{Generic: strings.Repeat("g", 64<<10), Personalized: "p"}
		if _, err := j.Pairwise(context.Background(), judge.Hedging, 0, big); err != nil {
			t.Errorf("WithMaxFieldBytes(%d): a 64 KiB field: got %v, want the default limit to accept it", n, err)
		}
		big.Generic += "g"
		if _, err := j.Pairwise(context.Background(), judge.Hedging, 0, big); !errors.Is(err, judge.ErrTooLarge) {
			t.Errorf("WithMaxFieldBytes(%d): a field over 64 KiB: got %v, want ErrTooLarge", n, err)
		}
	}
}

func TestInputErrors(t *testing.T) {
	j := judge.New(chattest.Func(func(*chat.Request) chattest.Reply { return okVerdict() }), judge.WithMaxFieldBytes(100))
	ctx := context.Background()
	tests := []struct {
		name  string
		dim   judge.Dimension
		pair  judge.Pair
		field string
		err   error
	}{
		{"empty generic", judge.Hedging, judge.Pair{Personalized: "p"}, "Pair.Generic", judge.ErrEmptyField},
		{"blank personalized", judge.Hedging, judge.Pair{Generic: "g", Personalized: " \n"}, "Pair.Personalized", judge.ErrEmptyField},
		{"only control and invisible characters", judge.Hedging, judge.Pair{Generic: "\x1b\u202e\U000E0041\x7f", Personalized: "p"}, "Pair.Generic", judge.ErrEmptyField},
		{"only control characters, at the size limit", judge.Hedging, judge.Pair{Generic: strings.Repeat("\x1b", 100), Personalized: "p"}, "Pair.Generic", judge.ErrEmptyField},
		{"invalid utf8", judge.Hedging, judge.Pair{Context: "a\xffb", Generic: "g", Personalized: "p"}, "Pair.Context", judge.ErrInvalidUTF8},
		{"too large", judge.Hedging, judge.Pair{Generic: strings.Repeat("g", 101), Personalized: "p"}, "Pair.Generic", judge.ErrTooLarge},
		{"goal required", judge.GoalAlignment, okPair(), "Pair.Goal", judge.ErrEmptyField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := j.Pairwise(ctx, tt.dim, 0, tt.pair)
			var fe *judge.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, tt.err)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
	t.Run("unknown dimension", func(t *testing.T) {
		_, err := j.Pairwise(ctx, "charm", 0, okPair())
		assert.ErrorIs(t, err, judge.ErrUnknownDimension)
		_, err = j.Pairwise(ctx, judge.StanceFlip, 0, okPair())
		assert.ErrorIs(t, err, judge.ErrUnknownDimension, "a per-round dimension is not pairwise")
		_, err = j.JudgeRound(ctx, judge.Hedging, 0, judge.RoundItem{Initial: "a", Answer: "b", Round: 1})
		assert.ErrorIs(t, err, judge.ErrUnknownDimension)
		_, err = j.ComparePairs(ctx, []judge.Pair{okPair()}, "charm")
		assert.ErrorIs(t, err, judge.ErrUnknownDimension)
	})
	t.Run("round fields", func(t *testing.T) {
		_, err := j.JudgeRound(ctx, judge.PreferenceAccommodation, 0, judge.RoundItem{Initial: "a", Answer: "b"})
		for _, f := range []string{"RoundItem.Goal", "RoundItem.Preference", "RoundItem.Round"} {
			assert.Contains(t, err.Error(), f)
		}
	})
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	var pairs []judge.Pair
	for i := range 30 {
		pairs = append(pairs, pair(i, []string{"personalized", "generic", "invalid", "fail"}[i%4]))
	}
	for range 5 {
		_, _ = judge.New(simJudge(), judge.WithConcurrency(8)).ComparePairs(context.Background(), pairs)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		_, _ = judge.New(roundJudge(), judge.WithConcurrency(8)).Rounds(ctx, judge.StanceFlip, 0, conversation("c", "SLOW", "SLOW", "KEEP"))
		cancel()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}
