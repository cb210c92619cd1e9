// Package fakeserver is the recording HTTP server behind the adapters'
// provider stand-ins: it decodes each request's JSON body, records it with
// its arrival time, and hands it with the call number to a [Handler] that
// writes the provider's reply. The wire formats live with their users
// (internal/fakeopenai for Chat Completions, the Anthropic adapter's tests
// for the Messages API).
package fakeserver
