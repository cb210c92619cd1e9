// Package otel reports the verdicts of the rolegate guard to OpenTelemetry:
// an event on the request's span and two metrics. It is a nested module, so
// that the core module does not depend on OpenTelemetry. Import it under
// another name beside go.opentelemetry.io/otel:
//
//	import rgotel "github.com/rolegate/rolegate/observers/otel"
//
//	obs, err := rgotel.New() // the global meter provider
//	if err != nil { ... }
//	mw := guard.New(policy, guard.WithObserver(obs))
//
// # Spans
//
// The guard runs inside the caller's request, so the observer makes no
// span of its own: it adds one event, [EventName], to the span in the
// request's context (an HTTP server span, say), when that span is
// recording. The event's attributes are the verdict's tenant, role, kind,
// action, number of attempts, elapsed time and the guard's overhead, the
// note and the error of a failed or blocked request as guard.ErrorText
// gives it (a block's guard.ViolationError without its evidence quotes,
// which can quote the user; a persona.FieldError without the value it
// quotes, which can be the user's demographics), and the final answer's
// checks
// as parallel arrays: rolegate.check.metric[i], .source[i], .score[i],
// .label[i] and .status[i] describe check i, in the verdict's order (for a
// request that failed after an attempt was checked, such as a reask whose
// model call failed, the checks of that rejected attempt). A
// request without a recording span gets the metrics only.
//
// # Metrics
//
//   - [VerdictsMetric], a counter of verdicts by role and action ("pass",
//     "annotate", "reask", "block", or "error" for a request that failed
//     before the guard could act).
//   - [ScoresMetric], a histogram of the final answer's check scores by
//     role, metric, source and status, with buckets every 0.1 on [0, 1].
//     Checks that could not decide (label unknown, such as a failed judge
//     or a check that does not apply) have no score and are not recorded,
//     nor are the checks of a request that failed (action "error"): it
//     has no final answer.
//
// Tenants are on the span event only: their number is unbounded, which
// metric attributes must not be. For the same reason a request whose role
// could not be resolved (a guard.ResolveError, an invalid policy) counts
// under the role "": its name came from the request.
//
// # Concurrency
//
// An [Observer] is safe for concurrent use, like the OpenTelemetry
// instruments it writes to. It builds the metrics' attribute sets once per
// role, action and check outcome and reuses them; the span event's
// attributes are built for each verdict.
package otel
