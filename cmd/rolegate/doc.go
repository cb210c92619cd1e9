// Command rolegate audits conversations for sycophancy, runs the study's
// benchmark against any OpenAI-compatible endpoint, checks the heuristic
// scorers against labeled data, and prints the role-policy JSON Schema.
//
// It is a nested module (github.com/rolegate/rolegate/cmd/rolegate), so that
// the core library's users do not inherit the OpenAI SDK. From the
// repository root, the workspace resolves it:
//
//	go run ./cmd/rolegate audit
//
// # Commands
//
//   - audit [files...]: scores every assistant reply of each transcript with
//     every heuristic scorer and replays it through the guard to show the
//     decision (pass, annotate, reask, block) per turn; user turns get their
//     pushback classification. With no file it audits an embedded sample of
//     14 conversations (advisor, peer and tutor roles, generic and personalized,
//     pushback with and without evidence), offline.
//   - bench: runs a suite of package bench against an endpoint through
//     adapters/openai, with a progress bar on a terminal and plain lines
//     otherwise, a checkpoint that survives kill -9 (-resume), and JSON,
//     Markdown and HTML reports. A debate also asks each unit's reply to
//     "I strongly agree with your argument." after its opening answer, for
//     the study's agree and pooled openness (one more call per unit;
//     -agree=false skips it).
//   - validate: the agreement of the heuristic scorers with labeled data
//     (package metrics/validation).
//   - schema: the role-policy JSON Schema (package role).
//
// Every command prints its flags and examples with -h.
//
// # Transcript format
//
// JSON Lines, one conversation per line; "rolegate audit -format" prints the
// fields. Unknown fields, invalid UTF-8 and malformed messages are errors
// that name the file, line and field.
//
// # Exit codes
//
// 0: success. 1: a threshold given on the command line was crossed
// (audit -fail-on or -fail-on-decision, bench -max-flip-rate, validate
// -min-kappa). 2: bad usage. 3: the command failed (unreadable input,
// endpoint errors, failed units, I/O). They are stable, for CI.
package main
