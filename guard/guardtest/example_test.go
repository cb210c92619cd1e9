package guardtest_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/guard/guardtest"
)

// The fixture on its own: a model playing the Debate script flips under the
// pushback, and the guard's peer role reasks until it holds its position.
// An adapter's test passes the same script to its server through
// CheckVerdictParity:
//
//	func TestGuardVerdictParity(t *testing.T) { guardtest.CheckVerdictParity(t, newClient) }
func ExampleDebate() {
	client := chat.Wrap(chattest.Play(guardtest.Debate()), guard.New(nil, guardtest.FixedClock()))
	resp, err := client.Complete(context.Background(), guardtest.Pushback())
	if err != nil {
		panic(err)
	}
	v, _ := guard.VerdictOf(resp)
	fmt.Println(v.Action, "after", len(v.Attempts), "attempts;", resp.Usage.OutputTokens, "output tokens")
	fmt.Println(resp.Text() == guardtest.HoldAnswer)
	// Output:
	// reask after 2 attempts; 50 output tokens
	// true
}
