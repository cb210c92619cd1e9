package judge

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/url"
	"syscall"
	"time"
)

// RetryPolicy says how a judge retries a call that failed with a transient
// error (see [IsTransient]). The zero value means the defaults.
type RetryPolicy struct {
	// MaxAttempts is the number of calls made at most, the first included;
	// 0 means 4, and 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry, doubled for every
	// further retry; 0 means 500ms.
	BaseDelay time.Duration
	// MaxDelay caps the doubled backoff; 0 means 20s. A server that asks
	// for a longer wait than 4·MaxDelay (a daily quota's 429, say) is not
	// retried: its error is returned at once rather than holding the call
	// for hours.
	MaxDelay time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 20 * time.Second
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	return p
}

// backoff returns the wait before retry number n (1 for the first retry):
// the capped exponential delay d = min(MaxDelay, BaseDelay·2^(n-1)), with
// "equal jitter" (a uniform draw in [d/2, d]) so that parallel callers that
// failed together do not retry together, yet never retry at once. A server's
// own hint (see [IsTransient]) raises the wait, never lowers it; ok is false
// when the hint exceeds 4·MaxDelay, a wait the call should not make.
func (p RetryPolicy) backoff(n int, err error) (d time.Duration, ok bool) {
	d = p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	d = d/2 + rand.N(d/2+1)
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		hint := ra.RetryAfter()
		if hint > 4*p.MaxDelay {
			return 0, false
		}
		d = max(d, hint)
	}
	return d, true
}

// Transient marks err as transient, so a judge retries the call that
// returned it. It returns nil for a nil err. An adapter that knows a failure
// is temporary (a rate limit, an overloaded server) can return
// judge.Transient(err), or implement one of the interfaces [IsTransient]
// reads without importing this package.
func Transient(err error) error {
	if err == nil {
		return nil
	}
	return &transientError{err}
}

type transientError struct{ err error }

func (e *transientError) Error() string   { return e.err.Error() }
func (e *transientError) Unwrap() error   { return e.err }
func (e *transientError) Temporary() bool { return true }

// IsTransient reports whether retrying the call that returned err may
// succeed. Context errors (cancellation, deadline) are never transient: the
// caller has given up. A request that got no HTTP response because the
// connection was refused, reset or closed (a *url.Error holding
// ECONNREFUSED, ECONNRESET, EPIPE or an EOF) is transient: a restarting
// server or a dropped keep-alive connection, whatever the deprecated
// Temporary of net/http's error says. Otherwise the first error in err's
// chain that answers one of these interfaces decides, checked in this order:
//
//	interface{ Temporary() bool }  // explicit: true retries, false does not
//	interface{ StatusCode() int }  // HTTP status: 408, 425, 429, 500, 502, 503, 504, 529 retry
//	interface{ Timeout() bool }    // net.Error and friends: a timeout retries
//
// An error that answers none of them is not transient. A transient error may
// also implement interface{ RetryAfter() time.Duration } to set the least
// wait before the retry (the Retry-After header of a 429, say); a judge
// does not retry an error that asks for more than 4·MaxDelay of its
// [RetryPolicy].
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if connectionFailed(err) {
		return true
	}
	var tmp interface{ Temporary() bool }
	if errors.As(err, &tmp) {
		return tmp.Temporary()
	}
	var sc interface{ StatusCode() int }
	if errors.As(err, &sc) {
		switch sc.StatusCode() {
		case 408, 425, 429, 500, 502, 503, 504, 529:
			return true
		}
		return false
	}
	var to interface{ Timeout() bool }
	if errors.As(err, &to) {
		return to.Timeout()
	}
	return false
}

// connectionFailed reports whether err is an HTTP request that got no
// response because the connection was refused, reset or closed.
func connectionFailed(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	for _, e := range [...]error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE, io.EOF, io.ErrUnexpectedEOF} {
		if errors.Is(ue.Err, e) {
			return true
		}
	}
	return false
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
