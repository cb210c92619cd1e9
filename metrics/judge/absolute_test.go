package judge_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
	"github.com/rolegate/rolegate/metrics/stats"
)

// labelJudge answers label requests by the "want=" script in the first data
// block it finds that carries one (user message, topic or scenario).
func labelJudge() *chattest.Client {
	return chattest.Func(func(req *chat.Request) chattest.Reply {
		b, err := dataBlocks(req)
		if err != nil {
			return chattest.Reply{Err: err}
		}
		var w string
		for _, k := range []string{"user message", "topic", "scenario"} {
			if _, s, ok := strings.Cut(b[k], "want="); ok {
				w, _, _ = strings.Cut(s, " ")
			}
		}
		switch w {
		case "1", "0":
			return chattest.Reply{Content: `{"reason":"scripted","label":` + w + `}`}
		case "line1":
			return chattest.Reply{Content: "It clearly does.\nLabel: 1"}
		case "invalid":
			return chattest.Reply{Content: "I cannot tell."}
		case "truncated":
			return chattest.Reply{Content: `{"reason":"the response`, FinishReason: chat.FinishLength}
		case "fail":
			return chattest.Reply{Err: errFatal}
		}
		return chattest.Reply{Err: fmt.Errorf("test bug: no script in %v", b)}
	})
}

func single(w string) judge.Single {
	return judge.Single{ID: "s-" + w, Context: "My partner forgot my birthday. want=" + w, Response: "That must hurt."}
}

func TestLabel(t *testing.T) {
	j := judge.New(labelJudge())
	ctx := context.Background()
	tests := []struct {
		w       string
		label   metrics.Label
		mode    judge.ParseMode
		score   float64
		note    string
		problem string
	}{
		{"1", metrics.Present, judge.ParseStrict, 1, "scripted", ""},
		{"0", metrics.Absent, judge.ParseStrict, 0, "scripted", ""},
		{"line1", metrics.Present, judge.ParseTolerant, 1, "It clearly does.", ""},
		{"invalid", metrics.Unknown, judge.ParseInvalid, 0, "judge reply invalid: no verdict found", "no verdict found"},
		{"truncated", metrics.Unknown, judge.ParseInvalid, 0, "judge reply invalid: no verdict found (reply cut off at the token limit)",
			"no verdict found (reply cut off at the token limit)"},
	}
	for _, tt := range tests {
		t.Run(tt.w, func(t *testing.T) {
			r, err := j.Label(ctx, judge.EmotionalValidation, 0, single(tt.w))
			require.NoError(t, err)
			assert.Equal(t, tt.label, r.Label)
			assert.Equal(t, tt.mode, r.Mode)
			assert.Equal(t, tt.problem, r.Problem)
			assert.Equal(t, tt.problem != "", r.Invalid)
			res := r.Result()
			assert.Equal(t, metrics.EmotionalValidation, res.Metric)
			assert.Equal(t, tt.label, res.Label)
			assert.Equal(t, tt.score, res.Score)
			assert.Equal(t, 0.5, res.Threshold)
			assert.Equal(t, tt.note, res.Note)
		})
	}
	t.Run("fail", func(t *testing.T) {
		r, err := j.Label(ctx, judge.EmotionalValidation, 0, single("fail"))
		require.ErrorIs(t, err, errFatal)
		assert.Equal(t, metrics.Unknown, r.Result().Label)
		assert.Contains(t, r.Result().Note, "judge call failed")
	})
	t.Run("request", func(t *testing.T) {
		model := chattest.Texts(`{"reason":"r","label":1}`)
		_, err := judge.New(model).Label(ctx, judge.Openness, 0, judge.Single{Response: "x"})
		require.NoError(t, err)
		req := model.Calls()[0]
		assert.Equal(t, judge.LabelFormatName, req.ResponseFormat.Name)
		assert.JSONEq(t, string(judge.LabelSchema()), string(req.ResponseFormat.Schema))
		assert.Contains(t, req.Messages[0].Content, "openness rather than confidence")
	})
}

func TestLabelAllAndAgreement(t *testing.T) {
	// The judge says 1 for 6 items and 0 for 3, cannot decide on 1.
	var items []judge.Single
	for _, w := range strings.Fields("1 1 1 1 1 1 0 0 0 invalid") {
		items = append(items, single(w))
	}
	rep, err := judge.New(labelJudge(), judge.WithConcurrency(4)).LabelAll(context.Background(), items, judge.EmotionalValidation)
	require.NoError(t, err)
	require.Len(t, rep.Summaries, 1)
	s := rep.Summaries[0]
	// 6 present among 9 valid; 1 invalid of 10 replies.
	assert.Equal(t, stats.NewProportion(6, 9), s.Present)
	assert.Equal(t, 1, s.Invalid)
	assert.InDelta(t, 0.1, s.InvalidRate(), 1e-12)
	assert.Zero(t, s.Failed)
	assert.Equal(t, 10, rep.Spend.Calls)

	// Compared with a heuristic that says Present for the first 8 items:
	// on the 9 valid items, TP = 6, FP = 2, TN = 1, FN = 0.
	var c stats.Confusion
	for i, r := range rep.Results {
		if r.Label == metrics.Unknown {
			continue
		}
		c.Add(i < 8, r.Result().Label == metrics.Present)
	}
	assert.Equal(t, 6, c.TP)
	assert.Equal(t, 2, c.FP)
	assert.Equal(t, 1, c.TN)
	assert.Equal(t, 0, c.FN)
}

func TestScoreConversation(t *testing.T) {
	model := chattest.Texts(`{"reason":"validates","label":1}`)
	j := judge.New(model)
	conv := []chat.Message{chat.User("I'm sad"), chat.Assistant("That sounds hard.")}
	res, err := j.Score(context.Background(), judge.EmotionalValidation, conv)
	require.NoError(t, err)
	assert.Equal(t, metrics.Present, res.Label)
	assert.Equal(t, 1.0, res.Score)
	b, err := dataBlocks(model.Calls()[0])
	require.NoError(t, err)
	assert.Equal(t, "I'm sad", b["user message"])
	assert.Equal(t, "That sounds hard.", b["response"])

	_, err = j.Score(context.Background(), judge.EmotionalValidation, []chat.Message{chat.User("hi")})
	var fe *judge.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Single.Response", fe.Field)
}
