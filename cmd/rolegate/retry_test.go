package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	oai "github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"none", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{"milliseconds first", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"3"}}, 250 * time.Millisecond},
		{"http date", http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{"past date", http.Header{"Retry-After": {now.Add(-time.Minute).Format(http.TimeFormat)}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseRetryAfter(tt.h, now))
		})
	}
}

// TestStatusErrors checks, through the real SDK, that API errors keep their
// status for the retry decision and expose the server's Retry-After.
func TestStatusErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"error":{"message":"slow down","type":"rate_limit"}}`))
	}))
	defer srv.Close()
	c := statusErrors(newOpenAI(srv.URL+"/v1", "", "m"))
	_, err := c.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("hi")}})
	require.Error(t, err)
	var ra interface{ RetryAfter() time.Duration }
	require.True(t, errors.As(err, &ra))
	assert.Equal(t, 2*time.Second, ra.RetryAfter())
	var sc interface{ StatusCode() int }
	require.True(t, errors.As(err, &sc))
	assert.Equal(t, 429, sc.StatusCode())
	assert.True(t, retryable(err), "429 is retried")
	assert.False(t, retryable(context.Canceled))
	for code, want := range map[int]bool{400: false, 401: false, 404: false, 408: true, 500: true, 503: true} {
		assert.Equal(t, want, retryable(fmt.Errorf("call: %w", &oai.Error{StatusCode: code})), "status %d", code)
	}
	assert.True(t, retryable(errors.New("connection reset")), "transport errors are retried")
}
