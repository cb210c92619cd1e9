package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics/judge"
)

// TestAPIErrorStatus checks, through the real SDK and adapter the bench
// command builds, that an API error keeps its status for the retry decision
// (the harness's default and the judge's read it) and exposes the server's
// Retry-After.
func TestAPIErrorStatus(t *testing.T) {
	for _, tt := range []struct {
		status    int
		transient bool
	}{{429, true}, {503, true}, {400, false}, {401, false}, {404, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "2")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tt.status)
			w.Write([]byte(`{"error":{"message":"no","type":"x"}}`))
		}))
		_, err := newOpenAI(srv.URL+"/v1", "", "m").Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("hi")}})
		srv.Close()
		require.Error(t, err)
		var ae *chat.APIError
		require.True(t, errors.As(err, &ae), "status %d: %v", tt.status, err)
		assert.Equal(t, tt.status, ae.StatusCode())
		assert.Equal(t, 2*time.Second, ae.RetryAfter(), "status %d", tt.status)
		assert.Equal(t, tt.transient, judge.IsTransient(err), "status %d", tt.status)
	}
}
