// Package faults injects the failures of a model provider into a chat.Client,
// for the fault-matrix tests of the guard and the adapters: errors that carry
// an HTTP status (429, 5xx) the way the adapters return them (a
// *chat.APIError), streams cut after part of
// the reply, calls that hang until their context ends, and replies that break
// the chat.Client contract.
//
// # Fault matrix
//
// The tests of this package run every fault through the guard, in each
// streaming mode, and check that the caller gets a typed error it can match
// with errors.Is or errors.As, that the role's fail-open or fail-closed choice
// decides what an undecidable check does, that a buffered stream never
// releases part of a failed reply, and that no goroutine outlives the call.
// A load test runs 1,000 guarded calls at once.
package faults

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/rolegate/rolegate/chat"
)

// ErrTruncated is the error of a stream that ended before its reply was
// complete.
var ErrTruncated = errors.New("faults: stream truncated")

// Status returns a client whose every call fails with the *chat.APIError
// of the given status that an adapter returns for a provider's HTTP error
// (429, 5xx), so that the guard and judge.IsTransient read it as they read
// a real one: by its status code.
func Status(code int) chat.Client {
	return chat.ClientFunc(func(ctx context.Context, _ *chat.Request) (*chat.Response, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, StatusError(code)
	})
}

// StatusError returns the error of [Status]: a *chat.APIError of the
// provider "faults" with the given status, wrapping an SDK-like error.
func StatusError(code int) *chat.APIError {
	return &chat.APIError{Provider: "faults", Op: "chat", Status: code,
		Err: fmt.Errorf("provider answered %d %s", code, http.StatusText(code))}
}

// Hang returns a client whose calls block until their context ends, then
// return its error: a provider that stopped answering.
func Hang() chat.Client {
	return chat.ClientFunc(func(ctx context.Context, _ *chat.Request) (*chat.Response, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
}

// Truncated returns a client that streams the first n bytes of text (all of
// it when n is larger), in deltas of at most chunk bytes, then fails with
// ErrTruncated, as a stream cut by the network does. A call without a
// stream callback fails the same way without sending anything.
func Truncated(text string, n, chunk int) chat.Client {
	n = min(max(n, 0), len(text))
	return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		if req.Stream != nil {
			if err := stream(ctx, req.Stream, text[:n], chunk); err != nil {
				return nil, err
			}
		}
		return nil, fmt.Errorf("%w after %d of %d bytes", ErrTruncated, n, len(text))
	})
}

// Streamer returns a client that answers with text, streamed in deltas of
// at most chunk bytes when the request streams, checking ctx between deltas.
// Its deltas and final text agree, as the chat.Client contract asks.
func Streamer(text string, chunk int) chat.Client {
	return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		if req.Stream != nil {
			if err := stream(ctx, req.Stream, text, chunk); err != nil {
				return nil, err
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &chat.Response{Message: chat.Assistant(text), FinishReason: chat.FinishStop}, nil
	})
}

// NilResponse returns a client that breaks the chat.Client contract by
// returning neither a response nor an error.
func NilResponse() chat.Client {
	return chat.ClientFunc(func(context.Context, *chat.Request) (*chat.Response, error) { return nil, nil })
}

// stream sends text in deltas of at most chunk bytes (at least one).
func stream(ctx context.Context, fn chat.StreamFunc, text string, chunk int) error {
	chunk = max(chunk, 1)
	for len(text) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(chunk, len(text))
		if err := fn(ctx, chat.Delta{Content: text[:n]}); err != nil {
			return err
		}
		text = text[n:]
	}
	return nil
}
