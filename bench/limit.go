package bench

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics/judge"
)

// Clock is the time source of the [Limiter] and of retry backoff. Tests
// pass a fake one so that waits are instant and deterministic.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or returns ctx.Err() as soon as ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real [Clock].
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Limiter is a token bucket: it allows Rate calls per second on average and
// bursts of up to Burst calls. It is safe for concurrent use. A nil
// *Limiter, like the zero Limiter, allows everything; make a limiting one
// with [NewLimiter].
//
// It is the small part of golang.org/x/time/rate the harness needs, written
// here so the core module takes no new dependency; like rate.Limiter it
// offers a deterministic [Limiter.ReserveAt] for tests.
type Limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	clock  Clock
}

// NewLimiter returns a limiter of perSecond calls per second with bursts of
// burst (at least 1). perSecond <= 0 returns nil: no limit. A nil clock
// means [SystemClock].
func NewLimiter(perSecond float64, burst int, clock Clock) *Limiter {
	if perSecond <= 0 || math.IsNaN(perSecond) {
		return nil
	}
	if clock == nil {
		clock = SystemClock{}
	}
	b := float64(max(burst, 1))
	return &Limiter{rate: perSecond, burst: b, tokens: b, clock: clock}
}

// ReserveAt takes one token at time now and returns how long the caller must
// wait before acting on it (0 when a token was available). Tokens taken in
// advance are debts that later callers wait out, so callers are served in
// order.
func (l *Limiter) ReserveAt(now time.Time) time.Duration {
	if l == nil || !(l.rate > 0) {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.After(l.last) {
		l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	if now.After(l.last) || l.last.IsZero() {
		l.last = now
	}
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(math.Ceil(-l.tokens / l.rate * float64(time.Second)))
}

// cancelReservation gives back a token whose wait was abandoned.
func (l *Limiter) cancelReservation() {
	l.mu.Lock()
	l.tokens = math.Min(l.burst, l.tokens+1)
	l.mu.Unlock()
}

// Wait blocks until a call is allowed or ctx is done. A wait that would end
// after ctx's deadline fails at once with context.DeadlineExceeded.
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil || !(l.rate > 0) {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := l.clock.Now()
	d := l.ReserveAt(now)
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(now.Add(d)) {
		l.cancelReservation()
		return context.DeadlineExceeded
	}
	if err := l.clock.Sleep(ctx, d); err != nil {
		l.cancelReservation()
		return err
	}
	return nil
}

// Retry says how a failed model call is retried. The zero value means the
// defaults of each field.
type Retry struct {
	// Attempts is the total number of tries of one call; 0 means 4, 1 means
	// no retry. [Run] refuses a negative Attempts, Base or Max.
	Attempts int
	// Base is the first backoff; 0 means 500ms. Each retry doubles it.
	Base time.Duration
	// Max caps one backoff; 0 means 30s. An error that asks for a longer
	// wait (a RetryAfter() time.Duration method, such as a 429 with a
	// Retry-After header) is waited out up to 4·Max.
	Max time.Duration
	// Retryable reports whether an error is worth retrying. nil retries
	// every error but a cancelled or expired context, a request the client
	// refused before sending it (chat.ErrInvalidRequest: a conversation
	// that does not validate, no model, a message the provider rejects, a
	// guard's invalid policy or a role it cannot resolve), and one whose HTTP
	// status says a retry would fail the same way: a StatusCode() int
	// method, as every adapter's *chat.APIError has, with a status that
	// metrics/judge.IsTransient does not count as transient, such as 400,
	// 401, 403, 404 or 422 (unless the error is marked temporary, as
	// judge.Transient does). An error without a status (a reset or refused
	// connection, whose net/http error answers Temporary() false all the
	// same) is retried.
	Retryable func(error) bool
}

func (r Retry) attempts() int {
	if r.Attempts <= 0 {
		return 4
	}
	return r.Attempts
}

// Backoff returns the wait before retry number attempt (1 for the first
// retry): Base·2^(attempt-1) capped at Max, of which the upper half is
// jittered by u in [0, 1) so that workers that failed together do not retry
// together.
func (r Retry) Backoff(attempt int, u float64) time.Duration {
	base, ceil := r.Base, r.Max
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if ceil <= 0 {
		ceil = 30 * time.Second
	}
	d := float64(base) * math.Pow(2, float64(max(attempt-1, 0)))
	d = math.Min(d, float64(ceil))
	return time.Duration(d/2 + u*d/2)
}

// maxWait caps a wait asked for by the server.
func (r Retry) maxWait() time.Duration {
	if r.Max <= 0 {
		return 4 * 30 * time.Second
	}
	return 4 * r.Max
}

func (r Retry) retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if r.Retryable != nil {
		return r.Retryable(err)
	}
	if errors.Is(err, chat.ErrInvalidRequest) {
		return false // refused before it was sent: it would be again
	}
	// A status decides (unless the adapter marked the error temporary
	// itself); an error without one is a transport failure, which a retry
	// may well get past. Temporary() alone is not read: net/http's errors
	// answer it false for a dropped or refused connection.
	var sc interface{ StatusCode() int }
	if errors.As(err, &sc) {
		return judge.IsTransient(err)
	}
	return true
}
