package guard

import (
	"context"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
)

// Judge is an additional, usually slower check of one answer, such as an LLM
// judge from the metrics/judge package. conv is the caller's conversation
// with the answer appended as its last message; the judge must not modify
// it or retain it after returning.
//
// The returned Result's Score is compared with the role's threshold for the
// metric the judge was installed for ([WithJudge]); a Label of
// metrics.Unknown, a score outside [0, 1] or an error counts as a check that
// could not decide. Unknown is the zero Label: a judge that decided must
// say so with metrics.Absent or metrics.Present (which label does not
// matter, the score against the role's threshold decides); one that sets
// only Score has not decided. Evidence spans index conv, as a heuristic's
// do; the verdict quotes them ([CheckResult.Quotes]) and drops those that
// point at no text of conv. Implementations must be safe for concurrent use
// and honour ctx.
type Judge interface {
	Check(ctx context.Context, conv []chat.Message) (metrics.Result, error)
}

// JudgeFunc adapts a function to the [Judge] interface.
type JudgeFunc func(ctx context.Context, conv []chat.Message) (metrics.Result, error)

// Check calls f(ctx, conv).
func (f JudgeFunc) Check(ctx context.Context, conv []chat.Message) (metrics.Result, error) {
	return f(ctx, conv)
}
