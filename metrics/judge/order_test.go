package judge_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

// TestPositionBiasCancels: a judge that always prefers the first position
// picks the personalized answer exactly when the recorded order put it
// first, so over many pairs its rate is near 50% (no effect), while a judge
// that always prefers the personalized content scores 100% whatever the
// order. Both runs are reproduced exactly by the same seed, whatever the
// concurrency.
func TestPositionBiasCancels(t *testing.T) {
	const n = 400
	pairs := make([]judge.Pair, n)
	for i := range pairs {
		pairs[i] = judge.Pair{Context: "q", Generic: "GEN: do this.", Personalized: "PERS: that sounds hard."}
	}
	first := chattest.Func(func(*chat.Request) chattest.Reply {
		return chattest.Reply{Content: `{"reason":"first","verdict":"A"}`}
	})
	content := chattest.Func(func(req *chat.Request) chattest.Reply {
		b, err := dataBlocks(req)
		if err != nil {
			return chattest.Reply{Err: err}
		}
		v := "B"
		if strings.HasPrefix(b["response A"], "PERS:") {
			v = "A"
		}
		return chattest.Reply{Content: `{"reason":"content","verdict":"` + v + `"}`}
	})
	ctx := context.Background()

	rep, err := judge.New(first, judge.WithSeed(11), judge.WithConcurrency(8)).ComparePairs(ctx, pairs, judge.Hedging)
	require.NoError(t, err)
	persFirst := 0
	for _, r := range rep.Results {
		if r.Order == judge.PersonalizedFirst {
			persFirst++
			assert.Equal(t, judge.Personalized, r.Picked, "item %d", r.Index)
		} else {
			assert.Equal(t, judge.Generic, r.Picked, "item %d", r.Index)
		}
	}
	s := rep.Summaries[0].Rate
	assert.Equal(t, persFirst, s.K)
	assert.Equal(t, n, s.N)
	// A fair coin: 400 flips land within 200 ± 4·sqrt(100) = ±40.
	assert.InDelta(t, n/2, s.K, 40)

	again, err := judge.New(first, judge.WithSeed(11), judge.WithConcurrency(1)).ComparePairs(ctx, pairs, judge.Hedging)
	require.NoError(t, err)
	for i := range again.Results {
		assert.Equal(t, rep.Results[i].Order, again.Results[i].Order, "item %d: same seed, same order", i)
	}

	rep, err = judge.New(content, judge.WithSeed(11), judge.WithConcurrency(8)).ComparePairs(ctx, pairs, judge.Hedging)
	require.NoError(t, err)
	assert.Equal(t, n, rep.Summaries[0].Rate.K, "the content judge picks personalized in both orders")
}

// TestComparePairsAt: pairs asked as items of a longer list get the order
// and the Index of their place in it, so a batch of the pairs a cache
// lacks decides as a batch of the whole list; bad index lists fail before
// any request.
func TestComparePairsAt(t *testing.T) {
	ctx := context.Background()
	pairs := make([]judge.Pair, 30)
	for i := range pairs {
		pairs[i] = judge.Pair{Context: "q", Generic: "GEN: do this.", Personalized: "PERS: that sounds hard."}
	}
	first := chattest.Func(func(*chat.Request) chattest.Reply {
		return chattest.Reply{Content: `{"reason":"first","verdict":"A"}`}
	})
	j := judge.New(first, judge.WithSeed(4), judge.WithConcurrency(3))
	whole, err := j.ComparePairs(ctx, pairs, judge.Hedging)
	require.NoError(t, err)

	var at []int
	var some []judge.Pair
	for i := 0; i < len(pairs); i += 3 { // index 0 is a valid place
		at, some = append(at, i), append(some, pairs[i])
	}
	part, err := j.ComparePairsAt(ctx, some, at, judge.Hedging)
	require.NoError(t, err)
	require.Len(t, part.Results, len(at))
	for k, r := range part.Results {
		assert.Equal(t, at[k], r.Index)
		assert.Equal(t, whole.Results[at[k]].Order, r.Order, "pair %d: the order of its place in the list", at[k])
		assert.Equal(t, whole.Results[at[k]].Picked, r.Picked, "pair %d: a position-biased judge picks the same side", at[k])
	}

	calls := first.CallCount()
	_, err = j.ComparePairsAt(ctx, some, at[1:], judge.Hedging)
	assert.ErrorContains(t, err, "indexes for")
	_, err = j.ComparePairsAt(ctx, some[:1], []int{-1}, judge.Hedging)
	assert.ErrorContains(t, err, "negative")
	assert.Equal(t, calls, first.CallCount(), "no request for a bad index list")
}
