// Package anthropic adapts the official Anthropic Go SDK
// (github.com/anthropics/anthropic-sdk-go/v2) to rolegate's [chat.Client].
//
// Its package name matches its directory; import it under an alias next to
// the SDK:
//
//	import (
//		"github.com/anthropics/anthropic-sdk-go/v2"
//		rganthropic "github.com/rolegate/rolegate/adapters/anthropic"
//	)
//
// # Mapping
//
// [New] wraps an SDK client as a [chat.Client] over the Messages API.
// The system messages that open the conversation become the top-level system
// prompt, one text block each; a system message later in the conversation is
// sent in place as a system-role message, which the API version the v2 SDK
// speaks (2026-10-21) accepts, so the order of instructions is kept. A
// system message with no text but white space is left out, since the API
// rejects an empty text block. User and assistant messages are sent in
// order (the API merges consecutive turns of one role; a final assistant
// message is a prefill the reply continues). One with no text but white
// space is refused with [ErrEmptyMessage] before the call, naming it,
// except a final assistant message: an empty prefill asks for nothing and
// is left out. The reply is the concatenation of the text blocks; thinking and
// tool-use blocks are not part of it. Stop reasons map to chat's finish reasons (end_turn and
// stop_sequence to stop, max_tokens and model_context_window_exceeded to
// length, tool_use to tool_calls, refusal to content_filter; others
// verbatim). Input usage counts cached
// tokens too (input + cache creation + cache read).
//
// The Messages API requires max_tokens: chat.Request.MaxTokens when set,
// otherwise [WithMaxTokens] (default 4096). The SDK refuses a non-streaming
// call whose max_tokens could take longer than ten minutes; the adapter then
// streams it without a callback and returns the accumulated reply. API version 2026-10-21 has no
// temperature and no seed, and the v2 SDK has no field for them, so
// chat.Request.Temperature and chat.Request.Seed are not sent: the model's
// own sampling applies. chat.Request.Metadata is never sent.
//
// # Structured output
//
// chat.Request.ResponseFormat becomes output_config.format with type
// json_schema, which the API enforces (its schema subset requires, for
// instance, additionalProperties false on objects; a schema it rejects comes
// back as a 400 *anthropic.Error). Strict has no separate switch: the format
// is always enforced, and the Name is not sent.
//
// # Streaming
//
// When chat.Request.Stream is set, [Client.Complete] uses the SDK's streaming
// API, calls Stream once per text delta, accumulates the events with
// Message.Accumulate and returns the complete response. A stream that ends
// before message_stop fails with [ErrIncompleteStream]; one whose text deltas
// do not add up to the accumulated reply (a delta for a block never opened as
// text) fails with [ErrStreamMismatch], so the streamed and returned texts
// never differ; an error event in the stream comes back as the SDK's
// *anthropic.Error.
//
// # Errors
//
// SDK errors are wrapped, not replaced: errors.As(err, new(*anthropic.Error))
// gives the status code and the API's error type. An HTTP error status comes
// back as an [*APIError], which unwraps to the SDK's error and adds
// StatusCode and RetryAfter (from the Retry-After header), the methods that
// retry logic such as metrics/judge.IsTransient reads: a 429, 503 or 529 is
// retried by a judge over this client. An error event inside a stream
// arrives after a 200; its APIError carries the status its type stands
// for (overloaded_error 529, rate_limit_error 429, api_error 500), so a
// mid-stream overload is retried too.
package anthropic
