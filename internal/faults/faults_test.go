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
	var se *chat.APIError
	if !errors.As(err, &se) || se.StatusCode() != 429 || !judge.IsTransient(err) {
		t.Errorf("Status(429): %v, want a transient *chat.APIError", err)
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

// TestStatusClassifiedAsAdapters: the fault matrix's provider errors must
// take the path real ones take. Every adapter of the module returns a
// *chat.APIError, which judge.IsTransient classifies by its status code;
// an error of the fixture's own that answers Temporary would be read by
// another branch, with another table of statuses.
func TestStatusClassifiedAsAdapters(t *testing.T) {
	for _, code := range []int{400, 401, 408, 425, 429, 500, 501, 502, 503, 504, 505, 529} {
		_, err := faults.Status(code).Complete(context.Background(), &chat.Request{})
		real := &chat.APIError{Provider: "openai", Op: "chat completion", Err: errors.New("sdk error"), Status: code}
		if got, want := judge.IsTransient(err), judge.IsTransient(real); got != want {
			t.Errorf("status %d: the fixture's error is transient = %v, an adapter's = %v", code, got, want)
		}
		var ae *chat.APIError
		if !errors.As(err, &ae) || ae.StatusCode() != code {
			t.Errorf("status %d: error %v (%T), want a *chat.APIError with the status, as adapters return", code, err, err)
		}
	}
}
