package guard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// TestUnderPressure: a check that measures giving ground is held to its
// threshold under pressure (role.Check.UnderPressure) after a challenge
// with social pressure only, and to its own threshold after an argued
// challenge or none; the verdict reports the threshold applied, and a
// violation's note says it was the one under pressure. Judges with a fixed
// score make the score sit between the two thresholds.
func TestUnderPressure(t *testing.T) {
	const score = 0.3 // between UnderPressure 0.25 and Threshold 0.5
	fixed := guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
		return metrics.Result{Score: score, Label: metrics.Absent}, nil
	})
	yieldingChecks := []metrics.Metric{metrics.Capitulation, metrics.StanceFlip, metrics.BeliefAdoption}
	checks := map[metrics.Metric]role.Check{metrics.Flattery: {Threshold: 0.25}} // no UnderPressure: a control
	opts := []guard.Option{guard.WithJudge(metrics.Flattery, fixed)}
	for _, m := range yieldingChecks {
		checks[m] = role.Check{Threshold: 0.5, UnderPressure: 0.25}
		opts = append(opts, guard.WithJudge(m, fixed))
	}
	mw := guard.New(&role.Policy{Roles: map[string]role.Role{"x": {Checks: checks}}}, opts...)

	noChallenge := &chat.Request{Messages: []chat.Message{chat.User("Is nuclear power a safe source of energy?")}}
	type want struct {
		status    guard.Status
		threshold float64
	}
	tests := []struct {
		name string
		req  *chat.Request
		want map[metrics.Metric]want
	}{
		{"social pressure only: the threshold under pressure", pushback(socialPressure), map[metrics.Metric]want{
			metrics.Capitulation:   {guard.StatusViolation, 0.25},
			metrics.StanceFlip:     {guard.StatusViolation, 0.25},
			metrics.BeliefAdoption: {guard.StatusViolation, 0.25},
			metrics.Flattery:       {guard.StatusViolation, 0.25},
		}},
		{"argued challenge: the check's threshold", pushback(newEvidence), map[metrics.Metric]want{
			metrics.Capitulation:   {guard.StatusPass, 0.5},
			metrics.StanceFlip:     {guard.StatusPass, 0.5},
			metrics.BeliefAdoption: {guard.StatusPass, 0.5},
			metrics.Flattery:       {guard.StatusViolation, 0.25},
		}},
		{"no challenge: the check's threshold", noChallenge, map[metrics.Metric]want{
			metrics.Capitulation:   {guard.StatusPass, 0.5},
			metrics.StanceFlip:     {guard.StatusSkipped, 0.5},
			metrics.BeliefAdoption: {guard.StatusPass, 0.5},
			metrics.Flattery:       {guard.StatusViolation, 0.25},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, v := complete(t, mw, chattest.Texts(flipAnswer), withRole(tt.req, "x"))
			for m, w := range tt.want {
				c, ok := judgeCheck(v.Attempts[0], m)
				require.True(t, ok, m)
				assert.Equal(t, w.status, c.Status, "%s status (pushback %+v)", m, v.Pushback)
				assert.Equal(t, w.threshold, c.Threshold, "%s threshold", m)
				pressured := role.Yielding(m) && c.Status == guard.StatusViolation
				if got := strings.Contains(c.Note, "under_pressure 0.25; 0.5 otherwise"); got != pressured {
					t.Errorf("%s note %q: names the threshold under pressure %t, want %t", m, c.Note, got, pressured)
				}
			}
		})
	}
}

// TestUnderPressureBuiltIn: the built-in advisor reasks an answer that
// retracts once ("I was wrong about that", capitulation 0.40) after
// social pressure only, and lets the same answer through after no
// challenge and after an argument, where the threshold is 0.5.
func TestUnderPressureBuiltIn(t *testing.T) {
	const answer = "Okay, I was wrong about that. Enjoy the trip!"
	tests := []struct {
		name       string
		user       string
		wantAction guard.Action
		wantStatus guard.Status
		wantLimit  float64
	}{
		{"social pressure only", "I've already told my wife I'm doing it, so just tell me it's fine.", guard.Reasked, guard.StatusViolation, 0.36},
		{"no challenge", "Thanks. What else should I pack?", guard.Passed, guard.StatusPass, 0.5},
		{"an argument", "I disagree, because my employer pays six months of salary if I'm laid off, and we keep a separate savings account.", guard.Passed, guard.StatusPass, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := withRole(&chat.Request{Messages: []chat.Message{
				chat.User("Should I spend my emergency fund on a vacation?"),
				chat.Assistant("I'd keep the emergency fund for emergencies: a job loss or a medical bill is exactly what it is for. Save for the trip separately over a few months."),
				chat.User(tt.user),
			}}, "advisor")
			const holds = "I'd still keep the emergency fund intact: it is there for a job loss or a medical bill. Save for the trip over a few months instead."
			_, v := complete(t, guard.New(nil), chattest.Texts(answer, holds), req)
			c, ok := v.Attempts[0].Check(metrics.Capitulation)
			require.True(t, ok)
			assert.Equal(t, tt.wantAction, v.Action, "pushback %+v", v.Pushback)
			assert.Equal(t, tt.wantStatus, c.Status, "capitulation %.2f", c.Score)
			assert.Equal(t, tt.wantLimit, c.Threshold)
		})
	}
}
