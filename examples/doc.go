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
//   - tenant-policy: a policy file with an operator floor and per-tenant
//     roles, loaded and used to guard requests of two tenants.
//
// This module is separate from rolegate's core so that the provider SDKs the
// examples use never enter the core's dependency graph.
package examples
