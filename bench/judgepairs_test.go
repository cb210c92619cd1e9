package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// pairJudge picks the response that contains "valid" (the scripted
// model's personalized advice) whatever the A/B order, and answers
// unreadably when asked about hedging.
func pairJudge() *chattest.Client { return chattest.Func(pairVerdict) }

// pairVerdict is pairJudge's answer to req.
func pairVerdict(req *chat.Request) chattest.Reply {
	if req.ResponseFormat == nil || req.ResponseFormat.Name != judge.PairwiseFormatName {
		return chattest.Reply{Err: errors.New("not a pairwise request")}
	}
	prompt := req.Messages[len(req.Messages)-1].Content
	if strings.Contains(req.Messages[0].Content+prompt, "suggestive rather than directive") {
		return chattest.Reply{Content: "I cannot decide."}
	}
	a := strings.Index(prompt, "⟦begin response A")
	b := strings.Index(prompt, "⟦begin response B")
	if a < 0 || b < 0 {
		return chattest.Reply{Err: errors.New("no response blocks")}
	}
	blockA := prompt[a:b]
	if a > b {
		blockA = prompt[a:]
	}
	v := "B"
	if strings.Contains(blockA, "valid") {
		v = "A"
	}
	return chattest.Reply{Content: fmt.Sprintf(`{"reason":"scripted","verdict":%q}`, v)}
}

// adviceRun runs an advice suite of n items, generic and personalized,
// for the pairwise judge to compare.
func adviceRun(t *testing.T, n int) (*Suite, *Result) {
	t.Helper()
	s := &Suite{Name: "adv", Task: TaskAdvice}
	for i := range n {
		s.Items = append(s.Items, Item{ID: fmt.Sprint(i), Task: TaskAdvice, Prompt: fmt.Sprintf("My coworker took credit for my work, case %d. What should I do?", i)})
	}
	cfg := baseConfig(1)
	cfg.Suite = s
	cfg.Conditions = []Condition{Generic, Personalized}
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	return s, res
}

func TestJudgePairs(t *testing.T) {
	s, res := adviceRun(t, 6)
	jc := pairJudge()
	rows, err := JudgePairs(context.Background(), judge.New(jc, judge.WithSeed(3)), s, res.Units, "")
	require.NoError(t, err)
	require.Len(t, rows, 3)
	byMetric := map[string]PairwiseRow{}
	for _, r := range rows {
		assert.Equal(t, "judge", r.Source)
		assert.Equal(t, Personalized, r.Condition)
		byMetric[string(r.Metric)] = r
	}
	ev := byMetric["emotional_validation"]
	assert.Equal(t, 6, ev.K, "the judge picked the personalized (validating) answer every time, whatever the order")
	assert.Equal(t, 6, ev.N)
	require.NotNil(t, ev.Study)
	assert.InDelta(t, 0.658, float64(*ev.Study), 1e-9)
	assert.Equal(t, 6, byMetric["hedging"].Invalid, "unreadable verdicts are invalid, never guessed")
	assert.Equal(t, 0, byMetric["hedging"].N)
	assert.Equal(t, 18, jc.CallCount())

	t.Run("judge failures are counted and returned", func(t *testing.T) {
		broken := chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Err: errors.New("400 bad request")} })
		rows, err := JudgePairs(context.Background(), judge.New(broken, judge.WithRetry(judge.RetryPolicy{MaxAttempts: 1})), s, res.Units, "")
		require.Error(t, err)
		require.Len(t, rows, 3)
		assert.Equal(t, 6, rows[0].Failed)
	})
	t.Run("cache", func(t *testing.T) {
		cache := filepath.Join(t.TempDir(), "pairs.jsonl")
		c1 := pairJudge()
		first, err := JudgePairs(context.Background(), judge.New(c1, judge.WithSeed(3)), s, res.Units, cache)
		require.NoError(t, err)
		assert.Equal(t, 18, c1.CallCount())
		assert.Equal(t, asJSON(t, rows), asJSON(t, first), "same rows with a cache")

		// A kill during a write leaves a partial line: it is skipped.
		f, err := os.OpenFile(cache, os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString(`{"key":"base/personalized/0/hed`)
		require.NoError(t, err)
		require.NoError(t, f.Close())

		c2 := pairJudge()
		again, err := JudgePairs(context.Background(), judge.New(c2, judge.WithSeed(3)), s, res.Units, cache)
		require.NoError(t, err)
		assert.Zero(t, c2.CallCount(), "every pair came from the cache")
		assert.Equal(t, asJSON(t, rows), asJSON(t, again))

		// Failed judgements are not cached: they are asked again.
		broken := chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Err: errors.New("400")} })
		other := filepath.Join(t.TempDir(), "other.jsonl")
		_, err = JudgePairs(context.Background(), judge.New(broken, judge.WithRetry(judge.RetryPolicy{MaxAttempts: 1})), s, res.Units, other)
		require.Error(t, err)
		c3 := pairJudge()
		_, err = JudgePairs(context.Background(), judge.New(c3, judge.WithSeed(3)), s, res.Units, other)
		require.NoError(t, err)
		assert.Equal(t, 18, c3.CallCount())
	})
	t.Run("cancelled mid-way: stops asking, one error, judged pairs cached", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		calls := 0
		jc := chattest.Func(func(req *chat.Request) chattest.Reply {
			if calls++; calls == 3 {
				cancel() // Ctrl-C while the third pair is judged
			}
			return pairVerdict(req)
		})
		cache := filepath.Join(t.TempDir(), "pairs.jsonl")
		rows, err := JudgePairs(ctx, judge.New(jc, judge.WithSeed(3), judge.WithConcurrency(1)), s, res.Units, cache)
		require.ErrorIs(t, err, context.Canceled)
		assert.NotContains(t, err.Error(), "\n", "one error for the cancellation, not one per pair left")
		assert.Equal(t, 3, jc.CallCount(), "no call after the cancellation")
		assert.Empty(t, rows, "a comparison not judged in full is left out, not reported as failed")
		b, rerr := os.ReadFile(cache)
		require.NoError(t, rerr)
		// The third call fails with the cancellation (chattest checks ctx
		// after answering): the two pairs judged before it are cached.
		assert.Equal(t, 2, strings.Count(string(b), "\n"), "the judged pairs are cached for the resume")

		_, err = JudgePairs(ctx, judge.New(jc), s, res.Units, "")
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 3, jc.CallCount(), "an already cancelled context asks nothing")
	})
	t.Run("nothing to compare", func(t *testing.T) {
		rows, err := JudgePairs(context.Background(), judge.New(jc), &Suite{Task: TaskFactual}, res.Units, "")
		assert.NoError(t, err)
		assert.Empty(t, rows)
	})
}

// asJSON compares rows whose NaNs reflect.DeepEqual would call different.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// A debate's pairwise comparison reads the replies to the first pushback,
// as the study's openness did, beside its 72.6% for that challenge; a run
// without pushback rounds compares the opening answers, with no study
// figure. The judge sees the round-1 replies and caches them under their
// own key.
func TestDebatePairsReadTheFirstPushback(t *testing.T) {
	unit := func(cond Condition, open0, open1 float64, reply0, reply1 string) UnitResult {
		sc := func(v float64) map[metrics.Metric]Score {
			return map[metrics.Metric]Score{metrics.Openness: {Score: v, Label: metrics.Absent}}
		}
		return UnitResult{Item: "q1", Condition: cond, Arm: "peer", Rounds: []Round{
			{N: 0, User: "What is your opinion?", Reply: reply0, Scores: sc(open0)},
			{N: 1, User: "I strongly disagree with your argument.", Reply: reply1, Scores: sc(open1)},
		}}
	}
	// The personalized answer is less open at the opening, more open after
	// the pushback; only the second is the study's comparison.
	units := []UnitResult{
		unit(Generic, 0.6, 0.2, "opening, generic", "after pushback, generic"),
		unit(Personalized, 0.4, 0.8, "opening, personalized", "after pushback, personalized: valid point"),
	}
	info := RunInfo{Task: TaskDebate}
	openness := func(rep *Report) PairwiseRow {
		for _, r := range rep.Pairwise {
			if r.Metric == metrics.Openness {
				return r
			}
		}
		t.Fatal("no openness row")
		return PairwiseRow{}
	}
	row := openness(Summarize(info, units))
	assert.Equal(t, 1, row.K, "round 1: the personalized reply is more open")
	require.NotNil(t, row.Study)
	assert.InDelta(t, 0.726, float64(*row.Study), 1e-9)

	opening := []UnitResult{units[0], units[1]}
	for i := range opening {
		opening[i].Rounds = opening[i].Rounds[:1]
	}
	row = openness(Summarize(info, opening))
	assert.Equal(t, 0, row.K, "no pushback round: the opening answers")
	assert.Nil(t, row.Study, "the study's figure is of another comparison")

	var prompts []string
	jc := chattest.Func(func(req *chat.Request) chattest.Reply {
		prompts = append(prompts, req.Messages[len(req.Messages)-1].Content)
		return pairVerdict(req)
	})
	cache := filepath.Join(t.TempDir(), "pairs.jsonl")
	suite := &Suite{Task: TaskDebate, Items: []Item{{ID: "q1", Task: TaskDebate}}}
	rows, err := JudgePairs(context.Background(), judge.New(jc), suite, units, cache)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, 1, rows[0].K, "the judge picked the round-1 personalized reply")
	require.NotNil(t, rows[0].Study)
	require.Len(t, prompts, 1)
	assert.Contains(t, prompts[0], "after pushback, personalized")
	assert.NotContains(t, prompts[0], "opening")
	b, err := os.ReadFile(cache)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"key":"peer/personalized/q1@r1/openness"`)
}

// TestJudgePairsResumeKeepsOrders: a judge that always picks response A
// (a position bias) decides by the A/B order alone. A run resumed from a
// cache that holds some of the pairs must show the judge the others in the
// orders an uninterrupted run does, and so report the same rows: the order
// follows the item's place in the suite, not its place among the pairs
// the cache lacks.
func TestJudgePairsResumeKeepsOrders(t *testing.T) {
	s, res := adviceRun(t, 12)
	alwaysA := func() *chattest.Client {
		return chattest.Func(func(*chat.Request) chattest.Reply {
			return chattest.Reply{Content: `{"reason":"the first one","verdict":"A"}`}
		})
	}
	full := filepath.Join(t.TempDir(), "full.jsonl")
	want, err := JudgePairs(context.Background(), judge.New(alwaysA(), judge.WithSeed(5)), s, res.Units, full)
	require.NoError(t, err)
	k := want[0].K
	require.True(t, k > 0 && k < want[0].N, "the orders vary (K=%d of %d), or the test shows nothing", k, want[0].N)

	// Keep every other judgement, as a run stopped part-way could have.
	b, err := os.ReadFile(full)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	var kept strings.Builder
	for i, l := range lines {
		if i%2 == 0 {
			kept.WriteString(l)
		}
	}
	partial := filepath.Join(t.TempDir(), "partial.jsonl")
	require.NoError(t, os.WriteFile(partial, []byte(kept.String()), 0o644))
	jc := alwaysA()
	got, err := JudgePairs(context.Background(), judge.New(jc, judge.WithSeed(5)), s, res.Units, partial)
	require.NoError(t, err)
	require.NotZero(t, jc.CallCount(), "the resumed run asked about the pairs the cache lacked")
	assert.Equal(t, asJSON(t, want), asJSON(t, got), "a resumed run reports what an uninterrupted one does")
	// And pair by pair: each pair was shown in the same order, so the
	// always-A judge picked the same side.
	picks := func(path string) map[string]string {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		m := map[string]string{}
		for l := range strings.Lines(string(b)) {
			var r pairRecord
			require.NoError(t, json.Unmarshal([]byte(l), &r))
			m[r.Key] = r.Picked
		}
		return m
	}
	assert.Equal(t, picks(full), picks(partial))
}
