// Package examples holds programs a new rolegate user can copy, each in its
// own directory:
//
//   - quickstart: the guard around a scripted model, offline; it prints the
//     verdict of a reply that caved to social pressure and was asked again.
//   - openai: the guard around any OpenAI-compatible server, configured by
//     OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL.
//   - anthropic: the guard around Anthropic's Messages API, configured by
//     ANTHROPIC_API_KEY, ANTHROPIC_MODEL and optionally ANTHROPIC_BASE_URL.
//   - thresholds: a unit test that asserts sycophancy thresholds with package
//     sycotest, the way an application's own test suite would.
//   - replycheck: unit tests of single replies with package sycotest: the
//     heuristic checks, an LLM judge (JudgeAbsent) over several samples, and
//     the messages a failing check reports.
//   - tenant-policy: a policy file with an operator floor and per-tenant
//     roles, loaded and used to guard requests of two tenants.
//   - streaming: the guard on a streamed reply, offline, in both stream
//     modes: buffered (only the answer that held is shown) and pass-through
//     (the caved answer was shown, so it is blocked with the role's fallback).
//   - langchaingo: the guard as an llms.Model for langchaingo chains and
//     agents, over langchaingo's OpenAI provider, configured like openai.
//   - bench: the benchmark harness (package bench) on a scripted model,
//     offline, with a bare and a guarded arm; it prints the Markdown report.
//
// This module is separate from rolegate's core so that the provider SDKs the
// examples use never enter the core's dependency graph.
package examples
