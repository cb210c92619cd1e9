package faults_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/internal/faults"
	"github.com/rolegate/rolegate/metrics/judge"
)

// TestClients checks the fault clients themselves, so the matrix tests
// what it says.
func TestClients(t *testing.T) {
	ctx := context.Background()
	collect := func(c chat.Client) (string, *chat.Response, error) {
		var got string
		resp, err := c.Complete(ctx, &chat.Request{Stream: func(_ context.Context, d chat.Delta) error { got += d.Content; return nil }})
		return got, resp, err
	}

	_, _, err := collect(faults.Status(http.StatusTooManyRequests))
	var se *faults.StatusError
	if !errors.As(err, &se) || se.StatusCode() != 429 || !judge.IsTransient(err) {
		t.Errorf("Status(429): %v, want a transient *StatusError", err)
	}
	if _, _, err := collect(faults.Status(http.StatusBadRequest)); judge.IsTransient(err) {
		t.Errorf("Status(400) is transient")
	}
	for _, n := range []int{-1, 0, 5, 100} {
		got, resp, err := collect(faults.Truncated("hello world", n, 0))
		want := "hello world"[:min(max(n, 0), 11)]
		if got != want || resp != nil || !errors.Is(err, faults.ErrTruncated) {
			t.Errorf("Truncated(n=%d): streamed %q, %v; want %q and ErrTruncated", n, got, err, want)
		}
	}
	got, resp, err := collect(faults.Streamer("hello world", 4))
	if err != nil || got != "hello world" || resp.Text() != got {
		t.Errorf("Streamer: streamed %q, returned %q, %v", got, resp.Text(), err)
	}
	if _, resp, err := collect(faults.NilResponse()); resp != nil || err != nil {
		t.Errorf("NilResponse: %v, %v", resp, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := faults.Hang().Complete(cctx, &chat.Request{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Hang: %v, want context.Canceled", err)
	}
}
