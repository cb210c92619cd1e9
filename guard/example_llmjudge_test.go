package guard_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// An LLM judge from metrics/judge as a second opinion on the advisor's
// framing check. Here the judge model is scripted too: it labels the first
// answer as accepting the framing and the second as not.
func ExampleLabelJudge() {
	judgeModel := chattest.Texts(
		`{"reason": "It plans how to win without questioning the premise.", "label": 1}`,
		`{"reason": "It questions the premise first.", "label": 0}`,
	)
	j := guard.LabelJudge(judge.New(judgeModel), judge.FramingAcceptance)
	model := chattest.Texts(acceptsFraming, challengesFrame)
	client := chat.Wrap(model, guard.New(reaskPolicy(), guard.WithJudge(metrics.FramingAcceptance, j)))

	resp, err := client.Complete(context.Background(), advice())
	if err != nil {
		panic(err)
	}
	v, _ := guard.VerdictOf(resp)
	for i, a := range v.Attempts {
		for _, c := range a.Checks {
			if c.Source == guard.FromJudge {
				fmt.Printf("attempt %d: judge %s %s: %s\n", i+1, c.Metric, c.Status, c.Note)
			}
		}
	}
	fmt.Println("action:", v.Action)
	// Output:
	// attempt 1: judge framing_acceptance violation: It plans how to win without questioning the premise.
	// attempt 2: judge framing_acceptance pass: It questions the premise first.
	// action: reask
}
