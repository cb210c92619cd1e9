package chat

import (
	"context"
	"errors"
)

// Client sends a [Request] to a model and returns its [Response].
//
// Implementations must be safe for concurrent use, must honour ctx
// cancellation, must not modify req or retain it after returning, and must
// call req.Stream (when set) only before returning. They return a Response
// or an error, never both and never neither: on error the Response is nil,
// and the callers in this module report a client that returns neither as
// [ErrNoResponse].
type Client interface {
	Complete(ctx context.Context, req *Request) (*Response, error)
}

// ErrNoResponse reports a [Client] that broke its contract by returning
// neither a response nor an error. guard, metrics/judge, bench and the
// adapters return it (under their own names, which are this same error)
// rather than dereferencing the nil response.
var ErrNoResponse = errors.New("chat: client returned neither a response nor an error")

// ErrInvalidRequest is matched (errors.Is) by the error of a client that
// refuses a request before sending it, for the request itself or for the
// client's configuration: a nil request, no model, a conversation that
// does not validate ([ValidateMessages]), a message or a response format
// the provider's API rejects. Such an error carries no HTTP status, yet the
// same request would be refused the same way again, so callers that retry
// failed calls (package bench) do not retry it. The adapters' and the
// guard's errors of this kind, and [ValidateMessages]'s, match it; a
// client of another kind builds its own with [InvalidRequest].
var ErrInvalidRequest = errors.New("chat: invalid request")

// InvalidRequest returns a new error with the text msg that matches both
// itself, as one of errors.New would, and [ErrInvalidRequest]: the
// constructor of a client's sentinel errors for the requests it refuses
// before sending them.
func InvalidRequest(msg string) error { return &invalidRequest{msg} }

type invalidRequest struct{ msg string }

func (e *invalidRequest) Error() string { return e.msg }

func (e *invalidRequest) Is(target error) bool { return target == ErrInvalidRequest }

// ClientFunc adapts a function to the [Client] interface.
type ClientFunc func(ctx context.Context, req *Request) (*Response, error)

// Complete calls f(ctx, req).
func (f ClientFunc) Complete(ctx context.Context, req *Request) (*Response, error) {
	return f(ctx, req)
}

// Middleware wraps a [Client] with behaviour before and after each call. A
// middleware with nothing to do for a request should pass it to next
// unchanged.
type Middleware func(next Client) Client

// Chain composes middleware into one. The first middleware is the outermost:
// it sees the request first and the response last. Nil entries are skipped,
// and Chain() returns a middleware that leaves the client as it is.
func Chain(ms ...Middleware) Middleware {
	return func(next Client) Client {
		for i := len(ms) - 1; i >= 0; i-- {
			if ms[i] != nil {
				next = ms[i](next)
			}
		}
		return next
	}
}

// Wrap returns c wrapped by ms, with ms[0] outermost; it is Chain(ms...)(c).
func Wrap(c Client, ms ...Middleware) Client { return Chain(ms...)(c) }
