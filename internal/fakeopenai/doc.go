// Package fakeopenai is a local stand-in for the OpenAI Chat Completions
// endpoint, for the tests of the adapters that speak its wire format
// (adapters/openai through openai-go, adapters/langchaingo through
// langchaingo's OpenAI provider).
//
// # Scripting the server
//
// The handlers run on a [fakeserver.Server], which records each request's
// body and hands it, with the call number, to them. [Answer] serves one
// [Reply], plain or streamed as the request asks; [Play] serves a
// [chattest.Script], the input of the chattest client kit.
// [Reply.Completion], [Chunk], [WriteStream] and [APIError] build the bodies
// for tests that script a misbehaving provider.
package fakeopenai
