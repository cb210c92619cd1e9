package anthropic

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// APIError is the error Complete returns when the provider answers with an
// HTTP error status. It wraps the SDK's error, so errors.As with a
// *[sdk.Error] still finds it, and adds the methods that retry logic reads
// without importing this package: StatusCode (429 and 5xx are worth a retry,
// see metrics/judge.IsTransient) and RetryAfter (the provider's hint).
type APIError struct {
	// Op names the call that failed: "messages" or "messages stream".
	Op string
	// Err is the SDK's error chain; it holds a *anthropic.Error.
	Err error
	// Status is the HTTP status code of the reply.
	Status int
	// Wait is the delay the provider asked for in its retry-after-ms or
	// Retry-After header; zero when it sent none.
	Wait time.Duration
}

// Error implements error.
func (e *APIError) Error() string { return "anthropic: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the SDK's error.
func (e *APIError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status code of the provider's reply.
func (e *APIError) StatusCode() int { return e.Status }

// RetryAfter returns the delay the provider asked for before a retry, or
// zero when it asked for none.
func (e *APIError) RetryAfter() time.Duration { return e.Wait }

// wrapErr wraps an error of the SDK for the call op: an API error becomes an
// [*APIError], any other error is wrapped with the adapter's prefix.
func wrapErr(op string, err error) error {
	var api *sdk.Error
	if !errors.As(err, &api) || api == nil {
		return fmt.Errorf("anthropic: %s: %w", op, err)
	}
	e := &APIError{Op: op, Err: err, Status: api.StatusCode}
	if api.Response != nil {
		e.Wait = retryAfter(api.Response.Header, time.Now())
	}
	return e
}

// retryAfter reads the provider's retry hint: retry-after-ms (milliseconds),
// else Retry-After in seconds or as an HTTP date, as the SDK's own retries
// do. A missing, malformed or negative hint gives zero.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < 1e12 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s > 0 && s < 1e9 {
			return time.Duration(s * float64(time.Second))
		}
		return 0
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
