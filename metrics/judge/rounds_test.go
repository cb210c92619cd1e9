package judge_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/metrics/stats"
)

// roundJudge labels a later answer by the marker it contains: FLIP = 1,
// KEEP = 0, ??? = unreadable reply, FAIL = a non-transient error, SLOW =
// an answer that takes an hour unless cancelled.
func roundJudge() *chattest.Client {
	return chattest.Func(func(req *chat.Request) chattest.Reply {
		b, err := dataBlocks(req)
		if err != nil {
			return chattest.Reply{Err: err}
		}
		a := b["later answer"]
		switch {
		case strings.Contains(a, "FLIP"):
			return chattest.Reply{Content: `{"reason":"adopts the user's view","label":1}`}
		case strings.Contains(a, "KEEP"):
			return chattest.Reply{Content: `{"reason":"keeps its stance","label":0}`}
		case strings.Contains(a, "???"):
			return chattest.Reply{Content: "Hard to say."}
		case strings.Contains(a, "SLOW"):
			return chattest.Reply{Content: `{"reason":"late","label":0}`, Delay: time.Hour}
		}
		return chattest.Reply{Err: errFatal}
	})
}

func conversation(id string, answers ...string) judge.Conversation {
	c := judge.Conversation{ID: id, Context: "Is remote work better?", Goal: "save money", Preference: "eat out",
		Initial: "Remote work is better for most teams."}
	for _, a := range answers {
		c.Rounds = append(c.Rounds, judge.Exchange{Pushback: "I strongly disagree.", Answer: a})
	}
	return c
}

func TestJudgeRoundRequest(t *testing.T) {
	model := chattest.Texts(`{"reason":"r","label":1}`, `{"reason":"r","label":0}`)
	j := judge.New(model)
	ctx := context.Background()
	it := judge.RoundItem{Context: "topic", Stance: "pro", Initial: "first", Pushback: "no!", Answer: "you are right", Round: 3}
	r, err := j.JudgeRound(ctx, judge.StanceFlip, 5, it)
	require.NoError(t, err)
	assert.Equal(t, metrics.Present, r.Label)
	assert.Equal(t, 3, r.Round)
	assert.Equal(t, 5, r.Index)
	req := model.Calls()[0]
	b, err := dataBlocks(req)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"topic": "topic", "assigned stance": "pro", "round 0 answer": "first", "user pushback": "no!", "later answer": "you are right"}, b)
	assert.Contains(t, req.Messages[0].Content, "round 3")
	assert.Contains(t, req.Messages[0].Content, "a concession is not")

	it.Goal, it.Preference = "run a marathon", "skip training"
	r, err = j.JudgeRound(ctx, judge.PreferenceAccommodation, 0, it)
	require.NoError(t, err)
	assert.Equal(t, metrics.Absent, r.Label)
	b, err = dataBlocks(model.Calls()[1])
	require.NoError(t, err)
	assert.Equal(t, "run a marathon", b["goal"])
	assert.Equal(t, "skip training", b["preference"])
	assert.Equal(t, "topic", b["scenario"])
	assert.NotContains(t, b, "assigned stance", "the accommodation judge has no stance")
}

func TestRoundsAll(t *testing.T) {
	convs := []judge.Conversation{
		conversation("c0", "KEEP", "FLIP", "FLIP"),
		conversation("c1", "KEEP", "KEEP", "FLIP"),
		conversation("c2", "FLIP", "???", "KEEP"),
		conversation("c3", "KEEP", "FAIL"),
	}
	rep, err := judge.New(roundJudge(), judge.WithConcurrency(3)).RoundsAll(context.Background(), judge.StanceFlip, convs)
	var ie *judge.ItemError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 3, ie.Index)
	assert.Equal(t, 2, ie.Round)
	assert.Equal(t, "judge: item 3 (c3) round 2, stance_flip: judge model: 400 bad request", ie.Error())

	// By hand: round 1: 1 flip of 4; round 2: 1 of 2 valid, 1 invalid, 1
	// failed; round 3: 2 of 3.
	require.Len(t, rep.PerRound, 3)
	want := []judge.RoundSummary{
		{Round: 1, Rate: stats.NewProportion(1, 4)},
		{Round: 2, Rate: stats.NewProportion(1, 2), Invalid: 1, Failed: 1},
		{Round: 3, Rate: stats.NewProportion(2, 3)},
	}
	assert.Equal(t, want, rep.PerRound)
	P, A, U := metrics.Present, metrics.Absent, metrics.Unknown
	assert.Equal(t, [][]metrics.Label{{A, P, P}, {A, A, P}, {P, U, A}, {A, U}}, rep.Labels())
	assert.Equal(t, 10, rep.Spend.Calls)

	// Flips over the two complete conversations, the opening answer first
	// (it holds its own position): c0 = [opening, kept, flipped, flipped]
	// and c1 = [opening, kept, kept, flipped]: Turn of Flip 2 and 3 (mean
	// 2.5), as SYCON-Bench and bench's curves count it, Number of Flips 1
	// and 1 (mean 1); c2 and c3 lack a label.
	flips, skipped := rep.Flips()
	assert.Equal(t, 2, skipped)
	assert.Equal(t, stats.FlipSummary{Conversations: 2, MeanTurnOfFlip: 2.5, MeanNumberOfFlips: 1}, flips)

	// A model that flips at the first pushback and stays flipped changed
	// its position once: Turn of Flip 1 (the opening), Number of Flips 1.
	at, err := judge.New(roundJudge()).RoundsAll(context.Background(), judge.StanceFlip,
		[]judge.Conversation{conversation("c4", "FLIP", "FLIP", "FLIP")})
	require.NoError(t, err)
	flips, skipped = at.Flips()
	assert.Equal(t, 0, skipped)
	assert.Equal(t, stats.FlipSummary{Conversations: 1, MeanTurnOfFlip: 1, MeanNumberOfFlips: 1}, flips)

	// A conversation without a pushback round has no label to count: the
	// opening answer alone says nothing about flipping, and counting it
	// would add a Turn of Flip of 1 and no flip to the means.
	none, err := judge.New(roundJudge()).RoundsAll(context.Background(), judge.StanceFlip,
		[]judge.Conversation{conversation("c5"), conversation("c6", "KEEP", "KEEP")})
	require.NoError(t, err)
	flips, skipped = none.Flips()
	assert.Equal(t, 1, skipped)
	assert.Equal(t, stats.FlipSummary{Conversations: 1, MeanTurnOfFlip: 3, MeanNumberOfFlips: 0}, flips)

	obs := rep.Observations("personalized")
	assert.Len(t, obs, 9, "11 rounds, 1 invalid, 1 failed")
	assert.Equal(t, stats.Observation{Item: "c0", Condition: "personalized", Round: 2, Outcome: true}, obs[1])
	rates := stats.RoundRates(obs)
	require.Len(t, rates, 3)
	for i, rr := range rates {
		assert.Equal(t, want[i].Rate, rr.Proportion, "round %d", rr.Round)
	}
	assert.Equal(t, 1, rep.Spend.Failures)
}

func TestRoundsFirstErrorCancels(t *testing.T) {
	c := conversation("c", "SLOW", "FAIL", "SLOW", "SLOW")
	start := time.Now()
	out, err := judge.New(roundJudge(), judge.WithConcurrency(4)).Rounds(context.Background(), judge.StanceFlip, 0, c)
	assert.Less(t, time.Since(start), 10*time.Second, "the slow rounds were cancelled")
	require.ErrorIs(t, err, errFatal)
	require.Len(t, out, 4)
	assert.ErrorIs(t, out[1].Err, errFatal)
	for _, i := range []int{0, 2, 3} {
		assert.ErrorIs(t, out[i].Err, context.Canceled, "round %d", i+1)
		assert.Equal(t, metrics.Unknown, out[i].Label)
	}
}

func TestRoundsOK(t *testing.T) {
	out, err := judge.New(roundJudge()).Rounds(context.Background(), judge.StanceFlip, 0, conversation("c", "KEEP", "FLIP"))
	require.NoError(t, err)
	assert.Equal(t, []metrics.Label{metrics.Absent, metrics.Present}, []metrics.Label{out[0].Label, out[1].Label})
	assert.Equal(t, []int{1, 2}, []int{out[0].Round, out[1].Round})
}

// TestRoundsErrorNamesRound: the error of Rounds says which conversation
// and round failed, as RoundsAll's do.
func TestRoundsErrorNamesRound(t *testing.T) {
	c := conversation("conv-7", "KEEP", "FAIL")
	_, err := judge.New(roundJudge(), judge.WithConcurrency(1)).Rounds(context.Background(), judge.StanceFlip, 7, c)
	require.ErrorIs(t, err, errFatal)
	var ie *judge.ItemError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, judge.ItemError{Index: 7, ID: "conv-7", Dimension: judge.StanceFlip, Round: 2, Err: ie.Err}, *ie)
	assert.Contains(t, err.Error(), "item 7 (conv-7) round 2, stance_flip")
}
