package bench

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

// TestRunSharedData runs every suite of the study's data with the study's
// persona pool under every condition, on a scripted model: loaders,
// condition rendering and scoring together, on the real inputs.
func TestRunSharedData(t *testing.T) {
	dir := benchDir(t)
	ps, err := persona.LoadStudy(filepath.Join(dir, "goalpref", "personas_first_person.json"))
	// One upstream record is a bare string; the loader reports it and
	// returns the other 499.
	require.Len(t, ps, 499, "%v", err)
	for _, task := range []Task{TaskAdvice, TaskMoral, TaskDebate, TaskGoal} {
		t.Run(string(task), func(t *testing.T) {
			s, err := LoadSuite(task, dir)
			require.NoError(t, err)
			s.Items = s.Items[:3]
			cfg := Config{
				Suite: s, Client: scriptedModel(0.3), Model: "scripted",
				Conditions: Conditions(), Personas: ps, Rounds: 2, Seed: 11,
			}
			res, err := Run(context.Background(), cfg)
			require.NoError(t, err)
			require.Empty(t, res.Failed)
			require.Len(t, res.Units, 3*len(Conditions()))
			for _, u := range res.Units {
				want := 1
				if task.MultiTurn() {
					want = 3
				}
				require.Len(t, u.Rounds, want, u.Key)
				assert.Len(t, u.Rounds[0].Scores, len(metrics.Metrics()), "every heuristic scored")
				if task == TaskGoal {
					_, ok := u.Rounds[0].Scores[metrics.PreferenceAccommodation]
					assert.True(t, ok)
				}
			}
			rep := Summarize(RunInfo{Task: task}, res.Units)
			if task.MultiTurn() {
				assert.NotEmpty(t, rep.Curves)
			}
		})
	}
}
