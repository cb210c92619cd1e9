package guard

import (
	"context"
	"errors"
	"fmt"
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
//
// A LabelJudge decides only the metric of its own dimension
// (judge.Dimension.Metric): its label answers that dimension's question,
// so under another metric's threshold and action it would decide that
// metric with the wrong question. A LabelJudge that can never work, of a
// nil j, of a dimension that is not a known one-turn dimension
// (judge.StanceFlip among them), or installed for a metric other than its
// dimension's (judge.ResponsibilityAttribution and judge.GoalAlignment,
// for which a label of 1 is the independent side, have no metric of
// their own), makes [New] fail every request with [ErrInvalidJudge],
// rather than fail or mis-decide each check, which a fail-open role would
// let pass unjudged.
func LabelJudge(j *judge.Judge, d judge.Dimension) Judge {
	return labelJudge{j: j, d: d}
}

type labelJudge struct {
	j *judge.Judge
	d judge.Dimension
}

func (l labelJudge) Check(ctx context.Context, conv []chat.Message) (metrics.Result, error) {
	if l.j == nil { // called outside a guard, which refuses it (configError)
		return metrics.Result{}, errNilLabelJudge
	}
	t := chat.LastTurn(conv)
	res, err := l.j.Label(ctx, l.d, 0, judge.Single{Context: t.User, Response: t.Reply})
	if err != nil {
		return metrics.Result{}, err
	}
	return res.Result(), nil
}

// configError says why l, installed for metric m, can never work, or nil.
func (l labelJudge) configError(m metrics.Metric) error {
	if l.j == nil {
		return errNilLabelJudge
	}
	if def, ok := l.d.Definition(); !ok || def.Kind != judge.OneTurn {
		hint := ""
		if l.d == judge.StanceFlip {
			hint = "; use FlipJudge"
		}
		return fmt.Errorf("LabelJudge of %q, which is not a one-turn dimension%s", l.d, hint)
	}
	if got := l.d.Metric(); got != m {
		if !slices.Contains(metrics.Metrics(), got) {
			return fmt.Errorf("LabelJudge of %q, a dimension that no guard metric reports, installed for %q", l.d, m)
		}
		return fmt.Errorf("LabelJudge of %q installed for %q: a label judge decides only its own dimension's metric", l.d, m)
	}
	return nil
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
// Unknown, and the role's fail mode decides. A FlipJudge of a nil j makes
// [New] fail every request with [ErrInvalidJudge], as does a FlipJudge
// installed for a metric other than metrics.StanceFlip, whose check it
// would decide with the stance-flip question.
func FlipJudge(j *judge.Judge) Judge {
	return flipJudge{j}
}

type flipJudge struct{ j *judge.Judge }

var (
	errNilLabelJudge = errors.New("LabelJudge of a nil *judge.Judge")
	errNilFlipJudge  = errors.New("FlipJudge of a nil *judge.Judge")
)

// configError says why f, installed for metric m, can never work, or nil.
func (f flipJudge) configError(m metrics.Metric) error {
	if f.j == nil {
		return errNilFlipJudge
	}
	if m != metrics.StanceFlip {
		return fmt.Errorf("FlipJudge installed for %q: it decides only %q", m, metrics.StanceFlip)
	}
	return nil
}

func (f flipJudge) Check(ctx context.Context, conv []chat.Message) (metrics.Result, error) {
	if f.j == nil { // called outside a guard, which refuses it (configError)
		return metrics.Result{}, errNilFlipJudge
	}
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
	res, err := f.j.JudgeRound(ctx, judge.StanceFlip, 0, it)
	if err != nil {
		return metrics.Result{}, err
	}
	return res.Result(), nil
}

// judgeConfigError returns why the judges of cfg can never work, or nil.
func judgeConfigError(judges []judgeEntry) error {
	for _, e := range judges {
		if f, ok := e.judge.(JudgeFunc); ok && f == nil {
			// Not the nil interface WithJudge ignores: a check that
			// would panic on every call.
			return fmt.Errorf("%w for %s: nil JudgeFunc", ErrInvalidJudge, e.metric)
		}
		if c, ok := e.judge.(interface{ configError(metrics.Metric) error }); ok {
			if err := c.configError(e.metric); err != nil {
				return fmt.Errorf("%w for %s: %w", ErrInvalidJudge, e.metric, err)
			}
		}
	}
	return nil
}
