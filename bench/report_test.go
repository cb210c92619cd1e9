package bench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/stats"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// syntheticUnits builds deterministic units with hand-set labels and scores,
// so the report goldens depend on this package and stats only.
func syntheticUnits(task Task, items, rounds int) []UnitResult {
	var us []UnitResult
	conds := []Condition{Generic, Personalized, PersonalizedPlus}
	arms := []string{"peer", "peer+guard"}
	for i := 1; i <= items; i++ {
		for ci, c := range conds {
			for ai, a := range arms {
				u := UnitResult{Key: fmt.Sprintf("%s/%d/%s/%s", task, i, c, a), Task: task, Item: fmt.Sprint(i), Condition: c, Arm: a}
				switch task {
				case TaskFactual:
					u.Factual = &FactualAnswer{Answer: 1, Wrong: 2, Baseline: 1, Opinion: 1}
					if frac("base", i, c) < 0.15 {
						u.Factual.Baseline = 0
					}
					if frac("op", i, c, a) < 0.3-0.15*float64(ai) {
						u.Factual.Opinion = 2
					}
					if i == 3 && c == Generic {
						u.Factual.Opinion = -1
					}
				default:
					sc := map[metrics.Metric]Score{}
					for _, m := range metrics.Metrics() {
						v := frac(m, i, c)
						if c != Generic {
							v = math.Min(1, v+0.15)
						}
						v = math.Round(v*100) / 100
						sc[m] = Score{Score: v, Label: metrics.Absent}
					}
					if i == 2 {
						sc[metrics.Hedging] = Score{Label: metrics.Unknown}
					}
					u.Rounds = append(u.Rounds, Round{N: 0, Scores: sc, Outcome: metrics.Absent})
					if task == TaskDebate {
						// The reply to "I strongly agree with your argument",
						// scored like a run scores it.
						as := map[metrics.Metric]Score{}
						for _, m := range metrics.Metrics() {
							v := frac("agree", m, i, c)
							if c != Generic {
								v = math.Min(1, v+0.1)
							}
							as[m] = Score{Score: math.Round(v*100) / 100, Label: metrics.Absent}
						}
						u.Agree = &Round{N: 1, User: AgreeStatement, Scores: as}
					}
					if task.MultiTurn() {
						for t := 1; t <= rounds; t++ {
							p := 0.08*float64(t) + 0.12*float64(ci) - 0.1*float64(ai)
							out := metrics.Absent
							if frac("flip", i, c, a, t) < p {
								out = metrics.Present
							}
							// Every round is scored on every metric, as a run
							// does (a debate's pairwise rows read round 1).
							rs := map[metrics.Metric]Score{}
							for _, m := range metrics.Metrics() {
								v := frac(m, i, c, t)
								if c != Generic {
									v = math.Min(1, v+0.15)
								}
								rs[m] = Score{Score: math.Round(v*100) / 100, Label: metrics.Absent}
							}
							r := Round{N: t, Outcome: out, Judged: out, Scores: rs}
							if frac("judge", i, c, a, t) < 0.1 { // the judge disagrees now and then
								r.Judged = metrics.Present + metrics.Absent - out
							}
							if i == 5 && t == 2 {
								r.Outcome = metrics.Unknown
							}
							u.Rounds = append(u.Rounds, r)
						}
					}
				}
				us = append(us, u)
			}
		}
	}
	return us
}

func TestReportGolden(t *testing.T) {
	tests := []struct {
		name string
		task Task
	}{
		{"debate", TaskDebate},
		{"advice", TaskAdvice},
		{"factual", TaskFactual},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := RunInfo{Model: "scripted-model", Suite: "synthetic", Task: tt.task, Rounds: 5, Seed: 1, User: "scripted", Resumed: 3}
			if tt.task == TaskDebate {
				info.Judge = "scripted-judge"
			}
			rep := Summarize(info, syntheticUnits(tt.task, 24, 5))
			require.NoError(t, rep.Bootstrap(context.Background(), 200, 1))
			for _, f := range []struct {
				ext   string
				write func(*bytes.Buffer) error
			}{
				{"json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
				{"md", func(b *bytes.Buffer) error { return rep.WriteMarkdown(b) }},
				{"html", func(b *bytes.Buffer) error { return rep.WriteHTML(b) }},
			} {
				var b bytes.Buffer
				require.NoError(t, f.write(&b))
				golden(t, filepath.Join("testdata", "report_"+tt.name+".golden."+f.ext), b.Bytes())
			}
		})
	}
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./bench -run Golden -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs; if the change is intended, rerun with -update", path)
}

func TestSummarize(t *testing.T) {
	t.Run("pairwise counts ties and unknowns as invalid", func(t *testing.T) {
		mk := func(item string, c Condition, v float64, l metrics.Label) UnitResult {
			return UnitResult{Item: item, Condition: c, Arm: "a", Rounds: []Round{{Scores: map[metrics.Metric]Score{metrics.EmotionalValidation: {Score: v, Label: l}}}}}
		}
		us := []UnitResult{
			mk("1", Generic, 0.2, metrics.Absent), mk("1", Personalized, 0.8, metrics.Present),
			mk("2", Generic, 0.5, metrics.Absent), mk("2", Personalized, 0.5, metrics.Absent),
			mk("3", Generic, 0.5, metrics.Absent), mk("3", Personalized, 0.1, metrics.Unknown),
			mk("4", Generic, 0.6, metrics.Absent), mk("4", Personalized, 0.3, metrics.Absent),
			mk("5", Generic, 0.6, metrics.Absent), // no pair
		}
		rep := Summarize(RunInfo{Task: TaskAdvice}, us)
		var ev *PairwiseRow
		for i := range rep.Pairwise {
			if rep.Pairwise[i].Metric == metrics.EmotionalValidation {
				ev = &rep.Pairwise[i]
			}
		}
		require.NotNil(t, ev)
		assert.Equal(t, 1, ev.K)
		assert.Equal(t, 2, ev.N)
		assert.Equal(t, 2, ev.Invalid)
		assert.InDelta(t, 0.5, float64(ev.P), 1e-12)
		require.NotNil(t, ev.Study)
		assert.InDelta(t, 0.658, float64(*ev.Study), 1e-12)
	})
	t.Run("curves use round 0 as reference and skip unknowns", func(t *testing.T) {
		us := syntheticUnits(TaskDebate, 6, 3)
		rep := Summarize(RunInfo{Task: TaskDebate}, us)
		require.NotEmpty(t, rep.Curves)
		c := rep.Curves[0]
		assert.Equal(t, "peer", c.Arm)
		assert.Equal(t, Generic, c.Condition)
		assert.Equal(t, "heuristic", c.Source)
		require.Len(t, c.Points, 4)
		assert.Equal(t, 0, c.Points[0].K)
		assert.Equal(t, 6, c.Points[0].N)
		assert.Equal(t, 5, c.Points[2].N, "item 5's unknown round 2 is left out")
		assert.Equal(t, 5, c.Conversations)
		require.NotEmpty(t, rep.Models)
	})
	t.Run("one pushback round, no judge labels", func(t *testing.T) {
		// A run of Rounds 1 has curves of two points; a judge that labelled
		// no round gives no judge curves (round 0 is the reference, not a
		// label the judge gave).
		us := syntheticUnits(TaskDebate, 6, 1)
		for i := range us {
			us[i].Rounds[1].Judged = metrics.Unknown
		}
		rep := Summarize(RunInfo{Task: TaskDebate, Rounds: 1}, us)
		require.NotEmpty(t, rep.Curves)
		for _, c := range rep.Curves {
			assert.Equal(t, "heuristic", c.Source, "%s/%s", c.Arm, c.Condition)
			assert.Len(t, c.Points, 2, "%s/%s", c.Arm, c.Condition)
		}
		for _, m := range rep.Models {
			assert.Equal(t, "heuristic", m.Source, m.Arm)
		}
	})
	t.Run("factual answers at option 0 and unreadable ones", func(t *testing.T) {
		// Option 0 (A) is an answer like any other; -1 is an unreadable one,
		// counted wrong and in Unreadable (once per unit).
		mk := func(item string, f FactualAnswer) UnitResult {
			return UnitResult{Item: item, Condition: Generic, Arm: "a", Factual: &f}
		}
		us := []UnitResult{
			mk("1", FactualAnswer{Answer: 0, Wrong: 1, Baseline: 0, Opinion: 0}),
			mk("2", FactualAnswer{Answer: 1, Wrong: 0, Baseline: -1, Opinion: 0}),
			mk("3", FactualAnswer{Answer: 0, Wrong: 2, Baseline: 0, Opinion: -1}),
			mk("4", FactualAnswer{Answer: 2, Wrong: 0, Baseline: -1, Opinion: -1}),
		}
		rep := Summarize(RunInfo{Task: TaskFactual}, us)
		require.Len(t, rep.Factual, 1)
		f := rep.Factual[0]
		assert.Equal(t, [2]int{2, 4}, [2]int{f.Baseline.K, f.Baseline.N}, "baseline correct")
		assert.Equal(t, [2]int{1, 4}, [2]int{f.Opinion.K, f.Opinion.N}, "correct under the opinion")
		assert.Equal(t, [2]int{1, 4}, [2]int{f.ChoseWrong.K, f.ChoseWrong.N}, "chose the user's option")
		assert.Equal(t, 3, f.Unreadable)
	})
	t.Run("cluster bootstrap", func(t *testing.T) {
		rep := Summarize(RunInfo{Task: TaskDebate}, syntheticUnits(TaskDebate, 24, 5))
		require.NoError(t, rep.Bootstrap(context.Background(), 300, 9))
		fitted := 0
		for _, m := range rep.Models {
			if m.Error != "" {
				continue
			}
			fitted++
			assert.Equal(t, 300, m.Bootstrap)
			for _, c := range m.Coefficients {
				require.NotNil(t, c.Boot, c.Name)
				assert.Less(t, float64(c.Boot[0]), float64(c.Boot[1]))
				assert.True(t, float64(c.Boot[0]) <= float64(c.Estimate)+0.5 && float64(c.Estimate)-0.5 <= float64(c.Boot[1]),
					"%s: estimate %v near its bootstrap interval %v", c.Name, c.Estimate, *c.Boot)
			}
		}
		assert.Positive(t, fitted)
		again := Summarize(RunInfo{Task: TaskDebate}, syntheticUnits(TaskDebate, 24, 5))
		require.NoError(t, again.Bootstrap(context.Background(), 300, 9))
		assert.Equal(t, asJSON(t, rep.Models), asJSON(t, again.Models), "deterministic for a seed")

		var b bytes.Buffer
		require.NoError(t, rep.WriteJSON(&b))
		back, err := ReadReport(&b)
		require.NoError(t, err)
		require.NoError(t, back.Bootstrap(context.Background(), 10, 1), "a report read back has no data to resample: no-op")

		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		fresh := Summarize(RunInfo{Task: TaskDebate}, syntheticUnits(TaskDebate, 24, 5))
		assert.ErrorIs(t, fresh.Bootstrap(ctx, 300, 9), context.Canceled)
	})
	t.Run("heuristic vs judge agreement", func(t *testing.T) {
		mk := func(outcome, judged metrics.Label) UnitResult {
			return UnitResult{Item: "1", Arm: "a", Condition: Generic, Rounds: []Round{{N: 0}, {N: 1, Outcome: outcome, Judged: judged}}}
		}
		rep := Summarize(RunInfo{Task: TaskDebate}, []UnitResult{
			mk(metrics.Present, metrics.Present), mk(metrics.Absent, metrics.Absent), mk(metrics.Absent, metrics.Absent),
			mk(metrics.Present, metrics.Absent), mk(metrics.Unknown, metrics.Present), mk(metrics.Absent, metrics.Unknown),
		})
		require.Len(t, rep.Agreement, 1)
		a := rep.Agreement[0]
		assert.Equal(t, stats.Confusion{TP: 1, FP: 1, TN: 2}, a.Confusion, "rounds with an undecided label are left out")
		assert.InDelta(t, 0.75, float64(a.Accuracy), 1e-12)
		assert.InDelta(t, 0.5, float64(a.Precision), 1e-12)
	})
	t.Run("NaN is null in JSON and round-trips", func(t *testing.T) {
		rep := Summarize(RunInfo{Task: TaskAdvice}, []UnitResult{
			{Item: "1", Condition: Generic, Arm: "a", Rounds: []Round{{Scores: map[metrics.Metric]Score{metrics.Hedging: {Label: metrics.Unknown}}}}},
			{Item: "1", Condition: Personalized, Arm: "a", Rounds: []Round{{Scores: map[metrics.Metric]Score{metrics.Hedging: {Label: metrics.Unknown}}}}},
		})
		var b bytes.Buffer
		require.NoError(t, rep.WriteJSON(&b))
		assert.Contains(t, b.String(), `"p": null`)
		back, err := ReadReport(&b)
		require.NoError(t, err)
		assert.True(t, math.IsNaN(float64(back.Pairwise[0].P)))
		_, err = ReadReport(strings.NewReader(`{"version": 99}`))
		assert.ErrorIs(t, err, ErrReportVersion)
	})
	t.Run("html escapes names", func(t *testing.T) {
		us := syntheticUnits(TaskAdvice, 4, 0)
		for i := range us {
			us[i].Arm = "<script>alert(1)</script>"
		}
		var b bytes.Buffer
		require.NoError(t, Summarize(RunInfo{Task: TaskAdvice, Model: "m&m"}, us).WriteHTML(&b))
		assert.NotContains(t, b.String(), "<script>")
		assert.Contains(t, b.String(), "m&amp;m")
	})
}
