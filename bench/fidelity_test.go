package bench

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/metrics"
)

// TestModelFitsPushbackRoundsOnly: the outcome is defined against round 0,
// so round 0 is not an observation of it (a debate's round 0 cannot flip,
// and the judge never labels it). A flip rate that is the same at every
// pushback round is no drift: the fitted per-round slope must be 0, not
// the rise from a structural 0% at round 0 to the first round's rate.
func TestModelFitsPushbackRoundsOnly(t *testing.T) {
	const items, rounds = 20, 5
	var us []UnitResult
	for i := range items {
		for _, c := range []Condition{Generic, Personalized} {
			u := UnitResult{Key: fmt.Sprintf("debate/%d/%s/a", i, c), Task: TaskDebate, Item: fmt.Sprint(i), Condition: c, Arm: "a",
				Rounds: []Round{{N: 0, Outcome: metrics.Absent}}}
			for r := 1; r <= rounds; r++ {
				// 30% of conversations flip at every round, in both conditions,
				// alternating which ones so that each round has the same rate.
				out := metrics.Absent
				if (i+r)%10 < 3 {
					out = metrics.Present
				}
				u.Rounds = append(u.Rounds, Round{N: r, Outcome: out, Judged: out})
			}
			us = append(us, u)
		}
	}
	rep := Summarize(RunInfo{Task: TaskDebate}, us)
	require.Len(t, rep.Models, 2, "heuristic and judge")
	for _, m := range rep.Models {
		require.Empty(t, m.Error, m.Source)
		assert.Equal(t, 2*items*rounds, m.N, "%s: one observation per pushback round", m.Source)
		require.Equal(t, "round", m.Coefficients[1].Name)
		assert.InDelta(t, 0, float64(m.Coefficients[1].Estimate), 1e-6, "%s: no drift across pushback rounds", m.Source)
	}
}

// TestRunRefusesWhatItWouldIgnore: a setting Run cannot honour is an error,
// not a run that quietly does something else.
func TestRunRefusesWhatItWouldIgnore(t *testing.T) {
	tests := []struct {
		name string
		mod  func(c *Config)
		want error
	}{
		{"resume without a checkpoint", func(c *Config) { c.Resume = true }, ErrBadConfig},
		{"user model without a user", func(c *Config) { c.UserModel = "sim" }, ErrBadConfig},
		{"negative concurrency", func(c *Config) { c.Concurrency = -2 }, ErrBadConfig},
		{"negative retry attempts", func(c *Config) { c.Retry.Attempts = -1 }, ErrBadConfig},
		{"negative backoff", func(c *Config) { c.Retry.Base = -time.Second }, ErrBadConfig},
		{"negative max tokens", func(c *Config) { c.MaxTokens = -5 }, ErrBadConfig},
		{"negative temperature", func(c *Config) { c.Temperature = new(-0.5) }, ErrBadConfig},
		{"NaN temperature", func(c *Config) { c.Temperature = new(math.NaN()) }, ErrBadConfig},
		{"infinite temperature", func(c *Config) { c.Temperature = new(math.Inf(1)) }, ErrBadConfig},
		{"duplicate item id", func(c *Config) { c.Suite.Items[1].ID = c.Suite.Items[0].ID }, ErrBadConfig},
		{"item of another task", func(c *Config) { c.Suite.Items[0].Task = TaskAdvice }, ErrBadConfig},
		{"debate item without its stance", func(c *Config) { c.Suite.Items[0].Debate = nil }, ErrMalformed},
		{"goal item without its scenario", func(c *Config) {
			c.Suite = &Suite{Name: "g", Task: TaskGoal, Items: []Item{{ID: "1", Task: TaskGoal, Prompt: "p"}}}
		}, ErrMalformed},
		{"factual item without options", func(c *Config) {
			c.Suite = &Suite{Name: "f", Task: TaskFactual, Items: []Item{{ID: "1", Task: TaskFactual, Prompt: "p"}}}
		}, ErrMalformed},
		{"factual answer out of range", func(c *Config) {
			c.Suite = &Suite{Name: "f", Task: TaskFactual, Items: []Item{{ID: "1", Task: TaskFactual, Prompt: "p",
				Choice: &Choice{Options: []string{"a", "b"}, Answer: 2, Wrong: 0}}}}
		}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig(2)
			tt.mod(&cfg)
			res, err := Run(context.Background(), cfg)
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, res)
		})
	}
}

// TestResumeRefusesAnotherPersonaPool: the fingerprint records only the
// size of the persona pool, so a resume with another pool of the same size
// would pair one pool's resumed units with the other's new ones. Each unit
// records its persona; a resumed unit whose persona is not the one this
// configuration assigns is refused.
func TestResumeRefusesAnotherPersonaPool(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	cfg := baseConfig(3)
	cfg.Checkpoint = path
	cfg.Conditions = []Condition{Generic, Personalized}
	_, err := Run(context.Background(), cfg)
	require.NoError(t, err)

	cfg.Resume = true
	cfg.Conditions = []Condition{Generic, Personalized, PersonalizedPlus}
	other := testPersonas()
	for i := range other {
		other[i].ID = "other-" + other[i].ID
	}
	cfg.Personas = other
	res, err := Run(context.Background(), cfg)
	assert.ErrorIs(t, err, ErrCheckpoint)
	assert.ErrorContains(t, err, "persona")
	assert.Nil(t, res)

	cfg.Personas = testPersonas()
	res, err = Run(context.Background(), cfg)
	require.NoError(t, err, "the same pool resumes")
	assert.Equal(t, 6, res.Resumed)
}

// TestHTMLFactualTestedLikeMarkdown: the HTML page promises the tables of
// the Markdown report; the factual control's chi-square p is one of them.
func TestHTMLFactualTestedLikeMarkdown(t *testing.T) {
	rep := Summarize(RunInfo{Task: TaskFactual}, syntheticUnits(TaskFactual, 24, 0))
	require.NotEmpty(t, rep.Factual)
	var md, page bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteHTML(&page))
	p := pval(rep.Factual[0].PValue)
	assert.Contains(t, md.String(), "χ² p")
	assert.Contains(t, page.String(), "<th>χ² p</th>")
	assert.Contains(t, page.String(), "<td>"+p+"</td>")
}

// TestModelFitsTheConditionsAnArmHas: an arm without any conversation of
// one condition (its units failed, or the run stopped before them) is
// fitted over the conditions it has, not refused as a singular design.
func TestModelFitsTheConditionsAnArmHas(t *testing.T) {
	var us []UnitResult
	for _, u := range syntheticUnits(TaskDebate, 24, 5) {
		if u.Arm == "peer+guard" && u.Condition == PersonalizedPlus {
			continue
		}
		us = append(us, u)
	}
	rep := Summarize(RunInfo{Task: TaskDebate}, us)
	require.Len(t, rep.Models, 4)
	for _, m := range rep.Models {
		require.Empty(t, m.Error, "%s/%s", m.Arm, m.Source)
		names := []string{}
		for _, c := range m.Coefficients {
			names = append(names, c.Name)
		}
		if m.Arm == "peer+guard" {
			assert.Equal(t, []string{"(Intercept)", "round", "condition[personalized]"}, names)
		} else {
			assert.Contains(t, names, "condition[personalized+]")
		}
	}
}

// A one-turn report does not claim pushback rounds, and a judge row shows
// the pairs the judge could not be asked about beside the invalid ones.
func TestReportHeaderAndFailedPairs(t *testing.T) {
	rep := &Report{Run: RunInfo{Task: TaskAdvice, Rounds: 5, User: "scripted"}, Units: 2,
		Pairwise: []PairwiseRow{{Arm: "a", Condition: Personalized, Metric: "hedging", Source: "judge", Invalid: 1, Failed: 3}}}
	var md, html strings.Builder
	require.NoError(t, rep.WriteMarkdown(&md))
	require.NoError(t, rep.WriteHTML(&html))
	for name, out := range map[string]string{"markdown": md.String(), "html": html.String()} {
		assert.NotContains(t, out, "pushback rounds", name)
		assert.Contains(t, out, "1 (+3 failed)", name)
	}
	rep.Run.Task = TaskDebate
	md.Reset()
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, md.String(), "5 pushback rounds; pushback: scripted")
}
