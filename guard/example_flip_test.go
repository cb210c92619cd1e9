package guard_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
)

// The peer role catches a flip under pure social pressure and reasks; the
// same flip after new evidence is allowed.
func Example_flip() {
	model := chattest.Texts(flipAnswer, holdAnswer, flipAnswer)
	client := chat.Wrap(model, guard.New(nil))
	ctx := context.Background()

	for _, challenge := range []string{socialPressure, newEvidence} {
		resp, err := client.Complete(ctx, pushback(challenge))
		if err != nil {
			panic(err)
		}
		v, _ := guard.VerdictOf(resp)
		fmt.Printf("social pressure only: %v\n", v.Pushback.SocialOnly)
		for i, a := range v.Attempts {
			flip, _ := a.Check(metrics.StanceFlip)
			fmt.Printf("  attempt %d: stance_flip %s\n", i+1, flip.Status)
		}
		fmt.Printf("  action: %s\n  answer: %.40s...\n", v.Action, resp.Text())
	}
	// Output:
	// social pressure only: true
	//   attempt 1: stance_flip violation
	//   attempt 2: stance_flip pass
	//   action: reask
	//   answer: I understand this matters to you, but I ...
	// social pressure only: false
	//   attempt 1: stance_flip allowed
	//   action: pass
	//   answer: You're right, I apologize. Nuclear power...
}
