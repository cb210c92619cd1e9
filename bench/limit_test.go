package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/persona"
)

// fakeClock is a Clock whose Sleep advances time at once and records the
// wait; it is safe for concurrent use.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func TestLimiterReserveAt(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		rate  float64
		burst int
		at    []time.Duration // offsets from t0 of each reservation
		want  []time.Duration
	}{
		{"burst then wait", 2, 2, []time.Duration{0, 0, 0, 0}, []time.Duration{0, 0, 500 * time.Millisecond, time.Second}},
		{"refill over time", 1, 1, []time.Duration{0, time.Second, 1500 * time.Millisecond}, []time.Duration{0, 0, 500 * time.Millisecond}},
		{"refill capped at burst", 10, 2, []time.Duration{0, 0, time.Hour, time.Hour, time.Hour}, []time.Duration{0, 0, 0, 0, 100 * time.Millisecond}},
		{"burst below one is one", 4, 0, []time.Duration{0, 0}, []time.Duration{0, 250 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLimiter(tt.rate, tt.burst, newFakeClock())
			for i, off := range tt.at {
				assert.Equal(t, tt.want[i], l.ReserveAt(t0.Add(off)), "reservation %d", i)
			}
		})
	}
}

func TestLimiterWait(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(5, 1, clk)
	ctx := context.Background()
	for range 3 {
		require.NoError(t, l.Wait(ctx))
	}
	assert.Equal(t, []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}, clk.Sleeps())

	t.Run("nil limiter allows all", func(t *testing.T) {
		var nl *Limiter
		assert.NoError(t, nl.Wait(ctx))
		assert.Nil(t, NewLimiter(0, 5, nil))
		assert.Equal(t, time.Duration(0), nl.ReserveAt(time.Now()))
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		assert.ErrorIs(t, l.Wait(cctx), context.Canceled)
	})
	t.Run("deadline too close fails fast and returns the token", func(t *testing.T) {
		rl := NewLimiter(1, 1, SystemClock{})
		require.NoError(t, rl.Wait(ctx))
		// The next token is a second away and the deadline half a second:
		// a limiter that waited for the deadline would take 500 ms, one
		// that fails fast returns at once (the bound leaves room for a
		// loaded machine).
		dctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		assert.ErrorIs(t, rl.Wait(dctx), context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 250*time.Millisecond)
		// The abandoned reservation was given back: the next wait is about
		// one second, not two.
		assert.LessOrEqual(t, rl.ReserveAt(time.Now()), time.Second)
	})
	t.Run("real clock sleeps", func(t *testing.T) {
		rl := NewLimiter(50, 1, nil)
		start := time.Now()
		for range 3 {
			require.NoError(t, rl.Wait(ctx))
		}
		assert.GreaterOrEqual(t, time.Since(start), 35*time.Millisecond)
	})
}

func TestRetryBackoff(t *testing.T) {
	r := Retry{Base: 100 * time.Millisecond, Max: time.Second}
	tests := []struct {
		attempt int
		u       float64
		want    time.Duration
	}{
		{1, 0, 50 * time.Millisecond},
		{1, 0.999999999, 100 * time.Millisecond},
		{2, 0, 100 * time.Millisecond},
		{3, 0.5, 300 * time.Millisecond},
		{10, 0, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		got := r.Backoff(tt.attempt, tt.u)
		assert.InDelta(t, float64(tt.want), float64(got), float64(time.Microsecond), "attempt %d u %v", tt.attempt, tt.u)
	}
	assert.Equal(t, 4, Retry{}.attempts())
	assert.Equal(t, 250*time.Millisecond, Retry{}.Backoff(1, 0))
	assert.False(t, Retry{Retryable: func(error) bool { return false }}.retryable(errors.New("400")))
}

// TestRetryableByDefault: without a Retryable, a call is retried unless its
// context ended or its error says a retry would fail the same way.
func TestRetryableByDefault(t *testing.T) {
	status := func(code int) error {
		return fmt.Errorf("unit x: %w", &chat.APIError{Provider: "openai", Op: "chat completion", Err: errors.New("boom"), Status: code})
	}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"cancelled", context.Canceled, false},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), false},
		{"transport error", errors.New("connection reset by peer"), true},
		{"429", status(429), true},
		{"408", status(408), true},
		{"500", status(500), true},
		{"503", status(503), true},
		{"529 overloaded", status(529), true},
		{"400 bad request", status(400), false},
		{"401 bad key", status(401), false},
		{"404 unknown model", status(404), false},
		{"422", status(422), false},
		{"explicitly temporary", judge.Transient(errors.New("try later")), true},
		{"refused before sending", fmt.Errorf("%w: messages[1]", chat.InvalidRequest("adapter: empty message")), false},
		{"invalid conversation", fmt.Errorf("guard: %w", chat.ValidateMessages(nil)), false},
		// A guarded arm whose metadata names no role of the policy, or whose
		// persona does not validate: the guard refuses it before any model
		// call, the same way on every attempt.
		{"guard: unknown role", guardError(t, context.Background(), "no-such-role"), false},
		{"guard: invalid persona", guardError(t, persona.NewContext(context.Background(), &persona.Profile{Narrative: "bad \xff"}), "peer"), false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Retry{}.retryable(tt.err), tt.name)
	}
}

// guardError is the error of a guard (the default policy) around a model
// that answers "ok", for a one-message request under roleName and ctx.
func guardError(t *testing.T, ctx context.Context, roleName string) error {
	t.Helper()
	client := chat.Wrap(chattest.Texts("ok"), guard.New(nil))
	_, err := client.Complete(ctx, &chat.Request{Messages: []chat.Message{chat.User("q")}, Metadata: map[string]string{guard.MetadataRole: roleName}})
	require.Error(t, err)
	return err
}

// TestZeroLimiter: the zero Limiter allows everything, as a nil one and
// NewLimiter(0, ...) do, instead of dividing by its zero rate or calling its
// nil clock.
func TestZeroLimiter(t *testing.T) {
	var l Limiter
	for range 3 {
		if d := l.ReserveAt(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); d != 0 {
			t.Fatalf("ReserveAt = %v, want 0", d)
		}
		require.NoError(t, l.Wait(context.Background()))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
}

// TestRetryableTransportErrors: the errors net/http returns for a dropped
// connection (the openai-go SDK passes them on as they are) are retried by
// default. They are *url.Error values, which answer Temporary() with false
// for anything but a timeout; read as "a retry would fail the same way",
// that stopped a run's unit at its first reset connection.
func TestRetryableTransportErrors(t *testing.T) {
	// A server that reads the request and drops the connection unanswered.
	dropped := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer dropped.Close()
	_, errDropped := http.Post(dropped.URL, "application/json", strings.NewReader("{}"))
	require.Error(t, errDropped)

	// A port nothing listens on any more.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	_, errRefused := http.Post("http://"+addr, "application/json", strings.NewReader("{}"))
	require.Error(t, errRefused)

	for name, err := range map[string]error{"dropped connection": errDropped, "refused connection": errRefused} {
		var tmp interface{ Temporary() bool }
		require.True(t, errors.As(err, &tmp), "%s: %T answers Temporary(), which is what this test is about", name, err)
		assert.True(t, Retry{}.retryable(fmt.Errorf("openai: chat completion: %w", err)), "%s: %v", name, err)
	}
}
