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
