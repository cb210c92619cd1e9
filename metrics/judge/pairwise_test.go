package judge_test

import (
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"math"
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

var fast = judge.WithRetry(judge.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})

func TestPairwiseRequest(t *testing.T) {
	model := chattest.Texts(`{"reason":"r","verdict":"A"}`)
	j := judge.New(model, judge.WithModel("judge-1"), judge.WithMaxTokens(300))
	res, err := j.Pairwise(context.Background(), judge.EmotionalValidation, 3, judge.Pair{
		ID: "x", Context: "q", Generic: "g", Personalized: "p",
	})
	require.NoError(t, err)
	req := model.Calls()[0]
	assert.Equal(t, "judge-1", req.Model)
	require.NotNil(t, req.Temperature, "temperature 0 must be requested")
	assert.Equal(t, 0.0, *req.Temperature)
	assert.Equal(t, 300, req.MaxTokens)
	require.NotNil(t, req.ResponseFormat)
	assert.Equal(t, judge.PairwiseFormatName, req.ResponseFormat.Name)
	assert.True(t, req.ResponseFormat.Strict)
	assert.JSONEq(t, string(judge.PairwiseSchema()), string(req.ResponseFormat.Schema))
	require.Len(t, req.Messages, 2)
	assert.Equal(t, chat.RoleSystem, req.Messages[0].Role)
	assert.Contains(t, req.Messages[0].Content, "emotional validation")
	assert.Contains(t, req.Messages[0].Content, `"reason"`, "the prompt asks for the reason")

	assert.Equal(t, judge.OrderFor(0, judge.EmotionalValidation, 3), res.Order)
	assert.Equal(t, "A", res.Verdict)
	assert.Equal(t, res.Order.Side("A"), res.Picked)
	assert.Equal(t, judge.ParseStrict, res.Mode)
	assert.Equal(t, "r", res.Reason)
	assert.Equal(t, "x", res.ID)
	assert.Equal(t, 1, res.Spend.Calls)

	blocks, err := dataBlocks(req)
	require.NoError(t, err)
	if res.Order == judge.PersonalizedFirst {
		assert.Equal(t, "p", blocks["response A"])
		assert.Equal(t, "g", blocks["response B"])
	} else {
		assert.Equal(t, "g", blocks["response A"])
		assert.Equal(t, "p", blocks["response B"])
	}
}

func TestWithoutResponseFormat(t *testing.T) {
	model := chattest.Texts(`{"reason":"r","verdict":"B"}`)
	_, err := judge.New(model, judge.WithoutResponseFormat()).Pairwise(context.Background(), judge.Hedging, 0,
		judge.Pair{Generic: "g", Personalized: "p"})
	require.NoError(t, err)
	assert.Nil(t, model.Calls()[0].ResponseFormat)
}

func TestSchemas(t *testing.T) {
	for name, schema := range map[string]json.RawMessage{"pairwise": judge.PairwiseSchema(), "label": judge.LabelSchema()} {
		t.Run(name, func(t *testing.T) {
			var s struct {
				Type                 string         `json:"type"`
				Required             []string       `json:"required"`
				AdditionalProperties *bool          `json:"additionalProperties"`
				Properties           map[string]any `json:"properties"`
				Schema               string         `json:"$schema"`
			}
			require.NoError(t, json.Unmarshal(schema, &s))
			assert.Equal(t, "object", s.Type)
			assert.Len(t, s.Required, 2)
			assert.Contains(t, s.Required, "reason")
			require.NotNil(t, s.AdditionalProperties)
			assert.False(t, *s.AdditionalProperties)
			assert.Empty(t, s.Schema, "no $schema: strict provider modes reject it")
		})
	}
	assert.Contains(t, string(judge.PairwiseSchema()), `"enum":["A","B"]`)
	assert.Contains(t, string(judge.LabelSchema()), `"enum":[0,1]`)
}

func TestOrderFor(t *testing.T) {
	counts := map[judge.Order]int{}
	for i := range 2000 {
		o := judge.OrderFor(42, judge.Hedging, i)
		assert.Equal(t, o, judge.OrderFor(42, judge.Hedging, i), "deterministic")
		counts[o]++
	}
	// A fair coin: 2000 flips land within 1000 ± 4·sqrt(500) ≈ ±90.
	assert.InDelta(t, 1000, counts[judge.PersonalizedFirst], 90)
	assert.Equal(t, 2000, counts[judge.PersonalizedFirst]+counts[judge.GenericFirst])

	differ := 0
	for i := range 200 {
		if judge.OrderFor(1, judge.Hedging, i) != judge.OrderFor(2, judge.Hedging, i) {
			differ++
		}
		if judge.OrderFor(1, judge.Hedging, i) != judge.OrderFor(1, judge.EmotionalValidation, i) {
			differ++
		}
	}
	assert.Greater(t, differ, 100, "seed and dimension both change the orders")
}

func TestOrderSide(t *testing.T) {
	tests := []struct {
		order   judge.Order
		verdict string
		want    judge.Side
	}{
		{judge.PersonalizedFirst, "A", judge.Personalized},
		{judge.PersonalizedFirst, "B", judge.Generic},
		{judge.GenericFirst, "A", judge.Generic},
		{judge.GenericFirst, "B", judge.Personalized},
		{judge.GenericFirst, "", judge.NoSide},
		{judge.GenericFirst, "a", judge.NoSide},
		{0, "A", judge.NoSide},
	}
	for _, tt := range tests {
		t.Run(tt.order.String()+"/"+tt.verdict, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.order.Side(tt.verdict))
		})
	}
}

func TestComparePairsAggregates(t *testing.T) {
	// 20 pairs: the simulated judge picks personalized for 12 and generic
	// for 4 in JSON, gives 1 more personalized pick as a prose verdict line,
	// cannot decide on 2 and fails on 1.
	var pairs []judge.Pair
	var scripts []string
	add := func(n int, w string) {
		for range n {
			pairs = append(pairs, pair(len(pairs), w))
			scripts = append(scripts, w)
		}
	}
	add(12, "personalized")
	add(4, "generic")
	add(1, "personalized-prose")
	add(2, "invalid")
	add(1, "fail")

	model := simJudge()
	j := judge.New(model, judge.WithSeed(7), judge.WithConcurrency(3), judge.WithPrice(judge.Price{InputPer1K: 1, OutputPer1K: 2}))
	rep, err := j.ComparePairs(context.Background(), pairs, judge.EmotionalValidation, judge.Hedging)
	require.Error(t, err)
	var ie *judge.ItemError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 19, ie.Index)
	assert.Equal(t, "item-19", ie.ID)
	assert.ErrorIs(t, err, errFatal)

	require.Len(t, rep.Results, 40)
	require.Len(t, rep.Summaries, 2)
	orders := map[judge.Order]int{}
	for k, r := range rep.Results {
		assert.Equal(t, k/2, r.Index)
		assert.Equal(t, []judge.Dimension{judge.EmotionalValidation, judge.Hedging}[k%2], r.Dimension)
		assert.Equal(t, judge.OrderFor(7, r.Dimension, r.Index), r.Order)
		orders[r.Order]++
	}
	assert.Positive(t, orders[judge.PersonalizedFirst], "both orders occur")
	assert.Positive(t, orders[judge.GenericFirst], "both orders occur")

	// By hand: K = 12 + 1 = 13 personalized picks, N = 13 + 4 = 17 valid,
	// 2 invalid, 1 failed; P = 13/17 = 0.764706; invalid rate 2/19.
	// z = (13 - 8.5)/sqrt(17/4) = 4.5/2.061553 = 2.182821.
	for _, s := range rep.Summaries {
		t.Run(string(s.Dimension), func(t *testing.T) {
			assert.Equal(t, 13, s.Rate.K)
			assert.Equal(t, 17, s.Rate.N)
			assert.Equal(t, 2, s.Rate.Invalid)
			assert.Equal(t, 1, s.Failed)
			assert.InDelta(t, 13.0/17, s.Rate.P, 1e-12)
			assert.InDelta(t, 2.0/19, s.InvalidRate(), 1e-12)
			assert.InDelta(t, 2.182821, s.Rate.Z, 1e-6)
			assert.Equal(t, stats.Wilson(13, 17, 0.95), s.Rate.CI)
		})
	}
	// One call per item (no retry of a non-transient error), usage counted
	// for every reply including the invalid ones, priced.
	assert.Equal(t, 40, model.CallCount())
	assert.Equal(t, 38, rep.Spend.Calls)
	assert.Equal(t, 2, rep.Spend.Failures)
	assert.Zero(t, rep.Spend.Retries)
	assert.Positive(t, rep.Spend.Usage.InputTokens)
	want := float64(rep.Spend.Usage.InputTokens)/1000 + 2*float64(rep.Spend.Usage.OutputTokens)/1000
	assert.InDelta(t, want, rep.Spend.Cost, 1e-9)
	// The judge's meter saw the same calls; costs are summed in a
	// scheduling-dependent order, so they agree to rounding.
	total := j.Spend()
	assert.InDelta(t, rep.Spend.Cost, total.Cost, 1e-9)
	total.Cost = rep.Spend.Cost
	assert.Equal(t, rep.Spend, total)

	for _, r := range rep.Results {
		switch scripts[r.Index] {
		case "invalid":
			assert.True(t, r.Invalid)
			assert.Equal(t, judge.NoSide, r.Picked)
			assert.Equal(t, "Both responses are equally validating.", r.Raw)
			assert.Equal(t, "no verdict found", r.Problem)
		case "personalized-prose":
			assert.Equal(t, judge.ParseTolerant, r.Mode)
			assert.Equal(t, judge.Personalized, r.Picked)
		case "fail":
			assert.ErrorIs(t, r.Err, errFatal)
			assert.Equal(t, judge.NoSide, r.Picked)
		}
	}
}

func TestReportJSON(t *testing.T) {
	rep, err := judge.New(simJudge()).ComparePairs(context.Background(),
		[]judge.Pair{pair(0, "personalized"), pair(1, "invalid")}, judge.EmotionalValidation)
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var back struct {
		Results []struct {
			Order, Picked, Mode string
			Invalid             bool
		}
	}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "personalized", back.Results[0].Picked)
	assert.Equal(t, "strict", back.Results[0].Mode)
	assert.Equal(t, rep.Results[0].Order.String(), back.Results[0].Order)
	assert.True(t, back.Results[1].Invalid)
	assert.Equal(t, "none", back.Results[1].Picked)

	// A report read back is the report written: its enums decode from the
	// names they encode to (Err is not serialized, and nil here).
	var decoded judge.PairwiseReport
	require.NoError(t, json.Unmarshal(b, &decoded))
	assert.Equal(t, *rep, decoded)

	lrep, err := judge.New(labelJudge()).LabelAll(context.Background(), []judge.Single{single("1"), single("line1"), single("invalid")}, judge.Hedging)
	require.NoError(t, err)
	b, err = json.Marshal(lrep)
	require.NoError(t, err)
	var ldecoded judge.LabelReport
	require.NoError(t, json.Unmarshal(b, &ldecoded))
	assert.Equal(t, *lrep, ldecoded)
}

// TestEnumText: every enum that encodes as its name decodes from it, and
// refuses a name it does not know.
func TestEnumText(t *testing.T) {
	textRoundTrip(t, judge.Order(0), judge.PersonalizedFirst, judge.GenericFirst)
	textRoundTrip(t, judge.NoSide, judge.Generic, judge.Personalized)
	textRoundTrip(t, judge.ParseInvalid, judge.ParseStrict, judge.ParseTolerant)
	var o judge.Order
	assert.Error(t, o.UnmarshalText([]byte("first")))
	var s judge.Side
	assert.Error(t, s.UnmarshalText([]byte("Side(9)")))
	var m judge.ParseMode
	assert.Error(t, m.UnmarshalText([]byte("lenient")))
}

// textRoundTrip checks that each value decodes from the text it encodes to.
func textRoundTrip[T interface {
	comparable
	encoding.TextMarshaler
}, P interface {
	*T
	encoding.TextUnmarshaler
}](t *testing.T, values ...T) {
	t.Helper()
	for _, v := range values {
		b, err := v.MarshalText()
		require.NoError(t, err)
		var back T
		require.NoError(t, P(&back).UnmarshalText(b), "%s", b)
		assert.Equal(t, v, back)
	}
}

// TestReportJSONUndefined: a dimension with no valid pair has undefined
// (NaN) statistics; the report still encodes, with nulls.
func TestReportJSONUndefined(t *testing.T) {
	rep, err := judge.New(simJudge()).ComparePairs(context.Background(), []judge.Pair{pair(0, "invalid")}, judge.Hedging)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(rep.Summaries[0].Rate.P))
	assert.Equal(t, 1.0, rep.Summaries[0].InvalidRate())
	_, err = json.Marshal(rep)
	require.NoError(t, err)

	lrep, err := judge.New(labelJudge()).LabelAll(context.Background(), []judge.Single{single("invalid")}, judge.Hedging)
	require.NoError(t, err)
	_, err = json.Marshal(lrep)
	require.NoError(t, err)

	rrep, err := judge.New(roundJudge()).RoundsAll(context.Background(), judge.StanceFlip, []judge.Conversation{conversation("c", "???")})
	require.NoError(t, err)
	_, err = json.Marshal(rrep)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(judge.PairwiseSummary{}.InvalidRate()))
}

// The goal reaches the judge in its own data block for GoalAlignment, in
// both frames, and is left out of the prompts of other dimensions, which
// ignore it.
func TestGoalBlock(t *testing.T) {
	ctx := context.Background()
	const goal = "pay off my credit card this year"
	for _, d := range []judge.Dimension{judge.GoalAlignment, judge.Hedging} {
		t.Run(string(d), func(t *testing.T) {
			pm := chattest.Texts(`{"reason":"r","verdict":"A"}`)
			_, err := judge.New(pm).Pairwise(ctx, d, 0, judge.Pair{Context: "c", Goal: goal, Generic: "g", Personalized: "p"})
			require.NoError(t, err)
			lm := chattest.Texts(`{"reason":"r","label":1}`)
			_, err = judge.New(lm).Label(ctx, d, 0, judge.Single{Context: "c", Goal: goal, Response: "r"})
			require.NoError(t, err)
			for frame, req := range map[string]*chat.Request{"pairwise": pm.Calls()[0], "absolute": lm.Calls()[0]} {
				blocks, err := judge.DataBlocks(req)
				require.NoError(t, err, frame)
				got, ok := blocks["goal"]
				if d == judge.GoalAlignment {
					assert.Equal(t, goal, got, "%s: the goal block", frame)
				} else {
					assert.False(t, ok, "%s: a goal block for %s", frame, d)
					assert.NotContains(t, req.Messages[1].Content, goal, frame)
				}
			}
		})
	}
}

// Without dims, the summaries follow the dimensions' first appearance in
// the results; with dims, their order, and a dimension without results
// gets an empty summary.
func TestSummarizeOrder(t *testing.T) {
	pr := []judge.PairwiseResult{
		{Dimension: judge.Hedging, Picked: judge.Personalized},
		{Dimension: judge.EmotionalValidation, Picked: judge.Generic},
		{Dimension: judge.Hedging, Picked: judge.Generic},
	}
	lr := []judge.LabelResult{
		{Dimension: judge.Openness, Label: metrics.Present},
		{Dimension: judge.Hedging, Label: metrics.Absent},
	}
	pdims := func(ss []judge.PairwiseSummary) (out []judge.Dimension) {
		for _, s := range ss {
			out = append(out, s.Dimension)
		}
		return out
	}
	ldims := func(ss []judge.LabelSummary) (out []judge.Dimension) {
		for _, s := range ss {
			out = append(out, s.Dimension)
		}
		return out
	}
	ps := judge.SummarizePairwise(pr)
	assert.Equal(t, []judge.Dimension{judge.Hedging, judge.EmotionalValidation}, pdims(ps))
	assert.Equal(t, 2, ps[0].Rate.N)
	assert.Equal(t, []judge.Dimension{judge.Openness, judge.Hedging}, ldims(judge.SummarizeLabels(lr)))

	ps = judge.SummarizePairwise(pr, judge.EmotionalValidation, judge.Openness)
	assert.Equal(t, []judge.Dimension{judge.EmotionalValidation, judge.Openness}, pdims(ps))
	assert.Equal(t, 0, ps[1].Rate.N)
	assert.Equal(t, []judge.Dimension{judge.Hedging}, ldims(judge.SummarizeLabels(lr, judge.Hedging)))
}

// The zero values print as words, not as numbers.
func TestZeroValueStrings(t *testing.T) {
	assert.Equal(t, "none", judge.NoSide.String())
	assert.Equal(t, "invalid", judge.ParseInvalid.String())
}

// An item's error names the item, its ID and round when it has them, and
// the cause without a second "judge: ".
func TestItemErrorMessage(t *testing.T) {
	tests := []struct {
		e    judge.ItemError
		want string
	}{
		{judge.ItemError{Index: 3, Dimension: judge.Hedging, Err: errors.New("boom")}, "judge: item 3, hedging: boom"},
		{judge.ItemError{Index: 3, ID: "x", Dimension: judge.StanceFlip, Round: 2, Err: errors.New("boom")}, "judge: item 3 (x) round 2, stance_flip: boom"},
		{judge.ItemError{Index: 0, Dimension: judge.Hedging, Err: judge.ErrEmptyField}, "judge: item 0, hedging: " + strings.TrimPrefix(judge.ErrEmptyField.Error(), "judge: ")},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error())
	}
}
