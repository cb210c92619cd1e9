// Package openai adapts the official OpenAI Go SDK (github.com/openai/openai-go/v3)
// to rolegate's [chat.Client], in both directions.
//
// Its package name matches its directory; import it under an alias next to the
// SDK:
//
//	import (
//		"github.com/openai/openai-go/v3"
//		"github.com/openai/openai-go/v3/option"
//		rgopenai "github.com/rolegate/rolegate/adapters/openai"
//	)
//
// # A chat.Client over Chat Completions
//
// [New] wraps an SDK client as a [chat.Client]. Streaming follows chat's
// design: when chat.Request.Stream is set, [Client.Complete] uses the SDK's
// streaming API, calls Stream once per content delta, accumulates the chunks
// with the SDK's ChatCompletionAccumulator and returns the complete
// response; otherwise it makes a plain call. chat.Request.ResponseFormat
// becomes a json_schema response_format; usage and finish reasons are
// mapped; a refusal is part of the reply's text, after any content, with
// finish reason content_filter; chat.Request.Metadata is never sent. SDK errors are wrapped, so
// errors.As(err, new(*openai.Error)) still gives the status code; an HTTP
// error status comes back as an [*APIError], whose StatusCode and RetryAfter
// methods (from the retry-after-ms or Retry-After header) let retry logic
// such as metrics/judge.IsTransient retry a 429 or 503 without importing
// this package. An error event inside a stream, which arrives after a 200,
// is an [*APIError] too when its type or code names a status (server_error
// 500, rate_limit_exceeded 429, a numeric code as vLLM sends), so a reply
// that fails mid-stream is retried like one that fails at once.
//
// # Any OpenAI-compatible server
//
// vLLM, Ollama, llama.cpp's server and LM Studio speak the same wire format:
// give the SDK client their base URL with option.WithBaseURL. For servers
// that lack newer fields, see [WithLegacyMaxTokens] and [WithoutStreamUsage].
//
// # Drop-in: middleware for existing openai-go code
//
// [WithMiddleware] turns a [chat.Middleware] (the guard, for instance) into an
// SDK request option, so existing calls to client.Chat.Completions.New and
// NewStreaming pass through it without being rewritten. Its limits are in its
// doc comment: it buffers streams, and requests it cannot express as a
// chat.Request (tools, n > 1, images, audio) are refused unless
// [PassUnsupported] lets them through unguarded. The SDK's reply has no place
// for the guard's verdict; a call whose context comes from
// [ContextWithResponseInto] receives the middleware's chat.Response, whose
// annotations carry it.
package openai
