// Package adapters runs rolegate's fault matrix through the provider adapters:
// the real SDK clients (openai-go, anthropic-sdk-go) over HTTP to a local
// server that misbehaves the way providers do (429 with Retry-After, 5xx and
// 529, malformed and empty bodies, SSE streams cut mid-reply or carrying
// garbage, servers that stop answering), with and without the guard. Each
// fault must surface as a typed error the caller can match (the SDK's *Error
// with its status, the adapter's sentinel errors, the context's), a buffered
// guard must release nothing of a failed reply, and no goroutine may outlive
// the call. Fuzz targets feed arbitrary SSE bodies to each adapter's streaming
// path.
//
// It is a module of its own, like the adapters, so that the SDKs stay out of
// the core module; it holds tests only.
package adapters
