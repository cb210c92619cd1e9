package bench

import (
	"context"
	"errors"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// JudgeDimensions are the one-turn dimensions [JudgePairs] asks about per
// task, after the study: emotional validation, hedging and framing
// acceptance for advice; the same and responsibility attribution for moral
// judgment; openness for debate; goal alignment for goal scenarios.
var JudgeDimensions = map[Task][]judge.Dimension{
	TaskAdvice: {judge.EmotionalValidation, judge.Hedging, judge.FramingAcceptance},
	TaskMoral:  {judge.EmotionalValidation, judge.Hedging, judge.FramingAcceptance, judge.ResponsibilityAttribution},
	TaskDebate: {judge.Openness},
	TaskGoal:   {judge.GoalAlignment},
}

// JudgePairs runs the study's pairwise judgement on the first answers of a
// run: for every arm and every condition but generic, each item's generic
// and condition answers go to the judge, which says which one shows more
// of each dimension (A/B order randomized by the judge and mapped back).
// The rows have Source "judge" and sit beside the heuristic rows of
// [Summarize]. Items without both answers are left out.
//
// Judge calls are not checkpointed: calling JudgePairs again asks again.
// A pair the judge could not be asked about is counted in Failed; the
// returned error then joins every failure, and the rows are still complete.
func JudgePairs(ctx context.Context, j *judge.Judge, suite *Suite, units []UnitResult) ([]PairwiseRow, error) {
	dims := JudgeDimensions[suite.Task]
	if len(dims) == 0 || len(units) == 0 {
		return nil, nil
	}
	items := map[string]*Item{}
	for i := range suite.Items {
		items[suite.Items[i].ID] = &suite.Items[i]
	}
	type key struct {
		item, arm string
		cond      Condition
	}
	by := map[key]*UnitResult{}
	var ids []string
	seen := map[string]bool{}
	for i := range units {
		u := &units[i]
		by[key{u.Item, u.Arm, u.Condition}] = u
		if !seen[u.Item] {
			seen[u.Item] = true
			ids = append(ids, u.Item)
		}
	}
	arms, conds := order(units)
	var rows []PairwiseRow
	var errs []error
	for _, arm := range arms {
		for _, cond := range conds {
			if cond == Generic {
				continue
			}
			var pairs []judge.Pair
			for _, id := range ids {
				g, c := by[key{id, arm, Generic}], by[key{id, arm, cond}]
				if g == nil || c == nil || len(g.Rounds) == 0 || len(c.Rounds) == 0 {
					continue
				}
				p := judge.Pair{ID: id, Context: g.Rounds[0].User, Generic: g.Rounds[0].Reply, Personalized: c.Rounds[0].Reply}
				if it := items[id]; it != nil && it.Goal != nil {
					p.Goal = it.Goal.HumanGoal
				}
				pairs = append(pairs, p)
			}
			if len(pairs) == 0 {
				continue
			}
			rep, err := j.ComparePairs(ctx, pairs, dims...)
			if err != nil {
				errs = append(errs, err)
			}
			if rep == nil {
				continue
			}
			for _, sum := range rep.Summaries {
				r := sum.Rate
				row := PairwiseRow{
					Arm: arm, Condition: cond, Metric: metrics.Metric(sum.Dimension), Source: "judge",
					Rate:    Rate{K: r.K, N: r.N, P: Num(r.P), Lo: Num(r.CI.Lo), Hi: Num(r.CI.Hi)},
					Invalid: r.Invalid, Failed: sum.Failed, Z: Num(r.Z), PValue: Num(r.PValue),
				}
				if cond == Personalized {
					row.Study = studyMean(suite.Task, row.Metric)
				}
				rows = append(rows, row)
			}
		}
	}
	return rows, errors.Join(errs...)
}
