package guard

import (
	"fmt"
	"strings"
	"time"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// Action is what the guard did with a request, recorded in its [Verdict].
// It differs from [role.Action], which is what a role asks for when one check
// fails: the guard's action is the outcome over all checks and attempts.
type Action uint8

// Actions, in order of strength.
const (
	// Passed: the first answer passed every check and was returned.
	Passed Action = iota
	// Annotated: an answer with violations was returned, the violations
	// recorded in the verdict: the first answer, whose violations all had
	// the action Annotate, or the last one when the role's reasks ran out
	// and its Exhausted action is Annotate.
	Annotated
	// Reasked: the first answer was withheld and a later attempt was
	// returned, one with no violation whose action is Reask or Block
	// (violations to annotate stay recorded in its checks).
	Reasked
	// Blocked: the answer was withheld. The caller got the role's fallback
	// text or an error matching [ErrBlocked].
	Blocked
)

var actionNames = [...]string{Passed: "pass", Annotated: "annotate", Reasked: "reask", Blocked: "block"}

// String returns "pass", "annotate", "reask" or "block".
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// MarshalText encodes the action as its name.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText decodes an action name, so that a [Verdict] read back from
// its JSON is the verdict written.
func (a *Action) UnmarshalText(b []byte) error {
	return unmarshalName(b, actionNames[:], a, "action")
}

// unmarshalName sets *v to the index of b in names, or says which names
// there are.
func unmarshalName[T ~uint8](b []byte, names []string, v *T, what string) error {
	for i, n := range names {
		if n == string(b) {
			*v = T(i)
			return nil
		}
	}
	return fmt.Errorf("guard: unknown %s %q (%s)", what, b, strings.Join(names, ", "))
}

// Status is the outcome of one check on one answer.
type Status uint8

// Statuses.
const (
	// StatusPass: the score is below the role's threshold.
	StatusPass Status = iota
	// StatusViolation: the score is at or above the threshold, or the check
	// could not decide and the role fails closed.
	StatusViolation
	// StatusUnknown: the check could not decide (an empty answer, a judge
	// that failed or answered out of range) and the role fails open: the
	// verdict records it and no action follows.
	StatusUnknown
	// StatusSkipped: the check does not apply to this conversation: the
	// stance-flip check outside a pushback turn, preference accommodation
	// without a goal, belief adoption without a user turn. Note says why.
	StatusSkipped
	// StatusAllowed: the behaviour is present but legitimate: the answer
	// changed position (stance flip, capitulation, belief adoption) after a
	// user turn that brought new evidence or an argument, a pushback or
	// not.
	StatusAllowed
)

var statusNames = [...]string{
	StatusPass: "pass", StatusViolation: "violation", StatusUnknown: "unknown",
	StatusSkipped: "skipped", StatusAllowed: "allowed",
}

// String returns the status name, such as "violation".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error {
	return unmarshalName(b, statusNames[:], s, "status")
}

// Source says which scorer produced a [CheckResult].
type Source uint8

// Sources.
const (
	Heuristic Source = iota // the metrics package's heuristic scorers
	FromJudge               // a [Judge] installed with [WithJudge]
)

// String returns "heuristic" or "judge".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return fmt.Sprintf("Source(%d)", uint8(s))
}

var sourceNames = [...]string{Heuristic: "heuristic", FromJudge: "judge"}

// MarshalText encodes the source as its name.
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a source name.
func (s *Source) UnmarshalText(b []byte) error {
	return unmarshalName(b, sourceNames[:], s, "source")
}

// CheckResult is one check of one answer. The embedded [metrics.Result]
// holds the score, the label decided against the role's threshold (not the
// scorer's default), that threshold, the evidence spans and a note. The
// threshold is the one applied: for a check that measures giving ground
// after a challenge with social pressure only, the check's stricter
// threshold under pressure when it sets one ([role.Check.UnderPressure]),
// which a violation's note then names.
//
// Evidence spans index the checked conversation: the caller's
// Request.Messages with the answer appended at index len(Messages), in the
// order that explains the check ([metrics.SortBySupport]): the spans for
// the behaviour first, the strongest first, then those that lowered the
// score (negative weight). Quotes holds the text of each span, in the same
// order, so that the verdict can be read without the conversation: Quotes[0]
// is the strongest reason for a violation.
type CheckResult struct {
	metrics.Result
	// Quotes are the evidence texts, Quotes[i] for Evidence[i].
	Quotes []string `json:"quotes,omitempty"`
	// Source is the scorer that produced the result.
	Source Source `json:"source"`
	// Action is what the role configured for a violation of this check.
	Action role.Action `json:"action"`
	// Status is the outcome.
	Status Status `json:"status"`
}

// SupportingQuotes returns the quotes of the evidence for the behaviour,
// strongest first ([metrics.Result.Supporting]): what to show as the reason
// for a violation. Quotes of spans that lowered the score are left out.
func (c CheckResult) SupportingQuotes() []string { return supportingQuotes(c.Evidence, c.Quotes) }

// Attempt is one call of the model within a guarded request: the answer's
// checks and, when it was rejected and asked again, the critique sent.
type Attempt struct {
	// Checks are the results of every check the role runs, heuristic ones
	// in the order of [metrics.Metrics], then judges in the order they
	// were installed.
	Checks []CheckResult `json:"checks"`
	// Critique is the follow-up instruction sent to the model after this
	// answer; empty for an answer that was not asked again.
	Critique string `json:"critique,omitempty"`
	// ModelTime is the time spent in the model call.
	ModelTime time.Duration `json:"model_time"`
	// CheckTime is the time spent in the checks, judges included.
	CheckTime time.Duration `json:"check_time"`
}

// Verdict is the guard's record of one request: the role resolved, what
// every check found on every attempt, and what the guard did. It reaches the
// caller as an annotation on the response ([VerdictOf]), inside a
// [*ViolationError] when the request was blocked, and through every
// [Observer]. A Verdict is not modified after it is delivered; treat it as
// read-only.
//
// A Verdict encodes to JSON and decodes back unchanged: enums as their names,
// durations (Elapsed, and each Attempt's ModelTime and CheckTime) as integer
// nanoseconds, as encoding/json writes a time.Duration.
type Verdict struct {
	// Tenant is the tenant the policy was resolved for (Request.Metadata
	// key [MetadataTenant]); empty for none.
	Tenant string `json:"tenant,omitempty"`
	// Role is the name of the role resolved, or the name asked for when
	// resolution failed.
	Role string `json:"role"`
	// Kind is the resolved role's kind.
	Kind role.Kind `json:"kind,omitempty"`
	// Action is what the guard did.
	Action Action `json:"action"`
	// Checks are the checks of the final answer: the one returned, or the
	// one withheld by a block. They are the last attempt's checks.
	Checks []CheckResult `json:"checks"`
	// Attempts lists every model call that returned an answer, in order:
	// 1 + the number of reasks. A role without checks records its one call
	// with no checks.
	Attempts []Attempt `json:"attempts"`
	// Pushback classifies the caller's last user turn against the
	// assistant's previous answer; it decides whether a change of position
	// was a violation (social pressure only) or allowed (new evidence).
	Pushback metrics.PushbackClass `json:"pushback"`
	// Reframe is the note the guard added to the system prompt restating
	// the claims and the challenge of the caller's last user turn
	// ([role.Role.ReframeClaims], [ReframeHeader]); empty when the role
	// does not reframe or the turn had nothing to restate.
	Reframe string `json:"reframe,omitempty"`
	// Personalized is the set of persona facets the role allowed when a
	// profile was rendered into the prompt; empty when no profile was
	// attached, the role allows none, or the profile had nothing in them.
	Personalized persona.FacetSet `json:"personalized,omitzero"`
	// Elapsed is the wall time of the whole guarded call, model included,
	// measured with the guard's clock ([WithClock]).
	Elapsed time.Duration `json:"elapsed"`
	// FailedModelTime is the time spent in the model call of a failed
	// request that is not among the Attempts: the call that returned an
	// error, or whose answer was never checked because the request failed
	// first (the caller gave up). Zero for a request that did not fail
	// there.
	FailedModelTime time.Duration `json:"failed_model_time,omitempty"`
	// Note explains a decision that the checks alone do not show, such as a
	// reask that pass-through streaming could not perform.
	Note string `json:"note,omitempty"`
}

// AnnotationName implements [chat.Annotation]: "rolegate.verdict".
func (*Verdict) AnnotationName() string { return "rolegate.verdict" }

// Violations returns the final answer's checks with [StatusViolation].
func (v *Verdict) Violations() []CheckResult {
	if v == nil {
		return nil
	}
	var out []CheckResult
	for _, c := range v.Checks {
		if c.Status == StatusViolation {
			out = append(out, c)
		}
	}
	return out
}

// Check returns the final answer's heuristic result for metric m, or the
// judge's when no heuristic check of m ran.
func (v *Verdict) Check(m metrics.Metric) (CheckResult, bool) {
	if v == nil {
		return CheckResult{}, false
	}
	return lookup(v.Checks, m)
}

// Check returns the attempt's heuristic result for metric m, or the
// judge's when no heuristic check of m ran.
func (a Attempt) Check(m metrics.Metric) (CheckResult, bool) { return lookup(a.Checks, m) }

func lookup(checks []CheckResult, m metrics.Metric) (CheckResult, bool) {
	found, ok := CheckResult{}, false
	for _, c := range checks {
		if c.Metric == m {
			if c.Source == Heuristic {
				return c, true
			}
			if !ok {
				found, ok = c, true
			}
		}
	}
	return found, ok
}

// ModelTime returns the time spent in model calls: over all attempts, and
// in the call that failed ([Verdict.FailedModelTime]); zero for a nil
// Verdict.
func (v *Verdict) ModelTime() time.Duration {
	if v == nil {
		return 0
	}
	d := v.FailedModelTime
	for _, a := range v.Attempts {
		d += a.ModelTime
	}
	return d
}

// Overhead returns the guard's own share of Elapsed: everything but the
// model calls (checks, judges, personalization, bookkeeping); zero for a
// nil Verdict.
func (v *Verdict) Overhead() time.Duration {
	if v == nil {
		return 0
	}
	return v.Elapsed - v.ModelTime()
}

// VerdictOf returns the guard's verdict on resp, if a guard annotated it.
// When several guards are chained, it returns the outermost one's.
func VerdictOf(resp *chat.Response) (*Verdict, bool) {
	return chat.Find[*Verdict](resp)
}
