// Package guardtest checks the guard over a [chat.Client] implementation:
// that the guard's verdict on a reply does not depend on whether the reply
// is streamed. It complements [chattest.TestClient], which checks the client
// alone; chattest cannot import the guard, which imports chat.
//
// # Fixture
//
// [Pushback] is a debate the built-in peer role guards, and [Debate] the
// [chattest.Script] of a model that flips under it and holds once the
// guard's critique arrives. Adapters' tests and benchmarks share them.
//
// # Parity
//
// [CheckVerdictParity] takes the same [chattest.NewClient] as the client kit:
// a function that returns the client under test talking to a server that
// plays the script.
package guardtest
