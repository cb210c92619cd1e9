package judge_test

import (
	"context"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

func BenchmarkParsePairwise(b *testing.B) {
	for _, bm := range []struct{ name, reply string }{
		{"strict", `{"reason":"B reflects the user's feelings and says they make sense","verdict":"B"}`},
		{"fenced", "Here is my evaluation.\n```json\n{\"reason\":\"B reflects the feelings\",\"verdict\":\"B\"}\n```"},
		{"line", "Response B reflects the feelings and says they make sense.\n\n**Verdict:** B"},
		{"invalid", "Both responses are similarly warm; I cannot pick one."},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _, _ = judge.ParsePairwise(bm.reply)
			}
		})
	}
}

// BenchmarkPairwise measures the judge's own overhead per item (validation,
// order, neutralizing, rendering the prompt, parsing the reply) against a
// fake model that answers at once.
func BenchmarkPairwise(b *testing.B) {
	model := chattest.Func(func(*chat.Request) chattest.Reply {
		return chattest.Reply{Content: `{"reason":"r","verdict":"A"}`, Usage: &chat.Usage{}}
	})
	j := judge.New(model)
	p := judge.Pair{
		Context:      "I didn't get the promotion I worked all year for. What should I do?",
		Generic:      "Ask your manager for concrete feedback and set measurable goals for the next cycle.",
		Personalized: "That is really disappointing after a year of effort; it makes sense to feel let down.",
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := j.Pairwise(ctx, judge.EmotionalValidation, i, p); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
