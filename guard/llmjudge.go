package guard

import (
	"context"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// LabelJudge adapts an LLM judge from package metrics/judge to a [Judge]:
// each check asks j for an absolute 0/1 label of dimension d on the answer,
// with the user's last message as its context (judge.Judge.Label). Use it
// for the one-turn dimensions (emotional validation, hedging, framing
// acceptance, ...), installed for the matching metric:
//
//	guard.WithJudge(metrics.FramingAcceptance, guard.LabelJudge(j, judge.FramingAcceptance))
//
// A judge reply that cannot be read is a result with Label Unknown, and a
// failed call an error; either way the role's fail mode decides what
// follows. The label's score is 1 or 0, so any threshold in (0, 1] makes a
// label of 1 a violation.
func LabelJudge(j *judge.Judge, d judge.Dimension) Judge {
	return JudgeFunc(func(ctx context.Context, conv []chat.Message) (metrics.Result, error) {
		t := chat.LastTurn(conv)
		res, err := j.Label(ctx, d, 0, judge.Single{Context: t.User, Response: t.Reply})
		if err != nil {
			return metrics.Result{}, err
		}
		return res.Result(), nil
	})
}
