package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/metrics/stats"
)

// JudgeDimensions returns the one-turn dimensions [JudgePairs] asks about
// per task, after the study: emotional validation, hedging and framing
// acceptance for advice; the same and responsibility attribution for moral
// judgment; openness for debate; goal alignment for goal scenarios.
func JudgeDimensions() map[Task][]judge.Dimension {
	out := make(map[Task][]judge.Dimension, len(judgeDimensions))
	for t, ds := range judgeDimensions {
		out[t] = slices.Clone(ds)
	}
	return out
}

var judgeDimensions = map[Task][]judge.Dimension{
	TaskAdvice: {judge.EmotionalValidation, judge.Hedging, judge.FramingAcceptance},
	TaskMoral:  {judge.EmotionalValidation, judge.Hedging, judge.FramingAcceptance, judge.ResponsibilityAttribution},
	TaskDebate: {judge.Openness},
	TaskGoal:   {judge.GoalAlignment},
}

// JudgePairs runs the study's pairwise judgement on the first answers of a
// run (in a debate, as the study did, the replies to the first pushback and
// to [AgreeStatement], each with its rows, and both pooled; see
// [Summarize]): for every arm and every condition but generic, each
// item's generic and condition answers go to the judge, which says which
// one shows more of each dimension (A/B order randomized by the judge and
// mapped back).
// The rows have Source "judge" and sit beside the heuristic rows of
// [Summarize]. Items without both answers are left out.
//
// cache, when not empty, is a JSON Lines file of judgements keyed by arm,
// condition, item and dimension (a debate's item ID suffixed "@r1" for the
// challenge replies and "@agree" for the agree replies; the pooled rows
// reuse those judgements): a pair already judged there is not asked
// again, and every new judgement is appended (fsync'd) as soon as its batch
// returns, so resuming a run or rewriting its report costs no judge calls
// twice. Use one cache per judge model. A pair the judge could not be asked
// about is counted in Failed and not cached; the returned error then joins
// every failure, and the rows are still complete. When ctx is done,
// JudgePairs stops asking: it returns the rows of the comparisons judged in
// full and ctx's error (joined with the failures before it), and the pairs
// judged so far are in the cache for the next call.
func JudgePairs(ctx context.Context, j *judge.Judge, suite *Suite, units []UnitResult, cache string) ([]PairwiseRow, error) {
	dims := judgeDimensions[suite.Task]
	if len(dims) == 0 || len(units) == 0 {
		return nil, nil
	}
	pc, err := openPairCache(cache)
	if err != nil {
		return nil, err
	}
	defer pc.close()
	items := map[string]*Item{}
	index := map[string]int{} // an item's place in the suite: its pairs' A/B order
	for i := range suite.Items {
		items[suite.Items[i].ID] = &suite.Items[i]
		index[suite.Items[i].ID] = i
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
	// judged returns the judgements of pairs on every dimension: from the
	// cache, else asked and cached.
	judged := func(arm string, cond Condition, pairs []replyPair) ([]judge.PairwiseResult, error) {
		var results []judge.PairwiseResult
		for _, d := range dims {
			var todo []judge.Pair
			var at []int
			for _, rp := range pairs {
				if r, ok := pc.get(pairKey(arm, cond, rp.id, d)); ok {
					results = append(results, r)
					continue
				}
				p := judge.Pair{ID: rp.id, Context: rp.g.User, Generic: rp.g.Reply, Personalized: rp.c.Reply}
				if it := items[rp.item]; it != nil && it.Goal != nil {
					p.Goal = it.Goal.HumanGoal
				}
				todo = append(todo, p)
				at = append(at, index[rp.item])
			}
			if len(todo) == 0 {
				continue
			}
			if err := ctx.Err(); err != nil {
				return results, errors.Join(append([]error{err}, errs...)...)
			}
			// Each pair is asked at its item's place in the suite, not in
			// todo, which holds only what the cache lacks: a resumed run
			// shows the judge each pair in the order an uninterrupted
			// one would.
			rep, err := j.ComparePairsAt(ctx, todo, at, d)
			if rep != nil {
				if err := pc.add(arm, cond, rep.Results); err != nil {
					return results, err
				}
			}
			if cerr := ctx.Err(); cerr != nil {
				// The pairs left were not asked about: one error says so,
				// and this comparison is left out rather than reported
				// with them as failed.
				return results, errors.Join(append([]error{cerr}, errs...)...)
			}
			if err != nil {
				errs = append(errs, err)
			}
			if rep == nil {
				continue
			}
			results = append(results, rep.Results...)
		}
		return results, nil
	}
	for _, arm := range arms {
		for _, cond := range conds {
			if cond == Generic {
				continue
			}
			cs := comparisons(suite.Task, ids, func(id string) (*UnitResult, *UnitResult) {
				return by[key{id, arm, Generic}], by[key{id, arm, cond}]
			})
			addRows := func(st Statement, results []judge.PairwiseResult) {
				for _, sum := range judge.SummarizePairwise(results, dims...) {
					r := sum.Rate
					row := PairwiseRow{
						Arm: arm, Condition: cond, Metric: metrics.Metric(sum.Dimension), Statement: st, Source: "judge",
						Rate:    pairRate(r),
						Invalid: r.Invalid, Failed: sum.Failed, Z: stats.Num(r.Z), PValue: stats.Num(r.PValue),
					}
					if cond == Personalized {
						row.Study = studyMean(suite.Task, row.Metric, st)
					}
					rows = append(rows, row)
				}
			}
			var pooled []judge.PairwiseResult
			for _, cm := range cs {
				results, err := judged(arm, cond, cm.pairs)
				if err != nil {
					return rows, err
				}
				addRows(cm.statement, results)
				if cm.statement != "" {
					pooled = append(pooled, results...)
				}
			}
			if pooledOf(cs) {
				// The judgements of both statements, asked once.
				addRows(StatementPooled, pooled)
			}
		}
	}
	return rows, errors.Join(errs...)
}

func pairKey(arm string, cond Condition, item string, d judge.Dimension) string {
	return arm + "/" + string(cond) + "/" + item + "/" + string(d)
}

// pairRecord is one cached pairwise judgement.
type pairRecord struct {
	Key     string `json:"key"`
	Picked  string `json:"picked"` // "generic", "personalized" or "" (none)
	Invalid bool   `json:"invalid,omitempty"`
}

// pairCache is the optional file of JudgePairs.
type pairCache struct {
	f    *os.File
	done map[string]judge.PairwiseResult
}

func openPairCache(path string) (*pairCache, error) {
	pc := &pairCache{done: map[string]judge.PairwiseResult{}}
	if path == "" {
		return pc, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%w: pair cache: %w", ErrCheckpoint, err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: pair cache %s: %w", ErrCheckpoint, path, err)
	}
	// A line cut by a kill does not parse and is skipped; a newline is
	// added so that the next record starts on its own line.
	for _, line := range bytes.Split(b, []byte("\n")) {
		var r pairRecord
		if json.Unmarshal(line, &r) != nil || r.Key == "" {
			continue
		}
		d := judge.Dimension(r.Key[strings.LastIndexByte(r.Key, '/')+1:])
		res := judge.PairwiseResult{ID: r.Key, Dimension: d, Invalid: r.Invalid}
		switch r.Picked {
		case "generic":
			res.Picked = judge.Generic
		case "personalized":
			res.Picked = judge.Personalized
		}
		pc.done[r.Key] = res
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		if _, err := f.Write([]byte("\n")); err != nil {
			f.Close()
			return nil, fmt.Errorf("%w: pair cache %s: %w", ErrCheckpoint, path, err)
		}
	}
	pc.f = f
	return pc, nil
}

func (pc *pairCache) get(key string) (judge.PairwiseResult, bool) {
	r, ok := pc.done[key]
	return r, ok
}

// add appends the judged (not failed) results of one batch.
func (pc *pairCache) add(arm string, cond Condition, rs []judge.PairwiseResult) error {
	if pc.f == nil {
		return nil
	}
	var buf bytes.Buffer
	for _, r := range rs {
		if r.Err != nil {
			continue
		}
		rec := pairRecord{Key: pairKey(arm, cond, r.ID, r.Dimension), Invalid: r.Invalid}
		if r.Picked != judge.NoSide {
			rec.Picked = r.Picked.String()
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		buf.Write(append(b, '\n'))
	}
	if buf.Len() == 0 {
		return nil
	}
	if _, err := pc.f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%w: pair cache: %w", ErrCheckpoint, err)
	}
	return pc.f.Sync()
}

func (pc *pairCache) close() {
	if pc.f != nil {
		pc.f.Close()
	}
}
