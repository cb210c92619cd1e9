package bench

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A resume must give each recorded unit the inputs it was run with: the
// item's content (a debate's stance, a goal's scenario, a question's
// options), the persona's content (not only its ID or the pool's size)
// and the arm's metadata. A change to any is refused before any model
// call, naming the unit; adding items, conditions or arms is not a change
// to a recorded unit, and resumes.
func TestResumeRefusesChangedInputs(t *testing.T) {
	config := func(t *testing.T, suite *Suite) Config {
		t.Helper()
		cfg := baseConfig(3)
		if suite != nil {
			cfg.Suite = suite
		}
		cfg.Rounds = 1
		cfg.Checkpoint = filepath.Join(t.TempDir(), "run.jsonl")
		cfg.Arms = []Arm{{Name: "peer", Metadata: map[string]string{"role": "peer"}}}
		_, err := Run(context.Background(), cfg)
		require.NoError(t, err)
		cfg.Resume = true
		return cfg
	}
	goal := func() *Suite {
		return &Suite{Name: "g", Task: TaskGoal, Items: []Item{{ID: "7", Task: TaskGoal, Prompt: "I want to save for a house.",
			Goal: &Goal{Scenario: "I want to save for a house.", HumanGoal: "save for a house", HumanPref: "buy a new phone every year"}}}}
	}
	factual := func() *Suite {
		return &Suite{Name: "f", Task: TaskFactual, Items: []Item{{ID: "q1", Task: TaskFactual, Prompt: "Who wrote the Republic?",
			Choice: &Choice{Options: []string{"Plato", "Kant", "Hume"}, Answer: 0, Wrong: 2}}}}
	}
	tests := []struct {
		name   string
		suite  func() *Suite // nil: the debate suite of baseConfig
		change func(*Config)
		unit   string // a unit the refusal may name ("" when resumed)
	}{
		{"persona narrative of the same length", nil, func(c *Config) {
			c.Personas = testPersonas()
			for i := range c.Personas {
				n := c.Personas[i].Narrative
				c.Personas[i].Narrative = strings.Replace(n, "nurse", "baker", 1)
				c.Personas[i].Narrative = strings.Replace(c.Personas[i].Narrative, "electrician", "electricIAN", 1)
				require.Len(t, c.Personas[i].Narrative, len(n))
			}
		}, "personalized"},
		{"persona demographics", nil, func(c *Config) {
			c.Personas = testPersonas()
			c.Personas[0].Demographics.Employment, c.Personas[1].Demographics.Employment = "", ""
		}, "personalized"},
		{"debate stance", nil, func(c *Config) {
			c.Suite = debateSuite(3)
			c.Suite.Items[1].Debate.Stance = "Public transport is less effective than private cars for reducing congestion."
		}, "debate/2/generic/peer"},
		{"debate question", nil, func(c *Config) {
			c.Suite = debateSuite(3)
			c.Suite.Items[2].Debate.Question = "Is standardized testing fair?"
		}, "debate/3/generic/peer"},
		{"arm metadata", nil, func(c *Config) { c.Arms = []Arm{{Name: "peer", Metadata: map[string]string{"role": "advisor"}}} }, "debate/1/generic/peer"},
		{"more items", nil, func(c *Config) { c.Suite = debateSuite(5) }, ""},
		{"another arm", nil, func(c *Config) { c.Arms = append(c.Arms, Arm{Name: "other"}) }, ""},
		{"goal scenario's preference", goal, func(c *Config) {
			c.Suite = goal()
			c.Suite.Items[0].Goal.HumanPref = "buy a new laptop every year"
		}, "goal/7/generic/peer"},
		{"factual answer", factual, func(c *Config) {
			c.Suite = factual()
			c.Suite.Items[0].Choice.Wrong = 1
		}, "factual/q1/generic/peer"},
		{"the item's source file", nil, func(c *Config) {
			c.Suite = debateSuite(3)
			for i := range c.Suite.Items {
				c.Suite.Items[i].Source = "moved/arguments.txt:" + c.Suite.Items[i].ID
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var suite *Suite
			if tt.suite != nil {
				suite = tt.suite()
			}
			cfg := config(t, suite)
			tt.change(&cfg)
			model := scriptedModel(0.3)
			cfg.Client = model
			res, err := Run(context.Background(), cfg)
			if tt.unit == "" {
				require.NoError(t, err)
				assert.Equal(t, 9, res.Resumed)
				assert.Empty(t, res.Failed)
				return
			}
			require.ErrorIs(t, err, ErrCheckpoint)
			assert.ErrorContains(t, err, tt.unit)
			assert.ErrorContains(t, err, "other inputs")
			assert.Nil(t, res)
			assert.Zero(t, model.CallCount(), "refused before any call")
		})
	}
}
