// Package chattest helps test code that uses or implements a [chat.Client].
// Nothing in it touches the network.
//
// # A scripted client
//
// [New], [Texts] and [Func] return a [Client] that answers with canned
// replies in order: per-call assertions ([Reply].Expect), injected errors and
// latency, streaming of the canned text in word or byte deltas, and a model
// that hangs mid-stream ([Reply].Stall). [Client.Calls] returns what it was
// asked.
//
// # A conformance kit for clients
//
// [TestClient] checks that a chat.Client keeps the contract every rolegate
// middleware relies on: streamed and plain calls return the same response,
// deltas make up the final text, the request is not modified, a StreamFunc
// error or a cancelled context ends the call with that error, concurrent use
// is safe and no goroutine outlives a call. It plays in the role
// [testing/slogtest] plays for slog handlers: an adapter (ours or yours)
// supplies a [NewClient] whose local server plays a [Script] (a list of
// [Turn] values) back in the provider's wire format, and the kit does the
// rest. [Play] is the reference player; [CheckClient] runs the same checks
// on any [T].
package chattest
