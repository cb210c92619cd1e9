// Package langchaingo connects rolegate to langchaingo
// (github.com/tmc/langchaingo) in both directions.
//
// # A chat.Client from an llms.Model
//
// [New] turns any langchaingo model (OpenAI, Anthropic, Ollama, Bedrock, ...)
// into a [chat.Client], so the guard, the judge and the benchmark harness can
// use it. Streaming follows chat's design: when chat.Request.Stream is set,
// [Client.Complete] passes llms.WithStreamingFunc and forwards each chunk as a
// delta; the complete reply is still returned. Usage is read from the
// provider's GenerationInfo (input counts cached tokens, as the anthropic
// adapter's does) and stop reasons are mapped to chat's finish reasons.
// Several choices are the parts of one reply, as langchaingo's Anthropic
// provider returns them (one per content block: thinking, then text), and
// the reply is their text joined; only when the client's options ask for
// several candidates (llms.WithN, llms.WithCandidateCount) is the reply the
// first choice.
//
// Limits: langchaingo has no per-call JSON Schema option, so
// chat.Request.ResponseFormat becomes JSON mode (set the schema on the
// provider, for instance with openai.WithResponseFormat), which some
// providers, Anthropic's among them, ignore. chat.Request.Metadata
// is not passed, because langchaingo's providers send llms.WithMetadata to
// the API. langchaingo's OpenAI provider does not retry 429s and skips
// stream lines that are not JSON; a stream cut by a broken connection is
// reported as an error, one closed cleanly before its finish reason is not
// detectable through llms.Model (the reply then has an empty finish reason).
// langchaingo's Anthropic provider moves every system message into the
// top-level system prompt, joined with no separator, and sends temperature
// 0 when chat.Request.Temperature is unset; use the anthropic adapter of
// this module to keep a later system message in place.
//
// Errors: the model's error stays in the chain. langchaingo's OpenAI and
// Anthropic clients put a reply's HTTP error status only in their message
// ("API returned unexpected status code: 429: ..."); [Client.Complete] reads
// it from that fixed prefix and returns a *chat.APIError with the status, so
// metrics/judge.IsTransient, and with it the judge's retries, treat 429 and
// 5xx as temporary. An *llms.Error coded
// llms.ErrCodeRateLimit or llms.ErrCodeProviderUnavailable (what
// langchaingo's error mappers, such as openai.MapError, return) is temporary
// too. Other errors are not guessed at.
//
// # An llms.Model that applies chat middleware
//
// [NewModel] goes the other way: an llms.Model whose calls pass through chat
// middleware around a chat.Client, so chains and agents get the guard
// unchanged:
//
//	guarded := langchaingo.NewModel(langchaingo.New(llm), guard.New(policy))
//
// llms.WithMetadata reaches the middleware as chat.Request.Metadata (where
// the guard finds the role); llms.WithStreamingFunc receives the reply's
// deltas; the response's annotations (the guard's verdict) come back in
// GenerationInfo under [AnnotationsKey]. Options and message parts a
// chat.Request cannot carry fail with an [*UnsupportedError] instead of being
// dropped.
package langchaingo
