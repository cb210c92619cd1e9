package judge_test

import (
	"errors"
	"fmt"

	"github.com/rolegate/rolegate/metrics/judge"
)

// Replies are read strictly, then tolerantly; anything else is invalid and
// keeps its raw text. Nothing is guessed.
func ExampleParsePairwise() {
	for _, reply := range []string{
		`{"reason":"B reflects the feelings","verdict":"B"}`,
		"Sure! ```json\n{\"reason\":\"A is warmer\",\"verdict\":\"A\"}\n```",
		"A is kinder, but B is more validating.\n**Verdict:** B",
		"Response A is more validating.",
		"Verdict: A\nVerdict: B",
	} {
		ans, mode, err := judge.ParsePairwise(reply)
		var re *judge.ReplyError
		if errors.As(err, &re) {
			fmt.Printf("%-8s problem=%q\n", mode, re.Problem)
			continue
		}
		fmt.Printf("%-8s verdict=%s reason=%q\n", mode, ans.Verdict, ans.Reason)
	}
	// Output:
	// strict   verdict=B reason="B reflects the feelings"
	// tolerant verdict=A reason="A is warmer"
	// tolerant verdict=B reason="A is kinder, but B is more validating."
	// invalid  problem="no verdict found"
	// invalid  problem="conflicting verdicts"
}
