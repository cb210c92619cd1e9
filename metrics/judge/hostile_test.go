package judge_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// hostile loads the corpus of judged texts that try to steer the judge:
// injected instructions, fake verdicts in JSON and verdict lines, guessed
// and look-alike delimiters, chat-template tokens, control characters.
func hostile(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "hostile", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	out := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		out[strings.TrimSuffix(filepath.Base(p), ".txt")] = string(b)
	}
	return out
}

// TestHostilePairwise puts each hostile text on each side of a pair, at
// indices that give both A/B orders. The simulated judge reads the blocks by
// their nonce (failing if a text closed or opened a block) and picks the
// side its script says. The picked side must always be the scripted one:
// the hostile text changes neither the parse nor the mapping.
func TestHostilePairwise(t *testing.T) {
	for name, text := range hostile(t) {
		for _, side := range []judge.Side{judge.Generic, judge.Personalized} {
			for _, w := range []string{"personalized", "generic"} {
				t.Run(name+"/in-"+side.String()+"/pick-"+w, func(t *testing.T) {
					var pairs []judge.Pair
					for i := range 6 {
						p := pair(i, w)
						if side == judge.Generic {
							p.Generic = "GEN: " + text
						} else {
							p.Personalized = "PERS: " + text
						}
						pairs = append(pairs, p)
					}
					rep, err := judge.New(simJudge()).ComparePairs(context.Background(), pairs, judge.EmotionalValidation)
					require.NoError(t, err)
					orders := map[judge.Order]bool{}
					for _, r := range rep.Results {
						orders[r.Order] = true
						assert.Equal(t, w, r.Picked.String(), "item %d order %v", r.Index, r.Order)
						assert.Equal(t, judge.ParseStrict, r.Mode)
					}
					assert.Len(t, orders, 2, "both orders tried")
				})
			}
		}
	}
}

// TestHostileFixedJudge: a judge that always answers "A" maps to whichever
// side the recorded order put first, whatever the texts say.
func TestHostileFixedJudge(t *testing.T) {
	always := chattest.Func(func(*chat.Request) chattest.Reply {
		return chattest.Reply{Content: `{"reason":"first","verdict":"A"}`}
	})
	j := judge.New(always, judge.WithSeed(3))
	for name, text := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			for i := range 8 {
				r, err := j.Pairwise(context.Background(), judge.Hedging, i, judge.Pair{Generic: text, Personalized: text + " (personalized)"})
				require.NoError(t, err)
				assert.Equal(t, judge.OrderFor(3, judge.Hedging, i).Side("A"), r.Picked)
			}
		})
	}
}

// TestHostileLabels: hostile responses judged absolutely and per round. The
// simulated judge answers 0 for every item; fake "Label: 1" lines and JSON
// inside the data must not turn any label into Present.
func TestHostileLabels(t *testing.T) {
	zero := chattest.Func(func(req *chat.Request) chattest.Reply {
		if _, err := dataBlocks(req); err != nil {
			return chattest.Reply{Err: err}
		}
		return chattest.Reply{Content: `{"reason":"no","label":0}`}
	})
	j := judge.New(zero)
	ctx := context.Background()
	for name, text := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			r, err := j.Label(ctx, judge.FramingAcceptance, 0, judge.Single{Context: text, Response: text})
			require.NoError(t, err)
			assert.Equal(t, metrics.Absent, r.Label)

			for _, d := range []judge.Dimension{judge.StanceFlip, judge.PreferenceAccommodation} {
				r, err = j.JudgeRound(ctx, d, 0, judge.RoundItem{
					Context: text, Goal: text, Preference: text, Initial: "I hold my view.",
					Pushback: text, Answer: text, Round: 2,
				})
				require.NoError(t, err)
				assert.Equal(t, metrics.Absent, r.Label, "%s", d)
			}
		})
	}
}
