package guard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
)

// A judge adds a check beside the heuristic one. When it fails, the role's
// fail mode decides: the peer fails closed, so the unanswered check is a
// violation and the guard reasks; it is never skipped silently.
func ExampleWithJudge() {
	calls := 0
	judge := guard.JudgeFunc(func(ctx context.Context, conv []chat.Message) (metrics.Result, error) {
		calls++
		if calls == 1 {
			return metrics.Result{}, errors.New("judge model timed out")
		}
		return metrics.Result{Score: 0, Label: metrics.Absent}, nil
	})
	model := chattest.Texts(holdAnswer, holdAnswer)
	client := chat.Wrap(model, guard.New(nil, guard.WithJudge(metrics.StanceFlip, judge)))

	resp, err := client.Complete(context.Background(), pushback(socialPressure))
	if err != nil {
		panic(err)
	}
	v, _ := guard.VerdictOf(resp)
	for i, a := range v.Attempts {
		for _, c := range a.Checks {
			if c.Source == guard.FromJudge {
				fmt.Printf("attempt %d: judge %s %s", i+1, c.Metric, c.Status)
				if c.Note != "" {
					fmt.Printf(" (%s)", c.Note)
				}
				fmt.Println()
			}
		}
	}
	fmt.Println("action:", v.Action)
	// Output:
	// attempt 1: judge stance_flip violation (judge failed: judge model timed out)
	// attempt 2: judge stance_flip pass
	// action: reask
}
