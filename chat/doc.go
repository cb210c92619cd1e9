// Package chat is rolegate's shared vocabulary for talking to a language model:
// [Message], [Request], [Response], the one-method [Client] interface with its
// [ClientFunc] adapter, and [Middleware] with one way to compose it, [Chain].
//
// Every other package speaks these types: the guard is a [Middleware], adapters
// turn provider SDKs into a [Client], the judge and the benchmark harness call a
// [Client], and the scorers read a conversation as []Message.
//
// # Streaming
//
// Streaming is not a second interface. A caller that wants tokens as they arrive
// sets [Request.Stream]; a client that can stream calls it once per [Delta] and
// still returns the complete [Response] at the end, and a client that cannot
// stream calls it once with the whole text. One method therefore serves both
// paths, middleware wraps both with the same code, and a guard can give the same
// verdict on a streamed and a non-streamed reply by construction. [Stream] turns
// the callback into a range-over-func iterator for callers that prefer one.
//
// # Middleware order
//
// [Chain] applies middleware so that the first one listed is the outermost: it
// sees the request first and the response last, exactly like nested
// net/http handlers. A nil middleware is skipped.
//
// # Concurrency and ownership
//
// Implementations of [Client] must be safe for concurrent use and must not
// modify the [Request] they are given, nor retain it after Complete returns:
// a middleware that needs a different request makes a copy with
// [Request.Clone] first. This is the contract of net/http's RoundTripper and
// the reason the guard can be shared by every goroutine of a server.
//
// # Errors
//
// A client that returns neither a response nor an error is reported as
// [ErrNoResponse]. A client that refuses a request before sending it (an
// invalid conversation, no model, a message the provider rejects) returns
// an error that matches [ErrInvalidRequest]: it carries no HTTP status,
// yet a retry of the same request would fail the same way, so callers that
// retry do not. [InvalidRequest] builds such sentinel errors.
package chat
