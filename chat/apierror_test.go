package chat

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterHint(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"Retry-After": "2"}, 2 * time.Second},
		{"fractional seconds", map[string]string{"Retry-After": "0.5"}, 500 * time.Millisecond},
		{"milliseconds win", map[string]string{"Retry-After-Ms": "250", "Retry-After": "9"}, 250 * time.Millisecond},
		{"bad milliseconds fall back", map[string]string{"Retry-After-Ms": "soon", "Retry-After": "1"}, time.Second},
		{"http date", map[string]string{"Retry-After": now.Add(3 * time.Second).Format(http.TimeFormat)}, 3 * time.Second},
		{"past date", map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}, 0},
		{"negative", map[string]string{"Retry-After": "-5"}, 0},
		{"huge", map[string]string{"Retry-After": "1e300"}, 0},
		{"huge milliseconds", map[string]string{"Retry-After-Ms": "Inf"}, 0},
		{"far date", map[string]string{"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}, 0},
		{"garbage", map[string]string{"Retry-After": "later"}, 0},
		{"zero milliseconds fall back", map[string]string{"Retry-After-Ms": "0", "Retry-After": "1"}, time.Second},
		{"large milliseconds under the bound", map[string]string{"Retry-After-Ms": "1e11"}, 1e11 * time.Millisecond},
		{"milliseconds at the bound", map[string]string{"Retry-After-Ms": "1e12"}, 0},
		{"seconds just under the bound", map[string]string{"Retry-After": "999999999"}, 999999999 * time.Second},
		{"seconds at the bound", map[string]string{"Retry-After": "1e9"}, 0},
		{"date at the bound", map[string]string{"Retry-After": now.Add(1e9 * time.Second).Format(http.TimeFormat)}, 0},
		{"date just under the bound", map[string]string{"Retry-After": now.Add(1e9*time.Second - time.Second).Format(http.TimeFormat)}, 1e9*time.Second - time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := RetryAfterHint(h, now); got != tt.want {
				t.Errorf("RetryAfterHint(%v) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestAPIError(t *testing.T) {
	base := errors.New("sdk: 429 Too Many Requests")
	e := &APIError{Provider: "openai", Op: "chat completion", Err: base, Status: 429, Wait: time.Second}
	if got, want := e.Error(), "openai: chat completion: sdk: 429 Too Many Requests"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, base) || e.StatusCode() != 429 || e.RetryAfter() != time.Second {
		t.Errorf("APIError does not expose its cause, status and wait: %+v", e)
	}
}

// An APIError built by hand (a test's fake provider, a custom adapter) may
// have no SDK error, or no provider or operation: its message still says
// what it can, without a panic and without empty ": " parts.
func TestAPIErrorPartial(t *testing.T) {
	tests := []struct {
		e    *APIError
		want string
	}{
		{&APIError{Status: 429}, "429 Too Many Requests"},
		{&APIError{Provider: "fake", Status: 503}, "fake: 503 Service Unavailable"},
		{&APIError{Provider: "fake", Op: "chat", Status: 599}, "fake: chat: status 599"},
		{&APIError{Op: "chat", Err: errors.New("boom")}, "chat: boom"},
		{&APIError{}, "provider error"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", *tt.e, got, tt.want)
		}
	}
}
