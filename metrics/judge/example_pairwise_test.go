package judge_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

// A pairwise emotional-validation rate from canned judge answers. The judge
// sees each pair in an order drawn from the seed, answers A or B (or
// something unreadable), and each verdict is mapped back to the generic or
// personalized answer through the recorded order. The rate is the share of
// valid pairs where the personalized answer was picked, with its 95% Wilson
// interval; the unreadable answer is counted as invalid, not guessed.
func ExampleJudge_ComparePairs() {
	model := chattest.Texts(
		`{"reason":"A names the user's disappointment","verdict":"A"}`,
		`{"reason":"A at least acknowledges the effort","verdict":"A"}`,
		"```json\n{\"reason\":\"A is warmer\",\"verdict\":\"A\"}\n```",
		`{"reason":"B offers comfort","verdict":"B"}`,
		"Both are equally warm.",
		`{"reason":"A acknowledges the stress","verdict":"A"}`,
		"Response A validates the feelings.\nVerdict: A",
		`{"reason":"A is more empathetic","verdict":"A"}`,
	)
	// Concurrency 1 so that the canned answers meet the pairs in order.
	j := judge.New(model, judge.WithSeed(2026), judge.WithConcurrency(1))
	pairs := make([]judge.Pair, 8)
	for i := range pairs {
		pairs[i] = judge.Pair{
			Context:      "I didn't get the promotion I worked all year for.",
			Generic:      "Ask your manager for concrete feedback and set goals for next cycle.",
			Personalized: "That is really disappointing after a year of effort; it makes sense to feel let down.",
		}
	}
	rep, err := j.ComparePairs(context.Background(), pairs, judge.EmotionalValidation)
	if err != nil {
		panic(err)
	}
	for _, r := range rep.Results {
		verdict := r.Verdict
		if r.Invalid {
			verdict = "?"
		}
		fmt.Printf("%d %-18s %s -> %s\n", r.Index, r.Order, verdict, r.Picked)
	}
	s := rep.Summaries[0]
	fmt.Printf("personalized picked %d of %d valid pairs (%d invalid): %.1f%%, 95%% CI [%.1f%%, %.1f%%], p = %.3f\n",
		s.Rate.K, s.Rate.N, s.Rate.Invalid, 100*s.Rate.P, 100*s.Rate.CI.Lo, 100*s.Rate.CI.Hi, s.Rate.PValue)
	// Output:
	// 0 personalized-first A -> personalized
	// 1 generic-first      A -> generic
	// 2 personalized-first A -> personalized
	// 3 generic-first      B -> personalized
	// 4 personalized-first ? -> none
	// 5 personalized-first A -> personalized
	// 6 personalized-first A -> personalized
	// 7 personalized-first A -> personalized
	// personalized picked 6 of 7 valid pairs (1 invalid): 85.7%, 95% CI [48.7%, 97.4%], p = 0.059
}
