package chat

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is the error an adapter returns when its provider answers with an
// HTTP error status. It wraps the provider SDK's own error, so errors.As with
// the SDK's error type still finds it, and adds the methods that retry logic
// reads without knowing the provider: StatusCode (429 and 5xx are worth a
// retry; see metrics/judge.IsTransient) and RetryAfter (the provider's hint).
// Every adapter of this module returns this one type.
type APIError struct {
	// Provider names the adapter, e.g. "openai"; it prefixes the message.
	Provider string
	// Op names the call that failed, e.g. "chat completion stream".
	Op string
	// Err is the SDK's error chain.
	Err error
	// Status is the HTTP status code of the reply.
	Status int
	// Wait is the delay the provider asked for in its retry-after-ms or
	// Retry-After header; zero when it sent none.
	Wait time.Duration
}

// Error renders "openai: chat completion: <the SDK's message>". A part
// left empty is left out, and an APIError without Err (one built by hand,
// as a test's fake provider does) shows its status instead.
func (e *APIError) Error() string {
	var parts []string
	for _, p := range []string{e.Provider, e.Op} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	switch {
	case e.Err != nil:
		parts = append(parts, e.Err.Error())
	case http.StatusText(e.Status) != "":
		parts = append(parts, strconv.Itoa(e.Status)+" "+http.StatusText(e.Status))
	case e.Status != 0:
		parts = append(parts, "status "+strconv.Itoa(e.Status))
	case len(parts) == 0:
		parts = append(parts, "provider error")
	}
	return strings.Join(parts, ": ")
}

// Unwrap returns the SDK's error.
func (e *APIError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status code of the provider's reply.
func (e *APIError) StatusCode() int { return e.Status }

// RetryAfter returns the delay the provider asked for before a retry, or
// zero when it asked for none.
func (e *APIError) RetryAfter() time.Duration { return e.Wait }

// RetryAfterHint reads a provider's retry hint from reply headers as the
// provider SDKs' own retries do: retry-after-ms (milliseconds), else
// Retry-After in seconds or as an HTTP date relative to now. A missing,
// malformed, negative, past or absurdly large hint gives zero.
func RetryAfterHint(h http.Header, now time.Time) time.Duration {
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
		if d := t.Sub(now); d < maxRetryHint {
			return d
		}
	}
	return 0
}

// maxRetryHint bounds a hint given as an HTTP date as the numeric ones are
// (1e9 seconds): a date centuries ahead is absurd, not a wait.
const maxRetryHint = 1e9 * time.Second
