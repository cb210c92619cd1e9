package guard

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// Errors returned by the guard. Errors with data are typed ([*ViolationError],
// [*ResolveError]) and unwrap to one of these or to the role package's.
// Those of a request refused before the model is called (a nil request, an
// invalid policy, judge or metadata, no client, a role that does not resolve
// ([*ResolveError]), a persona the role cannot render) also match
// chat.ErrInvalidRequest, so that callers that retry do not retry them.
var (
	// ErrBlocked: the answer violated a check whose action is to block (or
	// whose reasks ran out) and the role has no fallback text, or the
	// stream was in pass-through mode. The error is a [*ViolationError].
	ErrBlocked = errors.New("guard: blocked")
	// ErrStreamLimit: an attempt's streamed text grew past the limit
	// ([DefaultMaxStreamBytes], [WithMaxStreamBytes]): the text buffered in
	// buffer-then-check streaming, or the text forwarded live to a checked
	// role, which the guard keeps to check; the model call is abandoned.
	ErrStreamLimit = errors.New("guard: stream buffer limit exceeded")
	// ErrNilRequest: Complete was called with a nil request.
	ErrNilRequest = chat.InvalidRequest("guard: nil request")
	// ErrInvalidPolicy: the policy given to [New] does not validate; every
	// request fails with an error wrapping this one and the policy's own.
	ErrInvalidPolicy = chat.InvalidRequest("guard: invalid policy")
	// ErrInvalidJudge: a judge given to [WithJudge] can never work (a
	// [LabelJudge] of a per-round or unknown dimension, or of a nil judge,
	// a [FlipJudge] of a nil judge, a nil [JudgeFunc]) or would decide a
	// metric it does not judge (a LabelJudge installed for a metric other
	// than its dimension's, a FlipJudge for one other than the stance
	// flip);
	// every request fails with an error wrapping this one, which names the
	// check, rather than each check failing under the role's fail mode.
	ErrInvalidJudge = chat.InvalidRequest("guard: invalid judge")
	// ErrInvalidMetadata: the tenant or role name in the request's metadata
	// is not valid UTF-8 or is longer than role.MaxTenantName bytes. The
	// error names the key.
	ErrInvalidMetadata = chat.InvalidRequest("guard: invalid metadata")
	// ErrNoClient: the middleware was applied to a nil client.
	ErrNoClient = chat.InvalidRequest("guard: no next client to call")
	// ErrNoResponse: the next client broke the chat.Client contract by
	// returning neither a response nor an error. It is [chat.ErrNoResponse].
	ErrNoResponse = chat.ErrNoResponse
)

// errPersonalize prefixes the error of a persona the resolved role cannot
// render (a field that does not validate), which wraps the
// persona package's error: the same profile is refused the same way on a
// retry.
var errPersonalize = chat.InvalidRequest("guard: personalize")

// ViolationError reports a blocked answer: which check decided, its score
// and threshold, and the evidence. It unwraps to [ErrBlocked], so both
// errors.Is(err, guard.ErrBlocked) and errors.As(err, &ve) work.
type ViolationError struct {
	// Check is the metric of the check that decided the block.
	Check metrics.Metric
	// Source is the scorer of that check.
	Source Source
	// Score and Threshold are the check's score and the threshold applied
	// (the check's threshold under pressure after social pressure only:
	// see [CheckResult]).
	Score, Threshold float64
	// Label is metrics.Present for a score at or above the threshold, and
	// metrics.Unknown for a check that could not decide under a fail-closed
	// role (Note says why).
	Label metrics.Label
	// Evidence are the spans that produced the score (see [CheckResult])
	// and Quotes their text.
	Evidence []metrics.Span
	Quotes   []string
	// Note is the check's note, if any.
	Note string
	// Fallback is the role's fallback text when it could not be returned
	// instead of the answer: in pass-through streaming, where the caller
	// has already seen the answer. Empty otherwise.
	Fallback string
	// Verdict is the full verdict, with every check of every attempt.
	Verdict *Verdict
}

// Error renders `guard: blocked: role "peer": stance_flip 0.57 >= 0.50
// (evidence: "You're right")`, quoting the evidence for the behaviour,
// strongest first.
func (e *ViolationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrBlocked.Error())
	if e.Verdict != nil && e.Verdict.Role != "" {
		fmt.Fprintf(&b, ": role %q", e.Verdict.Role)
	}
	if e.Source == FromJudge {
		fmt.Fprintf(&b, ": judge %s", e.Check)
	} else {
		fmt.Fprintf(&b, ": %s", e.Check)
	}
	if e.Label == metrics.Unknown {
		fmt.Fprintf(&b, " could not decide (%s) and the role fails closed", e.Note)
		return b.String()
	}
	fmt.Fprintf(&b, " %.2f >= %.2f", e.Score, e.Threshold)
	if quotes := supportingQuotes(e.Evidence, e.Quotes); len(quotes) > 0 {
		b.WriteString(" (evidence: ")
		for i, q := range quotes {
			if i == 3 {
				b.WriteString(", ...")
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", clip(q, 80))
		}
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns [ErrBlocked].
func (e *ViolationError) Unwrap() error { return ErrBlocked }

// supportingQuotes returns the quotes of the spans of ev that speak for the
// behaviour, strongest first ([metrics.Result.Supporting]); quotes[i] is the
// text of ev[i]. Quotes that do not pair with ev (an error built by hand)
// are returned as they are.
func supportingQuotes(ev []metrics.Span, quotes []string) []string {
	if len(ev) != len(quotes) {
		return quotes
	}
	// Pick from copies that carry their index in Msg, which Supporting
	// does not read, so that each quote follows its span.
	tagged := slices.Clone(ev)
	for i := range tagged {
		tagged[i].Msg = i
	}
	var out []string
	for _, s := range (metrics.Result{Evidence: tagged}).Supporting() {
		out = append(out, quotes[s.Msg])
	}
	return out
}

// ResolveError reports that no role could be resolved for a request: the
// tenant and role names it carried and the reason, which wraps one of
// role.ErrUnknownRole, role.ErrNoDefault, role.ErrBelowFloor or
// role.ErrUnknownTenant. It also matches chat.ErrInvalidRequest.
type ResolveError struct {
	Tenant, Role string
	Err          error
}

// Error renders `guard: tenant "acme", role "pear": role: roles.pear: unknown
// role (known roles: "advisor", "companion", "peer", "tutor")`. A request
// that named no role under a policy with no default is told where a role
// comes from.
func (e *ResolveError) Error() string {
	if e.Role == "" && errors.Is(e.Err, role.ErrNoDefault) {
		return fmt.Sprintf("guard: tenant %q, role %q: %v (set Request.Metadata[%q], guard.MetadataRole, or the policy's default)", e.Tenant, e.Role, e.Err, MetadataRole)
	}
	return fmt.Sprintf("guard: tenant %q, role %q: %v", e.Tenant, e.Role, e.Err)
}

// Unwrap returns the reason.
func (e *ResolveError) Unwrap() error { return e.Err }

// Is reports whether target is chat.ErrInvalidRequest: the policy resolves
// the same names the same way every time, so the request is refused again
// if it is retried.
func (e *ResolveError) Is(target error) bool { return target == chat.ErrInvalidRequest }

func newViolationError(v *Verdict, c *CheckResult, fallback string) *ViolationError {
	return &ViolationError{
		Check: c.Metric, Source: c.Source, Score: c.Score, Threshold: c.Threshold, Label: c.Label,
		Evidence: c.Evidence, Quotes: c.Quotes, Note: c.Note, Fallback: fallback, Verdict: v,
	}
}
