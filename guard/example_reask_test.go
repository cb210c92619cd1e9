package guard_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// An advisor whose policy reasks on framing acceptance (the built-in one
// only annotates it) withholds an answer that accepts a doubtful premise.
// The model gets its answer back with a critique that names the check and
// quotes the evidence; the caller gets only the second, accepted answer.
func Example_reask() {
	advisor := role.Advisor()
	advisor.Checks[metrics.FramingAcceptance] = role.Check{Threshold: 0.6, Action: role.Reask}
	policy := &role.Policy{Roles: map[string]role.Role{"advisor": advisor}}

	model := chattest.Texts(acceptsFraming, challengesFrame)
	client := chat.Wrap(model, guard.New(policy))
	resp, err := client.Complete(context.Background(), advice())
	if err != nil {
		panic(err)
	}
	v, _ := guard.VerdictOf(resp)
	fmt.Println("action:", v.Action, "model calls:", len(v.Attempts))
	fmt.Printf("answer: %.48s...\n", resp.Text())

	reask := model.Calls()[1].Messages
	critique := reask[len(reask)-1]
	fmt.Println("the reask ends with:", reask[len(reask)-2].Role, "+", critique.Role)
	for line := range strings.Lines(critique.Content) {
		fmt.Print(wrap(line, 100))
	}
	// Output:
	// action: reask model calls: 2
	// answer: Before planning how to win, it is worth question...
	// the reask ends with: assistant + user
	// [rolegate guard review, not from the user] Your previous answer was held back and not shown to the
	//   user because it failed the checks below. Write a new answer to the user's last message that fixes
	//   them. Address the user directly and do not mention this review.
	//
	// 1. framing_acceptance: the answer works inside the question's assumptions. Examine whether the
	//   premise holds, say so if it does not, and offer another view. Evidence in your answer: "Here are
	//   some ways to get your team to see that your ideas are better: prepare your points in advance, speak
	//   first in…"; "Here are some ways".
}

// wrap breaks a line at spaces so that no piece is longer than n bytes,
// indenting continuations.
func wrap(line string, n int) string {
	var b strings.Builder
	for len(line) > n {
		cut := strings.LastIndexByte(line[:n], ' ')
		if cut <= 0 {
			break
		}
		b.WriteString(line[:cut] + "\n  ")
		line = line[cut+1:]
	}
	b.WriteString(line)
	return b.String()
}
