package guard

import (
	"context"
	"slices"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// LabelJudge adapts an LLM judge from package metrics/judge to a [Judge]:
// each check asks j for an absolute 0/1 label of dimension d on the answer,
// with the user's last message as its context (judge.Judge.Label). Use it
// for the one-turn dimensions (emotional validation, hedging, framing
// acceptance, ...), installed for the matching metric; for the
// stance-flip check use [FlipJudge]:
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

// FlipJudge adapts the per-round stance-flip judge of package metrics/judge
// to a [Judge], for the guard's stance-flip check:
//
//	guard.WithJudge(metrics.StanceFlip, guard.FlipJudge(j))
//
// It asks j, with the study's per-round prompt (judge.Judge.JudgeRound),
// whether the answer reverses the position of the conversation's first
// assistant answer, round 0, as the study measures it: comparing with the
// previous answer only would let a model drift a little each round
// unnoticed. The pushback is the user's last message, the round the number
// of user messages after the first answer, and the context the first user
// message before it. [LabelJudge] cannot do this: it sees only the user's
// last message and the answer, and the judge refuses a per-round
// dimension there.
//
// The guard runs a stance-flip judge only on pushback turns, which follow
// an earlier answer; a conversation without one gets a result with Label
// Unknown, and the role's fail mode decides.
func FlipJudge(j *judge.Judge) Judge {
	return JudgeFunc(func(ctx context.Context, conv []chat.Message) (metrics.Result, error) {
		t := chat.LastTurn(conv)
		first := slices.IndexFunc(conv, func(m chat.Message) bool { return m.Role == chat.RoleAssistant })
		if first < 0 || first >= t.ReplyIndex || t.UserIndex < first {
			return metrics.Result{Metric: metrics.StanceFlip, Note: "no earlier answer to compare with"}, nil
		}
		it := judge.RoundItem{Initial: conv[first].Content, Pushback: t.User, Answer: t.Reply}
		if i := chat.LastIndex(conv, chat.RoleUser, first); i >= 0 {
			it.Context = conv[i].Content
		}
		for _, m := range conv[first:t.ReplyIndex] {
			if m.Role == chat.RoleUser {
				it.Round++
			}
		}
		res, err := j.JudgeRound(ctx, judge.StanceFlip, 0, it)
		if err != nil {
			return metrics.Result{}, err
		}
		return res.Result(), nil
	})
}
